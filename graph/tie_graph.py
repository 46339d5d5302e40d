"""The actor tie graph: who is tied to whom, and through what.

The knowledge graph mixes *actors* (organisations, anonymous groups, bodies and positions)
with the things they do together (functions, programmes, projects, events, outcomes and
figures). Network measures of brokerage are defined on actors, so :func:`tie_graph` turns the
knowledge graph into an undirected simple graph of actors:

* **Which relationships count** is chosen by tie kind (``RelationshipType.tie`` in
  :mod:`biocluster_kg.kernel.schema`). The default, :data:`DEFAULT_TIES`, keeps membership,
  coordination, joint research, funding and structure, and leaves out ``record``: ``PRODUCED`` and
  ``MEASURES`` write down results and counts after the fact, so two organisations credited
  with one outcome, or two schools counted by one figure, have no channel between them on
  that account. Structure (``PART_OF``) is kept because a department or an office reaches the
  cluster through its parent organisation; without it a prefecture's divisions would look
  like isolates and the prefecture itself would vanish from every path they are on.
* **Non-actors are projected away, remembering the mediator.** Two actors are tied when one
  counted relationship joins them, or when both are joined by counted relationships to the
  same non-actor node (the standard one-mode projection of a two-mode network, Breiger 1974).
  Each tie keeps the tie kinds, the types of direct relationships and the mediating nodes
  behind it, so a result can say "through the function 'Surveying needs'". Chains of
  several non-actors (a programme funding a programme) are not followed: a tie needs one
  shared thing.
* **Direction is dropped.** Relationship direction here is grammatical (a member *of* a
  council, a programme *supports* a company), not a flow of information or money, so every
  tie is read as symmetric. Parallel relationships collapse into one unweighted tie: the
  source says that a tie exists, not how strong it is, and counting relationships would
  reward how finely a sentence was split into records.

Sectors (for Gould-Fernandez roles) come from the node's own ``sector``; a position takes
the sector of the organisation or body it is a post in (``POSITION_IN``), a body that of the
organisation it is part of (``PART_OF``), following the chain upwards; anything still
without one is ``"other"``.

The companies' routes to the institute are not measured on this graph:
:mod:`biocluster_kg.graph.bridging`
follows them through the knowledge graph itself, as the stores can.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> for node_id, label, sector in [("org:a", "Organization", "industry"),
...                                ("org:b", "Organization", "academia"),
...                                ("fn:x", "Function", None)]:
...     props = {"name_ja": node_id, "name_en": node_id, "kind": "company"}
...     kb.add_node(Node(node_id, label, props | ({"sector": sector} if sector else {})))
>>> kb.add_relationship(Relationship("r1", "PERFORMS", "org:a", "fn:x", {}))
>>> kb.add_relationship(Relationship("r2", "TARGETS", "fn:x", "org:b", {}))
>>> g = tie_graph(kb, profile=ClusterProfile(company_kinds={"Organization": ("company",)}))
>>> sorted(g.nodes), g.edges["org:a", "org:b"]["mediators"]
(['org:a', 'org:b'], ('fn:x',))
>>> g.edges["org:a", "org:b"]["kinds"]
('coordination',)
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any

from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.errors import AnalysisError
from biocluster_kg.kernel.schema import DEFAULT_TIE_KINDS, SCHEMA, TIE_TERMS

if TYPE_CHECKING:
    import networkx as nx

    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "ACTOR_LABELS",
    "DEFAULT_TIES",
    "TIE_KINDS",
    "actor_sectors",
    "check_knowledge_graph",
    "is_company",
    "parse_ties",
    "tie_graph",
]

#: Every tie kind the schema knows, in the order of its vocabulary (:data:`TIE_TERMS`).
TIE_KINDS: tuple[str, ...] = tuple(term.code for term in TIE_TERMS)

#: Tie kinds counted unless the caller chooses others (see the module docstring for why).
DEFAULT_TIES: tuple[str, ...] = DEFAULT_TIE_KINDS

#: Labels of the nodes that are actors (the schema's); every other label is a possible mediator.
ACTOR_LABELS: tuple[str, ...] = SCHEMA.actor_labels


def parse_ties(text: str | Iterable[str]) -> tuple[str, ...]:
    """Tie kinds from ``"membership,coordination"`` (or a list), checked against the schema.

    >>> parse_ties("funding, membership")
    ('membership', 'funding')
    >>> parse_ties("friendship")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.AnalysisError: unknown tie kind 'friendship' (choose from \
membership, coordination, joint_research, funding, structure, record)
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    chosen = {item.strip() for item in items if item.strip()}
    for item in sorted(chosen):
        if item not in TIE_KINDS:
            raise AnalysisError(f"unknown tie kind {item!r} (choose from {', '.join(TIE_KINDS)})")
    if not chosen:
        raise AnalysisError(f"no tie kinds chosen (choose from {', '.join(TIE_KINDS)})")
    return tuple(kind for kind in TIE_KINDS if kind in chosen)


