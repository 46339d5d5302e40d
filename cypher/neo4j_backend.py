"""The production store: a Neo4j 5 server (``bolt://`` or ``neo4j://``, any named database).

Loading first creates the constraints and indexes generated from the schema that the
database lacks (:func:`biocluster_kg.cypher.ddl.neo4j_schema_statements`, awaited online): the
``id`` uniqueness constraints refuse duplicates, and queries look records up through them. Then:

1. The stored state is read (one read transaction) and compared with the new knowledge base,
   record by record (id, ends, property values): that gives the
   :class:`~biocluster_kg.cypher.backend.LoadReport` and the change set. Unchanged records are not
   written.
2. The change set is written with ``UNWIND $rows AS row`` batches: new nodes are CREATEd
   per label with their properties taken from list rows (cheaper for the server than maps;
   the uniqueness constraint still refuses an id created meanwhile) and return their
   element ids; every other write finds its nodes and relationships by element id (from
   the stored state or those CREATEs) and checks their ``id``: changed nodes and
   relationships get ``SET x = row.props`` (which also removes properties no longer
   present), removed relationships (and ones whose ends changed, created again) are
   deleted, new relationships are CREATEd between their ends, removed nodes go last
   (DETACH DELETE). Element ids, not the ``id`` indexes: an index seek in a transaction
   that has changed many of that index's entries slows down with each change, so a large
   change in one transaction took quadratic time.
3. A change set that fits one transaction is written in ONE managed transaction
   (``session.execute_write``, which retries transient errors): readers see the old knowledge
   base until the commit, and a failure anywhere rolls all of it back. What fits is worked
   out from the server's transaction memory cap (``SHOW SETTINGS``; 70% of the heap by
   default) and the memory a record takes (:data:`BYTES_PER_RECORD`): with a 1 GiB heap about
   147k records, with 6 GiB about 880k.
4. A larger change set is written one batch per transaction, the batches of a phase (new
   nodes, new relationships, ...) on :data:`DEFAULT_WORKERS` sessions at once. Should a
   batch fail, the previous state (the snapshot of step 1) is written back before the error
   is raised. Readers may then see a partly applied load while it runs, and a server that
   dies mid-load keeps the batches it committed; :attr:`Neo4jBackend.last_load_batched` says
   it happened. Give the server a larger heap to keep such loads atomic.

Ad-hoc statements run in managed transactions too; read-only ones in a READ access-mode
session, where the server itself refuses writes.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple

from biocluster_kg.cypher.backend import LoadReport, QueryResult
from biocluster_kg.cypher.ddl import neo4j_index_names, neo4j_schema_statements
from biocluster_kg.cypher.loading import (
    LoadPlan,
    add_counts,
    finish_report,
    node_state,
    progress_bar,
    relationship_state,
    tally,
)
from biocluster_kg.cypher.statements import check_parameters, check_read_only
from biocluster_kg.cypher.values import plain_neo4j
from biocluster_kg.kernel.errors import (
    BackendError,
    CypherError,
    LoadError,
    Neo4jUnavailableError,
    ReadOnlyError,
)
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

if TYPE_CHECKING:
    import neo4j

    from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship

__all__ = [
    "Neo4jBackend",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TRANSACTION_LIMIT",
    "DEFAULT_WORKERS",
    "transaction_limit_for",
]

#: Rows per UNWIND batch.
DEFAULT_BATCH_SIZE = 10_000

#: Changed records (written or deleted) one transaction may carry when the server's
#: transaction memory cap cannot be read. Measured on Neo4j 5.26 with a 1 GiB heap (cap 70%
#: of it): 122k new records fit in one transaction, 183k did not.
DEFAULT_TRANSACTION_LIMIT = 100_000

#: Transaction memory one written record takes on the server, with room to spare: Neo4j
#: 5.26 estimated 4.6 KiB per record (SHOW TRANSACTIONS, peak of one-transaction loads of
#: 122k and 610k synthetic records). The limit is the server's cap divided by this.
BYTES_PER_RECORD = 5 * 1024

#: The settings that cap one transaction's memory; 0 means no cap of that kind.
_MEMORY_SETTINGS = (
    "db.memory.transaction.max",
    "db.memory.transaction.total.max",
    "dbms.memory.transaction.total.max",
)
_UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}

#: Sessions writing batches at once in a batched load (see :meth:`Neo4jBackend.load`): two
#: keep a 2-core server busy while the client packs the next rows.
DEFAULT_WORKERS = 2

_ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"

#: Loads take turns: each holds a lock node that exists only inside a transaction it never
#: commits. MERGE on a uniquely constrained key waits while another transaction holds that key,
#: and the lock goes when its transaction ends, also when a client dies (the server drops it).
_LOAD_LOCK_CONSTRAINT = (
    "CREATE CONSTRAINT biocluster_load_lock IF NOT EXISTS "
    "FOR (lock:`BioclusterLoadLock`) REQUIRE lock.id IS UNIQUE"
)
_INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"
_LOAD_LOCK = "MERGE (lock:`BioclusterLoadLock` {id: 'load'})"
_OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"

_PROPERTY_NAMES = SCHEMA.property_names()
_FLOAT_PROPERTIES = frozenset(
    p.name
    for p in (*SCHEMA.all_node_properties(), *SCHEMA.all_relationship_properties())
    if p.type == "float"
)


def _property_map(columns: list[str], first: int) -> str:
    """``{`id`: row[first], `c1`: row[first + 1], ...}``: a new record's properties from a
    list row (lists are cheaper for the server to take apart than maps). A null value sets
    nothing, as the record should not have that property."""
    names = ("id", *columns)
    return (
        "{"
        + ", ".join(
            f"{quote_identifier(name, _PROPERTY_NAMES)}: row[{first + index}]"
            for index, name in enumerate(names)
        )
        + "}"
    )


def _node_create(label: str, columns: list[str]) -> str:
    """New nodes: CREATE (the comparison knows they are new; the uniqueness constraint still
    refuses a duplicate made meanwhile), all properties from the row; returns each new
    node's element id, which the relationships created next find it by."""
    quoted = quote_identifier(label, SCHEMA.labels)
    return (
        f"UNWIND $rows AS row CREATE (n:{quoted} {_property_map(columns, 0)}) "
        "RETURN row[0] AS id, elementId(n) AS element"
    )


