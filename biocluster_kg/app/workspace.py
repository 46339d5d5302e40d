"""Growing a workspace: draft candidates from a new source, accept the reviewed ones.

The two use cases behind ``biocluster draft`` and ``biocluster accept``; the command line
only parses and reports.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from biocluster_kg.kernel.cluster import default_data_dir
from biocluster_kg.kernel.errors import BioclusterError, SourceError
from biocluster_kg.kernel.files import atomic_write

__all__ = ["accept_draft_file", "write_draft"]


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


def accept_draft_file(data_dir: Path | None, draft: Path, name: str | None) -> tuple[Path, int]:
    """Add a reviewed draft's accepted records to ``kb/``, checked with the whole workspace;
    returns the file written and the number of records. A failed check removes the file."""
    from biocluster_kg.loaders.check import load_and_check
    from biocluster_kg.loaders.draft import accept_draft

    folder = _workspace(data_dir)
    try:
        data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SourceError(f"{draft}: cannot read the draft: {error}") from None
    accepted = accept_draft(data, str(draft))
    if not accepted["nodes"]:
        raise SourceError(f"{draft}: no candidate is marked `accept: true`; nothing to add")
    target = folder / "kb" / f"{name or draft.stem}.yaml"
    if target.exists():
        raise SourceError(f"{target} exists; give another --name")
    target.write_text(
        yaml.safe_dump(accepted, allow_unicode=True, sort_keys=False, width=96), encoding="utf-8"
    )
    try:
        report = load_and_check(folder)
        if not report.ok:
            raise BioclusterError(
                f"{target.name}: the workspace does not pass `biocluster check` with it; "
                "run `biocluster check --data` after adding the facts it needs"
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, len(accepted["nodes"])
