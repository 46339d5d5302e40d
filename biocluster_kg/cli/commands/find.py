"""``biocluster find``: list the actors a text may mean, as people write their names."""

from __future__ import annotations

from pathlib import Path

import click

from biocluster_kg.cli.options import data_option, output_options


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
def find_command(
    text: str,
    labels: tuple[str, ...],
    limit: int,
    data_dir: Path | None,
    output_format: str,
) -> None:
    """List the actors TEXT may mean: Japanese or English names, aliases and ids, folded
    for case, full/half width, spaces and ・; exact matches first, then names starting with
    it, then names containing it, then close spellings. Exits 1 when nothing is close.

    \b
    Example:
        biocluster find 先端研
        biocluster find "keio iab" --format json
        biocluster find 庄内 --label Organization
    """
    from biocluster_kg.app.find import FIND_COLUMNS, find_rows
    from biocluster_kg.cli.output import render

    rows = find_rows(data_dir, text, labels or None, limit)
    click.echo(render(FIND_COLUMNS, rows, output_format))


COMMANDS = [find_command]
