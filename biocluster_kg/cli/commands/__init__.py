"""Click commands, one module per topic. Heavy imports happen inside command bodies.

Each module lists its commands in ``COMMANDS``; modules not yet written are skipped.
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
    """Add every command to the top-level group."""
    for name in MODULES:
        try:
            module = importlib.import_module(f"biocluster_kg.cli.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"biocluster_kg.cli.commands.{name}":
                raise
            continue
        for command in module.COMMANDS:
            group.add_command(command)
