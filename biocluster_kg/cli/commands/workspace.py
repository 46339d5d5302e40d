"""Commands that grow a workspace: create one, add a source, draft candidates, accept them."""

from __future__ import annotations

from pathlib import Path

import click

from biocluster_kg.cli.options import data_option, file_option, lang_choice


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title-ja", required=True, help="The cluster's name in Japanese.")
@click.option("--title-en", required=True, help="The cluster's name in English.")
def init_command(folder: Path, title_ja: str, title_en: str) -> None:
    """Create an empty workspace in FOLDER: cluster.yaml, sources/ with its registry, kb/.

    Every command takes the workspace with --data FOLDER (or BIOCLUSTER_DATA); the shipped
    Yamagata knowledge base is the default workspace.

    \b
    Example:
        biocluster init ~/clusters/shonai --title-ja 庄内クラスター --title-en "Shonai cluster"
        biocluster check --data ~/clusters/shonai
    """
    from biocluster_kg.loaders.workspace import init_workspace

    for path in init_workspace(folder, title_ja, title_en):
        click.echo(f"wrote {path}")


@click.group("source")
def source_group() -> None:
    """Manage a workspace's sources.

    \b
    Example:
        biocluster source add council-fy2025.txt --data ~/clusters/shonai
    """


@source_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@data_option
@click.option("--id", "source_id", default=None, help="Source id (default: from the file name).")
@click.option(
    "--title", default=None, help="Title (default: a text's first line, a table's file name)."
)
@click.option("--publisher", default=None, help="Who published it.")
@click.option("--date", default=None, help="Publication date, YYYY-MM-DD.")
def source_add(
    file: Path,
    data_dir: Path | None,
    source_id: str | None,
    title: str | None,
    publisher: str | None,
    date: str | None,
) -> None:
    """Copy a source FILE into the workspace's sources/ and register it.

    A source is a UTF-8 text (.txt, .md: facts cite a span and its line) or a table (.csv
    in UTF-8, .xlsx: facts cite a row, span_line, and the columns whose cells state them,
    span_columns). A table is read whole first: a bad one is refused naming its row and
    column, and nothing is copied.

    \b
    Example:
        biocluster source add council-fy2025.txt --data ~/clusters/shonai --date 2025-06-30
        biocluster source add companies.xlsx --data ~/clusters/shonai --id city-companies
    """
    from biocluster_kg.kernel.cluster import default_data_dir
    from biocluster_kg.loaders.workspace import add_source

    entry = add_source(
        data_dir or default_data_dir(),
        file,
        source_id=source_id,
        title=title,
        publisher=publisher,
        date=date,
    )
    click.echo(f"added source {entry['id']}: sources/{entry['file']}")


@click.command("draft")
@click.argument("source_id")
@data_option
@file_option("The draft file to write (YAML), outside kb/.", required=True)
@click.option(
    "--analyser",
    "analyser_name",
    type=click.Choice(["sudachi", "fugashi"]),
    default="sudachi",
    show_default=True,
    help="Japanese analyser to read the text with (fugashi needs `pip install fugashi "
    "unidic-lite`).",
)
def draft_command(source_id: str, data_dir: Path | None, output: Path, analyser_name: str) -> None:
    """Propose candidate records from source SOURCE_ID for a person to review.

    Reads the text with a Japanese analyser and proposes the workspace's known actors (by
    every name and alias), new actors, groups, programmes and projects, the ties between
    them (posts, parts, seats with their roles, joint research, ventures, budget
    breakdowns, support and funding) and amounts, counts, years and dates, each with its
    exact span and line; a table source gives one actor per row, cited by row and column.
    What the workspace already carries from the source is not proposed again. The draft is
    marked as one: `check` refuses it in kb/, and only `biocluster accept` turns the
    candidates marked `accept: true` into data.

    \b
    Example:
        biocluster draft council-fy2025 --data ~/clusters/shonai -o draft.yaml
    """
    from biocluster_kg.app.workspace import write_draft

    kinds = write_draft(data_dir, source_id, output, analyser_name=analyser_name)
    counts = ", ".join(f"{number} {kind}" for kind, number in kinds.items())
    click.echo(
        f"wrote {sum(kinds.values())} candidates to {output} ({counts or 'none'}); "
        "review them, then `biocluster accept`"
    )


ACCEPT_WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "accepted": "{count:,}件のレコードを {path} に追加しました（候補{candidates:,}件）",
        "coverage": (
            "網羅状況：出典の数値{stated:,}件のうち{carried:,}件を事実が保持（{carried}/{stated}）。"
            "残りは biocluster check で一覧できます"
        ),
    },
    "en": {
        "accepted": "accepted {count} records into {path} ({candidates} candidates)",
        "coverage": "coverage: numbers carried {carried}/{stated}; biocluster check lists the rest",
    },
}


def _chosen(values: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, str]]:
    """``--candidate KEY_OR_SPAN[=ENGLISH NAME]`` values, split."""
    chosen, names = [], {}
    for value in values:
        key, sep, english = value.partition("=")
        if not key.strip() or (sep and not english.strip()):
            raise click.BadParameter(
                f"{value!r}: expected a candidate key or span, optionally =ENGLISH NAME",
                param_hint="--candidate",
            )
        chosen.append(key.strip())
        if sep:
            names[key.strip()] = english.strip()
    return tuple(chosen), names


@click.command("accept")
@click.argument("draft", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@data_option
@click.option(
    "--name",
    default=None,
    help="Name of the data file written into kb/ (default: the draft's name); a plain "
    "file name, never a path.",
)
@click.option(
    "--candidate",
    "candidates",
    multiple=True,
    help="Accept this candidate too (its key or its span as the draft writes it), as if "
    "marked accept: true; KEY=ENGLISH NAME also gives an actor its English name. Repeatable.",
)
@lang_choice("ja (default): the summary in Japanese, for people; en: in English.")
def accept_command(
    draft: Path, data_dir: Path | None, name: str | None, candidates: tuple[str, ...], lang: str
) -> None:
    """Add a reviewed DRAFT's accepted candidates to the workspace's kb/ as one new file.

    Candidates marked `accept: true`, and those named with --candidate, are taken: actors
    and groups as nodes (readable ids from their English names), ties as relationships,
    numbers with `attach: {node, property}` as that property of the node (or a Figure
    measuring it). The workspace with them is checked first, through the same gate as
    `biocluster check`; the file is written only if it passes (all or nothing), and
    every refusal names the candidate, the field and the reason. What the source states
    that is not carried yet is reported, not refused, unless the workspace requires it.

    \b
    Example:
        biocluster accept draft.yaml --data ~/clusters/shonai
        biocluster accept draft.yaml --data ws --candidate "株式会社シーバイオ=C-Bio Inc."
    """
    from biocluster_kg.app.workspace import accept_draft_file

    chosen, names = _chosen(candidates)
    accepted = accept_draft_file(data_dir, draft, name, chosen=chosen, english_names=names)
    says = ACCEPT_WORDS[lang]
    click.echo(
        says["accepted"].format(
            count=accepted.records, path=accepted.path, candidates=len(accepted.candidates)
        )
    )
    if accepted.report.incomplete:
        carried, stated = accepted.report.values_carried
        click.echo(says["coverage"].format(carried=carried, stated=stated))


COMMANDS = [init_command, source_group, draft_command, accept_command]
