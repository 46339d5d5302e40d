"""Reading one question's ``NAME.cypher`` file: its header and its Cypher.

A query file opens with a header of ``// field: value`` comment lines and continues with
its Cypher (the body)::

    // name: council_and_committee
    // question: Who sits on the council and the committee, in which role and post?
    // question_ja: 推進会議と委員会の構成員・役職・所属は？
    // param: body_ids string[] = ["body:promotion-council"] -- The bodies to list.
    // param: institute_id string = cluster.institute_id -- Id of the institute.
    // param: name name -- Name, English name or alias of the actor.
    // example: name=慶應先端研
    // columns: body_id, role, member_id
    // ordered: true
    MATCH ...

Header syntax, precisely:

- The header is the run of lines at the top of the file that start with ``//``; the body
  starts at the first line that does not (an empty line ends the header, so free comments
  may follow it), or at a ``// dialect:`` line. ``//`` alone is a blank header line. A line
  ``//`` followed by two or more spaces continues the previous field's value.
- Every other header line is ``// FIELD: VALUE``. Fields (each at most once unless said):

  ``name`` (required)
      ``[a-z][a-z0-9_]*``; equal to the file name's stem (``NAME.cypher``).
  ``question``, ``question_ja`` (required)
      The question the query answers, in English and in Japanese.
  ``param`` (repeatable)
      ``NAME TYPE [= DEFAULT] -- DESCRIPTION``. TYPE is one of
      :data:`~biocluster_kg.cypher.parameters.PARAMETER_TYPES`. DEFAULT is a JSON literal of
      that type (not ``null``: the embedded engine cannot type a null parameter),
      ``schema.KEY``: a list of the schema (``labels``, ``actor_labels``, ``types``), or
      ``cluster.KEY``: the value KEY of the workspace's cluster profile
      (:meth:`~biocluster_kg.kernel.cluster.ClusterProfile.query_defaults`). A parameter
      without a default is required.
  ``example`` (repeatable)
      ``NAME=VALUE``, a value (JSON if it parses as JSON, else text) for a parameter, used
      by the catalogue and the tests. Every required parameter needs one.
  ``columns`` (required)
      The result's column names, comma-separated, in order. Checked on every run.
  ``ordered`` (required)
      ``true`` when the body's ORDER BY gives the row order (it must then have one, total:
      ties broken by an id); ``false`` when the database's order means nothing, in which
      case :func:`~biocluster_kg.cypher.library.run_query` sorts the rows by their values,
      column by column, so that output is stable and both backends agree.
  ``analytics`` (optional, default ``false``)
      ``true`` for whole-graph computations that are exempt from the latency targets.

The body is one statement in Neo4j's Cypher, which the adapter step
(:mod:`biocluster_kg.cypher.dialects`) renders for each engine. Where the engines need
different text, the body is a dialect block per backend instead: a line
``// dialect: neo4j`` (or ``ladybug``) opens each block, which runs to the next such line;
before the first only comments may stand (notes on the whole question). Every backend needs
exactly one block. ``{{labels}}``, ``{{actor_labels}}`` and ``{{types}}`` stand for the
schema's lists in either form.

The loader rejects, with :class:`~biocluster_kg.kernel.errors.QueryFileError` naming the file
and the line: a missing, repeated or unknown field; a malformed ``param``; a default of the
wrong type or an unknown ``cluster.`` key; a ``$parameter`` used in a text but not declared,
or declared but not used by every text (a ``$`` inside a comment or a string literal does
not count); an unknown placeholder; a missing, repeated or unknown dialect block; a name that
is not its file's stem (so no two queries can share a name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from biocluster_kg.cypher.dialects import BACKENDS, UnknownPlaceholder, render
from biocluster_kg.cypher.parameters import (
    CLUSTER_PREFIX,
    PARAMETER_TYPES,
    SCHEMA_DEFAULTS,
    SCHEMA_PREFIX,
    Parameter,
    has_type,
    parse_example,
)
from biocluster_kg.cypher.query import Query
from biocluster_kg.cypher.statements import strip_literals
from biocluster_kg.kernel.cluster import ClusterProfile, load_cluster_profile
from biocluster_kg.kernel.errors import QueryFileError

__all__ = ["LIBRARY_DIR", "CLUSTER_KEYS", "parse_query_file", "shipped_defaults"]

#: Where the shipped query files live.
LIBRARY_DIR = Path(__file__).resolve().parent

#: The keys a ``cluster.KEY`` default may name (those of every profile's query defaults).
CLUSTER_KEYS: tuple[str, ...] = tuple(ClusterProfile().query_defaults())

_FIELDS = ("name", "question", "question_ja", "param", "example", "columns", "ordered", "analytics")
_REPEATABLE = frozenset({"param", "example"})
_REQUIRED = ("name", "question", "question_ja", "columns", "ordered")
_QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_FIELD_LINE = re.compile(r"//\s?(?P<field>[a-z_]+):(?:\s+(?P<value>.*))?$")
_CONTINUATION = re.compile(r"//\s{2,}(?P<value>\S.*)$")
_DIALECT_LINE = re.compile(r"//\s?dialect:(?:\s+(?P<value>.*?))?\s*$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s+(?P<type>[a-z]+(?:\[\])?)"
    r"(?:\s*=\s*(?P<default>.+?))?\s+--\s+(?P<doc>\S.*)$"
)
_COLUMN = re.compile(r"[A-Za-z_]\w*")
_PARAMETER_USE = re.compile(r"\$(?:(\w+)|`((?:[^`]|``)+)`)")
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def shipped_defaults() -> dict[str, Any]:
    """The query defaults of the shipped workspace's cluster profile, read once."""
    return load_cluster_profile().query_defaults()


