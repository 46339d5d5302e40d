"""``biocluster find``: actors found by the names people type, through the real CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli


def find(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["find", *arguments])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "typed", ["IAB", "iab", "ＩＡＢ", "慶應先端研", "慶應義塾大学先端生命科学研究所", "org:iab"]
)
def test_the_institute_is_found_first_however_it_is_typed(typed: str) -> None:
    status, output = find(typed, "--format", "json")
    assert status == 0, output
    rows = json.loads(output)
    assert rows[0]["id"] == "org:iab"
    assert rows[0]["how"] in ("id", "exact")
    assert set(rows[0]) == {"id", "label", "kind", "sector", "name_ja", "name_en", "matched", "how"}


@pytest.mark.parametrize(
    "typed", ["ヒューマン・メタボローム", "ヒューマン メタボローム", "ﾋｭｰﾏﾝﾒﾀﾎﾞﾛｰﾑ"]
)
def test_nakaguro_spaces_and_half_width_fold_away(typed: str) -> None:
    status, output = find(typed, "--format", "json")
    assert status == 0, output
    assert json.loads(output)[0]["id"] == "org:hmt"


def test_prefix_matches_list_every_candidate_best_first() -> None:
    status, output = find("庄内", "--format", "json")
    assert status == 0
    rows = json.loads(output)
    assert "org:shonai-center" in [row["id"] for row in rows]
    order = {"id": 0, "exact": 1, "prefix": 2, "substring": 3, "close": 4}
    assert [order[row["how"]] for row in rows] == sorted(order[row["how"]] for row in rows)


def test_label_and_limit_narrow_the_list() -> None:
    status, output = find("庄内", "--label", "Position", "--format", "json", "--limit", "1")
    assert status == 0
    rows = json.loads(output)
    assert len(rows) == 1 and rows[0]["label"] == "Position"


def test_nothing_close_is_an_error_quoting_the_name() -> None:
    status, output = find("zzzzqq")
    assert status == 1
    assert "no actor is called 'zzzzqq'" in output
