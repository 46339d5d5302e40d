"""The one declarative schema of the knowledge base.

Everything that needs to know what a node or a relationship may be reads it from here:
validation of the data files, the Neo4j constraints and indexes, the Ladybug DDL, the
identifier allow-list for Cypher, and the styling of the network page. Adding a
relationship type is one edit to :data:`SCHEMA`.

Each node has exactly one label (the embedded engine's rule); finer classifications are the
``kind`` property and list properties such as ``tags``.

>>> SCHEMA.node("Organization").property("sector").choices[:3]
('government', 'academia', 'industry')
>>> ("Position", "Body") in SCHEMA.relationship("MEMBER_OF").endpoints
True
"""

from __future__ import annotations

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
    "NODE_COMMON",
    "RELATIONSHIP_COMMON",
    "COMPUTED_NODE_PROPERTIES",
    "quote_identifier",
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
class Property:
    """A typed property. ``computed`` ones are set by the loader or the analysis, never
    written in data files; ``choices`` restricts a string to a closed vocabulary."""

    name: str
    type: PropertyType
    doc: str
    required: bool = False
    choices: tuple[str, ...] | None = None
    computed: bool = False


@dataclass(frozen=True)
class NodeLabel:
    """A node label with its own properties (beside :data:`NODE_COMMON`) and its style."""

    name: str
    doc: str
    id_prefix: str
    kinds: tuple[str, ...]
    own_properties: tuple[Property, ...] = ()
    shape: str = "dot"

    @property
    def properties(self) -> tuple[Property, ...]:
        kind = Property("kind", "string", "Finer classification.", True, self.kinds)
        return (*NODE_COMMON[:1], kind, *NODE_COMMON[1:], *self.own_properties)

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

    @property
    def properties(self) -> tuple[Property, ...]:
        return (*RELATIONSHIP_COMMON, *self.own_properties)

    def property(self, name: str) -> Property:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.name} has no property {name!r}")


SECTORS: tuple[str, ...] = ("government", "academia", "industry", "finance", "medical", "other")

#: Colour and display names of each sector (colour-blind-safe Okabe-Ito palette).
SECTOR_STYLE: dict[str, dict[str, str]] = {
    "government": {"color": "#0072B2", "ja": "行政", "en": "Government"},
    "academia": {"color": "#009E73", "ja": "大学・研究機関", "en": "Academia"},
    "industry": {"color": "#E69F00", "ja": "産業", "en": "Industry"},
    "finance": {"color": "#CC79A7", "ja": "金融", "en": "Finance"},
    "medical": {"color": "#D55E00", "ja": "医療", "en": "Medical"},
    "other": {"color": "#999999", "ja": "その他", "en": "Other"},
}

_FISCAL = "Japanese fiscal year (April-March) as its Gregorian starting year, e.g. 2013 for H25."

NODE_COMMON: tuple[Property, ...] = (
    Property("id", "string", "Stable id, '<prefix>:<slug>'.", required=True),
    Property("name_ja", "string", "Name in Japanese as the source writes it.", required=True),
    Property("name_en", "string", "Name in English.", required=True),
    Property("aliases", "string[]", "Other names and abbreviations the sources use."),
    Property(
        "name_keys",
        "string[]",
        "name_ja, name_en and aliases in matching form (biocluster_kg.kernel.names.name_key).",
        computed=True,
    ),
    Property("note", "string", "Curator's note: how the source's wording was read."),
    Property("source_doc", "string", "Id of the source document that states this.", True),
    Property("span", "string", "The exact text of the source that states this.", True),
    Property("span_line", "int", "1-based line where the span starts.", computed=True),
)

RELATIONSHIP_COMMON: tuple[Property, ...] = (
    Property("id", "string", "Stable id, derived from type and ends unless given.", True),
    Property("note", "string", "Curator's note: how the source's wording was read."),
    Property("source_doc", "string", "Id of the source document that states this.", True),
    Property("span", "string", "The exact text of the source that states this.", True),
    Property("span_line", "int", "1-based line where the span starts.", computed=True),
)

