"""The drafting assistant: read a new text source and propose candidate records to review.

A person curates the knowledge base; this only saves them the first read. Line by line it
proposes, each with its exact span as the source writes it and its line:

- **known actors**: every name and alias of the workspace's actors found in the line;
- **new actors**: runs of kanji, katakana and Latin letters ending in a word that names an
  organisation (大学, 研究所, センター, 協会, 協議会, 株式会社, 市, 県, 課, 部, 財団, ...), with a
  guessed label, kind and sector the reviewer must confirm;
- **amounts** in thousand yen (千円, 万円 and 億円 converted; ranges like 3000万円～3億円),
  **counts** (名, 件, 社, 校), **fiscal years** (平成, 令和, H27, R5, 2013年度) and **dates**;
- **roles** from patterns like 会長：X.

A draft is marked as one (``draft: true``) and is never loaded: ``check`` refuses a draft left
in ``kb/``, and ``biocluster accept`` (:mod:`biocluster_kg.loaders.accept`) turns only the
candidates a person marked ``accept: true`` into an ordinary data file, which then passes
the same gate as every other.

>>> from biocluster_kg.loaders.sources import SourceText
>>> text = SourceText("s", "会長：鶴岡市長\\n予算額: 1,200千円（H25：5社、3000万円～3億円）")
>>> [(p.kind, p.value) for p in draft_proposals(text, known={"鶴岡市": "org:city"})]
... # doctest: +NORMALIZE_WHITESPACE
[('role', 'chair'), ('known_actor', 'org:city'), ('new_actor', '鶴岡市長'), ('amount', 1200),
 ('fiscal_year', 2013), ('count', 5), ('amount_range', [30000, 300000])]
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from biocluster_kg.kernel.fiscal import parse_fiscal_year
from biocluster_kg.kernel.names import name_key
from biocluster_kg.kernel.schema import SCHEMA
from biocluster_kg.loaders.sources import SourceText

__all__ = [
    "DRAFT_MARK",
    "Proposal",
    "draft_document",
    "draft_proposals",
]

#: The top-level key that marks a data file as an unreviewed draft.
DRAFT_MARK = "draft"

# What an organisation's name ends in, longest first so 研究センター wins over センター, with
# the label, kind and sector a reviewer most often confirms.
_SUFFIXES: tuple[tuple[str, str, str, str | None], ...] = (
    ("株式会社", "Organization", "company", "industry"),
    ("研究センター", "Organization", "public_research_center", "academia"),
    ("高等学校", "Organization", "high_school", "academia"),
    ("大学院", "Organization", "university_faculty", "academia"),
    ("研究所", "Organization", "research_institute", "academia"),
    ("センター", "Organization", "support_organization", "other"),
    ("歯科医師会", "Organization", "dental_association", "medical"),
    ("医師会", "Organization", "medical_association", "medical"),
    ("協議会", "Body", "council", None),
    ("委員会", "Body", "committee", None),
    ("会議所", "Organization", "industry_association", "industry"),
    ("推進会議", "Body", "council", None),
    ("大学", "Organization", "university", "academia"),
    ("協会", "Organization", "industry_association", "industry"),
    ("財団", "Organization", "support_organization", "other"),
    ("機構", "Organization", "support_organization", "other"),
    ("銀行", "Organization", "company", "finance"),
    ("学校", "Organization", "high_school", "academia"),
    ("高校", "Organization", "high_school", "academia"),
    ("省", "Organization", "national_ministry", "government"),
    ("庁", "Organization", "national_ministry", "government"),
    ("県", "Organization", "prefecture", "government"),
    ("市", "Organization", "municipality", "government"),
    ("町", "Organization", "municipality", "government"),
    ("村", "Organization", "municipality", "government"),
    ("部", "Organization", "government_department", "government"),
    ("課", "Organization", "government_division", "government"),
    ("室", "Body", "office", None),
)
# Words for groups the source counts or names without naming a member.
_GROUP_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("医薬品メーカー", "pharmaceutical_makers", "industry"),
    ("食品製造業者", "food_manufacturers", "industry"),
    ("医療関連企業", "medical_companies", "industry"),
    ("農業法人", "agricultural_corporations", "industry"),
    ("金融機関", "financial_institutions", "finance"),
    ("研究機関", "research_institutions", "academia"),
    ("支援機関", "organization", "other"),
    ("農業者", "farmers", "industry"),
    ("研究者", "researchers", "academia"),
    ("企業", "companies", "industry"),
    ("酒蔵", "breweries", "industry"),
    ("職員", "officials", "government"),
    ("市民", "citizens", "other"),
    ("県民", "residents", "other"),
)
# What a post's name ends in, after the name of what it is a post of (山形県 + 知事).
_POSTS = (
    "専務理事",
    "常任理事",
    "副学長",
    "理事長",
    "コーディネーター",
    "知事",
    "会頭",
    "所長",
    "部長",
    "会長",
    "理事",
    "長",
)
# Characters a name is made of: kanji (with 々), katakana (with ー and ・), Latin letters and
# digits, full or half width. Hiragana is left out on purpose: particles (の, と, へ) end names.
_RUN = re.compile(r"[々〆ヵヶ\u4e00-\u9fff\u30a0-\u30ffA-Za-zＡ-Ｚａ-ｚ・･]+")
_ACRONYM = re.compile(r"^[A-ZＡ-Ｚ]{2,6}$")
_NUMBER = r"(\d[\d,，]*(?:[.．]\d+)?)"
_YEN_UNITS = {"千円": 1, "万円": 10, "億円": 100_000}
_AMOUNT = re.compile(rf"{_NUMBER}\s*(千円|万円|億円)")
_RANGE = re.compile(rf"{_NUMBER}\s*(千円|万円|億円)?\s*[～〜~\-－]\s*{_NUMBER}\s*(千円|万円|億円)")
_COUNT = re.compile(rf"{_NUMBER}\s*(名|件|社|校)")
_ERA_YEAR = re.compile(
    r"(平成|令和|昭和)\s*(元|\d{1,2})\s*年度?|(?<![A-Za-z])([HRＨＲ])\s*(\d{1,2})(?!\d)"
)
_GREGORIAN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度")
_DATE = re.compile(r"(?:((?:19|20)\d{2})年)?(\d{1,2})月(?:(\d{1,2})日)?")
_ROLE_WORDS = {
    "会長": "chair",
    "委員長": "chair",
    "副会長": "vice_chair",
    "副委員長": "vice_chair",
    "委員": "member",
    "事務局": "secretariat",
}
_ROLE = re.compile(
    rf"({'|'.join(sorted(map(re.escape, _ROLE_WORDS), key=len, reverse=True))})\s*[:：]\s*"
    r"([^\s、，,。）)]+)"
)


@dataclass(frozen=True)
class Proposal:
    """One candidate: what kind of fact, its value, and where the source writes it."""

    kind: str
    value: Any
    span: str
    line: int
    record: dict[str, Any] = field(default_factory=dict)
    also_on_lines: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "proposal": self.kind,
            "value": self.value,
            "line": self.line,
            "span": self.span,
            "accept": False,
        }
        if self.also_on_lines:
            entry["also_on_lines"] = list(self.also_on_lines)
        if self.record:
            entry["record"] = self.record
        return entry


def _number(text: str) -> float:
    return float(unicodedata.normalize("NFKC", text).replace(",", ""))


def _thousand_yen(number: str, unit: str) -> int:
    return round(_number(number) * _YEN_UNITS[unit])


def _slug(text: str, index: int) -> str:
    ascii_part = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", text).lower()).strip("-")
    return f"draft-{index}" + (f"-{ascii_part}" if ascii_part else "")


def _known_in_line(line: str, known: Mapping[str, str]) -> list[tuple[int, str, str]]:
    """(position, written name, id) of the known names in a line, longest name first so a
    name inside a longer known name is not proposed twice."""
    folded = name_key(line)
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(known, key=len, reverse=True):
        key = name_key(name)
        if len(key) < 2:  # one-character aliases (県, 市) would match everywhere
            continue
        start = folded.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, name, known[name]))
            start = folded.find(key, end)
    return found


def _record(label: str, kind: str, sector: str | None, written: str) -> dict[str, Any]:
    record: dict[str, Any] = {"label": label, "kind": kind, "name_ja": written, "name_en": ""}
    if sector:
        record["sector"] = sector
    record["span"] = written
    return record


def _organisation_in(text: str) -> tuple[str, tuple[str, str, str | None]] | None:
    """The longest start of ``text`` that ends in an organisation word, with its guess. A
    one-character word (県, 市, 部, ...) needs at least two characters before it, so generic
    words (一部, 全県, 都市) are not taken for names."""
    if text.startswith("株式会社") and len(text) > len("株式会社"):
        return text, ("Organization", "company", "industry")
    for end in range(len(text), 1, -1):
        head = text[:end]
        for suffix, label, kind, sector in _SUFFIXES:
            minimum = len(suffix) + (2 if len(suffix) == 1 else 1)
            if head.endswith(suffix) and len(head) >= minimum:
                return head, (label, kind, sector)
    return None


def _actor_candidates(line: str, known_keys: set[str]) -> list[tuple[int, str, dict[str, Any]]]:
    """(position, name as written, guessed record) for each new actor a line seems to name.

    Each run of name characters is read as ``organisation + post`` (県工業技術センター +
    所長), a group word (県内企業, 農業者, with a count such as 5社 after it), or an acronym
    (JST); the organisation is the longest start of the run that ends in an organisation
    word. A run of names joined by ・ is read part by part too. A trailing 等 ("and others")
    is kept in group names, as the source writes it, and left off organisations.
    """
    result: list[tuple[int, str, dict[str, Any]]] = []

    def add(position: int, written: str, record: dict[str, Any]) -> None:
        if name_key(written) not in known_keys and all(w != written for _, w, _ in result):
            result.append((position, written, record))

    for run in _RUN.finditer(line):
        whole = run.group(0).strip("・･")
        start = run.start() + run.group(0).find(whole)
        parts = [whole]
        if "・" in whole:
            offset = 0
            for piece in whole.split("・"):
                parts.append(piece)
                offset += len(piece) + 1
        for text in parts:
            if not text:
                continue
            position = start + max(whole.find(text), 0)
            core = text[:-1] if text.endswith("等") else text
            if _ACRONYM.match(core):
                add(position, core, _record("Organization", "", None, core))
                continue
            found = _organisation_in(core)
            rest = core[len(found[0]) :] if found else core
            if found:
                add(position, found[0], _record(*found[1], found[0]))
                if rest in _POSTS:
                    add(position, core, _record("Position", "", None, core))
                    continue
            for suffix, kind, sector in _GROUP_SUFFIXES:
                if core.endswith(suffix) and (rest or not found):
                    written = text
                    count = re.match(r"\d+社", line[run.end() :])
                    if count and text == whole:
                        written = text + count.group(0)
                    add(position, written, _record("Group", kind, sector, written))
                    break
    return result


def draft_proposals(source: SourceText, known: Mapping[str, str] | None = None) -> list[Proposal]:
    """Every proposal for ``source``, in source order. ``known`` maps each name and alias of
    the workspace's actors (as written) to the actor's id."""
    known = dict(known or {})
    known_keys = {name_key(name) for name in known}
    proposals: list[Proposal] = []
    new_index = 0
    lines = source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        found: list[tuple[int, Proposal]] = []
        for match in _ROLE.finditer(line):
            found.append(
                (
                    match.start(),
                    Proposal("role", _ROLE_WORDS[match.group(1)], match.group(0), number),
                )
            )
        # Positions of known names are in the folded line; NFKC keeps the order, so they
        # still sort known actors among the other proposals of the line.
        for position, name, node_id in _known_in_line(line, known):
            found.append((position, Proposal("known_actor", node_id, name, number)))
        for position, written, record in _actor_candidates(line, known_keys):
            new_index += 1
            prefix = SCHEMA.node(record["label"]).id_prefix
            record = {"id": f"{prefix}:{_slug(written, new_index)}", **record}
            found.append((position, Proposal("new_actor", written, written, number, record)))
        ranges = list(_RANGE.finditer(line))
        for match in ranges:
            low_unit = match.group(2) or match.group(4)
            bounds = [
                _thousand_yen(match.group(1), low_unit),
                _thousand_yen(match.group(3), match.group(4)),
            ]
            found.append((match.start(), Proposal("amount_range", bounds, match.group(0), number)))
        for match in _AMOUNT.finditer(line):
            if any(r.start() <= match.start() < r.end() for r in ranges):
                continue
            amount = _thousand_yen(match.group(1), match.group(2))
            found.append((match.start(), Proposal("amount", amount, match.group(0), number)))
        for match in _COUNT.finditer(line):
            count = round(_number(match.group(1)))
            found.append((match.start(), Proposal("count", count, match.group(0), number)))
        for pattern in (_ERA_YEAR, _GREGORIAN_YEAR):
            for match in pattern.finditer(line):
                try:
                    year = parse_fiscal_year(match.group(0).replace(" ", ""))
                except ValueError:
                    continue
                found.append((match.start(), Proposal("fiscal_year", year, match.group(0), number)))
        for match in _DATE.finditer(line):
            written_year, month, day = match.group(1), int(match.group(2)), match.group(3)
            if not 1 <= month <= 12 or (day is not None and not 1 <= int(day) <= 31):
                continue
            date = "-".join(
                part
                for part in (written_year or "", f"{month:02d}", f"{int(day):02d}" if day else "")
                if part
            )
            found.append((match.start(), Proposal("date", date, match.group(0), number)))
        proposals.extend(proposal for _, proposal in sorted(found, key=lambda item: item[0]))
    return _first_mentions(proposals)


def _first_mentions(proposals: list[Proposal]) -> list[Proposal]:
    """Each actor once, at its first mention, with the lines that mention it again: the
    reviewer decides about a name once. Values (amounts, counts, years) stay per mention."""
    first: dict[tuple[str, str], int] = {}
    again: dict[int, list[int]] = {}
    kept: list[Proposal] = []
    for proposal in proposals:
        if proposal.kind in ("known_actor", "new_actor"):
            key = (proposal.kind, name_key(str(proposal.value)))
            if key in first:
                again.setdefault(first[key], []).append(proposal.line)
                continue
            first[key] = len(kept)
        kept.append(proposal)
    return [
        dataclasses.replace(proposal, also_on_lines=tuple(again[index]))
        if index in again
        else proposal
        for index, proposal in enumerate(kept)
    ]


def draft_document(source_id: str, proposals: Iterable[Proposal]) -> dict[str, Any]:
    """The draft file's content: marked as a draft, every candidate unaccepted."""
    return {
        DRAFT_MARK: True,
        "source": source_id,
        "description": (
            "Proposed by `biocluster draft`: review each candidate, correct its record, set "
            "accept: true on those the source really states, then run `biocluster accept`."
        ),
        "candidates": [proposal.as_dict() for proposal in proposals],
    }
