"""The adapter step: a question's text as each engine runs it.

A query file's shared text is written in Neo4j's Cypher (what a Neo4j Browser user pastes).
Two small steps turn it into each engine's statement, in the way aiosql's driver adapters
turn one SQL text into each driver's parameter style:

1. **Schema placeholders** are expanded for every dialect. ``{{labels}}``,
   ``{{actor_labels}}`` and ``{{types}}`` stand for the schema's node labels, its actor labels
   and its relationship types, backtick-quoted through the allow-list and joined as the
   dialect writes a disjunction (Neo4j ``|``; Ladybug ``:`` for labels, which there means OR,
   and ``|`` for types). Adding a label to the schema changes every query that lists them.
2. **Mechanical rewrites** turn the shared text into Ladybug's dialect, outside string
   literals and comments only: ``labels(x)[0]`` -> ``label(x)`` (one label per node in both
   stores), ``type(r)`` -> ``label(r)``, a node pattern's label disjunction
   ``(n:`A`|`B`)`` -> ``(n:`A`:`B`)``, a typed null ``toString(NULL)`` ->
   ``CAST(NULL AS STRING)`` (a bare NULL has no type, and each UNION column needs one), and
   ``toString(n.property)`` -> ``CAST(n.property AS STRING)`` (Ladybug has no toString).

A third placeholder takes an argument: ``{{fold($name)}}`` is the ``name`` parameter folded
as :func:`biocluster_kg.kernel.names.fold_name` folds a typed name (NFKC, lower case, no
white space, no nakaguro), so a question compares it with the stored ``name_keys``. Neo4j 5
folds in the text itself (``normalize(..., NFKC)``, ``toLower``, ``replace``), so the file
runs as written in Neo4j Browser with ``:param name => 'ＩＡＢ'``. Ladybug (0.22) has no
Unicode normalisation function at all, so there the placeholder is the bare parameter and
the client folds the value before sending it (:func:`client_folded`); the two agree
except where ``toLower`` and Python's ``casefold`` differ (``ß`` -> ``ss``), which no name
of the cluster has.

A fourth is bound when the question runs, not when the file is read: ``{{types($name)}}`` is
the relationship types the ``name`` parameter lists, checked against the schema's allow-list
and written as a type disjunction (:func:`bind_types`), for a pattern whose types are the
user's choice. Ladybug (0.22) searches ``[:A|B* ALL SHORTEST ...]`` 2.4-9x faster than
the same search with a ``label(r) IN $types`` predicate (issue 28). It belongs in a dialect
block for Ladybug only: Neo4j's text is what a Browser user pastes.

Where the engines need genuinely different text (another algorithm, another plan), the file
holds a dialect block per engine instead, which gets step 1 only.

Expansions never add or remove a line, so a line of a rendered text is the same line of the
file (errors name it).

>>> to_ladybug("RETURN labels(n)[0] AS label, type(r) AS type, toString(NULL) AS none")
'RETURN label(n) AS label, label(r) AS type, CAST(NULL AS STRING) AS none'
>>> to_ladybug("RETURN n.source_doc + ':' + toString(n.span_line) AS place")
"RETURN n.source_doc + ':' + CAST(n.span_line AS STRING) AS place"
>>> to_ladybug("MATCH (n:`Body`|`Group`) WHERE n.note <> 'type(x)' RETURN n")
"MATCH (n:`Body`:`Group`) WHERE n.note <> 'type(x)' RETURN n"
>>> expand_placeholders("MATCH (a:{{actor_labels}})", "neo4j")
'MATCH (a:`Organization`|`Group`|`Body`|`Position`)'
>>> expand_placeholders("MATCH (a:{{actor_labels}})", "ladybug")
'MATCH (a:`Organization`:`Group`:`Body`:`Position`)'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from biocluster_kg.kernel.errors import QueryError, QueryParameterError
from biocluster_kg.kernel.names import NAKAGURO, fold_name
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

__all__ = [
    "BACKENDS",
    "FOLDS_IN_TEXT",
    "client_folded",
    "PLACEHOLDERS",
    "UnknownPlaceholder",
    "bind_types",
    "expand_placeholders",
    "to_ladybug",
    "render",
]

#: The dialects (backend names) a question is rendered for; a dialect block names one.
BACKENDS: tuple[str, ...] = ("neo4j", "ladybug")

#: Whether the dialect folds ``{{fold($name)}}`` itself (else the client folds the value).
FOLDS_IN_TEXT: dict[str, bool] = {"neo4j": True, "ladybug": False}

# What fold_name drops after NFKC and lower case: white space (NFKC already makes the
# ideographic and no-break spaces plain ones) and the nakaguro (NFKC makes U+FF65 U+30FB and
# U+0387 U+00B7). Written as escapes, so a reader sees which character each one is.
_DROPPED = (" ", "\\t", "\\n", "\\r", *(f"\\u{ord(c):04X}" for c in NAKAGURO if c != "\u0387"))


def _neo4j_fold(parameter: str) -> str:
    expression = f"trim(toLower(normalize(${parameter}, NFKC)))"
    for character in _DROPPED:
        expression = f"replace({expression}, '{character}', '')"
    return expression


def _fold(parameter: str, dialect: str) -> str:
    return _neo4j_fold(parameter) if FOLDS_IN_TEXT[dialect] else f"${parameter}"


def client_folded(
    dialect: str, name_parameters: Iterable[str], values: dict[str, Any]
) -> dict[str, Any]:
    """``values`` with each of ``name_parameters`` folded (:func:`fold_name`) when the
    dialect cannot fold in its text.

    >>> client_folded("ladybug", ["name"], {"name": "ＫＥＩＯ ＩＡＢ"})
    {'name': 'keioiab'}
    >>> client_folded("neo4j", ["name"], {"name": "ＫＥＩＯ ＩＡＢ"})
    {'name': 'ＫＥＩＯ ＩＡＢ'}
    """
    if FOLDS_IN_TEXT[dialect]:
        return dict(values)
    return {
        key: fold_name(value) if key in name_parameters and isinstance(value, str) else value
        for key, value in values.items()
    }


#: How each dialect writes "any of these node labels" in a pattern.
_LABEL_JOIN = {"neo4j": "|", "ladybug": ":"}


def _labels(names: tuple[str, ...]) -> Callable[[str], str]:
    def expand(dialect: str) -> str:
        return _LABEL_JOIN[dialect].join(quote_identifier(n, SCHEMA.labels) for n in names)

    return expand


def _types(dialect: str) -> str:
    # Both engines write a relationship-type disjunction with |.
    return "|".join(quote_identifier(name, SCHEMA.types) for name in SCHEMA.types)


def _belongs_to(dialect: str) -> str:
    # What makes a node one of its parent's: a part (PART_OF) or a post (POSITION_IN).
    names = SCHEMA.types_meaning("part_of") + SCHEMA.types_meaning("post_of")
    return "|".join(quote_identifier(name, SCHEMA.types) for name in names)


#: Placeholder name -> its expansion per dialect (identifiers from the schema only).
#: ``{{belongs_to}}`` is the relationship types that make a node a part or a post of
#: another (:meth:`~biocluster_kg.kernel.schema.Schema.types_meaning`).
PLACEHOLDERS: dict[str, Callable[[str], str]] = {
    "labels": _labels(SCHEMA.labels),
    "actor_labels": _labels(SCHEMA.actor_labels),
    "types": _types,
    "belongs_to": _belongs_to,
}

_PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[^{}]*?)\s*\}\}")
_FOLD = re.compile(r"fold\(\s*\$(?P<parameter>[A-Za-z_]\w*)\s*\)")
_TYPES_OF = re.compile(r"types\(\s*\$(?P<parameter>[A-Za-z_]\w*)\s*\)")

# String literals and comments: the rewrites leave their contents alone. (Backticked names
# are not skipped: the label disjunction rewrite must see them.)
_LITERAL = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/""", re.DOTALL)

