"""Validated records and the knowledge base they form.

A :class:`KnowledgeBase` is what every loader produces and every backend, analysis, page
and export consumes. Its networkx form is a ``MultiDiGraph``: node attributes are ``label``
plus the node's properties, edge attributes are ``type`` plus the relationship's
properties, and the edge key is the relationship id.

>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "name_en": "A"}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙", "name_en": "B"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "member"}))
>>> g = kb.to_networkx()
>>> g.nodes["org:a"]["label"], g.edges["org:a", "body:b", "r1"]["type"]
('Organization', 'MEMBER_OF')
>>> KnowledgeBase.from_networkx(g) == kb
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Origin", "Citation", "Node", "Relationship", "SourceDocument", "KnowledgeBase"]


@dataclass(frozen=True)
class Origin:
    """Where a record was written: a data file and the line of the record."""

    file: str
    line: int | None = None


@dataclass(frozen=True)
class Citation:
    """One place of a source that states a fact: a span and the line it starts on (a text
    source), or a row and the cells it relies on (a table source: ``line`` is the row as the
    spreadsheet numbers it, the header being row 1)."""

    source_id: str
    span: str
    line: int | None
    sheet: str | None = None
    columns: tuple[str, ...] = ()
    origin: Origin | None = field(default=None, compare=False)

    @property
    def is_row(self) -> bool:
        return bool(self.columns)

    def text(self) -> str:
        """The citation as one line: ``source:line: span`` for text, ``source:row N: column=cell;
        ...`` for a table row (``source:sheet!row N`` when the sheet is named).

        >>> Citation("s", "会長：知事", 3).text()
        's:3: 会長：知事'
        >>> Citation("t", "甲社\\t45", 4, None, ("企業名", "従業員数")).text()
        't:row 4: 企業名=甲社; 従業員数=45'
        """
        if not self.is_row:
            return f"{self.source_id}:{self.line}: {self.span}"
        sheet = f"{self.sheet}!" if self.sheet else ""
        cells = "; ".join(
            f"{column}={cell}"
            for column, cell in zip(self.columns, self.span.split("\t"), strict=False)
        )
        return f"{self.source_id}:{sheet}row {self.line}: {cells}"


@dataclass
class Node:
    """One node: id, its single label and its properties (id and label not repeated)."""

    id: str
    label: str
    properties: dict[str, Any]
    origin: Origin | None = field(default=None, compare=False, repr=False)
    #: Every place that states the node (the loader's; not stored: ``citations`` is).
    citations: list[Citation] = field(default_factory=list, compare=False, repr=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.properties.get(name, default)


@dataclass
class Relationship:
    """One relationship from ``start`` to ``end`` node ids, with its properties."""

    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any]
    origin: Origin | None = field(default=None, compare=False, repr=False)
    citations: list[Citation] = field(default_factory=list, compare=False, repr=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.properties.get(name, default)


@dataclass(frozen=True)
class SourceDocument:
    """A source the knowledge base cites, with its text as stored in data/sources/.

    A table source (CSV, XLSX) also keeps its ``sheets``: each sheet's rows of cell texts,
    the header first; its ``text`` is the rows as tab-separated lines, sheet after sheet."""

    id: str
    path: str
    title: str
    text: str = field(repr=False)
    publisher: str = ""
    origin_note: str = ""
    sheets: dict[str, list[list[str]]] | None = field(default=None, repr=False, compare=False)


@dataclass
class KnowledgeBase:
    """Nodes and relationships keyed by id, plus the sources they cite."""

    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    sources: dict[str, SourceDocument] = field(default_factory=dict, compare=False)

    def add_node(self, node: Node) -> None:
        self.nodes[node.id] = node

    def add_relationship(self, rel: Relationship) -> None:
        self.relationships[rel.id] = rel

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, sorted by name."""
        counter: Counter[str] = Counter()
        for node in self.nodes.values():
            counter[node.label] += 1
        for rel in self.relationships.values():
            counter[rel.type] += 1
        return dict(sorted(counter.items()))

    def nodes_with_label(self, label: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.label == label]

    def relationships_of_type(self, type_: str) -> list[Relationship]:
        return [r for r in self.relationships.values() if r.type == type_]

    def to_networkx(self) -> nx.MultiDiGraph:
        import networkx as nx

        graph = nx.MultiDiGraph()
        for node in sorted(self.nodes.values(), key=lambda n: n.id):
            graph.add_node(node.id, label=node.label, **node.properties)
        for rel in sorted(self.relationships.values(), key=lambda r: r.id):
            graph.add_edge(rel.start, rel.end, key=rel.id, type=rel.type, **rel.properties)
        return graph

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> KnowledgeBase:
        kb = cls()
        for node_id, data in graph.nodes(data=True):
            props = {k: v for k, v in data.items() if k != "label"}
            kb.add_node(Node(node_id, data["label"], props))
        for start, end, key, data in graph.edges(keys=True, data=True):
            props = {k: v for k, v in data.items() if k != "type"}
            kb.add_relationship(Relationship(key, data["type"], start, end, props))
        return kb
