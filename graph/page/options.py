"""The page's view choices: the size cap, the layout budget and vis-network's options.

Size cap. Above ``max_nodes`` nodes (default :data:`NODE_CAP`) the page shows an aggregated
view unless ``view="full"``. A full view of a large graph gets a bounded layout
(:data:`LAYOUT_BUDGET_MS`); drawings past :data:`BIG_NODES` nodes or :data:`BIG_EDGES`
edges leave out arrows, dashes and curves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from biocluster_kg.graph.page.texts import LANGUAGES
from biocluster_kg.kernel.errors import RenderError

if TYPE_CHECKING:
    from biocluster_kg.graph.page.views import PageView

__all__ = [
    "View",
    "Focus",
    "NODE_CAP",
    "LAYOUT_BUDGET_MS",
    "EDGE_LABEL_LIMIT",
    "LABEL_COLUMNS",
    "BIG_NODES",
    "BIG_EDGES",
    "FONT_STACK",
    "check_options",
    "is_big",
    "vis_options",
]

#: Above this many nodes the page aggregates (unless ``view="full"``).
NODE_CAP = 2000
#: The layout stops this long after the page's script starts, converged or not (ms).
LAYOUT_BUDGET_MS = 2500
#: Edge labels are drawn by default only up to this many edges (a toggle shows them).
EDGE_LABEL_LIMIT = 120
#: Canvas labels are cut to this many columns (a CJK character takes two); cards show all.
LABEL_COLUMNS = 30
#: Drawings past these sizes leave out arrows, dashes and curves (the costly parts).
BIG_NODES = 1500
BIG_EDGES = 3000

View = Literal["auto", "full", "aggregated"]
#: What the page shows first: the actors (a planner's view), or every kind of node. The
#: other kinds (programmes, budget lines, functions, figures, ...) are a switch away.
Focus = Literal["actors", "all"]


FONT_STACK = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
    '"Yu Gothic", "YuGothic", Meiryo, system-ui, sans-serif'
)


def check_options(
    lang: str, view: str, max_nodes: object, layout_budget_ms: object, focus: str = "actors"
) -> None:
    """Fail with a :class:`RenderError` naming the first bad view choice.

    >>> check_options("fr", "auto", 10, 0)
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.RenderError: unknown language 'fr'; expected ja or en
    """
    if lang not in LANGUAGES:
        raise RenderError(f"unknown language {lang!r}; expected ja or en")
    if view not in ("auto", "full", "aggregated"):
        raise RenderError(f"unknown view {view!r}; expected auto, full or aggregated")
    if focus not in ("actors", "all"):
        raise RenderError(f"unknown focus {focus!r}; expected actors or all")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise RenderError(f"max_nodes must be a positive whole number, not {max_nodes!r}")
    if isinstance(layout_budget_ms, bool) or not isinstance(layout_budget_ms, int):
        raise RenderError(f"layout_budget_ms must be whole milliseconds, not {layout_budget_ms!r}")


def is_big(node_count: int, edge_count: int) -> bool:
    """Whether a drawing is big enough to need the cheaper style."""
    return node_count > BIG_NODES or edge_count > BIG_EDGES


def vis_options(view: PageView) -> dict[str, Any]:
    """vis-network options: a layout that settles fast, then stops.

    Iterations shrink as the graph grows (each costs more); the page also stops the
    layout at :data:`LAYOUT_BUDGET_MS` and then turns physics off for good. Big drawings
    (see :func:`is_big`) leave out arrows, dashes and curves, which cost most per frame."""
    shown, edge_count = len(view.nodes), len(view.edges)
    aggregated = view.mode == "aggregated"
    big = is_big(shown, edge_count)
    # Long springs spread a star-shaped ego view; a whole graph packs tighter so that its
    # labels stay legible when it is fitted to the screen; big drawings skip overlap checks.
    if aggregated:
        forces = {"gravitationalConstant": -120, "centralGravity": 0.012, "springLength": 200}
    elif big:
        forces = {"gravitationalConstant": -60, "centralGravity": 0.012, "springLength": 80}
    elif shown <= 80:
        forces = {"gravitationalConstant": -110, "centralGravity": 0.012, "springLength": 130}
    else:
        forces = {"gravitationalConstant": -90, "centralGravity": 0.018, "springLength": 110}
    forces["avoidOverlap"] = 0.0 if big else 0.6
    iterations = 400 if shown <= 300 else max(50, min(400, 120_000 // max(shown, 1)))
    return {
        "autoResize": True,
        "groups": view.groups,
        "layout": {"randomSeed": 2013, "improvedLayout": shown <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {**forces, "springConstant": 0.06, "damping": 0.5},
            "maxVelocity": 80,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 5 if big else 25,
                "fit": True,
            },
        },
        "nodes": {
            "font": {
                "face": FONT_STACK,
                "size": 13,
                "color": "#1d2329",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "scaling": {
                "min": 8,
                "max": 44 if aggregated else 30,
                "label": {
                    "enabled": True,
                    "min": 11,
                    "max": 22 if aggregated else 20,
                    "maxVisible": 26,
                    "drawThreshold": 7 if big else 4,
                },
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": not big, "scaleFactor": 0.45}},
            "width": 0.6 if big else 1.2,
            "selectionWidth": 2,
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "font": {
                "face": FONT_STACK,
                "size": 10,
                "color": "#4a5560",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            "scaling": {"min": 1, "max": 8, "label": {"enabled": False}},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
            "navigationButtons": False,
        },
    }
