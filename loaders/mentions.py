"""Names of actors in one line of Japanese text, read from its words (loaders/japanese.py).

A name is a run of nouns (a *chunk*: nouns, prefixes and suffixes, as the analyser reads
them, so hiragana and Latin parts of a name stay in it: みなと医科大学, Spiber株式会社)
read from its end:

- it ends in a word that names an organisation (大学, 研究所, センター, 協議会, 課, ...), or
  carries a corporate form before or after it (株式会社X, X株式会社, （株）X, 公益財団法人X):
  an **organisation** or a **body**;
- it ends in a post after such a name (県知事, 市長, 大学長, 会頭, 理事長): a **position**,
  with the organisation it is a post of;
- it ends in a word for many unnamed actors (企業, 研究機関, 学生) with a place before it or
  a count after it (県内企業, 市内企業8社): a **group**, never a named actor; the bare
  word alone (企業, 研究機関, ベンチャー企業) is not proposed at all;
- 同大学, 同研究所, 同社, 同センター: an **anaphor**, resolved by the document reader to the
  nearest actor of that kind before it, never a new actor.

An organisation whose name starts with a smaller one of a kind that has parts (a prefecture's
department, a university's centre) carries that one as its ``parent``. A name made only of
common words (推進協議会, 研究センター) is marked ``generic``: the reader links it to a
longer name it ends, or drops it, so no fragment of a longer name becomes an actor.
Names in 「」 after 企業/社/ベンチャー and the items of a list after a count (5社：A、B、C)
are companies even without a corporate word.

>>> [(m.text, m.label, m.parent.text if m.parent else None) for m in
...  find_mentions("会長：みなと県知事、みなと医科大学附属病院と株式会社青葉メディカル")]
... # doctest: +NORMALIZE_WHITESPACE
[('みなと県知事', 'Position', 'みなと県'),
 ('みなと医科大学附属病院', 'Organization', 'みなと医科大学'),
 ('株式会社青葉メディカル', 'Organization', None)]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from biocluster_kg.loaders.japanese import DEFAULT_ANALYSER, Word, analyser

__all__ = [
    "Mention",
    "find_mentions",
    "organisation_guess",
    "ORG_SUFFIXES",
    "PARENT_KINDS",
    "POST_KINDS",
]

# (suffix, label, kind, sector), longest first. From common Japanese usage, not from any one
# document: what an organisation's or a body's name ends in.
ORG_SUFFIXES: tuple[tuple[str, str, str, str | None], ...] = tuple(
    sorted(
        (
            ("株式会社", "Organization", "company", "industry"),
            ("有限会社", "Organization", "company", "industry"),
            ("合同会社", "Organization", "company", "industry"),
            ("信用金庫", "Organization", "company", "finance"),
            ("信用組合", "Organization", "company", "finance"),
            ("銀行", "Organization", "company", "finance"),
            ("研究開発法人", "Organization", "research_institute", "academia"),
            ("研究センター", "Organization", "public_research_center", "academia"),
            ("技術センター", "Organization", "public_research_center", "academia"),
            ("試験場", "Organization", "public_research_center", "academia"),
            ("研究所", "Organization", "research_institute", "academia"),
            ("研究機構", "Organization", "research_institute", "academia"),
            ("研究院", "Organization", "research_institute", "academia"),
            ("センター", "Organization", "support_organization", "other"),
            ("高等専門学校", "Organization", "university", "academia"),
            ("短期大学", "Organization", "university", "academia"),
            ("大学院", "Organization", "university_faculty", "academia"),
            ("大学", "Organization", "university", "academia"),
            ("学部", "Organization", "university_faculty", "academia"),
            ("研究科", "Organization", "university_faculty", "academia"),
            ("附属病院", "Organization", "university_faculty", "medical"),
            ("病院", "Organization", "support_organization", "medical"),
            ("高等学校", "Organization", "high_school", "academia"),
            ("高校", "Organization", "high_school", "academia"),
            ("歯科医師会", "Organization", "dental_association", "medical"),
            ("医師会", "Organization", "medical_association", "medical"),
            ("銀行協会", "Organization", "bankers_association", "finance"),
            ("会議所", "Organization", "industry_association", "industry"),
            ("商工会", "Organization", "industry_association", "industry"),
            ("連合会", "Organization", "industry_association", "industry"),
            ("工業会", "Organization", "industry_association", "industry"),
            ("協会", "Organization", "industry_association", "industry"),
            ("組合", "Organization", "industry_association", "industry"),
            ("振興会", "Organization", "support_organization", "other"),
            ("財団", "Organization", "support_organization", "other"),
            ("機構", "Organization", "support_organization", "other"),
            ("公社", "Organization", "support_organization", "other"),
            ("協議会", "Body", "council", None),
            ("懇話会", "Body", "council", None),
            ("懇談会", "Body", "council", None),
            ("推進会議", "Body", "council", None),
            ("会議", "Body", "council", None),
            ("審議会", "Body", "council", None),
            ("研究会", "Body", "council", None),
            ("コンソーシアム", "Body", "council", None),
            ("委員会", "Body", "committee", None),
            ("部会", "Body", "committee", None),
            ("審査会", "Body", "committee", None),
            ("検討会", "Body", "committee", None),
            ("評価会", "Body", "committee", None),
            ("事務局", "Body", "office", None),
            ("内閣府", "Organization", "national_ministry", "government"),
            ("省", "Organization", "national_ministry", "government"),
            ("庁", "Organization", "national_ministry", "government"),
            ("県", "Organization", "prefecture", "government"),
            ("都", "Organization", "prefecture", "government"),
            ("府", "Organization", "prefecture", "government"),
            ("市", "Organization", "municipality", "government"),
            ("町", "Organization", "municipality", "government"),
            ("村", "Organization", "municipality", "government"),
            ("局", "Organization", "government_department", "government"),
            ("部", "Organization", "government_department", "government"),
            ("課", "Organization", "government_division", "government"),
            ("室", "Body", "office", None),
        ),
        key=lambda entry: len(entry[0]),
        reverse=True,
    )
)
# Organisation words that are whole names on their own.
_WHOLE_NAMES = frozenset(("内閣府",))
# Corporate forms written before a name (and the short marks in brackets).
_CORPORATE_PREFIXES = (
    "国立研究開発法人",
    "地方独立行政法人",
    "独立行政法人",
    "国立大学法人",
    "公立大学法人",
    "特定非営利活動法人",
    "公益財団法人",
    "一般財団法人",
    "公益社団法人",
    "一般社団法人",
    "農事組合法人",
    "社会福祉法人",
    "学校法人",
    "医療法人",
    "財団法人",
    "社団法人",
    "NPO法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
)
_MARK = re.compile(r"[（(](?:株|有|公財|一財|公社|一社|独|国研|学|医|特非|NPO)[）)]")
_COMPANY_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)")
# Posts written after the name of what they are a post of, longest first, with the kind.
_POSTS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("代表取締役社長", "executive"),
            ("代表理事組合長", "association_head"),
            ("代表理事", "association_head"),
            ("組合長", "association_head"),
            ("代表取締役", "executive"),
            ("専務取締役", "executive"),
            ("常務取締役", "executive"),
            ("取締役", "executive"),
            ("執行役員", "executive"),
            ("監査役", "board_member"),
            ("専務理事", "board_member"),
            ("常務理事", "board_member"),
            ("常任理事", "board_member"),
            ("副理事長", "executive"),
            ("理事長", "association_head"),
            ("理事", "board_member"),
            ("監事", "board_member"),
            ("副学長", "executive"),
            ("学長", "executive"),
            ("総長", "executive"),
            ("副知事", "head_of_government"),
            ("知事", "head_of_government"),
            ("副市長", "head_of_government"),
            ("市長", "head_of_government"),
            ("町長", "head_of_government"),
            ("村長", "head_of_government"),
            ("副会頭", "association_head"),
            ("会頭", "association_head"),
            ("副会長", "association_head"),
            ("会長", "association_head"),
            ("社長", "executive"),
            ("頭取", "executive"),
            ("副所長", "director"),
            ("所長", "director"),
            ("センター長", "director"),
            ("病院長", "director"),
            ("院長", "director"),
            ("機構長", "director"),
            ("研究科長", "department_head"),
            ("学部長", "department_head"),
            ("事務局長", "department_head"),
            ("局長", "department_head"),
            ("部長", "department_head"),
            ("課長", "department_head"),
            ("室長", "department_head"),
            ("委員長", "association_head"),
            ("大臣", "head_of_government"),
            ("長", "director"),
            ("コーディネーター", "coordinator"),
        ),
        key=lambda entry: len(entry[0]),
        reverse=True,
    )
)
POST_KINDS = _POST_KINDS = dict(_POSTS)
_POST_LENGTHS = sorted({len(post) for post, _ in _POSTS}, reverse=True)
_CORPORATE_START = re.compile("|".join(map(re.escape, _CORPORATE_PREFIXES)))
# Words for actors the source does not name, with the Group kind and sector.
_GROUP_WORDS: tuple[tuple[str, str, str], ...] = tuple(
    sorted(
        (
            ("ベンチャー企業", "companies", "industry"),
            ("中小企業", "companies", "industry"),
            ("医療関連企業", "medical_companies", "industry"),
            ("食品企業", "companies", "industry"),
            ("企業", "companies", "industry"),
            ("事業者", "companies", "industry"),
            ("医薬品メーカー", "pharmaceutical_makers", "industry"),
            ("メーカー", "companies", "industry"),
            ("食品製造業者", "food_manufacturers", "industry"),
            ("酒蔵", "breweries", "industry"),
            ("農業法人", "agricultural_corporations", "industry"),
            ("農業者", "farmers", "industry"),
            ("研究機関", "research_institutions", "academia"),
            ("支援機関", "organization", "other"),
            ("関係機関", "organization", "other"),
            ("金融機関", "financial_institutions", "finance"),
            ("医療機関", "organization", "medical"),
            ("高等学校", "high_schools", "academia"),
            ("高校", "high_schools", "academia"),
            ("学校", "schools", "academia"),
            ("研究者", "researchers", "academia"),
            ("学生", "students", "academia"),
            ("生徒", "students", "academia"),
            ("高校生", "students", "academia"),
            ("職員", "officials", "government"),
            ("市民", "citizens", "other"),
            ("県民", "residents", "other"),
            ("住民", "residents", "other"),
        ),
        key=lambda entry: len(entry[0]),
        reverse=True,
    )
)
# What a place or a scope before a group word looks like: 県内, 市内, 地域の, 東雲県内.
_SCOPE = re.compile(r"(?:県|市|町|村|国|域|地元|管内|圏)内?$|内$|地元$|地域$")
# Words that never make a name on their own before an organisation word: a name made of
# these alone (推進協議会, 研究センター, 関係機関) is a common noun or a short form.
_GENERIC = frozenset(
    (
        "推進",
        "連携",
        "研究",
        "支援",
        "事務",
        "地域",
        "関係",
        "各",
        "同",
        "本",
        "当",
        "全",
        "新",
        "産業",
        "技術",
        "振興",
        "総合",
        "医療",
        "教育",
        "学術",
        "国際",
        "科学",
        "先端",
        "医工",
        "医科",
        "工科",
        "開発",
        "運営",
        "専門",
        "中核",
        "拠点",
        "事業",
        "協力",
        "地方",
        "民間",
        "公的",
        "国立",
        "県立",
        "市立",
        "共同",
        "附属",
        "付属",
        "事業所",
        "対象",
        "参加",
        "構成",
        "一部",
        "都市",
        "全県",
        "自治体",
        "行政",
        "政府",
        "企画",
        "担当",
        "関連",
        "所管",
        "主管",
        "委託",
        "実施",
        "内",
        "外",
        "第",
        "回",
        "等",
        "県内",
        "市内",
        "町内",
        "村内",
        "管内",
        "地元",
        "国内",
        "海外",
        "域内",
    )
)
# 同 starts an anaphor only as a word of its own: not in 協同組合, 共同, 合同会社.
_ANAPHOR = re.compile(
    r"(?<![協共合混賛])同(大学院|大学|研究所|研究センター|センター|研究科|学部|病院|協議会|委員会|協会|機構|"
    r"財団|法人|組合|社|市|県|町|村|部|課|室)"
)
_COUNTED_LIST = re.compile(
    r"(?P<count>\d+)\s*(?P<counter>社|機関|団体|法人|校|大学)\s*"
    r"(?:を数え[、，]?\s*[（(]?|[：:（(]|、すなわち|(?:の|が)[^。（(：:]{0,30}?[（(])"
    r"\s*(?P<items>[^）)。]+)"
)
# Endings that are no part of a name: 向け (aimed at), 等/など (and others), ら.
_TRAILING = re.compile(r"(?:向け|等|ら)$")
_ENUMERATION = ("、", "・", "，", ",")
# A place written before a group word with の: 県内の中小企業, 地元の農業者.
_SCOPE_BEFORE = re.compile(r"[一-龥々ァ-ヶー]*(?:内|地域|地元)の$")
_QUOTED_COMPANY = re.compile(
    r"(?:企業|社|ベンチャー|会社)(?:の|である|として)?「(?P<name>[^」]{1,30})」"
)
_NAME_WORD_POS = frozenset(("名詞", "接頭辞", "接尾辞"))
_NAME_SYMBOLS = frozenset("・･&＆-－")
_STRIP_LEAD = frozenset(("各", "全", "本", "当", "新", "現", "旧", "計", "約", "第", "回"))
_COUNTERS = re.compile(r"(\d+)\s*(社|名|人|機関|団体|校|件|者)(?:ほか|等|など)?$")


@dataclass
class Mention:
    """A name in a line: where it is, what it is, and what it belongs to.

    ``label`` is Organization, Body, Position, Group, or ``anaphor`` (同大学: ``kind`` then
    holds the word after 同); ``parent`` is the organisation a position is a post of, or a
    smaller organisation the name starts with (a university's centre); ``generic`` marks a
    name made only of common words (推進協議会), which the reader links or drops."""

    text: str
    start: int
    label: str
    kind: str
    sector: str | None = None
    parent: Mention | None = None
    count: int | None = None
    span: str = ""
    generic: bool = False
    listed: bool = False
    aliases: list[str] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.span or self.text)


def organisation_guess(name: str) -> tuple[str, str, str | None] | None:
    """(label, kind, sector) for a name ending in an organisation word or carrying a
    corporate form; None otherwise.

    >>> organisation_guess("（株）ハーバーセル"), organisation_guess("北浜信用金庫")
    (('Organization', 'company', 'industry'), ('Organization', 'company', 'finance'))
    """
    normal = name.replace("（", "(").replace("）", ")")
    if any(normal.startswith(form) or normal.endswith(form) for form in _COMPANY_FORMS):
        return "Organization", "company", "industry"
    for suffix, label, kind, sector in ORG_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return label, kind, sector
    for prefix in _CORPORATE_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return "Organization", "support_organization", "other"
    return None


_BY_SUFFIX = {entry[0]: entry for entry in ORG_SUFFIXES}
_SUFFIX_LENGTHS = sorted({len(entry[0]) for entry in ORG_SUFFIXES}, reverse=True)
_GENERIC_LONGEST_FIRST = sorted(_GENERIC, key=len, reverse=True)


def _suffix_at(text: str) -> tuple[str, str, str, str | None] | None:
    """The longest organisation word ``text`` ends in (looked up by length: this runs for
    every word end of every chunk)."""
    for length in _SUFFIX_LENGTHS:
        entry = _BY_SUFFIX.get(text[-length:])
        if entry is not None:
            return entry
    return None


_HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")


def _IS_HIRAGANA(char: str) -> bool:  # noqa: N802 - reads as a character class
    return "ぁ" <= char <= "ゖ"


_BOUNDARY = frozenset("、。，．,.：:「『（(）)【】・ 　\t-－*＊①②③④⑤⑥⑦⑧⑨⑩×⇔↔＆&")
# Hiragana words that begin a clause, never a name, even before an organisation word.
_NOT_A_NAME_START = frozenset(
    (
        "また",
        "なお",
        "さらに",
        "その",
        "この",
        "これ",
        "それ",
        "あの",
        "ほか",
        "および",
        "ならびに",
        "かつ",
        "ただし",
        "では",
        "には",
        "とは",
        "から",
        "まで",
        "より",
        "など",
    )
)
# Words after which a name may begin: と, や, 及び (A及びB), as after punctuation.
_JOINING_WORDS = frozenset(("と", "や", "及び", "および", "並びに", "又は", "または", "も"))
_NOT_IN_NAMES = frozenset(
    ("動詞", "形容詞", "助動詞", "接続詞", "副詞", "連体詞", "代名詞", "感動詞")
)


def _without_post(nouns: str) -> str:
    """株式会社X銀行 of 株式会社X銀行取締役: the organisation a post's name starts with."""
    for length in _POST_LENGTHS:
        if len(nouns) > length and nouns[-length:] in _POST_KINDS:
            return nouns[:-length]
    return nouns


def _hiragana_names(words: list[Word], line: str) -> list[Word]:
    """Words of a hiragana name the dictionary does not know (ひので: ひ + の + で) made
    nouns again, so the name stays whole: a run of hiragana words after a boundary (the
    line's start, punctuation, a corporate form such as 株式会社 or 法人) and right before a
    noun, made of nouns and particles only (また, その, これ are no names)."""
    out = list(words)
    index = 0
    while index < len(out):
        word = out[index]
        previous = out[index - 1] if index else None
        after_boundary = (
            previous is None
            or line[previous.end - 1 : previous.end] in _BOUNDARY
            or previous.surface.endswith(("会社", "法人"))
            or previous.surface in _JOINING_WORDS
        )
        if not (after_boundary and _HIRAGANA.match(word.surface)):
            index += 1
            continue
        end = index
        while end < len(out) and _HIRAGANA.match(out[end].surface):
            end += 1
        run = out[index:end]
        following = out[end] if end < len(out) else None
        # The nouns after the run: an adjective-looking word (あおい) may start a name only
        # when they end in an organisation word or a corporate form (あおい精機株式会社).
        nouns = ""
        for after in out[end:]:
            if after.pos not in _NAME_WORD_POS:
                break
            nouns += after.surface
        text = "".join(w.surface for w in run)
        organisation = organisation_guess(text + nouns) or organisation_guess(
            _without_post(text + nouns)
        )
        allowed = _NOT_IN_NAMES - ({"形容詞"} if organisation else set())
        if organisation and not any(text.startswith(w) for w in _NOT_A_NAME_START):
            # Before an organisation word the analyser's reading of an unknown hiragana
            # name (か|え|で県, は|し|ばみ銀行: a particle, a filler, a verb) is no reason to
            # cut it: the place or company name is the whole run.
            allowed = frozenset()
        if (
            1 <= len(run) <= 6
            and 2 <= sum(len(w.surface) for w in run) <= 8
            and (any(w.pos == "名詞" for w in run) or "形容詞" not in allowed)
            and not any(w.pos in allowed for w in run)
            and following is not None
            and following.pos == "名詞"
            and following.start == run[-1].end
            and not _HIRAGANA.match(following.surface)
        ):
            for position in range(index, end):
                out[position] = out[position]._replace(pos="名詞", pos_minor="固有名詞")
        index = end
    return out


# Particles after which a hiragana name may start (Xとみなと市, Xの, Xは): not a cut.
_BEFORE_A_NAME = _JOINING_WORDS | {"の", "は", "が", "を", "に", "で", "へ", "から", "より"}


def _cut_inside_hiragana(words: list[Word], line: str, start: int) -> bool:
    if not (start and _IS_HIRAGANA(line[start - 1]) and _IS_HIRAGANA(line[start])):
        return False
    previous = next((w for w in reversed(words) if w.end <= start), None)
    return previous is None or previous.surface not in _BEFORE_A_NAME


def _modifier_in_a_name(word: Word, following: list[Word]) -> bool:
    """An adjectival noun written in katakana or kanji right before a noun (スマート発酵,
    グローバル人材) is part of the name it stands in: 星川県スマート発酵推進協議会 is one name,
    not 星川県 and a fragment 発酵推進協議会. Hiragana ones (きれいな) end a name."""
    return (
        word.pos == "形状詞"
        and not any(_IS_HIRAGANA(character) for character in word.surface)
        and bool(following)
        and following[0].start == word.end
        and following[0].pos == "名詞"
    )


def _chunks(words: list[Word], line: str) -> list[tuple[int, int]]:
    """(start, end) of each run of name words; corporate marks in brackets join the run."""
    runs: list[tuple[int, int]] = []
    start = end = -1
    for index, word in enumerate(words):
        joins = (
            word.pos in _NAME_WORD_POS
            or (word.surface in _NAME_SYMBOLS and start >= 0 and end == word.start)
            or _modifier_in_a_name(word, words[index + 1 : index + 2])
        )
        if joins and word.surface.strip() and start >= 0 and end == word.start:
            end = word.end
        elif joins and word.surface.strip():
            if start >= 0:
                runs.append((start, end))
            start, end = word.start, word.end
        else:
            if start >= 0:
                runs.append((start, end))
            start = end = -1
    if start >= 0:
        runs.append((start, end))
    # A bracketed corporate mark ((株), （公財）) is part of the name it stands before or
    # after, whatever the analyser made of its characters.
    marks = [(m.start(), m.end()) for m in _MARK.finditer(line)]
    runs = [r for r in runs if not any(s <= r[0] and r[1] <= e for s, e in marks)]
    runs = [(s, e) for s, e in runs if e > s]
    for mark_start, mark_end in marks:
        runs = [(mark_end, e) if s < mark_end <= e and s >= mark_start else (s, e) for s, e in runs]
        runs.append((mark_start, mark_end))
    runs.sort()
    joined: list[tuple[int, int]] = []
    for run_start, run_end in runs:
        if joined and joined[-1][1] == run_start:
            joined[-1] = (joined[-1][0], run_end)
        else:
            joined.append((run_start, run_end))
    return [(s, e) for s, e in joined if line[s:e].strip("・･-－")]


def _word_ends(ends: list[int], start: int, end: int) -> list[int]:
    """The word ends inside a chunk, relative to its start (``ends`` sorted, of the line)."""
    return [
        e - start for e in ends[bisect.bisect_right(ends, start) : bisect.bisect_right(ends, end)]
    ]


def _is_generic(head: str) -> bool:
    """Whether the words before an organisation word are common words only."""
    if not head:
        return True
    rest = head
    for _ in range(8):
        if not rest:
            return True
        for word in _GENERIC_LONGEST_FIRST:
            if rest.startswith(word):
                rest = rest[len(word) :]
                break
        else:
            return False
    return not rest


def _post_after(rest: str, whole: str = "") -> str | None:
    """The kind of the post ``rest`` is, read from the longest post the name ends in
    (市 + 長 is a mayor, 大学 + 長 a president)."""
    if rest not in _POST_KINDS:
        return None
    text = whole or rest
    for length in _POST_LENGTHS:
        kind = _POST_KINDS.get(text[-length:])
        if kind is not None:
            return kind
    return None


def _organisation(text: str, ends: list[int]) -> tuple[int, tuple[str, str, str | None]] | None:
    """The longest start of ``text`` that ends, at a word end, in an organisation word."""
    normal = text.replace("（", "(").replace("）", ")")
    corporate = _CORPORATE_START.match(normal)
    for prefix in (corporate.group(0),) if corporate else ():
        if len(normal) > len(prefix):
            # A corporate form before the name: the name runs to a post or to the end.
            for length in _POST_LENGTHS:
                head = text[:-length]
                if length > 1 and text[-length:] in _POST_KINDS and len(head) > len(prefix):
                    entry = _suffix_at(head)
                    if entry is None and prefix in _COMPANY_FORMS and length > 2:
                        # 株式会社トライアングル代表取締役: a company's officer.
                        entry = ("", "Organization", "company", "industry")
                    if entry is not None:
                        # 株式会社いろは銀行頭取: a post of the bank, not a company.
                        guess: tuple[str, str, str | None] = ("Organization", "company", "industry")
                        if prefix not in _COMPANY_FORMS or entry[2] == "finance":
                            guess = (entry[1], entry[2], entry[3])
                        return len(head), guess
            for end in sorted(ends, reverse=True):
                if end <= len(prefix):
                    break
                rest = text[end:]
                if not rest or _post_after(rest):
                    guess = organisation_guess(text[:end]) or (
                        "Organization",
                        "support_organization",
                        "other",
                    )
                    if prefix in _COMPANY_FORMS:
                        guess = ("Organization", "company", "industry")
                    return end, guess
            return None
    if normal.startswith(("(株)", "(有)")) or normal.endswith(("(株)", "(有)")):
        return len(text), ("Organization", "company", "industry")
    for end in sorted(ends, reverse=True):
        entry = _suffix_at(text[:end])
        if entry is None:
            continue
        suffix, label, kind, sector = entry
        minimum = len(suffix) + (2 if len(suffix) == 1 else 1)
        if suffix in _WHOLE_NAMES:
            minimum = len(suffix)
        # 県・市 (the prefecture and the city) is two words, not a name.
        if end < minimum or len(text[:end].replace("・", "")) < minimum:
            continue
        return end, (label, kind, sector)
    return None


PARENT_KINDS = {
    "government_department": ("prefecture", "municipality", "national_ministry"),
    # A 課 or 室 of a university or a company (しらかば大学産学連携課) is part of it too.
    "government_division": (
        "prefecture",
        "municipality",
        "government_department",
        "university",
        "company",
    ),
    "office": ("university", "prefecture", "municipality", "company", "research_institute"),
    "university_faculty": ("university",),
    # A prefecture's 研究所 (はぎの県森林研究所) is one of its research centres.
    "research_institute": ("university", "prefecture"),
    "public_research_center": ("university", "prefecture"),
    "support_organization": ("university",),
}


def _parent(text: str, ends: list[int], kind: str, start: int) -> Mention | None:
    """The smaller organisation a sub-unit's name starts with (北浜県 of 北浜県農林水産部)."""
    wanted = PARENT_KINDS.get(kind)
    if not wanted:
        return None
    for end in sorted((e for e in ends if e < len(text)), reverse=True):
        if _inside_longer_word(text, end):
            continue
        found = _organisation(text[:end], [e for e in ends if e <= end])
        if found is None or found[0] != end:
            continue
        label, parent_kind, sector = found[1]
        if parent_kind in wanted and not _is_generic(_head(text[:end])):
            return Mention(text[:end], start, label, parent_kind, sector)
    return None


def _inside_longer_word(text: str, end: int) -> bool:
    """Whether ``end`` cuts an organisation word that goes on (大学|院 of 大学院): an
    analyser with short units gives a word end there."""
    here = _suffix_at(text[:end])
    for extra in (1, 2):
        longer = _suffix_at(text[: end + extra]) if end + extra <= len(text) else None
        if here and longer and len(longer[0]) > len(here[0]) + extra - 1:
            return True
    return False


def _head(name: str) -> str:
    entry = _suffix_at(name)
    return name[: len(name) - len(entry[0])] if entry else name


def _strip_lead(words: list[Word], start: int, end: int, line: str) -> int:
    """Skip leading numbering and prefixes (①, 第3回, 各, 本) that are no part of a name."""
    for word in words:
        if word.end <= start or word.start >= end:
            continue
        if word.start < start:
            continue
        if _MARK.match(line, word.start):
            break
        if word.surface in _STRIP_LEAD or word.pos_minor == "数詞" or word.pos == "補助記号":
            start = word.end
            continue
        break
    return start


def find_mentions(line: str, analyser_name: str = DEFAULT_ANALYSER) -> list[Mention]:
    """Every name of an actor, group or anaphor in ``line``, in order; nested parents are
    reached through :attr:`Mention.parent`."""
    words = _hiragana_names(analyser(analyser_name)(line), line)
    line_ends = sorted(w.end for w in words)
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _ANAPHOR.finditer(line):
        mentions.append(Mention(match.group(0), match.start(), "anaphor", match.group(1)))
        taken.append((match.start(), match.end()))
    for match in _QUOTED_COMPANY.finditer(line):
        name = match.group("name").strip()
        start = match.start("name") + match.group("name").find(name)
        if name and free(start, start + len(name)):
            guess: tuple[str, str, str | None] = organisation_guess(name) or (
                "Organization",
                "company",
                "industry",
            )
            venture = "ベンチャー" in match.group(0)
            kind = "venture" if venture and guess[1] == "company" else guess[1]
            mentions.append(Mention(name, start, guess[0], kind, guess[2]))
            taken.append((start, start + len(name)))
    for match in _COUNTED_LIST.finditer(line):
        offset = match.start("items")
        for item in re.split(r"[、，,]", match.group("items")):
            name = re.sub(r"(?:など|等|ほか)$", "", item.strip())
            start = line.find(name, offset) if name else -1
            offset = max(offset, start + len(name)) if start >= 0 else offset + len(item) + 1
            if not name or start < 0 or len(name) > 30 or not free(start, start + len(name)):
                continue
            if re.search(r"[はがをにでへ]|する|した", name):
                break  # a sentence, not a name: the list has ended
            read = organisation_guess(name)
            if read is not None:
                guess = read
            else:
                counter = match.group("counter")
                kind = "company" if counter == "社" else "support_organization"
                guess = ("Organization", kind, "industry" if counter == "社" else "other")
            mention = Mention(name, start, *guess)
            mention.listed = True
            mentions.append(mention)
            taken.append((start, start + len(name)))
    # The group word before a named list (ベンチャー企業は5社を数え（A、B）) is no group:
    # its members are named.
    listed_counts = [
        (line.rfind("、", 0, m.start()) + 1, m.start()) for m in _COUNTED_LIST.finditer(line)
    ]
    for chunk_start, chunk_end in _chunks(words, line):
        chunk_start = _strip_lead(words, chunk_start, chunk_end, line)
        if chunk_start >= chunk_end or not free(chunk_start, chunk_end):
            continue
        written_end = chunk_end
        tail = _TRAILING.search(line, chunk_start, chunk_end)
        if tail and tail.start() > chunk_start:
            chunk_end = tail.start()  # 中小企業向け, 企業等: the word, not its ending
        text = line[chunk_start:chunk_end]
        ends = _word_ends(line_ends, chunk_start, chunk_end)
        if len(text) not in ends:
            ends.append(len(text))
        # A post the analyser reads as one word with its organisation (県知事, 市長).
        for length in _POST_LENGTHS:
            if text[-length:] in _POST_KINDS and len(text) - length not in ends:
                ends.append(len(text) - length)
        scope_before = _SCOPE_BEFORE.search(line, 0, chunk_start)
        scoped = bool(scope_before)
        listed = line[chunk_start - 1 : chunk_start] in _ENUMERATION or line[
            chunk_end : chunk_end + 1
        ] in (*_ENUMERATION, "等")
        if "・" in text:
            # 県工業戦略技術振興課・鶴岡市政策推進課: two names joined, read one by one;
            # ヒューマン・メタボローム株式会社 stays one name (its parts are none).
            parts = _parts(text, chunk_start, line_ends)
            if parts:
                for part in parts:
                    mentions.append(part)
                taken.append((chunk_start, chunk_end))
                continue
        chunk_mention = _read_chunk(text, ends, chunk_start, scoped, listed)
        if chunk_mention is not None and _cut_inside_hiragana(words, line, chunk_start):
            # か|ざはな工業大学: the analyser cut a name it does not know inside its
            # hiragana; what is left is half a name, never proposed on its own.
            chunk_mention.generic = True
            if chunk_mention.parent is not None:
                chunk_mention.parent.generic = True
        if (
            chunk_mention is not None
            and chunk_mention.label == "Group"
            and any(s <= chunk_start < e for s, e in listed_counts)
        ):
            continue
        if chunk_mention is not None and chunk_mention.label == "Group":
            # A group is named as the source writes it, as the curated files do: with its
            # place (鶴岡市内の酒蔵8社), its count and a trailing 等 (金融機関等).
            group_start = scope_before.start() if scope_before else chunk_start
            group_end = written_end if tail and tail.group(0) == "等" else chunk_end
            chunk_mention.text = chunk_mention.span = line[group_start:group_end]
            chunk_mention.start = group_start
        if chunk_mention is not None:
            mentions.append(chunk_mention)
            taken.append((chunk_start, chunk_end))
    return sorted(mentions, key=lambda m: m.start)


def _parts(text: str, start: int, line_ends: list[int]) -> list[Mention]:
    """The names of a chunk joined by ・, when every part is a name of its own."""
    parts: list[Mention] = []
    offset = 0
    for piece in text.split("・"):
        piece_start = start + offset
        offset += len(piece) + 1
        ends = _word_ends(line_ends, piece_start, piece_start + len(piece))
        if len(piece) not in ends:
            ends.append(len(piece))
        mention = _read_chunk(piece, ends, piece_start) if piece else None
        if mention is None or mention.generic or mention.label == "Group":
            return []
        parts.append(mention)
    return parts if len(parts) > 1 else []


def _read_chunk(
    text: str, ends: list[int], start: int, scoped: bool = False, listed: bool = False
) -> Mention | None:
    counted = _COUNTERS.search(text)
    found = _organisation(text, ends)
    if found is not None and found[0] < len(text):
        # X組合代表理事組合長 read as X組合代表理事組合 + 長: the longest post the name ends
        # in, with an organisation before it, is the reading (X組合 + 代表理事組合長).
        for length in _POST_LENGTHS:
            if length <= len(text) - found[0]:
                break
            if len(text) > length and text[-length:] in _POST_KINDS:
                shorter = _organisation(
                    text[:-length], [e for e in ends if e <= len(text) - length]
                )
                if shorter is not None and shorter[0] == len(text) - length:
                    found = shorter
                    break
    if found is not None:
        end, (label, kind, sector) = found
        name, rest = text[:end], text[end:]
        generic = (
            name not in _WHOLE_NAMES
            and _is_generic(_head(name))
            and not any(name.replace("（", "(").startswith(p) for p in _CORPORATE_PREFIXES)
        )
        if not rest:
            organisation = Mention(name, start, label, kind, sector, generic=generic)
            organisation.parent = _parent(name, ends, kind, start)
            return organisation
        post_kind = _post_after(rest, text)
        if post_kind is not None:
            # A post of an organisation named by a short form (振興公社理事) is a post all
            # the same; the reader links the short form to the longer name it ends, or
            # leaves the post without a tie.
            organisation = Mention(name, start, label, kind, sector, generic=generic)
            organisation.parent = None if generic else _parent(name, ends, kind, start)
            return Mention(text, start, "Position", post_kind, None, parent=organisation)
        if (re.fullmatch(r"\d+(?:名|人)", rest) or rest.startswith("発")) and not generic:
            # 鴎浜高校4名: people of a named organisation (the count is theirs, not its);
            # ひので大学発ベンチャー: the university the venture comes from.
            organisation = Mention(name, start, label, kind, sector)
            organisation.parent = _parent(name, ends, kind, start)
            return organisation
    # A group: a word for unnamed actors, with a scope before it or a count after it.
    body = text[: counted.start()] if counted else text
    for word, kind, sector in _GROUP_WORDS:
        if body.endswith(word):
            scope = body[: len(body) - len(word)]
            # A group word with a place before it or a count after it, or one item of a
            # list (試験研究機関、企業、金融機関等): a group. A bare word in running text
            # (ITの集積, 研究者は) is not proposed.
            if counted or (scope and _SCOPE.search(scope)) or (scoped and not scope) or listed:
                if counted and counted.group(2) in ("名", "人") and kind.endswith("schools"):
                    # 市内高校4名: four students, not four schools.
                    kind = "students"
                return Mention(
                    body,
                    start,
                    "Group",
                    kind,
                    sector,
                    count=int(counted.group(1)) if counted else None,
                    span=text,
                )
            return None
    return None