_NAME = r"[A-Za-z_]\w*"
_REWRITES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(rf"\blabels\(\s*({_NAME})\s*\)\[0\]"), r"label(\1)"),
    (re.compile(rf"\btype\(\s*({_NAME})\s*\)"), r"label(\1)"),
    (re.compile(r"\btoString\(\s*NULL\s*\)", re.IGNORECASE), "CAST(NULL AS STRING)"),
    (re.compile(rf"\btoString\(\s*({_NAME}(?:\.{_NAME})?)\s*\)"), r"CAST(\1 AS STRING)"),
    (re.compile(r"\btoInteger\(\s*NULL\s*\)", re.IGNORECASE), "CAST(NULL AS INT64)"),
    (re.compile(r"\btoFloat\(\s*NULL\s*\)", re.IGNORECASE), "CAST(NULL AS DOUBLE)"),
    (
        re.compile(rf"\(\s*(?:{_NAME})?\s*:`\w+`(?:\s*\|\s*`\w+`)+"),
        lambda match: re.sub(r"\s*\|\s*", ":", match.group(0)),
    ),
)


class UnknownPlaceholder(QueryError):
    """A ``{{name}}`` that :data:`PLACEHOLDERS` does not define."""

    def __init__(self, name: str, offset: int) -> None:
        known = ", ".join(
            "{{" + key + "}}" for key in (*PLACEHOLDERS, "fold($NAME)", "types($NAME)")
        )
        super().__init__(f"unknown placeholder {{{{{name}}}}} (known: {known})")
        self.offset = offset


