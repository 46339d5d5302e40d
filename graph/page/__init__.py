"""The interactive collaboration network: one self-contained, offline HTML page.

Modules, in the order a page is made: :mod:`~biocluster_kg.graph.page.selection` (which
nodes: ego view, sector and type filters), :mod:`~biocluster_kg.graph.page.cards` (what
the page says about each node and edge), :mod:`~biocluster_kg.graph.page.styles` (colour,
shape, line, legend), :mod:`~biocluster_kg.graph.page.views` (full or aggregated vis
nodes and edges), :mod:`~biocluster_kg.graph.page.options` (view choices, caps, layout
budget), :mod:`~biocluster_kg.graph.page.render` (HTML, inlining, CSP) and
:mod:`~biocluster_kg.graph.page.texts` (every UI string, ja and en).

pyvis assembles the vis-network nodes and edges; the page itself comes from this package's
own template, with vis-network and the page's script and style inlined, and makes no
request at all (see :mod:`~biocluster_kg.graph.page.render`).

Data text never reaches the page as markup. Everything the page shows about a node travels
in one JSON block (``<`` and ``>`` escaped as ``\\u003c``/``\\u003e``) and the script puts
it into the page with ``textContent``; names are drawn on the canvas as plain text.

Encoding, by the schema's styles: colour = sector (:data:`biocluster_kg.kernel.schema.SECTOR_STYLE`;
a position takes the sector of the organisation it is a post in; nodes without a sector are
grey-blue), shape = node label (:attr:`biocluster_kg.kernel.schema.NodeLabel.shape`), size =
brokerage score
(``measures`` if given, else the ``betweenness`` or, failing that, the ``bridge_score``
node property, whichever is first positive somewhere; all nodes one size when neither is),
edge colour/dashes/label = relationship type. ``biocluster viz`` runs
:func:`biocluster_kg.graph.brokerage.write_measures` first when the nodes carry no measures.

A planner's first view (``focus="actors"``, the default; ``biocluster viz --all-kinds``
opens on everything): the actors (:attr:`biocluster_kg.kernel.schema.NodeLabel.actor`)
and an ego view's centre are shown, the programmes, budget lines, functions, projects,
events and figures are one switch away. The page holds every node either way.

Size cap. Above ``max_nodes`` nodes (default
:data:`~biocluster_kg.graph.page.options.NODE_CAP`) the page shows an aggregated
view unless ``view="full"``: one super-node per (sector, label) pair sized by its member
count, one edge per (group, group, relationship type) weighted by count, and a visible
notice saying so (``view="aggregated"`` below the cap says it was asked for). The search
box still finds every member and selects its group. A full view of a large graph gets a
bounded layout
(:data:`~biocluster_kg.graph.page.options.LAYOUT_BUDGET_MS`) and a notice.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲研究所", "name_en": "A Lab",
...     "kind": "research_institute", "sector": "academia", "aliases": ["甲研"]}))
>>> kb.add_node(Node("body:c", "Body", {"name_ja": "推進会議", "name_en": "Council",
...     "kind": "council"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:c",
...     {"role": "member", "role_ja": "委員"}))
>>> page = render_network_page(kb)
>>> page.startswith("<!DOCTYPE html>"), "甲研究所" in page
(True, True)
>>> resolve_actor(kb, "甲研")
'org:a'
"""

from __future__ import annotations

from biocluster_kg.graph.page.options import LAYOUT_BUDGET_MS, NODE_CAP, View
from biocluster_kg.graph.page.render import VIS_VERSION, render_network_page, write_network_page
from biocluster_kg.graph.page.selection import Subgraph, resolve_actor, select_subgraph
from biocluster_kg.kernel.sectors import effective_sectors

__all__ = [
    "Subgraph",
    "View",
    "NODE_CAP",
    "LAYOUT_BUDGET_MS",
    "VIS_VERSION",
    "resolve_actor",
    "effective_sectors",
    "select_subgraph",
    "render_network_page",
    "write_network_page",
]
