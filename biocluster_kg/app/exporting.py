"""Writing exports: a knowledge base to a file, a folder or a stream.

Which knowledge base is written (data files or a store, with or without the measures) is
the session's decision (:meth:`biocluster_kg.app.session.Session.export_knowledge_base`);
this module only writes it, atomically for single files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.files import atomic_write
from biocluster_kg.kernel.model import KnowledgeBase

if TYPE_CHECKING:
    from biocluster_kg.graph.exports.stakeholders import StakeholderFilter
    from biocluster_kg.kernel.cluster import ClusterProfile

__all__ = ["write_graph_export", "write_output", "write_stakeholder_export"]


def write_output(data: bytes, output: Path | None, stream: BinaryIO) -> None:
    """``data`` to the file ``output`` (atomically: all of it or nothing) or to ``stream``."""
    if output is None:
        stream.write(data)
        stream.flush()
        return
    atomic_write(output, data, error=ExportError, what="export")


def write_graph_export(
    kb: KnowledgeBase,
    output_format: str,
    output: Path | None,
    stream: BinaryIO,
    *,
    measures: bool = True,
    profile: ClusterProfile,
) -> list[Path]:
    """Export the whole graph; returns the files written (none when writing to ``stream``).
    ``profile`` is the cluster's, for measures ``kb`` does not carry yet.

    ``csv`` writes a folder (``output`` is required); the other formats write one file, or
    ``stream`` when ``output`` is None.
    """
    from biocluster_kg.graph.exports import FILE_FORMATS, GRAPH_FORMATS, graph_document

    if output_format not in GRAPH_FORMATS:
        raise ExportError(f"unknown graph format {output_format!r}")
    if output_format == "csv" and output is None:
        raise ExportError("--format csv writes a folder of files: give it with -o DIR")
    if output_format == "csv":
        from biocluster_kg.graph.exports.neo4j_csv import write_neo4j_csv

        assert output is not None
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; --format csv needs a folder")
        try:
            return write_neo4j_csv(kb, output, measures=measures, profile=profile)
        except OSError as error:
            raise ExportError(f"cannot write into {output}: {error.strerror or error}") from error
    assert output_format in FILE_FORMATS
    statements: list[str] = []
    if output_format == "cypher":
        from biocluster_kg.cypher.ddl import neo4j_schema_statements

        statements = neo4j_schema_statements()
    document = graph_document(
        kb, output_format, schema_statements=statements, measures=measures, profile=profile
    )
    write_output(document, output, stream)
    return [output] if output is not None else []


def write_stakeholder_export(
    kb: KnowledgeBase,
    filters: StakeholderFilter,
    output_format: str,
    output: Path | None,
    stream: BinaryIO,
    *,
    bom: bool = False,
    lang: str = "en",
) -> int:
    """Export the stakeholder list; returns the number of rows written. CSV and xlsx have
    titles and names for people in ``lang`` ``ja``, the stable keys and codes in ``en``;
    JSON always the keys and codes."""
    from biocluster_kg.graph.exports.stakeholders import (
        stakeholder_rows,
        stakeholders_csv,
        stakeholders_json,
        write_stakeholders_xlsx,
    )

    if output_format == "xlsx" and output is None:
        raise ExportError("--format xlsx writes a workbook: give its file with -o FILE")
    rows = stakeholder_rows(kb, filters)
    if output_format == "csv":
        write_output(stakeholders_csv(rows, bom=bom, lang=lang), output, stream)
    elif output_format == "json":
        write_output(stakeholders_json(rows), output, stream)
    elif output_format == "xlsx":
        assert output is not None
        write_stakeholders_xlsx(rows, output, lang=lang)
    else:
        raise ExportError(f"unknown stakeholder format {output_format!r}")
    return len(rows)
