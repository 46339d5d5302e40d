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
    assert output == "Error: no actor matches 'zzzzqq'\n"


# Held-out phrasings written for issue 26 (English, Japanese, aliases, typos, a word more):
# the actor meant comes first.
PHRASINGS = [
    ("Human Metabolome Technologies Inc", "org:hmt"),
    ("ヒューマンメタボローム", "org:hmt"),
    ("Spiber Inc.", "org:spiber"),
    ("Spyber", "org:spiber"),
    ("スパイバー株式会社", "org:spiber"),
    ("Keio IAB", "org:iab"),
    ("Institute for Advanced Biosciences", "org:iab"),
    ("慶応先端研", "org:iab"),
    ("Keio Univercity", "org:keio"),
    ("慶應義塾大学", "org:keio"),
    ("Yamagata Univ.", "org:yamagata-university"),
    ("山形大", "org:yamagata-university"),
    ("Tsuruoka City Hall", "org:tsuruoka-city"),
    ("鶴岡市役所", "org:tsuruoka-city"),
    ("Governor of Yamagata", "pos:governor"),
    ("庄内産振センター", "org:shonai-center"),
    ("Shonai Regional Industry Promotion Centre", "org:shonai-center"),
    ("Nissin Pharma", "org:nissin-pharmaceutical"),
    ("日新製薬株式会社", "org:nissin-pharmaceutical"),
    ("日新", "org:nissin-pharmaceutical"),
    ("Kojima Press", "org:kojima-press"),
    ("推進会議", "body:promotion-council"),
    ("MEXT", "org:mext"),
    ("Ministry of Economy", "org:meti"),
    ("Bio Industry Promotion Office", "body:bio-industry-office"),
    ("Mayor of Tsuruoka City", "pos:tsuruoka-mayor"),
]


@pytest.mark.parametrize(("typed", "expected"), PHRASINGS)
def test_held_out_phrasings_put_the_right_actor_first(typed: str, expected: str) -> None:
    status, output = find(typed, "--format", "json")
    assert status == 0, output
    assert json.loads(output)[0]["id"] == expected


UNKNOWN = [
    "Tokyo University",
    "Kyoto University",
    "Tohoku University",
    "Osaka University",
    "IBM",
    "Yamagata Bank",
    "Google",
    "Sony",
    "東京大学",
    "京都大学",
    "山形銀行",
    "仙台市",
    "Tsuruoka Hospital",
    "Toyota",
]


@pytest.mark.parametrize("typed", UNKNOWN)
def test_a_name_below_the_similarity_floor_is_no_match_and_exits_1(typed: str) -> None:
    status, output = find(typed, "--format", "json")
    assert status == 1
    assert output.startswith(f"Error: no actor matches {typed!r}")


def test_no_match_asks_whether_the_nearest_names_were_meant() -> None:
    status, output = find("Yamagata Bank")
    assert status == 1
    assert "; did you mean " in output and "山形大学 (org:yamagata-university)" in output


def test_an_organisation_comes_before_its_post_when_both_match_alike() -> None:
    status, output = find("Institute for Advanced Biosciences", "--format", "json")
    assert status == 0
    ids = [row["id"] for row in json.loads(output)]
    assert ids.index("org:iab") < ids.index("pos:iab-director")


def test_the_table_for_people_has_japanese_titles_and_names() -> None:
    status, output = find("山形大", "--limit", "1", "--format", "csv")
    assert status == 0
    header, row = output.splitlines()[:2]
    assert header == "ID,区分,種類,セクター,名称,英語名,一致した名前,一致の仕方"
    assert row.startswith("org:yamagata-university,組織,大学,大学・研究機関,山形大学,")
    assert row.endswith(",前方一致")
    status, english = find("山形大", "--limit", "1", "--format", "csv", "--lang", "en")
    assert english.splitlines()[0] == "id,label,kind,sector,name_ja,name_en,matched,how"
    status, json_ja = find("山形大", "--format", "json", "--lang", "ja")
    assert status == 0 and json.loads(json_ja)[0]["how"] == "prefix"


def test_queries_lists_with_japanese_titles() -> None:
    result = CliRunner().invoke(cli, ["queries", "--format", "csv"])
    assert result.output.splitlines()[0] == "名前,質問（英語）,質問,必須のパラメーター"
    english = CliRunner().invoke(cli, ["queries", "--format", "csv", "--lang", "en"])
    assert english.output.splitlines()[0] == "name,question,question_ja,required"
    one = CliRunner().invoke(cli, ["queries", "actor_profile", "--format", "csv"])
    assert one.output.splitlines()[0] == "パラメーター,型,既定値,説明"
    assert one.output.splitlines()[1].startswith("name,name,必須,")
