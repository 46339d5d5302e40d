"""Both backends against real stores: a Ladybug file in tmp_path, a Neo4j server (marked).

Every behaviour the issue asks of loading (counts, idempotence, exact new state, atomicity
under a fault, locking, read-only enforcement, parameters only as parameters, plain values)
is checked on each backend by the same test body.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j_support import neo4j_settings_or_skip
from synthetic_support import synthetic_cluster

from biocluster_kg.cypher.backend import LoadReport
from biocluster_kg.cypher.ddl import ladybug_ddl, neo4j_index_names, neo4j_schema_statements
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
from biocluster_kg.cypher.statements import parameter_names, write_clause
from biocluster_kg.kernel.errors import (
    BackendError,
    CypherError,
    LoadError,
    QueryParameterError,
    ReadOnlyError,
    StoreLockedError,
)
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import SCHEMA

REPO = Path(__file__).resolve().parent.parent
SOURCE = "yamagata-biocluster-fy2013"
EVIL = "x' }) DETACH DELETE n //"


# --------------------------------------------------------------------------------------------
# knowledge bases
# --------------------------------------------------------------------------------------------


def _node(node_id: str, label: str, name_ja: str, name_en: str, kind: str, **extra: Any) -> Node:
    props = {
        "name_ja": name_ja,
        "name_en": name_en,
        "kind": kind,
        "source_doc": SOURCE,
        "span": name_ja,
        "span_line": 3,
        **extra,
    }
    return Node(node_id, label, props)


def _rel(rel_id: str, type_: str, start: str, end: str, **extra: Any) -> Relationship:
    props = {"source_doc": SOURCE, "span": f"{start} {end}", "span_line": 5, **extra}
    return Relationship(rel_id, type_, start, end, props)


def small_kb() -> KnowledgeBase:
    """Seven nodes of six labels, seven relationships; lists, ints, floats, Japanese text."""
    kb = KnowledgeBase()
    for node in (
        _node(
            "org:iab", "Organization", "慶應義塾大学先端生命科学研究所", "Keio IAB",
            "research_institute", sector="academia", aliases=["慶應先端研", "先端研"],
        ),
        _node(
            "org:tsuruoka-city", "Organization", "鶴岡市", "Tsuruoka City", "municipality",
            sector="government", note="市",
        ),
        _node(
            "org:venture-a", "Organization", "ベンチャーA", "Venture A", "venture",
            sector="industry", tags=["bio"], betweenness=0.25, degree=3,
        ),
        _node(
            "group:companies", "Group", "企業", "Companies", "companies", sector="industry",
            count=15, count_qualifier_ja="ほか",
        ),
        _node("body:promotion-council", "Body", "推進協議会", "Promotion Council", "council"),
        _node("pos:mayor", "Position", "鶴岡市長", "Mayor of Tsuruoka", "head_of_government"),
        _node(
            "prog:fy2013-budget", "Program", "平成25年度予算", "FY2013 budget", "budget",
            fiscal_year=2013, amount_thousand_yen=380067,
        ),
    ):  # fmt: skip
        kb.add_node(node)
    for rel in (
        _rel("rel:iab-council", "MEMBER_OF", "org:iab", "body:promotion-council", role="member"),
        _rel(
            "rel:mayor-council", "MEMBER_OF", "pos:mayor", "body:promotion-council",
            role="chair", role_ja="会長",
        ),
        _rel("rel:mayor-city", "POSITION_IN", "pos:mayor", "org:tsuruoka-city"),
        _rel("rel:venture", "VENTURE_OF", "org:venture-a", "org:iab"),
        _rel("rel:budget-companies", "SUPPORTS", "prog:fy2013-budget", "group:companies"),
        _rel("rel:city-budget", "FUNDS", "org:tsuruoka-city", "prog:fy2013-budget"),
        _rel("rel:iab-companies", "COORDINATES_WITH", "org:iab", "group:companies"),
    ):  # fmt: skip
        kb.add_relationship(rel)
    return kb


def changed_kb() -> KnowledgeBase:
    """small_kb with: a property changed, a property dropped, a node and its relationship
    removed, a node and a relationship added, and a relationship moved to another end."""
    kb = small_kb()
    kb.nodes["org:iab"].properties["name_en"] = "Keio University IAB"
    del kb.nodes["org:tsuruoka-city"].properties["note"]
    del kb.nodes["org:venture-a"]
    del kb.relationships["rel:venture"]
    kb.add_node(
        _node("org:new-co", "Organization", "新会社", "New Co", "company", sector="industry")
    )
    kb.add_relationship(_rel("rel:new-co-iab", "COORDINATES_WITH", "org:new-co", "org:iab"))
    kb.relationships["rel:iab-companies"].end = "org:tsuruoka-city"
    return kb


def expected_state(kb: KnowledgeBase) -> tuple[dict[str, dict], dict[str, tuple]]:
    nodes = {
        node.id: {"label": node.label, "id": node.id, **node.properties}
        for node in kb.nodes.values()
    }
    rels = {
        rel.id: (rel.start, rel.end, {"type": rel.type, "id": rel.id, **rel.properties})
        for rel in kb.relationships.values()
    }
    return nodes, rels


def stored_state(backend: Any) -> tuple[dict[str, dict], dict[str, tuple]]:
    nodes = {row[0]["id"]: row[0] for row in backend.run("MATCH (n) RETURN n").rows}
    rels = {
        row[1]["id"]: (row[0], row[2], row[1])
        for row in backend.run("MATCH (a)-[r]->(b) RETURN a.id, r, b.id").rows
    }
    return nodes, rels


def assert_holds(backend: Any, kb: KnowledgeBase) -> None:
    assert stored_state(backend) == expected_state(kb)
    assert backend.counts() == kb.counts()


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture
def neo4j_backend() -> Iterator[Neo4jBackend]:
    """The test server's database, emptied first."""
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    backend = Neo4jBackend(connect(settings), settings.database, description=settings.uri)
    with backend.driver.session(database=backend.database) as session:
        # In batches: whatever an earlier run left may be too big for one transaction.
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    yield backend
    backend.close()


