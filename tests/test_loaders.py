"""The curated loader, the tabular loader and `biocluster check`, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.kernel.errors import Problem, SourceError, ValidationError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.tabular import write_tabular
from biocluster_kg.loaders import load_knowledge_base
from biocluster_kg.loaders.check import check_knowledge_base, mentions
from biocluster_kg.loaders.sources import SourceText

SOURCE = "yamagata-biocluster-fy2013"

NODE = """\
source: yamagata-biocluster-fy2013
nodes:
  - id: org:test-actor
    label: Organization
    kind: company
    sector: industry
    name_ja: 日新製薬
    name_en: Test actor
    span: 日新製薬（天童市）
"""


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> list[Problem]:
    return error.value.problems


def load_error(data_dir: Path) -> list[Problem]:
    with pytest.raises(ValidationError) as error:
        load_knowledge_base(data_dir)
    return problems_of(error)


# --- The shipped knowledge base -------------------------------------------------------


def test_shipped_data_loads_with_every_label_and_many_types(shipped_kb: KnowledgeBase) -> None:
    counts = shipped_kb.counts()
    for label in (
        "Organization",
        "Group",
        "Body",
        "Position",
        "Function",
        "Program",
        "Project",
        "Outcome",
        "Event",
        "Figure",
    ):
        assert counts[label] > 0, label
    # 10 council and 11 committee seats, the centre serving as the managing corporation and
    # the two staff groups; no longer the two divisions below the committee's box (issue 30).
    assert counts["MEMBER_OF"] == 24
    assert len(shipped_kb.nodes) > 150


def test_every_fact_cites_a_span_that_is_in_the_source(shipped_kb: KnowledgeBase) -> None:
    text = shipped_kb.sources[SOURCE].text
    facts = [*shipped_kb.nodes.values(), *shipped_kb.relationships.values()]
    for fact in facts:
        span = fact.get("span")
        assert fact.get("source_doc") == SOURCE
        lines = text.splitlines()
        start = fact.get("span_line")
        # The span really starts on its recorded line (checked here without our matcher).
        first_line = span.splitlines()[0]
        import unicodedata

        assert unicodedata.normalize("NFKC", first_line) in unicodedata.normalize(
            "NFKC", lines[start - 1]
        ), (fact, start)


def test_council_and_committee_roles_as_the_source_states(shipped_kb: KnowledgeBase) -> None:
    roles = {(r.start, r.end): r.get("role") for r in shipped_kb.relationships_of_type("MEMBER_OF")}
    assert roles[("pos:governor", "body:promotion-council")] == "chair"
    assert roles[("pos:tsuruoka-mayor", "body:promotion-council")] == "vice_chair"
    assert roles[("pos:commerce-department-director", "body:collaboration-committee")] == "chair"
    council = [k for k in roles if k[1] == "body:promotion-council"]
    committee = [k for k in roles if k[1] == "body:collaboration-committee"]
    assert len(council) == 10  # chair, vice-chair and the eight members of line 40
    assert len(committee) == 11  # chair, vice-chair and the nine members of line 45


def test_anonymous_actors_keep_their_counts_and_no_names(shipped_kb: KnowledgeBase) -> None:
    groups = {n.id: n for n in shipped_kb.nodes_with_label("Group")}
    assert groups["group:five-companies"].get("count") == 5
    assert groups["group:sake-breweries"].get("count") == 8
    assert groups["group:major-pharmaceutical-makers"].get("count") is None


def test_aliases_resolve_to_one_actor(write_kb_file) -> None:
    data = write_kb_file(
        "extra.yaml",
        NODE
        + """\
relationships:
  - {type: PARTICIPATES_IN, from: 日新製薬, to: 鶴岡メタボロームコホート, role: partner,
     span: 日新製薬（天童市）}
""",
    )
    # 日新製薬 is now the name of two nodes: ambiguous, so it must be refused.
    problems = load_error(data)
    assert any("names several nodes" in p.message for p in problems)


def test_references_by_alias_and_english_name_resolve(write_kb_file) -> None:
    data = write_kb_file(
        "extra.yaml",
        """\
