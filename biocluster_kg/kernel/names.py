"""The one name layer: how names are folded, matched and resolved everywhere.

Two forms of a name, for two jobs:

- :func:`name_key`, the *stored* key: NFKC (full-width and half-width forms fold together),
  case-folded, surrounding white space removed. The loader writes every node's keys
  (``name_keys``) in this form and in the look-up form below; the query library folds its
  name parameters to the look-up form (in the Neo4j text itself), so both stores match a
  typed name by equality.
- :func:`fold_name`, the *look-up* folding for names people type into a box or an option
  (``--around``, ``--tied-to``, ``--body``, the page's search): the stored key with every
  white space and every nakaguro (``・``, ``･``, ``·`` ...) dropped, so that "keio iab",
  "ＫＥＩＯ　ＩＡＢ" and "Keio IAB" are one name, and so are "ヒューマン・メタボローム" and
  "ヒューマンメタボローム".

On top of the folding, two look-ups that every face (page, exports, CLI options, a future
``find`` command) shares:

- :func:`find_actors` ranks the nodes a text may mean: the id, then exact names and
  aliases, then names that start with it, then names that contain it, then close
  spellings (:func:`closeness` at least :data:`CLOSE_CUTOFF`); each :class:`NameMatch`
  says how it matched. Among equal matches an organisation comes before a body and a
  post (:data:`LABEL_ORDER`), so "Institute for Advanced Biosciences" lists the institute
  before its director's post.
- :func:`suggest_actors`, the did-you-mean for a name nothing matches: close spellings
  down to the lower :data:`SUGGEST_CUTOFF`.
- :func:`resolve_actor` turns a text into exactly one node id, or fails with
  :class:`~biocluster_kg.kernel.errors.UnknownNameError` (quoting the text and suggesting
  the closest nodes) or :class:`~biocluster_kg.kernel.errors.AmbiguousNameError` (listing
  the candidates).

>>> name_key("（公財）庄内") == name_key("(公財)庄内")
True
>>> name_keys({"name_ja": "慶應先端研", "name_en": "Keio IAB", "aliases": ["先端研"],
...            "known_as": ["ＩＡＢ"]})
['iab', 'keio iab', 'keioiab', '先端研', '慶應先端研']
>>> fold_name("ヒューマン･メタボローム") == fold_name("ヒューマン メタボローム")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from biocluster_kg.kernel.errors import AmbiguousNameError, UnknownNameError

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import KnowledgeBase, Node

__all__ = [
    "NAKAGURO",
    "CLOSE_CUTOFF",
    "SUGGEST_CUTOFF",
    "HEAD_WEIGHT",
    "HEAD_MIN_CHARS",
    "LABEL_ORDER",
    "closeness",
    "label_rank",
    "suggest_actors",
    "MatchKind",
    "MATCH_KIND_NAMES",
    "NameMatch",
    "name_key",
    "name_keys",
    "fold_name",
    "node_names",
    "nodes_called",
    "find_actors",
    "resolve_actor",
    "display_width",
    "wrap_text",
]

#: Middle dots that separate the words of a name; NFKC already turns the half-width
#: katakana one (U+FF65) into U+30FB, the others stay distinct without this list.
NAKAGURO = "\u30fb\u00b7\u2027\u2219\u22c5\u2022\u0387"
#: A close spelling matches when its :func:`closeness` is at least this: one typo in a
#: six-letter name ("Spyber") or one character in five ("慶応先端研") passes; another
#: university that shares only the word "University" with one in the data does not.
CLOSE_CUTOFF = 0.75
#: A typed text compared with the start of a longer name (or a name with the start of a
#: longer text) counts this much of its closeness.
HEAD_WEIGHT = 0.95
#: A name compared with the start of a longer typed text has at least this many characters.
HEAD_MIN_CHARS = 3
#: The did-you-mean after a name nothing matches offers names down to this closeness.
SUGGEST_CUTOFF = 0.6
#: Labels in the order equal matches are listed: organisations before their posts.
LABEL_ORDER: tuple[str, ...] = ("Organization", "Group", "Body", "Position")
#: How many suggestions an unknown name's error offers.
SUGGESTIONS = 3

#: How a text matched a node, best first (the order :func:`find_actors` ranks by).
MatchKind = Literal["id", "exact", "prefix", "substring", "close"]
_RANK: dict[str, int] = {"id": 0, "exact": 1, "prefix": 2, "substring": 3, "close": 4}
#: How a text matched, as people read it (the codes stay in JSON and ``--lang en``).
MATCH_KIND_NAMES: dict[str, dict[str, str]] = {
    "ja": {
        "id": "IDが一致",
        "exact": "名前が一致",
        "prefix": "前方一致",
        "substring": "部分一致",
        "close": "近い綴り",
    },
    "en": {kind: kind for kind in _RANK},
}


def name_key(text: str) -> str:
    """The stored matching form of one name (see the module docstring).

    >>> name_key(" ＩＡＢ ")
    'iab'
    """
    return unicodedata.normalize("NFKC", text).casefold().strip()


def name_keys(properties: Mapping[str, Any]) -> list[str]:
    """Sorted, distinct matching forms of a node's ``name_ja``, ``name_en``, aliases and
    the names it is known by elsewhere (``known_as``: never quoted, still findable): each
    name's :func:`name_key` and its :func:`fold_name` (what a question folds a typed name
    to, in its own text on Neo4j), so a typed name is found by equality in both forms.

    >>> name_keys({"name_en": "Keio IAB", "name_ja": "ヒューマン・メタボローム"})
    ['keio iab', 'keioiab', 'ヒューマンメタボローム', 'ヒューマン・メタボローム']
    """
    names = [properties.get("name_ja"), properties.get("name_en")]
    names += list(properties.get("aliases") or [])
    names += list(properties.get("known_as") or [])
    texts = [name for name in names if isinstance(name, str) and name.strip()]
    return sorted({name_key(name) for name in texts} | {fold_name(name) for name in texts})


def fold_name(text: str) -> str:
    """A name folded for typed look-ups: :func:`name_key` without any white space or
    nakaguro (:data:`NAKAGURO`).

    >>> fold_name("ＫＥＩＯ　先端研 ")
    'keio先端研'
    >>> fold_name("ｶﾞｲﾄﾞ"), fold_name("産学官・金"), fold_name("産学官･金")
    ('ガイド', '産学官金', '産学官金')
    """
    return "".join(char for char in name_key(text) if not char.isspace() and char not in NAKAGURO)


def node_names(node: Node) -> list[str]:
    """Everything a node may be called: its id, both names, its aliases and ``known_as``."""
    names = [node.id, node.get("name_ja") or "", node.get("name_en") or ""]
    names.extend(node.get("aliases") or [])
    names.extend(node.get("known_as") or [])
    return [name for name in names if name]


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def _ratio(a: str, b: str, floor: float) -> float:
    """1 - edit distance / longer length, or 0.0 when it cannot reach ``floor``."""
    longest = max(len(a), len(b), 1)
    # Characters the two share bound the distance from below: skip a hopeless pair cheaply.
    shared = sum((Counter(a) & Counter(b)).values())
    if 1 - (longest - shared) / longest < floor:
        return 0.0
    return 1 - _edit_distance(a, b) / longest


def closeness(wanted: str, name: str, floor: float = 0.0) -> float:
    """How close a typed text is to a name, both folded (:func:`fold_name`), 0..1.

    The share of characters that need no edit (Levenshtein), against the whole name or,
    weighed by :data:`HEAD_WEIGHT`, against its start as long as the text (what was typed
    may be the first words of a longer name), or the name against the start of the text
    (a name with a word more, "Spiber Inc.", when the name is at least half of it). The
    network page's did-you-mean computes the same in its script
    (``graph/assets/network_page.js``). Values below ``floor`` may come back as 0.0.

    >>> round(closeness("spyber", "spiber"), 2), round(closeness("慶応先端研", "慶應先端研"), 2)
    (0.83, 0.8)
    >>> closeness("tokyouniversity", "keiouniversity") < CLOSE_CUTOFF
    True
    >>> closeness("yamagatabank", "yamagatabioclusterformationpromotioncouncil") < CLOSE_CUTOFF
    True
    >>> closeness("spiberinc.", "spiber"), closeness("県立病院", "県") < CLOSE_CUTOFF
    (0.95, True)
    """
    whole = _ratio(wanted, name, floor)
    head = 0.0
    if len(name) > len(wanted):
        # A start is weaker evidence than a whole name: many names share a first word
        # ("Yamagata Bank" is not the Yamagata Bio Cluster council).
        head = HEAD_WEIGHT * _ratio(wanted, name[: len(wanted)], floor / HEAD_WEIGHT)
    elif len(name) >= HEAD_MIN_CHARS and len(name) * 2 >= len(wanted):
        # The name and a word or two more ("Spiber Inc.", 鶴岡市役所, 日新製薬株式会社): a name
        # of three characters or more that is at least half of what was typed.
        head = HEAD_WEIGHT * _ratio(wanted[: len(name)], name, floor / HEAD_WEIGHT)
    return max(whole, head)


def _candidates(kb: KnowledgeBase, labels: Sequence[str] | None) -> list[Node]:
    return [n for n in kb.nodes.values() if labels is None or n.label in labels]


def nodes_called(kb: KnowledgeBase, name: str, labels: Sequence[str] | None = None) -> list[str]:
    """Sorted ids of the nodes (with one of ``labels``, if given) called exactly ``name``.

    An exact id wins; otherwise ids, names and aliases are compared by :func:`fold_name`.
    Callers decide what none or several matches mean (:func:`resolve_actor` is the usual
    one).

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "先端生命科学研究所",
    ...     "name_en": "Keio IAB", "aliases": ["慶應先端研"]}))
    >>> nodes_called(kb, "ｏｒｇ:ＩＡＢ"), nodes_called(kb, "keio iab")
    (['org:iab'], ['org:iab'])
    >>> nodes_called(kb, "慶應先端研", ["Body"])
    []
    """
    candidates = _candidates(kb, labels)
    if any(node.id == name for node in candidates):
        return [name]
    wanted = fold_name(name)
    if not wanted:
        return []
    return sorted(n.id for n in candidates if wanted in map(fold_name, node_names(n)))


@dataclass(frozen=True)
class NameMatch:
    """One node a text may mean: its id, label and display name, the name (as written)
    that matched, how it matched and, for a close spelling, how close (0..1)."""

    id: str
    label: str
    name: str
    matched: str
    how: MatchKind
    score: float = 1.0

    def describe(self) -> str:
        """``name (id)``, as errors and listings show a node.

        >>> NameMatch("org:iab", "Organization", "先端研", "IAB", "exact").describe()
        '先端研 (org:iab)'
        """
        return self.name if self.name == self.id else f"{self.name} ({self.id})"


def _display_name(node: Node) -> str:
    # Japanese first: the people who read these lists write the names in Japanese.
    return str(node.get("name_ja") or node.get("name_en") or node.id)


def _best_match(
    node: Node, text: str, wanted: str, cutoff: float = CLOSE_CUTOFF
) -> NameMatch | None:
    """How well ``node`` matches (``wanted`` is ``text`` folded), or None."""
    if node.id == text or fold_name(node.id) == wanted:
        return NameMatch(node.id, node.label, _display_name(node), node.id, "id")
    best: NameMatch | None = None
    for name in node_names(node)[1:]:
        folded = fold_name(name)
        if not folded:
            continue
        how: MatchKind
        score = 1.0
        if folded == wanted:
            how = "exact"
        elif folded.startswith(wanted):
            how = "prefix"
        elif wanted in folded:
            how = "substring"
        else:
            score = closeness(wanted, folded, cutoff)
            if score < cutoff:
                continue
            how = "close"
        match = NameMatch(node.id, node.label, _display_name(node), name, how, score)
        if best is None or _order(match) < _order(best):
            best = match
    return best


def label_rank(label: str) -> int:
    """Where a label stands when equal matches are listed (:data:`LABEL_ORDER`)."""
    return LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)


def _order(match: NameMatch) -> tuple[int, float, int, int, str]:
    # Within one kind of match, the closer says more; then an organisation before its
    # posts (a post's name holds its organisation's and is often the shorter); then the
    # shorter name.
    return (
        _RANK[match.how],
        -round(match.score, 6),
        label_rank(match.label),
        len(fold_name(match.matched)),
        match.id,
    )


def find_actors(
    kb: KnowledgeBase,
    text: str,
    *,
    limit: int | None = 10,
    labels: Sequence[str] | None = None,
    cutoff: float = CLOSE_CUTOFF,
) -> list[NameMatch]:
    """The nodes ``text`` may mean, best first: the id, then exact names and aliases, then
    names starting with it, then names containing it, then close spellings.

    Every node's id, Japanese and English names and aliases are compared by
    :func:`fold_name`; each node appears once, with its best match. ``labels`` keeps only
    nodes of those labels (None: every node, since a page can centre on a programme too);
    ``limit`` caps the list (None: all); ``cutoff`` is the least :func:`closeness` of a
    close spelling.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "慶應義塾大学先端生命科学研究所",
    ...     "name_en": "Keio IAB", "aliases": ["慶應先端研"]}))
    >>> kb.add_node(Node("org:keio", "Organization", {"name_ja": "慶應義塾大学",
    ...     "name_en": "Keio University"}))
    >>> [(m.id, m.how) for m in find_actors(kb, "慶應義塾大学")]
    [('org:keio', 'exact'), ('org:iab', 'prefix')]
    >>> [(m.id, m.how, m.matched) for m in find_actors(kb, "ｋｅｉｏ")]
    [('org:iab', 'prefix', 'Keio IAB'), ('org:keio', 'prefix', 'Keio University')]
    >>> [(m.id, m.how) for m in find_actors(kb, "先端研")]
    [('org:iab', 'substring')]
    >>> [(m.id, m.how) for m in find_actors(kb, "慶応先端研")]
    [('org:iab', 'close')]
    """
    wanted = fold_name(text)
    if not wanted:
        return []
    matches = [
        match
        for node in _candidates(kb, labels)
        if (match := _best_match(node, text, wanted, cutoff)) is not None
    ]
    matches.sort(key=_order)
    return matches if limit is None else matches[:limit]


def suggest_actors(
    kb: KnowledgeBase,
    text: str,
    *,
    limit: int = SUGGESTIONS,
    labels: Sequence[str] | None = None,
) -> list[NameMatch]:
    """Did you mean: the nodes closest to a ``text`` that nothing matches, down to
    :data:`SUGGEST_CUTOFF`, best first.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:spiber", "Organization", {"name_ja": "スパイバー",
    ...     "name_en": "Spiber"}))
    >>> find_actors(kb, "Spibbar Co Ltd"), [m.id for m in suggest_actors(kb, "Spibbar Co Ltd")]
    ([], ['org:spiber'])
    """
    return find_actors(kb, text, limit=limit, labels=labels, cutoff=SUGGEST_CUTOFF)


def resolve_actor(kb: KnowledgeBase, text: str, *, labels: Sequence[str] | None = None) -> str:
    """The id of the one node called ``text``: by id, Japanese or English name, or alias,
    compared by :func:`fold_name` (an exact id wins), among nodes of ``labels`` if given.

    Raises
    ------
    UnknownNameError
        If no node is called ``text`` (or it is empty); the message quotes it and suggests
        the closest nodes (:func:`find_actors`).
    AmbiguousNameError
        If several nodes are called ``text``; the message lists their ids.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "慶應義塾大学先端生命科学研究所",
    ...     "name_en": "Keio IAB", "aliases": ["慶應先端研"]}))
    >>> resolve_actor(kb, "keio iab"), resolve_actor(kb, "慶應先端研")
    ('org:iab', 'org:iab')
    >>> resolve_actor(kb, "慶応先端研")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.UnknownNameError: no node is called '慶応先端研' (by id, \
name or alias); did you mean 慶應義塾大学先端生命科学研究所 (org:iab)?
    >>> resolve_actor(kb, "慶應先端研", labels=["Body"])
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.UnknownNameError: no Body is called '慶應先端研' (by id, \
name or alias)
    """
    if not fold_name(text):
        raise UnknownNameError(text, (), "an empty name was given")
    matches = nodes_called(kb, text, labels)
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(matches[:8]) + (", ..." if len(matches) > 8 else "")
        raise AmbiguousNameError(
            text,
            tuple(matches),
            f"{text!r} names {len(matches)} nodes ({shown}); give an id instead",
        )
    what = "node" if labels is None else " or ".join(labels)
    message = f"no {what} is called {text!r} (by id, name or alias)"
    suggestions = suggest_actors(kb, text, labels=labels)
    if suggestions:
        message += "; did you mean " + ", ".join(m.describe() for m in suggestions) + "?"
    raise UnknownNameError(text, tuple(m.id for m in suggestions), message)


def display_width(text: str) -> int:
    """Terminal (and chart) columns taken by ``text``: East Asian wide characters take two.

    >>> display_width("慶應先端研"), display_width("IAB")
    (10, 3)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_text(text: str, columns: int, *, break_long_words: bool = False) -> str:
    """``text`` in lines of at most ``columns`` display columns (a wide character counts two):
    Latin words break at spaces; Japanese, which has none, between any two characters, and
    a Latin word inside Japanese text stays whole. A Latin word longer than ``columns``
    keeps its own line, or with ``break_long_words`` is cut into pieces that fit (as
    :mod:`textwrap` does).

    >>> print(wrap_text("慶應先端研の教育研究活動への支援", 16))
    慶應先端研の教育
    研究活動への支援
    >>> print(wrap_text("Support for the institute", 12))
    Support for
    the
    institute
    >>> print(wrap_text("ベンチャー企業 Spiber の支援", 12))
    ベンチャー企
    業 Spiber の
    支援
    >>> print(wrap_text("see https://example.org/a/b", 10, break_long_words=True))
    see
    https://ex
    ample.org/
    a/b
    """
    tokens: list[str] = []
    for piece in re.findall(r" +|[^ ]", text):
        # A Latin character continues the Latin word before it; anything else stands alone.
        latin = piece[0] != " " and display_width(piece) == 1
        if latin and tokens and tokens[-1][-1] != " " and display_width(tokens[-1][-1]) == 1:
            tokens[-1] += piece
        else:
            tokens.append(piece)
    if break_long_words:
        tokens = [part for token in tokens for part in _pieces(token, columns)]
    lines: list[str] = []
    current = ""
    space = ""
    for token in tokens:
        if token[0] == " ":
            space = token if current else ""
            continue
        candidate = current + space + token
        if current and display_width(candidate) > columns:
            lines.append(current)
            current = token
        else:
            current = candidate
        space = ""
    lines.append(current)
    return "\n".join(lines)


def _pieces(word: str, columns: int) -> list[str]:
    """``word`` cut into runs of at most ``columns`` characters (it is Latin: one column each).
    Spaces and wide characters are never longer than a column of two, so stay whole."""
    if word[0] == " " or len(word) <= columns:
        return [word]
    size = max(columns, 1)
    return [word[start : start + size] for start in range(0, len(word), size)] or [word]
