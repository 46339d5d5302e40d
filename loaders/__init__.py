"""Loaders: source documents and data files -> validated records -> one knowledge base.

``data/sources/`` holds the source documents (listed in ``sources.yaml``); ``data/kb/`` holds
the curated facts as YAML files and, optionally, tables kept in a spreadsheet as pairs of
``NAME.nodes.csv`` and ``NAME.relationships.csv``. All files combine into one graph.
"""

from __future__ import annotations

from pathlib import Path

from biocluster_kg.kernel.cluster import default_data_dir
from biocluster_kg.kernel.errors import Problem, SourceError, ValidationError
from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["default_data_dir", "load_knowledge_base", "read_records", "EmptyKnowledgeBaseError"]


class EmptyKnowledgeBaseError(SourceError):
    """The data folder holds no nodes, and an empty knowledge base was not asked for."""


def read_records(data_dir: Path) -> list:
    """Raw records from every data file under ``data_dir/kb``, in a stable order.

    Every entry of ``kb/`` must be a data file: ``NAME.yaml`` (or ``.yml``), ``NAME.nodes.csv``
    and its optional ``NAME.relationships.csv``. Anything else (a folder, ``NEW.YAML``,
    ``x.Nodes.csv``, a plain ``.csv`` or ``.json``, a relationships table without its nodes
    table) is a problem naming it: a file that is silently skipped is a fact silently lost.
    Hidden entries (``.gitkeep``, editor swap files) are the one exception.
    """
    from biocluster_kg.loaders.tabular import read_tabular_pair
    from biocluster_kg.loaders.yaml_records import read_yaml_file

    kb_dir = data_dir / "kb"
    if not kb_dir.is_dir():
        raise SourceError(f"no data folder at {kb_dir}")
    try:
        entries = sorted(kb_dir.iterdir())
    except OSError as error:
        raise SourceError(f"cannot read the data folder {kb_dir}: {error.strerror}") from None
    names = {path.name for path in entries}
    problems: list[Problem] = []
    for path in entries:
        problem = _not_a_data_file(path, names)
        if problem is not None:
            problems.append(Problem(f"{kb_dir.name}/{path.name}", None, None, problem))
    if problems:
        raise ValidationError(problems)
    records = []
    for path in entries:
        if path.name.startswith("."):
            # Hidden entries (.gitkeep, an editor's .#actors.yaml lock, a macOS ._actors.yaml)
            # are never data, whatever their suffix.
            continue
        display = f"{kb_dir.name}/{path.name}"
        if path.name.endswith(YAML_SUFFIXES):
            records.extend(read_yaml_file(path, display))
        elif path.name.endswith(NODES_SUFFIX):
            records.extend(read_tabular_pair(kb_dir, path.name[: -len(NODES_SUFFIX)]))
    return records


YAML_SUFFIXES = (".yaml", ".yml")
NODES_SUFFIX = ".nodes.csv"
RELATIONSHIPS_SUFFIX = ".relationships.csv"
_EXPECTED = "expected NAME.yaml, or NAME.nodes.csv with an optional NAME.relationships.csv"


def _not_a_data_file(path: Path, names: set[str]) -> str | None:
    """Why an entry of kb/ is not a data file the loaders read, or None if it is one."""
    name = path.name
    if name.startswith("."):
        return None
    if path.is_dir():
        return "a folder; data files must sit directly in kb/"
    if name.endswith(YAML_SUFFIXES) or name.endswith(NODES_SUFFIX):
        return None
    if name.endswith(RELATIONSHIPS_SUFFIX):
        nodes = name[: -len(RELATIONSHIPS_SUFFIX)] + NODES_SUFFIX
        return None if nodes in names else f"has no {nodes} beside it; {_EXPECTED}"
    lowered = name.lower()
    if lowered.endswith((*YAML_SUFFIXES, NODES_SUFFIX, RELATIONSHIPS_SUFFIX)):
        return f"not a data file: write the extension in lower case; {_EXPECTED}"
    return f"not a data file; {_EXPECTED}"


def load_knowledge_base(
    data_dir: Path | None = None, *, allow_empty: bool = False
) -> KnowledgeBase:
    """Read, validate and combine every data file into one knowledge base.

    Raises :class:`biocluster_kg.kernel.errors.ValidationError` listing every problem if any file is
    invalid; nothing is returned half-built. A knowledge base without a single node is
    refused unless ``allow_empty``: loading it would remove everything from a store, which
    an emptied or mistyped ``kb/`` folder must not do by accident.
    """
    from biocluster_kg.loaders.sources import load_sources
    from biocluster_kg.loaders.validate import build_knowledge_base

    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    if not data_dir.is_dir():
        raise SourceError(f"no data folder at {data_dir}; pass --data DIR")
    sources = load_sources(data_dir / "sources")
    kb = build_knowledge_base(read_records(data_dir), sources)
    if not kb.nodes and not allow_empty:
        raise EmptyKnowledgeBaseError(
            f"no nodes in {data_dir / 'kb'}: loading it would remove everything from the "
            "store; to do that on purpose, load with --allow-empty"
        )
    return kb
