"""Brokerage analysis: who bridges the cluster's companies to the institute, and in what role.

Two graphs answer two kinds of question (tie kinds chosen once for both, default
:data:`~biocluster_kg.graph.tie_graph.DEFAULT_TIES`; direction ignored in both):

* **Routes** from the companies to the institute run through the knowledge graph itself, so
  a function or a project is a step on the way (:mod:`biocluster_kg.graph.bridging`). This is the
  graph the stores hold, and the library's Cypher question ``bridges_companies_to_institute``
  finds the same routes and the same figures.
* **Actor measures** are defined between actors, so they run on the actor tie graph
  (:func:`biocluster_kg.graph.tie_graph.tie_graph`), where two actors sharing a function, programme
  or project are tied.

For every actor:

``companies``
    The companies with a shortest route to the institute through the actor.
``bridge_score``
    Subset betweenness from the companies to the institute: the share of each company's
    shortest routes that pass through the actor, summed over the companies and divided by
    the number of companies with any route, so it lies in [0, 1] (0.25: a quarter of the
    companies' routes). ``dependency`` is the same sum undivided, as the Cypher question
    reports it.
``betweenness``
    Normalised shortest-path betweenness between all pairs of actors in the actor graph,
    as networkx defines it; exact, or estimated from ``sample`` sampled sources.
``degree``
    Number of actors it is tied to in the actor graph.
``constraint``, ``effective_size``
    Burt's structural-hole measures (:mod:`biocluster_kg.graph.structural_holes`); ``None`` without
    ties.
``roles``
    Gould–Fernandez brokerage counts by sector (:mod:`biocluster_kg.graph.brokerage_roles`).
``community``
    The actor's community of the actor graph, numbered from 1 by size (Louvain with a
    fixed seed, :mod:`biocluster_kg.graph.communities`).

The ranking puts the actors that carry most of the companies' routes first (dependency,
then number of companies, then id: the Cypher question's order), and the others after them
by betweenness, then those with ties of the chosen kinds before those without, by degree.
:func:`write_measures` puts the measures on the knowledge base's nodes so that the stores
hold them after a load.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> def actor(node_id, kind, sector):
...     kb.add_node(Node(node_id, "Organization",
...                      {"name_ja": node_id, "name_en": node_id, "kind": kind, "sector": sector}))
>>> actor("org:iab", "research_institute", "academia")
>>> actor("org:centre", "support_organization", "other")
>>> actor("org:maker", "company", "industry")
>>> kb.add_relationship(Relationship("r1", "COORDINATES_WITH", "org:centre", "org:iab", {}))
>>> kb.add_relationship(Relationship("r2", "GUIDES", "org:centre", "org:maker", {}))
>>> from biocluster_kg.kernel.cluster import ClusterProfile
>>> profile = ClusterProfile(institute_id="org:iab", company_kinds={"Organization": ("company",)})
>>> top = analyze_brokers(kb, profile=profile).ranking()[0]
>>> top.id, top.companies, top.bridge_score
('org:centre', ('org:maker',), 1.0)
>>> top.reason
"links 1 company (org:maker) to the institute through a direct 'guides' tie"
>>> top.reason_ja
'「指導・助言」の直接の関係を通じて企業1件（org:maker）を研究所につなぐ'
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.brokerage_roles import ROLES
from biocluster_kg.graph.tie_graph import DEFAULT_TIES, parse_ties
from biocluster_kg.kernel.errors import AnalysisError
from biocluster_kg.kernel.schema import COMPUTED_NODE_PROPERTIES, SCHEMA

if TYPE_CHECKING:
    import networkx as nx

    from biocluster_kg.graph.betweenness import SampleAgreement
    from biocluster_kg.graph.bridging import Bridges
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "has_measures",
    "measured",
    "measurement_note",
    "betweenness_sample",
    "without_measures",
    "COLUMNS",
    "ActorScores",
    "BrokerageAnalysis",
    "analyze_brokers",
    "measure_properties",
    "write_measures",
]

#: Columns of :meth:`BrokerageAnalysis.table`.
COLUMNS: tuple[str, ...] = (
    "rank",
    "id",
    "name_ja",
    "name_en",
    "sector",
    "companies",
    "bridge_score",
    "betweenness",
    "degree",
    "constraint",
    "effective_size",
    "roles",
    "reason",
)

#: How a reason names a node of each label.
_NOUNS = {
    "Organization": "organisation",
    "Group": "group",
    "Body": "body",
    "Position": "post",
    "Function": "function",
    "Program": "programme",
    "Project": "project",
    "Event": "event",
    "Outcome": "outcome",
    "Figure": "figure",
}

#: How many steps and company names a one-line reason may list before "and N more".
_REASON_STEPS = 2
_REASON_NAMES = 3

#: Decimals kept when ranking by dependency, as the Cypher question rounds it.
_DEPENDENCY_DECIMALS = 9


@dataclass(frozen=True)
class ActorScores:
    """Every measure of one actor, with a one-line reason in plain English."""

    id: str
    label: str
    name_ja: str
    name_en: str
    sector: str
    company: bool
    companies: tuple[str, ...]
    dependency: float
    bridge_score: float
    betweenness: float
    degree: int
    constraint: float | None
    effective_size: float | None
    roles: dict[str, int]
    reason: str
    #: The same reason in Japanese, for planners (``--lang ja``).
    reason_ja: str = ""
    #: Community of the actor graph (1 = largest; :mod:`biocluster_kg.graph.communities`).
    community: int | None = None

    def reason_in(self, lang: str = "ja") -> str:
        """The one-line reason in ``lang``."""
        return self.reason_ja if lang == "ja" else self.reason

    @property
    def roles_held(self) -> list[str]:
        """Roles with at least one two-path, most frequent first."""
        held = [role for role in ROLES if self.roles[role]]
        return sorted(held, key=lambda role: -self.roles[role])


@dataclass(frozen=True)
class BrokerageAnalysis:
    """The result of :func:`analyze_brokers`: the options, both graphs' findings, the scores."""

    ties: tuple[str, ...]
    sample: int | None
    graph: nx.Graph
    bridges: Bridges
    actors: dict[str, ActorScores]
    #: For sampled betweenness, how far its top 10 can be trusted (None when exact).
    agreement: SampleAgreement | None = None

    def sample_note(self, lang: str = "en") -> str | None:
        """What a reader of a sampled ranking should know, or None when it is exact."""
        return None if self.agreement is None else self.agreement.sentence(lang)

    def ranking(self, top: int | None = None) -> list[ActorScores]:
        """Actors by dependency, companies and id, then the rest by betweenness, those with
        ties before those without, degree and id."""

        def key(actor: ActorScores) -> tuple[float, int, float, bool, int, str]:
            dependency = round(actor.dependency, _DEPENDENCY_DECIMALS)
            if dependency:
                return (-dependency, -len(actor.companies), 0.0, False, 0, actor.id)
            # Among the rest, an actor with no tie of the chosen kinds never ranks above one
            # that has some, whatever their ids: betweenness, then having ties, then degree.
            return (0.0, 0, -actor.betweenness, actor.degree == 0, -actor.degree, actor.id)

        ordered = sorted(self.actors.values(), key=key)
        return ordered if top is None else ordered[:top]

    def table(self, top: int | None = None, lang: str = "en") -> list[list[Any]]:
        """The ranking as rows aligned with :data:`COLUMNS`, the reason in ``lang``."""
        return [
            [
                rank,
                actor.id,
                actor.name_ja,
                actor.name_en,
                actor.sector,
                len(actor.companies),
                actor.bridge_score,
                actor.betweenness,
                actor.degree,
                actor.constraint,
                actor.effective_size,
                actor.roles_held,
                actor.reason_in(lang),
            ]
            for rank, actor in enumerate(self.ranking(top), start=1)
        ]


