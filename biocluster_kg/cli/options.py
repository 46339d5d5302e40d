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
