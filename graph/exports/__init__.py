"""Exports for scripts and other tools: stakeholder lists and standard graph formats.

Every export takes a :class:`~biocluster_kg.kernel.model.KnowledgeBase`, whether it was read from
the data
files or back from a store (:mod:`biocluster_kg.cypher.readback`), and writes the same bytes for the
same knowledge base (see :mod:`biocluster_kg.graph.exports.common` for the canonical order).

Graph formats (:data:`GRAPH_FORMATS`)
    ``json``     networkx node-link JSON (:mod:`biocluster_kg.graph.exports.node_link`)
    ``graphml``  GraphML 1.0 with typed keys (:mod:`biocluster_kg.graph.exports.graphml`)
    ``gexf``     GEXF 1.2 with typed attributes (:mod:`biocluster_kg.graph.exports.gexf`)
    ``csv``      a folder of ``neo4j-admin database import`` files
    (:mod:`biocluster_kg.graph.exports.neo4j_csv`)
    ``cypher``   a script that recreates the graph in an empty Neo4j
                 (:mod:`biocluster_kg.graph.exports.cypher_script`)

:func:`graph_document` and :func:`~biocluster_kg.graph.exports.neo4j_csv.write_neo4j_csv` take
``measures``: whether the network measures are part of the file, whatever the source holds.

Stakeholder lists: :mod:`biocluster_kg.graph.exports.stakeholders` (csv, json, xlsx).

>>> from biocluster_kg.kernel.cluster import ClusterProfile
>>> from biocluster_kg.kernel.model import KnowledgeBase, Node
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲"}))
>>> graph_document(kb, "json", profile=ClusterProfile()).decode().count('"id": "org:a"')
1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase

if TYPE_CHECKING:
    from biocluster_kg.kernel.cluster import ClusterProfile

__all__ = ["GRAPH_FORMATS", "FILE_FORMATS", "STAKEHOLDER_FORMATS", "graph_document"]

GRAPH_FORMATS: tuple[str, ...] = ("json", "graphml", "gexf", "csv", "cypher")
#: Graph formats that are one file (``csv`` is a folder).
FILE_FORMATS: tuple[str, ...] = ("json", "graphml", "gexf", "cypher")
STAKEHOLDER_FORMATS: tuple[str, ...] = ("csv", "json", "xlsx")


def graph_document(
    kb: KnowledgeBase,
    output_format: str,
    *,
    schema_statements: Sequence[str] = (),
    measures: bool = False,
    profile: ClusterProfile,
) -> bytes:
    """The graph in one of :data:`FILE_FORMATS` as UTF-8 bytes.

    ``schema_statements`` (constraints and indexes) open a ``cypher`` script; the caller
    takes them from the store's own DDL so the script builds what a normal load builds.

    ``measures`` says whether the file carries the network measures: with ``True`` they are
    computed when ``kb`` lacks them (the data files) and kept when it has them (a loaded
    store), with ``False`` they are dropped, so every source gives the same bytes
    (:func:`biocluster_kg.graph.exports.common.with_measures`).
    """
    from biocluster_kg.graph.exports.common import with_measures

    kb = with_measures(kb, measures, profile=profile)
    if output_format == "json":
        from biocluster_kg.graph.exports.node_link import node_link_json

        return node_link_json(kb).encode("utf-8")
    if output_format == "graphml":
        from biocluster_kg.graph.exports.graphml import graphml_bytes

        return graphml_bytes(kb)
    if output_format == "gexf":
        from biocluster_kg.graph.exports.gexf import gexf_bytes

        return gexf_bytes(kb)
    if output_format == "cypher":
        from biocluster_kg.graph.exports.cypher_script import cypher_script

        return cypher_script(kb, schema_statements).encode("utf-8")
    raise ExportError(
        f"unknown single-file graph format {output_format!r}; expected one of "
        + ", ".join(FILE_FORMATS)
    )
