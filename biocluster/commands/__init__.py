"""Click commands, one module per topic. Heavy imports happen inside command bodies."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add every command to the top-level group."""
    from biocluster.commands import knowledge

    for command in knowledge.COMMANDS:
        group.add_command(command)