@dataclass
class _Header:
    values: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    body_line: int = 1


@dataclass(frozen=True)
class _Text:
    """A stretch of the body: the first file line it starts on, its text, and whether it
    is the shared text (adapted per backend) or one backend's dialect block."""

    line: int
    text: str
    shared: bool


def _fail(path: Path, line: int | None, message: str) -> QueryFileError:
    where = f"{_display_path(path)}:{line}" if line is not None else _display_path(path)
    return QueryFileError(f"{where}: {message}")


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(LIBRARY_DIR.parent))
    except ValueError:
        return str(path)


def _read_header(path: Path, lines: list[str]) -> _Header:
    header = _Header()
    last: tuple[str, int] | None = None
    number = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.startswith("//") or _DIALECT_LINE.match(line):
            header.body_line = number
            break
        if line.strip() == "//":
            last = None
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and last is not None:
            name, index = last
            start, value = header.values[name][index]
            header.values[name][index] = (start, f"{value} {continuation['value'].strip()}")
            continue
        match = _FIELD_LINE.match(line)
        if not match:
            raise _fail(path, number, f"header line is not '// field: value': {line!r}")
        name, value = match["field"], (match["value"] or "").strip()
        if name not in _FIELDS:
            raise _fail(
                path, number, f"unknown header field {name!r} (known: {', '.join(_FIELDS)})"
            )
        if not value:
            raise _fail(path, number, f"header field {name!r} is empty")
        entries = header.values.setdefault(name, [])
        if entries and name not in _REPEATABLE:
            raise _fail(path, number, f"header field {name!r} repeats line {entries[0][0]}")
        entries.append((number, value))
        last = (name, len(entries) - 1)
    else:
        header.body_line = number + 1
    return header


def _parse_bool(path: Path, line: int, name: str, value: str) -> bool:
    if value not in ("true", "false"):
        raise _fail(path, line, f"{name} must be true or false, not {value!r}")
    return value == "true"


