"""What lets a library question check its ``name`` parameters only when it answers nothing
(:meth:`biocluster_kg.cypher.query.PreparedQuery.run`): each question answers nothing for a
name no actor has, on both engines, so an answer with rows proves every name it was given
is known. And the checks still fail as they did, with suggestions, when a name is unknown,
on the shipped knowledge base in a real Ladybug store and a real Neo4j server."""

from __future__ import annotations

import pytest

from biocluster_kg.cypher.dialects import client_folded
from biocluster_kg.cypher.library import default_library, run_query
from biocluster_kg.cypher.resolve import ID_LOOKUP, name_lookup, resolve
from biocluster_kg.kernel.errors import UnknownNameError
from biocluster_kg.kernel.schema import SCHEMA

LIBRARY = default_library()
NAMED = [
    (query.name, parameter.name)
    for query in LIBRARY
    for parameter in query.parameters
    if parameter.type == "name"
]
#: No actor of the shipped knowledge base is called so.
NOBODY = "存在しない団体"


def test_the_library_has_questions_that_take_names() -> None:
    assert {question for question, _ in NAMED} >= {"actor_profile", "shortest_connection"}


@pytest.mark.parametrize(("question", "parameter"), NAMED)
def test_a_question_answers_nothing_for_a_name_no_actor_has(
    store, question: str, parameter: str
) -> None:
    # The question's own text, with no check before it: its examples answer, and the same
    # with one name changed to nobody's answers nothing.
    query = LIBRARY.get(question)
    names = [p.name for p in query.parameters if p.type == "name"]
    examples = query.bind(query.example_parameters())
    text = query.text_for(store.name)
    assert store.run(text, client_folded(store.name, names, examples)).rows
    unknown = {**examples, parameter: NOBODY}
    assert store.run(text, client_folded(store.name, names, unknown)).rows == []


@pytest.mark.parametrize(("question", "parameter"), NAMED)
def test_an_unknown_name_still_fails_with_suggestions(store, question: str, parameter: str) -> None:
    values = {**LIBRARY.get(question).example_parameters(), parameter: "慶應先端"}
    with pytest.raises(UnknownNameError) as raised:
        run_query(store, question, values)
    message = str(raised.value)
    assert f"query {question}: parameter {parameter}: no actor is called '慶應先端'" in message
    assert "did you mean" in message and "(org:iab)" in message


def test_ids_are_looked_up_label_by_label() -> None:
    # One equality per label (Ladybug seeks its primary key only so), every label once.
    branches = ID_LOOKUP.split("\nUNION ALL\n")
    assert len(branches) == len(SCHEMA.labels)
    for label, branch in zip(SCHEMA.labels, branches, strict=True):
        assert f"MATCH (node:`{label}`) WHERE node.id = text" in branch


def test_every_name_of_a_question_is_looked_up_in_one_statement(store) -> None:
    found = store.run(
        _rendered(name_lookup(store.name, 2, actors=True), store.name),
        {"text0": "慶應先端研", "text1": "山形県"},
    ).rows
    assert sorted(row[0] for row in found) == ["org:iab", "org:yamagata-prefecture"]


def test_a_name_given_for_an_id_becomes_that_id(store) -> None:
    query = LIBRARY.get("ventures_and_partners")
    values = resolve(store, query.name, query.parameters, {"institute_id": "ＫＥＩＯ　ＩＡＢ"})
    assert values == {"institute_id": "org:iab"}


def _rendered(statement: str, dialect: str) -> str:
    from biocluster_kg.cypher.dialects import render

    return render(statement, dialect, shared=True)
