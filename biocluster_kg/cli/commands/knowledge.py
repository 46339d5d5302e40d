"""Commands about the knowledge base itself: check it against its sources, and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from biocluster_kg.cli.options import data_option, file_option, lang_choice

#: What check says, by language (the refusals are the gate's own words in both).
CHECK_WORDS: dict[str, dict[str, Any]] = {
    "ja": {
        "valid": (
            "検証済み：ノード{nodes:,}件、関係{relationships:,}件、出典{sources:,}件。"
            "引用箇所はすべて出典にあり、IDは一意、参照は解決済み、予算の内訳は総額を超えない"
        ),
        "coverage": (
            "{source}：空行を除く{lines:,}行のうち{cited:,}行を引用（{percent:.1f}%）。"
            "金額・件数・日付{values:,}件のうち、どの事実にも載っていないもの{uncarried:,}件"
        ),
        "uncited": "  引用されていない行 {line}：{text}",
        "uncarried": "  どの事実にも載っていない値：{line}行目「{text}」（{kind}）",
        "kinds": {"amount": "金額", "count": "件数", "year": "年度", "month": "月", "day": "日付"},
        "basis": "根拠：{counts}（ノードと関係。記載以外はすべて理由を記す）",
        "carried": (
            "網羅状況：出典の数値{stated:,}件のうち{carried:,}件を事実が保持（{carried}/{stated}）"
        ),
        "shortfall": "  内訳の合計が総額に届かない予算：{problem}",
        "incomplete": (
            "未収載の数値や内訳は報告のみで、拒否しません（cluster.yaml の "
            "require_complete: true か --complete で拒否）"
        ),
        "review": "確認用シート：{path}",
    },
    "en": {
        "valid": (
            "valid: {nodes} nodes, {relationships} relationships, {sources} source(s); every "
            "span found in its source, ids unique, references resolved, no budget's parts "
            "above its total"
        ),
        "coverage": (
            "{source}: {cited} of {lines} non-blank lines cited ({percent:.1f}%); "
            "{values} amounts, counts and dates, {uncarried} not carried by any fact"
        ),
        "uncited": "  uncited line {line}: {text}",
        "uncarried": "  not carried: line {line}: {text} ({kind})",
        "kinds": {},
        "basis": "basis: {counts} (nodes and relationships; every one not stated gives its reason)",
        "carried": "coverage: numbers carried {carried}/{stated}",
        "shortfall": "  budget parts below their total: {problem}",
        "incomplete": (
            "what is not carried yet is reported, not refused (refused with "
            "require_complete: true in cluster.yaml, or --complete)"
        ),
        "review": "review sheet: {path}",
    },
}


def _basis_counts(counts: dict[str, int], lang: str) -> str:
    """``341 stated, 138 layout, ...`` (en) or ``記載 341件、図の配置 138件、...`` (ja)."""
    if lang == "en":
        return ", ".join(f"{counts[code]} {code}" for code in counts)
    from biocluster_kg.kernel.schema import SCHEMA

    names = {term.code: term.name("ja") for term in SCHEMA.property_terms("basis")}
    return "、".join(f"{names.get(code, code)} {counts[code]:,}件" for code in counts)


@click.command()
@data_option
@click.option("--uncited", is_flag=True, help="List the source lines no fact cites.")
@click.option(
    "--complete",
    is_flag=True,
    help="Also refuse what is not carried yet, as require_complete: true in cluster.yaml does.",
)
@click.option(
    "--review",
    is_flag=True,
    help="Also write the reviewer's sheet (every fact in source order) to --output.",
)
@file_option("Where --review writes: .md for Markdown, else HTML.", default=Path("out/review.html"))
@lang_choice(
    "ja (default): the summary lines in Japanese, for people; en: in English. The refusal "
    "messages are the same words in both, as every command gives them."
)
def check(
    data_dir: Path | None, uncited: bool, complete: bool, review: bool, output: Path, lang: str
) -> None:
    """Validate all data and prove every cited span (or table row and cell) is in its source.

    Also reports coverage: how many of each source's lines some fact cites, and every
    yen amount, count or date in a source that no fact carries yet. Truth is a gate,
    completeness a report: a true but partial curation passes.

    \b
    Refused (exit 1). load, demo, viz, analyze, export, report, figure and the
    notebooks' session refuse exactly these too, with the same message, before
    writing anything:
      - an actor's name or alias that its source does not write (or a known_as name it does)
      - a table cell a fact cites whose value the fact does not carry
      - an institute or budget_root in cluster.yaml that no node of kb/ has
    Reported, and refused only with require_complete: true in cluster.yaml or --complete:
      - an amount, count or date of a source that no fact carries
      - budget parts that sum below their stated total
    Reported only, never refused:
      - source lines no fact cites (headings, captions): see --uncited

    \b
    Example:
        biocluster check --uncited
        biocluster check --complete
        biocluster check --review -o review.html
    """
    # The two lists above are loaders.check.REFUSED and REPORTED word for word (a test
    # compares them); they are not imported here so that --help stays light.
    from biocluster_kg.loaders.check import load_and_check

    report = load_and_check(data_dir, complete=True if complete else None)
    kb = report.kb
    says = CHECK_WORDS[lang]
    click.echo(
        says["valid"].format(
            nodes=len(kb.nodes), relationships=len(kb.relationships), sources=len(kb.sources)
        )
    )
    for coverage in report.coverage:
        click.echo(
            says["coverage"].format(
                source=coverage.source_id,
                cited=coverage.cited_lines,
                lines=coverage.content_lines,
                percent=coverage.percent,
                values=coverage.value_count,
                uncarried=len(coverage.uncited_values),
            )
        )
        if uncited:
            for line, text in coverage.uncited_lines:
                click.echo(says["uncited"].format(line=line, text=text.strip()))
        for mention in coverage.uncited_values:
            kind = says["kinds"].get(mention.kind, mention.kind)
            click.echo(says["uncarried"].format(line=mention.line, text=mention.text, kind=kind))
    for problem in report.budget_shortfalls:
        click.echo(says["shortfall"].format(problem=problem))
    carried, stated = report.values_carried
    click.echo(says["carried"].format(carried=carried, stated=stated))
    if report.incomplete and not report.complete:
        click.echo(says["incomplete"])
    click.echo(says["basis"].format(counts=_basis_counts(report.basis_counts, lang)))
    if review:
        from biocluster_kg.loaders.review import write_review_sheet

        click.echo(says["review"].format(path=write_review_sheet(kb, output)))
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
