"""Load throughput of both backends on synthetic clusters, and Neo4j's bulk importer as the
ceiling. Prints figures; passes or fails nothing.

For each size (actors; about five relationships each, see ``synthetic.py``) and backend, a
fresh subprocess generates the cluster, loads it into an empty store (first load), loads it
again (a reload that changes nothing, which still compares every record) and reports the
seconds, records per second and the process's peak resident memory. With ``--importer`` the
same cluster is written as CSV and imported with ``neo4j-admin database import full`` (through
``scripts/neo4j-server admin``) into a scratch database, which is removed afterwards.

Neo4j is reached through NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE; the
importer needs the server's NEO4J_HOME (BIOCLUSTER_NEO4J_HOME, as ``scripts/neo4j-server``).

Example::

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python benchmarks/load_benchmark.py --sizes 1000 10000 100000 \\
        --backends ladybug neo4j --importer
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from synthetic import synthetic_cluster  # noqa: E402

IMPORT_DATABASE = "loadbenchimport"
NEO4J_VERSION = "5.26.30"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# one case, in its own process
# ---------------------------------------------------------------------------------------------


def run_case(
    backend_name: str,
    actors: int,
    python_memory: bool = False,
    transaction_limit: int | None = None,
) -> dict[str, Any]:
    """Generate, load into an empty store, reload; with ``python_memory`` the first load runs
    under tracemalloc (slower: only its peak of Python allocations is meaningful)."""
    import tracemalloc

    started = time.perf_counter()
    kb = synthetic_cluster(actors)
    generated = time.perf_counter() - started
    records = len(kb.nodes) + len(kb.relationships)
    figures: dict[str, Any] = {
        "backend": backend_name,
        "actors": actors,
        "nodes": len(kb.nodes),
        "relationships": len(kb.relationships),
        "records": records,
        "generate_s": generated,
        "rss_after_generate_mb": peak_rss_mb(),
    }
    with tempfile.TemporaryDirectory(prefix="load-bench-") as folder:
        backend = _open(backend_name, Path(folder), transaction_limit)
        try:
            if python_memory:
                tracemalloc.start()
            started = time.perf_counter()
            first = backend.load(kb)
            figures["load_s"] = time.perf_counter() - started
            if python_memory:
                figures["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            figures["first_created"] = sum(first.created.values())
            figures["written"] = (
                "batched" if getattr(backend, "last_load_batched", False) else "one transaction"
            )
            started = time.perf_counter()
            again = backend.load(kb)
            figures["reload_s"] = time.perf_counter() - started
            figures["reload_changed"] = again.changed
            figures["counts_ok"] = backend.counts() == kb.counts()
        finally:
            if backend_name == "neo4j":
                _empty(backend)
            backend.close()
    figures["rows_per_s"] = records / figures["load_s"]
    figures["reload_rows_per_s"] = records / figures["reload_s"]
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def _open(backend_name: str, folder: Path, transaction_limit: int | None = None) -> Any:
    if backend_name == "ladybug":
        from biocluster_kg.cypher.ladybug_backend import LadybugBackend

        return LadybugBackend(folder / "bench.lbug")
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    backend = Neo4jBackend(
        connect(settings),
        settings.database,
        description=settings.uri,
        transaction_limit=transaction_limit,
    )
    _empty(backend)
    return backend


def _empty(backend: Any) -> None:
    """Empty the Neo4j database; batched so that emptying a big one fits the heap."""
    with backend.driver.session(database=backend.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


# ---------------------------------------------------------------------------------------------
# neo4j-admin database import full, on the same cluster
# ---------------------------------------------------------------------------------------------

_IMPORT_TYPES = {"string": "", "int": ":long", "float": ":double", "bool": ":boolean"}


def _header(name: str, type_: str) -> str:
    return name + (":string[]" if type_ == "string[]" else _IMPORT_TYPES[type_])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return value


def write_import_csv(kb: Any, folder: Path) -> list[str]:
    """CSV files for the importer; returns its --nodes/--relationships arguments."""
    from biocluster_kg.kernel.schema import SCHEMA

    arguments = []
    node_props = [p for p in SCHEMA.all_node_properties() if p.name != "id"]
    for label in SCHEMA.labels:
        nodes = kb.nodes_with_label(label)
        if not nodes:
            continue
        path = folder / f"{label}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id:ID", *(_header(p.name, p.type) for p in node_props)])
            for node in nodes:
                props = node.properties
                writer.writerow([node.id, *(_cell(props.get(p.name)) for p in node_props)])
        arguments.append(f"--nodes={label}={path}")
    rel_props = [p for p in SCHEMA.all_relationship_properties() if p.name != "id"]
    for type_ in SCHEMA.types:
        rels = kb.relationships_of_type(type_)
        if not rels:
            continue
        path = folder / f"{type_}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [":START_ID", ":END_ID", "id", *(_header(p.name, p.type) for p in rel_props)]
            )
            for rel in rels:
                props = rel.properties
                writer.writerow(
                    [rel.start, rel.end, rel.id, *(_cell(props.get(p.name)) for p in rel_props)]
                )
        arguments.append(f"--relationships={type_}={path}")
    return arguments


def neo4j_home() -> Path:
    cache = os.environ.get(
        "BIOCLUSTER_NEO4J_CACHE", str(Path.home() / ".cache/biocluster" / f"neo4j-{NEO4J_VERSION}")
    )
    return Path(os.environ.get("BIOCLUSTER_NEO4J_HOME", str(Path(cache) / "home")))


def run_importer(actors: int) -> dict[str, Any]:
    kb = synthetic_cluster(actors)
    records = len(kb.nodes) + len(kb.relationships)
    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        started = time.perf_counter()
        arguments = write_import_csv(kb, Path(folder))
        csv_seconds = time.perf_counter() - started
        command = [
            str(REPO / "scripts" / "neo4j-server"),
            "admin",
            "database",
            "import",
            "full",
            *arguments,
            "--array-delimiter=;",
            "--overwrite-destination=true",
            f"--report-file={folder}/import.report",
            IMPORT_DATABASE,
        ]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - started
    home = neo4j_home()
    for leftover in (
        home / "data" / "databases" / IMPORT_DATABASE,
        home / "data" / "transactions" / IMPORT_DATABASE,
    ):
        shutil.rmtree(leftover, ignore_errors=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        return {"actors": actors, "records": records, "error": tail}
    match = re.search(r"IMPORT DONE in (?:(\d+)m )?(?:(\d+)s )?(\d+)ms", done.stdout)
    own = None
    if match:
        minutes, seconds, millis = (int(group or 0) for group in match.groups())
        own = minutes * 60 + seconds + millis / 1000
    return {
        "actors": actors,
        "records": records,
        "csv_s": csv_seconds,
        "import_wall_s": wall,
        "import_own_s": own,
    }


# ---------------------------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------------------------


def _subprocess_json(arguments: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return {"error": "\n".join(done.stderr.strip().splitlines()[-6:])}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument(
        "--backends", nargs="+", choices=["ladybug", "neo4j"], default=["ladybug", "neo4j"]
    )
    parser.add_argument("--importer", action="store_true", help="also time neo4j-admin import")
    parser.add_argument(
        "--python-memory",
        action="store_true",
        help="run each case again under tracemalloc for the peak of Python allocations",
    )
    parser.add_argument(
        "--transaction-limit",
        type=int,
        help="Neo4j: most records in one transaction (default: from the server's memory cap;"
        " 0 writes every load in batches, on parallel sessions)",
    )
    parser.add_argument("--case", nargs=2, metavar=("BACKEND", "ACTORS"), help=argparse.SUPPRESS)
    parser.add_argument("--import-case", type=int, metavar="ACTORS", help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.case:
        backend_name, actors = arguments.case[0], int(arguments.case[1])
        figures = run_case(
            backend_name, actors, arguments.python_memory, arguments.transaction_limit
        )
        print(json.dumps(figures))
        return
    if arguments.import_case:
        print(json.dumps(run_importer(arguments.import_case)))
        return

    print("reproduce:", shlex.join([sys.executable, *sys.argv]))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(
        "load s: first load into an empty store; reload s: the same data again (no changes);"
        " peak RSS: the whole process (KB, Arrow tables, the embedded engine's buffers)"
    )
    print()
    header = (
        f"{'backend':8} {'actors':>8} {'records':>9} {'load s':>8} {'rows/s':>9} "
        f"{'reload s':>9} {'rows/s':>9} {'peak RSS MB':>11} {'KB alone MB':>11}  ok"
    )
    print(header)
    print("-" * len(header))
    results: dict[tuple[str, int], dict[str, Any]] = {}
    limit = (
        []
        if arguments.transaction_limit is None
        else ["--transaction-limit", str(arguments.transaction_limit)]
    )
    for size in arguments.sizes:
        for backend_name in arguments.backends:
            figures = _subprocess_json(["--case", backend_name, str(size), *limit])
            results[(backend_name, size)] = figures
            if "error" in figures:
                print(f"{backend_name:8} {size:>8}  FAILED: {figures['error']}")
                continue
            if arguments.python_memory:
                traced = _subprocess_json(
                    ["--case", backend_name, str(size), "--python-memory", *limit]
                )
                figures["python_peak_mb"] = traced.get("python_peak_mb")
            ok = figures["counts_ok"] and not figures["reload_changed"]
            print(
                f"{backend_name:8} {size:>8} {figures['records']:>9} {figures['load_s']:>8.2f} "
                f"{figures['rows_per_s']:>9.0f} {figures['reload_s']:>9.2f} "
                f"{figures['reload_rows_per_s']:>9.0f} {figures['peak_rss_mb']:>11.0f} "
                f"{figures['rss_after_generate_mb']:>11.0f}  {'yes' if ok else 'NO'}"
                + (f"  {figures['written']}" if backend_name == "neo4j" else "")
                + (
                    f"  python peak {figures['python_peak_mb']:.0f} MB"
                    if figures.get("python_peak_mb") is not None
                    else ""
                ),
                flush=True,
            )
    if arguments.importer:
        print()
        header = (
            f"{'importer':8} {'actors':>8} {'records':>9} {'csv s':>7} {'wall s':>7} "
            f"{'own s':>7} {'rows/s(own)':>11} {'driver load s':>13} {'driver/own':>10}"
        )
        print(header)
        print("-" * len(header))
        for size in arguments.sizes:
            figures = _subprocess_json(["--import-case", str(size)])
            if "error" in figures:
                print(f"{'neo4j':8} {size:>8}  FAILED: {figures['error']}")
                continue
            own = figures["import_own_s"] or figures["import_wall_s"]
            driver = results.get(("neo4j", size), {}).get("load_s")
            ratio = f"{driver / own:>10.1f}" if driver else f"{'-':>10}"
            driver_text = f"{driver:>13.2f}" if driver else f"{'-':>13}"
            print(
                f"{'admin':8} {size:>8} {figures['records']:>9} {figures['csv_s']:>7.2f} "
                f"{figures['import_wall_s']:>7.2f} {own:>7.2f} {figures['records'] / own:>11.0f} "
                f"{driver_text} {ratio}",
                flush=True,
            )
        print("(wall s includes the importer's JVM start; own s is its 'IMPORT DONE in')")


if __name__ == "__main__":
    main()
