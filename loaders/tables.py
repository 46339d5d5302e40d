"""Table sources: a CSV or XLSX file (a city's company list, a contract list) whose facts
cite a row and the cells they rely on, as text facts cite a span and its line.

A table is read into sheets of rows of cell texts, the header first, numbered as the
spreadsheet numbers them (the header is row 1). Every problem names the file, the row and
the column: a file that is not UTF-8 or not a readable workbook, an empty or repeated
header, a row with more cells than the header has columns.

>>> sheets = parse_csv_text("企業名,従業員数\\n甲社,45\\n", "t.csv")
>>> cell(sheets, None, 2, "従業員数"), table_text(sheets)
('45', '企業名\\t従業員数\\n甲社\\t45')
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from biocluster_kg.kernel.errors import Problem, ValidationError
from biocluster_kg.kernel.schema import text_problem
from biocluster_kg.loaders.yaml_records import read_text

__all__ = [
    "TABLE_SUFFIXES",
    "MAX_TABLE_BYTES",
    "Sheets",
    "read_table",
    "parse_csv_text",
    "cell",
    "header",
    "sheet_name",
    "table_text",
    "row_line",
    "cell_number",
]

TABLE_SUFFIXES = (".csv", ".xlsx")
#: A table source may be larger than a data file: a prefecture's company register of 10^5
#: rows is about 6 MB of CSV.
MAX_TABLE_BYTES = 64 * 1024 * 1024
#: The sheet name a CSV file's one sheet goes by.
CSV_SHEET = ""

Sheets = dict[str, list[list[str]]]

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def _fail(display: str, row: int | None, column: str | None, message: str) -> ValidationError:
    return ValidationError(Problem(display, row, column, message))


def _checked(rows: list[list[str]], display: str, sheet: str) -> list[list[str]]:
    """Trailing empty rows and cells dropped; the header and every cell checked."""
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    where = f"sheet {sheet!r}: " if sheet else ""
    if not rows:
        raise _fail(display, None, None, f"{where}the table is empty")
    head = rows[0]
    while head and not head[-1].strip():
        head.pop()
    for index, name in enumerate(head, start=1):
        if not name.strip():
            raise _fail(display, 1, f"column {index}", f"{where}the header cell is empty")
        if name != name.strip():
            raise _fail(display, 1, name, f"{where}a header has spaces around it")
    seen: set[str] = set()
    for name in head:
        if name in seen:
            raise _fail(display, 1, name, f"{where}the column name is repeated")
        seen.add(name)
    for number, row in enumerate(rows, start=1):
        while len(row) > len(head) and not row[-1].strip():
            row.pop()
        if len(row) > len(head):
            message = f"{where}{len(row)} cells but {len(head)} columns (shifted columns?)"
            raise _fail(display, number, None, message)
        row.extend([""] * (len(head) - len(row)))
        for name, value in zip(head, row, strict=True):
            problem = text_problem(value, True) if value else None
            if problem is not None:
                raise _fail(display, number, name, f"{where}{problem}")
    return rows


def parse_csv_text(text: str, display: str) -> Sheets:
    """The one sheet of a CSV file's text."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        raise _fail(display, reader.line_num, None, f"malformed CSV: {error}") from None
    return {CSV_SHEET: _checked(rows, display, CSV_SHEET)}


