"""The demo: every stage of the main job, each one skipped with a note if not built yet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def run_demo(
    data_dir: Path | None, store_path: Path | None, output: Path, echo: Callable[[str], None]
) -> None:
    """Check, load into the embedded store, analyse and render, printing what was done."""
    from loaders.check import load_and_check

    report = load_and_check(data_dir)
    kb = report.kb
    coverage = report.coverage[0]
    echo(
        f"checked: {len(kb.nodes)} nodes, {len(kb.relationships)} relationships; "
        f"{coverage.cited_lines}/{coverage.content_lines} source lines cited, "
        f"{len(coverage.uncited_values)} uncited amounts/counts/dates"
    )
