"""``biocluster check``: prove the knowledge base says only what its sources say, and show
how much of each source it captures.

Beyond validation (which already proves every span occurs in its source), the check:

- measures **line coverage**: which non-blank source lines no fact's span touches;
- lists every **yen amount, count and date** in a source that no fact carries, where
  "carries" means a fact whose cited span covers that very text holds the same value in a
  typed property (an amount in a ``*_thousand_yen`` property, a count in ``value``,
  ``count``, ``attendance``..., an era year (平成, 令和, 昭和; H25, R5) in a fiscal-year property or
  a date);
- checks that every actor's Japanese name and every alias are written in the source, and
  that no name known only from elsewhere (``known_as``) is (it would be an alias);
- checks that every topic a line names (``topics_ja``) is written in that line's span;
- counts the facts by basis: stated, read from the layout, or inferred.

It is also **the one gate** (:func:`gate`): every entry point that reads the data files
(``load``, ``demo``, ``viz``, ``analyze``, ``export``, ``report``, ``figure``, the notebooks'
session) refuses exactly what ``check`` refuses, with the same message, before anything is
written. **Truth is a gate; completeness is a report.** The decision, stated once in
:data:`REFUSED` and :data:`REPORTED`:

- refused (errors), in every workspace: what would make the knowledge base say more than
  its source: an actor's name or alias its source does not write, a table cell a fact
  cites whose value the fact does not carry, a profile (``cluster.yaml``) naming an
  institute or budget root the knowledge base does not hold; validation already refused
  spans not in their source, invalid values and budget parts summing ABOVE their total;
- reported (the coverage report, never refused unless the workspace sets
  ``require_complete: true`` in ``cluster.yaml`` or ``check --complete`` asks): an amount,
  count or date of a source that no fact carries yet, budget parts summing BELOW their
  total, and source lines no fact cites (headings, captions), listed by ``check --uncited``.
  The shipped workspace requires completeness, so it refuses any of the first two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.errors import CheckError, Problem, ValidationError
from biocluster_kg.kernel.fiscal import ERA_BY_NAME, ERAS, parse_fiscal_year
from biocluster_kg.kernel.model import Citation, KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import DEFAULT_BASIS, SCHEMA
from biocluster_kg.loaders.sources import SourceText, normalize
from biocluster_kg.loaders.tables import cell, cell_number, row_line, sheet_name

__all__ = [
    "REFUSED",
    "INCOMPLETE",
    "REPORTED",
    "ValueMention",
    "SourceCoverage",
    "CheckReport",
    "check_knowledge_base",
    "gate",
    "checked",
    "checked_knowledge_base",
    "load_and_check",
    "mentions",
    "basis_counts",
    "cell_carried",
    "citations_of",
]

#: The findings the gate refuses in every workspace, as ``check --help`` states them.
REFUSED: tuple[str, ...] = (
    "an actor's name or alias that its source does not write (or a known_as name it does)",
    "a table cell a fact cites whose value the fact does not carry",
    "an institute or budget_root in cluster.yaml that no node of kb/ has",
)
#: The findings that are reported, and refused only where completeness is required.
INCOMPLETE: tuple[str, ...] = (
    "an amount, count or date of a source that no fact carries",
    "budget parts that sum below their stated total",
)
#: The findings that are only reported.
REPORTED: tuple[str, ...] = ("source lines no fact cites (headings, captions): see --uncited",)

_NOT_WRITTEN = "the knowledge base states names its source does not write"
_NOT_IN_CELL = "the knowledge base cites table cells that do not hold its values"
_NOT_CARRIED = "the knowledge base does not carry everything its source states"
_UNKNOWN_ANCHOR = "cluster.yaml names ids the knowledge base does not hold"

COUNT_PROPERTIES = (
    "value",
    "count",
    "attendance",
    "school_count",
    "unit_count",
    "staff_count",
    "number",
)
YEAR_PROPERTIES = ("fiscal_year", "fiscal_year_start", "fiscal_year_end")
#: Dates of the calendar: an event's days, the day a figure holds as of.
DATE_PROPERTIES = ("date_start", "date_end", "as_of")


@dataclass(frozen=True)
class ValueMention:
    """A number the source states: an amount, a count or a date, and where."""

    kind: str  # "amount", "count", "year", "month", "day"
    value: int | str
    text: str
    line: int
    start: int
    end: int


@dataclass
class SourceCoverage:
    """How much of one source the facts cite."""

    source_id: str
    content_lines: int
    cited_lines: int
    uncited_lines: list[tuple[int, str]] = field(default_factory=list)
    uncited_values: list[ValueMention] = field(default_factory=list)
    value_count: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.cited_lines / self.content_lines if self.content_lines else 100.0


@dataclass
class CheckReport:
    """The result of a check: coverage per source and problems with names.

    ``complete`` says whether this workspace requires completeness: then what is not
    carried yet is refused too, not only reported."""

    kb: KnowledgeBase
    coverage: list[SourceCoverage]
    name_problems: list[Problem]
    cell_problems: list[Problem] = field(default_factory=list)
    budget_shortfalls: list[Problem] = field(default_factory=list)
    profile_problems: list[Problem] = field(default_factory=list)
    complete: bool = False

    @property
    def value_problems(self) -> list[Problem]:
        """Every amount, count or date of a source no fact carries, as a problem at its line."""
        problems = []
        for coverage in self.coverage:
            source = self.kb.sources.get(coverage.source_id)
            path = source.path if source is not None else coverage.source_id
            for mention in coverage.uncited_values:
                problems.append(
                    Problem(
                        path,
                        mention.line,
                        None,
                        f"{mention.text} ({mention.kind}) is stated here but no fact carries it",
                    )
                )
        return problems

    @property
    def incomplete(self) -> list[Problem]:
        """What is true but not carried yet (see :data:`INCOMPLETE`)."""
        return [*self.budget_shortfalls, *self.value_problems]

    @property
    def values_carried(self) -> tuple[int, int]:
        """(carried, stated): the numbers of every source some fact holds, of all."""
        stated = sum(c.value_count for c in self.coverage)
        return stated - sum(len(c.uncited_values) for c in self.coverage), stated

    @property
    def errors(self) -> list[Problem]:
        """What the gate refuses (see :data:`REFUSED`), names first."""
        refused = [*self.name_problems, *self.cell_problems, *self.profile_problems]
        return refused + (self.incomplete if self.complete else [])

    @property
    def ok(self) -> bool:
        return self.error() is None

    def error(self) -> ValidationError | None:
        """The error every entry point raises for this report, or None if it passes."""
        if self.complete and self.budget_shortfalls:
            # Where completeness is required a budget that does not add up is invalid data,
            # as it always was for the shipped workspace: the same error, word for word.
            return ValidationError(self.budget_shortfalls)
        errors = self.errors
        if not errors:
            return None
        heads = [_NOT_WRITTEN] if self.name_problems else []
        heads += [_NOT_IN_CELL] if self.cell_problems else []
        heads += [_UNKNOWN_ANCHOR] if self.profile_problems else []
        heads += [_NOT_CARRIED] if self.complete and self.value_problems else []
        return CheckError(errors, "; and ".join(heads))

    @property
    def basis_counts(self) -> dict[str, int]:
        """Facts (nodes and relationships) per basis, in the vocabulary's order."""
        return basis_counts(self.kb)


