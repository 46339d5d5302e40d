"""Any cluster, end to end: a second, made-up workspace (tests/second_cluster/: its own
source text, curation and cluster.yaml with another title, institute and budget root) is
loaded into a real store, and every library question, `analyze brokers`, the page, the
report and the exports answer for IT, with nothing of the shipped Yamagata cluster in them.
A store loaded from one workspace refuses to answer for another (--data).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cli import cli
from biocluster_kg.cypher.library import default_library
from biocluster_kg.kernel.cluster import load_cluster_profile

SECOND = Path(__file__).resolve().parent / "second_cluster"
SHIPPED = Path(__file__).resolve().parent.parent / "data"

#: What must never show in the second cluster's answers: the shipped cluster's ids, names,
#: places and titles (the institute, its budget root, its bodies, its centre).
YAMAGATA = (
    "org:iab",
    "prog:fy2013",
    "body:promotion-council",
    "body:collaboration-committee",
    "org:shonai-center",
    "group:companies-in-prefecture",
    "慶應",
    "先端研",
    "山形",
    "Yamagata",
    "鶴岡",
    "Tsuruoka",
    "庄内",
    "Shonai",
    "Keio",
    "平成25年度",
)

#: Values for the questions' required parameters, all of the second cluster.
REQUIRED = {
    "actor_profile": {"name": "白砂工科大学発酵科学研究所"},
    "changes_between_years": {"from_year": "2023", "to_year": "2024"},
    "shortest_connection": {"from_name": "株式会社ミドリ酵母", "to_name": "翠嶺県知事"},
    "source_of_fact": {"id": "org:koubo-lab"},
}

#: Questions allowed to have no rows for this small cluster: none (each has some).
EMPTY: set[str] = set()


def invoke(*arguments: str, env: dict[str, str] | None = None) -> Result:
    # BIOCLUSTER_DATA unset: each command gets its workspace from --data or from the store.
    environment = {"BIOCLUSTER_DATA": None, "BIOCLUSTER_STORE": None, **(env or {})}
    return CliRunner(env=environment).invoke(  # type: ignore[arg-type]
        cli, list(arguments), catch_exceptions=False
    )


def yamagata_in(text: str) -> list[str]:
    return [word for word in YAMAGATA if word in text]


def test_the_second_workspace_is_another_cluster() -> None:
    # The test means something only if the anchors really differ from the shipped ones.
    second, shipped = load_cluster_profile(SECOND), load_cluster_profile(SHIPPED)
    assert second.title_ja == "翠嶺発酵クラスター" and second.title_ja != shipped.title_ja
    assert second.institute_id != shipped.institute_id
    assert second.budget_root != shipped.budget_root
    for path in [*SECOND.rglob("*.yaml"), *SECOND.rglob("*.txt")]:
        assert not yamagata_in(path.read_text(encoding="utf-8")), path


def _every_question(store_options: list[str], env: dict[str, str] | None) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for query in default_library():
        parameters = [
            item
            for key, value in REQUIRED.get(query.name, {}).items()
            for item in ("-p", f"{key}={value}")
        ]
        for output_format in ("json", "table"):
            # No --data: the store answers for the workspace it was loaded from.
            result = invoke(
                "query", query.name, *parameters, *store_options, "--format", output_format,
                env=env,
            )  # fmt: skip
            assert result.exit_code == 0, (query.name, result.output)
            assert not yamagata_in(result.output), (query.name, yamagata_in(result.output))
            if output_format == "json":
                answers[query.name] = json.loads(result.output)
    return answers


def _check_answers(answers: dict[str, Any]) -> None:
    assert len(answers) == 16
    for name, rows in answers.items():
        assert bool(rows) != (name in EMPTY), (name, rows)
    # The workspace's own anchors and the data's own bodies, hubs and company groups.
    assert {row["body_id"] for row in answers["council_and_committee"]} == {
        "body:ferment-council",
        "body:tech-committee",
    }
    assert {row["organisation_id"] for row in answers["organisations_on_both_bodies"]} == {
        "org:shirasuna-tech"
    }
    assert answers["budget_tree"][0]["line_id"] == "prog:r6-cluster-budget"
    assert {row["ladder_id"] for row in answers["funding_routes_for_companies"]} == {
        "prog:company-support"
    }
    assert {row["hub_id"] for row in answers["coordination_hubs"]} == {
        "org:suirei-foundation",
        "pos:foundation-coordinator",
    }
    assert {row["partner_id"] for row in answers["joint_research_partners"]} == {"org:midori-yeast"}
    assert {row["venture_id"] for row in answers["ventures_and_partners"]} == {"org:koubo-lab"}
    assert [row["broker_id"] for row in answers["bridges_companies_to_institute"]] == [
        "org:suirei-foundation"
    ]


@pytest.fixture(scope="module")
def ladybug_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("second") / "kb.lbug"
    loaded = invoke("load", "--data", str(SECOND), "--store", str(store), "--lang", "en")
    assert loaded.exit_code == 0, loaded.output
    return store


def test_every_question_answers_for_the_second_cluster_on_ladybug(ladybug_store: Path) -> None:
    _check_answers(_every_question(["--store", str(ladybug_store)], None))


def test_the_store_gives_the_second_cluster_to_cypher_and_exports(
    ladybug_store: Path, tmp_path: Path
) -> None:
    for source in (["--from", "embedded"], ["--from", "embedded", "--data", str(SECOND)]):
        out = tmp_path / "graph.json"
        exported = invoke(
            "export", "graph", "--store", str(ladybug_store), *source, "--format", "json",
            "-o", str(out),
        )  # fmt: skip
        assert exported.exit_code == 0, exported.output
        text = out.read_text(encoding="utf-8")
        assert "org:fermentation-institute" in text and not yamagata_in(text)
        # The store's note of its workspace is no fact: no export carries it.
        assert "BioclusterWorkspace" not in text and "cluster_profile" not in text
    answer = invoke(
        "cypher", "MATCH (n:Organization) RETURN count(n) AS n", "--store", str(ladybug_store),
        "--data", str(SECOND), "--format", "json",
    )  # fmt: skip
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.output) == [{"n": 7}]


def test_analyze_brokers_answers_for_the_second_cluster() -> None:
    for output_format in ("json", "table"):
        result = invoke("analyze", "brokers", "--data", str(SECOND), "--format", output_format)
        assert result.exit_code == 0, result.output
        assert not yamagata_in(result.output), yamagata_in(result.output)
    rows = json.loads(
        invoke("analyze", "brokers", "--data", str(SECOND), "--format", "json").output
    )
    # The foundation bridges the prefecture's companies to THIS cluster's institute.
    assert rows[0]["id"] == "org:suirei-foundation" and rows[0]["bridge_score"] > 0


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "the page has a title"
    return match.group(1)


def test_the_page_is_the_second_clusters(tmp_path: Path) -> None:
    for lang, title, hint in (
        ("ja", "翠嶺発酵クラスター 連携ネットワーク", "例: 白砂工科大学発酵科学研究所、"),
        ("en", "Suirei Fermentation Cluster: collaboration network", "e.g. "),
    ):
        page = tmp_path / f"page-{lang}.html"
        result = invoke("viz", "--data", str(SECOND), "--lang", lang, "-o", str(page))
        assert result.exit_code == 0, result.output
        html = page.read_text(encoding="utf-8")
        assert _title(html) == title
        placeholder = re.search(r'placeholder="([^"]*)"', html)
        assert placeholder and placeholder.group(1).startswith(hint), placeholder
        assert "Fermentation Science Institute" in placeholder.group(1) or lang == "ja"
        assert not yamagata_in(html), yamagata_in(html)


def test_the_report_is_the_second_clusters(tmp_path: Path) -> None:
    report = tmp_path / "x.html"
    result = invoke("report", "--data", str(SECOND), "-o", str(report))
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "翠嶺発酵クラスター" in _title(html)
    assert not yamagata_in(html), yamagata_in(html)


def test_a_store_of_another_workspace_is_refused(ladybug_store: Path, tmp_path: Path) -> None:
    expected = (
        f"Error: the store {ladybug_store} holds the workspace {SECOND} (翠嶺発酵クラスター), "
        f"not --data {SHIPPED} (山形バイオクラスター); leave out --data to use the store's, "
        f"or load this one first: biocluster load --data {SHIPPED}"
    )
    for command in (
        ["query", "council_and_committee"],
        ["cypher", "MATCH (n:Organization) RETURN count(n) AS n"],
        ["export", "graph", "--from", "embedded", "--format", "json"],
    ):
        result = invoke(*command, "--store", str(ladybug_store), "--data", str(SHIPPED))
        assert result.exit_code == 1, (command, result.output)
        assert result.output.strip() == expected, result.output


def test_a_reload_records_the_new_workspace(
    copy_loaded_store: Callable[[Path], Path], tmp_path: Path
) -> None:
    # A store of the shipped workspace, loaded again from the second one, answers for the
    # second (and the shipped one is now the mismatch).
    store = copy_loaded_store(tmp_path / "kb.lbug")
    assert invoke("load", "--data", str(SECOND), "--store", str(store)).exit_code == 0
    answer = invoke("query", "budget_tree", "--store", str(store), "--format", "json")
    assert json.loads(answer.output)[0]["line_id"] == "prog:r6-cluster-budget"
    refused = invoke("query", "budget_tree", "--store", str(store), "--data", str(SHIPPED))
    assert refused.exit_code == 1 and "holds the workspace" in refused.output
    assert invoke("load", "--store", str(store)).exit_code == 0
    shipped = invoke("query", "budget_tree", "--store", str(store), "--format", "json")
    assert json.loads(shipped.output)[0]["line_id"] == load_cluster_profile(SHIPPED).budget_root


@pytest.mark.neo4j
def test_every_question_answers_for_the_second_cluster_on_neo4j(ladybug_store: Path) -> None:
    settings = neo4j_settings_or_skip()
    env = {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.username}
    env["NEO4J_PASSWORD"] = settings.password
    if settings.database:
        env["NEO4J_DATABASE"] = settings.database
    loaded = invoke("load", "--neo4j", "--data", str(SECOND), env=env)
    assert loaded.exit_code == 0, loaded.output
    try:
        answers = _every_question(["--neo4j"], env)
        _check_answers(answers)
        # Both engines give the same rows for the second cluster too.
        assert answers == _every_question(["--store", str(ladybug_store)], None)
        refused = invoke("query", "budget_tree", "--neo4j", "--data", str(SHIPPED), env=env)
        assert refused.exit_code == 1 and "holds the workspace" in refused.output
    finally:
        # The server is shared: leave it holding the shipped workspace, as the other tests
        # expect.
        assert invoke("load", "--neo4j", env=env).exit_code == 0


def test_commands_that_draw_take_the_workspace_the_store_records(
    ladybug_store: Path, tmp_path: Path
) -> None:
    # No --data: the page, the brokers and the report are those of the cluster the
    # embedded store was loaded from, not the shipped one.
    env = {"BIOCLUSTER_STORE": str(ladybug_store)}
    page = tmp_path / "page.html"
    drawn = invoke("viz", "-o", str(page), env=env)
    assert drawn.exit_code == 0, drawn.output
    assert f"workspace: {SECOND} (recorded by the store" in drawn.output
    assert _title(page.read_text(encoding="utf-8")) == "翠嶺発酵クラスター 連携ネットワーク"
    brokers = invoke("analyze", "brokers", "--format", "json", env=env)
    assert json.loads(brokers.stdout)[0]["id"] == "org:suirei-foundation"
    report = tmp_path / "report.html"
    assert invoke("report", "-o", str(report), env=env).exit_code == 0
    assert "翠嶺発酵クラスター" in _title(report.read_text(encoding="utf-8"))


def test_queries_shows_the_workspaces_defaults() -> None:
    shown = invoke("queries", "budget_tree", "--data", str(SECOND), "--format", "json")
    assert shown.exit_code == 0, shown.output
    (root,) = [row for row in json.loads(shown.output) if row["parameter"] == "root_id"]
    assert root["default"] == "prog:r6-cluster-budget"
    shipped = invoke("queries", "budget_tree", "--data", str(SHIPPED), "--format", "json")
    (root,) = [row for row in json.loads(shipped.output) if row["parameter"] == "root_id"]
    assert root["default"] == load_cluster_profile(SHIPPED).budget_root


def test_an_empty_id_is_every_only_where_that_is_the_default(ladybug_store: Path) -> None:
    # council_id's default "" means every council; an empty institute_id names nothing.
    every = invoke(
        "query", "organisations_on_both_bodies", "-p", "council_id=", "--store",
        str(ladybug_store), "--format", "json",
    )  # fmt: skip
    assert every.exit_code == 0 and json.loads(every.output), every.output
    refused = invoke(
        "query", "joint_research_partners", "-p", "institute_id=", "--store", str(ladybug_store)
    )
    assert refused.exit_code == 1, refused.output


def test_a_reload_with_no_change_leaves_the_file_alone(tmp_path: Path) -> None:
    # The record is written only when it changes: the same workspace loaded again keeps the
    # store's bytes (readers keep their file).
    import hashlib

    store = tmp_path / "kb.lbug"
    assert invoke("load", "--data", str(SECOND), "--store", str(store)).exit_code == 0
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    assert invoke("load", "--data", str(SECOND), "--store", str(store)).exit_code == 0
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_a_workspace_that_names_no_company_group_gets_it_from_its_data(tmp_path: Path) -> None:
    # cluster.yaml need not name the group of companies its support ladder serves: the load
    # reads it from the data (the one company a stepped programme SUPPORTS) and records it.
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(SECOND, workspace)
    profile = workspace / "cluster.yaml"
    kept = [
        line
        for line in profile.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("company_group:", "hubs:"))
    ]
    profile.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert load_cluster_profile(workspace).company_group is None
    store = str(tmp_path / "kb.lbug")
    loaded = invoke("load", "--data", str(workspace), "--store", store)
    assert loaded.exit_code == 0, loaded.output
    for data in ([], ["--data", str(workspace)]):
        result = invoke(
            "query", "funding_routes_for_companies", "--store", store, *data,
            "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        assert rows and not yamagata_in(result.output)
    for name in ("coordination_hubs", "council_and_committee"):
        result = invoke("query", name, "--store", store, "--format", "json")
        assert result.exit_code == 0 and json.loads(result.output), result.output


def test_help_and_errors_of_the_second_cluster_suggest_none_of_the_shipped_names() -> None:
    # The headers' examples name the shipped cluster's actors; for another workspace they
    # are placeholders, in `queries NAME` and in the missing-parameter error alike.
    for query in default_library():
        shown = invoke("queries", query.name, "--data", str(SECOND))
        assert shown.exit_code == 0, shown.output
        assert not yamagata_in(shown.output), (query.name, yamagata_in(shown.output))
    missing = invoke("query", "actor_profile", "--data", str(SECOND))
    assert missing.exit_code != 0
    assert "-p name=NAME" in missing.output and not yamagata_in(missing.output)
