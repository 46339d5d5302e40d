"""Stakeholder lists: the cluster's actors with their bodies, roles and source citation.

Who is a stakeholder
--------------------
One row per ``Organization``, ``Group`` and ``Body`` node. A ``Position`` (a post held ex
officio, such as the governor) is not a row of its own: it rolls up to the organisation,
body or group it is a post in (``POSITION_IN``), whose row lists the post under
``positions`` and the post's seats under ``memberships`` ("... via 山形県知事"). A position
that is a post in nothing is listed as a row of its own so that no seat is lost.

Columns (stable; the order is :data:`STAKEHOLDER_COLUMNS`)
----------------------------------------------------------
``id``, ``label`` (Organization, Group, Body or Position), ``name_ja``, ``name_en``,
``aliases``, ``kind``, ``sector`` (empty for a body or position the source gives none),
``positions`` (Japanese names of the posts rolled up into the row), ``memberships`` (one
entry per seat on a council or committee, ``<body name_ja>:<role>[ (<role_ja>)][ via
<position name_ja>]``, e.g. ``山形県バイオクラスター形成推進会議:chair (会長) via 山形県知事``),
``membership_bases`` (how each seat is known, one entry per ``memberships`` entry, in the
same order: ``stated``, ``layout`` or ``inferred``), ``source_doc``, ``span`` (the exact
source text naming the actor), ``span_line``, and ``basis`` and ``basis_reason`` (how the
actor itself is known, with the reason for anything not stated). In CSV and xlsx the list
columns (``aliases``, ``positions``, ``memberships``, ``membership_bases``) are joined with
``"; "``; in JSON they are arrays. Rows are sorted by id. In Japanese (``lang="ja"``) the
headers and codes, the bases included (記載, 図の配置, 推論), are the schema's names, and a
seat reads ``<body>：<role>[（<post>として）]`` with the role as the source words it (会長),
else the schema's Japanese name for its code (委員・構成員), e.g.
``山形県バイオクラスター形成推進会議：会長（山形県知事として）``; JSON and ``lang="en"``
keep the stable form above.

Filters (all optional; different filters must all hold, values of one filter are
alternatives)
-----------------------------------------------------------------------------------------
``bodies``: sits on one of these bodies (by id, name or alias), directly or through a post.
``roles``: holds one of these roles (``chair``, ``vice_chair``, ``member``, ... or the
Japanese ``role_ja`` such as 会長); with ``bodies``, on one of those bodies.
``sectors`` and ``kinds``: the actor's own sector and kind.
``fiscal_year``: tied (any relationship, either direction, directly or through a post) to
a programme, project, event, outcome or figure of that fiscal year: ``fiscal_year`` equal
to it, or a ``fiscal_year_start``..``fiscal_year_end`` range covering it (an open end
counts as continuing).
``tied_to``: tied (any relationship, either direction, directly or through a post) to the
named node (by id, name or alias, NFKC-normalised).

Spreadsheet safety
------------------
A CSV or xlsx cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` so that Excel and LibreOffice never run it as a formula
(:func:`neutralise`); JSON keeps the text as it is. CSV is UTF-8, optionally with the
byte-order mark Excel needs to show Japanese.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:pref", "Organization", {"name_ja": "山形県", "name_en": "Yamagata",
...     "kind": "prefecture", "sector": "government"}))
>>> kb.add_node(Node("pos:governor", "Position", {"name_ja": "山形県知事", "name_en": "Governor",
...     "kind": "head_of_government"}))
>>> kb.add_node(Node("body:council", "Body", {"name_ja": "推進会議", "name_en": "Council",
...     "kind": "council"}))
>>> kb.add_relationship(Relationship("p", "POSITION_IN", "pos:governor", "org:pref", {}))
>>> kb.add_relationship(Relationship("m", "MEMBER_OF", "pos:governor", "body:council",
...     {"role": "chair", "role_ja": "会長"}))
>>> rows = stakeholder_rows(kb, StakeholderFilter(roles=("会長",)))
>>> [(row["id"], row["positions"], row["memberships"]) for row in rows]
[('org:pref', ['山形県知事'], ['推進会議:chair (会長) via 山形県知事'])]
>>> print(stakeholders_csv(rows).decode().splitlines()[1].replace(",推進", ",\\n推進"))
org:pref,Organization,山形県,Yamagata,,prefecture,government,山形県知事,
推進会議:chair (会長) via 山形県知事,stated,,,,stated,
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biocluster_kg.kernel.basis import basis_name
from biocluster_kg.kernel.errors import ExportError, NameLookupError
from biocluster_kg.kernel.files import atomic_write, filesystem_message
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.names import display_width, fold_name, resolve_actor
from biocluster_kg.kernel.schema import DEFAULT_BASIS, SCHEMA

__all__ = [
    "STAKEHOLDER_COLUMNS",
    "column_titles",
    "localised",
    "LIST_COLUMNS",
    "CELL_SEPARATOR",
    "ROW_LABELS",
    "STAKEHOLDER_KINDS",
    "MEMBERSHIP_ROLES",
    "Membership",
    "MembershipEntry",
    "StakeholderFilter",
    "stakeholder_rows",
    "neutralise",
    "spreadsheet_cells",
    "stakeholders_csv",
    "stakeholders_json",
    "write_stakeholders_xlsx",
]

STAKEHOLDER_COLUMNS: tuple[str, ...] = (
    "id",
    "label",
    "name_ja",
    "name_en",
    "aliases",
    "kind",
    "sector",
    "positions",
    "memberships",
    "membership_bases",
    "source_doc",
    "span",
    "span_line",
    "basis",
    "basis_reason",
)
LIST_COLUMNS: tuple[str, ...] = ("aliases", "positions", "memberships", "membership_bases")

#: The columns' names for people; the schema's property titles where the column is one.
_COLUMN_TITLES: dict[str, tuple[str, str]] = {
    "id": ("ID", "ID"),
    "label": ("区分", "label"),
    "name_ja": ("名称", "Japanese name"),
    "name_en": ("英語名", "English name"),
    "aliases": ("別名・略称", "aliases"),
    "kind": ("種類", "kind"),
    "sector": ("セクター", "sector"),
    "positions": ("役職", "posts"),
    "memberships": ("会議体での役割", "seats on bodies"),
    "membership_bases": ("会議体での役割の根拠", "how each seat is known"),
    "source_doc": ("出典", "source"),
    "span": ("出典の記述", "quoted span"),
    "span_line": ("出典の行", "line"),
    "basis": (SCHEMA.property_title("basis", "ja"), SCHEMA.property_title("basis", "en")),
    "basis_reason": (
        SCHEMA.property_title("basis_reason", "ja"),
        SCHEMA.property_title("basis_reason", "en"),
    ),
}


def column_titles(lang: str = "en") -> list[str]:
    """The header row: the stable keys in ``en`` (scripts), names for people in ``ja``.

    >>> column_titles("ja")[:3]
    ['ID', '区分', '名称']
    """
    if lang != "ja":
        return list(STAKEHOLDER_COLUMNS)
    return [_COLUMN_TITLES[column][0] for column in STAKEHOLDER_COLUMNS]


def localised(row: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """A row whose codes (label, kind, sector, bases, the roles of its seats) are the
    vocabulary's names in ``ja``; seats are written from the seat (a
    :class:`MembershipEntry`), never by editing their stable text."""
    if lang != "ja":
        return row
    label = row.get("label")
    out = dict(row)
    out["memberships"] = [
        # An entry given as plain text (a row not made here) is written as it was given.
        entry.seat.text("ja") if isinstance(entry, MembershipEntry) else entry
        for entry in row.get("memberships", [])
    ]
    if isinstance(row.get("basis"), str):
        out["basis"] = basis_name(row["basis"], "ja")
    out["membership_bases"] = [basis_name(code, "ja") for code in row.get("membership_bases", [])]
    if isinstance(label, str) and SCHEMA.has_label(label):
        out["label"] = SCHEMA.node(label).display_name("ja")
        if isinstance(row.get("kind"), str):
            out["kind"] = SCHEMA.kind_name(label, row["kind"], "ja")
    if isinstance(row.get("sector"), str):
        out["sector"] = SCHEMA.term_name("sector", row["sector"], "ja")
    return out


#: How list columns are joined in CSV and xlsx cells.
CELL_SEPARATOR = "; "

#: Labels whose nodes are rows; positions roll up into them.
ROW_LABELS: tuple[str, ...] = ("Organization", "Group", "Body")
_POSITION = "Position"
#: Every kind a stakeholder row can have (for checking ``kinds`` before a run).
STAKEHOLDER_KINDS: tuple[str, ...] = tuple(
    kind for label in (*ROW_LABELS, _POSITION) for kind in SCHEMA.node(label).kinds
)
#: Roles a seat on a body can have (``MEMBER_OF.role``).
MEMBERSHIP_ROLES: tuple[str, ...] = SCHEMA.relationship("MEMBER_OF").property("role").choices or ()

_YEAR_LABELS = ("Program", "Project", "Event", "Outcome", "Figure")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Membership:
    """A seat on a body, held directly or through a post (``via``)."""

    body_id: str
    body_name: str
    role: str | None
    role_ja: str | None
    via_id: str | None = None
    via_name: str | None = None
    #: How the seat (the MEMBER_OF) is known: stated, layout or inferred.
    basis: str = DEFAULT_BASIS

    def text(self, lang: str = "en") -> str:
        """``<body>:<role>[ (<role_ja>)][ via <post>]``: the stable form, with the role's
        code, which JSON and ``en`` keep; in ``ja`` ``<body>：<role>[（<post>として）]``,
        the role as the source words it, else the schema's Japanese name for its code.

        >>> seat = Membership("body:c", "推進会議", "chair", "会長", "pos:g", "山形県知事")
        >>> seat.text(), seat.text("ja")
        ('推進会議:chair (会長) via 山形県知事', '推進会議：会長（山形県知事として）')
        >>> Membership("body:c", "推進会議", "member", None).text("ja")
        '推進会議：委員・構成員'
        """
        if lang == "ja":
            return self._japanese_text()
        text = self.body_name + (f":{self.role}" if self.role else "")
        if self.role_ja:
            text += f" ({self.role_ja})"
        if self.via_name:
            text += f" via {self.via_name}"
        return text

    def _japanese_text(self) -> str:
        # The source's own word first, as the network page's cards have it: 副委員長 is
        # what the source says, the vocabulary's 副会長 only what the code means.
        role = self.role_ja or (SCHEMA.term_name("role", self.role, "ja") if self.role else None)
        text = self.body_name + (f"：{role}" if role else "")
        return text + (f"（{self.via_name}として）" if self.via_name else "")


class MembershipEntry(str):
    """A ``memberships`` entry: its stable text (:meth:`Membership.text`), which is what
    the entry is equal to and what JSON and ``en`` write, carrying the seat it describes so
    that the Japanese list can be written from the seat rather than from the text."""

    seat: Membership

    def __new__(cls, seat: Membership) -> MembershipEntry:
        entry = super().__new__(cls, seat.text())
        entry.seat = seat
        return entry


@dataclass(frozen=True)
class StakeholderFilter:
    """Which stakeholders to list (see the module docstring); empty means no filter."""

    bodies: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    fiscal_year: int | None = None
    tied_to: str | None = None


def _resolve(kb: KnowledgeBase, name: str, labels: Sequence[str] | None = None) -> str:
    """The id of the node called ``name`` by the one name layer
    (:func:`biocluster_kg.kernel.names.resolve_actor`), failing as this export's error.

    >>> from biocluster_kg.kernel.model import Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "先端生命科学研究所",
    ...     "aliases": ["慶應先端研"]}))
    >>> _resolve(kb, "ｏｒｇ:ＩＡＢ"), _resolve(kb, "慶應先端研")
    ('org:iab', 'org:iab')
    >>> _resolve(kb, "慶應先端研", ["Body"])
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.ExportError: no Body is called '慶應先端研' (by id, name or alias)
    """
    try:
        return resolve_actor(kb, name, labels=labels)
    except NameLookupError as error:
        raise ExportError(str(error)) from error


def _covers(node: Node, year: int) -> bool:
    if node.get("fiscal_year") == year:
        return True
    start, end = node.get("fiscal_year_start"), node.get("fiscal_year_end")
    if start is None and end is None:
        return False
    return (start is None or start <= year) and (end is None or year <= end)


class _Index:
    """Positions, seats and neighbours of every node, built once per run."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.posts: dict[str, list[str]] = defaultdict(list)
        self.holders: dict[str, list[str]] = defaultdict(list)
        self.seats: dict[str, list[Relationship]] = defaultdict(list)
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        for rel in sorted(kb.relationships.values(), key=lambda r: r.id):
            if rel.start not in kb.nodes or rel.end not in kb.nodes:
                raise ExportError(f"relationship {rel.id} refers to a missing node")
            if rel.type == "POSITION_IN" and kb.nodes[rel.start].label == _POSITION:
                self.posts[rel.end].append(rel.start)
                self.holders[rel.start].append(rel.end)
            if rel.type == "MEMBER_OF":
                self.seats[rel.start].append(rel)
            self.neighbours[rel.start].add(rel.end)
            self.neighbours[rel.end].add(rel.start)

    def memberships(self, actor_id: str) -> list[Membership]:
        found = [self._membership(rel, None) for rel in self.seats.get(actor_id, [])]
        for post in self.posts.get(actor_id, []):
            found += [self._membership(rel, post) for rel in self.seats.get(post, [])]
        return sorted(found, key=lambda m: (m.body_id, m.via_id or "", m.role or ""))

    def _membership(self, rel: Relationship, via: str | None) -> Membership:
        body = self.kb.nodes[rel.end]
        return Membership(
            body_id=body.id,
            body_name=str(body.get("name_ja") or body.id),
            role=rel.get("role"),
            role_ja=rel.get("role_ja"),
            via_id=via,
            via_name=str(self.kb.nodes[via].get("name_ja") or via) if via else None,
            basis=str(rel.get("basis") or DEFAULT_BASIS),
        )

    def reach(self, actor_id: str) -> set[str]:
        """Nodes tied to the actor or to one of its posts (the actor and posts excluded)."""
        own = {actor_id, *self.posts.get(actor_id, [])}
        tied: set[str] = set()
        for member in own:
            tied |= self.neighbours.get(member, set())
        # A post is tied to its own organisation; that is not a tie of the organisation.
        return tied - {actor_id}


