"""Speed and accuracy of the brokerage analysis (biocluster_kg.graph.brokerage). Prints figures;
passes or fails nothing.

1. **Shipped knowledge base, exact**: seconds to load it, and the analysis (every measure,
   exact betweenness) cold (first call, lazy imports included) and warm (median of repeats).
   Target: under 1 s.
2. **Large, approximate**: a synthetic cluster (``synthetic.py``) of 100,000 actors whose
   actor tie graph has about 500,000 ties, analysed end to end with betweenness estimated
   from ``--sample`` sources, with the time of each stage and the peak memory.
   Target: under 60 s. ``synthetic_cluster``'s default of five relationships per actor
   projects into about 30 ties per actor (its programmes and projects gather dozens of
   actors each), so the relationships per actor are lowered until the tie graph has about
   five ties per actor; the figures name both counts.
3. **Accuracy of the sample**: on a 10,000-actor cluster of the same density, sampled
   betweenness against the exact figure, for several sample sizes and seeds: Spearman's rho
   and Kendall's tau-b over all actors (implemented here: scipy is not a dependency), the
   share of the exact top 20 found in the sampled top 20, the mean relative error of those
   20 actors' figures, and the mean absolute error over all actors.

Example::

    .venv/bin/python benchmarks/brokerage_benchmark.py
    .venv/bin/python benchmarks/brokerage_benchmark.py --large-actors 20000 --skip-accuracy
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from synthetic import synthetic_cluster  # noqa: E402

from biocluster_kg.kernel.cluster import load_cluster_profile  # noqa: E402

# The shipped workspace's profile: a benchmark of its data names it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

T = TypeVar("T")

#: Relationships per actor that give synthetic clusters about five actor ties per actor.
RELATIONSHIPS_PER_ACTOR = 1.85


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# rank correlation (no scipy)
# ---------------------------------------------------------------------------------------------


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, tied values sharing the mean of their ranks (as scipy's rankdata)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], len(values)] - 1
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = (first[group] + last[group]) / 2 + 1
    return ranks


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson correlation of the average ranks."""
    return float(np.corrcoef(average_ranks(x), average_ranks(y))[0, 1])


def kendall_tau_b(x: np.ndarray, y: np.ndarray, block: int = 500) -> float:
    """Kendall's tau-b over all pairs, in blocks of rows to bound memory (O(n^2) work)."""
    concordance = 0.0
    untied_x = 0.0
    untied_y = 0.0
    for start in range(0, len(x), block):
        dx = np.sign(x[start : start + block, None] - x[None, :])
        dy = np.sign(y[start : start + block, None] - y[None, :])
        concordance += float((dx * dy).sum())
        untied_x += float(np.count_nonzero(dx))
        untied_y += float(np.count_nonzero(dy))
    # Every pair is seen twice (i, j) and (j, i), in all three sums alike.
    return concordance / np.sqrt(untied_x * untied_y)


# ---------------------------------------------------------------------------------------------
# the three benchmarks
# ---------------------------------------------------------------------------------------------


def shipped(repeats: int) -> None:
    from biocluster_kg.graph.brokerage import analyze_brokers, write_measures
    from biocluster_kg.loaders import load_knowledge_base

    kb, load_seconds = timed(load_knowledge_base)
    analysis, cold = timed(lambda: analyze_brokers(kb, profile=SHIPPED_PROFILE))
    warm = [timed(lambda: analyze_brokers(kb, profile=SHIPPED_PROFILE))[1] for _ in range(repeats)]
    _, write_seconds = timed(lambda: write_measures(kb, analysis=analysis))
    graph = analysis.graph
    print("## Shipped knowledge base, exact analysis")
    print(
        f"knowledge base: {len(kb.nodes)} nodes, {len(kb.relationships)} relationships; "
        f"actor graph: {graph.number_of_nodes()} actors, {graph.number_of_edges()} ties"
    )
    print(f"load_knowledge_base:          {load_seconds:8.3f} s")
    print(f"analyze_brokers, cold:        {cold:8.3f} s  (first call, lazy imports included)")
    print(f"analyze_brokers, warm median: {statistics.median(warm):8.3f} s  ({repeats} runs)")
    print(f"write_measures (given it):    {write_seconds:8.3f} s")
    top = analysis.ranking(3)
    for actor in top:
        print(f"  {actor.id}: {actor.reason}")
    print()


