"""Names checked against the store before a question runs: never an empty answer for a name
the store does not know.

Two kinds of parameters name nodes:

- a ``name`` parameter (``actor_profile``'s ``name``) is matched by the question itself,
  against every actor called so (several are fine: 専任職員 names two groups). Before the
  question runs, one look-up asks the store whether any actor is called the name; if none
  is, :class:`~biocluster_kg.kernel.errors.UnknownNameError` quotes it and suggests the
  closest actors.
- an ``id`` or ``id[]`` parameter (``institute_id``, ``hub_ids``, ``beneficiary_id``, ...)
  takes node ids, and now a name too: an exact id is kept, a name that calls exactly one
  node becomes its id, a name that calls several raises
  :class:`~biocluster_kg.kernel.errors.AmbiguousNameError` listing them, and one that calls
  none (and is not a relationship's id either, for :doc:`source_of_fact`) raises
  :class:`~biocluster_kg.kernel.errors.UnknownNameError` with suggestions.

"Called" means what :func:`biocluster_kg.kernel.names.nodes_called` means: the id, or a
name, English name, alias or known-elsewhere name equal after
:func:`~biocluster_kg.kernel.names.fold_name`, read from the stored ``name_keys``. The
statements are the same text on both engines (placeholders and the mechanical rewrites of
:mod:`biocluster_kg.cypher.dialects` only); the suggestions rank the store's names with
:func:`~biocluster_kg.kernel.names.find_actors`, and are only fetched on the failure path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.dialects import render
from biocluster_kg.kernel.errors import AmbiguousNameError, UnknownNameError
from biocluster_kg.kernel.names import SUGGESTIONS, find_actors, fold_name
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend
    from biocluster_kg.cypher.parameters import Parameter

__all__ = [
    "NAME_TYPES",
    "ID_TYPES",
    "ID_LOOKUP",
    "LOOKUP",
    "RELATIONSHIP_LOOKUP",
    "NAMES",
    "resolve",
]

#: Parameter types whose values name actors the question matches itself.
NAME_TYPES = frozenset({"name"})
#: Parameter types whose values are node ids (a name is resolved to one).
ID_TYPES = frozenset({"id", "id[]"})

#: Which texts are node ids: equality on the key both stores index (Ladybug's primary key,
#: Neo4j's uniqueness constraints), so it reads no other node.
ID_LOOKUP = """MATCH (node:{{labels}})
WHERE node.id IN $texts
RETURN node.id AS text, node.id AS id, labels(node)[0] AS label"""

#: Which nodes each text (as given, and folded) calls: by id, or by a stored name key.
LOOKUP = """UNWIND $texts AS text
MATCH (node:{{labels}})
WHERE node.id = text OR text IN node.name_keys
RETURN text, node.id AS id, labels(node)[0] AS label"""

#: Which of the texts are relationship ids (``source_of_fact`` takes those too).
RELATIONSHIP_LOOKUP = """MATCH ()-[tie:{{types}}]->()
WHERE tie.id IN $texts
RETURN DISTINCT tie.id AS id"""

#: The store's names, for suggestions (only when a name is unknown).
NAMES = """MATCH (node:{{labels}})
RETURN node.id AS id, labels(node)[0] AS label, node.name_ja AS name_ja,
       node.name_en AS name_en, node.name_keys AS name_keys"""


def _run(backend: Backend, statement: str, values: Mapping[str, Any]) -> list[list[Any]]:
    return [
        list(row) for row in backend.run(render(statement, backend.name, shared=True), values).rows
    ]


def _texts(parameters: Sequence[Parameter], values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(parameter, text) for every value to check, in order."""
    found: list[tuple[str, str]] = []
    for parameter in parameters:
        value = values.get(parameter.name)
        items = value if isinstance(value, list) else [value]
        found += [(parameter.name, item) for item in items if isinstance(item, str)]
    return found


