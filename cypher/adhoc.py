"""Ad-hoc Cypher on the embedded store: Neo4j's answer, or a refusal that says what to write.

An analyst types Neo4j's Cypher (issue 26). The embedded engine (Ladybug 0.22) parses most of
it but gives different answers to some of it, silently: it reuses a relationship within one
pattern (Neo4j never does), walks variable-length paths that repeat a relationship, indexes
lists and strings from 1, returns ``labels(n)`` as a string, and has no ``db.labels()``.
:func:`to_embedded` turns a Neo4j statement into one that gives Neo4j's rows on Ladybug, or
raises :class:`NotTranslated` with a ``hint:`` naming the form to use. It never passes on a
construct it cannot prove gives the same rows; the contract, construct by construct, is in
``docs/adhoc-cypher.md`` and the corpus in ``tests/adhoc_corpus.yaml`` checks it against a
real Neo4j.

It works on tokens, not on a full grammar: string literals, quoted names, parameters and
comments are single tokens, so nothing inside them is ever rewritten; brackets are matched
first, and each clause is read from its keyword to the next one at the same depth.

>>> print(to_embedded("MATCH (a)-[:FUNDS]->(p)<-[:FUNDS]-(b) RETURN a.id AS a"))
MATCH (a)-[__r1:FUNDS]->(p)<-[__r2:FUNDS]-(b) WHERE __r1 <> __r2 RETURN a.id AS a
>>> print(to_embedded("MATCH (n) RETURN labels(n)[0] AS label, type(r) AS t"))
MATCH (n) RETURN label(n) AS label, label(r) AS t
>>> try:
...     to_embedded("MATCH (n) RETURN id(n) AS i")
... except NotTranslated as refusal:
...     print(refusal.hint)
use the knowledge base's own id property, n.id
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.dialect_hints import LADYBUG_RESERVED
from biocluster_kg.kernel.errors import CypherError
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend, QueryResult

__all__ = ["NotTranslated", "run_adhoc", "to_embedded"]


class NotTranslated(CypherError):
    """A Neo4j construct the embedded engine cannot answer as Neo4j does (with a hint)."""

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(f"{what}\nhint: {hint}")
        self.hint = hint


# -- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)
    |(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    |(?P<name>`(?:[^`]|``)*`)
    |(?P<param>\$(?:\w+|`(?:[^`]|``)*`))
    |(?P<num>\d+\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)
    |(?P<ident>[^\W\d]\w*)
    |(?P<op>\.\.|<>|<=|>=|=~|[^\s])""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str

    @property
    def word(self) -> str:
        """The upper-cased text of an unquoted word ('' for anything else)."""
        return self.text.upper() if self.kind == "ident" else ""


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise CypherError(f"cannot read the statement at offset {position}")
        kind = match.lastgroup or "op"
        tokens.append(_Token(kind, match.group()))
        position = match.end()
    return tokens


_OPEN = {"(": ")", "[": "]", "{": "}"}

#: Words that start a clause (OPTIONAL before MATCH, ORDER before BY).
_CLAUSES = {
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "ORDER", "SKIP", "LIMIT",
    "CALL", "UNION", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE",
    "FOREACH", "LOAD", "USE", "FINISH",
}  # fmt: skip

_TRAIL_HINT = (
    "give the variable-length part an upper bound, e.g. (a)-[*1..3]-(b) (Neo4j's paths never "
    "reuse a relationship; the embedded engine caps unbounded ones at 30 steps)"
)
_SUBQUERY_HINT = (
    "COUNT { }, COLLECT { } and CALL { } subqueries are not in the embedded engine: write "
    "OPTIONAL MATCH ... WITH x, count(DISTINCT y) AS n, or WHERE EXISTS { MATCH ... }"
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PROPERTY_TYPES: dict[str, str] = {
    **{p.name: p.type for p in SCHEMA.all_node_properties()},
    **{p.name: p.type for p in SCHEMA.all_relationship_properties()},
}


def _quoted(text: str) -> str:
    return "`" + text.replace("`", "``") + "`"


@dataclass
class _Relationship:
    variable: str
    types: frozenset[str] | None  # None: any type
    variable_length: bool


@dataclass
class _Translator:
    tokens: list[_Token]
    close: dict[int, int] = field(default_factory=dict)
    counter: int = 0
    generated: bool = False
    procedure_columns: bool = False

    def __post_init__(self) -> None:
        stack: list[int] = []
        for index, token in enumerate(self.tokens):
            if token.kind != "op":
                continue
            if token.text in _OPEN:
                stack.append(index)
            elif token.text in _OPEN.values():
                if not stack or _OPEN[self.tokens[stack[-1]].text] != token.text:
                    raise CypherError(f"unbalanced {token.text!r} in the statement")
                self.close[stack.pop()] = index
        if stack:
            raise CypherError(f"unclosed {self.tokens[stack[-1]].text!r} in the statement")

    # -- helpers ------------------------------------------------------------------------------

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        self.generated = True
        return f"__{prefix}{self.counter}"

    def next_index(self, index: int, limit: int) -> int:
        """The first token at or after ``index`` (before ``limit``) that is not white space."""
        while index < limit and self.tokens[index].kind == "ws":
            index += 1
        return index

    def previous_index(self, index: int, floor: int) -> int:
        """The last token before ``index`` (at or after ``floor``) that is not white space."""
        index -= 1
        while index >= floor and self.tokens[index].kind == "ws":
            index -= 1
        return index

    def text(self, start: int, end: int) -> str:
        return "".join(token.text for token in self.tokens[start:end])

    def split(self, start: int, end: int, separator: str) -> list[tuple[int, int]]:
        """``[start, end)`` split at the ``separator`` tokens that are not inside brackets."""
        parts, index, begin = [], start, start
        while index < end:
            token = self.tokens[index]
            if token.kind == "op" and token.text in _OPEN:
                index = self.close[index] + 1
                continue
            if (token.kind == "op" and token.text == separator) or token.word == separator:
                parts.append((begin, index))
                begin = index + 1
            index += 1
        parts.append((begin, end))
        return parts

    def find_word(self, start: int, end: int, word: str) -> int | None:
        index = start
        while index < end:
            token = self.tokens[index]
            if token.kind == "op" and token.text in _OPEN:
                index = self.close[index] + 1
                continue
            if token.word == word:
                return index
            index += 1
        return None

    # -- queries and clauses ------------------------------------------------------------------

    def query(self, start: int, end: int) -> str:
        clauses = self.clauses(start, end)
        self.check_collect_order(clauses)
        out = [self.text(start, clauses[0][1]) if clauses else self.text(start, end)]
        for index, (keyword, begin, finish) in enumerate(clauses):
            out.append(self.clause(keyword, begin, finish, clauses[index + 1 :]))
        return "".join(out)

    def clauses(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """(keyword, start, end) of each clause; WHERE stays with its MATCH or WITH."""
        starts: list[tuple[str, int]] = []
        index = start
        while index < end:
            token = self.tokens[index]
            if token.kind == "op" and token.text in _OPEN:
                index = self.close[index] + 1
                continue
            word = token.word
            if word in _CLAUSES and word != "WHERE":
                previous = self.previous_index(index, start)
                after_optional = previous >= start and self.tokens[previous].word == "OPTIONAL"
                after_detach = previous >= start and self.tokens[previous].word == "DETACH"
                before = self.tokens[previous].word if previous >= start else ""
                operator = word == "WITH" and before in ("STARTS", "ENDS")  # STARTS WITH
                if (
                    not (word == "MATCH" and after_optional)
                    and not (word == "DELETE" and after_detach)
                    and not operator
                ):
                    starts.append((word, index))
            index += 1
        return [
            (word, begin, starts[number + 1][1] if number + 1 < len(starts) else end)
            for number, (word, begin) in enumerate(starts)
        ]

    def check_collect_order(self, clauses: list[tuple[str, int, int]]) -> None:
        # Neo4j's collect() keeps the order of the rows a WITH ... ORDER BY sorted; the
        # embedded engine's does not (measured), so the list would come back in another order.
        ordered = False
        for keyword, begin, end in clauses:
            if keyword == "ORDER" and ordered is False:
                previous_with = [c for c in clauses if c[1] < begin and c[0] in ("WITH", "RETURN")]
                ordered = bool(previous_with and previous_with[-1][0] == "WITH")
            elif ordered and re.search(r"\bcollect\s*\(", self.text(begin, end), re.IGNORECASE):
                raise NotTranslated(
                    "the embedded engine's collect() does not keep the order of an earlier "
                    "WITH ... ORDER BY",
                    "sort the collected list itself, e.g. RETURN list_sort(collect(x)), or "
                    "return the rows with ORDER BY instead of collecting them",
                )

    def clause(self, keyword: str, start: int, end: int, rest: list[tuple[str, int, int]]) -> str:
        if keyword in ("MATCH", "OPTIONAL"):
            return self.match_clause(start, end)
        if keyword == "CALL":
            return self.call_clause(start, end, rest)
        if keyword in ("RETURN", "WITH"):
            return self.projection(keyword, start, end, rest)
        if keyword == "ORDER":
            return self.order_by(start, end)
        if keyword in ("MERGE", "CREATE"):
            # Patterns that write: the uniqueness rule is about matching, leave them as written.
            return self.text(start, end)
        return self.expression(start, end)

    def match_clause(self, start: int, end: int) -> str:
        keyword_end = self.find_word(start, end, "MATCH")
        if keyword_end is None:
            return self.text(start, end)  # not Cypher: the engine's syntax error says so
        pattern_start = keyword_end + 1
        where = self.find_word(pattern_start, end, "WHERE")
        pattern_end = where if where is not None else end
        pattern, predicates = self.pattern(pattern_start, pattern_end)
        head = self.text(start, pattern_start)
        if where is None:
            if not predicates:
                return head + pattern
            # Keep the clause's trailing white space after the added WHERE.
            stripped = pattern.rstrip()
            return head + stripped + " WHERE " + " AND ".join(predicates) + pattern[len(stripped) :]
        condition = self.expression(where + 1, end)
        if not predicates:
            return head + pattern + "WHERE" + condition
        stripped = condition.rstrip()
        return (
            head
            + pattern
            + "WHERE "
            + " AND ".join(predicates)
            + " AND ("
            + stripped.lstrip()
            + ")"
            + condition[len(stripped) :]
        )

    def call_clause(self, start: int, end: int, rest: list[tuple[str, int, int]]) -> str:
        first = self.next_index(start + 1, end)
        if first < end and self.tokens[first].text == "{":
            raise NotTranslated(
                "CALL { } subqueries are not in the embedded engine", _SUBQUERY_HINT
            )
        name_end = first
        while name_end < end and (
            self.tokens[name_end].kind == "ident" or self.tokens[name_end].text == "."
        ):
            name_end += 1
        name = self.text(first, name_end)
        # Answered from the schema: the stores are built from it, and a Neo4j store made by
        # `biocluster load` knows every schema label and type (its constraints name them).
        procedures = {
            "db.labels": ("label", SCHEMA.labels),
            "db.relationshiptypes": ("relationshipType", SCHEMA.types),
        }
        if name.lower() in procedures:
            column, names = procedures[name.lower()]
            return self.known_procedure(name, name_end, end, column, names, bool(rest))
        if "." in name:
            raise NotTranslated(
                f"the embedded engine has no procedure {name}()",
                "CALL db.labels() and CALL db.relationshipTypes() are answered; for property "
                "keys see the schema (docs/adhoc-cypher.md), or the embedded engine's own "
                "CALL table_info('Organization') RETURN *",
            )
        # The embedded engine's own procedures (show_tables, table_info, ...): its answer.
        return self.text(start, end)

    def known_procedure(
        self,
        name: str,
        name_end: int,
        end: int,
        column: str,
        names: tuple[str, ...],
        followed: bool,
    ) -> str:
        index = self.next_index(name_end, end)
        if index >= end or self.tokens[index].text != "(":
            raise NotTranslated(f"cannot read CALL {name}", f"write CALL {name}()")
        listed = "[" + ", ".join(f"'{n}'" for n in names if _NAME.fullmatch(n)) + "]"
        after = self.next_index(self.close[index] + 1, end)
        if after >= end:
            if followed:
                raise NotTranslated(
                    f"CALL {name}() needs YIELD before other clauses", f"YIELD {column}"
                )
            return f"UNWIND {listed} AS {column} RETURN {column} "
        if self.tokens[after].word != "YIELD":
            raise NotTranslated(f"cannot read CALL {name}", f"CALL {name}() YIELD {column}")
        where = self.find_word(after + 1, end, "WHERE")
        item_end = where if where is not None else end
        words = self.text(after + 1, item_end).split()
        if (
            not words
            or words[0] != column
            or len(words) not in (1, 3)
            or (len(words) == 3 and words[1].upper() != "AS")
        ):
            raise NotTranslated(
                f"CALL {name}() yields one column, {column}", f"YIELD {column} [AS name]"
            )
        alias = words[2] if len(words) == 3 else column
        text = f"UNWIND {listed} AS {alias} "
        if where is not None:
            text += f"WITH {alias} WHERE {self.expression(where + 1, end).strip()} "
        if not followed:
            text += f"RETURN {alias} "
        return text

    # -- projections --------------------------------------------------------------------------

    def projection(
        self, keyword: str, start: int, end: int, rest: list[tuple[str, int, int]]
    ) -> str:
        index = self.next_index(start + 1, end)
        head_end = index
        if index < end and self.tokens[index].word == "DISTINCT":
            head_end = index + 1
        where = self.find_word(head_end, end, "WHERE") if keyword == "WITH" else None
        items_end = where if where is not None else end
        first = self.next_index(head_end, items_end)
        if first < items_end and self.tokens[first].text == "*" and self.generated:
            raise NotTranslated(
                f"{keyword} * would also return the variables added to keep Neo4j's "
                "relationship rule",
                f"name the columns: {keyword} a, b, ...",
            )
        out = [self.text(start, head_end)]
        items = self.split(head_end, items_end, ",")
        for number, (item_start, item_end) in enumerate(items):
            if number:
                out.append(",")
            translated = self.expression(item_start, item_end)
            if keyword == "RETURN" and self.find_word(item_start, item_end, "AS") is None:
                written = self.text(item_start, item_end)
                core = written.strip()
                single = _NAME.fullmatch(core) is not None
                if core and core != "*" and not single:
                    # Neo4j names a column by the expression as written; Ladybug by its own
                    # rendering (COUNT_STAR()): give it Neo4j's name.
                    trailing = translated[len(translated.rstrip()) :]
                    translated = translated.rstrip() + " AS " + _quoted(core) + trailing
            out.append(translated)
        if where is not None:
            out.append("WHERE" + self.expression(where + 1, end))
        return "".join(out)

    def order_by(self, start: int, end: int) -> str:
        by = self.find_word(start, end, "BY")
        if by is None:
            return self.expression(start, end)
        return self.text(start, by + 1) + self.expression(by + 1, end)

    # -- patterns -----------------------------------------------------------------------------

    def pattern(self, start: int, end: int) -> tuple[str, list[str]]:
        """A MATCH pattern in the embedded dialect and the predicates that keep Neo4j's rule:
        no relationship twice within the pattern."""
        relationships: list[_Relationship] = []
        parts_out: list[str] = []
        shortest = False
        trail_paths: list[str] = []
        parts = self.split(start, end, ",")
        for part_start, part_end in parts:
            part_relationships: list[_Relationship] = []
            text, is_shortest, path = self.pattern_part(part_start, part_end, part_relationships)
            shortest = shortest or is_shortest
            if any(r.variable_length for r in part_relationships) and not is_shortest:
                trail_paths.append(path)
            relationships += part_relationships
            parts_out.append(text)
        predicates: list[str] = []
        if len(relationships) > 1:
            if shortest:
                raise NotTranslated(
                    "the embedded engine cannot combine a shortest path with other "
                    "relationships in one MATCH as Neo4j does",
                    "match the other relationships in a MATCH of their own, before the "
                    "shortest path",
                )
            variable_length = [r for r in relationships if r.variable_length]
            if variable_length:
                if len(parts) > 1:
                    raise NotTranslated(
                        "the embedded engine cannot keep Neo4j's rule (no relationship "
                        "twice in one MATCH) across a variable-length part and another "
                        "comma-separated part",
                        "write the parts as one chain (a)-[...]-(b)-[*1..2]-(c), or count "
                        "DISTINCT end nodes",
                    )
                predicates.append(f"is_trail({trail_paths[0]})")
            else:
                for first, second in combinations(relationships, 2):
                    if first.types is None or second.types is None or first.types & second.types:
                        predicates.append(f"{first.variable} <> {second.variable}")
        return ",".join(parts_out), predicates

    def pattern_part(
        self, start: int, end: int, relationships: list[_Relationship]
    ) -> tuple[str, bool, str]:
        index = self.next_index(start, end)
        path = ""
        # A path variable: p = ...
        if index < end and self.tokens[index].kind in ("ident", "name"):
            equals = self.next_index(index + 1, end)
            if equals < end and self.tokens[equals].text == "=":
                path = self.tokens[index].text
                index = self.next_index(equals + 1, end)
        prefix = self.text(start, index)
        if index < end and self.tokens[index].word in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
            opening = self.next_index(index + 1, end)
            if opening >= end or self.tokens[opening].text != "(":
                raise NotTranslated(
                    "cannot read the shortest path", "shortestPath((a)-[*..10]-(b))"
                )
            closing = self.close[opening]
            every = self.tokens[index].word == "ALLSHORTESTPATHS"
            body = self.chain(
                opening + 1, closing, relationships, "ALL SHORTEST" if every else "SHORTEST"
            )
            if not every:
                self.check_shortest_use(path)
            return prefix + body.strip() + self.text(closing + 1, end), True, path
        before = len(relationships)
        body = self.chain(index, end, relationships, shortest=None)
        if any(r.variable_length for r in relationships[before:]) and not path:
            path = self.fresh("p")
            prefix += f"{path} = "
        return prefix + body, False, path

    def check_shortest_use(self, path: str) -> None:
        # Neo4j returns one of the shortest paths when several tie, and the embedded engine may
        # return another: only their length is the same answer.
        if not path:
            return
        uses = [
            i for i, token in enumerate(self.tokens) if token.kind == "ident" and token.text == path
        ]
        for use in uses[1:]:
            before = self.previous_index(use, 0)
            opening = before
            function = self.previous_index(opening, 0)
            if not (
                self.tokens[before].text == "("
                and function >= 0
                and self.tokens[function].word == "LENGTH"
            ):
                raise NotTranslated(
                    "when several shortest paths tie, Neo4j's shortestPath() and the embedded "
                    "engine's may return different ones",
                    f"ask for length({path}), or list every shortest path with "
                    "allShortestPaths(...)",
                )

    def chain(
        self,
        start: int,
        end: int,
        relationships: list[_Relationship],
        shortest: str | None,
    ) -> str:
        """(node)-[rel]-(node)... with relationship variables named and labels checked."""
        out: list[str] = []
        index = start
        while index < end:
            token = self.tokens[index]
            if token.kind == "op" and token.text == "(":
                closing = self.close[index]
                out.append(self.node(index, closing))
                index = closing + 1
                continue
            if token.kind == "op" and token.text in "<-":
                # A relationship runs to the next node pattern.
                finish = index
                while finish < end and self.tokens[finish].text != "(":
                    if self.tokens[finish].text == "[":
                        finish = self.close[finish]
                    finish += 1
                out.append(self.relationship(index, finish, relationships, shortest))
                index = finish
                continue
            if token.kind == "ws":
                out.append(token.text)
                index += 1
                continue
            raise NotTranslated(
                f"cannot read the pattern at {token.text!r}",
                "write patterns as (a)-[r:TYPE]->(b), one path per comma",
            )
        return "".join(out)

    def node(self, opening: int, closing: int) -> str:
        out = ["("]
        index = opening + 1
        seen_label = False
        while index < closing:
            token = self.tokens[index]
            if token.kind == "op" and token.text == "{":
                end = self.close[index]
                self.check_property_map(index, end)
                out.append("{" + self.expression(index + 1, end) + "}")
                index = end + 1
                continue
            if token.kind == "op" and token.text == ":":
                if seen_label:
                    raise NotTranslated(
                        "(n:A:B) means a node with both labels in Neo4j and either label in "
                        "the embedded engine; every node here has exactly one label",
                        "write (n:A|B) for either label",
                    )
                seen_label = True
                out.append(":")
                index += 1
                continue
            if token.kind == "op" and token.text == "|" and seen_label:
                out.append(":")  # Ladybug writes a label disjunction with ':'
                index += 1
                continue
            if token.kind == "op" and token.text in "&!%":
                raise NotTranslated(
                    f"label expressions with {token.text} are not in the embedded engine",
                    "match one label, or (n:A|B) for either",
                )
            if token.word == "WHERE":
                raise NotTranslated(
                    "a WHERE inside a node pattern is not in the embedded engine",
                    "move it after the pattern: MATCH (n:Label) WHERE ...",
                )
            if seen_label and token.kind in ("ident", "name"):
                out.append(self.label(token.text, SCHEMA.labels, "label"))
                index += 1
                continue
            out.append(token.text)
            index += 1
        out.append(")")
        return "".join(out)

    @staticmethod
    def label(written: str, known: tuple[str, ...], what: str) -> str:
        """A label or type of the schema, quoted where the embedded engine reserves the word
        (Group). The embedded engine matches names in any letter case and fails on a name it
        does not have; Neo4j matches the exact name and answers no rows for another."""
        name = written[1:-1].replace("``", "`") if written.startswith("`") else written
        if name not in known:
            close = [k for k in known if k.lower() == name.lower()]
            listed = ", ".join(known)
            raise NotTranslated(
                f"{name} is not a {what} of the knowledge base (Neo4j would answer no rows)",
                f"did you mean {close[0]}? Names are case-sensitive"
                if close
                else f"the {what}s are {listed}",
            )
        return _quoted(name) if name.upper() in LADYBUG_RESERVED else written

    def relationship(
        self,
        start: int,
        end: int,
        relationships: list[_Relationship],
        shortest: str | None,
    ) -> str:
        bracket = next((i for i in range(start, end) if self.tokens[i].text == "["), None)
        outside = (
            range(start, end)
            if bracket is None
            else [
                *range(start, bracket),
                *range(self.close[bracket] + 1, end),
            ]
        )
        texts = [self.tokens[i].text for i in outside if self.tokens[i].kind != "ws"]
        left = bool(texts) and texts[0] == "<"
        right = bool(texts) and texts[-1] == ">"
        outer = [t for t in texts if t not in ("<", ">")]
        if outer != ["-", "-"] or (left and right):
            raise NotTranslated(
                f"cannot read the relationship {self.text(start, end).strip()!r}",
                "write it as -[r:TYPE]->, <-[r:TYPE]- or -[r]-",
            )
        types: list[str] = []
        length: tuple[int | None, int | None] | None = None
        if bracket is None:
            variable, properties = "", ""
        else:
            variable, types, length, properties = self.relationship_detail(
                bracket, self.close[bracket]
            )
        if length is None and shortest:
            raise NotTranslated(
                "a shortest path needs a variable-length relationship",
                "shortestPath((a)-[*..10]-(b))",
            )
        if length is not None:
            low, high = length
            if high is None:
                raise NotTranslated(
                    "a variable-length relationship without an upper bound", _TRAIL_HINT
                )
            if variable:
                raise NotTranslated(
                    "a variable-length relationship variable is a list in Neo4j and a path "
                    "part in the embedded engine",
                    "name the path instead: MATCH p = (a)-[*1..3]-(b) RETURN "
                    "relationships(p), length(p)",
                )
            if shortest:
                low = low if low is not None else 1
                star = f"* {shortest} {low}..{high}"
            else:
                low = low if low is not None else 1
                star = f"* TRAIL {low}..{high}"
        else:
            star = ""
            if not variable:
                variable = self.fresh("r")
        relationships.append(
            _Relationship(
                variable,
                frozenset(t.strip("`") for t in types) if types else None,
                length is not None,
            )
        )
        type_text = ":" + "|".join(types) if types else ""
        detail = f"{variable}{type_text}{star}{(' ' + properties) if properties else ''}"
        return ("<-" if left else "-") + f"[{detail}]" + ("->" if right else "-")

    def relationship_detail(
        self, opening: int, closing: int
    ) -> tuple[str, list[str], tuple[int | None, int | None] | None, str]:
        variable = ""
        types: list[str] = []
        length: tuple[int | None, int | None] | None = None
        properties = ""
        index = self.next_index(opening + 1, closing)
        if index < closing and self.tokens[index].kind in ("ident", "name"):
            variable = self.tokens[index].text
            index = self.next_index(index + 1, closing)
        if index < closing and self.tokens[index].text == ":":
            index = self.next_index(index + 1, closing)
            while index < closing:
                token = self.tokens[index]
                if token.kind in ("ident", "name"):
                    types.append(self.label(token.text, SCHEMA.types, "relationship type"))
                elif token.text == "|" or token.text == ":":
                    pass
                elif token.text in "&!%":
                    raise NotTranslated(
                        f"type expressions with {token.text} are not in the embedded engine",
                        "name the types: [r:A|B]",
                    )
                else:
                    break
                index = self.next_index(index + 1, closing)
        if index < closing and self.tokens[index].text == "*":
            bounds = []
            for token in self.tokens[index + 1 : closing]:
                if token.text == "{":
                    break
                if token.kind == "num":
                    bounds.append(token.text)
            if any(not bound.isdigit() for bound in bounds):
                raise NotTranslated("a variable-length range takes whole numbers", "write [*1..3]")
            low: int | None = None
            high: int | None = None
            index = self.next_index(index + 1, closing)
            if index < closing and self.tokens[index].kind == "num":
                low = int(self.tokens[index].text)
                index = self.next_index(index + 1, closing)
                if index < closing and self.tokens[index].text == "..":
                    index = self.next_index(index + 1, closing)
                    if index < closing and self.tokens[index].kind == "num":
                        high = int(self.tokens[index].text)
                        index = self.next_index(index + 1, closing)
                else:
                    high = low
            elif index < closing and self.tokens[index].text == "..":
                index = self.next_index(index + 1, closing)
                if index < closing and self.tokens[index].kind == "num":
                    high = int(self.tokens[index].text)
                    index = self.next_index(index + 1, closing)
            if low is not None and low == 0:
                raise NotTranslated(
                    "zero-length variable-length relationships are not translated",
                    "start the range at 1 and add the start node yourself",
                )
            length = (low, high)
        if index < closing and self.tokens[index].text == "{":
            end = self.close[index]
            self.check_property_map(index, end)
            properties = "{" + self.expression(index + 1, end) + "}"
            index = self.next_index(end + 1, closing)
        if index < closing:
            if self.tokens[index].word == "WHERE":
                raise NotTranslated(
                    "a WHERE inside a relationship pattern is not in the embedded engine",
                    "move it after the pattern: MATCH (a)-[r]->(b) WHERE r....",
                )
            raise NotTranslated(
                f"cannot read the relationship at {self.tokens[index].text!r}",
                "write it as -[r:TYPE*1..3 {key: value}]->",
            )
        return variable, types, length, properties

    # -- expressions --------------------------------------------------------------------------

    def expression(self, start: int, end: int) -> str:
        out: list[str] = []
        index = start
        while index < end:
            token = self.tokens[index]
            following = self.next_index(index + 1, end)
            next_token = self.tokens[following] if following < end else None
            if token.kind == "ident" and next_token is not None and next_token.text == "{":
                word = token.word
                if word in ("COUNT", "COLLECT", "CALL"):
                    raise NotTranslated(
                        f"{word} {{ }} subqueries are not in the embedded engine",
                        _SUBQUERY_HINT,
                    )
                if word == "EXISTS":
                    closing = self.close[following]
                    out.append(token.text + " { " + self.subquery(following + 1, closing) + " }")
                    index = closing + 1
                    continue
                # A map projection: n {.id, ...}
                inner = self.next_index(following + 1, end)
                if inner < end and self.tokens[inner].text == ".":
                    raise NotTranslated(
                        "map projections (n {.id}) are not in the embedded engine",
                        "return the properties as columns: RETURN n.id AS id, ...",
                    )
            if (
                token.kind == "ident"
                and next_token is not None
                and next_token.text == "("
                and token.word not in _EXPRESSION_WORDS
            ):
                closing = self.close[following]
                text, index = self.function(index, following, closing, end)
                out.append(text)
                continue
            if token.kind == "op" and token.text == "[":
                closing = self.close[index]
                previous = self.previous_index(index, start)
                subscript = previous >= start and (
                    self.tokens[previous].kind in ("ident", "name", "param")
                    and self.tokens[previous].word not in _EXPRESSION_WORDS
                    or self.tokens[previous].text in (")", "]")
                )
                if subscript:
                    out.append(self.subscript(index, closing))
                else:
                    out.append(self.list_literal(index, closing))
                index = closing + 1
                continue
            if token.kind == "op" and token.text == "(" and self.is_pattern_predicate(index, end):
                finish = self.pattern_predicate_end(index, end)
                relationships: list[_Relationship] = []
                chain = self.chain(index, finish, relationships, shortest=None)
                predicates = self.uniqueness(relationships)
                where = (" WHERE " + " AND ".join(predicates)) if predicates else ""
                out.append(f"EXISTS {{ MATCH {chain}{where} }}")
                index = finish
                continue
            if token.kind == "op" and token.text in _OPEN:
                closing = self.close[index]
                out.append(
                    token.text + self.expression(index + 1, closing) + self.tokens[closing].text
                )
                index = closing + 1
                continue
            if token.kind == "op" and token.text in _COMPARISONS:
                self.check_comparison(index, start, end)
            if (
                token.word == "CONTAINS"
                and next_token is not None
                and next_token.kind == "str"
                and len(next_token.text) == 2
            ):
                raise NotTranslated(_EMPTY_CONTAINS, _EMPTY_CONTAINS_HINT)
            if (
                token.kind in ("ident", "name")
                and next_token is not None
                and next_token.text == ":"
                and self.is_label_test(index, start)
            ):
                text, index = self.label_test(index, following, end)
                out.append(text)
                continue
            out.append(token.text)
            index += 1
        return "".join(out)

    def operand_type(self, index: int, toward: int) -> str:
        """The type of the operand next to a comparison, when the text tells: a literal, or
        a property the schema declares ('' otherwise). ``toward`` is -1 (left) or 1 (right)."""
        if index < 0 or index >= len(self.tokens):
            return ""
        token = self.tokens[index]
        if token.kind == "num":
            return "number"
        if token.kind == "str":
            return "string"
        if token.kind == "ident":
            if toward < 0:
                dot = self.previous_index(index, 0)
                is_property = dot >= 0 and self.tokens[dot].text == "."
                name = token.text
            else:
                dot = self.next_index(index + 1, len(self.tokens))
                after = self.next_index(dot + 1, len(self.tokens))
                is_property = dot < len(self.tokens) and self.tokens[dot].text == "."
                name = self.tokens[after].text if after < len(self.tokens) else ""
            if is_property:
                kind = _PROPERTY_TYPES.get(name, "")
                if kind in ("int", "float"):
                    return "number"
                if kind == "string":
                    return "string"
        return ""

    def check_property_map(self, opening: int, closing: int) -> None:
        """``{key: value}`` in a pattern compares like ``=``: the same type check."""
        for start, end in self.split(opening + 1, closing, ","):
            key = self.next_index(start, end)
            colon = self.next_index(key + 1, end)
            value = self.next_index(colon + 1, end)
            if value >= end or self.tokens[colon].text != ":":
                continue
            kind = _PROPERTY_TYPES.get(self.tokens[key].text.strip("`"), "")
            declared = {"int": "number", "float": "number", "string": "string"}.get(kind, "")
            given = self.operand_type(value, 1)
            if declared and given and declared != given:
                other = "text" if declared == "number" else "number"
                raise NotTranslated(
                    f"{self.tokens[key].text} holds a {declared.replace('string', 'text')}: "
                    f"Neo4j never finds it equal to a {other}, the embedded engine converts "
                    "one to the other",
                    "compare like with like: {span_line: 42}, {name_ja: '42'}",
                )

    def check_comparison(self, index: int, start: int, end: int) -> None:
        # Ladybug converts between text and numbers to compare them (1 = '1' is true there);
        # Neo4j never equals a number and a text (false, or null for < and >).
        text = self.tokens[index].text
        following = self.next_index(index + 1, end)
        if text in "<>" and following < end and self.tokens[following].text in ("=", ">"):
            return  # the first half of <= or >= or <> read as two tokens
        left = self.operand_type(self.previous_index(index, start), -1)
        right = self.operand_type(following, 1)
        if left and right and left != right:
            raise NotTranslated(
                "a number compared with a text: Neo4j never finds them equal, the embedded "
                "engine converts one to the other",
                "compare like with like: n.span_line = 42, n.name_ja = '42'",
            )

    def uniqueness(self, relationships: list[_Relationship]) -> list[str]:
        if any(r.variable_length for r in relationships):
            raise NotTranslated(
                "variable-length relationships in a pattern predicate are not translated",
                "write WHERE EXISTS { MATCH (a)-[*1..2]-(b) }",
            )
        return [
            f"{a.variable} <> {b.variable}"
            for a, b in combinations(relationships, 2)
            if a.types is None or b.types is None or a.types & b.types
        ]

    def subquery(self, start: int, end: int) -> str:
        first = self.next_index(start, end)
        if first < end and self.tokens[first].word in ("MATCH", "OPTIONAL"):
            return self.query(start, end).strip()
        # EXISTS { (a)-->(b) WHERE ... }: a bare pattern.
        where = self.find_word(start, end, "WHERE")
        pattern, predicates = self.pattern(start, where if where is not None else end)
        condition = [self.expression(where + 1, end).strip()] if where is not None else []
        conditions = predicates + [f"({c})" for c in condition]
        return (
            "MATCH "
            + pattern.strip()
            + (" WHERE " + " AND ".join(conditions) if conditions else "")
        )

    def is_pattern_predicate(self, opening: int, end: int) -> bool:
        closing = self.close[opening]
        after = self.next_index(closing + 1, end)
        following = self.next_index(after + 1, end)
        if after >= end or following >= end:
            return False
        first, second = self.tokens[after].text, self.tokens[following].text
        return (first == "-" and second in ("-", "[")) or (first == "<" and second == "-")

    def pattern_predicate_end(self, opening: int, end: int) -> int:
        index = self.close[opening] + 1
        while True:
            after = self.next_index(index, end)
            if after >= end or self.tokens[after].text not in ("-", "<"):
                return index
            cursor = after
            while cursor < end and self.tokens[cursor].text != "(":
                if self.tokens[cursor].text == "[":
                    cursor = self.close[cursor]
                cursor += 1
            if cursor >= end:
                return index
            index = self.close[cursor] + 1

    def is_label_test(self, index: int, start: int) -> bool:
        """``n:Label`` in an expression (not a map key ``{key: value}``)."""
        previous = self.previous_index(index, 0)
        if previous >= 0 and self.tokens[previous].text in ("{", ","):
            # A map key, when the enclosing bracket is a map's.
            enclosing = self.enclosing(index)
            if enclosing is not None and self.tokens[enclosing].text == "{":
                return False
        following = self.next_index(index + 1, len(self.tokens))
        label = self.next_index(following + 1, len(self.tokens))
        return label < len(self.tokens) and self.tokens[label].kind in ("ident", "name")

    def enclosing(self, index: int) -> int | None:
        best = None
        for opening, closing in self.close.items():
            if opening < index < closing and (best is None or opening > best):
                best = opening
        return best

    def label_test(self, index: int, colon: int, end: int) -> tuple[str, int]:
        variable = self.tokens[index].text
        names: list[str] = []
        cursor = colon
        while True:
            name_at = self.next_index(cursor + 1, end)
            names.append(self.tokens[name_at].text.strip("`"))
            finish = name_at + 1
            cursor = self.next_index(finish, end)
            if cursor < end and self.tokens[cursor].text == "|":
                continue
            if cursor < end and self.tokens[cursor].text in (":", "&"):
                raise NotTranslated(
                    "n:A:B asks for both labels; every node here has exactly one",
                    "test one label, or n:A|B for either",
                )
            break
        for name in names:
            if not _NAME.fullmatch(name):
                raise NotTranslated(f"cannot read the label test {variable}:{name}", "n:Label")
            self.label(name, (*SCHEMA.labels, *SCHEMA.types), "label or relationship type")
        if len(names) == 1:
            text = f"(label({variable}) = '{names[0]}')"
        else:
            text = f"(label({variable}) IN [{', '.join(repr(n) for n in names)}])"
        return text, finish

    def list_literal(self, opening: int, closing: int) -> str:
        first = self.next_index(opening + 1, closing)
        if first < closing and self.tokens[first].text == "(":
            raise NotTranslated(
                "pattern comprehensions [(a)-->(b) | b.x] are not in the embedded engine",
                "OPTIONAL MATCH (a)-->(b) and then collect(b.x) (WITH a, collect(b.x) AS xs)",
            )
        second = self.next_index(first + 1, closing)
        if (
            first < closing
            and self.tokens[first].kind == "ident"
            and second < closing
            and self.tokens[second].text == "="
        ):
            raise NotTranslated(
                "pattern comprehensions [p = (a)-->(b) | ...] are not in the embedded engine",
                "OPTIONAL MATCH p = (a)-->(b) and then collect(...)",
            )
        if (
            first < closing
            and self.tokens[first].kind == "ident"
            and second < closing
            and self.tokens[second].word == "IN"
        ):
            return self.list_comprehension(first, second, closing)
        previous = self.previous_index(opening, 0)
        if (
            previous >= 0
            and self.tokens[previous].word == "IN"
            and any(token.word == "NULL" for token in self.tokens[opening:closing])
        ):
            raise NotTranslated(
                "x IN [..., null] is null in Neo4j when x is not found and false in the "
                "embedded engine",
                "leave null out of the list (test x IS NULL separately)",
            )
        return "[" + self.expression(opening + 1, closing) + "]"

    def list_comprehension(self, variable_at: int, in_at: int, closing: int) -> str:
        # Ladybug's list_filter/list_transform return null or other rows' lists on some rows
        # of a multi-row answer (measured: size([a IN o.aliases WHERE ...]) was null for 4 of
        # 6 organisations), so no translation is exact.
        raise NotTranslated(
            "list comprehensions [x IN list WHERE ... | ...] are not translated: the embedded "
            "engine's list functions give wrong values on some rows",
            "UNWIND the list and filter the rows (UNWIND o.aliases AS a WITH o, a WHERE ... "
            "RETURN o.id, count(a)), or test it with any(x IN list WHERE ...)",
        )

    def subscript(self, opening: int, closing: int) -> str:
        parts = self.split(opening + 1, closing, "..")
        if len(parts) == 2:
            (low_start, low_end), (high_start, high_end) = parts
            low = self.text(low_start, low_end).strip()
            high = self.text(high_start, high_end).strip()
            if not (re.fullmatch(r"\d+", low) and re.fullmatch(r"\d+", high)):
                raise NotTranslated(
                    "list slices are translated only with two non-negative whole numbers",
                    "write list[1..3] (Neo4j counts from 0, the end excluded)",
                )
            if int(high) <= int(low):
                return "[1..0]"
            return f"[{int(low) + 1}..{high}]"
        inner = self.text(opening + 1, closing).strip()
        if re.fullmatch(r"\d+", inner):
            return f"[{int(inner) + 1}]"
        if re.fullmatch(r"-\s*\d+", inner):
            return "[" + inner + "]"  # both count from the end
        if re.fullmatch(r"'[^'\\]*'|\"[^\"\\]*\"", inner):
            raise NotTranslated(
                "dynamic property access n['key'] is not in the embedded engine",
                "write n.key",
            )
        raise NotTranslated(
            "list indexes are translated only when they are whole numbers written out "
            "(Neo4j counts from 0, the embedded engine from 1)",
            "write list[0] for the first element, list[-1] for the last",
        )

    # -- functions ----------------------------------------------------------------------------

    def function(self, name_at: int, opening: int, closing: int, end: int) -> tuple[str, int]:
        name = self.tokens[name_at].text
        lower = name.lower()
        arguments = self.split(opening + 1, closing, ",")
        argument_text = [self.text(a, b).strip() for a, b in arguments]
        after = closing + 1

        def translated_arguments() -> list[str]:
            return [self.expression(a, b).strip() for a, b in arguments]

        if lower in _REFUSED_FUNCTIONS:
            what, hint = _REFUSED_FUNCTIONS[lower]
            raise NotTranslated(what, hint)
        if lower == "type":
            return f"label({translated_arguments()[0]})", after
        if lower == "labels":
            variable = translated_arguments()[0]
            index = self.next_index(after, end)
            if index < end and self.tokens[index].text == "[":
                inner = self.text(index + 1, self.close[index]).strip()
                if inner == "0":
                    return f"label({variable})", self.close[index] + 1
            return f"[label({variable})]", after
        if lower == "substring":
            values = translated_arguments()
            if len(values) == 2:
                values.append(f"size({values[0]})")
            if len(values) != 3:
                return name + "(" + ", ".join(values) + ")", after
            start = values[1]
            shifted = str(int(start) + 1) if re.fullmatch(r"\d+", start) else f"({start}) + 1"
            return f"substring({values[0]}, {shifted}, {values[2]})", after
        if lower in ("tostring", "tointeger", "tofloat"):
            return self.conversion(lower, argument_text, translated_arguments()), after
        if lower == "sum":
            # Neo4j's sum() of no values is 0; the embedded engine's is null (measured).
            inner = ",".join(self.expression(a, b) for a, b in arguments)
            return f"coalesce({name}({inner}), 0)", after
        if lower == "split":
            values = translated_arguments()
            return f"string_split({', '.join(values)})", after
        if lower in ("shortestpath", "allshortestpaths"):
            raise NotTranslated(
                f"{name}() is translated only as a MATCH pattern",
                f"MATCH p = {name}((a)-[*..10]-(b)) RETURN length(p)",
            )
        if lower == "size" and len(arguments) == 1:
            first = self.next_index(arguments[0][0], arguments[0][1])
            if (
                first < arguments[0][1]
                and self.tokens[first].text == "("
                and self.is_pattern_predicate(first, arguments[0][1])
            ):
                raise NotTranslated(
                    "size() of a pattern is not in the embedded engine (nor in Neo4j 5)",
                    "COUNT is not there either: OPTIONAL MATCH the pattern and count(DISTINCT x)",
                )
        return name + "(" + ",".join(self.expression(a, b) for a, b in arguments) + ")", after

    def conversion(self, lower: str, written: list[str], values: list[str]) -> str:
        value = values[0] if values else ""
        kind = _value_type(written[0] if written else "")
        target = {"tostring": "string", "tointeger": "int", "tofloat": "float"}[lower]
        if kind == target:
            return value
        if kind == "int" and target == "string":
            return f"CAST({value} AS STRING)"
        if kind == "int" and target == "float":
            return f"CAST({value} AS DOUBLE)"
        if kind == "null":
            return {"string": "CAST(NULL AS STRING)", "int": "CAST(NULL AS INT64)"}.get(
                target, "CAST(NULL AS DOUBLE)"
            )
        function = {"tostring": "toString", "tointeger": "toInteger", "tofloat": "toFloat"}[lower]
        raise NotTranslated(
            f"{function}() of this value may give another answer on the embedded engine "
            "(its CAST rounds where Neo4j truncates, writes 1.5 as 1.500000 and fails where "
            "Neo4j returns null)",
            f"{function}() is translated for whole-number and text properties (n.span_line); "
            "otherwise CAST(x AS INT64 | DOUBLE | STRING) gives the embedded engine's own "
            "answer",
        )


_COMPARISONS = {"=", "<>", "<", ">", "<=", ">="}
_EMPTY_CONTAINS = "x CONTAINS '' is true in Neo4j and false in the embedded engine"
_EMPTY_CONTAINS_HINT = "leave the test out when the text sought is empty"
#: Characters whose upper or lower case is more than one character (ß -> SS): Neo4j maps
#: them so, the embedded engine one character for one.
_SPECIAL_CASING = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in range(0x80, 0x10000)
        if len(chr(code).upper()) > 1 or len(chr(code).lower()) > 1
    )
    + "]"
)

#: Words after which a '[' starts a list, not a subscript.
_EXPRESSION_WORDS = {
    "RETURN", "WITH", "WHERE", "AND", "OR", "NOT", "XOR", "IN", "UNWIND", "THEN", "ELSE",
    "WHEN", "CASE", "BY", "DISTINCT", "CONTAINS", "STARTS", "ENDS", "AS", "IS",
}  # fmt: skip

_REFUSED_FUNCTIONS: dict[str, tuple[str, str]] = {
    "id": (
        "the embedded engine has no id(): its internal ids are not Neo4j's",
        "use the knowledge base's own id property, n.id",
    ),
    "elementid": (
        "elementId() names Neo4j's internal ids, which the embedded engine does not have",
        "use the knowledge base's own id property, n.id",
    ),
    "keys": (
        "keys() on the embedded engine lists every column of the table, set or not",
        "name the properties you need (n.name_ja, n.kind ...); the schema lists them",
    ),
    "properties": (
        "properties() on the embedded engine also returns the unset properties (as null)",
        "return the properties you need as columns, or the node itself (RETURN n)",
    ),
    "reduce": (
        "reduce() is not in the embedded engine",
        "aggregate instead: UNWIND the list and sum()",
    ),
    "head": (
        "head() is not in the embedded engine",
        "list[0] (translated), or coalesce(list[0], null) where the list may be empty",
    ),
    "last": ("last() is not in the embedded engine", "list[-1] (translated)"),
    "tail": ("tail() is not in the embedded engine", "list[1..N] with N the list's size"),
    "round": (
        "round() rounds halves differently on the two engines (-2.5: Neo4j -2.0, the "
        "embedded engine -3.0)",
        "floor(x + 0.5), which both engines answer alike (Neo4j's round(x))",
    ),
    "trim": (
        "trim() on the embedded engine keeps the ideographic space (U+3000) that Neo4j removes",
        "the stored names have no surrounding spaces; compare them as they are, or "
        "replace(x, '\u3000', '') where the space is meant",
    ),
    "ltrim": ("ltrim() keeps the ideographic space (U+3000) on the embedded engine", "see trim()"),
    "rtrim": ("rtrim() keeps the ideographic space (U+3000) on the embedded engine", "see trim()"),
    "stdev": ("stDev() is not in the embedded engine", "stddev_samp(x) on the embedded engine"),
    "stdevp": ("stDevP() is not in the embedded engine", "stddev_pop(x) on the embedded engine"),
    "exists": (
        "exists(n.property) is gone from Neo4j 5",
        "n.property IS NOT NULL, or EXISTS { MATCH ... } for a pattern",
    ),
    "startnode": (
        "startNode() is not in the embedded engine",
        "name the end nodes in the pattern: MATCH (a)-[r]->(b)",
    ),
    "endnode": (
        "endNode() is not in the embedded engine",
        "name the end nodes in the pattern: MATCH (a)-[r]->(b)",
    ),
    "datetime": ("datetime() is not translated", "dates are text properties here (date_start)"),
    "date": ("date() is not translated", "dates are text properties here (date_start)"),
    "timestamp": ("timestamp() is not translated", "leave it out of ad-hoc statements"),
    "randomuuid": ("randomUUID() is not translated", "leave it out of ad-hoc statements"),
    "rand": ("rand() gives another answer each time", "leave it out of ad-hoc statements"),
}


def _value_type(written: str) -> str:
    """The type of a conversion's argument when it can be told from the text: a literal or
    a property whose type the schema declares ('' when it cannot)."""
    text = written.strip()
    if re.fullmatch(r"-?\d+", text):
        return "int"
    if re.fullmatch(r"-?\d+\.\d+", text):
        return "float"
    if re.fullmatch(r"(?i)null", text):
        return "null"
    if re.fullmatch(r"'[^'\\]*'|\"[^\"\\]*\"", text):
        return "string_literal"
    prop = re.fullmatch(r"[A-Za-z_]\w*\.([A-Za-z_]\w*)", text)
    if prop:
        return {"int": "int", "string": "string", "float": "float"}.get(
            _PROPERTY_TYPES.get(prop.group(1), ""), ""
        )
    return ""


def to_embedded(statement: str) -> str:
    """``statement`` (Neo4j's Cypher) as the embedded engine must run it to give Neo4j's rows.

    Raises :class:`NotTranslated` (with a ``hint:``) for what it cannot prove equal.
    """
    tokens = _tokens(statement)
    _check_name_case(tokens)
    if re.search(r"(?i)\b(toUpper|toLower|upper|lower)\s*\(", statement) and any(
        token.kind == "str" and _SPECIAL_CASING.search(token.text) for token in tokens
    ):
        raise NotTranslated(
            "a letter whose case the engines change differently (ß: Neo4j SS, the embedded "
            "engine ẞ) under toUpper()/toLower()",
            "compare without changing its case",
        )
    translator = _Translator(tokens)
    return translator.query(0, len(translator.tokens))


_KEYWORDS = (
    _CLAUSES
    | _EXPRESSION_WORDS
    | LADYBUG_RESERVED
    | {"TRUE", "FALSE", "NULL", "ASC", "DESC", "ALL", "YIELD", "SHORTEST", "TRAIL", "ON"}
)
_PROPERTY_NAMES = {name.lower(): name for name in _PROPERTY_TYPES}


def _check_name_case(tokens: list[_Token]) -> None:
    """Refuse names that only the embedded engine's case folding would make work.

    Ladybug reads ``n.NAME_JA`` as ``n.name_ja`` and ``N`` as ``n``; Neo4j answers null for
    the first and refuses the second. (Labels and types are checked where they are read.)
    """
    significant = [t for t in tokens if t.kind != "ws"]
    variables: dict[str, set[str]] = {}
    for number, token in enumerate(significant):
        if token.kind != "ident":
            continue
        before = significant[number - 1].text if number else ""
        after = significant[number + 1].text if number + 1 < len(significant) else ""
        if before == ".":
            known = _PROPERTY_NAMES.get(token.text.lower())
            if known is not None and known != token.text:
                raise NotTranslated(
                    f"the knowledge base has no property {token.text} (Neo4j answers null); "
                    "the embedded engine would read it as "
                    f"{known}",
                    f"property names are case-sensitive: write .{known}",
                )
            continue
        if before in (":", "$") or after == "(" or token.word in _KEYWORDS:
            continue
        if after == ":" and before in ("{", ","):
            continue  # a map key
        variables.setdefault(token.text.lower(), set()).add(token.text)
    for spellings in variables.values():
        if len(spellings) > 1:
            names = " and ".join(sorted(spellings))
            raise NotTranslated(
                f"{names} are different names in Neo4j and the same one in the embedded engine",
                "names are case-sensitive: write each variable the same way every time",
            )


def run_adhoc(
    backend: Backend,
    statement: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
) -> QueryResult:
    """Run an analyst's statement: as written on Neo4j, through :func:`to_embedded` on the
    embedded store (the library's own questions are written per engine and skip this)."""
    if backend.name == "ladybug":
        statement = to_embedded(statement)
        case_functions = re.search(r"(?i)\b(toUpper|toLower|upper|lower)\s*\(", statement)
        for name, value in (parameters or {}).items():
            if isinstance(value, str) and value == "" and "CONTAINS" in statement.upper():
                raise NotTranslated(_EMPTY_CONTAINS + f" (${name} is empty)", _EMPTY_CONTAINS_HINT)
            if isinstance(value, str) and case_functions and _SPECIAL_CASING.search(value):
                raise NotTranslated(
                    f"${name} holds a letter whose case the engines change differently "
                    "(ß: Neo4j SS, the embedded engine ẞ)",
                    "compare without changing its case",
                )
        for name, value in (parameters or {}).items():
            if isinstance(value, list) and any(item is None for item in value):
                # x IN [1, null] is null in Neo4j and false in the embedded engine.
                raise NotTranslated(
                    f"the list parameter ${name} holds a null, which the engines compare "
                    "differently",
                    "leave the nulls out of the list",
                )
    return backend.run(statement, parameters, write=write)
