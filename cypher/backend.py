"""The one interface both stores implement.

Callers load a :class:`~biocluster_kg.kernel.model.KnowledgeBase`, run library queries by name and
run ad-hoc Cypher; results come back as plain Python values (str, int, float, bool, None,
lists and dicts of those), never driver objects, so callers cannot tell the stores apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["QueryResult", "LoadReport", "Backend"]


@dataclass
class QueryResult:
    """Column names and rows (each row a list aligned with the columns)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class LoadReport:
    """What a load changed: counts of nodes and relationships created, updated, removed."""

    backend: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return (
            any(self.created.values()) or any(self.updated.values()) or any(self.removed.values())
        )


class Backend(Protocol):
    """A store of the knowledge base that runs Cypher."""

    name: str

    def load(self, kb: KnowledgeBase, *, progress: bool = False) -> LoadReport:
        """Make the store hold exactly ``kb``, atomically, and report what changed."""
        ...

    def run(
        self,
        cypher: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
    ) -> QueryResult:
        """Run one Cypher statement; read-only unless ``write`` is true."""
        ...

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type currently stored."""
        ...

    def close(self) -> None:
        """Release the store (file lock or driver)."""
        ...
