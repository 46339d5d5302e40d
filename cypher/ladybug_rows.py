"""Arrow tables for the embedded store: the rows ``COPY FROM`` reads for a label or a
(type, FROM, TO) group, and stored columns read back as sparse records."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.loading import RelationshipGroup
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    import pyarrow

    from biocluster_kg.kernel.model import Node

__all__ = ["arrow_types", "node_rows", "relationship_rows", "sparse_rows"]


def arrow_types() -> dict[str, pyarrow.DataType]:
    import pyarrow as pa

    return {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "string[]": pa.list_(pa.string()),
    }


def column(records: list[dict[str, Any]], name: str, type_: pyarrow.DataType) -> Any:
    import pyarrow as pa

    return pa.array(list(map(dict.get, records, repeat(name))), type=type_)


def node_rows(nodes: list[Node], columns: list[str]) -> pyarrow.Table:
    """The Arrow table COPY reads for one label: ``id`` then the present properties."""
    import pyarrow as pa

    types = arrow_types()
    schema_types = {p.name: p.type for p in SCHEMA.all_node_properties()}
    records = [node.properties for node in nodes]
    data = {"id": pa.array([node.id for node in nodes], type=pa.string())}
    for name in columns:
        data[name] = column(records, name, types[schema_types[name]])
    return pa.table(data)


def relationship_rows(group: RelationshipGroup, columns: list[str]) -> pyarrow.Table:
    """The Arrow table COPY reads for one (type, FROM, TO): ends, ``id``, properties."""
    import pyarrow as pa

    types = arrow_types()
    schema_types = {p.name: p.type for p in SCHEMA.all_relationship_properties()}
    rels = group.relationships
    records = [rel.properties for rel in rels]
    data = {
        "from": pa.array([rel.start for rel in rels], type=pa.string()),
        "to": pa.array([rel.end for rel in rels], type=pa.string()),
        "id": pa.array([rel.id for rel in rels], type=pa.string()),
    }
    for name in columns:
        data[name] = column(records, name, types[schema_types[name]])
    return pa.table(data)


def sparse_rows(table: pyarrow.Table, names: Sequence[str], first: int) -> list[dict[str, Any]]:
    """Rows of ``table`` from column ``first`` on as dicts of their non-null values."""
    import pyarrow.compute as pc

    rows: list[dict[str, Any]] = [{} for _ in range(table.num_rows)]
    for offset, name in enumerate(names):
        column = table.column(first + offset)
        if column.null_count == column.length():
            continue
        positions = pc.indices_nonzero(pc.is_valid(column)).to_pylist()
        values = column.filter(pc.is_valid(column)).to_pylist()
        for position, value in zip(positions, values, strict=True):
            rows[position][name] = value
    return rows
