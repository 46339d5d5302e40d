"""Click commands, one module per topic. Heavy imports happen inside command bodies.

Each module lists its commands in ``COMMANDS``. A module that fails to import stops the
whole command line: a silently missing command would look like a typo to the user and
hide the real error from the developer.
"""

from __future__ import annotations

import importlib

import click

MODULES = (
    "knowledge",
    "store",
    "queries",
    "analyze",
    "viz",
    "export",
    "workspace",
    "figures",
    "find",
)


def register(group: click.Group) -> None:
    """Add every command of every module in :data:`MODULES` to the top-level group."""
    for name in MODULES:
        module = importlib.import_module(f"biocluster_kg.cli.commands.{name}")
        for command in module.COMMANDS:
            group.add_command(command)
