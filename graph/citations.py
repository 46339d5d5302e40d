"""The printed report's citations: each fact it shows gets a number ``[n]``, and its sources
section gives, for each number, the document, the line, the span the fact quotes and how
the fact is known (issue 17): stated in the words, read from the slide's layout, or
inferred, with the curator's reason for anything not stated. A number whose fact is not
stated carries a mark in the text itself (:data:`BASIS_MARKS`), so a reader sees it without
turning to the sources.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"span": "甲", "source_doc": "s",
...     "span_line": 3, "basis": "layout", "basis_reason": "in the box"}))
>>> cite = Citations(kb)
>>> cite.cite(kb.nodes["org:a"]), cite.mark(1)
(1, '†')
>>> entry = cite.entries("ja", "{line}行目")[0]
>>> entry["line"], entry["basis"]
('3行目', '図の配置（in the box）')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from biocluster_kg.kernel.basis import basis_text
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
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

    def entries(self, lang: str, line_words: str) -> list[dict[str, Any]]:
        """The sources section: one entry per number; ``line_words`` formats the line."""
        entries = []
        for number, record in enumerate(self.order, start=1):
            source = self.kb.sources.get(str(record.get("source_doc")))
            line = record.get("span_line")
            entries.append(
                {
                    "number": number,
                    "document": source.title if source else str(record.get("source_doc")),
                    "line": line_words.format(line=line) if line else "",
                    "span": str(record.get("span")),
                    "basis": basis_text(
                        record.get("basis") or DEFAULT_BASIS, record.get("basis_reason"), lang
                    ),
                }
            )
        return entries
