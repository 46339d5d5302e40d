"""The embedded store: a Ladybug database file, the default backend.

Loading builds a complete new database in a temporary file beside the store (tables from
:func:`biocluster_kg.cypher.ddl.ladybug_ddl`, rows through ``COPY FROM`` Arrow tables, the engine's
fastest path) and then renames it over the store. A reader therefore sees the old knowledge base or
the new one, never half of one; a failed or killed load leaves the old file untouched.

One writer at a time: loads and ``run(write=True)`` hold an exclusive ``fcntl`` lock on
``<store>.lock``, and Ladybug itself locks the database file of a read-write open, which is
checked before the rename. Readers open the file read-only, so the engine itself refuses
writes through ``run(write=False)``.

>>> import tempfile, pathlib
>>> from biocluster_kg.kernel.model import KnowledgeBase, Node
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "name_en": "A",
...                                            "kind": "company", "sector": "industry"}))
>>> with tempfile.TemporaryDirectory() as folder:
...     with LadybugBackend(pathlib.Path(folder) / "kb.lbug") as store:
...         report = store.load(kb)
...         rows = store.run("MATCH (n:`Organization`) RETURN n.name_ja AS name").rows
>>> report.created, rows
({'Organization': 1}, [['甲']])
"""

from __future__ import annotations

import errno
import fcntl
import glob
import os
import re
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from biocluster_kg.cypher.backend import LoadReport, QueryResult
from biocluster_kg.cypher.ddl import LADYBUG_TYPES, WORKSPACE_LABEL, ladybug_ddl
from biocluster_kg.cypher.dialect_hints import hinted
from biocluster_kg.cypher.dialects import expand_placeholders
from biocluster_kg.cypher.ladybug_read_only import check_plan
from biocluster_kg.cypher.ladybug_rows import node_rows, relationship_rows, sparse_rows
from biocluster_kg.cypher.loading import (
    LoadPlan,
    add_counts,
    finish_report,
    node_state,
    progress_bar,
    relationship_state,
    tally,
)
from biocluster_kg.cypher.statements import (
    check_parameters,
    check_read_only,
    check_single_statement,
    strip_literals,
)
from biocluster_kg.cypher.store_files import (
    RECOVERY_FILES,
    RECOVERY_PENDING,
    TORN_LOG,
    check_store_contents,
    filesystem_errors,
    side_file,
    store_file,
)
from biocluster_kg.cypher.values import plain_ladybug
from biocluster_kg.kernel.errors import (
    BackendError,
    CypherError,
    LoadError,
    ReadOnlyError,
    StoreLockedError,
)
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

if TYPE_CHECKING:
    import ladybug
    import pyarrow

    from biocluster_kg.kernel.model import KnowledgeBase, Relationship

__all__ = ["DEFAULT_STORE", "LadybugBackend"]

#: The store used when none is given, relative to the working directory.
DEFAULT_STORE = Path(".biocluster") / "knowledge.lbug"

_LOCKED = re.compile(r"Could not set lock on file|Lock is held by PID", re.IGNORECASE)
_READ_ONLY = re.compile(r"read-only database|READ ONLY mode", re.IGNORECASE)
_ENGINE_PREFIX = re.compile(r"^[A-Za-z ]+ exception: ")
#: How many read texts a backend remembers as checked (the library has 16 questions, each
#: with a few id checks).
_CHECKED_READS = 256
_SEVERAL_STATEMENTS = re.compile(r"multiple statements", re.IGNORECASE)
_SYNTAX = re.compile(r"^Parser exception", re.IGNORECASE)
_PLAN_PREFIX = re.compile(r"^\s*(?:EXPLAIN|PROFILE)\b", re.IGNORECASE)


def _to_stderr(message: str) -> None:
    print(f"Note: {message}", file=sys.stderr, flush=True)


def _recovery_pending(error: BaseException) -> bool:
    """The engine refuses the store until a read-write open finishes its recovery: an
    interrupted checkpoint, or a write-ahead log torn by a writer killed mid-write."""
    return bool(RECOVERY_PENDING.search(str(error)) or TORN_LOG.search(str(error)))


