"""Communities of the actor tie graph: networkx's Louvain method with a fixed seed.

Louvain (Blondel et al. 2008) groups actors that are more tied among themselves than to
the rest, by greedily moving nodes between groups to raise modularity. It visits the nodes
in a random order, so the seed is fixed (:data:`SEED`) and the graph is rebuilt in sorted
order first: the same data give the same communities on every run, whatever order the
files were read in. An actor with no tie is a community of its own.

Communities are numbered from 1, largest first (ties broken by the smallest member id), so
a number means the same group in every store, export and page made from the same data.

>>> import networkx as nx
>>> graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"),
...                   ("c", "x")])
>>> graph.add_node("lonely")
>>> numbers = communities(graph)
>>> [numbers[n] for n in ("a", "b", "c", "x", "y", "z", "lonely")]
[1, 1, 1, 2, 2, 2, 3]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biocluster_kg.kernel.errors import AnalysisError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SEED", "communities"]

#: The seed of Louvain's node order (fixed: communities must not change between runs).
SEED = 0


def communities(graph: nx.Graph, *, seed: int = SEED) -> dict[str, int]:
    """The community number (1 = largest) of every node of an undirected ``graph``.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected and simple (the tie graph); edge weights are not used.
    seed : int
        Seed of the Louvain method's node order.

    Returns
    -------
    dict
        Node -> community number, numbered from 1 by size, largest first.

    Raises
    ------
    AnalysisError
        If ``graph`` is directed or a multigraph.
    """
    import networkx as nx

    if graph.is_directed() or graph.is_multigraph():
        raise AnalysisError("communities need an undirected simple graph (the tie graph)")
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes, key=str))
    ordered.add_edges_from(sorted((tuple(sorted((u, v), key=str)) for u, v in graph.edges)))
    found = nx.community.louvain_communities(ordered, weight=None, seed=seed)
    ranked = sorted(found, key=lambda group: (-len(group), min(map(str, group))))
    return {node: number for number, group in enumerate(ranked, start=1) for node in group}
