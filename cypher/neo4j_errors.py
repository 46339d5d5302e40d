"""Neo4j driver errors turned into the project's own (:class:`translated_errors`), and the
error of a change too large for one transaction."""

from __future__ import annotations

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
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend

__all__ = ["ACCESS_MODE", "OUT_OF_MEMORY", "TransactionTooLarge", "translated_errors"]

ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"

OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


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
                raise ReadOnlyError(
                    "the server refused a write: this statement runs read-only; "
                    "pass --write (write=True) to allow writes"
                ) from error
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
