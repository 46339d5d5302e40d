"""One rule for an actor's effective sector, used by analysis, the page, exports and queries.

An actor's sector is its own; failing that, that of the nearest thing it belongs to: what a
position is a post of, what a unit is part of (the schema's ``post_of`` and ``part_of``
relationship meanings), followed upwards breadth-first so the nearest ancestor with a sector
wins; an actor with none anywhere above it is ``"other"``. Nodes that are not actors
(programmes, functions, figures, ...) keep their own sector or none.

>>> sectors = inherited_sectors(
...     {"org:p": ("Organization", "government"), "body:c": ("Body", None),
...      "pos:g": ("Position", None), "prog:x": ("Program", None)},
...     [("pos:g", "org:p", "POSITION_IN")])
>>> sectors
{'body:c': 'other', 'org:p': 'government', 'pos:g': 'government', 'prog:x': None}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["NO_SECTOR", "effective_sectors", "inherited_sectors"]

#: The sector of an actor that has none of its own and none above it.
NO_SECTOR = "other"


def inherited_sectors(
    nodes: Mapping[str, tuple[str, str | None]], edges: Iterable[tuple[str, str, str]]
) -> dict[str, str | None]:
    """Effective sectors from ``{id: (label, own sector)}`` and ``(start, end, type)`` edges."""
    upward = set(SCHEMA.types_meaning("post_of")) | set(SCHEMA.types_meaning("part_of"))
    actors = set(SCHEMA.actor_labels)
    parents: dict[str, list[str]] = {}
    for start, end, type_ in edges:
        if type_ in upward and end in nodes:
            parents.setdefault(start, []).append(end)

    def lookup(node_id: str) -> str | None:
        seen = {node_id}
        frontier = [node_id]
        while frontier:
            following = []
            for current in frontier:
                sector = nodes[current][1]
                if sector:
                    return sector
                for parent in sorted(parents.get(current, ())):
                    if parent not in seen:
                        seen.add(parent)
                        following.append(parent)
            frontier = following
        return None

    result: dict[str, str | None] = {}
    for node_id in sorted(nodes):
        label, own = nodes[node_id]
        if label in actors:
            result[node_id] = lookup(node_id) or NO_SECTOR
        else:
            result[node_id] = own or None
    return result


def effective_sectors(kb: KnowledgeBase) -> dict[str, str | None]:
    """The effective sector of every node of ``kb`` (see the module docstring)."""
    return inherited_sectors(
        {node.id: (node.label, node.get("sector")) for node in kb.nodes.values()},
        ((rel.start, rel.end, rel.type) for rel in kb.relationships.values()),
    )
