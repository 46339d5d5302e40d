r"""Looking inside a Cypher statement without parsing it: write clauses and ``$parameters``.

Read-only has two layers, tested separately (``tests/test_read_only.py``,
``tests/test_read_only_bypass.py``):

* The engines enforce it. A read-only Ladybug database refuses CREATE, SET, ATTACH...; before
  a read runs, the engine's own parser must accept the text as ONE statement (``prepare``) and
  its plan (``EXPLAIN``, which runs nothing) may hold only reading operators
  (:mod:`~biocluster_kg.cypher.ladybug_read_only`): no LOAD EXTENSION, USE, transaction
  control, settings, file reads or writes. A READ access-mode Neo4j session refuses writes,
  and the server classifies the statement and shows its plan (``EXPLAIN``): only a read
  (``r``) without LOAD CSV, TERMINATE TRANSACTIONS or another database runs.
* This text check is the second line, in front of them (:func:`check_read_only`): it refuses
  what the engines' classification lets through (Ladybug binds some statements before it
  can refuse them: ``EXPORT DATABASE`` creates its folder while it is planned).
  :data:`ADMIN_COMMANDS` names them.

The text is read the way each engine's lexer reads it, and a statement is refused if any of
those readings finds a write or a command (:func:`readings`): Ladybug ends a ``//`` comment at
a line feed only; Neo4j ends it at a carriage return too, and first decodes ``\uXXXX``
escapes anywhere in the text (``\u000a`` ends a comment, ``\u0027`` opens a string); a third
reading ends comments at every Unicode line terminator. Strings (with backslash escapes),
backtick names (with doubled backticks) and ``/* */`` comments are blanked, every character an
engine may take for white space becomes a space, and the text is cut into statements at
``;``.

>>> write_clause("MATCH (n) DETACH DELETE n")
'DETACH'
>>> write_clause("MATCH (n) WHERE n.span CONTAINS 'CREATE' RETURN n.set")
>>> parameter_names("MATCH (n {id: $id}) WHERE n.note <> '$not_me' RETURN $`limit`")
['id', 'limit']
>>> admin_command("RETURN 1 AS a // note\rLOAD CSV FROM 'http://x/y.csv' AS l RETURN l")
('LOAD CSV', 'reads files or URLs from the server')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from biocluster_kg.kernel.errors import CypherError, QueryParameterError, ReadOnlyError

__all__ = [
    "ADMIN_COMMANDS",
    "WRITE_CLAUSES",
    "strip_literals",
    "readings",
    "statement_count",
    "write_clause",
    "parameter_names",
    "admin_command",
    "check_read_only",
    "check_single_statement",
    "check_parameters",
]

#: Clauses that change a store (Cypher's and Ladybug's own), refused by read-only entry points.
WRITE_CLAUSES = (
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "ALTER", "COPY",
    "FOREACH", "INSTALL", "UNINSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT",
)  # fmt: skip

#: Where a ``//`` comment ends, per reading: Ladybug (line feed), Neo4j (carriage return or
#: line feed; both measured), and every line terminator Unicode has (no engine here honours
#: U+2028, U+2029, U+0085, VT or FF, measured: this reading only makes the check stricter).
_COMMENT_ENDS = ("\n", "\r\n", "\n\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e")

# Characters an engine may take for white space between words (Python's \s misses U+180E,
# which Ladybug accepts; the zero-width ones are added so that no reading of them hides a
# keyword pair).
_SPACE = re.compile(r"[\s\u180e\u200b\u200c\u200d\u2060\ufeff]")


@lru_cache(maxsize=len(_COMMENT_ENDS))
def _literals(comment_ends: str) -> re.Pattern[str]:
    """A string literal, a backtick-quoted name, or a comment: their contents are not code."""
    ends = re.escape(comment_ends)
    return re.compile(
        rf"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`|//[^{ends}]*|/\*.*?\*/""",
        re.DOTALL,
    )


_LITERALS = _literals("\r\n")

