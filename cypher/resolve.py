"""Names checked against the store around a question: never an empty answer for a name the
store does not know.

Two kinds of parameters name nodes:

- a ``name`` parameter (``actor_profile``'s ``name``) is matched by the question itself,
  against every actor called so (several are fine: 専任職員 names two groups). When the
  question answers nothing (:meth:`~biocluster_kg.cypher.query.PreparedQuery.run`), one
  look-up asks the store whether any actor is called the name; if none is,
  :class:`~biocluster_kg.kernel.errors.UnknownNameError` quotes it and suggests the
  closest actors.
- an ``id`` or ``id[]`` parameter (``institute_id``, ``hub_ids``, ``beneficiary_id``, ...)
  takes node ids, and now a name too: an exact id is kept, a name that calls exactly one
  node becomes its id, a name that calls several raises
  :class:`~biocluster_kg.kernel.errors.AmbiguousNameError` listing them, and one that calls
  none (and is not a relationship's id either, for :doc:`source_of_fact`) raises
  :class:`~biocluster_kg.kernel.errors.UnknownNameError` with suggestions.

"Called" means what :func:`biocluster_kg.kernel.names.nodes_called` means: the id, or a
name, English name, alias or known-elsewhere name equal after
:func:`~biocluster_kg.kernel.names.fold_name`, read from the stored ``name_keys``; for a
``name`` parameter exactly what the question itself matches (the folded text among the
actor's ``name_keys`` or equal to its id), so a name that passes the check always finds
its actors in the question. The suggestions rank the store's names with
:func:`~biocluster_kg.kernel.names.suggest_actors`, and are only fetched on the failure path.

What the checks cost (measured at 10^5 synthetic actors, BENCHMARKS.md): ids are looked up
one label at a time, each an equality seek on the key both stores index (Ladybug's primary
key, Neo4j's uniqueness constraints): a label disjunction there scans every node table in
Ladybug (20 ms against 1 ms). Names cannot be seeked (a list property has no index in
either engine), so every name of a question is matched in one pass over the actors (two
passes over every label, before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.dialects import render
from biocluster_kg.kernel.errors import AmbiguousNameError, UnknownNameError
from biocluster_kg.kernel.names import SUGGESTIONS, fold_name, suggest_actors
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend
    from biocluster_kg.cypher.parameters import Parameter

__all__ = [
    "NAME_TYPES",
    "ID_TYPES",
    "ID_LOOKUP",
    "name_lookup",
    "RELATIONSHIP_LOOKUP",
    "NAMES",
    "resolve",
]

#: Parameter types whose values name actors the question matches itself.
NAME_TYPES = frozenset({"name"})
#: Parameter types whose values are node ids (a name is resolved to one).
ID_TYPES = frozenset({"id", "id[]"})


def _id_branch(label: str) -> str:
    quoted = quote_identifier(label, SCHEMA.labels)
    # UNWIND then equality: Ladybug seeks its primary key only for `=` (`IN $texts` scans).
    return (
        f"UNWIND $texts AS text MATCH (node:{quoted}) WHERE node.id = text "
        f"RETURN node.id AS id, '{label}' AS label"
    )


#: Which texts are node ids: one seek per label (see the module docstring).
ID_LOOKUP = "\nUNION ALL\n".join(_id_branch(label) for label in SCHEMA.labels)


def name_lookup(dialect: str, count: int, *, actors: bool) -> str:
    """One pass over the actors (or every node) finding those whose id or ``name_keys``
    hold any of ``$text0`` ... ``$text{count-1}``; the caller sees which from the keys.

    >>> print(name_lookup("ladybug", 1, actors=True))
    MATCH (node:{{actor_labels}})
    WHERE list_contains(node.name_keys, $text0) OR node.id = $text0
    RETURN node.id AS id, labels(node)[0] AS label, node.name_keys AS name_keys
    >>> "OR $text1 IN node.name_keys OR" in name_lookup("neo4j", 2, actors=False)
    True
    """
    # Ladybug: list_contains reads the list in half the time `IN` takes (26 vs 45 ms).
    member = "list_contains(node.name_keys, {})" if dialect == "ladybug" else "{} IN node.name_keys"
    tests = " OR ".join(
        f"{member.format(f'$text{index}')} OR node.id = $text{index}" for index in range(count)
    )
    labels = "{{actor_labels}}" if actors else "{{labels}}"
    return (
        f"MATCH (node:{labels})\nWHERE {tests}\n"
        "RETURN node.id AS id, labels(node)[0] AS label, node.name_keys AS name_keys"
    )


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
        # An empty text is no name where it is the default, meaning "every ..." (council_id:
        # every council); anywhere else it is checked, and refused, like any other text.
        every = parameter.default == ""
        found += [
            (parameter.name, item)
            for item in items
            if isinstance(item, str) and not (every and item == "")
        ]
    return found


def _called(backend: Backend, forms: set[str], *, actors: bool) -> dict[str, dict[str, str]]:
    """form -> {id: label} of the nodes (actors, or any) whose id or name keys hold it."""
    asked = sorted(forms)
    if not asked:
        return {}
    values = {f"text{index}": form for index, form in enumerate(asked)}
    calls: dict[str, dict[str, str]] = {}
    statement = name_lookup(backend.name, len(asked), actors=actors)
    for node_id, label, keys in _run(backend, statement, values):
        held = {node_id, *(keys or [])}
        for form in asked:
            if form in held:
                calls.setdefault(form, {})[node_id] = label
    return calls


def resolve(
    backend: Backend,
    query: str,
    parameters: Sequence[Parameter],
    values: Mapping[str, Any],
    *,
    names: bool = True,
) -> dict[str, Any]:
    """``values`` with every name of an ``id`` parameter turned into its node's id, after
    checking that each ``id`` value, and with ``names`` each ``name`` value, calls a node
    of the store.

    ``names=False`` leaves the ``name`` values to the question: every library question
    answers nothing for a name no actor has (``tests/test_name_questions.py`` holds each
    to it), so a caller may run the question first and check its names only when the
    answer is empty, sparing a pass over the actors on every answer that has rows.

    Raises :class:`UnknownNameError` or :class:`AmbiguousNameError`, naming the question,
    the parameter and the text, with the closest nodes or the candidates.
    """
    kinds = NAME_TYPES | ID_TYPES if names else ID_TYPES
    checked = [p for p in parameters if p.type in kinds]
    texts = _texts(checked, values)
    if not texts:
        return dict(values)
    types = {p.name: p.type for p in checked}
    id_texts = sorted({text for parameter, text in texts if types[parameter] in ID_TYPES})
    # Ids first: most id values are ids (every default is), and an exact id settles one.
    ids: dict[str, str] = {}
    if id_texts:
        ids = {node_id: label for node_id, label in _run(backend, ID_LOOKUP, {"texts": id_texts})}
    # A name parameter is matched as its question matches it: folded, among the actors.
    name_forms = {fold_name(text) for parameter, text in texts if types[parameter] in NAME_TYPES}
    actor_calls = _called(backend, name_forms - {""}, actors=True)
    # An id parameter given a name: as typed or folded, among every node.
    named_ids = {
        form for text in id_texts if text not in ids for form in (text, fold_name(text)) if form
    }
    node_calls = _called(backend, named_ids, actors=False)
    resolved: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    for parameter, text in texts:
        if types[parameter] in NAME_TYPES:
            if not actor_calls.get(fold_name(text)):
                unknown.append((parameter, text))
            continue
        if text in ids:  # an exact id wins
            resolved[text] = text
            continue
        matches = {**node_calls.get(fold_name(text), {}), **node_calls.get(text, {})}
        if len(matches) == 1:
            resolved[text] = next(iter(matches))
        elif matches:
            _ambiguous(query, parameter, text, sorted(matches))
        else:
            unknown.append((parameter, text))
    if unknown:
        # An id parameter may name a relationship (source_of_fact); a name never does.
        asked = [text for parameter, text in unknown if types[parameter] in ID_TYPES]
        relationships = {row[0] for row in _run(backend, RELATIONSHIP_LOOKUP, {"texts": asked})}
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
    suggestions = suggest_actors(
        kb, text, limit=SUGGESTIONS, labels=list(labels) if labels is not None else None
    )
    what = "actor" if actors_only else "node"
    message = (
        f"query {query}: parameter {parameter}: no {what} is called {text!r} (by id, name or alias)"
    )
    if suggestions:
        message += "; did you mean " + ", ".join(m.describe() for m in suggestions) + "?"
    raise UnknownNameError(text, tuple(m.id for m in suggestions), message)