def expand_placeholders(text: str, dialect: str) -> str:
    """``text`` with every ``{{placeholder}}`` expanded for ``dialect``.

    >>> expand_placeholders("[r:{{types}}]", "neo4j").count("|") == len(SCHEMA.types) - 1
    True
    """

    def expand(match: re.Match[str]) -> str:
        fold = _FOLD.fullmatch(match["name"])
        if fold:
            return _fold(fold["parameter"], dialect)
        if _TYPES_OF.fullmatch(match["name"]):
            return match.group(0)  # bound when the question runs (bind_types)
        expansion = PLACEHOLDERS.get(match["name"])
        if expansion is None:
            raise UnknownPlaceholder(match["name"], match.start())
        return expansion(dialect)

    return _PLACEHOLDER.sub(expand, text)


def bind_types(text: str, values: dict[str, Any]) -> str:
    """``text`` with every ``{{types($name)}}`` replaced by the types ``values[name]`` lists,
    each on the schema's allow-list, joined as a pattern's type disjunction.

    >>> bind_types("MATCH (a)-[:{{types($ties)}}*1..2]-(b)", {"ties": ["FUNDS", "GUIDES"]})
    'MATCH (a)-[:`FUNDS`|`GUIDES`*1..2]-(b)'
    >>> bind_types("MATCH (a)-[:{{types($ties)}}]-(b)", {"ties": ["LIKES"]})
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.QueryParameterError: parameter ties: 'LIKES' is not a \
relationship type (one of PART_OF, BREAKDOWN_OF, POSITION_IN, MEMBER_OF, PERFORMS, TARGETS, \
COORDINATES_WITH, GUIDES, IMPLEMENTS, FUNDS, SUPPORTS, PARTICIPATES_IN, PROGRAMME_OF, \
WORKS_ON, PRODUCED, VENTURE_OF, MEASURES)
    """

    def bind(match: re.Match[str]) -> str:
        types = _TYPES_OF.fullmatch(match["name"])
        if types is None:
            return match.group(0)
        name = types["parameter"]
        value = values.get(name)
        if not isinstance(value, list | tuple) or not value:
            raise QueryParameterError(f"parameter {name}: give at least one relationship type")
        for type_ in value:
            if type_ not in SCHEMA.types:
                raise QueryParameterError(
                    f"parameter {name}: {type_!r} is not a relationship type "
                    f"(one of {', '.join(SCHEMA.types)})"
                )
        return "|".join(quote_identifier(type_, SCHEMA.types) for type_ in value)

    return _PLACEHOLDER.sub(bind, text)


def to_ladybug(text: str) -> str:
    """The mechanical rewrites of a shared (Neo4j) text into Ladybug's dialect."""
    out: list[str] = []
    position = 0
    for literal in _LITERAL.finditer(text):
        out.append(_rewrite(text[position : literal.start()]))
        out.append(literal.group(0))
        position = literal.end()
    out.append(_rewrite(text[position:]))
    return "".join(out)


def _rewrite(code: str) -> str:
    for pattern, replacement in _REWRITES:
        code = pattern.sub(replacement, code)
    return code


def render(text: str, dialect: str, *, shared: bool) -> str:
    """The statement ``dialect`` runs: placeholders expanded and, for a ``shared`` text,
    rewritten into the dialect (a dialect block is already written in it)."""
    if dialect not in BACKENDS:
        raise QueryError(f"unknown dialect {dialect!r} (one of {', '.join(BACKENDS)})")
    expanded = expand_placeholders(text, dialect)
    if shared and dialect == "ladybug":
        return to_ladybug(expanded)
    return expanded
