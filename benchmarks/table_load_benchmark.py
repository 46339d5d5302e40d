"""A table source of 10^4 / 10^5 rows through ``biocluster load`` end to end: validation,
citation proof (every row and cell a fact cites), the gate, the network measures and the
store. Prints figures; passes or fails nothing.

For each size a workspace is generated: ``sources/companies.csv`` (a company register: 企業名,
所在地, 所属協議会, 従業員数; synthetic) and ``kb/`` as the planners' CSV pairs, one company
node per row citing the row's 企業名 and 所在地 cells, one council per hundred rows citing the
first row that names it, and one MEMBER_OF relationship per row citing 企業名 and 所属協議会.

Per backend, in one process:

- *end to end*: ``Session(...).load()`` into an empty store, as ``biocluster load`` runs it;
- *phases*: the same steps timed one by one (read and validate, the gate, the measures, the
  store write into another empty store), with each phase's share;
- *baseline*: the store write alone (the already measured knowledge base into a third empty
  store), and the ratio end to end / baseline.

A small unprinted run first pays the imports, so the figures are the work itself. The
machine's load average is printed before and after, and the end-to-end load's CPU seconds
beside its wall-clock seconds (the Neo4j server's own CPU is not in them): on a shared
machine the wall clock says as much about the neighbours as about the load.

Neo4j is reached through NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD (and NEO4J_DATABASE);
its database is emptied by each load.

Example::

    .venv/bin/python benchmarks/table_load_benchmark.py --sizes 10000 100000
    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python benchmarks/table_load_benchmark.py --sizes 10000 --backends neo4j
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from biocluster_kg.app.session import Session, StoreSettings  # noqa: E402
from biocluster_kg.graph.brokerage import measured, measurement_note  # noqa: E402
from biocluster_kg.kernel.cluster import load_cluster_profile  # noqa: E402
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship  # noqa: E402
from biocluster_kg.kernel.tabular import write_tabular  # noqa: E402
from biocluster_kg.loaders import load_knowledge_base  # noqa: E402
from biocluster_kg.loaders.check import gate  # noqa: E402
from biocluster_kg.loaders.workspace import add_source, init_workspace  # noqa: E402

# The shipped workspace's profile: a benchmark of its data names it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

T = TypeVar("T")
SOURCE = "companies"
ROWS_PER_COUNCIL = 100
#: Records per kb/ table: each file stays under the loader's 5 MiB limit.
CHUNK = 10_000


def timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def make_workspace(folder: Path, rows: int) -> None:
    """The register and the facts citing it (see the module's docstring)."""
    init_workspace(folder, "合成クラスター（ベンチマーク）", "Synthetic cluster (benchmark)")
    register = folder.parent / f"{SOURCE}.csv"
    kb = KnowledgeBase()
    councils: dict[int, int] = {}
    with register.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企業名", "所在地", "所属協議会", "従業員数"])
        for index in range(rows):
            council = index // ROWS_PER_COUNCIL
            row = index + 2  # the header is row 1
            company, council_name = f"合成企業{index:06d}株式会社", f"合成協議会{council:04d}"
            writer.writerow([company, f"合成市{index % 50:02d}", council_name, 5 + index % 300])
            cited = {"source_doc": SOURCE, "span_line": row}
            kb.add_node(
                Node(
                    f"org:synthetic-{index:06d}",
                    "Organization",
                    {
                        "kind": "company",
                        "sector": "industry",
                        "name_ja": company,
                        "name_en": f"Synthetic company {index}",
                        "location_ja": f"合成市{index % 50:02d}",
                        "span_columns": ["企業名", "所在地"],
                        **cited,
                    },
                )
            )
            if council not in councils:
                councils[council] = row
                kb.add_node(
                    Node(
                        f"body:synthetic-{council:04d}",
                        "Body",
                        {
                            "kind": "council",
                            "sector": "industry",
                            "name_ja": council_name,
                            "name_en": f"Synthetic council {council}",
                            "span_columns": ["所属協議会"],
                            **cited,
                        },
                    )
                )
            kb.add_relationship(
                Relationship(
                    f"rel:synthetic-{index:06d}",
                    "MEMBER_OF",
                    f"org:synthetic-{index:06d}",
                    f"body:synthetic-{council:04d}",
                    {"role": "member", "span_columns": ["企業名", "所属協議会"], **cited},
                )
            )
    add_source(folder, register, source_id=SOURCE, title="合成企業名簿（ベンチマーク用）")
    nodes, relationships = list(kb.nodes.values()), list(kb.relationships.values())
    for number, start in enumerate(range(0, max(len(nodes), len(relationships)), CHUNK)):
        part = KnowledgeBase()
        for node in nodes[start : start + CHUNK]:
            part.add_node(node)
        for rel in relationships[start : start + CHUNK]:
            part.relationships[rel.id] = rel
        write_tabular(part, folder / "kb", f"register-{number:02d}")


def store_for(backend: str, folder: Path, name: str) -> StoreSettings:
    if backend == "neo4j":
        return StoreSettings(use_neo4j=True)
    return StoreSettings(store_path=folder / f"{name}.lbug")


def run(backend: str, rows: int, work: Path) -> dict[str, float | int | str]:
    folder = work / f"workspace-{rows}"
    _, generate_s = timed(lambda: make_workspace(folder, rows))
    figures: dict[str, float | int | str] = {"backend": backend, "rows": rows}
    figures["generate_s"] = generate_s

    # End to end, as `biocluster load` runs it: one Session, one load.
    with Session(folder, store_for(backend, work, f"e2e-{rows}")) as session:
        cpu = time.process_time()
        _, figures["end_to_end_s"] = timed(lambda: session.load())
        figures["end_to_end_cpu_s"] = time.process_time() - cpu

    # The same steps, one by one.
    kb, figures["validate_s"] = timed(lambda: load_knowledge_base(folder))
    figures["records"] = len(kb.nodes) + len(kb.relationships)
    _, figures["gate_s"] = timed(lambda: gate(kb))
    with_measures, figures["measures_s"] = timed(lambda: measured(kb, profile=SHIPPED_PROFILE))
    with Session(folder, store_for(backend, work, f"phases-{rows}")) as session:
        _, figures["store_s"] = timed(lambda: session.backend.load(with_measures))
    # The baseline: the store write alone, of the same measured records, into an empty store.
    with Session(folder, store_for(backend, work, f"baseline-{rows}")) as session:
        _, figures["baseline_s"] = timed(lambda: session.backend.load(with_measures))
    figures["sampled"] = "yes" if measurement_note(kb) else "no"
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["ladybug"], choices=["ladybug", "neo4j"])
    arguments = parser.parse_args(argv)
    # A small run first, unprinted: the figures are then the work, not first imports.
    for backend in arguments.backends:
        warm = Path(tempfile.mkdtemp(prefix="table-load-warm-"))
        try:
            run(backend, 200, warm)
        finally:
            shutil.rmtree(warm, ignore_errors=True)
    phases = ("validate_s", "gate_s", "measures_s", "store_s")
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(
        "| backend | rows | records | end to end s | this process's CPU s | rows/s | validate s "
        "| gate s | measures s | store s | baseline (store alone) s | end to end / baseline "
        "| measures |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for rows in arguments.sizes:
        for backend in arguments.backends:
            work = Path(tempfile.mkdtemp(prefix="table-load-"))
            try:
                f = run(backend, rows, work)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            total = sum(float(f[p]) for p in phases)
            shares = " | ".join(
                f"{float(f[p]):.2f} ({100 * float(f[p]) / total:.0f}%)" for p in phases
            )
            end_to_end, baseline = float(f["end_to_end_s"]), float(f["baseline_s"])
            print(
                f"| {backend} | {rows:,} | {int(f['records']):,} | {end_to_end:.2f} | "
                f"{float(f['end_to_end_cpu_s']):.2f} | "
                f"{rows / end_to_end:,.0f} | {shares} | {baseline:.2f} | "
                f"{end_to_end / baseline:.1f}x | {'sampled' if f['sampled'] == 'yes' else 'exact'} "
                "|",
                flush=True,
            )


if __name__ == "__main__":
    main()
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