# Java's \uXXXX escape, which Neo4j's parser decodes before it reads the text: a backslash
# preceded by an even number of backslashes, then u and four hex digits.
_JAVA_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})")


def _java_decoded(cypher: str) -> str:
    return _JAVA_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), cypher)


_WRITE = re.compile(r"(?<![\w.$])(" + "|".join(WRITE_CLAUSES) + r")(?!\w)", re.IGNORECASE)
# Where a statement starts (or a subquery: Neo4j's CALL { USE ... }), after EXPLAIN/PROFILE.
_START = r"(?:^|(?<=\{))\s*(?:(?:EXPLAIN|PROFILE)\s+)?"
#: Statements that act outside the data or on other sessions, refused by read-only entry
#: points though the engines let some of them through: phrase -> what it does.
ADMIN_COMMANDS: dict[str, str] = {
    r"TERMINATE\s+TRANSACTIONS?\b": "stops other sessions' transactions",
    r"(?:START|STOP)\s+DATABASE\b": "starts or stops a database",
    r"(?:ENABLE|DEALLOCATE|REALLOCATE)\s+(?:SERVER|DATABASES?)\b": "changes the cluster",
    r"(?:GRANT|DENY|REVOKE)\b": "changes privileges",
    r"LOAD\s+CSV\b": "reads files or URLs from the server",
    r"LOAD\s+(?:WITH\s+HEADERS\b.*?)?FROM\b": "reads files from the machine",
    r"LOAD\s+EXTENSION\b": "loads an engine extension",
    r"BEGIN\s+TRANSACTION\b": "controls a transaction",
    r"CALL\s+[A-Za-z_]\w*\s*=": "changes an engine setting",
    r"CALL\s+apoc\s*\.\s*(?:load|import|export|cypher|periodic|systemdb|trigger|log)\b": (
        "reaches files, URLs or other statements through a procedure"
    ),
    # The next three only where a statement starts: as words they are also fine aliases.
    _START + r"LOAD\s+(?!(?:EXTENSION|CSV|FROM|WITH)\b)[A-Za-z_`'\"][\w.`'\"/]*": (
        "loads an engine extension"
    ),
    _START + r"USE\s+[A-Za-z_`][\w.`]*": "switches to another database",
    _START + r"(?:BEGIN|COMMIT|ROLLBACK)\b": "controls a transaction",
}
_ADMIN = re.compile(
    r"(?<![\w.$])(" + "|".join(f"(?:{phrase})" for phrase in ADMIN_COMMANDS) + ")",
    re.IGNORECASE | re.DOTALL,
)
_PARAMETER = re.compile(r"\$(?:(\w+)|`((?:[^`]|``)+)`)")


def strip_literals(cypher: str, *, keep_names: bool = False) -> str:
    """``cypher`` with string literals and comments blanked (and quoted names, unless kept)."""
    return _blank(cypher, _LITERALS, keep_names=keep_names)


def _blank(cypher: str, literals: re.Pattern[str], *, keep_names: bool = False) -> str:
    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        if keep_names and text.startswith("`"):
            return text
        return " " * len(text)

    return literals.sub(blank, cypher)


def readings(cypher: str) -> list[list[str]]:
    """``cypher`` as each engine's lexer may read it: per reading, its statements (split at
    ``;``), with literals and comments blanked and every space-like character a space.

    >>> [len(statements) for statements in readings("RETURN 1 // x\\r; RETURN 2")]
    [1, 2]
    """
    texts = dict.fromkeys((cypher, _java_decoded(cypher)))
    seen: dict[tuple[str, ...], None] = {}
    for text in texts:
        for ends in _COMMENT_ENDS:
            blanked = _SPACE.sub(" ", _blank(text, _literals(ends)))
            statements = tuple(part for part in blanked.split(";") if part.strip())
            seen.setdefault(statements or ("",))
    return [list(statements) for statements in seen]


def statement_count(cypher: str) -> int:
    """The most statements any reading of ``cypher`` finds."""
    return max(len(statements) for statements in readings(cypher))


