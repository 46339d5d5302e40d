"""The actor network as a print-ready picture: whole, around one actor, or by sector.

Drawn from the actor tie graph (:func:`biocluster_kg.graph.tie_graph.tie_graph`: actors only,
two actors tied when a relationship or a shared function, programme or project joins them),
so a printed page shows who works with whom, not the programmes and budget lines. Colour is
the sector (the schema's ``SECTOR_STYLE``), size the number of ties; the legend names the
sectors in the figure's language with their actor counts. The layout is a spring layout
with a fixed seed, so the same data gives the same picture.

A large network keeps every node but labels only the best-connected ones (the caption says
how many), since thousands of names on one page are ink, not information.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from biocluster_kg.graph.figures.canvas import drawing, figure_bytes, quiet
from biocluster_kg.graph.figures.fonts import figure_font
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.schema import SECTOR_STYLE, SECTORS

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from biocluster_kg.graph.figures.canvas import Progress
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["LABEL_ALL_UP_TO", "LAYOUT_SEED", "network_figure"]

#: The seed of the spring layout: fixed, so that a figure is the same every time.
LAYOUT_SEED = 2013
#: Up to this many actors every one is named; beyond, only :data:`LABELLED` of them.
LABEL_ALL_UP_TO = 90
LABELLED = 40
#: Up to this many tied actors the spring layout places them (networkx's dense layout, no
#: scipy); beyond, a sector-wedge layout that is linear in the number of actors.
SPRING_UP_TO = 499


def _name(data: dict[str, object], lang: str, node: str) -> str:
    value = data.get("name_ja") if lang == "ja" else data.get("name_en")
    return str(value or data.get("name_ja") or node)


def _actor_graph(
    kb: KnowledgeBase, profile: ClusterProfile | None, around: str | None, depth: int
) -> tuple[nx.Graph, str | None]:
    import networkx as nx

    from biocluster_kg.graph.tie_graph import DEFAULT_TIES, tie_graph
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.names import nodes_called

    # No profile means no cluster (never the shipped workspace's): no company marks,
    # which this figure does not draw anyway.
    no_cluster = ClusterProfile()
    graph = tie_graph(kb, DEFAULT_TIES, profile=profile if profile is not None else no_cluster)
    if around is None:
        return graph, None
    matches = [node for node in nodes_called(kb, around) if node in graph]
    if not matches:
        raise RenderError(f"no actor is called {around!r} (by id, name or alias)")
    if len(matches) > 1:
        raise RenderError(
            f"{around!r} names {len(matches)} actors ({', '.join(matches[:8])}); give an id"
        )
    if depth < 0:
        raise RenderError(f"depth must be 0 or more, got {depth}")
    return nx.ego_graph(graph, matches[0], radius=depth), matches[0]


def _layout(graph: nx.Graph, progress: Progress) -> dict[str, tuple[float, float]]:
    import networkx as nx

    progress("network layout")
    connected = graph.subgraph(n for n in graph if graph.degree(n) > 0)
    positions: dict[str, tuple[float, float]] = {}
    if connected.number_of_nodes() > SPRING_UP_TO:
        return _sector_layout(graph)
    if connected.number_of_nodes():
        k = 3.0 / math.sqrt(connected.number_of_nodes())
        laid = nx.spring_layout(connected, seed=LAYOUT_SEED, iterations=50, k=k)
        positions = {node: (float(x), float(y)) for node, (x, y) in laid.items()}
    # Actors without ties would be flung to the edges by the spring layout and shrink the
    # rest: they stand in a row beneath it instead.
    alone = sorted(n for n in graph if graph.degree(n) == 0)
    if alone:
        bottom = min((y for _, y in positions.values()), default=0.0) - 0.25
        per_row = max(1, math.ceil(math.sqrt(len(alone) * 4)))
        for index, node in enumerate(alone):
            row, column = divmod(index, per_row)
            x = -1.0 + 2.0 * (column + 0.5) / per_row if len(alone) > 1 else 0.0
            positions[node] = (x, bottom - 0.12 * row)
    return positions


def _sector_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """One wedge of a disc per sector, sized by its actors; in each, the best-connected
    actors nearest the centre on a sunflower spiral (Vogel's), so no two points coincide."""
    by_sector: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        by_sector.setdefault(data["sector"], []).append(node)
    total = graph.number_of_nodes()
    positions: dict[str, tuple[float, float]] = {}
    start = 0.0
    golden = math.pi * (3 - math.sqrt(5))
    for sector in [s for s in SECTORS if s in by_sector]:
        members = sorted(by_sector[sector], key=lambda n: (-graph.degree(n), n))
        span = 2 * math.pi * len(members) / total
        for index, node in enumerate(members):
            radius = math.sqrt((index + 0.5) / len(members))
            # The spiral's angle folded into the wedge, leaving a small gap between wedges.
            fraction = (index * golden / (2 * math.pi)) % 1.0
            angle = start + span * (0.04 + 0.92 * fraction)
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
        start += span
    return positions


def network_figure(
    kb: KnowledgeBase,
    *,
    profile: ClusterProfile | None = None,
    around: str | None = None,
    depth: int = 1,
    by_sector: bool = False,
    lang: str = "ja",
    file_format: str = "svg",
    title: str | None = None,
    progress: Progress = quiet,
) -> bytes:
    """The actor network as ``svg``, ``png`` or ``pdf`` bytes.

    ``around`` (an id, name or alias) draws the actors within ``depth`` ties of that actor;
    ``by_sector`` draws one circle per sector, sized by its actors, with lines as thick as
    the ties between two sectors.

    Raises
    ------
    RenderError
        If ``around`` names no actor or several, there are no actors, or no font draws
        ``lang``.
    """
    font = figure_font(lang, for_pdf=file_format == "pdf")
    progress("actor graph")
    graph, centre = _actor_graph(kb, profile, around, depth)
    if graph.number_of_nodes() == 0:
        raise RenderError("the knowledge base has no actors to draw")
    with drawing(font) as new:
        figure = new(11.7, 8.3)
        axes = figure.add_subplot()
        axes.set_axis_off()
        if by_sector:
            caption = _draw_sectors(axes, graph, lang)
        else:
            caption = _draw_actors(axes, graph, centre, lang, progress)
        counts: dict[str, int] = {}
        for _, data in graph.nodes(data=True):
            counts[data["sector"]] = counts.get(data["sector"], 0) + 1
        _legend(axes, counts, lang)
        if title is None:
            if centre is not None:
                name = _name(graph.nodes[centre], lang, centre)
                title = (
                    f"{name}を中心とする協働ネットワーク（{depth}段階まで）"
                    if lang == "ja"
                    else f"Collaboration network around {name} (up to {depth} "
                    f"{'step' if depth == 1 else 'steps'})"
                )
            elif by_sector:
                title = "セクター間の協働" if lang == "ja" else "Ties between sectors"
            else:
                title = "協働ネットワーク" if lang == "ja" else "Collaboration network"
        figure.suptitle(title, fontsize=13)
        figure.text(0.01, 0.005, caption, fontsize=8, ha="left", va="bottom")
        progress("drawing")
        return figure_bytes(figure, file_format)


def _legend(axes: Axes, counts: dict[str, int], lang: str) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            markerfacecolor=SECTOR_STYLE[sector]["color"],
            markeredgecolor="white",
            label=f"{SECTOR_STYLE[sector][lang]}（{counts[sector]}）"
            if lang == "ja"
            else f"{SECTOR_STYLE[sector][lang]} ({counts[sector]})",
        )
        for sector in SECTORS
        if counts.get(sector)
    ]
    axes.legend(
        handles=handles,
        title="セクター（主体数）" if lang == "ja" else "Sector (actors)",
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=9,
        frameon=False,
    )


