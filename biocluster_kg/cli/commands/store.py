"""Commands about the store: load the knowledge base into it, run ad-hoc Cypher on it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from biocluster_kg.cli.options import (
    backend_options,
    data_option,
    lang_choice,
    measures_option,
    output_options,
)
from biocluster_kg.cli.params import parameter_option

if TYPE_CHECKING:
    from biocluster_kg.app.session import StoreSettings


#: The status line a load ends with, by language (on standard error: the table is the output).
LOAD_WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "loaded": "{location} に読み込みました（{seconds:.2f}秒、{summary}）",
        "changed": "変更あり",
        "unchanged": "変更なし",
        "batched": "。1回のトランザクションに収まらないため、バッチごとに書き込み",
    },
    "en": {
        "loaded": "loaded into {location} in {seconds:.2f} s: {summary}",
        "changed": "changed",
        "unchanged": "no changes",
        "batched": " (too large for one transaction: written batch by batch)",
    },
}


@click.command()
@backend_options
@data_option
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Load even a knowledge base with no nodes, removing everything from the store.",
)
@measures_option
@output_options
@lang_choice("ja (default): the closing status line in Japanese, for people; en: in English.")
def load(
    store: StoreSettings,
    data_dir: Path | None,
    allow_empty: bool,
    no_measures: bool,
    output_format: str,
    lang: str,
) -> None:
    """Load the knowledge base into the store, replacing what it held.

    Every data file is validated, and checked as `biocluster check` does, first; nothing
    is written if anything is refused. The network measures are stored with the facts
    (so Cypher can sort by them) unless --no-measures. The load is atomic: readers see
    the old knowledge base or the new one, and a failed load keeps the old one. Prints
    what was created, updated and removed per label and type.

    \b
    Example:
        biocluster load
        biocluster load --store /tmp/kb.lbug --format json
        NEO4J_PASSWORD=... biocluster load --neo4j --uri neo4j://localhost:7687
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.cli.output import render
    from biocluster_kg.cypher.loading import REPORT_COLUMNS, report_rows

    with Session(data_dir, store, allow_empty=allow_empty) as session:
        report = session.load(measures=not no_measures, progress=True)
        location, batched = session.location, session.load_was_batched
        note = session.measurement_note() if not no_measures else None
    click.echo(render(REPORT_COLUMNS, report_rows(report), output_format))
    says = LOAD_WORDS[lang]
    summary = says["changed" if report.changed else "unchanged"]
    if batched:
        summary += says["batched"]
    click.echo(
        says["loaded"].format(location=location, seconds=report.seconds, summary=summary),
        err=True,
    )
    if note:
        click.echo(note, err=True)


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
    store: StoreSettings,
    output_format: str,
) -> None:
    """Run one ad-hoc Cypher STATEMENT, read-only unless --write.

    Values go in as parameters (-p key=value, JSON when it parses as JSON), never into the
    statement text. On the embedded store write the dialect both engines share (see the
    query library); label names such as `Group` need backticks there. An error caused by
    one engine's reserved words or dialect ends with a `hint:` line saying how to write it.

    \b
    Example:
        biocluster cypher "MATCH (n:Organization) WHERE \\$alias IN n.aliases RETURN n.name_ja" \\
            -p alias=先端研
        biocluster cypher "MATCH (n) RETURN count(n) AS nodes" --neo4j --format json
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.cli.output import echo, render

    with Session(store=store) as session:
        result = session.cypher(statement, parameters, write=write)
    if result.columns:
        echo(render(result.columns, result.rows, output_format))


COMMANDS = [load, cypher_command]
