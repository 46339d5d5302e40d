"""The one declarative schema of the knowledge base.

Everything that needs to know what a node or a relationship may be reads it from here:
validation of the data files, the Neo4j constraints and indexes, the Ladybug DDL, the
identifier allow-list for Cypher, and the styling of the network page. Adding a
relationship type is one edit to :data:`SCHEMA`.

Each node has exactly one label (the embedded engine's rule); finer classifications are the
``kind`` property and list properties such as ``tags``.

Why this module is long: it is the one declarative place for every label, kind, role,
sector, relationship type and their Japanese and English names, on purpose. Splitting the
declarations over several files would bring back the scattering it exists to end; the code
in it (the dataclasses and :class:`Schema`'s look-ups) is a small part.

>>> SCHEMA.node("Organization").property("sector").choices[:3]
('government', 'academia', 'industry')
>>> ("Position", "Body") in SCHEMA.relationship("MEMBER_OF").endpoints
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from biocluster_kg.kernel.errors import BioclusterError

__all__ = [
    "PropertyType",
    "Property",
    "NodeLabel",
    "RelationshipType",
    "Schema",
    "SCHEMA",
    "SECTORS",
    "ACTOR_LABELS",
    "SECTOR_STYLE",
    "SECTOR_TERMS",
    "ROLE_TERMS",
    "TIE_TERMS",
    "DEFAULT_TIE_KINDS",
    "BASIS_TERMS",
    "DEFAULT_BASIS",
    "Term",
    "Vocabulary",
    "NODE_COMMON",
    "RELATIONSHIP_COMMON",
    "COMPUTED_NODE_PROPERTIES",
    "quote_identifier",
    "text_problem",
    "is_blank",
    "id_problem",
    "INVISIBLE",
    "first_not_text",
    "line_and_column",
]

PropertyType = Literal["string", "int", "float", "bool", "string[]"]

#: Python types accepted for each property type (bool is excluded from int on purpose).
PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "string[]": (list,),
}


@dataclass(frozen=True)
class Term:
    """One code of a closed vocabulary with its Japanese and English display names.

    >>> Term("chair", "会長・委員長", "chair").name("ja")
    '会長・委員長'
    """

    code: str
    ja: str
    en: str

    def name(self, lang: str = "ja") -> str:
        """The display name in ``lang`` (``ja`` or ``en``)."""
        return self.ja if lang == "ja" else self.en


Vocabulary = tuple[Term, ...]


@dataclass(frozen=True)
class Property:
    """A typed property. ``computed`` ones are set by the loader or the analysis, never
    written in data files; ``choices`` restricts a string to a closed vocabulary, given as
    codes (``terms`` gives them as :class:`Term` entries with their display names, and the
    codes follow from it);
    ``indexed`` ones get a Neo4j range index (the query library looks nodes up by them)."""

    name: str
    type: PropertyType
    doc: str
    required: bool = False
    choices: tuple[str, ...] | None = None
    computed: bool = False
    indexed: bool = False
    terms: Vocabulary = ()
    #: Display names (column headers, card rows); the name itself where none is given.
    title_ja: str = ""
    title_en: str = ""
    #: Text that may run over several lines (a quoted passage, a note): tab and line
    #: breaks are allowed in it; every other text is one line (see :func:`text_problem`).
    multiline: bool = False

    def __post_init__(self) -> None:
        if self.terms:
            object.__setattr__(self, "choices", tuple(term.code for term in self.terms))

    def term(self, code: str) -> Term | None:
        """The vocabulary entry of ``code``, or None."""
        return next((term for term in self.terms if term.code == code), None)

    def title(self, lang: str = "ja") -> str:
        """The property's display name in ``lang``."""
        return (self.title_ja if lang == "ja" else self.title_en) or self.name


@dataclass(frozen=True)
class NodeLabel:
    """A node label with its own properties (beside :data:`NODE_COMMON`) and its style.

    ``kind_terms`` is the label's vocabulary of finer classifications (:attr:`kinds` gives
    their codes). ``actor`` labels are
    the nodes that hold ties, sit on bodies and take part in projects; ``name_ja`` and
    ``name_en`` are the label's display names."""

    name: str
    doc: str
    id_prefix: str
    kind_terms: Vocabulary
    own_properties: tuple[Property, ...] = ()
    shape: str = "dot"
    name_ja: str = ""
    name_en: str = ""
    actor: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        """The codes of the label's kinds."""
        return tuple(term.code for term in self.kind_terms)

    @property
    def properties(self) -> tuple[Property, ...]:
        kind = Property(
            "kind", "string", "Finer classification.", True, indexed=True, terms=self.kind_terms
        )
        return (*NODE_COMMON[:1], kind, *NODE_COMMON[1:], *self.own_properties)

    def display_name(self, lang: str = "ja") -> str:
        """The label's name for people, in ``lang``."""
        return (self.name_ja if lang == "ja" else self.name_en) or self.name

    def property(self, name: str) -> Property:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.name} has no property {name!r}")


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type, the (FROM, TO) label pairs it may join, and its style.

    ``tie`` groups types into the tie kinds the brokerage analysis can select."""

    name: str
    doc: str
    endpoints: tuple[tuple[str, str], ...]
    tie: Literal["membership", "coordination", "joint_research", "funding", "structure", "record"]
    label_ja: str
    label_en: str
    own_properties: tuple[Property, ...] = ()
    dashes: bool = False
    color: str = "#8a8a8a"
    #: What the type means to analysis and queries, where something depends on it:
    #: ``part_of`` (a unit of its parent), ``post_of`` (a post of its holder organisation),
    #: ``breakdown`` (an alternative breakdown of a budget line). None for the others.
    meaning: Literal["part_of", "post_of", "breakdown"] | None = None

    def display_name(self, lang: str = "ja") -> str:
        """The type's name for people, in ``lang``."""
        return self.label_ja if lang == "ja" else self.label_en

    @property
    def properties(self) -> tuple[Property, ...]:
        return (*RELATIONSHIP_COMMON, *self.own_properties)

    def property(self, name: str) -> Property:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.name} has no property {name!r}")


