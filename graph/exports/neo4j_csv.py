"""CSV files in the header format of ``neo4j-admin database import full``.

One file per node label, ``nodes-<Label>.csv``, with the header
``id:ID,<property>[:<type>],...,:LABEL``, and one per relationship type,
``relationships-<TYPE>.csv``, with ``:START_ID,:END_ID,:TYPE,id,<property>[:<type>],...``.
Columns are the properties some record of the file has, in schema order. Types follow the
schema: ``int`` -> ``:int``, ``float`` -> ``:float``, ``bool`` -> ``:boolean``,
``string[]`` -> ``:string[]`` (items joined by ``|``, so the import needs
``--array-delimiter=|``); strings carry no annotation. With the importer's default
``--normalize-types=true`` numbers are stored as Cypher INTEGER and FLOAT, as a normal load
stores them. Node ids share one global id space; ``id:ID`` also stores ``id`` as a property.

Every text value is quoted, with ``"`` doubled (RFC 4180, the importer's default quoting); an
absent value is an empty unquoted field, which the importer skips. An empty list is written as
an absent value too: the importer cannot store an empty array (a ``:string[]`` cell ``""``,
quoted or not, gives no property; Neo4j 5.26.30), so the exports treat ``[]`` as absent
everywhere (:mod:`biocluster_kg.graph.exports.common`). Spans run over several
lines, so the import needs ``--multiline-fields=true``. Files are UTF-8 without a byte-order
mark. :func:`neo4j_admin_arguments` gives the full argument list and ``README.txt`` in the
folder shows the command.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": '甲 "A" 社', "aliases": ["A社", "甲社"],
...                                            "span_line": 4}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "chair"}))
>>> files = neo4j_csv_files(kb)
>>> print(files["nodes-Organization.csv"], end="")
id:ID,name_ja,aliases:string[],span_line:int,:LABEL
"org:a","甲 ""A"" 社","A社|甲社",4,"Organization"
>>> print(files["relationships-MEMBER_OF.csv"], end="")
:START_ID,:END_ID,:TYPE,id,role
"org:a","body:b","MEMBER_OF","r1","chair"
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.exports.common import (
    LIST_SEPARATOR,
    Domain,
    ordered_properties,
    property_types,
    sorted_nodes,
    sorted_relationships,
    value_text,
    with_measures,
)
from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.files import atomic_write
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA, PropertyType

if TYPE_CHECKING:
    from biocluster_kg.kernel.cluster import ClusterProfile

__all__ = [
    "NEO4J_TYPES",
    "IMPORT_OPTIONS",
    "neo4j_csv_files",
    "write_neo4j_csv",
    "neo4j_admin_arguments",
]

#: Schema property type -> the importer's header type (None: plain string, no annotation).
NEO4J_TYPES: dict[PropertyType, str | None] = {
    "string": None,
    "int": "int",
    "float": "float",
    "bool": "boolean",
    "string[]": "string[]",
}

#: Options the files need, beside ``--nodes``/``--relationships`` and the database name.
IMPORT_OPTIONS: tuple[str, ...] = (
    f"--array-delimiter={LIST_SEPARATOR}",
    "--multiline-fields=true",
    "--normalize-types=true",
    "--id-type=string",
)

README = "README.txt"


def _field(type_: PropertyType | None, name: str, value: Any) -> str:
    if value is None:
        return ""
    if type_ in ("int", "float", "bool"):
        return value_text(name, type_, value)
    text = value_text(name, type_, value) if type_ is not None else str(value)
    return '"' + text.replace('"', '""') + '"'


def _header(name: str, type_: PropertyType) -> str:
    annotation = NEO4J_TYPES[type_]
    return name if annotation is None else f"{name}:{annotation}"


def _columns(records: list[Any], domain: Domain) -> list[tuple[str, PropertyType]]:
    used = {name for record in records for name, _ in ordered_properties(record.properties, domain)}
    return [(name, type_) for name, type_ in property_types(domain).items() if name in used]


def _lines(header: list[str], rows: list[list[str]]) -> str:
    return "".join(",".join(cells) + "\n" for cells in [header, *rows])


def neo4j_csv_files(kb: KnowledgeBase) -> dict[str, str]:
    """File name -> CSV text for every label and type the knowledge base uses, nodes first,
    each group in schema order."""
    files: dict[str, str] = {}
    nodes = sorted_nodes(kb)
    for label in SCHEMA.labels:
        members = [node for node in nodes if node.label == label]
        if not members:
            continue
        columns = _columns(members, "node")
        header = ["id:ID", *(_header(name, type_) for name, type_ in columns), ":LABEL"]
        rows = []
        for node in members:
            values = dict(ordered_properties(node.properties, "node"))
            rows.append(
                [
                    _field("string", "id", node.id),
                    *(_field(type_, name, values.get(name)) for name, type_ in columns),
                    _field("string", "label", label),
                ]
            )
        files[f"nodes-{label}.csv"] = _lines(header, rows)
    rels = sorted_relationships(kb)
    for type_name in SCHEMA.types:
        typed = [rel for rel in rels if rel.type == type_name]
        if not typed:
            continue
        columns = _columns(typed, "relationship")
        header = [":START_ID", ":END_ID", ":TYPE", "id"]
        header += [_header(name, type_) for name, type_ in columns]
        rows = []
        for rel in typed:
            values = dict(ordered_properties(rel.properties, "relationship"))
            rows.append(
                [
                    _field("string", "start", rel.start),
                    _field("string", "end", rel.end),
                    _field("string", "type", type_name),
                    _field("string", "id", rel.id),
                    *(_field(type_, name, values.get(name)) for name, type_ in columns),
                ]
            )
        files[f"relationships-{type_name}.csv"] = _lines(header, rows)
    return files


def _all_file_names() -> list[str]:
    """Every file name an export may write, nodes first, in schema order."""
    return [f"nodes-{label}.csv" for label in SCHEMA.labels] + [
        f"relationships-{type_}.csv" for type_ in SCHEMA.types
    ]


def neo4j_admin_arguments(
    directory: str | os.PathLike[str],
    database: str = "neo4j",
    *,
    report_file: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Arguments for ``neo4j-admin`` that import the CSV files in ``directory`` into
    ``database`` (which must be empty or absent; ``--overwrite-destination`` replaces it).

    The importer writes its report to ``report_file`` (default ``import.report`` in the
    folder, not the working directory).
    """
    folder = Path(directory).resolve()
    names = [name for name in _all_file_names() if (folder / name).is_file()]
    report = Path(report_file) if report_file is not None else folder / "import.report"
    # The database comes first: --nodes and --relationships take several files each, so a
    # name after them would be read as one more file.
    arguments = ["database", "import", "full", database, "--overwrite-destination=true"]
    arguments += [*IMPORT_OPTIONS, f"--report-file={report}"]
    for name in names:
        option = "--nodes" if name.startswith("nodes-") else "--relationships"
        arguments.append(f"{option}={folder / name}")
    return arguments


