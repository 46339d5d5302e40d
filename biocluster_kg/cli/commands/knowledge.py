"""Commands about the knowledge base itself: check it against its sources, and the demo."""

from __future__ import annotations

from pathlib import Path

import click

from biocluster_kg.cli.options import data_option, file_option, lang_choice


@click.command()
@data_option
@click.option("--uncited", is_flag=True, help="List the source lines no fact cites.")
@click.option(
    "--review",
    is_flag=True,
    help="Also write the reviewer's sheet (every fact in source order) to --output.",
)
@file_option("Where --review writes: .md for Markdown, else HTML.", default=Path("out/review.html"))
def check(data_dir: Path | None, uncited: bool, review: bool, output: Path) -> None:
    """Validate all data and prove every cited span (or table row and cell) is in its source.

    Also reports coverage: how many of each source's lines some fact cites, and every
    yen amount, count or date in a source that no fact carries.

    \b
    Refused (exit 1). load, demo, viz, analyze, export and the notebooks' session
    refuse exactly these too, with the same message, before writing anything:
      - an actor's name or alias that its source does not write (or a known_as name it does)
      - an amount, count or date of a source that no fact carries
      - a table cell a fact cites whose value the fact does not carry
    Reported only, never refused:
      - source lines no fact cites (headings, captions): see --uncited

    \b
    Example:
        biocluster check --uncited
        biocluster check --review -o review.html
    """
    # The two lists above are loaders.check.REFUSED and REPORTED word for word (a test
    # compares them); they are not imported here so that --help stays light.
    from biocluster_kg.loaders.check import load_and_check

    report = load_and_check(data_dir)
    kb = report.kb
    click.echo(
        f"valid: {len(kb.nodes)} nodes, {len(kb.relationships)} relationships, "
        f"{len(kb.sources)} source(s); every span found in its source, ids unique, "
        "references resolved, budgets reconciled"
    )
    for coverage in report.coverage:
        click.echo(
            f"{coverage.source_id}: {coverage.cited_lines} of {coverage.content_lines} "
            f"non-blank lines cited ({coverage.percent:.1f}%); "
            f"{coverage.value_count} amounts, counts and dates, "
            f"{len(coverage.uncited_values)} not carried by any fact"
        )
        if uncited:
            for line, text in coverage.uncited_lines:
                click.echo(f"  uncited line {line}: {text.strip()}")
        for mention in coverage.uncited_values:
            click.echo(f"  not carried: line {mention.line}: {mention.text} ({mention.kind})")
    counts = report.basis_counts
    click.echo(
        "basis: " + ", ".join(f"{counts[code]} {code}" for code in counts) + " (nodes and "
        "relationships; every one not stated gives its reason)"
    )
    if review:
        from biocluster_kg.loaders.review import write_review_sheet

        click.echo(f"review sheet: {write_review_sheet(kb, output)}")
    # The same error, word for word, that every other entry point raises for these data.
    error = report.error()
    if error is not None:
        raise error


@click.command()
@data_option
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Embedded store file (default .biocluster/knowledge.lbug).",
)
@file_option("Where to write the network page.", default=Path("out/network.html"))
@lang_choice(
    "ja (default): status lines, the brokers' column titles and names, and the network page "
    "in Japanese, for people; en: in English, with the stable column keys and codes."
)
def demo(data_dir: Path | None, store_path: Path | None, output: Path, lang: str) -> None:
    """Check the data, load it into the embedded store, rank the brokers and write the
    network page: the whole job on the zero-setup default.

    The brokers' table has the column titles `biocluster query` gives for the same
    --lang; the page is the one `biocluster viz --lang` writes.

    \b
    Example:
        biocluster demo
        biocluster demo --lang en -o out/network-en.html
    """
    from biocluster_kg.app.demo import run_demo
    from biocluster_kg.app.session import Session, StoreSettings
    from biocluster_kg.cli.output import render
    from biocluster_kg.kernel.columns import localise_table

    with Session(data_dir, StoreSettings(store_path=store_path)) as session:
        run_demo(
            session,
            output,
            echo=click.echo,
            table=lambda result: render(
                *localise_table(result.columns, result.rows, lang), "table"
            ),
            lang=lang,
        )


COMMANDS = [check, demo]