# Every other write finds its node or relationship by element id (read with the stored
# state, or returned by the CREATE) and checks the ``id`` too. Not through the ``id``
# indexes: in a transaction that has already changed many entries of an index, each seek in
# it costs time in proportion to those changes (Neo4j 5.26: deleting 60k relationships by
# index seek in one transaction took 27 s, growing with every batch; by element id 0.5 s).
# No label in these patterns, or the planner picks the index seek again.


def _node_update() -> str:
    """Changed nodes: ``SET n = map`` replaces every property, removing those left out."""
    return (
        "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.element AND n.id = row.id "
        "SET n = row.props RETURN count(*) AS total"
    )


def _node_delete() -> str:
    return (
        "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row[0] AND n.id = row[1] "
        "DETACH DELETE n RETURN count(*) AS total"
    )


def _relationship_create(type_: str, columns: list[str]) -> str:
    """New relationships (or ones whose ends changed, deleted first) between their ends;
    rows are ``[start, end, id, *columns]``, ``$elements`` the ends' element ids."""
    quoted = quote_identifier(type_, SCHEMA.types)
    return (
        "UNWIND $rows AS row "
        "MATCH (s) WHERE elementId(s) = $elements[row[0]] AND s.id = row[0] "
        "MATCH (e) WHERE elementId(e) = $elements[row[1]] AND e.id = row[1] "
        f"CREATE (s)-[r:{quoted} {_property_map(columns, 2)}]->(e) "
        "RETURN count(*) AS total"
    )


def _relationship_update() -> str:
    """Changed relationships with the same ends."""
    return (
        "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.element AND r.id = row.id "
        "SET r = row.props RETURN count(*) AS total"
    )


def _relationship_delete() -> str:
    return (
        "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row[0] AND r.id = row[1] "
        "DELETE r RETURN count(*) AS total"
    )