@pytest.fixture(params=["ladybug", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_backend")
        return
    with LadybugBackend(tmp_path / "store" / "kb.lbug") as store:
        yield store


def no_changes(report: LoadReport) -> bool:
    return (
        not any(report.created.values())
        and not any(report.updated.values())
        and not any(report.removed.values())
    )


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def test_load_counts_equal_the_knowledge_base(backend: Any, shipped_kb: KnowledgeBase) -> None:
    report = backend.load(shipped_kb)
    assert report.backend == backend.name
    assert dict(sorted(report.created.items())) == shipped_kb.counts()
    assert dict(sorted(report.totals.items())) == shipped_kb.counts()
    assert not any(report.updated.values())
    assert not any(report.removed.values())
    assert backend.counts() == shipped_kb.counts()
    assert_holds(backend, shipped_kb)


def test_reloading_the_same_data_changes_nothing(backend: Any, shipped_kb: KnowledgeBase) -> None:
    backend.load(shipped_kb)
    before = stored_state(backend)
    report = backend.load(shipped_kb)
    assert no_changes(report)
    assert not report.changed
    assert dict(sorted(report.unchanged.items())) == shipped_kb.counts()
    assert dict(sorted(report.totals.items())) == shipped_kb.counts()
    assert stored_state(backend) == before
    assert backend.counts() == shipped_kb.counts()


def test_ladybug_reload_without_changes_leaves_the_file_alone(tmp_path: Path) -> None:
    store = LadybugBackend(tmp_path / "kb.lbug")
    store.load(small_kb())
    before = store.path.stat()
    report = store.load(small_kb())
    assert not report.changed
    after = store.path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    store.load(changed_kb())
    assert store.path.stat().st_ino != before.st_ino


def test_loading_changed_data_reaches_exactly_the_new_state(backend: Any) -> None:
    backend.load(small_kb())
    report = backend.load(changed_kb())

    assert_holds(backend, changed_kb())
    assert report.created == {
        "Organization": 1, "Group": 0, "Body": 0, "Position": 0, "Program": 0,
        "MEMBER_OF": 0, "POSITION_IN": 0, "COORDINATES_WITH": 1, "FUNDS": 0, "SUPPORTS": 0,
        "VENTURE_OF": 0,
    }  # fmt: skip
    nonzero = {
        name: {key: value for key, value in getattr(report, name).items() if value}
        for name in ("created", "updated", "removed")
    }
    assert nonzero == {
        "created": {"Organization": 1, "COORDINATES_WITH": 1},
        "updated": {"Organization": 2, "COORDINATES_WITH": 1},
        "removed": {"Organization": 1, "VENTURE_OF": 1},
    }
    assert report.totals["VENTURE_OF"] == 0
    assert report.totals["Organization"] == 3
    assert report.unchanged["MEMBER_OF"] == 2

    # and back again: the removed facts return, the added ones go
    report = backend.load(small_kb())
    assert_holds(backend, small_kb())
    assert report.removed["Organization"] == 1
    assert report.created["VENTURE_OF"] == 1


def test_loading_an_empty_knowledge_base_empties_the_store(backend: Any) -> None:
    backend.load(small_kb())
    report = backend.load(KnowledgeBase())
    assert backend.counts() == {}
    assert sum(report.removed.values()) == len(small_kb().nodes) + len(small_kb().relationships)


def test_invalid_knowledge_base_is_refused_before_any_write(backend: Any) -> None:
    backend.load(small_kb())
    broken = small_kb()
    broken.add_relationship(_rel("rel:dangling", "MEMBER_OF", "org:iab", "body:nowhere", role="x"))
    with pytest.raises(LoadError, match="rel:dangling: no node 'body:nowhere'"):
        backend.load(broken)
    wrong_pair = small_kb()
    wrong_pair.add_relationship(_rel("rel:wrong", "VENTURE_OF", "pos:mayor", "org:iab"))
    with pytest.raises(LoadError, match="VENTURE_OF may not join Position to Organization"):
        backend.load(wrong_pair)
    unknown = small_kb()
    unknown.nodes["org:iab"].properties["colour"] = "blue"
    with pytest.raises(LoadError, match="properties not in the schema: colour"):
        backend.load(unknown)
    assert_holds(backend, small_kb())


# --------------------------------------------------------------------------------------------
# atomicity: a fault midway leaves the previous state
# --------------------------------------------------------------------------------------------


def test_ladybug_load_failing_midway_keeps_the_previous_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa

    path = tmp_path / "kb.lbug"
    store = LadybugBackend(path)
    store.load(small_kb())
    reader = LadybugBackend(path)
    assert reader.counts() == small_kb().counts()

    original = LadybugBackend._copy
    calls: list[str] = []

    def copy_then_fail(self: LadybugBackend, connection: Any, name: str, *rest: Any) -> None:
        calls.append(name)
        original(self, connection, name, *rest)
        if len(calls) == 3:
            # A real engine error after some tables were filled: a duplicate primary key.
            duplicate = pa.table({"id": ["org:iab"]})
            connection.execute("COPY `Organization`(`id`) FROM $rows", {"rows": duplicate})

    monkeypatch.setattr(LadybugBackend, "_copy", copy_then_fail)
    with pytest.raises(LoadError, match="previous store is unchanged.*org:iab"):
        store.load(changed_kb())
    # The next table may already be queued behind the failing one; the rest never run.
    assert 3 <= len(calls) <= 4

    assert_holds(store, small_kb())
    assert_holds(reader, small_kb())
    # The temporary database was removed with the failure.
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".lock"]

    monkeypatch.undo()
    store.load(changed_kb())
    # The reader's next query sees the new store (the file was replaced, not changed in place).
    assert_holds(reader, changed_kb())
    reader.close()


def test_ladybug_load_killed_midway_keeps_the_previous_store(tmp_path: Path) -> None:
    path = tmp_path / "kb.lbug"
    store = LadybugBackend(path)
    store.load(small_kb())
    script = textwrap.dedent(
        """
        import os, sys
        from biocluster_kg.cypher.ladybug_backend import LadybugBackend
        from biocluster_kg.loaders import load_knowledge_base

        original = LadybugBackend._copy
        calls = []

        def copy_then_die(self, *args):
            original(self, *args)
            calls.append(1)
            if len(calls) == 2:
                os._exit(9)  # like SIGKILL: no cleanup, no finally

        LadybugBackend._copy = copy_then_die
        LadybugBackend(sys.argv[1]).load(load_knowledge_base())
        """
    )
    died = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=REPO, capture_output=True, text=True
    )
    assert died.returncode == 9, died.stderr
    leftovers = [p.name for p in path.parent.iterdir() if ".loading-" in p.name]
    assert leftovers, "the killed load should have left its temporary file"

    assert_holds(store, small_kb())
    store.load(changed_kb())
    assert not [p for p in path.parent.iterdir() if ".loading-" in p.name]
    assert_holds(store, changed_kb())


