"""What both backends do around a load: group the knowledge base into tables, check it
against the schema before the first write, compare with the stored state, show progress.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
>>> kb = KnowledgeBase()
>>> kb.add_node(Node("org:a", "Organization", {"name_ja": "甲", "name_en": "A"}))
>>> kb.add_node(Node("body:b", "Body", {"name_ja": "乙", "name_en": "B"}))
>>> kb.add_relationship(Relationship("r1", "MEMBER_OF", "org:a", "body:b", {"role": "member"}))
>>> plan = LoadPlan.of(kb)
>>> [(g.type, g.start_label, g.end_label, len(g.relationships)) for g in plan.relationships]
[('MEMBER_OF', 'Organization', 'Body', 1)]
>>> report = LoadReport("demo")
>>> tally(report, "Body", {"body:b": {"name_en": "B"}}, {"body:b": {"name_en": "B2"}})
>>> report.updated, report.totals
({'Body': 1}, {'Body': 1})
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from biocluster_kg.cypher.backend import Backend, LoadReport
from biocluster_kg.cypher.ddl import WORKSPACE_LABEL, ladybug_workspace_ddl
from biocluster_kg.kernel.cluster import ClusterProfile, profile_from_record
from biocluster_kg.kernel.errors import BackendError, CypherError, LoadError
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import SCHEMA, Schema

__all__ = [
    "RelationshipGroup",
    "LoadPlan",
    "node_state",
    "relationship_state",
    "tally",
    "add_counts",
    "finish_report",
    "progress_bar",
    "REPORT_COLUMNS",
    "report_rows",
    "WorkspaceRecord",
    "write_workspace_record",
    "read_workspace_record",
    "FORGET_WORKSPACE",
]


@dataclass
class RelationshipGroup:
    """Relationships of one type between one (FROM, TO) pair of labels."""

    type: str
    start_label: str
    end_label: str
    relationships: list[Relationship]


@dataclass
class LoadPlan:
    """A knowledge base grouped by label and by (type, FROM, TO), checked against the schema.

    ``node_columns``/``relationship_columns`` are the property names present in each group,
    in schema order; a name outside the schema is an error, raised before anything is written.
    """

    nodes: dict[str, list[Node]]
    relationships: list[RelationshipGroup]
    node_columns: dict[str, list[str]] = field(default_factory=dict)
    relationship_columns: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(
            len(group.relationships) for group in self.relationships
        )

    @classmethod
    def of(cls, kb: KnowledgeBase, schema: Schema = SCHEMA) -> LoadPlan:
        nodes: dict[str, list[Node]] = {label: [] for label in schema.labels}
        for node in kb.nodes.values():
            try:
                nodes[node.label].append(node)
            except KeyError:
                raise LoadError(f"node {node.id}: unknown label {node.label!r}") from None
        nodes = {label: members for label, members in nodes.items() if members}

        label_of = {node_id: node.label for node_id, node in kb.nodes.items()}
        groups: dict[tuple[str, str, str], list[Relationship]] = {}
        try:
            for rel in kb.relationships.values():
                key = (rel.type, label_of[rel.start], label_of[rel.end])
                if key in groups:
                    groups[key].append(rel)
                else:
                    groups[key] = [rel]
        except KeyError as error:
            raise LoadError(
                f"relationship {rel.id}: no node {error.args[0]!r} in the knowledge base"
            ) from None
        for type_, start, end in groups:
            if not schema.has_type(type_):
                raise LoadError(f"unknown relationship type {type_!r}")
            if (start, end) not in schema.relationship(type_).endpoints:
                raise LoadError(f"{type_} may not join {start} to {end}")
        order = {type_: index for index, type_ in enumerate(schema.types)}
        relationships = [
            RelationshipGroup(type_, start, end, members)
            for (type_, start, end), members in sorted(
                groups.items(), key=lambda item: (order[item[0][0]], item[0][1], item[0][2])
            )
        ]

        plan = cls(nodes, relationships)
        node_names = [p.name for p in schema.all_node_properties() if p.name != "id"]
        for label, members in nodes.items():
            plan.node_columns[label] = _present(
                node_names, (n.properties for n in members), f"{label} nodes"
            )
        rel_names = [p.name for p in schema.all_relationship_properties() if p.name != "id"]
        for group in relationships:
            plan.relationship_columns[(group.type, group.start_label, group.end_label)] = _present(
                rel_names, (r.properties for r in group.relationships), group.type
            )
        return plan


def _present(names: list[str], records: Iterator[Mapping[str, Any]], what: str) -> list[str]:
    # Records mostly share a few key sets; deduplicating them first is much faster.
    keys: set[str] = set().union(*set(map(tuple, records)))
    unknown = keys.difference(names)
    if unknown:
        raise LoadError(f"{what}: properties not in the schema: {', '.join(sorted(unknown))}")
    return [name for name in names if name in keys]


def node_state(node: Node) -> dict[str, Any]:
    """What a store holds of a node besides its id: its non-null properties."""
    return {key: value for key, value in node.properties.items() if value is not None}


def relationship_state(rel: Relationship) -> tuple[str, str, dict[str, Any]]:
    """What a store holds of a relationship besides its id: its ends and non-null properties."""
    return (
        rel.start,
        rel.end,
        {key: value for key, value in rel.properties.items() if value is not None},
    )


def tally(report: LoadReport, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Count created, updated, removed and unchanged records of one label or type.

    ``old`` and ``new`` map each id to its stored state; equal states are unchanged.
    """
    created = updated = unchanged = 0
    for record_id, state in new.items():
        before = old.get(record_id, _MISSING)
        if before is _MISSING:
            created += 1
        elif before == state:
            unchanged += 1
        else:
            updated += 1
    removed = sum(1 for record_id in old if record_id not in new)
    add_counts(report, key, created, updated, removed, unchanged, len(new))


