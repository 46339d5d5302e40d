"""``biocluster find``: list the actors a text may mean, as people write their names."""

from __future__ import annotations

from pathlib import Path

import click

from biocluster_kg.cli.options import data_option, lang_choice, output_options


@click.command("find")
@click.argument("text")
@click.option(
    "--label",
    "labels",
    multiple=True,
    type=click.Choice(["Organization", "Group", "Body", "Position"]),
    help="Only actors of this label (repeatable).",
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@data_option
@output_options
@lang_choice(
    "ja (default): Japanese column titles and the schema's names for labels, kinds and "
    "sectors, for people; en: the stable keys and codes. JSON always keeps the keys and "
    "codes (--lang is accepted with it and changes nothing)."
)
def find_command(
    text: str,
    labels: tuple[str, ...],
    limit: int,
    data_dir: Path | None,
    output_format: str,
    lang: str,
) -> None:
    """List the actors TEXT may mean: Japanese or English names, aliases and ids, folded
    for case, full/half width, spaces and ・; exact matches first, then names starting with
    it, then names containing it, then close spellings. A name below the similarity floor
    matches nothing: the command says "no actor matches", offers the nearest names
    ("did you mean ...?") and exits 1.

    \b
    Example:
        biocluster find 先端研
        biocluster find "keio iab" --format json
        biocluster find 庄内 --label Organization
    """
    from biocluster_kg.app.find import FIND_COLUMNS, find_rows, for_people
    from biocluster_kg.cli.output import render

    rows = find_rows(data_dir, text, labels or None, limit)
    columns: list[str] = list(FIND_COLUMNS)
    if output_format != "json" and lang == "ja":
        columns, rows = for_people(rows)
    click.echo(render(columns, rows, output_format, lang=lang))


COMMANDS = [find_command]