#: The sectors of society, with their display names.
SECTOR_TERMS: Vocabulary = (
    Term("government", "行政", "Government"),
    Term("academia", "大学・研究機関", "Academia"),
    Term("industry", "産業", "Industry"),
    Term("finance", "金融", "Finance"),
    Term("medical", "医療", "Medical"),
    Term("other", "その他", "Other"),
)
SECTORS: tuple[str, ...] = tuple(term.code for term in SECTOR_TERMS)

#: Colour of each sector (colour-blind-safe Okabe-Ito palette), with its display names.
SECTOR_STYLE: dict[str, dict[str, str]] = {
    term.code: {"color": color, "ja": term.ja, "en": term.en}
    for term, color in zip(
        SECTOR_TERMS,
        ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#999999"),
        strict=True,
    )
}

#: How a fact is known from its span: the words say it, the slide's boxes, arrows or
#: headings show it, or a reader concludes it. Every node and relationship has one; a fact
#: that is not ``stated`` says why in ``basis_reason``, so a reviewer can weigh it.
BASIS_TERMS: Vocabulary = (
    Term("stated", "記載", "stated"),
    Term("layout", "図の配置", "layout"),
    Term("inferred", "推論", "inferred"),
)
#: The basis of a fact whose record gives none: most facts quote words that say them, and
#: marking the exceptions keeps the data files readable.
DEFAULT_BASIS = "stated"
_BASIS = (
    Property(
        "basis",
        "string",
        "How the span supports the fact (stated by default).",
        terms=BASIS_TERMS,
        indexed=True,
        title_ja="根拠",
        title_en="basis",
    ),
    Property(
        "basis_reason",
        "string",
        "One line: why a fact that is not stated is read so (required unless stated).",
        title_ja="根拠の説明",
        title_en="reason for the basis",
    ),
    Property(
        "basis_reason_ja",
        "string",
        "The reason in Japanese, what Japanese pages and reports show (basis_reason: English).",
        title_ja="根拠の説明（日本語）",
        title_en="reason for the basis (Japanese)",
    ),
)

_FISCAL = "Japanese fiscal year (April-March) as its Gregorian starting year, e.g. 2013 for H25."

#: Where a fact is stated: a span of a text source, or a row of a table source and the cells
#: it relies on. A fact several sources state keeps every citation in ``citations``; these
#: fields are its first.
_CITATION: tuple[Property, ...] = (
    Property("source_doc", "string", "Id of the source document that states this.", True),
    Property(
        "span",
        "string",
        "The exact text of the source that states this (of a table source: the cited cells, "
        "tab-separated, filled in by the loader).",
        multiline=True,
    ),
    Property(
        "span_line",
        "int",
        "1-based line where the span starts (of a table source: the row, the header being 1).",
        computed=True,
    ),
    Property(
        "span_columns",
        "string[]",
        "Of a table source: the columns of the cited row whose cells state this.",
    ),
    Property("span_sheet", "string", "Of an XLSX table source with several sheets: the sheet."),
    Property(
        "citations",
        "string[]",
        "Every place that states this, one per source record ('source:line: span', "
        "'source:row N: column=cell; ...'); written when several sources state it or a table "
        "row does (one text span is source_doc, span and span_line alone).",
        computed=True,
    ),
)

NODE_COMMON: tuple[Property, ...] = (
    Property("id", "string", "Stable id, '<prefix>:<slug>'.", required=True),
    Property("name_ja", "string", "Name in Japanese as the source writes it.", True, indexed=True),
    Property("name_en", "string", "Name in English.", required=True, indexed=True),
    Property("aliases", "string[]", "Other names and abbreviations the sources use."),
    Property(
        "known_as",
        "string[]",
        "Names known from elsewhere that the sources never write (IAB, MEXT): findable, "
        "but not quoted.",
        title_ja="資料外の呼称",
        title_en="known elsewhere as",
    ),
    Property(
        "name_keys",
        "string[]",
        "name_ja, name_en, aliases and known_as in matching form "
        "(biocluster_kg.kernel.names.name_key and fold_name).",
        computed=True,
    ),
    Property(
        "note", "string", "Curator's note: how the source's wording was read.", multiline=True
    ),
    *_CITATION,
    *_BASIS,
)

RELATIONSHIP_COMMON: tuple[Property, ...] = (
    Property("id", "string", "Stable id, derived from type and ends unless given.", True),
    Property(
        "note", "string", "Curator's note: how the source's wording was read.", multiline=True
    ),
    *_CITATION,
    *_BASIS,
)

