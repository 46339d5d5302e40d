"""Run every benchmark in turn (``make bench``); each prints its own figures.

Benchmarks are scripts, not tests: they print timings and ratios and never pass or fail on
speed. Run one alone for its options, e.g. ``.venv/bin/python benchmarks/load_benchmark.py
--help``. Neo4j figures need a server (``make neo4j-start`` and the NEO4J_* variables); the
page benchmark needs Debian's chromium.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    "load_benchmark.py",
    "query_benchmark.py",
    "brokerage_benchmark.py",
    "page_benchmark.py",
    "export_benchmark.py",
    "report_benchmark.py",
    "draft_benchmark.py",
    "table_load_benchmark.py",
)


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name}", flush=True)
        status = subprocess.call([sys.executable, str(HERE / name), *sys.argv[1:]])
        if status:
            failed.append(f"{name} (exit {status})")
    if failed:
        print("\nbenchmarks that stopped with an error: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
