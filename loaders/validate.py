"""Turn raw records into a validated :class:`~biocluster_kg.kernel.model.KnowledgeBase`, or fail
whole.

Validation finishes before anything is built: every problem found is reported at once,
each naming its file, line and field, and a single
:class:`~biocluster_kg.kernel.errors.ValidationError`
is raised if there is any. Checks: labels and types are in the schema, ids are unique and
carry their label's prefix, properties are declared with the right type and vocabulary,
required fields are present, references resolve (by id, Japanese or English name, or
alias, after NFKC normalisation) to exactly one node, endpoints are allowed for the type,
every cited span occurs in its source, and budget lines reconcile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from biocluster_kg.kernel.errors import Problem, ValidationError
from biocluster_kg.kernel.fiscal import heisei_label, parse_fiscal_year
from biocluster_kg.kernel.model import (
    Citation,
    KnowledgeBase,
    Node,
    Relationship,
    SourceDocument,
)
from biocluster_kg.kernel.names import name_key, name_keys
from biocluster_kg.kernel.schema import (
    DEFAULT_BASIS,
    SCHEMA,
    Property,
    coerce_value,
    first_not_text,
    id_problem,
    is_blank,
    text_problem,
)
from biocluster_kg.kernel.tabular import LIST_SEPARATOR
from biocluster_kg.loaders.citations import cite_row, merge_record, origin_of
from biocluster_kg.loaders.sources import SourceText, date_problem, normalize
from biocluster_kg.loaders.yaml_records import RawRecord

__all__ = [
    "build_knowledge_base",
    "name_key",
    "budget_problems",
    "budget_shortfalls",
    "part_of_cycles",
    "MAX_TEXT_LENGTH",
]

MAX_TEXT_LENGTH = 10_000
NODE_RESERVED = ("id", "label")
RELATIONSHIP_RESERVED = ("id", "type", "from", "to")
FISCAL_FIELDS = ("fiscal_year", "fiscal_year_start", "fiscal_year_end")
#: Properties that hold a date of the calendar (ISO year, month or day).
DATE_FIELDS = ("date_start", "date_end", "as_of")
#: Fields whose text may hold tab and line breaks (see ``Property.multiline``).
MULTILINE_FIELDS = frozenset(
    p.name
    for p in (*SCHEMA.all_node_properties(), *SCHEMA.all_relationship_properties())
    if p.multiline
)


class _Validator:
    def __init__(self, sources: dict[str, tuple[SourceDocument, SourceText]]):
        self.sources = sources
        self.problems: list[Problem] = []
        self.declared: dict[str, tuple[dict[str, Property], list[str]]] = {}

    def problem(self, record: RawRecord, field: str | None, message: str) -> None:
        line = record.line_of(field) if field else record.line
        self.problems.append(Problem(record.file, line, field, message))

    def text_ok(self, record: RawRecord) -> bool:
        """Every text of the record is of the schema's text type; a problem per field if not.

        Checked before anything else reads the record, ids and references included, so
        that no later message quotes a control character back to the terminal."""
        texts = [
            item
            for value in record.fields.values()
            for item in (value if isinstance(value, list) else [value])
            if isinstance(item, str)
        ]
        # One search over every text of the record first (a space cannot make or hide a
        # refused character): a table of 10^5 rows has a million texts, nearly all fine.
        if first_not_text(" ".join(texts)) is None:
            return True
        ok = True
        for name, value in record.fields.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    problem = text_problem(item, multiline=name in MULTILINE_FIELDS)
                    if problem is not None:
                        self.problem(record, name, problem)
                        ok = False
                        break
        return ok

    def ranges(self, record: RawRecord, values: dict[str, Any]) -> None:
        """A stated range runs forwards: min <= max, start <= end."""
        for low_name, low in values.items():
            if "_min" in low_name:
                high_name = low_name.replace("_min", "_max", 1)
            elif low_name.endswith("_start"):
                high_name = low_name[: -len("_start")] + "_end"
            else:
                continue
            high = values.get(high_name)
            numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
            if numbers and low > high:
                self.problem(record, high_name, f"{high_name} {high} is less than {low_name} {low}")

    def check_value(self, record: RawRecord, prop: Property, value: Any) -> Any:
        if prop.name in FISCAL_FIELDS and value is not None:
            try:
                return parse_fiscal_year(value)
            except ValueError as error:
                self.problem(record, prop.name, str(error))
                return None
        if prop.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not coerce_value(prop, value):
            self.problem(
                record, prop.name, f"expected {prop.type}, got {type(value).__name__} {value!r}"
            )
            return None
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH:
                self.problem(record, prop.name, f"text longer than {MAX_TEXT_LENGTH} characters")
                return None
            if prop.name not in ("span", "note") and is_blank(value):
                self.problem(record, prop.name, "empty text")
                return None
        if isinstance(value, list):
            if any(is_blank(item) for item in value):
                self.problem(record, prop.name, "empty item in list")
                return None
            if any(LIST_SEPARATOR in item for item in value):
                # The separator of a list in the spreadsheet form and in the graph exports
                # (GraphML, neo4j-admin CSV): an item holding it could not be written back.
                self.problem(
                    record,
                    prop.name,
                    f"a list item contains {LIST_SEPARATOR!r}, which separates list items in "
                    "the spreadsheet and export forms; write the item without it",
                )
                return None
            if any(len(item) > MAX_TEXT_LENGTH for item in value):
                self.problem(record, prop.name, "list item too long")
                return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**62:
            self.problem(record, prop.name, "number too large")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            # Every number of the schema is a count, an amount, a position or a year.
            self.problem(record, prop.name, f"must not be negative, got {value!r}")
            return None
        if prop.name in DATE_FIELDS and isinstance(value, str):
            problem = date_problem(value)
            if problem is not None:
                self.problem(record, prop.name, problem)
                return None
        if prop.choices is not None and value is not None and value not in prop.choices:
            self.problem(record, prop.name, f"{value!r} is not one of: {', '.join(prop.choices)}")
            return None
        return value

    def properties(
        self,
        record: RawRecord,
        declared: tuple[Property, ...],
        reserved: tuple[str, ...],
        *,
        required: bool = True,
        key: str | None = None,
    ) -> dict[str, Any]:
        """The record's values, checked; ``required`` False for a further record of a fact
        already written (it need state only what its source says, and its citation).
        ``key`` (the label or type) lets the look-ups built from ``declared`` be reused."""
        cached = self.declared.get(key) if key is not None else None
        if cached is None:
            # Per label or type, not per record: a 10^5-row table has 2 x 10^5 records.
            cached = (
                {p.name: p for p in declared},
                [p.name for p in declared if p.required and p.name not in reserved],
            )
            if key is not None:
                self.declared[key] = cached
        by_name, required_names = cached
        values: dict[str, Any] = {}
        for key, value in record.fields.items():
            if key in reserved:
                continue
            prop = by_name.get(key)
            if prop is None:
                known = ", ".join(p.name for p in declared if not p.computed)
                self.problem(record, key, f"unknown field; this record may have: {known}")
                continue
            if prop.computed and key != "span_line":
                self.problem(record, key, "computed by the loader; do not write it")
                continue
            if value is None:
                continue
            checked = self.check_value(record, prop, value)
            if checked is not None:
                values[key] = checked
        for name in required_names if required else ():
            if name not in values and name not in record.fields:
                self.problem(record, None, f"missing required field {name!r}")
        self.ranges(record, values)
        for name in FISCAL_FIELDS:
            if name in values:
                values[f"{name}_ja"] = heisei_label(values[name])
        self.basis(record, values)
        return values

    def basis(self, record: RawRecord, values: dict[str, Any]) -> None:
        """Every fact gets a basis (stated unless marked); one that is not stated must say
        why, and a stated one has nothing to explain (a reason there means a forgotten
        ``basis``)."""
        if "basis" in record.fields and "basis" not in values:
            return  # already reported as a bad value
        values.setdefault("basis", DEFAULT_BASIS)
        reason = values.get("basis_reason")
        if values["basis"] != DEFAULT_BASIS and not reason:
            self.problem(
                record,
                "basis",
                f"basis {values['basis']!r} needs a one-line 'basis_reason' saying why",
            )
        elif values["basis"] == DEFAULT_BASIS and reason:
            self.problem(record, "basis_reason", "a reason is for a 'layout' or 'inferred' basis")

    def cite(self, record: RawRecord, values: dict[str, Any]) -> Citation | None:
        """Locate the span in its source (or the row and cells in a table source); record
        the line (row) it starts on. Returns the citation, or None after a problem."""
        source_id, span = values.get("source_doc"), values.get("span")
        if source_id is None:
            return None
        if source_id not in self.sources:
            self.problem(record, "source_doc", f"unknown source {source_id!r}")
            return None
        document, text = self.sources[source_id]
        if document.sheets is not None:
            return cite_row(self.problem, record, values, document)
        for name in ("span_columns", "span_sheet"):
            if name in values:
                self.problem(record, name, f"source {source_id!r} is a text, not a table")
                return None
        if span is None:
            if "span" not in record.fields:
                self.problem(record, None, "missing required field 'span'")
            return None
        found = text.locate(span)
        if not found:
            self.problem(record, "span", f"span not found in source {source_id!r}: {span!r}")
            return None
        if not text.written(span):
            # Found only after NFKC folding: 𝐍𝐀𝐒𝐀 or ³⁵⁰ would be stored as if the source said
            # them. Folding finds a span; the stored span must be the source's own characters.
            self.problem(
                record,
                "span",
                f"span differs from the characters of source {source_id!r} (found only after "
                f"Unicode folding): copy it exactly: {span!r}",
            )
            return None
        hint = values.get("span_line")
        if hint is not None:
            if hint not in [first for first, _ in found]:
                lines = ", ".join(str(first) for first, _ in found)
                self.problem(record, "span_line", f"span starts on line(s) {lines}, not {hint}")
                return None
        else:
            values["span_line"] = found[0][0]
        return Citation(source_id, span, values["span_line"], origin=origin_of(record))


def build_knowledge_base(
    records: Iterable[RawRecord], sources: dict[str, tuple[SourceDocument, SourceText]]
) -> KnowledgeBase:
    """Validate raw records from any number of files into one knowledge base."""
    validator = _Validator(sources)
    kb = KnowledgeBase(sources={key: doc for key, (doc, _) in sources.items()})
    node_records: list[RawRecord] = []
    relationship_records: list[RawRecord] = []
    for record in records:
        (node_records if record.kind == "node" else relationship_records).append(record)

    first_seen: dict[str, RawRecord] = {}
    for record in node_records:
        if not validator.text_ok(record):
            continue
        node_id, label = record.fields.get("id"), record.fields.get("label")
        if node_id is not None and not isinstance(node_id, str):
            given = f"{type(node_id).__name__} {node_id!r}"
            validator.problem(record, "id", f"expected text like 'org:<slug>', got {given}")
            continue
        if not isinstance(node_id, str) or not node_id.strip():
            validator.problem(record, "id" if "id" in record.fields else None, "missing id")
            continue
        if not isinstance(label, str) or not SCHEMA.has_label(label):
            where = "label" if "label" in record.fields else None
            validator.problem(
                record,
                where,
                f"unknown label {label!r}; expected one of {', '.join(SCHEMA.labels)}",
            )
            continue
        schema_label = SCHEMA.node(label)
        if not node_id.startswith(schema_label.id_prefix + ":") or node_id != node_id.strip():
            validator.problem(
                record, "id", f"{label} ids look like '{schema_label.id_prefix}:<slug>'"
            )
            continue
        lookalike = id_problem(node_id)
        if lookalike is not None:
            validator.problem(record, "id", lookalike)
            continue
        values = validator.properties(
            record,
            schema_label.properties,
            NODE_RESERVED,
            required=node_id not in first_seen,
            key=label,
        )
        citation = validator.cite(record, values)
        if node_id in first_seen:
            earlier = kb.nodes.get(node_id)
            if earlier is None or earlier.label != label:
                first = first_seen[node_id]
                validator.problem(
                    record, "id", f"duplicate id {node_id!r} (first at {first.file}:{first.line})"
                )
                continue
            merge_record(validator.problem, record, earlier, values, citation, "id")
            keys = name_keys(earlier.properties)
            if keys:
                earlier.properties["name_keys"] = keys
            continue
        first_seen[node_id] = record
        keys = name_keys(values)
        if keys:
            values["name_keys"] = keys
        if citation is not None and citation.is_row:
            values["citations"] = [citation.text()]
        kb.add_node(Node(node_id, label, values, origin_of(record), [citation] if citation else []))

    names = _name_index(kb)
    for record in relationship_records:
        if validator.text_ok(record):
            _relationship(validator, record, kb, names)

    validator.problems.extend(budget_problems(kb))
    validator.problems.extend(part_of_cycles(kb))
    if validator.problems:
        raise ValidationError(sorted(set(validator.problems), key=_problem_order))
    return kb


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.field or "", problem.message)


def _name_index(kb: KnowledgeBase) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for node in kb.nodes.values():
        others = (*node.get("aliases", []), *node.get("known_as", []))
        for name in (node.get("name_ja"), node.get("name_en"), *others):
            if name:
                index[name_key(name)].add(node.id)
    return index


def _resolve(
    validator: _Validator,
    record: RawRecord,
    field: str,
    kb: KnowledgeBase,
    names: dict[str, set[str]],
) -> str | None:
    reference = record.fields.get(field)
    if reference is not None and not isinstance(reference, str):
        given = f"{type(reference).__name__} {reference!r}"
        validator.problem(record, field, f"expected a node id or name, got {given}")
        return None
    if not isinstance(reference, str) or not reference.strip():
        validator.problem(record, field if field in record.fields else None, f"missing {field!r}")
        return None
    if reference in kb.nodes:
        return reference
    matches = names.get(name_key(reference), set())
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        validator.problem(
            record, field, f"{reference!r} names several nodes: {', '.join(sorted(matches))}"
        )
    else:
        validator.problem(record, field, f"{reference!r} matches no node id, name or alias")
    return None


def _relationship(
    validator: _Validator, record: RawRecord, kb: KnowledgeBase, names: dict[str, set[str]]
) -> None:
    type_ = record.fields.get("type")
    if not isinstance(type_, str) or not SCHEMA.has_type(type_):
        validator.problem(
            record,
            "type" if "type" in record.fields else None,
            f"unknown relationship type {type_!r}; expected one of {', '.join(SCHEMA.types)}",
        )
        return
    schema_type = SCHEMA.relationship(type_)
    start = _resolve(validator, record, "from", kb, names)
    end = _resolve(validator, record, "to", kb, names)
    values = validator.properties(
        record, schema_type.properties, RELATIONSHIP_RESERVED, key=f"-[{type_}]-"
    )
    citation = validator.cite(record, values)
    if start is None or end is None:
        return
    pair = (kb.nodes[start].label, kb.nodes[end].label)
    if pair not in schema_type.endpoints:
        allowed = ", ".join(f"{a}->{b}" for a, b in schema_type.endpoints)
        validator.problem(
            record, "to", f"{type_} cannot join {pair[0]}->{pair[1]}; allowed: {allowed}"
        )
        return
    if start == end:
        validator.problem(record, "to", "a relationship cannot join a node to itself")
        return
    rel_id = record.fields.get("id") or f"{type_}:{start}->{end}"
    if not isinstance(rel_id, str):
        validator.problem(record, "id", "expected text")
        return
    if "id" in record.fields and (lookalike := id_problem(rel_id)) is not None:
        validator.problem(record, "id", lookalike)
        return
    if rel_id in kb.relationships:
        earlier = kb.relationships[rel_id]
        if (earlier.type, earlier.start, earlier.end) != (type_, start, end):
            first = earlier.origin
            where = f" (first at {first.file}:{first.line})" if first else ""
            validator.problem(
                record, "id", f"duplicate relationship {rel_id!r}{where}; give one its own 'id'"
            )
            return
        merge_record(validator.problem, record, earlier, values, citation, "relationship")
        return
    if citation is not None and citation.is_row:
        values["citations"] = [citation.text()]
    kb.add_relationship(
        Relationship(
            rel_id, type_, start, end, values, origin_of(record), [citation] if citation else []
        )
    )


def budget_problems(kb: KnowledgeBase) -> list[Problem]:
    """Budget lines whose parts sum ABOVE their total, cycles in the budget tree, and budget
    lines without their stated amount: what would make the knowledge base say something
    false. Parts summing below their total are only not carried yet (:func:`budget_shortfalls`).

    A line's parts are its PART_OF children; a BREAKDOWN_OF list (内訳) is a second,
    independent decomposition of the same line and must add up on its own. A line with
    no stated amount counts as the sum of its parts.
    """
    return _budget_findings(kb)[0]


def budget_shortfalls(kb: KnowledgeBase) -> list[Problem]:
    """Budget lines whose curated parts sum below their stated total: true, but not every
    part is carried yet. Reported by ``check``; refused where completeness is required."""
    return _budget_findings(kb)[1]


def _budget_findings(kb: KnowledgeBase) -> tuple[list[Problem], list[Problem]]:
    problems: list[Problem] = []
    shortfalls: list[Problem] = []
    children: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rel in kb.relationships.values():
        if rel.type in ("PART_OF", "BREAKDOWN_OF") and kb.nodes[rel.start].label == "Program":
            children[rel.end][rel.type].append(rel.start)

    def where(node_id: str) -> tuple[str, int | None]:
        origin = kb.nodes[node_id].origin
        return (origin.file, origin.line) if origin else ("<memory>", None)

    totals: dict[str, int | None] = {}

    def total(node_id: str, path: tuple[str, ...]) -> int | None:
        if node_id in path:
            file, line = where(node_id)
            cycle = " -> ".join((*path[path.index(node_id) :], node_id))
            problems.append(Problem(file, line, "PART_OF", f"budget lines form a cycle: {cycle}"))
            return None
        if node_id in totals:
            return totals[node_id]
        stated = kb.nodes[node_id].get("amount_thousand_yen")
        result: int | None = stated
        for type_ in ("PART_OF", "BREAKDOWN_OF"):
            parts = children.get(node_id, {}).get(type_, [])
            amounts = [total(child, (*path, node_id)) for child in parts]
            if not parts or any(a is None for a in amounts):
                continue
            summed = sum(a for a in amounts if a is not None)
            if result is None:
                result = summed
            elif summed != result:
                file, line = where(node_id)
                # Parts above the total say more than the source; parts below it only
                # leave some part uncurated so far.
                (problems if summed > result else shortfalls).append(
                    Problem(
                        file,
                        line,
                        "amount_thousand_yen",
                        f"{node_id} is {result:,} 千円 but its {type_} parts sum to "
                        f"{summed:,} 千円",
                    )
                )
        totals[node_id] = result
        return result

    for node_id in sorted(children):
        total(node_id, ())
    for node in kb.nodes.values():
        stated = node.label == "Program" and node.get("kind") in ("budget", "budget_line")
        if stated and node.get("amount_thousand_yen") is None:
            file, line = where(node.id)
            message = f"{node.id}: a {node.get('kind')} needs its stated amount"
            problems.append(Problem(file, line, "amount_thousand_yen", message))
    return problems, shortfalls


def part_of_cycles(kb: KnowledgeBase) -> list[Problem]:
    """Cycles of part-of relationships among nodes other than budget lines (those are
    reported with their sums by :func:`budget_problems`): an organisation cannot contain
    itself, however many steps round.

    A node has at most a few parents, so a walk up from each node finds every cycle."""
    part_of = set(SCHEMA.types_meaning("part_of"))
    parents: dict[str, list[str]] = defaultdict(list)
    for rel in sorted(kb.relationships.values(), key=lambda r: r.id):
        if rel.type in part_of and kb.nodes[rel.start].label != "Program":
            parents[rel.start].append(rel.end)
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for start in sorted(parents):
        stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
        visited: set[str] = set()
        while stack:
            node_id, path = stack.pop()
            for parent in parents.get(node_id, []):
                if parent == start:
                    members = frozenset(path)
                    if members not in reported:
                        reported.add(members)
                        origin = kb.nodes[start].origin
                        file, line = (origin.file, origin.line) if origin else ("<memory>", None)
                        cycle = " -> ".join((*path, start))
                        problems.append(
                            Problem(file, line, "PART_OF", f"part-of forms a cycle: {cycle}")
                        )
                elif parent not in visited:
                    visited.add(parent)
                    stack.append((parent, (*path, parent)))
    return problems


def source_text_for(kb: KnowledgeBase, source_id: str) -> SourceText:
    """The normalised text of one of the knowledge base's sources."""
    return SourceText(source_id, kb.sources[source_id].text)


def normalized_names(node: Node) -> list[str]:
    """Every name of a node in matching form."""
    names = [node.get("name_ja"), node.get("name_en"), *node.get("aliases", [])]
    return [normalize(n) for n in names if n]
