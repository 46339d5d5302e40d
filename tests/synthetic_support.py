"""The benchmarks' synthetic cluster (``benchmarks/synthetic.py``), for tests that need a
large, schema-true knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

from biocluster_kg.kernel.model import KnowledgeBase

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def synthetic_cluster(actors: int) -> KnowledgeBase:
    """``actors`` actors with about five relationships each (deterministic seed)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from synthetic import synthetic_cluster as generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    return generate(actors)