def _parse_parameter(path: Path, line: int, text: str, defaults: Mapping[str, Any]) -> Parameter:
    match = _PARAM.match(text)
    if not match:
        raise _fail(
            path,
            line,
            f"param must be 'NAME TYPE [= DEFAULT] -- DESCRIPTION', not {text!r}",
        )
    name, type_, default_text = match["name"], match["type"], match["default"]
    doc = match["doc"].strip()
    if type_ not in PARAMETER_TYPES:
        raise _fail(
            path,
            line,
            f"param {name}: unknown type {type_!r} (one of {', '.join(PARAMETER_TYPES)})",
        )
    if default_text is None:
        return Parameter(name, type_, doc)
    if default_text.startswith(SCHEMA_PREFIX):
        key = default_text[len(SCHEMA_PREFIX) :]
        if key not in SCHEMA_DEFAULTS:
            raise _fail(
                path,
                line,
                f"param {name}: {default_text} is not a list of the schema "
                f"(known: {', '.join(SCHEMA_PREFIX + k for k in SCHEMA_DEFAULTS)})",
            )
        parameter = Parameter(
            name, type_, doc, list(SCHEMA_DEFAULTS[key]), required=False, default_from=default_text
        )
    elif default_text.startswith(CLUSTER_PREFIX):
        key = default_text[len(CLUSTER_PREFIX) :]
        if key not in CLUSTER_KEYS:
            raise _fail(
                path,
                line,
                f"param {name}: {default_text} is not a value of the cluster profile "
                f"(known: {', '.join(CLUSTER_PREFIX + k for k in CLUSTER_KEYS)})",
            )
        parameter = Parameter(name, type_, doc, required=False, default_from=default_text).resolved(
            defaults
        )
    else:
        parameter = None
    if parameter is not None:
        if not parameter.required and not has_type(parameter, parameter.default, from_text=False):
            raise _fail(
                path,
                line,
                f"param {name}: {default_text} is "
                f"{json.dumps(parameter.default, ensure_ascii=False)}, not of type {type_}",
            )
        return parameter
    try:
        default = json.loads(default_text)
    except (ValueError, RecursionError) as error:
        raise _fail(
            path, line, f"param {name}: default {default_text!r} is not a JSON literal"
        ) from error
    if default is None:
        raise _fail(
            path,
            line,
            f"param {name}: a default may not be null (the embedded engine cannot type a "
            "null parameter); choose a value of the parameter's type",
        )
    probe = Parameter(name, type_, doc, default, required=False)
    if not has_type(probe, default, from_text=False):
        raise _fail(path, line, f"param {name}: default {default_text} is not of type {type_}")
    return probe


def _body_parameters(body: str) -> dict[str, int]:
    """``$parameter`` names used in ``body`` -> offset of first use (literals ignored)."""
    uses: dict[str, int] = {}
    for match in _PARAMETER_USE.finditer(strip_literals(body, keep_names=True)):
        name = match.group(1) or match.group(2).replace("``", "`")
        uses.setdefault(name, match.start())
    return uses


def _split_dialects(path: Path, lines: list[str], first: int) -> dict[str, _Text]:
    """The body from file line ``first`` on: the shared text, or one block per backend."""
    markers: list[tuple[int, str]] = []
    for number in range(first, len(lines) + 1):
        match = _DIALECT_LINE.match(lines[number - 1].rstrip())
        if not match:
            continue
        dialect = match["value"] or ""
        if dialect not in BACKENDS:
            raise _fail(path, number, f"unknown dialect {dialect!r} (one of {', '.join(BACKENDS)})")
        for seen_line, seen in markers:
            if seen == dialect:
                raise _fail(path, number, f"dialect block {dialect} repeats line {seen_line}")
        markers.append((number, dialect))
    if not markers:
        text = _Text(first, "\n".join(lines[first - 1 :]), shared=True)
        return {backend: text for backend in BACKENDS}
    for number in range(first, markers[0][0]):
        line = lines[number - 1].strip()
        if line and not line.startswith("//"):
            raise _fail(
                path,
                number,
                "Cypher before the first '// dialect:' line; put it in each dialect block",
            )
    blocks: dict[str, _Text] = {}
    for index, (number, dialect) in enumerate(markers):
        end = markers[index + 1][0] - 1 if index + 1 < len(markers) else len(lines)
        blocks[dialect] = _Text(number + 1, "\n".join(lines[number:end]), shared=False)
    missing = [backend for backend in BACKENDS if backend not in blocks]
    if missing:
        raise _fail(
            path,
            markers[0][0],
            f"a dialect block for {', '.join(missing)} is missing: with dialect blocks, "
            f"every backend ({', '.join(BACKENDS)}) needs one",
        )
    return blocks


def _render(path: Path, source: _Text, backend: str) -> str:
    try:
        return render(source.text, backend, shared=source.shared)
    except UnknownPlaceholder as error:
        line = source.line + source.text.count("\n", 0, error.offset)
        raise _fail(path, line, str(error)) from None


