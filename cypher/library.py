"""The query library: one question per ``.cypher`` file beside this module.

A query file opens with a header of ``// field: value`` comment lines and continues with
one Cypher statement (the body)::

    // name: council_and_committee
    // question: Who sits on the council and the committee, in which role and post?
    // question_ja: 推進会議と委員会の構成員・役職・所属は？
    // param: body_ids string[] = ["body:promotion-council"] -- The bodies to list.
    // param: name name -- Name, English name or alias of the actor.
    // example: name=慶應先端研
    // columns: body_id, role, member_id
    // ordered: true
    MATCH ...

Header syntax, precisely:

- The header is the run of lines at the top of the file that start with ``//``; the body
  starts at the first line that does not (an empty line ends the header, so free comments
  may follow it). ``//`` alone is a blank header line. A line ``//`` followed by two or
  more spaces continues the previous field's value.
- Every other header line is ``// FIELD: VALUE``. Fields (each at most once unless said):

  ``name`` (required)
      ``[a-z][a-z0-9_]*``; equal to the file name's stem (``NAME.cypher``).
  ``question``, ``question_ja`` (required)
      The question the query answers, in English and in Japanese.
  ``param`` (repeatable)
      ``NAME TYPE [= DEFAULT] -- DESCRIPTION``. TYPE is one of :data:`PARAMETER_TYPES`.
      DEFAULT is a JSON literal of that type (not ``null``: the embedded engine cannot type a
      null parameter); a parameter without one is required.
  ``example`` (repeatable)
      ``NAME=VALUE``, a value (JSON if it parses as JSON, else text) for a parameter, used
      by the catalogue and the tests. Every required parameter needs one.
  ``columns`` (required)
      The result's column names, comma-separated, in order. Checked on every run.
  ``ordered`` (required)
      ``true`` when the body's ORDER BY gives the row order (it must then have one, total:
      ties broken by an id); ``false`` when the database's order means nothing, in which
      case :func:`run_query` sorts the rows by their values, column by column, so that
      output is stable and both backends agree.
  ``analytics`` (optional, default ``false``)
      ``true`` for whole-graph computations that are exempt from the latency targets.

The loader rejects, with :class:`~biocluster_kg.kernel.errors.QueryFileError` naming the file and
the line: a missing, repeated or unknown field; a malformed ``param``; a default of the wrong
type; a ``$parameter`` used in the body but not declared, or declared but not used (a ``$``
inside a comment or a string literal does not count); a name that is not its file's stem
(so no two queries can share a name).

Backend variants. Where the two engines' dialects differ, ``NAME.neo4j.cypher`` and
``NAME.ladybug.cypher`` hold each backend's text beside (or instead of) the shared
``NAME.cypher``; every file of a query must carry the same header, and every backend must
get a text (a shared file, or both variants).

Parameters. :meth:`Query.bind` checks given values against the header (unknown, missing or
of the wrong type -> :class:`~biocluster_kg.kernel.errors.QueryParameterError`), applies defaults,
and turns ``name`` parameters into their matching form (NFKC, then lower case). A ``string[]`` given
as text is split on commas (``-p kinds=company,venture``); a ``float`` takes an integer too.
Values only ever reach the database as ``$parameters``.

>>> library = load_library()
>>> query = library.get("council_and_committee")
>>> query.question_ja
'推進会議と連携促進・成果活用委員会の構成員は誰で、どの役職・役割で座っているか？'
>>> query.bind({})["body_ids"]
['body:promotion-council', 'body:collaboration-committee']
>>> normalize_name("ＩＡＢ")
'iab'
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.cypher.statements import strip_literals
from biocluster_kg.kernel.errors import QueryError, QueryFileError, QueryParameterError
from biocluster_kg.kernel.names import name_key

if TYPE_CHECKING:
    from biocluster_kg.cypher.backend import Backend, QueryResult

__all__ = [
    "BACKENDS",
    "PARAMETER_TYPES",
    "LIBRARY_DIR",
    "Parameter",
    "Query",
    "Library",
    "PreparedQuery",
    "normalize_name",
    "parse_query_file",
    "load_library",
    "default_library",
    "run_query",
    "sort_rows",
    "catalogue_markdown",
]

#: Backend names a variant file may carry (``NAME.<backend>.cypher``).
BACKENDS: tuple[str, ...] = ("neo4j", "ladybug")

#: Parameter types a header may declare. ``name`` is a string sent in matching form.
PARAMETER_TYPES: tuple[str, ...] = ("string", "name", "int", "float", "bool", "string[]", "int[]")

#: Where the shipped query files live.
LIBRARY_DIR = Path(__file__).resolve().parent

_FIELDS = ("name", "question", "question_ja", "param", "example", "columns", "ordered", "analytics")
_REPEATABLE = frozenset({"param", "example"})
_REQUIRED = ("name", "question", "question_ja", "columns", "ordered")
_QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_FIELD_LINE = re.compile(r"//\s?(?P<field>[a-z_]+):(?:\s+(?P<value>.*))?$")
_CONTINUATION = re.compile(r"//\s{2,}(?P<value>\S.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s+(?P<type>[a-z]+(?:\[\])?)"
    r"(?:\s*=\s*(?P<default>.+?))?\s+--\s+(?P<doc>\S.*)$"
)
_COLUMN = re.compile(r"[A-Za-z_]\w*")
_PARAMETER_USE = re.compile(r"\$(?:(\w+)|`((?:[^`]|``)+)`)")
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def normalize_name(text: str) -> str:
    """The form in which names are matched (:func:`biocluster_kg.kernel.names.name_key`).

    Queries compare it with the stored ``name_keys`` list of each node.

    >>> normalize_name(" Spiber "), normalize_name("（公財）庄内")
    ('spiber', '(公財)庄内')
    """
    return name_key(text)


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: its name, type, default (if optional) and description."""

    name: str
    type: str
    description: str
    default: Any = None
    required: bool = True

    def signature(self) -> str:
        """``name type`` or ``name type = default``, as written in the header."""
        text = f"{self.name} {self.type}"
        if not self.required:
            text += f" = {json.dumps(self.default, ensure_ascii=False)}"
        return text


