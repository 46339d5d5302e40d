"""The spreadsheet form of the knowledge base: one nodes table and one relationships table.

Planners keep actor lists in a spreadsheet; this is that layout. ``NAME.nodes.csv`` has the
columns ``id, label`` and then every authored node property of the schema;
``NAME.relationships.csv`` has ``id, type, from, to`` and every authored relationship
property. Lists (aliases, tags) are joined with :data:`LIST_SEPARATOR`; an empty cell means
"not stated". Files are UTF-8 (a byte-order mark is accepted when reading).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA, Property

__all__ = [
    "LIST_SEPARATOR",
    "node_columns",
    "relationship_columns",
    "write_tabular",
    "format_cell",
]

LIST_SEPARATOR = "|"


def _authored(props: tuple[Property, ...]) -> list[Property]:
    return [p for p in props if not p.computed or p.name == "span_line"]


def node_columns() -> list[Property]:
    """Authored node properties of every label, in schema order, ``id`` first."""
    seen: dict[str, Property] = {}
    for label in SCHEMA.nodes:
        for prop in _authored(label.properties):
            seen.setdefault(prop.name, prop)
    return list(seen.values())


def relationship_columns() -> list[Property]:
    """Authored relationship properties of every type, ``id`` first."""
    seen: dict[str, Property] = {}
    for rel in SCHEMA.relationships:
        for prop in _authored(rel.properties):
            seen.setdefault(prop.name, prop)
    return list(seen.values())


def format_cell(prop: Property, value: Any) -> str:
    """One property value as spreadsheet text."""
    if value is None:
        return ""
    if prop.type == "string[]":
        for item in value:
            if LIST_SEPARATOR in item:
                raise ExportError(
                    f"{prop.name} item {item!r} contains {LIST_SEPARATOR!r}, the list separator"
                )
        return LIST_SEPARATOR.join(value)
    if prop.type == "bool":
        return "true" if value else "false"
    return str(value)


def write_tabular(kb: KnowledgeBase, directory: Path, stem: str = "knowledge-base") -> list[Path]:
    """Write ``stem.nodes.csv`` and ``stem.relationships.csv``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    nodes_path = directory / f"{stem}.nodes.csv"
    rels_path = directory / f"{stem}.relationships.csv"
    node_props = [p for p in node_columns() if p.name != "id"]
    with nodes_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "label", *(p.name for p in node_props)])
        for node in sorted(kb.nodes.values(), key=lambda n: n.id):
            writer.writerow(
                [node.id, node.label, *(format_cell(p, node.get(p.name)) for p in node_props)]
            )
    rel_props = [p for p in relationship_columns() if p.name != "id"]
    with rels_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "type", "from", "to", *(p.name for p in rel_props)])
        for rel in sorted(kb.relationships.values(), key=lambda r: r.id):
            writer.writerow(
                [
                    rel.id,
                    rel.type,
                    rel.start,
                    rel.end,
                    *(format_cell(p, rel.get(p.name)) for p in rel_props),
                ]
            )
    return [nodes_path, rels_path]
