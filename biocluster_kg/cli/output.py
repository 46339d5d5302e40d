"""Formatting rows for the terminal, for spreadsheets and for scripts.

A table fits the terminal (``COLUMNS``, else the terminal's width, else 100 columns when
the output is a pipe or a file) without losing a character of any cell:

1. lists show as comma-separated text (JSON stays JSON; CSV joins them with "; ", as the
   stakeholder exports do);
2. a table that fits as it is prints as it is;
3. otherwise, columns holding the same value in every row are shown once, above the rest
   (an actor's own properties in ``actor_profile``), and the rest is laid out either as a
   table whose cells (and headers, at ``_``) wrap within their columns, or as one record
   per row (a field per line, like psql's expanded mode), whichever is shorter; a table
   whose columns cannot be made narrow enough without breaking a word is always records.

Widths are display widths (:func:`~biocluster_kg.kernel.names.display_width`: a wide
character takes two columns) and wrapping is the kernel's
(:func:`~biocluster_kg.kernel.names.wrap_text`). CSV and JSON are never wrapped.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO, cast

# Re-exported: the width rule lives in the kernel, where charts use it too.
from biocluster_kg.kernel.names import display_width, wrap_text

__all__ = [
    "render",
    "display_width",
    "terminal_width",
    "hanging",
    "terminal_safe",
    "echo",
    "terminal_stream",
    "DEFAULT_WIDTH",
]

#: The width of a table written to a pipe or a file (and the width the tests check).
DEFAULT_WIDTH = 100
#: No wrapped column is made narrower than this, unless its widest cell is narrower.
_NARROWEST = 10
_GAP = "  "


# What a terminal acts on instead of showing: C0 controls but tab and line feed (ESC starts
# CSI and OSC sequences: OSC 52 writes the clipboard, CSI moves the cursor and recolours),
# DEL, C1 controls (U+009B is a one-character CSI), and the bidirectional overrides and
# isolates that reorder what is shown. The gate refuses them all in data files, but text
# read back from a store may have been written by hand (cypher --write, Neo4j Browser).
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# JSON escapes C0 itself; these it leaves raw with ensure_ascii=False.
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on shown as its escape.

    >>> print(terminal_safe("a\x1b]52;c;cHduZWQ=\x07b\u202e"))
    a\\x1b]52;c;cHduZWQ=\\x07b\\u202e
    """

    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return _TERMINAL_CONTROL.sub(shown, text)


def echo(text: str) -> None:
    """Print ``text`` on standard output; on a terminal, with :func:`terminal_safe` applied
    (CSV and JSON written to a pipe or a file keep every character)."""
    import click

    stream = sys.stdout
    click.echo(terminal_safe(text) if stream is not None and stream.isatty() else text)


class _TerminalSafeBuffer:
    """Standard output's byte stream with :func:`terminal_safe` applied to what is written
    (the exports write UTF-8 bytes; each write is a whole document)."""

    def __init__(self, buffer: BinaryIO) -> None:
        self._buffer = buffer

    def write(self, data: bytes) -> int:
        self._buffer.write(terminal_safe(data.decode("utf-8", errors="replace")).encode())
        return len(data)

    def flush(self) -> None:
        self._buffer.flush()


def terminal_stream() -> BinaryIO:
    """Where an export without ``-o`` writes: standard output's bytes, through
    :func:`terminal_safe` when it is a terminal."""
    buffer = sys.stdout.buffer
    if sys.stdout.isatty():
        return cast(BinaryIO, _TerminalSafeBuffer(buffer))
    return buffer


def _table_cell(value: Any) -> str:
    """A cell for people: a list of plain values as comma-separated text, every control
    character shown as its escape (a table is read on a terminal, even through a pipe)."""
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return terminal_safe(", ".join(_cell(item) for item in value))
    return terminal_safe(_cell(value))


