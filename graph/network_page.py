"""The interactive collaboration network: one self-contained, offline HTML page.

pyvis assembles the vis-network nodes and edges; the page itself comes from this package's
own template (``graph/templates/network_page.html``), because pyvis's templates link
bootstrap, tom-select and vis-network from CDNs. vis-network's standalone build is read at
render time from the pyvis wheel (``pyvis/lib/vis-9.1.2``) and inlined, with this package's
script and style (``graph/assets/``). The page makes no request at all: a Content Security
Policy of ``default-src 'none'`` with hashed scripts enforces it, which also stops inline
event handlers (``onerror=...``) from running even if markup ever slipped through.

Data text never reaches the page as markup. Everything the page shows about a node travels
in one JSON block (``<`` and ``>`` escaped as ``\\u003c``/``\\u003e``) and the script puts
it into the page with ``textContent``; names are drawn on the canvas as plain text.

Encoding, by the schema's styles: colour = sector (:data:`biocluster_kg.kernel.schema.SECTOR_STYLE`;
a position takes the sector of the organisation it is a post in; nodes without a sector are
grey-blue), shape = node label (:attr:`biocluster_kg.kernel.schema.NodeLabel.shape`), size =
brokerage score
(``measures`` if given, else the ``betweenness`` or, failing that, the ``bridge_score``
node property, whichever is first positive somewhere; all nodes one size when neither is),
edge colour/dashes/label = relationship type. ``biocluster viz`` runs
:func:`biocluster_kg.graph.brokerage.write_measures` first when the nodes carry no measures.

Size cap. Above ``max_nodes`` nodes (default :data:`NODE_CAP`) the page shows an aggregated
view unless ``view="full"``: one super-node per (sector, label) pair sized by its member
count, one edge per (group, group, relationship type) weighted by count, and a visible
notice saying so. The search box still finds every member and selects its group. A full
view of a large graph gets a bounded layout (:data:`LAYOUT_BUDGET_MS`) and a notice.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲研究所", "name_en": "A Lab",
...     "kind": "research_institute", "sector": "academia", "aliases": ["甲研"]}))
>>> kb.add_node(Node("body:c", "Body", {"name_ja": "推進会議", "name_en": "Council",
...     "kind": "council"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:c",
...     {"role": "member", "role_ja": "委員"}))
>>> page = render_network_page(kb)
>>> page.startswith("<!DOCTYPE html>"), "甲研究所" in page
(True, True)
>>> resolve_actor(kb, "甲研")
'org:a'
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.names import loose_key, node_names, nodes_called
from biocluster_kg.kernel.names import loose_key as normalize_name  # the page's older name for it
from biocluster_kg.kernel.schema import SCHEMA, SECTOR_STYLE, SECTORS

__all__ = [
    "Subgraph",
    "NODE_CAP",
    "LAYOUT_BUDGET_MS",
    "VIS_VERSION",
    "normalize_name",
    "resolve_actor",
    "effective_sectors",
    "select_subgraph",
    "render_network_page",
    "write_network_page",
]

#: Above this many nodes the page aggregates (unless ``view="full"``).
NODE_CAP = 2000
#: The layout stops this long after the page's script starts, converged or not (ms).
LAYOUT_BUDGET_MS = 2500
#: The vis-network build inlined from the pyvis wheel.
VIS_VERSION = "9.1.2"
#: Edge labels are drawn by default only up to this many edges (a toggle shows them).
EDGE_LABEL_LIMIT = 120
#: Canvas labels are cut to this many columns (a CJK character takes two); cards show all.
LABEL_COLUMNS = 30
#: Drawings past these sizes leave out arrows, dashes and curves (the costly parts).
BIG_NODES = 1500
BIG_EDGES = 3000

View = Literal["auto", "full", "aggregated"]

#: Colour of nodes that have no sector (programmes, projects, most bodies, ...).
NO_SECTOR = "none"
NO_SECTOR_STYLE = {
    "color": "#B9C4CF",
    "ja": "分野なし（事業・会議体など）",
    "en": "No sector (programmes, bodies, ...)",
}

FONT_STACK = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
    '"Yu Gothic", "YuGothic", Meiryo, system-ui, sans-serif'
)

#: Display names of the node labels (from the schema's vocabulary).
LABEL_NAMES: dict[str, dict[str, str]] = {
    label.name: {"ja": label.display_name("ja"), "en": label.display_name("en")}
    for label in SCHEMA.nodes
}

TEXTS: dict[str, dict[str, str]] = {
    "ja": {
        "title": "山形バイオクラスター 連携ネットワーク",
        "summary": "ノード {nodes:,} ・ 関係 {edges:,}",
        "summary_of": "（全体 {nodes:,} ノード ・ {edges:,} 関係のうち）",
        "ego": "中心: {name}（{depth} ステップ以内）",
        "search": "検索（日本語・英語・略称）",
        "search_placeholder": "例: 慶應先端研、Tsuruoka",
        "search_none": "該当なし",
        "search_hidden": "フィルターで非表示だったため、表示を戻しました。",
        "search_in_group": "「{name}」は集約ノード「{group}」に含まれます。",
        "sectors": "分野（色）",
        "types": "関係の種類（線）",
        "years": "年度",
        "all_years": "すべての年度",
        "shapes": "ノードの種類（形）",
        "size": "大きさ",
        "size_measure": "仲介度（{measure}）が大きいほど大きく表示",
        "size_none": "仲介度の計算結果がないため同じ大きさ",
        "size_count": "集約ノードの大きさ = 含まれるノード数",
        "edge_labels": "関係名を線上に表示",
        "fit": "全体を表示",
        "layout": "配置を計算中…",
        "layout_stopped": "配置の計算を時間内で打ち切りました。",
        "visible": "表示中: ノード {nodes} ・ 関係 {edges}",
        "details_close": "閉じる",
        "sources": "出典",
        "line": "{line}行目",
        "notice_aggregated": (
            "ノード数 {nodes:,} が上限 {cap:,} を超えるため、分野×種類ごとにまとめた"
            "集約表示です。個々のノードを見るには --around（中心の名前）や --sector / --type"
            " で絞り込んでください。"
        ),
        "notice_large": (
            "ノード数 {nodes:,} は上限 {cap:,} を超えています。配置の計算は最長 {seconds:g} 秒で"
            "打ち切り、ラベルは拡大したときだけ表示します。"
        ),
        "notice_simplified": "大きな図のため、矢印・破線・曲線を省いて描いています。",
        "row_kind": "種類",
        "row_sector": "分野",
        "row_aliases": "別名",
        "row_roles": "役職・役割",
        "row_amount": "金額",
        "row_year": "年度",
        "row_date": "日付",
        "row_count": "数",
        "row_value": "数値",
        "row_status": "状況",
        "row_field": "分野（研究）",
        "row_place": "場所",
        "row_description": "内容",
        "row_score": "仲介度",
        "row_note": "注記",
        "row_source": "出典",
        "row_from_to": "関係",
        "row_role": "役割",
        "row_members": "主なノード",
        "row_internal": "内部の関係",
        "row_aggregated": "集約",
        "posts_here": "役職",
        "post_of": "所属",
        "attendance": "参加者 {n:,}名",
        "schools": "{n:,}校",
        "per_case": "{amount}（1件あたり）× {n:,}件",
        "range": "{low} 〜 {high}",
        "yen": "{n:,}千円",
        "members_count": "{n:,} ノード",
        "relationships_count": "{n:,} 件",
        "open_ended": "{start}〜",
        "more": "ほか {n:,} 件",
    },
    "en": {
        "title": "Yamagata Bio Cluster: collaboration network",
        "summary": "{nodes:,} nodes · {edges:,} relationships",
        "summary_of": " (of {nodes:,} nodes · {edges:,} relationships)",
        "ego": "Around: {name} (within {depth} steps)",
        "search": "Search (Japanese, English or alias)",
        "search_placeholder": "e.g. 慶應先端研, Tsuruoka",
        "search_none": "No match",
        "search_hidden": "It was hidden by a filter; filters were reset.",
        "search_in_group": "“{name}” is part of the aggregated node “{group}”.",
        "sectors": "Sector (colour)",
        "types": "Relationship (line)",
        "years": "Fiscal year",
        "all_years": "All years",
        "shapes": "Node kind (shape)",
        "size": "Size",
        "size_measure": "Larger = higher brokerage ({measure})",
        "size_none": "All one size: no brokerage measures computed",
        "size_count": "Aggregated node size = number of members",
        "edge_labels": "Show relationship names on lines",
        "fit": "Fit to screen",
        "layout": "Laying out…",
        "layout_stopped": "Layout stopped at its time limit.",
        "visible": "Showing {nodes} nodes · {edges} relationships",
        "details_close": "Close",
        "sources": "Sources",
        "line": "line {line}",
        "notice_aggregated": (
            "{nodes:,} nodes exceed the cap of {cap:,}: this is an aggregated view, one node per "
            "sector and kind. Narrow it with --around NAME, --sector or --type to see each node."
        ),
        "notice_large": (
            "{nodes:,} nodes exceed the cap of {cap:,}: the layout stops after at most "
            "{seconds:g} s and labels appear only when zoomed in."
        ),
        "notice_simplified": "A big drawing: arrows, dashes and curves are left out.",
        "row_kind": "Kind",
        "row_sector": "Sector",
        "row_aliases": "Also called",
        "row_roles": "Posts and roles",
        "row_amount": "Amount",
        "row_year": "Fiscal year",
        "row_date": "Date",
        "row_count": "Count",
        "row_value": "Value",
        "row_status": "Status",
        "row_field": "Field",
        "row_place": "Place",
        "row_description": "What it does",
        "row_score": "Brokerage",
        "row_note": "Note",
        "row_source": "Source",
        "row_from_to": "Link",
        "row_role": "Role",
        "row_members": "Main members",
        "row_internal": "Internal relationships",
        "row_aggregated": "Aggregated",
        "posts_here": "Post",
        "post_of": "Post in",
        "attendance": "{n:,} participants",
        "schools": "{n:,} schools",
        "per_case": "{amount} per case × {n:,}",
        "range": "{low} to {high}",
        "yen": "{n:,} thousand yen (千円)",
        "members_count": "{n:,} nodes",
        "relationships_count": "{n:,}",
        "open_ended": "{start} onward",
        "more": "and {n:,} more",
    },
}

#: Roles of MEMBER_OF / PARTICIPATES_IN, shown when the data gives no ``role_ja``.
ROLE_NAMES: dict[str, dict[str, str]] = {
    "chair": {"ja": "長（会長・委員長）", "en": "chair"},
    "vice_chair": {"ja": "副（副会長・副委員長）", "en": "vice chair"},
    "member": {"ja": "構成員", "en": "member"},
    "lead": {"ja": "主導", "en": "lead"},
    "partner": {"ja": "共同", "en": "partner"},
    "subject": {"ja": "対象", "en": "subject"},
    "host": {"ja": "主催", "en": "host"},
    "participant": {"ja": "参加", "en": "participant"},
    "secretariat": {"ja": "事務局", "en": "secretariat"},
}
#: A card lists at most this many posts and roles of one node.
ROLE_LINES = 12

_VIS_FILES = ("vis-network.min.js", "vis-network.css")
#: Node properties that can size the nodes, first with a positive value wins. Betweenness
#: comes first: on the shipped data bridge_score is positive for two actors only.
_SCORE_PROPERTIES = ("betweenness", "bridge_score")
#: Computed measures a card lists, with how to show them.
_MEASURE_ROWS = ("betweenness", "bridge_score", "degree", "constraint", "effective_size")
_ROLE_TYPES = ("MEMBER_OF", "PARTICIPATES_IN")
_SPAN_LIMIT = 240


def resolve_actor(kb: KnowledgeBase, name: str) -> str:
    """The id of the node called ``name``: by id, Japanese or English name, or alias.

    Matching is NFKC-normalised and case-insensitive. An id match wins; otherwise exactly
    one node must carry the name.

    Raises
    ------
    RenderError
        If no node, or more than one, is called ``name``.

    >>> from biocluster_kg.kernel.model import Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "慶應義塾大学先端生命科学研究所",
    ...     "name_en": "Keio IAB", "aliases": ["慶應先端研"]}))
    >>> resolve_actor(kb, "keio iab"), resolve_actor(kb, "慶應先端研")
    ('org:iab', 'org:iab')
    >>> resolve_actor(kb, "山形大学")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.RenderError: no node is called '山形大学' (by id, name or alias)
    """
    if not loose_key(name):
        raise RenderError("the name to centre on is empty")
    matches = nodes_called(kb, name)
    if not matches:
        raise RenderError(f"no node is called {name!r} (by id, name or alias)")
    if len(matches) > 1:
        shown = ", ".join(matches[:8]) + (", ..." if len(matches) > 8 else "")
        raise RenderError(f"{name!r} names {len(matches)} nodes ({shown}); give an id instead")
    return matches[0]


def effective_sectors(kb: KnowledgeBase) -> dict[str, str | None]:
    """Each node's sector for colouring, by the one rule the analysis uses too
    (:func:`biocluster_kg.kernel.sectors.effective_sectors`): an actor's own, else that of
    what it is a post of or part of, else ``"other"``; other nodes their own or None.

    >>> from biocluster_kg.kernel.model import Node, Relationship
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:p", "Organization", {"sector": "government"}))
    >>> kb.add_node(Node("pos:g", "Position", {}))
    >>> kb.add_relationship(Relationship("r", "POSITION_IN", "pos:g", "org:p", {}))
    >>> effective_sectors(kb)
    {'org:p': 'government', 'pos:g': 'government'}
    """
    from biocluster_kg.kernel.sectors import effective_sectors as kernel_rule

    return kernel_rule(kb)


def _check_choices(values: Iterable[str] | None, allowed: tuple[str, ...], what: str) -> set[str]:
    chosen = set(values or ())
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise RenderError(
            f"unknown {what} {', '.join(map(repr, unknown))}; expected one of {', '.join(allowed)}"
        )
    return chosen


@dataclass(frozen=True)
class Subgraph:
    """The node and relationship ids a page shows, and the ego centre if any."""

    nodes: frozenset[str]
    relationships: frozenset[str]
    center: str | None = None


def select_subgraph(
    kb: KnowledgeBase,
    *,
    around: str | None = None,
    depth: int = 1,
    sectors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> Subgraph:
    """The part of the knowledge base a page shows.

    ``types`` keeps only those relationship types (and drops nodes left without one);
    ``around`` keeps the nodes within ``depth`` steps of that node, either direction,
    over the kept relationships; ``sectors`` keeps nodes of those sectors plus the
    sector-less nodes (programmes, projects, bodies) next to them. The centre always stays.

    >>> from biocluster_kg.kernel.model import Node, Relationship
    >>> kb = KnowledgeBase()
    >>> for i, sector in enumerate(["academia", "industry", "industry"]):
    ...     kb.add_node(Node(f"org:{i}", "Organization", {"name_ja": f"組織{i}",
    ...         "sector": sector}))
    >>> kb.add_relationship(Relationship("r1", "COORDINATES_WITH", "org:0", "org:1", {}))
    >>> kb.add_relationship(Relationship("r2", "COORDINATES_WITH", "org:1", "org:2", {}))
    >>> sorted(select_subgraph(kb, around="組織0", depth=1).nodes)
    ['org:0', 'org:1']
    >>> sorted(select_subgraph(kb, sectors=["industry"]).relationships)
    ['r2']
    """
    chosen_types = _check_choices(types, SCHEMA.types, "relationship type")
    chosen_sectors = _check_choices(sectors, SECTORS, "sector")
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise RenderError(f"depth must be a whole number of steps, 0 or more, not {depth!r}")

    relationships = [
        rel
        for rel in kb.relationships.values()
        if (not chosen_types or rel.type in chosen_types)
        and rel.start in kb.nodes
        and rel.end in kb.nodes
    ]
    nodes = set(kb.nodes)
    center = resolve_actor(kb, around) if around is not None else None

    if center is not None:
        neighbours: dict[str, set[str]] = defaultdict(set)
        for rel in relationships:
            neighbours[rel.start].add(rel.end)
            neighbours[rel.end].add(rel.start)
        reached = {center: 0}
        queue = deque([center])
        while queue:
            current = queue.popleft()
            if reached[current] == depth:
                continue
            for other in neighbours[current]:
                if other not in reached:
                    reached[other] = reached[current] + 1
                    queue.append(other)
        nodes = set(reached)

    if chosen_sectors:
        sector_of = effective_sectors(kb)
        kept = {n for n in nodes if sector_of[n] in chosen_sectors}
        for rel in relationships:
            if rel.start in kept and rel.end in nodes and sector_of[rel.end] is None:
                kept.add(rel.end)
            if rel.end in kept and rel.start in nodes and sector_of[rel.start] is None:
                kept.add(rel.start)
        if center is not None:
            kept.add(center)
        nodes = kept

    kept_relationships = {r.id for r in relationships if r.start in nodes and r.end in nodes}
    if chosen_types:
        touched = {center} if center is not None else set()
        for rel_id in kept_relationships:
            rel = kb.relationships[rel_id]
            touched.update((rel.start, rel.end))
        nodes &= touched
    return Subgraph(frozenset(nodes), frozenset(kept_relationships), center)


# --- what the page shows about each node and edge -------------------------------------------


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


def _years(record: Node | Relationship) -> list[int | None] | None:
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


def _source(record: Node | Relationship, source_index: dict[str, int]) -> list[Any] | None:
    """[index into the page's source titles, line, span] of the record's citation."""
    doc, span = record.get("source_doc"), record.get("span")
    if not doc and not span:
        return None
    index = source_index.setdefault(doc or "", len(source_index))
    return [index, _number(record.get("span_line")), _fold(span or "")]


def _short(name: str, columns: int = LABEL_COLUMNS) -> str:
    """A canvas label: the name cut to ``columns`` terminal columns (CJK counts two).

    >>> _short("慶應義塾大学先端生命科学研究所", 16)
    '慶應義塾大学先…'
    """
    used = 0
    for index, char in enumerate(name):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > columns:
            return name[: max(index - 1, 1)] + "…"
    return name


def _score_text(value: float) -> str:
    return f"{value:.3f}"


def _darker(color: str, factor: float = 0.7) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(round(c * factor) for c in (red, green, blue)))


def _text_on(color: str) -> str:
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111111" if luminance > 0.45 else "#FFFFFF"


class _PageBuilder:
    """Turns a knowledge base (and the subgraph shown) into vis nodes, edges and page data."""

    def __init__(
        self,
        kb: KnowledgeBase,
        subgraph: Subgraph,
        lang: str,
        measures: Mapping[str, float] | None,
    ):
        self.kb = kb
        self.subgraph = subgraph
        self.lang = lang
        self.texts = TEXTS[lang]
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

    def sector_name(self, key: str) -> str:
        return SECTOR_STYLE.get(key, NO_SECTOR_STYLE)[self.lang]

    @staticmethod
    def sector_color(key: str) -> str:
        return SECTOR_STYLE.get(key, NO_SECTOR_STYLE)["color"]

    def label_name(self, label: str) -> str:
        return LABEL_NAMES.get(label, {}).get(self.lang, label)

    def type_name(self, type_: str) -> str:
        rel_type = SCHEMA.relationship(type_)
        return rel_type.label_ja if self.lang == "ja" else rel_type.label_en

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

    @staticmethod
    def group(sector: str, label: str) -> str:
        return f"{sector}/{label}"

    def group_style(self, sector: str, label: str) -> dict[str, Any]:
        shape = SCHEMA.node(label).shape if SCHEMA.has_label(label) else "dot"
        color = self.sector_color(sector)
        style: dict[str, Any] = {
            "shape": shape,
            "color": {
                "background": color,
                "border": _darker(color),
                "highlight": {"background": color, "border": "#111111"},
                "hover": {"background": color, "border": "#111111"},
            },
        }
        if shape in ("box", "ellipse", "circle", "database"):
            style["font"] = {"color": _text_on(color), "strokeWidth": 0}
        elif shape == "text":
            style["font"] = {"color": _darker(color, 0.55)}
        return style

    # what a tooltip says, as [heading, text] rows of plain text

    def node_rows(self, node: Node) -> list[list[str]]:
        texts, rows = self.texts, []
        kind = node.get("kind")
        kind_text = f" · {str(kind).replace('_', ' ')}" if kind else ""
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
            ("row_status", node.get("status")),
            ("row_field", node.get("field_ja") or node.get("field")),
            ("row_place", node.get("location_ja")),
            ("row_description", node.get("description_ja")),
            ("row_score", self._score_row(node)),
            ("row_note", node.get("note")),
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
            return ROLE_NAMES.get(code, {}).get(self.lang, str(code).replace("_", " "))
        return None

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
        text = f"{value:,}{node.get('unit_ja') or ''} ({node.get('metric')})"
        return text + (f"\n{scope}" if scope else "")

    def _score_row(self, node: Node) -> str | None:
        lines = []
        if self.measure_name == "measures" and node.id in self.scores:
            lines.append(f"{_score_text(self.scores[node.id])} (measures)")
        for prop in _MEASURE_ROWS:
            value = node.get(prop)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            shown = str(value) if isinstance(value, int) else _score_text(value)
            lines.append(f"{prop} {shown}")
        roles_held = node.get("brokerage_roles") or []
        if roles_held:
            lines.append(", ".join(map(str, roles_held)))
        return "\n".join(lines) or None

    def edge_rows(self, rel: Relationship) -> list[list[str]]:
        texts, rows = self.texts, []
        amount = _number(rel.get("amount_thousand_yen"))
        for heading, text in (
            ("row_role", self.role(rel)),
            ("row_amount", self._yen(amount) if amount is not None else None),
            ("row_year", self._years_text(rel)),
            ("row_note", rel.get("note")),
        ):
            if text:
                rows.append([texts[heading], _fold(str(text), 600)])
        return rows


def _new_network() -> Any:
    """A pyvis network whose node-id lookups are O(1).

    pyvis 0.3.2 (its last release) keeps node ids in a list and scans it on every
    ``add_node``/``add_edge``, which is quadratic: 20,000 nodes took 7.6 s here. The list
    below answers ``in`` from a set and is otherwise the list pyvis expects.
    """
    from pyvis.network import Network

    class _IdList(list[Any]):
        def __init__(self) -> None:
            super().__init__()
            self._members: set[Any] = set()

        def append(self, item: Any) -> None:
            super().append(item)
            self._members.add(item)

        def __contains__(self, item: object) -> bool:
            return item in self._members

    network = Network(directed=True, cdn_resources="in_line")
    network.node_ids = _IdList()
    return network


@dataclass
class _View:
    """The vis nodes and edges of one page, the groups that style them and the search index."""

    mode: Literal["full", "aggregated"]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    search: list[list[Any]]


def _full_view(builder: _PageBuilder) -> _View:
    kb, subgraph = builder.kb, builder.subgraph
    network = _new_network()
    groups: dict[str, dict[str, Any]] = {}
    search = []
    for node_id in sorted(subgraph.nodes):
        node = kb.nodes[node_id]
        sector = builder.sector_key(node_id)
        group = builder.group(sector, node.label)
        if group not in groups:
            groups[group] = builder.group_style(sector, node.label)
        name = builder.name(node_id)
        extra: dict[str, Any] = {"sector": sector, "rows": builder.node_rows(node)}
        if _short(name) != name:
            extra["heading"] = name
        if node_id == subgraph.center:
            extra.update(borderWidth=4, mass=3)
        other = builder.other_name(node_id)
        if other:
            extra["sub"] = other
        for key, value in (("src", _source(node, builder.source_index)), ("years", _years(node))):
            if value is not None:
                extra[key] = value
        network.add_node(
            node_id,
            label=_short(name),
            shape=groups[group]["shape"],
            group=group,
            value=builder.node_value(node_id),
            **extra,
        )
        search.append([node_id, name, node_names(node)])
    for rel_id in sorted(subgraph.relationships):
        rel = kb.relationships[rel_id]
        edge: dict[str, Any] = {"id": rel.id, "type": rel.type}
        for key, value in (
            ("rows", builder.edge_rows(rel)),
            ("src", _source(rel, builder.source_index)),
            ("years", _years(rel)),
        ):
            if value:
                edge[key] = value
        network.add_edge(rel.start, rel.end, **edge)
    nodes, edges, *_ = network.get_network_data()
    return _View("full", nodes, edges, groups, search)


def _aggregated_view(builder: _PageBuilder) -> _View:
    kb, subgraph, texts = builder.kb, builder.subgraph, builder.texts
    network = _new_network()
    group_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for node_id in sorted(subgraph.nodes):
        group = builder.group(builder.sector_key(node_id), kb.nodes[node_id].label)
        group_of[node_id] = group
        members[group].append(node_id)

    def rank(node_id: str) -> tuple[float, int, str]:
        return (-builder.scores.get(node_id, 0.0), -len(builder.incident.get(node_id, ())), node_id)

    between: Counter[tuple[str, str, str]] = Counter()
    internal: Counter[str] = Counter()
    for rel_id in subgraph.relationships:
        rel = kb.relationships[rel_id]
        start, end = group_of[rel.start], group_of[rel.end]
        if start == end:
            internal[start] += 1
        else:
            between[(start, end, rel.type)] += 1

    groups: dict[str, dict[str, Any]] = {}
    search = []
    for group in sorted(members, key=lambda g: (-len(members[g]), g)):
        sector, label = group.split("/", 1)
        groups[group] = builder.group_style(sector, label)
        count = len(members[group])
        heading = builder.label_name(label)
        if sector != NO_SECTOR:
            heading = f"{builder.sector_name(sector)} · {heading}"
        top = sorted(members[group], key=rank)[:8]
        rows = [
            [texts["row_aggregated"], texts["members_count"].format(n=count)],
            [
                texts["row_members"],
                "\n".join(builder.name(n) for n in top) + ("\n…" if count > len(top) else ""),
            ],
            [texts["row_internal"], texts["relationships_count"].format(n=internal[group])],
        ]
        network.add_node(
            f"agg:{group}",
            label=f"{heading}\n{count:,}",
            shape=groups[group]["shape"],
            group=group,
            value=float(count),
            sector=sector,
            heading=heading,
            rows=rows,
            members=count,
        )
        for node_id in members[group]:
            search.append([f"agg:{group}", builder.name(node_id), node_names(kb.nodes[node_id])])
    for (start, end, type_), count in sorted(between.items()):
        network.add_edge(
            f"agg:{start}",
            f"agg:{end}",
            id=f"agg:{start}>{end}:{type_}",
            type=type_,
            typeLabel=f"{builder.type_name(type_)} ×{count:,}",
            value=float(count),
            rows=[[texts["row_aggregated"], texts["relationships_count"].format(n=count)]],
            members=count,
        )
    nodes, edges, *_ = network.get_network_data()
    return _View("aggregated", nodes, edges, groups, search)


def _vis_options(view: _View) -> dict[str, Any]:
    """vis-network options: a layout that settles fast, then stops.

    Iterations shrink as the graph grows (each costs more); the page also stops the
    layout at :data:`LAYOUT_BUDGET_MS` and then turns physics off for good. Big drawings
    (see :func:`_is_big`) leave out arrows, dashes and curves, which cost most per frame."""
    shown, edge_count = len(view.nodes), len(view.edges)
    aggregated = view.mode == "aggregated"
    big = _is_big(shown, edge_count)
    # Long springs spread a star-shaped ego view; a whole graph packs tighter so that its
    # labels stay legible when it is fitted to the screen; big drawings skip overlap checks.
    if aggregated:
        forces = {"gravitationalConstant": -120, "centralGravity": 0.012, "springLength": 200}
    elif big:
        forces = {"gravitationalConstant": -60, "centralGravity": 0.012, "springLength": 80}
    elif shown <= 80:
        forces = {"gravitationalConstant": -110, "centralGravity": 0.012, "springLength": 130}
    else:
        forces = {"gravitationalConstant": -90, "centralGravity": 0.018, "springLength": 110}
    forces["avoidOverlap"] = 0.0 if big else 0.6
    iterations = 400 if shown <= 300 else max(50, min(400, 120_000 // max(shown, 1)))
    return {
        "autoResize": True,
        "groups": view.groups,
        "layout": {"randomSeed": 2013, "improvedLayout": shown <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {**forces, "springConstant": 0.06, "damping": 0.5},
            "maxVelocity": 80,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 5 if big else 25,
                "fit": True,
            },
        },
        "nodes": {
            "font": {
                "face": FONT_STACK,
                "size": 13,
                "color": "#1d2329",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "scaling": {
                "min": 8,
                "max": 44 if aggregated else 30,
                "label": {
                    "enabled": True,
                    "min": 11,
                    "max": 22 if aggregated else 20,
                    "maxVisible": 26,
                    "drawThreshold": 7 if big else 4,
                },
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": not big, "scaleFactor": 0.45}},
            "width": 0.6 if big else 1.2,
            "selectionWidth": 2,
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "font": {
                "face": FONT_STACK,
                "size": 10,
                "color": "#4a5560",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            "scaling": {"min": 1, "max": 8, "label": {"enabled": False}},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
            "navigationButtons": False,
        },
    }


def _is_big(node_count: int, edge_count: int) -> bool:
    """Whether a drawing is big enough to need the cheaper style."""
    return node_count > BIG_NODES or edge_count > BIG_EDGES


def _edge_styles(builder: _PageBuilder, big: bool) -> dict[str, dict[str, Any]]:
    """Per relationship type: colour, dashes and label (the page applies them to edges)."""
    styles = {}
    for rel_type in SCHEMA.relationships:
        styles[rel_type.name] = {
            "color": {
                "color": rel_type.color,
                "highlight": _darker(rel_type.color, 0.6),
                "hover": _darker(rel_type.color, 0.8),
            },
            "dashes": rel_type.dashes and not big,
            "label": builder.type_name(rel_type.name),
        }
    return styles


# --- the page ---------------------------------------------------------------------------


def _package_text(folder: str, name: str) -> str:
    try:
        return (resources.files("biocluster_kg.graph") / folder / name).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise RenderError(f"the page's {folder}/{name} is missing from the package") from error


def _vis_assets() -> tuple[str, str]:
    """vis-network's standalone script and style, from the pyvis wheel."""
    try:
        folder = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}"
        script, style = ((folder / name).read_text(encoding="utf-8") for name in _VIS_FILES)
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise RenderError(
            f"vis-network {VIS_VERSION} was not found in the pyvis package (pyvis==0.3.2 ships "
            f"it in pyvis/lib/vis-{VIS_VERSION}); reinstall pyvis"
        ) from error
    return script, style