#: Network measures written onto every node after analysis (see biocluster_kg.graph.brokerage).
COMPUTED_NODE_PROPERTIES: tuple[Property, ...] = (
    Property(
        "degree",
        "int",
        "Number of ties counted by the analysis.",
        computed=True,
        title_ja="つながりの数",
        title_en="degree",
    ),
    Property(
        "betweenness",
        "float",
        "Normalised betweenness centrality.",
        computed=True,
        title_ja="媒介中心性",
        title_en="betweenness",
    ),
    Property(
        "bridge_score",
        "float",
        "Betweenness on shortest paths from companies to the institute.",
        computed=True,
        title_ja="企業と研究所の橋渡し度",
        title_en="bridge score",
    ),
    Property(
        "bridged_companies",
        "int",
        "Companies with a shortest route to the institute through this actor.",
        computed=True,
        title_ja="橋渡しする企業の数",
        title_en="companies bridged",
    ),
    Property(
        "constraint",
        "float",
        "Burt's constraint.",
        computed=True,
        title_ja="制約度（Burt）",
        title_en="constraint",
    ),
    Property(
        "effective_size",
        "float",
        "Burt's effective size.",
        computed=True,
        title_ja="実効規模（Burt）",
        title_en="effective size",
    ),
    Property(
        "community",
        "int",
        "Community of the actor tie graph, numbered from 1 by size (Louvain, fixed seed).",
        computed=True,
        title_ja="コミュニティ",
        title_en="community",
    ),
    Property(
        "brokerage_roles",
        "string[]",
        "Gould-Fernandez roles held.",
        computed=True,
        title_ja="仲介の役割",
        title_en="brokerage roles",
        terms=(
            Term("coordinator", "調整役（集団内の仲介）", "coordinator"),
            Term("itinerant", "巡回役（外部からの仲介）", "itinerant"),
            Term("representative", "代表役（集団の外への窓口）", "representative"),
            Term("gatekeeper", "門番役（集団への入口）", "gatekeeper"),
            Term("liaison", "連絡役（異なる集団の間）", "liaison"),
        ),
    ),
)

#: The kinds of tie the brokerage analysis can count (``RelationshipType.tie``).
TIE_TERMS: Vocabulary = (
    Term("membership", "会議体の構成", "membership"),
    Term("coordination", "連携・調整", "coordination"),
    Term("joint_research", "共同研究", "joint research"),
    Term("funding", "資金・支援", "funding"),
    Term("structure", "組織の構造", "structure"),
    Term("record", "記録・数値", "record"),
)

#: Tie kinds the analysis counts unless told otherwise: all but ``record`` (figures measure,
#: outcomes are produced: neither is a tie between actors). See graph.tie_graph.
DEFAULT_TIE_KINDS: tuple[str, ...] = tuple(term.code for term in TIE_TERMS if term.code != "record")


def _fiscal_properties(prefix: str = "fiscal_year") -> tuple[Property, ...]:
    return (
        Property(prefix, "int", _FISCAL, indexed=prefix != "fiscal_year_end"),
        Property(
            f"{prefix}_ja",
            "string",
            "The same year in its era: 平成25年度, 令和元年度.",
            computed=True,
        ),
    )


_FISCAL_YEAR = _fiscal_properties()
#: "As of" a date (令和5年4月現在, 2026年4月1日現在): the day or month a number holds on.
_AS_OF = Property(
    "as_of",
    "string",
    "The date the number holds as of, ISO ('2023-04', '2026-04-01'): 令和5年4月現在.",
    title_ja="時点（現在）",
    title_en="as of",
)
_FISCAL_RANGE = (
    *_fiscal_properties("fiscal_year_start"),
    *_fiscal_properties("fiscal_year_end"),
    Property("period_ja", "string", "The period as the source writes it, e.g. 'H23～'."),
)
_SECTOR_REQUIRED = Property(
    "sector", "string", "Sector of society.", True, indexed=True, terms=SECTOR_TERMS
)
_SECTOR_OPTIONAL = Property(
    "sector", "string", "Sector of society.", False, indexed=True, terms=SECTOR_TERMS
)
_TAGS = Property("tags", "string[]", "Secondary classifications.")
_STATUS = Property(
    "status",
    "string",
    "Standing as of the source.",
    terms=(
        Term("new", "新規", "new"),
        Term("continuing", "継続", "continuing"),
        Term("expanded", "拡充", "expanded"),
        Term("new_and_expanded", "新規・拡充", "new and expanded"),
        Term("ongoing", "実施中", "ongoing"),
        Term("completed", "完了", "completed"),
        Term("started", "開始", "started"),
        Term("planned", "予定", "planned"),
        Term("decided", "決定", "decided"),
        Term("held", "開催", "held"),
        Term("recurring", "毎年", "recurring"),
        Term("occasional", "随時", "held from time to time"),
    ),
)
_FIELD = Property(
    "field",
    "string",
    "Research or activity field.",
    indexed=True,
    terms=(
        Term("agriculture_food", "農業・食品", "agriculture and food"),
        Term("medical_health", "医療・健康", "medicine and health"),
        Term("environment", "環境", "environment"),
        Term("education", "教育", "education"),
        Term("international", "国際", "international"),
        Term("training", "人材育成", "training"),
        Term("cluster_formation", "クラスター形成", "cluster formation"),
        Term("materials", "素材", "materials"),
        Term("general", "全般", "general"),
    ),
)

