"""A Cypher error from a dialect trap says what the problem is and how to fix it (issue 14).

On a real Ladybug store through ``biocluster cypher``, and on a real Neo4j server: the error
keeps the engine's message and adds a ``hint:`` line; where the hint gives the fixed
statement, that statement runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.kernel.errors import CypherError
from biocluster_kg.kernel.model import KnowledgeBase


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shipped_kb: KnowledgeBase) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("hints") / "kb.lbug"
    with LadybugBackend(path) as backend:
        backend.load(shipped_kb)
    yield path


def cypher(store: Path, statement: str):
    return CliRunner().invoke(
        cli, ["cypher", statement, "--store", str(store)], catch_exceptions=False
    )


@pytest.mark.parametrize(
    ("statement", "word"),
    [
        ("MATCH (g:`Group`) RETURN g.id AS end", "end"),
        ("MATCH (n:Organization) WITH n AS group RETURN group.id AS id", "group"),
        ("MATCH (order:Organization) RETURN order.id AS id", "order"),
    ],
)
def test_a_reserved_word_as_a_name_is_named_with_the_fix_and_the_fix_runs(
    store: Path, statement: str, word: str
) -> None:
    result = cypher(store, statement)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    hint = f"hint: {word} is a reserved word of the embedded engine (Ladybug); "
    assert hint + f"quote it with backticks: `{word}`" in result.output
    fixed = re.search(r"\(e\.g\. (.*)\)$", result.output.strip()).group(1)
    assert f"`{word}`" in fixed
    again = cypher(store, fixed)
    assert again.exit_code == 0, again.output
    assert "org:" in again.output or "group:" in again.output


def test_a_misplaced_keyword_is_not_called_a_name(store: Path) -> None:
    result = cypher(store, "MATCH (n:Organization) RETURN WHERE")
    assert result.exit_code == 1
    assert "hint:" not in result.output


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # Translated by the ad-hoc path (issue 26): Neo4j's form gives Neo4j's answer.
        ("MATCH (n:Group) RETURN count(n) AS n", "25"),
        ("MATCH ()-[r:VENTURE_OF]->() RETURN DISTINCT type(r) AS t", "VENTURE_OF"),
        ("MATCH (n) WHERE n:Body RETURN count(n) AS n", "5"),
        ("MATCH (n) RETURN DISTINCT labels(n)[0] AS label ORDER BY label LIMIT 1", "Body"),
    ],
)
def test_neo4j_constructs_with_an_exact_translation_run_on_the_embedded_store(
    store: Path, statement: str, expected: str
) -> None:
    result = cypher(store, statement)
    assert result.exit_code == 0, result.output
    assert expected in result.output


@pytest.mark.parametrize(
    ("statement", "hint"),
    [
        (
            "MATCH p = shortestPath((a:Organization)-[*]-(b:Body)) RETURN length(p) AS n",
            "upper bound, e.g. (a)-[*1..3]-(b)",
        ),
        ("MATCH (n:Organization) RETURN [x IN n.aliases | x] AS a", "UNWIND the list"),
        ("MATCH (n:Organization) RETURN n {.id} AS m", "map projections"),
        ("MATCH (n:Organization) RETURN toInteger('3') AS x", "CAST(x AS INT64"),
        (
            "MATCH (n:Organization) RETURN COUNT { (n)--() } AS c",
            "OPTIONAL MATCH ... WITH x, count(DISTINCT y)",
        ),
        ("MATCH (n:Organization) RETURN id(n) AS i", "n.id"),
        ("MATCH (n:Organisation) RETURN n.id AS i", "the labels are Organization, Group"),
    ],
)
def test_neo4j_constructs_on_the_embedded_store_say_how_it_writes_them(
    store: Path, statement: str, hint: str
) -> None:
    result = cypher(store, statement)
    assert result.exit_code == 1
    assert "\nhint: " in result.output and hint in result.output


def test_an_unknown_property_says_neo4j_would_answer_null(store: Path) -> None:
    result = cypher(store, "MATCH (n:Organization) RETURN n.no_such_property AS x")
    assert result.exit_code == 1
    assert "hint: no_such_property is not a property of the knowledge base" in result.output


def test_an_error_with_no_known_cause_has_no_hint(store: Path) -> None:
    result = cypher(store, "MATCH (n:Organization) RETURN n.span_line / 0 AS x")
    assert result.exit_code == 1
    assert "Divide by zero" in result.output and "hint:" not in result.output


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("statement", "hint"),
    [
        ("MATCH ()-[r]->() RETURN label(r) AS t LIMIT 1", "Neo4j writes type(r)"),
        ("MATCH (n:Organization) RETURN list_transform(n.aliases, x -> x) AS a", "[x IN list |"),
        (
            "MATCH (a:Organization)-[* SHORTEST 1..3]-(b:Body) RETURN a.id AS id",
            "shortestPath((a)-[*1..N]-(b))",
        ),
        ("MATCH (n:Organization) RETURN CAST(1 AS INT64) AS x", "toInteger(x)"),
    ],
)
def test_embedded_constructs_on_neo4j_say_how_neo4j_writes_them(statement: str, hint: str) -> None:
    from neo4j_support import neo4j_settings_or_skip

    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    with Neo4jBackend(connect(settings), settings.database) as backend:
        with pytest.raises(CypherError) as raised:
            backend.run(statement)
        assert "\nhint: " in str(raised.value) and hint in str(raised.value)
        # The reserved words are the embedded engine's: Neo4j takes Group as a label.
        assert backend.run("MATCH (n:Group) RETURN count(n) AS end").columns == ["end"]
