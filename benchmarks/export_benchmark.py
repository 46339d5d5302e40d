"""Export speed and size on synthetic clusters: every graph format, the stakeholder list, and
reading the graph back from the embedded store. Prints figures; passes or fails nothing.

For each size (actors; about five relationships each, see ``synthetic.py``) the cluster is
generated once, loaded into a temporary Ladybug store, read back with
:func:`biocluster_kg.cypher.readback.read_knowledge_base`, and written in each format; the table
gives the seconds and the bytes written per format.

Example::

    .venv/bin/python benchmarks/export_benchmark.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synthetic import synthetic_cluster  # noqa: E402

from biocluster_kg.cypher.ddl import neo4j_schema_statements  # noqa: E402
from biocluster_kg.cypher.ladybug_backend import LadybugBackend  # noqa: E402
from biocluster_kg.cypher.readback import read_knowledge_base  # noqa: E402
from biocluster_kg.graph.exports import graph_document  # noqa: E402
from biocluster_kg.graph.exports.neo4j_csv import write_neo4j_csv  # noqa: E402
from biocluster_kg.graph.exports.stakeholders import stakeholder_rows, stakeholders_csv  # noqa: E402
from biocluster_kg.kernel.cluster import load_cluster_profile  # noqa: E402
from biocluster_kg.kernel.model import KnowledgeBase  # noqa: E402

# The shipped workspace's profile: a benchmark of its data names it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()


def timed(action: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    size = action()
    return time.perf_counter() - started, size


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())


def run(actors: int) -> None:
    kb = synthetic_cluster(actors)
    print(f"\n{actors} actors: {len(kb.nodes)} nodes, {len(kb.relationships)} relationships")
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "kb.lbug"
        with LadybugBackend(store) as backend:
            backend.load(kb)
            holder: list[KnowledgeBase] = []

            def read_back() -> int:
                holder.append(read_knowledge_base(backend))
                return store.stat().st_size

            seconds, size = timed(read_back)
        assert holder[0] == kb, "read-back differs from the loaded knowledge base"
        print(f"  {'readback (ladybug)':<20} {seconds:8.2f} s  {size / 1e6:9.1f} MB store")
        schema = neo4j_schema_statements()
        for output_format in ("json", "graphml", "gexf", "cypher"):
            seconds, size = timed(
                lambda f=output_format: len(
                    graph_document(kb, f, schema_statements=schema, profile=SHIPPED_PROFILE)
                )
            )
            print(f"  {output_format:<20} {seconds:8.2f} s  {size / 1e6:9.1f} MB")
        target = Path(folder) / "csv"
        seconds, size = timed(
            lambda: (write_neo4j_csv(kb, target, profile=SHIPPED_PROFILE), folder_size(target))[1]
        )
        print(f"  {'csv (neo4j-admin)':<20} {seconds:8.2f} s  {size / 1e6:9.1f} MB")
        seconds, size = timed(lambda: len(stakeholders_csv(stakeholder_rows(kb))))
        print(f"  {'stakeholders csv':<20} {seconds:8.2f} s  {size / 1e6:9.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory so far: {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    for actors in parser.parse_args().sizes:
        run(actors)


if __name__ == "__main__":
    main()
