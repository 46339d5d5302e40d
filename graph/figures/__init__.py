"""Print-ready figures of the knowledge base: the actor network, the budget, the year charts.

``figure_bytes_for(kind, kb, ...)`` draws one of :data:`FIGURE_KINDS` as SVG, PNG or PDF
bytes. Each figure is in Japanese (the default) or English with a font that really holds the
glyphs and, in PDF, is embedded (:mod:`.fonts`); the same data gives the same bytes
(:mod:`.canvas`). The rows drawn come from :mod:`.data`, which the report's tables share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.figures.canvas import FORMATS, Progress, quiet
from biocluster_kg.kernel.errors import RenderError

if TYPE_CHECKING:
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["FIGURE_KINDS", "FORMATS", "Progress", "figure_bytes_for", "format_of"]

#: The figures ``biocluster figure`` draws.
FIGURE_KINDS: tuple[str, ...] = ("network", "budget", "education")


def format_of(path: str) -> str:
    """The figure format a file name asks for, by its extension.

    >>> format_of("out/budget.PDF")
    'pdf'
    >>> format_of("budget.jpg")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.RenderError: cannot tell the figure format of 'budget.jpg': \
end the file name in .svg, .png or .pdf
    """
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in FORMATS:
        raise RenderError(
            f"cannot tell the figure format of {path!r}: end the file name in .svg, .png or .pdf"
        )
    return suffix


def figure_bytes_for(
    kind: str,
    kb: KnowledgeBase,
    *,
    profile: ClusterProfile | None = None,
    lang: str = "ja",
    file_format: str = "svg",
    progress: Progress = quiet,
    **options: Any,
) -> bytes:
    """Draw the figure ``kind`` (network, budget or education).

    ``options``: for ``network``, ``around``, ``depth`` and ``by_sector`` (see
    :func:`.network.network_figure`); ``budget`` draws the profile's ``budget_root``.

    Raises
    ------
    RenderError
        If ``kind`` is unknown, an option does not apply to it, or the figure cannot be
        drawn (no budget, no actors, no font for ``lang``).
    """
    from biocluster_kg.graph.figures.budget import budget_figure
    from biocluster_kg.graph.figures.education import education_figure
    from biocluster_kg.graph.figures.network import network_figure

    if kind not in FIGURE_KINDS:
        raise RenderError(f"unknown figure {kind!r}; expected one of {', '.join(FIGURE_KINDS)}")
    given = sorted(name for name, value in options.items() if value not in (None, False))
    if kind != "network" and given:
        raise RenderError(f"{', '.join(given)} only apply to the network figure, not {kind}")
    if kind == "network":
        return network_figure(
            kb,
            profile=profile,
            lang=lang,
            file_format=file_format,
            progress=progress,
            **{name: value for name, value in options.items() if value is not None},
        )
    if kind == "budget":
        root = profile.budget_root if profile is not None else None
        if not root:
            raise RenderError("the cluster profile names no budget_root (cluster.yaml)")
        return budget_figure(kb, root, lang=lang, file_format=file_format, progress=progress)
    return education_figure(kb, lang=lang, file_format=file_format, progress=progress)
