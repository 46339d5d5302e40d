"""Stakeholder lists that open well in Excel: read back with openpyxl, as a planner's Excel
shows them (frozen header, autofilter, widths that fit the text, Japanese headers and names)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from biocluster_kg.graph.exports.stakeholders import (
    STAKEHOLDER_COLUMNS,
    StakeholderFilter,
    stakeholder_rows,
    stakeholders_csv,
    write_stakeholders_xlsx,
)
from biocluster_kg.kernel.model import KnowledgeBase


def test_the_japanese_workbook_has_widths_a_filter_a_frozen_header_and_japanese_names(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = stakeholder_rows(shipped_kb, StakeholderFilter())
    path = tmp_path / "stakeholders.xlsx"
    write_stakeholders_xlsx(rows, path, lang="ja")
    sheet = load_workbook(path).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["ID", "区分", "名称", "英語名"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(rows) + 1}"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    # Every column is sized; the name column fits its longest name (a CJK character is two
    # columns wide), up to the cap past which Excel wraps.
    assert len(widths) == len(header)
    longest = max(2 * len(row["name_ja"]) for row in rows)
    assert widths["C"] == min(longest + 2, 60)
    by_id = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    iab = by_id["org:iab"]
    assert iab[header.index("区分")] == "組織"
    assert iab[header.index("種類")] == "研究所"
    assert iab[header.index("セクター")] == "大学・研究機関"
    # Seats in people's words: the role as the source writes it, else the schema's name.
    seats = header.index("会議体での役割")
    assert by_id["org:yamagata-prefecture"][seats] == (
        "山形県バイオクラスター形成推進会議：会長（山形県知事として）"
    )
    assert by_id["org:keio"][seats] == (
        "山形県バイオクラスター形成推進会議：委員・構成員（慶應義塾常任理事として）"
    )
    assert by_id["org:shonai-center"][seats].endswith("; 管理法人機能：機能を担う")
    assert not any(
        code in str(row[seats])
        for row in by_id.values()
        for code in (" via ", ":chair", ":member", ":vice_chair", ":serves_as", ":listed")
    )


def test_english_keeps_the_stable_keys_and_codes(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = stakeholder_rows(shipped_kb, StakeholderFilter())
    path = tmp_path / "en.xlsx"
    write_stakeholders_xlsx(rows, path)
    sheet = load_workbook(path).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == list(STAKEHOLDER_COLUMNS)
    assert sheet.auto_filter.ref is not None
    seats = STAKEHOLDER_COLUMNS.index("memberships")
    by_id = {row[0].value: row[seats].value for row in sheet.iter_rows(min_row=2)}
    assert by_id["org:yamagata-prefecture"] == (
        "山形県バイオクラスター形成推進会議:chair (会長) via 山形県知事"
    )


def test_a_csv_with_a_byte_order_mark_reads_back_in_japanese(shipped_kb: KnowledgeBase) -> None:
    rows = stakeholder_rows(shipped_kb, StakeholderFilter())
    data = stakeholders_csv(rows, bom=True, lang="ja")
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["ID", "区分", "名称"]
    assert len(table) == len(rows) + 1
