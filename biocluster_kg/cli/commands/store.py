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
        "coverage": (
            "網羅状況：出典の数値{stated:,}件のうち{carried:,}件を事実が保持（{carried}/{stated}）、"
            "合計が総額に届かない予算{short:,}件。詳細は biocluster check"
        ),
    },
    "en": {
        "loaded": "loaded into {location} in {seconds:.2f} s: {summary}",
        "changed": "changed",
        "unchanged": "no changes",
        "batched": " (too large for one transaction: written batch by batch)",
        "coverage": (
            "coverage: numbers carried {carried}/{stated}, {short} budget(s) whose parts sum "
            "below their total; see biocluster check"
        ),
    },
}


def _load_table_ja(columns: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list]]:
    """The load report for people: Japanese titles, and each label or type by the schema's
    Japanese name (the total row as 合計)."""
    from biocluster_kg.kernel.columns import column_title
    from biocluster_kg.kernel.schema import SCHEMA

    def name(code: Any) -> Any:
        if isinstance(code, str) and SCHEMA.has_label(code):
            return SCHEMA.node(code).display_name("ja")
        if isinstance(code, str) and SCHEMA.has_type(code):
            return SCHEMA.relationship(code).display_name("ja")
        return column_title(code, "ja") if code == "total" else code

    return [column_title(c, "ja") for c in columns], [[name(row[0]), *row[1:]] for row in rows]


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
        checked = session.check_report
    columns, rows = list(REPORT_COLUMNS), report_rows(report)
    if output_format != "json" and lang == "ja":
        columns, rows = _load_table_ja(columns, rows)
    click.echo(render(columns, rows, output_format, lang=lang))
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
    # A partial curation loads (truth is the gate); what it does not carry yet is said.
    if checked is not None and checked.incomplete:
        carried, stated = checked.values_carried
        short = len(checked.budget_shortfalls)
        click.echo(says["coverage"].format(carried=carried, stated=stated, short=short), err=True)


@click.command("cypher")
@click.argument("statement")
@click.option(
    "--write",
    is_flag=True,
    help="Allow statements that change the store (refused by default).",
)
@parameter_option
@backend_options
@data_option
@output_options
def cypher_command(
    statement: str,
    write: bool,
    parameters: dict[str, Any],
    store: StoreSettings,
    data_dir: Path | None,
    output_format: str,
) -> None:
    """Run one ad-hoc Cypher STATEMENT, read-only unless --write.

    Values go in as parameters (-p key=value, JSON when it parses as JSON), never into the
    statement text. Write Neo4j's Cypher: the embedded store gives Neo4j's rows, or refuses
    the statement with a `hint:` line naming the form to write (docs/adhoc-cypher.md). An
    error caused by one engine's reserved words or dialect also ends with a `hint:` line.
    With --data, the store must hold that workspace (the one `biocluster load` recorded).

    \b
    Example:
        biocluster cypher "MATCH (n:Organization) WHERE \\$alias IN n.aliases RETURN n.name_ja" \\
            -p alias=先端研
        biocluster cypher "MATCH (n) RETURN count(n) AS nodes" --neo4j --format json
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.cli.output import echo, render

    with Session(data_dir, store) as session:
        result = session.cypher(statement, parameters, write=write)
    if result.columns:
        echo(render(result.columns, result.rows, output_format))


COMMANDS = [load, cypher_command]