def stakeholder_rows(
    kb: KnowledgeBase, filters: StakeholderFilter | None = None
) -> list[dict[str, Any]]:
    """The stakeholder rows (dicts keyed by :data:`STAKEHOLDER_COLUMNS`), filtered.

    Raises :class:`ExportError` if a body or the ``tied_to`` node cannot be found by name.
    """
    filters = filters or StakeholderFilter()
    index = _Index(kb)
    bodies = {_resolve(kb, name, ("Body",)) for name in filters.bodies}
    roles = {fold_name(role) for role in filters.roles}
    tied_to = _resolve(kb, filters.tied_to) if filters.tied_to is not None else None
    year_nodes = (
        {
            n.id
            for n in kb.nodes.values()
            if n.label in _YEAR_LABELS and _covers(n, filters.fiscal_year)
        }
        if filters.fiscal_year is not None
        else set()
    )
    rows = []
    for node in sorted(kb.nodes.values(), key=lambda n: n.id):
        if node.label not in ROW_LABELS and not (
            node.label == _POSITION and not index.holders.get(node.id)
        ):
            continue
        memberships = index.memberships(node.id)
        if bodies or roles:
            seats = [
                m
                for m in memberships
                if (not bodies or m.body_id in bodies)
                and (
                    not roles
                    or fold_name(m.role or "") in roles
                    or fold_name(m.role_ja or "") in roles
                )
            ]
            if not seats:
                continue
        if filters.sectors and node.get("sector") not in filters.sectors:
            continue
        if filters.kinds and node.get("kind") not in filters.kinds:
            continue
        if filters.fiscal_year is not None and not index.reach(node.id) & year_nodes:
            continue
        if tied_to is not None and (tied_to == node.id or tied_to not in index.reach(node.id)):
            continue
        rows.append(_row(kb, node, index, memberships))
    return rows