@dataclass(frozen=True)
class Query:
    """One library question: its header and its Cypher text per backend."""

    name: str
    question: str
    question_ja: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    ordered: bool
    analytics: bool
    examples: Mapping[str, Any]
    texts: Mapping[str, str] = field(repr=False)
    files: Mapping[str, Path] = field(repr=False)

    def text_for(self, backend: str) -> str:
        """The Cypher the named backend runs (its variant, else the shared text)."""
        try:
            return self.texts[backend]
        except KeyError:
            raise QueryError(f"query {self.name!r} has no text for backend {backend!r}") from None

    @property
    def variants(self) -> tuple[str, ...]:
        """Backends with their own variant file (empty when one file serves both)."""
        return tuple(b for b in BACKENDS if self.files.get(b) != self.files.get("shared"))

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

        >>> default_library().get("actor_profile").example_command()
        'biocluster query actor_profile -p name=慶應先端研'
        """
        words = ["biocluster", "query", self.name]
        for key, value in self.examples.items():
            words += ["-p", _shell_word(f"{key}={_display(value)}")]
        return " ".join(words)

    def bind(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Checked parameter values with defaults applied, ready to send.

        >>> query = default_library().get("actor_profile")
        >>> query.bind({"name": " Spiber "})["name"]
        'spiber'
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
                bound[parameter.name] = _check_value(self.name, parameter, given[parameter.name])
            elif parameter.required:
                example = self.examples.get(parameter.name)
                hint = f", e.g. -p {parameter.name}={_display(example)}" if example else ""
                raise QueryParameterError(
                    f"query {self.name}: missing parameter {parameter.name} "
                    f"({parameter.type}: {parameter.description}){hint}"
                )
            else:
                bound[parameter.name] = _check_value(self.name, parameter, parameter.default)
        return bound


@dataclass(frozen=True)
class PreparedQuery:
    """A query with checked parameters, ready to run on any backend."""

    query: Query
    parameters: dict[str, Any]

    def run(self, backend: Backend) -> QueryResult:
        """Run on ``backend``; checks the columns and, for unordered queries, sorts rows."""
        result = backend.run(self.query.text_for(backend.name), self.parameters)
        if tuple(result.columns) != self.query.columns:
            raise QueryError(
                f"query {self.query.name} returned columns {', '.join(result.columns)} on "
                f"{backend.name} but its header declares {', '.join(self.query.columns)}"
            )
        if not self.query.ordered:
            result.rows = sort_rows(result.rows)
        return result


class Library:
    """The queries of a folder, by name."""

    def __init__(self, queries: Iterable[Query]) -> None:
        self._queries = {query.name: query for query in queries}

    def names(self) -> list[str]:
        return sorted(self._queries)

    def __iter__(self) -> Iterator[Query]:
        return iter([self._queries[name] for name in self.names()])

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def get(self, name: str) -> Query:
        """The query called ``name``; :class:`QueryError` with suggestions if none is."""
        try:
            return self._queries[name]
        except KeyError:
            close = _similar(name, self.names())
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise QueryError(
                f"no query named {name!r}{hint}; `biocluster queries` lists them"
            ) from None

    def prepare(self, name: str, parameters: Mapping[str, Any] | None = None) -> PreparedQuery:
        """Look up ``name`` and check ``parameters``, before any store is opened."""
        query = self.get(name)
        return PreparedQuery(query, query.bind(parameters))


def _similar(wanted: str, names: list[str]) -> list[str]:
    """Up to three names like ``wanted``, whole or by one of their words (``councl``).

    >>> _similar("councl", ["budget_tree", "council_and_committee"])
    ['council_and_committee']
    """

    def score(name: str) -> float:
        parts = [name, *name.split("_")]
        return max(difflib.SequenceMatcher(None, wanted, part).ratio() for part in parts)

    scored = sorted((-score(name), name) for name in names)
    return [name for negative, name in scored[:3] if -negative >= 0.75]


# -- parsing ---------------------------------------------------------------------------------


@dataclass
class _Header:
    values: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    body_line: int = 1


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
        if not line.startswith("//"):
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


def _parse_parameter(path: Path, line: int, text: str) -> Parameter:
    match = _PARAM.match(text)
    if not match:
        raise _fail(
            path,
            line,
            f"param must be 'NAME TYPE [= DEFAULT] -- DESCRIPTION', not {text!r}",
        )
    name, type_, default_text = match["name"], match["type"], match["default"]
    if type_ not in PARAMETER_TYPES:
        raise _fail(
            path,
            line,
            f"param {name}: unknown type {type_!r} (one of {', '.join(PARAMETER_TYPES)})",
        )
    if default_text is None:
        return Parameter(name, type_, match["doc"].strip())
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
    probe = Parameter(name, type_, match["doc"].strip(), default, required=False)
    if not _has_type(probe, default, from_text=False):
        raise _fail(path, line, f"param {name}: default {default_text} is not of type {type_}")
    return probe


def _body_parameters(body: str) -> dict[str, int]:
    """``$parameter`` names used in ``body`` -> offset of first use (literals ignored)."""
    uses: dict[str, int] = {}
    for match in _PARAMETER_USE.finditer(strip_literals(body, keep_names=True)):
        name = match.group(1) or match.group(2).replace("``", "`")
        uses.setdefault(name, match.start())
    return uses


def parse_query_file(path: Path) -> tuple[Query, str]:
    """Parse one file into a one-backend :class:`Query` and the backend it serves.

    The backend is ``"shared"`` for ``NAME.cypher``, else the infix of ``NAME.<b>.cypher``.
    """
    parts = path.name.split(".")
    if len(parts) == 2 and parts[1] == "cypher":
        stem, backend = parts[0], "shared"
    elif len(parts) == 3 and parts[2] == "cypher" and parts[1] in BACKENDS:
        stem, backend = parts[0], parts[1]
    else:
        raise _fail(
            path,
            None,
            "query files are named NAME.cypher or NAME.<backend>.cypher with backend one "
            f"of {', '.join(BACKENDS)}",
        )
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
        parameter = _parse_parameter(path, line, value)
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
        example = _parse_example(raw.strip())
        if not _has_type(parameter, example, from_text=True):
            raise _fail(path, line, f"example {key}={raw.strip()} is not of type {parameter.type}")
        examples[key] = example
    for parameter in parameters:
        if parameter.required and parameter.name not in examples:
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

    body_lines = lines[header.body_line - 1 :]
    body = "\n".join(body_lines).strip()
    if not body:
        raise _fail(path, header.body_line, "the query has no Cypher after its header")
    offset_base = header.body_line
    full_body = "\n".join(body_lines)
    used = _body_parameters(full_body)
    for used_name, offset in used.items():
        if used_name not in declared_at:
            line = offset_base + full_body.count("\n", 0, offset)
            raise _fail(path, line, f"${used_name} is used but not declared by a param line")
    for parameter in parameters:
        if parameter.name not in used:
            raise _fail(
                path,
                declared_at[parameter.name],
                f"param {parameter.name} is declared but the query does not use ${parameter.name}",
            )
    if ordered and not _ORDER_BY.search(strip_literals(full_body)):
        raise _fail(path, ordered_line, "ordered: true but the query has no ORDER BY")

    query = Query(
        name=name,
        question=single("question")[1],
        question_ja=single("question_ja")[1],
        parameters=tuple(parameters),
        columns=columns,
        ordered=ordered,
        analytics=analytics,
        examples=examples,
        texts={backend: body},
        files={backend: path},
    )
    return query, backend


def _header_key(query: Query) -> tuple[Any, ...]:
    return (
        query.name,
        query.question,
        query.question_ja,
        query.parameters,
        query.columns,
        query.ordered,
        query.analytics,
        tuple(sorted((k, json.dumps(v, ensure_ascii=False)) for k, v in query.examples.items())),
    )


def load_library(directory: Path | None = None) -> Library:
    """Parse every ``*.cypher`` file of ``directory`` (default: the shipped library)."""
    directory = Path(directory) if directory is not None else LIBRARY_DIR
    by_name: dict[str, dict[str, tuple[Query, Path]]] = {}
    for path in sorted(directory.glob("*.cypher")):
        # A name must equal its file's stem, so two queries can never share one.
        query, backend = parse_query_file(path)
        by_name.setdefault(query.name, {})[backend] = (query, path)

    queries = []
    for name, files in sorted(by_name.items()):
        reference_backend = "shared" if "shared" in files else next(iter(files))
        reference, reference_path = files[reference_backend]
        for query, path in files.values():
            if _header_key(query) != _header_key(reference):
                raise _fail(
                    path,
                    1,
                    f"header differs from {reference_path.name}: every file of query "
                    f"{name!r} must carry the same header",
                )
        texts: dict[str, str] = {}
        paths: dict[str, Path] = {}
        if "shared" in files:
            paths["shared"] = files["shared"][1]
        for backend in BACKENDS:
            source = files.get(backend) or files.get("shared")
            if source is None:
                raise _fail(
                    reference_path,
                    None,
                    f"query {name!r} has no text for {backend}: add {name}.cypher or "
                    f"{name}.{backend}.cypher",
                )
            texts[backend] = next(iter(source[0].texts.values()))
            paths[backend] = source[1]
        queries.append(
            Query(
                name=reference.name,
                question=reference.question,
                question_ja=reference.question_ja,
                parameters=reference.parameters,
                columns=reference.columns,
                ordered=reference.ordered,
                analytics=reference.analytics,
                examples=reference.examples,
                texts=texts,
                files=paths,
            )
        )
    return Library(queries)


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The shipped library, parsed once per process."""
    return load_library()


