"""Finding actors by what people call them: the use case behind ``biocluster find``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from biocluster_kg.kernel.errors import UnknownNameError

__all__ = ["FIND_COLUMNS", "find_rows", "for_people"]

#: Columns of the answer: stable English keys (JSON, CSV headers).
FIND_COLUMNS = ("id", "label", "kind", "sector", "name_ja", "name_en", "matched", "how")


def find_rows(
    data_dir: Path | None, text: str, labels: tuple[str, ...] | None, limit: int | None
) -> list[list[Any]]:
    """The actors ``text`` may mean, best first (exact, prefix, substring, close spelling
    above the name layer's floor), as rows of :data:`FIND_COLUMNS`; a name nothing matches
    is an error that quotes it and asks whether the nearest names were meant."""
    from biocluster_kg.kernel.names import find_actors, suggest_actors
    from biocluster_kg.kernel.schema import SCHEMA
    from biocluster_kg.kernel.sectors import effective_sectors
    from biocluster_kg.loaders import load_knowledge_base

    kb = load_knowledge_base(data_dir, allow_empty=True)
    chosen = labels or SCHEMA.actor_labels
    matches = find_actors(kb, text, limit=limit, labels=chosen)
    if not matches:
        # Below the similarity floor nothing is listed as a match (another university is
        # not "close" to the one in the data); the nearest names are offered, as a question.
        suggestions = suggest_actors(kb, text, labels=chosen)
        message = f"no actor matches {text!r}"
        if suggestions:
            message += "; did you mean " + ", ".join(m.describe() for m in suggestions) + "?"
        raise UnknownNameError(text, tuple(m.id for m in suggestions), message)
    sectors = effective_sectors(kb)
    rows = []
    for match in matches:
        node = kb.nodes[match.id]
        rows.append(
            [
                node.id,
                node.label,
                node.get("kind"),
                sectors.get(node.id),
                node.get("name_ja"),
                node.get("name_en"),
                match.matched,
                match.how,
            ]
        )
    return rows


def for_people(rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """Japanese column titles and the schema's names for the codes of :func:`find_rows`'
    rows (labels, kinds, sectors, how each matched), as the query answers have them."""
    from biocluster_kg.kernel.columns import localise_table
    from biocluster_kg.kernel.names import MATCH_KIND_NAMES

    how = FIND_COLUMNS.index("how")
    named = [
        [*row[:how], MATCH_KIND_NAMES["ja"].get(row[how], row[how]), *row[how + 1 :]]
        for row in rows
    ]
    titles, localised = localise_table(list(FIND_COLUMNS), named, "ja")
    return list(titles), [list(row) for row in localised]
