"""Burt's structural-hole measures, constraint and effective size, for unweighted ties.

Burt (1992, *Structural Holes*) calls an actor a broker when its contacts are not tied to one
another. Two measures say how much:

* **Effective size**: the number of contacts minus their redundancy. For an undirected,
  unweighted graph Borgatti (1997) reduces it to ``n - 2t/n``, with ``n`` contacts and ``t``
  ties among them.
* **Constraint**: ``c_i = sum over contacts j of (p_ij + sum over q of p_iq p_qj) ** 2``,
  where ``p_ij`` is the share of ``i``'s ties that go to ``j`` (``1/degree(i)`` when ties
  are unweighted) and ``q`` runs over contacts of ``i`` tied to ``j``. It is high (up to
  about 1) when all contacts know each other and low when they are disconnected.

Both give exactly what :func:`networkx.effective_size` and :func:`networkx.constraint`
give for an undirected simple graph without weights; those look at every ego network
separately, which takes minutes at 100,000 actors. Here one pass over the ties finds the
common contacts of each tie's two ends (:func:`common_neighbours`, which the
Gould-Fernandez count uses too), and both measures follow from it by array arithmetic. An
actor without ties has neither measure: it is left out of the result (networkx reports NaN).

>>> import networkx as nx
>>> star = nx.star_graph(3)
>>> effective_size(star)[0], constraint(star)[0]
(3.0, 0.3333333333333333)
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from biocluster_kg.graph.betweenness import check_simple_undirected

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

__all__ = [
    "common_neighbours",
    "constraint",
    "edge_array",
    "effective_size",
    "neighbour_sets",
    "structural_holes",
]


def structural_holes(
    graph: nx.Graph,
) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Constraint and effective size of every actor with at least one tie, in one pass.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected, simple, without self-loops; weights are ignored.

    Returns
    -------
    (constraint, effective_size) : tuple of dict
        Node -> value, for nodes with at least one tie.

    Examples
    --------
    >>> import networkx as nx
    >>> triangle = nx.complete_graph(3)
    >>> structural_holes(triangle)
    ({0: 1.125, 1: 1.125, 2: 1.125}, {0: 1.0, 1: 1.0, 2: 1.0})
    """
    import numpy as np

    check_simple_undirected(graph)
    nodes = list(graph)
    neighbours = neighbour_sets(graph, nodes)
    size = len(nodes)
    degree = np.array([len(contacts) for contacts in neighbours], dtype=np.float64)
    ties = edge_array(graph, nodes)
    tie_of, common = common_neighbours(ties, neighbours, neighbours)
    a, b = ties[:, 0], ties[:, 1]
    # Indirect share through each common contact q: p_aq * p_qb = 1/deg(a) * 1/deg(q), so
    # (p_ab + indirect) = (1 + sum over q of 1/deg(q)) / deg(a), the same sum for both ends.
    through = np.bincount(tie_of, weights=1.0 / degree[common], minlength=len(ties))
    shared = np.bincount(tie_of, minlength=len(ties)).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        constraint_sum = np.bincount(
            a, weights=((1.0 + through) / degree[a]) ** 2, minlength=size
        ) + np.bincount(b, weights=((1.0 + through) / degree[b]) ** 2, minlength=size)
        # Each tie among a node's contacts is shared by two of its ties: n - 2t/n = n - s/n.
        shared_sum = np.bincount(a, weights=shared, minlength=size) + np.bincount(
            b, weights=shared, minlength=size
        )
        sizes = degree - shared_sum / degree
    constraints = {node: float(constraint_sum[i]) for i, node in enumerate(nodes) if degree[i]}
    return constraints, {node: float(sizes[i]) for i, node in enumerate(nodes) if degree[i]}


def neighbour_sets(graph: nx.Graph, nodes: list[Hashable]) -> list[set[int]]:
    """Each node's successors (its neighbours when undirected) as a set of positions.

    Plain sets of integers: intersecting them runs in C, networkx's adjacency views in Python.

    >>> import networkx as nx
    >>> neighbour_sets(nx.path_graph(["a", "b", "c"]), ["a", "b", "c"])
    [{1}, {0, 2}, {1}]
    """
    position = {node: i for i, node in enumerate(nodes)}
    return [{position[other] for other in graph.adj[node]} for node in nodes]


def edge_array(graph: nx.Graph, nodes: list[Hashable]) -> np.ndarray:
    """The edges (arcs when directed) as an (m, 2) array of node positions.

    >>> import networkx as nx
    >>> edge_array(nx.path_graph(["a", "b", "c"]), ["a", "b", "c"]).tolist()
    [[0, 1], [1, 2]]
    """
    import numpy as np

    position = {node: i for i, node in enumerate(nodes)}
    flat = np.fromiter(
        (position[node] for edge in graph.edges() for node in edge),
        dtype=np.int64,
        count=2 * graph.number_of_edges(),
    )
    return flat.reshape(-1, 2)


def common_neighbours(
    arcs: np.ndarray, successors: list[set[int]], predecessors: list[set[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Every ``b`` with ``a -> b -> c`` for each arc ``(a, c)``: (arc numbers, the b's).

    >>> import numpy as np
    >>> triangle = [{1, 2}, {0, 2}, {0, 1}]
    >>> common_neighbours(np.array([[0, 1], [1, 2]]), triangle, triangle)
    (array([0, 1]), array([2, 0]))
    """
    import numpy as np

    found: list[int] = []
    lengths: list[int] = []
    # Two flat lists of ints, not a list of pairs: small lists would wake the cyclic garbage
    # collector, which then walks every object of a large graph again and again.
    for a, c in zip(arcs[:, 0].tolist(), arcs[:, 1].tolist(), strict=True):
        common = successors[a] & predecessors[c]
        lengths.append(len(common))
        found.extend(common)
    arc_numbers = np.repeat(np.arange(len(arcs), dtype=np.int64), lengths)
    return arc_numbers, np.array(found, dtype=np.int64)


def constraint(graph: nx.Graph) -> dict[Hashable, float]:
    """Burt's constraint of every actor with a tie (see the module docstring).

    >>> import networkx as nx
    >>> constraint(nx.path_graph(3))
    {0: 1.0, 1: 0.5, 2: 1.0}
    """
    return structural_holes(graph)[0]


def effective_size(graph: nx.Graph) -> dict[Hashable, float]:
    """Burt's effective size of every actor with a tie (see the module docstring).

    >>> import networkx as nx
    >>> effective_size(nx.path_graph(3))
    {0: 1.0, 1: 2.0, 2: 1.0}
    """
    return structural_holes(graph)[1]
