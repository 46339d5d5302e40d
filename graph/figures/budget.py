"""The budget as a treemap: each piece's area is its amount, pieces grouped by section.

The picture divides the budget at the top of the tree (the cluster profile's
``budget_root``) into the pieces :func:`~.data.budget_leaves` gives, so the areas add up to
the stated total; a piece too small to hold its name carries only its key number, and the
table beside the map lists every piece with its amount in 千円 and its share.

>>> [tuple(round(v, 3) for v in box) for box in squarify([6, 3, 1], 0, 0, 2, 1)]
[(0, 0, 1.2, 1.0), (1.2, 0, 0.8, 0.75), (1.2, 0.75, 0.8, 0.25)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biocluster_kg.graph.figures.canvas import drawing, figure_bytes, quiet, wrap
from biocluster_kg.graph.figures.data import BudgetLine, budget_leaves, budget_lines
from biocluster_kg.graph.figures.fonts import figure_font
from biocluster_kg.kernel.errors import RenderError

if TYPE_CHECKING:
    from matplotlib.patches import Rectangle

    from biocluster_kg.graph.figures.canvas import Progress
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["budget_figure", "squarify"]

Box = tuple[float, float, float, float]

#: One colour per top-level section (Okabe-Ito, colour-blind safe); pieces of a section share it.
SECTION_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#0072B2")


def _worst(row: list[float], side: float) -> float:
    total = sum(row)
    return max(
        max(side * side * v / (total * total), total * total / (side * side * v)) for v in row
    )


def squarify(values: list[float], x: float, y: float, width: float, height: float) -> list[Box]:
    """Boxes ``(x, y, width, height)`` for ``values`` (largest first) tiling the rectangle,
    with areas proportional to the values and aspect ratios near 1 (Bruls, Huizing and van
    Wijk's squarified treemap)."""
    total = sum(values)
    if total <= 0 or not values:
        return [(x, y, 0.0, 0.0) for _ in values]
    scaled = [v * width * height / total for v in values]
    boxes: list[Box] = []
    start = 0
    while start < len(scaled):
        side = min(width, height)
        row = [scaled[start]]
        end = start + 1
        while end < len(scaled) and _worst(row + [scaled[end]], side) <= _worst(row, side):
            row.append(scaled[end])
            end += 1
        area = sum(row)
        if width >= height:
            # A column along the left edge.
            column = area / height
            offset = y
            for value in row:
                boxes.append((x, offset, column, value / column))
                offset += value / column
            x, width = x + column, width - column
        else:
            band = area / width
            offset = x
            for value in row:
                boxes.append((offset, y, value / band, band))
                offset += value / band
            y, height = y + band, height - band
        start = end
    return boxes


def _section_of(line: BudgetLine, lines: dict[str, BudgetLine]) -> BudgetLine:
    current = line
    while current.parent is not None and lines[current.parent].parent is not None:
        current = lines[current.parent]
    return current


def budget_figure(
    kb: KnowledgeBase,
    root_id: str,
    *,
    lang: str = "ja",
    file_format: str = "svg",
    title: str | None = None,
    progress: Progress = quiet,
) -> bytes:
    """The treemap of the budget ``root_id`` as ``svg``, ``png`` or ``pdf`` bytes.

    Raises
    ------
    RenderError
        If ``root_id`` is no programme, nothing under it states an amount, or no font draws
        ``lang`` (see :func:`~.fonts.figure_font`).
    """
    font = figure_font(lang, for_pdf=file_format == "pdf")
    lines = budget_lines(kb, root_id)
    by_id = {line.id: line for line in lines}
    leaves = [leaf for leaf in budget_leaves(lines) if leaf.total]
    if not leaves:
        raise RenderError(f"no line of the budget {root_id!r} states an amount")
    progress("budget layout")
    root = lines[0]
    total = sum(leaf.total or 0 for leaf in leaves)
    sections = list(dict.fromkeys(_section_of(leaf, by_id).id for leaf in leaves))
    colour = {s: SECTION_COLOURS[i % len(SECTION_COLOURS)] for i, s in enumerate(sections)}
    # Largest first, as squarify wants; ties by the source's order (stable sort).
    ordered = sorted(leaves, key=lambda leaf: -(leaf.total or 0))
    boxes = squarify([float(leaf.total or 0) for leaf in ordered], 0.0, 0.0, 1.6, 1.0)
    key = {leaf.id: number for number, leaf in enumerate(leaves, start=1)}
    stated = root.stated if root.stated is not None else root.total
    with drawing(font) as new:
        figure = new(11.7, 5.6)
        grid = figure.add_gridspec(1, 2, width_ratios=[1.6, 1.25])
        axes = figure.add_subplot(grid[0])
        axes.set_xlim(0, 1.6)
        axes.set_ylim(1.0, 0)
        axes.set_axis_off()
        axes.set_aspect("equal")
        for leaf, (x, y, width, height) in zip(ordered, boxes, strict=True):
            section = _section_of(leaf, by_id).id
            axes.add_patch(
                _rectangle(x, y, width, height, colour[section]),
            )
            share = (leaf.total or 0) / total
            name = f"{leaf.number} {leaf.name(lang)}" if leaf.number else leaf.name(lang)
            amount = f"{leaf.total:,} 千円" if lang == "ja" else f"{leaf.total:,}"
            if width > 0.35 and height > 0.2:
                label = f"[{key[leaf.id]}] {wrap(name, int(width * 40))}\n{amount}（{share:.1%}）"
                if lang != "ja":
                    label = (
                        f"[{key[leaf.id]}] {wrap(name, int(width * 50))}\n{amount} ({share:.1%})"
                    )
                axes.text(x + 0.02, y + 0.04, label, va="top", ha="left", fontsize=10)
            elif width > 0.03 and height > 0.03:
                axes.text(
                    x + width / 2,
                    y + height / 2,
                    str(key[leaf.id]),
                    ha="center",
                    va="center",
                    fontsize=8 if min(width, height) > 0.05 else 6,
                )
        from matplotlib.patches import Patch

        axes.legend(
            handles=[
                Patch(
                    color=colour[section],
                    label=wrap(f"{by_id[section].number or ''} {by_id[section].name(lang)}", 70),
                )
                for section in sections
            ],
            loc="upper left",
            bbox_to_anchor=(0, 0),
            fontsize=8,
            frameon=False,
        )
        table = figure.add_subplot(grid[1])
        table.set_axis_off()
        unit = "千円" if lang == "ja" else "thousand yen"
        rows = []
        for leaf in leaves:
            in_section = _section_of(leaf, by_id)
            name = f"{leaf.number} {leaf.name(lang)}" if leaf.number else leaf.name(lang)
            rows.append(
                [
                    str(key[leaf.id]),
                    wrap(f"{in_section.number or ''} {name}".strip(), 34 if lang == "ja" else 40),
                    f"{leaf.total:,}",
                    f"{(leaf.total or 0) / total:.1%}",
                ]
            )
        rows.append(["", "合計" if lang == "ja" else "Total", f"{total:,}", "100.0%"])
        header = ["", "事業" if lang == "ja" else "Line", unit, "割合" if lang == "ja" else "share"]
        drawn = table.table(
            cellText=rows,
            colLabels=header,
            colWidths=[0.07, 0.63, 0.18, 0.12],
            loc="upper center",
            cellLoc="left",
        )
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(8)
        for (row, column), cell in drawn.get_celld().items():
            cell.set_linewidth(0.3)
            text_lines = rows[row - 1][1].count("\n") + 1 if row else 1
            cell.set_height(0.045 * text_lines)
            if column >= 2:
                cell.get_text().set_horizontalalignment("right")
            if row and column == 0 and row <= len(leaves):
                cell.set_facecolor(colour[_section_of(leaves[row - 1], by_id).id])
        heading = title or root.name(lang)
        if lang == "ja":
            heading = f"{heading}（予算額 {stated:,} 千円）"
        else:
            heading = f"{heading} (budget {stated:,} thousand yen)"
        figure.suptitle(heading, fontsize=13)
        progress("budget drawing")
        return figure_bytes(figure, file_format)


def _rectangle(x: float, y: float, width: float, height: float, colour: str) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), width, height, facecolor=colour, edgecolor="white", linewidth=1.5)
