"""``biocluster export``: stakeholder lists and the whole graph in standard formats."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from biocluster_kg.cli.options import (
    backend_options,
    bom_option,
    csv_settings,
    data_option,
    lang_option,
    measures_option,
)
from biocluster_kg.cli.output import terminal_stream
from biocluster_kg.kernel.schema import SECTORS

if TYPE_CHECKING:
    from biocluster_kg.app.session import StoreSettings
    from biocluster_kg.kernel.model import KnowledgeBase

F = TypeVar("F", bound=Callable[..., Any])

_SOURCES = ("data", "embedded", "neo4j")
_GRAPH_FORMATS = ("json", "graphml", "gexf", "csv", "cypher")
_STAKEHOLDER_FORMATS = ("csv", "json", "xlsx")


def source_options(function: F) -> F:
    """``--from data|embedded|neo4j`` with the data folder and the store options."""
    function = backend_options(function)
    function = data_option(function)
    return click.option(
        "--from",
        "source_kind",
        type=click.Choice(_SOURCES),
        default=None,
        help=(
            "Read the knowledge base from the data files (default), the embedded store "
            "(--store) or a Neo4j server (--uri, ...; --neo4j means --from neo4j). "
            "After a load all three give the same output."
        ),
    )(function)


def _source(
    ctx: click.Context, source_kind: str | None, store: StoreSettings
) -> tuple[str, StoreSettings]:
    """The source to read and the store settings that reach it (--from neo4j = --neo4j)."""
    if store.use_neo4j and source_kind not in (None, "neo4j"):
        raise click.BadParameter(
            f"--neo4j conflicts with --from {source_kind}", ctx=ctx, param_hint="'--from'"
        )
    kind = "neo4j" if store.use_neo4j else (source_kind or "data")
    return kind, dataclasses.replace(store, use_neo4j=kind == "neo4j")


def _output_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=None,
        help=help_text,
    )


def _kinds(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    from biocluster_kg.graph.exports.stakeholders import STAKEHOLDER_KINDS

    for value in values:
        if value not in STAKEHOLDER_KINDS:
            raise click.BadParameter(
                f"{value!r} is not a kind of stakeholder; expected one of "
                + ", ".join(STAKEHOLDER_KINDS),
                ctx=ctx,
                param=param,
            )
    return values


def _fiscal_year(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from biocluster_kg.kernel.fiscal import parse_fiscal_year

    if value is None:
        return None
    try:
        return parse_fiscal_year(int(value) if value.strip().isdigit() else value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


def _check_roles(ctx: click.Context, roles: tuple[str, ...], kb: KnowledgeBase) -> None:
    """Every ``--role`` must be what the filter matches, a role code of the vocabulary
    (chair) or a role as the data writes it (``role_ja``: 会長), or it would filter every
    row away silently (exit 2, as an unknown ``--kind`` is)."""
    from biocluster_kg.kernel.names import fold_name
    from biocluster_kg.kernel.schema import SCHEMA

    codes: set[str] = set()
    for type_ in ("MEMBER_OF", "PARTICIPATES_IN"):
        codes.update(SCHEMA.relationship(type_).property("role").choices or ())
    written = {str(rel.get("role_ja")) for rel in kb.relationships.values() if rel.get("role_ja")}
    words = {fold_name(word) for word in codes | written}
    unknown = [role for role in roles if fold_name(role) not in words]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not a role: expected a code ({', '.join(sorted(codes))}) "
            f"or a role as the data writes it ({'、'.join(sorted(written))})",
            ctx=ctx,
            param_hint="'--role'",
        )


@click.group("export")
def export() -> None:
    """Export stakeholder lists and the whole graph for scripts, spreadsheets, Gephi,
    Cytoscape and Neo4j.

    \b
    Example:
        biocluster export stakeholders --body 推進会議 --format xlsx -o out/council.xlsx
        biocluster export graph --format graphml -o out/knowledge-base.graphml
    """


@export.command("stakeholders")
@click.option("--body", "bodies", multiple=True, help="Sits on this body (id, name or alias).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="Holds this role on a body: chair, vice_chair, member, ... or as written (会長).",
)
@click.option(
    "--sector", "sectors", multiple=True, type=click.Choice(SECTORS), help="The actor's own sector."
)
@click.option("--kind", "kinds", multiple=True, callback=_kinds, help="Kind, e.g. company.")
@click.option(
    "--fiscal-year",
    callback=_fiscal_year,
    help="Tied to a programme, project, event or figure of this year (2013, H25, 平成25年度).",
)
@click.option("--tied-to", help="Tied directly (or through a post) to this node (id, name, alias).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_STAKEHOLDER_FORMATS),
    default="csv",
    show_default=True,
    help="Output format.",
)
@lang_option
@bom_option
@_output_option("File to write (default: standard output; xlsx needs a file).")
@source_options
@click.pass_context
def stakeholders(
    ctx: click.Context,
    bodies: tuple[str, ...],
    roles: tuple[str, ...],
    sectors: tuple[str, ...],
    kinds: tuple[str, ...],
    fiscal_year: int | None,
    tied_to: str | None,
    output_format: str,
    lang: str,
    bom: bool | None,
    output: Path | None,
    source_kind: str | None,
    data_dir: Path | None,
    store: StoreSettings,
) -> None:
    """List the cluster's stakeholders with their bodies, roles and source citation.

    One row per organisation, group and body, sorted by id; a post held ex officio (the
    governor, a department head) rolls up to the organisation it belongs to, whose row
    shows the seat "via" the post. Filters combine: all must hold; a repeated option
    means "any of these".

    \b
    Columns (stable keys, as JSON and --lang en have them): id, label, name_ja,
    name_en, aliases, kind, sector, positions, memberships, membership_bases,
    source_doc, span, span_line, basis, basis_reason.
    memberships entries read "<body>:<role> (<role as written>) via <post>", e.g.
    "山形県バイオクラスター形成推進会議:chair (会長) via 山形県知事"; membership_bases
    says how each seat is known (stated, layout or inferred), basis and basis_reason how
    the actor is. In CSV and xlsx
    the list columns are joined with "; ", and a cell starting with = + - @, a tab or a
    carriage return gets a leading ' so that spreadsheets never run it as a formula;
    JSON has arrays and the text as it is. With --lang ja (the default) CSV and xlsx
    have Japanese titles (ID, 区分, 名称, ...), the label, kind, sector and bases in the
    schema's Japanese names, and memberships entries that read "<body>：<role>
    （<post>として）" with the role as written (会長), else the schema's Japanese name for
    it (委員・構成員); --lang en keeps the keys and codes for scripts.

    \b
    Example:
        biocluster export stakeholders --body 推進会議 --role chair
        biocluster export stakeholders --sector industry --format json
        biocluster export stakeholders --tied-to 慶應先端研 -o out/iab.csv
        biocluster export stakeholders --lang en --format csv > stakeholders.csv
        biocluster export stakeholders --format xlsx -o out/stakeholders.xlsx
    """
    from biocluster_kg.app.session import Session
    from biocluster_kg.graph.exports.stakeholders import StakeholderFilter

    if output_format == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give its file with -o FILE")

    with_bom = csv_settings(ctx, output_format, lang, bom, lang_formats=("csv", "xlsx"))
    source, store = _source(ctx, source_kind, store)
    filters = StakeholderFilter(bodies, roles, sectors, kinds, fiscal_year, tied_to)
    with Session(data_dir, store) as session:
        if roles:
            _check_roles(ctx, roles, session.facts())
        count = session.export_stakeholders(
            filters,
            output_format,
            output,
            terminal_stream(),
            source=source,
            bom=with_bom,
            lang=lang,
        )
    if output is not None:
        click.echo(f"wrote {count} stakeholder(s) to {output}", err=True)


@export.command("graph")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_GRAPH_FORMATS),
    default="json",
    show_default=True,
    help="json: node-link; graphml, gexf: typed attributes; csv: neo4j-admin import folder; "
    "cypher: script for an empty Neo4j.",
)
@_output_option("File to write (default: standard output); a folder for --format csv.")
@source_options
@measures_option
@click.pass_context
def graph_command(
    ctx: click.Context,
    output_format: str,
    output: Path | None,
    source_kind: str | None,
    data_dir: Path | None,
    store: StoreSettings,
    no_measures: bool,
) -> None:
    """Export the whole graph: every node and relationship with all properties.

    The network measures are included, as `biocluster load` stores them, unless
    --no-measures; so every source gives the same output after a default load.

    \b
    Formats:
      json     networkx node-link JSON: nodes with id, label and all properties; links
               with source, target, key (the relationship id), type and all properties.
      graphml  GraphML 1.0 with typed keys (Cytoscape, Gephi, yEd); lists joined by |.
      gexf     GEXF 1.2 with typed attributes (Gephi); node label = Japanese name,
               node_label = schema label, edge label = relationship type.
      csv      a folder of neo4j-admin import files (nodes-<Label>.csv,
               relationships-<TYPE>.csv) and README.txt with the import command.
      cypher   a script that recreates the graph in an EMPTY Neo4j, constraints first.

    \b
    Example:
        biocluster export graph > out/knowledge-base.json
        biocluster export graph --format gexf -o out/knowledge-base.gexf
        biocluster export graph --format csv -o out/neo4j-import --from embedded
        biocluster export graph --format cypher -o out/knowledge-base.cypher
    """
    from biocluster_kg.app.session import Session

    if output_format == "csv" and output is None:
        raise click.UsageError("--format csv writes a folder of files: give it with -o DIR")

    source, store = _source(ctx, source_kind, store)
    with Session(data_dir, store) as session:
        written = session.export_graph(
            output_format, output, terminal_stream(), source=source, measures=not no_measures
        )
    if written:
        click.echo(f"wrote {len(written)} file(s): {output}", err=True)


COMMANDS = [export]