def _cell(value: Any) -> str:
    """A cell for CSV (and nested values in tables): lists and maps as JSON."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


#: How a CSV cell joins a list: the stakeholder exports' separator, one list format in every
#: CSV the command line writes (a spreadsheet reader sees text, not JSON brackets).
CSV_LIST_SEPARATOR = "; "


def _csv_cell(value: Any) -> str:
    """A CSV cell: a list of plain values joined with :data:`CSV_LIST_SEPARATOR`; nested
    lists and maps stay JSON.

    >>> _csv_cell(["HMT", "ヒューマン・メタボローム"]), _csv_cell([{"a": 1}])
    ('HMT; ヒューマン・メタボローム', '[{"a": 1}]')
    """
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return CSV_LIST_SEPARATOR.join(_cell(item) for item in value)
    return _cell(value)


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float (also inside lists and maps) as None.

    >>> _finite([1.5, float("nan"), {"x": float("-inf")}])
    [1.5, None, {'x': None}]
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def terminal_width() -> int:
    """Columns to fit a table in: ``COLUMNS`` when set, else the terminal's width when the
    output is a terminal, else :data:`DEFAULT_WIDTH` (a pipe or a file)."""
    given = os.environ.get("COLUMNS", "")
    if given.strip().isdigit() and int(given) > 0:
        return int(given)
    stream = sys.stdout
    if stream is not None and stream.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def hanging(label: str, text: str, width: int | None = None) -> str:
    """``label`` then ``text`` wrapped to ``width`` (default :func:`terminal_width`), its
    further lines indented under the text.

    >>> print(hanging("columns: ", "change, label, from_id, to_id", 24))
    columns: change, label,
             from_id, to_id
    """
    width = terminal_width() if width is None else width
    indent = display_width(label)
    lines = _wrap(text, max(width - indent, _NARROWEST)).split("\n")
    return "\n".join([label + lines[0], *(" " * indent + line for line in lines[1:])]).rstrip()


def render(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output_format: str,
    *,
    width: int | None = None,
    lang: str = "ja",
) -> str:
    """Rows as a table fitting ``width`` columns (default :func:`terminal_width`), CSV
    (UTF-8) or a JSON list of objects (the module docstring says how a table fits).

    JSON is always valid JSON: a NaN or infinite number (``0.0/0.0``) is ``null``.

    >>> print(render(["a", "b"], [[1, "慶應"]], "table"))
    a  b
    -  ----
    1  慶應
    >>> print(render(["id", "aliases"], [["org:iab", ["先端研", "IAB"]]], "table"))
    id       aliases
    -------  -----------
    org:iab  先端研, IAB
    >>> print(render(["name", "note"], [["慶應先端研", "a research institute in Tsuruoka"]],
    ...              "table", width=24))
    name        note
    ----------  ------------
    慶應先端研  a research
                institute in
                Tsuruoka
    >>> render(["a"], [[None]], "json")
    '[\\n  {\\n    "a": null\\n  }\\n]'
    """
    if output_format == "json":
        records = [dict(zip(columns, [_finite(v) for v in row], strict=True)) for row in rows]
        # allow_nan=False: NaN and Infinity are not JSON, and every JSON reader but Python's
        # refuses them; _finite has made them null, so this only guards the guarantee.
        text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)
        # The same JSON values, with the controls JSON leaves raw written as escapes.
        return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    width = terminal_width() if width is None else width
    headers = [terminal_safe(str(column)) for column in columns]
    cells = [[_table_cell(v) for v in row] for row in rows]
    natural = _natural_widths(headers, cells)
    if _table_width(natural) <= width:
        return _table(headers, cells, natural)
    parts: list[str] = []
    # Shown once when shared by three rows or more (two rows read as well as a table).
    shared = _shared_columns(cells) if len(cells) > 2 else []
    if shared and len(shared) < len(headers):
        block = _record([headers[i] for i in shared], [cells[0][i] for i in shared], width)
        note = (
            f"(the same in all {len(cells)} rows)"
            if lang == "en"
            else f"（全{len(cells)}行で同じ値）"
        )
        parts += [block, note, ""]
        kept = [i for i in range(len(headers)) if i not in shared]
        headers = [headers[i] for i in kept]
        cells = [[row[i] for i in kept] for row in cells]
        natural = [natural[i] for i in kept]
    parts.append(_fitted(headers, cells, natural, width))
    return "\n".join(parts)


def _natural_widths(headers: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    widths = [display_width(h) for h in headers]
    for row in cells:
        widths = [max(w, _widest_line(c)) for w, c in zip(widths, row, strict=True)]
    return widths


def _widest_line(text: str) -> int:
    return max((display_width(line) for line in text.split("\n")), default=0)


def _table_width(widths: Sequence[int]) -> int:
    return sum(widths) + len(_GAP) * (len(widths) - 1)


def _shared_columns(cells: Sequence[Sequence[str]]) -> list[int]:
    """Columns whose (non-empty) value is the same in every row."""
    first = cells[0]
    return [i for i, value in enumerate(first) if value and all(row[i] == value for row in cells)]


def _unbreakable(text: str) -> int:
    """The narrowest column :func:`wrap_text` can fit ``text`` in without breaking a word."""
    widest = 0
    for line in text.split("\n"):
        if display_width(line) == len(line):
            widest = max([widest, *(len(word) for word in line.split(" "))])
        else:
            widest = max(widest, 2)
    return widest


def _header_lines(header: str, column: int) -> list[str]:
    """A column name wrapped after its underscores (``parts_total_`` / ``thousand_yen``)."""
    if display_width(header) <= column:
        return [header]
    spaced = header.replace("_", "_ ")
    return [line.replace(" ", "") for line in _wrap(spaced, column).split("\n")]


def _wrap(text: str, column: int) -> str:
    return "\n".join(wrap_text(line, column, break_long_words=True) for line in text.split("\n"))


def _fitted(
    headers: Sequence[str], cells: Sequence[Sequence[str]], natural: Sequence[int], width: int
) -> str:
    """A wrapped table or records, whichever is shorter (records when no table fits)."""
    narrowest = []
    for i, header in enumerate(headers):
        words = [_unbreakable(header.replace("_", " "))] + [_unbreakable(row[i]) for row in cells]
        narrowest.append(max(max(words), min(natural[i], _NARROWEST)))
    records = _records(headers, cells, width)
    if _table_width(narrowest) > width:
        return records
    widths = list(natural)
    while _table_width(widths) > width:
        # Narrow the widest column that can still give: long texts wrap, short ones stay.
        candidates = [i for i in range(len(widths)) if widths[i] > narrowest[i]]
        widest = max(candidates, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    table = _table(headers, cells, widths)
    if table.count("\n") > records.count("\n"):
        return records
    return table


def _table(headers: Sequence[str], cells: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    def lines(values: Sequence[list[str]]) -> list[str]:
        height = max(len(v) for v in values)
        out = []
        for index in range(height):
            texts = [v[index] if index < len(v) else "" for v in values]
            padded = [t + " " * (w - display_width(t)) for t, w in zip(texts, widths, strict=True)]
            out.append(_GAP.join(padded).rstrip())
        return out

    out = lines([_header_lines(h, w) for h, w in zip(headers, widths, strict=True)])
    out += lines([["-" * w] for w in widths])
    body = [
        lines([_wrap(c, w).split("\n") for c, w in zip(row, widths, strict=True)]) for row in cells
    ]
    # Rows that wrap are told apart by a blank line; rows of one line need none.
    spaced = any(len(row) > 1 for row in body)
    for index, row in enumerate(body):
        if spaced and index:
            out.append("")
        out += row
    return "\n".join(out)


def _records(headers: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> str:
    out = []
    for number, row in enumerate(cells, start=1):
        label = f"-[ {number}/{len(cells)} ]"
        out.append(label + "-" * max(width - display_width(label), 0))
        out.append(_record(headers, row, width))
    return "\n".join(out)


def _record(headers: Sequence[str], values: Sequence[str], width: int) -> str:
    """One field per line: the name, then its value wrapped in the space left."""
    key_width = max(display_width(h) for h in headers)
    room = max(width - key_width - len(_GAP), _NARROWEST)
    out = []
    for header, value in zip(headers, values, strict=True):
        for index, line in enumerate(_wrap(value, room).split("\n")):
            key = header if index == 0 else ""
            out.append((key + " " * (key_width - display_width(key)) + _GAP + line).rstrip())
    return "\n".join(out)
