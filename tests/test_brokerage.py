"""Brokerage analysis: every measure on small graphs whose figures are derived by hand in the
comments, checks against networkx where it has the measure, and the agreement of the ranking
with the library's Cypher question on the shipped knowledge base in real stores."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from biocluster_kg.graph.betweenness import (
    IndexedGraph,
    betweenness,
    sampled_betweenness,
    target_dependency,
)
from biocluster_kg.graph.bridging import company_bridges
from biocluster_kg.graph.brokerage import (
    COLUMNS,
    analyze_brokers,
    measure_properties,
    write_measures,
)
from biocluster_kg.graph.brokerage_roles import ROLES, gould_fernandez, role_of
from biocluster_kg.graph.structural_holes import constraint, effective_size, structural_holes
from biocluster_kg.graph.tie_graph import (
    DEFAULT_TIES,
    TIE_KINDS,
    actor_sectors,
    is_company,
    parse_ties,
    tie_graph,
)
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.errors import AnalysisError
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import COMPUTED_NODE_PROPERTIES, SCHEMA

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

# The shipped workspace's anchors (its cluster.yaml).
PROFILE = load_cluster_profile()
COMPANY_KINDS = PROFILE.company_kinds
INSTITUTE_ID = PROFILE.institute_id

# --------------------------------------------------------------------------------------------
# small hand-made knowledge bases
# --------------------------------------------------------------------------------------------


def make_kb(
    nodes: list[tuple[str, str, str, str | None]],
    relationships: list[tuple[str, str, str]],
) -> KnowledgeBase:
    """Nodes as (id, label, kind, sector or None), relationships as (type, start, end)."""
    kb = KnowledgeBase()
    for node_id, label, kind, sector in nodes:
        name = node_id.split(":", 1)[1].replace("-", " ").capitalize()
        properties: dict[str, Any] = {
            "name_ja": name,
            "name_en": name,
            "kind": kind,
            "source_doc": "test",
            "span": name,
        }
        if sector is not None:
            properties["sector"] = sector
        kb.add_node(Node(node_id, label, properties))
    for number, (type_, start, end) in enumerate(relationships):
        properties = {"source_doc": "test", "span": type_}
        if type_ in ("MEMBER_OF", "PARTICIPATES_IN"):
            properties["role"] = "member" if type_ == "MEMBER_OF" else "partner"
        kb.add_relationship(Relationship(f"rel:{number}", type_, start, end, properties))
    return kb


def sectors_of(graph: nx.Graph, mapping: dict[Any, str]) -> nx.Graph:
    nx.set_node_attributes(graph, mapping, "sector")
    return graph


# A miniature cluster. Roads (default ties) in the knowledge graph, undirected:
#
#   org:iab --PART_OF-- body:office --PERFORMS-- fn:survey --TARGETS-- group:makers
#      |                    |                       `------TARGETS-- group:farmers
#      |--GUIDES-- org:guide --GUIDES--'
#      |              `--PARTICIPATES_IN-- proj:q --PARTICIPATES_IN-- group:makers
#      `--VENTURE_OF-- org:venture --PARTICIPATES_IN-- proj:p --PARTICIPATES_IN-- org:partner
#
#   org:lonely and org:iab both PRODUCED out:result (a record tie, not counted by default).
#
# Companies: group:makers (food_manufacturers), org:venture, org:partner, org:lonely.
CLUSTER_NODES: list[tuple[str, str, str, str | None]] = [
    ("org:iab", "Organization", "research_institute", "academia"),
    ("body:office", "Body", "office", None),
    ("org:guide", "Organization", "government_division", "government"),
    ("fn:survey", "Function", "support", None),
    ("group:makers", "Group", "food_manufacturers", "industry"),
    ("group:farmers", "Group", "farmers", "industry"),
    ("proj:q", "Project", "joint_research", None),
    ("proj:p", "Project", "joint_research", None),
    ("org:venture", "Organization", "venture", "industry"),
    ("org:partner", "Organization", "company", "industry"),
    ("org:lonely", "Organization", "company", "industry"),
    ("out:result", "Outcome", "product", None),
]
CLUSTER_RELATIONSHIPS: list[tuple[str, str, str]] = [
    ("PART_OF", "body:office", "org:iab"),
    ("PERFORMS", "body:office", "fn:survey"),
    ("TARGETS", "fn:survey", "group:makers"),
    ("TARGETS", "fn:survey", "group:farmers"),
    ("GUIDES", "org:guide", "body:office"),
    ("GUIDES", "org:guide", "org:iab"),
    ("PARTICIPATES_IN", "org:guide", "proj:q"),
    ("PARTICIPATES_IN", "group:makers", "proj:q"),
    ("VENTURE_OF", "org:venture", "org:iab"),
    ("PARTICIPATES_IN", "org:venture", "proj:p"),
    ("PARTICIPATES_IN", "org:partner", "proj:p"),
    ("PRODUCED", "org:iab", "out:result"),
    ("PRODUCED", "org:lonely", "out:result"),
]


@pytest.fixture
def cluster() -> KnowledgeBase:
    return make_kb(CLUSTER_NODES, CLUSTER_RELATIONSHIPS)


# --------------------------------------------------------------------------------------------
# the actor tie graph
# --------------------------------------------------------------------------------------------


def test_tie_graph_projects_non_actors_away_remembering_the_mediator(cluster) -> None:
    graph = tie_graph(cluster, profile=SHIPPED_PROFILE)
    # Every actor is a node, the lonely company included; no function, project or outcome.
    assert sorted(graph) == [
        "body:office", "group:farmers", "group:makers", "org:guide", "org:iab",
        "org:lonely", "org:partner", "org:venture",
    ]  # fmt: skip
    # fn:survey is shared by the office and both groups: three ties through it.
    for pair in [("body:office", "group:makers"), ("body:office", "group:farmers"),
                 ("group:farmers", "group:makers")]:  # fmt: skip
        assert graph.edges[pair]["mediators"] == ("fn:survey",)
        assert graph.edges[pair]["direct"] == ()
        assert graph.edges[pair]["kinds"] == ("coordination",)
    # A shared project is a joint-research tie.
    assert graph.edges["org:guide", "group:makers"]["mediators"] == ("proj:q",)
    assert graph.edges["org:guide", "group:makers"]["kinds"] == ("joint_research",)
    # Direct relationships keep their types; PART_OF is structure, counted by default.
    assert graph.edges["body:office", "org:iab"]["direct"] == ("PART_OF",)
    assert graph.edges["body:office", "org:iab"]["kinds"] == ("structure",)
    assert graph.edges["org:guide", "org:iab"]["direct"] == ("GUIDES",)
    # The record tie through out:result is not counted by default...
    assert graph.degree("org:lonely") == 0
    assert graph.number_of_edges() == 9
    # ...and is when asked for.
    with_records = tie_graph(cluster, ties=[*DEFAULT_TIES, "record"], profile=SHIPPED_PROFILE)
    assert with_records.edges["org:iab", "org:lonely"]["mediators"] == ("out:result",)
    assert with_records.edges["org:iab", "org:lonely"]["kinds"] == ("record",)


def test_tie_graph_keeps_only_the_chosen_tie_kinds(cluster) -> None:
    only_research = tie_graph(cluster, ties=["joint_research"], profile=SHIPPED_PROFILE)
    assert sorted(only_research.edges) == [
        ("group:makers", "org:guide"), ("org:iab", "org:venture"), ("org:partner", "org:venture"),
    ]  # fmt: skip
    without_structure = tie_graph(
        cluster, ties=["membership", "coordination"], profile=SHIPPED_PROFILE
    )
    assert not without_structure.has_edge("body:office", "org:iab")
    assert without_structure.has_edge("org:guide", "org:iab")


def test_tie_graph_does_not_follow_chains_of_non_actors() -> None:
    # org:a implements prog:one, prog:one funds prog:two, prog:two supports org:b: the two
    # actors share no single programme, so they are not tied.
    kb = make_kb(
        [("org:a", "Organization", "prefecture", "government"),
         ("org:b", "Organization", "company", "industry"),
         ("prog:one", "Program", "budget", None),
         ("prog:two", "Program", "program", None)],
        [("IMPLEMENTS", "org:a", "prog:one"), ("FUNDS", "prog:one", "prog:two"),
         ("SUPPORTS", "prog:two", "org:b")],
    )  # fmt: skip
    assert tie_graph(kb, profile=SHIPPED_PROFILE).number_of_edges() == 0


def test_tie_graph_merges_parallel_relationships_and_drops_self_ties() -> None:
    kb = make_kb(
        [("org:a", "Organization", "prefecture", "government"),
         ("org:b", "Organization", "municipality", "government"),
         ("fn:f", "Function", "coordination", None)],
        [("COORDINATES_WITH", "org:a", "org:b"), ("COORDINATES_WITH", "org:b", "org:a"),
         ("GUIDES", "org:a", "org:b"), ("PERFORMS", "org:a", "fn:f"),
         ("TARGETS", "fn:f", "org:a")],
    )  # fmt: skip
    graph = tie_graph(kb, profile=SHIPPED_PROFILE)
    assert list(graph.edges(data=True)) == [
        ("org:a", "org:b",
         {"kinds": ("coordination",), "direct": ("COORDINATES_WITH", "GUIDES"), "mediators": ()}),
    ]  # fmt: skip


def test_sectors_are_inherited_upwards_and_default_to_other() -> None:
    kb = make_kb(
        [("org:pref", "Organization", "prefecture", "government"),
         ("body:unit", "Body", "office", None),
         ("pos:head", "Position", "director", None),
         ("pos:chair", "Position", "association_head", None),
         ("body:council", "Body", "council", None),
         ("body:own", "Body", "committee", "medical")],
        [("PART_OF", "body:unit", "org:pref"), ("POSITION_IN", "pos:head", "body:unit"),
         ("POSITION_IN", "pos:chair", "body:council"), ("PART_OF", "body:own", "org:pref")],
    )  # fmt: skip
    assert actor_sectors(kb.to_networkx()) == {
        "body:council": "other",  # no sector and nothing above it
        "body:own": "medical",  # its own sector wins over its parent's
        "body:unit": "government",  # PART_OF the prefecture
        "org:pref": "government",
        "pos:chair": "other",  # a post in a body without a sector
        "pos:head": "government",  # POSITION_IN body:unit, PART_OF the prefecture
    }


def test_companies_are_the_declared_kinds() -> None:
    for label, kinds in COMPANY_KINDS.items():
        for kind in kinds:
            assert is_company({"label": label, "kind": kind}, profile=SHIPPED_PROFILE)
            assert kind in SCHEMA.node(label).kinds
    assert not is_company({"label": "Group", "kind": "farmers"}, profile=SHIPPED_PROFILE)
    assert not is_company({"label": "Organization", "kind": "companies"}, profile=SHIPPED_PROFILE)
    assert not is_company({"label": "Body", "kind": "company"}, profile=SHIPPED_PROFILE)


def test_tie_kinds_are_parsed_and_checked() -> None:
    assert set(TIE_KINDS) == {r.tie for r in SCHEMA.relationships}
    assert parse_ties(" record ,membership,membership") == ("membership", "record")
    with pytest.raises(AnalysisError, match=r"^unknown tie kind 'ownership' \(choose from "):
        parse_ties("membership,ownership")
    with pytest.raises(AnalysisError, match="^no tie kinds chosen"):
        parse_ties(" , ")


def test_tie_graph_refuses_what_is_not_a_knowledge_graph() -> None:
    with pytest.raises(
        AnalysisError, match="expected the knowledge base's MultiDiGraph, got Graph"
    ):
        tie_graph(nx.Graph(), profile=SHIPPED_PROFILE)
    unlabeled = nx.MultiDiGraph()
    unlabeled.add_node("org:x")
    with pytest.raises(AnalysisError, match="node 'org:x' has no 'label' attribute"):
        tie_graph(unlabeled, profile=SHIPPED_PROFILE)


# --------------------------------------------------------------------------------------------
# Gould-Fernandez roles
# --------------------------------------------------------------------------------------------


def test_role_of_covers_the_five_roles() -> None:
    assert role_of("g", "g", "g") == "coordinator"
    assert role_of("i", "g", "i") == "itinerant"
    assert role_of("g", "g", "i") == "representative"
    assert role_of("i", "g", "g") == "gatekeeper"
    assert role_of("i", "g", "a") == "liaison"


def test_gould_fernandez_undirected_by_hand() -> None:
    # b (government) has contacts a (government), c (industry), d (industry), e (academia);
    # c and d are tied to each other. Unordered pairs of b's contacts: {a,c} {a,d} {a,e}
    # {c,d} {c,e} {d,e}; {c,d} is closed, the other five are open. Each open pair is two
    # two-paths (undirected ties read both ways):
    #   {a,c}: a->b->c  gov,gov,ind  representative;  c->b->a  ind,gov,gov  gatekeeper
    #   {a,d}: the same: 1 representative, 1 gatekeeper
    #   {a,e}: a->b->e  gov,gov,aca  representative;  e->b->a  gatekeeper
    #   {c,e}: ind,gov,aca both ways: 2 liaison
    #   {d,e}: 2 liaison
    # -> b: representative 3, gatekeeper 3, liaison 4. c's two contacts (b, d) are tied, as
    # are d's (b, c); a and e have one contact each: all zero.
    # A second component: x (industry) between two industry contacts -> 2 coordinator;
    # z (academia) between two industry contacts -> 2 itinerant.
    graph = sectors_of(
        nx.Graph([("b", "a"), ("b", "c"), ("b", "d"), ("b", "e"), ("c", "d"),
                  ("x", "y1"), ("x", "y2"), ("z", "w1"), ("z", "w2")]),
        {"a": "government", "b": "government", "c": "industry", "d": "industry",
         "e": "academia", "x": "industry", "y1": "industry", "y2": "industry",
         "z": "academia", "w1": "industry", "w2": "industry"},
    )  # fmt: skip
    roles = gould_fernandez(graph)
    zero = dict.fromkeys(ROLES, 0)
    assert roles["b"] == {**zero, "representative": 3, "gatekeeper": 3, "liaison": 4}
    assert roles["x"] == {**zero, "coordinator": 2}
    assert roles["z"] == {**zero, "itinerant": 2}
    for node in ("a", "c", "d", "e", "y1", "y2", "w1", "w2"):
        assert roles[node] == zero


def test_gould_fernandez_directed_by_hand() -> None:
    # Arcs a->b, b->c, c->a; a and b in group g1, c in g2.
    #   at b: a->b->c, no arc a->c: open, (g1, g1, g2) representative
    #   at c: b->c->a, no arc b->a: open, (g1, g2, g1) itinerant
    #   at a: c->a->b, no arc c->b: open, (g2, g1, g1) gatekeeper
    groups = {"a": "g1", "b": "g1", "c": "g2"}
    zero = dict.fromkeys(ROLES, 0)
    cycle = sectors_of(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]), groups)
    assert gould_fernandez(cycle) == {
        "a": {**zero, "gatekeeper": 1},
        "b": {**zero, "representative": 1},
        "c": {**zero, "itinerant": 1},
    }
    # Adding a->c closes a->b->c, so b brokers nothing. At a, c->a->c is not a two-path
    # (same end), c->a->b stays open: gatekeeper 1. At c, a->c->a is not one either,
    # b->c->a stays open: itinerant 1.
    cycle.add_edge("a", "c")
    assert gould_fernandez(cycle) == {
        "a": {**zero, "gatekeeper": 1},
        "b": zero,
        "c": {**zero, "itinerant": 1},
    }


def test_gould_fernandez_matches_enumerating_every_two_path() -> None:
    def enumerate_two_paths(graph: nx.Graph | nx.DiGraph) -> dict[Any, dict[str, int]]:
        result = {}
        for broker in graph:
            counts = dict.fromkeys(ROLES, 0)
            before = graph.pred[broker] if graph.is_directed() else graph.adj[broker]
            after = graph.succ[broker] if graph.is_directed() else graph.adj[broker]
            for a in before:
                for c in after:
                    if a != c and not graph.has_edge(a, c):
                        sector = graph.nodes
                        role = role_of(sector[a]["sector"], sector[broker]["sector"],
                                       sector[c]["sector"])  # fmt: skip
                        counts[role] += 1
            result[broker] = counts
        return result

    for seed in range(12):
        graph = nx.gnm_random_graph(25, 60, seed=seed, directed=seed % 2 == 0)
        chooser = random.Random(seed)
        nx.set_node_attributes(graph, {n: chooser.choice("abc") for n in graph}, "sector")
        assert gould_fernandez(graph) == enumerate_two_paths(graph)


def test_gould_fernandez_preconditions() -> None:
    with pytest.raises(AnalysisError, match="need a simple graph, got MultiGraph"):
        gould_fernandez(nx.MultiGraph([(1, 2)]))
    with pytest.raises(AnalysisError, match="node 2 has no 'sector' attribute"):
        gould_fernandez(sectors_of(nx.Graph([(1, 2)]), {1: "x"}))
    with pytest.raises(AnalysisError, match="self-loop on 1"):
        gould_fernandez(sectors_of(nx.Graph([(1, 1)]), {1: "x"}))


# --------------------------------------------------------------------------------------------
# betweenness
# --------------------------------------------------------------------------------------------


def test_betweenness_by_hand() -> None:
    # Cycle 0-1-2-3-0, n = 4: node 0 is inside one of the two shortest 1-3 paths and no
    # other pair's, so 1/2 per unordered pair, 1 over ordered pairs, divided by the
    # (n-1)(n-2) = 6 ordered pairs of other nodes: 1/6. The same for every node.
    assert betweenness(nx.cycle_graph(4)) == pytest.approx(dict.fromkeys(range(4), 1 / 6))
    # Star with centre 0 and 4 leaves: every pair of leaves (12 ordered) goes through 0,
    # divided by 4 * 3 = 12: 1.
    assert betweenness(nx.star_graph(4)) == pytest.approx({0: 1.0, 1: 0, 2: 0, 3: 0, 4: 0})
    # Fewer than three nodes: nobody can be between.
    assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}


@pytest.mark.parametrize("searches", ["igraph", "numpy"])
def test_betweenness_equals_networkx_exact_and_sampled(
    searches: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import biocluster_kg.graph.betweenness as module

    # Small graphs search on arrays, large ones in igraph: both must give networkx's figures.
    monkeypatch.setattr(module, "IGRAPH_FROM_NODES", 0 if searches == "igraph" else 10**9)
    for seed in range(4):
        graph = nx.gnm_random_graph(70, 150, seed=seed)
        graph.add_nodes_from(["isolated-a", "isolated-b"])
        ours = betweenness(graph)
        theirs = nx.betweenness_centrality(graph)
        assert ours == pytest.approx(theirs, abs=1e-12)
        # Same seed, same sampled sources, same rescaling.
        ours = betweenness(graph, sample=9, seed=seed)
        theirs = nx.betweenness_centrality(graph, k=9, seed=seed)
        assert ours == pytest.approx(theirs, abs=1e-12)
        # A sample as large as the graph is the exact figure.
        assert betweenness(graph, sample=500) == pytest.approx(nx.betweenness_centrality(graph))


@pytest.mark.parametrize("searches", ["igraph", "numpy"])
def test_sampled_betweenness_says_how_far_its_top_ten_agrees(
    searches: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import biocluster_kg.graph.betweenness as module

    monkeypatch.setattr(module, "IGRAPH_FROM_NODES", 0 if searches == "igraph" else 10**9)
    graph = nx.gnm_random_graph(300, 900, seed=5)
    figures, agreement = sampled_betweenness(graph, sample=40, seed=2)
    # The estimate is networkx's for the same sources, summed from the two halves.
    assert figures == pytest.approx(nx.betweenness_centrality(graph, k=40, seed=2), abs=1e-12)
    assert agreement is not None and (agreement.sources, agreement.top) == (40, 10)
    # The agreement, recomputed with networkx: each half's top 10 by dependency sums.
    sources = random.Random(2).sample(list(graph), 40)
    tops = []
    for half in (sources[:20], sources[20:]):
        sums = nx.betweenness_centrality_subset(graph, sources=half, targets=list(graph))
        tops.append({n for n, _ in sorted(sums.items(), key=lambda i: (-i[1], i[0]))[:10]})
    assert agreement.shared == len(tops[0] & tops[1])
    assert f"share {agreement.shared} of their top 10" in agreement.sentence()
    assert f"上位10の一致は{agreement.shared}/10" in agreement.sentence("ja")
    # Exact figures need no agreement.
    assert sampled_betweenness(graph, sample=None)[1] is None
    assert sampled_betweenness(graph, sample=300)[1] is None


def test_analyze_brokers_says_how_stable_a_sampled_ranking_is() -> None:
    from click.testing import CliRunner

    from biocluster_kg.cli import cli

    sampled = CliRunner().invoke(
        cli, ["analyze", "brokers", "--sample", "20", "--format", "json"], catch_exceptions=False
    )
    assert sampled.exit_code == 0, sampled.output
    assert "媒介中心性は20個の起点の標本による推定値です" in sampled.stderr
    assert sampled.stdout.startswith("[")  # the rows stay machine-readable
    exact = CliRunner().invoke(cli, ["analyze", "brokers", "--format", "json", "--lang", "en"])
    assert exact.exit_code == 0 and exact.stderr == ""


def test_target_dependency_by_hand() -> None:
    # Diamond c-x-t, c-y-t with a tail c2-c; companies c and c2, target t.
    #   c -> t: two shortest paths, via x and via y: x 1/2, y 1/2
    #   c2 -> t: c2-c-x-t and c2-c-y-t: c 1, x 1/2, y 1/2
    # so x 1, y 1, c 1 (an end of its own paths, inside c2's), t and c2 0.
    diamond = nx.Graph([("c", "x"), ("c", "y"), ("x", "t"), ("y", "t"), ("c2", "c")])
    assert target_dependency(diamond, "t", ["c", "c2"]) == {
        "c": 1.0, "x": 1.0, "y": 1.0, "t": 0.0, "c2": 0.0,
    }  # fmt: skip


def test_target_dependency_is_twice_networkx_subset_betweenness() -> None:
    for seed in range(4):
        graph = nx.gnm_random_graph(60, 110, seed=seed)
        others = random.Random(seed).sample(list(graph), 15)
        ours = target_dependency(graph, 0, others)
        theirs = nx.betweenness_centrality_subset(graph, sources=others, targets=[0])
        assert ours == pytest.approx({node: 2 * value for node, value in theirs.items()})


def test_indexed_graph_from_pairs_is_simple_and_undirected() -> None:
    graph = IndexedGraph.from_pairs(["a", "b", "c"], [("a", "b"), ("b", "a"), ("a", "a")])
    assert graph.indptr.tolist() == [0, 1, 2, 2]
    assert graph.indices.tolist() == [1, 0]


def test_betweenness_preconditions() -> None:
    with pytest.raises(AnalysisError, match="needs an undirected simple graph, got DiGraph"):
        betweenness(nx.DiGraph([(1, 2)]))
    with pytest.raises(AnalysisError, match="self-loop on 1"):
        betweenness(nx.Graph([(1, 1), (1, 2)]))
    with pytest.raises(AnalysisError, match="sample must be at least 2 sources, got 1"):
        betweenness(nx.path_graph(5), sample=1)
    with pytest.raises(AnalysisError, match="'t' is not in the graph"):
        target_dependency(nx.path_graph(3), "t", [0])


# --------------------------------------------------------------------------------------------
# Burt's constraint and effective size
# --------------------------------------------------------------------------------------------


def test_structural_holes_by_hand() -> None:
    # Kite: triangle 0-1-2 and a pendant 3 on 0. Degrees 3, 2, 2, 1; p_ij = 1/deg(i).
    # Constraint c_i = sum_j (p_ij + sum_q p_iq p_qj)^2 over i's contacts j, q common to both:
    #   node 0: j=1 (1/3 + p02 p21 = 1/3 * 1/2)^2 = (1/2)^2 = 1/4; j=2 likewise 1/4;
    #           j=3 (1/3)^2 = 1/9                             -> 11/18
    #   node 1: j=0 (1/2 + p12 p20 = 1/2 * 1/2)^2 = (3/4)^2 = 9/16;
    #           j=2 (1/2 + p10 p02 = 1/2 * 1/3)^2 = (2/3)^2 = 4/9 -> 145/144
    #   node 3: j=0 (1/1)^2                                    -> 1
    # Effective size n - 2t/n (t ties among the contacts):
    #   node 0: 3 - 2*1/3 = 7/3; node 1: 2 - 2*1/2 = 1; node 3: 1 - 0 = 1.
    kite = nx.Graph([(0, 1), (1, 2), (2, 0), (0, 3)])
    kite.add_node(4)  # no ties: neither measure
    constraints, sizes = structural_holes(kite)
    assert constraints == pytest.approx({0: 11 / 18, 1: 145 / 144, 2: 145 / 144, 3: 1.0})
    assert sizes == pytest.approx({0: 7 / 3, 1: 1.0, 2: 1.0, 3: 1.0})
    assert constraint(kite) == constraints
    assert effective_size(kite) == sizes


def test_structural_holes_equal_networkx() -> None:
    for seed in range(4):
        graph = nx.powerlaw_cluster_graph(120, 3, 0.4, seed=seed)
        constraints, sizes = structural_holes(graph)
        assert constraints == pytest.approx(nx.constraint(graph))
        assert sizes == pytest.approx(nx.effective_size(graph))


def test_structural_holes_preconditions() -> None:
    with pytest.raises(AnalysisError, match="needs an undirected simple graph, got MultiGraph"):
        structural_holes(nx.MultiGraph([(1, 2)]))


# --------------------------------------------------------------------------------------------
# company routes and the whole analysis
# --------------------------------------------------------------------------------------------


def test_company_routes_by_hand(cluster) -> None:
    # Shortest routes to org:iab (default roads; see the picture above the fixture):
    #   group:makers: makers-fn:survey-office-iab and makers-proj:q-guide-iab, 3 steps each,
    #     so office, fn:survey, guide and proj:q each carry half of them;
    #   org:venture: VENTURE_OF, 1 step, nothing inside;
    #   org:partner: partner-proj:p-venture-iab, 3 steps, one route: proj:p and venture 1;
    #   org:lonely: only the record tie through out:result, not a road: no route.
    bridges = company_bridges(cluster, profile=SHIPPED_PROFILE)
    assert bridges.companies == ("group:makers", "org:lonely", "org:partner", "org:venture")
    assert bridges.distance == {"group:makers": 3, "org:partner": 3, "org:venture": 1}
    assert bridges.reachable == ("group:makers", "org:partner", "org:venture")
    assert bridges.dependency == {
        "body:office": 0.5, "fn:survey": 0.5, "org:guide": 0.5, "proj:q": 0.5,
        "org:venture": 1.0, "proj:p": 1.0,
    }  # fmt: skip
    assert bridges.via["body:office"] == {"group:makers": ("fn:survey",)}
    assert bridges.via["org:venture"] == {"org:partner": ("proj:p",)}
    assert bridges.via["fn:survey"] == {"group:makers": ("group:makers",)}
    # Scores divide by the 3 companies with a route.
    assert bridges.score("org:venture") == pytest.approx(1 / 3)
    assert bridges.score("body:office") == pytest.approx(1 / 6)
    # Counting records gives org:lonely a route (lonely-out:result-iab) with nobody inside.
    with_records = company_bridges(cluster, [*DEFAULT_TIES, "record"], profile=SHIPPED_PROFILE)
    assert with_records.distance["org:lonely"] == 2
    assert with_records.score("org:venture") == pytest.approx(1 / 4)


def test_analysis_ranks_and_explains_by_hand(cluster) -> None:
    analysis = analyze_brokers(cluster, profile=SHIPPED_PROFILE)
    ranking = analysis.ranking()
    # Brokers first by dependency (venture 1, office 1/2, guide 1/2; ties broken by id),
    # then the others by betweenness.
    assert [actor.id for actor in ranking[:3]] == ["org:venture", "body:office", "org:guide"]
    venture, office, guide = ranking[:3]
    assert venture.companies == ("org:partner",)
    assert venture.reason == "links 1 company (Partner) to the institute through the project 'P'"
    assert office.reason == (
        "links 1 company (Makers) to the institute through the function 'Survey', "
        "on 50% of their shortest routes"
    )
    assert guide.reason == (
        "links 1 company (Makers) to the institute through the project 'Q', "
        "on 50% of their shortest routes"
    )
    assert (venture.dependency, venture.bridge_score) == (1.0, pytest.approx(1 / 3))

    # org:guide in the actor graph: contacts office (other, GUIDES), iab (academia, GUIDES)
    # and makers (industry, through proj:q); office-iab are tied (PART_OF) and office-makers
    # (through fn:survey), iab-makers are not.
    assert guide.degree == 3
    # Gould-Fernandez: the one open pair {iab, makers}, academia/government/industry both
    # ways: 2 liaison.
    assert guide.roles == {**dict.fromkeys(ROLES, 0), "liaison": 2}
    # Effective size 3 - 2*2/3 = 5/3 (two ties among its three contacts).
    assert guide.effective_size == pytest.approx(5 / 3)
    # Constraint: degrees office 4 (guide, iab, makers, farmers), iab 3 (office, guide,
    # venture), makers 3 (office, farmers, guide). p = 1/3 from guide.
    #   j=office: (1/3 + 1/3*1/3 [via iab] + 1/3*1/3 [via makers])^2 = (5/9)^2 = 25/81
    #   j=iab:    (1/3 + 1/3*1/4 [via office])^2 = (5/12)^2 = 25/144
    #   j=makers: (1/3 + 1/3*1/4 [via office])^2 = 25/144
    assert guide.constraint == pytest.approx(25 / 81 + 50 / 144)
    # Betweenness over 8 actors: guide is on half the shortest iab-makers paths (the other
    # half via office), and so on half of venture-makers and partner-makers (which go
    # through iab): 3/2 unordered = 3 ordered pairs, over (8-1)(8-2) = 42.
    assert guide.betweenness == pytest.approx(3 / 42)

    institute = analysis.actors[INSTITUTE_ID]
    assert institute.reason == "is the institute the company routes lead to"
    lonely = analysis.actors["org:lonely"]
    assert (lonely.degree, lonely.constraint, lonely.effective_size) == (0, None, None)
    assert lonely.reason == "has no ties of the chosen kinds"
    # Non-brokers follow by betweenness; among the zero-betweenness ones, actors with ties
    # come before those without (issue 14: an untied actor must not rank above a tied one
    # for its id alone), by degree, then id.
    tail = [actor for actor in ranking[3:] if actor.betweenness == 0]
    assert [actor.id for actor in tail] == [
        actor.id for actor in sorted(tail, key=lambda a: (a.degree == 0, -a.degree, a.id))
    ]
    assert tail[-1].id == "org:lonely"
    assert [actor.betweenness for actor in ranking[3:]] == sorted(
        (actor.betweenness for actor in ranking[3:]), reverse=True
    )
    # makers-farmers are tied, and farmers' only other contact is office, tied to makers.
    farmers = analysis.actors["group:farmers"]
    assert farmers.reason == "all 2 of its contacts are tied to one another: no brokerage"


def test_analysis_table_follows_the_columns(cluster) -> None:
    rows = analyze_brokers(cluster, profile=SHIPPED_PROFILE).table(top=2)
    assert len(rows) == 2
    first = dict(zip(COLUMNS, rows[0], strict=True))
    assert first["rank"] == 1
    assert first["id"] == "org:venture"
    assert first["companies"] == 1
    assert first["roles"] == ["representative", "gatekeeper"]
    # venture (industry) between partner (industry) and iab (academia): one open pair,
    # partner->venture->iab representative, iab->venture->partner gatekeeper.
    assert (
        analyze_brokers(cluster, profile=SHIPPED_PROFILE)
        .actors["org:venture"]
        .roles["representative"]
        == 1
    )


def test_analysis_tie_choice_changes_the_answer(cluster) -> None:
    # Joint research only: makers reach proj:q and guide, but guide's tie to the institute
    # is GUIDES (coordination): no route. partner reaches it through venture.
    analysis = analyze_brokers(cluster, ties=["joint_research"], profile=SHIPPED_PROFILE)
    assert analysis.ties == ("joint_research",)
    assert analysis.bridges.reachable == ("org:partner", "org:venture")
    assert [a.id for a in analysis.ranking() if a.dependency] == ["org:venture"]
    assert analysis.actors["org:venture"].bridge_score == pytest.approx(1 / 2)


def test_analysis_sample_estimates_betweenness(cluster) -> None:
    exact = analyze_brokers(cluster, profile=SHIPPED_PROFILE)
    sampled = analyze_brokers(cluster, sample=4, seed=3, profile=SHIPPED_PROFILE)
    graph = exact.graph
    expected = nx.betweenness_centrality(graph, k=4, seed=3)
    assert {n: a.betweenness for n, a in sampled.actors.items()} == pytest.approx(expected)
    # Only betweenness is sampled.
    assert [a.bridge_score for a in sampled.ranking()] == [a.bridge_score for a in exact.ranking()]


def test_analysis_preconditions(cluster) -> None:
    without_institute = make_kb(CLUSTER_NODES[1:], [])
    with pytest.raises(
        AnalysisError, match="^the institute 'org:iab' is not an actor of the knowledge base$"
    ):
        analyze_brokers(without_institute, profile=SHIPPED_PROFILE)
    with pytest.raises(AnalysisError, match="^sample must be at least 2 sources, got 1$"):
        analyze_brokers(cluster, sample=1, profile=SHIPPED_PROFILE)
    with pytest.raises(AnalysisError, match="^unknown tie kind 'love'"):
        analyze_brokers(cluster, ties=["love"], profile=SHIPPED_PROFILE)


def test_write_measures_sets_every_computed_property(cluster) -> None:
    before = {node_id: dict(node.properties) for node_id, node in cluster.nodes.items()}
    measured = write_measures(cluster, profile=SHIPPED_PROFILE)
    assert before == {node_id: node.properties for node_id, node in cluster.nodes.items()}
    assert measured.relationships == cluster.relationships
    declared = {prop.name for prop in COMPUTED_NODE_PROPERTIES}
    for node_id, node in measured.nodes.items():
        assert declared <= set(node.properties), node_id
        for name in declared:
            prop = next(p for p in COMPUTED_NODE_PROPERTIES if p.name == name)
            value = node.properties[name]
            assert value is None or isinstance(value, {"int": int, "float": float,
                                                       "string[]": list}[prop.type])  # fmt: skip
    venture = measured.nodes["org:venture"].properties
    assert venture["bridge_score"] == pytest.approx(1 / 3)
    assert venture["degree"] == 2
    assert venture["brokerage_roles"] == ["representative", "gatekeeper"]
    survey = measured.nodes["fn:survey"].properties
    # A non-actor has no measures: nulls, and no roles.
    assert {name: survey[name] for name in declared} == {
        name: [] if name == "brokerage_roles" else None for name in declared
    }
    analysis = analyze_brokers(cluster, profile=SHIPPED_PROFILE)
    assert measure_properties(analysis, "org:lonely")["constraint"] is None


# --------------------------------------------------------------------------------------------
# the shipped knowledge base, in real stores
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_analysis(shipped_kb: KnowledgeBase):
    return analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE)


@pytest.fixture(scope="module")
def measured_ladybug(tmp_path_factory, shipped_kb, shipped_analysis) -> Iterator[Any]:
    from biocluster_kg.cypher.ladybug_backend import LadybugBackend

    path: Path = tmp_path_factory.mktemp("brokerage") / "kb.lbug"
    with LadybugBackend(path) as store:
        store.load(write_measures(shipped_kb, analysis=shipped_analysis))
        yield store


def cypher_bridges(store: Any) -> list[tuple[str, float, int, list[str]]]:
    from biocluster_kg.cypher.library import run_query

    records = run_query(store, "bridges_companies_to_institute").records()
    return [(r["broker_id"], r["dependency"], r["companies"], r["company_ids"]) for r in records]


def python_bridges(analysis) -> list[tuple[str, float, int, list[str]]]:
    return [
        (actor.id, round(actor.dependency, 9), len(actor.companies), list(actor.companies))
        for actor in analysis.ranking()
        if actor.dependency
    ]


def test_shipped_ranking_has_brokers(shipped_analysis) -> None:
    brokers = python_bridges(shipped_analysis)
    assert brokers, "nobody bridges a company to the institute in the shipped data"
    # The Cypher question searches routes of at most 12 steps; the agreement needs all
    # shortest company routes to be within that.
    assert max(shipped_analysis.bridges.distance.values()) <= 12


def test_shipped_ranking_agrees_with_the_cypher_question_on_ladybug(
    measured_ladybug, shipped_analysis
) -> None:
    """The library question and the Python ranking: same brokers, order, scores, companies."""
    assert cypher_bridges(measured_ladybug) == python_bridges(shipped_analysis)


@pytest.mark.neo4j
def test_shipped_ranking_agrees_with_the_cypher_question_on_neo4j(
    shipped_kb, shipped_analysis
) -> None:
    from neo4j_support import neo4j_settings_or_skip

    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    backend = Neo4jBackend(connect(settings), settings.database, description=settings.uri)
    try:
        backend.load(write_measures(shipped_kb, analysis=shipped_analysis))
        assert cypher_bridges(backend) == python_bridges(shipped_analysis)
        stored = backend.run(
            "MATCH (n) WHERE n.bridge_score > 0 "
            "RETURN n.id AS id, n.bridge_score AS score ORDER BY score DESC, id"
        ).rows
        assert stored == stored_scores(shipped_analysis)
    finally:
        backend.close()


def stored_scores(analysis) -> list[list[Any]]:
    brokers = [a for a in analysis.actors.values() if a.bridge_score > 0]
    return [[a.id, a.bridge_score] for a in sorted(brokers, key=lambda a: (-a.bridge_score, a.id))]


def test_measures_are_stored_and_queryable_after_a_load(measured_ladybug, shipped_analysis) -> None:
    stored = measured_ladybug.run(
        "MATCH (n) WHERE n.bridge_score > 0 "
        "RETURN n.id AS id, n.bridge_score AS score ORDER BY score DESC, id"
    ).rows
    assert stored == stored_scores(shipped_analysis)
    iab = measured_ladybug.run(
        "MATCH (n:`Organization`) WHERE n.id = $id "
        "RETURN n.degree, n.betweenness, n.constraint, n.effective_size, n.brokerage_roles",
        {"id": INSTITUTE_ID},
    ).rows[0]
    actor = shipped_analysis.actors[INSTITUTE_ID]
    assert iab == [actor.degree, pytest.approx(actor.betweenness), pytest.approx(actor.constraint),
                   pytest.approx(actor.effective_size), actor.roles_held]  # fmt: skip


def test_large_knowledge_bases_get_sampled_betweenness_and_say_so(
    shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import biocluster_kg.graph.brokerage as brokerage

    exact = brokerage.measured(shipped_kb, profile=SHIPPED_PROFILE)
    assert brokerage.measurement_note(shipped_kb) is None
    # The shipped knowledge base stands in for a large one: the limit is lowered below it.
    monkeypatch.setattr(brokerage, "EXACT_BETWEENNESS_ACTORS", 10)
    monkeypatch.setattr(brokerage, "SAMPLED_SOURCES", 5)
    sampled = brokerage.measured(shipped_kb, profile=SHIPPED_PROFILE)
    note = brokerage.measurement_note(shipped_kb)
    assert note is not None and "estimated from 5 sampled sources" in note
    betweenness = {n.id: n.get("betweenness") for n in sampled.nodes.values()}
    assert betweenness != {n.id: n.get("betweenness") for n in exact.nodes.values()}
    # Everything but overall betweenness stays exact.
    for node_id, node in exact.nodes.items():
        for name in ("bridge_score", "constraint", "degree", "brokerage_roles"):
            assert sampled.nodes[node_id].get(name) == node.get(name), (node_id, name)


def test_actors_without_ties_of_the_chosen_kinds_rank_last(shipped_kb: KnowledgeBase) -> None:
    ranking = analyze_brokers(shipped_kb, ["funding"], profile=SHIPPED_PROFILE).ranking()
    tied = [actor.degree > 0 or actor.dependency > 0 for actor in ranking]
    assert any(tied) and not all(tied)
    # Once the untied begin, no tied actor follows.
    first_untied = tied.index(False)
    assert not any(tied[first_untied:]), [a.id for a in ranking if a.degree][:5]


def test_every_reason_has_a_japanese_twin_without_english(shipped_kb: KnowledgeBase) -> None:
    import re

    for actor in analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).ranking():
        assert actor.reason and actor.reason_ja
        # Names are the Japanese names; the only Latin letters left are those of names
        # written so (JST, HMT, NASA) and ids of nodes without a Japanese name.
        words = set(re.findall(r"[A-Za-z]{2,}", actor.reason_ja))
        allowed = {
            w
            for n in shipped_kb.nodes.values()
            for w in re.findall(r"[A-Za-z]{2,}", n.get("name_ja") or "")
        }
        assert words <= allowed, (actor.id, actor.reason_ja)


def test_nothing_below_the_session_falls_back_to_the_shipped_profile(
    shipped_kb: KnowledgeBase,
) -> None:
    """The analysis, exports and budget take the workspace's profile from their caller: left
    out, they refuse or answer for no cluster, never for the shipped workspace's anchors."""
    from biocluster_kg.app import notebook as nb
    from biocluster_kg.graph.brokerage import measured
    from biocluster_kg.graph.budget import funding_flows
    from biocluster_kg.graph.exports import graph_document
    from biocluster_kg.kernel.errors import BioclusterError

    for call in (
        lambda: analyze_brokers(shipped_kb),  # type: ignore[call-arg]
        lambda: company_bridges(shipped_kb),  # type: ignore[call-arg]
        lambda: tie_graph(shipped_kb),  # type: ignore[call-arg]
        lambda: measured(shipped_kb),  # type: ignore[call-arg]
        lambda: graph_document(shipped_kb, "json", measures=True),  # type: ignore[call-arg]
    ):
        with pytest.raises(TypeError, match="profile"):
            call()
    with pytest.raises(AnalysisError, match="needs the cluster profile"):
        write_measures(shipped_kb)
    with pytest.raises(BioclusterError, match="names no budget_root"):
        funding_flows(shipped_kb)
    # The shipped anchors are not borrowed: no profile, no institute, no measures.
    assert nb.with_measures(shipped_kb) is shipped_kb
    assert funding_flows(shipped_kb, profile=SHIPPED_PROFILE)["amount_thousand_yen"].sum() > 0