#: Network measures written onto every node after analysis (see biocluster_kg.graph.brokerage).
COMPUTED_NODE_PROPERTIES: tuple[Property, ...] = (
    Property("degree", "int", "Number of ties counted by the analysis.", computed=True),
    Property("betweenness", "float", "Normalised betweenness centrality.", computed=True),
    Property(
        "bridge_score",
        "float",
        "Betweenness on shortest paths from companies to the institute.",
        computed=True,
    ),
    Property(
        "bridged_companies",
        "int",
        "Companies with a shortest route to the institute through this actor.",
        computed=True,
    ),
    Property("constraint", "float", "Burt's constraint.", computed=True),
    Property("effective_size", "float", "Burt's effective size.", computed=True),
    Property("brokerage_roles", "string[]", "Gould-Fernandez roles held.", computed=True),
)


def _fiscal_properties(prefix: str = "fiscal_year") -> tuple[Property, ...]:
    return (
        Property(prefix, "int", _FISCAL),
        Property(f"{prefix}_ja", "string", "The same year as 平成N年度.", computed=True),
    )


_FISCAL_YEAR = _fiscal_properties()
_FISCAL_RANGE = (
    *_fiscal_properties("fiscal_year_start"),
    *_fiscal_properties("fiscal_year_end"),
    Property("period_ja", "string", "The period as the source writes it, e.g. 'H23～'."),
)
_SECTOR_REQUIRED = Property("sector", "string", "Sector of society.", True, SECTORS)
_SECTOR_OPTIONAL = Property("sector", "string", "Sector of society.", False, SECTORS)
_TAGS = Property("tags", "string[]", "Secondary classifications.")
_STATUS = Property(
    "status",
    "string",
    "Standing as of the source.",
    choices=(
        "new",
        "continuing",
        "expanded",
        "new_and_expanded",
        "ongoing",
        "completed",
        "started",
        "planned",
        "decided",
        "held",
        "recurring",
    ),
)
_FIELD = Property(
    "field",
    "string",
    "Research or activity field.",
    choices=(
        "agriculture_food",
        "medical_health",
        "environment",
        "education",
        "international",
        "training",
        "cluster_formation",
        "materials",
        "general",
    ),
)

