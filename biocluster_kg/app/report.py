"""Use cases for pictures and the printable profile: ``biocluster figure`` and ``report``.

Each reads the workspace through the same gate as ``biocluster check`` (a knowledge base the
check refuses is refused here too: a report must not print facts its source does not carry),
then draws or renders and writes one file. ``progress`` is told each step by name, so a
terminal can show how far a long render is; it defaults to saying nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from biocluster_kg.graph.figures import Progress, figure_bytes_for, format_of
from biocluster_kg.graph.figures.canvas import quiet
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.files import atomic_write

if TYPE_CHECKING:
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["FIGURE_STEPS", "REPORT_STEPS", "checked_workspace", "write_figure", "write_report"]

#: Steps a figure and a report tell ``progress``, for a progress bar's length.
FIGURE_STEPS = 4
REPORT_STEPS = 9


def checked_workspace(data_dir: Path | None) -> tuple[KnowledgeBase, ClusterProfile]:
    """The knowledge base and cluster profile of ``data_dir``, through the one gate: refused
    with the very error ``check``, ``load`` and ``viz`` give for the same data."""
    from biocluster_kg.kernel.cluster import load_cluster_profile
    from biocluster_kg.loaders.check import checked

    report = checked(data_dir)
    return report.kb, load_cluster_profile(data_dir)


def _write(output: Path, content: bytes) -> Path:
    # A reader never sees half a file: the finished one replaces any old one at once.
    return atomic_write(output, content, error=RenderError)


def write_figure(
    kind: str,
    output: Path,
    *,
    data_dir: Path | None = None,
    lang: str = "ja",
    around: str | None = None,
    depth: int | None = None,
    by_sector: bool = False,
    kb: KnowledgeBase | None = None,
    profile: ClusterProfile | None = None,
    progress: Progress = quiet,
) -> Path:
    """Draw the figure ``kind`` and write it to ``output`` (.svg, .png or .pdf); its path."""
    file_format = format_of(str(output))
    progress("reading the data")
    if kb is None or profile is None:
        kb, profile = checked_workspace(data_dir)
    if depth is not None and around is None:
        raise RenderError("depth needs around (the actor to centre on)")
    content = figure_bytes_for(
        kind,
        kb,
        profile=profile,
        lang=lang,
        file_format=file_format,
        progress=progress,
        around=around,
        depth=depth if around is not None else None,
        by_sector=by_sector,
    )
    return _write(output, content)


def write_report(
    output: Path,
    *,
    data_dir: Path | None = None,
    lang: str = "ja",
    kb: KnowledgeBase | None = None,
    profile: ClusterProfile | None = None,
    progress: Progress = quiet,
) -> Path:
    """Write the cluster profile as ``.html`` or, printed by headless Chromium, ``.pdf``."""
    from biocluster_kg.graph.report import print_pdf, render_report

    suffix = output.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise RenderError(
            f"cannot tell the report format of {str(output)!r}: end it in .html or .pdf"
        )
    progress("reading the data")
    if kb is None or profile is None:
        kb, profile = checked_workspace(data_dir)
    page = render_report(kb, profile, lang=lang, progress=progress)
    if suffix == ".html":
        return _write(output, page.encode("utf-8"))
    progress("printing the PDF")
    return _write(output, print_pdf(page))