def _cell_text(value: object) -> str:
    """A workbook cell as the text a reader sees (an integral float without its '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# A document type declaration (and so entity definitions) in any of the three encodings an
# XML part may use. Excel never writes one; a part that has one is refused before any XML
# parser sees it, so no entity is ever expanded.
_DTD = re.compile(
    b"|".join(
        re.escape(word.encode(encoding))
        for word in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ),
    re.IGNORECASE,
)
_CHUNK = 1 << 20


def _has_dtd(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether an XML part of the workbook declares a DTD (read in chunks: a part may be
    large, and a declaration could be padded far from the start)."""
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            if _DTD.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _read_xlsx(path: Path, display: str) -> Sheets:
    import openpyxl

    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise _fail(display, None, None, f"file is {size} bytes; at most {MAX_TABLE_BYTES}")
    unreadable = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error)
    try:
        with zipfile.ZipFile(path) as archive:
            for name in _xml_parts(archive):
                if _has_dtd(archive, name):
                    where = _sheet_titles(archive).get(name, f"its part {name}")
                    raise _fail(display, None, None, _dtd_message(where))
    except unreadable as error:
        message = f"not a readable XLSX workbook ({type(error).__name__}); save it from Excel again"
        raise _fail(display, None, None, message) from None
    try:
        # data_only: a formula's cell is the value Excel saved, which is what a reader saw.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ElementTree.ParseError as error:
        where = _broken_part(path) or "a part of it"
        raise _fail(
            display,
            None,
            None,
            f"{where} is not well-formed XML ({error}); save the workbook from Excel again",
        ) from None
    except unreadable as error:
        message = f"not a readable XLSX workbook ({type(error).__name__}); save it from Excel again"
        raise _fail(display, None, None, message) from None
    try:
        sheets: Sheets = {}
        for worksheet in workbook.worksheets:
            rows = _sheet_rows(worksheet, display)
            if any(any(c.strip() for c in row) for row in rows):
                sheets[worksheet.title] = _checked(rows, display, worksheet.title)
    finally:
        workbook.close()
    if not sheets:
        raise _fail(display, None, None, "the workbook has no rows")
    return sheets


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xml_parts(archive: zipfile.ZipFile) -> list[str]:
    return [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part -> ``sheet '企業'``, from the workbook part and its relationships (empty
    where those are missing, broken or declare a DTD)."""
    titles: dict[str, str] = {}
    wanted = ("xl/_rels/workbook.xml.rels", "xl/workbook.xml")
    try:
        if any(_has_dtd(archive, name) for name in wanted):
            return titles
        # Safe to parse: neither part declares a DTD (checked just above).
        relationships = ElementTree.fromstring(archive.read(wanted[0]))  # noqa: S314
        targets = {
            rel.get("Id"): "xl/" + str(rel.get("Target", "")).lstrip("/").removeprefix("xl/")
            for rel in relationships
            if rel.tag == f"{_RELATIONSHIPS}Relationship"
        }
        workbook = ElementTree.fromstring(archive.read(wanted[1]))  # noqa: S314
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_OFFICE}id"))
            if target:
                titles[target] = f"sheet {sheet.get('name')!r}"
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, zlib.error):
        pass
    return titles


def _broken_part(path: Path) -> str | None:
    """The first XML part of a workbook that does not parse, named as a reader knows it
    (``sheet '企業'``) where it is a sheet. Only called once every part has been checked to
    declare no DTD, so parsing them expands no entity."""
    with zipfile.ZipFile(path) as archive:
        for name in _xml_parts(archive):
            try:
                ElementTree.fromstring(archive.read(name))  # noqa: S314 - no DTD (see above)
            except ElementTree.ParseError:
                return _sheet_titles(archive).get(name, f"its part {name}")
    return None


def _dtd_message(where: str) -> str:
    return (
        f"{where} declares a DTD (<!DOCTYPE or <!ENTITY), which Excel never writes; "
        "refusing to read it (save the workbook from Excel again)"
    )


def _sheet_rows(worksheet: Any, display: str) -> list[list[str]]:
    """A sheet's rows as cell texts; a sheet part that is not well-formed XML is refused
    naming the file and the sheet (every part was checked for a DTD before)."""
    where = f"sheet {worksheet.title!r}"
    try:
        return [[_cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as error:
        raise _fail(
            display,
            None,
            None,
            f"{where} is not well-formed XML ({type(error).__name__}: {error}); "
            "save the workbook from Excel again",
        ) from None


def read_table(path: Path, display: str) -> Sheets:
    """The sheets of a CSV (UTF-8) or XLSX file."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, display)
    return parse_csv_text(read_text(path, display, MAX_TABLE_BYTES), display)


def sheet_name(sheets: Sheets, sheet: str | None) -> str | None:
    """The sheet a citation means: the named one, or the only one; None if there is none."""
    if sheet is None:
        return next(iter(sheets)) if len(sheets) == 1 else None
    return sheet if sheet in sheets else None


def header(sheets: Sheets, sheet: str | None) -> list[str]:
    name = sheet_name(sheets, sheet)
    return sheets[name][0] if name is not None else []


def cell(sheets: Sheets, sheet: str | None, row: int, column: str) -> str | None:
    """The text of a cell (row as the spreadsheet numbers it), or None if there is none."""
    name = sheet_name(sheets, sheet)
    if name is None:
        return None
    rows = sheets[name]
    if not 2 <= row <= len(rows) or column not in rows[0]:
        return None
    return rows[row - 1][rows[0].index(column)]


def _line_of(row: list[str]) -> str:
    return "\t".join(" ".join(c.split()) if ("\t" in c or "\n" in c) else c for c in row)


def table_text(sheets: Sheets) -> str:
    """The rows as tab-separated lines, sheet after sheet (names are matched in it)."""
    return "\n".join(_line_of(row) for rows in sheets.values() for row in rows)


def row_line(sheets: Sheets, sheet: str | None, row: int) -> int:
    """The line of :func:`table_text` that holds a row."""
    offset = 0
    name = sheet_name(sheets, sheet)
    for key, rows in sheets.items():
        if key == name:
            return offset + row
        offset += len(rows)
    return row


def cell_number(text: str) -> float | None:
    """A cell's number (``1,234`` and ``12.5`` too), or None if it is not one.

    >>> cell_number("12,000"), cell_number("45"), cell_number("約45")
    (12000.0, 45.0, None)
    """
    stripped = text.strip()
    return float(stripped.replace(",", "")) if _NUMBER.match(stripped) else None
