"""The drafting assistant: read a new source and propose a cited graph for a person to review.

A person curates the knowledge base; this saves them the first read. It reads Japanese with
a morphological analyser (:mod:`biocluster_kg.loaders.japanese`), finds the names in each
line (:mod:`~biocluster_kg.loaders.mentions`) and the numbers
(:mod:`~biocluster_kg.loaders.numbers`), and then reads the document as a whole:

- **linking**: every name is resolved against the workspace's actors through the name layer
  (names, aliases, width, ・), then against the actors proposed earlier in the draft;
  definitions become aliases (以下「X」, (X社)), renames one actor with both names
  (現 X / 旧 Y), anaphora (同大学, 同社, 同センター) the nearest actor of that kind before
  them, and a short form of a longer name (推進協議会) that name: never a new actor;
- **ties** in the knowledge base's own form, each with its exact span and line and its basis
  (``stated``, or ``layout`` with the reason): posts and their organisation (POSITION_IN),
  a university's centre or a prefecture's department (PART_OF), 会長：/副会長：/委員：
  lists under a body (MEMBER_OF with the role), 実施主体：X (IMPLEMENTS), AとBとの共同研究
  (a joint-research Project both take part in), Aから誕生/A発ベンチャー (VENTURE_OF),
  amounts listed under a total (BREAKDOWN_OF, the sum checked), support and funding phrases
  (SUPPORTS, FUNDS), Xの「Y事業」 (PROGRAMME_OF). A tie the text does not give is never
  proposed;
- **meetings** (第2回評価委員会, a 第N回…会議 title, …を開催) as Events with their dates;
- **numbers** attached to what they belong to when the draft can tell, and a count that says
  what it counts (技術相談（年間120件）) as a Figure that MEASURES the actor the line is about;
- **tables** (CSV, XLSX): one actor per row, cited by row and column.

A draft is marked as one (``draft: true``) and is never loaded: ``check`` refuses a draft left
in ``kb/``, and ``biocluster accept`` (:mod:`biocluster_kg.loaders.accept`) turns only the
candidates a person marked ``accept: true`` into an ordinary data file, which then passes
the same gate as every other.

>>> from biocluster_kg.loaders.sources import SourceText
>>> text = SourceText("s", "会長：鶴岡市長\\n予算額: 1,200千円（H25：5社、3000万円～3億円）")
>>> [(p.kind, p.value) for p in draft_proposals(text, known={"鶴岡市": "org:city"})]
... # doctest: +NORMALIZE_WHITESPACE
[('role', 'chair'), ('known_actor', 'org:city'), ('new_actor', '鶴岡市長'),
 ('tie', 'POSITION_IN'), ('amount', 1200), ('fiscal_year', 2013), ('count', 5),
 ('amount_range', [30000, 300000])]
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from biocluster_kg.kernel.names import fold_name, name_key
from biocluster_kg.kernel.schema import SCHEMA
from biocluster_kg.loaders.japanese import DEFAULT_ANALYSER, analyser, romanize
from biocluster_kg.loaders.mentions import (
    PARENT_KINDS as _PARENT_KINDS,
)
from biocluster_kg.loaders.mentions import POST_KINDS, Mention, find_mentions, organisation_guess
from biocluster_kg.loaders.numbers import find_numbers
from biocluster_kg.loaders.sources import SourceText

__all__ = [
    "DRAFT_MARK",
    "Covered",
    "Proposal",
    "draft_document",
    "draft_proposals",
    "draft_table_proposals",
    "record_id",
]

#: The top-level key that marks a data file as an unreviewed draft.
DRAFT_MARK = "draft"

_ROLE_WORDS = {
    "会長": "chair",
    "委員長": "chair",
    "座長": "chair",
    "代表": "chair",
    "副会長": "vice_chair",
    "副委員長": "vice_chair",
    "副座長": "vice_chair",
    "委員": "member",
    "構成員": "member",
    "幹事": "member",
    "事務局": "secretariat",
}
_ROLE = re.compile(
    rf"({'|'.join(sorted(map(re.escape, _ROLE_WORDS), key=len, reverse=True))})\s*[:：]\s*"
    r"([^\s。）)]+)"
)
# The same list as an aligned table, the role word and its names parted by spaces:
# 委員長　X / 委員　　X、Y.
_ROLE_SPACED = re.compile(
    rf"^[ \t　]*({'|'.join(sorted(map(re.escape, _ROLE_WORDS), key=len, reverse=True))})"
    r"[ 　]+([^\s。）)]+)"
)
_DEFINITION = re.compile(r"[（(]\s*以下[、,，]?\s*「(?P<alias>[^」]{1,30})」(?:という)?。?\s*[）)]")
_SHORT_COMPANY = re.compile(r"[（(](?P<alias>[A-Za-zＡ-Ｚａ-ｚ0-9ァ-ヶー・]{1,15}社)[）)]")
_RENAME = re.compile(r"[（(]\s*(?P<how>現|旧)[\s・:：]*(?P<name>[^（）()]{1,40}?)\s*[）)]")
_HEADING = re.compile(
    r"^\s*(?:[0-9０-９]{1,2}\s*[．.、]|[0-9０-９]{1,2}\s+|[（(][0-9０-９]{1,2}[）)]|[①-⑳]"
    r"|[Ⅰ-Ⅻ]\s*|[■●◆○◇□]|【[^】]{1,20}】)\s*(?P<title>\S.*?)\s*(?:[（(][^（）()]*[）)])?\s*$"
)
# A line that is a title on its own, with no numbering: つばき市スタートアップ支援事業.
_BARE_TITLE = re.compile(
    r"^\s*(?P<title>[^\s、。，,：:「」（）()]{2,40}(?:事業|予算|制度|補助金|基金))\s*$"
)
_PROGRAM_END = re.compile(r"(?:事業|制度|プログラム|補助金|助成金|基金|予算)$")
# A quoted name may also be a plan or a strategy (「…クラスター構想」); a heading may not.
_QUOTED_PROGRAM_END = re.compile(
    r"(?:事業|制度|プログラム|補助金|助成金|基金|予算|構想|計画|戦略|プラン)$"
)
_QUOTED = re.compile(r"「(?P<name>[^」]{2,40})」")
_TOTAL = re.compile(
    r"(?:予算額|事業費|総額|予算)\s*(?:[:：]\s*|は|(?=\d))(?P<amount>\d[\d,，]*\s*(?:千円|万円|億円))"
)
_ITEM = re.compile(
    r"(?:^|[、，]|内訳\s*[:：])\s*(?:[-・*＊]\s*)?(?:[①-⑳]|[（(]\d+[）)]|\d+[．.])?\s*"
    r"(?P<name>[^\s、，:：\d～〜][^、，:：]*?)\s*(?P<amount>\d[\d,，]*\s*(?:千円|万円|億円))"
    r"(?=$|[、，。\s）)]|で|の)"
)
# Two partners joined by a mark, then what they work on: A × B：竹由来セルロースの成形技術;
# A ⇔ B（共同研究 R5～）.
_PAIR_MARK = re.compile(r"[ 　]*[×⇔↔＆&][ 　]*")
_PAIR_THEME = re.compile(r"[ 　]*[:：][ 　]*(?P<theme>[^。、（(]{2,40})")
_JOINT = re.compile(r"共同研究|共同開発|連携協定|と連携|との連携|が連携|と協力し|と共同で")
_DOING = re.compile(r"を(?:行う|行っている|実施する|実施している|進める|進めている)")
_THIS_PROJECT = re.compile(r"(?:本|同|当該)(?:共同研究|共同開発|研究|事業|プロジェクト)")
# 本プロジェクトには、Xも協力機関として参加: X takes part in the project named before.
_JOINS_PROJECT = re.compile(r"(?:本|同|当該)プロジェクトに(?:は)?[、，]?")
# Who pays what: このうち9,000万円を同社が、6,000万円を「X基金」が負担.
_PAYS = re.compile(r"(?:負担|拠出|出資)(?:します|する|した|している|しています)")
# Xは、…を補助します: who runs the document's programme (a call for proposals).
_SUBSIDISES = re.compile(r"(?:補助|助成)(?:します|する)。?$")
_VENTURE = re.compile(
    r"^(?:から|より|の(?:研究)?(?:成果|技術)を(?:もと|基)に)(?:は|も)?[、，]?[^。「」]{0,25}?"
    r"(?:誕生|設立|生まれ|創業|独立|スピンアウト)"
    r"|^発(?:の)?ベンチャー"
)
# A centre a university (a prefecture, a company) set up: 同大学が平成30年に設置したXセンター.
_SET_UP = re.compile(r"^(?:が|の)[^。、「」]{0,20}?(?:設置|設立|開設)(?:した|する|された)")
# A programme an actor runs: Xは...「Y」を運用/実施/運営.
_RUNS = re.compile(r"^」を(?:運用|実施|運営|展開|所管)")
# A programme aimed at actors: 中小企業向けに「Y」, 企業を対象に「Y」.
_AIMED = re.compile(r"^(?:向け|を対象|に対し)(?:に|て)?「$")
_IMPLEMENTER = re.compile(r"実施主体\s*[:：]\s*")
# Whom a programme written above is for: 対象：県内中小企業.
_TARGET = re.compile(r"(?:支援|補助|助成)?対象(?:者|企業)?\s*[:：]\s*")
# A box heading with nothing after it (【研究拠点】) closes the programme above.
_EMPTY_BOX = re.compile(r"^\s*【[^】]{1,20}】\s*$")
# A title line of words parted by spaces, one of them a programme: 令和6年度 X事業 実施状況報告.
_TITLE_WORD = re.compile(r"(?<![^\s　])[一-龥々ァ-ヶーぁ-ゖA-Za-z][^\s　]{3,39}")
_TITLE_LINES = 5  # a document's title is among its first lines
# The document's programme named again: 本事業は、Xが実施する補助事業.
_THIS_PROGRAM = re.compile(r"(?:本|同|当)(?:事業|制度|プログラム|補助金)(?:は|では)")
_RUN_BY = re.compile(r"^が(?:実施|運営|所管|運用)")
# A university's venture where the text names no university (大学発ベンチャー2社が誕生):
# the one university the document has named, if it has named only one.
_BARE_UNIVERSITY_VENTURE = re.compile(r"(?:^|[\s　、。・：:（(])大学発(?:の)?ベンチャー")
# Where a joint research is done (…を中心とする拠点では、AとBが共同研究): not a partner.
_SETTING = re.compile(r"(?:では|には|において|においては)[、，]")
# A meeting, not a body: 第2回評価委員会, …会議を開催.
_MEETING_NUMBER = re.compile(r"第[0-9０-９]+回")
_HELD = re.compile(r"^(?:[（(][^）)]{0,20}[）)])?(?:を|が)[^。]{0,20}?開催")
# A table's unit, for the numbers of its rows: 別表1　拠点別交付額（単位：千円）.
_UNIT = re.compile(r"[（(]\s*単位\s*[:：]\s*(?P<unit>千円|万円|円|億円)\s*[）)]")
_TABLE_ROW = re.compile(
    r"^[ \t　]*(?P<name>[^\s　、。：:（(][^\s　、。]{1,39})[ \t　]{2,}"
    r"(?P<amount>\d[\d,，]*)[ \t　]*$"
)
_TABLE_TOTAL = ("合計", "計", "総計", "総額")
# A meeting's title line: 第3回X会議　議事録. The body is X会議 whole, particles and all
# (食と健康), the line the meeting.
_MEETING_TITLE = re.compile(
    r"^\s*(?P<event>第[0-9０-９]+回(?P<body>[^\s　、。]{2,40}?"
    r"(?:会議|協議会|委員会|懇話会|審議会|懇談会|評議会|理事会|総会|研究会)))"
    r"(?:[\s　]*(?:議事録|議事要旨|議事概要|次第|会議録|概要))?\s*$"
)
# The date of the meeting above, on a line of its own: 日時：令和6年11月20日.
_WHEN = re.compile(r"^\s*(?:日時|開催日時|開催日|日程)\s*[:：]")
# Where: 場所：X会議室 names a room, not an actor.
_WHERE = re.compile(r"^\s*(?:場所|会場|開催場所)\s*[:：]")
# A speaker's line in minutes: ○副会長　…, ○委員（X理事長）　….
_SPEAKER = re.compile(
    r"^\s*[○◯〇◎]\s*(?P<who>[^\s　（(]{1,20})(?:[（(](?P<post>[^）)]{1,40})[）)])?[\s　]"
)
# What a speaker calls their own organisation, with the kinds it can be.
_OWN_WORDS = {
    "本学": ("university",),
    "当学": ("university",),
    "当社": ("company", "venture"),
    "弊社": ("company", "venture"),
    "当金庫": ("company",),
    "当行": ("company",),
    "当財団": ("support_organization", "research_institute"),
    "本市": ("municipality",),
    "当市": ("municipality",),
    "本県": ("prefecture",),
    "当県": ("prefecture",),
}
_OWN = re.compile("|".join(sorted(_OWN_WORDS, key=len, reverse=True)))
# 市の補助を受け: the one city (prefecture) the text names funds it.
_BARE_PLACE_FUNDS = re.compile(
    r"(?<![一-龥々ァ-ヶーA-Za-z])(?P<place>市|県)の(?:補助|助成|補助金|助成金)を受け"
)
# A heading's title that says what it is about: X事業について.
_ABOUT = re.compile(r"(?:について|に関して|に係る件|の件|[（(]案[）)])$")
_YEAR_BEFORE = re.compile(r"^(?:令和|平成)(?:[0-9０-９]{1,2}|元)年度")
# What a count counts, written right before it: 技術相談（年間120件）, 採択拠点は3件.
_METRIC = re.compile(
    r"(?P<metric>[一-龥々ァ-ヶー]{2,12})(?:の?(?:件数|数|人数))?(?:は|が|[:：])?\s*"
    r"(?:[（(](?:年間|累計|延べ|計|合計|約)?\s*)?$"
)
# Words before a count that say how it changes or what is done, not what is counted
# (兼任1名→専任2名, 拡充（2名）, 支援（5件）).
_NOT_A_METRIC = frozenset(
    ("兼任", "専任", "新規", "継続", "拡充", "増員", "減員", "配置", "支援", "整備", "実施", "合計")
)
_FIGURE_KINDS = {"件": "cases", "名": "staffing", "人": "staffing"}
_EDUCATION = re.compile(r"学生|生徒|受講|修了|卒業|入学|研修|参加")
_SUPPORTED_BY = re.compile(r"の(?:支援|助成|補助)を受け")
_SUPPORT = re.compile(r"(?:を|の)?(?:支援|助成)(?:する|します|を行う|$|。)")
_FUNDING = re.compile(r"^が(?:資金|費用|経費|事業費)?を?(?:拠出|負担|出資|助成)")
_NAMED_LABELS = ("Organization", "Body", "Position")


def _sha1(text: str) -> Any:
    # A stable key, not a secret: any fixed hash does.
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False)


@dataclass(frozen=True)
class Proposal:
    """One candidate: what kind of fact, its value, and where the source writes it."""

    kind: str
    value: Any
    span: str
    line: int
    record: dict[str, Any] = field(default_factory=dict)
    also_on_lines: tuple[int, ...] = ()
    attach: dict[str, str] | None = None
    occurrence: int = 0

    @property
    def candidate(self) -> str:
        """A key unique within the draft and stable across reruns: it hashes what the
        candidate says and where (and, for the same words twice on a line, which time),
        not its place in the list."""
        what = [self.kind, self.line, self.span, self.value]
        if self.kind == "tie":
            what += [self.record.get("from"), self.record.get("to"), self.record.get("role")]
        if self.occurrence:
            what.append(self.occurrence)
        digest = _sha1(json.dumps(what, ensure_ascii=False))
        return f"c-{digest.hexdigest()[:8]}"

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "candidate": self.candidate,
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
        if self.attach:
            entry["attach"] = self.attach
        return entry


@dataclass
class Covered:
    """What the workspace's knowledge base already carries from the source being drafted:
    a rerun after an accept proposes only what is still missing."""

    actors: set[str] = field(default_factory=set)
    ties: set[tuple[str, str, str]] = field(default_factory=set)
    values: dict[int, list[Any]] = field(default_factory=dict)


@lru_cache(maxsize=4096)
def record_id(label: str, source_id: str, name: str, analyser_name: str = DEFAULT_ANALYSER) -> str:
    """A new record's id, ``<prefix>:<source id>-<slug>``, from the source and the name
    only: the slug romanises the analyser's reading (a short hash of the name where there
    is none, or where the reading is long), so two drafts of different sources never
    collide and a rerun gives the same ids.

    >>> record_id("Organization", "minato", "みなと医科大学")
    'org:minato-minatoikadaigaku'
    """
    reading = "".join(word.reading for word in analyser(analyser_name)(name))
    slug = re.sub(r"[^a-z0-9]+", "-", romanize(reading)).strip("-")
    digest = _sha1(name).hexdigest()[:6]
    if not slug:
        slug = f"h{digest}"
    elif len(slug) > 32:
        slug = f"{slug[:32].rstrip('-')}-{digest}"
    return f"{SCHEMA.node(label).id_prefix}:{source_id}-{slug}"


@dataclass
class _Actor:
    id: str
    label: str
    kind: str
    names: list[str]
    new: bool
    proposal_index: int | None = None


@dataclass
class _Found:
    """A linked name on the current line: the mention and the id it resolved to."""

    start: int
    end: int
    id: str
    label: str
    kind: str
    text: str
    listed: bool = False


class _Reader:
    """Reads one document line by line, keeping what a reader keeps in mind: the actors met
    so far (for anaphora and short forms), the current body, programme and project, the
    open budget total, and the year the document is about."""

    def __init__(
        self,
        source_id: str,
        known: Mapping[str, str],
        known_labels: Mapping[str, str],
        covered: Covered,
        analyser_name: str,
    ) -> None:
        self.source_id = source_id
        self.analyser_name = analyser_name
        self.covered = covered
        self.known_labels = dict(known_labels)
        self.by_key: dict[str, str] = {}
        self.actors: dict[str, _Actor] = {}
        self.known_names = _NameIndex(known)
        self.bare: dict[str, str] = {}  # names without their corporate form -> id
        for name, node_id in known.items():
            if fold_name(name):
                self.by_key.setdefault(fold_name(name), node_id)
        self.order: list[str] = []  # actor ids in the order the text mentions them
        self.proposals: list[tuple[int, int, int, Proposal]] = []
        self.mention_lines: dict[str, list[int]] = {}
        self.body: tuple[str, int] | None = None
        self.program: tuple[str, int] | None = None
        self.project: str | None = None
        self.projects: dict[frozenset[str], str] = {}
        self.total: tuple[str, int, int] | None = None  # (program id, amount, line)
        self.items: dict[str, list[tuple[int, int]]] = {}  # total id -> (proposal, amount)
        self.year: int | None = None
        self.document_program: str | None = None  # the programme a title line names
        self.unit: tuple[str, int] | None = None  # a table's unit and the line saying it
        self.line = ""
        self.event: tuple[str, int] | None = None  # the meeting a title line names
        self.target_heading: int | None = None
        self.project_line = 0
        # AとB、共同研究契約を締結: the partners of an agreement, for the project it starts.
        self.agreement: tuple[list[str], int, str] | None = (
            None  # a 補助対象者 heading waiting for its line
        )
        self.role_holders: dict[str, list[str]] = {}  # role -> who was listed with it
        self.ties: set[tuple[str, str, str, str | None]] = set()
        self.sequence = 0

    # -- proposals -------------------------------------------------------------------------

    def _add(self, line: int, position: int, proposal: Proposal) -> int:
        self.sequence += 1
        self.proposals.append((line, position, self.sequence, proposal))
        return len(self.proposals) - 1

    def _label_of(self, node_id: str) -> str:
        if node_id in self.actors:
            return self.actors[node_id].label
        return self.known_labels.get(node_id) or SCHEMA.label_for_id(node_id) or ""

    def tie(
        self,
        type_: str,
        start: str,
        end: str,
        span: str,
        line: int,
        position: int,
        role: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Propose a tie if its type allows the two ends' labels and it is not there yet."""
        if start == end or (type_, start, end, role) in self.ties:
            return
        if (type_, start, end) in self.covered.ties:
            return
        pair = (self._label_of(start), self._label_of(end))
        if pair not in SCHEMA.relationship(type_).endpoints:
            return
        self.ties.add((type_, start, end, role))
        record: dict[str, Any] = {"type": type_, "from": start, "to": end}
        if role:
            record["role"] = role
        record.update({"span": span, "span_line": line, "basis": "layout" if reason else "stated"})
        if reason:
            record["basis_reason"] = reason
        self._add(line, position, Proposal("tie", type_, span, line, record))

    def new_node(
        self,
        label: str,
        kind: str,
        sector: str | None,
        name: str,
        span: str,
        line: int,
        position: int,
        count: int | None = None,
    ) -> str:
        """The id of the node called ``name``, proposing it if the draft has not yet."""
        key = fold_name(name)
        if key in self.by_key:
            return self.by_key[key]
        node_id = record_id(label, self.source_id, name, self.analyser_name)
        while node_id in self.actors:  # two names with one reading
            node_id += "-" + _sha1(name).hexdigest()[:4]
        record: dict[str, Any] = {"id": node_id, "label": label, "kind": kind}
        record.update({"name_ja": name, "name_en": ""})
        if sector and any(p.name == "sector" for p in SCHEMA.node(label).properties):
            record["sector"] = sector
        if count is not None:
            record["count"] = count
        record.update({"span": span, "span_line": line, "basis": "stated"})
        bare = _CORPORATE.sub("", name)
        if bare != name and len(bare) >= 2:
            # 国立大学法人ひので大学 is ひので大学 when the text writes it so later.
            self.bare.setdefault(fold_name(bare), node_id)
        kind_of = "group" if label == "Group" else "new_actor"
        index = self._add(line, position, Proposal(kind_of, name, span, line, record))
        self.actors[node_id] = _Actor(node_id, label, kind, [name], True, index)
        self.by_key[key] = node_id
        return node_id

    def add_alias(self, node_id: str, alias: str) -> None:
        key = fold_name(alias)
        if not key or key in self.by_key:
            return
        self.by_key[key] = node_id
        # Found in the lines below like a workspace name: 先端研 has no organisation word.
        self.known_names.add(alias, node_id)
        actor = self.actors.get(node_id)
        if actor is None:
            return
        actor.names.append(alias)
        if actor.new and actor.proposal_index is not None:
            line, position, sequence, proposal = self.proposals[actor.proposal_index]
            proposal.record.setdefault("aliases", []).append(alias)

    def mention_known(self, node_id: str, name: str, line: int, position: int) -> None:
        if node_id in self.actors:
            self.mention_lines.setdefault(node_id, []).append(line)
            return
        label = self._label_of(node_id)
        self.actors[node_id] = _Actor(node_id, label, "", [name], False)
        if node_id in self.covered.actors:
            return
        index = self._add(line, position, Proposal("known_actor", node_id, name, line))
        self.actors[node_id].proposal_index = index

    # -- linking ---------------------------------------------------------------------------

    def resolve(self, mention: Mention, line: int) -> str | None:
        """The id a name means, proposing a new actor (and its parent and the tie to it)
        when it is new; None for a generic word nothing explains."""
        key = fold_name(mention.text)
        if key in self.by_key:
            node_id = self.by_key[key]
            if node_id not in self.actors or not self.actors[node_id].new:
                self.mention_known(node_id, mention.text, line, mention.start)
            else:
                self.mention_lines.setdefault(node_id, []).append(line)
            return node_id
        if key in self.bare and mention.label != "Position":
            node_id = self.bare[key]
            self.add_alias(node_id, mention.text)
            self.mention_lines.setdefault(node_id, []).append(line)
            return node_id
        if mention.generic:
            # A short form of a longer name met before (推進協議会): that actor.
            for node_id in reversed(self.order):
                actor = self.actors.get(node_id)
                if actor and any(
                    len(n) > len(mention.text) and fold_name(n).endswith(key) for n in actor.names
                ):
                    self.mention_lines.setdefault(node_id, []).append(line)
                    return node_id
            return None
        if mention.label == "Body" and (
            _MEETING_NUMBER.search(mention.text) or _HELD.match(self.line[mention.end :])
        ):
            # 第2回評価委員会, …会議を開催: a meeting held, not a body that meets.
            return self.new_node(
                "Event", "meeting", None, mention.text, mention.text, line, mention.start
            )
        if mention.label in ("Organization", "Body") and len(key) >= 4:
            # 企業支援課 after ふじなみ市産業振興部企業支援課: the longer name, written short.
            for node_id in reversed(self.order):
                actor = self.actors.get(node_id)
                if (
                    actor
                    and actor.label == mention.label
                    and any(
                        len(n) > len(mention.text) and fold_name(n).endswith(key)
                        for n in actor.names
                    )
                ):
                    self.mention_lines.setdefault(node_id, []).append(line)
                    return node_id
        parent_id = self.resolve(mention.parent, line) if mention.parent else None
        if parent_id is None and mention.label != "Position" and mention.kind in _PARENT_KINDS:
            parent_id = self._named_parent(mention)
        if mention.label == "Group":
            return self.new_node(
                "Group",
                mention.kind,
                mention.sector,
                mention.text,
                mention.span or mention.text,
                line,
                mention.start,
                mention.count,
            )
        node_id = self.new_node(
            mention.label,
            mention.kind,
            mention.sector,
            mention.text,
            mention.text,
            line,
            mention.start,
        )
        if parent_id is not None:
            type_ = "POSITION_IN" if mention.label == "Position" else "PART_OF"
            self.tie(type_, node_id, parent_id, mention.text, line, mention.start)
        return node_id

    def _display(self, node_id: str) -> str:
        """The name a sub-unit's name starts with: the owner's first name without a 法人
        form (しらかば大学 of 国立大学法人しらかば大学; 株式会社 stays)."""
        actor = self.actors.get(node_id)
        name = actor.names[0] if actor else node_id
        return re.sub(
            r"^(?:国立大学法人|公立大学法人|学校法人|国立研究開発法人|独立行政法人|地方独立行政法人)",
            "",
            name,
        )

    def _unit_of_owner(
        self, line: str, number: int, mention: Mention, found: list[_Found]
    ) -> str | None:
        """A unit written with its owner's short name or anaphor: 本学農学部 (本学 defined
        before), 同社の研究開発部. Named in full (しらかば大学農学部, 株式会社X研究開発部),
        PART_OF its owner, cited by the words as written."""
        if mention.label == "Organization" and mention.kind == "company":
            # 株式会社ルミナジェン広報室 after 株式会社ルミナジェン: its office, not a company.
            for actor in self.actors.values():
                name = actor.names[0]
                rest = mention.text[len(name) :]
                if (
                    actor.kind in ("company", "venture")
                    and mention.text.startswith(name)
                    and 2 <= len(rest) <= 8
                    and re.search(r"(?:部|課|室)$", rest)
                ):
                    node_id = self.new_node(
                        "Organization",
                        "office",
                        mention.sector,
                        mention.text,
                        mention.text,
                        number,
                        mention.start,
                    )
                    self.tie("PART_OF", node_id, actor.id, mention.text, number, mention.start)
                    return node_id
            return None
        if mention.label not in ("Organization", "Body") or mention.kind not in _PARENT_KINDS:
            return None
        owner: str | None = None
        rest = mention.text
        span_start = mention.start
        for length in (3, 2):
            head = mention.text[:length]
            if len(mention.text) > length + 1 and fold_name(head) in self.by_key:
                candidate = self.by_key[fold_name(head)]
                if candidate in self.actors and self.actors[candidate].names[0] != head:
                    owner, rest = candidate, mention.text[length:]
                    break
        if owner is None and mention.generic and found:
            before = found[-1]
            if before.end + 1 == mention.start and line[before.end] == "の":
                owner, span_start = before.id, before.start
        if owner is None or self._label_of(owner) not in ("Organization", "Body"):
            return None
        if self.actors[owner].kind not in _PARENT_KINDS.get(mention.kind, ()) and not (
            mention.generic and self.actors[owner].kind in ("company", "venture", "university")
        ):
            return None
        name = self._display(owner) + rest
        span = line[span_start : mention.end]
        node_id = self.new_node(
            mention.label, mention.kind, mention.sector, name, span, number, span_start
        )
        self.tie("PART_OF", node_id, owner, span, number, span_start)
        return node_id

    def _named_parent(self, mention: Mention) -> str | None:
        """The actor met before whose name a sub-unit's name starts with (ふじなみ市 of
        ふじなみ市産業振興部), when it is of a kind that unit can be part of."""
        wanted = _PARENT_KINDS.get(mention.kind, ())
        best: tuple[int, str] | None = None
        for actor in self.actors.values():
            node_id = actor.id
            if actor.kind not in wanted:
                continue
            for name in actor.names:
                if (
                    len(name) < len(mention.text)
                    and mention.text.startswith(name)
                    and (best is None or len(name) > best[0])
                ):
                    best = (len(name), node_id)
        return best[1] if best else None

    def anaphor(self, word: str) -> str | None:
        """The nearest actor before this point whose name ends in ``word`` (社: a company)."""
        for node_id in reversed(self.order):
            actor = self.actors.get(node_id)
            if actor is None:
                continue
            if word == "社":
                if actor.kind in _PARENT_KINDS:
                    continue  # 同社 is a company, not a company's department
                if actor.kind in ("company", "venture") or any(
                    organisation_guess(n) == ("Organization", "company", "industry")
                    for n in actor.names
                ):
                    return node_id
                continue
            if any(n.endswith(word) for n in actor.names):
                return node_id
        return None

    # -- one line --------------------------------------------------------------------------

    def read_line(self, number: int, line: str) -> None:
        self.line = line
        mentions = find_mentions(line, self.analyser_name)
        if _WHERE.match(line):
            mentions = []  # 場所：X会議室 is where, not who
        found: list[_Found] = []
        meeting = _MEETING_TITLE.match(line)
        if meeting:
            body = meeting.group("body")
            kind = "committee" if body.endswith("委員会") else "council"
            body_id = self.new_node("Body", kind, None, body, body, number, meeting.start("body"))
            event = meeting.group("event")
            event_id = self.new_node(
                "Event", "meeting", None, event, event, number, meeting.start("event")
            )
            self.body, self.event = (body_id, number), (event_id, number)
            self.order.append(body_id)
            mentions = [m for m in mentions if m.start >= meeting.end("event")]
        # Definitions, short names and renames written right after a name.
        aliases: list[tuple[int, int, str, str]] = []  # (bracket start, end, alias, how)
        for pattern, how in ((_DEFINITION, "alias"), (_SHORT_COMPANY, "alias"), (_RENAME, "")):
            for match in pattern.finditer(line):
                written = match.group("alias") if how else match.group("name")
                aliases.append((match.start(), match.end(), written.strip(), how or "rename"))
        inside = [(s, e) for s, e, _, _ in aliases]
        for mention in mentions:
            if any(s <= mention.start < e for s, e in inside):
                continue
            if found and self._is_place(line, found[-1], mention):
                continue
            unit = self._unit_of_owner(line, number, mention, found)
            if unit is not None:
                node_id = unit
            elif mention.label == "anaphor":
                anaphor_id = self.anaphor(mention.kind)
                if anaphor_id is None:
                    continue
                node_id = anaphor_id
            else:
                resolved = self.resolve(mention, number)
                if resolved is None:
                    continue
                node_id = resolved
            actor = self.actors.get(node_id)
            label = actor.label if actor else self._label_of(node_id)
            kind = actor.kind if actor else ""
            found.append(
                _Found(
                    mention.start, mention.end, node_id, label, kind, mention.text, mention.listed
                )
            )
            self.order.append(node_id)
        for start, _end, alias, _how in aliases:
            before = [f for f in found if f.end <= start and not line[f.end : start].strip()]
            if not before or not alias:
                continue
            target = before[-1].id
            # A definition (以下「X」, (X社)) and a rename (現 X, 旧 Y) both give the actor
            # another name it goes by in this source: one actor, both names.
            self.add_alias(target, alias)
        # The workspace's names the analyser does not read as names (acronyms, aliases).
        for position, name, node_id in self.known_names.find(line):
            if any(f.start <= position < f.end for f in found) or any(
                s <= position < e for s, e in inside
            ):
                continue
            post = _post_at(line, position + len(name))
            if post and self._label_of(node_id) in ("Organization", "Body", "Group"):
                # 慶應先端研所長: a post of an actor the text or the workspace named before.
                self.mention_known(node_id, name, number, position)
                written = line[position : position + len(name) + len(post)]
                post_id = self.new_node(
                    "Position", POST_KINDS[post], None, written, written, number, position
                )
                self.tie("POSITION_IN", post_id, node_id, written, number, position)
                found.append(
                    _Found(position, position + len(written), post_id, "Position", "", written)
                )
                self.order.append(post_id)
                continue
            self.mention_known(node_id, name, number, position)
            actor = self.actors.get(node_id)
            label, kind = self._label_of(node_id), actor.kind if actor else ""
            found.append(_Found(position, position + len(name), node_id, label, kind, name))
            self.order.append(node_id)
        self._own_words(line, found)
        found.sort(key=lambda f: f.start)
        self._programs(number, line, found)
        self._roles(number, line, found)
        self._ventures(number, line, found)
        self._set_up(number, line, found)
        self._of(number, line, found)
        self._joint_research(number, line, found)
        self._implementers(number, line, found)
        self._support(number, line, found)
        for f in found:
            if f.label == "Body" and (self.body is None or self.body[0] != f.id):
                self.body = (f.id, number)
        self._numbers(number, line, found)

    def _speaker(self, line: str, found: list[_Found]) -> str | None:
        """The organisation of who speaks on a line of minutes (○副会長　…): the one
        listed with that role, or the post in brackets, read as the organisation it is a
        post of."""
        speaker = _SPEAKER.match(line)
        if speaker is None:
            return None
        who: str | None = None
        if speaker.group("post"):
            inside = [f for f in found if speaker.start("post") <= f.start < speaker.end("post")]
            who = inside[0].id if inside else None
        elif speaker.group("who") in _ROLE_WORDS:
            holders = self.role_holders.get(_ROLE_WORDS[speaker.group("who")], [])
            who = holders[0] if len(set(holders)) == 1 else None
        if who is not None and self._label_of(who) == "Position":
            posts = [
                end for type_, start, end, _ in self.ties if type_ == "POSITION_IN" and start == who
            ]
            who = posts[0] if posts else None
        return who

    def _own_words(self, line: str, found: list[_Found]) -> None:
        """本学, 当社, 当金庫 said by a speaker: the speaker's own organisation."""
        if not _OWN.search(line):
            return
        own = self._speaker(line, found)
        actor = self.actors.get(own) if own else None
        if own is None or actor is None:
            return
        for match in _OWN.finditer(line):
            if actor.kind not in _OWN_WORDS[match.group(0)]:
                continue
            if any(f.start <= match.start() < f.end for f in found):
                continue
            found.append(
                _Found(match.start(), match.end(), own, actor.label, actor.kind, match.group(0))
            )
            self.order.append(own)

    def _is_place(self, line: str, before: _Found, mention: Mention) -> bool:
        """A city or prefecture in brackets right after a name (日新製薬（天童市）) is where
        that actor is, not an actor of the sentence: it becomes the record's location_ja
        when the record is new, and is neither proposed nor tied."""
        if not (
            mention.label == "Organization"
            and mention.kind in ("municipality", "prefecture")
            and mention.parent is None
            and line[mention.start - 1 : mention.start] in ("（", "(")
            and line[mention.end : mention.end + 1] in ("）", ")")
            and before.end == mention.start - 1
        ):
            return False
        actor = self.actors.get(before.id)
        if actor and actor.new and actor.proposal_index is not None:
            record = self.proposals[actor.proposal_index][3].record
            if "location_ja" in {p.name for p in SCHEMA.node(record["label"]).properties}:
                record.setdefault("location_ja", mention.text)
        return True

    # -- programmes and budgets ------------------------------------------------------------

    def _program(self, name: str, kind: str, span: str, line: int, position: int) -> str:
        return self.new_node("Program", kind, None, name, span, line, position)

    def _programs(self, number: int, line: str, found: list[_Found]) -> None:
        heading = _HEADING.match(line) or _BARE_TITLE.match(line)
        if _SPEAKER.match(line):
            heading = None  # ○副会長　… is who speaks, not a heading
        if _EMPTY_BOX.match(line):
            self.program = None
        elif (
            heading is None
            and number <= _TITLE_LINES
            and not re.search(r"[。、，]|\d\s*(?:千円|万円|億円)", line)
            and len(line.split()) > 1
        ):
            for word in _TITLE_WORD.finditer(line):
                title = word.group(0)
                if not _PROGRAM_END.search(title) or organisation_guess(title):
                    continue
                node_id = self._program(title, "program", title, number, word.start())
                self.program = (node_id, number)
                self.document_program = self.document_program or node_id
        title = heading.group("title") if heading else ""
        about = _ABOUT.search(title)
        if about:
            title = title[: about.start()]
        if heading and _PROGRAM_END.search(title):
            kind = "budget" if title.endswith("予算") else "program"
            node_id = self._program(title, kind, title, number, heading.start("title"))
            self.program = (node_id, number)
            year = _YEAR_BEFORE.match(title)
            if year and len(title) - year.end() >= 4 and not title.endswith("予算"):
                # 令和7年度X事業 is X事業 of that year: the text may write it either way.
                self.add_alias(node_id, title[year.end() :])
        elif heading:
            self.program = None
        for match in _QUOTED.finditer(line):
            name = match.group("name")
            if name.endswith("プロジェクト") and not organisation_guess(name):
                self._named_project(number, line, found, match)
                continue
            if not _QUOTED_PROGRAM_END.search(name) or organisation_guess(name):
                continue
            node_id = self._program(name, "program", name, number, match.start("name"))
            self.program = (node_id, number)
            self._programme_ties(number, line, found, match, node_id)
            owner = [f for f in found if f.end == match.start() - 1 and line[f.end] == "の"]
            if owner:
                span = line[owner[-1].start : match.end()]
                self.tie("PROGRAMME_OF", node_id, owner[-1].id, span, number, owner[-1].start)
        total = _TOTAL.search(line)
        if total and self.program is not None:
            self.total = (self.program[0], _amount(total.group("amount")), number)
            if self.program[1] == number:
                self._widen_span(self.program[0], line, total.end())
            self.items.setdefault(self.program[0], [])
            after = total.end()  # 予算額2,400万円…。内訳は、A1,500万円、B900万円
        else:
            after = 0
        if self.total is None:
            return
        items = [
            m
            for m in _ITEM.finditer(line)
            if not re.search(r"[～〜]", m.group(0)) and m.start("name") >= after
        ]
        if not items:
            if line.strip() and not after:
                self.total = None
            return
        total_id, _amount_total, total_line = self.total
        for match in items:
            name = re.sub(r"^[\s・\-*＊]+", "", match.group("name")).strip()
            if not name:
                continue
            # The item's span holds its amount too, as a curated budget line's does.
            span = line[match.start("name") : match.end("amount")]
            item_id = self._program(name, "budget_detail", span, number, match.start("name"))
            self.items[total_id].append((number, _amount(match.group("amount"))))
            reason = f"listed under the total on line {total_line}"
            self.tie(
                "BREAKDOWN_OF", item_id, total_id, span, number, match.start("name"), None, reason
            )

    def _named_project(
        self, number: int, line: str, found: list[_Found], quote: re.Match[str]
    ) -> None:
        """「Xプロジェクト」: a project by its name; AとBが中心となり、「X」として: A and B
        take part in it."""
        name = quote.group("name")
        kind = "joint_research" if _JOINT.search(line) or "共同" in line else "research"
        project = self.new_node("Project", kind, None, name, name, number, quote.start("name"))
        self.project, self.project_line = project, number
        if self.agreement and number - self.agreement[1] <= 3:
            partners, agreement_line, agreement_span = self.agreement
            self.agreement = None
            reason = f"the joint research agreement on line {agreement_line} starts it"
            for partner in partners:
                self.tie(
                    "PARTICIPATES_IN",
                    partner,
                    project,
                    agreement_span,
                    agreement_line,
                    0,
                    "partner",
                    reason,
                )
        sentence = line.rfind("。", 0, quote.start()) + 1
        if not re.match(r"」として", line[quote.end() - 1 :]):
            return
        for f in found:
            if sentence <= f.start < quote.start() and f.label in ("Organization", "Body"):
                span = line[f.start : quote.end()]
                self.tie("PARTICIPATES_IN", f.id, project, span, number, f.start, "partner")

    def _widen_span(self, node_id: str, line: str, end: int) -> None:
        """Make a record's span run on to ``end`` of its line, so that it holds the total
        written after the name (「X事業」（予算額：24,500千円）)."""
        actor = self.actors.get(node_id)
        if actor is None or actor.proposal_index is None:
            return
        record = self.proposals[actor.proposal_index][3].record
        start = line.find(str(record.get("span", "")))
        if start >= 0 and end > start:
            record["span"] = line[start:end]

    def _programme_ties(
        self, number: int, line: str, found: list[_Found], quote: re.Match[str], node_id: str
    ) -> None:
        """Who runs a quoted programme (Xは「Y」を運用) and whom it is aimed at
        (Z向けに「Y」), in the same sentence."""
        sentence = line.rfind("。", 0, quote.start()) + 1
        if _RUNS.match(line[quote.end() - 1 :]):
            subject = [
                f
                for f in found
                if sentence <= f.start < quote.start()
                and f.label in ("Organization", "Body")
                and line[f.end : f.end + 1] in ("は", "が", "（", "(")
            ]
            if subject:
                end = quote.end() + 4
                span = line[subject[0].start : end]
                self.tie("IMPLEMENTS", subject[0].id, node_id, span, number, subject[0].start)
        for f in found:
            if sentence <= f.start < quote.start() and _AIMED.match(
                line[f.end : quote.start() + 1]
            ):
                span = line[f.start : quote.end()]
                self.tie("SUPPORTS", node_id, f.id, span, number, f.start)

    def check_sums(self) -> None:
        """Say in each breakdown tie whether its items add up to the total."""
        totals: dict[str, int] = {}
        for _line, _position, _sequence, proposal in self.proposals:
            attach = proposal.attach
            if proposal.kind == "amount" and attach and attach["node"] in self.items:
                totals[attach["node"]] = proposal.value
        for _line, _position, _sequence, proposal in self.proposals:
            record = proposal.record
            if proposal.kind != "tie" or record.get("type") != "BREAKDOWN_OF":
                continue
            items = self.items.get(record["to"], [])
            total = totals.get(record["to"])
            added = sum(amount for _, amount in items)
            if total is None:
                continue
            if added == total:
                record["basis_reason"] += f"; the {len(items)} items add up to it ({total}千円)"
            else:
                record["basis_reason"] += (
                    f"; the items add up to {added}千円, not the total {total}千円: check"
                )

    # -- ties read from words ---------------------------------------------------------------

    def _roles(self, number: int, line: str, found: list[_Found]) -> None:
        for match in [*_ROLE.finditer(line), *_ROLE_SPACED.finditer(line)]:
            role = _ROLE_WORDS[match.group(1)]
            self._add(number, match.start(), Proposal("role", role, match.group(0), number))
            members = [f for f in found if match.start(2) <= f.start < match.end(2)]
            body = [f for f in found if f.label == "Body" and f.start < match.start()]
            if body:
                body_id, reason = body[-1].id, None
            elif self.body is not None:
                body_id = self.body[0]
                reason = f"listed under the body named on line {self.body[1]}"
            else:
                continue
            for member in members:
                self.role_holders.setdefault(role, []).append(member.id)
                if member.label == "Group" and role != "member":
                    continue
                self.tie(
                    "MEMBER_OF",
                    member.id,
                    body_id,
                    match.group(0),
                    number,
                    member.start,
                    role,
                    reason,
                )

    def _ventures(self, number: int, line: str, found: list[_Found]) -> None:
        bare = _BARE_UNIVERSITY_VENTURE.search(line)
        if bare:
            universities = list(
                dict.fromkeys(
                    node_id for node_id, actor in self.actors.items() if actor.kind == "university"
                )
            )
            if len(universities) == 1:
                university = universities[0]
                named = self.actors[university].names[0]
                reason = f"大学発 names no university; {named} is the only one the text names"
                for f in found:
                    if (
                        f.start > bare.start()
                        and f.label == "Organization"
                        and (f.kind in ("company", "venture") or f.listed)
                    ):
                        span = line[bare.start() : f.end].lstrip(" 　、。・：:（(")
                        self.tie(
                            "VENTURE_OF", f.id, university, span, number, f.start, None, reason
                        )
        for index, parent in enumerate(found):
            if not _VENTURE.match(line[parent.end :]):
                continue
            after = found[index + 1 :]
            if not any(f.label == "Organization" for f in after):
                # X（HMT社）は同研究所から設立された: the venture is the subject before it.
                sentence = line.rfind("。", 0, parent.start) + 1
                after = [f for f in found[:index] if f.start >= sentence][:1]
            ventures = [
                f
                for f in after
                if f.label == "Organization" and (f.kind in ("company", "venture") or f.listed)
            ]
            for venture in ventures:
                span = line[min(parent.start, venture.start) : max(parent.end, venture.end)]
                self.tie("VENTURE_OF", venture.id, parent.id, span, number, venture.start)

    def _of(self, number: int, line: str, found: list[_Found]) -> None:
        """同大学の食品科学研究所, 県の工業技術センター: a part the text places in its whole."""
        for whole in found:
            if line[whole.end : whole.end + 1] != "の":
                continue
            part = next((f for f in found if f.start == whole.end + 1), None)
            if part is None or not whole.kind:
                continue
            if whole.kind in _PARENT_KINDS.get(part.kind, ()):
                span = line[whole.start : part.end]
                self.tie("PART_OF", part.id, whole.id, span, number, part.start)

    def _set_up(self, number: int, line: str, found: list[_Found]) -> None:
        for index, parent in enumerate(found):
            words = _SET_UP.match(line[parent.end :])
            if words is None:
                continue
            after = [f for f in found[index + 1 :] if f.start == parent.end + words.end()]
            for part in after:
                span = line[parent.start : part.end]
                self.tie("PART_OF", part.id, parent.id, span, number, part.start)

    def _pairs(self, number: int, line: str, found: list[_Found]) -> bool:
        """A × B：theme (a list of awards, a diagram's arrow): a joint project named by its
        theme (or 共同研究 in brackets after the pair), both partners in it."""
        for first, second in zip(found, found[1:], strict=False):
            mark = _PAIR_MARK.fullmatch(line, first.end, second.start)
            if mark is None or not {first.label, second.label} <= {"Organization", "Body"}:
                continue
            theme = _PAIR_THEME.match(line, second.end)
            joint = re.match(r"[（(](?P<theme>共同研究|共同開発)", line[second.end :])
            if theme:
                name = theme.group("theme").strip()
                span_end = theme.end("theme")
            elif joint:
                name = joint.group("theme")
                span_end = second.end + joint.end("theme")
            else:
                continue
            span = line[first.start : span_end]
            project = self.new_node(
                "Project", "joint_research", None, name, span, number, first.start
            )
            self.projects[frozenset((first.id, second.id))] = project
            self.project, self.project_line = project, number
            for member in (first, second):
                self.tie(
                    "PARTICIPATES_IN", member.id, project, span, number, member.start, "partner"
                )
            return True
        return False

    def _joint_research(self, number: int, line: str, found: list[_Found]) -> None:
        if self._pairs(number, line, found):
            return
        named = [(s.start(), s.end()) for s in re.finditer(r"[^。]+。?", line)]
        for sentence_start, sentence_end in named:
            keyword = _JOINT.search(line, sentence_start, sentence_end)
            if keyword is None or any(f.start <= keyword.start() < f.end for f in found):
                continue
            this = _THIS_PROJECT.search(line, sentence_start, sentence_end)
            settings = list(_SETTING.finditer(line, sentence_start, keyword.start()))
            first = sentence_start
            if settings and (
                sum(
                    1
                    for f in found
                    if settings[-1].end() <= f.start < keyword.start()
                    and f.label in ("Organization", "Body")
                )
                >= 2
            ):
                # Two partners named after it: what stands before is where, not who.
                first = settings[-1].end()
            members = [
                f
                for f in found
                if first <= f.start < keyword.start()
                and f.label in ("Organization", "Body", "Group")
                and not (this and f.start > this.start())
                # A place in brackets after a name (株式会社X（鴎浜市）) takes no part.
                and not (f.start > 0 and line[f.start - 1] in "（(")
                # 同大学の食品科学研究所: the first names whose the second is, not a partner.
                and not any(g.start == f.end + 1 and line[f.end] == "の" for g in found)
            ]
            doing = _DOING.match(line, keyword.end())
            if doing:
                # 同研究科と共同研究を行う株式会社グリーンリーフ: the subject comes after.
                members += [
                    f
                    for f in found
                    if f.start == doing.end() and f.label in ("Organization", "Body", "Group")
                ]
            if _SUBSIDISES.search(line[sentence_start:sentence_end]):
                # Xは、…と共同で行う研究開発に要する経費を補助します: X pays for such work,
                # it does not do it; what is left is a kind of project, not one.
                members = [f for f in members if line[f.end : f.end + 1] != "は"]
                if len(members) < 2:
                    continue
            if not members:
                continue
            if line.startswith("契約", keyword.end()) and keyword.group(0) == "共同研究":
                # An agreement, not the research: the project it starts is named after it.
                span = line[members[0].start : keyword.end() + 2]
                self.agreement = ([f.id for f in members], number, span)
                continue
            project_span = line[members[0].start : keyword.end()]
            if not project_span.endswith(("共同研究", "共同開発", "連携協定")):
                # と協力して、新しい酵母の研究を: the project is the research named after it.
                # と協力して、…の研究を: the research may follow a comma; after と連携し、
                # what follows is another clause, not the joint work.
                reach = r"[^。]*?" if keyword.group(0) in ("と協力し", "と共同で") else r"[^。、]*?"
                work = re.compile(reach + r"(?:共同研究|研究|開発)").match(line, keyword.end())
                if work is None:
                    continue
                project_span = line[members[0].start : work.end()]
            team = frozenset(f.id for f in members)
            project = self.projects.get(team)
            if project is None:
                project = self.new_node(
                    "Project",
                    "joint_research",
                    None,
                    project_span,
                    project_span,
                    number,
                    members[0].start,
                )
                self.projects[team] = project
            self.project, self.project_line = project, number
            for member in members:
                self.tie(
                    "PARTICIPATES_IN",
                    member.id,
                    project,
                    project_span,
                    number,
                    member.start,
                    "partner",
                )

    def _implementers(self, number: int, line: str, found: list[_Found]) -> None:
        this = _THIS_PROGRAM.search(line)
        program = self.document_program or (self.program[0] if self.program else None)
        if this and program:
            for f in found:
                run_by = _RUN_BY.match(line[f.end :])
                if f.start > this.start() and run_by:
                    span = line[this.start() : f.end + run_by.end()]
                    self.tie("IMPLEMENTS", f.id, program, span, number, f.start)
                    break
        if self.target_heading is not None and number > self.target_heading and line.strip():
            # 2. 補助対象者 / 　県内中小企業: whom the document's programme is for.
            aimed = [f for f in found if f.label in ("Group", "Organization")]
            program = self.document_program or (self.program[0] if self.program else None)
            if aimed and program:
                under: str | None = f"written under the heading on line {self.target_heading}"
                span = line[aimed[0].start : aimed[0].end]
                self.tie(
                    "SUPPORTS", program, aimed[0].id, span, number, aimed[0].start, None, under
                )
            self.target_heading = None
        heading = _HEADING.match(line)
        if heading and re.fullmatch(
            r"(?:補助|支援|助成)?対象(?:者|企業|事業者)?", heading.group("title")
        ):
            self.target_heading = number
        target = _TARGET.search(line)
        if target and self.program is not None:
            aimed = [f for f in found if f.start >= target.end()]
            if aimed:
                program_id, program_line = self.program
                reason = (
                    None
                    if program_line == number
                    else f"written under the programme on line {program_line}"
                )
                span = line[target.start() : aimed[0].end]
                self.tie(
                    "SUPPORTS", program_id, aimed[0].id, span, number, aimed[0].start, None, reason
                )
        match = _IMPLEMENTER.search(line)
        if match is None or self.program is None:
            return
        doers = [f for f in found if f.start >= match.end()]
        if not doers:
            return
        program_id, program_line = self.program
        reason = (
            None
            if program_line == number
            else (f"written under the programme on line {program_line}")
        )
        span = line[match.start() : doers[0].end]
        self.tie("IMPLEMENTS", doers[0].id, program_id, span, number, doers[0].start, None, reason)

    def _place_funds(self, number: int, line: str) -> None:
        match = _BARE_PLACE_FUNDS.search(line)
        if match is None or self.project is None or self.project_line != number:
            return
        kind = "municipality" if match.group("place") == "市" else "prefecture"
        places = list(
            dict.fromkeys(node_id for node_id, actor in self.actors.items() if actor.kind == kind)
        )
        if len(places) != 1:
            return
        named = self.actors[places[0]].names[0]
        reason = f"{match.group('place')} names no place; {named} is the only one the text names"
        self.tie(
            "FUNDS", places[0], self.project, match.group(0), number, match.start(), None, reason
        )

    def _joins_and_pays(self, number: int, line: str, found: list[_Found]) -> None:
        joins = _JOINS_PROJECT.search(line)
        if joins and self.project is not None and "参加" in line[joins.end() :]:
            for f in found:
                if f.start >= joins.end() and f.label in ("Organization", "Body"):
                    span = line[joins.start() : line.index("参加", joins.end()) + 2]
                    self.tie(
                        "PARTICIPATES_IN", f.id, self.project, span, number, f.start, "partner"
                    )
                    break
        for sentence in re.finditer(r"[^。]+。?", line):
            if not _PAYS.search(sentence.group(0)):
                continue
            target = self.project if self.project and self.project_line == number else None
            if target is None:
                continue
            payers = [(f.end, f.id, f.start) for f in found]
            for quote in _QUOTED.finditer(line):
                node_id = self.by_key.get(fold_name(quote.group("name")))
                if node_id and self._label_of(node_id) == "Program":
                    payers.append((quote.end(), node_id, quote.start()))
            for end, node_id, start in payers:
                if (
                    sentence.start() <= start
                    and end < sentence.end()
                    and line[end : end + 1] == "が"
                    and (pays := _PAYS.search(line, end)) is not None
                ):
                    span = line[start : pays.end()]
                    self.tie("FUNDS", node_id, target, span, number, start)
        if self.document_program and _SUBSIDISES.search(line):
            subject = [f for f in found if line[f.end : f.end + 1] == "は"]
            if subject and not _QUOTED.search(line):
                span = line[subject[0].start :].rstrip("。")
                self.tie(
                    "IMPLEMENTS",
                    subject[0].id,
                    self.document_program,
                    span,
                    number,
                    subject[0].start,
                )

    def _support(self, number: int, line: str, found: list[_Found]) -> None:
        self._place_funds(number, line)
        self._joins_and_pays(number, line, found)
        supported = _SUPPORTED_BY.search(line)
        if supported and self.program is not None and self.program[1] == number:
            target = self.project if _THIS_PROJECT.search(line) else None
            if target is not None:
                start = line.rfind("「", 0, supported.start())
                span = line[max(start, 0) : supported.end()]
                self.tie("SUPPORTS", self.program[0], target, span, number, max(start, 0))
        for match in _SUPPORT.finditer(line):
            if supported or self.program is None:
                break
            before = [
                f for f in found if f.end <= match.start() and f.label in _NAMED_LABELS + ("Group",)
            ]
            if not before or line[before[-1].end : before[-1].end + 1] in ("が", "は"):
                # Xが実施する…を支援する: X is who supports, not whom.
                continue
            program_id, program_line = self.program
            reason = (
                None
                if program_line == number
                else (f"written under the programme on line {program_line}")
            )
            span = line[before[-1].start : match.end()].rstrip("。")
            self.tie(
                "SUPPORTS", program_id, before[-1].id, span, number, before[-1].start, None, reason
            )
        for f in found:
            funding = _FUNDING.match(line[f.end :])
            if funding is None:
                continue
            targets = [
                node_id
                for key, node_id in self.by_key.items()
                if self._label_of(node_id) == "Program"
                and key
                and key in fold_name(line[: f.start])
            ]
            for target in targets:
                span = line[: f.end + funding.end()].lstrip("・- ")
                self.tie("FUNDS", f.id, target, span, number, f.start)

    # -- numbers ---------------------------------------------------------------------------

    def _table_row(self, number: int, line: str) -> bool:
        """A row of a table whose heading gives the unit (別表1 …（単位：千円）): its name
        and amount; the 合計 row is the total of the programme the document is about, the
        others are its budget lines (BREAKDOWN_OF, the sum checked)."""
        unit = _UNIT.search(line)
        if unit:
            self.unit = (unit.group("unit"), number)
            return False
        if self.unit is None:
            return False
        row = _TABLE_ROW.match(line)
        if row is None:
            if not line.strip() or "。" in line:
                self.unit = None
            return False
        unit_word, unit_line = self.unit
        amount = _amount(row.group("amount") + unit_word)
        name = row.group("name")
        program = self.document_program
        attach = None
        if name in _TABLE_TOTAL:
            if program is not None:
                attach = {"node": program, "property": "amount_thousand_yen"}
                self.items.setdefault(program, [])
        else:
            span = line[row.start("name") : row.end("amount")]
            item_id = self._program(name, "budget_detail", span, number, row.start("name"))
            attach = {"node": item_id, "property": "amount_thousand_yen"}
            if program is not None:
                self.items.setdefault(program, []).append((number, amount))
                reason = (
                    f"a row of the table whose heading on line {unit_line} gives its unit "
                    f"({unit_word}); the document's programme is on line "
                    f"{self._line_of(program)}"
                )
                self.tie(
                    "BREAKDOWN_OF", item_id, program, span, number, row.start("name"), None, reason
                )
        self._add(
            number,
            row.start("amount"),
            Proposal("amount", amount, row.group("amount"), number, attach=attach),
        )
        return True

    def _line_of(self, node_id: str) -> int:
        actor = self.actors.get(node_id)
        if actor is None or actor.proposal_index is None:
            return 0
        return self.proposals[actor.proposal_index][0]

    def _numbers(self, number: int, line: str, found: list[_Found]) -> None:
        if self._table_row(number, line):
            return
        total = _TOTAL.search(line)
        numbers = find_numbers(line, self.year)
        fiscal = [n.value for n in numbers if n.kind == "fiscal_year"]
        if fiscal and self.year is None:
            self.year = fiscal[0]  # the line's own year places its months
            numbers = find_numbers(line, self.year)
        for value in numbers:
            if value.kind == "fiscal_year":
                self.year = value.value
            if value.value in self.covered.values.get(number, []):
                continue
            attach = None
            if value.kind == "amount":
                attach = self._amount_owner(line, value.start, number, total)
            elif value.kind == "count":
                group = [
                    f
                    for f in found
                    if f.label == "Group" and f.end == value.start + len(value.span)
                ]
                owner = [
                    f for f in found if f.label == "Group" and f.start < value.start <= f.end + 1
                ]
                chosen = group or owner
                if chosen:
                    attach = {"node": chosen[-1].id, "property": "count"}
                else:
                    attach = self._figure(number, line, value, found)
            elif value.kind == "date":
                # 第2回評価委員会を令和7年2月に開催: the date the meeting is held; 日時：X
                # under a meeting's title: its date.
                events = [f.id for f in found if f.label == "Event"]
                if not events and self.event and _WHEN.match(line) and number - self.event[1] <= 3:
                    events = [self.event[0]]
                if events:
                    attach = {"node": events[0], "property": "date_start"}
            self._add(
                number,
                value.start,
                Proposal(value.kind, value.value, value.span, number, attach=attach),
            )

    def _figure(
        self, number: int, line: str, value: Any, found: list[_Found]
    ) -> dict[str, str] | None:
        """A count the line says what it counts (技術相談（年間120件）, 採択拠点は3件): a
        Figure with that metric, the number its value, MEASURES the actor the line is about
        (X： at its start, or Xは before it). None when the words before it name no metric."""
        counter = value.span[-1]
        kind = _FIGURE_KINDS.get(counter)
        metric = _METRIC.search(line, 0, value.start)
        if kind is None or metric is None or metric.end() != value.start:
            return None
        name = metric.group("metric")
        if (
            re.search(r"(?:年度|年|月|日|回)$", name)
            or name in _NOT_A_METRIC
            # 1,800万円（6件程度）: the word before is the unit of another number
            or re.search(r"[0-9０-９,，]$", line[: metric.start("metric")])
            or any(f.start < metric.end("metric") and metric.start("metric") < f.end for f in found)
        ):
            return None  # a date, a name, or how the figure changes: not what is counted
        words = analyser(self.analyser_name)(name)
        if words and words[0].pos_minor == "固有名詞":
            return None  # 鶴岡中央12名: people of a place or school, not a metric
        if counter in "名人" and _EDUCATION.search(name):
            kind = "education"
        span = line[metric.start("metric") : value.start + len(value.span)]
        figure = self.new_node(
            "Figure", kind, None, f"{name} {value.span}", span, number, metric.start("metric")
        )
        record = self.proposals[self.actors[figure].proposal_index or 0][3].record
        record.update({"metric": name, "value": value.value, "unit_ja": counter})
        head = found[0] if found and line[found[0].end : found[0].end + 1] in "：:" else None
        subject = [
            f
            for f in found
            if f.end <= metric.start("metric") and line[f.end : f.end + 1] in ("は", "が")
        ]
        owner = head or (subject[-1] if subject else None)
        if owner is not None:
            tie_span = line[owner.start : value.start + len(value.span)]
            self.tie("MEASURES", figure, owner.id, tie_span, number, owner.start)
        return {"node": figure, "property": "value"}

    def _amount_owner(
        self, line: str, start: int, number: int, total: re.Match[str] | None
    ) -> dict[str, str] | None:
        if total and total.start("amount") == start and self.total and self.total[2] == number:
            return {"node": self.total[0], "property": "amount_thousand_yen"}
        for match in _ITEM.finditer(line):
            if match.start("amount") == start:
                name = re.sub(r"^[\s・\-*＊]+", "", match.group("name")).strip()
                node_id = self.by_key.get(fold_name(name))
                if node_id:
                    return {"node": node_id, "property": "amount_thousand_yen"}
        return None

    # -- result ------------------------------------------------------------------------------

    def attach_by_span(self) -> None:
        """A number written inside a new record's span on its line belongs to that record
        when its label has the property (令和6年度予算: fiscal_year; 学生18名: count)."""
        properties = {
            "fiscal_year": ("fiscal_year",),
            "amount": ("amount_thousand_yen",),
            "count": ("count", "staff_count"),
        }
        records = [
            (line, proposal.record)
            for line, _position, _sequence, proposal in self.proposals
            if proposal.kind in ("new_actor", "group")
        ]
        for index, (line, position, sequence, proposal) in enumerate(self.proposals):
            if proposal.attach or proposal.kind not in properties:
                continue
            for record_line, record in records:
                if record_line != line or proposal.span not in str(record.get("span", "")):
                    continue
                names = {p.name for p in SCHEMA.node(record["label"]).properties}
                wanted = next((n for n in properties[proposal.kind] if n in names), None)
                if wanted:
                    attach = {"node": record["id"], "property": wanted}
                    replaced = dataclasses.replace(proposal, attach=attach)
                    self.proposals[index] = (line, position, sequence, replaced)
                    break

    def result(self) -> list[Proposal]:
        self.check_sums()
        self.attach_by_span()
        ordered = sorted(self.proposals, key=lambda item: item[:3])
        out = []
        seen: dict[str, int] = {}
        for _line, _position, _sequence, proposal in ordered:
            node_id = proposal.record.get("id") if proposal.kind != "tie" else None
            if proposal.kind == "known_actor":
                node_id = proposal.value
            lines = sorted(set(self.mention_lines.get(str(node_id), [])) - {proposal.line})
            if lines:
                proposal = Proposal(
                    proposal.kind,
                    proposal.value,
                    proposal.span,
                    proposal.line,
                    proposal.record,
                    tuple(lines),
                    proposal.attach,
                )
            key = proposal.candidate
            if key in seen:
                seen[key] += 1
                proposal = dataclasses.replace(proposal, occurrence=seen[key])
            else:
                seen[key] = 0
            out.append(proposal)
        return out


