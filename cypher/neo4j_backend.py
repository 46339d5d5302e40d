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
session, where the server itself refuses writes, after the server has classified them as
reads (``EXPLAIN``; see :func:`~biocluster_kg.cypher.neo4j_errors.check_server_read_only`).

The parts live beside this module, named for what they hold: the load's statements and rows
(:mod:`~biocluster_kg.cypher.neo4j_statements`), the change planner
(:mod:`~biocluster_kg.cypher.neo4j_changes`), the transaction size limit
(:mod:`~biocluster_kg.cypher.neo4j_limits`) and the translation of driver errors
(:mod:`~biocluster_kg.cypher.neo4j_errors`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from itertools import groupby
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.backend import LoadReport, QueryResult
from biocluster_kg.cypher.ddl import neo4j_index_names, neo4j_schema_statements
from biocluster_kg.cypher.dialects import expand_placeholders
from biocluster_kg.cypher.loading import LoadPlan, progress_bar
from biocluster_kg.cypher.neo4j_changes import (
    NEW_NODES,
    NEW_RELATIONSHIPS,
    REMOVALS,
    Step,
    StoredState,
    knowledge_base_of,
    plan_changes,
)
from biocluster_kg.cypher.neo4j_errors import (
    OUT_OF_MEMORY,
    TransactionTooLarge,
    check_server_read_only,
    translated_errors,
)
from biocluster_kg.cypher.neo4j_limits import (
    BYTES_PER_RECORD,
    DEFAULT_TRANSACTION_LIMIT,
    MEMORY_SETTINGS,
    transaction_limit_for,
)
from biocluster_kg.cypher.neo4j_statements import INDEX_NAMES, LOAD_LOCK, LOAD_LOCK_CONSTRAINT
from biocluster_kg.cypher.neo4j_timeouts import DEFAULT_READ_TIMEOUT, server_watch
from biocluster_kg.cypher.statements import (
    check_parameters,
    check_read_only,
    check_single_statement,
)
from biocluster_kg.cypher.values import plain_neo4j
from biocluster_kg.kernel.errors import LoadError
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

if TYPE_CHECKING:
    import neo4j

    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = [
    "Neo4jBackend",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TRANSACTION_LIMIT",
    "DEFAULT_WORKERS",
    "BYTES_PER_RECORD",
    "transaction_limit_for",
]

#: Rows per UNWIND batch.
DEFAULT_BATCH_SIZE = 10_000

#: Sessions writing batches at once in a batched load (see :meth:`Neo4jBackend.load`): two
#: keep a 2-core server busy while the client packs the next rows.
DEFAULT_WORKERS = 2


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
        read_timeout: float | None = DEFAULT_READ_TIMEOUT,
        transaction_timeout: float | None = None,
    ) -> None:
        self.driver = driver
        #: Seconds of server silence after which a call gives up (None: wait for ever), and
        #: the server-side limit of an ad-hoc statement (None: the server's own).
        self.read_timeout = read_timeout
        self.transaction_timeout = transaction_timeout
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

    def _watch(self) -> Any:
        """Bound what follows to :attr:`read_timeout` seconds of server silence."""
        return server_watch(self.read_timeout, self.description or "the server")

    def _default_database(self) -> str:
        import neo4j

        with (
            self._watch(),
            translated_errors(self),
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
        check_single_statement(cypher)

        from neo4j import unit_of_work

        @unit_of_work(timeout=self.transaction_timeout)
        def work(tx: neo4j.ManagedTransaction) -> QueryResult:
            if not write:
                check_server_read_only(tx, cypher, parameters)
            result = tx.run(cypher, parameters)
            columns = list(result.keys())
            rows = [[plain_neo4j(value) for value in record.values()] for record in result]
            return QueryResult(columns, rows)

        with (
            self._watch(),
            translated_errors(self, statement=cypher),
            self._session(write=write) as session,
        ):
            if write:
                return session.execute_write(work)
            return session.execute_read(work)

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, as :meth:`KnowledgeBase.counts`."""
        with self._watch(), translated_errors(self), self._session(write=False) as session:
            counts = session.execute_read(self._stored_counts)
        return {name: total for name, total in sorted(counts.items()) if total}

    @staticmethod
    def _stored_counts(tx: neo4j.ManagedTransaction) -> dict[str, int]:
        # Label and type counts come from Neo4j's count store: no scan. One statement, a UNION
        # of one count per label and type (one statement each took 66 ms for the 27).
        parts = [
            f"MATCH (n:{quote_identifier(label, SCHEMA.labels)}) "
            f"RETURN {index} AS part, count(n) AS total"
            for index, label in enumerate(SCHEMA.labels)
        ]
        parts += [
            f"MATCH ()-[r:{quote_identifier(type_, SCHEMA.types)}]->() "
            f"RETURN {len(SCHEMA.labels) + index} AS part, count(r) AS total"
            for index, type_ in enumerate(SCHEMA.types)
        ]
        names = (*SCHEMA.labels, *SCHEMA.types)
        counts = dict.fromkeys(names, 0)
        for part, total in tx.run(" UNION ALL ".join(parts)):
            counts[names[part]] = total
        return counts

    # -- loading -------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (IF NOT EXISTS) and wait until they are online."""
        statements = dict(zip(neo4j_index_names(), neo4j_schema_statements(), strict=True))
        statements["biocluster_load_lock"] = LOAD_LOCK_CONSTRAINT
        with self._watch(), translated_errors(self), self._session(write=True) as session:
            # A constraint's index has the constraint's name: one look finds both.
            existing = {name for (name,) in session.run(INDEX_NAMES).values()}
            missing = [statement for name, statement in statements.items() if name not in existing]
            for statement in missing:
                # Schema changes cannot share a transaction with data writes: auto-commit.
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
            # Every label, type and property of the schema is known to the database even when
            # no record has it yet (a fact with several citations, a measure left out): a
            # library question reading it then answers null without the server's warning
            # "property key does not exist", which the driver logs to stderr and Neo4j
            # Browser shows beside the answer.
            for procedure, names in (
                ("db.createLabel", SCHEMA.labels),
                ("db.createRelationshipType", SCHEMA.types),
                ("db.createProperty", SCHEMA.property_names()),
            ):
                session.run(
                    f"UNWIND $names AS name CALL {procedure}(name)", {"names": list(names)}
                ).consume()

    def load(self, kb: KnowledgeBase, *, progress: bool = False) -> LoadReport:
        """Make the database hold exactly ``kb`` and report what changed (see the module)."""
        from biocluster_kg.cypher.loading import FORGET_WORKSPACE

        with self._watch() as heard:
            # Whoever loads next records its workspace (Session.load); until then none.
            self.run(FORGET_WORKSPACE, write=True)
            return self._load(kb, progress, heard)

    def _load(self, kb: KnowledgeBase, progress: bool, heard: Callable[[], None]) -> LoadReport:
        started = time.perf_counter()
        plan = LoadPlan.of(kb)
        self.ensure_schema()
        heard()
        with translated_errors(self, loading=True), self._load_lock():
            # Read under the lock: a load that ran meanwhile has committed by now, so the
            # change is worked out against what the database really holds.
            stored = self._snapshot()
            report, steps = plan_changes(plan, stored)
            self._elements = dict(stored.nodes)
            self.last_load_batched = False
            size = sum(len(step.rows) for step in steps)
            heard()
            with progress_bar(progress, size, "Loading Neo4j") as shown:

                def advance(records: int) -> None:
                    # The server confirmed a batch: only silence counts towards the timeout.
                    heard()
                    shown(records)

                if self.transaction_limit is None:
                    self.transaction_limit = self._server_transaction_limit()
                if size <= self.transaction_limit:
                    try:
                        self._write_in_one_transaction(steps, advance)
                    except TransactionTooLarge:
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
                settings = dict(session.run(query, names=list(MEMORY_SETTINGS)).values())
        except neo4j_errors.ClientError:  # not allowed to read settings: assume a 1 GiB heap
            return DEFAULT_TRANSACTION_LIMIT
        return transaction_limit_for(settings)

    @contextmanager
    def _load_lock(self) -> Iterator[None]:
        """Hold the load lock for the whole load: a second load waits here for this one."""
        with self._session(write=True) as session:
            transaction = session.begin_transaction()
            try:
                transaction.run(LOAD_LOCK).consume()
                yield
            finally:
                # A lost connection has released the lock already; keep the first error.
                with suppress(Exception):
                    transaction.rollback()

    def _snapshot(self) -> StoredState:
        """What the database holds now, keyed by label/type then id (as Ladybug's), and the
        element id of every node and relationship."""

        # One statement for the nodes and one for the relationships (one per label and type
        # took 97 of the 120 ms a reload of the shipped knowledge base took).
        labels = expand_placeholders("{{labels}}", "neo4j")
        types = expand_placeholders("{{types}}", "neo4j")
        node_query = (
            f"MATCH (n:{labels}) "
            "RETURN labels(n) AS labels, n.id AS id, elementId(n) AS element, "
            "properties(n) AS props"
        )
        relationship_query = (
            f"MATCH (a)-[r:{types}]->(b) RETURN type(r) AS type, r.id AS id, "
            "elementId(r) AS element, a.id AS start, b.id AS end, properties(r) AS props"
        )

        def read(tx: neo4j.ManagedTransaction) -> StoredState:
            stored = StoredState({}, {}, {})
            nodes: dict[str, dict[str, Any]] = {label: {} for label in SCHEMA.labels}
            for node_labels, record_id, element, props in tx.run(node_query):
                props.pop("id", None)
                for label in node_labels:
                    if label in nodes:  # a label outside the schema is not read
                        nodes[label][record_id] = props
                        stored.nodes[record_id] = element
            relationships: dict[str, dict[str, Any]] = {type_: {} for type_ in SCHEMA.types}
            for type_, record_id, element, start, end, props in tx.run(relationship_query):
                props.pop("id", None)
                relationships[type_][record_id] = (start, end, props)
                stored.relationships[record_id] = element
            for name, records in (*nodes.items(), *relationships.items()):
                if records:
                    stored.state[name] = records
            return stored

        with self._session(write=False) as session:
            return session.execute_read(read)

    def _write_in_one_transaction(self, steps: list[Step], advance: Callable[[int], None]) -> None:
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
                if error.code == OUT_OF_MEMORY:
                    raise TransactionTooLarge(str(error)) from error
                raise

    def _write_in_batches(
        self,
        steps: list[Step],
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
                _, restore = plan_changes(LoadPlan.of(knowledge_base_of(old)), current)
                self._elements = dict(current.nodes)
                self._write_phases(restore, lambda steps: None)
            except Exception as restore_error:
                raise LoadError(
                    f"loading into Neo4j failed ({error}) and restoring the previous knowledge "
                    f"base failed too ({restore_error}); run the load again"
                ) from error
            raise

    def _write_phases(self, steps: list[Step], advance: Callable[[int], None]) -> None:
        """The steps phase by phase (see :func:`plan_changes`); a phase's batches, which do not
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
        work: list[tuple[Step, list[Any]]],
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

    def _run_batch(self, tx: neo4j.ManagedTransaction, step: Step, batch: list[Any]) -> None:
        from neo4j import exceptions as neo4j_errors

        parameters: dict[str, Any] = {"rows": batch}
        if step.phase == NEW_RELATIONSHIPS:
            try:
                parameters["elements"] = {
                    node_id: self._elements[node_id] for row in batch for node_id in row[:2]
                }
            except KeyError as missing:
                raise LoadError(f"node {missing.args[0]} is not in the database") from None
        try:
            result = tx.run(step.query, parameters)
            if step.phase == NEW_NODES:
                created: dict[str, str] = {record[0]: record[1] for record in result}
                self._elements.update(created)
                written = len(created)
            else:
                written = sum(record["total"] for record in result)
        except neo4j_errors.TransientError as error:
            if error.code == OUT_OF_MEMORY:
                # Retrying cannot help: the change needs more memory than one transaction gets.
                raise TransactionTooLarge(str(error)) from error
            raise
        if step.phase in REMOVALS:
            return
        if written != len(batch):
            raise LoadError(
                f"{len(batch) - written} of {len(batch)} rows did not find the nodes or "
                "relationships they need (was the database changed during the load?)"
            )
