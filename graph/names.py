"""How names are matched everywhere: the loader's references, the stored ``name_keys`` that
the query library looks actors up by, and the parameters sent to those queries.

A name key is the name in Unicode NFKC form (full-width and half-width forms fold
together), case-folded, with surrounding white space removed.

>>> name_key("（公財）庄内") == name_key("(公財)庄内")
True
>>> name_keys({"name_ja": "慶應先端研", "name_en": "IAB", "aliases": ["ＩＡＢ", "先端研"]})
['iab', '先端研', '慶應先端研']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

__all__ = ["name_key", "name_keys"]


def name_key(text: str) -> str:
    """The matching form of one name."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def name_keys(properties: Mapping[str, Any]) -> list[str]:
    """Sorted, distinct matching forms of a node's ``name_ja``, ``name_en`` and aliases."""
    names = [properties.get("name_ja"), properties.get("name_en")]
    names += list(properties.get("aliases") or [])
    return sorted({name_key(name) for name in names if isinstance(name, str) and name.strip()})
