"""Reading Japanese for the drafting assistant: words with their part of speech and reading.

Two light analysers from PyPI stand behind one small interface, so the draft can be measured
on both (benchmarks/draft_benchmark.py) and the choice is one argument:

- ``sudachi`` (the default): SudachiPy with SudachiDict core. Its long unit (split mode C)
  keeps compound names whole (医科大学, がん研究センター) and reads hiragana parts of names
  as nouns (みなと, しおかぜ), which is what cutting names at hiragana got wrong.
- ``fugashi``: MeCab through fugashi with unidic-lite; shorter units, no reading for words
  outside the dictionary (the katakana itself is used then).

A word is a :class:`Word`: its surface as written, where it starts in the line, its major and
minor part of speech, and its reading in katakana. :func:`romanize` turns a reading into the
ASCII slug new ids are made of.

>>> romanize("ミナトイカダイガク"), romanize("シオカゼショクヒン"), romanize("チュウオウ")
('minatoikadaigaku', 'shiokazeshokuhin', 'chuuou')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from biocluster_kg.kernel.errors import BioclusterError

__all__ = ["ANALYSERS", "DEFAULT_ANALYSER", "Word", "analyser", "romanize"]

#: The analysers the draft can read with; the first is the default.
ANALYSERS = ("sudachi", "fugashi")
DEFAULT_ANALYSER = "sudachi"


class Word(NamedTuple):
    """One word of a line: surface, start and end offsets, part of speech (major, minor),
    reading. A named tuple: the reader makes one for every word of every line."""

    surface: str
    start: int
    pos: str
    pos_minor: str
    reading: str
    end: int


Analyse = Callable[[str], list[Word]]


def _sudachi() -> Analyse:
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError as error:  # pragma: no cover - a broken install
        raise BioclusterError(
            f"the Japanese analyser SudachiPy is not installed: {error}"
        ) from None
    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)

    def analyse(line: str) -> list[Word]:
        words = []
        for morpheme in tokenizer.tokenize(line):
            pos = morpheme.part_of_speech()
            begin = morpheme.begin()
            words.append(
                Word(
                    morpheme.surface(),
                    begin,
                    pos[0],
                    pos[1],
                    morpheme.reading_form(),
                    morpheme.end(),
                )
            )
        return words

    return analyse


def _fugashi() -> Analyse:
    try:
        import fugashi
    except ImportError as error:
        raise BioclusterError(
            f"the Japanese analyser fugashi is not installed ({error}): "
            "pip install fugashi unidic-lite"
        ) from None
    tagger = fugashi.Tagger()

    def analyse(line: str) -> list[Word]:
        words = []
        position = 0
        for node in tagger(line):
            surface = node.surface
            start = line.find(surface, position) if surface else position
            start = position if start < 0 else start
            position = start + len(surface)
            feature: Any = node.feature
            reading = getattr(feature, "kana", None) or surface
            words.append(
                Word(surface, start, feature.pos1, feature.pos2, reading, start + len(surface))
            )
        return words

    return analyse


@cache
def analyser(name: str = DEFAULT_ANALYSER) -> Analyse:
    """The analyser called ``name`` (loaded once per process: the dictionaries are large)."""
    if name == "sudachi":
        return _sudachi()
    if name == "fugashi":
        return _fugashi()
    raise BioclusterError(f"unknown Japanese analyser {name!r}; expected one of {ANALYSERS}")


_KANA = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "シェ": "she", "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya",
    "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya",
    "ミュ": "myu", "ミョ": "myo", "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya",
    "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ジェ": "je",
    "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo",
    "ティ": "ti", "ディ": "di", "デュ": "dyu", "ファ": "fa", "フィ": "fi", "フェ": "fe",
    "フォ": "fo", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi",
    "ヴェ": "ve", "ヴォ": "vo", "ツァ": "tsa",
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o", "カ": "ka", "キ": "ki", "ク": "ku",
    "ケ": "ke", "コ": "ko", "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to", "ナ": "na", "ニ": "ni",
    "ヌ": "nu", "ネ": "ne", "ノ": "no", "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he",
    "ホ": "ho", "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo", "ヤ": "ya",
    "ユ": "yu", "ヨ": "yo", "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヲ": "o", "ン": "n", "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge",
    "ゴ": "go", "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo", "ダ": "da",
    "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do", "バ": "ba", "ビ": "bi", "ブ": "bu",
    "ベ": "be", "ボ": "bo", "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "ヴ": "vu", "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya",
    "ュ": "yu", "ョ": "yo", "ヮ": "wa", "ヵ": "ka", "ヶ": "ke",
}  # fmt: skip


def romanize(reading: str) -> str:
    """An ASCII rendering of a katakana (or hiragana) reading; Latin letters and digits are
    kept, everything else dropped. Long vowels (ー) repeat the vowel, ッ doubles the next
    consonant: a stable slug, not a style guide's romanisation."""
    text = unicodedata.normalize("NFKC", reading)
    # Hiragana to katakana, so one table serves both.
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    out: list[str] = []
    index = 0
    double = False
    while index < len(text):
        pair, char = text[index : index + 2], text[index]
        syllable = _KANA.get(pair) if len(pair) == 2 else None
        step = 2 if syllable else 1
        syllable = syllable or _KANA.get(char)
        if char == "ッ":
            double = True
            index += 1
            continue
        if char == "ー":
            if out and out[-1] and out[-1][-1] in "aeiou":
                out.append(out[-1][-1])
            index += 1
            continue
        if syllable is None:
            syllable = char.lower() if char.isascii() and char.isalnum() else ""
        if double and syllable and syllable[0] not in "aeiou":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
        index += step
    return "".join(out)
