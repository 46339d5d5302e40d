"""The production store: a Neo4j 5 server (``bolt://`` or ``neo4j://``, any named database).

Loading first creates the constraints and indexes generated from the schema
(:func:`cypher.ddl.neo4j_schema_statements`, all ``IF NOT EXISTS``, awaited online), so that
every write finds its node through the ``id`` uniqueness constraint and its relationship
through the per-type ``id`` index. Then:

1. The stored state is read (one read transaction) and compared with the new knowledge base,
   record by record (id, ends, property values): that gives the
   :class:`~cypher.backend.LoadReport` and the change set. Unchanged records are not written.
2. The change set is written with ``UNWIND $rows AS row`` batches, per label and per (type,
   FROM, TO): new nodes ``MERGE (n:`Label` {id: row.id}) SET n = row.props``; changed nodes
   are matched by id and ``SET n = row.props`` (which also removes properties no longer
   present); relationships are matched by their ``id`` property and updated the same way,
   deleted (removed ones, and ones whose ends changed, which are then created again) or
   CREATEd between their end nodes; removed nodes go last (DETACH DELETE). Knowing from the
   comparison what is new and what changed keeps every query a plain index seek.
3. A change set of up to ``transaction_limit`` records (default
   :data:`DEFAULT_TRANSACTION_LIMIT`) is written in ONE managed transaction
   (``session.execute_write``, which retries transient errors): readers see the old knowledge
   base until the commit, and a failure anywhere rolls all of it back.
4. A larger change set does not fit one transaction on a small heap (Neo4j caps a
   transaction's memory; with a 1 GiB heap 122k records fit and 183k did not), so it is
   written one batch per transaction. Should a batch fail, the previous state (the snapshot of
   step 1) is written back before the error is raised. Readers may then see a partly applied
   load while it runs; :attr:`Neo4jBackend.last_load_batched` says it happened. A first load
   of a large knowledge base into an empty database is the usual case.

Ad-hoc statements run in managed transactions too; read-only ones in a READ access-mode
session, where the server itself refuses writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, NamedTuple

from cypher.backend import LoadReport, QueryResult
from cypher.ddl import neo4j_schema_statements
from cypher.loading import (
    LoadPlan,
    finish_report,
    node_state,
    progress_bar,
    relationship_state,
    tally,
)
from cypher.statements import check_parameters, check_read_only
from cypher.values import plain_neo4j
from graph.errors import BackendError, CypherError, LoadError, Neo4jUnavailableError, ReadOnlyError
from graph.schema import SCHEMA, quote_identifier

if TYPE_CHECKING:
    import neo4j

    from graph.model import KnowledgeBase, Node, Relationship

__all__ = ["Neo4jBackend", "DEFAULT_BATCH_SIZE", "DEFAULT_TRANSACTION_LIMIT"]

#: Rows per UNWIND batch.
DEFAULT_BATCH_SIZE = 10_000

#: Changed records (written or deleted) one transaction may carry. Measured on Neo4j 5.26
#: with a 1 GiB heap (transaction memory capped at 70% of it): 122k new records fit in one
#: transaction, 183k did not. A larger change is written batch by batch (see the module);
#: a server with a larger heap can take a larger limit.
DEFAULT_TRANSACTION_LIMIT = 100_000

_ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"

#: Loads take turns: each holds a lock node that exists only inside a transaction it never
#: commits. MERGE on a uniquely constrained key waits while another transaction holds that key,
#: and the lock goes when its transaction ends, also when a client dies (the server drops it).
_LOAD_LOCK_CONSTRAINT = (
    "CREATE CONSTRAINT biocluster_load_lock IF NOT EXISTS "
    "FOR (lock:`BioclusterLoadLock`) REQUIRE lock.id IS UNIQUE"
)
_LOAD_LOCK = "MERGE (lock:`BioclusterLoadLock` {id: 'load'})"
_OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"

_FLOAT_PROPERTIES = frozenset(
    p.name
    for p in (*SCHEMA.all_node_properties(), *SCHEMA.all_relationship_properties())
    if p.type == "float"
)


def _node_create(label: str) -> str:
    """New nodes: MERGE on the id (the uniqueness constraint's index), then all properties."""
    quoted = quote_identifier(label, SCHEMA.labels)
    return (
        f"UNWIND $rows AS row MERGE (n:{quoted} {{id: row.id}}) SET n = row.props "
        "RETURN count(*) AS total"
    )


def _node_update(label: str) -> str:
    """Changed nodes: ``SET n = map`` replaces every property, removing those left out."""
    quoted = quote_identifier(label, SCHEMA.labels)
    return (
        f"UNWIND $rows AS row MATCH (n:{quoted} {{id: row.id}}) SET n = row.props "
        "RETURN count(*) AS total"
    )


def _node_delete(label: str) -> str:
    quoted = quote_identifier(label, SCHEMA.labels)
    return (
        f"UNWIND $rows AS id MATCH (n:{quoted} {{id: id}}) DETACH DELETE n RETURN count(*) AS total"
    )


def _relationship_create(type_: str, start_label: str, end_label: str) -> str:
    """New relationships (or ones whose ends changed, deleted first) between their ends."""
    quoted = quote_identifier(type_, SCHEMA.types)
    start = quote_identifier(start_label, SCHEMA.labels)
    end = quote_identifier(end_label, SCHEMA.labels)
    return (
        "UNWIND $rows AS row "
        f"MATCH (s:{start} {{id: row.start}}) "
        f"MATCH (e:{end} {{id: row.end}}) "
        f"CREATE (s)-[r:{quoted}]->(e) SET r = row.props "
        "RETURN count(*) AS total"
    )


def _relationship_update(type_: str) -> str:
    """Changed relationships with the same ends, found by their ``id`` index."""
    quoted = quote_identifier(type_, SCHEMA.types)
    return (
        f"UNWIND $rows AS row MATCH ()-[r:{quoted} {{id: row.id}}]->() SET r = row.props "
        "RETURN count(*) AS total"
    )


def _relationship_delete(type_: str) -> str:
    quoted = quote_identifier(type_, SCHEMA.types)
    return (
        f"UNWIND $rows AS id MATCH ()-[r:{quoted} {{id: id}}]->() DELETE r RETURN count(*) AS total"
    )


def _props(record_id: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """What Neo4j stores: ``id`` and the non-null properties, floats as floats."""
    props: dict[str, Any] = {"id": record_id}
    for key, value in properties.items():
        if value is None:
            continue
        if key in _FLOAT_PROPERTIES and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        props[key] = value
    return props


def _node_rows(nodes: list[Node]) -> list[dict[str, Any]]:
    return [{"id": node.id, "props": _props(node.id, node.properties)} for node in nodes]


def _relationship_rows(rels: list[Relationship]) -> list[dict[str, Any]]:
    return [
        {"id": rel.id, "start": rel.start, "end": rel.end, "props": _props(rel.id, rel.properties)}
        for rel in rels
    ]


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
        transaction_limit: int = DEFAULT_TRANSACTION_LIMIT,
    ) -> None:
        self.driver = driver
        self.batch_size = batch_size
        self.transaction_limit = transaction_limit
        #: Whether the last load was too large for one transaction and went batch by batch.
        self.last_load_batched = False
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
        with _translated(self), self._session(write=True) as session:
            for statement in neo4j_schema_statements():
                # Schema changes cannot share a transaction with data writes: auto-commit.
                session.run(statement).consume()
            session.run(_LOAD_LOCK_CONSTRAINT).consume()
            session.run("CALL db.awaitIndexes(300)").consume()

    def load(self, kb: KnowledgeBase, *, progress: bool = False) -> LoadReport:
        """Make the database hold exactly ``kb`` and report what changed (see the module)."""
        started = time.perf_counter()
        plan = LoadPlan.of(kb)
        self.ensure_schema()
        with _translated(self, loading=True), self._load_lock():
            # Read under the lock: a load that ran meanwhile has committed by now, so the
            # change is worked out against what the database really holds.
            old = self._snapshot()
            report, steps = _changes(plan, old)
            self.last_load_batched = False
            size = sum(len(step.rows) for step in steps)
            with progress_bar(progress, size, "Loading Neo4j") as advance:
                if size <= self.transaction_limit:
                    try:
                        self._write_in_one_transaction(steps, advance)
                    except _TooLarge:
                        self._write_in_batches(steps, advance, old)
                else:
                    self._write_in_batches(steps, advance, old)
        report.seconds = time.perf_counter() - started
        return report

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

    def _snapshot(self) -> dict[str, dict[str, Any]]:
        """What the database holds now, keyed by label/type then id (as Ladybug's)."""

        def read(tx: neo4j.ManagedTransaction) -> dict[str, dict[str, Any]]:
            state: dict[str, dict[str, Any]] = {}
            for label in SCHEMA.labels:
                quoted = quote_identifier(label, SCHEMA.labels)
                query = f"MATCH (n:{quoted}) RETURN n.id AS id, properties(n) AS props"
                nodes = {}
                for record_id, props in tx.run(query):
                    props.pop("id", None)
                    nodes[record_id] = props
                if nodes:
                    state[label] = nodes
            for type_ in SCHEMA.types:
                quoted = quote_identifier(type_, SCHEMA.types)
                query = (
                    f"MATCH (a)-[r:{quoted}]->(b) "
                    "RETURN r.id AS id, a.id AS start, b.id AS end, properties(r) AS props"
                )
                rels = {}
                for record_id, start, end, props in tx.run(query):
                    props.pop("id", None)
                    rels[record_id] = (start, end, props)
                if rels:
                    state[type_] = rels
            return state

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
            with self._session(write=True) as session:
                for step in steps:
                    for batch in self._batches(step.rows):
                        session.execute_write(self._run_batch, step, batch)
                        advance(len(batch))
        except BaseException as error:
            try:
                _, restore = _changes(LoadPlan.of(_knowledge_base(old)), self._snapshot())
                with self._session(write=True) as session:
                    for step in restore:
                        for batch in self._batches(step.rows):
                            session.execute_write(self._run_batch, step, batch)
            except Exception as restore_error:
                raise LoadError(
                    f"loading into Neo4j failed ({error}) and restoring the previous knowledge "
                    f"base failed too ({restore_error}); run the load again"
                ) from error
            raise

    def _batches(self, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        size = self.batch_size
        return [rows[start : start + size] for start in range(0, len(rows), size)]

    def _run_batch(
        self, tx: neo4j.ManagedTransaction, step: _Step, batch: list[dict[str, Any]]
    ) -> None:
        from neo4j import exceptions as neo4j_errors

        try:
            written = sum(record["total"] for record in tx.run(step.query, rows=batch))
        except neo4j_errors.TransientError as error:
            if error.code == _OUT_OF_MEMORY:
                # Retrying cannot help: the change needs more memory than one transaction gets.
                raise _TooLarge(str(error)) from error
            raise
        if step.delete:
            return
        if written != len(batch):
            raise LoadError(
                f"{len(batch) - written} of {len(batch)} rows did not find the nodes or "
                "relationships they need (was the database changed during the load?)"
            )


class _TooLarge(LoadError):
    """One transaction cannot hold the change (the server's transaction memory limit)."""


class _Step(NamedTuple):
    """One query of a load and the rows it runs over (in batches)."""

    query: str
    rows: list[Any]
    delete: bool = False


def _changes(plan: LoadPlan, old: dict[str, dict[str, Any]]) -> tuple[LoadReport, list[_Step]]:
    """Compare the new knowledge base with the stored state: the report, and the writes that
    turn ``old`` into ``plan``, in an order that keeps every step valid: new nodes, changed
    nodes, relationship removals (also of those whose ends changed), new relationships,
    changed relationships, node removals."""
    report = LoadReport("neo4j")
    node_creates: list[_Step] = []
    node_updates: list[_Step] = []
    for label, nodes in plan.nodes.items():
        stored = old.get(label, {})
        states = {node.id: node_state(node) for node in nodes}
        tally(report, label, stored, states)
        created = [node for node in nodes if node.id not in stored]
        updated = [n for n in nodes if n.id in stored and stored[n.id] != states[n.id]]
        if created:
            node_creates.append(_Step(_node_create(label), _node_rows(created)))
        if updated:
            node_updates.append(_Step(_node_update(label), _node_rows(updated)))

    rel_creates: list[_Step] = []
    rel_updates: dict[str, list[Relationship]] = {}
    moved: dict[str, list[str]] = {}
    new_relationships: dict[str, dict[str, Any]] = {}
    for group in plan.relationships:
        stored = old.get(group.type, {})
        rel_states = {rel.id: relationship_state(rel) for rel in group.relationships}
        new_relationships.setdefault(group.type, {}).update(rel_states)
        to_create = []
        for rel in group.relationships:
            before = stored.get(rel.id)
            if before is None:
                to_create.append(rel)
            elif before[:2] != (rel.start, rel.end):
                moved.setdefault(group.type, []).append(rel.id)
                to_create.append(rel)
            elif before[2] != rel_states[rel.id][2]:
                rel_updates.setdefault(group.type, []).append(rel)
        if to_create:
            query = _relationship_create(group.type, group.start_label, group.end_label)
            rel_creates.append(_Step(query, _relationship_rows(to_create)))
    for type_, type_states in new_relationships.items():
        tally(report, type_, old.get(type_, {}), type_states)

    rel_deletes: list[_Step] = []
    for type_ in SCHEMA.types:
        stored = old.get(type_, {})
        keep = new_relationships.get(type_, {})
        if type_ not in new_relationships and stored:
            tally(report, type_, stored, {})
        removed = [rel_id for rel_id in stored if rel_id not in keep] + moved.get(type_, [])
        if removed:
            rel_deletes.append(_Step(_relationship_delete(type_), removed, delete=True))
    node_deletes: list[_Step] = []
    for label in SCHEMA.labels:
        stored = old.get(label, {})
        keep_ids = {node.id for node in plan.nodes.get(label, [])}
        if label not in plan.nodes and stored:
            tally(report, label, stored, {})
        removed = [node_id for node_id in stored if node_id not in keep_ids]
        if removed:
            node_deletes.append(_Step(_node_delete(label), removed, delete=True))
    update_steps = [
        _Step(_relationship_update(type_), _relationship_rows(rels))
        for type_, rels in rel_updates.items()
    ]
    steps = node_creates + node_updates + rel_deletes + rel_creates + update_steps + node_deletes
    return finish_report(report), steps


def _knowledge_base(state: dict[str, dict[str, Any]]) -> KnowledgeBase:
    """A knowledge base holding a snapshot's state (to write a previous state back)."""
    from graph.model import KnowledgeBase, Node, Relationship

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