def _row(kb: KnowledgeBase, node: Node, index: _Index, memberships: list[Membership]) -> dict:
    posts = [str(kb.nodes[post].get("name_ja") or post) for post in index.posts.get(node.id, [])]
    return {
        "id": node.id,
        "label": node.label,
        "name_ja": node.get("name_ja"),
        "name_en": node.get("name_en"),
        "aliases": list(node.get("aliases") or []),
        "kind": node.get("kind"),
        "sector": node.get("sector"),
        "positions": posts,
        "memberships": [MembershipEntry(m) for m in memberships],
        "membership_bases": [m.basis for m in memberships],
        "source_doc": node.get("source_doc"),
        "span": node.get("span"),
        "span_line": node.get("span_line"),
        # A record that gives no basis is stated (the loader's rule, schema.DEFAULT_BASIS).
        "basis": node.get("basis") or DEFAULT_BASIS,
        "basis_reason": node.get("basis_reason"),
    }


def neutralise(text: str) -> str:
    """Text that a spreadsheet will not run as a formula.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("@SUM(A1)"), neutralise("山形県")
    ('\\'=HYPERLINK("http://x")', "'@SUM(A1)", '山形県')
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def spreadsheet_cells(row: dict[str, Any]) -> list[Any]:
    """One row as CSV/xlsx cells: lists joined, text neutralised, numbers kept, None empty."""
    cells: list[Any] = []
    for column in STAKEHOLDER_COLUMNS:
        value = row.get(column)
        if value is None:
            cells.append("")
        elif isinstance(value, list):
            cells.append(neutralise(CELL_SEPARATOR.join(value)))
        elif isinstance(value, str):
            cells.append(neutralise(value))
        else:
            cells.append(value)
    return cells


def stakeholders_csv(
    rows: Iterable[dict[str, Any]], *, bom: bool = False, lang: str = "en"
) -> bytes:
    """The rows as UTF-8 CSV (header first, CRLF line ends), with a byte-order mark if
    ``bom`` (what Excel needs to read UTF-8); headers and codes for people in ``ja``."""
    buffer = io.StringIO()
    # CRLF, as RFC 4180 and Excel have it; it also makes the writer quote a cell holding
    # a lone carriage return, which would otherwise split the row.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(column_titles(lang))
    for row in rows:
        writer.writerow(spreadsheet_cells(localised(row, lang)))
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def stakeholders_json(rows: Iterable[dict[str, Any]]) -> bytes:
    """The rows as a JSON array of objects (UTF-8, lists as arrays, absent values null)."""
    records = [{column: row.get(column) for column in STAKEHOLDER_COLUMNS} for row in rows]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_stakeholders_xlsx(
    rows: Iterable[dict[str, Any]], path: str | os.PathLike[str], *, lang: str = "en"
) -> None:
    """The rows as an Excel workbook with one sheet, ``stakeholders``: the CSV's cells, with
    every text cell stored as text (never as a formula) and ``span_line`` as a number; the
    header frozen, an autofilter over the table and each column as wide as its text (a
    CJK character counts two), headers and codes for people in ``ja``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "stakeholders"
    sheet.append(column_titles(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    titles = column_titles(lang)
    for number, row in enumerate(rows, start=2):
        cells = spreadsheet_cells(localised(row, lang))
        _check_workbook_text(cells, titles, number, row)
        sheet.append(cells)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                # openpyxl reads any text starting with '=' as a formula; say it is text.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.iter_cols(), start=1):
        widest = max((display_width(str(cell.value or "")) for cell in column), default=0)
        # Excel's unit is about one Latin character; past 60 a cell wraps in Excel anyway.
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 6), 60)
    # Whole or not at all: saved in memory, then written atomically; the old workbook stays
    # until the new one is complete.
    atomic_write(Path(path), _saved(workbook, path), error=ExportError, what="workbook")


