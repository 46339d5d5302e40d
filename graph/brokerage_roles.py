"""Gould–Fernandez brokerage roles: what kind of broker an actor is, across sectors.

Gould and Fernandez (1989, "Structures of mediation: a formal approach to brokerage in
transaction networks", *Sociological Methodology* 19: 89–126) count, for every actor ``B``,
the **open two-paths** ``A -> B -> C`` through it: ``A`` has a tie to ``B``, ``B`` has a tie
to ``C``, ``A`` and ``C`` are different actors and ``A`` has no tie to ``C``, so ``B`` mediates
between them. Each two-path is classified by the groups (here: sectors) of ``A``, ``B`` and
``C``:

==============  ==================  ===================================================
role            groups              meaning
==============  ==================  ===================================================
coordinator     A = B = C           mediates within its own group
itinerant       A = C != B          an outsider mediating within another group (also
                                    called *consultant*)
representative  A = B != C          speaks for its own group to another group
gatekeeper      B = C != A          admits an outsider into its own group
liaison         A, B, C all differ  mediates between two groups, belonging to neither
==============  ==================  ===================================================

On a directed graph the arcs are used as they are. On an undirected graph every tie is read
as two arcs, the usual choice for symmetric data: an open pair ``{A, C}`` at ``B`` is then two
two-paths, ``A -> B -> C`` and ``C -> B -> A``. So coordinator, itinerant and liaison counts
come in pairs, and when ``B`` shares a sector with exactly one of ``A`` and ``C`` the pair is
one representative and one gatekeeper two-path: on symmetric data the two roles always have
equal counts.

Counting does not enumerate the two-paths: for each ``B`` the ordered pairs of an in-contact
and an out-contact are counted by sector from the sector tallies of its contacts, and the
pairs that are closed (``A -> C`` exists) are subtracted, found by one pass over the arcs
that looks up each arc's common neighbours; the rest is array arithmetic.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(g, {"a": "industry", "b": "government", "c": "academia"}, "sector")
>>> gould_fernandez(g)["b"]
{'coordinator': 0, 'itinerant': 0, 'representative': 0, 'gatekeeper': 0, 'liaison': 2}
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from biocluster_kg.kernel.errors import AnalysisError
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ROLES", "gould_fernandez", "role_of"]

#: The five roles, in Gould and Fernandez's order.
#: The five Gould-Fernandez roles, in the schema's order (their display names are the
#: vocabulary of the ``brokerage_roles`` measure).
ROLES: tuple[str, ...] = tuple(term.code for term in SCHEMA.property_terms("brokerage_roles"))


def role_of(source: str, broker: str, target: str) -> str:
    """The role of ``broker`` on a two-path from a ``source`` to a ``target`` group.

    >>> role_of("industry", "government", "industry")
    'itinerant'
    >>> role_of("industry", "industry", "academia")
    'representative'
    """
    if source == broker == target:
        return "coordinator"
    if source == target:
        return "itinerant"
    if source == broker:
        return "representative"
    if broker == target:
        return "gatekeeper"
    return "liaison"


def gould_fernandez(
    graph: nx.Graph | nx.DiGraph, sector: str = "sector"
) -> dict[Hashable, dict[str, int]]:
    """Count each node's open two-paths by Gould–Fernandez role.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Simple (not a multigraph), without self-loops. Every node carries ``sector``.
    sector : str
        Name of the node attribute holding the group of a node.

    Returns
    -------
    dict
        Node -> ``{role: count}`` with every role of :data:`ROLES`, zeros included.

    Raises
    ------
    AnalysisError
        For a multigraph, a self-loop, or a node without a group.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("b", "d")])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "x", "c": "x", "d": "y"}, "sector")
    >>> gould_fernandez(g)["b"]
    {'coordinator': 1, 'itinerant': 0, 'representative': 1, 'gatekeeper': 0, 'liaison': 0}
    """
    if graph.is_multigraph():
        raise AnalysisError(
            f"Gould-Fernandez roles need a simple graph, got {type(graph).__name__}"
        )
    groups: dict[Hashable, str] = {}
    for node, data in graph.nodes(data=True):
        value = data.get(sector)
        if value is None:
            raise AnalysisError(f"node {node!r} has no {sector!r} attribute")
        groups[node] = value
    for a, b in graph.edges():
        if a == b:
            raise AnalysisError(f"self-loop on {a!r}: a two-path needs three actors")

    import numpy as np

    from biocluster_kg.graph.structural_holes import common_neighbours, edge_array, neighbour_sets

    nodes = list(graph)
    if not nodes:
        return {}
    names = sorted(set(groups.values()))
    group_index = {name: position for position, name in enumerate(names)}
    size, width = len(nodes), len(names)
    group = np.array([group_index[groups[node]] for node in nodes], dtype=np.int64)

    directed = graph.is_directed()
    ties = edge_array(graph, nodes)
    successors = neighbour_sets(graph, nodes)
    if directed:
        position = {node: i for i, node in enumerate(nodes)}
        predecessors = [{position[other] for other in graph.pred[node]} for node in nodes]
        arcs = ties
    else:
        # Every tie is two arcs.
        predecessors = successors
        arcs = np.concatenate([ties, ties[:, ::-1]])
    sources, targets = arcs[:, 0], arcs[:, 1]

    def tally(owners: np.ndarray, contacts: np.ndarray) -> np.ndarray:
        """(node, group) -> number of the node's contacts in that group."""
        keys = owners * width + group[contacts]
        return np.bincount(keys, minlength=size * width).reshape(size, width)

    incoming = tally(targets, sources)
    outgoing = tally(sources, targets)
    # A contact both before and after the broker would make a two-path from itself to itself.
    if directed:
        reciprocal = np.isin(sources * size + targets, targets * size + sources)
        both = tally(sources[reciprocal], targets[reciprocal])
    else:
        both = incoming

    # closed[B, group of A, group of C]: pairs A -> B -> C with an arc A -> C, found from the
    # arcs A -> C and their common neighbours B.
    tie_numbers, brokers = common_neighbours(ties, successors, predecessors)
    starts, ends = group[ties[tie_numbers, 0]], group[ties[tie_numbers, 1]]
    keys = (brokers * width + starts) * width + ends
    if not directed:
        # The same tie read the other way: C -> B -> A with C -> A.
        keys = np.concatenate([keys, (brokers * width + ends) * width + starts])
    closed = np.bincount(keys, minlength=size * width * width).reshape(size, width, width)

    # pairs[B, a, c]: open two-paths through B from group a to group c.
    pairs = incoming[:, :, None] * outgoing[:, None, :] - closed
    diagonal = np.arange(width)
    pairs[:, diagonal, diagonal] -= both

    # role[a, b, c]: the role of a broker of group b between groups a and c.
    role = np.array(
        [[[ROLES.index(role_of(a, b, c)) for c in names] for b in names] for a in names],
        dtype=np.int64,
    )
    role_ids = np.transpose(role[:, group, :], (1, 0, 2))
    keys = np.arange(size)[:, None, None] * len(ROLES) + role_ids
    counts = np.bincount(keys.ravel(), weights=pairs.ravel(), minlength=size * len(ROLES))
    counts = np.rint(counts).astype(np.int64).reshape(size, len(ROLES))
    return {
        node: dict(zip(ROLES, (int(value) for value in counts[position]), strict=True))
        for position, node in enumerate(nodes)
    }
