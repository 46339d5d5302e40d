"""Commands for the query library: list its questions, and answer one of them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from biocluster_kg.cli.options import (
    backend_options,
    bom_option,
    csv_settings,
    data_option,
    emit,
    file_option,
    lang_choice,
    lang_option,
    output_options,
)
from biocluster_kg.cli.params import parameter_option

if TYPE_CHECKING:
    from biocluster_kg.app.session import StoreSettings


@click.command()
@click.argument("name", required=False)
@data_option
@output_options
@lang_choice(
    "ja (default): Japanese column titles, for people; en: the stable keys. JSON always "
    "keeps the keys (--lang is accepted with it and changes nothing)."
)
def queries(name: str | None, data_dir: Path | None, output_format: str, lang: str) -> None:
    """List the library's questions, in English and Japanese; or, given NAME, show that
    query's parameters (type, default, description) and columns.

    \b
    Example:
        biocluster queries
        biocluster queries actor_profile
        biocluster queries --format json
        biocluster queries budget_tree --data my-cluster

    The defaults that name the cluster's own anchors (its institute, budget, company
    kinds) are those of the workspace (--data).
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.cli.output import render
    from biocluster_kg.kernel.columns import column_title

    def titles(columns: list[str]) -> list[str]:
        if output_format == "json":
            return columns
        return [column_title(column, lang) for column in columns]

    library = Session(data_dir).library()
    if name is None:
        rows = [
            [query.name, query.question, query.question_ja, ", ".join(query.required_parameters())]
            for query in library
        ]
        headers = titles(["name", "question", "question_ja", "required"])
        click.echo(render(headers, rows, output_format, lang=lang))
        return
    query = library.get(name)
    required = "必須" if output_format != "json" and lang == "ja" else "required"
    rows = [
        [
            parameter.name,
            parameter.type,
            (required if parameter.required else parameter.default),
            parameter.description,
        ]
        for parameter in query.parameters
    ]
    if output_format == "table":
        from biocluster_kg.cli.output import hanging

        click.echo(hanging(f"{query.name}: ", query.question))
        click.echo(hanging(" " * (len(query.name) + 2), query.question_ja))
        click.echo(hanging("columns: ", ", ".join(query.columns)))
        click.echo(hanging("example: ", query.example_command()))
        if rows:
            click.echo("")
    if rows or output_format != "table":
        headers = titles(["parameter", "type", "default", "description"])
        click.echo(render(headers, rows, output_format, lang=lang))


@click.command()
@click.argument("name")
@parameter_option
@backend_options
@data_option
@output_options
@lang_option
@bom_option
@file_option()
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    parameters: dict[str, Any],
    store: StoreSettings,
    data_dir: Path | None,
    output_format: str,
    lang: str,
    bom: bool | None,
    output: Path | None,
) -> None:
    """Answer the library question NAME on the store, with -p key=value parameters.

    `biocluster queries` lists the questions and `biocluster queries NAME` the parameters
    of one. A value is JSON when it parses as JSON, else text; a list of strings may also
    be written comma-separated. Names are matched ignoring case and full-/half-width.
    Tables and CSV have Japanese titles and names by default; --lang en (and JSON) the
    stable column keys and codes that `biocluster queries NAME` lists.

    The question answers for the workspace the store was loaded from (its institute,
    budget and company kinds); --data names that workspace, and another one is refused.

    \b
    Example:
        biocluster query council_and_committee
        biocluster query actor_profile -p name=慶應先端研 --format json
        biocluster query shortest_connection -p from_name=HMT -p to_name=山形県知事
        biocluster query budget_tree --format csv -o budget.csv
        NEO4J_PASSWORD=... biocluster query budget_tree --neo4j --format csv --lang en
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.cli.output import render
    from biocluster_kg.kernel.columns import localise_table

    with_bom = csv_settings(ctx, output_format, lang, bom)
    with Session(data_dir, store) as session:
        result = session.query(name, parameters)
        reasons = None
        people = output_format != "json" and lang == "ja"
        if people and any(column.endswith("basis_reason") for column in result.columns):
            # The store keeps the curator's English reason; the data gives it in Japanese.
            from biocluster_kg.kernel.basis import reasons_in_japanese

            facts = session.facts()
            reasons = reasons_in_japanese([*facts.nodes.values(), *facts.relationships.values()])
    if output_format == "json":
        columns, rows = list(result.columns), result.rows
    else:
        columns, rows = localise_table(result.columns, result.rows, lang, reasons)
    emit(ctx, render(columns, rows, output_format), output, bom=with_bom)


COMMANDS = [queries, query]