def run_query(
    backend: Backend,
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    library: Library | None = None,
) -> QueryResult:
    """Run library query ``name`` on ``backend`` with checked ``parameters``.

    Raises :class:`QueryError` for an unknown query, :class:`QueryParameterError` for bad
    parameters (before the store is touched) and whatever the backend raises for Cypher.

    >>> import tempfile, pathlib
    >>> from biocluster_kg.cypher.ladybug_backend import LadybugBackend
    >>> from biocluster_kg.loaders import load_knowledge_base
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with LadybugBackend(pathlib.Path(folder) / "kb.lbug") as store:
    ...         _ = store.load(load_knowledge_base())
    ...         result = run_query(store, "council_and_committee")
    >>> result.records()[0]["member_name_ja"], result.records()[0]["role_ja"]
    ('山形県知事', '会長')
    """
    prepared = (library or default_library()).prepare(name, parameters)
    return prepared.run(backend)


# -- values ----------------------------------------------------------------------------------

_TYPE_WORDS = {
    "string": "a string",
    "name": "a name (text)",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "string[]": "a list of strings (JSON list or comma-separated text)",
    "int[]": "a list of integers (JSON list)",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _has_type(parameter: Parameter, value: Any, *, from_text: bool) -> bool:
    type_ = parameter.type
    if type_ in ("string", "name"):
        return isinstance(value, str)
    if type_ == "int":
        return _is_int(value)
    if type_ == "float":
        return _is_int(value) or isinstance(value, float)
    if type_ == "bool":
        return isinstance(value, bool)
    if type_ == "string[]":
        if from_text and isinstance(value, str):
            return True
        return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)
    if type_ == "int[]":
        return isinstance(value, list | tuple) and all(_is_int(item) for item in value)
    return False


