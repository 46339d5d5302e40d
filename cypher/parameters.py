"""A question's parameters: their declared types, defaults, and checking given values.

A default is a JSON literal of the parameter's type, a list of the schema,
``schema.NAME`` (:data:`SCHEMA_DEFAULTS`), or a reference to the workspace's cluster
profile, ``cluster.NAME`` (one of the keys of
:meth:`~biocluster_kg.kernel.cluster.ClusterProfile.query_defaults`): the anchors of a
cluster (its institute, its company kinds, its budget) are data, so the headers do not copy
them. A ``cluster.`` reference is resolved against the profile in use; one the profile
leaves empty makes the parameter required.

>>> parameter = Parameter("institute_id", "string", "The institute.",
...     required=False, default_from="cluster.institute_id")
>>> parameter.resolved({"institute_id": "org:lab"}).default
'org:lab'
>>> parameter.resolved({"institute_id": None}).required
True
>>> normalize_name("ＩＡＢ")
'iab'
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from biocluster_kg.kernel.errors import QueryParameterError
from biocluster_kg.kernel.fiscal import parse_fiscal_year
from biocluster_kg.kernel.names import fold_name
from biocluster_kg.kernel.schema import DEFAULT_TIE_KINDS, SCHEMA

__all__ = [
    "PARAMETER_TYPES",
    "CLUSTER_PREFIX",
    "SCHEMA_PREFIX",
    "SCHEMA_DEFAULTS",
    "Parameter",
    "normalize_name",
    "has_type",
    "check_value",
    "display",
    "shell_word",
    "parse_example",
]

#: Parameter types a header may declare. ``name`` is a name as typed, which the question
#: folds itself (``{{fold($name)}}``, :mod:`biocluster_kg.cypher.dialects`).
#: ``id`` and ``id[]`` take node ids, or names that call one node each, which
#: :mod:`biocluster_kg.cypher.resolve` turns into ids before the question runs.
PARAMETER_TYPES: tuple[str, ...] = (
    "string",
    "name",
    "id",
    "int",
    "year",
    "float",
    "bool",
    "string[]",
    "id[]",
    "int[]",
)

#: How a header default refers to the cluster profile: ``= cluster.institute_id``.
CLUSTER_PREFIX = "cluster."

#: How a header default refers to a list of the schema: ``= schema.actor_labels``.
SCHEMA_PREFIX = "schema."

#: The schema's lists a default may name (``schema.NAME``).
SCHEMA_DEFAULTS: dict[str, list[str]] = {
    "labels": list(SCHEMA.labels),
    "actor_labels": list(SCHEMA.actor_labels),
    "types": list(SCHEMA.types),
    # The relationship types a company route may use: those of the default tie kinds.
    "default_tie_types": list(SCHEMA.ties(DEFAULT_TIE_KINDS)),
}


def normalize_name(text: str) -> str:
    """The form in which a typed name is matched (:func:`biocluster_kg.kernel.names.fold_name`).

    Questions compare it with the stored ``name_keys`` list of each node; Neo4j computes it
    in the query text, the client only for an engine that cannot (Ladybug).

    >>> normalize_name(" Spiber "), normalize_name("（公財）庄内")
    ('spiber', '(公財)庄内')
    """
    return fold_name(text)


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: its name, type, default (if optional) and description.

    ``default_from`` is the header's reference the default comes from (``cluster.NAME``,
    ``schema.NAME``; ``None`` for a JSON literal); :meth:`resolved` fills a ``cluster.``
    default from a profile's values.
    """

    name: str
    type: str
    description: str
    default: Any = None
    required: bool = True
    default_from: str | None = None

    def signature(self) -> str:
        """``name type`` or ``name type = default``, as written in the header."""
        text = f"{self.name} {self.type}"
        if self.default_from is not None:
            text += f" = {self.default_from}"
        elif not self.required:
            text += f" = {json.dumps(self.default, ensure_ascii=False)}"
        return text

    def resolved(self, defaults: Mapping[str, Any]) -> Parameter:
        """This parameter with its ``cluster.`` default taken from ``defaults``; required
        when the profile gives no value (an empty text counts as none)."""
        if self.default_from is None or not self.default_from.startswith(CLUSTER_PREFIX):
            return self
        value = defaults.get(self.default_from[len(CLUSTER_PREFIX) :])
        if value is None or value == "":
            return replace(self, default=None, required=True)
        if isinstance(value, tuple):
            value = list(value)
        return replace(self, default=value, required=False)


