"""The education figures and the events' attendance by fiscal year, as bar charts.

One panel per kind of count (education figures in 名, event attendance in 名, participating
schools in 校), so that 150 conference participants do not flatten six research students;
years are written as the documents write them (平成23年度, via :mod:`biocluster_kg.kernel.fiscal`),
every bar carries its number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biocluster_kg.graph.figures.canvas import drawing, figure_bytes, quiet, wrap
from biocluster_kg.graph.figures.data import Series, year_series
from biocluster_kg.graph.figures.fonts import figure_font
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.fiscal import era_label, era_short

if TYPE_CHECKING:
    from biocluster_kg.graph.figures.canvas import Progress
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["education_figure", "year_label"]

_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
_PANEL_TITLES = {
    ("figure", "名"): ("人材育成の実績（名）", "Education (people)"),
    ("event", "名"): ("イベントの参加者数（名）", "Event participants (people)"),
    ("event", "校"): ("イベントの参加校数（校）", "Participating schools"),
}


def year_label(year: int, lang: str) -> str:
    """A fiscal year on an axis: ``平成25年度`` over ``(2013)`` in Japanese, ``FY2013`` over
    ``(H25)`` in English.

    >>> year_label(2019, "ja"), year_label(2013, "en")
    ('令和元年度\\n(2019)', 'FY2013\\n(H25)')
    """
    if lang == "ja":
        return f"{era_label(year)}\n({year})"
    return f"FY{year}\n({era_short(year)})"


def _panels(series: list[Series]) -> dict[tuple[str, str], list[Series]]:
    panels: dict[tuple[str, str], list[Series]] = {}
    for one in series:
        panels.setdefault((one.group, one.unit_ja), []).append(one)
    return panels


def education_figure(
    kb: KnowledgeBase,
    *,
    lang: str = "ja",
    file_format: str = "svg",
    title: str | None = None,
    progress: Progress = quiet,
) -> bytes:
    """The year charts as ``svg``, ``png`` or ``pdf`` bytes.

    Raises
    ------
    RenderError
        If the knowledge base has no education figure or event count with a fiscal year,
        or no font draws ``lang``.
    """
    font = figure_font(lang, for_pdf=file_format == "pdf")
    series = year_series(kb)
    if not series:
        raise RenderError("the knowledge base has no education figures or event counts by year")
    panels = _panels(series)
    progress("year charts")
    with drawing(font) as new:
        figure = new(11.7, 4.6)
        grid = figure.add_gridspec(
            1,
            len(panels),
            width_ratios=[
                max(len({y for s in group for y in s.values}), 1) * len(group) + 1
                for group in panels.values()
            ],
        )
        for column, (key, group) in enumerate(panels.items()):
            axes = figure.add_subplot(grid[column])
            years = sorted({year for one in group for year in one.values})
            width = 0.8 / len(group)
            for index, one in enumerate(group):
                positions = [years.index(year) - 0.4 + width * (index + 0.5) for year in one.values]
                bars = axes.bar(
                    positions,
                    list(one.values.values()),
                    width=width,
                    color=_COLOURS[index % len(_COLOURS)],
                    label=wrap(one.name(lang), 26 if lang == "ja" else 30),
                )
                axes.bar_label(bars, fontsize=8, padding=2)
            axes.set_xticks(range(len(years)), [year_label(year, lang) for year in years])
            axes.tick_params(axis="x", labelsize=8)
            axes.margins(y=0.15)
            axes.spines[["top", "right"]].set_visible(False)
            ja, en = _PANEL_TITLES.get(key, (f"{key[1]}", f"{key[1]}"))
            axes.set_title(ja if lang == "ja" else en, fontsize=10, loc="left")
            axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
        if title is None:
            title = "人材育成とイベントの実績" if lang == "ja" else "Education and events by year"
        figure.suptitle(title, fontsize=13)
        return figure_bytes(figure, file_format)
