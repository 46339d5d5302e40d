"""Looking inside a Cypher statement without parsing it: write clauses and ``$parameters``.

Read-only has two layers, tested separately (``tests/test_read_only.py``):

* The engines refuse writes to the data through the read-only entry points: a read-only
  Ladybug database refuses CREATE, SET, ATTACH...; a READ access-mode Neo4j session refuses
  writes, and the Neo4j backend also asks the server to classify the statement (``EXPLAIN``:
  only a read, ``r``, runs). For those, the clause check here only gives a clearer message.
* What the engines let through a read-only entry point is refused only here
  (:func:`check_read_only`): Ladybug's read-only connection runs ``COPY ... TO 'file'``,
  tries ``CHECKPOINT`` (which jams the connection) and ``INSTALL`` (a download), reads local
  files with ``LOAD FROM`` and changes settings with ``CALL name=value``; Neo4j classifies
  ``TERMINATE TRANSACTIONS`` (which stops other sessions' work) and ``LOAD CSV`` (which reads
  server files and URLs) as reads. :data:`ADMIN_COMMANDS` names them.

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
    "ADMIN_COMMANDS",
    "WRITE_CLAUSES",
    "strip_literals",
    "write_clause",
    "parameter_names",
    "admin_command",
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
#: Statements that act outside the data or on other sessions, refused by read-only entry
#: points though the engines let some of them through: phrase -> what it does.
ADMIN_COMMANDS: dict[str, str] = {
    r"TERMINATE\s+TRANSACTIONS?\b": "stops other sessions' transactions",
    r"(?:START|STOP)\s+DATABASE\b": "starts or stops a database",
    r"(?:ENABLE|DEALLOCATE|REALLOCATE)\s+(?:SERVER|DATABASES?)\b": "changes the cluster",
    r"(?:GRANT|DENY|REVOKE)\b": "changes privileges",
    r"LOAD\s+CSV\b": "reads files or URLs from the server",
    r"LOAD\s+(?:WITH\s+HEADERS\b.*?)?FROM\b": "reads files from the machine",
    # The next three only where a statement starts: as words they are also fine aliases.
    r"^\s*LOAD\s+(?:EXTENSION\s+)?[A-Za-z_]\w*": "loads an engine extension",
    r"^\s*USE\s+[A-Za-z_`][\w.`]*": "switches to another database",
    r"^\s*(?:BEGIN\s+TRANSACTION|COMMIT|ROLLBACK)\b": "controls a transaction",
    r"CALL\s+[A-Za-z_]\w*\s*=": "changes an engine setting",
}
_ADMIN = re.compile(
    r"(?<![\w.$])(" + "|".join(f"(?:{phrase})" for phrase in ADMIN_COMMANDS) + ")",
    re.IGNORECASE | re.DOTALL,
)
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


def admin_command(cypher: str) -> tuple[str, str] | None:
    """The first administration command in ``cypher`` and what it does, or None.

    >>> admin_command("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t")
    ('TERMINATE TRANSACTIONS', "stops other sessions' transactions")
    >>> admin_command("MATCH (n) WITH n AS load MATCH (m) RETURN 'LOAD CSV' AS use, m AS commit")
    """
    match = _ADMIN.search(strip_literals(cypher))
    if match is None:
        return None
    found = match.group(1)
    for phrase, effect in ADMIN_COMMANDS.items():
        if re.fullmatch(phrase, found, re.IGNORECASE | re.DOTALL):
            # Named by its first words, as the user wrote them: enough to recognise it.
            return " ".join(found.upper().split()[:2]), effect
    raise AssertionError(found)  # pragma: no cover - the pattern is the union of the phrases


def check_read_only(cypher: str) -> None:
    """Raise :class:`ReadOnlyError` if ``cypher`` writes or is an administration command."""
    clause = write_clause(cypher)
    if clause is not None:
        raise ReadOnlyError(
            f"{clause} changes the store and this statement runs read-only; "
            "pass --write (write=True) to allow writes"
        )
    command = admin_command(cypher)
    if command is not None:
        found, effect = command
        raise ReadOnlyError(
            f"{found} {effect}, which a read-only statement may not do; "
            "pass --write (write=True) if you mean it"
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
