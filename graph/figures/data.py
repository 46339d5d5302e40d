"""What the figures and the report draw, read straight from the knowledge base.

Both pictures (:mod:`.budget`, :mod:`.education`) and the report's tables use these rows, so
a number in a chart and the same number in a table cannot disagree. They read the knowledge
base itself, not a store: a report needs no database, and a planner's laptop has none.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("prog:b", "Program", {"name_ja": "予算", "name_en": "Budget",
...     "amount_thousand_yen": 30, "span_line": 1}))
>>> kb.add_node(Node("prog:x", "Program", {"name_ja": "甲", "name_en": "X",
...     "amount_thousand_yen": 10, "span_line": 2}))
>>> kb.add_node(Node("prog:y", "Program", {"name_ja": "乙", "name_en": "Y", "span_line": 3}))
>>> kb.add_node(Node("prog:z", "Program", {"name_ja": "丙", "name_en": "Z",
...     "amount_thousand_yen": 20, "span_line": 4}))
>>> for rel_id, start, end in (("r1", "prog:x", "prog:b"), ("r2", "prog:y", "prog:b"),
...                            ("r3", "prog:z", "prog:y")):
...     kb.add_relationship(Relationship(rel_id, "PART_OF", start, end, {}))
>>> [(line.id, line.depth, line.total) for line in budget_lines(kb, "prog:b")]
[('prog:b', 0, 30), ('prog:x', 1, 10), ('prog:y', 1, 20), ('prog:z', 2, 20)]

A part without an amount of its own or of its parts leaves its line without a total:

>>> kb.add_node(Node("prog:w", "Program", {"name_ja": "丁", "name_en": "W", "span_line": 5}))
>>> kb.add_relationship(Relationship("r4", "PART_OF", "prog:w", "prog:y", {}))
>>> [(line.id, line.total) for line in budget_lines(kb, "prog:b")][2:]
[('prog:y', None), ('prog:z', 20), ('prog:w', None)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.model import KnowledgeBase, Node
from biocluster_kg.kernel.schema import SCHEMA

__all__ = ["BudgetLine", "Series", "budget_lines", "budget_leaves", "year_series"]

_NO_LINE = 1 << 30


@dataclass(frozen=True)
class BudgetLine:
    """One line of the budget tree, in the source's order.

    ``link`` is ``part`` (a part of its parent, added into it) or ``breakdown`` (one item of
    an alternative split, 内訳, listed but not added); ``stated`` is the amount the source
    writes (千円), ``total`` that or, failing it, the sum of the parts.
    """

    id: str
    parent: str | None
    depth: int
    link: str | None
    number: str | None
    name_ja: str
    name_en: str
    stated: int | None
    total: int | None
    node: Node

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en


def _children(kb: KnowledgeBase) -> dict[str, list[tuple[str, str]]]:
    part = set(SCHEMA.types_meaning("part_of"))
    breakdown = set(SCHEMA.types_meaning("breakdown"))
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rel in kb.relationships.values():
        if rel.type not in part | breakdown:
            continue
        start, end = kb.nodes.get(rel.start), kb.nodes.get(rel.end)
        if start is None or end is None or start.label != "Program" or end.label != "Program":
            continue
        children[rel.end].append(("part" if rel.type in part else "breakdown", rel.start))
    return children


def budget_lines(kb: KnowledgeBase, root_id: str) -> list[BudgetLine]:
    """Every programme line under ``root_id`` (PART_OF and BREAKDOWN_OF), parents first.

    Siblings follow the source's line order, parts before breakdowns; each line appears
    once, under the first parent that reaches it.

    Raises
    ------
    RenderError
        If ``root_id`` is not a programme of the knowledge base.
    """
    root = kb.nodes.get(root_id)
    if root is None or root.label != "Program":
        raise RenderError(f"no budget {root_id!r} (a Program) in the knowledge base")
    children = _children(kb)

    def order(entry: tuple[str, str]) -> tuple[bool, int, str]:
        link, child = entry
        line = kb.nodes[child].get("span_line")
        return (link == "breakdown", line if isinstance(line, int) else _NO_LINE, child)

    totals: dict[str, int | None] = {}

    def total(line_id: str, trail: frozenset[str]) -> int | None:
        # A line without an amount counts as the sum of its parts (never of its breakdowns),
        # and only when every part has an amount: the sum of some parts is not the line's
        # total (issue 17, as the query budget_tree has it).
        if line_id in totals:
            return totals[line_id]
        stated = kb.nodes[line_id].get("amount_thousand_yen")
        value: int | None = stated if isinstance(stated, int) else None
        if value is None:
            parts = [
                total(child, trail | {line_id})
                for link, child in children.get(line_id, [])
                if link == "part" and child not in trail
            ]
            known = [part for part in parts if part is not None]
            value = sum(known) if known and len(known) == len(parts) else None
        totals[line_id] = value
        return value

    lines: list[BudgetLine] = []
    seen: set[str] = set()
    stack: list[tuple[str, str | None, str | None, int]] = [(root_id, None, None, 0)]
    while stack:
        line_id, parent, link, depth = stack.pop()
        if line_id in seen:
            continue
        seen.add(line_id)
        node = kb.nodes[line_id]
        stated = node.get("amount_thousand_yen")
        lines.append(
            BudgetLine(
                id=line_id,
                parent=parent,
                depth=depth,
                link=link,
                number=node.get("number_label"),
                name_ja=str(node.get("name_ja") or line_id),
                name_en=str(node.get("name_en") or line_id),
                stated=stated if isinstance(stated, int) else None,
                total=total(line_id, frozenset()),
                node=node,
            )
        )
        for child_link, child in sorted(children.get(line_id, []), key=order, reverse=True):
            stack.append((child, line_id, child_link, depth + 1))
    return lines


def budget_leaves(lines: list[BudgetLine]) -> list[BudgetLine]:
    """The lines a picture of the budget divides it into: the deepest parts that state an
    amount, with no breakdown (内訳) counted, so the pieces add up to the root."""
    by_parent: dict[str | None, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        by_parent[line.parent].append(line)
    leaves: list[BudgetLine] = []

    def visit(line: BudgetLine) -> None:
        parts = [child for child in by_parent.get(line.id, []) if child.link == "part"]
        stated_parts = [child for child in parts if child.total is not None]
        # A line that states its own amount is one piece (its parts, such as 継続2名 and
        # 新規1名, are detail the tree shows); the root and lines that state nothing are
        # split into their parts. Parts that state nothing (a description of the work) do
        # not split anything.
        if stated_parts and (line.stated is None or line.parent is None):
            for child in stated_parts:
                visit(child)
        elif line.total is not None:
            leaves.append(line)

    if lines:
        visit(lines[0])
    return leaves


@dataclass(frozen=True)
class Series:
    """One line of a year chart: what is counted, its unit, and a value per fiscal year."""

    key: str
    group: str
    name_ja: str
    name_en: str
    unit_ja: str
    unit_en: str
    values: dict[int, int]
    nodes: tuple[Node, ...]

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def unit(self, lang: str) -> str:
        return self.unit_ja if lang == "ja" else self.unit_en


#: A year or count at the end of a name: "研究助手（H24同9名）", "(FY2012)", ", FY2011".
_TRAILING_NOTE = re.compile(r"\s*(?:[（(][^（()）]*[)）]|,\s*FY\s*\d{4})\s*$")
_UNITS_EN = {"名": "people", "校": "schools", "件": "cases", "社": "companies"}


def _stem(name: str) -> str:
    return _TRAILING_NOTE.sub("", name).strip() or name


def year_series(kb: KnowledgeBase, figure_kinds: tuple[str, ...] = ("education",)) -> list[Series]:
    """The education figures and the events' attendance and school counts, by fiscal year.

    One series per metric of a :class:`Figure` of ``figure_kinds`` and per (event name,
    attendance or schools); a name's bracketed year note is dropped so that the years of one
    series share a name. Nodes without a fiscal year are left out. The same question as the
    query library's ``education_and_event_figures``.
    """
    grouped: dict[tuple[str, str, str], list[Node]] = defaultdict(list)
    for node in sorted(kb.nodes.values(), key=lambda n: n.id):
        year = node.get("fiscal_year")
        if not isinstance(year, int):
            continue
        if node.label == "Figure" and node.get("kind") in figure_kinds:
            grouped[("figure", str(node.get("metric")), str(node.get("unit_ja") or ""))].append(
                node
            )
        elif node.label == "Event":
            stem = _stem(str(node.get("name_ja") or node.id))
            if isinstance(node.get("attendance"), int):
                grouped[("attendance", stem, "名")].append(node)
            if isinstance(node.get("school_count"), int):
                grouped[("schools", stem, "校")].append(node)
    series: list[Series] = []
    for (group, key, unit), nodes in grouped.items():
        first = nodes[0]
        name_ja, name_en = _stem(str(first.get("name_ja"))), _stem(str(first.get("name_en")))
        if group == "attendance":
            name_ja, name_en = f"{name_ja} 参加者数", f"{name_en}: participants"
        elif group == "schools":
            name_ja, name_en = f"{name_ja} 参加校数", f"{name_en}: schools"
        field = {"figure": "value", "attendance": "attendance", "schools": "school_count"}[group]
        values = {int(node.get("fiscal_year")): int(node.get(field)) for node in nodes}
        series.append(
            Series(
                key=f"{group}:{key}",
                group="figure" if group == "figure" else "event",
                name_ja=name_ja,
                name_en=name_en,
                unit_ja=unit,
                unit_en=_UNITS_EN.get(unit, unit),
                values=dict(sorted(values.items())),
                nodes=tuple(nodes),
            )
        )
    return sorted(series, key=lambda s: (s.group != "figure", s.unit_ja, s.key))