@pytest.mark.neo4j
@pytest.mark.parametrize("transaction_limit", [10_000, 1], ids=["one-transaction", "batched"])
def test_neo4j_load_failing_midway_keeps_the_previous_state(
    neo4j_backend: Neo4jBackend, monkeypatch: pytest.MonkeyPatch, transaction_limit: int
) -> None:
    neo4j_backend.load(small_kb())
    # Batches of one row; with a limit of one record every batch commits on its own and a
    # failure must be undone by writing the previous state back.
    neo4j_backend.batch_size = 1
    neo4j_backend.transaction_limit = transaction_limit
    original = Neo4jBackend._run_batch
    calls: list[int] = []

    def write_then_fail(self: Neo4jBackend, tx: Any, *args: Any) -> None:
        original(self, tx, *args)
        calls.append(1)
        if len(calls) == 3:
            # A real server error after writes were made.
            tx.run("UNWIND [1, 0] AS x RETURN 1 / x AS y").consume()

    monkeypatch.setattr(Neo4jBackend, "_run_batch", write_then_fail)
    with pytest.raises(LoadError, match="/ by zero.*previous knowledge base is unchanged"):
        neo4j_backend.load(changed_kb())
    assert neo4j_backend.last_load_batched is (transaction_limit == 1)
    assert_holds(neo4j_backend, small_kb())

    monkeypatch.undo()
    report = neo4j_backend.load(changed_kb())
    assert report.created["Organization"] == 1
    assert_holds(neo4j_backend, changed_kb())