def _stored(key: str, value: Any) -> Any:
    """A property value as Neo4j stores it: floats as floats (an int in a float property)."""
    if key in _FLOAT_PROPERTIES and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _props(record_id: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """What Neo4j stores: ``id`` and the non-null properties."""
    props: dict[str, Any] = {"id": record_id}
    for key, value in properties.items():
        if value is not None:
            props[key] = _stored(key, value)
    return props


def _update_rows(
    records: list[Node] | list[Relationship], elements: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Rows for :func:`_node_update` and :func:`_relationship_update`."""
    return [
        {
            "element": elements[record.id],
            "id": record.id,
            "props": _props(record.id, record.properties),
        }
        for record in records
    ]


def _values(properties: Mapping[str, Any], columns: list[str]) -> list[Any]:
    """The ``columns`` of one record, in order, as Neo4j stores them (None where absent)."""
    if _FLOAT_PROPERTIES.isdisjoint(columns):
        return list(map(properties.get, columns))
    return [_stored(key, properties.get(key)) for key in columns]


def _new_node_rows(nodes: list[Node], columns: list[str]) -> list[list[Any]]:
    """``[id, *columns]`` per node, for :func:`_node_create`."""
    return [[node.id, *_values(node.properties, columns)] for node in nodes]


def _new_relationship_rows(rels: list[Relationship], columns: list[str]) -> list[list[Any]]:
    """``[start, end, id, *columns]`` per relationship, for :func:`_relationship_create`."""
    return [[rel.start, rel.end, rel.id, *_values(rel.properties, columns)] for rel in rels]


class Neo4jBackend:
    """The knowledge base on a Neo4j server, through an open ``neo4j.Driver``."""

    name = "neo4j"

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str | None = None,
        *,
        description: str = "",
        batch_size: int = DEFAULT_BATCH_SIZE,
        transaction_limit: int | None = None,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        self.driver = driver
        self.workers = workers
        self.batch_size = batch_size
        #: Most changed records written in one transaction; ``None``: from the server's
        #: transaction memory cap (:func:`transaction_limit_for`), read at the first load.
        self.transaction_limit = transaction_limit
        #: Whether the last load was too large for one transaction and went batch by batch.
        self.last_load_batched = False
        #: Node id -> element id during a load: stored nodes, then the ones it creates.
        self._elements: dict[str, str] = {}
        self.description = description
        # Every session names its database; "the server's default" is resolved once here.
        self.database = database or self._default_database()

    @property
    def location(self) -> str:
        """Where the knowledge base is, for messages."""
        where = f"{self.description} " if self.description else ""
        return f"Neo4j {where}database {self.database}"

    def __repr__(self) -> str:
        where = f"{self.description} " if self.description else ""
        return f"Neo4jBackend({where}database {self.database!r})"

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()

    def _default_database(self) -> str:
        import neo4j

        with (
            _translated(self),
            self.driver.session(default_access_mode=neo4j.READ_ACCESS) as session,
        ):
            return str(session.run("CALL db.info() YIELD name RETURN name").single(strict=True)[0])

    def _session(self, *, write: bool) -> neo4j.Session:
        import neo4j

        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode)

    # -- queries -------------------------------------------------------------------------

    def run(
        self,
        cypher: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
    ) -> QueryResult:
        """Run one statement; in a READ session (the server refuses writes) unless ``write``."""
        parameters = dict(parameters or {})
        check_parameters(cypher, parameters)
        if not write:
            check_read_only(cypher)

        def work(tx: neo4j.ManagedTransaction) -> QueryResult:
            result = tx.run(cypher, parameters)
            columns = list(result.keys())
            rows = [[plain_neo4j(value) for value in record.values()] for record in result]
            return QueryResult(columns, rows)

        with _translated(self), self._session(write=write) as session:
            if write:
                return session.execute_write(work)
            return session.execute_read(work)

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, as :meth:`KnowledgeBase.counts`."""
        with _translated(self), self._session(write=False) as session:
            counts = session.execute_read(self._stored_counts)
        return {name: total for name, total in sorted(counts.items()) if total}

    @staticmethod
    def _stored_counts(tx: neo4j.ManagedTransaction) -> dict[str, int]:
        # Label and type counts come from Neo4j's count store: no scan.
        counts = {}
        for label in SCHEMA.labels:
            quoted = quote_identifier(label, SCHEMA.labels)
            counts[label] = tx.run(f"MATCH (n:{quoted}) RETURN count(n)").single(strict=True)[0]
        for type_ in SCHEMA.types:
            quoted = quote_identifier(type_, SCHEMA.types)
            query = f"MATCH ()-[r:{quoted}]->() RETURN count(r)"
            counts[type_] = tx.run(query).single(strict=True)[0]
        return counts

    # -- loading -------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (IF NOT EXISTS) and wait until they are online."""
        statements = dict(zip(neo4j_index_names(), neo4j_schema_statements(), strict=True))
        statements["biocluster_load_lock"] = _LOAD_LOCK_CONSTRAINT
        with _translated(self), self._session(write=True) as session:
            # A constraint's index has the constraint's name: one look finds both.
            existing = {name for (name,) in session.run(_INDEX_NAMES).values()}
            missing = [statement for name, statement in statements.items() if name not in existing]
            for statement in missing:
                # Schema changes cannot share a transaction with data writes: auto-commit.
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()

    def load(self, kb: KnowledgeBase, *, progress: bool = False) -> LoadReport:
        """Make the database hold exactly ``kb`` and report what changed (see the module)."""
        started = time.perf_counter()
        plan = LoadPlan.of(kb)
        self.ensure_schema()
        with _translated(self, loading=True), self._load_lock():
            # Read under the lock: a load that ran meanwhile has committed by now, so the
            # change is worked out against what the database really holds.
            stored = self._snapshot()
            report, steps = _changes(plan, stored)
            self._elements = dict(stored.nodes)
            self.last_load_batched = False
            size = sum(len(step.rows) for step in steps)
            with progress_bar(progress, size, "Loading Neo4j") as advance:
                if self.transaction_limit is None:
                    self.transaction_limit = self._server_transaction_limit()
                if size <= self.transaction_limit:
                    try:
                        self._write_in_one_transaction(steps, advance)
                    except _TooLarge:
                        self._write_in_batches(steps, advance, stored.state)
                else:
                    self._write_in_batches(steps, advance, stored.state)
        report.seconds = time.perf_counter() - started
        return report

    def _server_transaction_limit(self) -> int:
        """How many records fit in one transaction on this server (see :data:`BYTES_PER_RECORD`)."""
        from neo4j import exceptions as neo4j_errors

        query = "SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value"
        try:
            with self._session(write=False) as session:
                settings = dict(session.run(query, names=list(_MEMORY_SETTINGS)).values())
        except neo4j_errors.ClientError:  # not allowed to read settings: assume a 1 GiB heap
            return DEFAULT_TRANSACTION_LIMIT
        return transaction_limit_for(settings)

    @contextmanager
    def _load_lock(self) -> Iterator[None]:
        """Hold the load lock for the whole load: a second load waits here for this one."""
        with self._session(write=True) as session:
            transaction = session.begin_transaction()
            try:
                transaction.run(_LOAD_LOCK).consume()
                yield
            finally:
                # A lost connection has released the lock already; keep the first error.
                with suppress(Exception):
                    transaction.rollback()

    def _snapshot(self) -> _Stored:
        """What the database holds now, keyed by label/type then id (as Ladybug's), and the
        element id of every node and relationship."""

        def read(tx: neo4j.ManagedTransaction) -> _Stored:
            stored = _Stored({}, {}, {})
            for label in SCHEMA.labels:
                quoted = quote_identifier(label, SCHEMA.labels)
                query = (
                    f"MATCH (n:{quoted}) "
                    "RETURN n.id AS id, elementId(n) AS element, properties(n) AS props"
                )
                nodes = {}
                for record_id, element, props in tx.run(query):
                    props.pop("id", None)
                    nodes[record_id] = props
                    stored.nodes[record_id] = element
                if nodes:
                    stored.state[label] = nodes
            for type_ in SCHEMA.types:
                quoted = quote_identifier(type_, SCHEMA.types)
                query = (
                    f"MATCH (a)-[r:{quoted}]->(b) RETURN r.id AS id, elementId(r) AS element, "
                    "a.id AS start, b.id AS end, properties(r) AS props"
                )
                rels = {}
                for record_id, element, start, end, props in tx.run(query):
                    props.pop("id", None)
                    rels[record_id] = (start, end, props)
                    stored.relationships[record_id] = element
                if rels:
                    stored.state[type_] = rels
            return stored

        with self._session(write=False) as session:
            return session.execute_read(read)

    def _write_in_one_transaction(self, steps: list[_Step], advance: Callable[[int], None]) -> None:
        """Every step in one managed transaction: all of it commits or none of it."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            for step in steps:
                for batch in self._batches(step.rows):
                    self._run_batch(tx, step, batch)
                    advance(len(batch))

        from neo4j import exceptions as neo4j_errors

        with self._session(write=True) as session:
            try:
                session.execute_write(work)
            except neo4j_errors.TransientError as error:
                # Out of transaction memory at commit (the driver has retried by then).
                if error.code == _OUT_OF_MEMORY:
                    raise _TooLarge(str(error)) from error
                raise

    def _write_in_batches(
        self,
        steps: list[_Step],
        advance: Callable[[int], None],
        old: dict[str, dict[str, Any]],
    ) -> None:
        """Each batch in its own transaction (a change too large for one); on failure the
        previous knowledge base is written back from ``old`` before the error is raised."""
        self.last_load_batched = True
        try:
            self._write_phases(steps, advance)
        except BaseException as error:
            try:
                current = self._snapshot()
                _, restore = _changes(LoadPlan.of(_knowledge_base(old)), current)
                self._elements = dict(current.nodes)
                self._write_phases(restore, lambda steps: None)
            except Exception as restore_error:
                raise LoadError(
                    f"loading into Neo4j failed ({error}) and restoring the previous knowledge "
                    f"base failed too ({restore_error}); run the load again"
                ) from error
            raise

    def _write_phases(self, steps: list[_Step], advance: Callable[[int], None]) -> None:
        """The steps phase by phase (see :func:`_changes`); a phase's batches, which do not
        depend on each other, go through ``workers`` sessions at once."""
        for _, phase in groupby(steps, key=lambda step: step.phase):
            work = [(step, batch) for step in phase for batch in self._batches(step.rows)]
            workers = min(self.workers, len(work))
            if workers <= 1:
                with self._session(write=True) as session:
                    for step, batch in work:
                        session.execute_write(self._run_batch, step, batch)
                        advance(len(batch))
            else:
                self._write_concurrently(work, workers, advance)

    def _write_concurrently(
        self,
        work: list[tuple[_Step, list[Any]]],
        workers: int,
        advance: Callable[[int], None],
    ) -> None:
        """Batches from one queue, one transaction each, on ``workers`` threads with a session
        each. The first error stops every thread after its current batch and is raised once
        all have stopped, so nothing writes behind the caller's back (a restore, say)."""
        queue = iter(work)
        lock = threading.Lock()
        errors: list[BaseException] = []

        def worker() -> None:
            with self._session(write=True) as session:
                while True:
                    with lock:
                        item = None if errors else next(queue, None)
                    if item is None:
                        return
                    step, batch = item
                    try:
                        session.execute_write(self._run_batch, step, batch)
                    except BaseException as error:
                        with lock:
                            errors.append(error)
                        return
                    with lock:
                        advance(len(batch))

        threads = [
            threading.Thread(target=worker, name=f"neo4j-load-{number}", daemon=True)
            for number in range(workers)
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except BaseException as error:  # Ctrl-C: stop the workers before going on
            with lock:
                errors.append(error)
            for thread in threads:
                thread.join()
            raise
        if errors:
            raise errors[0]

    def _batches(self, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        size = self.batch_size
        return [rows[start : start + size] for start in range(0, len(rows), size)]

    def _run_batch(self, tx: neo4j.ManagedTransaction, step: _Step, batch: list[Any]) -> None:
        from neo4j import exceptions as neo4j_errors

        parameters: dict[str, Any] = {"rows": batch}
        if step.phase == _NEW_RELATIONSHIPS:
            try:
                parameters["elements"] = {
                    node_id: self._elements[node_id] for row in batch for node_id in row[:2]
                }
            except KeyError as missing:
                raise LoadError(f"node {missing.args[0]} is not in the database") from None
        try:
            result = tx.run(step.query, parameters)
            if step.phase == _NEW_NODES:
                created: dict[str, str] = {record[0]: record[1] for record in result}
                self._elements.update(created)
                written = len(created)
            else:
                written = sum(record["total"] for record in result)
        except neo4j_errors.TransientError as error:
            if error.code == _OUT_OF_MEMORY:
                # Retrying cannot help: the change needs more memory than one transaction gets.
                raise _TooLarge(str(error)) from error
            raise
        if step.phase in _REMOVALS:
            return
        if written != len(batch):
            raise LoadError(
                f"{len(batch) - written} of {len(batch)} rows did not find the nodes or "
                "relationships they need (was the database changed during the load?)"
            )


def transaction_limit_for(settings: Mapping[str, str]) -> int:
    """Records one transaction may carry under the server's memory settings (``SHOW
    SETTINGS`` values); the smallest non-zero cap counts, and with none there is no limit.

    >>> transaction_limit_for({"dbms.memory.transaction.total.max": "716.80MiB",
    ...                        "db.memory.transaction.max": "0B"})
    146800
    >>> transaction_limit_for({"dbms.memory.transaction.total.max": "0B"}) > 10**12
    True
    """
    caps = [_bytes(settings[name]) for name in _MEMORY_SETTINGS if name in settings]
    caps = [cap for cap in caps if cap > 0]
    if not caps:
        return sys.maxsize
    return int(min(caps) // BYTES_PER_RECORD)


def _bytes(value: str) -> float:
    """``'4.20GiB'`` -> bytes, as Neo4j prints a memory setting."""
    number = value.rstrip("KMGTiB")
    unit = value[len(number) :] or "B"
    try:
        return float(number) * _UNITS[unit]
    except (KeyError, ValueError):
        raise BackendError(f"unexpected Neo4j memory setting {value!r}") from None


class _TooLarge(LoadError):
    """One transaction cannot hold the change (the server's transaction memory limit)."""


class _Stored(NamedTuple):
    """The database's content as a load finds it."""

    #: Label or type -> id -> properties (nodes) or (start, end, properties).
    state: dict[str, dict[str, Any]]
    #: Node id -> element id.
    nodes: dict[str, str]
    #: Relationship id -> element id.
    relationships: dict[str, str]


# The phases of a load, in the order :func:`_changes` lists them.
_NEW_NODES = "nodes"
_NODE_UPDATES = "node updates"
_RELATIONSHIP_REMOVALS = "relationship removals"
_NEW_RELATIONSHIPS = "relationships"
_RELATIONSHIP_UPDATES = "relationship updates"
_NODE_REMOVALS = "node removals"
_REMOVALS = frozenset({_RELATIONSHIP_REMOVALS, _NODE_REMOVALS})


class _Step(NamedTuple):
    """One query of a load and the rows it runs over (in batches)."""

    query: str
    rows: list[Any]
    #: Steps of one phase do not depend on each other: their batches may run at once. New
    #: nodes' steps return element ids, new relationships' steps need them, and a removal
    #: may find its record gone already.
    phase: str


def _changes(plan: LoadPlan, stored: _Stored) -> tuple[LoadReport, list[_Step]]:
    """Compare the new knowledge base with the stored state: the report, and the writes that
    turn ``stored`` into ``plan``, in an order that keeps every step valid: new nodes,
    changed nodes, relationship removals (also of those whose ends changed), new
    relationships, changed relationships, node removals."""
    old = stored.state
    report = LoadReport("neo4j")
    node_creates: list[_Step] = []
    node_updates: list[Node] = []
    for label, nodes in plan.nodes.items():
        before = old.get(label, {})
        states = {node.id: node_state(node) for node in nodes}
        tally(report, label, before, states)
        created = [node for node in nodes if node.id not in before]
        node_updates += [n for n in nodes if n.id in before and before[n.id] != states[n.id]]
        if created:
            columns = plan.node_columns[label]
            rows = _new_node_rows(created, columns)
            query = _node_create(label, columns)
            node_creates.append(_Step(query, rows, _NEW_NODES))

    rel_creates: list[_Step] = []
    rel_updates: list[Relationship] = []
    moved: list[str] = []
    new_ids: dict[str, set[str]] = {}
    for group in plan.relationships:
        before_type = old.get(group.type, {})
        ids = new_ids.setdefault(group.type, set())
        to_create = []
        changed = unchanged = 0
        for rel in group.relationships:
            ids.add(rel.id)
            was = before_type.get(rel.id)
            if was is None:
                to_create.append(rel)
                continue
            # Only stored relationships are compared: a large first load skips this.
            start, end, props = relationship_state(rel)
            if was[:2] != (start, end):
                moved.append(rel.id)
                to_create.append(rel)
                changed += 1
            elif was[2] != props:
                rel_updates.append(rel)
                changed += 1
            else:
                unchanged += 1
        total = len(group.relationships)
        new = total - changed - unchanged
        add_counts(report, group.type, new, changed, 0, unchanged, total)
        if to_create:
            columns = plan.relationship_columns[(group.type, group.start_label, group.end_label)]
            rows = _new_relationship_rows(to_create, columns)
            query = _relationship_create(group.type, columns)
            rel_creates.append(_Step(query, rows, _NEW_RELATIONSHIPS))

    rel_removals: list[str] = []
    for type_ in SCHEMA.types:
        keep = new_ids.get(type_, set())
        removed = [rel_id for rel_id in old.get(type_, {}) if rel_id not in keep]
        if removed:
            add_counts(report, type_, 0, 0, len(removed), 0, 0)
        rel_removals += removed
    node_removals: list[str] = []
    for label in SCHEMA.labels:
        before = old.get(label, {})
        keep_ids = {node.id for node in plan.nodes.get(label, [])}
        if label not in plan.nodes and before:
            tally(report, label, before, {})
        node_removals += [node_id for node_id in before if node_id not in keep_ids]

    steps = node_creates
    if node_updates:
        steps.append(_Step(_node_update(), _update_rows(node_updates, stored.nodes), _NODE_UPDATES))
    if rel_removals or moved:
        rows = [[stored.relationships[rel_id], rel_id] for rel_id in rel_removals + moved]
        steps.append(_Step(_relationship_delete(), rows, _RELATIONSHIP_REMOVALS))
    steps += rel_creates
    if rel_updates:
        updates = _update_rows(rel_updates, stored.relationships)
        steps.append(_Step(_relationship_update(), updates, _RELATIONSHIP_UPDATES))
    if node_removals:
        rows = [[stored.nodes[node_id], node_id] for node_id in node_removals]
        steps.append(_Step(_node_delete(), rows, _NODE_REMOVALS))
    return finish_report(report), steps


def _knowledge_base(state: dict[str, dict[str, Any]]) -> KnowledgeBase:
    """A knowledge base holding a snapshot's state (to write a previous state back)."""
    from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship

    kb = KnowledgeBase()
    for key, records in state.items():
        if SCHEMA.has_label(key):
            for node_id, props in records.items():
                kb.add_node(Node(node_id, key, dict(props)))
    for key, records in state.items():
        if SCHEMA.has_type(key):
            for rel_id, (start, end, props) in records.items():
                kb.add_relationship(Relationship(rel_id, key, start, end, dict(props)))
    return kb


class _translated:
    """Turn driver errors into the project's own, ``from`` the original."""

    def __init__(self, backend: Neo4jBackend, *, loading: bool = False) -> None:
        self.backend = backend
        self.loading = loading

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, traceback: Any) -> None:
        from neo4j import exceptions as neo4j_errors

        if error is None or not isinstance(
            error, neo4j_errors.Neo4jError | neo4j_errors.DriverError
        ):
            return
        where = self.backend.description or "the server"
        suffix = "; the previous knowledge base is unchanged" if self.loading else ""
        if isinstance(error, neo4j_errors.Neo4jError):
            message = " ".join(str(error.message or error).split())
            if error.code == _ACCESS_MODE:
                raise ReadOnlyError(
                    "the server refused a write: this statement runs read-only; "
                    "pass --write (write=True) to allow writes"
                ) from error
            if self.loading:
                raise LoadError(f"loading into Neo4j failed: {message}{suffix}") from error
            if isinstance(error, neo4j_errors.ClientError):
                raise CypherError(message) from error
            raise BackendError(f"Neo4j at {where} failed: {message}{suffix}") from error
        if isinstance(error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
            raise Neo4jUnavailableError(
                f"lost the connection to Neo4j at {where}{suffix}"
            ) from error
        raise BackendError(f"Neo4j driver error at {where}: {error}{suffix}") from error