def parse_query_file(path: Path, *, defaults: Mapping[str, Any] | None = None) -> Query:
    """Parse one ``NAME.cypher`` file into a :class:`~biocluster_kg.cypher.query.Query`.

    ``cluster.`` defaults are resolved from ``defaults`` (a profile's
    :meth:`~biocluster_kg.kernel.cluster.ClusterProfile.query_defaults`; by default the
    shipped workspace's).
    """
    defaults = shipped_defaults() if defaults is None else defaults
    parts = path.name.split(".")
    if len(parts) != 2 or parts[1] != "cypher":
        raise _fail(
            path,
            None,
            "query files are named NAME.cypher, one per question (where the engines "
            f"differ, the file holds a '// dialect: NAME' block for each of {', '.join(BACKENDS)})",
        )
    stem = parts[0]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(path, None, f"cannot read the file: {error}") from error
    # Only \n ends a line (as for the engines and editors), not every Unicode separator.
    lines = text.replace("\r\n", "\n").split("\n")
    header = _read_header(path, lines)

    def single(name: str) -> tuple[int, str]:
        entries = header.values.get(name)
        if not entries:
            last = header.body_line - 1 if header.body_line > 1 else 1
            raise _fail(path, last, f"header field {name!r} is missing")
        return entries[0]

    for name in _REQUIRED:
        single(name)
    name_line, name = single("name")
    if not _QUERY_NAME.fullmatch(name):
        raise _fail(path, name_line, f"name {name!r} must match [a-z][a-z0-9_]*")
    if name != stem:
        raise _fail(path, name_line, f"name {name!r} does not match the file name {path.name}")

    parameters: list[Parameter] = []
    declared_at: dict[str, int] = {}
    for line, value in header.values.get("param", []):
        parameter = _parse_parameter(path, line, value, defaults)
        if parameter.name in declared_at:
            raise _fail(
                path,
                line,
                f"param {parameter.name} is declared twice (first on line "
                f"{declared_at[parameter.name]})",
            )
        declared_at[parameter.name] = line
        parameters.append(parameter)

    examples: dict[str, Any] = {}
    for line, value in header.values.get("example", []):
        key, separator, raw = value.partition("=")
        key = key.strip()
        if not separator or key not in declared_at:
            raise _fail(
                path, line, f"example must be 'PARAM=VALUE' for a declared param: {value!r}"
            )
        if key in examples:
            raise _fail(path, line, f"example for {key} is given twice")
        parameter = next(p for p in parameters if p.name == key)
        example = parse_example(raw.strip())
        if not has_type(parameter, example, from_text=True):
            raise _fail(path, line, f"example {key}={raw.strip()} is not of type {parameter.type}")
        examples[key] = example
    for parameter in parameters:
        # A cluster default the profile leaves empty needs no example: the workspace, not
        # the file, is incomplete, and running the query says so.
        if (
            parameter.required
            and parameter.default_from is None
            and (parameter.name not in examples)
        ):
            raise _fail(
                path,
                declared_at[parameter.name],
                f"required param {parameter.name} needs an '// example: "
                f"{parameter.name}=VALUE' line",
            )

    columns_line, columns_text = single("columns")
    columns = tuple(column.strip() for column in columns_text.split(","))
    for column in columns:
        if not _COLUMN.fullmatch(column):
            raise _fail(path, columns_line, f"column {column!r} is not a name")
    if len(set(columns)) != len(columns):
        raise _fail(path, columns_line, "a column is listed twice")
    ordered_line, ordered_text = single("ordered")
    ordered = _parse_bool(path, ordered_line, "ordered", ordered_text)
    analytics = False
    if "analytics" in header.values:
        line, value = header.values["analytics"][0]
        analytics = _parse_bool(path, line, "analytics", value)

    sources = _split_dialects(path, lines, header.body_line)
    texts: dict[str, str] = {}
    for backend in BACKENDS:
        source = sources[backend]
        rendered = _render(path, source, backend)
        if not rendered.strip():
            raise _fail(path, source.line, "the query has no Cypher after its header")
        used = _body_parameters(rendered)
        for used_name, offset in used.items():
            if used_name not in declared_at:
                line = source.line + rendered.count("\n", 0, offset)
                raise _fail(path, line, f"${used_name} is used but not declared by a param line")
        for parameter in parameters:
            if parameter.name not in used:
                where = "" if source.shared else f" in its {backend} block"
                raise _fail(
                    path,
                    declared_at[parameter.name],
                    f"param {parameter.name} is declared but the query does not use "
                    f"${parameter.name}{where}",
                )
        if ordered and not _ORDER_BY.search(strip_literals(rendered)):
            raise _fail(path, ordered_line, "ordered: true but the query has no ORDER BY")
        texts[backend] = rendered.strip()

    return Query(
        name=name,
        question=single("question")[1],
        question_ja=single("question_ja")[1],
        parameters=tuple(parameters),
        columns=columns,
        ordered=ordered,
        analytics=analytics,
        examples=examples,
        texts=texts,
        path=path,
        variants=tuple(b for b in BACKENDS if not sources[b].shared),
    )