def large(actors: int, relationships_per_actor: float, sample: int, seed: int) -> None:
    from biocluster_kg.graph.betweenness import IndexedGraph, betweenness
    from biocluster_kg.graph.bridging import company_bridges
    from biocluster_kg.graph.brokerage import analyze_brokers
    from biocluster_kg.graph.brokerage_roles import gould_fernandez
    from biocluster_kg.graph.communities import communities
    from biocluster_kg.graph.structural_holes import structural_holes
    from biocluster_kg.graph.tie_graph import tie_graph

    kb, generate = timed(
        lambda: synthetic_cluster(actors, relationships_per_actor=relationships_per_actor)
    )
    stages: list[tuple[str, float]] = []
    knowledge_graph, seconds = timed(kb.to_networkx)
    stages.append(("KnowledgeBase.to_networkx", seconds))
    graph, seconds = timed(lambda: tie_graph(knowledge_graph, profile=SHIPPED_PROFILE))
    stages.append(("tie_graph (projection)", seconds))
    bridges, seconds = timed(lambda: company_bridges(knowledge_graph, profile=SHIPPED_PROFILE))
    stages.append(("company_bridges (exact)", seconds))
    indexed, seconds = timed(lambda: IndexedGraph.from_networkx(graph))
    stages.append(("IndexedGraph.from_networkx", seconds))
    _, seconds = timed(lambda: betweenness(indexed, sample=sample, seed=seed))
    stages.append((f"betweenness (sample={sample})", seconds))
    _, seconds = timed(lambda: structural_holes(graph))
    stages.append(("structural_holes (exact)", seconds))
    _, seconds = timed(lambda: gould_fernandez(graph))
    stages.append(("gould_fernandez (exact)", seconds))
    _, seconds = timed(lambda: communities(graph))
    stages.append(("communities (Louvain)", seconds))
    cpu_started = time.process_time()
    analysis, total = timed(
        lambda: analyze_brokers(knowledge_graph, sample=sample, seed=seed, profile=SHIPPED_PROFILE)
    )
    cpu = time.process_time() - cpu_started

    print(f"## Large synthetic cluster, betweenness sampled from {sample} sources")
    print(
        f"knowledge base: {actors} actors, {len(kb.nodes) - actors} other nodes, "
        f"{len(kb.relationships)} relationships ({relationships_per_actor}/actor; "
        f"generated in {generate:.1f} s); actor graph: "
        f"{analysis.graph.number_of_edges()} ties; "
        f"{len(analysis.bridges.companies)} companies, "
        f"{len(analysis.bridges.reachable)} with a route to the institute"
    )
    for name, seconds in stages:
        print(f"  {name:30} {seconds:8.2f} s")
    print(
        f"analyze_brokers end to end (from the networkx graph): {total:.2f} s "
        f"(CPU {cpu:.2f} s: the machine is shared, so wall time can be longer)"
    )
    print(f"peak resident memory: {peak_rss_mb():.0f} MB")
    print()


def numpy_brandes(indexed, sources: list[int]) -> np.ndarray:
    """The kernel graph/betweenness.py had before igraph: one array search per source."""
    from biocluster_kg.graph.betweenness import accumulate, shortest_path_dag

    total = np.zeros(len(indexed), dtype=np.float64)
    for source in sources:
        _, sigma, levels = shortest_path_dag(indexed, source)
        total += accumulate(len(indexed), source, sigma, levels)
    return total


def engines(
    sizes: list[int], relationships_per_actor: float, sample: int, networkx_max: int
) -> None:
    """Betweenness from the same sources on the same graph, one run each: the numpy searches
    (all the project had before; now below ``IGRAPH_FROM_NODES`` only), igraph (what
    :func:`betweenness` runs on larger graphs) and networkx (the tests' reference), with the
    largest difference of each from igraph."""
    import random

    import networkx as nx

    from biocluster_kg.graph.betweenness import IndexedGraph, betweenness
    from biocluster_kg.graph.tie_graph import tie_graph

    print(f"## Betweenness engines, {sample} sampled sources, one run each")
    print("| actors | ties | numpy Brandes (before) | igraph (now) | networkx | max difference |")
    print("|---:|---:|---:|---:|---:|---|")
    for actors in sizes:
        kb = synthetic_cluster(actors, relationships_per_actor=relationships_per_actor)
        graph = tie_graph(kb, profile=SHIPPED_PROFILE)
        indexed = IndexedGraph.from_networkx(graph)
        import igraph  # noqa: F401 - its import (matplotlib.pyplot) is not a search

        figures, igraph_seconds = timed(
            lambda indexed=indexed: betweenness(indexed, sample=sample, seed=0)
        )
        ours = np.array([figures[node] for node in indexed.nodes])
        picked = random.Random(0).sample(indexed.nodes, sample)  # noqa: S311
        sources = [indexed.index[node] for node in picked]
        numpy_total, numpy_seconds = timed(
            lambda indexed=indexed, sources=sources: numpy_brandes(indexed, sources)
        )
        others = len(indexed) - 1
        scale = np.full(len(indexed), 1.0 / (sample * (others - 1)))
        scale[sources] = 1.0 / ((sample - 1) * (others - 1))
        differences = [f"numpy {np.abs(numpy_total * scale - ours).max():.1e}"]
        networkx_cell = "skipped"
        if actors <= networkx_max:
            theirs, networkx_seconds = timed(
                lambda graph=graph: nx.betweenness_centrality(graph, k=sample, seed=0)
            )
            networkx_cell = f"{networkx_seconds:.2f} s"
            reference = np.array([theirs[node] for node in indexed.nodes])
            differences.append(f"networkx {np.abs(reference - ours).max():.1e}")
        print(
            f"| {actors:,} | {graph.number_of_edges():,} | {numpy_seconds:.2f} s | "
            f"{igraph_seconds:.2f} s | {networkx_cell} | {', '.join(differences)} |",
            flush=True,
        )
    print()


