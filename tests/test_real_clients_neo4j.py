"""The neo4j-admin CSV export with network measures, imported by the real
``neo4j-admin database import full``: every export of the imported store is byte-identical to
the export of a normally loaded store and to the export from the data files.

The importer stores no property for an empty ``string[]`` cell, where a normal load stores
``[]`` (most nodes have no brokerage role): the exports write an empty list as absent, which
is what this test proves on the real importer. Like ``tests/test_exports_neo4j.py`` it runs
its own stopped-then-started server (own NEO4J_HOME, port and password) wherever the shared
test server answers, so in CI.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from neo4j_support import neo4j_settings_or_skip
from test_exports_neo4j import free_port, server_script

from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
from biocluster_kg.cypher.neo4j_connection import Neo4jSettings, connect
from biocluster_kg.cypher.readback import read_knowledge_base
from biocluster_kg.graph.brokerage import measured
from biocluster_kg.graph.exports import FILE_FORMATS, graph_document
from biocluster_kg.graph.exports.neo4j_csv import neo4j_admin_arguments, write_neo4j_csv
from biocluster_kg.kernel.model import KnowledgeBase

pytestmark = pytest.mark.neo4j


def exports(kb: KnowledgeBase, folder: Path) -> dict[str, bytes]:
    """Every graph export with measures: the single-file formats and the CSV folder's files."""
    files = {fmt: graph_document(kb, fmt, measures=True) for fmt in FILE_FORMATS}
    write_neo4j_csv(kb, folder, measures=True)
    files.update({f"csv/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())})
    return files


def test_imported_measures_export_as_a_normal_load_does(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    neo4j_settings_or_skip()  # the shared server answers: Java, the jars and the script work
    kb = measured(shipped_kb)
    empty_roles = [node.id for node in kb.nodes.values() if node.get("brokerage_roles") == []]
    assert empty_roles  # what the importer cannot store
    from_data = exports(shipped_kb, tmp_path / "from-data")
    write_neo4j_csv(shipped_kb, tmp_path / "import", measures=True)
    port, password = free_port(), secrets.token_urlsafe(18)
    env = {
        **os.environ,
        "BIOCLUSTER_NEO4J_HOME": str(tmp_path / "home"),
        "BIOCLUSTER_NEO4J_BOLT_PORT": str(port),
        "NEO4J_PASSWORD": password,
        # A second server on a 2-core machine busy with the suite can take over two minutes.
        "BIOCLUSTER_NEO4J_START_TIMEOUT": os.environ.get("BIOCLUSTER_NEO4J_START_TIMEOUT", "300"),
    }
    env.pop("BIOCLUSTER_NEO4J_HTTP_PORT", None)
    arguments = neo4j_admin_arguments(tmp_path / "import", report_file=tmp_path / "report")
    report = server_script(env, "admin", *arguments)
    assert f"{len(kb.nodes)} nodes" in report
    try:
        server_script(env, "start", timeout=400)
        settings = Neo4jSettings(uri=f"bolt://127.0.0.1:{port}", password=password)
        with Neo4jBackend(connect(settings), None, description=settings.uri) as backend:
            imported = read_knowledge_base(backend)
            backend.run("MATCH (n) DETACH DELETE n", write=True)
            backend.load(kb)
            loaded = read_knowledge_base(backend)
    finally:
        server_script(env, "stop", timeout=120)
    # The stores themselves differ where the importer dropped an empty list...
    assert loaded.nodes[empty_roles[0]].get("brokerage_roles") == []
    assert imported.nodes[empty_roles[0]].get("brokerage_roles") is None
    # ...and the exports do not: the same bytes from the import, the load and the data.
    assert exports(imported, tmp_path / "from-import") == from_data
    assert exports(loaded, tmp_path / "from-load") == from_data
    assert b"brokerage_roles" in from_data["json"] and b"betweenness" in from_data["gexf"]