def is_company(attributes: dict[str, Any], *, profile: ClusterProfile) -> bool:
    """True if a node's attributes (``label`` and ``kind``) make it a company, by the
    cluster profile's company kinds (the caller's workspace: nothing here knows which).

    >>> profile = ClusterProfile(company_kinds={"Group": ("breweries",)})
    >>> is_company({"label": "Group", "kind": "breweries"}, profile=profile)
    True
    >>> is_company({"label": "Organization", "kind": "university"}, profile=profile)
    False
    """
    return profile.is_company(str(attributes.get("label", "")), attributes.get("kind"))


def check_knowledge_graph(graph: nx.MultiDiGraph) -> None:
    """Raise :class:`AnalysisError` unless ``graph`` is a knowledge base's networkx form."""
    import networkx as nx

    if not isinstance(graph, nx.MultiDiGraph):
        raise AnalysisError(
            f"expected the knowledge base's MultiDiGraph, got {type(graph).__name__}"
        )
    for node_id, data in graph.nodes(data=True):
        if "label" not in data:
            raise AnalysisError(f"node {node_id!r} has no 'label' attribute")
    for start, end, key, data in graph.edges(keys=True, data=True):
        if not SCHEMA.has_type(data.get("type", "")):
            raise AnalysisError(
                f"relationship {key!r} ({start} -> {end}) has no schema type: {data.get('type')!r}"
            )


def actor_sectors(graph: nx.MultiDiGraph) -> dict[str, str]:
    """The effective sector of every actor, by the one rule of
    :mod:`biocluster_kg.kernel.sectors` (inherited upwards where the actor has none,
    ``"other"`` when nothing above it has one either).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("org:p", label="Organization", sector="government")
    >>> g.add_node("body:c", label="Body")
    >>> g.add_node("pos:g", label="Position")
    >>> g.add_edge("pos:g", "org:p", key="r1", type="POSITION_IN")
    'r1'
    >>> actor_sectors(g)
    {'body:c': 'other', 'org:p': 'government', 'pos:g': 'government'}
    """
    from biocluster_kg.kernel.sectors import inherited_sectors

    check_knowledge_graph(graph)
    sectors = inherited_sectors(
        {node: (data["label"], data.get("sector")) for node, data in graph.nodes(data=True)},
        ((start, end, data["type"]) for start, end, data in graph.edges(data=True)),
    )
    return {
        node_id: str(sector)
        for node_id, sector in sectors.items()
        if graph.nodes[node_id]["label"] in ACTOR_LABELS
    }


