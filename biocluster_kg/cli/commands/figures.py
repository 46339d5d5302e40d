"""Pictures and the printable profile: ``biocluster figure`` and ``biocluster report``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from click.core import ParameterSource

from biocluster_kg.cli.options import data_option, drawn_workspace, file_option, lang_choice


@contextmanager
def _progress(steps: int, label: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal (stderr), nothing in a pipe or a file."""
    if not sys.stderr.isatty():
        yield lambda step: None
        return
    with click.progressbar(length=steps, label=label, file=sys.stderr) as bar:

        def advance(step: str) -> None:
            bar.label = f"{label}: {step}"
            bar.update(1)

        yield advance


_lang_option = lang_choice("Language of every label, title and table.")


@click.command()
@click.argument("kind", type=click.Choice(["network", "budget", "education"]))
@file_option("File to write: .svg, .png or .pdf (its folder is created).", required=True)
@click.option("--around", metavar="NAME", help="network: centre on this actor (id, name or alias).")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="network, with --around: steps from the centre to include.",
)
@click.option(
    "--by-sector", is_flag=True, help="network: one circle per sector, ties between them."
)
@_lang_option
@data_option
@click.pass_context
def figure(
    ctx: click.Context,
    kind: str,
    output: Path,
    around: str | None,
    depth: int,
    by_sector: bool,
    lang: str,
    data_dir: Path | None,
) -> None:
    """Draw a print-ready figure and print its path: the actor NETWORK (whole, around one
    actor, or by sector, with a legend), the BUDGET as a treemap with amounts in 千円, or
    the EDUCATION and event figures by fiscal year (平成/令和).

    Japanese needs a Japanese font (Debian fonts-ipaexfont-gothic, which a PDF embeds); the
    same data gives the same file, byte for byte.

    \b
    Example:
        biocluster figure network -o out/network.pdf
        biocluster figure network --around 慶應先端研 --depth 2 -o out/iab.svg
        biocluster figure network --by-sector -o out/sectors.png
        biocluster figure budget -o out/budget.pdf
        biocluster figure education --lang en -o out/education.svg
    """
    from biocluster_kg.app.report import FIGURE_STEPS, write_figure

    depth_given = ctx.get_parameter_source("depth") is ParameterSource.COMMANDLINE
    if kind != "network" and (around or by_sector or depth_given):
        raise click.UsageError("--around, --depth and --by-sector apply to the network figure")
    if around is None and depth_given:
        raise click.UsageError("--depth needs --around NAME")
    if around is not None and by_sector:
        raise click.UsageError("--around and --by-sector cannot be combined")
    with _progress(FIGURE_STEPS, f"figure {kind}") as progress:
        path = write_figure(
            kind,
            output,
            data_dir=drawn_workspace(data_dir),
            lang=lang,
            around=around,
            depth=depth if around is not None else None,
            by_sector=by_sector,
            progress=progress,
        )
    click.echo(str(path))


@click.command()
@file_option(
    "File to write: .html, or .pdf printed by headless Chromium.", default=Path("out/report.html")
)
@_lang_option
@data_option
def report(output: Path, lang: str, data_dir: Path | None) -> None:
    """Write the printable cluster profile and print its path: its structure (council,
    committee, coordinators), the stakeholders, the budget, the brokers with their reasons,
    the education and event figures, and every fact's source line.

    The HTML needs no network (figures are inside it). A .pdf is printed by a local
    Chromium (Debian chromium, or the path in BIOCLUSTER_CHROMIUM) through Playwright
    (pip install 'biocluster-kg[pdf]'), with every request blocked.

    \b
    Example:
        biocluster report -o out/report.html
        biocluster report -o out/report.pdf
        biocluster report --lang en -o out/report-en.html
    """
    from biocluster_kg.app.report import REPORT_STEPS, write_report

    with _progress(REPORT_STEPS, "report") as progress:
        path = write_report(
            output, data_dir=drawn_workspace(data_dir), lang=lang, progress=progress
        )
    click.echo(str(path))


COMMANDS = [figure, report]