_POST_WORDS = sorted(POST_KINDS, key=len, reverse=True)
_CORPORATE = re.compile(
    r"^(?:国立研究開発法人|地方独立行政法人|独立行政法人|国立大学法人|公立大学法人|公益財団法人|"
    r"一般財団法人|公益社団法人|一般社団法人|学校法人|株式会社|有限会社|合同会社)|"
    r"(?:株式会社|有限会社)$|[（(](?:株|有|公財|一財|公社|一社)[）)]"
)


def _post_at(line: str, position: int) -> str | None:
    """The post written at ``position`` and ending a word there (所長 in 先端研所長は)."""
    for post in _POST_WORDS:
        if len(post) > 1 and line.startswith(post, position):
            after = line[position + len(post) : position + len(post) + 1]
            if not after or not re.match(r"[一-龥ァ-ヶー]", after):
                return post
    return None


def _amount(text: str) -> int:
    number = re.match(r"\d[\d,，]*", text)
    assert number is not None
    value = float(number.group(0).replace(",", "").replace("，", ""))
    for unit, factor in (("千円", 1), ("万円", 10), ("億円", 100_000)):
        if unit in text:
            return round(value * factor)
    return round(value)


class _NameIndex:
    """The workspace's names (and the aliases a draft defines), indexed by their first two
    characters in matching form, so a line is searched in time that grows with its length,
    not with the number of names (30,000 names: 67 -> thousands of lines/s)."""

    def __init__(self, known: Mapping[str, str]) -> None:
        self.buckets: dict[str, list[tuple[str, str, str]]] = {}
        self.keys: set[str] = set()
        for name, node_id in known.items():
            self.add(name, node_id)

    def add(self, name: str, node_id: str) -> None:
        key = name_key(name)
        if len(key) < 2:  # one-character aliases (県, 市) would match everywhere
            return
        if key in self.keys:
            return  # the first name given for a key keeps it, as the workspace's order does
        self.keys.add(key)
        self.buckets.setdefault(key[:2], []).append((key, name, node_id))

    def find(self, line: str) -> list[tuple[int, str, str]]:
        """(position, written name, id) of the names found in a line, longest first so a
        name inside a longer one is not found twice. Positions are in the line as written:
        names match through the name layer's folding, character by character, so full- and
        half-width forms match."""
        if not self.buckets:
            return []
        folded = name_key(line)
        if len(folded) != len(line):  # NFKC changed the length: match the written text
            folded = line
        matches: list[tuple[int, int, str]] = []
        for start in range(len(folded) - 1):
            for key, _name, node_id in self.buckets.get(folded[start : start + 2], ()):
                if folded.startswith(key, start):
                    matches.append((start, start + len(key), node_id))
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        found: list[tuple[int, str, str]] = []
        taken: list[tuple[int, int]] = []
        for start, end, node_id in matches:
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, line[start:end], node_id))
        return sorted(found)