def tie_graph(
    knowledge: KnowledgeBase | nx.MultiDiGraph,
    ties: Iterable[str] = DEFAULT_TIES,
    *,
    profile: ClusterProfile,
) -> nx.Graph:
    """The undirected actor tie graph of a knowledge base (see the module docstring).

    Parameters
    ----------
    knowledge : KnowledgeBase or networkx.MultiDiGraph
        The knowledge base, or its :meth:`~biocluster_kg.kernel.model.KnowledgeBase.to_networkx`
        graph.
    ties : iterable of str
        Tie kinds whose relationship types count (default :data:`DEFAULT_TIES`).
    profile : ClusterProfile
        The cluster whose company kinds mark the ``company`` attribute (the session
        passes its workspace's; an empty ``ClusterProfile()`` marks none).

    Returns
    -------
    networkx.Graph
        Every actor (isolated ones included) with attributes ``label``, ``kind``,
        ``name_ja``, ``name_en``, ``sector`` (inherited where needed) and ``company``.
        Each edge has tuples ``kinds`` (tie kinds behind it, in schema order), ``direct``
        (types of the relationships joining the two actors directly, sorted) and
        ``mediators`` (ids of the non-actor nodes both are joined to, sorted).

    Raises
    ------
    AnalysisError
        If ``knowledge`` is not a knowledge graph or a tie kind is unknown.

    Examples
    --------
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:a", "Organization", {"kind": "company", "sector": "industry"}))
    >>> kb.add_node(Node("body:c", "Body", {"kind": "council"}))
    >>> kb.add_relationship(Relationship("m1", "MEMBER_OF", "org:a", "body:c", {}))
    >>> profile = ClusterProfile(company_kinds={"Organization": ("company",)})
    >>> g = tie_graph(kb, ties=["membership"], profile=profile)
    >>> g.nodes["org:a"]["company"], g.nodes["body:c"]["sector"]
    (True, 'other')
    >>> g.edges["org:a", "body:c"]["direct"]
    ('MEMBER_OF',)
    >>> tie_graph(kb, ties=["funding"], profile=profile).number_of_edges()
    0
    """
    import networkx as nx

    from biocluster_kg.kernel.model import KnowledgeBase

    graph = knowledge.to_networkx() if isinstance(knowledge, KnowledgeBase) else knowledge
    check_knowledge_graph(graph)
    chosen = parse_ties(list(ties))
    counted = {rel.name: rel.tie for rel in SCHEMA.relationships if rel.tie in chosen}

    sectors = actor_sectors(graph)
    result = nx.Graph()
    for node_id in sorted(sectors):
        data = graph.nodes[node_id]
        result.add_node(
            node_id,
            label=data["label"],
            kind=data.get("kind"),
            name_ja=data.get("name_ja", node_id),
            name_en=data.get("name_en", node_id),
            sector=sectors[node_id],
            company=is_company(data, profile=profile),
        )

    # Evidence per tie, kept small because a large graph projects into millions of ties:
    # the types of direct relationships, the mediators, and a bit mask of tie kinds.
    kind_bit = {kind: 1 << position for position, kind in enumerate(TIE_KINDS)}
    direct: dict[tuple[str, str], set[str]] = {}
    via: dict[tuple[str, str], list[str]] = {}
    kind_mask: dict[tuple[str, str], int] = {}

    # mediator -> actor -> bit mask of the tie kinds joining them
    incidences: dict[str, dict[str, int]] = {}
    for start, end, data in graph.edges(data=True):
        type_ = data["type"]
        if type_ not in counted:
            continue
        start_is_actor, end_is_actor = start in sectors, end in sectors
        if start_is_actor and end_is_actor:
            if start == end:
                continue
            pair = (start, end) if start < end else (end, start)
            direct.setdefault(pair, set()).add(type_)
            kind_mask[pair] = kind_mask.get(pair, 0) | kind_bit[counted[type_]]
        elif start_is_actor or end_is_actor:
            actor, mediator = (start, end) if start_is_actor else (end, start)
            actors = incidences.setdefault(mediator, {})
            actors[actor] = actors.get(actor, 0) | kind_bit[counted[type_]]

    for mediator in sorted(incidences):
        actors = incidences[mediator]
        for a, b in combinations(sorted(actors), 2):
            pair = (a, b)
            via.setdefault(pair, []).append(mediator)
            kind_mask[pair] = kind_mask.get(pair, 0) | actors[a] | actors[b]

    # One shared tuple per combination of kinds; add_edges_from is much faster than add_edge.
    kinds_of_mask = {
        mask: tuple(kind for kind in TIE_KINDS if mask & kind_bit[kind])
        for mask in set(kind_mask.values())
    }
    result.add_edges_from(
        (
            a,
            b,
            {
                "kinds": kinds_of_mask[kind_mask[(a, b)]],
                "direct": tuple(sorted(direct.get((a, b), ()))),
                "mediators": tuple(via.get((a, b), ())),
            },
        )
        for a, b in sorted(kind_mask)
    )
    return result