SCHEMA_NODES: tuple[NodeLabel, ...] = (
    NodeLabel(
        "Organization",
        "A named organisation: government body, university, institute, association, company.",
        "org",
        (
            Term("prefecture", "県", "prefecture"),
            Term("municipality", "市町村", "municipality"),
            Term("government_department", "行政の部局", "government department"),
            Term("government_division", "行政の課", "government division"),
            Term("national_government", "国", "national government"),
            Term("national_ministry", "省庁", "national ministry"),
            Term("funding_agency", "資金配分機関", "funding agency"),
            Term("foreign_agency", "海外の機関", "foreign agency"),
            Term("university", "大学", "university"),
            Term("university_faculty", "学部・研究科", "university faculty"),
            Term("research_institute", "研究所", "research institute"),
            Term("public_research_center", "公設試験研究機関", "public research centre"),
            Term("industry_association", "業界団体", "industry association"),
            Term("medical_association", "医師会", "medical association"),
            Term("dental_association", "歯科医師会", "dental association"),
            Term("bankers_association", "銀行協会", "bankers association"),
            Term("support_organization", "支援機関", "support organisation"),
            Term("company", "企業", "company"),
            Term("venture", "ベンチャー企業", "venture"),
            Term("high_school", "高等学校", "high school"),
        ),
        (_SECTOR_REQUIRED, _TAGS, Property("location_ja", "string", "Place, as written.")),
        shape="dot",
        name_ja="組織",
        name_en="Organisation",
        actor=True,
    ),
    NodeLabel(
        "Group",
        "Actors the source does not name, kept anonymous with a count where one is given.",
        "group",
        (
            Term("companies", "企業群", "companies"),
            Term("breweries", "酒蔵", "breweries"),
            Term("pharmaceutical_makers", "医薬品メーカー", "pharmaceutical makers"),
            Term("citizens", "市民", "citizens"),
            Term("residents", "住民", "residents"),
            Term("farmers", "農業者", "farmers"),
            Term("agricultural_corporations", "農業法人", "agricultural corporations"),
            Term("agricultural_cooperatives", "農業協同組合", "agricultural cooperatives"),
            Term("food_manufacturers", "食品製造業者", "food manufacturers"),
            Term("medical_companies", "医療関連企業", "medical companies"),
            Term("research_institutions", "研究機関", "research institutions"),
            Term("financial_institutions", "金融機関", "financial institutions"),
            Term("high_schools", "高等学校", "high schools"),
            Term("schools", "学校", "schools"),
            Term("researchers", "研究者", "researchers"),
            Term("students", "学生・生徒", "students"),
            Term("organization", "組織", "organisation"),
            Term("officials", "職員", "officials"),
        ),
        (
            _SECTOR_REQUIRED,
            Property("count", "int", "How many, when the source says."),
            Property("count_qualifier_ja", "string", "E.g. 'ほか' or '等' after the count."),
            _AS_OF,
            _TAGS,
            Property("location_ja", "string", "Place, as written."),
        ),
        shape="diamond",
        name_ja="匿名の集団",
        name_en="Unnamed group",
        actor=True,
    ),
    NodeLabel(
        "Body",
        "A council, committee, unit or office formed to run the cluster.",
        "body",
        (
            Term("council", "協議会・会議", "council"),
            Term("committee", "委員会", "committee"),
            Term("coordinator_unit", "コーディネーター", "coordinator unit"),
            Term("office", "事務局・室", "office"),
            Term("management_function", "管理法人の機能", "management function"),
            Term("administrative_unit", "事務組織", "administrative unit"),
        ),
        (_SECTOR_OPTIONAL,),
        shape="box",
        name_ja="会議体・組織体",
        name_en="Council / body",
        actor=True,
    ),
    NodeLabel(
        "Position",
        "A post held ex officio (the governor, a mayor, a department head); no person named.",
        "pos",
        (
            Term("head_of_government", "首長", "head of government"),
            Term("executive", "役員", "executive"),
            Term("department_head", "部長", "department head"),
            Term("director", "所長・センター長", "director"),
            Term("association_head", "団体の長", "association head"),
            Term("board_member", "理事", "board member"),
            Term("coordinator", "コーディネーター", "coordinator"),
            Term("representative", "代表者", "representative"),
        ),
        shape="ellipse",
        name_ja="役職",
        name_en="Position",
        actor=True,
    ),
    NodeLabel(
        "Function",
        "A task a body or organisation carries out (the Shonai centre's four functions, ...).",
        "fn",
        (
            Term("consensus_building", "合意形成", "consensus building"),
            Term("coordination", "連絡調整", "coordination"),
            Term("management", "管理", "management"),
            Term("guidance", "指導・助言", "guidance"),
            Term("support", "支援", "support"),
        ),
        (Property("number", "int", "Its number in the source (① -> 1)."),),
        shape="hexagon",
        name_ja="機能",
        name_en="Function",
    ),
    NodeLabel(
        "Program",
        "A programme, budget line or support scheme, with amounts in thousand yen.",
        "prog",
        (
            Term("budget", "予算", "budget"),
            Term("budget_section", "予算の区分", "budget section"),
            Term("budget_line", "予算事業", "budget line"),
            Term("budget_detail", "予算の内訳", "budget detail"),
            Term("program", "事業", "programme"),
            Term("support_scheme", "支援制度", "support scheme"),
            Term("support_tier", "支援の段階", "support tier"),
            Term("activity", "取組み", "activity"),
            Term("national_program", "国の事業", "national programme"),
            Term("fund", "基金", "fund"),
        ),
        (
            *_FISCAL_YEAR,
            *_FISCAL_RANGE,
            _STATUS,
            Property("number_label", "string", "Its number as written: '1', '(1)', '①'."),
            Property("amount_thousand_yen", "int", "Budget amount in 千円 (thousand yen)."),
            Property("unit_amount_thousand_yen", "int", "Amount per case in 千円."),
            Property("unit_count", "int", "Number of cases (件) planned."),
            Property("amount_min_thousand_yen", "int", "Lower end of a stated range, 千円."),
            Property("amount_max_thousand_yen", "int", "Upper end of a stated range, 千円."),
            Property("staff_count", "int", "Number of staff (名) the line pays for."),
            Property("ladder_step", "int", "Position on the company support ladder (1 = first)."),
            Property("description_ja", "string", "What it does, as written."),
            Property(
                "topics_ja",
                "string[]",
                "Fields or topics the line names, each as written in its span.",
                title_ja="分野・テーマ",
                title_en="fields and topics",
            ),
        ),
        shape="square",
        name_ja="事業・予算",
        name_en="Programme / budget",
    ),
    NodeLabel(
        "Project",
        "A joint-research project, research line or education activity, with field and years.",
        "proj",
        (
            Term("joint_research", "共同研究", "joint research"),
            Term("research", "研究", "research"),
            Term("research_plan", "研究計画", "research plan"),
            Term("education_plan", "教育計画", "education plan"),
            Term("education", "教育", "education"),
            Term("training", "研修・人材育成", "training"),
            Term("cohort_study", "コホート研究", "cohort study"),
            Term("commercialization", "実用化", "commercialisation"),
            Term("initiative", "取組み", "initiative"),
        ),
        (*_FISCAL_RANGE, _FIELD, Property("field_ja", "string", "Field as written."), _STATUS),
        shape="triangle",
        name_ja="研究・教育プロジェクト",
        name_en="Project",
    ),
    NodeLabel(
        "Outcome",
        "A result: a product, method, diagnostic, finding or material.",
        "out",
        (
            Term("product", "製品", "product"),
            Term("method", "手法", "method"),
            Term("diagnostic", "診断法", "diagnostic"),
            Term("finding", "知見", "finding"),
            Term("material", "素材", "material"),
            Term("plan", "計画", "plan"),
        ),
        (*_FISCAL_YEAR,),
        shape="star",
        name_ja="成果",
        name_en="Outcome",
    ),
    NodeLabel(
        "Event",
        "A meeting, conference or summit, with dates and attendance.",
        "event",
        (
            Term("meeting", "会議", "meeting"),
            Term("conference", "国際会議・学会", "conference"),
            Term("summit", "サミット", "summit"),
            Term("lecture", "講演会", "lecture"),
        ),
        (
            *_FISCAL_YEAR,
            _STATUS,
            Property("date_start", "string", "ISO date or month, e.g. '2012-10'."),
            Property("date_end", "string", "ISO date or month."),
            Property("date_ja", "string", "The date as the source writes it."),
            Property("attendance", "int", "Number of participants (名)."),
            Property("school_count", "int", "Number of participating schools (校)."),
            Property("location_ja", "string", "Place, as written."),
        ),
        shape="triangleDown",
        name_ja="会議・行事",
        name_en="Event",
    ),
    NodeLabel(
        "Figure",
        "A figure by year: education numbers, staff counts, case counts.",
        "fig",
        (
            Term("education", "教育", "education"),
            Term("staffing", "人員", "staffing"),
            Term("cases", "件数", "cases"),
        ),
        (
            *_FISCAL_YEAR,
            Property("metric", "string", "What is counted.", True, indexed=True),
            Property("value", "int", "The number.", True),
            _AS_OF,
            Property("unit_ja", "string", "The counter as written: 名, 件, 校, 社."),
            Property("scope_ja", "string", "Whom it counts, as written, e.g. '鶴岡南ほか'."),
            Property(
                "stage",
                "string",
                "For a change written 'A→B': whether the figure is the number before or after.",
                indexed=True,
                terms=(Term("before", "変更前", "before"), Term("after", "変更後", "after")),
                title_ja="変更の前後",
                title_en="before or after",
            ),
        ),
        shape="text",
        name_ja="数値",
        name_en="Figure",
    ),
)

