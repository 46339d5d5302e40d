"""The change planner of a Neo4j load: what the database holds (:class:`StoredState`)
compared with the new knowledge base, giving the report and the write steps, in an order
that keeps every step valid (:func:`plan_changes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from biocluster_kg.cypher.backend import LoadReport
from biocluster_kg.cypher.loading import (
    LoadPlan,
    add_counts,
    finish_report,
    node_state,
    relationship_state,
    tally,
)
from biocluster_kg.cypher.neo4j_statements import (
    new_node_rows,
    new_relationship_rows,
    node_create,
    node_delete,
    node_update,
    relationship_create,
    relationship_delete,
    relationship_update,
    update_rows,
)
from biocluster_kg.kernel.schema import SCHEMA

if TYPE_CHECKING:
    from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship

__all__ = [
    "StoredState",
    "Step",
    "NEW_NODES",
    "NODE_UPDATES",
    "RELATIONSHIP_REMOVALS",
    "NEW_RELATIONSHIPS",
    "RELATIONSHIP_UPDATES",
    "NODE_REMOVALS",
    "REMOVALS",
    "plan_changes",
    "knowledge_base_of",
]


class StoredState(NamedTuple):
    """The database's content as a load finds it."""

    #: Label or type -> id -> properties (nodes) or (start, end, properties).
    state: dict[str, dict[str, Any]]
    #: Node id -> element id.
    nodes: dict[str, str]
    #: Relationship id -> element id.
    relationships: dict[str, str]


# The phases of a load, in the order :func:`plan_changes` lists them.
NEW_NODES = "nodes"
NODE_UPDATES = "node updates"
RELATIONSHIP_REMOVALS = "relationship removals"
NEW_RELATIONSHIPS = "relationships"
RELATIONSHIP_UPDATES = "relationship updates"
NODE_REMOVALS = "node removals"
REMOVALS = frozenset({RELATIONSHIP_REMOVALS, NODE_REMOVALS})


class Step(NamedTuple):
    """One query of a load and the rows it runs over (in batches)."""

    query: str
    rows: list[Any]
    #: Steps of one phase do not depend on each other: their batches may run at once. New
    #: nodes' steps return element ids, new relationships' steps need them, and a removal
    #: may find its record gone already.
    phase: str


def plan_changes(plan: LoadPlan, stored: StoredState) -> tuple[LoadReport, list[Step]]:
    """Compare the new knowledge base with the stored state: the report, and the writes that
    turn ``stored`` into ``plan``, in an order that keeps every step valid: new nodes,
    changed nodes, relationship removals (also of those whose ends changed), new
    relationships, changed relationships, node removals."""
    old = stored.state
    report = LoadReport("neo4j")
    node_creates: list[Step] = []
    node_updates: list[Node] = []
    for label, nodes in plan.nodes.items():
        before = old.get(label, {})
        states = {node.id: node_state(node) for node in nodes}
        tally(report, label, before, states)
        created = [node for node in nodes if node.id not in before]
        node_updates += [n for n in nodes if n.id in before and before[n.id] != states[n.id]]
        if created:
            columns = plan.node_columns[label]
            rows = new_node_rows(created, columns)
            query = node_create(label, columns)
            node_creates.append(Step(query, rows, NEW_NODES))

    rel_creates: list[Step] = []
    rel_updates: list[Relationship] = []
    moved: list[str] = []
    new_ids: dict[str, set[str]] = {}
    for group in plan.relationships:
        before_type = old.get(group.type, {})
        ids = new_ids.setdefault(group.type, set())
        to_create = []
        changed = unchanged = 0
        for rel in group.relationships:
            ids.add(rel.id)
            was = before_type.get(rel.id)
            if was is None:
                to_create.append(rel)
                continue
            # Only stored relationships are compared: a large first load skips this.
            start, end, props = relationship_state(rel)
            if was[:2] != (start, end):
                moved.append(rel.id)
                to_create.append(rel)
                changed += 1
            elif was[2] != props:
                rel_updates.append(rel)
                changed += 1
            else:
                unchanged += 1
        total = len(group.relationships)
        new = total - changed - unchanged
        add_counts(report, group.type, new, changed, 0, unchanged, total)
        if to_create:
            columns = plan.relationship_columns[(group.type, group.start_label, group.end_label)]
            rows = new_relationship_rows(to_create, columns)
            query = relationship_create(group.type, columns)
            rel_creates.append(Step(query, rows, NEW_RELATIONSHIPS))

    rel_removals: list[str] = []
    for type_ in SCHEMA.types:
        keep = new_ids.get(type_, set())
        removed = [rel_id for rel_id in old.get(type_, {}) if rel_id not in keep]
        if removed:
            add_counts(report, type_, 0, 0, len(removed), 0, 0)
        rel_removals += removed
    node_removals: list[str] = []
    for label in SCHEMA.labels:
        before = old.get(label, {})
        keep_ids = {node.id for node in plan.nodes.get(label, [])}
        if label not in plan.nodes and before:
            tally(report, label, before, {})
        node_removals += [node_id for node_id in before if node_id not in keep_ids]

    steps = node_creates
    if node_updates:
        steps.append(Step(node_update(), update_rows(node_updates, stored.nodes), NODE_UPDATES))
    if rel_removals or moved:
        rows = [[stored.relationships[rel_id], rel_id] for rel_id in rel_removals + moved]
        steps.append(Step(relationship_delete(), rows, RELATIONSHIP_REMOVALS))
    steps += rel_creates
    if rel_updates:
        updates = update_rows(rel_updates, stored.relationships)
        steps.append(Step(relationship_update(), updates, RELATIONSHIP_UPDATES))
    if node_removals:
        rows = [[stored.nodes[node_id], node_id] for node_id in node_removals]
        steps.append(Step(node_delete(), rows, NODE_REMOVALS))
    return finish_report(report), steps


def knowledge_base_of(state: dict[str, dict[str, Any]]) -> KnowledgeBase:
    """A knowledge base holding a snapshot's state (to write a previous state back)."""
    from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship

    kb = KnowledgeBase()
    for key, records in state.items():
        if SCHEMA.has_label(key):
            for node_id, props in records.items():
                kb.add_node(Node(node_id, key, dict(props)))
    for key, records in state.items():
        if SCHEMA.has_type(key):
            for rel_id, (start, end, props) in records.items():
                kb.add_relationship(Relationship(rel_id, key, start, end, dict(props)))
    return kb
