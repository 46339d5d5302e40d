"""A synthetic bio cluster that follows the schema, for benchmarks.

``synthetic_cluster(actors)`` builds a :class:`~biocluster_kg.kernel.model.KnowledgeBase` with
``actors`` actors (organisations, anonymous groups, bodies, positions), a tenth as many projects,
programmes and events around them, and about five relationships per actor, every one of a
type and between labels the schema allows. The same ``seed`` gives the same graph.

The real knowledge base's anchor ids (``org:iab``, ``org:shonai-center``,
``body:promotion-council``, ...) exist here too, so library queries have something to find.

>>> kb = synthetic_cluster(1000)
>>> sum(kb.counts()[label] for label in ("Organization", "Group", "Body", "Position"))
1000
>>> 4.5 < len(kb.relationships) / 1000 < 5.5
True
>>> synthetic_cluster(1000) == kb
True
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship  # noqa: E402
from biocluster_kg.kernel.names import name_keys
from biocluster_kg.kernel.schema import SCHEMA, SECTORS  # noqa: E402

__all__ = ["synthetic_cluster"]

SOURCE = "yamagata-biocluster-fy2013"

#: Share of the actors per label.
ACTOR_SHARES = (("Organization", 0.70), ("Group", 0.10), ("Body", 0.10), ("Position", 0.10))

#: Context nodes per actor.
CONTEXT_SHARES = (("Project", 0.06), ("Program", 0.03), ("Event", 0.01))

ANCHORS = (
    (
        "org:iab",
        "Organization",
        "慶應義塾大学先端生命科学研究所",
        "Keio IAB",
        "research_institute",
        "academia",
        ["慶應先端研", "先端研", "先端生命科学研究所"],
    ),
    (
        "org:yamagata-prefecture",
        "Organization",
        "山形県",
        "Yamagata Prefecture",
        "prefecture",
        "government",
        [],
    ),
    (
        "org:tsuruoka-city",
        "Organization",
        "鶴岡市",
        "Tsuruoka City",
        "municipality",
        "government",
        [],
    ),
    (
        "org:shonai-center",
        "Organization",
        "公益財団法人庄内地域産業振興センター",
        "Shonai Regional Industry Promotion Center",
        "support_organization",
        "other",
        ["庄内産業振興センター", "庄内産振センター"],
    ),
    ("body:promotion-council", "Body", "推進協議会", "Promotion Council", "council", "other", []),
    (
        "body:collaboration-committee",
        "Body",
        "連携推進委員会",
        "Collaboration Committee",
        "committee",
        "other",
        [],
    ),
)

#: Relationship mix: (type, weight, from labels, to labels); every pair is in the schema.
RELATIONSHIP_MIX = (
    ("COORDINATES_WITH", 1.6, ("Organization", "Group", "Body"), ("Organization", "Body")),
    ("MEMBER_OF", 1.0, ("Organization", "Group", "Position"), ("Body",)),
    ("PARTICIPATES_IN", 1.0, ("Organization", "Group"), ("Project", "Event")),
    ("SUPPORTS", 0.5, ("Program",), ("Organization", "Group")),
    ("IMPLEMENTS", 0.4, ("Organization", "Body"), ("Program", "Project")),
    ("POSITION_IN", 0.3, ("Position",), ("Organization", "Body")),
    ("FUNDS", 0.2, ("Organization",), ("Program", "Project")),
)

_ROLES = ("chair", "vice_chair", "member", "member", "member")
_PARTICIPATION_ROLES = ("lead", "partner", "partner", "participant")


def _actor_properties(
    rng: random.Random, label: str, number: int, kinds: tuple[str, ...]
) -> dict[str, object]:
    props: dict[str, object] = {
        "name_ja": f"{label}{number}号",
        "name_en": f"{label} {number}",
        "kind": rng.choice(kinds),
        "source_doc": SOURCE,
        "span": f"{label}{number}",
        "span_line": rng.randrange(1, 2000),
        "basis": "stated",  # as every loaded fact has (stated unless marked)
    }
    if label in ("Organization", "Group"):
        props["sector"] = rng.choice(SECTORS)
    if rng.random() < 0.2:
        props["aliases"] = [f"{label[:3]}{number}", f"略{number}"]
    if label == "Group" and rng.random() < 0.5:
        props["count"] = rng.randrange(2, 50)
    return props


def _context_properties(
    rng: random.Random, label: str, number: int, kinds: tuple[str, ...]
) -> dict[str, object]:
    props: dict[str, object] = {
        "name_ja": f"{label}{number}事業",
        "name_en": f"{label} {number}",
        "kind": rng.choice(kinds),
        "source_doc": SOURCE,
        "span": f"{label}{number}",
        "span_line": rng.randrange(1, 2000),
        "basis": "stated",
    }
    if label == "Program":
        props["fiscal_year"] = rng.choice((2011, 2012, 2013))
        props["amount_thousand_yen"] = rng.randrange(100, 400_000)
    elif label == "Project":
        props["fiscal_year_start"] = rng.choice((2001, 2006, 2011, 2012, 2013))
        props["field"] = rng.choice(("agriculture_food", "medical_health", "environment"))
    else:
        props["fiscal_year"] = 2013
        props["attendance"] = rng.randrange(10, 500)
    return props


def synthetic_cluster(actors: int, *, relationships_per_actor: float = 5.0, seed: int = 2013):
    """A schema-valid knowledge base with ``actors`` actors and ~5 relationships each."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    kb = KnowledgeBase()
    ids: dict[str, list[str]] = {}

    for node_id, label, name_ja, name_en, kind, sector, aliases in ANCHORS:
        props: dict[str, object] = {
            "name_ja": name_ja,
            "name_en": name_en,
            "kind": kind,
            "source_doc": SOURCE,
            "span": name_ja,
            "span_line": 1,
            "basis": "stated",
        }
        if label == "Organization" or sector != "other":
            props["sector"] = sector
        if aliases:
            props["aliases"] = aliases
        kb.add_node(Node(node_id, label, props))
        ids.setdefault(label, []).append(node_id)

    targets = {label: round(actors * share) for label, share in ACTOR_SHARES[:-1]}
    targets[ACTOR_SHARES[-1][0]] = actors - sum(targets.values())
    for label, target in targets.items():
        schema_label = SCHEMA.node(label)
        for number in range(target - len(ids.get(label, []))):
            node_id = f"{schema_label.id_prefix}:synthetic-{number}"
            kb.add_node(
                Node(node_id, label, _actor_properties(rng, label, number, schema_label.kinds))
            )
            ids.setdefault(label, []).append(node_id)

    for label, share in CONTEXT_SHARES:
        schema_label = SCHEMA.node(label)
        for number in range(max(1, round(actors * share))):
            node_id = f"{schema_label.id_prefix}:synthetic-{number}"
            kb.add_node(
                Node(node_id, label, _context_properties(rng, label, number, schema_label.kinds))
            )
            ids.setdefault(label, []).append(node_id)

    total_weight = sum(weight for _, weight, _, _ in RELATIONSHIP_MIX)
    wanted_relationships = round(actors * relationships_per_actor)
    number = 0
    for type_, weight, froms, tos in RELATIONSHIP_MIX:
        for _ in range(round(wanted_relationships * weight / total_weight)):
            start = rng.choice(ids[rng.choice(froms)])
            end = rng.choice(ids[rng.choice(tos)])
            if start == end:
                continue
            props: dict[str, object] = {
                "source_doc": SOURCE,
                "span": f"{type_} {number}",
                "span_line": rng.randrange(1, 2000),
                "basis": "stated",
            }
            if type_ == "MEMBER_OF":
                props["role"] = rng.choice(_ROLES)
            elif type_ == "PARTICIPATES_IN":
                props["role"] = rng.choice(_PARTICIPATION_ROLES)
            rel_id = f"rel:synthetic-{number}"
            kb.add_relationship(Relationship(rel_id, type_, start, end, props))
            number += 1
    for node in kb.nodes.values():
        # As the loader does: the matching forms the query library looks names up by.
        node.properties["name_keys"] = name_keys(node.properties)
    return kb


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("actors", type=int)
    parser.add_argument("--seed", type=int, default=2013)
    arguments = parser.parse_args()
    cluster = synthetic_cluster(arguments.actors, seed=arguments.seed)
    for name, count in cluster.counts().items():
        print(f"{name:20} {count:>9}")
