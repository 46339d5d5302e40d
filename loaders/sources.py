"""Source documents and finding the spans that facts quote from them.

Spans are matched after Unicode NFKC normalisation (so full-width and half-width forms of
the same character match) and with line endings unified; nothing else is forgiven.

>>> doc = SourceText("s", "一行目\\n会長：山形県知事\\n")
>>> doc.locate("会長:山形県知事")  # a half-width colon matches the full-width one
[(2, 2)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from biocluster_kg.kernel.errors import Problem, SourceError, ValidationError
from biocluster_kg.kernel.model import SourceDocument
from biocluster_kg.loaders.yaml_records import read_text

__all__ = ["normalize", "SourceText", "load_sources", "SOURCES_FILE"]

SOURCES_FILE = "sources.yaml"


def normalize(text: str) -> str:
    """NFKC with unified line endings: the form in which spans and names are compared."""
    return unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass
class SourceText:
    """A source's text, normalised line by line so positions map back to lines."""

    id: str
    text: str
    normalized: str = field(init=False, repr=False)
    line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
        return [(m.start(), m.start() + len(needle)) for m in _finditer(needle, self.normalized)]

    def locate(self, span: str) -> list[tuple[int, int]]:
        """(first line, last line) of every occurrence of ``span``."""
        return [(self.line_at(s), self.line_at(max(s, e - 1))) for s, e in self.occurrences(span)]


def _finditer(needle: str, haystack: str) -> list[re.Match[str]]:
    # Overlapping occurrences count: a lookahead makes finditer report each start.
    return list(re.finditer(f"(?=({re.escape(needle)}))", haystack))


def load_sources(sources_dir: Path) -> dict[str, tuple[SourceDocument, SourceText]]:
    """Read ``sources.yaml`` and every source file it lists."""
    registry = sources_dir / SOURCES_FILE
    display = f"{sources_dir.name}/{SOURCES_FILE}"
    if not registry.is_file():
        raise SourceError(f"no source registry at {registry}")
    try:
        data = yaml.safe_load(read_text(registry, display))
    except yaml.YAMLError as error:
        raise ValidationError(Problem(display, None, None, f"malformed YAML: {error}")) from None
    entries = data.get("sources") if isinstance(data, dict) else None
    # An empty list is a new workspace's registry (`biocluster init`): no sources yet.
    if not isinstance(entries, list):
        raise ValidationError(Problem(display, None, "sources", "expected a list of sources"))
    result: dict[str, tuple[SourceDocument, SourceText]] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"sources[{index}]"
        if not isinstance(entry, dict):
            raise ValidationError(Problem(display, None, where, "expected a mapping"))
        for key in ("id", "file", "title"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ValidationError(Problem(display, None, f"{where}.{key}", "missing text"))
        path = sources_dir / entry["file"]
        if path.resolve().parent != sources_dir.resolve():
            raise ValidationError(
                Problem(display, None, f"{where}.file", "must name a file in this folder")
            )
        if not path.is_file():
            raise SourceError(f"source {entry['id']!r}: file {path} is missing")
        text = read_text(path, f"{sources_dir.name}/{entry['file']}")
        document = SourceDocument(
            id=entry["id"],
            path=f"{sources_dir.name}/{entry['file']}",
            title=entry["title"],
            text=text,
            publisher=str(entry.get("publisher", "")),
            origin_note=str(entry.get("origin", "")),
        )
        if document.id in result:
            raise ValidationError(Problem(display, None, f"{where}.id", "duplicate source id"))
        result[document.id] = (document, SourceText(document.id, text))
    return result
