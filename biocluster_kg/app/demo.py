"""The demo: the whole main job on the zero-setup embedded store, reported step by step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def run_demo(
    data_dir: Path | None, store_path: Path | None, output: Path, echo: Callable[[str], None]
) -> Path:
    """Check the data, load it with its measures into the embedded store, ask the store who
    bridges companies to the institute, and write the network page; returns its path."""
    from biocluster_kg.cli.commands.viz import write_page
    from biocluster_kg.cli.output import render
    from biocluster_kg.cypher.library import run_query
    from biocluster_kg.cypher.open import open_backend
    from biocluster_kg.graph.brokerage import measured
    from biocluster_kg.loaders import load_knowledge_base
    from biocluster_kg.loaders.check import check_knowledge_base

    kb = load_knowledge_base(data_dir)
    report = check_knowledge_base(kb)
    for coverage in report.coverage:
        echo(
            f"checked {coverage.source_id}: {len(kb.nodes)} nodes, {len(kb.relationships)} "
            f"relationships; {coverage.cited_lines}/{coverage.content_lines} source lines "
            f"cited; {len(coverage.uncited_values)} amounts, counts or dates uncited"
        )
    kb = measured(kb)
    backend = open_backend(store_path=store_path)
    try:
        load_report = backend.load(kb)
        echo(
            f"loaded into {backend.location} in {load_report.seconds:.2f} s "
            f"({'changed' if load_report.changed else 'no changes'})"
        )
        result = run_query(backend, "bridges_companies_to_institute", {})
    finally:
        backend.close()
    echo("who bridges companies to the institute (query bridges_companies_to_institute):")
    top = result.rows[:5]
    echo(render(result.columns, top, "table"))
    path = write_page(output, kb=kb)
    echo(f"network page: {path.resolve()}")
    return path
