"""Commands about the store: load the knowledge base into it, run ad-hoc Cypher on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from biocluster_kg.cli.options import backend_options, data_option, output_options
from biocluster_kg.cli.params import parameter_option


@click.command()
@backend_options
@data_option
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Load even a knowledge base with no nodes, removing everything from the store.",
)
@output_options
def load(
    use_neo4j: bool,
    store_path: Path | None,
    uri: str | None,
    username: str | None,
    password: str | None,
    database: str | None,
    data_dir: Path | None,
    allow_empty: bool,
    output_format: str,
) -> None:
    """Load the knowledge base into the store, replacing what it held.

    Every data file is validated first; nothing is written if any is invalid. The load is
    atomic: readers see the old knowledge base or the new one, and a failed load keeps the
    old one. Prints what was created, updated and removed per label and type.

    \b
    Example:
        biocluster load
        biocluster load --store /tmp/kb.lbug --format json
        NEO4J_PASSWORD=... biocluster load --neo4j --uri neo4j://localhost:7687
    """
    from biocluster_kg.cli.output import render
    from biocluster_kg.cypher.loading import REPORT_COLUMNS, report_rows
    from biocluster_kg.cypher.open import open_backend
    from biocluster_kg.graph.brokerage import measured
    from biocluster_kg.loaders import load_knowledge_base

    # The network measures travel with the knowledge base so Cypher can sort by them.
    kb = measured(load_knowledge_base(data_dir, allow_empty=allow_empty))
    backend = open_backend(use_neo4j, store_path, uri, username, password, database)
    try:
        report = backend.load(kb, progress=True)
    finally:
        backend.close()
    click.echo(render(REPORT_COLUMNS, report_rows(report), output_format))
    summary = "changed" if report.changed else "no changes"
    if getattr(backend, "last_load_batched", False):
        summary += " (too large for one transaction: written batch by batch)"
    click.echo(f"loaded into {backend.location} in {report.seconds:.2f} s: {summary}", err=True)


@click.command("cypher")
@click.argument("statement")
@click.option(
    "--write",
    is_flag=True,
    help="Allow statements that change the store (refused by default).",
)
@parameter_option
@backend_options
@output_options
def cypher_command(
    statement: str,
    write: bool,
    parameters: dict[str, Any],
    use_neo4j: bool,
    store_path: Path | None,
    uri: str | None,
    username: str | None,
    password: str | None,
    database: str | None,
    output_format: str,
) -> None:
    """Run one ad-hoc Cypher STATEMENT, read-only unless --write.

    Values go in as parameters (-p key=value, JSON when it parses as JSON), never into the
    statement text. On the embedded store write the dialect both engines share (see the
    query library); label names such as `Group` need backticks there.

    \b
    Example:
        biocluster cypher "MATCH (n:Organization) WHERE \\$alias IN n.aliases RETURN n.name_ja" \\
            -p alias=先端研
        biocluster cypher "MATCH (n) RETURN count(n) AS nodes" --neo4j --format json
    """
    from biocluster_kg.cli.output import render
    from biocluster_kg.cypher.open import open_backend

    backend = open_backend(use_neo4j, store_path, uri, username, password, database)
    try:
        result = backend.run(statement, parameters, write=write)
    finally:
        backend.close()
    if result.columns:
        click.echo(render(result.columns, result.rows, output_format))


COMMANDS = [load, cypher_command]
