"""Read the spreadsheet form (``NAME.nodes.csv`` + ``NAME.relationships.csv``) into raw
records, typed by the schema, for the same validation as the curated YAML files.

Columns are those of :mod:`biocluster_kg.kernel.tabular`; a column the schema does not know is an
error, and so is a row with more or fewer cells than the header (shifted columns). Numbers may
be written with thousands separators (``380,067``).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from biocluster_kg.kernel.errors import Problem, ValidationError
from biocluster_kg.kernel.tabular import LIST_SEPARATOR, node_columns, relationship_columns
from biocluster_kg.loaders.yaml_records import RawRecord, read_text

__all__ = ["read_tabular_pair", "parse_table"]

_INTEGER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$|^[+-]?\d+$")


def _typed(prop_type: str, text: str) -> Any:
    """Spreadsheet text as the property's type; returns the text unchanged if it is not
    of that type, so validation reports it with its place."""
    if prop_type == "int":
        return int(text.replace(",", "")) if _INTEGER.match(text) else text
    if prop_type == "float":
        try:
            return float(text)
        except ValueError:
            return text
    if prop_type == "bool":
        return {"true": True, "false": False}.get(text.lower(), text)
    if prop_type == "string[]":
        return [item.strip() for item in text.split(LIST_SEPARATOR)]
    return text


def parse_table(text: str, display: str, kind: str) -> list[RawRecord]:
    """Parse one CSV table (``kind`` is 'node' or 'relationship')."""
    reserved = ["id", "label"] if kind == "node" else ["id", "type", "from", "to"]
    props = node_columns() if kind == "node" else relationship_columns()
    types = {p.name: p.type for p in props}
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except StopIteration:
        raise ValidationError(Problem(display, None, None, "the file is empty")) from None
    except csv.Error as error:
        raise ValidationError(Problem(display, 1, None, f"malformed CSV: {error}")) from None
    header = [h.strip() for h in header]
    for name in header:
        if name not in reserved and name not in types:
            raise ValidationError(Problem(display, 1, name, "unknown column"))
    if len(set(header)) != len(header):
        raise ValidationError(Problem(display, 1, None, "a column name is repeated"))
    for name in reserved:
        if name not in header:
            raise ValidationError(Problem(display, 1, name, "missing column"))
    records: list[RawRecord] = []
    line = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            raise ValidationError(
                Problem(display, rows.line_num, None, f"malformed CSV: {error}")
            ) from None
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ValidationError(
                Problem(
                    display,
                    line,
                    None,
                    f"{len(row)} cells but {len(header)} columns (shifted columns?)",
                )
            )
        fields: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=True):
            if cell == "":
                continue
            fields[name] = cell if name in reserved else _typed(types[name], cell)
        records.append(RawRecord(kind, fields, display, line, dict.fromkeys(fields, line)))
    return records


def read_tabular_pair(directory: Path, stem: str) -> list[RawRecord]:
    """Records from ``stem.nodes.csv`` and, if present, ``stem.relationships.csv``."""
    records: list[RawRecord] = []
    for suffix, kind in ((".nodes.csv", "node"), (".relationships.csv", "relationship")):
        path = directory / f"{stem}{suffix}"
        if not path.exists():
            continue
        display = f"{directory.name}/{path.name}"
        records.extend(parse_table(read_text(path, display), display, kind))
    return records
