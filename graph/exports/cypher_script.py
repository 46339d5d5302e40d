"""A Cypher script that recreates the knowledge base in an EMPTY Neo4j 5 database.

The script is for ``cypher-shell -f`` or any client that runs statements one by one: the
schema statements it is given (constraints and indexes) come first, then
``CALL db.awaitIndexes(300)``, then one ``CREATE`` per node and one ``MATCH ... CREATE`` per
relationship, each on its own line and ending in ``;``. Lines starting with ``//`` are
comments. A script cannot carry parameters, so every value is written as a literal by
:func:`cypher_literal`, which escapes quotes, backslashes, line breaks and control
characters; a literal never spans lines, so splitting the script at line ends is safe
(:func:`script_statements`). Labels, relationship types and property names come from the
schema's allow-list and are backtick-quoted. Nodes are sorted by id, relationships by id.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲'社", "aliases": ["A\\\\B"]}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "chair"}))
>>> statements = script_statements(cypher_script(kb, []))
>>> for statement in statements[:3]:
...     print(statement)
CALL db.awaitIndexes(300)
CREATE (:`Body` {`id`: 'body:b', `name_ja`: '乙'})
CREATE (:`Organization` {`id`: 'org:a', `name_ja`: '甲\\'社', `aliases`: ['A\\\\B']})
>>> print(statements[3].replace(" MATCH", "\\n MATCH").replace(" CREATE", "\\n CREATE"))
MATCH (a:`Organization` {`id`: 'org:a'})
 MATCH (b:`Body` {`id`: 'body:b'})
 CREATE (a)-[:`MEMBER_OF` {`id`: 'r1', `role`: 'chair'}]->(b)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from biocluster_kg.graph.exports.common import (
    ordered_properties,
    sorted_nodes,
    sorted_relationships,
)
from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA, quote_identifier

__all__ = ["cypher_literal", "cypher_string", "cypher_script", "script_statements"]

_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
# Quote, backslash, C0 and C1 controls, DEL and the Unicode line and paragraph separators:
# whatever could end the literal or the line, or hide in a terminal, is escaped.
_SPECIAL = re.compile("['\\\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")

_PROPERTY_NAMES = SCHEMA.property_names()


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def cypher_string(text: str) -> str:
    """``text`` as a single-quoted Cypher string literal.

    >>> print(cypher_string("it's a \\\\ test\\n二行目"))
    'it\\'s a \\\\ test\\n二行目'
    >>> print(cypher_string("\\x00\\u2028"))
    '\\u0000\\u2028'
    """
    if _SURROGATE.search(text):
        raise ExportError(f"text {text[:40]!r} has a lone surrogate, which UTF-8 cannot carry")
    return "'" + _SPECIAL.sub(_escape, text) + "'"


def cypher_literal(value: Any) -> str:
    """A property value as a Cypher literal: string, integer, float, boolean or a list of
    those. A float that is not finite has no literal and is an :class:`ExportError`.

    >>> cypher_literal(["a", "b'"]), cypher_literal(3), cypher_literal(True)
    ("['a', 'b\\\\'']", '3', 'true')
    >>> cypher_literal(1.5e16), cypher_literal(-0.25)
    ('1.5e16', '-0.25')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value!r} has no Cypher literal")
        # openCypher's exponent takes an optional '-' only, so '1e+16' is written '1e16'.
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    raise ExportError(f"cannot write {type(value).__name__} {value!r} as a Cypher literal")


def _map(record_id: str, pairs: list[tuple[str, Any]]) -> str:
    entries = [("id", record_id), *pairs]
    body = ", ".join(
        f"{quote_identifier(name, _PROPERTY_NAMES)}: {cypher_literal(value)}"
        for name, value in entries
    )
    return "{" + body + "}"


def _statements(kb: KnowledgeBase, schema_statements: Sequence[str]) -> list[str]:
    statements = list(schema_statements)
    statements.append("CALL db.awaitIndexes(300)")
    for node in sorted_nodes(kb):
        label = quote_identifier(node.label, SCHEMA.labels)
        pairs = ordered_properties(node.properties, "node")
        statements.append(f"CREATE (:{label} {_map(node.id, pairs)})")
    for rel in sorted_relationships(kb):
        try:
            start, end = kb.nodes[rel.start], kb.nodes[rel.end]
        except KeyError as error:
            raise ExportError(f"relationship {rel.id} refers to a missing node {error}") from None
        type_ = quote_identifier(rel.type, SCHEMA.types)
        pairs = ordered_properties(rel.properties, "relationship")
        statements.append(
            f"MATCH (a:{quote_identifier(start.label, SCHEMA.labels)} "
            f"{{`id`: {cypher_string(start.id)}}}) "
            f"MATCH (b:{quote_identifier(end.label, SCHEMA.labels)} "
            f"{{`id`: {cypher_string(end.id)}}}) "
            f"CREATE (a)-[:{type_} {_map(rel.id, pairs)}]->(b)"
        )
    for statement in statements:
        if "\n" in statement or "\r" in statement:
            raise ExportError(f"a schema statement spans lines: {statement[:60]!r}")
    return statements


def cypher_script(kb: KnowledgeBase, schema_statements: Sequence[str]) -> str:
    """The script as text (see the module docstring). ``schema_statements`` are the
    constraints and indexes to create first, one statement each without ``;``."""
    statements = _statements(kb, schema_statements)
    header = [
        f"// biocluster-kg knowledge base: {len(kb.nodes)} nodes, "
        f"{len(kb.relationships)} relationships.",
        "// Recreates it in an EMPTY Neo4j 5 database: constraints and indexes first, then one",
        "// statement per line with literal values (no parameters). For example:",
        "//   cypher-shell -a bolt://localhost:7687 -u neo4j -d neo4j -f knowledge-base.cypher",
    ]
    return "\n".join(header) + "\n" + "".join(f"{statement};\n" for statement in statements)


def script_statements(script: str) -> list[str]:
    """The statements of a script written by :func:`cypher_script`, without their ``;``."""
    statements = []
    for line in script.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        statements.append(stripped.removesuffix(";"))
    return statements