#: The roles of MEMBER_OF and PARTICIPATES_IN, with their display names.
ROLE_TERMS: Vocabulary = (
    Term("chair", "会長・委員長", "chair"),
    Term("vice_chair", "副会長・副委員長", "vice-chair"),
    Term("member", "委員・構成員", "member"),
    Term("lead", "代表・中心", "lead"),
    Term("partner", "連携先", "partner"),
    Term("subject", "対象", "subject"),
    Term("host", "主催", "host"),
    Term("participant", "参加", "participant"),
    Term("secretariat", "事務局", "secretariat"),
    # 管理法人機能 庄内産業振興センター等: the centre fills the function; it is no seat.
    Term("serves_as", "機能を担う", "serves as"),
    # Written in a body's box with no title: the slide shows it there and says no more.
    Term("listed", "枠内に記載（役割の記載なし）", "listed in its box (no role given)"),
)

#: The labels of actors: who can hold ties, sit on bodies and take part in projects
#: (the labels whose :attr:`NodeLabel.actor` is set).
ACTOR_LABELS: tuple[str, ...] = tuple(label.name for label in SCHEMA_NODES if label.actor)
_ALL_ACTORS = ACTOR_LABELS


def _pairs(froms: tuple[str, ...], tos: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a in froms for b in tos)


