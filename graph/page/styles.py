"""How the page encodes the schema: colour = sector, shape = label, line = relationship type.

The colours, shapes and line styles are the schema's (:data:`SECTOR_STYLE`,
:attr:`~biocluster_kg.kernel.schema.NodeLabel.shape`,
:attr:`~biocluster_kg.kernel.schema.RelationshipType.color`); this module turns them into
vis-network groups and edge styles and into the legend's entries.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.page.ties import DERIVED
from biocluster_kg.kernel.schema import SCHEMA, SECTOR_STYLE, SECTORS

if TYPE_CHECKING:
    from biocluster_kg.graph.page.cards import PageBuilder
    from biocluster_kg.graph.page.views import PageView

__all__ = [
    "NO_SECTOR",
    "NO_SECTOR_COLOR",
    "SHAPE_SVG",
    "darker",
    "text_on",
    "sector_color",
    "group_key",
    "group_style",
    "edge_styles",
    "legend",
]

#: The sector key of nodes that have no sector (programmes, projects, most bodies, ...).
NO_SECTOR = "none"
#: Their colour.
NO_SECTOR_COLOR = "#B9C4CF"
#: The line of a derived tie (:mod:`~biocluster_kg.graph.page.ties`): grey and dotted, so it
#: never passes for a relationship the source states.
DERIVED_COLOR = "#8C96A0"
DERIVED_DASHES = [2, 5]


def darker(color: str, factor: float = 0.7) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(round(c * factor) for c in (red, green, blue)))


def text_on(color: str) -> str:
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111111" if luminance > 0.45 else "#FFFFFF"


def sector_color(key: str) -> str:
    """The colour of a sector key (:data:`NO_SECTOR` and unknown keys: grey-blue)."""
    return SECTOR_STYLE[key]["color"] if key in SECTOR_STYLE else NO_SECTOR_COLOR


def group_key(sector: str, label: str) -> str:
    """The vis-network group of the nodes of one sector and label."""
    return f"{sector}/{label}"


def group_style(sector: str, label: str) -> dict[str, Any]:
    """The vis-network group style of one sector and label."""
    shape = SCHEMA.node(label).shape if SCHEMA.has_label(label) else "dot"
    color = sector_color(sector)
    style: dict[str, Any] = {
        "shape": shape,
        "color": {
            "background": color,
            "border": darker(color),
            "highlight": {"background": color, "border": "#111111"},
            "hover": {"background": color, "border": "#111111"},
        },
    }
    if shape in ("box", "ellipse", "circle", "database"):
        style["font"] = {"color": text_on(color), "strokeWidth": 0}
    elif shape == "text":
        style["font"] = {"color": darker(color, 0.55)}
    return style


def edge_styles(builder: PageBuilder, big: bool) -> dict[str, dict[str, Any]]:
    """Per relationship type: colour, dashes and label (the page applies them to edges)."""
    styles = {}
    for rel_type in SCHEMA.relationships:
        styles[rel_type.name] = {
            "color": {
                "color": rel_type.color,
                "highlight": darker(rel_type.color, 0.6),
                "hover": darker(rel_type.color, 0.8),
            },
            "dashes": rel_type.dashes and not big,
            "label": builder.type_name(rel_type.name),
        }
    styles[DERIVED] = {
        "color": {
            "color": DERIVED_COLOR,
            "highlight": darker(DERIVED_COLOR, 0.6),
            "hover": darker(DERIVED_COLOR, 0.8),
        },
        "dashes": DERIVED_DASHES if not big else False,
        "label": builder.texts["shared_type"],
    }
    return styles


SHAPE_SVG = {
    "dot": '<circle cx="9" cy="9" r="6"/>',
    "diamond": '<polygon points="9,2 16,9 9,16 2,9"/>',
    "box": '<rect x="2" y="4" width="14" height="10" rx="2"/>',
    "ellipse": '<ellipse cx="9" cy="9" rx="8" ry="5"/>',
    "hexagon": '<polygon points="5,3 13,3 17,9 13,15 5,15 1,9"/>',
    "square": '<rect x="3" y="3" width="12" height="12"/>',
    "triangle": '<polygon points="9,2 16,15 2,15"/>',
    "star": '<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7"/>',
    "triangleDown": '<polygon points="2,3 16,3 9,16"/>',
    "text": '<text x="1" y="14" font-size="12" stroke="none" fill="#333">Aa</text>',
}


def legend(builder: PageBuilder, view: PageView) -> dict[str, Any]:
    kb, subgraph = builder.kb, builder.subgraph
    sector_counts = Counter(builder.sector_key(n) for n in subgraph.nodes)
    label_counts = Counter(kb.nodes[n].label for n in subgraph.nodes)
    type_counts = Counter(kb.relationships[r].type for r in subgraph.relationships)
    sectors = [
        {
            "key": key,
            "name": builder.sector_name(key),
            "color": sector_color(key),
            "count": sector_counts[key],
        }
        for key in (*SECTORS, NO_SECTOR)
        if sector_counts[key]
    ]
    shapes = [
        {
            "name": builder.label_name(label.name),
            "count": label_counts[label.name],
            "svg": SHAPE_SVG.get(label.shape, SHAPE_SVG["dot"]),
        }
        for label in SCHEMA.nodes
        if label_counts[label.name]
    ]
    types = [
        {
            "key": rel.name,
            "name": builder.type_name(rel.name),
            "color": rel.color,
            "dashes": rel.dashes,
            "count": type_counts[rel.name],
        }
        for rel in SCHEMA.relationships
        if type_counts[rel.name]
    ]
    derived = sum(1 for edge in view.edges if edge.get("derived"))
    if derived:
        types.append(
            {
                "key": DERIVED,
                "name": builder.texts["shared_type"],
                "color": DERIVED_COLOR,
                "dashes": True,
                "count": derived,
            }
        )
    years: set[int] = set()
    if view.mode == "full":
        for item in (*view.nodes, *view.edges):
            years.update(year for year in item.get("years") or () if year is not None)
    return {"sectors": sectors, "shapes": shapes, "types": types, "years": sorted(years)}
