"""``biocluster load`` and ``biocluster cypher`` through click, against real stores."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cli import cli
from biocluster_kg.cli.params import parse_parameters
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA

EVIL = "x' }) DETACH DELETE n //"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store" / "kb.lbug"


@pytest.fixture
def loaded(store: Path, copy_loaded_store: Callable[[Path], Path]) -> Path:
    """The store as ``biocluster load --store`` leaves it (a copy of one made per worker)."""
    return copy_loaded_store(store)


def report_of(result: Result) -> dict[str, dict[str, int]]:
    return {row.pop("label/type"): row for row in json.loads(result.stdout)}


def test_load_prints_the_report_table(store: Path, shipped_kb: KnowledgeBase) -> None:
    result = invoke("load", "--store", str(store), "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["label/type", "created", "updated", "removed", "total"]
    total = len(shipped_kb.nodes) + len(shipped_kb.relationships)
    assert lines[-1].split() == ["total", str(total), "0", "0", str(total)]
    organizations = str(shipped_kb.counts()["Organization"])
    assert ["Organization", organizations, "0", "0", organizations] in [
        line.split() for line in lines
    ]
    # For people (the default, issue 26): Japanese titles and the schema's names.
    again = invoke("load", "--store", str(store)).stdout.splitlines()
    assert again[0].split() == ["ノードの区分・関係の種類", "追加", "更新", "削除", "合計"]
    assert again[-1].split()[0] == "合計"
    assert [SCHEMA.node("Organization").display_name("ja"), "0", "0", "0", organizations] in [
        line.split() for line in again
    ]
    assert "Loading" not in result.output  # no progress bar when stderr is not a terminal
    with LadybugBackend(store) as backend:
        assert backend.counts() == shipped_kb.counts()


def test_second_load_reports_no_changes(loaded: Path, shipped_kb: KnowledgeBase) -> None:
    result = invoke("load", "--store", str(loaded), "--format", "json")
    assert result.exit_code == 0, result.output
    report = report_of(result)
    total = report.pop("total")
    assert total["created"] == total["updated"] == total["removed"] == 0
    assert dict(sorted((name, row["total"]) for name, row in report.items())) == (
        shipped_kb.counts()
    )
    # The status line is for people: Japanese by default, English one option away.
    assert result.stderr.startswith(f"{loaded} に読み込みました（"), result.stderr
    assert "秒、変更なし）" in result.stderr
    english = invoke("load", "--store", str(loaded), "--format", "json", "--lang", "en")
    assert english.exit_code == 0, english.output
    assert english.stdout == result.stdout  # the machine format keeps its stable keys
    assert english.stderr.startswith(f"loaded into {loaded} in ")
    assert " s: no changes" in english.stderr


def test_invalid_data_writes_nothing(
    loaded: Path, write_kb_file: Callable[[str, str], Path], shipped_kb: KnowledgeBase
) -> None:
    before = loaded.read_bytes()
    data = write_kb_file(
        "broken.yaml",
        "source: yamagata-biocluster-fy2013\n"
        "nodes:\n  - id: org:broken\n    label: Organization\n    name_ja: 壊れ\n",
    )
    result = invoke("load", "--store", str(loaded), "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid data")
    assert loaded.read_bytes() == before
    fresh = loaded.parent / "fresh.lbug"
    result = invoke("load", "--store", str(fresh), "--data", str(data))
    assert result.exit_code == 1
    assert not fresh.exists()


def test_cypher_reads_with_parameters(loaded: Path) -> None:
    result = invoke(
        "cypher",
        "MATCH (n:Organization) WHERE $alias IN n.aliases RETURN n.id AS id, n AS node",
        "-p",
        "alias=先端研",
        "--store",
        str(loaded),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["id"] == "org:iab"
    assert row["node"]["label"] == "Organization"
    assert "先端研" in row["node"]["aliases"]


def test_cypher_refuses_writes_without_the_flag(loaded: Path, shipped_kb: KnowledgeBase) -> None:
    result = invoke("cypher", "MATCH (n) DETACH DELETE n", "--store", str(loaded))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: DETACH changes the store and this statement runs read-only; "
        "pass --write (write=True) to allow writes\n"
    )
    with LadybugBackend(loaded) as backend:
        assert backend.counts() == shipped_kb.counts()


def test_cypher_writes_with_the_flag_and_parameters_stay_literal(
    loaded: Path, shipped_kb: KnowledgeBase
) -> None:
    result = invoke(
        "cypher",
        "MATCH (n:Organization {id: $id}) SET n.note = $note RETURN n.note AS note",
        "--write",
        "-p",
        "id=org:iab",
        "-p",
        f"note={EVIL}",
        "--store",
        str(loaded),
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == EVIL
    with LadybugBackend(loaded) as backend:
        assert backend.counts() == shipped_kb.counts()
        rows = backend.run("MATCH (n) WHERE n.note = $note RETURN n.id", {"note": EVIL}).rows
    assert rows == [["org:iab"]]


def test_cypher_errors_are_messages_not_tracebacks(loaded: Path) -> None:
    result = invoke("cypher", "MATC (n) RETURN n", "--store", str(loaded))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: extraneous input 'MATC'")
    assert "Traceback" not in result.output
    result = invoke("cypher", "RETURN $x AS x", "--store", str(loaded))
    assert result.exit_code == 1
    assert result.stderr == "Error: missing parameter $x (give it with -p x=VALUE)\n"
    result = invoke("cypher", "RETURN 1", "-p", "novalue", "--store", str(loaded))
    assert result.exit_code == 2
    assert "'novalue' is not KEY=VALUE" in result.stderr


def test_cypher_without_a_store_says_to_load(tmp_path: Path) -> None:
    missing = tmp_path / "none.lbug"
    result = invoke("cypher", "RETURN 1", "--store", str(missing))
    assert result.exit_code == 1
    assert result.stderr == f"Error: no knowledge base at {missing}: run `biocluster load` first\n"


def test_parameter_values_are_json_or_text() -> None:
    assert parse_parameters(["a=1", "b=[1, 2]", "c=先端研", "d=null", 'e="7"', "f=a=b"]) == {
        "a": 1,
        "b": [1, 2],
        "c": "先端研",
        "d": None,
        "e": "7",
        "f": "a=b",
    }


@pytest.mark.parametrize("command", ["load", "cypher"])
def test_help_has_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:\n" in result.output
    assert "\n      biocluster " in result.output  # \b keeps the example's lines as written


@pytest.mark.neo4j
def test_load_and_cypher_on_neo4j(shipped_kb: KnowledgeBase) -> None:
    settings = neo4j_settings_or_skip()
    env = {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.username}
    env["NEO4J_PASSWORD"] = settings.password
    if settings.database:
        env["NEO4J_DATABASE"] = settings.database
    first = invoke("load", "--neo4j", "--format", "json", env=env)
    assert first.exit_code == 0, first.output
    assert settings.password not in first.output
    second = invoke("load", "--neo4j", "--format", "json", env=env)
    assert second.exit_code == 0, second.output
    total = report_of(second)["total"]
    assert total["created"] == total["updated"] == total["removed"] == 0
    assert total["total"] == len(shipped_kb.nodes) + len(shipped_kb.relationships)

    refused = invoke("cypher", "CREATE (n:Organization {id: 'org:x'})", "--neo4j", env=env)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: CREATE changes the store")
    counted = invoke(
        "cypher",
        "MATCH (n:Organization) WHERE $alias IN n.aliases RETURN n.id AS id",
        "-p",
        "alias=先端研",
        "--neo4j",
        "--format",
        "csv",
        env=env,
    )
    assert counted.exit_code == 0, counted.output
    assert counted.stdout.splitlines() == ["id", "org:iab"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream", [_Terminal, io.StringIO], ids=["terminal", "pipe"])
def test_progress_bar_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, stream: type[io.StringIO]
) -> None:
    from biocluster_kg.cypher.loading import progress_bar

    err = stream()
    monkeypatch.setattr(sys, "stderr", err)
    with progress_bar(True, 10, "Loading Ladybug") as advance:
        advance(10)
    if stream is _Terminal:
        assert "Loading Ladybug" in err.getvalue()
        assert "100%" in err.getvalue()
    else:
        assert err.getvalue() == ""