def analyze_brokers(
    knowledge: KnowledgeBase | nx.MultiDiGraph,
    ties: Iterable[str] = DEFAULT_TIES,
    *,
    sample: int | None = None,
    seed: int = 0,
    institute: str | None = None,
    profile: ClusterProfile,
) -> BrokerageAnalysis:
    """Compute every brokerage measure of every actor (see the module docstring).

    Parameters
    ----------
    knowledge : KnowledgeBase or networkx.MultiDiGraph
        The knowledge base or its networkx form.
    ties : iterable of str
        Tie kinds that count (default :data:`~biocluster_kg.graph.tie_graph.DEFAULT_TIES`).
    sample : int, optional
        Estimate overall betweenness from this many sampled sources (for large graphs);
        every other measure stays exact.
    seed : int
        Seed of the sample.
    institute : str, optional
        Id of the actor the company routes lead to (default: the profile's institute).
    profile : ClusterProfile
        The cluster's anchors: its institute and company kinds (the session passes its
        workspace's).

    Returns
    -------
    BrokerageAnalysis

    Raises
    ------
    AnalysisError
        If the institute is not an actor of the knowledge base, a tie kind is unknown, or
        ``sample`` is below 2.

    Examples
    --------
    >>> from biocluster_kg.kernel.cluster import ClusterProfile
    >>> from biocluster_kg.kernel.model import KnowledgeBase
    >>> analyze_brokers(KnowledgeBase(), profile=ClusterProfile(institute_id="org:lab"))
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.AnalysisError: the institute 'org:lab' is not an actor of the \
knowledge base
    """
    from biocluster_kg.graph.betweenness import IndexedGraph, sampled_betweenness
    from biocluster_kg.graph.bridging import company_bridges
    from biocluster_kg.graph.brokerage_roles import gould_fernandez
    from biocluster_kg.graph.communities import communities
    from biocluster_kg.graph.structural_holes import structural_holes
    from biocluster_kg.graph.tie_graph import tie_graph
    from biocluster_kg.kernel.model import KnowledgeBase

    chosen = parse_ties(list(ties))
    knowledge_graph = knowledge.to_networkx() if isinstance(knowledge, KnowledgeBase) else knowledge
    institute = institute or profile.institute_id
    graph = tie_graph(knowledge_graph, chosen, profile=profile)
    if institute not in graph:
        raise AnalysisError(f"the institute {institute!r} is not an actor of the knowledge base")
    if sample is not None and sample < 2:
        raise AnalysisError(f"sample must be at least 2 sources, got {sample}")

    bridges = company_bridges(knowledge_graph, chosen, institute=institute, profile=profile)
    overall, agreement = sampled_betweenness(
        IndexedGraph.from_networkx(graph), sample=sample, seed=seed
    )
    constraints, sizes = structural_holes(graph)
    roles = gould_fernandez(graph)
    community = communities(graph)

    roads = set(SCHEMA.ties(chosen))
    actors: dict[str, ActorScores] = {}
    for node, data in graph.nodes(data=True):
        scores = ActorScores(
            id=node,
            label=data["label"],
            name_ja=data["name_ja"],
            name_en=data["name_en"],
            sector=data["sector"],
            company=data["company"],
            companies=bridges.companies_through(node),
            dependency=bridges.dependency.get(node, 0.0),
            bridge_score=bridges.score(node),
            betweenness=overall[node],
            degree=graph.degree(node),
            constraint=constraints.get(node),
            effective_size=sizes.get(node),
            roles=roles[node],
            reason="",
            community=community[node],
        )
        actors[node] = dataclasses.replace(
            scores,
            reason=_reason(knowledge_graph, roads, bridges, scores, "en"),
            reason_ja=_reason(knowledge_graph, roads, bridges, scores, "ja"),
        )
    return BrokerageAnalysis(chosen, sample, graph, bridges, actors, agreement)