source: yamagata-biocluster-fy2013
relationships:
  - {type: COORDINATES_WITH, from: 庄内産振センター, to: ＩＡＢ, span: 先端研との調整、橋渡し}
  - {type: COORDINATES_WITH, from: shonai regional industry promotion center, to: 慶應先端研,
     id: extra-2, span: 先端研との調整、橋渡し}
""",
    )
    kb = load_knowledge_base(data)
    rels = [r for r in kb.relationships_of_type("COORDINATES_WITH") if r.end == "org:iab"]
    assert {r.start for r in rels} == {"org:shonai-center"}
    assert len(rels) == 2


def test_fiscal_years_are_kept_in_both_calendars(shipped_kb: KnowledgeBase) -> None:
    budget = shipped_kb.nodes["prog:fy2013-budget"]
    assert budget.get("fiscal_year") == 2013
    assert budget.get("fiscal_year_ja") == "平成25年度"
    period = shipped_kb.nodes["prog:iab-third-period"]
    assert (period.get("fiscal_year_start"), period.get("fiscal_year_end")) == (2011, 2013)


# --- The budget -----------------------------------------------------------------------


def test_budget_reconciles_to_the_source_total(shipped_kb: KnowledgeBase) -> None:
    from biocluster_kg.loaders.validate import budget_problems

    assert budget_problems(shipped_kb) == []
    assert shipped_kb.nodes["prog:fy2013-budget"].get("amount_thousand_yen") == 380_067
    parts = [
        shipped_kb.nodes[r.start].get("amount_thousand_yen")
        for r in shipped_kb.relationships_of_type("PART_OF")
        if r.end == "prog:fy2013-section-2-breakdown"
    ]
    assert sorted(parts) == [7_081, 22_071]


def test_a_budget_line_that_does_not_add_up_is_refused(data_copy: Path) -> None:
    path = data_copy / "kb" / "budget-fy2013.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("amount_thousand_yen: 6023", "amount_thousand_yen: 6024"), encoding="utf-8"
    )
    problems = load_error(data_copy)
    assert any(
        p.field == "amount_thousand_yen"
        and "12,692" in p.message
        and p.file.endswith("budget-fy2013.yaml")
        for p in problems
    ), problems


def test_a_cyclic_budget_tree_is_refused(write_kb_file) -> None:
    data = write_kb_file(
        "cycle.yaml",
        """\
source: yamagata-biocluster-fy2013
relationships:
  - {type: PART_OF, from: prog:fy2013-budget, to: prog:fy2013-section-1, span: 予算額}