def basis_counts(kb: KnowledgeBase) -> dict[str, int]:
    """How many facts are stated, read from the layout, or inferred.

    >>> from biocluster_kg.kernel.model import Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:a", "Organization", {"basis": "stated"}))
    >>> kb.add_node(Node("org:b", "Organization", {"basis": "layout"}))
    >>> basis_counts(kb)
    {'stated': 1, 'layout': 1, 'inferred': 0}
    """
    counts = dict.fromkeys((term.code for term in SCHEMA.property_terms("basis")), 0)
    facts = [n.properties for n in kb.nodes.values()]
    facts += [r.properties for r in kb.relationships.values()]
    for fact in facts:
        basis = fact.get("basis") or DEFAULT_BASIS
        counts[basis] = counts.get(basis, 0) + 1
    return counts


_ERA_NAMES = "|".join(era.name_ja for era in ERAS)
_ERA_LETTERS = "[" + "".join(era.letter for era in ERAS) + "]"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("amount_sen", re.compile(r"(\d[\d,]*)千円")),
    ("amount_man", re.compile(r"(\d[\d,]*)万円")),
    ("amount_oku", re.compile(r"(\d[\d,]*)億円")),
    ("count", re.compile(r"(\d[\d,]*)(?:名|件|社|校)")),
    # An era year (H25, 平成25, R5, 令和元, S63) and the end of an era range (H24～26): the
    # era is group 1, its year group 2. The letter must not follow a letter (PR5 is no year).
    ("year", re.compile(rf"({_ERA_NAMES}|(?<![A-Za-z]){_ERA_LETTERS})(元|\d{{1,2}})(?![\d])")),
    ("year_end", re.compile(rf"((?<![A-Za-z]){_ERA_LETTERS})\d{{1,2}}[~〜](\d{{1,2}})(?![\d.])")),
    ("month", re.compile(r"(?<![\d.])(\d{1,2})月")),
    ("day_end", re.compile(r"[~〜](\d{1,2})\.(\d{1,2})(?![\d])")),
)