def _display(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


_SHELL_SPECIAL = re.compile(r"[\s'\"$`\\;&|<>()*?\[\]{}!#~]")


def _shell_word(text: str) -> str:
    """``text`` quoted for a POSIX shell only when it needs it (Japanese text does not).

    >>> _shell_word("name=先端研"), _shell_word("id=MEMBER_OF:a->b")
    ('name=先端研', "'id=MEMBER_OF:a->b'")
    """
    return shlex.quote(text) if _SHELL_SPECIAL.search(text) else text


def _given(value: Any) -> str:
    if value is None:
        return "null"
    return f"{_display(value)} ({type(value).__name__})"


def _check_value(query: str, parameter: Parameter, value: Any) -> Any:
    if not _has_type(parameter, value, from_text=True):
        hint = ""
        if parameter.type in ("string", "name") and value is not None:
            # As JSON text, then shell-quoted: pasting '"{...}"' by hand broke on inner quotes.
            as_text = json.dumps(_display(value), ensure_ascii=False)
            hint = f"; quote it to pass it as text: -p {_shell_word(f'{parameter.name}={as_text}')}"
        raise QueryParameterError(
            f"query {query}: parameter {parameter.name} must be {_TYPE_WORDS[parameter.type]}, "
            f"got {_given(value)}{hint}"
        )
    if parameter.type == "name":
        return normalize_name(value)
    if parameter.type == "float":
        return float(value)
    if parameter.type == "string[]" and isinstance(value, str):
        return _split_list(value)
    if isinstance(value, list | tuple):
        return list(value)
    return value


def _parse_example(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


# -- stable order for unordered results ------------------------------------------------------


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


# -- the catalogue ---------------------------------------------------------------------------


def catalogue_markdown(library: Library | None = None) -> str:
    """The library as Markdown (docs/queries.md is this text; a test keeps it current)."""
    library = library or default_library()
    out = [
        "# The query library",
        "",
        "Generated from the headers of `cypher/*.cypher` by",
        "`biocluster_kg.cypher.library.catalogue_markdown()`; do not edit by hand",
        "(`python -m biocluster_kg.cypher.library > docs/queries.md` rewrites it).",
        "Run any of them with `biocluster query NAME -p key=value` (add `--neo4j` for the server).",
        "Queries marked *analytics* compute over the whole graph and are exempt from the",
        "latency targets.",
        "",
    ]
    for query in library:
        tags = []
        if query.analytics:
            tags.append("analytics")
        tags.append("ordered" if query.ordered else "unordered (rows sorted by value)")
        if query.variants:
            tags.append("variants: " + ", ".join(query.variants))
        out += [
            f"## `{query.name}`",
            "",
            f"{query.question}  ",
            f"{query.question_ja}",
            "",
            f"*{'; '.join(tags)}*",
            "",
        ]
        if query.parameters:
            out += ["| parameter | type | default | description |", "|---|---|---|---|"]
            for parameter in query.parameters:
                default = (
                    "required"
                    if parameter.required
                    else f"`{json.dumps(parameter.default, ensure_ascii=False)}`"
                )
                description = parameter.description.replace("|", "\\|")
                out.append(f"| `{parameter.name}` | {parameter.type} | {default} | {description} |")
            out.append("")
        out += [f"Columns: {', '.join(f'`{c}`' for c in query.columns)}", ""]
        out += ["```", query.example_command(), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