def _step(
    knowledge_graph: nx.MultiDiGraph, roads: set[str], broker: str, neighbour: str, lang: str
) -> str:
    """One step from the broker toward a company: "the function 'X'" or "a direct 'guides' tie".

    ``roads`` are the relationship types counted; a direct step names the types joining the
    broker to the neighbour, any other step names the node it passes through.
    """
    types = sorted(
        {
            edge["type"]
            for start, end in ((broker, neighbour), (neighbour, broker))
            for edge in knowledge_graph.get_edge_data(start, end, default={}).values()
            if edge["type"] in roads
        }
    )
    if lang == "ja":
        labels = [f"「{SCHEMA.relationship(type_).label_ja}」" for type_ in types]
        return f"{_join(labels, lang)}の直接の関係"
    labels = [f"'{SCHEMA.relationship(type_).label_en}'" for type_ in types]
    noun = "tie" if len(labels) == 1 else "ties"
    return f"a direct {_join(labels, lang)} {noun}"


def _node_phrase(knowledge_graph: nx.MultiDiGraph, node: str, lang: str) -> str:
    data = knowledge_graph.nodes[node]
    if lang == "ja":
        label = SCHEMA.node(data["label"]).display_name("ja") if "label" in data else ""
        return f"{label}「{data.get('name_ja', node)}」"
    return f"the {_NOUNS.get(data['label'], 'node')} '{data.get('name_en', node)}'"