_TYPE_WORDS = {
    "string": "a string",
    "name": "a name (text)",
    "id": "an id or a name (text)",
    "id[]": "a list of ids or names (JSON list or comma-separated text)",
    "int": "an integer",
    "year": "a fiscal year (2013, 2013年度, FY2013, H25, 平成25年度, R5, 令和元年度)",
    "float": "a number",
    "bool": "true or false",
    "string[]": "a list of strings (JSON list or comma-separated text)",
    "int[]": "a list of integers (JSON list)",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def has_type(parameter: Parameter, value: Any, *, from_text: bool) -> bool:
    """Whether ``value`` is of the parameter's type (``from_text``: a ``string[]`` may be
    comma-separated text, as the command line gives it)."""
    type_ = parameter.type
    if type_ in ("string", "name", "id"):
        return isinstance(value, str)
    if type_ == "int":
        return _is_int(value)
    if type_ == "year":
        # Every form a year is written in, as --fiscal-year takes it (kernel/fiscal.py).
        try:
            parse_fiscal_year(value)
        except ValueError:
            return False
        return True
    if type_ == "float":
        return _is_int(value) or isinstance(value, float)
    if type_ == "bool":
        return isinstance(value, bool)
    if type_ in ("string[]", "id[]"):
        if from_text and isinstance(value, str):
            return True
        return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)
    if type_ == "int[]":
        return isinstance(value, list | tuple) and all(_is_int(item) for item in value)
    return False


def display(value: Any) -> str:
    """A value as the command line writes it (text bare, anything else as JSON)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


_SHELL_SPECIAL = re.compile(r"[\s'\"$`\\;&|<>()*?\[\]{}!#~]")


def shell_word(text: str) -> str:
    """``text`` quoted for a POSIX shell only when it needs it (Japanese text does not).

    >>> shell_word("name=先端研"), shell_word("id=MEMBER_OF:a->b")
    ('name=先端研', "'id=MEMBER_OF:a->b'")
    """
    return shlex.quote(text) if _SHELL_SPECIAL.search(text) else text


def _given(value: Any) -> str:
    if value is None:
        return "null"
    return f"{display(value)} ({type(value).__name__})"


def check_value(query: str, parameter: Parameter, value: Any) -> Any:
    """``value`` checked against the parameter's type and turned into what is sent."""
    if not has_type(parameter, value, from_text=True):
        hint = ""
        if parameter.type in ("string", "name", "id") and value is not None:
            # As JSON text, then shell-quoted: pasting '"{...}"' by hand broke on inner quotes.
            as_text = json.dumps(display(value), ensure_ascii=False)
            hint = f"; quote it to pass it as text: -p {shell_word(f'{parameter.name}={as_text}')}"
        raise QueryParameterError(
            f"query {query}: parameter {parameter.name} must be {_TYPE_WORDS[parameter.type]}, "
            f"got {_given(value)}{hint}"
        )
    if parameter.type == "float":
        return float(value)
    if parameter.type == "year":
        return parse_fiscal_year(value)
    if parameter.type in ("string[]", "id[]") and isinstance(value, str):
        return _split_list(value)
    if isinstance(value, list | tuple):
        return list(value)
    return value


def parse_example(text: str) -> Any:
    """An example value: JSON if it parses as JSON, else the text."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text
