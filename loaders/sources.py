"""Source documents and finding the spans that facts quote from them.

A source is a text document or a table (CSV, XLSX: :mod:`biocluster_kg.loaders.tables`); a
table's text is its rows as lines, so that names are found in it the same way.

Spans are found after Unicode NFKC normalisation (so full-width and half-width forms of
the same character match) and with line endings unified; nothing else is forgiven. A span
is stored as written, so the loaders accept only a span that also occurs with the source's
own characters (:meth:`SourceText.written`): folding helps find a place, never changes text.

>>> doc = SourceText("s", "一行目\\n会長：山形県知事\\n")
>>> doc.locate("会長:山形県知事")  # a half-width colon matches the full-width one
[(2, 2)]
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from biocluster_kg.kernel.errors import Problem, SourceError, ValidationError
from biocluster_kg.kernel.model import SourceDocument
from biocluster_kg.kernel.schema import text_problem
from biocluster_kg.loaders.tables import TABLE_SUFFIXES, read_table, table_text
from biocluster_kg.loaders.yaml_records import YamlWalker, compose_yaml, read_text

__all__ = ["normalize", "SourceText", "load_sources", "SOURCES_FILE", "date_problem"]

SOURCES_FILE = "sources.yaml"
SOURCE_FIELDS = ("id", "file", "title", "publisher", "date", "origin")


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a date of the calendar (ISO ``2013``, ``2013-02``, ``2013-02-28``),
    or None if it is one.

    >>> date_problem("2012-10"), date_problem("2013-02-30")
    (None, "'2013-02-30' is no date of the calendar (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    """
    match = _DATE.fullmatch(text.strip())
    if match is not None:
        year, month, day = match.group(1), match.group(2), match.group(3)
        try:
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            pass
        else:
            return None
    return f"{text!r} is no date of the calendar (expected YYYY, YYYY-MM or YYYY-MM-DD)"


def _unify_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize(text: str) -> str:
    """NFKC with unified line endings: the form in which spans and names are compared."""
    return unicodedata.normalize("NFKC", _unify_lines(text))


