"""GEXF 1.2 (``http://www.gexf.net/1.2draft``) with typed attributes, for Gephi and networkx.

The file validates against the official GEXF 1.2draft schema. Each property becomes an
``<attribute>`` (its ``id`` and ``title`` are the property name) with its schema type:
``string`` -> ``string``, ``int`` -> ``long``, ``float`` -> ``double``, ``bool`` ->
``boolean``, ``string[]`` -> ``liststring`` with the items joined by ``|`` (an item
containing ``|`` is an error).

GEXF gives nodes and edges a ``label`` of their own, which Gephi shows on the canvas: a
node's ``label`` is its Japanese name and an edge's is its relationship type. The schema
label of a node, which networkx calls ``label``, is therefore the attribute ``node_label``.
The ``<edge id>`` is the relationship id. ``None`` values, empty texts and empty lists are
left out. Nodes are sorted by id, edges by relationship id; there is no date in ``<meta>``,
so the same knowledge base always gives the same bytes.

:func:`read_gexf` reads the file back with :func:`networkx.read_gexf` and undoes the
mapping above, giving the same knowledge base.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "aliases": ["A社", "甲社"]}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "chair"}))
>>> document = gexf_bytes(kb)
>>> [line.strip() for line in document.decode().split("\\n") if 'type="liststring"' in line]
['<attribute id="aliases" title="aliases" type="liststring"/>']
>>> read_gexf(document) == kb
True
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.exports import xmltext
from biocluster_kg.graph.exports.common import (
    Domain,
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

__all__ = ["GEXF_TYPES", "NODE_LABEL_ATTRIBUTE", "gexf_bytes", "read_gexf", "decode_gexf_graph"]

_DOMAINS: tuple[Domain, ...] = ("node", "relationship")

NAMESPACE = "http://www.gexf.net/1.2draft"
SCHEMA_LOCATION = "http://www.gexf.net/1.2draft/gexf.xsd"

#: The attribute holding a node's schema label (GEXF's own ``label`` is the display name).
NODE_LABEL_ATTRIBUTE = "node_label"

#: Schema property type -> GEXF attribute type.
GEXF_TYPES: dict[PropertyType, str] = {
    "string": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "string[]": "liststring",
}


def gexf_bytes(kb: KnowledgeBase) -> bytes:
    """The knowledge base as a GEXF 1.2 document (UTF-8 bytes)."""
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
        f'<gexf xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NAMESPACE} {SCHEMA_LOCATION}" version="1.2">\n'
    )
    out.write("  <meta>\n    <creator>biocluster-kg</creator>\n")
    out.write(
        "    <description>Knowledge base of the Yamagata bio cluster. Node label: Japanese "
        f"name; attribute {NODE_LABEL_ATTRIBUTE}: schema label. Edge label: relationship "
        "type; edge id: relationship id. liststring items are joined with '|'.</description>\n"
    )
    out.write("  </meta>\n")
    out.write('  <graph defaultedgetype="directed" mode="static">\n')
    for domain in _DOMAINS:
        attributes = [
            (name, GEXF_TYPES[type_])
            for name, type_ in property_types(domain).items()
            if name in used[domain]
        ]
        if domain == "node":
            attributes.insert(0, (NODE_LABEL_ATTRIBUTE, "string"))
        if not attributes:
            continue
        scope = "node" if domain == "node" else "edge"
        out.write(f'    <attributes class="{scope}" mode="static">\n')
        for name, gexf_type in attributes:
            out.write(f'      <attribute id="{name}" title="{name}" type="{gexf_type}"/>\n')
        out.write("    </attributes>\n")
    out.write(f'    <nodes count="{len(nodes)}">\n')
    node_types = property_types("node")
    for node, pairs in nodes:
        display = str(node.get("name_ja") or node.id)
        out.write(
            f'      <node id="{xmltext.attribute(node.id)}" label="{xmltext.attribute(display)}">\n'
        )
        values = [(NODE_LABEL_ATTRIBUTE, node.label)]
        values += [(name, value_text(name, node_types[name], value)) for name, value in pairs]
        _attvalues(out, values)
        out.write("      </node>\n")
    out.write("    </nodes>\n")
    out.write(f'    <edges count="{len(rels)}">\n')
    rel_types = property_types("relationship")
    for rel, pairs in rels:
        out.write(
            f'      <edge id="{xmltext.attribute(rel.id)}" '
            f'source="{xmltext.attribute(rel.start)}" target="{xmltext.attribute(rel.end)}" '
            f'label="{xmltext.attribute(rel.type)}">\n'
        )
        _attvalues(out, [(name, value_text(name, rel_types[name], value)) for name, value in pairs])
        out.write("      </edge>\n")
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    return out.getvalue().encode("utf-8")


def _attvalues(out: io.StringIO, values: list[tuple[str, str]]) -> None:
    if not values:
        return
    out.write("        <attvalues>\n")
    for name, value in values:
        out.write(f'          <attvalue for="{name}" value="{xmltext.attribute(value)}"/>\n')
    out.write("        </attvalues>\n")


def decode_gexf_graph(graph: nx.Graph) -> nx.MultiDiGraph:
    """The graph :func:`networkx.read_gexf` returns for our file, as the knowledge base's
    networkx form (see the module docstring for the mapping undone here)."""
    import networkx as nx

    decoded = nx.MultiDiGraph()
    for node_id, data in graph.nodes(data=True):
        data = dict(data)
        data.pop("label", None)
        try:
            label = data.pop(NODE_LABEL_ATTRIBUTE)
        except KeyError:
            raise ExportError(f"node {node_id} has no {NODE_LABEL_ATTRIBUTE!r}") from None
        decoded.add_node(node_id, label=label, **split_lists(data, "node"))
    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        start, end, data = edge[0], edge[1], dict(edge[-1])
        try:
            key, type_ = data.pop("id"), data.pop("label")
        except KeyError:
            raise ExportError(f"edge {start} -> {end} lacks its id or label") from None
        decoded.add_edge(start, end, key=key, type=type_, **split_lists(data, "relationship"))
    return decoded


def read_gexf(source: bytes | str | Path) -> KnowledgeBase:
    """A knowledge base from a file (path) or document (bytes) written by
    :func:`gexf_bytes`."""
    import networkx as nx

    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        graph = nx.read_gexf(stream)
    except Exception as error:  # networkx raises several kinds for a bad file
        raise ExportError(f"not a GEXF file of this project: {error}") from error
    return KnowledgeBase.from_networkx(decode_gexf_graph(graph))