def accuracy(actors: int, relationships_per_actor: float, samples: list[int], seeds: int) -> None:
    from biocluster_kg.graph.betweenness import IndexedGraph, betweenness
    from biocluster_kg.graph.tie_graph import tie_graph

    kb = synthetic_cluster(actors, relationships_per_actor=relationships_per_actor, seed=7)
    graph = tie_graph(kb, profile=SHIPPED_PROFILE)
    indexed = IndexedGraph.from_networkx(graph)
    exact_values, exact_seconds = timed(lambda: betweenness(indexed))
    exact = np.array([exact_values[node] for node in indexed.nodes])
    top = 20
    exact_top_positions = np.argsort(-exact, kind="stable")[:top]
    exact_top = set(exact_top_positions.tolist())

    print(f"## Sampled against exact betweenness, {actors} actors")
    print(
        f"actor graph: {graph.number_of_nodes()} actors, {graph.number_of_edges()} ties; "
        f"exact betweenness: {exact_seconds:.1f} s; {seeds} seeds per sample size"
    )
    print(
        "| sample | seconds | Spearman rho | Kendall tau-b | top-20 overlap "
        "| top-20 relative error | mean abs error |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for sample in samples:
        rows: list[tuple[float, ...]] = []
        for seed in range(seeds):
            values, seconds = timed(lambda s=sample, d=seed: betweenness(indexed, sample=s, seed=d))
            approximate = np.array([values[node] for node in indexed.nodes])
            sampled_top = set(np.argsort(-approximate, kind="stable")[:top].tolist())
            rows.append(
                (
                    seconds,
                    spearman(exact, approximate),
                    kendall_tau_b(exact, approximate),
                    len(exact_top & sampled_top) / top,
                    float(
                        (
                            np.abs(exact - approximate)[exact_top_positions]
                            / exact[exact_top_positions]
                        ).mean()
                    ),
                    float(np.abs(exact - approximate).mean()),
                )
            )
        mean = [statistics.fmean(column) for column in zip(*rows, strict=True)]
        low = [min(column) for column in zip(*rows, strict=True)]
        print(
            f"| {sample} | {mean[0]:.2f} | {mean[1]:.3f} (min {low[1]:.3f}) "
            f"| {mean[2]:.3f} (min {low[2]:.3f}) | {mean[3]:.2f} | {mean[4]:.1%} "
            f"| {mean[5]:.2e} |"
        )
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=10, help="Warm runs on the shipped KB.")
    parser.add_argument("--large-actors", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200, help="Sources for the large run.")
    parser.add_argument("--accuracy-actors", type=int, default=10_000)
    parser.add_argument("--samples", type=int, nargs="+", default=[50, 100, 200, 500, 1000])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--relationships-per-actor", type=float, default=RELATIONSHIPS_PER_ACTOR)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument(
        "--engine-sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="Sizes for the betweenness engine comparison (none: skip it).",
    )
    parser.add_argument("--engine-sample", type=int, default=500)
    parser.add_argument("--networkx-max-actors", type=int, default=10_000)
    parser.add_argument("--skip-shipped", action="store_true")
    arguments = parser.parse_args(argv)

    if not arguments.skip_shipped:
        shipped(arguments.repeats)
    if arguments.engine_sizes:
        engines(
            arguments.engine_sizes,
            arguments.relationships_per_actor,
            arguments.engine_sample,
            arguments.networkx_max_actors,
        )
    if not arguments.skip_large:
        large(arguments.large_actors, arguments.relationships_per_actor, arguments.sample, 0)
    if not arguments.skip_accuracy:
        accuracy(
            arguments.accuracy_actors,
            arguments.relationships_per_actor,
            arguments.samples,
            arguments.seeds,
        )


if __name__ == "__main__":
    main()
