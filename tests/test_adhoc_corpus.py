"""One Cypher, one answer (issue 26): the ad-hoc corpus on a real Ladybug store and a real Neo4j.

Every statement of ``tests/adhoc_corpus.yaml`` (Neo4j's Cypher, as analysts type it) runs on
both stores, loaded with what ``biocluster load`` stores. On the embedded store it goes through
the ad-hoc path (:func:`~biocluster_kg.cypher.adhoc.run_adhoc`, what ``biocluster cypher``
calls): the answer must be Neo4j's rows, or a refusal with a ``hint:`` line; never other rows.
The last test prints the tally (same / refused with a hint / silently different).
"""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from biocluster_kg.cypher.adhoc import NotTranslated, run_adhoc
from biocluster_kg.kernel.errors import BioclusterError
from biocluster_kg.kernel.model import KnowledgeBase

CORPUS = yaml.safe_load((Path(__file__).parent / "adhoc_corpus.yaml").read_text("utf-8"))
#: The Neo4j backend's own bookkeeping label (its load lock), which Neo4j's db.labels() lists.
NEO4J_BOOKKEEPING = {"BioclusterLoadLock"}


@pytest.fixture(scope="module")
def store_kb(shipped_measured_kb: KnowledgeBase) -> KnowledgeBase:
    """What `biocluster load` stores: the facts and the measures overlay."""
    return shipped_measured_kb


def _value(value: Any, lists_unordered: bool) -> Any:
    """A value comparable across engines: numbers as floats to 12 digits (avg() may differ in
    the last bit), lists sorted when their order is not part of the answer."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return float(f"{number:.12g}") if math.isfinite(number) else number
    if isinstance(value, dict):
        # Keys in one order, so that rows sort alike whatever order each driver gives them.
        return {key: _value(value[key], lists_unordered) for key in sorted(value)}
    if isinstance(value, list | tuple):
        items = [_value(item, lists_unordered) for item in value]
        return sorted(items, key=repr) if lists_unordered else items
    return value


def _ordered(statement: str) -> bool:
    last_return = statement.upper().rfind("RETURN")
    return "ORDER BY" in statement.upper()[last_return:]


def _rows(entry: dict[str, Any], columns: list[str], rows: list[list[Any]]) -> list[Any]:
    unordered = bool(entry.get("lists_unordered"))
    values = [[_value(v, unordered) for v in row] for row in rows]
    if entry.get("neo4j_bookkeeping"):
        values = [row for row in values if row[0] not in NEO4J_BOOKKEEPING]
    if not _ordered(entry["cypher"]):
        values.sort(key=repr)
    return values


def outcome(entry: dict[str, Any], ladybug_store: Any, neo4j_store: Any) -> tuple[str, str]:
    """('same' | 'refused' | 'error' | 'different', detail) for one corpus entry."""
    parameters = entry.get("parameters") or {}
    try:
        expected = neo4j_store.run(entry["cypher"], parameters)
    except BioclusterError as error:
        expected = None
        neo4j_error = str(error)
    try:
        answer = run_adhoc(ladybug_store, entry["cypher"], parameters)
    except BioclusterError as error:
        if expected is None:
            return "error", f"both refuse: {neo4j_error.splitlines()[0]} / {error}"
        if isinstance(error, NotTranslated):
            return "refused", str(error)
        if "\nhint: " in str(error):
            return "refused", str(error)
        return "different", f"embedded engine error without a hint: {error}"
    if expected is None:
        # The embedded engine's own dialect (label(n), CAST(x AS ...)): not Neo4j's Cypher.
        return "embedded-only", f"Neo4j refuses ({neo4j_error}); the embedded store answered"
    ours = _rows(entry, answer.columns, answer.rows)
    theirs = _rows(entry, expected.columns, expected.rows)
    if ours != theirs:
        return "different", f"rows differ:\n  embedded {ours[:5]}\n  Neo4j    {theirs[:5]}"
    if answer.columns != expected.columns:
        return "different", f"columns differ: {answer.columns} vs {expected.columns}"
    return "same", ""


def test_the_corpus_has_at_least_100_statements_of_every_kind() -> None:
    assert len(CORPUS) >= 100
    assert len({entry["id"] for entry in CORPUS}) == len(CORPUS)
    kinds = Counter(entry["expect"] for entry in CORPUS)
    assert kinds["same"] >= 100 and kinds["refused"] >= 10, kinds


@pytest.mark.parametrize("entry", CORPUS, ids=[entry["id"] for entry in CORPUS])
def test_the_embedded_store_answers_or_refuses_with_a_hint(
    entry: dict[str, Any], ladybug_store
) -> None:
    """Without Neo4j: each statement runs, or is refused with a hint, as the corpus says."""
    try:
        run_adhoc(ladybug_store, entry["cypher"], entry.get("parameters") or {})
    except BioclusterError as error:
        assert entry["expect"] in ("refused", "error"), f"{entry['id']}: {error}"
        if entry["expect"] == "refused":
            assert "\nhint: " in str(error)
    else:
        assert entry["expect"] in ("same", "embedded-only"), f"{entry['id']} should be refused"


@pytest.mark.neo4j
@pytest.mark.parametrize("entry", CORPUS, ids=[entry["id"] for entry in CORPUS])
def test_one_cypher_one_answer(entry: dict[str, Any], ladybug_store, neo4j_store) -> None:
    result, detail = outcome(entry, ladybug_store, neo4j_store)
    assert result == entry["expect"], f"{entry['id']}: {result}: {detail}"


@pytest.mark.neo4j
def test_the_tally_has_no_silent_difference(ladybug_store, neo4j_store, capsys) -> None:
    results = Counter(outcome(entry, ladybug_store, neo4j_store)[0] for entry in CORPUS)
    with capsys.disabled():
        print(
            f"\nad-hoc corpus, {len(CORPUS)} statements: {results['same']} same rows, "
            f"{results['refused']} refused with a hint, {results['error']} refused by Neo4j "
            f"too, {results['embedded-only']} in the embedded engine's own dialect, "
            f"{results['different']} silently different"
        )
    assert results["different"] == 0
