"""How much of the curated knowledge base the drafting assistant proposes, and how much of what
it proposes is wrong, on the shipped source. Prints figures; passes or fails nothing.

The draft is run BLIND (no known actors), so every actor it finds it found by its name
patterns, not by the curated names. For each kind of fact:

- *found*: the curated values (actors by name or alias; amounts, counts, fiscal years) that
  some proposal of that kind carries, over all curated values of that kind;
- *wrong*: the proposals of that kind whose value no curated fact carries, over all proposals
  of that kind (a proposal a reviewer would throw away).

Example::

    .venv/bin/python benchmarks/draft_benchmark.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from biocluster_kg.kernel.names import name_key  # noqa: E402
from biocluster_kg.kernel.schema import SCHEMA  # noqa: E402
from biocluster_kg.loaders import load_knowledge_base  # noqa: E402
from biocluster_kg.loaders.draft import draft_proposals  # noqa: E402
from biocluster_kg.loaders.sources import SourceText  # noqa: E402

AMOUNT_PROPERTIES = (
    "amount_thousand_yen",
    "unit_amount_thousand_yen",
    "amount_min_thousand_yen",
    "amount_max_thousand_yen",
)
COUNT_PROPERTIES = ("count", "value", "staff_count", "unit_count", "attendance", "school_count")
YEAR_PROPERTIES = ("fiscal_year", "fiscal_year_start", "fiscal_year_end")


def main() -> int:
    kb = load_knowledge_base()
    curated: dict[str, set] = {"actor": set(), "amount": set(), "count": set(), "year": set()}
    actor_names: dict[str, set[str]] = {}
    for node in kb.nodes.values():
        if node.label in SCHEMA.actor_labels:
            names = {node.get("name_ja"), node.get("name_en"), *(node.get("aliases") or [])}
            actor_names[node.id] = {name_key(n) for n in names if isinstance(n, str) and n}
            curated["actor"].add(node.id)
        for name in AMOUNT_PROPERTIES:
            if isinstance(node.get(name), int):
                curated["amount"].add(node.get(name))
        for name in COUNT_PROPERTIES:
            if isinstance(node.get(name), int):
                curated["count"].add(node.get(name))
        for name in YEAR_PROPERTIES:
            if isinstance(node.get(name), int):
                curated["year"].add(node.get(name))

    source_id, source = next(iter(kb.sources.items()))
    started = time.perf_counter()
    proposals = draft_proposals(SourceText(source_id, source.text), known={})
    seconds = time.perf_counter() - started

    by_name = {key: node_id for node_id, keys in actor_names.items() for key in keys}
    proposed: dict[str, set] = {"actor": set(), "amount": set(), "count": set(), "year": set()}
    wrong: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for proposal in proposals:
        if proposal.kind == "new_actor":
            total["actor"] += 1
            node_id = by_name.get(name_key(proposal.value))
            if node_id:
                proposed["actor"].add(node_id)
            else:
                wrong["actor"] += 1
        elif proposal.kind in ("amount", "amount_range"):
            values = proposal.value if isinstance(proposal.value, list) else [proposal.value]
            total["amount"] += 1
            hits = [value for value in values if value in curated["amount"]]
            proposed["amount"].update(hits)
            wrong["amount"] += not hits
        elif proposal.kind in ("count", "fiscal_year"):
            kind = "count" if proposal.kind == "count" else "year"
            total[kind] += 1
            if proposal.value in curated[kind]:
                proposed[kind].add(proposal.value)
            else:
                wrong[kind] += 1

    print(f"draft of {source_id}: {len(proposals)} proposals in {seconds * 1000:.0f} ms (blind)")
    header = ("curated", "found", "share", "proposed", "wrong", "share")
    print(f"{'kind':8} " + " ".join(f"{name:>8}" for name in header))
    for kind in ("actor", "amount", "count", "year"):
        found = len(proposed[kind] & curated[kind])
        share = found / len(curated[kind]) if curated[kind] else 0.0
        wrong_share = wrong[kind] / total[kind] if total[kind] else 0.0
        print(
            f"{kind:8} {len(curated[kind]):8} {found:8} {share:8.0%} {total[kind]:8} "
            f"{wrong[kind]:8} {wrong_share:8.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
