"""Growing a workspace: draft candidates from a new source, accept the reviewed ones.

The two use cases behind ``biocluster draft`` and ``biocluster accept``; the command line
only parses and reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from biocluster_kg.kernel.cluster import default_data_dir
from biocluster_kg.kernel.errors import CheckError, Problem, SourceError, ValidationError
from biocluster_kg.kernel.files import atomic_write

if TYPE_CHECKING:
    from biocluster_kg.loaders.check import CheckReport

__all__ = ["Accepted", "accept_draft_file", "write_draft"]


def _workspace(data_dir: Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


def write_draft(
    data_dir: Path | None, source_id: str, output: Path, *, analyser_name: str | None = None
) -> dict[str, int]:
    """Write the draft of one of the workspace's sources; returns how many candidates of
    each kind it proposes (``new_actor``, ``tie``, ``amount``, ...), in the draft's order.

    The workspace's actors are the known names (every name and alias); what its knowledge
    base already carries from this source (actors, ties, the values of facts cited at a
    line) is left out, so a rerun after an accept proposes only what is still missing."""
    from biocluster_kg.kernel.model import Node, Relationship
    from biocluster_kg.kernel.names import name_key
    from biocluster_kg.kernel.schema import SCHEMA
    from biocluster_kg.loaders import load_knowledge_base
    from biocluster_kg.loaders.draft import (
        Covered,
        draft_document,
        draft_proposals,
        draft_table_proposals,
    )
    from biocluster_kg.loaders.japanese import DEFAULT_ANALYSER
    from biocluster_kg.loaders.sources import SourceText

    folder = _workspace(data_dir)
    kb = load_knowledge_base(folder, allow_empty=True)  # reads names only; writes no store
    if source_id not in kb.sources:
        known = ", ".join(sorted(kb.sources)) or "none yet: add one with `biocluster source add`"
        raise SourceError(f"no source {source_id!r} in {folder} (sources: {known})")
    if output.resolve().parent == (folder / "kb").resolve():
        raise SourceError(f"{output}: write the draft outside kb/; `biocluster accept` adds it")
    names: dict[str, str] = {}
    labels: dict[str, str] = {}
    # Actors, and the programmes and projects ties may end at, are linked by every name.
    linkable = (*SCHEMA.actor_labels, "Program", "Project")
    for node in kb.nodes.values():
        if node.label in linkable:
            labels[node.id] = node.label
            for name in (node.get("name_ja"), node.get("name_en"), *(node.get("aliases") or [])):
                if isinstance(name, str) and name_key(name):
                    names.setdefault(name, node.id)
    covered = Covered()
    facts: list[Node | Relationship] = [*kb.nodes.values(), *kb.relationships.values()]
    for fact in facts:
        lines = [c.line for c in fact.citations if c.source_id == source_id]
        if not fact.citations and fact.get("source_doc") == source_id:
            lines = [fact.get("span_line")]
        if not lines:
            continue
        if isinstance(fact, Relationship):
            covered.ties.add((fact.type, fact.start, fact.end))
        else:
            covered.actors.add(fact.id)
        spans = [c.span for c in fact.citations if c.source_id == source_id] or [
            str(fact.get("span") or "")
        ]
        for line, span in zip(lines, spans, strict=False):
            if isinstance(line, int):
                # A span over several lines carries the values of each of them.
                for covered_line in range(line, line + span.count("\n") + 1):
                    covered.values.setdefault(covered_line, []).extend(_values(fact.properties))
    document = kb.sources[source_id]
    chosen = analyser_name or DEFAULT_ANALYSER
    if document.sheets is not None:
        proposals = draft_table_proposals(
            source_id, document.sheets, names, covered=covered, analyser_name=chosen
        )
    else:
        proposals = draft_proposals(
            SourceText(source_id, document.text),
            names,
            known_labels=labels,
            covered=covered,
            analyser_name=chosen,
        )
    text = (
        "# DRAFT: candidate records proposed by `biocluster draft`. Nothing here is a fact until\n"
        "# a person has checked it against the source and marked it `accept: true`.\n"
        + yaml.safe_dump(
            draft_document(source_id, proposals), allow_unicode=True, sort_keys=False, width=96
        )
    )
    atomic_write(output, text.encode("utf-8"), error=SourceError, what="draft")
    kinds: dict[str, int] = {}
    for proposal in proposals:
        kinds[proposal.kind] = kinds.get(proposal.kind, 0) + 1
    return kinds


def _values(properties: dict[str, object]) -> list[object]:
    """The values a fact carries that a number of its line could be (amounts, counts,
    years, dates): a rerun does not propose them again."""
    values: list[object] = []
    for name, value in properties.items():
        if name in ("span", "span_line", "id", "citations", "name_keys"):
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int | str):
            values.append(value)
        elif isinstance(value, list) and all(isinstance(v, int) for v in value):
            values.append(list(value))
    lows = properties.get("amount_min_thousand_yen"), properties.get("amount_max_thousand_yen")
    if all(isinstance(v, int) for v in lows):
        values.append(list(lows))
    return values


@dataclass
class Accepted:
    """What ``accept`` added: the file, its records and the workspace's report with them."""

    path: Path
    records: int
    candidates: list[str]
    report: CheckReport


