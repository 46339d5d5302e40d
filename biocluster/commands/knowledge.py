"""Commands about the knowledge base itself: demo and check."""

from __future__ import annotations

import click


@click.command()
def demo() -> None:
    """Build the knowledge base on the embedded store and write the network page.

    \b
    Example:
        biocluster demo
    """
    click.echo("biocluster: nothing to demo yet")


COMMANDS = [demo]
