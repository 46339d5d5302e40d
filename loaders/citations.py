"""Citations: a table row's citation, and a further record of a fact adding its own.

A fact is cited by a span of a text source or by a row (``span_line``) and the columns
(``span_columns``, ``span_sheet``) of a table source; a fact several sources state is written
once per source with the same id, and each record adds its citation
(:class:`~biocluster_kg.kernel.model.Citation`) once its values agree with the first's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from biocluster_kg.kernel.model import Citation, Node, Origin, Relationship, SourceDocument
from biocluster_kg.loaders.tables import cell, sheet_name
from biocluster_kg.loaders.yaml_records import RawRecord

__all__ = ["CITATION_FIELDS", "Report", "cite_row", "merge_record", "origin_of"]

#: How a check reports a problem: the record, the field (None for the record) and why.
Report = Callable[[RawRecord, "str | None", str], None]


def cite_row(
    problem: Report, record: RawRecord, values: dict[str, Any], document: SourceDocument
) -> Citation | None:
    """A table citation: the row (``span_line``) and the columns (``span_columns``) must
    exist and the cells hold something; ``span`` becomes the cells' text."""
    assert document.sheets is not None
    sheets, source_id = document.sheets, document.id
    sheet = values.get("span_sheet")
    name = sheet_name(sheets, sheet)
    if name is None:
        known = ", ".join(repr(key) for key in sheets)
        field = "span_sheet" if sheet is not None else None
        wanted = f"no sheet {sheet!r}" if sheet is not None else "name the sheet (span_sheet)"
        problem(record, field, f"source {source_id!r}: {wanted}; sheets: {known}")
        return None
    row, columns = values.get("span_line"), values.get("span_columns")
    if row is None or not columns:
        missing = "span_line" if row is None else "span_columns"
        problem(
            record,
            None,
            f"source {source_id!r} is a table: cite the row (span_line) and the columns "
            f"whose cells state this (span_columns); missing {missing!r}",
        )
        return None
    rows = sheets[name]
    where = f"source {source_id!r}" + (f" sheet {name!r}" if name else "")
    if not 2 <= row <= len(rows):
        problem(record, "span_line", f"{where} has no data row {row} (rows 2-{len(rows)})")
        return None
    cells = []
    for column in columns:
        value = cell(sheets, name, row, column)
        if value is None:
            heads = ", ".join(rows[0])
            problem(record, "span_columns", f"{where} has no column {column!r}: {heads}")
            return None
        if not value.strip():
            problem(record, "span_columns", f"{where} row {row} column {column!r} is empty")
            return None
        cells.append(" ".join(value.split()) if ("\t" in value or "\n" in value) else value)
    cited = "\t".join(cells)
    if "span" in record.fields and values.get("span") != cited:
        problem(
            record,
            "span",
            f"{where} row {row} holds {cited!r} in {', '.join(columns)}; leave 'span' out "
            "(the loader fills it in) or copy the cells exactly",
        )
        return None
    values["span"] = cited
    return Citation(source_id, cited, row, name or None, tuple(columns), origin=origin_of(record))


def origin_of(record: RawRecord) -> Origin:
    return Origin(record.file, record.line)


#: Fields that say where a fact is stated, not what it says: two records of one fact may
#: differ in them (they are its citations).
CITATION_FIELDS = frozenset(
    ("source_doc", "span", "span_line", "span_columns", "span_sheet", "note", "name_keys")
)


def merge_record(
    problem: Report,
    record: RawRecord,
    fact: Node | Relationship,
    values: dict[str, Any],
    citation: Citation | None,
    what: str,
) -> None:
    """A second record of a fact adds its citation: every value it states must agree with
    the first's (values it adds are kept); the same citation twice is a duplicate."""
    first = fact.origin
    where = f" (first at {first.file}:{first.line})" if first else ""
    conflicts = [
        f"{key} is {value!r} here but {fact.properties[key]!r} there"
        for key, value in values.items()
        if key not in CITATION_FIELDS and key in fact.properties and fact.properties[key] != value
    ]
    if conflicts:
        hint = (
            "; facts told apart by fiscal year or by source need their own 'id'"
            if what == "relationship"
            else ""
        )
        problem(record, "id", f"duplicate {what} {fact.id!r}{where}: {'; '.join(conflicts)}{hint}")
        return
    if citation is None:
        return  # its citation's problem is reported
    if any(
        (c.source_id, c.span, c.line, c.sheet)
        == (citation.source_id, citation.span, citation.line, citation.sheet)
        for c in fact.citations
    ):
        message = f"duplicate {what} {fact.id!r}{where}"
        if what == "relationship":
            message += "; give one its own 'id'"
        problem(record, "id", message)
        return
    for key, value in values.items():
        if key not in CITATION_FIELDS:
            fact.properties.setdefault(key, value)
    fact.citations.append(citation)
    fact.properties["citations"] = [c.text() for c in fact.citations]
