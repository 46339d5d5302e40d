"""The neo4j-admin CSV export with network measures, imported by the real
``neo4j-admin database import full``: every export of the imported store is byte-identical to
the export of a normally loaded store and to the export from the data files.

The importer stores no property for an empty ``string[]`` cell, where a normal load stores
``[]`` (most nodes have no brokerage role): the exports write an empty list as absent, which
is what this test proves on the real importer. Like ``tests/test_exports_neo4j.py`` it imports
into the tests' own server (``tests/private_neo4j.py``), wherever the shared test server
answers, so in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from private_neo4j import PrivateServer

from biocluster_kg.cypher.readback import read_knowledge_base
from biocluster_kg.graph.brokerage import measured
from biocluster_kg.graph.exports import FILE_FORMATS, graph_document
from biocluster_kg.graph.exports.neo4j_csv import neo4j_admin_arguments, write_neo4j_csv
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

pytestmark = pytest.mark.neo4j


def exports(kb: KnowledgeBase, folder: Path) -> dict[str, bytes]:
    """Every graph export with measures: the single-file formats and the CSV folder's files."""
    files = {
        fmt: graph_document(kb, fmt, measures=True, profile=SHIPPED_PROFILE) for fmt in FILE_FORMATS
    }
    write_neo4j_csv(kb, folder, measures=True, profile=SHIPPED_PROFILE)
    files.update({f"csv/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())})
    return files


@pytest.mark.neo4j_private
def test_imported_measures_export_as_a_normal_load_does(
    tmp_path: Path, shipped_kb: KnowledgeBase, private_server_for_import: PrivateServer
) -> None:
    kb = measured(shipped_kb, profile=SHIPPED_PROFILE)
    empty_roles = [node.id for node in kb.nodes.values() if node.get("brokerage_roles") == []]
    assert empty_roles  # what the importer cannot store
    from_data = exports(shipped_kb, tmp_path / "from-data")
    write_neo4j_csv(shipped_kb, tmp_path / "import", measures=True, profile=SHIPPED_PROFILE)
    arguments = neo4j_admin_arguments(tmp_path / "import", report_file=tmp_path / "report")
    report = private_server_for_import.import_csv(arguments)
    assert f"{len(kb.nodes)} nodes" in report
    with private_server_for_import.backend() as backend:
        imported = read_knowledge_base(backend)
        backend.run("MATCH (n) DETACH DELETE n", write=True)
        backend.load(kb)
        loaded = read_knowledge_base(backend)
    # The stores themselves differ where the importer dropped an empty list...
    assert loaded.nodes[empty_roles[0]].get("brokerage_roles") == []
    assert imported.nodes[empty_roles[0]].get("brokerage_roles") is None
    # ...and the exports do not: the same bytes from the import, the load and the data.
    assert exports(imported, tmp_path / "from-import") == from_data
    assert exports(loaded, tmp_path / "from-load") == from_data
    assert b"brokerage_roles" in from_data["json"] and b"betweenness" in from_data["gexf"]
