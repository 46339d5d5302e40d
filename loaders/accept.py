"""Accepting a reviewed draft: the candidates a person chose become an ordinary data file.

A draft (``biocluster draft``) lists candidates, each with its proposal, value, line and span
as the source writes them; the reviewer marks the ones the source really states with
``accept: true`` (or names them on the command line) and completes their records. This
module turns exactly those into the records of one data file:

- ``new_actor`` and ``group``: the node ``record``, with a readable id made from its English
  name (``org:c-bio-inc``) unless the reviewer gave one; the draft's placeholder ids
  (``org:draft-3``) never reach ``kb/``. An id never collides with one of the workspace or
  another record of the same file: ``-2``, ``-3`` are added;
- ``tie`` (and a ``role`` with a record): the relationship ``record``; each end must be an id
  of the workspace, or the id, candidate key or Japanese name of an accepted record of the
  same draft;
- numbers (``amount``, ``amount_range``, ``count``, ``fiscal_year``, ``calendar_year``,
  ``date``, ``as_of``) with ``attach: {node: ID, property: NAME}``: the property on that
  node, cited by the number's own span (a further citation of the node when the node's span
  does not hold it); a count whose property the node's label does not have becomes a
  ``Figure`` that ``MEASURES`` the node (``attach`` then gives its ``kind`` and ``name_en``);
- ``known_actor``: nothing to add (the actor is in the workspace already); it may be an end
  of an accepted tie.

Everything refused is listed per candidate, naming its key, its line in the draft, the field
and the reason; nothing is accepted unless everything chosen is (all or nothing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from biocluster_kg.kernel.errors import Problem, ValidationError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.names import name_key
from biocluster_kg.kernel.schema import SCHEMA

__all__ = [
    "ACTOR_PROPOSALS",
    "NUMBER_PROPOSALS",
    "Acceptance",
    "accept_draft",
    "candidate_lines",
    "is_draft",
    "readable_id",
]

#: The top-level key that marks a data file as an unreviewed draft.
DRAFT_MARK = "draft"
ACTOR_PROPOSALS = ("new_actor", "group")
NUMBER_PROPOSALS = (
    "amount",
    "amount_range",
    "count",
    "fiscal_year",
    "calendar_year",
    "date",
    "as_of",
)
_PLACEHOLDER = re.compile(r"^[a-z]+:draft-\d+")


def is_draft(data: object) -> bool:
    """True for a parsed data file that is an unreviewed draft."""
    return isinstance(data, dict) and bool(data.get(DRAFT_MARK))


@dataclass
class Acceptance:
    """What accepting a draft gives: the data file's content and, per record, the candidate
    it came from (to name the candidate when the workspace's check refuses the record)."""

    document: dict[str, Any]
    origins: list[str] = field(default_factory=list)  # one per node, then per relationship
    candidates: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return len(self.document["nodes"]) + len(self.document.get("relationships", []))


def readable_id(label: str, name_en: str, taken: Collection[str], fallback: str) -> str:
    """A readable id for a new ``label`` node: its prefix and the slug of its English name,
    with ``-2``, ``-3`` added until no id in ``taken`` has it.

    >>> readable_id("Organization", "C-Bio Inc.", {"org:c-bio-inc"}, "x")
    'org:c-bio-inc-2'
    >>> readable_id("Group", "東雲", set(), "shinonome-line-9")
    'group:shinonome-line-9'
    """
    prefix = SCHEMA.node(label).id_prefix
    folded = unicodedata.normalize("NFKC", name_en).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-") or fallback
    if re.match(r"draft-\d", slug):  # never the form of a draft's placeholder
        slug = f"named-{slug}"
    candidate, number = f"{prefix}:{slug}", 1
    while candidate in taken:
        number += 1
        candidate = f"{prefix}:{slug}-{number}"
    return candidate


def candidate_lines(draft_text: str) -> list[int]:
    """The line of each candidate in a draft file's text (for messages), in order."""
    import yaml

    try:
        root = yaml.compose(draft_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "candidates" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


class _Refusals:
    def __init__(self, display: str, lines: list[int]):
        self.display, self.lines = display, lines
        self.problems: list[Problem] = []

    def add(self, index: int, key: str, field_name: str | None, message: str) -> None:
        line = self.lines[index] if index < len(self.lines) else None
        self.problems.append(Problem(self.display, line, field_name, f"candidate {key}: {message}"))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def accept_draft(
    data: Any,
    display: str,
    *,
    kb: KnowledgeBase | None = None,
    chosen: Collection[str] = (),
    lines: list[int] | None = None,
    english_names: Mapping[str, str] | None = None,
) -> Acceptance:
    """The data file made of a reviewed draft's accepted candidates.

    ``kb`` is the workspace's knowledge base (its ids are taken; its ids and names may be
    tie ends and attach targets). ``chosen`` names candidates accepted besides those marked
    ``accept: true``: by candidate key or by span. ``english_names`` gives the English name
    of chosen actors by the same keys. ``lines`` are the candidates' lines in the draft.

    Raises
    ------
    ValidationError
        Every refusal, one per candidate and field, naming the draft's line.
    """
    kb = kb if kb is not None else KnowledgeBase()
    english_names = dict(english_names or {})
    if not isinstance(data, Mapping) or not isinstance(data.get("candidates"), list):
        raise ValidationError(Problem(display, None, "candidates", "not a draft file"))
    source = data.get("source")
    if not _text(source):
        raise ValidationError(Problem(display, None, "source", "missing source id"))
    refusals = _Refusals(display, lines or [])
    entries: list[tuple[int, str, Mapping[str, Any]]] = []
    for index, entry in enumerate(data["candidates"]):
        key = f"c{index + 1}"
        if isinstance(entry, Mapping) and _text(entry.get("candidate")):
            key = _text(entry.get("candidate"))
        if not isinstance(entry, Mapping):
            refusals.add(index, key, None, "expected a mapping")
            continue
        entries.append((index, key, entry))
    picked = _pick(entries, chosen, english_names, refusals)
    if refusals.problems:
        raise ValidationError(refusals.problems)

    taken = set(kb.nodes)
    acceptance = Acceptance(
        {
            "source": source,
            "description": f"Accepted from the draft {display}.",
            "nodes": [],
            "relationships": [],
        }
    )
    nodes: list[dict[str, Any]] = acceptance.document["nodes"]
    relationships: list[dict[str, Any]] = acceptance.document["relationships"]
    # Every way an accepted record may be named in this draft -> its final id.
    aliases: dict[str, str] = {}
    records: dict[str, dict[str, Any]] = {}
    node_origins: list[str] = []
    relationship_origins: list[str] = []

    for index, key, entry in picked:
        if entry.get("proposal") not in ACTOR_PROPOSALS:
            continue
        record = entry.get("record")
        if not isinstance(record, Mapping):
            refusals.add(index, key, "record", "accepted, but has no record to add (add one)")
            continue
        node = dict(record)
        if key in english_names:
            node["name_en"] = english_names[key]
        label = node.get("label")
        if not isinstance(label, str) or not SCHEMA.has_label(label):
            refusals.add(index, key, "record.label", f"unknown label {label!r}")
            continue
        if not _text(node.get("name_en")):
            refusals.add(
                index, key, "record.name_en", "empty text: write the English name (or a reading)"
            )
            continue
        given = _text(node.get("id"))
        # An English name given on the command line names the id too: the same command
        # gives the same id whatever the draft proposed.
        if given and not _PLACEHOLDER.match(given) and key not in english_names:
            if given in taken:
                refusals.add(
                    index, key, "record.id", f"{given!r} is taken in the workspace or this draft"
                )
                continue
            final = given
        else:
            fallback = f"{re.sub(r'[^a-z0-9]+', '-', str(source).lower())}-line-{entry.get('line')}"
            final = readable_id(label, str(node["name_en"]), taken, fallback.strip("-"))
        taken.add(final)
        node = {"id": final, **{k: v for k, v in node.items() if k != "id"}}
        if "span_columns" not in node:
            # A record citing a table's columns takes its span from those cells (the loader
            # fills it in); the candidate's span is one cell and would not match two.
            node.setdefault("span", entry.get("span"))
        if "span_line" not in node and isinstance(entry.get("line"), int):
            node["span_line"] = entry["line"]
        _table_columns(node, kb, str(node.get("source_doc") or source))
        nodes.append(node)
        node_origins.append(key)
        records[final] = node
        for alias in (given, key, final, _text(node.get("name_ja"))):
            if alias:
                aliases.setdefault(alias, final)
                aliases.setdefault(name_key(alias), final)

    def resolve(reference: Any) -> str | None:
        text = _text(reference)
        if not text:
            return None
        if text in aliases:
            return aliases[text]
        if text in kb.nodes:
            return text
        folded = name_key(text)
        if folded in aliases:
            return aliases[folded]
        matches = {
            node.id
            for node in kb.nodes.values()
            for name in (node.get("name_ja"), node.get("name_en"), *node.get("aliases", []))
            if isinstance(name, str) and name_key(name) == folded
        }
        return next(iter(matches)) if len(matches) == 1 else None

    for index, key, entry in picked:
        proposal = entry.get("proposal")
        if proposal in ("tie", "role"):
            record = entry.get("record")
            if not isinstance(record, Mapping) or not _text(record.get("type")):
                refusals.add(
                    index,
                    key,
                    "record",
                    "a tie needs record: {type, from, to, role?}; a role becomes one",
                )
                continue
            tie = dict(record)
            ends_ok = True
            for end in ("from", "to"):
                resolved = resolve(tie.get(end))
                if resolved is None:
                    refusals.add(
                        index,
                        key,
                        f"record.{end}",
                        f"{tie.get(end)!r} is neither an id of the workspace nor an accepted "
                        "candidate's record",
                    )
                    ends_ok = False
                else:
                    tie[end] = resolved
            if not ends_ok:
                continue
            tie.setdefault("span", entry.get("span"))
            if "span_line" not in tie and isinstance(entry.get("line"), int):
                tie["span_line"] = entry["line"]
            relationships.append(tie)
            relationship_origins.append(key)
        elif proposal in NUMBER_PROPOSALS:
            _attach_number(
                index, key, entry, resolve, records, kb, taken, refusals,
                nodes, node_origins, relationships, relationship_origins,
            )  # fmt: skip
    if refusals.problems:
        raise ValidationError(refusals.problems)
    acceptance.origins = node_origins + relationship_origins
    acceptance.candidates = [key for _, key, _ in picked]
    if not acceptance.document["relationships"]:
        del acceptance.document["relationships"]
    return acceptance


def _table_columns(record: dict[str, Any], kb: KnowledgeBase, source_id: str) -> None:
    """A table's record cites its row and the columns whose cells state it: where the draft
    gave no columns, those of its row whose cell is exactly the span (the cell states it)."""
    from biocluster_kg.loaders.sources import normalize
    from biocluster_kg.loaders.tables import sheet_name

    document = kb.sources.get(source_id)
    if document is None or document.sheets is None or "span_columns" in record:
        return
    name = sheet_name(document.sheets, record.get("span_sheet"))
    row, span = record.get("span_line"), _text(record.get("span"))
    if name is None or not isinstance(row, int) or not span:
        return
    rows = document.sheets[name]
    if not 2 <= row <= len(rows):
        return
    columns = [
        column
        for column, value in zip(rows[0], rows[row - 1], strict=False)
        if normalize(value.strip()) == normalize(span)
    ]
    if columns:
        record["span_columns"] = columns


def _pick(
    entries: list[tuple[int, str, Mapping[str, Any]]],
    chosen: Collection[str],
    english_names: dict[str, str],
    refusals: _Refusals,
) -> list[tuple[int, str, Mapping[str, Any]]]:
    """The accepted candidates: marked ``accept: true`` or named in ``chosen`` (by key or
    span; a span shared by an actor and a number picks the actor). A name that picks no
    candidate, or several, is refused: nothing is accepted by a guess."""
    picked = {index for index, _, entry in entries if entry.get("accept") is True}
    for choice in chosen:
        hits = [(i, k, e) for i, k, e in entries if choice in (k, e.get("span"))]
        actors = [hit for hit in hits if hit[2].get("proposal") in ACTOR_PROPOSALS]
        hits = actors or hits
        if len(hits) != 1:
            what = "no candidate" if not hits else f"{len(hits)} candidates"
            keys = ", ".join(k for _, k, _ in hits)
            problem = Problem(
                refusals.display,
                None,
                "--candidate",
                f"{choice!r} names {what}{f' ({keys}): use a key' if hits else ''}",
            )
            refusals.problems.append(problem)
            continue
        index, key, _ = hits[0]
        picked.add(index)
        if choice in english_names and choice != key:
            english_names[key] = english_names.pop(choice)
    return [entry for entry in entries if entry[0] in picked]


def _attach_number(
    index: int,
    key: str,
    entry: Mapping[str, Any],
    resolve: Any,
    records: dict[str, dict[str, Any]],
    kb: KnowledgeBase,
    taken: set[str],
    refusals: _Refusals,
    nodes: list[dict[str, Any]],
    node_origins: list[str],
    relationships: list[dict[str, Any]],
    relationship_origins: list[str],
) -> None:
    """An accepted number as the property of the node it belongs to, or a Figure."""
    proposal, value, span = entry.get("proposal"), entry.get("value"), _text(entry.get("span"))
    line = entry.get("line")
    attach = entry.get("attach")
    if not isinstance(attach, Mapping) or not _text(attach.get("node")):
        refusals.add(
            index,
            key,
            "attach",
            "a number needs attach: {node: ID, property: NAME}, naming the record it belongs to",
        )
        return
    target = resolve(attach.get("node"))
    if target is None:
        refusals.add(
            index,
            key,
            "attach.node",
            f"{attach.get('node')!r} is neither an id of the workspace nor an accepted "
            "candidate's record",
        )
        return
    label = records[target]["label"] if target in records else kb.nodes[target].label
    declared = {p.name for p in SCHEMA.node(label).properties}
    prop = _text(attach.get("property"))
    values: dict[str, Any]
    if proposal == "amount_range":
        if not (isinstance(value, list) and len(value) == 2):
            refusals.add(index, key, "value", "an amount range is [low, high] in thousand yen")
            return
        values = {"amount_min_thousand_yen": value[0], "amount_max_thousand_yen": value[1]}
    else:
        if not prop:
            refusals.add(index, key, "attach.property", "name the property the number is")
            return
        values = {prop: value}
    if all(name in declared for name in values):
        record = records.get(target)
        covered = (
            record is not None
            and record.get("span_line") == line
            and span in _text(record.get("span"))
        )
        if covered and record is not None:
            record.update(values)
            return
        # The number has its own span: a further record of the node cites it.
        nodes.append({"id": target, "label": label, **values, "span": span, "span_line": line})
        node_origins.append(key)
        return
    if proposal != "count":
        allowed = ", ".join(sorted(n for n in declared if n not in ("span", "span_line")))
        refusals.add(
            index,
            key,
            "attach.property",
            f"{', '.join(values)} is no property of a {label} (its properties: {allowed}); "
            "only a count can become a Figure",
        )
        return
    kind, name_en = _text(attach.get("kind")), _text(attach.get("name_en"))
    if kind not in SCHEMA.node("Figure").kinds or not name_en:
        kinds = ", ".join(SCHEMA.node("Figure").kinds)
        refusals.add(
            index,
            key,
            "attach.kind",
            f"{prop!r} is no property of a {label}: the count becomes a Figure measuring it, "
            f"which needs attach.kind (one of {kinds}) and attach.name_en",
        )
        return
    figure_id = readable_id("Figure", f"{target.split(':', 1)[1]}-{prop}", taken, "figure")
    taken.add(figure_id)
    unit = span[-1:] if span[-1:] in ("名", "件", "社", "校") else None
    figure = {
        "id": figure_id,
        "label": "Figure",
        "kind": kind,
        "metric": prop,
        "value": value,
        **({"unit_ja": unit} if unit else {}),
        **({"as_of": attach["as_of"]} if _text(attach.get("as_of")) else {}),
        "name_ja": span,
        "name_en": name_en,
        "span": span,
        "span_line": line,
    }
    nodes.append(figure)
    node_origins.append(key)
    relationships.append(
        {"type": "MEASURES", "from": figure_id, "to": target, "span": span, "span_line": line}
    )
    relationship_origins.append(key)
