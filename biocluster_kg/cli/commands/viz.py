"""The network page: ``biocluster viz`` writes one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from biocluster_kg.cli.options import data_option, drawn_workspace, file_option, lang_choice
from biocluster_kg.kernel.schema import SCHEMA, SECTORS

DEFAULT_OUTPUT = Path("out/network.html")


def _relationship_types(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    chosen = tuple(value.strip().upper() for value in values)
    for value, original in zip(chosen, values, strict=True):
        if not SCHEMA.has_type(value):
            raise click.BadParameter(
                f"{original!r} is not a relationship type; expected one of "
                + ", ".join(SCHEMA.types),
                ctx=ctx,
                param=param,
            )
    return chosen


@click.command()
@file_option("HTML file to write (its folder is created).", default=DEFAULT_OUTPUT)
@click.option("--around", metavar="NAME", help="Centre on this actor: id, name or alias.")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --around: steps from the centre to include.",
)
@click.option(
    "--sector",
    "sectors",
    multiple=True,
    type=click.Choice(SECTORS),
    help="Keep this sector (repeatable); nodes without a sector next to it stay.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    callback=_relationship_types,
    help="Keep this relationship type (repeatable): " + ", ".join(SCHEMA.types) + ".",
)
@lang_choice("Language of labels, legend and controls.")
@click.option(
    "--view",
    type=click.Choice(["auto", "full", "aggregated"]),
    default="auto",
    show_default=True,
    help="auto: one node per actor up to 2,000 nodes, one per sector and kind beyond.",
)
@click.option(
    "--all-kinds",
    is_flag=True,
    help="Open on every kind of node. By default the page opens on the actors "
    "(organisations, groups, bodies, posts), with programmes, budget lines, functions and "
    "figures one switch away.",
)
@data_option
@click.pass_context
def viz(
    ctx: click.Context,
    output: Path,
    around: str | None,
    depth: int,
    sectors: tuple[str, ...],
    types: tuple[str, ...],
    lang: str,
    view: str,
    all_kinds: bool,
    data_dir: Path | None,
) -> None:
    """Write the collaboration network as one self-contained HTML page and print its path.

    The page needs no network: open it from a shared drive or an e-mail. Colour shows the
    sector, shape the kind of node, size the brokerage score; hover for names, roles,
    amounts and the cited source line. Filter by sector, relationship type and fiscal
    year, and search in Japanese or English. Without --data the page draws the workspace
    the embedded store was last loaded from (else the shipped one).

    \b
    Example:
        biocluster viz
        biocluster viz --around 慶應先端研 --depth 2 -o out/iab.html
        biocluster viz --sector industry --sector academia --type PARTICIPATES_IN
        biocluster viz --lang en -o out/network-en.html
        biocluster viz --all-kinds -o out/everything.html
    """
    if around is None and ctx.get_parameter_source("depth") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--depth needs --around NAME")
    from biocluster_kg.app.session import Session

    path = Session(drawn_workspace(data_dir)).write_page(
        output,
        lang=lang,
        around=around,
        depth=depth,
        sectors=sectors,
        types=types,
        view=view,
        focus="all" if all_kinds else "actors",
    )
    click.echo(str(path))


COMMANDS = [viz]
