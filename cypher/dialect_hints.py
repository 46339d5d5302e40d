"""What to do about a Cypher error that comes from one engine's dialect (issue 14).

A statement written for one engine often fails on the other for a known reason: a word the
embedded engine (Ladybug) reserves used as a label, a type or a variable (``Group``,
``end``), or a construct only one of them has (``shortestPath`` vs ``* SHORTEST``,
``type(r)`` vs ``label(r)``, list comprehensions vs ``list_transform``). :func:`hinted`
adds to the engine's message what the problem is and how to write it instead; a message
with no known cause is returned as it was.

The words are those Ladybug 0.22 refuses as a name (measured: ``RETURN 1 AS word`` fails);
a reserved word is only blamed when the error points at it where a name belongs (after
``:``, ``(``, ``[``, ``.`` or ``AS``), so a misplaced ``WHERE`` is not called a name.

>>> message = hinted("ladybug", "MATCH (n:Group) RETURN n.id",
...                  "Invalid input <MATCH (n:Group>: (line: 1, offset: 9)")
>>> print(message.replace("; ", ";\\n"))
Invalid input <MATCH (n:Group>: (line: 1, offset: 9)
hint: Group is a reserved word of the embedded engine (Ladybug);
quote it with backticks: `Group` (e.g. MATCH (n:`Group`) RETURN n.id)
>>> hinted("neo4j", "RETURN 1", "some other error")
'some other error'
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["LADYBUG_RESERVED", "hinted"]

#: Words Ladybug 0.22 does not take as a name unless backtick-quoted (any letter case).
_RESERVED_TEXT = """
    ACYCLIC ALL AND ANY ASC ASCENDING CASE CAST COLUMN COMMIT_SKIP_CHECKPOINT CREATE DBTYPE
    DEFAULT DESC DESCENDING DISTINCT ELSE END ENDS EXISTS FALSE FOR GLOB GROUP HEADERS HINT IN
    INDEX INSTALL JOIN MACRO MULTI_JOIN NONE NOT NULL ON ONLY OPTIONAL OR ORDER PRIMARY PROFILE
    ROLLBACK_SKIP_CHECKPOINT SHORTEST SINGLE STARTS TABLE THEN TRAIL TRUE UNION UNWIND WHEN
    WHERE WITH WSHORTEST XOR"""
LADYBUG_RESERVED = frozenset(_RESERVED_TEXT.split())

_LADYBUG_WHERE = re.compile(r"\(line: (\d+), offset: (\d+)\)")
_NAME_BEFORE = re.compile(r"(?:[:(\[.]|\bAS)\s*$", re.IGNORECASE)

#: (engine, pattern on the statement, pattern on the message, the hint).
_Rule = tuple[str, str | None, str | None, str]
_RULES: list[_Rule] = [
    # Neo4j's constructs on the embedded engine.
    ("ladybug", None, r"function TYPE does not", "type(r) is label(r) on the embedded engine"),
    (
        "ladybug",
        None,
        r"function TO(INTEGER|FLOAT|STRING) does not",
        "on the embedded engine convert with CAST(x AS INT64), CAST(x AS DOUBLE) or "
        "CAST(x AS STRING)",
    ),
    ("ladybug", None, r"function ELEMENTID does not", "use the node's id property (n.id)"),
    (
        "ladybug",
        None,
        r"Cannot find property (\w+) for",
        "{0} is not a property of the knowledge base (Neo4j answers null for it); the "
        "schema's properties are listed in docs/queries.md and biocluster_kg/kernel/schema.py",
    ),
    (
        "ladybug",
        None,
        r"function REDUCE does not",
        "reduce() is not in the embedded engine: aggregate with sum() or list functions",
    ),
    (
        "ladybug",
        r"\bshortestPath\s*\(",
        None,
        "the embedded engine writes shortestPath((a)-[*]-(b)) as (a)-[* SHORTEST 1..N]-(b)",
    ),
    (
        "ladybug",
        r"\[\s*\w+\s+IN\b[^\]]*(\||\bWHERE\b)",
        None,
        "list comprehensions are list_transform(list, x -> ...) and "
        "list_filter(list, x -> ...) on the embedded engine",
    ),
    (
        "ladybug",
        r"\b(WHERE|AND|OR|NOT)\s+\(?\w+:\w",
        r"Invalid input",
        "the embedded engine has no label test n:Label in WHERE: match the label in the "
        "pattern, (n:`Label`), or compare label(n) = 'Label'",
    ),
    (
        "ladybug",
        r"\b(COUNT|CALL|COLLECT)\s*\{",
        r"Invalid input",
        "COUNT { }, COLLECT { } and CALL { } subqueries are not in the embedded engine: use "
        "OPTIONAL MATCH with count(DISTINCT x), or EXISTS { MATCH ... }",
    ),
    (
        "ladybug",
        r"\w\s*\{\s*\.\w",
        r"Invalid input",
        "map projections (n {.id}) are not in the embedded engine: return n.id AS id, ...",
    ),
    ("ladybug", r"\bFOREACH\b", r"Invalid input", "use UNWIND instead of FOREACH"),
    (
        "ladybug",
        None,
        r"Cannot match a built-in function for given function (\S+?)\(",
        "the embedded engine's {0} does not take these types together (Neo4j converts, or "
        "answers null): make them match, e.g. coalesce(x, '') + 'text', list + [element]",
    ),
    (
        "ladybug",
        None,
        r"Function (\w+) did not receive correct arguments",
        "{0}() does not take this type of value on the embedded engine (a list, a path or "
        "null where it wants a number or a text): docs/adhoc-cypher.md says what to write",
    ),
    (
        "ladybug",
        None,
        r"Order by (\S+) is not supported",
        "the embedded engine cannot sort by a {0} value: sort by one element or by size()",
    ),
    (
        "ladybug",
        None,
        r"ORDER BY must be followed by SKIP or LIMIT",
        "the embedded engine sorts in a WITH only before SKIP or LIMIT: sort in the RETURN "
        "(RETURN x ORDER BY x), or add the LIMIT to the WITH",
    ),
    # The embedded engine's constructs on Neo4j.
    (
        "neo4j",
        None,
        r"Unknown function 'label'",
        "label(r) is the embedded engine's: Neo4j writes type(r), or labels(n)[0] for a node",
    ),
    (
        "neo4j",
        r"\blist_(transform|filter)\s*\(",
        None,
        "Neo4j writes list_transform/list_filter as list comprehensions: [x IN list | ...], "
        "[x IN list WHERE ...]",
    ),
    (
        "neo4j",
        r"\blist_extract\s*\(",
        None,
        "Neo4j indexes lists from 0: list[i - 1] for list_extract(list, i)",
    ),
    (
        "neo4j",
        r"\bstruct_extract\s*\(",
        None,
        "Neo4j reads a relationship's ends as startNode(r) and endNode(r)",
    ),
    (
        "neo4j",
        r"\*\s*(SHORTEST|TRAIL)\b",
        None,
        "Neo4j writes (a)-[* SHORTEST 1..N]-(b) as shortestPath((a)-[*1..N]-(b)); its paths "
        "never reuse a relationship, so * TRAIL is just *",
    ),
    (
        "neo4j",
        r"\bCAST\s*\(",
        None,
        "Neo4j converts with toInteger(x), toFloat(x) or toString(x), not CAST(x AS ...)",
    ),
]


def _is_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands where a name belongs (a label, variable, alias)."""
    return bool(_NAME_BEFORE.search(text[:start]) or re.match(r"\s*[.:]", text[end:]))


