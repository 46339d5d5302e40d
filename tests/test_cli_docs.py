"""Every command documents itself with an example, and the CLI starts without heavy imports."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(walk(command, (*prefix, name)))
    return paths


COMMAND_PATHS = walk(cli)


def test_the_cli_has_the_documented_commands() -> None:
    top = {path[0] for path in COMMAND_PATHS}
    assert {
        "demo",
        "check",
        "load",
        "queries",
        "query",
        "cypher",
        "analyze",
        "viz",
        "export",
    } <= top


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example:" in result.output, path
    assert all(part == part.lower() and "_" not in part for part in path), "kebab-case names"


def test_help_imports_no_heavy_module() -> None:
    # Start-up speed depends on not importing the drivers, engines and analysis libraries.
    code = (
        "import sys; from biocluster_kg.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('networkx', 'neo4j', 'ladybug', 'pandas', 'pyvis', 'numpy',"
        " 'yaml') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in output
