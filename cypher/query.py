"""One library question (:class:`Query`), a question with checked values
(:class:`PreparedQuery`), and the stable row order of unordered answers.

>>> from biocluster_kg.cypher.library import default_library
>>> query = default_library().get("council_and_committee")
>>> print(query.neo4j_statement().splitlines()[1])
// 推進会議・委員会の構成員は誰で、どの役職・役割で座っているか？
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.dialects import bind_types, client_folded
from biocluster_kg.cypher.parameters import Parameter, check_value, display, shell_word
from biocluster_kg.cypher.resolve import NAME_TYPES, resolve
from biocluster_kg.kernel.errors import QueryError, QueryParameterError

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend, QueryResult

__all__ = ["Query", "PreparedQuery", "sort_rows"]


@dataclass(frozen=True)
class Query:
    """One library question: its header and the Cypher each backend runs.

    ``texts`` holds the rendered statement per backend (placeholders expanded, a shared text
    adapted: :mod:`biocluster_kg.cypher.dialects`); ``variants`` names the backends whose
    text is a dialect block of its own rather than the shared text.
    """

    name: str
    question: str
    question_ja: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    ordered: bool
    analytics: bool
    examples: Mapping[str, Any]
    texts: Mapping[str, str] = field(repr=False)
    path: Path = field(repr=False)
    variants: tuple[str, ...] = ()

    def text_for(self, backend: str) -> str:
        """The Cypher the named backend runs."""
        try:
            return self.texts[backend]
        except KeyError:
            raise QueryError(f"query {self.name!r} has no text for backend {backend!r}") from None

    def with_defaults(self, defaults: Mapping[str, Any]) -> Query:
        """This question with its ``cluster.`` defaults taken from ``defaults``
        (:meth:`~biocluster_kg.kernel.cluster.ClusterProfile.query_defaults`)."""
        return replace(self, parameters=tuple(p.resolved(defaults) for p in self.parameters))

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    def example_parameters(self) -> dict[str, Any]:
        """The header's example values (every required parameter has one)."""
        return dict(self.examples)

    def required_parameters(self) -> list[str]:
        """Names of the parameters without a default."""
        return [p.name for p in self.parameters if p.required]

    def example_command(self) -> str:
        """A shell command that runs this query with its example values.

        >>> from biocluster_kg.cypher.library import default_library
        >>> default_library().get("actor_profile").example_command()
        'biocluster query actor_profile -p name=慶應先端研'
        """
        words = ["biocluster", "query", self.name]
        for key, value in self.examples.items():
            words += ["-p", shell_word(f"{key}={display(value)}")]
        return " ".join(words)

    def neo4j_statement(self) -> str:
        """The question as one statement to paste into Neo4j Browser: its question as
        comments, a ``:params`` line to set first (defaults, and the examples for required
        parameters, as the library sends them), then the Neo4j text.

        >>> from biocluster_kg.cypher.library import default_library
        >>> text = default_library().get("ventures_and_partners").neo4j_statement()
        >>> print(text.splitlines()[3])
        // :params {institute_id: "org:iab"}
        >>> "{{" in text, "// dialect" in text
        (False, False)
        """
        lines = [f"// {self.name}: {self.question}", f"// {self.question_ja}"]
        values: dict[str, Any] = {}
        for parameter in self.parameters:
            if parameter.name in self.examples:
                value = self.examples[parameter.name]
            elif not parameter.required:
                value = parameter.default
            else:  # no value to suggest (a cluster default the profile leaves out)
                continue
            values[parameter.name] = check_value(self.name, parameter, value)
        if values:
            pairs = ", ".join(
                f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()
            )
            lines += ["// Set the parameters first (Neo4j Browser):", f"// :params {{{pairs}}}"]
        return "\n".join([*lines, self.text_for("neo4j")]) + "\n"

    def bind(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Checked parameter values with defaults applied, ready to send.

        >>> from biocluster_kg.cypher.library import default_library
        >>> query = default_library().get("actor_profile")
        >>> query.bind({"name": " Spiber "})["name"]  # sent as typed: the query folds it
        ' Spiber '
        >>> try:
        ...     query.bind({"nme": "HMT"})
        ... except QueryParameterError as error:
        ...     print(error)
        query actor_profile: unknown parameter nme (it takes: name)
        """
        given = dict(given or {})
        declared = {p.name for p in self.parameters}
        unknown = sorted(set(given) - declared)
        if unknown:
            takes = ", ".join(sorted(declared)) or "no parameters"
            noun = "parameter" if len(unknown) == 1 else "parameters"
            raise QueryParameterError(
                f"query {self.name}: unknown {noun} {', '.join(unknown)} (it takes: {takes})"
            )
        bound: dict[str, Any] = {}
        for parameter in self.parameters:
            if parameter.name in given:
                bound[parameter.name] = check_value(self.name, parameter, given[parameter.name])
            elif parameter.required:
                example = self.examples.get(parameter.name)
                hint = f", e.g. -p {parameter.name}={display(example)}" if example else ""
                if parameter.default_from is not None and not hint:
                    hint = f"; the cluster profile gives no {parameter.default_from}"
                raise QueryParameterError(
                    f"query {self.name}: missing parameter {parameter.name} "
                    f"({parameter.type}: {parameter.description}){hint}"
                )
            else:
                bound[parameter.name] = check_value(self.name, parameter, parameter.default)
        return bound


@dataclass(frozen=True)
class PreparedQuery:
    """A query with checked parameters, ready to run on any backend."""

    query: Query
    parameters: dict[str, Any]

    def run(self, backend: Backend) -> QueryResult:
        """Run on ``backend``; checks the columns and, for unordered queries, sorts rows.

        Every id parameter is checked against the store first, and names given for ids
        become ids (:func:`~biocluster_kg.cypher.resolve.resolve`); ``name`` parameters are
        checked when the answer is empty. Either way a name the store does not know fails
        with suggestions instead of giving an empty answer."""
        query, parameters = self.query.name, self.query.parameters
        # Ids first; names after the question, and only when it answers nothing (a question
        # answers nothing for a name no actor has): an answer with rows needs no check.
        values = resolve(backend, query, parameters, self.parameters, names=False)
        names = [p.name for p in parameters if p.type in NAME_TYPES]
        # Types a pattern takes from a parameter are checked for every engine alike, so a
        # wrong one fails the same way on both.
        texts = {name: bind_types(text, values) for name, text in self.query.texts.items()}
        if backend.name not in texts:
            self.query.text_for(backend.name)  # the error naming the missing text
        result = backend.run(texts[backend.name], client_folded(backend.name, names, values))
        if names and not result.rows:
            resolve(backend, query, parameters, self.parameters)
        if tuple(result.columns) != self.query.columns:
            raise QueryError(
                f"query {self.query.name} returned columns {', '.join(result.columns)} on "
                f"{backend.name} but its header declares {', '.join(self.query.columns)}"
            )
        if not self.query.ordered:
            result.rows = sort_rows(result.rows)
        return result


def _sort_key(value: Any) -> tuple[Any, ...]:
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int | float):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, list | tuple):
        return (4, tuple(_sort_key(item) for item in value))
    return (5, json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def sort_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows sorted by their values, first column first (None before everything).

    >>> sort_rows([["b", 2], [None, 1], ["a", [1, None]]])
    [[None, 1], ['a', [1, None]], ['b', 2]]
    """
    return [list(row) for row in sorted(rows, key=lambda row: tuple(map(_sort_key, row)))]