def draft_proposals(
    source: SourceText,
    known: Mapping[str, str] | None = None,
    *,
    known_labels: Mapping[str, str] | None = None,
    covered: Covered | None = None,
    analyser_name: str = DEFAULT_ANALYSER,
) -> list[Proposal]:
    """Every proposal for a text ``source``, in source order.

    ``known`` maps each name and alias of the workspace's actors (as written) to the actor's
    id, ``known_labels`` each such id to its label (so ties to it can be checked against the
    schema); ``covered`` is what the workspace already carries from this source."""
    reader = _Reader(
        source.id, known or {}, known_labels or {}, covered or Covered(), analyser_name
    )
    lines = source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            reader.read_line(number, line)
    return reader.result()


_NAME_COLUMNS = re.compile(r"企業名|会社名|事業者名|団体名|機関名|組織名|法人名|名称|相手方|社名")


def draft_table_proposals(
    source_id: str,
    sheets: Mapping[str, list[list[str]]],
    known: Mapping[str, str] | None = None,
    *,
    covered: Covered | None = None,
    analyser_name: str = DEFAULT_ANALYSER,
) -> list[Proposal]:
    """One actor per row of a table source: the name column's cell (the column whose header
    says it holds names, else the first), cited by row (``span_line``) and column
    (``span_columns``); a location column (所在地) is kept as ``location_ja``."""
    known = known or {}
    covered = covered or Covered()
    by_key = {fold_name(name): node_id for name, node_id in known.items() if fold_name(name)}
    proposals: list[Proposal] = []
    for sheet, rows in sheets.items():
        if len(rows) < 2:
            continue
        header = rows[0]
        column = next((c for c in header if _NAME_COLUMNS.search(c)), header[0])
        place = next((c for c in header if re.search(r"所在地|住所|市町村", c)), None)
        company_list = bool(re.search(r"企業|会社|社名|事業者", column))
        at = header.index(column)
        for row_number, row in enumerate(rows[1:], start=2):
            name = row[at].strip() if at < len(row) else ""
            if not name:
                continue
            node_id = by_key.get(fold_name(name))
            if node_id is not None:
                if node_id not in covered.actors:
                    proposals.append(Proposal("known_actor", node_id, row[at], row_number))
                continue
            guess = organisation_guess(name)
            if guess is None:
                guess = (
                    ("Organization", "company", "industry")
                    if company_list
                    else ("Organization", "support_organization", "other")
                )
            label, kind, sector = guess
            new_id = record_id(label, source_id, name, analyser_name)
            record: dict[str, Any] = {"id": new_id, "label": label, "kind": kind}
            record.update({"name_ja": name, "name_en": ""})
            if sector and label == "Organization":
                record["sector"] = sector
            columns = [column]
            location = (
                row[header.index(place)].strip() if place and header.index(place) < len(row) else ""
            )
            if location:
                record["location_ja"] = location
                columns.append(str(place))
            record.update({"span_line": row_number, "span_columns": columns, "basis": "stated"})
            if sheet:
                record["span_sheet"] = sheet
            by_key[fold_name(name)] = new_id
            proposals.append(Proposal("new_actor", name, row[at], row_number, record))
    return proposals


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
