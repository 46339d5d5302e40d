"""Loaders: source documents and data files -> validated records -> one knowledge base.

``data/sources/`` holds the source documents (listed in ``sources.yaml``); ``data/kb/`` holds
the curated facts as YAML files and, optionally, tables kept in a spreadsheet as pairs of
``NAME.nodes.csv`` and ``NAME.relationships.csv``. All files combine into one graph.
"""

from __future__ import annotations

from pathlib import Path

from biocluster_kg.kernel.cluster import default_data_dir
from biocluster_kg.kernel.errors import SourceError
from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["default_data_dir", "load_knowledge_base", "read_records"]


def read_records(data_dir: Path) -> list:
    """Raw records from every data file under ``data_dir/kb``, in a stable order."""
    from biocluster_kg.loaders.tabular import read_tabular_pair
    from biocluster_kg.loaders.yaml_records import read_yaml_file

    kb_dir = data_dir / "kb"
    if not kb_dir.is_dir():
        raise SourceError(f"no data folder at {kb_dir}")
    records = []
    for path in sorted(kb_dir.iterdir()):
        display = f"{kb_dir.name}/{path.name}"
        if path.suffix in (".yaml", ".yml"):
            records.extend(read_yaml_file(path, display))
        elif path.name.endswith(".nodes.csv"):
            stem = path.name[: -len(".nodes.csv")]
            records.extend(read_tabular_pair(kb_dir, stem))
    return records


def load_knowledge_base(data_dir: Path | None = None) -> KnowledgeBase:
    """Read, validate and combine every data file into one knowledge base.

    Raises :class:`biocluster_kg.kernel.errors.ValidationError` listing every problem if any file is
    invalid; nothing is returned half-built.
    """
    from biocluster_kg.loaders.sources import load_sources
    from biocluster_kg.loaders.validate import build_knowledge_base

    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    if not data_dir.is_dir():
        raise SourceError(f"no data folder at {data_dir}; pass --data DIR")
    sources = load_sources(data_dir / "sources")
    return build_knowledge_base(read_records(data_dir), sources)
