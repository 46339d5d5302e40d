"""Parameters as people give them (issue 26): a year in any era form wherever a year is
taken, filter values checked against the vocabulary or the data, one list format in CSV.
Through the real CLI against a real Ladybug store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.kernel.model import KnowledgeBase


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shipped_kb: KnowledgeBase) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("params") / "kb.lbug"
    with LadybugBackend(path) as backend:
        backend.load(shipped_kb)
    yield path


def invoke(*arguments: str):
    return CliRunner().invoke(cli, list(arguments), catch_exceptions=False)


def _changes(store: Path, from_year: str, to_year: str):
    return invoke(
        "query", "changes_between_years", "--store", str(store), "--format", "json",
        "-p", f"from_year={from_year}", "-p", f"to_year={to_year}",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("from_year", "to_year"),
    [("H24", "H25"), ("平成24年度", "平成25年度"), ("FY2012", "2013年度"), ("Ｈ２４", "2013")],
)
def test_a_query_takes_a_year_in_every_era_form(store: Path, from_year: str, to_year: str) -> None:
    gregorian = _changes(store, "2012", "2013")
    assert gregorian.exit_code == 0 and json.loads(gregorian.stdout)
    written = _changes(store, from_year, to_year)
    assert written.exit_code == 0, written.output
    assert written.stdout == gregorian.stdout


def test_a_year_that_is_no_year_is_refused_with_the_forms_it_takes(store: Path) -> None:
    result = _changes(store, "H99", "2013")
    assert result.exit_code == 1
    assert "parameter from_year must be a fiscal year (2013, 2013年度, FY2013, H25" in result.output
    assert "got H99 (str)" in result.output


@pytest.mark.parametrize("role", ["emperor", "委員会の王"])
def test_an_unknown_role_is_a_bad_option_like_an_unknown_kind(role: str) -> None:
    result = invoke("export", "stakeholders", "--role", role)
    assert result.exit_code == 2
    assert f"Invalid value for '--role': {role!r} is not a role" in result.output
    kind = invoke("export", "stakeholders", "--kind", "spaceship")
    assert kind.exit_code == 2


@pytest.mark.parametrize("role", ["chair", "会長"])
def test_a_role_by_code_or_as_written_still_filters(role: str) -> None:
    result = invoke("export", "stakeholders", "--role", role, "--format", "json")
    assert result.exit_code == 0, result.output
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert "org:yamagata-prefecture" in ids


def test_query_csv_joins_lists_as_the_stakeholder_csv_does(store: Path) -> None:
    def aliases(name: str) -> str:
        result = invoke(
            "query", "actor_profile", "-p", f"name={name}", "--store", str(store),
            "--format", "csv", "--lang", "en",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return next(csv.DictReader(io.StringIO(result.stdout)))["aliases"]

    assert aliases("HMT") == "HMT"  # was ["HMT"]
    assert aliases("庄内地域産業振興センター").split("; ")[:2] == [
        "（財）庄内地域産業振興センター",
        "（公財）庄内地域産業振興センター",
    ]
    people = invoke("export", "stakeholders", "--format", "csv", "--lang", "en")
    assert "; " in people.stdout and '["' not in people.stdout


def test_a_query_for_people_gives_the_reason_for_a_basis_in_japanese(
    store: Path, shipped_kb: KnowledgeBase
) -> None:
    seat = next(
        rel
        for rel in shipped_kb.relationships.values()
        if rel.type == "MEMBER_OF" and rel.start == "pos:governor"
    )
    ja = invoke("query", "council_and_committee", "--store", str(store), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(ja.stdout.lstrip("\ufeff"))))
    governor = next(row for row in rows if row["構成員のID"] == "pos:governor")
    assert governor["根拠の説明"] == seat.get("basis_reason_ja")
    en = invoke(
        "query", "council_and_committee", "--store", str(store), "--format", "csv",
        "--lang", "en",
    )  # fmt: skip
    rows_en = list(csv.DictReader(io.StringIO(en.stdout)))
    governor_en = next(row for row in rows_en if row["member_id"] == "pos:governor")
    assert governor_en["basis_reason"] == seat.get("basis_reason")
