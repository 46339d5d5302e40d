"""How names are matched everywhere: the loader's references, the stored ``name_keys`` that
the query library looks actors up by, and the parameters sent to those queries.

A name key is the name in Unicode NFKC form (full-width and half-width forms fold
together), case-folded, with surrounding white space removed. A loose key also drops the
white space inside, for names people type into a box or an option (``--around``,
``--tied-to``), where "keio univ" should find "Keio Univ." written without the space.

>>> name_key("（公財）庄内") == name_key("(公財)庄内")
True
>>> name_keys({"name_ja": "慶應先端研", "name_en": "IAB", "aliases": ["ＩＡＢ", "先端研"]})
['iab', '先端研', '慶應先端研']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import KnowledgeBase, Node

__all__ = [
    "name_key",
    "name_keys",
    "loose_key",
    "node_names",
    "nodes_called",
    "display_width",
]


def name_key(text: str) -> str:
    """The matching form of one name."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def name_keys(properties: Mapping[str, Any]) -> list[str]:
    """Sorted, distinct matching forms of a node's ``name_ja``, ``name_en`` and aliases."""
    names = [properties.get("name_ja"), properties.get("name_en")]
    names += list(properties.get("aliases") or [])
    return sorted({name_key(name) for name in names if isinstance(name, str) and name.strip()})


def loose_key(text: str) -> str:
    """A name folded for typed look-ups: NFKC, case-folded, with no white space at all.

    >>> loose_key("ＫＥＩＯ　先端研 ")
    'keio先端研'
    """
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def node_names(node: Node) -> list[str]:
    """Everything a node may be called: its id, both names and its aliases."""
    names = [node.id, node.get("name_ja") or "", node.get("name_en") or ""]
    names.extend(node.get("aliases") or [])
    return [name for name in names if name]


def nodes_called(kb: KnowledgeBase, name: str, labels: Sequence[str] | None = None) -> list[str]:
    """Sorted ids of the nodes (with one of ``labels``, if given) called ``name``.

    An exact id wins; otherwise ids, names and aliases are compared by :func:`loose_key`.
    Callers decide what none or several matches mean.

    >>> from biocluster_kg.kernel.model import KnowledgeBase, Node
    >>> kb = KnowledgeBase()
    >>> kb.add_node(Node("org:iab", "Organization", {"name_ja": "先端生命科学研究所",
    ...     "name_en": "Keio IAB", "aliases": ["慶應先端研"]}))
    >>> nodes_called(kb, "ｏｒｇ:ＩＡＢ"), nodes_called(kb, "keio iab")
    (['org:iab'], ['org:iab'])
    >>> nodes_called(kb, "慶應先端研", ["Body"])
    []
    """
    candidates = [n for n in kb.nodes.values() if labels is None or n.label in labels]
    if any(node.id == name for node in candidates):
        return [name]
    wanted = loose_key(name)
    if not wanted:
        return []
    return sorted(n.id for n in candidates if wanted in map(loose_key, node_names(n)))


def display_width(text: str) -> int:
    """Terminal (and chart) columns taken by ``text``: East Asian wide characters take two.

    >>> display_width("慶應先端研"), display_width("IAB")
    (10, 3)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
