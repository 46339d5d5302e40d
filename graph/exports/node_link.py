"""The whole graph as networkx node-link JSON, for scripts and for checking.

The document is :func:`networkx.node_link_data` of :meth:`KnowledgeBase.to_networkx` with
``edges="links"``: ``directed`` and ``multigraph`` are true; each of ``nodes`` has ``id``,
``label`` and every property; each of ``links`` has ``source``, ``target``, ``key`` (the
relationship id), ``type`` and every property. Keys are written in that order, then the
properties in schema order; ``None`` values are left out; text is UTF-8, not ``\\u`` escapes.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "aliases": ["A社"]}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "chair"}))
>>> text = node_link_json(kb)
>>> print(text[text.index('"links"'):].replace(" ", "").replace("\\n", ""))
"links":[{"source":"org:a","target":"body:b","key":"r1","type":"MEMBER_OF","role":"chair"}]}
>>> read_node_link(text) == kb
True
"""

from __future__ import annotations

import json
from typing import Any

from biocluster_kg.graph.exports.common import canonical_networkx
from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase

__all__ = ["node_link_data", "node_link_json", "read_node_link"]

_NODE_FIRST = ("id", "label")
_LINK_FIRST = ("source", "target", "key", "type")


def _reordered(record: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    head = {name: record[name] for name in first if name in record}
    return {**head, **{k: v for k, v in record.items() if k not in head}}


def node_link_data(kb: KnowledgeBase) -> dict[str, Any]:
    """The node-link document as Python data (see the module docstring)."""
    import networkx as nx

    data = nx.node_link_data(canonical_networkx(kb), edges="links")
    data["nodes"] = [_reordered(node, _NODE_FIRST) for node in data["nodes"]]
    data["links"] = [_reordered(link, _LINK_FIRST) for link in data["links"]]
    return data


def node_link_json(kb: KnowledgeBase) -> str:
    """The node-link document as indented JSON text ending in a newline."""
    try:
        text = json.dumps(node_link_data(kb), ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError as error:
        raise ExportError(f"cannot write JSON: {error}") from error
    return text + "\n"


def read_node_link(text: str | bytes) -> KnowledgeBase:
    """A knowledge base from node-link JSON written by :func:`node_link_json`."""
    import networkx as nx

    try:
        data = json.loads(text)
        graph = nx.node_link_graph(data, edges="links")
        return KnowledgeBase.from_networkx(graph)
    except (ValueError, KeyError, TypeError, nx.NetworkXError) as error:
        raise ExportError(f"not a node-link document of this project: {error}") from error
