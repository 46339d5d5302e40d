"""The use-case layer and the one gate, through the command line against real stores.

Every entry point that reads the data files refuses what ``biocluster check`` refuses, with
the same message, before writing; every entry point that loads stores the same thing.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from biocluster_kg.app.session import Session, StoreSettings
from biocluster_kg.cli import cli
from biocluster_kg.cli import commands as command_modules
from biocluster_kg.graph.brokerage import has_measures
from biocluster_kg.kernel.errors import CheckError
from biocluster_kg.loaders.check import INCOMPLETE, REFUSED, REPORTED

SOURCE = "yamagata-biocluster-fy2013"
# A planner's spreadsheet row: a real span of the source, a name the source never writes.
INVENTED_ROW = (
    "id,label,name_ja,name_en,kind,sector,source_doc,span\n"
    f"org:invented,Organization,架空製薬,Invented Pharma,company,industry,{SOURCE},"
    "日新製薬（天童市）\n"
)
EXPECTED_ERROR = (
    "Error: the knowledge base states names its source does not write (1 problem):\n"
    "  kb/planner.nodes.csv:2 [name_ja]: org:invented: '架空製薬' is not written in source "
    f"'{SOURCE}'\n"
)
ANSWERS = "MATCH (n) RETURN n.id AS id, n.name_ja AS name, n.bridge_score AS score ORDER BY id"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def answers(store: Path) -> str:
    return invoke("cypher", ANSWERS, "--store", str(store), "--format", "json").stdout


@pytest.fixture
def planner_data(data_copy: Path) -> Path:
    (data_copy / "kb" / "planner.nodes.csv").write_text(INVENTED_ROW, encoding="utf-8")
    return data_copy


@pytest.fixture
def loaded(tmp_path: Path, copy_loaded_store: Callable[[Path], Path]) -> Path:
    """The store as ``biocluster load --store`` leaves it (a copy of one made per worker)."""
    return copy_loaded_store(tmp_path / "kb.lbug")


def test_check_names_an_invented_name_as_not_written(planner_data: Path) -> None:
    result = invoke("check", "--data", str(planner_data))
    assert result.exit_code == 1
    assert result.stderr == EXPECTED_ERROR
    assert "does not carry everything" not in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["load"],
        ["load", "--no-measures"],
        ["demo", "-o", "{tmp}/network.html"],
    ],
    ids=["load", "load-no-measures", "demo"],
)
def test_load_and_demo_refuse_what_check_refuses_and_keep_the_store(
    command: list[str], planner_data: Path, loaded: Path, tmp_path: Path
) -> None:
    before = answers(loaded)
    arguments = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = invoke(*arguments, "--data", str(planner_data), "--store", str(loaded))
    assert result.exit_code == 1
    assert result.stderr == invoke("check", "--data", str(planner_data)).stderr
    assert result.stderr == EXPECTED_ERROR
    assert result.stdout == ""  # the demo used to report a check (and store it) first
    assert answers(loaded) == before
    assert "org:invented" not in before
    assert not (tmp_path / "network.html").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["viz", "-o", "{tmp}/page.html"],
        ["analyze", "brokers"],
        ["export", "graph"],
        ["export", "stakeholders"],
    ],
    ids=["viz", "analyze", "export-graph", "export-stakeholders"],
)
def test_every_other_reader_of_the_data_refuses_the_same(
    command: list[str], planner_data: Path, tmp_path: Path
) -> None:
    arguments = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = invoke(*arguments, "--data", str(planner_data))
    assert result.exit_code == 1
    assert result.stderr == EXPECTED_ERROR
    assert result.stdout == ""
    assert not (tmp_path / "page.html").exists()


def test_an_uncarried_amount_is_refused_with_its_source_line(data_copy: Path) -> None:
    path = data_copy / "kb" / "budget-fy2013.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    kind: budget_line\n    fiscal_year: H25\n    number_label: ②\n"
        "    amount_thousand_yen: 915\n",
        "    kind: budget_detail\n    fiscal_year: H25\n    number_label: ②\n",
    )
    path.write_text(text, encoding="utf-8")
    checked = invoke("check", "--data", str(data_copy))
    loaded = invoke("load", "--data", str(data_copy), "--store", str(data_copy / "kb.lbug"))
    assert checked.exit_code == loaded.exit_code == 1
    assert loaded.stderr == checked.stderr
    assert (
        f"  sources/{SOURCE}.txt:110: 915千円 (amount) is stated here but no fact carries it"
        in loaded.stderr
    )
    assert not (data_copy / "kb.lbug").exists()


def test_check_help_states_the_decision_the_gate_applies() -> None:
    help_text = " ".join(invoke("check", "--help").stdout.split())
    for finding in (*REFUSED, *INCOMPLETE, *REPORTED):
        assert f"- {finding}" in help_text
    assert "Refused (exit 1)" in help_text and "Reported only, never refused" in help_text


def test_session_gate_raises_the_check_error(planner_data: Path, tmp_path: Path) -> None:
    store = StoreSettings(store_path=tmp_path / "kb.lbug")
    with Session(planner_data, store) as session, pytest.raises(CheckError) as raised:
        session.load()
    assert [str(problem) for problem in raised.value.problems] == [
        f"kb/planner.nodes.csv:2 [name_ja]: org:invented: '架空製薬' is not written in source "
        f"'{SOURCE}'"
    ]
    assert not (tmp_path / "kb.lbug").exists()


# --- measures: one overlay, stored and exported the same everywhere ----------------------


def stored_scores(store: Path) -> dict[str, object]:
    query = "MATCH (n) WHERE n.bridge_score IS NOT NULL RETURN n.id AS id, n.bridge_score AS s"
    rows = json.loads(invoke("cypher", query, "--store", str(store), "--format", "json").stdout)
    return {row["id"]: row["s"] for row in rows}


def test_load_and_demo_and_session_store_the_same_measures(tmp_path: Path) -> None:
    by_load, by_demo, by_session = (tmp_path / name for name in ("a.lbug", "b.lbug", "c.lbug"))
    assert invoke("load", "--store", str(by_load)).exit_code == 0
    page = tmp_path / "network.html"
    assert invoke("demo", "--store", str(by_demo), "-o", str(page)).exit_code == 0
    with Session(store=StoreSettings(store_path=by_session)) as session:
        session.load()
    scores = stored_scores(by_load)
    assert scores and scores["body:managing-corporation-function"] > 0
    assert stored_scores(by_demo) == scores == stored_scores(by_session)


def test_demo_speaks_japanese_by_default_and_english_on_request(tmp_path: Path) -> None:
    store, japanese_page, english_page = (
        tmp_path / name for name in ("kb.lbug", "ja.html", "en.html")
    )
    japanese = invoke("demo", "--store", str(store), "-o", str(japanese_page))
    english = invoke("demo", "--store", str(store), "-o", str(english_page), "--lang", "en")
    assert japanese.exit_code == english.exit_code == 0
    ja_lines, en_lines = japanese.stdout.splitlines(), english.stdout.splitlines()
    assert re.fullmatch(
        rf"{SOURCE} を検査しました：ノード\d+件、関係\d+件。出典の\d+行のうち\d+行を引用、"
        r"どの事実にも載っていない金額・件数・日付は0件",
        ja_lines[0],
    ), ja_lines[0]
    assert re.fullmatch(
        rf"{re.escape(str(store))} に読み込みました（[\d.]+秒、変更あり）", ja_lines[1]
    )
    assert re.fullmatch(
        rf"loaded into {re.escape(str(store))} in [\d.]+ s \(no changes\)", en_lines[1]
    )
    assert ja_lines[-1] == f"ネットワーク図：{japanese_page.resolve()}"
    assert en_lines[-1] == f"network page: {english_page.resolve()}"
    assert en_lines[0].startswith(f"checked {SOURCE}: ")
    # The brokers' table has the titles and names `biocluster query` gives in each language.
    for lang, result in (("ja", japanese), ("en", english)):
        question = ("query", "bridges_companies_to_institute", "--store", str(store))
        query = invoke(*question, "--lang", lang).stdout
        table = result.stdout.split("\n", 3)[3].rsplit("\n", 2)[0] + "\n"
        assert table == query, lang
    assert "仲介者の名称" in japanese.stdout and "管理法人機能" in japanese.stdout
    assert "broker_name_ja" not in japanese.stdout and "checked" not in japanese.stdout
    assert "broker_name_ja" in english.stdout
    assert '<html lang="ja">' in japanese_page.read_text(encoding="utf-8")
    assert '<html lang="en">' in english_page.read_text(encoding="utf-8")


def test_no_measures_stores_the_facts_alone_and_exports_agree(tmp_path: Path, shipped_kb) -> None:
    store = tmp_path / "kb.lbug"
    assert invoke("load", "--store", str(store)).exit_code == 0
    assert stored_scores(store)
    result = invoke("load", "--store", str(store), "--no-measures", "--format", "json")
    assert result.exit_code == 0
    assert stored_scores(store) == {}
    with Session(store=StoreSettings(store_path=store)) as session:
        assert session.stored_knowledge_base() == shipped_kb
    source = ["--from", "embedded", "--store", str(store)]
    facts = invoke("export", "graph", "--no-measures").stdout_bytes
    stored = invoke("export", "graph", "--no-measures", *source).stdout_bytes
    assert facts == stored
    with_measures = invoke("export", "graph").stdout_bytes
    assert with_measures != facts and b"bridge_score" in with_measures
    # One export (issue 16): with measures, every source gives the same bytes, a store
    # loaded without them included (the overlay is computed in the one place).
    assert with_measures == invoke("export", "graph", *source).stdout_bytes


def test_session_knowledge_base_overlay_is_computed_with_the_profile() -> None:
    session = Session()
    assert has_measures(session.knowledge_base())
    assert not has_measures(session.knowledge_base(measures=False))
    assert session.knowledge_base(measures=False) is session.facts()


# --- commands ---------------------------------------------------------------------------


def test_a_command_module_that_fails_to_import_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(command_modules, "MODULES", (*command_modules.MODULES, "no_such_topic"))
    with pytest.raises(ModuleNotFoundError, match="no_such_topic"):
        command_modules.register(click.Group())


def test_every_command_module_registers() -> None:
    names = set(cli.commands)
    for module_name in command_modules.MODULES:
        module = importlib.import_module(f"biocluster_kg.cli.commands.{module_name}")
        assert {command.name for command in module.COMMANDS} <= names
