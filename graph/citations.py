"""The printed report's citations: each fact it shows gets a number ``[n]``, and its sources
section gives, for each number, the document, the line, the span the fact quotes and how
the fact is known (issue 17): stated in the words, read from the slide's layout, or
inferred, with the curator's reason for anything not stated. A number whose fact is not
stated carries a mark in the text itself (:data:`BASIS_MARKS`), so a reader sees it without
turning to the sources.

>>> from biocluster_kg.kernel.model import Citation, KnowledgeBase, Node
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"span": "甲", "source_doc": "s",
...     "span_line": 3, "basis": "layout", "basis_reason": "in the box"}))
>>> cite = Citations(kb)
>>> cite.cite(kb.nodes["org:a"]), cite.mark(1)
(1, '†')
>>> entry = cite.entries("ja", "{line}行目")[0]
>>> entry["line"], entry["basis"], entry["more"]
('3行目', '図の配置（in the box）', [])

A fact several sources state (a text and a table row) lists every place, in the order the
loader met them; a table row shows the cells the fact relies on:

>>> kb.add_node(Node("org:b", "Organization", {"span": "乙", "source_doc": "s", "span_line": 5},
...     citations=[Citation("s", "乙", 5), Citation("t", "乙社\\t45", 2, None, ("名", "人数"))]))
>>> cite.cite(kb.nodes["org:b"])
2
>>> cite.entries("ja", "{line}行目", "{line}行目")[1]["more"]
[{'document': 't', 'line': '2行目', 'span': '名=乙社、人数=45'}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from biocluster_kg.kernel.basis import basis_reason, basis_text
from biocluster_kg.kernel.model import Citation, KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import DEFAULT_BASIS

__all__ = ["BASIS_MARKS", "Citations"]

#: The mark a citation number carries when its fact is not stated in words.
BASIS_MARKS: dict[str, str] = {"layout": "†", "inferred": "‡"}


@dataclass
class Citations:
    """Numbers the facts a report shows, in order of first use, each once."""

    kb: KnowledgeBase
    order: list[Node | Relationship] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, record: Node | Relationship | None) -> int | None:
        """The number of ``record`` (None when it cites no span)."""
        if record is None or not record.get("span"):
            return None
        key = f"{type(record).__name__}:{record.id}"
        if key not in self.numbers:
            self.order.append(record)
            self.numbers[key] = len(self.order)
        return self.numbers[key]

    def mark(self, number: int | None) -> str:
        """The mark of citation ``number``: empty for a stated fact."""
        if not number:
            return ""
        return BASIS_MARKS.get(str(self.order[number - 1].get("basis") or DEFAULT_BASIS), "")

    def entries(
        self, lang: str, line_words: str, row_words: str | None = None
    ) -> list[dict[str, Any]]:
        """The sources section: one entry per number; ``line_words`` formats a text's line,
        ``row_words`` a table's row (``line_words`` if not given). The entry's document,
        line and span are its first place; ``more`` lists the places after it."""
        entries = []
        for number, record in enumerate(self.order, start=1):
            places = [
                self._place(c, line_words, row_words or line_words, lang) for c in record.citations
            ] or [self._place(_own_citation(record), line_words, line_words, lang)]
            entries.append(
                {
                    "number": number,
                    **places[0],
                    "more": places[1:],
                    "basis": basis_text(
                        record.get("basis") or DEFAULT_BASIS, basis_reason(record, lang), lang
                    ),
                }
            )
        return entries

    def _place(
        self, citation: Citation, line_words: str, row_words: str, lang: str
    ) -> dict[str, str]:
        source = self.kb.sources.get(citation.source_id)
        words = row_words if citation.is_row else line_words
        where = words.format(line=citation.line) if citation.line else ""
        if citation.is_row and citation.sheet:
            where = f"{citation.sheet}!{where}"
        span = citation.span
        if citation.is_row:
            cells = zip(citation.columns, citation.span.split("\t"), strict=False)
            span = ("、" if lang == "ja" else "; ").join(f"{c}={v}" for c, v in cells)
        return {
            "document": source.title if source else citation.source_id,
            "line": where,
            "span": span,
        }


def _own_citation(record: Node | Relationship) -> Citation:
    """The one citation a fact's properties name (a knowledge base built in memory or read
    back from a store, where the loader's citations are not kept)."""
    line = record.get("span_line")
    return Citation(
        str(record.get("source_doc")),
        str(record.get("span")),
        line if isinstance(line, int) else None,
    )
