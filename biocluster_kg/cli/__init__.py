"""The ``biocluster`` command line: parse options, call the library once, format output.

Only click and the light-weight error module are imported at start-up; each command
imports what it needs when it runs, so ``biocluster --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import Any

import click

from biocluster_kg.kernel.errors import BioclusterError, ValidationError


class BioclusterGroup(click.Group):
    """A group that turns the project's own errors into ``Error: ...`` and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from biocluster_kg.cli.notices import collecting

        # The Neo4j server's notifications end the command as one line, not a block each.
        notifications, logger, propagated = collecting()
        try:
            return super().invoke(ctx)
        except ValidationError as error:
            # The message counts problems past a limit; the full list on request.
            every = os.environ.get("BIOCLUSTER_ALL_PROBLEMS", "") not in ("", "0")
            raise click.ClickException(error.full_message if every else str(error)) from error
        except BioclusterError as error:
            raise click.ClickException(str(error)) from error
        finally:
            logger.removeHandler(notifications)
            logger.propagate = propagated
            line = notifications.line()
            if line:
                click.echo(line, err=True)


@click.group(cls=BioclusterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="biocluster-kg", prog_name="biocluster")
def cli() -> None:
    """A source-cited graph knowledge base of the Yamagata bio cluster.

    \b
    Example:
        biocluster demo
    """


def _register() -> None:
    from biocluster_kg.cli.commands import register

    register(cli)


_register()
