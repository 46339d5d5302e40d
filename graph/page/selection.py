"""Which part of the knowledge base a page shows: ego view, sector and type filters.

The centre of an ego view is named as people write it; :func:`resolve_actor` looks it up
through the one name layer (:mod:`biocluster_kg.kernel.names`) and reports a name it
cannot resolve as the page's :class:`~biocluster_kg.kernel.errors.RenderError`, with the
name layer's message (the suggestions for an unknown name, the candidates for an
ambiguous one).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from biocluster_kg.kernel import names
from biocluster_kg.kernel.errors import NameLookupError, RenderError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA, SECTORS
from biocluster_kg.kernel.sectors import effective_sectors

__all__ = ["Subgraph", "resolve_actor", "select_subgraph", "check_choices"]


def resolve_actor(kb: KnowledgeBase, name: str) -> str:
    """The id of the node called ``name``: by id, Japanese or English name, or alias
    (:func:`biocluster_kg.kernel.names.resolve_actor`: NFKC, case, width, spaces and
    nakaguro ignored; an id match wins; otherwise exactly one node must carry the name).

    Raises
    ------
    RenderError
        If no node, or more than one, is called ``name``.

    >>> from biocluster_kg.kernel.model import Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "慶應義塾大学先端生命科学研究所",
    ...     "name_en": "Keio IAB", "aliases": ["慶應先端研"]}))
    >>> resolve_actor(kb, "keio iab"), resolve_actor(kb, "慶應先端研")
    ('org:iab', 'org:iab')
    >>> resolve_actor(kb, "山形大学")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.RenderError: no node is called '山形大学' (by id, name or alias)
    """
    try:
        return names.resolve_actor(kb, name)
    except NameLookupError as error:
        raise RenderError(str(error)) from error


def check_choices(values: Iterable[str] | None, allowed: tuple[str, ...], what: str) -> set[str]:
    chosen = set(values or ())
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise RenderError(
            f"unknown {what} {', '.join(map(repr, unknown))}; expected one of {', '.join(allowed)}"
        )
    return chosen


@dataclass(frozen=True)
class Subgraph:
    """The node and relationship ids a page shows, and the ego centre if any."""

    nodes: frozenset[str]
    relationships: frozenset[str]
    center: str | None = None


def select_subgraph(
    kb: KnowledgeBase,
    *,
    around: str | None = None,
    depth: int = 1,
    sectors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> Subgraph:
    """The part of the knowledge base a page shows.

    ``types`` keeps only those relationship types (and drops nodes left without one);
    ``around`` keeps the nodes within ``depth`` steps of that node, either direction,
    over the kept relationships; ``sectors`` keeps nodes of those sectors plus the
    sector-less nodes (programmes, projects, bodies) next to them. The centre always stays.

    >>> from biocluster_kg.kernel.model import Node, Relationship
    >>> kb = KnowledgeBase()
    >>> for i, sector in enumerate(["academia", "industry", "industry"]):
    ...     kb.add_node(Node(f"org:{i}", "Organization", {"name_ja": f"組織{i}",
    ...         "sector": sector}))
    >>> kb.add_relationship(Relationship("r1", "COORDINATES_WITH", "org:0", "org:1", {}))
    >>> kb.add_relationship(Relationship("r2", "COORDINATES_WITH", "org:1", "org:2", {}))
    >>> sorted(select_subgraph(kb, around="組織0", depth=1).nodes)
    ['org:0', 'org:1']
    >>> sorted(select_subgraph(kb, sectors=["industry"]).relationships)
    ['r2']
    """
    chosen_types = check_choices(types, SCHEMA.types, "relationship type")
    chosen_sectors = check_choices(sectors, SECTORS, "sector")
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise RenderError(f"depth must be a whole number of steps, 0 or more, not {depth!r}")

    relationships = [
        rel
        for rel in kb.relationships.values()
        if (not chosen_types or rel.type in chosen_types)
        and rel.start in kb.nodes
        and rel.end in kb.nodes
    ]
    nodes = set(kb.nodes)
    center = resolve_actor(kb, around) if around is not None else None

    if center is not None:
        neighbours: dict[str, set[str]] = defaultdict(set)
        for rel in relationships:
            neighbours[rel.start].add(rel.end)
            neighbours[rel.end].add(rel.start)
        reached = {center: 0}
        queue = deque([center])
        while queue:
            current = queue.popleft()
            if reached[current] == depth:
                continue
            for other in neighbours[current]:
                if other not in reached:
                    reached[other] = reached[current] + 1
                    queue.append(other)
        nodes = set(reached)

    if chosen_sectors:
        sector_of = effective_sectors(kb)
        kept = {n for n in nodes if sector_of[n] in chosen_sectors}
        for rel in relationships:
            if rel.start in kept and rel.end in nodes and sector_of[rel.end] is None:
                kept.add(rel.end)
            if rel.end in kept and rel.start in nodes and sector_of[rel.start] is None:
                kept.add(rel.start)
        if center is not None:
            kept.add(center)
        nodes = kept

    kept_relationships = {r.id for r in relationships if r.start in nodes and r.end in nodes}
    if chosen_types:
        touched = {center} if center is not None else set()
        for rel_id in kept_relationships:
            rel = kb.relationships[rel_id]
            touched.update((rel.start, rel.end))
        nodes &= touched
    return Subgraph(frozenset(nodes), frozenset(kept_relationships), center)