def mentions(text: SourceText) -> Iterator[ValueMention]:
    """Every amount, count and date in a source's normalised text.

    >>> doc = SourceText("s", "予算額: 380,067千円（H24：5社）")
    >>> [(m.kind, m.value) for m in mentions(doc)]
    [('amount', 380067), ('year', 2012), ('count', 5)]
    """
    found: list[ValueMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text.normalized):
            value: int | str
            if kind in ("year", "year_end"):
                number = 1 if match.group(2) == "元" else int(match.group(2))
                year = number + ERA_BY_NAME[match.group(1)].offset
                start, end = match.span(2)
                line = text.line_at(start)
                found.append(ValueMention("year", year, match.group(0), line, start, end))
                continue
            number = int(match.group(1).replace(",", ""))
            if kind == "amount_sen":
                kind_out, value = "amount", number
            elif kind == "amount_man":
                kind_out, value = "amount", number * 10
            elif kind == "amount_oku":
                kind_out, value = "amount", number * 100_000
            elif kind == "month":
                kind_out, value = "month", f"-{number:02d}"
            elif kind == "day_end":
                kind_out, value = "day", f"-{number:02d}-{int(match.group(2)):02d}"
            else:
                kind_out, value = kind, number
            start, end = match.span(1) if kind != "day_end" else match.span()
            found.append(
                ValueMention(kind_out, value, match.group(0), text.line_at(start), start, end)
            )
    yield from sorted(found, key=lambda m: (m.start, m.kind))


def _carries(properties: dict[str, Any], mention: ValueMention) -> bool:
    if mention.kind == "amount":
        return any(v == mention.value for k, v in properties.items() if k.endswith("thousand_yen"))
    if mention.kind == "count":
        return any(properties.get(k) == mention.value for k in COUNT_PROPERTIES)
    dates = [str(properties.get(k) or "") for k in DATE_PROPERTIES]
    if mention.kind == "year":
        # A fiscal year, or the calendar year of a date (令和6年4月1日現在 -> as_of 2024-04-01).
        return any(properties.get(k) == mention.value for k in YEAR_PROPERTIES) or any(
            d[:4] == str(mention.value) and len(d) >= 7 for d in dates
        )
    if mention.kind == "month":
        return any(len(d) >= 7 and d[4:7] == mention.value for d in dates)
    return any(d.endswith(str(mention.value)) for d in dates)


def citations_of(fact: Node | Relationship) -> list[Citation]:
    """Every citation of a fact: the loader's, or the one its properties name (a knowledge
    base built in memory)."""
    if fact.citations:
        return fact.citations
    source_id, span = fact.get("source_doc"), fact.get("span")
    if not source_id or not span:
        return []
    return [Citation(source_id, span, fact.get("span_line"))]


