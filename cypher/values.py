"""Turning what the drivers return into plain Python values, the same for both backends.

A node becomes a dict of its non-null properties plus ``label``; a relationship a dict of its
non-null properties plus ``type``; a path ``{"nodes": [...], "relationships": [...]}``; a
variable-length relationship a list of relationships. Dates and times become ISO strings,
decimals floats, UUIDs strings. Ladybug stores every schema property on every node table
(null where absent) while Neo4j stores only what is set, hence "non-null".

>>> plain_ladybug({"_ID": {"offset": 0, "table": 0}, "_LABEL": "Body", "id": "body:x",
...                "name_en": "X", "note": None})
{'label': 'Body', 'id': 'body:x', 'name_en': 'X'}
>>> import datetime
>>> plain_ladybug([datetime.date(2013, 4, 1), {"a": 1}])
['2013-04-01', {'a': 1}]
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

__all__ = ["plain_ladybug", "plain_neo4j", "plain_scalar"]

_LADYBUG_INTERNAL = frozenset({"_ID", "_LABEL", "_SRC", "_DST"})


def plain_scalar(value: Any) -> Any:
    """Dates, times, durations, decimals and UUIDs as JSON-friendly values."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        # Ladybug returns sum() of integers as INT128, which its driver gives as Decimal.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _properties(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: plain_ladybug(value)
        for key, value in record.items()
        if key not in _LADYBUG_INTERNAL and value is not None
    }


def plain_ladybug(value: Any) -> Any:
    """A Ladybug result value as plain Python (see the module docstring)."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            nodes = [plain_ladybug(node) for node in value["_NODES"]]
            relationships = [plain_ladybug(rel) for rel in value["_RELS"]]
            # A named path lists its end nodes too; a variable-length relationship lists only
            # the nodes between its hops, and Neo4j returns it as a list of relationships.
            if len(nodes) == len(relationships) + 1:
                return {"nodes": nodes, "relationships": relationships}
            return relationships
        if "_LABEL" in value and "_ID" in value:
            kind = "type" if "_SRC" in value else "label"
            return {kind: value["_LABEL"], **_properties(value)}
        return {key: plain_ladybug(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_ladybug(item) for item in value]
    return plain_scalar(value)


def plain_neo4j(value: Any) -> Any:
    """A Neo4j driver value as plain Python (see the module docstring).

    >>> plain_neo4j({"xs": (1, 2.5, None)})
    {'xs': [1, 2.5, None]}
    """
    from neo4j import graph, spatial, time

    if isinstance(value, graph.Node):
        labels = sorted(value.labels)
        label = labels[0] if len(labels) == 1 else labels
        return {"label": label, **{k: plain_neo4j(v) for k, v in value.items()}}
    if isinstance(value, graph.Relationship):
        return {"type": value.type, **{k: plain_neo4j(v) for k, v in value.items()}}
    if isinstance(value, graph.Path):
        return {
            "nodes": [plain_neo4j(node) for node in value.nodes],
            "relationships": [plain_neo4j(rel) for rel in value.relationships],
        }
    if isinstance(value, dict):
        return {key: plain_neo4j(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_neo4j(item) for item in value]
    if isinstance(value, time.Date | time.DateTime | time.Time):
        return value.iso_format()
    if isinstance(value, time.Duration):
        return str(value)
    if isinstance(value, spatial.Point):
        return {"srid": value.srid, "coordinates": list(value)}
    return plain_scalar(value)