def write_clause(cypher: str) -> str | None:
    """The first write clause any reading of ``cypher`` finds (upper case), or None.

    >>> write_clause("match (n) set n.x = 1")
    'SET'
    >>> write_clause("MATCH (n:`CREATE`) RETURN n // DROP it")
    >>> write_clause("MATCH (n) RETURN n // note\\u000a DETACH DELETE n")
    'DETACH'
    """
    for statements in readings(cypher):
        for statement in statements:
            match = _WRITE.search(statement)
            if match:
                return match.group(1).upper()
    return None


def parameter_names(cypher: str) -> list[str]:
    """Names of the ``$parameters`` used in ``cypher``, in order of first use."""
    names: dict[str, None] = {}
    for match in _PARAMETER.finditer(strip_literals(cypher, keep_names=True)):
        name = match.group(1) or match.group(2).replace("``", "`")
        names.setdefault(name)
    return list(names)


def admin_command(cypher: str) -> tuple[str, str] | None:
    """The first administration command any reading of ``cypher`` finds, and what it does.

    >>> admin_command("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t")
    ('TERMINATE TRANSACTIONS', "stops other sessions' transactions")
    >>> admin_command("MATCH (n) WITH n AS load MATCH (m) RETURN 'LOAD CSV' AS use, m AS commit")
    >>> admin_command("RETURN 1 AS a; load EXTENSION '/tmp/x.so'")
    ('LOAD EXTENSION', 'loads an engine extension')
    """
    for statements in readings(cypher):
        for statement in statements:
            match = _ADMIN.search(statement)
            if match is not None:
                return _named(match.group(1))
    return None


def _named(found: str) -> tuple[str, str]:
    for phrase, effect in ADMIN_COMMANDS.items():
        if re.fullmatch(phrase, found, re.IGNORECASE | re.DOTALL):
            # Named by its first words, as the user wrote them: enough to recognise it.
            words = [w for w in found.upper().split() if w not in ("EXPLAIN", "PROFILE")]
            return " ".join(words[:2]), effect
    raise AssertionError(found)  # pragma: no cover - the pattern is the union of the phrases


def check_single_statement(cypher: str) -> None:
    """Raise :class:`CypherError` if any reading of ``cypher`` holds several statements.

    Ladybug runs every statement of a text before it can say there were several; refusing
    them here, and by the engine's parser (``prepare``), means none of them runs.

    >>> check_single_statement("RETURN 1 AS a; RETURN 2 AS b")
    Traceback (most recent call last):
    ...
    biocluster_kg.kernel.errors.CypherError: one statement at a time, please (found 2; none was run)
    """
    count = statement_count(cypher)
    if count > 1:
        raise CypherError(f"one statement at a time, please (found {count}; none was run)")


def check_read_only(cypher: str) -> None:
    """Raise :class:`ReadOnlyError` if any reading of ``cypher`` writes or is an
    administration command (several statements: :func:`check_single_statement`)."""
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
    for name, value in parameters.items():
        problem = _value_problem(value)
        if problem is not None:
            raise QueryParameterError(f"parameter ${name} {problem}")


#: The stores' integers are 64-bit.
_INT64 = range(-(2**63), 2**63)


def _value_problem(value: Any) -> str | None:
    """Why no store can take ``value`` as a parameter (the engines' own words are a C++
    cast error), or None.

    >>> _value_problem(10**30)
    'is a number too large for the store (at most 9223372036854775807)'
    >>> _value_problem("a\\udcffb")[:44], _value_problem([1, {"x": 2}])
    ('is not valid text: it holds bytes that are n', None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value not in _INT64:
        return f"is a number too large for the store (at most {2**63 - 1})"
    if isinstance(value, str):
        for index, character in enumerate(value):
            if "\ud800" <= character <= "\udfff":
                return (
                    "is not valid text: it holds bytes that are not UTF-8 "
                    f"(U+{ord(character):04X} at position {index + 1})"
                )
        return None
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(value, list | tuple | Mapping):
        for item in items:
            problem = _value_problem(item)
            if problem is not None:
                return problem
    return None
