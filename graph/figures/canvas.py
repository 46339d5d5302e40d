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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from biocluster_kg.graph.figures.fonts import FigureFont
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.names import display_width, wrap_text

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


# Text widths and wrapping are the kernel's (one rule for terminals, charts and figures).
text_width = display_width
wrap = wrap_text