def _fact_ranges(
    kb: KnowledgeBase, texts: dict[str, SourceText]
) -> list[tuple[str, int, int, dict[str, Any]]]:
    """(source, start, end, properties) of the occurrence each citation of each fact names;
    a table row's occurrence is its whole line."""
    ranges = []
    facts: list[Node | Relationship] = [*kb.nodes.values(), *kb.relationships.values()]
    for fact in facts:
        for citation in citations_of(fact):
            source_id = citation.source_id
            if source_id not in texts:
                continue
            text = texts[source_id]
            sheets = kb.sources[source_id].sheets
            if citation.is_row and sheets is not None and citation.line is not None:
                line = row_line(sheets, citation.sheet, citation.line)
                start = text.line_starts[line - 1]
                ranges.append((source_id, start, start + len(text.line(line)), fact.properties))
                continue
            occurrences = text.occurrences(citation.span)
            chosen = [o for o in occurrences if text.line_at(o[0]) == citation.line]
            for start, end in chosen[:1] or occurrences[:1]:
                ranges.append((source_id, start, end, fact.properties))
    return ranges


def check_knowledge_base(
    kb: KnowledgeBase, profile: ClusterProfile | None = None, *, complete: bool | None = None
) -> CheckReport:
    """Coverage and carried values for every source of a validated knowledge base.

    ``profile`` is the workspace's (its anchors must be nodes of ``kb``; it says whether
    completeness is required); ``complete`` overrides that requirement when given."""
    from biocluster_kg.loaders.validate import budget_shortfalls

    profile = profile if profile is not None else ClusterProfile()
    texts = {sid: SourceText(sid, doc.text) for sid, doc in kb.sources.items()}
    ranges = _fact_ranges(kb, texts)
    coverage: list[SourceCoverage] = []
    for source_id, text in texts.items():
        own = [(s, e, p) for sid, s, e, p in ranges if sid == source_id]
        cited: set[int] = set()
        for start, end, _ in own:
            cited.update(range(text.line_at(start), text.line_at(max(start, end - 1)) + 1))
        lines = text.normalized.split("\n")
        content = [(i, line) for i, line in enumerate(lines, start=1) if line.strip()]
        report = SourceCoverage(
            source_id,
            content_lines=len(content),
            cited_lines=sum(1 for i, _ in content if i in cited),
            uncited_lines=[(i, line) for i, line in content if i not in cited],
        )
        for mention in mentions(text):
            report.value_count += 1
            if not any(
                s <= mention.start and mention.end <= e and _carries(p, mention) for s, e, p in own
            ):
                report.uncited_values.append(mention)
        coverage.append(report)
    names = [*_name_problems(kb), *_topic_problems(kb)]
    return CheckReport(
        kb,
        coverage,
        names,
        _cell_problems(kb),
        budget_shortfalls(kb),
        _profile_problems(kb, profile),
        complete=profile.require_complete if complete is None else complete,
    )


def _profile_problems(kb: KnowledgeBase, profile: ClusterProfile) -> list[Problem]:
    """The profile's anchors must be nodes of the knowledge base: an institute the data do
    not hold would answer every company route with nothing, as if there were none."""
    from biocluster_kg.kernel.cluster import CLUSTER_FILE

    problems: list[Problem] = []
    if not kb.nodes:
        return problems  # emptied on purpose (load --allow-empty): nothing to point at yet
    for field_name, node_id, label in (
        ("institute", profile.institute_id, "Organization"),
        ("budget_root", profile.budget_root, "Program"),
    ):
        if not node_id:
            continue
        node = kb.nodes.get(node_id)
        if node is None:
            message = f"{node_id!r} is no node of kb/; name one of its {label} ids"
        elif node.label != label:
            message = f"{node_id!r} is a {node.label}; expected an {label} id"
        else:
            continue
        problems.append(Problem(CLUSTER_FILE, None, field_name, message))
    return problems


def _problem(node: Any, field_name: str, message: str) -> Problem:
    origin = node.origin
    return Problem(
        origin.file if origin else node.id, origin.line if origin else None, field_name, message
    )


