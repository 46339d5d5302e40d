"""``biocluster queries`` and ``biocluster query`` against a real store.

Exit status 1 with ``Error: ...`` for an unknown query, a missing or bad parameter and a
Cypher error; exit status 2 for a malformed ``-p`` option.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import biocluster_kg.cypher.library
from biocluster_kg.cli import cli
from biocluster_kg.cli.commands.queries import COMMANDS
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.library import default_library, load_library
from biocluster_kg.kernel.columns import column_title
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shipped_kb: KnowledgeBase) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli") / "kb.lbug"
    with LadybugBackend(path) as backend:
        backend.load(shipped_kb)
    yield path


def invoke(*arguments: str):
    return CliRunner().invoke(cli, list(arguments), catch_exceptions=False)


def test_queries_lists_every_question_in_both_languages() -> None:
    result = invoke("queries")
    assert result.exit_code == 0
    # Questions wrap to fit the terminal (tests/test_output_width.py): read past line breaks.
    flat = "".join(result.output.split())
    for query in default_library():
        assert query.name in result.output
        assert "".join(query.question_ja.split()) in flat


def test_queries_as_json_lists_required_parameters() -> None:
    records = json.loads(invoke("queries", "--format", "json").output)
    by_name = {record["name"]: record for record in records}
    assert by_name["shortest_connection"]["required"] == "from_name, to_name"
    assert by_name["budget_tree"]["required"] == ""


def test_queries_name_shows_parameters_and_an_example() -> None:
    result = invoke("queries", "actor_profile", "--lang", "en")
    assert result.exit_code == 0
    assert "example: biocluster query actor_profile -p name=慶應先端研" in result.output
    assert "name       name" in result.output


def test_query_answers_from_the_store(store: Path) -> None:
    result = invoke("query", "council_and_committee", "--store", str(store), "--format", "json")
    assert result.exit_code == 0
    first = json.loads(result.output)[0]
    assert (first["member_name_ja"], first["role_ja"]) == ("山形県知事", "会長")


def test_query_takes_parameters_and_normalises_names(store: Path) -> None:
    result = invoke(
        "query", "actor_profile", "-p", "name=ＩＡＢ", "--store", str(store), "--format", "csv",
        "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0
    assert not result.stdout_bytes.startswith(b"\xef\xbb\xbf"), "scripts get no BOM"
    lines = result.output.splitlines()
    assert lines[0].startswith("actor_id,actor_label,")
    assert all(line.startswith("org:iab,") for line in lines[1:]) and len(lines) > 10


def test_every_column_of_the_library_has_a_japanese_title() -> None:
    from biocluster_kg.graph.brokerage import COLUMNS

    columns = {column for query in default_library() for column in query.columns}
    for column in sorted(columns | set(COLUMNS)):
        title = column_title(column, "ja")
        # "ID" and Burt's name are the only Latin letters a Japanese title keeps.
        assert not re.search("[A-Za-z]", title.replace("ID", "").replace("Burt", "")), column


def test_japanese_answer_has_titles_and_the_schemas_names(store: Path) -> None:
    result = invoke("query", "actor_profile", "-p", "name=慶應先端研", "--store", str(store),
                    "--format", "csv")  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf"), "a CSV for people opens in Excel"
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    english = json.loads(invoke("query", "actor_profile", "-p", "name=慶應先端研",
                                "--store", str(store), "--format", "json").output)  # fmt: skip
    assert len(rows) == len(english)
    for row, keyed in zip(rows, english, strict=True):
        assert row["主体のID"] == keyed["actor_id"]
        assert row["主体の区分"] == SCHEMA.node(keyed["actor_label"]).display_name("ja")
        assert row["主体の種類"] == SCHEMA.kind_name(keyed["actor_label"], keyed["actor_kind"])
        assert row["主体のセクター"] == SCHEMA.term_name("sector", keyed["actor_sector"])
        assert row["関係"] == SCHEMA.relationship(keyed["relationship"]).display_name("ja")
    table = invoke("query", "sector_composition", "--store", str(store)).output
    assert table.splitlines()[0].split()[0] == "セクター"
    assert SCHEMA.term_name("sector", "academia", "ja") in table


def test_json_takes_a_language_and_keeps_its_stable_keys(store: Path, tmp_path: Path) -> None:
    # Issue 26: ja is the default, so `--lang ja --format json` must not fail; the help says
    # that JSON keeps its keys whatever --lang says.
    plain = invoke("query", "sector_composition", "--store", str(store), "--format", "json")
    for lang in ("ja", "en"):
        result = invoke("query", "sector_composition", "--store", str(store), "--format",
                        "json", "--lang", lang)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.stdout == plain.stdout
    assert "with --format json, --lang is accepted and changes nothing" in " ".join(
        invoke("query", "--help").output.split()
    )
    target = tmp_path / "sectors.csv"
    written = invoke("query", "sector_composition", "--store", str(store), "--format", "csv",
                     "-o", str(target))  # fmt: skip
    assert written.exit_code == 0 and written.stdout == ""
    assert target.read_text("utf-8-sig").startswith("セクター,")


def test_comma_separated_lists_and_json_lists_are_the_same(store: Path) -> None:
    common = ("query", "sector_composition", "--store", str(store), "--format", "json")
    text = invoke(*common, "-p", "sectors=finance,medical").output
    listed = invoke(*common, "-p", 'sectors=["finance", "medical"]').output
    assert text == listed
    assert [r["sector"] for r in json.loads(text)] == ["medical", "finance"]


def test_injection_through_a_parameter_is_just_text(store: Path) -> None:
    result = invoke(
        "query", "actor_profile", "-p", "name=x' OR 1=1 RETURN 1 //", "--store", str(store)
    )
    # Just text: no actor is called so, which is said (exit 1), never run as Cypher.
    assert result.exit_code == 1
    assert result.output.startswith(
        'Error: query actor_profile: parameter name: no actor is called "x\' OR 1=1 RETURN 1 //"'
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["query", "councl"], "Error: no query named 'councl' (did you mean "),
        (["query", "actor_profile"], "Error: query actor_profile: missing parameter name "),
        (
            ["query", "budget_tree", "-p", "root=x"],
            "Error: query budget_tree: unknown parameter root",
        ),
        (
            ["query", "sector_composition", "-p", "sectors=3"],
            "Error: query sector_composition: parameter sectors must be a list of strings",
        ),
        (
            ["query", "source_of_fact", "-p", "id=2013"],
            "Error: query source_of_fact: parameter id must be an id or a name (text), "
            "got 2013 (int); quote it to pass it as text: -p 'id=\"2013\"'",
        ),
        (["queries", "nope"], "Error: no query named 'nope'"),
    ],
)
def test_mistakes_are_reported_without_a_traceback(
    store: Path, arguments: list[str], message: str
) -> None:
    result = (
        invoke(*arguments, "--store", str(store)) if arguments[0] == "query" else invoke(*arguments)
    )
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert "Traceback" not in result.output


def test_a_malformed_parameter_option_is_a_usage_error(store: Path) -> None:
    result = invoke("query", "budget_tree", "-p", "root_id", "--store", str(store))
    assert result.exit_code == 2
    assert "'root_id' is not KEY=VALUE" in result.output


def test_parameters_are_checked_before_the_store_is_opened(tmp_path: Path) -> None:
    missing = tmp_path / "never-loaded.lbug"
    result = invoke("query", "actor_profile", "--store", str(missing))
    assert result.exit_code == 1 and "missing parameter name" in result.output
    result = invoke("query", "budget_tree", "--store", str(missing))
    assert result.exit_code == 1
    assert "run `biocluster load` first" in result.output
    assert not missing.exists()


def test_a_cypher_error_is_reported_as_an_error(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.cypher").write_text(
        "// name: broken\n// question: Broken?\n// question_ja: 壊れている？\n"
        "// columns: x\n// ordered: false\n"
        "MATCH (n:`Organization`) RETURN n.no_such_property AS x\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(
        biocluster_kg.cypher.library, "default_library", lambda: load_library(tmp_path)
    )
    result = invoke("query", "broken", "--store", str(store))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "no_such_property" in result.output and "Traceback" not in result.output


def test_a_query_whose_columns_differ_from_its_header_is_an_error(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "drifted.cypher").write_text(
        "// name: drifted\n// question: Drifted?\n// question_ja: ずれている？\n"
        "// columns: id\n// ordered: false\n"
        "MATCH (n:`Organization`) RETURN n.id AS identifier\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(
        biocluster_kg.cypher.library, "default_library", lambda: load_library(tmp_path)
    )
    result = invoke("query", "drifted", "--store", str(store))
    assert result.exit_code == 1
    assert result.output == (
        "Error: query drifted returned columns identifier on ladybug but its header declares id\n"
    )


@pytest.mark.neo4j
def test_query_on_neo4j(shipped_kb: KnowledgeBase) -> None:
    from neo4j_support import neo4j_settings_or_skip

    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    with Neo4jBackend(connect(settings), settings.database) as backend:
        backend.load(shipped_kb)
    result = invoke("query", "budget_tree", "--neo4j", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["total_thousand_yen"] == 380067
    assert settings.password not in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
def test_commands_have_help_with_an_example(command) -> None:
    result = invoke(command.name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"biocluster {command.name}" in result.output.split("Example:")[1]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("actor_profile", "-p", "name=庄内"),
            "Error: query actor_profile: parameter name: no actor is called '庄内' (by id, "
            "name or alias); did you mean 庄内地域産業振興センター (org:shonai-center)",
        ),
        (
            ("coordination_hubs", "-p", "hub_ids=庄内センター"),
            "Error: query coordination_hubs: parameter hub_ids: no node is called '庄内センター'",
        ),
        (
            ("source_of_fact", "-p", "id=専任職員"),
            "Error: query source_of_fact: parameter id: '専任職員' names 2 nodes (",
        ),
    ],
)
def test_an_unresolved_name_exits_1_quoting_it(store: Path, arguments, message: str) -> None:
    result = CliRunner().invoke(cli, ["query", *arguments, "--store", str(store)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(message), result.output


def test_a_name_given_for_an_id_is_answered(store: Path) -> None:
    result = invoke(
        "query", "funding_routes_for_companies", "-p", "beneficiary_id=県内企業",
        "--store", str(store), "--format", "json",
    )  # fmt: skip
    assert {row["ladder_id"] for row in json.loads(result.output)}
