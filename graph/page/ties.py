"""The ties the page draws between actors that share something: one rule with the figure.

A planner asks "who is tied to whom". Many actors are tied only through something they share
(a project, a programme, an event, a function), and on a page that opens on the actors those
things are hidden, so their actors would be drawn alone. The page therefore draws the
*derived* ties of :func:`biocluster_kg.graph.tie_graph.tie_graph`, the one definition of a
tie that ``biocluster figure network`` and the brokerage measures use too, computed over
exactly the nodes and relationships the page shows. A derived tie is not a fact: it is drawn
as its own kind of line, and its card names what the two actors share and cites each fact it
rests on (the relationships joining each of them to the shared thing).

An actor that ties to no other actor (only to records, or to a programme nobody else shares)
keeps the things it is joined to on the first view (``anchors``), so it is never a lone dot.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> for node_id, label in [("org:a", "Organization"), ("org:b", "Organization"),
...                        ("proj:x", "Project")]:
...     kb.add_node(Node(node_id, label, {"name_ja": node_id}))
>>> kb.add_relationship(Relationship("r1", "PARTICIPATES_IN", "org:a", "proj:x", {}))
>>> kb.add_relationship(Relationship("r2", "PARTICIPATES_IN", "org:b", "proj:x", {}))
>>> ties, anchors = shared_ties(
...     kb, frozenset(kb.nodes), frozenset(kb.relationships), profile=ClusterProfile()
... )
>>> [(t.start, t.end, t.mediators, t.facts) for t in ties], anchors
([('org:a', 'org:b', ('proj:x',), ('r1', 'r2'))], set())
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DERIVED", "SharedTie", "actor_ties", "shared_ties"]

#: The page's type key of a derived tie (not a relationship type of the schema).
DERIVED = "SHARED"


@dataclass(frozen=True)
class SharedTie:
    """Two actors tied through what they share, the shared nodes and the facts behind it."""

    start: str
    end: str
    mediators: tuple[str, ...]
    facts: tuple[str, ...]


def _shown_graph(kb: KnowledgeBase, nodes: Set[str], relationships: Set[str]) -> nx.MultiDiGraph:
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node_id in sorted(nodes):
        node = kb.nodes[node_id]
        graph.add_node(node_id, label=node.label, **node.properties)
    for rel_id in sorted(relationships):
        rel = kb.relationships[rel_id]
        graph.add_edge(rel.start, rel.end, key=rel.id, type=rel.type)
    return graph


def actor_ties(
    kb: KnowledgeBase,
    nodes: Set[str],
    relationships: Set[str],
    *,
    profile: ClusterProfile,
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Every tie between the shown actors, by :func:`~biocluster_kg.graph.tie_graph.tie_graph`
    over the shown part: sorted actor pair -> the shared (non-actor) nodes behind it."""
    from biocluster_kg.graph.tie_graph import tie_graph

    graph = tie_graph(_shown_graph(kb, nodes, relationships), profile=profile)
    ties: dict[tuple[str, str], tuple[str, ...]] = {}
    for a, b, data in graph.edges(data=True):
        pair = (a, b) if a < b else (b, a)
        ties[pair] = tuple(data["mediators"])
    return ties


def shared_ties(
    kb: KnowledgeBase,
    nodes: Set[str],
    relationships: Set[str],
    *,
    profile: ClusterProfile,
) -> tuple[list[SharedTie], set[str]]:
    """The derived ties the page draws, and the non-actor nodes its first view keeps.

    A pair of actors already joined by a relationship on the page gets no second line. The
    anchors are the non-actor neighbours of actors that have no tie at all.
    """
    actors = {n for n in nodes if kb.nodes[n].label in SCHEMA.actor_labels}
    direct: set[tuple[str, str]] = set()
    joins: dict[tuple[str, str], list[str]] = defaultdict(list)
    touched: dict[str, set[str]] = defaultdict(set)
    for rel_id in sorted(relationships):
        rel = kb.relationships[rel_id]
        if rel.start in actors and rel.end in actors:
            direct.add((rel.start, rel.end) if rel.start < rel.end else (rel.end, rel.start))
        elif rel.start in actors or rel.end in actors:
            actor, other = (rel.start, rel.end) if rel.start in actors else (rel.end, rel.start)
            joins[(actor, other)].append(rel.id)
            touched[actor].add(other)
    ties = []
    tied: set[str] = set()
    for (a, b), mediators in sorted(actor_ties(kb, nodes, relationships, profile=profile).items()):
        tied.update((a, b))
        if (a, b) in direct or not mediators:
            continue
        facts = sorted({fact for m in mediators for fact in (*joins[(a, m)], *joins[(b, m)])})
        ties.append(SharedTie(a, b, mediators, tuple(facts)))
    for a, b in direct:
        tied.update((a, b))
    anchors = {other for actor in actors - tied for other in touched[actor]}
    return ties, anchors
