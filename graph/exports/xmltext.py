"""Escaping text for the XML formats (GraphML, GEXF), written by hand for exact control.

Element text escapes ``& < >`` and a carriage return (which an XML parser would otherwise
turn into a line feed); attribute values also escape ``"``, tab and line feed, which parsers
would otherwise turn into spaces. Characters XML 1.0 cannot carry at all (most control
characters, lone surrogates) are an :class:`ExportError` rather than a broken file.

>>> text("a < b & c\\r\\n")
'a &lt; b &amp; c&#13;\\n'
>>> attribute('say "hi"\\n\\tthere')
'say &quot;hi&quot;&#10;&#9;there'
>>> text("bell\\x07")
Traceback (most recent call last):
...
biocluster_kg.kernel.errors.ExportError: text 'bell\\x07' has a character XML cannot carry (U+0007)
"""

from __future__ import annotations

import re

from biocluster_kg.kernel.errors import ExportError

__all__ = ["text", "attribute"]

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE = {**_TEXT, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_TEXT_PATTERN = re.compile("[&<>\r]")
_ATTRIBUTE_PATTERN = re.compile('[&<>\r"\n\t]')


def _check(value: str) -> None:
    bad = _NOT_XML.search(value)
    if bad:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise ExportError(
            f"text {shown!r} has a character XML cannot carry (U+{ord(bad.group()):04X})"
        )


def text(value: str) -> str:
    """``value`` escaped as element content."""
    _check(value)
    return _TEXT_PATTERN.sub(lambda match: _TEXT[match.group()], value)


def attribute(value: str) -> str:
    """``value`` escaped for a double-quoted attribute."""
    _check(value)
    return _ATTRIBUTE_PATTERN.sub(lambda match: _ATTRIBUTE[match.group()], value)
