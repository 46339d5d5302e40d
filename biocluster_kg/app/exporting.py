"""What ``biocluster export`` does: read the knowledge base from the chosen source, then write
the chosen export to a file, a folder or a stream.

The source is the data files (``data``, the default), the embedded store (``embedded``) or a
Neo4j server (``neo4j``); the two stores are read back with :mod:`biocluster_kg.cypher.readback`, so
all three give the same bytes for the same knowledge base.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase

if TYPE_CHECKING:
    from biocluster_kg.graph.exports.stakeholders import StakeholderFilter

__all__ = ["SOURCES", "ExportSource", "run_graph_export", "run_stakeholder_export"]

SOURCES: tuple[str, ...] = ("data", "embedded", "neo4j")


@dataclass(frozen=True)
class ExportSource:
    """Where to read the knowledge base from, with that source's options."""

    kind: str = "data"
    data_dir: Path | None = None
    store_path: Path | None = None
    uri: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    def knowledge_base(self) -> KnowledgeBase:
        """Read (and for ``data`` validate) the knowledge base."""
        if self.kind == "data":
            from biocluster_kg.loaders import load_knowledge_base

            return load_knowledge_base(self.data_dir)
        if self.kind not in SOURCES:
            raise ExportError(f"unknown source {self.kind!r}; expected one of {', '.join(SOURCES)}")
        from biocluster_kg.cypher.open import open_backend
        from biocluster_kg.cypher.readback import read_knowledge_base

        backend = open_backend(
            self.kind == "neo4j",
            self.store_path,
            self.uri,
            self.username,
            self.password,
            self.database,
        )
        try:
            return read_knowledge_base(backend)
        finally:
            backend.close()


def _write(data: bytes, output: Path | None, stream: BinaryIO) -> None:
    if output is None:
        stream.write(data)
        stream.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary = output.with_name(f".{output.name}.{os.getpid()}.partial")
        temporary.write_bytes(data)
        os.replace(temporary, output)
    except OSError as error:
        raise ExportError(f"cannot write {output}: {error.strerror or error}") from error


def run_graph_export(
    source: ExportSource, output_format: str, output: Path | None, stream: BinaryIO
) -> list[Path]:
    """Export the whole graph; returns the files written (none when writing to ``stream``).

    ``csv`` writes a folder (``output`` is required); the other formats write one file, or
    ``stream`` when ``output`` is None.
    """
    from biocluster_kg.graph.exports import FILE_FORMATS, GRAPH_FORMATS, graph_document

    if output_format not in GRAPH_FORMATS:
        raise ExportError(f"unknown graph format {output_format!r}")
    if output_format == "csv" and output is None:
        raise ExportError("--format csv writes a folder of files: give it with -o DIR")
    kb = source.knowledge_base()
    if output_format == "csv":
        from biocluster_kg.graph.exports.neo4j_csv import write_neo4j_csv

        assert output is not None
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; --format csv needs a folder")
        try:
            return write_neo4j_csv(kb, output)
        except OSError as error:
            raise ExportError(f"cannot write into {output}: {error.strerror or error}") from error
    assert output_format in FILE_FORMATS
    statements: list[str] = []
    if output_format == "cypher":
        from biocluster_kg.cypher.ddl import neo4j_schema_statements

        statements = neo4j_schema_statements()
    _write(graph_document(kb, output_format, schema_statements=statements), output, stream)
    return [output] if output is not None else []


def run_stakeholder_export(
    source: ExportSource,
    filters: StakeholderFilter,
    output_format: str,
    output: Path | None,
    stream: BinaryIO,
    *,
    bom: bool = False,
) -> int:
    """Export the stakeholder list; returns the number of rows written."""
    from biocluster_kg.graph.exports.stakeholders import (
        stakeholder_rows,
        stakeholders_csv,
        stakeholders_json,
        write_stakeholders_xlsx,
    )

    if output_format == "xlsx" and output is None:
        raise ExportError("--format xlsx writes a workbook: give its file with -o FILE")
    rows = stakeholder_rows(source.knowledge_base(), filters)
    if output_format == "csv":
        _write(stakeholders_csv(rows, bom=bom), output, stream)
    elif output_format == "json":
        _write(stakeholders_json(rows), output, stream)
    elif output_format == "xlsx":
        assert output is not None
        output.parent.mkdir(parents=True, exist_ok=True)
        write_stakeholders_xlsx(rows, output)
    else:
        raise ExportError(f"unknown stakeholder format {output_format!r}")
    return len(rows)