SCHEMA_RELATIONSHIPS: tuple[RelationshipType, ...] = (
    RelationshipType(
        "PART_OF",
        "Is a part, department, unit or sub-line of.",
        (
            ("Organization", "Organization"),
            # One named school of the source's "鶴岡南ほか" (it and others).
            ("Organization", "Group"),
            ("Body", "Organization"),
            ("Body", "Body"),
            ("Program", "Program"),
            ("Project", "Project"),
            # A meeting that is an item of a year's activities: (1) 推進会議の開催.
            ("Event", "Program"),
        ),
        "structure",
        "一部",
        "part of",
        color="#b0b0b0",
        meaning="part_of",
    ),
    RelationshipType(
        "BREAKDOWN_OF",
        "Is one item of an alternative breakdown (内訳) of a budget line.",
        (("Program", "Program"),),
        "structure",
        "内訳",
        "breakdown of",
        dashes=True,
        color="#b0b0b0",
        meaning="breakdown",
    ),
    RelationshipType(
        "POSITION_IN",
        "The position is a post of this organisation or body.",
        (("Position", "Organization"), ("Position", "Body"), ("Position", "Group")),
        "membership",
        "役職",
        "post in",
        color="#6c6c6c",
        meaning="post_of",
    ),
    RelationshipType(
        "MEMBER_OF",
        "Sits on a council or committee, fills a body's function (serves_as) or is listed in "
        "its box with no title (listed), in a role.",
        _pairs(_ALL_ACTORS, ("Body",)),
        "membership",
        "構成員",
        "member of",
        (
            Property(
                "role",
                "string",
                "chair, vice_chair, member, serves_as or listed.",
                True,
                terms=ROLE_TERMS,
            ),
            Property("role_ja", "string", "The role as written: 会長, 副会長, 委員長, ..."),
        ),
        color="#0072B2",
    ),
    RelationshipType(
        "PERFORMS",
        "Carries out a function.",
        _pairs(_ALL_ACTORS, ("Function",)),
        "coordination",
        "機能",
        "performs",
        color="#56B4E9",
    ),
    RelationshipType(
        "TARGETS",
        "Is aimed at (対象), surveys, serves or coordinates with these actors; a programme "
        "may be about another (評価 of a period).",
        (
            *_pairs(("Function", "Program", "Project", "Event"), _ALL_ACTORS),
            ("Program", "Program"),
        ),
        "coordination",
        "対象",
        "targets",
        dashes=True,
        color="#56B4E9",
    ),
    RelationshipType(
        "COORDINATES_WITH",
        "Liaises or coordinates with.",
        _pairs(_ALL_ACTORS, _ALL_ACTORS),
        "coordination",
        "連携調整",
        "coordinates with",
        color="#56B4E9",
    ),
    RelationshipType(
        "GUIDES",
        "Gives guidance or advice to, or works on.",
        _pairs(_ALL_ACTORS, _ALL_ACTORS),
        "coordination",
        "指導・助言",
        "guides",
        dashes=True,
        color="#56B4E9",
    ),
    RelationshipType(
        "IMPLEMENTS",
        "Carries out (実施主体) a programme or activity.",
        _pairs(_ALL_ACTORS, ("Program", "Project", "Event")),
        "funding",
        "実施",
        "implements",
        color="#009E73",
    ),
    RelationshipType(
        "FUNDS",
        "Pays for.",
        _pairs(("Organization", "Program"), ("Program", "Project", "Organization", "Event")),
        "funding",
        "支援",
        "funds",
        color="#E69F00",
    ),
    RelationshipType(
        "SUPPORTS",
        "A programme that supports these actors or projects.",
        _pairs(("Program",), (*_ALL_ACTORS, "Project")),
        "funding",
        "支援対象",
        "supports",
        dashes=True,
        color="#E69F00",
    ),
    RelationshipType(
        "PARTICIPATES_IN",
        "Takes part in a project or event, in a role.",
        _pairs(_ALL_ACTORS, ("Project", "Event")),
        "joint_research",
        "参加",
        "takes part in",
        (
            Property(
                "role",
                "string",
                "lead, partner, subject, host, participant.",
                True,
                terms=ROLE_TERMS,
            ),
            Property("role_ja", "string", "The role as the source words it."),
        ),
        color="#D55E00",
    ),
    RelationshipType(
        "PROGRAMME_OF",
        "The programme is this organisation's (国の…事業, 県の…事業); the source says no more: "
        "not who pays for it or carries it out.",
        (("Program", "Organization"),),
        "funding",
        "所管",
        "programme of",
        dashes=True,
        color="#009E73",
    ),
    RelationshipType(
        "WORKS_ON",
        "The project carries out work on, or towards, this result (開発を実施, 実用化, "
        "計画に着手); the source does not say it was achieved.",
        (("Project", "Outcome"),),
        "record",
        "取組み",
        "works on",
        dashes=True,
        color="#CC79A7",
    ),
    RelationshipType(
        "PRODUCED",
        "Led to this outcome.",
        _pairs(("Project", "Organization", "Program"), ("Outcome",)),
        "record",
        "成果",
        "produced",
        color="#CC79A7",
    ),
    RelationshipType(
        "VENTURE_OF",
        "Listed as a venture of the institute's cluster formation.",
        (("Organization", "Organization"),),
        "joint_research",
        "ベンチャー",
        "venture of",
        color="#D55E00",
    ),
    RelationshipType(
        "MEASURES",
        "The figure counts this actor, programme, project or event.",
        _pairs(("Figure",), (*_ALL_ACTORS, "Program", "Project", "Event")),
        "record",
        "数値",
        "measures",
        dashes=True,
        color="#c0c0c0",
    ),
)


