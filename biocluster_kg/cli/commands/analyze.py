"""Network analysis commands: ``biocluster analyze brokers``."""

from __future__ import annotations

from pathlib import Path

import click

from biocluster_kg.cli.options import (
    bom_option,
    csv_settings,
    data_option,
    drawn_workspace,
    emit,
    file_option,
    lang_option,
    output_options,
)

DEFAULT_TIES_TEXT = "membership,coordination,joint_research,funding,structure"


def _parse_ties(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from biocluster_kg.graph.tie_graph import parse_ties
    from biocluster_kg.kernel.errors import AnalysisError

    try:
        return parse_ties(value)
    except AnalysisError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from error


@click.group()
def analyze() -> None:
    """Network analysis of the knowledge base.

    \b
    Example:
        biocluster analyze brokers --top 5
    """


@analyze.command()
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many actors to list.",
)
@click.option(
    "--ties",
    default=DEFAULT_TIES_TEXT,
    show_default=True,
    callback=_parse_ties,
    help="Tie kinds that count, comma-separated, from: membership, coordination, "
    "joint_research, funding, structure, record.",
)
@click.option(
    "--sample",
    type=click.IntRange(min=2),
    default=None,
    help="Estimate overall betweenness from K sampled sources (large graphs); default: exact.",
    metavar="K",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample.")
@data_option
@output_options
@lang_option
@bom_option
@file_option()
@click.pass_context
def brokers(
    ctx: click.Context,
    top: int,
    ties: tuple[str, ...],
    sample: int | None,
    seed: int,
    data_dir: Path | None,
    output_format: str,
    lang: str,
    bom: bool | None,
    output: Path | None,
) -> None:
    """Rank the actors that bridge the companies to the cluster's institute.

    First come the actors on the companies' shortest routes to the institute through the
    knowledge graph, by how much of those routes they carry (bridge_score: share of the
    routes; companies: how many companies' routes), then every other actor by betweenness.
    Each row has the actor's degree, betweenness, Burt's constraint and effective size, its
    Gould-Fernandez brokerage roles across sectors and a one-line reason. Undirected ties;
    non-actors (functions, projects, ...) join the actors they share. By default titles,
    sectors, roles and the reason are in Japanese; --lang en gives the stable keys and codes
    (JSON keeps them always, with the reason in the --lang chosen). The cluster is --data's,
    else the one the embedded store was last loaded from, else the shipped one.

    \b
    Example:
        biocluster analyze brokers --top 5
        biocluster analyze brokers --ties membership,coordination --format csv -o brokers.csv
        biocluster analyze brokers --format csv --lang en
        biocluster analyze brokers --sample 200 --format json
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.cli.output import render
    from biocluster_kg.graph.brokerage import COLUMNS
    from biocluster_kg.kernel.columns import localise_table

    with_bom = csv_settings(ctx, output_format, lang, bom, lang_formats=("table", "csv", "json"))
    analysis = Session(drawn_workspace(data_dir)).brokers(ties, sample=sample, seed=seed)
    rows = analysis.table(top, lang)
    note = analysis.sample_note(lang)
    if note:
        # On stderr: the rows stay machine-readable, and a sampled ranking says how stable it is.
        click.echo(note, err=True)
    if output_format == "json":
        emit(ctx, render(COLUMNS, rows, output_format), output)
        return
    columns, rows = localise_table(COLUMNS, rows, lang)
    # Lists stay lists in JSON; in a table or a spreadsheet cell they read as words.
    roles = COLUMNS.index("roles")
    for row in rows:
        row[roles] = ("、" if lang == "ja" else ", ").join(row[roles])
    emit(ctx, render(columns, rows, output_format), output, bom=with_bom)


COMMANDS = [analyze]
