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

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from biocluster_kg.kernel.errors import Problem, ValidationError

__all__ = ["RawRecord", "parse_yaml_text", "read_yaml_file", "MAX_FILE_BYTES", "read_text"]

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


def read_text(path: Path, display: str) -> str:
    """A data file's text: UTF-8 (a leading BOM is allowed), size-limited."""
    try:
        status = path.stat()
    except OSError as error:
        message = f"cannot read: {error.strerror}"
        raise ValidationError(Problem(display, None, None, message)) from None
    if not stat.S_ISREG(status.st_mode):
        # A folder would raise IsADirectoryError below, and a FIFO would block for ever.
        raise ValidationError(Problem(display, None, None, "not a regular file"))
    size = status.st_size
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            Problem(display, None, None, f"file is {size} bytes; at most {MAX_FILE_BYTES}")
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
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ValidationError(Problem(display, line, None, "contains a NUL character"))
    return text


def read_yaml_file(path: Path, display: str | None = None) -> list[RawRecord]:
    """Parse one data file; ``display`` is the name used in error messages."""
    name = display or str(path)
    return parse_yaml_text(read_text(path, name), name)


class _Walker:
    def __init__(self, file: str):
        self.file = file
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, field_name: str | None, message: str) -> ValidationError:
        return ValidationError(Problem(self.file, node.start_mark.line + 1, field_name, message))

    def scalar_or_list(self, node: yaml.Node, field_name: str) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, field_name, "YAML anchors and aliases are not allowed")
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.constructor.construct_object(node, deep=True)
            except yaml.YAMLError as error:
                # The problem alone: str(error) adds PyYAML's own "<unicode string>" mark.
                problem = getattr(error, "problem", None) or error
                raise self.fail(node, field_name, f"unreadable value: {problem}") from None
        if isinstance(node, yaml.SequenceNode):
            items = []
            for item in node.value:
                if not isinstance(item, yaml.ScalarNode):
                    raise self.fail(item, field_name, "list items must be plain values")
                items.append(self.scalar_or_list(item, field_name))
            return items
        raise self.fail(node, field_name, "expected a value or a list of values, not a mapping")

    def record(self, node: yaml.Node, kind: str) -> RawRecord:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, None, f"each {kind} must be a mapping of field: value")
        fields: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key_node.value, str):
                raise self.fail(key_node, None, "field names must be plain text")
            key = key_node.value
            if key in fields:
                raise self.fail(key_node, key, "field given twice")
            fields[key] = self.scalar_or_list(value_node, key)
            lines[key] = key_node.start_mark.line + 1
        return RawRecord(kind, fields, self.file, node.start_mark.line + 1, lines)


def parse_yaml_text(text: str, file: str) -> list[RawRecord]:
    """Parse a data file's text into raw records (see the module docstring)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ValidationError(
            Problem(file, line, None, f"malformed YAML: {error.problem or error}")
        ) from None
    except yaml.YAMLError as error:
        raise ValidationError(Problem(file, None, None, f"malformed YAML: {error}")) from None
    except RecursionError:
        # PyYAML's composer recurses once per nesting level ("[[[[...").
        raise ValidationError(
            Problem(file, None, None, "malformed YAML: nested too deeply")
        ) from None
    if root is None:
        raise ValidationError(Problem(file, None, None, "the file is empty"))
    walker = _Walker(file)
    if not isinstance(root, yaml.MappingNode):
        raise walker.fail(root, None, "expected a mapping with 'nodes' and 'relationships'")
    default_source: Any = None
    records: list[RawRecord] = []
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
