"""What the page says about each node and edge: names, sizes and the rows of its card.

A card is a list of ``[heading, text]`` rows of plain text (the page's script puts them in
with ``textContent``); this module decides what goes in them, in the page's language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from biocluster_kg.graph.page.options import LABEL_COLUMNS
from biocluster_kg.graph.page.selection import Subgraph
from biocluster_kg.graph.page.styles import NO_SECTOR
from biocluster_kg.graph.page.texts import NO_SECTOR_NAMES, OWN_MEASURE_NAMES, page_texts
from biocluster_kg.kernel.basis import basis_reason, basis_text
from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import SCHEMA
from biocluster_kg.kernel.sectors import effective_sectors

__all__ = ["PageBuilder", "short_label", "years_of", "source_of", "citations_of"]

#: A card lists at most this many posts and roles of one node.
ROLE_LINES = 12

#: Node properties that can size the nodes, first with a positive value wins. Betweenness
#: comes first: on the shipped data bridge_score is positive for two actors only.
_SCORE_PROPERTIES = ("betweenness", "bridge_score")
#: Computed measures a card lists, with how to show them.
_MEASURE_ROWS = ("betweenness", "bridge_score", "degree", "constraint", "effective_size")
_ROLE_TYPES = ("MEMBER_OF", "PARTICIPATES_IN")
_SPAN_LIMIT = 240


_LATIN_WORD = re.compile(r"[A-Za-z]+")
_JAPANESE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def _written_in_english(text: str) -> bool:
    """Whether a curator's text is English prose (names quoted in Japanese aside): more
    Latin words than runs of Japanese (a quoted heading is one run, however long).

    >>> _written_in_english("The source calls it 慶應先端研 (defined here)")
    True
    >>> _written_in_english("① is indented under (3) バイオクラスター形成促進事業の実施")
    True
    >>> _written_in_english("平成24年度の委員会で HMT が報告")
    False
    """
    return len(_LATIN_WORD.findall(text)) > len(_JAPANESE_RUN.findall(text))


def _fold(text: str, limit: int = _SPAN_LIMIT) -> str:
    """Text with runs of spaces (and, within a line, tabs) made one space, cut to ``limit``.

    >>> _fold("a  b\\n c", 10)
    'a b\\nc'
    """
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _year_text(record: Node | Relationship, prefix: str, lang: str) -> str | None:
    year = record.get(prefix)
    if not isinstance(year, int) or isinstance(year, bool):
        return None
    written = record.get(f"{prefix}_ja")
    if lang == "ja":
        return f"{written}（{year}年度）" if written else f"{year}年度"
    return f"FY{year}" + (f" ({written})" if written else "")


def years_of(record: Node | Relationship) -> list[int | None] | None:
    """[first, last] fiscal year a record applies to (None = open), or None if timeless."""

    def year(name: str) -> int | None:
        value = record.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    single = year("fiscal_year")
    if single is not None:
        return [single, single]
    start, end = year("fiscal_year_start"), year("fiscal_year_end")
    if start is None and end is None:
        return None
    return [start, end]


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def source_of(record: Node | Relationship, source_index: dict[str, int]) -> list[Any] | None:
    """[index into the page's source titles, line, span] of the record's citation."""
    doc, span = record.get("source_doc"), record.get("span")
    if not doc and not span:
        return None
    index = source_index.setdefault(doc or "", len(source_index))
    return [index, _number(record.get("span_line")), _fold(span or "")]


def citations_of(record: Node | Relationship) -> list[str] | None:
    """Every citation of a fact stated by several sources or by a table's row (the loader's
    ``citations``), or None when its one text span is all there is.

    >>> citations_of(Node("org:a", "Organization", {"citations": ["s:1: 甲", "t:row 2: 名=甲"]}))
    ['s:1: 甲', 't:row 2: 名=甲']
    """
    cites = record.get("citations")
    return [_fold(str(c)) for c in cites] if cites else None


def short_label(name: str, columns: int = LABEL_COLUMNS) -> str:
    """A canvas label: the name cut to ``columns`` terminal columns (CJK counts two).

    >>> short_label("慶應義塾大学先端生命科学研究所", 16)
    '慶應義塾大学先…'
    """
    used = 0
    for index, char in enumerate(name):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > columns:
            return name[: max(index - 1, 1)] + "…"
    return name


def _readable(name: str, code: str) -> str:
    """A vocabulary's name for ``code``; a code the vocabulary does not know (data written
    before the schema learned it) is shown with spaces for underscores.

    >>> _readable("支援機関", "support_organization"), _readable("new_kind", "new_kind")
    ('支援機関', 'new kind')
    """
    return code.replace("_", " ") if name == code else name


def _score_text(value: float) -> str:
    return f"{value:.3f}"


class PageBuilder:
    """Turns a knowledge base (and the subgraph shown) into vis nodes, edges and page data."""

    def __init__(
        self,
        kb: KnowledgeBase,
        subgraph: Subgraph,
        lang: str,
        measures: Mapping[str, float] | None,
        profile: ClusterProfile,
    ):
        self.kb = kb
        self.subgraph = subgraph
        self.lang = lang
        self.profile = profile
        self.texts = page_texts(lang, profile.title(lang))
        self.sector_of = effective_sectors(kb)
        self.scores, self.measure_name = self._scores(measures)
        self.top_score = max(self.scores.values(), default=0.0)
        self.source_index: dict[str, int] = {}
        self.incident: dict[str, list[Relationship]] = defaultdict(list)
        for rel_id in sorted(subgraph.relationships):
            rel = kb.relationships[rel_id]
            self.incident[rel.start].append(rel)
            self.incident[rel.end].append(rel)

    # names and styles

    def name(self, node_id: str) -> str:
        node = self.kb.nodes[node_id]
        first, second = ("name_ja", "name_en") if self.lang == "ja" else ("name_en", "name_ja")
        return str(node.get(first) or node.get(second) or node_id)

    def other_name(self, node_id: str) -> str | None:
        other = self.kb.nodes[node_id].get("name_en" if self.lang == "ja" else "name_ja")
        return str(other) if other and other != self.name(node_id) else None

    def sector_key(self, node_id: str) -> str:
        return self.sector_of.get(node_id) or NO_SECTOR

    # Every name of a code below comes from the schema's vocabularies: the page keeps no
    # dictionary of its own, so a kind or role added to the schema is named here at once.

    def sector_name(self, key: str) -> str:
        if key == NO_SECTOR:
            return NO_SECTOR_NAMES[self.lang]
        return SCHEMA.term_name("sector", key, self.lang)

    def label_name(self, label: str) -> str:
        return SCHEMA.node(label).display_name(self.lang) if SCHEMA.has_label(label) else label

    def kind_name(self, label: str, kind: str) -> str:
        return _readable(SCHEMA.kind_name(label, kind, self.lang), kind)

    def type_name(self, type_: str) -> str:
        return SCHEMA.relationship(type_).display_name(self.lang)

    def term_name(self, prop: str, code: str) -> str:
        return _readable(SCHEMA.term_name(prop, code, self.lang), code)

    @property
    def measure_title(self) -> str | None:
        """What the measure that sizes the nodes is called, in the page's language."""
        if self.measure_name is None:
            return None
        if self.measure_name == "measures":
            return OWN_MEASURE_NAMES[self.lang]
        return SCHEMA.property_title(self.measure_name, self.lang)

    def source_titles(self) -> list[str]:
        titles = [""] * len(self.source_index)
        for doc, index in self.source_index.items():
            titles[index] = self.kb.sources[doc].title if doc in self.kb.sources else doc
        return titles

    def _scores(self, measures: Mapping[str, float] | None) -> tuple[dict[str, float], str | None]:
        def usable(value: Any) -> bool:
            return (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            )

        if measures is not None:
            return {k: float(v) for k, v in measures.items() if usable(v)}, "measures"
        for prop in _SCORE_PROPERTIES:
            scores = {
                node_id: float(node.get(prop))
                for node_id, node in self.kb.nodes.items()
                if usable(node.get(prop))
            }
            if any(score > 0 for score in scores.values()):
                return scores, prop
        return {}, None

    def node_value(self, node_id: str) -> float:
        if self.top_score <= 0:
            return 1.0
        # A square root keeps the many small scores visible beside the few brokers.
        share = max(self.scores.get(node_id, 0.0), 0.0) / self.top_score
        return round(1.0 + 9.0 * share**0.5, 2)

    # what a tooltip says, as [heading, text] rows of plain text

    def node_rows(self, node: Node) -> list[list[str]]:
        texts, rows = self.texts, []
        kind = node.get("kind")
        kind_text = f" · {self.kind_name(node.label, str(kind))}" if kind else ""
        rows.append([texts["row_kind"], self.label_name(node.label) + kind_text])
        sector = self.sector_of.get(node.id)
        if sector:
            rows.append([texts["row_sector"], self.sector_name(sector)])
        if node.get("aliases"):
            rows.append([texts["row_aliases"], "、".join(map(str, node.get("aliases")))])
        roles = self._roles(node.id)
        if roles:
            rows.append([texts["row_roles"], "\n".join(roles)])
        for heading, text in (
            ("row_amount", self._amount_text(node)),
            ("row_year", self._years_text(node)),
            ("row_date", node.get("date_ja") or node.get("date_start")),
            ("row_count", self._count_text(node)),
            ("row_value", self._figure_text(node)),
            ("row_status", self._term_text(node, "status")),
            ("row_field", self._field_text(node)),
            ("row_place", node.get("location_ja")),
            ("row_description", node.get("description_ja")),
            ("row_score", self._score_row(node)),
            ("row_basis", self._basis_text(node)),
            ("row_note", self._curator_text(node.get("note"))),
        ):
            if text:
                rows.append([texts[heading], _fold(str(text), 600)])
        return rows

    def _roles(self, node_id: str) -> list[str]:
        """Whose post this is, the posts it has, then its seats and parts, in that order."""
        post_of, posts, roles = [], [], []
        for rel in self.incident.get(node_id, ()):
            if rel.type in _ROLE_TYPES and rel.start == node_id:
                role = self.role(rel)
                roles.append(self.name(rel.end) + (f" — {role}" if role else ""))
            elif rel.type == "POSITION_IN" and rel.end == node_id:
                posts.append(f"{self.texts['posts_here']}: {self.name(rel.start)}")
            elif rel.type == "POSITION_IN" and rel.start == node_id:
                post_of.append(f"{self.texts['post_of']}: {self.name(rel.end)}")
        lines = post_of + posts + roles
        if len(lines) > ROLE_LINES:
            more = len(lines) - ROLE_LINES + 1
            lines = lines[: ROLE_LINES - 1] + [self.texts["more"].format(n=more)]
        return lines

    def role(self, rel: Relationship) -> str | None:
        """The role as the source words it, else the role code in the page's language."""
        written, code = rel.get("role_ja"), rel.get("role")
        if written and (self.lang == "ja" or not code):
            return str(written)
        if code:
            return self.term_name("role", str(code))
        return None

    def _basis_text(self, record: Node | Relationship) -> str | None:
        """How the fact is known (issue 17): stated, read from the layout, or inferred, with
        the reason for anything not stated; nothing for a record that has no basis."""
        return basis_text(record.get("basis"), basis_reason(record, self.lang), self.lang)

    def _curator_text(self, text: Any) -> str | None:
        """A curator's note as written; on the Japanese page, a note written in English is
        not shown but pointed to (the English page has it): no translation is made up."""
        if not text:
            return None
        if self.lang == "ja" and _written_in_english(str(text)):
            return self.texts["note_in_english"]
        return str(text)

    def _term_text(self, node: Node, prop: str) -> str | None:
        code = node.get(prop)
        return self.term_name(prop, str(code)) if code else None

    def _field_text(self, node: Node) -> str | None:
        # The source's own words first in Japanese; the vocabulary's name in English.
        written, code = node.get("field_ja"), node.get("field")
        if self.lang == "ja" or not code:
            return str(written) if written else self._term_text(node, "field")
        return self.term_name("field", str(code))

    def _yen(self, amount: int | None) -> str:
        return "" if amount is None else self.texts["yen"].format(n=amount)

    def _amount_text(self, node: Node) -> str | None:
        parts = []
        amount = _number(node.get("amount_thousand_yen"))
        if amount is not None:
            parts.append(self._yen(amount))
        unit, cases = _number(node.get("unit_amount_thousand_yen")), _number(node.get("unit_count"))
        if unit is not None and cases is not None:
            parts.append(self.texts["per_case"].format(amount=self._yen(unit), n=cases))
        elif unit is not None:
            parts.append(self._yen(unit))
        low = _number(node.get("amount_min_thousand_yen"))
        high = _number(node.get("amount_max_thousand_yen"))
        if low is not None or high is not None:
            parts.append(self.texts["range"].format(low=self._yen(low), high=self._yen(high)))
        return "\n".join(parts) or None

    def _years_text(self, record: Node | Relationship) -> str | None:
        single = _year_text(record, "fiscal_year", self.lang)
        if single:
            return single
        start = _year_text(record, "fiscal_year_start", self.lang)
        end = _year_text(record, "fiscal_year_end", self.lang)
        if start and end:
            text = self.texts["range"].format(low=start, high=end)
        elif start:
            text = self.texts["open_ended"].format(start=start)
        else:
            text = end or ""
        period = record.get("period_ja")
        if period:
            text = f"{text} [{period}]" if text else str(period)
        return text or None

    def _count_text(self, node: Node) -> str | None:
        parts = []
        count = _number(node.get("count"))
        if count is not None:
            parts.append(f"{count:,}{node.get('count_qualifier_ja') or ''}")
        attendance = _number(node.get("attendance"))
        if attendance is not None:
            parts.append(self.texts["attendance"].format(n=attendance))
        schools = _number(node.get("school_count"))
        if schools is not None:
            parts.append(self.texts["schools"].format(n=schools))
        return " · ".join(parts) or None

    def _figure_text(self, node: Node) -> str | None:
        value = _number(node.get("value"))
        if node.label != "Figure" or value is None:
            return None
        scope = node.get("scope_ja")
        text = f"{value:,}{node.get('unit_ja') or ''}"
        metric = node.get("metric")
        # What is counted is a code (ao_admissions) that neither the data nor the schema
        # names in Japanese; the card's heading, the source's own words (name_ja), says it.
        # The Japanese page makes no name up for it; the English page keeps the code.
        if metric and self.lang != "ja":
            text += f" ({metric})"
        return text + (f"\n{scope}" if scope else "")

    def _score_row(self, node: Node) -> str | None:
        lines = []
        if self.measure_name == "measures" and node.id in self.scores:
            lines.append(f"{_score_text(self.scores[node.id])} ({self.measure_title})")
        for prop in _MEASURE_ROWS:
            value = node.get(prop)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            shown = str(value) if isinstance(value, int) else _score_text(value)
            lines.append(f"{SCHEMA.property_title(prop, self.lang)} {shown}")
        roles_held = node.get("brokerage_roles") or []
        if roles_held:
            names = (self.term_name("brokerage_roles", str(role)) for role in roles_held)
            lines.append(("、" if self.lang == "ja" else ", ").join(names))
        return "\n".join(lines) or None

    def edge_rows(self, rel: Relationship) -> list[list[str]]:
        texts, rows = self.texts, []
        amount = _number(rel.get("amount_thousand_yen"))
        for heading, text in (
            ("row_role", self.role(rel)),
            ("row_amount", self._yen(amount) if amount is not None else None),
            ("row_year", self._years_text(rel)),
            ("row_basis", self._basis_text(rel)),
            ("row_note", self._curator_text(rel.get("note"))),
        ):
            if text:
                rows.append([texts[heading], _fold(str(text), 600)])
        return rows

    # a tie the page derives (graph/page/ties.py): what the two share and the facts behind it

    def shared_label(self, mediators: tuple[str, ...]) -> str:
        first = short_label(self.name(mediators[0]), 24)
        if len(mediators) == 1:
            return self.texts["shared_one"].format(name=first)
        return self.texts["shared_many"].format(name=first, n=len(mediators) - 1)

    def shared_rows(self, mediators: tuple[str, ...], facts: tuple[str, ...]) -> list[list[str]]:
        texts = self.texts
        shared = [f"{self.label_name(self.kb.nodes[m].label)}: {self.name(m)}" for m in mediators]
        cited = []
        for rel_id in facts:
            rel = self.kb.relationships[rel_id]
            line = f"{self.name(rel.start)} → {self.type_name(rel.type)} → {self.name(rel.end)}"
            where = []
            doc = rel.get("source_doc")
            if doc:
                source = self.kb.sources.get(doc)
                where.append(source.title if source is not None else str(doc))
            number = _number(rel.get("span_line"))
            if number is not None:
                where.append(texts["line"].format(line=number))
            span = rel.get("span")
            if span:
                where.append(f"「{_fold(str(span), 120)}」")
            basis = self._basis_text(rel)
            if basis and rel.get("basis") != "stated":
                where.append(f"({basis})")
            cited.append(line + ("\n  " + " ".join(where) if where else ""))
        return [
            [texts["row_shared"], "\n".join(shared)],
            [texts["row_facts"], "\n".join(cited)],
            [texts["row_basis"], texts["shared_basis"]],
        ]