""",
    )
    problems = load_error(data)
    assert any("cycle" in p.message for p in problems), problems


# --- Bad input: one clear problem per fault, with file, line and field ----------------


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("nodes: [\n  - id: x\n", 2, None, "malformed YAML"),
        (NODE.replace("label: Organization", "label: Person"), 4, "label", "unknown label"),
        (NODE.replace("kind: company", "kind: spaceship"), 5, "kind", "is not one of"),
        (NODE.replace("sector: industry", "sector: 3"), 6, "sector", "expected string"),
        (NODE.replace("span: 日新製薬（天童市）", "span: 東京都庁"), 9, "span", "not found"),
        (
            NODE.replace("    name_en: Test actor\n", ""),
            3,
            None,
            "missing required field 'name_en'",
        ),
        (NODE + "    founded: 1999\n", 10, "founded", "unknown field"),
        (NODE.replace("id: org:test-actor", "id: org:iab"), 3, "id", "duplicate id"),
        (NODE.replace("id: org:test-actor", "id: group:test"), 3, "id", "ids look like"),
        (NODE + "    span_line: 12\n", 10, "span_line", "not 12"),
        (NODE + "    aliases: &a [x]\n    tags: *a\n", 10, "tags", "aliases are not allowed"),
        (NODE + "    aliases: [[nested]]\n", 10, "aliases", "plain values"),
        (
            NODE + "    span_line: 168\n    fiscal_year_ja: 平成1年度\n",
            11,
            "fiscal_year_ja",
            "unknown field",
        ),
        ("", None, None, "empty"),
        ("just a string\n", 1, None, "expected a mapping"),
        ("source: x\nedges: []\n", 2, "edges", "unknown top-level key"),
    ],
)
def test_bad_node_files_name_file_line_and_field(
    write_kb_file, text: str, line: int | None, field: str | None, message: str
) -> None:
    problems = load_error(write_kb_file("bad.yaml", text))
    assert [p for p in problems if p.file == "kb/bad.yaml"], problems
    problem = next(p for p in problems if p.file == "kb/bad.yaml")
    assert (problem.line, problem.field) == (line, field), problems
    assert message in problem.message


@pytest.mark.parametrize(
    ("relationship", "field", "message"),
    [
        (
            "{type: KNOWS, from: org:iab, to: org:keio, span: 慶應義塾常任理事}",
            "type",
            "unknown relationship type",
        ),
        (
            "{type: PART_OF, from: org:iab, to: org:nowhere, span: 慶應義塾常任理事}",
            "to",
            "matches no node",
        ),
        (
            "{type: PART_OF, from: org:iab, to: body:promotion-council, span: 慶應義塾常任理事}",
            "to",
            "cannot join Organization->Body",
        ),
        (
            "{type: MEMBER_OF, from: org:iab, to: body:promotion-council, span: 慶應義塾常任理事}",
            None,
            "missing required field 'role'",
        ),
        (
            "{type: MEMBER_OF, from: pos:governor, to: body:promotion-council, role: chair, "
            "span: 会長：山形県知事}",
            "id",
            "duplicate relationship",
        ),
        ("{type: PART_OF, from: org:iab, to: org:iab, span: 先端研}", "to", "itself"),
    ],
)
def test_bad_relationships_name_file_line_and_field(
    write_kb_file, relationship: str, field: str | None, message: str
) -> None:
    text = f"source: yamagata-biocluster-fy2013\nrelationships:\n  - {relationship}\n"
    # Named to sort after the shipped files, so a duplicate is found in this file.
    problems = load_error(write_kb_file("zz-bad.yaml", text))
    problem = next(p for p in problems if p.file == "kb/zz-bad.yaml")
    assert (problem.line, problem.field) == (3, field), problems
    assert message in problem.message


def test_every_problem_is_reported_at_once(write_kb_file) -> None:
    text = NODE.replace("kind: company", "kind: spaceship").replace(
        "sector: industry", "sector: moon"
    )
    problems = load_error(write_kb_file("bad.yaml", text))
    assert {p.field for p in problems if p.file == "kb/bad.yaml"} == {"kind", "sector"}


def test_shift_jis_file_is_refused_with_its_line(data_copy: Path) -> None:
    (data_copy / "kb" / "sjis.yaml").write_bytes(NODE.encode("shift_jis"))
    problems = load_error(data_copy)
    assert problems[0].file == "kb/sjis.yaml"
    assert problems[0].line == 7  # name_ja: 日新製薬 is the first non-ASCII line
    assert "not UTF-8" in problems[0].message


def test_byte_order_mark_is_accepted(data_copy: Path) -> None:
    (data_copy / "kb" / "bom.yaml").write_bytes("\ufeff".encode() + NODE.encode())
    kb = load_knowledge_base(data_copy)
    assert "org:test-actor" in kb.nodes


def test_huge_file_is_refused(data_copy: Path) -> None:
    (data_copy / "kb" / "huge.yaml").write_text("# " + "x" * (6 * 1024 * 1024))
    problems = load_error(data_copy)
    assert "bytes; at most" in problems[0].message


def test_missing_source_file_is_an_error(data_copy: Path) -> None:
    (data_copy / "sources" / f"{SOURCE}.txt").unlink()
    with pytest.raises(SourceError, match="is missing"):
        load_knowledge_base(data_copy)


def test_check_cli_reports_bad_data_with_exit_1(write_kb_file) -> None:
    data = write_kb_file("bad.yaml", NODE.replace("kind: company", "kind: spaceship"))
    result = CliRunner().invoke(cli, ["check", "--data", str(data)])
    assert result.exit_code == 1
    assert "Error: invalid data (1 problem):" in result.output
    assert "kb/bad.yaml:5 [kind]: 'spaceship' is not one of" in result.output


# --- `biocluster check`: coverage of the source ---------------------------------------

EXPECTED_UNCITED = {
    20: "《取組み内容》",
    25: "本県のバイオクラスター形成のための推進体制について",
    35: "山形県バイオクラスター形成推進会議",
    141: "【支援内容】",
    166: "1. 研究活動",
    170: "2. 教育活動",
}


def test_every_amount_count_and_date_of_the_source_is_carried(shipped_kb) -> None:
    report = check_knowledge_base(shipped_kb)
    coverage = report.coverage[0]
    assert coverage.uncited_values == []
    # 81 since the range ends (H23～25, 6.23～6.26) are read: NFKC makes ～ a plain ~.
    assert coverage.value_count == 81
    assert report.name_problems == []
    # Only headings and captions are left uncited: since issue 30 the ventures' ties cite
    # line 174's column heading, and the disclaimer of line 177 is a fact.
    assert {line for line, _ in coverage.uncited_lines} == set(EXPECTED_UNCITED)
    for line, text in coverage.uncited_lines:
        assert text.strip().startswith(EXPECTED_UNCITED[line])


def test_check_finds_an_amount_no_fact_carries(data_copy: Path) -> None:
    path = data_copy / "kb" / "budget-fy2013.yaml"
    text = path.read_text(encoding="utf-8")
    # Keep the evaluation line but let it no longer carry its 915 thousand yen.
    text = text.replace(
        "    kind: budget_line\n    fiscal_year: H25\n    number_label: ②\n"
        "    amount_thousand_yen: 915\n",
        "    kind: budget_detail\n    fiscal_year: H25\n    number_label: ②\n",
    )
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--data", str(data_copy), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "not carried: line 110: 915千円 (amount)" in result.output
    assert "Error: the knowledge base does not carry everything its source states" in (
        result.output
    )
    # For people in Japanese by default; the refusal is the gate's own words in both.
    japanese = CliRunner().invoke(cli, ["check", "--data", str(data_copy)])
    assert japanese.exit_code == 1, japanese.output
    assert "  どの事実にも載っていない値：110行目「915千円」（金額）" in japanese.output
    assert "どの事実にも載っていないもの1件" in japanese.output
    assert "Error: the knowledge base does not carry everything its source states" in (
        japanese.output
    )


def test_every_era_and_the_end_of_a_range_are_years_the_gate_reads() -> None:
    text = SourceText(
        "s", "（令和7年度）R5：4名、R6～、令和元年度、平成31年度、H23～25、S63、PR5、H26.6.23～6.26"
    )
    assert [(m.kind, m.value, m.text) for m in mentions(text)] == [
        ("year", 2025, "令和7"),
        ("year", 2023, "R5"),
        ("count", 4, "4名"),
        ("year", 2024, "R6"),
        ("year", 2019, "令和元"),
        ("year", 2019, "平成31"),
        ("year", 2011, "H23"),
        ("year", 2013, "H23~25"),
        ("year", 1988, "S63"),
        ("year", 2014, "H26"),
        ("day", "-06-26", "~6.26"),
    ]


def test_check_finds_the_end_of_a_period_no_fact_carries(data_copy: Path) -> None:
    path = data_copy / "kb" / "iab-third-period-outcomes.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    fiscal_year_end: H25\n    period_ja: H23～25\n" in text
    path.write_text(
        text.replace(
            "    fiscal_year_end: H25\n    period_ja: H23～25\n", "    period_ja: H23～25\n"
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--data", str(data_copy), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "not carried: line 164: H23~25 (year)" in result.output


def test_a_budget_line_without_its_amount_is_refused(data_copy: Path) -> None:
    path = data_copy / "kb" / "budget-fy2013.yaml"
    text = path.read_text(encoding="utf-8").replace("    amount_thousand_yen: 915\n", "")
    path.write_text(text, encoding="utf-8")
    problems = load_error(data_copy)
    assert any("needs its stated amount" in p.message for p in problems), problems


def test_computed_fields_cannot_be_written(write_kb_file) -> None:
    text = (
        "source: yamagata-biocluster-fy2013\nnodes:\n  - id: prog:x\n    label: Program\n"
        "    kind: program\n    name_ja: x\n    name_en: x\n    span: 予算額\n"
        "    fiscal_year_ja: 平成25年度\n"
    )
    problems = load_error(write_kb_file("bad.yaml", text))
    assert problems == [
        Problem("kb/bad.yaml", 9, "fiscal_year_ja", "computed by the loader; do not write it")
    ]


def test_check_cli_lists_uncited_lines(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--uncited", "--lang", "en"])
    assert result.exit_code == 0, result.output
    # Line 90, the diagram caption 地域内での共同研究, is a fact since issue 17 (finding 10);
    # lines 174 (the ventures' column) and 177 (the disclaimer) since issue 30.
    assert "108 of 114 non-blank lines cited" in result.output
    assert "uncited line 166: 1. 研究活動" in result.output
    assert "uncited line 174" not in result.output and "uncited line 177" not in result.output
    assert "0 not carried by any fact" in result.output
    japanese = CliRunner().invoke(cli, ["check", "--uncited"])
    assert japanese.exit_code == 0, japanese.output
    assert "空行を除く114行のうち108行を引用（94.7%）" in japanese.output
    assert "  引用されていない行 166：1. 研究活動" in japanese.output
    assert "引用されていない行 177" not in japanese.output
    assert "根拠：記載 " in japanese.output


# --- The tabular loader ---------------------------------------------------------------


def tabular_data_dir(kb: KnowledgeBase, tmp_path: Path) -> Path:
    """A data folder whose kb/ holds only the spreadsheet form of ``kb``."""
    import shutil

    from biocluster_kg.loaders import default_data_dir

    data = tmp_path / "tabular-data"
    shutil.copytree(default_data_dir() / "sources", data / "sources")
    write_tabular(kb, data / "kb", "cluster")
    return data


def test_curated_to_csv_to_graph_round_trip_is_identical(shipped_kb, tmp_path: Path) -> None:
    again = load_knowledge_base(tabular_data_dir(shipped_kb, tmp_path))
    assert again.nodes == shipped_kb.nodes
    assert again.relationships == shipped_kb.relationships
    # ... and so is the networkx graph, attribute for attribute.
    import networkx as nx

    assert nx.utils.graphs_equal(again.to_networkx(), shipped_kb.to_networkx())


def test_csv_with_shifted_columns_names_its_line(shipped_kb, tmp_path: Path) -> None:
    data = tabular_data_dir(shipped_kb, tmp_path)
    nodes = data / "kb" / "cluster.nodes.csv"
    lines = nodes.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + ",extra"
    nodes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = load_error(data)
    assert (problems[0].file, problems[0].line) == ("kb/cluster.nodes.csv", 6)
    assert "shifted columns" in problems[0].message


def test_csv_with_wrong_number_names_row_and_column(shipped_kb, tmp_path: Path) -> None:
    data = tabular_data_dir(shipped_kb, tmp_path)
    nodes = data / "kb" / "cluster.nodes.csv"
    text = nodes.read_text(encoding="utf-8").replace(",380067,", ",380千,")
    nodes.write_text(text, encoding="utf-8")
    problems = load_error(data)
    assert problems[0].field == "amount_thousand_yen"
    assert "expected int" in problems[0].message


def test_csv_planner_sheet_combines_with_curated_files(write_kb_file) -> None:
    data = write_kb_file(
        "planner.nodes.csv",
        "id,label,kind,sector,name_ja,name_en,source_doc,span\n"
        "org:yamagata-bank,Organization,company,finance,県銀行協会,Bank test,"
        "yamagata-biocluster-fy2013,県銀行協会会長\n",
    )
    (data / "kb" / "planner.relationships.csv").write_text(
        "id,type,from,to,role,source_doc,span\n"
        "r-planner,MEMBER_OF,org:yamagata-bank,推進会議,member,yamagata-biocluster-fy2013,"
        "県銀行協会会長\n",
        encoding="utf-8",
    )
    kb = load_knowledge_base(data)
    assert kb.relationships["r-planner"].end == "body:promotion-council"
