"""Formatting rows for the terminal, for spreadsheets and for scripts."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

# Re-exported: the width rule lives in the kernel, where charts use it too.
from biocluster_kg.kernel.names import display_width

__all__ = ["render", "display_width"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


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


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], output_format: str) -> str:
    """Rows as an aligned text table, CSV (UTF-8) or a JSON list of objects.

    JSON is always valid JSON: a NaN or infinite number (``0.0/0.0``) is ``null``.

    >>> print(render(["a", "b"], [[1, "慶應"]], "table"))
    a  b
    -  ----
    1  慶應
    >>> render(["a"], [[None]], "json")
    '[\\n  {\\n    "a": null\\n  }\\n]'
    """
    if output_format == "json":
        records = [dict(zip(columns, [_finite(v) for v in row], strict=True)) for row in rows]
        # allow_nan=False: NaN and Infinity are not JSON, and every JSON reader but Python's
        # refuses them; _finite has made them null, so this only guards the guarantee.
        return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [display_width(c) for c in columns]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        padded = [v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True)]
        return "  ".join(padded).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)
