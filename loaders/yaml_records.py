"""Read a curated YAML data file into raw records that remember their line numbers.

A data file is a mapping with ``source`` (the default source id of its facts), an optional
``description``, and the lists ``nodes`` and ``relationships``; each list item is a
mapping of field names to scalars or lists of scalars. Errors name the file, the line and
the field. YAML anchors and aliases are refused (they would let a small file expand into a
huge one), and so are files over :data:`MAX_FILE_BYTES`.

>>> records = parse_yaml_text('''
... source: s1
... nodes:
...   - id: org:a
...     name_ja: 甲
... ''', "x.yaml")
>>> [(r.kind, r.fields["id"], r.line_of("name_ja")) for r in records]
[('node', 'org:a', 5)]
"""

from __future__ import annotations

import functools
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from biocluster_kg.kernel.errors import Problem, ValidationError
from biocluster_kg.kernel.schema import first_not_text, line_and_column

__all__ = [
    "RawRecord",
    "parse_yaml_text",
    "read_yaml_file",
    "MAX_FILE_BYTES",
    "read_text",
    "compose_yaml",
    "YamlWalker",
    "read_plain_yaml",
    "plain_yaml",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
TOP_LEVEL_KEYS = ("source", "description", "nodes", "relationships")


@dataclass
class RawRecord:
    """One node or relationship as written, before validation."""

    kind: str  # "node" or "relationship"
    fields: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


def read_text(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> str:
    """A data file's text: UTF-8 (a leading BOM is allowed), at most ``limit`` bytes, and only
    characters of the schema's text type (:func:`~biocluster_kg.kernel.schema.text_problem`;
    tab and line breaks are allowed in a file)."""
    try:
        status = path.stat()
    except OSError as error:
        message = f"cannot read: {error.strerror}"
        raise ValidationError(Problem(display, None, None, message)) from None
    if not stat.S_ISREG(status.st_mode):
        # A folder would raise IsADirectoryError below, and a FIFO would block for ever.
        raise ValidationError(Problem(display, None, None, "not a regular file"))
    size = status.st_size
    if size > limit:
        raise ValidationError(
            Problem(display, None, None, f"file is {size} bytes; at most {limit}")
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = f"cannot read: {error.strerror}"
        raise ValidationError(Problem(display, None, None, message)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ValidationError(
            Problem(
                display,
                line,
                None,
                f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            )
        ) from None
    found = first_not_text(text, multiline=True)
    if found is not None:
        # Checked here, for every file, so that YAML, CSV and source documents refuse the
        # same characters and always with a line (PyYAML's own message for a DEL has none).
        index, what = found
        line, column = line_and_column(text, index)
        raise ValidationError(Problem(display, line, None, f"contains {what} (column {column})"))
    return text


def read_yaml_file(path: Path, display: str | None = None) -> list[RawRecord]:
    """Parse one data file; ``display`` is the name used in error messages."""
    name = display or str(path)
    return parse_yaml_text(read_text(path, name), name)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without implicit timestamps: the schema has no date type, so an
    unquoted ``2012-10-01`` is the text it looks like (and ``2012-02-30`` cannot fail)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_TAG = "tag:yaml.org,2002:"
# Plain numbers only: YAML 1.1 also reads 012 as octal 10, 1:20 as 80 (base 60), 0x1f, 1_000,
# and .inf/.nan; YAML 1.2 and every other tool read most of those differently. Refused, not
# guessed, so that a value is stored as the file appears to say.
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_QUOTE_IT = "or quote it to mean the text"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@functools.lru_cache(maxsize=32)
def _composed(text: str) -> yaml.Node | None:
    # PyYAML's pure-Python composer is most of the time a load takes (~0.4 s for the shipped
    # files) and a long-lived process (a notebook, the test suite) reads the same unchanged
    # files again and again. The tree is a pure function of the text and nothing here
    # changes a node after composing, so equal texts share one tree; errors are not cached.
    return yaml.compose(text, Loader=_Loader)


def compose_yaml(text: str, file: str) -> yaml.Node | None:
    """The one way this project reads YAML: the node tree of ``text``, or a
    :class:`ValidationError` naming ``file`` and the line (never a PyYAML traceback).

    The tree is shared by every call with the same text: read it, never change it."""
    try:
        return _composed(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ValidationError(
            Problem(file, line, None, f"malformed YAML: {error.problem or error}")
        ) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise ValidationError(
            Problem(file, line, None, f"malformed YAML: character U+{error.character:04X}")
        ) from None
    except yaml.YAMLError as error:
        raise ValidationError(Problem(file, None, None, f"malformed YAML: {error}")) from None
    except RecursionError:
        # PyYAML's composer recurses once per nesting level ("[[[[...").
        raise ValidationError(
            Problem(file, None, None, "malformed YAML: nested too deeply")
        ) from None


class YamlWalker:
    """Turns composed YAML nodes into plain values, failing with file, line and field.

    Only text, plain decimal numbers, ``true``/``false`` and null are values; anchors and
    aliases are refused, and so is a key given twice in one mapping."""

    def __init__(self, file: str):
        self.file = file
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, field_name: str | None, message: str) -> ValidationError:
        return ValidationError(Problem(self.file, node.start_mark.line + 1, field_name, message))

    def scalar(self, node: yaml.ScalarNode, field_name: str | None) -> Any:
        raw, tag = node.value, node.tag
        if tag == _TAG + "str":
            return raw
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if raw.lower() in ("true", "false"):
                return raw.lower() == "true"
            raise self.fail(
                node, field_name, f"{raw!r} is not a value: write true or false, {_QUOTE_IT}"
            )
        if tag == _TAG + "int":
            if _DECIMAL.fullmatch(raw):
                return int(raw)
            try:
                read_as = _CONSTRUCTOR.construct_yaml_int(node)
            except (ValueError, ArithmeticError):
                raise self.fail(node, field_name, f"{raw!r} is not a number") from None
            raise self.fail(
                node,
                field_name,
                f"{raw!r} is not a plain decimal number (YAML 1.1 reads it as {read_as}): "
                f"write the digits without a leading 0, ':' or '_', {_QUOTE_IT}",
            )
        if tag == _TAG + "float":
            number = float(raw) if _FLOAT.fullmatch(raw) else None
            if number is not None and math.isfinite(number):
                return number
            raise self.fail(node, field_name, f"{raw!r} is not a finite decimal number")
        # Any other tag (!!timestamp, !!binary, !!python/..., !custom) builds objects the
        # schema has no type for; some run code. Refused without calling a constructor.
        raise self.fail(
            node,
            field_name,
            f"unreadable value: could not determine a constructor for the tag {tag!r} "
            "(only text, numbers, true/false and null)",
        )

    def scalar_or_list(self, node: yaml.Node, field_name: str) -> Any:
        self.once(node, field_name)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, field_name)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for item in node.value:
                if not isinstance(item, yaml.ScalarNode):
                    raise self.fail(item, field_name, "list items must be plain values")
                items.append(self.scalar_or_list(item, field_name))
            return items
        raise self.fail(node, field_name, "expected a value or a list of values, not a mapping")

    def once(self, node: yaml.Node, field_name: str | None) -> None:
        if id(node) in self.seen:
            raise self.fail(node, field_name, "YAML anchors and aliases are not allowed")
        self.seen.add(id(node))

    def mapping(self, node: yaml.Node, where: str | None) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """(key, key node, value node) of a mapping whose keys are text, each given once."""
        self.once(node, where)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, where, "expected a mapping of field: value")
        items: list[tuple[str, yaml.Node, yaml.Node]] = []
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
                raise self.fail(key_node, where, "field names must be plain text")
            key = key_node.value
            named = f"{where}.{key}" if where else key
            if key in keys:
                raise self.fail(key_node, named, "field given twice")
            keys.add(key)
            items.append((key, key_node, value_node))
        return items

    def record(self, node: yaml.Node, kind: str) -> RawRecord:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, None, f"each {kind} must be a mapping of field: value")
        fields: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key, key_node, value_node in self.mapping(node, None):
            fields[key] = self.scalar_or_list(value_node, key)
            lines[key] = key_node.start_mark.line + 1
        return RawRecord(kind, fields, self.file, node.start_mark.line + 1, lines)


def parse_yaml_text(text: str, file: str) -> list[RawRecord]:
    """Parse a data file's text into raw records (see the module docstring)."""
    root = compose_yaml(text, file)
    if root is None:
        raise ValidationError(Problem(file, None, None, "the file is empty"))
    walker = YamlWalker(file)
    if not isinstance(root, yaml.MappingNode):
        raise walker.fail(root, None, "expected a mapping with 'nodes' and 'relationships'")
    default_source: Any = None
    records: list[RawRecord] = []
    seen: set[str] = set()
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key == "draft":
            # A drafting assistant's output (loaders.draft): never loaded as it stands.
            raise walker.fail(
                key_node,
                "draft",
                "an unreviewed draft: mark the candidates a person checked with accept: true "
                "and run `biocluster accept FILE`; a draft itself is never loaded",
            )
        if key in seen:
            # PyYAML keeps the last of two 'nodes:' lists: the first would vanish silently.
            raise walker.fail(key_node, key, "top-level key given twice")
        seen.add(str(key))
        if key not in TOP_LEVEL_KEYS:
            raise walker.fail(
                key_node, str(key), f"unknown top-level key; expected one of {TOP_LEVEL_KEYS}"
            )
        if key in ("source", "description"):
            value = walker.scalar_or_list(value_node, key)
            if not isinstance(value, str):
                raise walker.fail(value_node, key, "expected text")
            if key == "source":
                default_source = value
            continue
        if isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null"):
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            raise walker.fail(value_node, key, "expected a list")
        kind = "node" if key == "nodes" else "relationship"
        for item in value_node.value:
            records.append(walker.record(item, kind))
    for record in records:
        if default_source is not None and "source_doc" not in record.fields:
            record.fields["source_doc"] = default_source
            record.field_lines.setdefault("source_doc", record.line)
    return records


def plain_yaml(text: str, file: str) -> Any:
    r"""Any YAML document (a profile, a draft) as plain values, read as strictly as a data
    file: a key given twice, an anchor, a tag or a value that is not text, a plain number,
    true/false or null is a :class:`ValidationError` naming ``file``, line and field.

    >>> plain_yaml("a: 1\nb: [x, {c: true}]\n", "x.yaml")
    {'a': 1, 'b': ['x', {'c': True}]}
    >>> plain_yaml("a: 1\na: 2\n", "x.yaml")
    Traceback (most recent call last):
    biocluster_kg.kernel.errors.ValidationError: invalid data (1 problem):
      x.yaml:2 [a]: field given twice
    """
    root = compose_yaml(text, file)
    if root is None:
        return None
    return _plain(YamlWalker(file), root, None)


def _plain(walker: YamlWalker, node: yaml.Node, where: str | None) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {
            key: _plain(walker, value, f"{where}.{key}" if where else key)
            for key, _, value in walker.mapping(node, where)
        }
    walker.once(node, where)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(walker, item, where) for item in node.value]
    assert isinstance(node, yaml.ScalarNode)  # the composer makes nothing else
    return walker.scalar(node, where)


def read_plain_yaml(path: Path, display: str | None = None) -> Any:
    """:func:`plain_yaml` of a file, read as every data file is (:func:`read_text`: UTF-8,
    no control characters, at most :data:`MAX_FILE_BYTES`, a regular file)."""
    name = display or str(path)
    return plain_yaml(read_text(path, name), name)
