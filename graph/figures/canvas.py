"""Drawing surfaces and saving: one place for the settings that make a figure reproducible.

Every figure is a bare :class:`matplotlib.figure.Figure` (never registered with pyplot, so
nothing stays open), drawn and saved inside :func:`drawing`, which fixes what would
otherwise vary between runs or machines:

* the font (:mod:`.fonts`) and, for PDF, TrueType embedding (``pdf.fonttype`` 42: the
  glyphs used are embedded as a subset, so the file shows Japanese on any machine);
* SVG text as paths (no font needed to view it) and a fixed ``svg.hashsalt``, so the ids
  matplotlib generates are the same every time;
* no creation date in PDF and SVG metadata, no software line in PNG.

>>> import io
>>> from biocluster_kg.graph.figures.fonts import figure_font
>>> with drawing(figure_font("en")) as new:
...     figure = new(2, 1)
...     _ = figure.text(0.5, 0.5, "A")
...     first = figure_bytes(figure, "svg")
...     second = figure_bytes(figure, "svg")
>>> first == second, b"<text" in first
(True, False)
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from biocluster_kg.graph.figures.fonts import FigureFont
from biocluster_kg.kernel.errors import RenderError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "Progress", "drawing", "figure_bytes", "quiet", "text_width", "wrap"]

#: The file formats a figure is written in.
FORMATS: tuple[str, ...] = ("svg", "png", "pdf")

#: Told the name of each step of a long render, for a progress display.
Progress = Callable[[str], None]

_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": "biocluster"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "biocluster", "Producer": None},
    "png": {"Software": None},
}
_PNG_DPI = 200


def quiet(step: str) -> None:
    """The progress callback that shows nothing."""


@contextmanager
def drawing(font: FigureFont) -> Iterator[Callable[[float, float], Figure]]:
    """Settings for drawing and saving with ``font``; yields a maker of new figures (inches)."""
    import matplotlib
    from matplotlib.figure import Figure

    settings = {
        "font.family": list(font.family),
        "svg.fonttype": "path",
        "svg.hashsalt": "biocluster",
        "pdf.fonttype": 42,
        "axes.unicode_minus": False,
        "figure.dpi": 100,
        # Agg refuses one path of 100k+ segments (all ties of a large cluster) unless chunked.
        "agg.path.chunksize": 10000,
    }

    def new(width: float, height: float) -> Figure:
        return Figure(figsize=(width, height), layout="constrained")

    # matplotlib types the keys as a Literal of every rc name; these are all real names.
    with matplotlib.rc_context(cast(Any, settings)):
        yield new


def figure_bytes(figure: Figure, file_format: str) -> bytes:
    """The figure as ``svg``, ``png`` or ``pdf`` bytes (call inside :func:`drawing`)."""
    if file_format not in FORMATS:
        raise RenderError(f"unknown figure format {file_format!r}; expected one of svg, png, pdf")
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format=file_format,
        metadata=_METADATA[file_format],
        dpi=_PNG_DPI if file_format == "png" else 100,
    )
    return buffer.getvalue()


def text_width(text: str) -> int:
    """Display columns: wide (CJK) characters count two.

    >>> text_width("IAB"), text_width("先端研")
    (3, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> str:
    """``text`` in lines of at most ``columns`` display columns; Latin text breaks at spaces,
    Japanese (which has none) between characters.

    >>> print(wrap("慶應先端研の教育研究活動への支援", 16))
    慶應先端研の教育
    研究活動への支援
    >>> print(wrap("Support for the institute", 12))
    Support for
    the
    institute
    """
    latin = text_width(text) == len(text)
    tokens = text.split(" ") if latin else list(text)
    joiner = " " if latin else ""
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if current and text_width(candidate) > columns:
            lines.append(current)
            current = token
        else:
            current = candidate
    lines.append(current)
    return "\n".join(lines)