def _inline(text: str, tag: str) -> str:
    """Text that cannot end its ``<script>``/``<style>`` element early.

    >>> _inline('a = "</SCRIPT>";', "script")
    'a = "<\\\\/SCRIPT>";'
    """
    closing = f"</{tag}"
    lowered = text.lower()
    pieces, start = [], 0
    while (found := lowered.find(closing, start)) != -1:
        pieces.append(text[start:found] + "<\\/" + text[found + 2 : found + len(closing)])
        start = found + len(closing)
    pieces.append(text[start:])
    return "".join(pieces)


def _script_json(data: Any) -> str:
    """JSON safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&`` or U+2028/9.

    >>> _script_json({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_SHAPE_SVG = {
    "dot": '<circle cx="9" cy="9" r="6"/>',
    "diamond": '<polygon points="9,2 16,9 9,16 2,9"/>',
    "box": '<rect x="2" y="4" width="14" height="10" rx="2"/>',
    "ellipse": '<ellipse cx="9" cy="9" rx="8" ry="5"/>',
    "hexagon": '<polygon points="5,3 13,3 17,9 13,15 5,15 1,9"/>',
    "square": '<rect x="3" y="3" width="12" height="12"/>',
    "triangle": '<polygon points="9,2 16,15 2,15"/>',
    "star": '<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7"/>',
    "triangleDown": '<polygon points="2,3 16,3 9,16"/>',
    "text": '<text x="1" y="14" font-size="12" stroke="none" fill="#333">Aa</text>',
}


def _legend(builder: _PageBuilder, view: _View) -> dict[str, Any]:
    kb, subgraph = builder.kb, builder.subgraph
    sector_counts = Counter(builder.sector_key(n) for n in subgraph.nodes)
    label_counts = Counter(kb.nodes[n].label for n in subgraph.nodes)
    type_counts = Counter(kb.relationships[r].type for r in subgraph.relationships)
    sectors = [
        {
            "key": key,
            "name": builder.sector_name(key),
            "color": builder.sector_color(key),
            "count": sector_counts[key],
        }
        for key in (*SECTORS, NO_SECTOR)
        if sector_counts[key]
    ]
    shapes = [
        {
            "name": builder.label_name(label.name),
            "count": label_counts[label.name],
            "svg": _SHAPE_SVG.get(label.shape, _SHAPE_SVG["dot"]),
        }
        for label in SCHEMA.nodes
        if label_counts[label.name]
    ]
    types = [
        {
            "key": rel.name,
            "name": builder.type_name(rel.name),
            "color": rel.color,
            "dashes": rel.dashes,
            "count": type_counts[rel.name],
        }
        for rel in SCHEMA.relationships
        if type_counts[rel.name]
    ]
    years: set[int] = set()
    if view.mode == "full":
        for item in (*view.nodes, *view.edges):
            years.update(year for year in item.get("years") or () if year is not None)
    return {"sectors": sectors, "shapes": shapes, "types": types, "years": sorted(years)}


def render_network_page(
    kb: KnowledgeBase,
    *,
    lang: str = "ja",
    around: str | None = None,
    depth: int = 1,
    sectors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    measures: Mapping[str, float] | None = None,
    view: View = "auto",
    max_nodes: int = NODE_CAP,
    layout_budget_ms: int = LAYOUT_BUDGET_MS,
) -> str:
    """The collaboration network as one self-contained HTML document.

    Parameters
    ----------
    kb : KnowledgeBase
        The knowledge base to draw.
    lang : {'ja', 'en'}
        Language of labels, legend and controls (tooltips show both names).
    around, depth : str, int
        Ego view: only nodes within ``depth`` steps of the node ``around`` names
        (id, Japanese or English name, or alias; NFKC, case-insensitive).
    sectors, types : iterable of str
        Keep only these sectors (:data:`biocluster_kg.kernel.schema.SECTORS`) and relationship
        types.
    measures : mapping of node id to float, optional
        Brokerage scores that size the nodes; by default the nodes' ``betweenness``
        (else ``bridge_score``) properties.
    view : {'auto', 'full', 'aggregated'}
        ``auto`` aggregates above ``max_nodes`` nodes.
    max_nodes : int
        The size cap.
    layout_budget_ms : int
        The page stops the layout this long after its script starts, done or not.

    Returns
    -------
    str
        The page. It loads nothing from anywhere.

    Raises
    ------
    RenderError
        For an unknown language, sector, type or name, or a bad depth or view.

    Examples
    --------
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:x", "Organization", {"name_ja": "<b>社</b>", "name_en": "X",
    ...     "sector": "industry", "kind": "company"}))
    >>> page = render_network_page(kb, lang="en")
    >>> "<b>社</b>" in page, "\\\\u003cb\\\\u003e社" in page
    (False, True)
    """
    if lang not in TEXTS:
        raise RenderError(f"unknown language {lang!r}; expected ja or en")
    if view not in ("auto", "full", "aggregated"):
        raise RenderError(f"unknown view {view!r}; expected auto, full or aggregated")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise RenderError(f"max_nodes must be a positive whole number, not {max_nodes!r}")
    if isinstance(layout_budget_ms, bool) or not isinstance(layout_budget_ms, int):
        raise RenderError(f"layout_budget_ms must be whole milliseconds, not {layout_budget_ms!r}")
    subgraph = select_subgraph(kb, around=around, depth=depth, sectors=sectors, types=types)
    builder = _PageBuilder(kb, subgraph, lang, measures)
    texts = builder.texts
    node_count, edge_count = len(subgraph.nodes), len(subgraph.relationships)
    aggregated = view == "aggregated" or (view == "auto" and node_count > max_nodes)
    shown = _aggregated_view(builder) if aggregated else _full_view(builder)
    big = _is_big(len(shown.nodes), len(shown.edges))

    notices = []
    if aggregated:
        notices.append(texts["notice_aggregated"].format(nodes=node_count, cap=max_nodes))
    elif node_count > max_nodes:
        notices.append(
            texts["notice_large"].format(
                nodes=node_count, cap=max_nodes, seconds=layout_budget_ms / 1000
            )
        )
    if big:
        notices.append(texts["notice_simplified"])
    summary = texts["summary"].format(nodes=node_count, edges=edge_count)
    if (node_count, edge_count) != (len(kb.nodes), len(kb.relationships)):
        summary += texts["summary_of"].format(nodes=len(kb.nodes), edges=len(kb.relationships))
    ego = None
    if subgraph.center is not None:
        ego = texts["ego"].format(name=builder.name(subgraph.center), depth=depth)
    if aggregated:
        size_text = texts["size_count"]
    elif builder.measure_name:
        size_text = texts["size_measure"].format(measure=builder.measure_name)
    else:
        size_text = texts["size_none"]
    legend = _legend(builder, shown)

    edge_labels = len(shown.edges) <= EDGE_LABEL_LIMIT
    source_titles = builder.source_titles()
    page_data: dict[str, Any] = {
        "lang": lang,
        "mode": shown.mode,
        "texts": {key: value for key, value in texts.items() if not key.startswith("notice_")},
        "nodes": shown.nodes,
        "edges": shown.edges,
        "edgeStyles": _edge_styles(builder, big),
        "sources": source_titles,
        "search": shown.search,
        "center": subgraph.center,
        "counts": {"nodes": node_count, "edges": edge_count},
        "options": _vis_options(shown),
        "layoutBudgetMs": layout_budget_ms,
        "edgeLabels": edge_labels,
    }
    vis_script, vis_style = _vis_assets()
    scripts = [
        _inline(vis_script, "script"),
        _inline(_package_text("assets", "network_page.js"), "script"),
    ]
    styles = [
        _inline(vis_style, "style"),
        _inline(_package_text("assets", "network_page.css"), "style"),
    ]
    csp = "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(_sha256(script) for script in scripts),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )

    from jinja2 import Environment

    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(_package_text("templates", "network_page.html"))
    return template.render(
        lang=lang,
        texts=texts,
        csp=csp,
        styles=styles,
        scripts=scripts,
        data_json=_script_json(page_data),
        summary=summary,
        ego=ego,
        notices=notices,
        legend=legend,
        size_text=size_text,
        sources=[title for title in source_titles if title],
        mode=shown.mode,
        edge_labels=edge_labels,
    )


def write_network_page(kb: KnowledgeBase, path: str | Path, **options: Any) -> Path:
    """Render the page (see :func:`render_network_page` for ``options``) and write it as
    UTF-8 to ``path``, creating its folder. Returns the path written.

    >>> import tempfile
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:x", "Organization", {"name_ja": "鶴岡市", "name_en": "Tsuruoka",
    ...     "sector": "government"}))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_network_page(kb, Path(folder) / "out" / "network.html")
    ...     "鶴岡市" in written.read_text(encoding="utf-8")
    True
    """
    page = render_network_page(kb, **options)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise RenderError(f"cannot write the network page to {target}: {error.strerror}") from error
    return target
