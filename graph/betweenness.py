"""Shortest-path betweenness on undirected, unweighted graphs, exact or sampled, fast.

Brandes' algorithm (2001): one breadth-first search per source counts shortest paths
(``sigma``), and a backward pass accumulates each node's dependency on that source.

* :func:`betweenness` runs the searches in igraph (a C library made for this) from
  :data:`IGRAPH_FROM_NODES` nodes on: 2.7-4x faster than the numpy searches here
  (BENCHMARKS.md), with the same figures; smaller graphs stay on the numpy searches, which
  do not pay igraph's import.
  It matches :func:`networkx.betweenness_centrality` with
  ``normalized=True, endpoints=False``: divided by ``(n - 1)(n - 2)``, the number of ordered
  pairs of other nodes. With ``sample=k`` it uses the same ``k`` sources networkx would pick
  for the same ``seed`` and networkx's rescaling, so the two give the same figures, and
  :func:`sampled_betweenness` also says how far a sampled top 10 can be trusted.
* :func:`shortest_path_dag` and :func:`accumulate` are one such search on arrays (numpy),
  for the questions that need the search's DAG itself, not only its sums (the company
  routes of :mod:`biocluster_kg.graph.bridging`).
* :func:`target_dependency` is betweenness restricted to the shortest paths between one node
  and a set of others (companies and the institute): on an undirected graph one search from
  the single node gives it exactly, so no sampling is needed. It equals twice what
  :func:`networkx.betweenness_centrality_subset` reports for ``sources=others,
  targets=[node]`` (networkx halves undirected paths).

>>> import networkx as nx
>>> path = nx.path_graph(["a", "b", "c", "d"])
>>> betweenness(path)
{'a': 0.0, 'b': 0.6666666666666666, 'c': 0.6666666666666666, 'd': 0.0}
>>> target_dependency(path, "a", ["c", "d"])
{'a': 0.0, 'b': 2.0, 'c': 1.0, 'd': 0.0}
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from biocluster_kg.kernel.errors import AnalysisError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "IGRAPH_FROM_NODES",
    "IndexedGraph",
    "SampleAgreement",
    "accumulate",
    "betweenness",
    "check_simple_undirected",
    "sampled_betweenness",
    "shortest_path_dag",
    "target_dependency",
]


@dataclass(frozen=True)
class IndexedGraph:
    """An undirected simple graph as compressed adjacency arrays (CSR).

    ``nodes[i]`` is node ``i``; the neighbours of ``i`` are
    ``indices[indptr[i]:indptr[i + 1]]``.
    """

    nodes: list[Hashable]
    index: dict[Hashable, int]
    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> IndexedGraph:
        """Index an undirected simple graph, refusing anything else.

        >>> import networkx as nx
        >>> IndexedGraph.from_networkx(nx.path_graph(3)).indptr.tolist()
        [0, 1, 3, 4]
        """
        check_simple_undirected(graph)
        nodes = list(graph)
        index = {node: position for position, node in enumerate(nodes)}
        ends = np.fromiter(
            (index[node] for edge in graph.edges() for node in edge),
            dtype=np.int64,
            count=2 * graph.number_of_edges(),
        )
        return cls._build(nodes, index, ends.reshape(-1, 2))

    @classmethod
    def from_pairs(
        cls, nodes: Iterable[Hashable], pairs: Iterable[tuple[Hashable, Hashable]]
    ) -> IndexedGraph:
        """Index the undirected simple graph that ``pairs`` of nodes form.

        Direction, repeated pairs and self-loops are dropped: a pair is one tie.

        >>> g = IndexedGraph.from_pairs("abc", [("a", "b"), ("b", "a"), ("b", "c"), ("c", "c")])
        >>> g.indptr.tolist(), g.indices.tolist()
        ([0, 1, 3, 4], [1, 0, 2, 1])
        """
        nodes = list(nodes)
        index = {node: position for position, node in enumerate(nodes)}
        flat = np.fromiter((index[node] for pair in pairs for node in pair), dtype=np.int64)
        ends = np.sort(flat.reshape(-1, 2), axis=1)
        ends = ends[ends[:, 0] != ends[:, 1]]
        unique = np.unique(ends[:, 0] * len(nodes) + ends[:, 1])
        return cls._build(nodes, index, np.stack([unique // len(nodes), unique % len(nodes)], 1))

    @classmethod
    def _build(
        cls, nodes: list[Hashable], index: dict[Hashable, int], ends: np.ndarray
    ) -> IndexedGraph:
        sources = np.concatenate([ends[:, 0], ends[:, 1]])
        targets = np.concatenate([ends[:, 1], ends[:, 0]])
        order = np.lexsort((targets, sources))
        indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
        np.cumsum(np.bincount(sources, minlength=len(nodes)), out=indptr[1:])
        return cls(nodes, index, indptr, targets[order])

    def __len__(self) -> int:
        return len(self.nodes)


def check_simple_undirected(graph: nx.Graph) -> None:
    """Raise :class:`AnalysisError` unless ``graph`` is undirected, simple and loop-free."""
    if graph.is_directed() or graph.is_multigraph():
        raise AnalysisError(
            f"needs an undirected simple graph, got {type(graph).__name__}; "
            "build one with biocluster_kg.graph.tie_graph.tie_graph"
        )
    loops = [node for node, neighbour in graph.edges() if node == neighbour]
    if loops:
        raise AnalysisError(f"self-loop on {loops[0]!r}: ties join two different actors")


def shortest_path_dag(
    graph: IndexedGraph, source: int
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Breadth-first search from ``source``: distances, path counts and the path DAG.

    Returns ``(distance, sigma, levels)``: ``distance[v]`` is -1 where ``v`` is unreachable,
    ``sigma[v]`` counts shortest paths from the source, and ``levels[d]`` holds the arcs
    ``(predecessors, successors)`` from distance ``d`` to ``d + 1`` that lie on shortest paths.

    >>> import networkx as nx
    >>> cycle = IndexedGraph.from_networkx(nx.cycle_graph(4))
    >>> distance, sigma, levels = shortest_path_dag(cycle, 0)
    >>> distance.tolist(), sigma.tolist()
    ([0, 1, 2, 1], [1.0, 1.0, 2.0, 1.0])
    """
    size = len(graph)
    distance = np.full(size, -1, dtype=np.int64)
    sigma = np.zeros(size, dtype=np.float64)
    distance[source] = 0
    sigma[source] = 1.0
    frontier = np.array([source], dtype=np.int64)
    levels: list[tuple[np.ndarray, np.ndarray]] = []
    depth = 0
    while frontier.size:
        starts = graph.indptr[frontier]
        counts = graph.indptr[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            break
        # Positions of every neighbour of every frontier node, without a Python loop.
        offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        neighbours = graph.indices[offsets + np.arange(total)]
        predecessors = np.repeat(frontier, counts)
        fresh = neighbours[distance[neighbours] == -1]
        distance[fresh] = depth + 1
        on_path = distance[neighbours] == depth + 1
        arcs = (predecessors[on_path], neighbours[on_path])
        if not arcs[0].size:
            break
        sigma += np.bincount(arcs[1], weights=sigma[arcs[0]], minlength=size)
        levels.append(arcs)
        frontier = np.unique(arcs[1])
        depth += 1
    return distance, sigma, levels


def accumulate(
    size: int,
    source: int,
    sigma: np.ndarray,
    levels: list[tuple[np.ndarray, np.ndarray]],
    target_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Brandes' backward pass: every node's dependency on the search's source.

    With ``target_weight`` only paths to the nodes weighted 1 count (0 for the others);
    the source's own entry is left at 0.
    """
    delta = np.zeros(size, dtype=np.float64)
    for predecessors, successors in reversed(levels):
        # Arcs of one level end on nodes whose dependency is already complete.
        ends = 1.0 if target_weight is None else target_weight[successors]
        share = sigma[predecessors] / sigma[successors] * (ends + delta[successors])
        delta += np.bincount(predecessors, weights=share, minlength=size)
    delta[source] = 0.0
    return delta


#: From this many nodes on, the searches run in igraph; below it, on arrays here. igraph is
#: 2.7-4x faster per search, but importing it imports matplotlib.pyplot (0.5 s and more),
#: which the milliseconds a small graph takes do not repay (the shipped knowledge base's
#: whole analysis takes 20 ms).
IGRAPH_FROM_NODES = 2000


def _searchable(graph: IndexedGraph) -> Any:
    """What :func:`_dependencies` searches: igraph's copy of a large graph, else the graph."""
    if len(graph) < IGRAPH_FROM_NODES:
        return graph
    import igraph  # type: ignore[import-untyped]  # no stubs; one call, kept behind Any

    starts = np.repeat(np.arange(len(graph)), np.diff(graph.indptr))
    once = starts < graph.indices
    return igraph.Graph(
        n=len(graph), edges=np.stack([starts[once], graph.indices[once]], 1).tolist()
    )


def _sources(graph: IndexedGraph, sample: int | None, seed: int) -> list[int] | None:
    """The sampled sources as networkx picks them, or None for every node (exact)."""
    if sample is not None and sample < 2:
        raise AnalysisError(f"sample must be at least 2 sources, got {sample}")
    if sample is None or sample >= len(graph):
        return None
    picked = random.Random(seed).sample(graph.nodes, sample)  # noqa: S311 - sampling
    return [graph.index[node] for node in picked]


def _dependencies(searchable: Any, size: int, sources: list[int] | None) -> np.ndarray:
    """Sum of every node's dependency on each source (all nodes when ``sources`` is None).

    igraph counts an undirected pair once; Brandes' sum over sources counts it from both
    ends, hence the factor 2."""
    if size == 0:
        return np.zeros(0, dtype=np.float64)
    if isinstance(searchable, IndexedGraph):
        total = np.zeros(size, dtype=np.float64)
        for source in range(size) if sources is None else sources:
            _, sigma, levels = shortest_path_dag(searchable, source)
            total += accumulate(size, source, sigma, levels)
        return total
    if sources is None:
        raw = searchable.betweenness(directed=False)
    else:
        raw = searchable.betweenness(directed=False, sources=sources)
    return 2.0 * np.asarray(raw, dtype=np.float64)


def _scaled(total: np.ndarray, sources: list[int] | None) -> np.ndarray:
    size = len(total)
    others = size - 1
    if others < 2:
        return np.zeros(size, dtype=np.float64)
    if sources is None:
        return total / (others * (others - 1))
    # networkx's rescaling: a sampled source cannot be an end of its own paths.
    scale = np.full(size, 1.0 / (len(sources) * (others - 1)))
    scale[sources] = 1.0 / ((len(sources) - 1) * (others - 1))
    return total * scale


def betweenness(
    graph: nx.Graph | IndexedGraph, sample: int | None = None, seed: int = 0
) -> dict[Hashable, float]:
    """Normalised shortest-path betweenness of every node, exact or from sampled sources.

    Parameters
    ----------
    graph : networkx.Graph or IndexedGraph
        Undirected and simple.
    sample : int, optional
        Number of source nodes to sample (at least 2). ``None``, or a number not smaller
        than the node count, computes the exact figure.
    seed : int
        Seed of the sample; the same seed picks the same sources as networkx does.

    Returns
    -------
    dict
        Node -> betweenness, as :func:`networkx.betweenness_centrality` (normalised,
        endpoints excluded) gives it.

    Examples
    --------
    >>> import networkx as nx
    >>> star = nx.star_graph(4)
    >>> betweenness(star)[0]
    1.0
    >>> round(betweenness(star, sample=3, seed=1)[0], 6)
    1.0
    """
    indexed = graph if isinstance(graph, IndexedGraph) else IndexedGraph.from_networkx(graph)
    sources = _sources(indexed, sample, seed)
    total = _scaled(_dependencies(_searchable(indexed), len(indexed), sources), sources)
    return {node: float(value) for node, value in zip(indexed.nodes, total, strict=True)}


@dataclass(frozen=True)
class SampleAgreement:
    """How far a sampled betweenness ranking can be trusted.

    The sample's sources are split in two halves and each half ranks the nodes on its own:
    ``shared`` of the ``top`` highest of one half are among the ``top`` highest of the other.
    ``top`` of ``top`` means the two halves agree; the whole sample, twice the size of each
    half, agrees with the exact ranking at least as well.
    """

    sources: int
    top: int
    shared: int

    def sentence(self, lang: str = "en") -> str:
        """One line for people, in Japanese (``ja``) or English."""
        if lang == "ja":
            return (
                f"媒介中心性は{self.sources:,}個の起点の標本による推定値です。標本を二分すると、"
                f"上位{self.top}の一致は{self.shared}/{self.top}です。"
            )
        return (
            f"betweenness estimated from {self.sources:,} sampled sources; the two halves of "
            f"the sample share {self.shared} of their top {self.top}"
        )


def sampled_betweenness(
    graph: nx.Graph | IndexedGraph, sample: int | None, seed: int = 0, top: int = 10
) -> tuple[dict[Hashable, float], SampleAgreement | None]:
    """:func:`betweenness`, and for a sample how far its top ``top`` can be trusted.

    The sample's two halves are searched separately and summed, so the agreement costs
    nothing beyond the estimate itself. The agreement is None when the figure is exact.

    Examples
    --------
    >>> import networkx as nx
    >>> figures, agreement = sampled_betweenness(nx.path_graph(6), sample=4, seed=1, top=2)
    >>> figures == betweenness(nx.path_graph(6), sample=4, seed=1), agreement.top
    (True, 2)
    >>> sampled_betweenness(nx.path_graph(6), sample=None)[1] is None
    True
    """
    indexed = graph if isinstance(graph, IndexedGraph) else IndexedGraph.from_networkx(graph)
    sources = _sources(indexed, sample, seed)
    searchable = _searchable(indexed)
    if sources is None:
        total = _dependencies(searchable, len(indexed), None)
        agreement = None
    else:
        halves = (sources[: len(sources) // 2], sources[len(sources) // 2 :])
        estimates = [_dependencies(searchable, len(indexed), half) for half in halves]
        total = estimates[0] + estimates[1]
        count = min(top, len(indexed))
        tops = []
        for estimate in estimates:
            # Ties broken by position, so that equal figures do not count as disagreement.
            order = np.lexsort((np.arange(len(indexed)), -estimate))
            tops.append(set(order[:count].tolist()))
        agreement = SampleAgreement(len(sources), count, len(tops[0] & tops[1]))
    scaled = _scaled(total, sources)
    figures = {node: float(value) for node, value in zip(indexed.nodes, scaled, strict=True)}
    return figures, agreement


def target_dependency(
    graph: nx.Graph | IndexedGraph, node: Hashable, others: Iterable[Hashable]
) -> dict[Hashable, float]:
    """Shortest paths between ``node`` and each of ``others`` that run through each node.

    For each node ``v``, the sum over ``o`` in ``others`` of the share of shortest
    ``o``–``node`` paths that pass through ``v`` (``v`` not an end); an unreachable ``o`` adds
    nothing. This is subset betweenness with one side a single node, computed exactly by one
    breadth-first search from it.

    Examples
    --------
    >>> import networkx as nx
    >>> diamond = nx.Graph([("c", "x"), ("c", "y"), ("x", "t"), ("y", "t")])
    >>> target_dependency(diamond, "t", ["c"])
    {'c': 0.0, 'x': 0.5, 'y': 0.5, 't': 0.0}
    """
    indexed = graph if isinstance(graph, IndexedGraph) else IndexedGraph.from_networkx(graph)
    if node not in indexed.index:
        raise AnalysisError(f"{node!r} is not in the graph")
    weight = np.zeros(len(indexed), dtype=np.float64)
    for other in others:
        if other not in indexed.index:
            raise AnalysisError(f"{other!r} is not in the graph")
        weight[indexed.index[other]] = 1.0
    weight[indexed.index[node]] = 0.0
    source = indexed.index[node]
    _, sigma, levels = shortest_path_dag(indexed, source)
    delta = accumulate(len(indexed), source, sigma, levels, weight)
    return {name: float(value) for name, value in zip(indexed.nodes, delta, strict=True)}