def _reserved_name(statement: str, message: str) -> str | None:
    """The reserved word the embedded engine's error points at, where a name belongs."""
    where = _LADYBUG_WHERE.search(message)
    if where is None:
        return None
    lines = statement.split("\n")
    line, offset = int(where.group(1)), int(where.group(2))
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    word = re.match(r"\w+", text[offset:])
    if word is None or word.group().upper() not in LADYBUG_RESERVED:
        return None
    if not _is_name(text, offset, offset + word.end()):
        return None
    return word.group()


def _quoted(statement: str, word: str) -> str:
    """``statement`` with ``word`` backtick-quoted wherever it stands as a name."""
    pieces, last = [], 0
    for match in re.finditer(rf"(?<![`\w]){re.escape(word)}(?![`\w])", statement):
        if _is_name(statement, match.start(), match.end()):
            pieces += [statement[last : match.start()], f"`{word}`"]
            last = match.end()
    return "".join(pieces) + statement[last:]


def _example(statement: str, word: str) -> str:
    """The statement itself with the fix, when it is short enough to show."""
    fixed = " ".join(_quoted(statement, word).split())
    return f" (e.g. {fixed})" if len(fixed) <= 120 else ""


def hinted(engine: str, statement: str, message: str) -> str:
    """``message`` with a ``hint:`` line naming the dialect trap and its fix, if known."""
    hints: list[str] = []
    if engine == "ladybug":
        word = _reserved_name(statement, message)
        if word is not None:
            hints.append(
                f"{word} is a reserved word of the embedded engine (Ladybug); quote it with "
                f"backticks: `{word}`{_example(statement, word)}"
            )
    matches: Callable[[str | None, str], bool] = lambda pattern, text: (  # noqa: E731
        pattern is None or re.search(pattern, text, re.IGNORECASE) is not None
    )
    for rule_engine, in_statement, in_message, hint in _RULES:
        if (
            rule_engine == engine
            and matches(in_statement, statement)
            and matches(in_message, message)
        ):
            found = re.search(in_message, message, re.IGNORECASE) if in_message else None
            # A rule's hint may name what the message names ({0}: its first group).
            hints.append(hint.format(*found.groups()) if found and found.groups() else hint)
    unknown = re.search(r"function (\w+) does not exist", message)
    if engine == "ladybug" and unknown and not hints:
        hints.append(
            f"{unknown.group(1).lower()}() is not a function of the embedded engine; "
            "docs/adhoc-cypher.md lists what is translated and what to write instead"
        )
    if not hints:
        return message
    return message + "".join(f"\nhint: {hint}" for hint in hints)