def _draw_actors(
    axes: Axes, graph: nx.Graph, centre: str | None, lang: str, progress: Progress
) -> str:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    positions = _layout(graph, progress)
    nodes = sorted(graph.nodes)
    degree = dict(graph.degree())
    edges = sorted(graph.edges)
    # Every tie in one path: one SVG/PDF element instead of one per tie, which takes a
    # 150k-tie cluster's save from minutes to seconds.
    vertices = [positions[end] for edge in edges for end in edge]
    codes = [code for _ in edges for code in (Path.MOVETO, Path.LINETO)]
    width = 0.4 if len(edges) < 2000 else 0.1
    if edges:
        axes.add_patch(
            PathPatch(
                Path(vertices, codes),
                facecolor="none",
                edgecolor="#999999",
                linewidth=width,
                alpha=0.6,
                zorder=1,
            )
        )
    biggest = max(degree.values(), default=1) or 1
    scale = 260 if len(nodes) <= LABEL_ALL_UP_TO else 120
    axes.scatter(
        [positions[n][0] for n in nodes],
        [positions[n][1] for n in nodes],
        s=[12 + scale * (degree[n] / biggest) for n in nodes],
        c=[SECTOR_STYLE[graph.nodes[n]["sector"]]["color"] for n in nodes],
        edgecolors=["black" if n == centre else "white" for n in nodes],
        linewidths=0.6,
        zorder=2,
    )
    if len(nodes) <= LABEL_ALL_UP_TO:
        named = nodes
    else:
        named = sorted(nodes, key=lambda n: (-degree[n], n))[:LABELLED]
    if centre is not None and centre not in named:
        named = [*named, centre]
    for node in named:
        x, y = positions[node]
        axes.annotate(
            _name(graph.nodes[node], lang, node),
            (x, y),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=6.5 if len(nodes) <= LABEL_ALL_UP_TO else 6,
            zorder=3,
        )
    axes.autoscale_view()
    ties = graph.number_of_edges()
    if lang == "ja":
        caption = f"主体 {len(nodes):,}、つながり {ties:,}。円の大きさはつながりの数。"
        if len(nodes) > SPRING_UP_TO:
            caption += "主体が多いため、セクター別に配置。"
        if len(named) < len(nodes):
            caption += f"名前はつながりの多い {len(named)} 主体のみ表示。"
        return caption
    caption = f"{len(nodes):,} actors, {ties:,} ties. Circle size: number of ties."
    if len(nodes) > SPRING_UP_TO:
        caption += " Too many to lay out by ties: actors grouped by sector."
    if len(named) < len(nodes):
        caption += f" Names shown for the {len(named)} best-connected actors."
    return caption