def _name_problems(kb: KnowledgeBase) -> list[Problem]:
    """Names the source does not write, and names from elsewhere it does write.

    ``aliases`` are the source's own names, ASCII ones too (an English abbreviation the
    source never writes, such as IAB, belongs in ``known_as``); ``known_as`` names must not
    be written in the source, or a reader would take them for quoted ones.
    """
    problems = []
    whole = {sid: normalize(doc.text) for sid, doc in kb.sources.items()}
    for node in kb.nodes.values():
        citations = citations_of(node)
        cited = list(dict.fromkeys(c.source_id for c in citations))
        cited = cited or [node.get("source_doc")]
        texts = [whole.get(source_id, "") for source_id in cited]
        # A table row's own cells are looked at first: searching a 10^5-row table's whole
        # text for each of its 10^5 companies would take minutes.
        rows = [_row_text(kb, c) for c in citations if c.is_row]
        where = " or ".join(repr(source_id) for source_id in cited)
        names = [("aliases", a) for a in node.get("aliases", [])]
        if node.label in SCHEMA.actor_labels:
            names.insert(0, ("name_ja", node.get("name_ja")))
        for field_name, name in names:
            if not name:
                continue
            wanted = normalize(name)
            if not any(wanted in row for row in rows) and not any(wanted in t for t in texts):
                message = f"{node.id}: {name!r} is not written in source {where}"
                if field_name == "aliases":
                    message += "; a name known from elsewhere goes in 'known_as'"
                problems.append(_problem(node, field_name, message))
        for name in node.get("known_as", []):
            for source_id, text in zip(cited, texts, strict=True):
                if normalize(name) in text:
                    message = f"{node.id}: {name!r} is written in source {source_id!r}: an alias"
                    problems.append(_problem(node, "known_as", message))
    return problems


_NOT_STATED = frozenset(("span", "citations", "name_keys", "source_doc", "span_columns", "note"))


def _row_text(kb: KnowledgeBase, citation: Citation) -> str:
    """The normalised cells of the row a table citation names (empty if there is none)."""
    sheets = kb.sources[citation.source_id].sheets if citation.source_id in kb.sources else None
    name = sheet_name(sheets, citation.sheet) if sheets else None
    if sheets is None or name is None or not 1 <= (citation.line or 0) <= len(sheets[name]):
        return ""
    return normalize("\t".join(sheets[name][(citation.line or 0) - 1]))


#: A header's unit, as the factor that turns the cell's number into thousand yen.
_HEADER_UNITS = (("千円", 1.0), ("万円", 10.0), ("億円", 100_000.0), ("円", 0.001))


def cell_carried(carriers: list[dict[str, Any]], column: str, value: str) -> bool:
    """Whether a fact carries a cell's value: a text cell as one of its texts (name, alias,
    vocabulary code, date), a number as one of its numbers (in thousand yen when the
    header states a yen unit), a fiscal year as its fiscal year. ``carriers`` are the
    fact's properties (and a relationship's ends', whose names its row may write).

    >>> cell_carried([{"name_ja": "甲社"}], "企業名", "甲社")
    True
    >>> props = {"amount_thousand_yen": 12000, "staff_count": 45}
    >>> cell_carried([props], "金額（万円）", "1,200"), cell_carried([props], "従業員数", "44")
    (True, False)
    >>> cell_carried([{"span": "甲社"}], "企業名", "甲社")  # a citation is not a value
    False
    """
    pairs = [(k, v) for props in carriers for k, v in props.items() if k not in _NOT_STATED]
    # The common case first: the fact holds the cell's very text.
    if any(v == value or (isinstance(v, list) and value in v) for _, v in pairs):
        return True
    number = cell_number(value)
    if number is not None:
        factor = next((f for unit, f in _HEADER_UNITS if unit in column), None)
        numbers = [
            v
            for k, v in pairs
            if isinstance(v, int | float)
            and not isinstance(v, bool)
            and (factor is None or k.endswith("thousand_yen"))
        ]
        return any(abs(v - number * (factor or 1.0)) < 1e-9 for v in numbers)
    wanted = normalize(value.strip())
    for _, item in pairs:
        items = item if isinstance(item, list) else [item]
        if any(isinstance(i, str) and normalize(i) == wanted for i in items):
            return True
    try:
        year = parse_fiscal_year(value.strip())
    except (ValueError, TypeError):
        return False
    return any(k in YEAR_PROPERTIES and v == year for k, v in pairs)