_NAME = re.compile(r"^[^/\\\x00]+$")


def _target(folder: Path, draft: Path, name: str | None) -> Path:
    """``kb/NAME.yaml``: a plain file name, never a path out of kb/ nor a hidden file."""
    given = name if name is not None else draft.stem
    stem = given[: -len(".yaml")] if given.endswith(".yaml") else given
    if (
        not _NAME.match(stem)
        or stem.startswith(".")
        or stem != stem.strip()
        or Path(stem).is_absolute()
    ):
        raise SourceError(
            f"--name {given!r}: give a plain file name (no folder, no '..', not hidden); "
            "accepted records are written into kb/ and nowhere else"
        )
    kb_dir = folder / "kb"
    if not kb_dir.is_dir():
        raise SourceError(f"{folder} is not a workspace (no kb/ folder); run `biocluster init`")
    target = kb_dir / f"{stem}.yaml"
    if target.exists() or target.is_symlink():
        raise SourceError(f"{target} exists; give another --name")
    return target


def accept_draft_file(
    data_dir: Path | None,
    draft: Path,
    name: str | None,
    *,
    chosen: tuple[str, ...] = (),
    english_names: dict[str, str] | None = None,
) -> Accepted:
    """Add a reviewed draft's accepted candidates to ``kb/`` as one new file.

    The workspace with the new records is checked in memory first, through the one gate;
    only then is the file written, atomically: a refused, killed or failed accept leaves
    ``kb/`` as it was. Refusals name the draft's candidates, fields and reasons."""
    from biocluster_kg.kernel.cluster import load_cluster_profile
    from biocluster_kg.loaders import load_knowledge_base, read_records
    from biocluster_kg.loaders.accept import accept_draft, candidate_lines
    from biocluster_kg.loaders.check import gate
    from biocluster_kg.loaders.sources import load_sources
    from biocluster_kg.loaders.validate import build_knowledge_base
    from biocluster_kg.loaders.yaml_records import parse_yaml_text, plain_yaml, read_text

    folder = _workspace(data_dir)
    target = _target(folder, draft, name)
    display = str(draft)
    text = read_text(draft, display)
    data = plain_yaml(text, display)
    profile = load_cluster_profile(folder)
    kb = load_knowledge_base(folder, allow_empty=True)
    lines = candidate_lines(text)
    acceptance = accept_draft(
        data, display, kb=kb, chosen=chosen, lines=lines, english_names=english_names
    )
    if not acceptance.records and acceptance.candidates:
        raise SourceError(
            f"{draft}: the accepted candidates add nothing: known actors are in kb/ already "
            "(accept them with the ties or numbers that name them)"
        )
    if not acceptance.records:
        raise SourceError(f"{draft}: no candidate is marked `accept: true`; nothing to add")
    content = (
        "# Accepted with `biocluster accept` from a reviewed draft: each record is a fact a\n"
        "# person checked against its source.\n"
        + yaml.safe_dump(acceptance.document, allow_unicode=True, sort_keys=False, width=96)
    )
    shown = f"kb/{target.name}"
    new_records = parse_yaml_text(content, shown)
    starts = [record.line for record in new_records]
    by_key = {key: lines[index] for index, key in enumerate(_keys(data)) if index < len(lines)}

    def to_draft(problems: list[Problem]) -> list[Problem]:
        """A problem of the new file, told as the problem of the candidate it came from."""
        told = []
        for problem in problems:
            if problem.file != shown or problem.line is None:
                told.append(problem)
                continue
            record = max((i for i, start in enumerate(starts) if start <= problem.line), default=0)
            key = acceptance.origins[record] if record < len(acceptance.origins) else "?"
            message = f"candidate {key}: {problem.message}"
            told.append(Problem(display, by_key.get(key), problem.field, message))
        return told

    try:
        checked = build_knowledge_base(
            [*read_records(folder), *new_records], load_sources(folder / "sources")
        )
        report = gate(checked, profile)
    except CheckError as error:
        raise CheckError(
            to_draft(error.problems),
            f"{error.head}: the accepted records would not pass `biocluster check`; "
            "nothing was added",
        ) from None
    except ValidationError as error:
        raise CheckError(
            to_draft(error.problems),
            "the accepted records would not pass `biocluster check`; nothing was added",
        ) from None
    atomic_write(target, content.encode("utf-8"), error=SourceError, what="accepted records")
    return Accepted(target, acceptance.records, acceptance.candidates, report)


def _keys(data: object) -> list[str]:
    """Each candidate's key as :func:`~biocluster_kg.loaders.accept.accept_draft` names it."""
    candidates = data.get("candidates") if isinstance(data, dict) else None
    keys = []
    for index, entry in enumerate(candidates if isinstance(candidates, list) else []):
        own = entry.get("candidate") if isinstance(entry, dict) else None
        keys.append(own.strip() if isinstance(own, str) and own.strip() else f"c{index + 1}")
    return keys