@dataclass(frozen=True)
class Schema:
    """The node labels and relationship types, with lookups and an identifier allow-list."""

    nodes: tuple[NodeLabel, ...]
    relationships: tuple[RelationshipType, ...]
    _by_label: dict[str, NodeLabel] = field(init=False, repr=False, compare=False)
    _by_type: dict[str, RelationshipType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_label", {n.name: n for n in self.nodes})
        object.__setattr__(self, "_by_type", {r.name: r for r in self.relationships})
        for rel in self.relationships:
            for start, end in rel.endpoints:
                if start not in self._by_label or end not in self._by_label:
                    raise BioclusterError(f"{rel.name}: unknown label in ({start}, {end})")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self._by_label)

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self._by_type)

    def node(self, label: str) -> NodeLabel:
        try:
            return self._by_label[label]
        except KeyError:
            raise BioclusterError(f"unknown node label {label!r}") from None

    def relationship(self, type_: str) -> RelationshipType:
        try:
            return self._by_type[type_]
        except KeyError:
            raise BioclusterError(f"unknown relationship type {type_!r}") from None

    def has_label(self, label: str) -> bool:
        return label in self._by_label

    def has_type(self, type_: str) -> bool:
        return type_ in self._by_type

    def label_for_id(self, node_id: str) -> str | None:
        """The label whose id prefix the id carries, or None."""
        prefix = node_id.split(":", 1)[0]
        for label in self.nodes:
            if label.id_prefix == prefix:
                return label.name
        return None

    def all_node_properties(self) -> tuple[Property, ...]:
        """Union of every label's properties plus the computed measures, first seen wins.

        The embedded engine declares this union on every node table so that a query over
        unlabeled nodes can name any property on both backends."""
        seen: dict[str, Property] = {}
        for label in self.nodes:
            for prop in label.properties:
                seen.setdefault(prop.name, prop)
        for prop in COMPUTED_NODE_PROPERTIES:
            seen.setdefault(prop.name, prop)
        return tuple(seen.values())

    def all_relationship_properties(self) -> tuple[Property, ...]:
        seen: dict[str, Property] = {}
        for rel in self.relationships:
            for prop in rel.properties:
                seen.setdefault(prop.name, prop)
        return tuple(seen.values())

    def property_names(self) -> tuple[str, ...]:
        """Every node and relationship property name, once each: the allow-list a property
        name is quoted against (:func:`quote_identifier`)."""
        properties = (*self.all_node_properties(), *self.all_relationship_properties())
        return tuple(dict.fromkeys(prop.name for prop in properties))

    def check_types(self) -> None:
        """A property name must mean one type everywhere (both engines need that)."""
        types: dict[str, str] = {}
        for prop in (*self.all_node_properties(), *self.all_relationship_properties()):
            if types.setdefault(prop.name, prop.type) != prop.type:
                raise BioclusterError(f"property {prop.name!r} has two types")

    def ties(self, kinds: tuple[str, ...]) -> tuple[str, ...]:
        """Relationship types whose tie kind is one of ``kinds``."""
        return tuple(r.name for r in self.relationships if r.tie in kinds)

    @property
    def actor_labels(self) -> tuple[str, ...]:
        """The labels of actors (:attr:`NodeLabel.actor`), in schema order."""
        return tuple(label.name for label in self.nodes if label.actor)

    def types_meaning(self, meaning: str) -> tuple[str, ...]:
        """The relationship types whose :attr:`RelationshipType.meaning` is ``meaning``.

        >>> SCHEMA.types_meaning("part_of"), SCHEMA.types_meaning("post_of")
        (('PART_OF',), ('POSITION_IN',))
        """
        return tuple(r.name for r in self.relationships if r.meaning == meaning)

    def indexed_properties(self, label: str) -> tuple[str, ...]:
        """The properties of ``label`` that get a Neo4j range index."""
        return tuple(prop.name for prop in self.node(label).properties if prop.indexed)

    def term_name(self, property_name: str, code: str, lang: str = "ja") -> str:
        """The display name of a vocabulary code, looked up on any label or type that has
        ``property_name`` (``kind`` codes differ by label: use :meth:`kind_name`); the code
        itself when the vocabulary does not know it.

        >>> SCHEMA.term_name("role", "chair"), SCHEMA.term_name("sector", "industry", "en")
        ('会長・委員長', 'Industry')
        """
        for prop in (*self.all_node_properties(), *self.all_relationship_properties()):
            if prop.name == property_name and (term := prop.term(code)):
                return term.name(lang)
        if property_name == "tie":
            for term in TIE_TERMS:
                if term.code == code:
                    return term.name(lang)
        return code

    def kind_name(self, label: str, code: str, lang: str = "ja") -> str:
        """The display name of a node's ``kind`` (the code when unknown).

        >>> SCHEMA.kind_name("Organization", "support_organization")
        '支援機関'
        """
        if self.has_label(label):
            for term in self.node(label).kind_terms:
                if term.code == code:
                    return term.name(lang)
        return code

    def property_terms(self, name: str) -> Vocabulary:
        """The vocabulary of a property of any label or type (the first that has one)."""
        for prop in (*self.all_node_properties(), *self.all_relationship_properties()):
            if prop.name == name and prop.terms:
                return prop.terms
        return ()

    def property_title(self, name: str, lang: str = "ja") -> str:
        """The display name of a property of any label or type (the name when none)."""
        for prop in (*self.all_node_properties(), *self.all_relationship_properties()):
            if prop.name == name:
                return prop.title(lang)
        return name

    def __iter__(self) -> Iterator[NodeLabel]:
        return iter(self.nodes)