def _join(items: list[str], lang: str = "en") -> str:
    if lang == "ja":
        return "・".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _reason(
    knowledge_graph: nx.MultiDiGraph,
    roads: set[str],
    bridges: Bridges,
    scores: ActorScores,
    lang: str,
) -> str:
    ja = lang == "ja"
    node = scores.id
    if node == bridges.institute:
        return (
            "企業からの経路が行き着く研究所そのもの"
            if ja
            else ("is the institute the company routes lead to")
        )
    if scores.companies:
        # The broker's steps toward the companies tell one broker from another.
        steps: Counter[str] = Counter()
        for company, neighbours in bridges.via[node].items():
            steps.update(
                {
                    _step(knowledge_graph, roads, node, neighbour, lang)
                    if neighbour == company
                    else _node_phrase(knowledge_graph, neighbour, lang)
                    for neighbour in neighbours
                }
            )
        ranked = sorted(steps, key=lambda step: (-steps[step], step))
        through = _join(ranked[:_REASON_STEPS], lang)
        count = len(scores.companies)
        name_key = "name_ja" if ja else "name_en"
        names = [knowledge_graph.nodes[c].get(name_key, c) for c in scores.companies]
        listed = names[:_REASON_NAMES]
        share = scores.dependency / count
        partial = round(share, _DEPENDENCY_DECIMALS) < 1
        if ja:
            if len(ranked) > _REASON_STEPS:
                through += f"ほか{len(ranked) - _REASON_STEPS}件"
            if count > _REASON_NAMES:
                listed.append(f"ほか{count - _REASON_NAMES}")
            text = f"{through}を通じて企業{count}件（{'、'.join(listed)}）を研究所につなぐ"
            return text + (f"（最短経路の{share:.0%}）" if partial else "")
        if len(ranked) > _REASON_STEPS:
            through += f" and {len(ranked) - _REASON_STEPS} more"
        if count > _REASON_NAMES:
            listed.append(f"+{count - _REASON_NAMES} more")
        noun = "company" if count == 1 else "companies"
        text = f"links {count} {noun} ({', '.join(listed)}) to the institute through {through}"
        return text + (f", on {share:.0%} of their shortest routes" if partial else "")
    pairs = sum(scores.roles.values()) // 2
    if pairs:
        main = max(ROLES, key=lambda role: scores.roles[role])
        if ja:
            role = SCHEMA.term_name("brokerage_roles", main, "ja")
            return f"互いにつながっていない相手どうし{pairs}組をつなぐ（主に{role}）"
        noun = "pair" if pairs == 1 else "pairs"
        return f"connects {pairs} {noun} of otherwise unconnected contacts, mostly as {main}"
    if scores.degree:
        if ja:
            return f"相手{scores.degree}件がすべて互いにつながっている（仲介なし）"
        return f"all {scores.degree} of its contacts are tied to one another: no brokerage"
    return "選んだ種類の関係をもたない" if ja else "has no ties of the chosen kinds"


def measure_properties(analysis: BrokerageAnalysis, node_id: str) -> dict[str, Any]:
    """The computed node properties of one node: measures for actors, nulls for the rest.

    Only properties declared in :data:`biocluster_kg.kernel.schema.COMPUTED_NODE_PROPERTIES` are
    returned.

    >>> sorted(p.name for p in COMPUTED_NODE_PROPERTIES)[:3]
    ['betweenness', 'bridge_score', 'bridged_companies']
    """
    scores = analysis.actors.get(node_id)
    values: dict[str, Any]
    if scores is None:
        values = {
            "degree": None,
            "betweenness": None,
            "bridge_score": None,
            "constraint": None,
            "effective_size": None,
            "brokerage_roles": [],
            "bridged_companies": None,
            "community": None,
        }
    else:
        values = {
            "degree": scores.degree,
            "betweenness": scores.betweenness,
            "bridge_score": scores.bridge_score,
            "constraint": scores.constraint,
            "effective_size": scores.effective_size,
            "brokerage_roles": scores.roles_held,
            "bridged_companies": len(scores.companies),
            "community": scores.community,
        }
    declared = {prop.name for prop in COMPUTED_NODE_PROPERTIES}
    return {name: value for name, value in values.items() if name in declared}


