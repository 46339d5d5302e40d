"""Charts of the analysis and the budget, as matplotlib figures a notebook shows as PNG.

Charts label actors in Japanese with the figures' font (:func:`find_cjk_font`: an installed
Japanese font, else the IPAexGothic that comes with a dependency) and in English if there is
none, so every machine draws every chart.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from biocluster_kg.graph.figures.fonts import CJK_FONTS, cjk_font
from biocluster_kg.kernel.errors import BioclusterError
from biocluster_kg.kernel.names import display_width, wrap_text
from biocluster_kg.kernel.schema import SECTOR_STYLE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from biocluster_kg.graph.brokerage import BrokerageAnalysis
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "CJK_FONT_CANDIDATES",
    "Chart",
    "chart_language",
    "find_cjk_font",
    "plot_budget",
    "plot_top_bridges",
]

_NOT_STATED = "(not stated)"

#: Fonts that draw Japanese, most preferred first: the figures' list (one list, one rule).
CJK_FONT_CANDIDATES: tuple[str, ...] = CJK_FONTS


def find_cjk_font(candidates: Iterable[str] | None = None) -> str | None:
    """The Japanese font a chart is drawn with, or None.

    ``None`` asks the figures' rule (:func:`~biocluster_kg.graph.figures.fonts.cjk_font`):
    the first installed Japanese font, else the IPAexGothic that comes with the
    ``japanize-matplotlib`` dependency. Named ``candidates`` are looked for only among the
    installed fonts.

    >>> find_cjk_font(["No Such Font"]) is None
    True
    """
    if candidates is None:
        found = cjk_font()
    else:
        found = cjk_font(candidates=tuple(candidates), bundled=False)
    return found[0] if found else None


def chart_language(
    lang: Literal["auto", "ja", "en"] = "auto",
    candidates: Iterable[str] | None = None,
) -> tuple[str, str | None]:
    """The language to label a chart in and the CJK font to draw it with.

    ``auto`` is Japanese when a CJK font is found (:func:`find_cjk_font`), else English.
    Japanese without such a font falls back to English with a warning instead of drawing
    empty boxes.

    >>> chart_language("en")
    ('en', None)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     chart_language("ja", candidates=["No Such Font"])
    ('en', None)
    """
    if lang not in ("auto", "ja", "en"):
        raise BioclusterError(f"unknown chart language {lang!r}; expected auto, ja or en")
    if lang == "en":
        return "en", None
    font = find_cjk_font(candidates)
    if font is None:
        if lang == "ja":
            warnings.warn(
                "no font that draws Japanese is installed (pip install japanize-matplotlib, "
                "or Debian's fonts-ipaexfont-gothic): labelling the chart in English",
                stacklevel=2,
            )
        return "en", None
    return "ja", font


def _wrap(text: str, columns: int = 36) -> str:
    """``text`` broken into lines of at most ``columns`` display columns (CJK counts two).

    >>> print(_wrap("Support for the institute's education and research", 24))
    Support for the
    institute's education
    and research
    >>> _wrap("慶應先端研の教育研究活動への支援", 16).splitlines()[0]
    '慶應先端研の教育'
    """
    return wrap_text(text, columns)


class Chart:
    """A matplotlib figure that a notebook shows as a PNG image whatever the backend.

    The figure is not registered with ``pyplot``, so re-running a cell leaves nothing open;
    ``chart.figure`` is there to adjust or save (``chart.figure.savefig("bridges.png")``).
    """

    def __init__(self, figure: Figure, dpi: int = 100) -> None:
        self.figure = figure
        self.dpi = dpi

    def __repr__(self) -> str:
        width, height = self.figure.get_size_inches()
        return f"<Chart {width:.0f}x{height:.0f} in, {len(self.figure.axes)} axes>"

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()


def _join_lines(pieces: list[str], columns: int) -> str:
    """``pieces`` joined by spaces, starting a new line where one would pass ``columns``.

    >>> pieces = ["7,081", "→ バイオクラスター形成促進事業", "（庄内地域産業振興センター）"]
    >>> print(_join_lines(pieces, 40))
    7,081 → バイオクラスター形成促進事業
    （庄内地域産業振興センター）
    """
    lines = [pieces[0]] if pieces else [""]
    for piece in pieces[1:]:
        candidate = f"{lines[-1]} {piece}"
        if display_width(candidate) > columns:
            lines.append(piece)
        else:
            lines[-1] = candidate
    return "\n".join(lines)


def _font_family(font: str | None) -> list[str]:
    return [font, "DejaVu Sans"] if font else ["DejaVu Sans"]


def plot_top_bridges(
    analysis: BrokerageAnalysis,
    top: int = 10,
    *,
    measure: Literal["bridge_score", "betweenness"] = "bridge_score",
    lang: Literal["auto", "ja", "en"] = "auto",
    font_candidates: Iterable[str] | None = None,
) -> Chart:
    """A horizontal bar chart of the actors with the highest ``measure``, coloured by sector.

    Only actors with a positive value are drawn (at most ``top``), best at the top; each
    bar carries its value and, for the bridge score, the number of companies bridged.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    if measure not in ("bridge_score", "betweenness"):
        raise BioclusterError(f"unknown measure {measure!r}; expected bridge_score or betweenness")
    language, font = chart_language(lang, font_candidates)
    family = _font_family(font)
    actors = sorted(
        (actor for actor in analysis.actors.values() if getattr(actor, measure) > 0),
        key=lambda actor: (-getattr(actor, measure), actor.id),
    )[:top]
    figure = Figure(figsize=(9, 0.45 * max(len(actors), 2) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    names = [actor.name_ja if language == "ja" else actor.name_en for actor in actors]
    values = [getattr(actor, measure) for actor in actors]
    colours = [SECTOR_STYLE[actor.sector]["color"] for actor in actors]
    positions = list(range(len(actors)))[::-1]
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, labels=names, fontfamily=family)
    for position, actor, value in zip(positions, actors, values, strict=True):
        text = f"{value:.2f}"
        if measure == "bridge_score":
            unit = (
                "社"
                if language == "ja"
                else (" company" if len(actor.companies) == 1 else " companies")
            )
            text += f"  ({len(actor.companies)}{unit})"
        axes.text(value, position, " " + text, va="center", fontsize=9, fontfamily=family)
    limit = max(values, default=1.0)
    axes.set_xlim(0, limit * 1.3 if limit > 0 else 1)
    if measure == "bridge_score":
        title = (
            "企業と慶應先端研の橋渡し（ブリッジスコア）"
            if language == "ja"
            else "Who bridges companies to the institute (bridge score)"
        )
        xlabel = (
            "企業から先端研への最短経路のうち、その主体を通る割合（企業平均）"
            if language == "ja"
            else "share of the companies' shortest routes to the institute through the actor"
        )
    else:
        title = "媒介中心性（主体間）" if language == "ja" else "Betweenness between all actors"
        xlabel = "正規化した媒介中心性" if language == "ja" else "normalised betweenness"
    axes.set_title(title, fontfamily=family)
    axes.set_xlabel(xlabel, fontfamily=family)
    sectors = sorted({actor.sector for actor in actors}, key=list(SECTOR_STYLE).index)
    handles = [
        Patch(color=SECTOR_STYLE[sector]["color"], label=SECTOR_STYLE[sector][language])
        for sector in sectors
    ]
    if handles:
        axes.legend(handles=handles, loc="lower right", prop={"family": family})
    if not actors:
        empty = "該当なし" if language == "ja" else "no actor has a positive value"
        axes.text(0.5, 0.5, empty, ha="center", transform=axes.transAxes, fontfamily=family)
    return Chart(figure)


def plot_budget(
    kb: KnowledgeBase,
    root_id: str | None = None,
    *,
    lang: Literal["auto", "ja", "en"] = "auto",
    font_candidates: Iterable[str] | None = None,
    profile: ClusterProfile | None = None,
) -> Chart:
    """The budget's lines two ways (outline and by programme), coloured by beneficiary.

    Bars are on a logarithmic scale, since one line is a thousand times another; each bar
    is labelled with its amount in 千円 and, where the knowledge base says, the programme
    it pays for and who carries it out. Each panel's title gives its total beside the
    budget's stated total. The root is ``root_id``, else ``profile``'s ``budget_root``
    (``profile`` None means no cluster, never the shipped workspace's: name the root).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    language, font = chart_language(lang, font_candidates)
    family = _font_family(font)
    text_lang: Literal["ja", "en"] = "ja" if language == "ja" else "en"
    from biocluster_kg.graph.budget import budget_root, funding_flows

    root_id = budget_root(root_id, profile)
    if root_id not in kb.nodes:
        raise BioclusterError(f"no budget line {root_id!r} in the knowledge base")
    stated_total = kb.nodes[root_id].get("amount_thousand_yen")
    stated_text = "—" if stated_total is None else f"{stated_total:,}"
    views: tuple[Literal["outline", "programme"], ...] = ("outline", "programme")
    flows = {view: funding_flows(kb, root_id, view=view, lang=text_lang) for view in views}
    unknown = "記載なし" if language == "ja" else _NOT_STATED
    beneficiaries = sorted(
        {str(value) or unknown for table in flows.values() for value in table["supports"]},
        key=lambda name: (name == unknown, name),
    )
    palette = ["#009E73", "#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00"]
    colour = {
        name: ("#bbbbbb" if name == unknown else palette[position % len(palette)])
        for position, name in enumerate(beneficiaries)
    }
    heights = [len(flows[view]) for view in views]
    figure = Figure(figsize=(12, 0.62 * sum(heights) + 3.0), layout="constrained")
    grid = figure.add_gridspec(len(views), 1, height_ratios=[max(h, 1) for h in heights])
    titles = {
        "outline": ("事業体系（番号付きの各事業）", "Outline (numbered lines)"),
        "programme": ("事業別（事業費・内訳の記載）", "By programme (named totals, breakdowns)"),
    }
    for row, view in enumerate(views):
        axes = figure.add_subplot(grid[row])
        records = flows[view].to_dict("records")
        positions = list(range(len(records)))[::-1]
        amounts = [int(record["amount_thousand_yen"]) for record in records]
        colours = [colour[str(record["supports"]) or unknown] for record in records]
        axes.barh(positions, amounts, color=colours)
        labels = [
            _wrap(f"{record['section']}-{record['number']} {record['line']}".replace("- ", " "), 44)
            for record in records
        ]
        axes.set_yticks(positions, labels=labels, fontfamily=family, fontsize=9)
        axes.set_xscale("log")
        axes.set_xlim(100, max(amounts, default=1000) * 120)
        for position, record in zip(positions, records, strict=True):
            pieces = [f"{int(record['amount_thousand_yen']):,}"]
            if record["pays_for"]:
                pieces.append(f"→ {record['pays_for']}")
                if record["carried_out_by"]:
                    by = record["carried_out_by"]
                    pieces.append(f"（{by}）" if language == "ja" else f"({by})")
            if record["funded_by"]:
                lead = "／財源: " if language == "ja" else "; funded by "
                pieces.append(f"{lead}{record['funded_by']}")
            axes.text(
                record["amount_thousand_yen"] * 1.15,
                position,
                _join_lines(pieces, 60),
                va="center",
                fontsize=8,
                fontfamily=family,
            )
        title_ja, title_en = titles[view]
        total = sum(amounts)
        if language == "ja":
            title = f"{title_ja}：合計 {total:,} 千円（予算額 {stated_text} 千円）"
        else:
            title = f"{title_en}: total {total:,} (budget {stated_text}), thousand yen"
        axes.set_title(title, fontfamily=family, loc="left", fontsize=10)
        axes.set_xlabel(
            "千円（対数目盛）" if language == "ja" else "thousand yen (log scale)",
            fontfamily=family,
        )
    handles = [Patch(color=colour[name], label=name) for name in beneficiaries]
    legend_title = "支援の対象" if language == "ja" else "supports"
    figure.legend(
        handles=handles,
        title=legend_title,
        loc="outside lower center",
        ncols=2,
        prop={"family": family},
        title_fontproperties={"family": family},
    )
    return Chart(figure)
