"""What every export shares: the canonical order of nodes, relationships and properties, the
schema type of each property, and the rule for writing lists as text.

Exports are byte-for-byte reproducible: nodes come sorted by id, relationships by id, and a
record's properties in schema order
(:func:`biocluster_kg.kernel.schema.Schema.all_node_properties`), so the
same knowledge base gives the same bytes whether it was read from the data files or back from
a store. Values of ``None`` and empty lists are left out; a ``float`` property holding an
``int`` is written as a float (both stores keep it as one).

An empty list counts as no value because not every store can tell the two apart:
``neo4j-admin database import`` stores no property for an empty ``string[]`` cell (quoted or
not; checked on Neo4j 5.26.30), where a normal load stores ``[]``. Writing neither keeps the
export of a store the same whichever way it was filled.

Network measures are an overlay (:data:`biocluster_kg.kernel.schema.COMPUTED_NODE_PROPERTIES`):
:func:`with_measures` is the one place an export keeps or drops them, so the file does not
depend on whether the source happened to carry them.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:b", "Organization", {"span": "s", "name_ja": "乙", "note": None}))
>>> kb.add_node(Node("org:a", "Organization", {"name_en": "A", "name_ja": "甲"}))
>>> [(node.id, ordered_properties(node.properties, "node")) for node in sorted_nodes(kb)]
[('org:a', [('name_ja', '甲'), ('name_en', 'A')]), ('org:b', [('name_ja', '乙'), ('span', 's')])]
>>> ordered_properties({"aliases": [], "tags": ["x"]}, "node")
[('tags', ['x'])]
>>> join_list(["慶應先端研", "先端研"])
'慶應先端研|先端研'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import (
    COMPUTED_NODE_PROPERTIES,
    SCHEMA,
    Property,
    PropertyType,
)
from biocluster_kg.kernel.tabular import LIST_SEPARATOR, format_cell

if TYPE_CHECKING:
    import networkx as nx

    from biocluster_kg.kernel.cluster import ClusterProfile

__all__ = [
    "LIST_SEPARATOR",
    "NODE_PROPERTY_TYPES",
    "RELATIONSHIP_PROPERTY_TYPES",
    "property_types",
    "ordered_properties",
    "sorted_nodes",
    "sorted_relationships",
    "join_list",
    "split_list",
    "canonical_networkx",
    "value_text",
    "nonempty",
    "split_lists",
    "MEASURE_NAMES",
    "with_measures",
    "display_name",
]

Domain = Literal["node", "relationship"]

#: Every node property the schema knows (all labels, computed measures included) -> its type,
#: in schema order.
NODE_PROPERTY_TYPES: dict[str, PropertyType] = {
    p.name: p.type for p in SCHEMA.all_node_properties() if p.name != "id"
}
#: Every relationship property the schema knows -> its type, in schema order.
RELATIONSHIP_PROPERTY_TYPES: dict[str, PropertyType] = {
    p.name: p.type for p in SCHEMA.all_relationship_properties() if p.name != "id"
}


def property_types(domain: Domain) -> dict[str, PropertyType]:
    """The property types of nodes or of relationships (without ``id``)."""
    return NODE_PROPERTY_TYPES if domain == "node" else RELATIONSHIP_PROPERTY_TYPES


def _checked(name: str, type_: PropertyType, value: Any) -> Any:
    if type_ == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ExportError(f"property {name!r} is {value!r}, which no export format can carry")
    return value


def ordered_properties(properties: Mapping[str, Any], domain: Domain) -> list[tuple[str, Any]]:
    """``(name, value)`` pairs in schema order, without ``None`` values and empty lists.

    Raises :class:`ExportError` for a property the schema does not know (typed formats need
    its type) or a float that is not finite.
    """
    types = property_types(domain)
    unknown = sorted(set(properties) - set(types))
    if unknown:
        raise ExportError(f"{domain} property {unknown[0]!r} is not in the schema")
    return [
        (name, _checked(name, type_, properties[name]))
        for name, type_ in types.items()
        if properties.get(name) is not None and properties[name] != []
    ]


#: The node properties that are network measures, not facts.
MEASURE_NAMES: frozenset[str] = frozenset(p.name for p in COMPUTED_NODE_PROPERTIES)


def with_measures(kb: KnowledgeBase, measures: bool, *, profile: ClusterProfile) -> KnowledgeBase:
    """``kb`` as an export writes it: with the default network measures on its nodes
    (computed here when ``kb`` does not carry them yet, see
    :func:`biocluster_kg.graph.brokerage.measured`), or with every measure removed.

    The data files carry no measures and a loaded store carries them; passing the same
    ``measures`` for both gives the same knowledge base, so the same bytes. Measures a
    ``kb`` lacks are computed for ``profile``'s cluster (the session passes its workspace's).

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "degree": 3}))
    >>> from biocluster_kg.kernel.cluster import ClusterProfile
    >>> with_measures(kb, False, profile=ClusterProfile()).nodes["org:a"].properties
    {'name_ja': '甲'}
    """
    import dataclasses

    if measures:
        from biocluster_kg.graph.brokerage import measured

        return measured(kb, profile=profile)
    if not any(MEASURE_NAMES & node.properties.keys() for node in kb.nodes.values()):
        return kb
    stripped = KnowledgeBase(relationships=dict(kb.relationships), sources=dict(kb.sources))
    for node in kb.nodes.values():
        kept = {k: v for k, v in node.properties.items() if k not in MEASURE_NAMES}
        stripped.add_node(dataclasses.replace(node, properties=kept))
    return stripped


def display_name(node: Node) -> str:
    """The text Gephi and other viewers show for a node: its Japanese name as written
    (its id when it has none)."""
    return str(node.get("name_ja") or node.id)


def sorted_nodes(kb: KnowledgeBase) -> list[Node]:
    return sorted(kb.nodes.values(), key=lambda node: node.id)


def sorted_relationships(kb: KnowledgeBase) -> list[Relationship]:
    return sorted(kb.relationships.values(), key=lambda rel: rel.id)


def join_list(items: list[str], name: str = "list") -> str:
    """A ``string[]`` value as one text, items joined with :data:`LIST_SEPARATOR`.

    >>> join_list(["a|b"], "aliases")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.ExportError: aliases item 'a|b' contains '|', the list separator
    """
    # The spreadsheet form's rule, so that every text form of a list reads the same way.
    return format_cell(Property(name, "string[]", ""), items)


def split_list(text: str) -> list[str]:
    """The inverse of :func:`join_list` (an empty text is an empty list).

    >>> split_list("慶應先端研|先端研"), split_list("")
    (['慶應先端研', '先端研'], [])
    """
    return text.split(LIST_SEPARATOR) if text else []


def canonical_networkx(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """:meth:`KnowledgeBase.to_networkx` with nodes, edges and attributes in canonical order
    and values checked (see the module docstring)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in sorted_nodes(kb):
        graph.add_node(
            node.id, label=node.label, **dict(ordered_properties(node.properties, "node"))
        )
    for rel in sorted_relationships(kb):
        graph.add_edge(
            rel.start,
            rel.end,
            key=rel.id,
            type=rel.type,
            **dict(ordered_properties(rel.properties, "relationship")),
        )
    return graph


def value_text(name: str, type_: PropertyType, value: Any) -> str:
    """A property value as the text of the XML and CSV formats: lists joined (see
    :func:`join_list`), booleans ``true``/``false``, floats in their shortest exact form.

    >>> value_text("x", "float", 2), value_text("x", "bool", True), value_text("x", "int", 7)
    ('2.0', 'true', '7')
    """
    if type_ == "string[]":
        return join_list(value, name)
    if type_ == "bool":
        return "true" if value else "false"
    if type_ == "float":
        return repr(float(value))
    return str(value)


def nonempty(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """``pairs`` without empty texts and empty lists, which the XML formats cannot tell from
    absent values."""
    return [(name, value) for name, value in pairs if value != "" and value != []]


def split_lists(data: Mapping[str, Any], domain: Domain) -> dict[str, Any]:
    """``data`` with every ``string[]`` property's joined text split into a list again."""
    types = property_types(domain)
    return {
        name: split_list(value)
        if types.get(name) == "string[]" and isinstance(value, str)
        else value
        for name, value in data.items()
    }