def write_measures(
    kb: KnowledgeBase,
    ties: Iterable[str] = DEFAULT_TIES,
    *,
    sample: int | None = None,
    seed: int = 0,
    analysis: BrokerageAnalysis | None = None,
    profile: ClusterProfile | None = None,
) -> KnowledgeBase:
    """A copy of ``kb`` whose every node carries the computed network measures.

    Actors get their measures; other nodes get ``None`` (and no roles), since they are not
    nodes of the actor graph. ``kb`` itself is not changed. The measures are those of
    ``analysis``, else computed for ``profile``'s cluster: one of the two is required (the
    caller's workspace, never the shipped one).

    Examples
    --------
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"kind": "research_institute",
    ...                                                "sector": "academia"}))
    >>> kb.add_node(Node("proj:p", "Project", {"kind": "research"}))
    >>> from biocluster_kg.kernel.cluster import ClusterProfile
    >>> measured = write_measures(kb, profile=ClusterProfile(institute_id="org:iab"))
    >>> measured.nodes["org:iab"].get("degree"), measured.nodes["proj:p"].get("degree")
    (0, None)
    >>> "degree" in kb.nodes["org:iab"].properties
    False
    """
    from biocluster_kg.kernel.model import KnowledgeBase

    if analysis is None:
        if profile is None:
            raise AnalysisError("computing measures needs the cluster profile (or an analysis)")
        analysis = analyze_brokers(kb, ties, sample=sample, seed=seed, profile=profile)
    result = KnowledgeBase(relationships=dict(kb.relationships), sources=dict(kb.sources))
    for node in kb.nodes.values():
        properties = {**node.properties, **measure_properties(analysis, node.id)}
        result.add_node(dataclasses.replace(node, properties=properties))
    return result


def has_measures(kb: KnowledgeBase) -> bool:
    """True if some node already carries network measures (from a load, or a caller).

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:a", "Organization", {"betweenness": 0.5}))
    >>> has_measures(kb)
    True
    """
    names = ("degree", "betweenness", "bridge_score")
    return any(node.get(name) is not None for node in kb.nodes.values() for name in names)


def without_measures(kb: KnowledgeBase) -> KnowledgeBase:
    """``kb`` with every computed measure taken off its nodes: the facts alone.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:a", "Organization", {"name_ja": "a", "betweenness": 0.5}))
    >>> without_measures(kb).nodes["org:a"].properties
    {'name_ja': 'a'}
    """
    from biocluster_kg.kernel.model import KnowledgeBase

    computed = {prop.name for prop in COMPUTED_NODE_PROPERTIES}
    if not any(name in node.properties for node in kb.nodes.values() for name in computed):
        return kb
    result = KnowledgeBase(relationships=dict(kb.relationships), sources=dict(kb.sources))
    for node in kb.nodes.values():
        kept = {k: v for k, v in node.properties.items() if k not in computed}
        result.add_node(dataclasses.replace(node, properties=kept))
    return result


def measured(kb: KnowledgeBase, *, profile: ClusterProfile) -> KnowledgeBase:
    """``kb`` with the default measures on its nodes, as every load and page shows them.

    A knowledge base the analysis does not apply to (no institute in it) comes back
    unchanged, so loading or drawing such a graph still works; one that already carries
    measures is returned as it is.

    Examples
    --------
    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:a", "Organization", {"kind": "company", "sector": "industry"}))
    >>> from biocluster_kg.kernel.cluster import ClusterProfile
    >>> measured(kb, profile=ClusterProfile(institute_id="org:iab")) is kb
    True
    """
    if has_measures(kb):
        return kb
    try:
        return write_measures(kb, sample=betweenness_sample(kb), profile=profile)
    except AnalysisError:
        return kb


#: Up to this many actors overall betweenness is exact; above it, it is estimated from
#: :data:`SAMPLED_SOURCES` sampled sources (every other measure stays exact). Exact
#: betweenness costs one search per actor over the tie graph, whose mediator cliques make it
#: dense: 28 s for 2,000 synthetic actors on 2 cores, against 2.5 s with 200 sources.
EXACT_BETWEENNESS_ACTORS = 2000
SAMPLED_SOURCES = 500


def betweenness_sample(kb: KnowledgeBase) -> int | None:
    """How many sources to sample betweenness from for ``kb``: None (exact) up to
    :data:`EXACT_BETWEENNESS_ACTORS` actors, else :data:`SAMPLED_SOURCES`.

    >>> from biocluster_kg.kernel.model import KnowledgeBase
    >>> betweenness_sample(KnowledgeBase()) is None
    True
    """
    actors = sum(1 for node in kb.nodes.values() if node.label in SCHEMA.actor_labels)
    return SAMPLED_SOURCES if actors > EXACT_BETWEENNESS_ACTORS else None


def measurement_note(kb: KnowledgeBase) -> str | None:
    """What a load or a page should say about how the measures were computed, or None when
    they are exact."""
    sample = betweenness_sample(kb)
    if sample is None:
        return None
    actors = sum(1 for node in kb.nodes.values() if node.label in SCHEMA.actor_labels)
    return (
        f"betweenness estimated from {sample} sampled sources ({actors:,} actors, above the "
        f"exact limit of {EXACT_BETWEENNESS_ACTORS:,}); the other measures are exact"
    )
