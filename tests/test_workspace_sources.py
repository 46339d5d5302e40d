"""Table sources, facts with several citations, and the fictional cluster's whole workflow
(init, source add, draft, accept, check, load, a question, an export) on both stores,
through the real command line, the real loaders, a real Ladybug store and a real Neo4j."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner, Result
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cli import cli
from biocluster_kg.loaders import load_knowledge_base

FICTIONAL = Path(__file__).resolve().parent / "fictional"
TEXT = FICTIONAL / "shinonome-cluster-fy2025.txt"
TABLE = FICTIONAL / "shinonome-companies.csv"
FIGURES = FICTIONAL / "kb" / "shinonome-figures.yaml"
TIES = FICTIONAL / "kb" / "shinonome-ties.yaml"

#: The reviewer's decisions on the draft: which new actors to accept, with what edits.
ACCEPTED: dict[str, dict[str, object]] = {
    "東雲県": {"name_en": "Shinonome Prefecture"},
    # The draft reads the council's whole name (with its hiragana), so only its id and
    # English name are the reviewer's.
    "東雲県バイオものづくり推進協議会": {
        "id": "body:shinonome-council",
        "name_en": "Shinonome Bio-manufacturing Promotion Council",
    },
    "東雲県知事": {"name_en": "Governor of Shinonome"},
    "鴎浜市長": {"name_en": "Mayor of Kamomehama"},
    "鴎浜大学海洋生命研究所": {"name_en": "Institute of Marine Life, Kamomehama University"},
    "東雲県内企業3社": {"name_en": "Three companies in Shinonome"},
    "株式会社シーバイオ": {"id": "org:c-bio", "name_en": "C-Bio Inc."},
}


def invoke(*arguments: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(arguments), catch_exceptions=False, env=env)


def refused(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "shinonome"
    assert (
        invoke("init", str(folder), "--title-ja", "東雲", "--title-en", "Shinonome").exit_code == 0
    )
    for file, source_id in ((TEXT, "shinonome-fy2025"), (TABLE, "shinonome-companies")):
        result = invoke("source", "add", str(file), "--data", str(folder), "--id", source_id)
        assert result.exit_code == 0, result.output
    # This cluster, like the shipped one, requires completeness: what its sources state
    # and no fact carries is refused, not only reported.
    with (folder / "cluster.yaml").open("a", encoding="utf-8") as profile:
        profile.write("require_complete: true\n")
    return folder


def _review(draft: Path) -> None:
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    for candidate in data["candidates"]:
        named = candidate["proposal"] in ("new_actor", "group")
        edits = ACCEPTED.get(candidate["value"]) if named else None
        if edits is not None:
            candidate["accept"] = True
            candidate["record"].update(edits)
    draft.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def grown(workspace: Path, tmp_path: Path) -> Path:
    """The fictional workspace after the whole review: draft, accept, figures, ties."""
    draft = tmp_path / "draft.yaml"
    assert (
        invoke("draft", "shinonome-fy2025", "--data", str(workspace), "-o", str(draft)).exit_code
        == 0
    )
    _review(draft)
    # The gate refuses the accepted actors while the source's figures are carried by no fact.
    early = refused("accept", str(draft), "--data", str(workspace))
    assert early.exit_code == 1
    assert "would not pass `biocluster check`" in early.output
    assert list((workspace / "kb").iterdir()) == []
    shutil.copy(FIGURES, workspace / "kb")
    result = invoke("accept", str(draft), "--data", str(workspace), "--name", "actors")
    assert result.exit_code == 0, result.output
    shutil.copy(TIES, workspace / "kb")
    checked = invoke("check", "--data", str(workspace))
    assert checked.exit_code == 0, checked.output
    return workspace


def test_the_fictional_table_says_it_is_fictional() -> None:
    rows = TABLE.read_text(encoding="utf-8").splitlines()[1:]
    assert rows and all("架空" in row for row in rows)


def test_a_table_source_is_registered_and_read_as_rows(workspace: Path) -> None:
    kb = load_knowledge_base(workspace, allow_empty=True)
    table = kb.sources["shinonome-companies"]
    assert table.sheets is not None
    assert table.sheets[""][0] == ["企業名", "所在地", "従業員数", "備考"]
    assert table.sheets[""][2][:3] == ["鴎浜マリンテック株式会社", "鴎浜市", "120"]
    assert (workspace / "sources" / TABLE.name).read_bytes() == TABLE.read_bytes()


def test_an_xlsx_source_cites_a_sheet_row_and_cells(workspace: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "契約一覧"
    for row in (["相手方", "契約金額（千円）"], ["株式会社シーバイオ", 1500]):
        sheet.append(row)
    path = tmp_path / "contracts.xlsx"
    book.save(path)
    result = invoke("source", "add", str(path), "--data", str(workspace), "--id", "contracts")
    assert result.exit_code == 0, result.output
    (workspace / "kb" / "contracts.yaml").write_text(
        "source: contracts\nnodes:\n  - id: prog:c-bio-contract\n    label: Program\n"
        "    kind: program\n    name_ja: 株式会社シーバイオとの契約\n    name_en: C-Bio contract\n"
        "    amount_thousand_yen: 1500\n    span_sheet: 契約一覧\n    span_line: 2\n"
        "    span_columns: [契約金額（千円）]\n",
        encoding="utf-8",
    )
    kb = load_knowledge_base(workspace)
    node = kb.nodes["prog:c-bio-contract"]
    assert node.get("span") == "1500"
    assert node.get("citations") == ["contracts:契約一覧!row 2: 契約金額（千円）=1500"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("企業名,所在地\n甲社,東雲市,余り\n", "bad.csv:2: 3 cells but 2 columns"),
        ("企業名,企業名\n甲社,乙社\n", "bad.csv:1 [企業名]: the column name is repeated"),
        ("企業名,,所在地\n甲社,,東雲市\n", "bad.csv:1 [column 2]: the header cell is empty"),
        ('企業名\n"甲社\n', "malformed CSV"),
    ],
)
def test_a_bad_table_is_refused_naming_row_and_column(
    workspace: Path, tmp_path: Path, content: str, message: str
) -> None:
    registry = (workspace / "sources" / "sources.yaml").read_bytes()
    bad = tmp_path / "sources" / "bad.csv"
    bad.parent.mkdir()
    bad.write_text(content, encoding="utf-8")
    result = refused("source", "add", str(bad), "--data", str(workspace))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert (workspace / "sources" / "sources.yaml").read_bytes() == registry
    assert not (workspace / "sources" / "bad.csv").exists()


def test_a_shift_jis_csv_or_a_broken_workbook_is_refused(workspace: Path, tmp_path: Path) -> None:
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes("企業名\n甲社\n".encode("shift_jis"))
    result = refused("source", "add", str(sjis), "--data", str(workspace))
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = refused("source", "add", str(broken), "--data", str(workspace))
    assert result.exit_code == 1
    assert "not a readable XLSX workbook" in result.output
    assert not (workspace / "sources" / "broken.xlsx").exists()


TABLE_ID = "source 'shinonome-companies'"


def _company(row: int, columns: str, extra: str = "") -> str:
    return (
        "source: shinonome-companies\nnodes:\n  - id: org:kamomehama-marinetech\n"
        "    label: Organization\n    kind: company\n    sector: industry\n"
        "    name_ja: 鴎浜マリンテック株式会社\n"
        f"    name_en: Kamomehama Marinetech\n    span_line: {row}\n"
        f"    span_columns: [{columns}]\n{extra}"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_company(9, "企業名"), f"kb/c.yaml:9 [span_line]: {TABLE_ID} has no data row 9"),
        (_company(3, "社名"), f"kb/c.yaml:10 [span_columns]: {TABLE_ID} has no column '社名'"),
        (_company(3, "企業名").replace("    span_line: 3\n", ""), "cite the row (span_line)"),
        (_company(3, "企業名", "    span: 鴎浜\n"), f"kb/c.yaml:11 [span]: {TABLE_ID} row 3 holds"),
    ],
)  # fmt: skip
def test_a_row_citation_must_name_a_real_row_and_column(
    workspace: Path, text: str, message: str
) -> None:
    (workspace / "kb" / "c.yaml").write_text(text, encoding="utf-8")
    result = refused("check", "--data", str(workspace))
    assert result.exit_code == 1
    assert message in result.output


def test_the_gate_refuses_a_cited_cell_that_does_not_hold_the_value(workspace: Path) -> None:
    # Row 3 says 鴎浜市; a fact citing that cell for 東雲市 would say more than the table.
    text = _company(3, "企業名, 所在地", "    location_ja: 東雲市\n")
    (workspace / "kb" / "c.yaml").write_text(text, encoding="utf-8")
    result = refused("check", "--data", str(workspace))
    assert result.exit_code == 1
    assert "cites table cells that do not hold its values" in result.output
    assert "kb/c.yaml:3 [span_columns]: org:kamomehama-marinetech: row 3 of source" in result.output
    assert "holds '鴎浜市' in '所在地'" in result.output
    (workspace / "kb" / "c.yaml").write_text(text.replace("東雲市", "鴎浜市"), encoding="utf-8")
    result = refused("check", "--data", str(workspace))
    # The figures of the text source are still carried by no fact; the cell now is.
    assert "cites table cells" not in result.output, result.output
    assert "the knowledge base does not carry everything its source states" in result.output


def test_a_fact_stated_by_two_sources_keeps_both_citations(grown: Path) -> None:
    kb = load_knowledge_base(grown)
    company = kb.nodes["org:c-bio"]
    assert company.get("citations") == [
        "shinonome-fy2025:13: 株式会社シーバイオ",
        "shinonome-companies:row 2: 企業名=株式会社シーバイオ; 所在地=鴎浜市",
    ]
    assert company.get("location_ja") == "鴎浜市"  # added by the second record
    assert company.get("source_doc") == "shinonome-fy2025"  # the first citation stays first


def test_each_citation_is_checked(grown: Path) -> None:
    # The second record of C-Bio cites row 3 (another company): its cells are not the fact's.
    ties = grown / "kb" / TIES.name
    ties.write_text(ties.read_text("utf-8").replace("span_line: 2", "span_line: 3", 1), "utf-8")
    result = refused("check", "--data", str(grown))
    assert result.exit_code == 1
    assert "org:c-bio: row 3 of source 'shinonome-companies' holds '鴎浜マリンテック株式会社'" in (
        result.output
    )


def test_two_records_of_one_fact_must_agree(grown: Path) -> None:
    ties = grown / "kb" / TIES.name
    ties.write_text(
        ties.read_text("utf-8").replace("    kind: company\n", "    kind: venture\n", 1)
    )
    result = refused("check", "--data", str(grown))
    assert result.exit_code == 1
    assert "duplicate id 'org:c-bio' (first at kb/actors.yaml:" in result.output
    assert "kind is 'venture' here but 'company' there" in result.output


def _answers(
    grown: Path, store_options: list[str], export_from: str, env: dict[str, str] | None
) -> None:
    loaded = invoke("load", "--data", str(grown), *store_options, "--format", "json", env=env)
    assert loaded.exit_code == 0, loaded.output
    answer = invoke(
        "query", "source_of_fact", "-p", "id=org:c-bio", *store_options, "--format", "json",
        env=env,
    )  # fmt: skip
    assert answer.exit_code == 0, answer.output
    (row,) = json.loads(answer.output)
    assert row["citations"] == [
        "shinonome-fy2025:13: 株式会社シーバイオ",
        "shinonome-companies:row 2: 企業名=株式会社シーバイオ; 所在地=鴎浜市",
    ]
    single = invoke(
        "query", "source_of_fact", "-p", "id=prog:shinonome-coordinators", *store_options,
        "--format", "json", env=env,
    )  # fmt: skip
    assert json.loads(single.output)[0]["citations"] == [
        "shinonome-fy2025:18: ②コーディネーターの配置(2名) 12,000千円"
    ]
    out = grown.parent / "out.json"
    exported = invoke(
        "export", "graph", "--data", str(grown), *store_options, "--from", export_from,
        "--format", "json", "-o", str(out), env=env,
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    text = out.read_text(encoding="utf-8")
    assert "鴎浜マリンテック株式会社" in text and "shinonome-companies:row 2" in text


def test_the_fictional_workflow_on_ladybug(grown: Path) -> None:
    _answers(grown, ["--store", str(grown.parent / "kb.lbug")], "embedded", None)


@pytest.mark.neo4j
def test_the_fictional_workflow_on_neo4j(grown: Path) -> None:
    settings = neo4j_settings_or_skip()
    env = {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.username}
    env["NEO4J_PASSWORD"] = settings.password
    if settings.database:
        env["NEO4J_DATABASE"] = settings.database
    _answers(grown, ["--neo4j"], "neo4j", env)


def test_a_relationship_cites_the_row_that_names_its_ends(tmp_path: Path) -> None:
    folder = tmp_path / "register"
    assert (
        invoke("init", str(folder), "--title-ja", "名簿", "--title-en", "Register").exit_code == 0
    )
    register = tmp_path / "register.csv"
    register.write_text("企業名,所属協議会\n甲社,乙協議会\n丙社,丁協議会\n", encoding="utf-8")
    assert invoke("source", "add", str(register), "--data", str(folder)).exit_code == 0
    facts = (
        "source: register\nnodes:\n"
        "  - {id: org:a, label: Organization, kind: company, sector: industry, name_ja: 甲社,"
        " name_en: A, span_line: 2, span_columns: [企業名]}\n"
        "  - {id: body:b, label: Body, kind: council, sector: industry, name_ja: 乙協議会,"
        " name_en: B, span_line: 2, span_columns: [所属協議会]}\n"
        "relationships:\n"
        "  - {type: MEMBER_OF, from: 甲社, to: 乙協議会, role: member, span_line: ROW,"
        " span_columns: [企業名, 所属協議会]}\n"
    )
    kb_file = folder / "kb" / "register.yaml"
    kb_file.write_text(facts.replace("ROW", "2"), encoding="utf-8")
    result = invoke("check", "--data", str(folder))
    assert result.exit_code == 0, result.output
    kb_file.write_text(facts.replace("ROW", "3"), encoding="utf-8")
    result = refused("check", "--data", str(folder))
    assert result.exit_code == 1
    assert "row 3 of source 'register' holds '丙社' in '企業名'" in result.output


def test_the_page_card_lists_every_citation(grown: Path) -> None:
    from biocluster_kg.app.session import Session

    with Session(grown) as session:
        html = session.page()
    data = json.loads(
        html.split('id="biocluster-data"', 1)[1].split(">", 1)[1].split("</script>")[0]
    )
    (company,) = [node for node in data["nodes"] if node["id"] == "org:c-bio"]
    assert company["cites"] == [
        "shinonome-fy2025:13: 株式会社シーバイオ",
        "shinonome-companies:row 2: 企業名=株式会社シーバイオ; 所在地=鴎浜市",
    ]
    (single,) = [node for node in data["nodes"] if node["id"] == "prog:shinonome-coordinators"]
    assert "cites" not in single  # one text span: the card's source row says it all


def test_the_report_lists_every_place_a_fact_is_stated(grown: Path) -> None:
    out = grown.parent / "report.html"
    result = invoke("report", "--data", str(grown), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    # C-Bio is stated by the text (line 13) and by the company table (row 2): both are listed.
    (entry,) = [li for li in html.split("<li ") if "株式会社シーバイオ」" in li]
    assert "13行目</span> 「株式会社シーバイオ」" in entry
    assert "2行目</span> 「企業名=株式会社シーバイオ、所在地=鴎浜市」" in entry
