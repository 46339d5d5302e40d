"""Workspaces grow: init, source add, draft, accept, on a made-up cluster (tests/fictional/),
through the real command line and the real loaders."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from biocluster_kg.cli import cli
from biocluster_kg.loaders import load_knowledge_base

FICTIONAL = Path(__file__).resolve().parent / "fictional"
SOURCE = FICTIONAL / "shinonome-cluster-fy2025.txt"


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments), catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "shinonome"
    result = invoke(
        "init", str(folder), "--title-ja", "東雲バイオクラスター", "--title-en", "Shinonome"
    )
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def with_source(workspace: Path) -> Path:
    result = invoke(
        "source", "add", str(SOURCE), "--data", str(workspace), "--id", "shinonome-fy2025",
        "--title", "東雲県バイオものづくりクラスター", "--date", "2025-06-30",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace


def test_the_fictional_source_says_it_is_fictional() -> None:
    assert "架空" in SOURCE.read_text(encoding="utf-8").splitlines()[0]


def test_a_new_workspace_passes_check(workspace: Path) -> None:
    assert sorted(p.name for p in workspace.iterdir()) == ["cluster.yaml", "kb", "sources"]
    result = invoke("check", "--data", str(workspace))
    assert result.exit_code == 0, result.output
    assert "検証済み：ノード0件、関係0件、出典0件" in result.output


def test_init_refuses_a_folder_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--title-ja", "a", "--title-en", "a"])
    assert result.exit_code == 1
    assert "exists and is not an empty folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_source_add_copies_and_registers(with_source: Path) -> None:
    copied = with_source / "sources" / SOURCE.name
    assert copied.read_bytes() == SOURCE.read_bytes()
    kb = load_knowledge_base(with_source, allow_empty=True)
    assert list(kb.sources) == ["shinonome-fy2025"]
    assert kb.sources["shinonome-fy2025"].title == "東雲県バイオものづくりクラスター"
    registry = yaml.safe_load((with_source / "sources" / "sources.yaml").read_text("utf-8"))
    assert registry["sources"][0]["date"] == "2025-06-30"


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (b"\x82\xa0 shift-jis text\n", (), ":1: not UTF-8 text; save it as UTF-8"),
        (b"", (), "the file is empty"),
        (b"line\n\x00binary\n", (), ":2: contains a NUL character"),
        (b"text\n", ("--date", "2025-02-30"), "--date '2025-02-30': expected a date"),
        (b"text\n", ("--id", "Bad Id"), "--id 'Bad Id': use lower-case letters"),
        (b"text\n", ("--id", "shinonome-fy2025"), "a source with id 'shinonome-fy2025' exists"),
    ],
)
def test_bad_sources_are_refused_and_change_nothing(
    with_source: Path, tmp_path: Path, content: bytes, options: tuple[str, ...], message: str
) -> None:
    registry = (with_source / "sources" / "sources.yaml").read_bytes()
    bad = tmp_path / "new-source.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(
        cli, ["source", "add", str(bad), "--data", str(with_source), *options]
    )
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert (with_source / "sources" / "sources.yaml").read_bytes() == registry
    assert not (with_source / "sources" / bad.name).exists()


def test_a_file_of_another_format_is_not_a_source(with_source: Path, tmp_path: Path) -> None:
    # Text and tables are sources (tests/test_workspace_sources.py); a PDF must be saved as one.
    document = tmp_path / "council.pdf"
    document.write_bytes(b"%PDF-1.7\n")
    result = CliRunner().invoke(cli, ["source", "add", str(document), "--data", str(with_source)])
    assert result.exit_code == 1
    assert "a source is a text document (.txt, .md, .text) or a table (.csv, .xlsx)" in (
        result.output
    )


def test_the_draft_proposes_actors_values_and_roles_with_spans(
    with_source: Path, tmp_path: Path
) -> None:
    output = tmp_path / "draft.yaml"
    result = invoke("draft", "shinonome-fy2025", "--data", str(with_source), "-o", str(output))
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert draft["draft"] is True
    by_kind: dict[str, list] = {}
    for candidate in draft["candidates"]:
        assert candidate["accept"] is False
        by_kind.setdefault(candidate["proposal"], []).append(candidate)
    actors = {c["value"]: c for c in by_kind["new_actor"]}
    assert actors["株式会社シーバイオ"]["record"]["kind"] == "company"
    assert actors["鴎浜大学海洋生命研究所"]["record"]["kind"] == "research_institute"
    assert actors["東雲県知事"]["record"]["label"] == "Position"
    # The council's whole name, hiragana and all: not the fragment 推進協議会.
    assert "東雲県バイオものづくり推進協議会" in actors
    assert "推進協議会" not in actors
    groups = {c["value"]: c for c in by_kind["group"]}
    # Named as written, with its count, as the curated files name groups.
    assert groups["東雲県内企業3社"]["record"]["count"] == 3
    assert groups["東雲県内企業3社"]["span"] == "東雲県内企業3社"
    assert actors["東雲県"]["also_on_lines"]  # one decision per name, every mention listed
    amounts = {c["value"]: c["span"] for c in by_kind["amount"]}
    assert amounts == {
        52400: "52,400千円",
        400: "400千円",
        12000: "12,000千円",
        40000: "40,000千円",
    }
    assert [c["value"] for c in by_kind["amount_range"]] == [[5000, 20000]]
    assert {c["value"] for c in by_kind["fiscal_year"]} == {2023, 2024, 2025}
    assert {c["value"] for c in by_kind["role"]} == {"chair", "vice_chair", "member"}
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    for candidate in draft["candidates"]:
        assert candidate["span"] in lines[candidate["line"] - 1], candidate


def test_known_actors_are_proposed_as_known(data_copy: Path, tmp_path: Path) -> None:
    # The same text as a new source (say, next year's reprint): the workspace's actors are
    # known and proposed as such. Drafted as itself, the curated source proposes none of
    # them again: the knowledge base already carries them from it.
    text = next((data_copy / "sources").glob("*.txt")).read_text(encoding="utf-8")
    reprint = tmp_path / "reprint.txt"
    reprint.write_text(text, encoding="utf-8")
    added = invoke("source", "add", str(reprint), "--data", str(data_copy), "--id", "reprint")
    assert added.exit_code == 0, added.output
    output = tmp_path / "draft.yaml"
    result = invoke("draft", "reprint", "--data", str(data_copy), "-o", str(output))
    assert result.exit_code == 0, result.output
    candidates = yaml.safe_load(output.read_text(encoding="utf-8"))["candidates"]
    known = {c["value"] for c in candidates if c["proposal"] == "known_actor"}
    # 鶴岡市 is written only inside longer known names (鶴岡市長, 鶴岡市企画部): the longest wins.
    assert {"org:iab", "org:yamagata-prefecture"} <= known
    assert "org:tsuruoka-city" not in known
    assert len(known) >= 40
    again = tmp_path / "again.yaml"
    result = invoke(
        "draft", "yamagata-biocluster-fy2013", "--data", str(data_copy), "-o", str(again)
    )
    assert result.exit_code == 0, result.output
    candidates = yaml.safe_load(again.read_text(encoding="utf-8"))["candidates"]
    assert not {c["value"] for c in candidates if c["proposal"] == "known_actor"} & known


def test_a_draft_in_kb_is_refused_by_check(with_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "draft.yaml"
    invoke("draft", "shinonome-fy2025", "--data", str(with_source), "-o", str(output))
    (with_source / "kb" / "draft.yaml").write_text(output.read_text("utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--data", str(with_source)])
    assert result.exit_code == 1
    assert "kb/draft.yaml" in result.output
    assert "an unreviewed draft" in result.output


def test_the_draft_cannot_be_written_into_kb(with_source: Path) -> None:
    target = with_source / "kb" / "draft.yaml"
    result = CliRunner().invoke(
        cli, ["draft", "shinonome-fy2025", "--data", str(with_source), "-o", str(target)]
    )
    assert result.exit_code == 1
    assert "write the draft outside kb/" in result.output
    assert not target.exists()


def test_an_unknown_source_id_is_named(with_source: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["draft", "nope", "--data", str(with_source), "-o", str(tmp_path / "d.yaml")]
    )
    assert result.exit_code == 1
    assert "no source 'nope'" in result.output
    assert "shinonome-fy2025" in result.output


def _accept(draft_path: Path, names: dict[str, str]) -> None:
    draft = yaml.safe_load(draft_path.read_text(encoding="utf-8"))
    for candidate in draft["candidates"]:
        if candidate["proposal"] == "new_actor" and candidate["value"] in names:
            candidate["accept"] = True
            candidate["record"]["name_en"] = names[candidate["value"]]
    draft_path.write_text(yaml.safe_dump(draft, allow_unicode=True), encoding="utf-8")


def test_accepting_nothing_changes_nothing(with_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "draft.yaml"
    invoke("draft", "shinonome-fy2025", "--data", str(with_source), "-o", str(output))
    result = CliRunner().invoke(cli, ["accept", str(output), "--data", str(with_source)])
    assert result.exit_code == 1
    assert "no candidate is marked `accept: true`" in result.output
    assert list((with_source / "kb").iterdir()) == []


def test_an_accepted_record_without_its_english_name_is_refused(
    with_source: Path, tmp_path: Path
) -> None:
    output = tmp_path / "draft.yaml"
    invoke("draft", "shinonome-fy2025", "--data", str(with_source), "-o", str(output))
    _accept(output, {"株式会社シーバイオ": ""})
    result = CliRunner().invoke(cli, ["accept", str(output), "--data", str(with_source)])
    assert result.exit_code == 1
    assert "record.name_en" in result.output
    assert list((with_source / "kb").iterdir()) == []


def test_accepted_records_that_fail_the_workspace_check_are_not_added(
    with_source: Path, tmp_path: Path
) -> None:
    # The source states amounts no fact carries yet: where the workspace requires
    # completeness it fails check, so the accepted actors are not added until the reviewer
    # adds those facts too. (Without the requirement they are added: tests/test_accept.py.)
    with (with_source / "cluster.yaml").open("a", encoding="utf-8") as profile:
        profile.write("require_complete: true\n")
    output = tmp_path / "draft.yaml"
    invoke("draft", "shinonome-fy2025", "--data", str(with_source), "-o", str(output))
    _accept(output, {"株式会社シーバイオ": "C-Bio Inc."})
    result = CliRunner().invoke(cli, ["accept", str(output), "--data", str(with_source)])
    assert result.exit_code == 1
    assert "would not pass `biocluster check`" in result.output
    assert list((with_source / "kb").iterdir()) == []
