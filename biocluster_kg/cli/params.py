"""Query parameters from the command line: ``-p key=value``, repeatable.

A value is read as JSON when it parses as JSON (numbers, ``true``, ``null``, lists, objects,
``"quoted strings"``), otherwise it is the text itself. Parameters always travel to the
database as ``$parameters``, never into the Cypher text.

>>> parse_parameters(["name=慶應先端研", "year=2013", "ids=[\\"org:iab\\"]", "code=\\"0123\\""])
{'name': '慶應先端研', 'year': 2013, 'ids': ['org:iab'], 'code': '0123'}
>>> parse_parameter("q=x' }) DETACH DELETE n //")
('q', "x' }) DETACH DELETE n //")
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

__all__ = ["parse_parameter", "parse_parameters", "parameter_option"]

F = TypeVar("F", bound=Callable[..., Any])

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; treat such a value as the text it is.
    raise ValueError(name)


def _finite_float(text: str) -> float:
    # 1e400 is valid JSON but no float: Python makes it inf, which then prints as Infinity.
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def parse_value(text: str) -> Any:
    """JSON if ``text`` parses as JSON, else ``text`` unchanged.

    >>> parse_value("1.5"), parse_value("true"), parse_value("null"), parse_value("NaN")
    (1.5, True, None, 'NaN')
    >>> parse_value("1e400")
    '1e400'
    """
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        return text


def parse_parameter(text: str) -> tuple[str, Any]:
    """Split ``key=value`` at the first ``=`` and parse the value.

    Raises :class:`click.BadParameter` (exit status 2) when there is no ``=`` or the key is
    not a parameter name.

    >>> parse_parameter("limit=5")
    ('limit', 5)
    >>> parse_parameter("oops")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'oops' is not KEY=VALUE (e.g. -p name=先端研)
    """
    key, separator, value = text.partition("=")
    if not separator:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE (e.g. -p name=先端研)")
    if not _NAME.fullmatch(key):
        raise click.BadParameter(
            f"{key!r} is not a parameter name (letters, digits and _, not starting with a digit)"
        )
    return key, parse_value(value)


def parse_parameters(texts: Iterable[str]) -> dict[str, Any]:
    """Every ``key=value`` as a dict; a key given twice is an error."""
    parameters: dict[str, Any] = {}
    for text in texts:
        key, value = parse_parameter(text)
        if key in parameters:
            raise click.BadParameter(f"parameter {key!r} is given twice")
        parameters[key] = value
    return parameters


def _callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict:
    return parse_parameters(value)


def parameter_option(function: F) -> F:
    """``-p/--param KEY=VALUE`` (repeatable), passed to the command as ``parameters`` (a dict)."""
    return click.option(
        "-p",
        "--param",
        "parameters",
        multiple=True,
        metavar="KEY=VALUE",
        callback=_callback,
        help="Query parameter; VALUE is JSON when it parses as JSON, else text. Repeatable.",
    )(function)