def _readme(names: list[str]) -> str:
    options = " \\\n    ".join(shlex.quote(option) for option in IMPORT_OPTIONS)
    files = " \\\n    ".join(
        f"--{'nodes' if name.startswith('nodes-') else 'relationships'}={name}" for name in names
    )
    return (
        "Knowledge base export for `neo4j-admin database import full` (Neo4j 5).\n"
        "Generated by `biocluster export graph --format csv`; see graph/exports/neo4j_csv.py.\n"
        "\n"
        "Stop the server, then run from this folder (it replaces the database 'neo4j'):\n"
        "\n"
        "  neo4j-admin database import full neo4j --overwrite-destination=true \\\n"
        f"    {options} \\\n"
        f"    {files}\n"
        "\n"
        "The import creates no constraints or indexes; `biocluster export graph --format cypher`\n"
        "writes them (first lines of that script) if you want them.\n"
    )


def write_neo4j_csv(
    kb: KnowledgeBase,
    directory: str | os.PathLike[str],
    *,
    measures: bool = False,
    profile: ClusterProfile,
) -> list[Path]:
    """Write the CSV files and ``README.txt`` into ``directory`` (created if missing);
    returns the paths written. ``measures`` keeps (computing them if needed) or drops the
    network measures, as :func:`biocluster_kg.graph.exports.graph_document` does.

    A ``nodes-<Label>.csv`` or ``relationships-<TYPE>.csv`` left there by an earlier export,
    for a label or type this knowledge base no longer uses, is removed so that the folder
    always imports as exactly this knowledge base.
    """
    folder = Path(directory)
    # Every file is made before anything is written: a value no file can hold (a list item
    # with the separator) leaves no folder behind.
    files = neo4j_csv_files(with_measures(kb, measures, profile=profile))
    files[README] = _readme(list(files))
    # The set whole or not at all: every file is written and synced into a staging folder
    # beside the target first (a full disk fails there, and the old set stays as it was),
    # then moved into place by renames, which need no space.
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.export-", dir=folder.parent))
    try:
        for name, text in files.items():
            atomic_write(staging / name, text.encode("utf-8"), error=ExportError)
        if not folder.exists():
            os.rename(staging, folder)
            return [folder / name for name in files]
        for name in _all_file_names():
            if name not in files:
                (folder / name).unlink(missing_ok=True)
        for name in files:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]
