"""The project's exceptions: one root, narrow subclasses.

Every failure the project reports on purpose is a :class:`BioclusterError`. The CLI turns
one into ``Error: <message>`` and exit status 1; driver and parser errors are re-raised as
one of these ``from`` the original so that callers never need to know the drivers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BioclusterError",
    "Problem",
    "ValidationError",
    "CheckError",
    "SourceError",
    "QueryError",
    "QueryFileError",
    "QueryParameterError",
    "CypherError",
    "ReadOnlyError",
    "BackendError",
    "StoreLockedError",
    "Neo4jUnavailableError",
    "Neo4jAuthError",
    "DatabaseNotFoundError",
    "LoadError",
    "WorkspaceMismatchError",
    "ExportError",
    "RenderError",
    "AnalysisError",
    "NameLookupError",
    "UnknownNameError",
    "AmbiguousNameError",
]


class BioclusterError(Exception):
    """Root of every error this project raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class ValidationError(BioclusterError):
    """Input data is invalid; carries one :class:`Problem` per fault found."""

    #: Problems shown in the message; the rest are counted (a generated file with 12,000
    #: faults would otherwise print 12,000 lines). :attr:`full_message` lists every one.
    SHOWN_PROBLEMS = 50

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        lines = [f"invalid data ({head}):"] + [f"  {p}" for p in self.problems]
        self.full_message = "\n".join(lines)
        shown = lines[: self.SHOWN_PROBLEMS + 1]
        if count > self.SHOWN_PROBLEMS:
            shown.append(
                f"  ... and {count - self.SHOWN_PROBLEMS} more "
                "(set BIOCLUSTER_ALL_PROBLEMS=1 to list them all)"
            )
        super().__init__("\n".join(shown))


class CheckError(ValidationError):
    """The knowledge base and its source disagree (names not written, figures not carried)."""

    def __init__(self, problems: list[Problem], head: str):
        # Same shape as ValidationError (one problem a line), with a head that says what
        # kind of disagreement it is rather than "invalid data".
        self.problems = list(problems)
        self.head = head
        count = len(self.problems)
        counted = "1 problem" if count == 1 else f"{count} problems"
        lines = [f"{head} ({counted}):"] + [f"  {p}" for p in self.problems]
        BioclusterError.__init__(self, "\n".join(lines))


class SourceError(BioclusterError):
    """A source document is missing or unreadable."""


class QueryError(BioclusterError):
    """A library query cannot be found or run."""


class QueryFileError(QueryError):
    """A ``.cypher`` file's header is malformed or disagrees with its body."""


class QueryParameterError(QueryError):
    """Parameters given to a query are missing, unknown or of the wrong type."""


class CypherError(QueryError):
    """The database rejected a Cypher statement (syntax, semantics or runtime)."""


class ReadOnlyError(QueryError):
    """A write was attempted through a read-only entry point."""


class BackendError(BioclusterError):
    """A store cannot be opened, reached or written."""


class StoreLockedError(BackendError):
    """The embedded store is held by another process."""


class Neo4jUnavailableError(BackendError):
    """No Neo4j server answers at the configured URI."""


class Neo4jTimeoutError(Neo4jUnavailableError):
    """The Neo4j server stopped answering for longer than the read timeout."""


class Neo4jAuthError(BackendError):
    """Neo4j refused the configured user name or password."""


class DatabaseNotFoundError(BackendError):
    """The named Neo4j database does not exist on the server."""


class LoadError(BackendError):
    """Loading the knowledge base into a store failed; the previous state was kept."""


class WorkspaceMismatchError(BackendError):
    """The store holds another workspace than the one named (``--data``)."""


class ExportError(BioclusterError):
    """An export cannot be produced with the given options."""


class RenderError(BioclusterError):
    """The network page cannot be rendered with the given options."""


class AnalysisError(BioclusterError):
    """A network measure was asked of a graph it does not apply to."""


class NameLookupError(BioclusterError):
    """A name or id given to find a node matches none, or several.

    ``name`` is the text as given; ``candidates`` the ids it may have meant (the closest
    nodes for an unknown name, every match for an ambiguous one), for callers that offer
    a choice instead of the message."""

    def __init__(self, name: str, candidates: tuple[str, ...], message: str):
        super().__init__(message)
        self.name = name
        self.candidates = candidates


class UnknownNameError(NameLookupError):
    """No node is called the name given (the message suggests the closest ones)."""


class AmbiguousNameError(NameLookupError):
    """Several nodes are called the name given (the message lists them)."""
