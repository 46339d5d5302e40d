"""Shortest routes from the cluster's companies to the institute, and what lies on them.

The routes run through the knowledge graph itself, not through the projected actor graph:
every node (functions, programmes and projects as well as actors) is a step, the relationship
types of the chosen tie kinds are the only roads, direction is ignored, and parallel
relationships between two nodes are one road: a road is a sequence of nodes, each tied to the
next. That is the definition in the header of the library's Cypher question
``bridges_companies_to_institute``, which walks the same routes on both engines and finds the
same figures (tests/test_bridging_roads.py checks it on graphs with parallel ties).

For every node ``v`` strictly inside some route:

* its **dependency** is the sum over companies ``c`` of the share of ``c``'s shortest routes
  to the institute that pass through ``v`` (subset betweenness with the institute as the one
  target, unnormalised; :func:`biocluster_kg.graph.betweenness.target_dependency`), and
* its **companies** are the companies with at least one shortest route through it, each with
  the neighbours of ``v`` on the company's side of those routes: what ``v`` reaches the
  company through.

One breadth-first search from the institute finds every company's shortest routes at once
(they are the paths of its shortest-path DAG), so the cost does not grow with the number
of companies.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> for node_id, label, kind in [("org:iab", "Organization", "research_institute"),
...                              ("body:office", "Body", "office"),
...                              ("fn:survey", "Function", "support"),
...                              ("org:maker", "Organization", "company")]:
...     kb.add_node(Node(node_id, label, {"kind": kind}))
>>> kb.add_relationship(Relationship("r1", "PART_OF", "body:office", "org:iab", {}))
>>> kb.add_relationship(Relationship("r2", "PERFORMS", "body:office", "fn:survey", {}))
>>> kb.add_relationship(Relationship("r3", "TARGETS", "fn:survey", "org:maker", {}))
>>> from biocluster_kg.kernel.cluster import ClusterProfile
>>> profile = ClusterProfile(institute_id="org:iab", company_kinds={"Organization": ("company",)})
>>> bridges = company_bridges(kb, profile=profile)
>>> bridges.distance, bridges.dependency
({'org:maker': 3}, {'body:office': 1.0, 'fn:survey': 1.0})
>>> bridges.via["body:office"]
{'org:maker': ('fn:survey',)}
>>> bridges.roads_through("fn:survey", "org:maker")
1
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from biocluster_kg.graph.tie_graph import (
    DEFAULT_TIES,
    check_knowledge_graph,
    is_company,
    parse_ties,
)
from biocluster_kg.kernel.errors import AnalysisError
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    import networkx as nx

    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["Bridges", "company_bridges"]


@dataclass(frozen=True)
class Bridges:
    """Every company's shortest routes to the institute, summarised per node on them.

    Attributes
    ----------
    institute : str
        The node the routes lead to.
    companies : tuple of str
        Every company in the knowledge graph, sorted.
    distance : dict
        Company -> number of steps of its shortest routes, for companies with a route.
    dependency : dict
        Node -> its dependency (see the module docstring), for nodes inside some route.
    via : dict
        Node -> company -> the node's neighbours on the company's side of its routes.
    roads : dict
        Node -> company -> how many of the company's shortest routes pass through the node
        (the Cypher question's ``paths``, summed over its companies).
    """

    institute: str
    companies: tuple[str, ...]
    distance: dict[str, int]
    dependency: dict[str, float]
    via: dict[str, dict[str, tuple[str, ...]]]
    roads: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def reachable(self) -> tuple[str, ...]:
        """Companies with a route to the institute."""
        return tuple(company for company in self.companies if company in self.distance)

    def companies_through(self, node: str) -> tuple[str, ...]:
        """Companies with a shortest route through ``node``, sorted."""
        return tuple(sorted(self.via.get(node, {})))

    def roads_through(self, node: str, company: str) -> int:
        """How many of ``company``'s shortest routes pass through ``node``."""
        return self.roads.get(node, {}).get(company, 0)

    def score(self, node: str) -> float:
        """``node``'s dependency divided by the number of companies with a route: in [0, 1]."""
        reachable = len(self.distance)
        return self.dependency.get(node, 0.0) / reachable if reachable else 0.0


def company_bridges(
    knowledge: KnowledgeBase | nx.MultiDiGraph,
    ties: Iterable[str] = DEFAULT_TIES,
    *,
    institute: str | None = None,
    profile: ClusterProfile,
) -> Bridges:
    """Find every company's shortest routes to the institute (see the module docstring).

    Parameters
    ----------
    knowledge : KnowledgeBase or networkx.MultiDiGraph
        The knowledge base or its networkx form.
    ties : iterable of str
        Tie kinds whose relationship types the routes may use.
    institute : str, optional
        Id of the node the routes lead to (default: the profile's institute).
    profile : ClusterProfile
        The cluster's anchors: its institute and company kinds (the session passes its
        workspace's).

    Returns
    -------
    Bridges

    Raises
    ------
    AnalysisError
        If the institute is not in the knowledge graph or a tie kind is unknown.
    """
    import numpy as np

    from biocluster_kg.graph.betweenness import IndexedGraph, accumulate, shortest_path_dag
    from biocluster_kg.kernel.model import KnowledgeBase

    graph = knowledge.to_networkx() if isinstance(knowledge, KnowledgeBase) else knowledge
    check_knowledge_graph(graph)
    institute = institute or profile.institute_id
    if institute not in graph:
        raise AnalysisError(f"the institute {institute!r} is not in the knowledge base")
    roads = set(SCHEMA.ties(parse_ties(list(ties))))
    nodes = list(graph)
    indexed = IndexedGraph.from_pairs(
        nodes,
        ((start, end) for start, end, type_ in graph.edges(data="type") if type_ in roads),
    )
    companies = tuple(
        sorted(node for node, data in graph.nodes(data=True) if is_company(data, profile=profile))
    )
    companies = tuple(company for company in companies if company != institute)

    source = indexed.index[institute]
    distance, sigma, levels = shortest_path_dag(indexed, source)
    weight = np.zeros(len(nodes), dtype=np.float64)
    weight[[indexed.index[company] for company in companies]] = 1.0
    delta = accumulate(len(nodes), source, sigma, levels, weight)

    parents: dict[int, list[int]] = {}
    children: dict[int, list[int]] = {}
    for predecessors, successors in levels:
        for parent, child in zip(predecessors.tolist(), successors.tolist(), strict=True):
            parents.setdefault(child, []).append(parent)
            children.setdefault(parent, []).append(child)

    via: dict[str, dict[str, tuple[str, ...]]] = {}
    through: dict[str, dict[str, int]] = {}
    reached: dict[str, int] = {}
    for company in companies:
        position = indexed.index[company]
        if distance[position] < 0:
            continue
        reached[company] = int(distance[position])
        # Walking the DAG up from the company visits exactly the nodes on its shortest routes.
        on_route: set[int] = set()
        stack = [position]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent != source and parent not in on_route:
                    on_route.add(parent)
                    stack.append(parent)
        route_nodes = on_route | {position}
        # Shortest routes from each node down to the company: summed from the company up.
        down = {position: 1}
        for inside in sorted(on_route, key=lambda node: -distance[node]):
            down[inside] = sum(down[child] for child in children[inside] if child in down)
        for inside in on_route:
            toward_company = sorted(
                nodes[child] for child in children[inside] if child in route_nodes
            )
            via.setdefault(nodes[inside], {})[company] = tuple(toward_company)
            # Routes through a node: those from the institute to it times those on to the
            # company (sigma counts node sequences: parallel ties were merged above).
            through.setdefault(nodes[inside], {})[company] = round(sigma[inside]) * down[inside]

    dependency = {
        nodes[position]: float(delta[position]) for position in np.flatnonzero(delta).tolist()
    }
    return Bridges(institute, companies, reached, dependency, via, through)