SCHEMA_NODES: tuple[NodeLabel, ...] = (
    NodeLabel(
        "Organization",
        "A named organisation: government body, university, institute, association, company.",
        "org",
        (
            "prefecture",
            "municipality",
            "government_department",
            "government_division",
            "national_government",
            "national_ministry",
            "funding_agency",
            "foreign_agency",
            "university",
            "university_faculty",
            "research_institute",
            "public_research_center",
            "industry_association",
            "medical_association",
            "dental_association",
            "bankers_association",
            "support_organization",
            "company",
            "venture",
            "high_school",
        ),
        (_SECTOR_REQUIRED, _TAGS, Property("location_ja", "string", "Place, as written.")),
        shape="dot",
    ),
    NodeLabel(
        "Group",
        "Actors the source does not name, kept anonymous with a count where one is given.",
        "group",
        (
            "companies",
            "breweries",
            "pharmaceutical_makers",
            "citizens",
            "residents",
            "farmers",
            "agricultural_corporations",
            "agricultural_cooperatives",
            "food_manufacturers",
            "medical_companies",
            "research_institutions",
            "financial_institutions",
            "high_schools",
            "schools",
            "researchers",
            "students",
            "organization",
            "officials",
        ),
        (
            _SECTOR_REQUIRED,
            Property("count", "int", "How many, when the source says."),
            Property("count_qualifier_ja", "string", "E.g. 'ほか' or '等' after the count."),
            _TAGS,
            Property("location_ja", "string", "Place, as written."),
        ),
        shape="diamond",
    ),
    NodeLabel(
        "Body",
        "A council, committee, unit or office formed to run the cluster.",
        "body",
        (
            "council",
            "committee",
            "coordinator_unit",
            "office",
            "management_function",
            "administrative_unit",
        ),
        (_SECTOR_OPTIONAL,),
        shape="box",
    ),
    NodeLabel(
        "Position",
        "A post held ex officio (the governor, a mayor, a department head); no person named.",
        "pos",
        (
            "head_of_government",
            "executive",
            "department_head",
            "director",
            "association_head",
            "board_member",
            "coordinator",
            "representative",
        ),
        shape="ellipse",
    ),
    NodeLabel(
        "Function",
        "A task a body or organisation carries out (the Shonai centre's four functions, ...).",
        "fn",
        ("consensus_building", "coordination", "management", "guidance", "support"),
        (Property("number", "int", "Its number in the source (① -> 1)."),),
        shape="hexagon",
    ),
    NodeLabel(
        "Program",
        "A programme, budget line or support scheme, with amounts in thousand yen.",
        "prog",
        (
            "budget",
            "budget_section",
            "budget_line",
            "budget_detail",
            "program",
            "support_scheme",
            "support_tier",
            "activity",
            "national_program",
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
        ),
        shape="square",
    ),
    NodeLabel(
        "Project",
        "A joint-research project, research line or education activity, with field and years.",
        "proj",
        (
            "joint_research",
            "research",
            "research_plan",
            "education_plan",
            "education",
            "training",
            "cohort_study",
            "commercialization",
            "initiative",
        ),
        (*_FISCAL_RANGE, _FIELD, Property("field_ja", "string", "Field as written."), _STATUS),
        shape="triangle",
    ),
    NodeLabel(
        "Outcome",
        "A result: a product, method, diagnostic, finding or material.",
        "out",
        ("product", "method", "diagnostic", "finding", "material", "plan"),
        (*_FISCAL_YEAR,),
        shape="star",
    ),
    NodeLabel(
        "Event",
        "A meeting, conference or summit, with dates and attendance.",
        "event",
        ("meeting", "conference", "summit", "lecture"),
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
    ),
    NodeLabel(
        "Figure",
        "A figure by year: education numbers, staff counts, case counts.",
        "fig",
        ("education", "staffing", "cases"),
        (
            *_FISCAL_YEAR,
            Property("metric", "string", "What is counted, e.g. 'research_assistants'.", True),
            Property("value", "int", "The number.", True),
            Property("unit_ja", "string", "The counter as written: 名, 件, 校, 社."),
            Property("scope_ja", "string", "Whom it counts, as written, e.g. '鶴岡南ほか'."),
        ),
        shape="text",
    ),
)

_ROLE_CHOICES = (
    "chair",
    "vice_chair",
    "member",
    "lead",
    "partner",
    "subject",
    "host",
    "participant",
    "secretariat",
)

_ALL_ACTORS = ("Organization", "Group", "Body", "Position")
#: The labels of actors: who can hold ties, sit on bodies and take part in projects.
ACTOR_LABELS = _ALL_ACTORS


def _pairs(froms: tuple[str, ...], tos: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a in froms for b in tos)


SCHEMA_RELATIONSHIPS: tuple[RelationshipType, ...] = (
    RelationshipType(
        "PART_OF",
        "Is a part, department, unit or sub-line of.",
        (
            ("Organization", "Organization"),
            ("Body", "Organization"),
            ("Body", "Body"),
            ("Program", "Program"),
            ("Project", "Project"),
        ),
        "structure",
        "一部",
        "part of",
        color="#b0b0b0",
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
    ),
    RelationshipType(
        "POSITION_IN",
        "The position is a post of this organisation or body.",
        (("Position", "Organization"), ("Position", "Body"), ("Position", "Group")),
        "membership",
        "役職",
        "post in",
        color="#6c6c6c",
    ),
    RelationshipType(
        "MEMBER_OF",
        "Sits on the council or committee, in a role.",
        _pairs(_ALL_ACTORS, ("Body",)),
        "membership",
        "構成員",
        "member of",
        (
            Property("role", "string", "chair, vice_chair or member.", True, _ROLE_CHOICES),
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
        "Is aimed at, surveys, serves or coordinates with these actors.",
        _pairs(("Function", "Program", "Project"), _ALL_ACTORS),
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
        _pairs(("Organization", "Program"), ("Program", "Project", "Organization")),
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
                "role", "string", "lead, partner, subject, host, participant.", True, _ROLE_CHOICES
            ),
            Property("role_ja", "string", "The role as the source words it."),
        ),
        color="#D55E00",
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
