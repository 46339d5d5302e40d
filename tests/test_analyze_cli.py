"""``biocluster analyze brokers`` through click's runner, on the shipped data files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.graph.brokerage import COLUMNS, analyze_brokers
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.schema import SCHEMA, SECTORS

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *arguments: str):
    return runner.invoke(cli, ["analyze", "brokers", *arguments], catch_exceptions=False)


def test_json_is_the_library_ranking(runner, shipped_kb) -> None:
    result = invoke(runner, "--top", "4", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    expected = [
        dict(zip(COLUMNS, row, strict=True))
        for row in analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).table(4)
    ]
    assert json.loads(result.output) == expected
    # The first rows are the brokers of the company routes, with a reason that names them.
    first = json.loads(result.output)[0]
    assert first["companies"] > 0
    assert first["reason"].startswith(f"links {first['companies']} compan")
    assert isinstance(first["roles"], list)


def test_json_keeps_the_keys_and_codes_with_the_reason_in_japanese(runner, shipped_kb) -> None:
    result = invoke(runner, "--top", "4", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).table(4, "ja")
    assert json.loads(result.output) == [dict(zip(COLUMNS, r, strict=True)) for r in expected]
    first = json.loads(result.output)[0]
    assert first["sector"] in SECTORS and set(first["roles"]) <= {
        "liaison",
        "itinerant",
        "representative",
        "gatekeeper",
        "coordinator",
    }
    assert (
        first["reason"]
        == analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).ranking(1)[0].reason_ja
    )


def test_japanese_table_and_csv_have_the_schema_titles_and_names(runner, shipped_kb) -> None:
    top = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).ranking(3)
    # A terminal wide enough for one line per actor (at 100 columns they are records).
    table = invoke(CliRunner(env={"COLUMNS": "1000"}), "--top", "3")
    assert table.exit_code == 0
    titles = table.output.splitlines()[0].split()
    assert titles[:3] == ["順位", "ID", "名称"]
    assert SCHEMA.property_title("betweenness", "ja") in titles
    assert SCHEMA.property_title("brokerage_roles", "ja") in titles
    raw = invoke(runner, "--top", "3", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf"), "a CSV for people opens in Excel: BOM by default"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["ID"] == top[0].id
    assert first["セクター"] == SCHEMA.term_name("sector", top[0].sector, "ja")
    roles = [SCHEMA.term_name("brokerage_roles", role, "ja") for role in top[0].roles_held]
    assert first["仲介の役割"] == "、".join(roles)
    assert first["理由"] == top[0].reason_ja


def test_bom_follows_the_language_unless_told(runner, tmp_path) -> None:
    english = invoke(runner, "--top", "1", "--format", "csv", "--lang", "en").stdout_bytes
    assert english.startswith(b"rank,")
    marked = invoke(runner, "--top", "1", "--format", "csv", "--lang", "en", "--bom")
    assert marked.stdout_bytes == b"\xef\xbb\xbf" + english
    plain = invoke(runner, "--top", "1", "--format", "csv", "--no-bom").stdout_bytes
    assert plain.startswith("順位,".encode())
    target = tmp_path / "brokers.csv"
    written = invoke(runner, "--top", "1", "--format", "csv", "-o", str(target))
    assert written.exit_code == 0 and written.stdout == ""
    assert target.read_bytes().startswith(b"\xef\xbb\xbf" + "順位,".encode())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--bom"], "Error: --bom applies to CSV only, not to --format table"),
        (
            ["--no-bom", "--format", "json"],
            "Error: --no-bom applies to CSV only, not to --format json",
        ),
    ],
)
def test_an_option_the_format_ignores_is_refused(runner, arguments, message) -> None:
    result = invoke(runner, *arguments)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message


def test_table_and_csv_list_the_roles_as_words(shipped_kb) -> None:
    top = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).ranking(3)
    # A terminal wide enough for the whole table: the layout at 100 columns is
    # tests/test_output_width.py's.
    runner = CliRunner(env={"COLUMNS": "1000"})
    table = invoke(runner, "--top", "3", "--lang", "en")
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].split() == list(COLUMNS)
    assert len(lines) == 2 + 3
    assert ", ".join(top[0].roles_held) in lines[2]
    english = invoke(runner, "--top", "3", "--format", "csv", "--lang", "en")
    rows = list(csv.reader(io.StringIO(english.output)))
    assert rows[0] == list(COLUMNS)
    assert [row[1] for row in rows[1:]] == [actor.id for actor in top]
    assert rows[1][COLUMNS.index("roles")] == ", ".join(top[0].roles_held)


def test_ties_option_changes_the_tie_kinds(runner, shipped_kb) -> None:
    result = invoke(runner, "--ties", "membership, coordination", "--top", "50", "--format", "json")
    assert result.exit_code == 0
    expected = analyze_brokers(
        shipped_kb, ["membership", "coordination"], profile=SHIPPED_PROFILE
    ).table(50, "ja")
    assert json.loads(result.output) == [dict(zip(COLUMNS, r, strict=True)) for r in expected]
    default = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE).table(50, "ja")
    assert expected != default


def test_sample_option_estimates_betweenness(runner, shipped_kb) -> None:
    result = invoke(runner, "--sample", "20", "--seed", "7", "--top", "100", "--format", "json")
    assert result.exit_code == 0
    # stdout: the sample's stability note goes to stderr.
    got = {row["id"]: row["betweenness"] for row in json.loads(result.stdout)}
    sampled = analyze_brokers(shipped_kb, sample=20, seed=7, profile=SHIPPED_PROFILE)
    assert got == {actor.id: actor.betweenness for actor in sampled.actors.values()}
    exact = analyze_brokers(shipped_kb, profile=SHIPPED_PROFILE)
    assert got != {actor.id: actor.betweenness for actor in exact.actors.values()}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--ties", "membership,friendship"],
            "Error: Invalid value for '--ties': unknown tie kind 'friendship' (choose from "
            "membership, coordination, joint_research, funding, structure, record)",
        ),
        (
            ["--ties", ","],
            "Error: Invalid value for '--ties': no tie kinds chosen (choose from "
            "membership, coordination, joint_research, funding, structure, record)",
        ),
        (["--top", "0"], "Error: Invalid value for '--top': 0 is not in the range x>=1."),
        (["--sample", "1"], "Error: Invalid value for '--sample': 1 is not in the range x>=2."),
    ],
)
def test_bad_options_exit_2_with_the_reason(runner, arguments, message) -> None:
    result = invoke(runner, *arguments)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message


def test_missing_data_folder_is_an_error(runner, tmp_path) -> None:
    missing = tmp_path / "nowhere"
    result = invoke(runner, "--data", str(missing))
    assert result.exit_code == 1
    assert result.output == f"Error: no data folder at {missing}; pass --data DIR\n"


def test_help_has_an_example(runner) -> None:
    for arguments in (["analyze", "--help"], ["analyze", "brokers", "--help"]):
        result = runner.invoke(cli, arguments, catch_exceptions=False)
        assert result.exit_code == 0
        assert "Example:\n" in result.output
        assert "biocluster analyze brokers" in result.output
