"""Neo4j driver errors turned into the project's own (:class:`translated_errors`), the
error of a change too large for one transaction, and the server's own read-only check
(:func:`check_server_read_only`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.dialect_hints import hinted
from biocluster_kg.kernel.errors import (
    BackendError,
    CypherError,
    LoadError,
    Neo4jUnavailableError,
    ReadOnlyError,
)

if TYPE_CHECKING:
    import neo4j

    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend

__all__ = [
    "ACCESS_MODE",
    "OUT_OF_MEMORY",
    "TransactionTooLarge",
    "check_plan_reads",
    "check_server_read_only",
    "translated_errors",
]

ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"

OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


SERVER_REFUSED_WRITE = (
    "the server refused a write: this statement runs read-only; "
    "pass --write (write=True) to allow writes"
)
_PLAN_PREFIX = re.compile(r"^\s*(?:EXPLAIN|PROFILE)\s+", re.IGNORECASE)


def check_server_read_only(
    tx: neo4j.ManagedTransaction, cypher: str, parameters: Mapping[str, Any]
) -> None:
    """Ask the server what ``cypher`` is (``EXPLAIN`` plans it without running it) and raise
    :class:`ReadOnlyError` unless it is a read (``r``).

    A READ session already refuses data writes; this also refuses the procedures that change
    the schema or the server (kind ``s``), which a READ session lets through.
    """
    summary = tx.run("EXPLAIN " + _PLAN_PREFIX.sub("", cypher), dict(parameters)).consume()
    kind = summary.query_type
    if summary.plan is not None:
        check_plan_reads(summary.plan)
    if kind in ("w", "rw"):
        # Worded as the READ session's own refusal of a write: the same fact.
        raise ReadOnlyError(SERVER_REFUSED_WRITE)
    if kind is not None and kind != "r":
        raise ReadOnlyError(
            "the server says this statement changes the schema or the server (kind "
            f"{kind!r}), and it runs read-only; pass --write (write=True) if you mean it"
        )


#: Operators the server plans for statements it classifies as reads (``r``) though they
#: reach outside the data: LOAD CSV fetches URLs and reads server files, TERMINATE
#: TRANSACTIONS stops other sessions' work.
OUTSIDE_OPERATORS = {
    "LoadCSV": ("LOAD CSV", "reads files or URLs from the server"),
    "TerminateTransactions": ("TERMINATE TRANSACTIONS", "stops other sessions' transactions"),
}
#: Procedures a read may call: the database's own ``db.*`` reads (the server still refuses
#: the ``db.*`` ones that write, by their kind); other namespaces (APOC's file and URL
#: loaders, ``apoc.cypher.run`` and the like) may reach outside the data.
_READ_PROCEDURE = re.compile(r"^db\.[A-Za-z0-9_.]+\(")


def check_plan_reads(plan: Mapping[str, Any]) -> None:
    """Raise :class:`ReadOnlyError` if the server's ``EXPLAIN`` plan holds an operator that
    reaches outside the data, or a procedure call other than a ``db.*`` read.

    >>> try:
    ...     check_plan_reads({"operatorType": "ProduceResults@neo4j", "children": [
    ...         {"operatorType": "LoadCSV@neo4j", "args": {"Details": "l"}}]})
    ... except ReadOnlyError as error:
    ...     print(str(error)[:68])
    the server plans LOAD CSV, which reads files or URLs from the server
    """
    pending = [plan]
    while pending:
        operator = pending.pop()
        pending.extend(operator.get("children") or [])
        name = str(operator.get("operatorType", "")).split("@")[0]
        if name in OUTSIDE_OPERATORS:
            phrase, effect = OUTSIDE_OPERATORS[name]
            raise ReadOnlyError(
                f"the server plans {phrase}, which {effect}; a read-only "
                "statement may not do that; pass --write (write=True) if you mean it"
            )
        if name == "ProcedureCall":
            details = str((operator.get("args") or {}).get("Details", ""))
            if not _READ_PROCEDURE.match(details):
                procedure = details.split("(")[0] or "a procedure"
                raise ReadOnlyError(
                    f"the server plans a call of {procedure}, and a read-only statement may "
                    "call only the database's own db.* reads; pass --write (write=True) if "
                    "you mean it"
                )


class TransactionTooLarge(LoadError):
    """One transaction cannot hold the change (the server's transaction memory limit)."""


class translated_errors:
    """Turn driver errors into the project's own, ``from`` the original; a Cypher error of
    ``statement`` says how to fix it when the cause is a known dialect trap."""

    def __init__(
        self, backend: Neo4jBackend, *, loading: bool = False, statement: str | None = None
    ) -> None:
        self.backend = backend
        self.loading = loading
        self.statement = statement

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
            if error.code == ACCESS_MODE:
                raise ReadOnlyError(SERVER_REFUSED_WRITE) from error
            if self.loading:
                raise LoadError(f"loading into Neo4j failed: {message}{suffix}") from error
            if isinstance(error, neo4j_errors.ClientError):
                if self.statement is not None:
                    message = hinted("neo4j", self.statement, message)
                raise CypherError(message) from error
            raise BackendError(f"Neo4j at {where} failed: {message}{suffix}") from error
        if isinstance(error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
            raise Neo4jUnavailableError(
                f"lost the connection to Neo4j at {where}{suffix}"
            ) from error
        raise BackendError(f"Neo4j driver error at {where}: {error}{suffix}") from error