@pytest.mark.neo4j
@pytest.mark.parametrize("workers", [1, 2])
def test_neo4j_batched_load_reaches_exactly_the_knowledge_base(
    neo4j_backend: Neo4jBackend, workers: int
) -> None:
    """A change too large for one transaction goes in batches, on ``workers`` sessions at
    once: relationships sharing end nodes are created concurrently (the server's deadlock
    detection and the driver's retries sort out lock order), and the store ends exactly
    at the knowledge base, first load and changed reload alike."""
    kb = synthetic_cluster(400)
    neo4j_backend.batch_size = 200
    neo4j_backend.transaction_limit = 0
    neo4j_backend.workers = workers
    report = neo4j_backend.load(kb)
    assert neo4j_backend.last_load_batched is True
    assert sum(report.created.values()) == len(kb.nodes) + len(kb.relationships)
    assert_holds(neo4j_backend, kb)

    changed = synthetic_cluster(400)
    dropped = sorted(changed.relationships)[::7]
    for rel_id in dropped:
        del changed.relationships[rel_id]
    for node in list(changed.nodes.values())[::5]:
        node.properties["name_en"] = f"{node.properties['name_en']} (renamed)"
    report = neo4j_backend.load(changed)
    assert sum(report.removed.values()) == len(dropped)
    assert_holds(neo4j_backend, changed)


