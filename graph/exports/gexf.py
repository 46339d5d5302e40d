"""GEXF 1.2 (``http://www.gexf.net/1.2draft``) with typed attributes, for Gephi and networkx.

The file validates against the official GEXF 1.2draft schema. Each property becomes an
``<attribute>`` (its ``id`` and ``title`` are the property name) with its schema type:
``string`` -> ``string``, ``int`` -> ``long``, ``float`` -> ``double``, ``bool`` ->
``boolean``, ``string[]`` -> ``liststring``.

A ``liststring`` value is written the way Gephi reads one: ``["item", "item"]``, every item
in double quotes with ``\\`` and ``"`` escaped by a backslash. That is the array syntax of
Gephi's graph store (``org.gephi.graph.impl.ArraysParser`` in gephi/graphstore, used by the
GEXF importer of Gephi 0.10 for every ``list*`` type): it splits on commas outside quotes,
so a ``|``-joined text would be one item and a bare item with a comma would be two.
Quoting every item, not only those that need it as Gephi's own writer does, keeps the rule
one line long. :func:`parse_list` reads that syntax back (Gephi's unquoted form too).

GEXF gives nodes and edges a ``label`` of their own, which Gephi shows on the canvas: a
node's ``label`` is its Japanese name and an edge's is its relationship type. The schema
label of a node, which networkx calls ``label``, is therefore the attribute ``node_label``
(as in the GraphML export).
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
>>> [line.strip() for line in document.decode().split("\\n") if 'for="aliases"' in line]
['<attvalue for="aliases" value="[&quot;A社&quot;, &quot;甲社&quot;]"/>']
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
    display_name,
    nonempty,
    ordered_properties,
    property_types,
    sorted_nodes,
    sorted_relationships,
    value_text,
)
from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import PropertyType

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "GEXF_TYPES",
    "NODE_LABEL_ATTRIBUTE",
    "format_list",
    "parse_list",
    "gexf_bytes",
    "read_gexf",
    "decode_gexf_graph",
]

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


def format_list(items: list[str]) -> str:
    """A ``liststring`` value in Gephi's array syntax, every item quoted.

    >>> print(format_list(["a,b", 'say "x"', "back\\\\slash"]))
    ["a,b", "say \\"x\\"", "back\\\\slash"]
    """
    quoted = ('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return "[" + ", ".join(quoted) + "]"


# Outside an item these only separate items (the array parser skips them).
_BETWEEN_ITEMS = frozenset("[]() \t\r\n,")


def parse_list(text: str) -> list[str]:
    """The items of a value in Gephi's array syntax, read as Gephi reads them.

    A port of ``ArraysParser.parseArray`` (gephi/graphstore): ``<empty>`` is the empty
    list; an item in single or double quotes runs to the closing quote, a backslash taking
    the next character as it is; an unquoted item runs to the next comma or closing
    bracket, trimmed. An unquoted ``null`` (a missing item, which a list here cannot hold)
    is an error.

    >>> parse_list(format_list(["a,b", 'say "x"', ""]))
    ['a,b', 'say "x"', '']
    >>> parse_list("[a, b c ,'d']"), parse_list("<empty>")
    (['a', 'b c', 'd'], [])
    """
    if text.lower() == "<empty>":
        return []
    items: list[str] = []
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char in _BETWEEN_ITEMS:
            position += 1
        elif char in "\"'":
            quote, item, escaped = char, [], False
            position += 1
            while position < end:
                char = text[position]
                position += 1
                if char == "\\" and not escaped:
                    escaped = True
                elif char == quote and not escaped:
                    break
                else:
                    # Gephi drops the backslash before any character, not only \\ and ".
                    item.append(char)
                    escaped = False
            items.append("".join(item))
        else:
            stop = position
            while stop < end and text[stop] not in ",)]":
                stop += 1
            value = text[position:stop].strip()
            if value == "null":
                raise ExportError(f"list {text!r} has a missing (null) item")
            items.append(value)
            position = stop + 1 if stop < end and text[stop] == "," else stop
    return items


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
        'type; edge id: relationship id. liststring values: ["item", ...], Gephi\'s array '
        "syntax.</description>\n"
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
        display = display_name(node)
        out.write(
            f'      <node id="{xmltext.attribute(node.id)}" label="{xmltext.attribute(display)}">\n'
        )
        values = [(NODE_LABEL_ATTRIBUTE, node.label)]
        values += [(name, _value(name, node_types[name], value)) for name, value in pairs]
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
        _attvalues(out, [(name, _value(name, rel_types[name], value)) for name, value in pairs])
        out.write("      </edge>\n")
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    return out.getvalue().encode("utf-8")


def _value(name: str, type_: PropertyType, value: Any) -> str:
    return format_list(value) if type_ == "string[]" else value_text(name, type_, value)


def _lists_parsed(data: dict[str, Any], domain: Domain) -> dict[str, Any]:
    types = property_types(domain)
    return {
        name: parse_list(value)
        if types.get(name) == "string[]" and isinstance(value, str)
        else value
        for name, value in data.items()
    }


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
        decoded.add_node(node_id, label=label, **_lists_parsed(data, "node"))
    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        start, end, data = edge[0], edge[1], dict(edge[-1])
        try:
            key, type_ = data.pop("id"), data.pop("label")
        except KeyError:
            raise ExportError(f"edge {start} -> {end} lacks its id or label") from None
        decoded.add_edge(start, end, key=key, type=type_, **_lists_parsed(data, "relationship"))
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