class LadybugBackend:
    """The knowledge base in one Ladybug file (default ``.biocluster/knowledge.lbug``)."""

    name = "ladybug"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else DEFAULT_STORE
        # Where a rare, slow step (recovering an interrupted write) is announced.
        self.notice = notice if notice is not None else _to_stderr
        self._reader: tuple[ladybug.Database, ladybug.Connection] | None = None
        self._reader_inode: int | None = None
        # Texts the engine has planned as one reading statement: the verdict depends on the
        # text only (its statements and operators, not the parameter values), and planning a
        # question again costs as much as running it.
        self._checked_reads: dict[str, None] = {}

    # -- context management -------------------------------------------------------------

    def __enter__(self) -> LadybugBackend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the read-only handle, if one is open."""
        if self._reader is not None:
            database, connection = self._reader
            self._reader = None
            connection.close()
            database.close()

    def __repr__(self) -> str:
        return f"LadybugBackend({str(self.path)!r})"

    @property
    def location(self) -> str:
        """Where the knowledge base is, for messages."""
        return str(self.path)

    # -- paths and locks -----------------------------------------------------------------

    @property
    def file(self) -> Path:
        """The store's file: ``path`` with symlinks followed, checked to be a regular file."""
        return store_file(self.path)

    @property
    def lock_path(self) -> Path:
        return self.file.with_name(self.file.name + ".lock")

    def _locked_message(self, detail: str = "") -> str:
        return (
            f"the embedded store {self.path} is in use by another process{detail}; "
            "wait for it to finish (or stop it) and try again"
        )

    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """Hold ``<store>.lock`` exclusively, or raise StoreLockedError at once."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    raise StoreLockedError(
                        self._locked_message(" (it is loading or writing)")
                    ) from error
                raise
            yield
        finally:
            os.close(descriptor)

    @contextmanager
    def _engine_lock(self) -> Iterator[None]:
        """Hold the record lock Ladybug's read-write open takes on the store file.

        A process that has the store open for writing without our lock file (another tool,
        an older version) holds it; replacing the file under it would lose its writes.
        """
        if not self.file.exists():
            yield
            return
        descriptor = os.open(self.file, os.O_RDWR)
        try:
            try:
                fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    raise StoreLockedError(
                        self._locked_message(" (it holds the file open)")
                    ) from error
                raise
            yield
        finally:
            os.close(descriptor)

    def _check_not_held(self) -> None:
        with self._engine_lock():
            pass

    # -- opening -------------------------------------------------------------------------

    def _open(
        self, path: Path, *, read_only: bool, replay_torn_log: bool = False
    ) -> tuple[ladybug.Database, Any]:
        import ladybug

        try:
            database = ladybug.Database(
                str(path),
                read_only=read_only,
                # Replays the committed writes of a torn log and stops where it tears (the
                # killed write, never committed) instead of refusing the store.
                throw_on_wal_replay_failure=not replay_torn_log,
            )
            return database, ladybug.Connection(database)
        except (RuntimeError, MemoryError) as error:
            # A damaged file can make the engine fail to allocate (std::bad_alloc).
            message = str(error)
            if _LOCKED.search(message):
                pid = re.search(r"PID (\d+)", message)
                detail = f" (pid {pid.group(1)})" if pid else ""
                raise StoreLockedError(self._locked_message(detail)) from error
            raise BackendError(f"cannot open the embedded store {path}: {message}") from error

    def _require_store(self) -> int:
        """The store file's inode; BackendError if there is no store yet."""
        try:
            inode = self.file.stat().st_ino
        except FileNotFoundError:
            raise BackendError(
                f"no knowledge base at {self.path}: run `biocluster load` first"
            ) from None
        check_store_contents(self.file, self.path)
        return inode

    def _reader_connection(self) -> Any:
        inode = self._require_store()
        if self._reader is not None and inode != self._reader_inode:
            # A load replaced the file since this handle opened it: read the new one.
            self.close()
        if self._reader is None:
            try:
                self._reader = self._open(self.file, read_only=True)
            except BackendError as error:
                if not _recovery_pending(error):
                    raise
                with self._writer_lock():
                    self._recover(error)
                self._reader = self._open(self.file, read_only=True)
                inode = self._require_store()
            self._reader_inode = inode
        return self._reader[1]

    # -- recovering an interrupted write ------------------------------------------------

    def _recover(self, error: BaseException | None = None) -> None:
        """Finish the checkpoint a killed writer left (under the writer lock).

        Only a read-write open does it; until then the engine refuses every read-only open.
        The write had committed (its log is complete), so the recovered store holds it.
        """
        self._check_not_held()
        log = side_file(self.file, ".wal")
        torn = bool(TORN_LOG.search(str(error))) if error is not None else self._torn_log()
        if torn:
            # Kept, never deleted: what the killed write had logged stays inspectable.
            kept = log.with_name(f"{log.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
            if kept.exists():
                kept = kept.with_name(f"{kept.name}-{os.getpid()}")
            shutil.copy2(log, kept)
            self.notice(
                f"the embedded store {self.path} has a damaged write-ahead log: a write was "
                "stopped while it was being logged, and it never completed. The store is "
                "opened at its last committed state (every completed write is kept); the "
                f"damaged log is kept as {kept}"
            )
        else:
            self.notice(
                f"the embedded store {self.path} was left mid-write by a process that was "
                "stopped; finishing its last write before reading (this can take a while)"
            )
        try:
            database, connection = self._open(self.file, read_only=False, replay_torn_log=torn)
        except BackendError as error:
            raise BackendError(
                f"the embedded store {self.path} was left mid-write and cannot be recovered "
                f"({error}); run `biocluster load` to rebuild it from the data files"
            ) from error
        connection.close()
        database.close()

    def _torn_log(self) -> bool:
        """Whether the store's write-ahead log fails the engine's checksum (asked with a
        read-only open, which changes nothing)."""
        if not side_file(self.file, ".wal").exists():
            return False
        try:
            database, connection = self._open(self.file, read_only=True)
        except BackendError as error:
            return bool(TORN_LOG.search(str(error)))
        connection.close()
        database.close()
        return False

    def _leftover_checkpoint(self) -> bool:
        return any(side_file(self.file, suffix).exists() for suffix in RECOVERY_FILES[1:])

    # -- queries -------------------------------------------------------------------------

    def run(
        self,
        cypher: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
    ) -> QueryResult:
        """Run one statement; read-only (enforced by the engine) unless ``write``."""
        parameters = dict(parameters or {})
        check_parameters(cypher, parameters)
        # The text checks first: the engine binds some statements while it plans them
        # (EXPORT DATABASE makes its folder), so those must never reach it read-only.
        if not write:
            check_read_only(cypher)
            check_single_statement(cypher)
            with filesystem_errors(self.path, "read"):
                connection = self._reader_connection()
                self._check_engine_read_only(connection, cypher, parameters)
                return self._execute(connection, cypher, parameters)
        check_single_statement(cypher)
        with filesystem_errors(self.path, "write to"):
            self._require_store()
            self.close()
            with self._writer_lock():
                try:
                    database, connection = self._open(self.file, read_only=False)
                except BackendError as error:
                    if not _recovery_pending(error):
                        raise
                    self._recover(error)
                    database, connection = self._open(self.file, read_only=False)
                try:
                    self._check_one_statement(connection, cypher)
                    return self._execute(connection, cypher, parameters)
                finally:
                    connection.close()
                    database.close()

    def _check_one_statement(self, connection: Any, cypher: str) -> None:
        """Have the engine's parser confirm ``cypher`` is one statement; preparing runs
        nothing, whereas executing a text of several runs them all before it can say so."""
        with warnings.catch_warnings():
            # prepare() is deprecated for running statements; here it only parses.
            warnings.simplefilter("ignore", DeprecationWarning)
            prepared = connection.prepare(cypher)
        try:
            if prepared.is_success():
                return
            message = prepared.get_error_message()
        finally:
            prepared.close()
        if _SEVERAL_STATEMENTS.search(message):
            raise CypherError("one statement at a time, please (found several; none was run)")
        if _SYNTAX.search(message):
            self._refuse(cypher, message, None)
        # Anything else (a name it does not know, a parameter of unknown type) is one
        # statement; running it gives the engine's own error with its parameters bound.

    def _check_engine_read_only(
        self, connection: Any, cypher: str, parameters: dict[str, Any]
    ) -> None:
        """Refuse ``cypher`` unless the engine plans it as one statement that only reads
        (:func:`~biocluster_kg.cypher.ladybug_read_only.check_plan`)."""
        if cypher in self._checked_reads:
            return
        if not parameters:
            # Without parameters the engine runs a text of several statements one after the
            # other; with them it prepares the text first, which refuses several (measured,
            # ladybug 0.22: test_read_only_bypass.py), so the EXPLAIN below is that check.
            self._check_one_statement(connection, cypher)
        prefix = _PLAN_PREFIX.match(strip_literals(cypher))
        body = cypher[prefix.end() :] if prefix else cypher
        try:
            result = connection.execute("EXPLAIN " + body, parameters)
        except RuntimeError as error:
            self._refuse(cypher, str(error), error)
        if isinstance(result, list):  # pragma: no cover - the parser saw one statement
            for part in result:
                part.close()
            raise CypherError("one statement at a time, please (found several)")
        try:
            rows = result.get_all()
        finally:
            result.close()
        check_plan("\n".join(str(row[0]) for row in rows))
        if len(self._checked_reads) >= _CHECKED_READS:
            self._checked_reads.pop(next(iter(self._checked_reads)))
        self._checked_reads[cypher] = None

    def _refuse(self, cypher: str, error_text: str, error: BaseException | None) -> NoReturn:
        message = _ENGINE_PREFIX.sub("", error_text).strip()
        if _SEVERAL_STATEMENTS.search(message):
            raise CypherError(
                "one statement at a time, please (found several; none was run)"
            ) from error
        if _READ_ONLY.search(message):
            raise ReadOnlyError(
                "the store refused a write: this statement runs read-only; "
                "pass --write (write=True) to allow writes"
            ) from error
        raise CypherError(hinted(self.name, cypher, message)) from error

    def _execute(self, connection: Any, cypher: str, parameters: dict[str, Any]) -> QueryResult:
        try:
            result = connection.execute(cypher, parameters)
        except RuntimeError as error:
            self._refuse(cypher, str(error), error)
        if isinstance(result, list):
            for extra in result:
                extra.close()
            raise CypherError("one statement at a time, please (found several)")
        try:
            columns = result.get_column_names()
            rows = [plain_ladybug(row) for row in result.get_all()]
        finally:
            result.close()
        return QueryResult(list(columns), rows)

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, as :meth:`KnowledgeBase.counts`."""
        with filesystem_errors(self.path, "read"):
            return self._counts()

    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for cypher in (
            "MATCH (n) RETURN label(n) AS name, count(*) AS total",
            "MATCH ()-[r]->() RETURN label(r) AS name, count(*) AS total",
        ):
            for name, total in self._execute(self._reader_connection(), cypher, {}).rows:
                if name != WORKSPACE_LABEL:  # the store's note of its workspace, no fact
                    counts[name] = total
        return dict(sorted(counts.items()))

    # -- loading -------------------------------------------------------------------------

    def load(self, kb: KnowledgeBase, *, progress: bool = False) -> LoadReport:
        """Replace the store's content with ``kb`` atomically and report what changed."""
        with filesystem_errors(self.path, "load into"):
            return self._load(kb, progress)

    def _load(self, kb: KnowledgeBase, progress: bool) -> LoadReport:
        started = time.perf_counter()
        plan = LoadPlan.of(kb)
        self.close()
        check_store_contents(self.file, self.path, empty_is_new=True)
        with self._writer_lock():
            self._check_not_held()
            self._remove_stale_temporaries()
            exists = self.file.exists() and self.file.stat().st_size > 0
            old, same_tables = self._previous() if exists else (None, False)
            report = self._report(plan, old)
            if same_tables and not report.changed:
                # The store already holds exactly this knowledge base: leave the file alone.
                report.seconds = time.perf_counter() - started
                return report
            temporary = self.file.with_name(f".{self.file.name}.loading-{os.getpid()}")
            try:
                self._build(temporary, plan, progress)
                with self._engine_lock():
                    # A write-ahead log or an unfinished checkpoint left by a killed writer
                    # belongs to the old file; replayed onto the new one it would corrupt it.
                    for suffix in RECOVERY_FILES:
                        with suppress(FileNotFoundError):
                            os.remove(side_file(self.file, suffix))
                    os.replace(temporary, self.file)
            except BaseException:
                # The engine's side files too: <tmp>.wal, .shadow, .wal.checkpoint, .*.lock.
                for leftover in temporary.parent.glob(glob.escape(temporary.name) + "*"):
                    with suppress(FileNotFoundError):
                        os.remove(leftover)
                raise
        report.seconds = time.perf_counter() - started
        return report

    def _previous(self) -> tuple[dict[str, dict[str, Any]] | None, bool]:
        """The old store's state for the report; a store left mid-write is recovered first,
        and one that cannot be recovered is replaced (``load`` can always rebuild it)."""
        try:
            return self._snapshot()
        except BackendError as error:
            if not (_recovery_pending(error) or self._leftover_checkpoint()):
                raise
            refusal = error
        try:
            self._recover(refusal)
            return self._snapshot()
        except BackendError as error:
            if not self._leftover_checkpoint():
                raise
            self.notice(f"{error}; replacing it with the knowledge base being loaded")
            return None, False

    def _remove_stale_temporaries(self) -> None:
        # Only called under the writer lock, so no other load owns one of these.
        for leftover in self.file.parent.glob(f".{glob.escape(self.file.name)}.loading-*"):
            with suppress(FileNotFoundError):
                leftover.unlink()

    def _build(self, path: Path, plan: LoadPlan, progress: bool) -> None:
        """Create the tables and COPY every group into a new database at ``path``.

        Building an Arrow table is Python work; COPY runs in the engine without the GIL. A
        worker thread copies one table while this thread builds the next.
        """
        import ladybug

        try:
            database = ladybug.Database(str(path), auto_checkpoint=False)
        except RuntimeError as error:
            raise LoadError(f"cannot create {path}: {error}") from error
        connection = ladybug.Connection(database)
        try:
            for statement in ladybug_ddl():
                connection.execute(statement)
            steps: list[tuple[str, Callable[[], pyarrow.Table], tuple[str, str] | None, int]] = [
                (label, partial(node_rows, nodes, plan.node_columns[label]), None, len(nodes))
                for label, nodes in plan.nodes.items()
            ]
            # Largest first: the copy of the last table cannot overlap any building, so make
            # it a small one.
            for group in sorted(plan.relationships, key=lambda g: -len(g.relationships)):
                key = (group.type, group.start_label, group.end_label)
                steps.append(
                    (
                        group.type,
                        partial(relationship_rows, group, plan.relationship_columns[key]),
                        (group.start_label, group.end_label),
                        len(group.relationships),
                    )
                )
            with (
                progress_bar(progress, plan.size, "Loading Ladybug") as advance,
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="ladybug-copy") as worker,
            ):
                pending: list[tuple[Future[None], int]] = []
                try:
                    for table_name, build_rows, pair, size in steps:
                        rows = build_rows()
                        pending.append(
                            (worker.submit(self._copy, connection, table_name, rows, pair), size)
                        )
                        # At most one table waits while another is copied: memory stays bounded.
                        while len(pending) > 1:
                            future, done = pending.pop(0)
                            future.result()
                            advance(done)
                    for future, done in pending:
                        future.result()
                        advance(done)
                except BaseException:
                    for future, _ in pending:
                        future.cancel()
                    raise
            connection.execute("CHECKPOINT")
        except RuntimeError as error:
            raise LoadError(
                f"loading into Ladybug failed, the previous store is unchanged: {error}"
            ) from error
        finally:
            connection.close()
            database.close()

    def _copy(
        self,
        connection: Any,
        table_name: str,
        table: pyarrow.Table,
        pair: tuple[str, str] | None,
    ) -> None:
        """``COPY`` an Arrow table into a node table, or a rel table for one (FROM, TO)."""
        allowed = (*SCHEMA.labels, *SCHEMA.types)
        names = tuple(name for name in table.column_names if name not in ("from", "to"))
        known = SCHEMA.property_names()
        columns = ", ".join(quote_identifier(name, known) for name in names)
        statement = f"COPY {quote_identifier(table_name, allowed)}({columns}) FROM $rows"
        if pair is not None:
            # The FROM/TO option values are labels from the allow-list.
            start, end = (quote_identifier(label, SCHEMA.labels).strip("`") for label in pair)
            statement += f" (from='{start}', to='{end}')"
        connection.execute(statement, {"rows": table})

    # -- reporting -----------------------------------------------------------------------

    def _snapshot(self) -> tuple[dict[str, dict[str, Any]], bool]:
        """The stored state of every node and relationship, keyed by label/type then id, and
        whether the store's tables are exactly those the schema defines now."""
        database, connection = self._open(self.file, read_only=True)
        try:
            catalog = self._catalog(connection)
            if catalog == _expected_catalog():
                return self._read_current_state(connection), True
            return self._read_state(connection, catalog), False
        finally:
            connection.close()
            database.close()

    def _catalog(self, connection: Any) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        """``(NODE|REL, table) -> ((column, type), ...)`` as the store declares them."""
        catalog = {}
        for _, name, kind, *_ in self._execute(connection, "CALL show_tables() RETURN *", {}).rows:
            if name == WORKSPACE_LABEL:  # which workspace the store holds: no fact
                continue
            info = self._execute(
                connection, f"CALL table_info('{_catalog_name(name)}') RETURN *", {}
            )
            catalog[(kind, name)] = tuple(sorted((row[1], row[2]) for row in info.rows))
            if kind == "REL":
                pairs = self._execute(
                    connection, f"CALL show_connection('{_catalog_name(name)}') RETURN *", {}
                )
                catalog[("PAIRS", name)] = tuple(sorted((row[0], row[1]) for row in pairs.rows))
        return catalog

    def _read_state(
        self, connection: Any, catalog: dict[tuple[str, str], tuple[tuple[str, str], ...]]
    ) -> dict[str, dict[str, Any]]:
        """Every record's state, reading the columns the store has (its schema may be older)."""
        state: dict[str, dict[str, Any]] = {}
        for (kind, table_name), columns in sorted(catalog.items()):
            if kind not in ("NODE", "REL"):
                continue
            names = [name for name, _ in columns if name != "id"]
            quoted = _catalog_name(table_name)
            if kind == "NODE":
                returns = "".join(f", n.`{_catalog_name(name)}`" for name in names)
                table = self._arrow(connection, f"MATCH (n:`{quoted}`) RETURN n.`id`{returns}")
                if table.num_rows:
                    ids = table.column(0).to_pylist()
                    state[table_name] = dict(zip(ids, sparse_rows(table, names, 1), strict=True))
            else:
                returns = "".join(f", r.`{_catalog_name(name)}`" for name in names)
                table = self._arrow(
                    connection,
                    f"MATCH (a)-[r:`{quoted}`]->(b) RETURN r.`id`, a.`id`, b.`id`{returns}",
                )
                if table.num_rows:
                    ids = table.column(0).to_pylist()
                    starts = table.column(1).to_pylist()
                    ends = table.column(2).to_pylist()
                    records = sparse_rows(table, names, 3)
                    state[table_name] = {
                        rel_id: (start, end, record)
                        for rel_id, start, end, record in zip(
                            ids, starts, ends, records, strict=True
                        )
                    }
        return state

    def _read_current_state(self, connection: Any) -> dict[str, dict[str, Any]]:
        """:meth:`_read_state` for a store whose tables are the schema's now (every node
        table has every node column, every relationship table every relationship column):
        two statements over all tables instead of one per table (shipped knowledge base:
        27 statements took 210-340 ms of a 400 ms reload)."""
        state: dict[str, dict[str, Any]] = {}
        node_names = tuple(p.name for p in SCHEMA.all_node_properties() if p.name != "id")
        labels = expand_placeholders("{{labels}}", "ladybug")
        returns = "".join(f", n.{quote_identifier(name, node_names)}" for name in node_names)
        table = self._arrow(connection, f"MATCH (n:{labels}) RETURN label(n), n.`id`{returns}")
        rows = zip(
            table.column(0).to_pylist(),
            table.column(1).to_pylist(),
            sparse_rows(table, node_names, 2),
            strict=True,
        )
        for label, node_id, record in rows:
            state.setdefault(label, {})[node_id] = record
        rel_names = tuple(p.name for p in SCHEMA.all_relationship_properties() if p.name != "id")
        types = expand_placeholders("{{types}}", "ladybug")
        returns = "".join(f", r.{quote_identifier(name, rel_names)}" for name in rel_names)
        table = self._arrow(
            connection,
            f"MATCH (a)-[r:{types}]->(b) RETURN label(r), r.`id`, a.`id`, b.`id`{returns}",
        )
        columns = [table.column(index).to_pylist() for index in range(4)]
        records = sparse_rows(table, rel_names, 4)
        for type_, rel_id, start, end, record in zip(*columns, records, strict=True):
            state.setdefault(type_, {})[rel_id] = (start, end, record)
        # In the order the per-table reads gave (the catalog's, sorted by kind and name).
        return {
            name: state[name] for name in sorted(state, key=lambda n: (n not in SCHEMA.labels, n))
        }

    @staticmethod
    def _arrow(connection: Any, cypher: str) -> pyarrow.Table:
        result = connection.execute(cypher)
        try:
            return result.get_as_arrow()
        finally:
            result.close()

    @staticmethod
    def _report(plan: LoadPlan, old: dict[str, dict[str, Any]] | None) -> LoadReport:
        report = LoadReport("ladybug")
        old = old or {}
        for label, nodes in plan.nodes.items():
            stored = old.get(label)
            if stored:
                tally(report, label, stored, {n.id: node_state(n) for n in nodes})
            else:
                add_counts(report, label, len(nodes), 0, 0, 0, len(nodes))
        by_type: dict[str, list[Relationship]] = {}
        for group in plan.relationships:
            by_type.setdefault(group.type, []).extend(group.relationships)
        for type_, rels in by_type.items():
            stored = old.get(type_)
            if stored:
                tally(report, type_, stored, {r.id: relationship_state(r) for r in rels})
            else:
                add_counts(report, type_, len(rels), 0, 0, 0, len(rels))
        for key, stored in old.items():
            if key not in report.totals:
                tally(report, key, stored, {})
        return finish_report(report)


_CATALOG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _catalog_name(name: str) -> str:
    """A table or column name read from a store's catalog, checked before it is quoted."""
    if not _CATALOG_NAME.fullmatch(name):
        raise BackendError(f"unexpected table or column name {name!r} in the store")
    return name


def _expected_catalog() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """What :meth:`LadybugBackend._catalog` returns for a store built from the schema now."""
    node_columns = tuple(
        sorted((p.name, LADYBUG_TYPES[p.type]) for p in SCHEMA.all_node_properties())
    )
    rel_columns = tuple(
        sorted((p.name, LADYBUG_TYPES[p.type]) for p in SCHEMA.all_relationship_properties())
    )
    catalog = {("NODE", label): node_columns for label in SCHEMA.labels}
    for rel in SCHEMA.relationships:
        catalog[("REL", rel.name)] = rel_columns
        catalog[("PAIRS", rel.name)] = tuple(sorted(rel.endpoints))
    return catalog