@pytest.mark.neo4j
def test_neo4j_transaction_limit_follows_the_servers_memory_cap(
    neo4j_backend: Neo4jBackend,
) -> None:
    from biocluster_kg.cypher.neo4j_backend import BYTES_PER_RECORD, transaction_limit_for

    settings = dict(
        neo4j_backend.run(
            "SHOW SETTINGS YIELD name, value WHERE name CONTAINS 'memory.transaction' "
            "RETURN name, value"
        ).rows
    )
    assert neo4j_backend.transaction_limit is None  # not guessed before a load
    neo4j_backend.load(small_kb())
    assert neo4j_backend.transaction_limit == transaction_limit_for(settings)
    cap = settings["dbms.memory.transaction.total.max"]
    # The test servers run with a bounded heap, so the cap is real and the limit finite.
    assert 0 < neo4j_backend.transaction_limit * BYTES_PER_RECORD <= _bytes(cap)
    assert neo4j_backend.last_load_batched is False


@pytest.mark.neo4j
def test_neo4j_load_writes_seek_by_element_id_not_by_index(neo4j_backend: Neo4jBackend) -> None:
    """Every write of a changed-data load but the node CREATEs finds its records by element
    id. An ``id`` index seek inside a transaction that has changed many entries of that
    index slows down with each change: a large change in one transaction took quadratic
    time (a reload removing 583k records ran for over ten minutes; by element id, 34 s)."""
    from biocluster_kg.cypher.loading import LoadPlan
    from biocluster_kg.cypher.neo4j_changes import plan_changes

    before = small_kb()
    neo4j_backend.load(before)
    after = changed_kb()
    kept = next(
        rel
        for rel in after.relationships.values()
        if rel.id in before.relationships
        and (before.relationships[rel.id].start, before.relationships[rel.id].end)
        == (rel.start, rel.end)
    )
    kept.properties["span_line"] = 999  # a relationship update too
    _, steps = plan_changes(LoadPlan.of(after), neo4j_backend._snapshot())
    kinds = {step.phase for step in steps}
    assert kinds == {
        "nodes", "node updates", "relationship removals", "relationships",
        "relationship updates", "node removals",
    }  # fmt: skip
    for step in steps:
        operators = _operators(neo4j_backend, step.query, step.rows, neo4j_backend._elements)
        assert not any("IndexSeek" in name for name in operators), (step.query, operators)
        if step.phase != "nodes":
            assert any("ByElementIdSeek" in name for name in operators), (step.query, operators)


def _operators(backend: Neo4jBackend, query: str, rows: list, elements: dict) -> list[str]:
    with backend.driver.session(database=backend.database) as session:
        plan = session.run("EXPLAIN " + query, rows=rows, elements=elements).consume().plan
    names, pending = [], [plan]
    while pending:
        operator = pending.pop()
        names.append(operator["operatorType"])
        pending += operator.get("children", [])
    return names


def _bytes(value: str) -> float:
    units = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}
    return float(value[:-3]) * units[value[-3:]]


# --------------------------------------------------------------------------------------------
# the embedded store's locks
# --------------------------------------------------------------------------------------------

_HOLD_ENGINE = """
import sys, ladybug
database = ladybug.Database(sys.argv[1])
connection = ladybug.Connection(database)
connection.execute("MATCH (n) RETURN count(n)")
print("ready", flush=True)
sys.stdin.read()
"""

_HOLD_WRITER_LOCK = """
import sys
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
with LadybugBackend(sys.argv[1])._writer_lock():
    print("ready", flush=True)
    sys.stdin.read()
"""


