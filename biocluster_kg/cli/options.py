"""Option decorators shared by several commands (after sqlite-utils' ``output_options``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def output_options(function: F) -> F:
    """``--format table|csv|json``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(function)


def data_option(function: F) -> F:
    """``--data DIR``: the data folder holding sources/ and kb/."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BIOCLUSTER_DATA",
        default=None,
        help="Data folder (default: the project's data/; env BIOCLUSTER_DATA).",
    )(function)


def drawn_workspace(data_dir: Path | None) -> Path | None:
    """The workspace a command that reads the data files draws: ``--data``, else the one the
    embedded store records (said on standard error), else the shipped one (None)."""
    if data_dir is not None:
        return data_dir
    from biocluster_kg.app.session import recorded_workspace

    recorded = recorded_workspace()
    if recorded is not None:
        click.echo(f"workspace: {recorded} (recorded by the store; --data to choose)", err=True)
    return recorded


def measures_option(function: F) -> F:
    """``--no-measures``: leave the computed network measures out (the same name everywhere)."""
    return click.option(
        "--no-measures",
        "no_measures",
        is_flag=True,
        help="Leave out the network measures (degree, betweenness, bridge score, ...): "
        "the facts alone. By default they are stored and exported with the facts.",
    )(function)


def backend_options(function: F) -> F:
    """Choose the store: the embedded Ladybug file (default) or a Neo4j server.

    The command receives them as one ``store`` argument, a
    :class:`biocluster_kg.app.session.StoreSettings`.
    """

    @functools.wraps(function)
    def with_store(
        *args: Any,
        use_neo4j: bool,
        store_path: Path | None,
        uri: str | None,
        username: str | None,
        password: str | None,
        database: str | None,
        **kwargs: Any,
    ) -> Any:
        from biocluster_kg.app.session import StoreSettings

        store = StoreSettings(use_neo4j, store_path, uri, username, password, database)
        return function(*args, store=store, **kwargs)

    decorators = [
        click.option(
            "--neo4j",
            "use_neo4j",
            is_flag=True,
            help="Use the Neo4j server instead of the embedded store.",
        ),
        click.option(
            "--store",
            "store_path",
            type=click.Path(dir_okay=False, path_type=Path),
            envvar="BIOCLUSTER_STORE",
            default=None,
            help="Embedded store file (default .biocluster/knowledge.lbug; env BIOCLUSTER_STORE).",
        ),
        click.option("--uri", envvar="NEO4J_URI", default=None, help="Neo4j URI (env NEO4J_URI)."),
        click.option(
            "--user",
            "username",
            envvar="NEO4J_USERNAME",
            default=None,
            help="Neo4j user (env NEO4J_USERNAME).",
        ),
        click.option(
            "--password",
            envvar="NEO4J_PASSWORD",
            default=None,
            show_envvar=False,
            help="Neo4j password (prefer env NEO4J_PASSWORD; never printed).",
        ),
        click.option(
            "--database",
            envvar="NEO4J_DATABASE",
            default=None,
            help="Neo4j database name (env NEO4J_DATABASE).",
        ),
    ]
    wrapped: Any = with_store
    for decorator in reversed(decorators):
        wrapped = decorator(wrapped)
    return wrapped


#: What ``--lang`` does, said once for every command that has it.
LANG_HELP = (
    "ja (default): Japanese column titles and the schema's Japanese names for labels, kinds, "
    "roles, sectors and measures, for people; en: the stable English keys and codes, for "
    "scripts and English readers. JSON always keeps the stable keys and codes: with "
    "--format json, --lang is accepted and changes nothing."
)

#: What ``--bom`` does, and which default serves whom.
BOM_HELP = (
    "CSV only: start with the UTF-8 byte-order mark, which Excel needs to read Japanese. "
    "Default: with the mark for --lang ja (the form for people, opened in Excel), without it "
    "for --lang en (the stable keys, read by scripts)."
)


def lang_choice(help_text: str = LANG_HELP) -> Callable[[F], F]:
    """``--lang ja|en`` (default ja), with the command's own help text."""
    return click.option(
        "--lang",
        type=click.Choice(["ja", "en"]),
        default="ja",
        show_default=True,
        help=help_text,
    )


def lang_option(function: F) -> F:
    """``--lang ja|en`` (default ja): people's titles and names, or the stable keys."""
    return lang_choice()(function)


def bom_option(function: F) -> F:
    """``--bom/--no-bom``: the byte-order mark of a CSV; default by ``--lang``."""
    return click.option("--bom/--no-bom", "bom", default=None, help=BOM_HELP)(function)


def file_option(
    help_text: str = "File to write (default: standard output).",
    *,
    default: Path | None = None,
    required: bool = False,
) -> Callable[[F], F]:
    """``-o/--output FILE``: standard output when no default is given (and none required)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        required=required,
        show_default=default is not None,
        help=help_text,
    )


def _given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


def csv_settings(
    ctx: click.Context,
    output_format: str,
    lang: str,
    bom: bool | None,
    *,
    lang_formats: tuple[str, ...] = ("table", "csv"),
) -> bool:
    """Whether a CSV starts with a byte-order mark; ``--bom`` given with a format that has
    none is an error (exit 2) rather than silently dropped. ``--lang`` is accepted with
    every format: the formats outside ``lang_formats`` (JSON) keep the stable keys whatever
    it says, as :data:`LANG_HELP` tells (ja is the default, so a script that always passes
    ``--lang ja`` must not fail on JSON)."""
    if bom is not None and output_format != "csv":
        raise click.UsageError(
            f"--{'' if bom else 'no-'}bom applies to CSV only, not to --format {output_format}",
            ctx=ctx,
        )
    if output_format != "csv":
        return False
    return (lang == "ja") if bom is None else bom


def emit(ctx: click.Context, text: str, output: Path | None, *, bom: bool = False) -> None:
    """Write ``text`` (UTF-8, a byte-order mark first if ``bom``) to ``output`` or stdout."""
    import sys

    from biocluster_kg.app.exporting import write_output
    from biocluster_kg.cli.output import terminal_stream

    data = (("\ufeff" if bom else "") + text + "\n").encode("utf-8")
    if output is None:
        # On a terminal no escape sequence read from a store reaches it raw.
        write_output(data, None, terminal_stream())
        return
    write_output(data, output, sys.stdout.buffer)
    click.echo(f"wrote {output}", err=True)
