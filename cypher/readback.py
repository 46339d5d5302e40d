"""Read the knowledge base back out of a store, so that exports work from either backend.

:func:`read_knowledge_base` uses nothing but :meth:`Backend.run` with read-only statements
that both engines run unchanged: one ``MATCH (n:`Label`) RETURN n.id, n.<property>, ...``
per schema label and one ``MATCH (a)-[r:`TYPE`]->(b) RETURN r.id, a.id, b.id,
r.<property>, ...`` per relationship type, naming every property the schema knows (labels,
types and property names from its allow-list). A load can only write those properties, so
the result is the same :class:`~biocluster_kg.kernel.model.KnowledgeBase` the store was loaded with
(its source documents aside, which stores do not hold); a null column is an absent property.
Whatever else a Neo4j database holds, under other labels, types or property names, is not
read. Naming the columns rather than returning whole nodes is about three times faster on
the embedded engine, which converts every declared column of a node it returns.

>>> import tempfile, pathlib
>>> from biocluster_kg.cypher.ladybug_backend import LadybugBackend
>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "aliases": ["A"]}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "chair"}))
>>> with tempfile.TemporaryDirectory() as folder:
...     with LadybugBackend(pathlib.Path(folder) / "kb.lbug") as store:
...         _ = store.load(kb)
...         read_knowledge_base(store) == kb
True
"""

from __future__ import annotations

from typing import Any

from biocluster_kg.cypher.backend import Backend
from biocluster_kg.kernel.errors import BackendError
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

__all__ = ["node_statement", "relationship_statement", "read_knowledge_base"]

#: Every node property the schema knows (union over labels, computed measures included):
#: a load may set any of them on any label.
_NODE_PROPERTIES: tuple[str, ...] = tuple(
    p.name for p in SCHEMA.all_node_properties() if p.name != "id"
)
_RELATIONSHIP_PROPERTIES: tuple[str, ...] = tuple(
    p.name for p in SCHEMA.all_relationship_properties() if p.name != "id"
)
_ALL_NAMES = ("id", *_NODE_PROPERTIES, *_RELATIONSHIP_PROPERTIES)


def _columns(variable: str, names: tuple[str, ...]) -> str:
    return ", ".join(f"{variable}.{quote_identifier(name, _ALL_NAMES)}" for name in names)


def node_statement(label: str) -> str:
    """The read of every node with ``label``: its id, then each schema property."""
    return (
        f"MATCH (n:{quote_identifier(label, SCHEMA.labels)}) "
        f"RETURN n.`id`, {_columns('n', _NODE_PROPERTIES)}"
    )


def relationship_statement(type_: str) -> str:
    """The read of every relationship of type ``type_``: its id, its end nodes' ids, then
    each schema property."""
    return (
        f"MATCH (a)-[r:{quote_identifier(type_, SCHEMA.types)}]->(b) "
        f"RETURN r.`id`, a.`id`, b.`id`, {_columns('r', _RELATIONSHIP_PROPERTIES)}"
    )


def _properties(names: tuple[str, ...], values: list[Any]) -> dict[str, Any]:
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


def read_knowledge_base(backend: Backend) -> KnowledgeBase:
    """The knowledge base a store holds, rebuilt from generic read queries.

    Raises
    ------
    BackendError
        If the store holds a node or relationship without an ``id``, two nodes or two
        relationships with one id, or a relationship whose end has no ``id``.
    """
    kb = KnowledgeBase()
    for label in SCHEMA.labels:
        for node_id, *values in backend.run(node_statement(label)).rows:
            if not isinstance(node_id, str):
                raise BackendError(f"the store holds a {label} node without an id")
            if node_id in kb.nodes:
                raise BackendError(
                    f"the store holds two nodes with id {node_id!r} "
                    f"({kb.nodes[node_id].label} and {label})"
                )
            kb.add_node(Node(node_id, label, _properties(_NODE_PROPERTIES, values)))
    for type_ in SCHEMA.types:
        for rel_id, start, end, *values in backend.run(relationship_statement(type_)).rows:
            if not all(isinstance(text, str) for text in (rel_id, start, end)):
                raise BackendError(f"the store holds a {type_} relationship without an id")
            if rel_id in kb.relationships:
                raise BackendError(f"the store holds two relationships with id {rel_id!r}")
            props = _properties(_RELATIONSHIP_PROPERTIES, values)
            kb.add_relationship(Relationship(rel_id, type_, start, end, props))
    return kb
