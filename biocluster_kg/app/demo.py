"""The demo: the whole main job on the zero-setup embedded store, reported step by step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from biocluster_kg.app.session import Session
from biocluster_kg.cypher.backend import QueryResult

__all__ = ["run_demo"]


def run_demo(
    session: Session,
    output: Path,
    echo: Callable[[str], None],
    table: Callable[[QueryResult], str],
) -> Path:
    """Check the data, load it with its measures into the session's store, ask the store who
    bridges companies to the institute, and write the network page; returns its path.

    Each step is reported through ``echo`` as it ends; ``table`` formats the answer (the
    face decides how a table looks). The data pass the same gate as ``biocluster check``
    before anything is written.
    """
    kb = session.knowledge_base()
    report = session.check_report
    assert report is not None  # set by the gate that knowledge_base() passed
    for coverage in report.coverage:
        echo(
            f"checked {coverage.source_id}: {len(kb.nodes)} nodes, {len(kb.relationships)} "
            f"relationships; {coverage.cited_lines}/{coverage.content_lines} source lines "
            f"cited; {len(coverage.uncited_values)} amounts, counts or dates uncited"
        )
    load_report = session.load()
    echo(
        f"loaded into {session.location} in {load_report.seconds:.2f} s "
        f"({'changed' if load_report.changed else 'no changes'})"
    )
    result = session.query("bridges_companies_to_institute")
    echo("who bridges companies to the institute (query bridges_companies_to_institute):")
    echo(table(QueryResult(result.columns, result.rows[:5])))
    path = session.write_page(output)
    echo(f"network page: {path.resolve()}")
    return path