def resolve(
    backend: Backend, query: str, parameters: Sequence[Parameter], values: Mapping[str, Any]
) -> dict[str, Any]:
    """``values`` with every name of an ``id`` parameter turned into its node's id, after
    checking that each ``name`` and ``id`` value calls a node of the store.

    Raises :class:`UnknownNameError` or :class:`AmbiguousNameError`, naming the question,
    the parameter and the text, with the closest nodes or the candidates.
    """
    checked = [p for p in parameters if p.type in NAME_TYPES | ID_TYPES]
    texts = _texts(checked, values)
    if not texts:
        return dict(values)
    types = {p.name: p.type for p in checked}
    calls: dict[str, dict[str, str]] = {}
    # Ids first: most id values are ids (every default is), and matching names reads every
    # node's keys (a scan: 10^5 nodes at 100k actors). An id settles an id parameter (an
    # exact id wins below) and a name parameter when it is an actor's; the rest are matched
    # by name as well.
    for text, node_id, label in _run(backend, ID_LOOKUP, {"texts": sorted({t for _, t in texts})}):
        calls.setdefault(text, {})[node_id] = label
    settled = {
        text
        for parameter, text in texts
        if text in calls
        and (types[parameter] in ID_TYPES or calls[text][text] in SCHEMA.actor_labels)
    }
    asked = sorted(
        {
            form
            for _, text in texts
            if text not in settled
            for form in (text, fold_name(text))
            if form
        }
    )
    if asked:
        for text, node_id, label in _run(backend, LOOKUP, {"texts": asked}):
            calls.setdefault(text, {})[node_id] = label
    resolved: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    for parameter, text in texts:
        matches = {**calls.get(fold_name(text), {}), **calls.get(text, {})}
        if types[parameter] in NAME_TYPES:
            if not any(label in SCHEMA.actor_labels for label in matches.values()):
                unknown.append((parameter, text))
            continue
        if text in matches:  # an exact id wins
            resolved[text] = text
        elif len(matches) == 1:
            resolved[text] = next(iter(matches))
        elif matches:
            _ambiguous(query, parameter, text, sorted(matches))
        else:
            unknown.append((parameter, text))
    if unknown:
        # An id parameter may name a relationship (source_of_fact); a name never does.
        ids = [text for parameter, text in unknown if types[parameter] in ID_TYPES]
        relationships = {row[0] for row in _run(backend, RELATIONSHIP_LOOKUP, {"texts": ids})}
        for parameter, text in unknown:
            if text in relationships:
                resolved[text] = text
            else:
                _unknown(backend, query, parameter, text, types[parameter] in NAME_TYPES)
    out = dict(values)
    for checked_parameter in checked:
        key = checked_parameter.name
        if types[key] not in ID_TYPES or key not in out:
            continue
        value = out[key]
        if isinstance(value, list):
            out[key] = [resolved.get(item, item) for item in value]
        elif isinstance(value, str):
            out[key] = resolved.get(value, value)
    return out


def _ambiguous(query: str, parameter: str, text: str, ids: list[str]) -> None:
    shown = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
    raise AmbiguousNameError(
        text,
        tuple(ids),
        f"query {query}: parameter {parameter}: {text!r} names {len(ids)} nodes ({shown}); "
        "give an id instead",
    )


def _unknown(backend: Backend, query: str, parameter: str, text: str, actors_only: bool) -> None:
    from biocluster_kg.kernel.model import KnowledgeBase, Node

    kb = KnowledgeBase()
    for node_id, label, name_ja, name_en, keys in _run(backend, NAMES, {}):
        # The stored keys stand in for the aliases: find_actors folds every name anyway.
        properties = {"name_ja": name_ja, "name_en": name_en, "aliases": list(keys or [])}
        kb.add_node(Node(node_id, label, {k: v for k, v in properties.items() if v}))
    labels: Iterable[str] | None = SCHEMA.actor_labels if actors_only else None
    suggestions = find_actors(
        kb, text, limit=SUGGESTIONS, labels=list(labels) if labels is not None else None
    )
    what = "actor" if actors_only else "node"
    message = (
        f"query {query}: parameter {parameter}: no {what} is called {text!r} (by id, name or alias)"
    )
    if suggestions:
        message += "; did you mean " + ", ".join(m.describe() for m in suggestions) + "?"
    raise UnknownNameError(text, tuple(m.id for m in suggestions), message)
