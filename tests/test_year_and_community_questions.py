"""The questions issue 14 added, checked against the knowledge base worked out in Python,
on a real Ladybug store and a real Neo4j server (their rows agreeing is also checked for
every question by tests/test_conformance.py). The stores hold what ``biocluster load``
stores: the facts and the measures overlay, where the communities are."""

from __future__ import annotations

from typing import Any

import pytest

from biocluster_kg.cypher.library import run_query
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase, Node
from biocluster_kg.kernel.schema import ACTOR_LABELS

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()


@pytest.fixture(scope="module")
def store_kb(shipped_measured_kb: KnowledgeBase) -> KnowledgeBase:
    """The stores hold what `biocluster load` stores: the facts and the measures overlay."""
    return shipped_measured_kb


# --------------------------------------------------------------------------------------------
# changes_between_years
# --------------------------------------------------------------------------------------------

DATED = ("Program", "Project", "Event", "Outcome", "Figure")


def _in_year(node: Node, year: int) -> bool:
    own = node.get("fiscal_year")
    if own is not None:
        return own == year
    start = node.get("fiscal_year_start")
    if start is None:
        return False
    end = node.get("fiscal_year_end")
    return start <= year and (end is None or end >= year)


def expected_changes(kb: KnowledgeBase, earlier: int, later: int) -> set[tuple[Any, ...]]:
    """(change, label, from_id, to_id, from_value, to_value, tied actors), from the files."""
    value_of = {"Program": "amount_thousand_yen", "Event": "attendance", "Figure": "value"}

    def tied(node_id: str) -> int:
        ends = {
            other
            for rel in kb.relationships.values()
            for this, other in ((rel.start, rel.end), (rel.end, rel.start))
            if this == node_id and kb.nodes[other].label in ACTOR_LABELS
        }
        return len(ends)

    def counted(year: int, metric: str) -> list[Node]:
        return [
            n
            for n in kb.nodes_with_label("Figure")
            if n.get("fiscal_year") == year and n.get("metric") == metric
        ]

    rows = set()
    for label in DATED:
        for node in kb.nodes_with_label(label):
            before, after = _in_year(node, earlier), _in_year(node, later)
            if before == after:
                continue
            other_year = later if before else earlier
            if label == "Figure" and counted(other_year, node.get("metric")):
                continue
            value = node.get(value_of[label]) if label in value_of else None
            rows.add(
                (
                    "ends" if before else "starts",
                    label,
                    node.id if before else None,
                    node.id if after else None,
                    value if before else None,
                    value if after else None,
                    tied(node.id),
                )
            )
    if earlier != later:
        for first in kb.nodes_with_label("Figure"):
            if first.get("fiscal_year") != earlier:
                continue
            for second in counted(later, first.get("metric")):
                if first.get("value") != second.get("value"):
                    rows.add(
                        (
                            "differs",
                            "Figure",
                            first.id,
                            second.id,
                            first.get("value"),
                            second.get("value"),
                            tied(second.id),
                        )
                    )
    return rows


def _answered(store: Any, earlier: int, later: int) -> list[tuple[Any, ...]]:
    records = run_query(
        store, "changes_between_years", {"from_year": earlier, "to_year": later}
    ).records()
    keys = ("change", "label", "from_id", "to_id", "from_value", "to_value", "tied_actors")
    return [tuple(record[key] for key in keys) for record in records]


@pytest.mark.parametrize(("earlier", "later"), [(2012, 2013), (2011, 2012), (2013, 2011)])
def test_changes_between_years_are_what_the_files_date(
    store: Any, shipped_kb: KnowledgeBase, earlier: int, later: int
) -> None:
    answered = _answered(store, earlier, later)
    assert len(answered) == len(set(answered))
    assert set(answered) == expected_changes(shipped_kb, earlier, later)


def test_changes_between_years_read_as_the_sources_say(store: Any) -> None:
    rows = {(r[0], r[2] or r[3]): r for r in _answered(store, 2012, 2013)}
    # 研究助手: 9 in H24, 6 in H25 (the education figures of the source).
    assert rows[("differs", "fig:research-assistants-fy2012")][4:6] == (9, 6)
    # The FY2013 budget appears with its stated total; FY2012's activity lines end.
    assert rows[("starts", "prog:fy2013-budget")][5] == 380067
    assert ("ends", "prog:fy2012-activities") in rows
    # 特別研究生 is 15 in both years: unchanged, so not listed at all.
    assert not any("special-students" in str(key) for key in rows)
    # A stated period (第3期, H23～25) covers both years: it neither starts nor ends.
    assert not any(key[1] == "prog:iab-third-period" for key in rows)


def test_nothing_changes_between_a_year_and_itself(store: Any) -> None:
    assert _answered(store, 2013, 2013) == []


# --------------------------------------------------------------------------------------------
# tie_communities
# --------------------------------------------------------------------------------------------


def test_communities_are_louvains_with_the_fixed_seed_on_the_tie_graph(
    shipped_kb: KnowledgeBase,
) -> None:
    import networkx as nx

    from biocluster_kg.graph.brokerage import analyze_brokers
    from biocluster_kg.graph.communities import SEED, communities

    graph = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).graph
    numbers = communities(graph)
    assert set(numbers) == set(graph.nodes)
    groups: dict[int, set[str]] = {}
    for node, number in numbers.items():
        groups.setdefault(number, set()).add(node)
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges))
    louvain = nx.community.louvain_communities(ordered, weight=None, seed=SEED)
    assert sorted(map(sorted, groups.values())) == sorted(map(sorted, louvain))
    sizes = [len(groups[number]) for number in sorted(groups)]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) > 2
    # Real structure, not one blob or all singletons.
    assert nx.community.modularity(graph, groups.values()) > 0.3
    # The same communities whatever order the graph was built in.
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(graph.nodes, reverse=True))
    shuffled.add_edges_from(sorted(graph.edges, reverse=True))
    assert communities(shuffled) == numbers


def test_tie_communities_lists_every_actor_once_with_its_stored_community(
    store: Any, shipped_kb: KnowledgeBase
) -> None:
    from biocluster_kg.graph.brokerage import analyze_brokers

    actors = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).actors
    records = run_query(store, "tie_communities").records()
    assert sorted(r["member_id"] for r in records) == sorted(actors)
    for record in records:
        assert record["community"] == actors[record["member_id"]].community
        assert record["degree"] == actors[record["member_id"]].degree
    sizes: dict[int, int] = {}
    for record in records:
        sizes[record["community"]] = sizes.get(record["community"], 0) + 1
    assert all(r["community_size"] == sizes[r["community"]] for r in records)
    # Ordered: community, then best-tied first.
    keys = [(r["community"], -r["degree"], r["member_id"]) for r in records]
    assert keys == sorted(keys)
    without_singletons = run_query(store, "tie_communities", {"min_size": 2}).records()
    lonely = [r for r in records if r["community_size"] == 1]
    assert lonely and len(without_singletons) == len(records) - len(lonely)
