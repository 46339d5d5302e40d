"""Read-only means no effect on the store, the machine or other sessions (issue 19, 11 and 13).

The two layers of :mod:`biocluster_kg.cypher.statements` are tested apart:

* the engines alone: what a read-only Ladybug connection and a READ Neo4j session refuse by
  themselves, and what they let through (measured facts RELIABILITY.md states; should a new
  engine version change them, these tests say so);
* the project's statement check, in front of them: every statement the engines let through
  is refused, with the store (and the other session's work) untouched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import ladybug
import neo4j
import pytest
from click.testing import CliRunner, Result
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cli import cli
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.statements import admin_command, check_read_only, write_clause
from biocluster_kg.kernel.errors import ReadOnlyError


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("read-only") / "kb.lbug"
    assert invoke("load", "--store", str(path)).exit_code == 0
    return path


@pytest.fixture
def store(shipped_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "kb.lbug"
    shutil.copyfile(shipped_store, path)
    return path


# --------------------------------------------------------------------------------------------
# the embedded engine (defect 13)
# --------------------------------------------------------------------------------------------


def test_the_engine_alone_refuses_data_writes_but_runs_copy_to(store: Path, tmp_path: Path) -> None:
    database = ladybug.Database(str(store), read_only=True)
    connection = ladybug.Connection(database)
    try:
        with pytest.raises(RuntimeError, match="read-only"):
            connection.execute("CREATE (:`Organization` {id: 'org:new'})")
        # What the engine lets a read-only connection do: write a file of the machine, and
        # change a setting. Only the statement check stops these (next tests).
        leaked = tmp_path / "leaked.csv"
        connection.execute(f"COPY (MATCH (n:`Organization`) RETURN n.id) TO '{leaked}'")
        assert leaked.exists()
        connection.execute("CALL threads=1")
    finally:
        connection.close()
        database.close()


#: Statements a read-only Ladybug connection does not refuse by itself, or only after doing
#: harm (CHECKPOINT jams the connection, INSTALL tries a download).
EMBEDDED_ESCAPES = [
    "COPY (MATCH (n:`Organization`) RETURN n.id) TO '{file}'",
    "CHECKPOINT",
    "INSTALL json",
    "LOAD json",
    "LOAD EXTENSION json",
    "LOAD FROM '{file}' RETURN *",
    "LOAD WITH HEADERS (id STRING) FROM '{file}' RETURN *",
    "ATTACH '{file}' AS other (dbtype lbug)",
    "EXPORT DATABASE '{file}'",
    "IMPORT DATABASE '{file}'",
    "BEGIN TRANSACTION",
    "CALL threads=1",
    "CALL checkpoint_threshold = 0",
    "USE other",
]


@pytest.mark.parametrize("template", EMBEDDED_ESCAPES)
def test_the_statement_check_refuses_what_the_embedded_engine_lets_through(
    store: Path, tmp_path: Path, template: str
) -> None:
    target = tmp_path / "written-by-a-read"
    statement = template.format(file=target)
    before = store.read_bytes()
    result = invoke("cypher", "--store", str(store), statement)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    assert "read-only" in result.stderr and "--write" in result.stderr
    assert not target.exists()
    assert store.read_bytes() == before
    # The store is still fine to read: nothing jammed it.
    with LadybugBackend(store) as backend:
        assert backend.run("MATCH (n:`Organization`) RETURN count(*) AS n").rows[0][0] > 0


@pytest.mark.parametrize(
    "statement",
    [
        "MATCH (n) WITH n AS load MATCH (m) RETURN m.name_ja AS start, load AS stop LIMIT 1",
        "MATCH (n) WHERE n.name_ja CONTAINS 'LOAD CSV' RETURN n AS commit LIMIT 1",
        "CALL show_tables() RETURN *",
    ],
)
def test_the_statement_check_lets_reads_through(store: Path, statement: str) -> None:
    check_read_only(statement)
    result = invoke("cypher", "--store", str(store), statement)
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------------------------
# Neo4j (defect 11)
# --------------------------------------------------------------------------------------------


def neo4j_env() -> dict[str, str]:
    settings = neo4j_settings_or_skip()
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.username,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database or "",
    }


def driver_for(env: dict[str, str]) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(
        env["NEO4J_URI"], auth=(env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"])
    )


TERMINATE_OTHERS = (
    "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS query "
    "WHERE query CONTAINS 'read-only-victim' TERMINATE TRANSACTIONS id"
)


@pytest.mark.neo4j
def test_read_only_cypher_cannot_stop_another_sessions_work() -> None:
    env = neo4j_env()
    # The server alone takes TERMINATE TRANSACTIONS for a read: a READ session runs it.
    assert write_clause(TERMINATE_OTHERS) is None
    with driver_for(env) as driver:
        with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
            summary = session.run("EXPLAIN TERMINATE TRANSACTIONS 'neo4j-transaction-1'").consume()
            assert summary.query_type == "r"

        with driver.session() as victim_session:
            victim = victim_session.begin_transaction()
            victim.run("CREATE (:`ReadOnlyVictim` {note: 'read-only-victim'})").consume()
            try:
                refused = invoke("cypher", "--neo4j", TERMINATE_OTHERS, env=env)
                assert refused.exit_code == 1, refused.output
                assert refused.stderr == (
                    "Error: TERMINATE TRANSACTIONS stops other sessions' transactions, which a "
                    "read-only statement may not do; pass --write (write=True) if you mean it\n"
                )
                # The other session's transaction is alive and commits.
                victim.run("MATCH (n:`ReadOnlyVictim`) RETURN n").consume()
                victim.commit()
            finally:
                if not victim.closed():
                    victim.rollback()
        with driver.session() as session:
            kept = session.run("MATCH (n:`ReadOnlyVictim`) DETACH DELETE n RETURN count(*) AS n")
            assert kept.single(strict=True)["n"] == 1


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        # Passes the statement check; the server classifies it as a schema/server change.
        ("CALL db.clearQueryCaches()", "the server says this statement changes the schema"),
        ("LOAD CSV FROM 'file:///etc/hostname' AS row RETURN row", "LOAD CSV reads files"),
        ("GRANT ROLE reader TO neo4j", "GRANT changes privileges"),
    ],
)
def test_read_only_cypher_refuses_admin_commands_on_neo4j(statement: str, refusal: str) -> None:
    env = neo4j_env()
    result = invoke("cypher", "--neo4j", statement, env=env)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {refusal}"), result.stderr


@pytest.mark.neo4j
def test_the_server_classification_alone_refuses_a_schema_procedure() -> None:
    env = neo4j_env()
    statement = "CALL db.clearQueryCaches()"
    check_read_only(statement)  # the statement check lets it through ...
    assert admin_command(statement) is None
    from biocluster_kg.cypher.open import open_backend

    with open_backend(
        use_neo4j=True,
        uri=env["NEO4J_URI"],
        username=env["NEO4J_USERNAME"],
        password=env["NEO4J_PASSWORD"],
        database=env["NEO4J_DATABASE"] or None,
    ) as backend:
        with pytest.raises(ReadOnlyError, match="the server says"):  # ... the server does not
            backend.run(statement)
        # And the same procedure runs when writes are allowed: the refusal was the check's.
        backend.run(statement, write=True)