def _draw_sectors(axes: Axes, graph: nx.Graph, lang: str) -> str:
    sectors = [s for s in SECTORS if any(d["sector"] == s for _, d in graph.nodes(data=True))]
    members = {s: sum(1 for _, d in graph.nodes(data=True) if d["sector"] == s) for s in sectors}
    between: dict[tuple[str, str], int] = {}
    for a, b in graph.edges:
        pair = tuple(
            sorted((graph.nodes[a]["sector"], graph.nodes[b]["sector"]), key=SECTORS.index)
        )
        between[pair] = between.get(pair, 0) + 1
    # Sectors on a circle in the schema's order: no layout to vary.
    place = {
        s: (
            math.cos(math.pi / 2 - 2 * math.pi * i / len(sectors)),
            math.sin(math.pi / 2 - 2 * math.pi * i / len(sectors)),
        )
        for i, s in enumerate(sectors)
    }
    heaviest = max((n for (a, b), n in between.items() if a != b), default=1)
    for (a, b), ties in sorted(between.items()):
        if a == b:
            continue
        (x1, y1), (x2, y2) = place[a], place[b]
        axes.plot(
            [x1, x2],
            [y1, y2],
            color="#888888",
            linewidth=0.5 + 8 * ties / heaviest,
            alpha=0.6,
            zorder=1,
        )
        axes.text(
            (x1 + x2) / 2,
            (y1 + y2) / 2,
            f"{ties:,}",
            fontsize=8,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "none"},
        )
    largest = max(members.values())
    for s in sectors:
        x, y = place[s]
        axes.scatter(
            [x],
            [y],
            s=400 + 3600 * members[s] / largest,
            color=SECTOR_STYLE[s]["color"],
            edgecolors="white",
            zorder=2,
        )
        inside = between.get((s, s), 0)
        label = (
            f"{SECTOR_STYLE[s][lang]}\n{members[s]:,} 主体\n内部 {inside:,}"
            if lang == "ja"
            else f"{SECTOR_STYLE[s][lang]}\n{members[s]:,} actors\n{inside:,} inside"
        )
        axes.text(x, y, label, ha="center", va="center", fontsize=9, zorder=4)
    axes.set_xlim(-1.5, 1.5)
    axes.set_ylim(-1.4, 1.4)
    axes.set_aspect("equal")
    if lang == "ja":
        return "円の大きさは主体数、線の太さと数字はセクター間のつながりの数。"
    return "Circle size: actors in the sector. Line width and number: ties between sectors."
