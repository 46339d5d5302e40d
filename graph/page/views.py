"""The vis-network nodes and edges of a page: every node (full view), or one node per
sector and label (aggregated view, above the size cap).

In the aggregated view each super-node is sized by its member count and each edge stands
for every relationship of one type between two groups; the search index still lists
every member, pointing at its group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from biocluster_kg.graph.page.cards import (
    PageBuilder,
    citations_of,
    short_label,
    source_of,
    years_of,
)
from biocluster_kg.graph.page.styles import NO_SECTOR, group_key, group_style
from biocluster_kg.graph.page.ties import DERIVED, shared_ties
from biocluster_kg.kernel.names import label_rank, node_names
from biocluster_kg.kernel.schema import SCHEMA

__all__ = ["PageView", "full_view", "aggregated_view"]


def _new_network() -> Any:
    """A pyvis network whose node-id lookups are O(1).

    pyvis 0.3.2 (its last release) keeps node ids in a list and scans it on every
    ``add_node``/``add_edge``, which is quadratic: 20,000 nodes took 7.6 s here. The list
    below answers ``in`` from a set and is otherwise the list pyvis expects.
    """
    from pyvis.network import Network

    class _IdList(list[Any]):
        def __init__(self) -> None:
            super().__init__()
            self._members: set[Any] = set()

        def append(self, item: Any) -> None:
            super().append(item)
            self._members.add(item)

        def __contains__(self, item: object) -> bool:
            return item in self._members

    network = Network(directed=True, cdn_resources="in_line")
    network.node_ids = _IdList()
    return network


@dataclass
class PageView:
    """The vis nodes and edges of one page, the groups that style them and the search index."""

    mode: Literal["full", "aggregated"]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    search: list[list[Any]]


def full_view(builder: PageBuilder) -> PageView:
    kb, subgraph = builder.kb, builder.subgraph
    network = _new_network()
    actors = set(SCHEMA.actor_labels)
    groups: dict[str, dict[str, Any]] = {}
    search = []
    ties, anchors = shared_ties(kb, subgraph.nodes, subgraph.relationships, profile=builder.profile)
    for node_id in sorted(subgraph.nodes):
        node = kb.nodes[node_id]
        sector = builder.sector_key(node_id)
        group = group_key(sector, node.label)
        if group not in groups:
            groups[group] = group_style(sector, node.label)
        name = builder.name(node_id)
        extra: dict[str, Any] = {
            "sector": sector,
            "rows": builder.node_rows(node),
            "actor": node.label in actors,
        }
        if short_label(name) != name:
            extra["heading"] = name
        if node_id == subgraph.center:
            extra.update(borderWidth=4, mass=3)
        if node_id in anchors:
            # What an actor with no tie to another actor is joined to: shown from the start.
            extra["anchor"] = True
        other = builder.other_name(node_id)
        if other:
            extra["sub"] = other
        for key, value in (
            ("src", source_of(node, builder.source_index)),
            ("cites", citations_of(node)),
            ("years", years_of(node)),
        ):
            if value is not None:
                extra[key] = value
        network.add_node(
            node_id,
            label=short_label(name),
            shape=groups[group]["shape"],
            group=group,
            value=builder.node_value(node_id),
            **extra,
        )
        search.append([node_id, name, node_names(node), label_rank(node.label)])
    for rel_id in sorted(subgraph.relationships):
        rel = kb.relationships[rel_id]
        edge: dict[str, Any] = {"id": rel.id, "type": rel.type}
        for key, value in (
            ("rows", builder.edge_rows(rel)),
            ("src", source_of(rel, builder.source_index)),
            ("cites", citations_of(rel)),
            ("years", years_of(rel)),
        ):
            if value:
                edge[key] = value
        network.add_edge(rel.start, rel.end, **edge)
    for tie in ties:
        network.add_edge(
            tie.start,
            tie.end,
            id=f"tie:{tie.start}|{tie.end}",
            type=DERIVED,
            derived=True,
            arrows={"to": {"enabled": False}},
            typeLabel=builder.shared_label(tie.mediators),
            rows=builder.shared_rows(tie.mediators, tie.facts),
        )
    nodes, edges, *_ = network.get_network_data()
    return PageView("full", nodes, edges, groups, search)


def aggregated_view(builder: PageBuilder) -> PageView:
    kb, subgraph, texts = builder.kb, builder.subgraph, builder.texts
    network = _new_network()
    group_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for node_id in sorted(subgraph.nodes):
        group = group_key(builder.sector_key(node_id), kb.nodes[node_id].label)
        group_of[node_id] = group
        members[group].append(node_id)

    def rank(node_id: str) -> tuple[float, int, str]:
        return (-builder.scores.get(node_id, 0.0), -len(builder.incident.get(node_id, ())), node_id)

    between: Counter[tuple[str, str, str]] = Counter()
    internal: Counter[str] = Counter()
    for rel_id in subgraph.relationships:
        rel = kb.relationships[rel_id]
        start, end = group_of[rel.start], group_of[rel.end]
        if start == end:
            internal[start] += 1
        else:
            between[(start, end, rel.type)] += 1

    groups: dict[str, dict[str, Any]] = {}
    search = []
    for group in sorted(members, key=lambda g: (-len(members[g]), g)):
        sector, label = group.split("/", 1)
        groups[group] = group_style(sector, label)
        count = len(members[group])
        heading = builder.label_name(label)
        if sector != NO_SECTOR:
            heading = f"{builder.sector_name(sector)} · {heading}"
        top = sorted(members[group], key=rank)[:8]
        rows = [
            [texts["row_aggregated"], texts["members_count"].format(n=count)],
            [
                texts["row_members"],
                "\n".join(builder.name(n) for n in top) + ("\n…" if count > len(top) else ""),
            ],
            [texts["row_internal"], texts["relationships_count"].format(n=internal[group])],
        ]
        network.add_node(
            f"agg:{group}",
            label=f"{heading}\n{count:,}",
            shape=groups[group]["shape"],
            group=group,
            value=float(count),
            sector=sector,
            heading=heading,
            rows=rows,
            members=count,
            actor=label in SCHEMA.actor_labels,
        )
        for node_id in members[group]:
            node = kb.nodes[node_id]
            search.append(
                [f"agg:{group}", builder.name(node_id), node_names(node), label_rank(node.label)]
            )
    for (start, end, type_), count in sorted(between.items()):
        network.add_edge(
            f"agg:{start}",
            f"agg:{end}",
            id=f"agg:{start}>{end}:{type_}",
            type=type_,
            typeLabel=f"{builder.type_name(type_)} ×{count:,}",
            value=float(count),
            rows=[[texts["row_aggregated"], texts["relationships_count"].format(n=count)]],
            members=count,
        )
    nodes, edges, *_ = network.get_network_data()
    return PageView("aggregated", nodes, edges, groups, search)