def quote_identifier(name: str, allowed: tuple[str, ...]) -> str:
    """Backtick-quote a label, type or property name that is on the allow-list.

    >>> quote_identifier("Organization", SCHEMA.labels)
    '`Organization`'
    >>> quote_identifier("x` DETACH DELETE n //", SCHEMA.labels)
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.BioclusterError: 'x` DETACH DELETE n //' is not in the schema
    """
    if name not in allowed:
        raise BioclusterError(f"{name!r} is not in the schema")
    return f"`{name}`"


# The text type, decided once: a value may hold any character a document may hold, but not
# the ones that are not text at all. Lone surrogates cannot be encoded (both stores fail on
# them); C0/C1 controls and DEL drive terminals (ESC, OSC 52 clipboard writes) and make the
# XLSX export fail; noncharacters (U+FFFE, U+FDD0...) yield files other programs refuse.
# Invisible format characters (Unicode's category Cf: bidirectional overrides such as U+202E,
# zero-width space and joiners, U+FEFF, tag characters) and the line and paragraph separators
# U+2028/U+2029 show nothing, or reorder what is shown: they make two ids or names that look
# the same differ, and hide text from a reader. (Variation selectors stay: they choose a
# kanji's form.) The list is Unicode 15's Cf; a test compares it with unicodedata.
INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + INVISIBLE
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
_LINE_BREAKS = re.compile("[\t\n\r]")


def text_problem(text: str, multiline: bool = False) -> str | None:
    """Why ``text`` may not be a text value, or None if it may.

    Refused everywhere: lone surrogates, C0 and C1 control characters, DEL and Unicode
    noncharacters. Tab and line breaks only where ``multiline`` (see
    :attr:`Property.multiline`; a whole data file is multiline).

    >>> text_problem("慶應先端研") is None, text_problem("a\\nb", multiline=True) is None
    (True, True)
    >>> text_problem("a\\x1b]52;c;cHduZWQ=\\x07")
    'contains the control character U+001B at position 2'
    >>> text_problem("P\\ud800"), text_problem("a\\tb")
    ('contains a lone surrogate U+D800 at position 2', 'contains a tab at position 2')
    """
    found = first_not_text(text, multiline)
    return None if found is None else f"contains {found[1]} at position {found[0] + 1}"


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``, as an error names them.

    >>> line_and_column("ab\\ncd", 4)
    (2, 2)
    """
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def first_not_text(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """Index and description of the first character :func:`text_problem` refuses.

    >>> first_not_text("ab\\ufffe")
    (2, 'the noncharacter U+FFFE')
    """
    found = _NOT_TEXT.search(text) or (None if multiline else _LINE_BREAKS.search(text))
    if found is None:
        return None
    character = found.group()
    code = ord(character)
    if character == "\t":
        what = "a tab"
    elif character in "\n\r":
        what = "a line break"
    elif 0xD800 <= code <= 0xDFFF:
        what = f"a lone surrogate U+{code:04X}"
    elif code == 0:
        what = "a NUL character"
    elif code <= 0x9F:
        what = f"the control character U+{code:04X}"
    elif re.fullmatch(f"[{INVISIBLE}]", character):
        name = unicodedata.name(character, "").lower()
        what = f"the invisible character U+{code:04X}" + (f" ({name})" if name else "")
    else:
        what = f"the noncharacter U+{code:04X}"
    return found.start(), what


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only white space, invisible characters and marks that
    combine with a character before them (a name of only U+0301 or U+200B is empty).

    >>> is_blank(" \u3000"), is_blank("\u0301\u0308"), is_blank("e\u0301")
    (True, True, False)
    """
    return all(
        character.isspace() or unicodedata.category(character) in ("Mn", "Me", "Cf")
        for character in text
    )


def id_problem(node_id: str) -> str | None:
    """Why ``node_id`` may not be an id, or None: an id must be in Unicode's compatibility
    normal form (NFKC), so that fullwidth letters, mathematical letters and no-break spaces
    that look like an existing id cannot make a second node.

    >>> id_problem("fn:probe") is None, id_problem("org:慶應先端研") is None
    (True, True)
    >>> id_problem("fn:\uff50robe")[:47]
    "looks like 'fn:probe' but is written with other"
    """
    normal = unicodedata.normalize("NFKC", node_id)
    if normal == node_id:
        return None
    return (
        f"looks like {normal!r} but is written with other characters (fullwidth or "
        f"mathematical letters, a no-break space...); write it as {normal!r}"
    )


def coerce_value(prop: Property, value: Any) -> bool:
    """True if ``value`` has the Python type the property needs."""
    if value is None:
        return True
    if prop.type == "int" and isinstance(value, bool):
        return False
    if not isinstance(value, PYTHON_TYPES[prop.type]):
        return False
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return True


SCHEMA = Schema(SCHEMA_NODES, SCHEMA_RELATIONSHIPS)
SCHEMA.check_types()
