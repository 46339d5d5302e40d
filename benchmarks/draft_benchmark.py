"""How well the drafting assistant reads a new document: precision and recall per category
on the project's own fictional corpus (tests/draft_corpus/), the held-out document reported
on its own, and its speed in lines per second on each analyser. Prints figures; passes or
fails nothing.

The corpus: fictional documents in different styles (slide outline, press release, council
minutes, a company table, reports, a newsletter), each with a gold list written by hand
BEFORE the reader saw it (``*.gold.yaml``). Those marked ``held_out: true`` were never used to
tune the reader and are summed apart; the documents written blind say in their gold file
what their first run gave (BENCHMARKS.md, "Drafting").

Per document and category:

- **actors**: named actors (organisations, bodies, posts), proposed new or linked to the
  workspace's (known), matched by name or alias through the name layer;
- **groups**: unnamed groups; **programmes**: programmes and projects (a gold name written
  ``~X`` matches a project or programme whose name contains X);
- **ties**: (type, from, to, role), the ends matched as above;
- **numbers**: (kind, value) pairs;
- **events**: meetings proposed as Events, each with its date attached (gold ``events``;
  ``-`` where a gold list has none);
- **fragments**: proposed actors whose name is part of a longer gold name and no gold name;
- **spans**: candidates whose span is not found verbatim at their line (must be 0);

and, for the tuned and the held-out documents, how many proposed numbers are attached to a
record (their home) and how many Figures were proposed (their MEASURES ties are not scored
as ties: no gold list has them).

Then the speed of the whole draft over the text documents (repeated) with SudachiPy and with
fugashi, as lines per second and as a ratio between the two, and a second part: the shipped
source drafted blind against the curated knowledge base, as before.

Example::

    .venv/bin/python benchmarks/draft_benchmark.py
    .venv/bin/python benchmarks/draft_benchmark.py --analyser fugashi --repeat 50
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from biocluster_kg.kernel.names import name_key  # noqa: E402
from biocluster_kg.loaders.draft import (  # noqa: E402
    Proposal,
    draft_proposals,
    draft_table_proposals,
)
from biocluster_kg.loaders.japanese import ANALYSERS, analyser  # noqa: E402
from biocluster_kg.loaders.sources import SourceText  # noqa: E402
from biocluster_kg.loaders.tables import parse_csv_text  # noqa: E402

CORPUS = REPO / "tests" / "draft_corpus"
CATEGORIES = ("actors", "groups", "programmes", "ties", "numbers", "events")
NAMED = ("Organization", "Body", "Position")


def gold_files() -> list[Path]:
    return sorted(CORPUS.glob("*.gold.yaml"))


def run_draft(gold: dict[str, Any], analyser_name: str) -> tuple[list[Proposal], list[str]]:
    """The draft of a gold file's document, with its workspace's actors as known names."""
    path = CORPUS / gold["document"]
    text = path.read_text(encoding="utf-8")
    known: dict[str, str] = {}
    labels: dict[str, str] = {}
    for actor in gold.get("workspace") or []:
        for name in (actor["name_ja"], actor.get("name_en"), *(actor.get("aliases") or [])):
            if name:
                known[name] = actor["id"]
        labels[actor["id"]] = actor["label"]
    if path.suffix == ".csv":
        sheets = parse_csv_text(text, path.name)
        proposals = draft_table_proposals(gold["source_id"], sheets, known)
        lines = text.splitlines()
    else:
        source = SourceText(gold["source_id"], text)
        proposals = draft_proposals(source, known, known_labels=labels, analyser_name=analyser_name)
        lines = text.replace("\r\n", "\n").split("\n")
    return proposals, lines


def _names(proposals: list[Proposal], gold: dict[str, Any]) -> dict[str, set[str]]:
    """Every id the draft uses, with the name keys it goes by."""
    names: dict[str, set[str]] = {}
    for actor in gold.get("workspace") or []:
        keys = {actor["name_ja"], *(actor.get("aliases") or [])}
        names[actor["id"]] = {name_key(k) for k in keys}
    for proposal in proposals:
        record = proposal.record
        if proposal.kind in ("new_actor", "group"):
            keys = {record["name_ja"], *(record.get("aliases") or [])}
            names[record["id"]] = {name_key(k) for k in keys}
    return names


def _label(proposal: Proposal) -> str:
    return str(proposal.record.get("label", ""))


def _matches(gold_name: str, keys: set[str], groups: bool = False) -> bool:
    if gold_name.startswith("~") or groups:
        return any(name_key(gold_name.lstrip("~")) in key for key in keys)
    return name_key(gold_name) in keys


def score(gold: dict[str, Any], proposals: list[Proposal], lines: list[str]) -> dict[str, Any]:
    names = _names(proposals, gold)
    result: dict[str, Any] = {}

    def gold_keys(entry: dict[str, Any]) -> set[str]:
        return {name_key(n) for n in (entry["name"], *(entry.get("aliases") or []))}

    # Named actors: new ones of a named label, and links to the workspace's.
    proposed_actors = [
        {name_key(p.record["name_ja"]), *(name_key(a) for a in p.record.get("aliases") or [])}
        for p in proposals
        if p.kind == "new_actor" and _label(p) in NAMED
    ] + [names.get(p.value, set()) for p in proposals if p.kind == "known_actor"]
    result["actors"] = _prf(gold["actors"], proposed_actors, gold_keys)
    # A group is named as written, with its place and count (県内の中小企業, 市内企業8社):
    # a gold group is found in a proposal whose name holds it.
    groups = [{name_key(p.record["name_ja"])} for p in proposals if p.kind == "group"]
    result["groups"] = _prf(
        gold.get("groups") or [],
        groups,
        gold_keys,
        contains=True,
    )
    programmes = [
        {name_key(p.record["name_ja"])}
        for p in proposals
        if p.kind == "new_actor" and _label(p) in ("Program", "Project")
    ]
    result["programmes"] = _prf(
        gold.get("programmes") or [],
        programmes,
        lambda entry: {entry["name"]},
        contains=True,
    )
    # Ties: type, ends by name, role.
    gold_ties = [tuple(t) + (None,) * (4 - len(t)) for t in gold.get("ties") or []]
    # A Figure's MEASURES tie says what a count measures: no gold list has them (the reader
    # did not propose Figures when they were written), so they are counted apart ("homes").
    proposed_ties = [
        p.record for p in proposals if p.kind == "tie" and p.record["type"] != "MEASURES"
    ]
    hit_gold = set()
    right = 0
    for tie in proposed_ties:
        matched = False
        for index, (type_, start, end, role) in enumerate(gold_ties):
            if (
                tie["type"] == type_
                and _matches(start, names.get(tie["from"], set()), tie["from"].startswith("group:"))
                and _matches(end, names.get(tie["to"], set()), tie["to"].startswith("group:"))
                and (role is None or tie.get("role") == role)
            ):
                matched = True
                hit_gold.add(index)
        right += matched
    result["ties"] = (len(hit_gold), len(gold_ties), right, len(proposed_ties))
    # Numbers as (kind, value) multisets.
    gold_numbers = Counter(_freeze(n) for n in gold.get("numbers") or [])
    number_kinds = (
        "amount",
        "amount_range",
        "count",
        "fiscal_year",
        "calendar_year",
        "date",
        "as_of",
    )
    proposed_numbers = Counter(
        _freeze([p.kind, p.value]) for p in proposals if p.kind in number_kinds
    )
    if gold["document"].endswith(".csv"):
        proposed_numbers = Counter()  # a table's numbers are its cells: not scored here
    common = sum((gold_numbers & proposed_numbers).values())
    result["numbers"] = (
        common,
        sum(gold_numbers.values()),
        common,
        sum(proposed_numbers.values()),
    )
    # Meetings (Events), each with the date it is held attached when the gold gives one.
    events = [p for p in proposals if p.kind == "new_actor" and _label(p) == "Event"]
    dates = {
        p.attach["node"]: p.value
        for p in proposals
        if p.attach and p.attach.get("property") == "date_start"
    }
    gold_events = gold.get("events")

    def event_hit(entry: dict[str, Any], event: Proposal) -> bool:
        named = _matches(entry["name"], {name_key(event.record["name_ja"])})
        return named and dates.get(event.record["id"]) == entry.get(
            "date", dates.get(event.record["id"])
        )

    if gold_events is None:
        result["events"] = (0, 0, 0, 0)
    else:
        result["events"] = (
            sum(any(event_hit(e, p) for p in events) for e in gold_events),
            len(gold_events),
            sum(any(event_hit(e, p) for e in gold_events) for p in events),
            len(events),
        )
    # Homes: how many of the numbers proposed are attached to a record (a property of an
    # actor, programme, event or Figure) rather than left for a person to place.
    valued = [p for p in proposals if p.kind in number_kinds]
    result["homes"] = (sum(1 for p in valued if p.attach), len(valued))
    result["figures"] = sum(1 for p in proposals if p.kind == "new_actor" and _label(p) == "Figure")
    # Fragments and spans.
    gold_names = [name_key(e["name"]) for e in [*gold["actors"], *(gold.get("groups") or [])]] + [
        name_key(a) for e in gold["actors"] for a in e.get("aliases") or []
    ]
    fragments = []
    for proposal in proposals:
        if proposal.kind in ("new_actor", "group") and _label(proposal) in (*NAMED, "Group"):
            key = name_key(proposal.record["name_ja"])
            if key not in gold_names and any(key in g and key != g for g in gold_names):
                fragments.append(proposal.record["name_ja"])
    result["fragments"] = fragments
    result["bad_spans"] = [
        p for p in proposals if not (1 <= p.line <= len(lines) and p.span in lines[p.line - 1])
    ]
    return result


def _freeze(value: Any) -> Any:
    return tuple(_freeze(v) for v in value) if isinstance(value, list) else value


def _prf(
    gold: list[dict[str, Any]],
    proposed: list[set[str]],
    keys_of: Any,
    contains: bool = False,
) -> tuple[int, int, int, int]:
    """(gold found, gold, proposals right, proposals)."""

    def hit(entry: dict[str, Any], keys: set[str]) -> bool:
        if contains:
            name = entry["name"]
            if name.startswith("~"):
                return _matches(name, keys)
            return any(name_key(name) in key for key in keys)
        return bool(keys_of(entry) & keys)

    found = sum(any(hit(entry, keys) for keys in proposed) for entry in gold)
    right = sum(any(hit(entry, keys) for entry in gold) for keys in proposed)
    return found, len(gold), right, len(proposed)


def _cell(found: int, total: int, right: int, proposed: int) -> str:
    recall = f"{found}/{total}" if total else "-"
    precision = f"{right}/{proposed}" if proposed else "-"
    return f"R {recall:>7} P {precision:>7}"


def report(analyser_name: str) -> dict[str, Counter[str]]:
    print(f"## Corpus ({analyser_name}): recall (gold found) and precision (proposals right)")
    print(f"{'document':30} " + " ".join(f"{c:>19}" for c in CATEGORIES) + "  frag spans")
    sums: dict[str, Counter[str]] = {"tuned": Counter(), "held_out": Counter()}
    for path in gold_files():
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        proposals, lines = run_draft(gold, analyser_name)
        result = score(gold, proposals, lines)
        part = "held_out" if gold.get("held_out") else "tuned"
        cells = []
        for category in CATEGORIES:
            found, total, right, proposed = result[category]
            cells.append(_cell(found, total, right, proposed))
            for name, value in zip(("f", "g", "r", "p"), result[category], strict=True):
                sums[part][f"{category}.{name}"] += value
        sums[part]["fragments"] += len(result["fragments"])
        sums[part]["homes.attached"] += result["homes"][0]
        sums[part]["homes.numbers"] += result["homes"][1]
        sums[part]["figures"] += result["figures"]
        sums[part]["bad_spans"] += len(result["bad_spans"])
        mark = " (held out)" if gold.get("held_out") else ""
        print(
            f"{gold['document'] + mark:30} "
            + " ".join(f"{c:>19}" for c in cells)
            + f"  {len(result['fragments']):4} {len(result['bad_spans']):5}"
        )
        if result["fragments"]:
            print(f"    fragments: {result['fragments']}")
    for part in ("tuned", "held_out"):
        total = sums[part]
        cells = []
        for category in CATEGORIES:
            found, gold_count = total[f"{category}.f"], total[f"{category}.g"]
            right, proposed = total[f"{category}.r"], total[f"{category}.p"]
            recall = f"{found / gold_count:.0%}" if gold_count else "-"
            precision = f"{right / proposed:.0%}" if proposed else "-"
            cells.append(f"R {recall:>7} P {precision:>7}")
        print(
            f"{'all ' + part.replace('_', '-'):30} "
            + " ".join(f"{c:>19}" for c in cells)
            + f"  {total['fragments']:4} {total['bad_spans']:5}"
        )
    for part in ("tuned", "held_out"):
        total = sums[part]
        print(
            f"{part.replace('_', '-')}: {total['homes.attached']}/{total['homes.numbers']} numbers "
            f"attached to a record (their home); {total['figures']} Figures proposed"
        )
    return sums


def speed(analyser_name: str, repeat: int) -> tuple[float, float, float]:
    """Lines per second of the whole draft (wall clock and CPU time of this process) and,
    as the baseline in the same process, of the analyser alone on the same lines: the
    ratio of the two does not depend on how busy the machine is."""
    texts = []
    for path in gold_files():
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not gold["document"].endswith(".csv"):
            text = (CORPUS / gold["document"]).read_text(encoding="utf-8")
            texts.append((gold["source_id"], text))
    analyser(analyser_name)("準備")  # load the dictionary outside the timing
    lines = sum(len(text.splitlines()) for _, text in texts) * repeat
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for source_id, text in texts:
            draft_proposals(SourceText(source_id, text), {}, analyser_name=analyser_name)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    analyse = analyser(analyser_name)
    base = time.process_time()
    for _ in range(repeat):
        for _source_id, text in texts:
            for line in text.splitlines():
                analyse(line)
    base_seconds = time.process_time() - base
    return lines / seconds, lines / cpu_seconds, lines / base_seconds


def big_workspace(names: int, repeat: int) -> None:
    """The draft of the corpus's texts against a workspace of ``names`` actor names
    (synthetic katakana company names, fixed seed): the names are found in a line through an
    index, so the time grows with the line, not with the workspace."""
    import random

    generator = random.Random(25)  # noqa: S311 - test data with a fixed seed, no secret
    kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    known = {
        "".join(generator.choice(kana) for _ in range(6)) + "株式会社": f"org:x{index}"
        for index in range(names)
    }
    text = "\n".join(
        (CORPUS / name).read_text(encoding="utf-8")
        for name in ("minato-slides.txt", "kitahama-press-release.txt")
    )
    text = "\n".join([text] * repeat)
    started = time.process_time()
    draft_proposals(SourceText("w", "。"), known)  # the names alone: the index is built
    setup = time.process_time() - started
    started = time.process_time()
    draft_proposals(SourceText("w", text), known)
    seconds = time.process_time() - started - setup
    lines = len(text.splitlines())
    print(
        f"with a workspace of {len(known):,} names: {setup:.2f} s to index them once per "
        f"draft, then {lines / seconds:,.0f} lines/s of CPU time ({lines} lines)"
    )


def shipped() -> None:
    """The shipped source drafted BLIND (no known actors) against the curated knowledge
    base: curated actors (by name or alias) and values some proposal carries, and the
    proposals no curated fact carries."""
    from biocluster_kg.loaders import load_knowledge_base

    kb = load_knowledge_base()
    actors: dict[str, set[str]] = {}
    values: dict[str, set[Any]] = {"amount": set(), "count": set(), "year": set()}
    for node in kb.nodes.values():
        if node.label in ("Organization", "Body", "Position", "Group"):
            names = {node.get("name_ja"), node.get("name_en"), *(node.get("aliases") or [])}
            actors[node.id] = {name_key(n) for n in names if isinstance(n, str) and n}
        for name, value in node.properties.items():
            if isinstance(value, bool) or not isinstance(value, int):
                continue
            if name.endswith("thousand_yen"):
                values["amount"].add(value)
            elif name.startswith("fiscal_year"):
                values["year"].add(value)
            elif name in ("count", "value", "staff_count", "unit_count", "attendance"):
                values["count"].add(value)
    source_id, source = next(iter(kb.sources.items()))
    started = time.perf_counter()
    proposals = draft_proposals(SourceText(source_id, source.text), {})
    seconds = time.perf_counter() - started
    by_name = {key: node_id for node_id, keys in actors.items() for key in keys}
    found: set[str] = set()
    wrong = proposed = 0
    for proposal in proposals:
        if proposal.kind in ("new_actor", "group") and _label(proposal) != "Program":
            if _label(proposal) in ("Project", "Event", "Figure"):
                continue  # actors only: meetings and figures are not actors
            proposed += 1
            node_id = by_name.get(name_key(proposal.record["name_ja"]))
            found.add(node_id) if node_id else None
            wrong += node_id is None
    print(
        f"\n## The shipped source {source_id}, drafted blind ({len(proposals)} proposals, "
        f"{seconds * 1000:.0f} ms)"
    )
    print(
        f"actors: {len(found)}/{len(actors)} curated found; {wrong}/{proposed} proposals "
        "match no curated actor"
    )
    kinds = {"amount": ("amount",), "count": ("count",), "year": ("fiscal_year",)}
    for kind, proposal_kinds in kinds.items():
        carried = [p for p in proposals if p.kind in proposal_kinds]
        hits = {p.value for p in carried if p.value in values[kind]}
        misses = sum(p.value not in values[kind] for p in carried)
        print(
            f"{kind}: {len(hits & values[kind])}/{len(values[kind])} curated found; "
            f"{misses}/{len(carried)} proposals carry a value no curated fact has"
        )
    ties = [p for p in proposals if p.kind == "tie"]
    print(
        f"ties proposed: {len(ties)} (the curated file has {len(kb.relationships)} relationships)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analyser", choices=ANALYSERS, default=None, help="only this one")
    parser.add_argument("--repeat", type=int, default=30, help="passes over the corpus, timed")
    parser.add_argument(
        "--workspace-names", type=int, default=30_000, help="names of the large workspace"
    )
    options = parser.parse_args()
    names = [options.analyser] if options.analyser else list(ANALYSERS)
    rates: dict[str, float] = {}
    for name in names:
        started = time.perf_counter()
        analyser(name)("準備")
        loaded = time.perf_counter() - started
        report(name)
        wall, cpu, base = speed(name, options.repeat)
        rates[name] = cpu
        print(
            f"{name}: dictionary loaded in {loaded:.2f} s; draft {cpu:,.0f} lines/s of CPU "
            f"time ({wall:,.0f} by the wall clock); the analyser alone {base:,.0f} lines/s: "
            f"the draft runs at {cpu / base:.0%} of its analyser's speed\n"
        )
    if len(rates) == 2:
        first, second = ANALYSERS
        print(f"speed ratio {second}/{first} (CPU time): {rates[second] / rates[first]:.2f}")
    print(f"target: >= 1,000 lines/s on the light path (default {ANALYSERS[0]})")
    big_workspace(options.workspace_names, options.repeat)
    shipped()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