def _holder(script: str, path: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _release(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=60)


@pytest.mark.parametrize("script", [_HOLD_ENGINE, _HOLD_WRITER_LOCK], ids=["engine", "writer"])
def test_locked_store_refuses_a_second_writer_clearly(tmp_path: Path, script: str) -> None:
    path = tmp_path / "kb.lbug"
    store = LadybugBackend(path)
    store.load(small_kb())
    holder = _holder(script, path)
    try:
        with pytest.raises(StoreLockedError) as raised:
            store.load(changed_kb())
        message = str(raised.value)
        assert message.startswith(f"the embedded store {path} is in use by another process")
        assert "try again" in message
        with pytest.raises(StoreLockedError, match="in use by another process"):
            store.run("MATCH (n:`Organization`) SET n.note = 'x'", write=True)
        # Readers are not blocked by a writer.
        assert store.counts() == small_kb().counts()
    finally:
        _release(holder)
    store.close()
    store.load(changed_kb())
    assert_holds(store, changed_kb())


def test_missing_store_says_to_load_first(tmp_path: Path) -> None:
    store = LadybugBackend(tmp_path / "none.lbug")
    with pytest.raises(BackendError, match=r"no knowledge base at .*run `biocluster load` first"):
        store.counts()
    with pytest.raises(BackendError, match=r"no knowledge base at .*run `biocluster load` first"):
        store.run("CREATE (n:Organization {id: 'org:x'})", write=True)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# queries: read-only, parameters, errors, plain values
# --------------------------------------------------------------------------------------------


def test_writes_are_refused_unless_asked_for(backend: Any) -> None:
    backend.load(small_kb())
    with pytest.raises(ReadOnlyError, match="CREATE changes the store.*--write"):
        backend.run("CREATE (n:Organization {id: 'org:x'})")
    backend.run(
        "MATCH (n:Organization {id: $id}) SET n.note = $note",
        {"id": "org:iab", "note": "written"},
        write=True,
    )
    rows = backend.run("MATCH (n:Organization {id: 'org:iab'}) RETURN n.note AS note").rows
    assert rows == [["written"]]


def test_the_engine_itself_refuses_writes_on_read_only_runs(
    backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend.load(small_kb())
    module = sys.modules[type(backend).__module__]
    # Without the early check, the read-only database / READ session must still refuse.
    monkeypatch.setattr(module, "check_read_only", lambda cypher: None)
    with pytest.raises(ReadOnlyError, match="refused a write"):
        backend.run("CREATE (n:Organization {id: 'org:x', name_ja: 'x'})")
    with pytest.raises(ReadOnlyError, match="refused a write"):
        backend.run("MATCH (n:Organization {id: 'org:iab'}) DETACH DELETE n")
    assert_holds(backend, small_kb())


def test_values_travel_only_as_parameters(backend: Any) -> None:
    backend.load(small_kb())
    before = backend.counts()
    assert (
        backend.run("MATCH (n:Organization) WHERE n.name_ja = $name RETURN n", {"name": EVIL}).rows
        == []
    )
    backend.run(
        "MATCH (n:Organization {id: $id}) SET n.note = $note",
        {"id": "org:iab", "note": EVIL},
        write=True,
    )
    rows = backend.run("MATCH (n) WHERE n.note = $note RETURN n.id AS id", {"note": EVIL}).rows
    assert rows == [["org:iab"]]
    assert backend.counts() == before
    listed = backend.run(
        "MATCH (n:Organization) WHERE $alias IN n.aliases RETURN n.id", {"alias": "先端研"}
    )
    assert listed.rows == [["org:iab"]]


def test_cypher_errors_and_missing_parameters_are_ours(backend: Any) -> None:
    backend.load(small_kb())
    with pytest.raises(CypherError) as raised:
        backend.run("MATC (n) RETURN n")
    assert "MATC" in str(raised.value)
    assert "Traceback" not in str(raised.value)
    with pytest.raises(QueryParameterError, match=r"missing parameter \$id"):
        backend.run("MATCH (n {id: $id}) RETURN n")


def _assert_plain(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            _assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            _assert_plain(item)
    else:
        assert value is None or type(value) in (str, int, float, bool), type(value)


PLAIN_QUERY = (
    "MATCH p = (a:Position {id: 'pos:mayor'})-[r:MEMBER_OF]->(b:Body) "
    "RETURN a, r, b, p, [a.id, b.id] AS ids, {name: a.name_ja, year: 2013} AS info"
)


def test_results_are_plain_python_values(backend: Any) -> None:
    backend.load(small_kb())
    result = backend.run(PLAIN_QUERY)
    assert result.columns == ["a", "r", "b", "p", "ids", "info"]
    _assert_plain(result.rows)
    a, r, b, p, ids, info = result.rows[0]
    mayor = {"label": "Position", "id": "pos:mayor", **small_kb().nodes["pos:mayor"].properties}
    council = {
        "label": "Body",
        "id": "body:promotion-council",
        **small_kb().nodes["body:promotion-council"].properties,
    }
    membership = {
        "type": "MEMBER_OF",
        "id": "rel:mayor-council",
        **small_kb().relationships["rel:mayor-council"].properties,
    }
    assert (a, r, b) == (mayor, membership, council)
    assert p == {"nodes": [mayor, council], "relationships": [membership]}
    assert ids == ["pos:mayor", "body:promotion-council"]
    assert info == {"name": "鶴岡市長", "year": 2013}
    assert result.records()[0]["ids"] == ids


COMMON_QUERIES = [
    ("MATCH (n:Organization) RETURN n.id AS id, n.name_ja AS name, n.aliases AS aliases "
     "ORDER BY id", {}),
    ("MATCH (a)-[r:MEMBER_OF]->(b:Body) RETURN a.id AS member, r.role AS role, "
     "r.role_ja AS role_ja, b.id AS body ORDER BY member", {}),
    ("MATCH (n) WHERE n.sector = $sector RETURN n.id AS id ORDER BY id", {"sector": "industry"}),
    ("MATCH (n:`Group`) RETURN n.count AS count, n.count_qualifier_ja AS qualifier", {}),
    ("MATCH (n:Organization) WHERE $alias IN n.aliases RETURN n AS node", {"alias": "先端研"}),
    ("MATCH (a:Organization {id: $id})-[r]-(b) RETURN b.id AS neighbour, r AS tie "
     "ORDER BY neighbour", {"id": "org:iab"}),
    ("MATCH (n) RETURN count(n) AS nodes, sum(n.amount_thousand_yen) AS yen, "
     "avg(n.betweenness) AS betweenness", {}),
    ("MATCH p = (a {id: 'org:venture-a'})-[:VENTURE_OF]->(b)-[:MEMBER_OF]->(c) RETURN p", {}),
]  # fmt: skip


@pytest.mark.neo4j
def test_both_backends_return_equal_rows(tmp_path: Path, neo4j_backend: Neo4jBackend) -> None:
    kb = small_kb()
    with LadybugBackend(tmp_path / "kb.lbug") as ladybug:
        ladybug.load(kb)
        neo4j_backend.load(kb)
        for cypher, parameters in COMMON_QUERIES:
            embedded = ladybug.run(cypher, parameters)
            server = neo4j_backend.run(cypher, parameters)
            assert embedded.columns == server.columns, cypher
            assert embedded.rows == server.rows, cypher
            assert embedded.rows, cypher
        assert ladybug.run(PLAIN_QUERY).rows == neo4j_backend.run(PLAIN_QUERY).rows


# --------------------------------------------------------------------------------------------
# Neo4j schema: constraints and indexes before any MERGE, full-text over list aliases
# --------------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_neo4j_constraints_indexes_and_fulltext(neo4j_backend: Neo4jBackend) -> None:
    neo4j_backend.load(small_kb())
    # A load creates only what is missing: one index dropped meanwhile comes back.
    neo4j_backend.run("DROP INDEX `organization_name_ja`", write=True)
    neo4j_backend.load(small_kb())
    shown = neo4j_backend.run("SHOW INDEXES YIELD name, state RETURN name, state").records()
    states = {row["name"]: row["state"] for row in shown}
    for name in neo4j_index_names():
        assert states.get(name) == "ONLINE", name
    constraints = neo4j_backend.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {
        (row["labelsOrTypes"][0], row["properties"][0])
        for row in constraints.records()
        if row["type"] == "UNIQUENESS"
    }
    assert {(label, "id") for label in SCHEMA.labels} <= unique
    # 先端研 is only in the aliases list (the Japanese name has 先端生命): list properties
    # are indexed by the cjk full-text index.
    hits = neo4j_backend.run(
        "CALL db.index.fulltext.queryNodes('actor_names', $q) YIELD node RETURN node.id AS id",
        {"q": "慶應先端研"},
    )
    assert ["org:iab"] in hits.rows
    hits = neo4j_backend.run(
        "CALL db.index.fulltext.queryNodes('actor_names', $q) YIELD node RETURN node.id AS id",
        {"q": "Mayor"},
    )
    assert hits.rows == [["pos:mayor"]]


def test_generated_definitions_cover_the_schema() -> None:
    statements = ladybug_ddl()
    assert len(statements) == len(SCHEMA.labels) + len(SCHEMA.types)
    for label in SCHEMA.labels:
        (table,) = [s for s in statements if s.startswith(f"CREATE NODE TABLE `{label}`(")]
        for prop in SCHEMA.all_node_properties():
            assert f"`{prop.name}` " in table
        assert table.endswith("PRIMARY KEY (`id`))")
    for rel in SCHEMA.relationships:
        (table,) = [s for s in statements if s.startswith(f"CREATE REL TABLE `{rel.name}`(")]
        for start, end in rel.endpoints:
            assert f"FROM `{start}` TO `{end}`" in table
    neo4j = neo4j_schema_statements()
    assert neo4j[-1].startswith("CREATE FULLTEXT INDEX `actor_names` IF NOT EXISTS")
    assert all("IF NOT EXISTS" in statement for statement in neo4j)
    assert len(set(neo4j_index_names())) == len(neo4j)


@pytest.mark.parametrize(
    ("cypher", "clause"),
    [
        ("MATCH (n) RETURN n", None),
        ("match (n) detach delete n", "DETACH"),
        ("MATCH (n) SET n.x = 1", "SET"),
        ("MERGE (n:Organization {id: 'x'})", "MERGE"),
        ("MATCH (n) WHERE n.span CONTAINS 'CREATE' RETURN n", None),
        ("MATCH (n:`DELETE`) RETURN n // SET", None),
        ("MATCH (n) RETURN n.set, $remove", None),
        ("/* DROP */ RETURN 1", None),
        ("UNWIND [1] AS x FOREACH (y IN [x] | CREATE ())", "FOREACH"),
        ("COPY `Organization` FROM 'x.csv'", "COPY"),
    ],
)
def test_write_clause_detection(cypher: str, clause: str | None) -> None:
    assert write_clause(cypher) == clause


def test_parameter_names_ignore_strings_and_comments() -> None:
    assert parameter_names("RETURN $a, '$b', \"$c\" // $d\n, $`e f`, $a") == ["a", "e f"]


@pytest.mark.neo4j
def test_neo4j_named_database_and_routing_uri(neo4j_backend: Neo4jBackend) -> None:
    from biocluster_kg.cypher.neo4j_connection import Neo4jSettings, connect

    settings = neo4j_settings_or_skip()
    host = settings.uri.split("://", 1)[1]
    routing = Neo4jSettings(f"neo4j://{host}", settings.username, settings.password)
    named = Neo4jBackend(connect(routing), neo4j_backend.database, description=routing.uri)
    with named:
        assert named.database == neo4j_backend.database
        named.load(small_kb())
        assert_holds(named, small_kb())
        assert named.location == f"Neo4j neo4j://{host} database {named.database}"
    assert neo4j_backend.counts() == small_kb().counts()
