"""Looking inside a Cypher statement without parsing it: write clauses and ``$parameters``.

Both backends refuse writes through their read-only entry points at the engine level (a
read-only Ladybug database, a READ access-mode Neo4j session). The checks here come first
and only give a clearer message for the obvious cases; they are not the defence.

>>> write_clause("MATCH (n) DETACH DELETE n")
'DETACH'
>>> write_clause("MATCH (n) WHERE n.span CONTAINS 'CREATE' RETURN n.set")
>>> parameter_names("MATCH (n {id: $id}) WHERE n.note <> '$not_me' RETURN $`limit`")
['id', 'limit']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from biocluster_kg.kernel.errors import QueryParameterError, ReadOnlyError

__all__ = [
    "WRITE_CLAUSES",
    "strip_literals",
    "write_clause",
    "parameter_names",
    "check_read_only",
    "check_parameters",
]

#: Clauses that change a store (Cypher's and Ladybug's own), refused by read-only entry points.
WRITE_CLAUSES = (
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "ALTER", "COPY",
    "FOREACH", "INSTALL", "UNINSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT",
)  # fmt: skip

# A string literal, a backtick-quoted name, or a comment: their contents are not clauses.
_LITERALS = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_WRITE = re.compile(r"(?<![\w.$])(" + "|".join(WRITE_CLAUSES) + r")(?!\w)", re.IGNORECASE)
_PARAMETER = re.compile(r"\$(?:(\w+)|`((?:[^`]|``)+)`)")


def strip_literals(cypher: str, *, keep_names: bool = False) -> str:
    """``cypher`` with string literals and comments blanked (and quoted names, unless kept)."""

    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        if keep_names and text.startswith("`"):
            return text
        return " " * len(text)

    return _LITERALS.sub(blank, cypher)


def write_clause(cypher: str) -> str | None:
    """The first write clause in ``cypher`` (upper case), or None.

    >>> write_clause("match (n) set n.x = 1")
    'SET'
    >>> write_clause("MATCH (n:`CREATE`) RETURN n // DROP it")
    """
    match = _WRITE.search(strip_literals(cypher))
    return match.group(1).upper() if match else None


def parameter_names(cypher: str) -> list[str]:
    """Names of the ``$parameters`` used in ``cypher``, in order of first use."""
    names: dict[str, None] = {}
    for match in _PARAMETER.finditer(strip_literals(cypher, keep_names=True)):
        name = match.group(1) or match.group(2).replace("``", "`")
        names.setdefault(name)
    return list(names)


def check_read_only(cypher: str) -> None:
    """Raise :class:`ReadOnlyError` if ``cypher`` has an obvious write clause."""
    clause = write_clause(cypher)
    if clause is not None:
        raise ReadOnlyError(
            f"{clause} changes the store and this statement runs read-only; "
            "pass --write (write=True) to allow writes"
        )


def check_parameters(cypher: str, parameters: Mapping[str, Any]) -> None:
    """Raise :class:`QueryParameterError` if ``cypher`` uses a parameter not given.

    Neo4j refuses such a statement but Ladybug silently reads the missing value as null; this
    makes both backends refuse it the same way.

    >>> check_parameters("RETURN $a + $b", {"a": 1})
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.QueryParameterError: missing parameter $b (give it with -p b=VALUE)
    """
    missing = [name for name in parameter_names(cypher) if name not in parameters]
    if missing:
        listed = ", ".join(f"${name}" for name in missing)
        noun = "parameter" if len(missing) == 1 else "parameters"
        raise QueryParameterError(f"missing {noun} {listed} (give it with -p {missing[0]}=VALUE)")
