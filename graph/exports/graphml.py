"""GraphML 1.0 with typed attributes, for Cytoscape, Gephi, yEd and networkx.

The file validates against the official GraphML 1.0 schema. Each property becomes a
``<key>`` with its schema type: ``string`` -> ``string``, ``int`` -> ``long``, ``float`` ->
``double``, ``bool`` -> ``boolean``. GraphML has no list type, so a ``string[]`` property
(``aliases``, ``tags``, ``brokerage_roles``) is a ``string`` with its items joined by ``|``
(the separator of the spreadsheet form; an item containing ``|`` is an error). Keys are
declared only for properties some node or edge has, in schema order.

Nodes carry ``label``, the text a viewer shows (the Japanese name as written, as GEXF's
node label), ``node_label`` (the schema label) and their properties; the ``<node id>`` is the
node id. The display name is called ``label`` because Gephi's GraphML importer takes a key
named ``label`` (or ``nodelabel``) as every node's on-screen label and makes no column of it;
a schema label under that key made all nodes read "Organization", "Program", ...

Edges carry ``id`` (the relationship id, which is not a valid GraphML edge id
because it contains ``->``, so the ``<edge>`` element has none), ``type`` and their
properties. ``None`` values, empty texts and empty lists are left out: GraphML readers read
empty data as absent. Nodes are sorted by id, edges by relationship id.

:func:`read_graphml` reads the file back with :func:`networkx.read_graphml` and undoes the
mapping above (``node_label`` is the label again, the display name is dropped), giving the
same knowledge base.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "aliases": ["A社", "甲社"]}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙", "span_line": 3}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "chair"}))
>>> document = graphml_bytes(kb)
>>> print([line for line in document.decode().split("\\n") if "span_line" in line][0])
  <key id="n_span_line" for="node" attr.name="span_line" attr.type="long"/>
>>> read_graphml(document) == kb
True
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.exports import xmltext
from biocluster_kg.graph.exports.common import (
    Domain,
    display_name,
    nonempty,
    ordered_properties,
    property_types,
    sorted_nodes,
    sorted_relationships,
    split_lists,
    value_text,
)
from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import PropertyType

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "GRAPHML_TYPES",
    "NODE_LABEL_KEY",
    "graphml_bytes",
    "read_graphml",
    "decode_graphml_graph",
]

_DOMAINS: tuple[Domain, ...] = ("node", "relationship")

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
SCHEMA_LOCATION = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"

#: The key holding a node's schema label (``label`` is the display name).
NODE_LABEL_KEY = "node_label"

#: Schema property type -> GraphML ``attr.type``.
GRAPHML_TYPES: dict[PropertyType, str] = {
    "string": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "string[]": "string",
}


def _key_id(domain: Domain, name: str) -> str:
    return f"{'n' if domain == 'node' else 'e'}_{name}"


def graphml_bytes(kb: KnowledgeBase) -> bytes:
    """The knowledge base as a GraphML document (UTF-8 bytes)."""
    nodes = [
        (node, nonempty(ordered_properties(node.properties, "node"))) for node in sorted_nodes(kb)
    ]
    rels = [
        (rel, nonempty(ordered_properties(rel.properties, "relationship")))
        for rel in sorted_relationships(kb)
    ]
    used = {
        "node": {name for _, pairs in nodes for name, _ in pairs},
        "relationship": {name for _, pairs in rels for name, _ in pairs},
    }
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(
        f'<graphml xmlns="{NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NAMESPACE} {SCHEMA_LOCATION}">\n'
    )
    out.write(
        "  <desc>biocluster-kg knowledge base. Node 'label' is the Japanese name, "
        f"'{NODE_LABEL_KEY}' the schema label; edge 'id' is the relationship id. List "
        "properties are joined with '|'.</desc>\n"
    )
    keys: list[tuple[Domain, str, str]] = [
        ("node", "label", "string"),
        ("node", NODE_LABEL_KEY, "string"),
    ]
    for domain in _DOMAINS:
        if domain == "relationship":
            keys += [("relationship", "id", "string"), ("relationship", "type", "string")]
        keys += [
            (domain, name, GRAPHML_TYPES[type_])
            for name, type_ in property_types(domain).items()
            if name in used[domain]
        ]
    for domain, name, graphml_type in keys:
        scope = "node" if domain == "node" else "edge"
        out.write(
            f'  <key id="{_key_id(domain, name)}" for="{scope}" '
            f'attr.name="{name}" attr.type="{graphml_type}"/>\n'
        )
    out.write('  <graph id="knowledge-base" edgedefault="directed">\n')
    node_types = property_types("node")
    for node, pairs in nodes:
        out.write(f'    <node id="{xmltext.attribute(node.id)}">\n')
        _data(out, "n_label", display_name(node))
        _data(out, _key_id("node", NODE_LABEL_KEY), node.label)
        for name, value in pairs:
            _data(out, _key_id("node", name), value_text(name, node_types[name], value))
        out.write("    </node>\n")
    rel_types = property_types("relationship")
    for rel, pairs in rels:
        out.write(
            f'    <edge source="{xmltext.attribute(rel.start)}" '
            f'target="{xmltext.attribute(rel.end)}">\n'
        )
        _data(out, "e_id", rel.id)
        _data(out, "e_type", rel.type)
        for name, value in pairs:
            _data(out, _key_id("relationship", name), value_text(name, rel_types[name], value))
        out.write("    </edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return out.getvalue().encode("utf-8")


def _data(out: io.StringIO, key: str, value: str) -> None:
    out.write(f'      <data key="{key}">{xmltext.text(value)}</data>\n')


def decode_graphml_graph(graph: nx.Graph) -> nx.MultiDiGraph:
    """The graph :func:`networkx.read_graphml` returns for our file, as the knowledge base's
    networkx form: the schema label back under ``label``, edges keyed by their ``id``
    attribute, lists split again."""
    import networkx as nx

    decoded = nx.MultiDiGraph()
    for node_id, data in graph.nodes(data=True):
        data = dict(data)
        data.pop("label", None)
        try:
            label = data.pop(NODE_LABEL_KEY)
        except KeyError:
            raise ExportError(f"node {node_id} has no {NODE_LABEL_KEY!r}") from None
        decoded.add_node(node_id, label=label, **split_lists(data, "node"))
    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        start, end, data = edge[0], edge[1], dict(edge[-1])
        try:
            key = data.pop("id")
        except KeyError:
            raise ExportError(f"edge {start} -> {end} has no 'id' attribute") from None
        decoded.add_edge(start, end, key=key, **split_lists(data, "relationship"))
    return decoded


def read_graphml(source: bytes | str | Path) -> KnowledgeBase:
    """A knowledge base from a file (path) or document (bytes) written by
    :func:`graphml_bytes`."""
    import networkx as nx

    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        graph = nx.read_graphml(stream)
    except Exception as error:  # networkx raises several kinds for a bad file
        raise ExportError(f"not a GraphML file of this project: {error}") from error
    return KnowledgeBase.from_networkx(decode_graphml_graph(graph))