_MISSING = object()


def add_counts(
    report: LoadReport,
    key: str,
    created: int,
    updated: int,
    removed: int,
    unchanged: int,
    total: int,
) -> None:
    """Add one label's or type's counts to ``report`` (summing when called again)."""
    for target, value in (
        (report.created, created),
        (report.updated, updated),
        (report.removed, removed),
        (report.unchanged, unchanged),
        (report.totals, total),
    ):
        target[key] = target.get(key, 0) + value


def finish_report(report: LoadReport, schema: Schema = SCHEMA) -> LoadReport:
    """Order the report's keys: labels, then types, each in schema order."""
    order = {name: index for index, name in enumerate((*schema.labels, *schema.types))}
    for counts in (report.created, report.updated, report.removed, report.unchanged):
        for key in report.totals:
            counts.setdefault(key, 0)
    for name in ("created", "updated", "removed", "unchanged", "totals"):
        counts = getattr(report, name)
        setattr(
            report,
            name,
            dict(sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))),
        )
    return report


@contextmanager
def progress_bar(enabled: bool, length: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``: a click progress bar on stderr when ``enabled`` and stderr is a
    terminal, otherwise nothing at all (pipes and logs stay clean)."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda steps: None
        return
    import click

    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


REPORT_COLUMNS = ["label/type", "created", "updated", "removed", "total"]


def report_rows(report: LoadReport) -> list[list[Any]]:
    """One row per label or type (:data:`REPORT_COLUMNS`), then a ``total`` row.

    >>> report = LoadReport("demo", created={"Body": 2}, updated={"Body": 0},
    ...                     removed={"Body": 1}, totals={"Body": 2})
    >>> report_rows(report)
    [['Body', 2, 0, 1, 2], ['total', 2, 0, 1, 2]]
    """
    counts = [
        [report.created.get(key, 0), report.updated.get(key, 0), report.removed.get(key, 0), total]
        for key, total in report.totals.items()
    ]
    sums = [sum(column) for column in zip(*counts, strict=True)] if counts else [0, 0, 0, 0]
    return [[key, *row] for key, row in zip(report.totals, counts, strict=True)] + [
        ["total", *sums]
    ]


# -- the workspace a store was loaded from ----------------------------------------------


@dataclass(frozen=True)
class WorkspaceRecord:
    """Which workspace a store holds: its folder (absolute) and its cluster profile."""

    data_dir: str
    profile: ClusterProfile


_WORKSPACE_ID = "workspace"

_WRITE_WORKSPACE = (
    f"MERGE (w:`{WORKSPACE_LABEL}` {{id: $id}}) "
    "SET w.data_dir = $data_dir, w.title_ja = $title_ja, w.title_en = $title_en, "
    "w.cluster_profile = $cluster_profile"
)
_READ_WORKSPACE = (
    f"MATCH (w:`{WORKSPACE_LABEL}`) WHERE w.id = $id "
    "RETURN w.data_dir AS data_dir, w.cluster_profile AS cluster_profile"
)


#: Drops the record: a load that is not the session's (``Backend.load`` alone) must not leave
#: the record of what the store held before (Ladybug's rebuilt file has no record anyway).
FORGET_WORKSPACE = f"MATCH (w:`{WORKSPACE_LABEL}`) DETACH DELETE w"


def write_workspace_record(backend: Backend, record: WorkspaceRecord) -> None:
    """Record in the store which workspace it was loaded from (after each load: a Ladybug
    load builds a new file without the record's table)."""
    if backend.name == "ladybug":
        backend.run(ladybug_workspace_ddl(), write=True)
    profile = record.profile
    backend.run(
        _WRITE_WORKSPACE,
        {
            "id": _WORKSPACE_ID,
            "data_dir": record.data_dir,
            "title_ja": profile.title_ja,
            "title_en": profile.title_en,
            "cluster_profile": profile.to_record(),
        },
        write=True,
    )


def read_workspace_record(backend: Backend) -> WorkspaceRecord | None:
    """The workspace the store records, or None for a store loaded before stores recorded
    it (or written by other means)."""
    try:
        rows = backend.run(_READ_WORKSPACE, {"id": _WORKSPACE_ID}).rows
    except CypherError as error:
        # Ladybug refuses a label it has no table for: a store without a record.
        if WORKSPACE_LABEL in str(error):
            return None
        raise
    if not rows:
        return None
    data_dir, text = rows[0]
    try:
        profile = profile_from_record(str(text))
    except (ValueError, TypeError) as error:
        raise BackendError(
            f"the store's record of its workspace is unreadable ({error}); "
            "run `biocluster load` again"
        ) from None
    return WorkspaceRecord(str(data_dir), profile)
