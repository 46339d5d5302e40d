"""Exports against a real Neo4j: export from the server, the Cypher literals on the server,
and the CSV export imported with the real ``neo4j-admin database import full``.

The import needs a stopped server and replaces a database, which a shared test server cannot
allow; that test therefore runs on the tests' own server (``tests/private_neo4j.py``). It
runs wherever the shared server answers (so in CI, where that is required).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from neo4j_support import neo4j_settings_or_skip
from private_neo4j import PrivateServer
from test_exports import HOSTILE, expected_graph, hostile_kb

from biocluster_kg.app.session import Session
from biocluster_kg.cli import cli
from biocluster_kg.cypher.ddl import neo4j_schema_statements
from biocluster_kg.cypher.library import run_query
from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
from biocluster_kg.cypher.neo4j_connection import connect
from biocluster_kg.cypher.readback import read_knowledge_base
from biocluster_kg.graph.brokerage import without_measures
from biocluster_kg.graph.exports import FILE_FORMATS, graph_document
from biocluster_kg.graph.exports.cypher_script import cypher_literal, script_statements
from biocluster_kg.graph.exports.neo4j_csv import neo4j_admin_arguments, write_neo4j_csv
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

pytestmark = pytest.mark.neo4j

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neo4j-server"

#: Three library queries whose answers must not depend on how the graph got into Neo4j.
LIBRARY_QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("council_and_committee", {}),
    ("budget_tree", {}),
    ("actor_profile", {"name": "慶應先端研"}),
]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def neo4j_store(shipped_kb: KnowledgeBase) -> Iterator[Neo4jBackend]:
    """The test server's database holding exactly the shipped knowledge base."""
    settings = neo4j_settings_or_skip()
    backend = Neo4jBackend(connect(settings), settings.database, description=settings.uri)
    backend.run("MATCH (n) DETACH DELETE n", write=True)
    # What `biocluster load` stores: the session's knowledge base, measures included.
    backend.load(Session().knowledge_base())
    yield backend
    backend.close()


def test_readback_from_neo4j_is_the_knowledge_base(
    neo4j_store: Neo4jBackend, shipped_kb: KnowledgeBase
) -> None:
    assert without_measures(read_knowledge_base(neo4j_store)) == shipped_kb


@pytest.mark.parametrize("output_format", FILE_FORMATS)
def test_graph_export_from_neo4j_is_byte_identical(
    output_format: str, neo4j_store: Neo4jBackend
) -> None:
    from_data = invoke("export", "graph", "--format", output_format)
    from_neo4j = invoke("export", "graph", "--format", output_format, "--from", "neo4j")
    assert from_data.exit_code == 0 and from_neo4j.exit_code == 0, from_neo4j.stderr
    assert from_data.stdout_bytes and from_data.stdout_bytes == from_neo4j.stdout_bytes


def test_csv_and_stakeholders_from_neo4j_are_byte_identical(
    tmp_path: Path, neo4j_store: Neo4jBackend
) -> None:
    invoke("export", "graph", "--format", "csv", "-o", str(tmp_path / "data"))
    result = invoke("export", "graph", "--format", "csv", "-o", str(tmp_path / "neo4j"), "--neo4j")
    assert result.exit_code == 0, result.stderr
    names = sorted(path.name for path in (tmp_path / "data").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "neo4j").iterdir())
    for name in names:
        assert (tmp_path / "data" / name).read_bytes() == (tmp_path / "neo4j" / name).read_bytes()
    for output_format in ("csv", "json"):
        args = ["export", "stakeholders", "--format", output_format]
        assert invoke(*args).stdout_bytes == invoke(*args, "--from", "neo4j").stdout_bytes


def test_hostile_literals_come_back_unchanged_from_the_server() -> None:
    settings = neo4j_settings_or_skip()
    values: list[Any] = [*HOSTILE, "\x00nul", "\x1b[31m", "\\", "end\\", "'", "\\'", HOSTILE]
    values += [380067, -7, 0.125, 1e16, 5e-324, True, []]
    with connect(settings) as driver:
        for value in values:
            records, _, _ = driver.execute_query(
                f"RETURN {cypher_literal(value)} AS value", database_=settings.database
            )
            assert records[0]["value"] == value, value


def test_cypher_script_of_hostile_data_rebuilds_it_exactly(neo4j_store: Neo4jBackend) -> None:
    kb = hostile_kb()
    script = graph_document(
        kb,
        "cypher",
        schema_statements=neo4j_schema_statements(),
        measures=True,
        profile=SHIPPED_PROFILE,
    )
    neo4j_store.run("MATCH (n) DETACH DELETE n", write=True)
    run_script(neo4j_store, script.decode("utf-8"))
    assert read_knowledge_base(neo4j_store) == KnowledgeBase.from_networkx(expected_graph(kb))


# --------------------------------------------------------------------------------------------
# neo4j-admin import and the .cypher script against a normal load, on a server of our own
# --------------------------------------------------------------------------------------------


def run_script(backend: Neo4jBackend, script: str) -> None:
    """Run a script statement by statement, each in its own auto-commit transaction, the
    way cypher-shell does."""
    with backend.driver.session(database=backend.database) as session:
        for statement in script_statements(script):
            session.run(statement).consume()  # type: ignore[arg-type]


def answers(backend: Neo4jBackend) -> dict[str, Any]:
    """Everything the comparison looks at: counts, the whole graph, three library queries."""
    return {
        "counts": backend.counts(),
        "graph": read_knowledge_base(backend),
        **{name: run_query(backend, name, params).rows for name, params in LIBRARY_QUERIES},
    }


@pytest.mark.neo4j_private
def test_csv_import_and_cypher_script_match_a_normal_load(
    tmp_path: Path, shipped_kb: KnowledgeBase, private_server_for_import: PrivateServer
) -> None:
    write_neo4j_csv(shipped_kb, tmp_path / "csv", profile=SHIPPED_PROFILE)
    script = graph_document(
        shipped_kb, "cypher", schema_statements=neo4j_schema_statements(), profile=SHIPPED_PROFILE
    )
    arguments = neo4j_admin_arguments(tmp_path / "csv", report_file=tmp_path / "import.report")
    imported_report = private_server_for_import.import_csv(arguments)
    assert f"{len(shipped_kb.nodes)} nodes" in imported_report
    assert f"{len(shipped_kb.relationships)} relationships" in imported_report
    with private_server_for_import.backend() as backend:
        imported = answers(backend)

        backend.run("MATCH (n) DETACH DELETE n", write=True)
        assert backend.counts() == {}
        run_script(backend, script.decode("utf-8"))
        scripted = answers(backend)
        constraints = backend.run("SHOW CONSTRAINTS YIELD name RETURN name").rows

        backend.run("MATCH (n) DETACH DELETE n", write=True)
        backend.load(shipped_kb)
        loaded = answers(backend)
    assert loaded["counts"] == shipped_kb.counts()
    assert loaded["graph"] == shipped_kb
    assert all(loaded[name] for name, _ in LIBRARY_QUERIES)
    assert imported == loaded
    assert scripted == loaded
    # The script made the same uniqueness constraints as a normal load.
    assert len(constraints) == len(
        [s for s in neo4j_schema_statements() if s.startswith("CREATE CONSTRAINT")]
    )