def _check_workbook_text(
    cells: Sequence[Any], titles: Sequence[str], number: int, row: dict[str, Any]
) -> None:
    """Refuse a cell a workbook cannot hold (a control character: the gate refuses them in
    data files, but a store's text can be written by hand, with ``cypher --write`` or in
    Neo4j Browser), naming the row, the actor and the column; never openpyxl's traceback
    (which would print the character itself)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for title, value in zip(titles, cells, strict=False):
        found = ILLEGAL_CHARACTERS_RE.search(value) if isinstance(value, str) else None
        if found is not None:
            raise ExportError(
                f"cannot write the workbook: row {number} ({row.get('id', '?')}), column "
                f"{title}, holds the control character U+{ord(found.group()):04X}, which a "
                "workbook cannot hold; it was written into the store by hand: correct it "
                "there (or export CSV)"
            )


def _saved(workbook: Any, path: str | os.PathLike[str]) -> bytes:
    """The workbook's bytes. openpyxl saves each sheet through a temporary file of its own;
    when that fails (a full disk) its abandoned writer prints a traceback as it is collected,
    which is kept off the terminal: the failure is reported once, as an ExportError."""
    buffer = io.BytesIO()
    failure = None
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        try:
            workbook.save(buffer)
        except OSError as error:
            failure = f"cannot write {path}: {filesystem_message(error)}"
        gc.collect()
    finally:
        sys.unraisablehook = previous_hook
    if failure is not None:
        raise ExportError(failure)
    return buffer.getvalue()
