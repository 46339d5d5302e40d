"""A reviewer's sheet: every fact of one source in source order, with its span marked in
the source's own lines, its basis and the reason for it, so that a person who reads the
source's language can audit the whole knowledge base against it in one sitting.

Two forms: HTML (one self-contained page, no scripts, every text escaped) and Markdown.
The source's lines are shown in their NFKC form, the form every span is matched in.

>>> from biocluster_kg.kernel.model import KnowledgeBase, Node, SourceDocument
>>> kb = KnowledgeBase(sources={"s": SourceDocument("s", "s.txt", "T", "会長：<知事>")})
>>> kb.add_node(Node("pos:g", "Position", {"name_ja": "<知事>", "name_en": "Governor",
...     "source_doc": "s", "span": "<知事>", "span_line": 1, "basis": "stated"}))
>>> "会長：<mark>&lt;知事&gt;</mark>" in review_sheet(kb, "s")
True
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Literal

from biocluster_kg.kernel.errors import BioclusterError
from biocluster_kg.kernel.files import atomic_write
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import DEFAULT_BASIS, SCHEMA
from biocluster_kg.loaders.sources import SourceText
from biocluster_kg.loaders.tables import row_line

__all__ = ["ReviewRow", "review_rows", "review_sheet", "write_review_sheet"]

Format = Literal["html", "md"]


@dataclass(frozen=True)
class ReviewRow:
    """One fact as the reviewer sees it: where its span is, and what it claims."""

    start: int
    end: int
    first_line: int
    last_line: int
    fact_id: str
    what: str
    basis: str
    basis_reason: str
    note: str


def _describe(kb: KnowledgeBase, fact_id: str, is_node: bool) -> str:
    if is_node:
        node = kb.nodes[fact_id]
        kind = SCHEMA.kind_name(node.label, node.get("kind") or "")
        return f"{SCHEMA.node(node.label).display_name()}（{kind}）: {node.get('name_ja')}"
    rel = kb.relationships[fact_id]
    start, end = kb.nodes[rel.start], kb.nodes[rel.end]
    role = rel.get("role")
    role_text = f"［{SCHEMA.term_name('role', role)}］" if role else ""
    type_name = SCHEMA.relationship(rel.type).display_name()
    return f"{start.get('name_ja')} —{type_name}{role_text}→ {end.get('name_ja')}"


def review_rows(kb: KnowledgeBase, source_id: str) -> list[ReviewRow]:
    """The facts that cite ``source_id``, in the order their spans occur in it."""
    if source_id not in kb.sources:
        known = ", ".join(sorted(kb.sources)) or "none"
        raise BioclusterError(f"no source {source_id!r}; the sources are: {known}")
    text = SourceText(source_id, kb.sources[source_id].text)
    facts: list[tuple[str, bool, dict[str, Any]]] = [
        (node.id, True, node.properties) for node in kb.nodes.values()
    ]
    facts += [(rel.id, False, rel.properties) for rel in kb.relationships.values()]
    rows = []
    for fact_id, is_node, props in facts:
        if props.get("source_doc") != source_id or not props.get("span"):
            continue
        sheets = kb.sources[source_id].sheets
        if sheets is not None and props.get("span_columns") and props.get("span_line"):
            # A table row's fact: its row is the line to show, whatever cells it cites.
            line = row_line(sheets, props.get("span_sheet"), props["span_line"])
            start = text.line_starts[line - 1]
            occurrences = chosen = [(start, start + len(text.line(line)))]
        else:
            occurrences = text.occurrences(props["span"])
            chosen = [o for o in occurrences if text.line_at(o[0]) == props.get("span_line")]
        for start, end in (chosen or occurrences)[:1]:
            rows.append(
                ReviewRow(
                    start,
                    end,
                    text.line_at(start),
                    text.line_at(max(start, end - 1)),
                    fact_id,
                    _describe(kb, fact_id, is_node),
                    props.get("basis") or DEFAULT_BASIS,
                    props.get("basis_reason") or "",
                    props.get("note") or "",
                )
            )
    return sorted(rows, key=lambda row: (row.start, row.end, row.fact_id))


def _lines_with_mark(text: SourceText, row: ReviewRow, html: bool) -> list[tuple[int, str]]:
    """The span's lines, the span itself marked (escaped first when ``html``).

    Positions are those of the normalised text, where spans are found; a line is shown as
    the source writes it (：, not :) wherever normalising kept every character one
    character long, which is what lets the same positions mark it."""
    lines = text.normalized.split("\n")
    written_lines = text.unified.split("\n")
    out = []
    offset = sum(len(line) + 1 for line in lines[: row.first_line - 1])
    for number in range(row.first_line, row.last_line + 1):
        line = lines[number - 1]
        written = written_lines[number - 1] if number <= len(written_lines) else line
        if len(written) == len(line) and all(
            len(unicodedata.normalize("NFKC", character)) == 1 for character in written
        ):
            line = written
        a = max(row.start - offset, 0)
        b = min(row.end - offset, len(line))
        before, inside, after = line[:a], line[a:b], line[b:]
        if html:
            marked = f"{escape(before)}<mark>{escape(inside)}</mark>{escape(after)}"
        else:
            # Markdown renders inline HTML: the text is escaped there too.
            marked = (
                f"{escape(before)}**{escape(inside)}**{escape(after)}" if inside else escape(line)
            )
        out.append((number, marked))
        offset += len(line) + 1
    return out


_BASIS_CLASS = {"stated": "stated", "layout": "layout", "inferred": "inferred"}

_STYLE = """
body { font-family: sans-serif; margin: 1.5em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
td.line { font-family: monospace; white-space: pre-wrap; }
mark { background: #ffe066; }
tr.layout td.basis { background: #dbeafe; }
tr.inferred td.basis { background: #fde2e2; }
"""


def review_sheet(kb: KnowledgeBase, source_id: str | None = None, fmt: Format = "html") -> str:
    """The reviewer's sheet of one source (the only one when ``source_id`` is None)."""
    if source_id is None:
        if len(kb.sources) != 1:
            known = ", ".join(sorted(kb.sources)) or "none"
            raise BioclusterError(f"name the source to review; the sources are: {known}")
        source_id = next(iter(kb.sources))
    rows = review_rows(kb, source_id)
    text = SourceText(source_id, kb.sources[source_id].text)
    document = kb.sources[source_id]
    counts: dict[str, int] = {term.code: 0 for term in SCHEMA.property_terms("basis")}
    for row in rows:
        counts[row.basis] = counts.get(row.basis, 0) + 1
    summary = ", ".join(
        f"{SCHEMA.term_name('basis', code)} ({code}) {count}" for code, count in counts.items()
    )
    if fmt == "md":
        return _markdown(rows, text, document.title, source_id, summary)
    body = []
    for number, row in enumerate(rows, start=1):
        lines = "\n".join(
            f"{line_no}: {marked}" for line_no, marked in _lines_with_mark(text, row, True)
        )
        basis = f"{escape(SCHEMA.term_name('basis', row.basis))} ({escape(row.basis)})"
        body.append(
            f'<tr class="{_BASIS_CLASS.get(row.basis, "other")}"><td>{number}</td>'
            f'<td class="line">{lines}</td><td>{escape(row.what)}'
            f"<br><small>{escape(row.fact_id)}</small></td>"
            f'<td class="basis">{basis}</td><td>{escape(row.basis_reason)}</td>'
            f"<td>{escape(row.note)}</td></tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}: review</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(document.title)}</h1><p>{escape(source_id)}: {len(rows)} facts in "
        f"source order; {escape(summary)}</p><table><thead><tr><th>#</th><th>行 line</th>"
        "<th>事実 fact</th><th>根拠 basis</th><th>理由 reason</th><th>注 note</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></body></html>\n"
    )


def _cell(text: str, escaped: bool = False) -> str:
    """Markdown table cell text, HTML-escaped (Markdown renders inline HTML); pipes and
    line breaks would end the cell."""
    text = text if escaped else escape(text)
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(
    rows: list[ReviewRow], text: SourceText, title: str, source_id: str, summary: str
) -> str:
    out = [
        f"# {_cell(title)}",
        "",
        f"{_cell(source_id)}: {len(rows)} facts in source order; {_cell(summary)}",
        "",
        "| # | line | fact | basis | reason | note |",
        "|---|---|---|---|---|---|",
    ]
    for number, row in enumerate(rows, start=1):
        lines = " / ".join(
            f"{line_no}: {marked}" for line_no, marked in _lines_with_mark(text, row, False)
        )
        out.append(
            f"| {number} | {_cell(lines, escaped=True)} | {_cell(row.what)} "
            f"({_cell(row.fact_id)}) | {row.basis} | {_cell(row.basis_reason)} | "
            f"{_cell(row.note)} |"
        )
    return "\n".join(out) + "\n"


def write_review_sheet(kb: KnowledgeBase, path: Path, source_id: str | None = None) -> Path:
    """Write the sheet to ``path``: Markdown for a ``.md`` name, else HTML."""
    fmt: Format = "md" if path.suffix.lower() == ".md" else "html"
    sheet = review_sheet(kb, source_id, fmt)
    return atomic_write(path, sheet.encode("utf-8"), error=BioclusterError, what="review sheet")
