"""The statements a Neo4j load writes with: ``UNWIND $rows`` batches per label and type,
and the rows they take (see :mod:`biocluster_kg.cypher.neo4j_backend` for why each is
shaped as it is). Labels, types and property names come from the schema's allow-list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import Node, Relationship

__all__ = [
    "LOAD_LOCK_CONSTRAINT",
    "LOAD_LOCK",
    "INDEX_NAMES",
    "node_create",
    "node_update",
    "node_delete",
    "relationship_create",
    "relationship_update",
    "relationship_delete",
    "update_rows",
    "new_node_rows",
    "new_relationship_rows",
]

#: Loads take turns: each holds a lock node that exists only inside a transaction it never
#: commits. MERGE on a uniquely constrained key waits while another transaction holds that key,
#: and the lock goes when its transaction ends, also when a client dies (the server drops it).
LOAD_LOCK_CONSTRAINT = (
    "CREATE CONSTRAINT biocluster_load_lock IF NOT EXISTS "
    "FOR (lock:`BioclusterLoadLock`) REQUIRE lock.id IS UNIQUE"
)
INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"
LOAD_LOCK = "MERGE (lock:`BioclusterLoadLock` {id: 'load'})"


_PROPERTY_NAMES = SCHEMA.property_names()
_FLOAT_PROPERTIES = frozenset(
    p.name
    for p in (*SCHEMA.all_node_properties(), *SCHEMA.all_relationship_properties())
    if p.type == "float"
)


def _property_map(columns: list[str], first: int) -> str:
    """``{`id`: row[first], `c1`: row[first + 1], ...}``: a new record's properties from a
    list row (lists are cheaper for the server to take apart than maps). A null value sets
    nothing, as the record should not have that property."""
    names = ("id", *columns)
    return (
        "{"
        + ", ".join(
            f"{quote_identifier(name, _PROPERTY_NAMES)}: row[{first + index}]"
            for index, name in enumerate(names)
        )
        + "}"
    )


def node_create(label: str, columns: list[str]) -> str:
    """New nodes: CREATE (the comparison knows they are new; the uniqueness constraint still
    refuses a duplicate made meanwhile), all properties from the row; returns each new
    node's element id, which the relationships created next find it by."""
    quoted = quote_identifier(label, SCHEMA.labels)
    return (
        f"UNWIND $rows AS row CREATE (n:{quoted} {_property_map(columns, 0)}) "
        "RETURN row[0] AS id, elementId(n) AS element"
    )


# Every other write finds its node or relationship by element id (read with the stored
# state, or returned by the CREATE) and checks the ``id`` too. Not through the ``id``
# indexes: in a transaction that has already changed many entries of an index, each seek in
# it costs time in proportion to those changes (Neo4j 5.26: deleting 60k relationships by
# index seek in one transaction took 27 s, growing with every batch; by element id 0.5 s).
# No label in these patterns, or the planner picks the index seek again.


def node_update() -> str:
    """Changed nodes: ``SET n = map`` replaces every property, removing those left out."""
    return (
        "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.element AND n.id = row.id "
        "SET n = row.props RETURN count(*) AS total"
    )


def node_delete() -> str:
    return (
        "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row[0] AND n.id = row[1] "
        "DETACH DELETE n RETURN count(*) AS total"
    )


def relationship_create(type_: str, columns: list[str]) -> str:
    """New relationships (or ones whose ends changed, deleted first) between their ends;
    rows are ``[start, end, id, *columns]``, ``$elements`` the ends' element ids."""
    quoted = quote_identifier(type_, SCHEMA.types)
    return (
        "UNWIND $rows AS row "
        "MATCH (s) WHERE elementId(s) = $elements[row[0]] AND s.id = row[0] "
        "MATCH (e) WHERE elementId(e) = $elements[row[1]] AND e.id = row[1] "
        f"CREATE (s)-[r:{quoted} {_property_map(columns, 2)}]->(e) "
        "RETURN count(*) AS total"
    )


def relationship_update() -> str:
    """Changed relationships with the same ends."""
    return (
        "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.element AND r.id = row.id "
        "SET r = row.props RETURN count(*) AS total"
    )


def relationship_delete() -> str:
    return (
        "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row[0] AND r.id = row[1] "
        "DELETE r RETURN count(*) AS total"
    )


def _stored(key: str, value: Any) -> Any:
    """A property value as Neo4j stores it: floats as floats (an int in a float property)."""
    if key in _FLOAT_PROPERTIES and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _props(record_id: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """What Neo4j stores: ``id`` and the non-null properties."""
    props: dict[str, Any] = {"id": record_id}
    for key, value in properties.items():
        if value is not None:
            props[key] = _stored(key, value)
    return props


def update_rows(
    records: list[Node] | list[Relationship], elements: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Rows for :func:`node_update` and :func:`relationship_update`."""
    return [
        {
            "element": elements[record.id],
            "id": record.id,
            "props": _props(record.id, record.properties),
        }
        for record in records
    ]


def _values(properties: Mapping[str, Any], columns: list[str]) -> list[Any]:
    """The ``columns`` of one record, in order, as Neo4j stores them (None where absent)."""
    if _FLOAT_PROPERTIES.isdisjoint(columns):
        return list(map(properties.get, columns))
    return [_stored(key, properties.get(key)) for key in columns]


def new_node_rows(nodes: list[Node], columns: list[str]) -> list[list[Any]]:
    """``[id, *columns]`` per node, for :func:`node_create`."""
    return [[node.id, *_values(node.properties, columns)] for node in nodes]


def new_relationship_rows(rels: list[Relationship], columns: list[str]) -> list[list[Any]]:
    """``[start, end, id, *columns]`` per relationship, for :func:`relationship_create`."""
    return [[rel.start, rel.end, rel.id, *_values(rel.properties, columns)] for rel in rels]