def _cell_problems(kb: KnowledgeBase) -> list[Problem]:
    """Every cell a table citation relies on holds a value the fact carries: a row cited
    for a figure it does not hold is refused, as a span that does not say it would be."""
    problems = []
    facts: list[Node | Relationship] = [*kb.nodes.values(), *kb.relationships.values()]
    for fact in facts:
        for citation in citations_of(fact):
            document = kb.sources.get(citation.source_id)
            if not citation.is_row or document is None or document.sheets is None:
                continue
            # A relationship's row names its ends: their values are the row's too.
            carriers = [fact.properties]
            if isinstance(fact, Relationship):
                carriers += [kb.nodes[fact.start].properties, kb.nodes[fact.end].properties]
            for column in citation.columns:
                value = cell(document.sheets, citation.sheet, citation.line or 0, column)
                if value is None or cell_carried(carriers, column, value):
                    continue
                origin = citation.origin or fact.origin
                problems.append(
                    Problem(
                        origin.file if origin else fact.id,
                        origin.line if origin else None,
                        "span_columns",
                        f"{fact.id}: row {citation.line} of source {citation.source_id!r} "
                        f"holds {value!r} in {column!r}, a value the fact does not carry",
                    )
                )
    return problems


def _topic_problems(kb: KnowledgeBase) -> list[Problem]:
    """Every topic of a line must be written in that line's own span."""
    problems = []
    for node in kb.nodes.values():
        span = normalize(node.get("span") or "")
        for topic in node.get("topics_ja", []):
            if normalize(topic) not in span:
                message = f"{node.id}: topic {topic!r} is not written in its span"
                problems.append(_problem(node, "topics_ja", message))
    return problems


def gate(
    kb: KnowledgeBase, profile: ClusterProfile | None = None, *, complete: bool | None = None
) -> CheckReport:
    """Check ``kb`` against its sources and raise what ``check`` refuses.

    The one gate: every entry point that reads data files passes it before it writes
    anything, with the workspace's ``profile`` (which says whether completeness is
    required). Returns the report (with its coverage) when nothing is refused.

    Raises
    ------
    CheckError
        Naming file, line and field of each refused finding (see :data:`REFUSED`).
    ValidationError
        Budget parts below their total, where completeness is required.
    """
    report = check_knowledge_base(kb, profile, complete=complete)
    error = report.error()
    if error is not None:
        raise error
    return report


def load_and_check(data_dir: Path | None = None, *, complete: bool | None = None) -> CheckReport:
    """Load (validating everything) and check the knowledge base in ``data_dir`` with its
    cluster profile.

    An empty ``kb/`` is valid here (a new workspace): only a load refuses it, since loading
    it would empty a store. The report is returned whether or not it passes: ``check``
    prints it before refusing.
    """
    from biocluster_kg.kernel.cluster import load_cluster_profile
    from biocluster_kg.loaders import load_knowledge_base

    profile = load_cluster_profile(data_dir)
    kb = load_knowledge_base(data_dir, allow_empty=True)
    return check_knowledge_base(kb, profile, complete=complete)


def checked(data_dir: Path | None = None, *, allow_empty: bool = True) -> CheckReport:
    """The report of the knowledge base in ``data_dir``, through the gate (:func:`gate`):
    raises what ``check`` refuses, with the same message."""
    from biocluster_kg.kernel.cluster import load_cluster_profile
    from biocluster_kg.loaders import load_knowledge_base

    profile = load_cluster_profile(data_dir)
    return gate(load_knowledge_base(data_dir, allow_empty=allow_empty), profile)


def checked_knowledge_base(
    data_dir: Path | None = None, *, allow_empty: bool = False
) -> KnowledgeBase:
    """The knowledge base in ``data_dir``, validated and through the gate (:func:`gate`).

    An empty ``kb/`` is refused unless ``allow_empty`` (loading it would empty a store)."""
    return checked(data_dir, allow_empty=allow_empty).kb