@dataclass
class SourceText:
    """A source's text, normalised line by line so positions map back to lines."""

    id: str
    text: str
    normalized: str = field(init=False, repr=False)
    unified: str = field(init=False, repr=False)
    line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.unified = _unify_lines(self.text)
        lines = self.unified.split("\n")
        normalized_lines = [unicodedata.normalize("NFKC", line) for line in lines]
        self.normalized = "\n".join(normalized_lines)
        self.line_starts = []
        position = 0
        for line in normalized_lines:
            self.line_starts.append(position)
            position += len(line) + 1

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line(self, number: int) -> str:
        """The normalised text of a 1-based line."""
        start = self.line_starts[number - 1]
        end = self.line_starts[number] - 1 if number < len(self.line_starts) else None
        return self.normalized[start:end]

    def line_at(self, position: int) -> int:
        """1-based line holding a position of the normalised text."""
        low, high = 0, len(self.line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= position:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def occurrences(self, span: str) -> list[tuple[int, int]]:
        """(start, end) positions in the normalised text where ``span`` occurs."""
        needle = normalize(span)
        if not needle.strip():
            return []
        return [(start, start + len(needle)) for start in _starts(needle, self.normalized)]

    def written(self, span: str) -> bool:
        """True if ``span`` occurs in the source with the source's own characters (only line
        endings unified): what a stored span must be, whatever folding found it.

        >>> doc = SourceText("s", "NASA 350,000\\r\\n")
        >>> doc.written("NASA 350,000"), doc.written("𝐍𝐀𝐒𝐀"), doc.locate("𝐍𝐀𝐒𝐀")
        (True, False, [(1, 1)])
        """
        return _unify_lines(span) in self.unified

    def locate(self, span: str) -> list[tuple[int, int]]:
        """(first line, last line) of every occurrence of ``span``."""
        return [(self.line_at(s), self.line_at(max(s, e - 1))) for s, e in self.occurrences(span)]


def _starts(needle: str, haystack: str) -> list[int]:
    """Every start of ``needle`` in ``haystack``, overlapping occurrences included.

    ``str.find`` from one past each start: a regular expression with a lookahead (as before)
    tried a match at every position of the source for every span, and compiled one pattern
    per span; it was 8% of the test suite's time.

    >>> _starts("aa", "aaa"), _starts("x", "abc")
    ([0, 1], [])
    """
    starts = []
    start = haystack.find(needle)
    while start != -1:
        starts.append(start)
        start = haystack.find(needle, start + 1)
    return starts


def load_sources(sources_dir: Path) -> dict[str, tuple[SourceDocument, SourceText]]:
    """Read ``sources.yaml`` and every source file it lists.

    The registry is read like every data file (:func:`compose_yaml`, :class:`YamlWalker`):
    a bad value, a key given twice or nesting too deep is a problem naming its line."""
    registry = sources_dir / SOURCES_FILE
    display = f"{sources_dir.name}/{SOURCES_FILE}"
    if not registry.is_file():
        raise SourceError(f"no source registry at {registry}")
    root = compose_yaml(read_text(registry, display), display)
    walker = YamlWalker(display)
    if root is None:
        raise ValidationError(Problem(display, None, "sources", "expected a list of sources"))
    entries: yaml.Node | None = None
    for key, key_node, value_node in walker.mapping(root, None):
        if key != "sources":
            raise walker.fail(key_node, key, "unknown top-level key; expected 'sources'")
        entries = value_node
    # An empty list is a new workspace's registry (`biocluster init`): no sources yet.
    if not isinstance(entries, yaml.SequenceNode):
        raise walker.fail(entries or root, "sources", "expected a list of sources")
    result: dict[str, tuple[SourceDocument, SourceText]] = {}
    for index, entry_node in enumerate(entries.value, start=1):
        where = f"sources[{index}]"
        entry: dict[str, str] = {}
        lines: dict[str, int] = {}
        for key, key_node, value_node in walker.mapping(entry_node, where):
            if key not in SOURCE_FIELDS:
                message = f"unknown field; expected one of {', '.join(SOURCE_FIELDS)}"
                raise walker.fail(key_node, f"{where}.{key}", message)
            value = walker.scalar_or_list(value_node, f"{where}.{key}")
            problem = "expected text" if not isinstance(value, str) else text_problem(value, True)
            if problem is not None:
                raise walker.fail(value_node, f"{where}.{key}", problem)
            entry[key] = value
            lines[key] = key_node.start_mark.line + 1
        line = entry_node.start_mark.line + 1
        for key in ("id", "file", "title"):
            if not entry.get(key, "").strip():
                raise ValidationError(Problem(display, line, f"{where}.{key}", "missing text"))
        if "date" in entry:
            problem = date_problem(entry["date"])
            if problem is not None:
                raise ValidationError(Problem(display, lines["date"], f"{where}.date", problem))
        path = sources_dir / entry["file"]
        if path.resolve().parent != sources_dir.resolve():
            raise ValidationError(
                Problem(display, lines["file"], f"{where}.file", "must name a file in this folder")
            )
        if not path.is_file():
            raise SourceError(f"source {entry['id']!r}: file {path} is missing")
        shown = f"{sources_dir.name}/{entry['file']}"
        sheets = None
        if path.suffix.lower() in TABLE_SUFFIXES:
            sheets = read_table(path, shown)
            text = table_text(sheets)
        else:
            text = read_text(path, shown)
        document = SourceDocument(
            id=entry["id"],
            path=f"{sources_dir.name}/{entry['file']}",
            title=entry["title"],
            text=text,
            publisher=entry.get("publisher", ""),
            origin_note=entry.get("origin", ""),
            sheets=sheets,
        )
        if document.id in result:
            raise ValidationError(
                Problem(display, lines["id"], f"{where}.id", "duplicate source id")
            )
        result[document.id] = (document, SourceText(document.id, text))
    return result
