"""The headline question, ``bridges_companies_to_institute``, against the simplest question
(``council_and_committee``) in the same process, on both engines, with networkx and the
analysis (graph/bridging.py) beside them. Prints figures and ratios; passes or fails nothing.

For the shipped knowledge base and each synthetic size (``synthetic.py``; about five
relationships per actor), the knowledge base is loaded into each engine (a fresh Ladybug
file; the Neo4j database named by NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD, emptied before
and after), and each question runs once unmeasured and ``--runs`` times measured, end to end
through :meth:`biocluster_kg.cypher.library.PreparedQuery.run`. The line of an engine gives
the median of both questions and their ratio; the rows of the headline question must be
the same on both engines and give the analysis's figures (dependency per broker), which
the last column says.

Beside the engines, the same answer computed in Python: ``bridging`` is
:func:`biocluster_kg.graph.bridging.company_bridges` (one breadth-first search from the
institute, what ``analyze brokers`` uses) and ``networkx`` is the question's definition with
networkx (``all_shortest_paths`` from every company on a simple Graph), which the tests use
as the reference; ``--networkx-max-actors`` skips it on large graphs.

Targets (issue 28): on the shipped knowledge base the question within 1.5x the simplest
one (measured from the CLI too: ``biocluster query NAME``, median of three runs each); at
1k actors within 20x on Ladybug; Ladybug within 2x Neo4j at 1k and 10k. ``--text-from REV``
also times the question's text as it was at git revision REV (``bbc91d1``, the commit that
made it 30x slower, shows what this benchmark would have caught).

Example::

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python benchmarks/headline_query_benchmark.py --sizes shipped 1000 10000
    .venv/bin/python benchmarks/headline_query_benchmark.py --backends ladybug \\
        --sizes shipped 1000 --text-from bbc91d1
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from query_benchmark import empty_neo4j, open_backend  # noqa: E402
from synthetic import synthetic_cluster  # noqa: E402

from biocluster_kg.cypher.library import default_library  # noqa: E402
from biocluster_kg.cypher.query import PreparedQuery  # noqa: E402
from biocluster_kg.cypher.query_file import parse_query_file  # noqa: E402

QUESTION = "bridges_companies_to_institute"
BASELINE = "council_and_committee"
#: Ratio of the question to the baseline that the issue accepts in process, by size (the
#: shipped data's 1.5x is measured from the CLI: :func:`cli_medians`).
TARGET_RATIO = {"1000": 20.0}


def knowledge_base(size: str) -> Any:
    if size == "shipped":
        from biocluster_kg.kernel.cluster import default_data_dir
        from loaders import load_knowledge_base

        return load_knowledge_base(default_data_dir())
    return synthetic_cluster(int(size))


def median_ms(function: Any, runs: int, *, warm_up: bool = True) -> tuple[float, Any]:
    value = function() if warm_up else None  # warm-up: plans, caches, lazy imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        value = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), value


def networkx_answer(kb: Any) -> dict[str, float]:
    """The question's definition with networkx: every company's shortest roads on the
    simple Graph of the tie relationships (parallel ties one road), broker shares summed."""
    import networkx as nx

    from biocluster_kg.graph.tie_graph import DEFAULT_TIES, is_company
    from biocluster_kg.kernel.cluster import load_cluster_profile
    from biocluster_kg.kernel.schema import SCHEMA

    # A benchmark of the shipped workspace: it names the shipped profile itself.
    profile = load_cluster_profile()
    roads = set(SCHEMA.ties(DEFAULT_TIES))
    actors = set(SCHEMA.actor_labels)
    graph = nx.Graph()
    graph.add_nodes_from(kb.nodes)
    graph.add_edges_from((r.start, r.end) for r in kb.relationships.values() if r.type in roads)
    institute = profile.institute_id
    dependency: dict[str, float] = defaultdict(float)
    for node in kb.nodes.values():
        if node.id == institute or not is_company(
            {"label": node.label, **node.properties}, profile=profile
        ):
            continue
        try:
            shortest = list(nx.all_shortest_paths(graph, node.id, institute))
        except nx.NetworkXNoPath:
            continue
        for path in shortest:
            for broker in path[1:-1]:
                if kb.nodes[broker].label in actors:
                    dependency[broker] += 1 / len(shortest)
    return {broker: round(value, 9) for broker, value in dependency.items()}


def bridging_answer(kb: Any) -> dict[str, float]:
    from biocluster_kg.graph.bridging import company_bridges
    from biocluster_kg.kernel.cluster import load_cluster_profile
    from biocluster_kg.kernel.schema import SCHEMA

    actors = set(SCHEMA.actor_labels)
    bridges = company_bridges(kb, profile=load_cluster_profile())
    return {
        node: round(value, 9)
        for node, value in bridges.dependency.items()
        if kb.nodes[node].label in actors
    }


def text_from(revision: str, folder: Path) -> Any:
    """The question as its file stood at git ``revision``."""
    text = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:cypher/{QUESTION}.cypher"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / f"{QUESTION}.cypher"
    path.write_text(text, encoding="utf-8")
    return parse_query_file(path)


def cli_medians(runs: int) -> None:
    """``biocluster query NAME`` on a store of the shipped data, the median of ``runs`` runs
    of each question, alternating: what a user waits for, process start included."""
    command = Path(sys.executable).parent / "biocluster"
    with tempfile.TemporaryDirectory(prefix="headline-cli-") as folder:
        store = str(Path(folder) / "kb.lbug")
        subprocess.run([command, "load", "--store", store], check=True, capture_output=True)
        times: dict[str, list[float]] = defaultdict(list)
        for _ in range(runs):
            for name in (BASELINE, QUESTION):
                started = time.perf_counter()
                subprocess.run(
                    [command, "query", name, "--store", store], check=True, capture_output=True
                )
                times[name].append(time.perf_counter() - started)
    base, question = (statistics.median(times[name]) for name in (BASELINE, QUESTION))
    print(
        f"CLI, shipped data, median of {runs}: {BASELINE} {base:.2f} s, {QUESTION} "
        f"{question:.2f} s, ratio {question / base:.2f}x (target 1.5x)"
    )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["shipped", "1000", "10000"])
    parser.add_argument(
        "--backends", nargs="+", choices=["ladybug", "neo4j"], default=["ladybug", "neo4j"]
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--networkx-max-actors", type=int, default=10000)
    parser.add_argument("--text-from", metavar="REV", help="also time the text at git REV")
    parser.add_argument(
        "--text-from-max-actors",
        type=int,
        default=1000,
        help="time --text-from only up to this size (bbc91d1's took over 300 s at 10k)",
    )
    parser.add_argument(
        "--cli-runs", type=int, default=3, help="CLI runs of each question (0: none)"
    )
    arguments = parser.parse_args()

    library = default_library()
    print("reproduce:", shlex.join([sys.executable, *sys.argv]))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print()
    if arguments.cli_runs:
        cli_medians(arguments.cli_runs)
    header = (
        f"{'size':>8} {'engine':10} {'nodes':>7} {BASELINE + ' ms':>26} {QUESTION + ' ms':>35} "
        f"{'ratio':>7} {'target':>7}  rows"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="headline-bench-") as scratch:
        older = text_from(arguments.text_from, Path(scratch)) if arguments.text_from else None
        for size in arguments.sizes:
            kb = knowledge_base(size)
            nodes = len(kb.nodes)
            bridging_ms, reference = median_ms(lambda kb=kb: bridging_answer(kb), arguments.runs)
            answers: dict[str, list[list[Any]]] = {}
            for backend_name in arguments.backends:
                backend = open_backend(backend_name, Path(scratch))
                try:
                    backend.load(kb)
                    baseline = library.prepare(BASELINE)
                    question = library.prepare(QUESTION)
                    base_ms, _ = median_ms(lambda b=backend, q=baseline: q.run(b), arguments.runs)
                    question_ms, result = median_ms(
                        lambda b=backend, q=question: q.run(b), arguments.runs
                    )
                    answers[backend_name] = result.rows
                    got = {row[0]: row[6] for row in result.rows}
                    agreement = "= analysis" if got == reference else "DIFFERS from the analysis"
                    ratio = question_ms / base_ms
                    target = TARGET_RATIO.get(size)
                    verdict = "" if target is None else ("ok" if ratio <= target else "OVER")
                    print(
                        f"{size:>8} {backend_name:10} {nodes:>7} {base_ms:>26.1f} "
                        f"{question_ms:>35.1f} {ratio:>6.1f}x "
                        f"{'' if target is None else f'{target:.1f}x':>7}  "
                        f"{len(result.rows)} {agreement} {verdict}",
                        flush=True,
                    )
                    if older is not None and (
                        size == "shipped" or int(size) <= arguments.text_from_max_actors
                    ):
                        prepared = PreparedQuery(older, older.bind({}))
                        # One run, no warm-up: the older text may take minutes.
                        older_ms, _ = median_ms(
                            lambda b=backend, q=prepared: q.run(b), 1, warm_up=False
                        )
                        print(
                            f"{size:>8} {backend_name:10} {nodes:>7} {'':>26} "
                            f"{older_ms:>35.1f} {older_ms / base_ms:>6.1f}x  "
                            f"(text at {arguments.text_from})",
                            flush=True,
                        )
                finally:
                    if backend_name == "neo4j":
                        empty_neo4j(backend)
                    backend.close()
                    for leftover in Path(scratch).glob("bench.lbug*"):
                        leftover.unlink()
            if len(answers) == 2:
                same = answers["ladybug"] == answers["neo4j"]
                print(f"{size:>8} {'engines':10} same rows on both: {same}")
            print(f"{size:>8} {'bridging':10} {nodes:>7} {'':>26} {bridging_ms:>35.1f}")
            if size == "shipped" or int(size) <= arguments.networkx_max_actors:
                networkx_ms, answer = median_ms(
                    lambda kb=kb: networkx_answer(kb), 1 if size != "shipped" else arguments.runs
                )
                agreement = "= analysis" if answer == reference else "DIFFERS from the analysis"
                print(
                    f"{size:>8} {'networkx':10} {nodes:>7} {'':>26} {networkx_ms:>35.1f}"
                    f"{'':>17}{agreement}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
