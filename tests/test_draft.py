"""The drafting assistant (loaders/draft.py and the readers it uses): names, links, ties and
numbers read from fictional Japanese sentences written for these tests, the project's
evaluation corpus (tests/draft_corpus/) against its hand-written gold lists, table rows, and
reruns after an accept, through the real analyser and the real command line."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from biocluster_kg.cli import cli
from biocluster_kg.loaders.draft import (
    Proposal,
    draft_document,
    draft_proposals,
    draft_table_proposals,
    record_id,
)
from biocluster_kg.loaders.japanese import romanize
from biocluster_kg.loaders.mentions import find_mentions
from biocluster_kg.loaders.numbers import find_numbers
from biocluster_kg.loaders.sources import SourceText
from biocluster_kg.loaders.tables import parse_csv_text

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "draft_corpus"
FICTIONAL = HERE / "fictional"


def draft(text: str, known: dict[str, str] | None = None, **options: Any) -> list[Proposal]:
    return draft_proposals(SourceText("t", text), known or {}, **options)


def named(proposals: list[Proposal]) -> dict[str, dict[str, Any]]:
    """The new actors' (and groups', programmes') records by name."""
    return {p.record["name_ja"]: p.record for p in proposals if p.kind in ("new_actor", "group")}


def ties(proposals: list[Proposal], known: dict[str, str] | None = None) -> set[tuple[str, ...]]:
    """Every tie as (type, from name, to name[, role]), ids turned back into names."""
    names = {record["id"]: name for name, record in named(proposals).items()}
    for name, node_id in (known or {}).items():
        names.setdefault(node_id, name)
    found = set()
    for p in proposals:
        if p.kind == "tie":
            tie = (p.record["type"], names[p.record["from"]], names[p.record["to"]])
            found.add(tie + ((p.record["role"],) if "role" in p.record else ()))
    return found


# -- names -----------------------------------------------------------------------------------


def test_names_keep_their_hiragana_and_latin_parts() -> None:
    proposals = draft(
        "みなと医科大学附属病院と「みなと医工連携推進協議会」、Spiber株式会社が参加\n"
        "公益財団法人みなと産業技術振興財団が支援"
    )
    actors = named(proposals)
    assert {
        "みなと医科大学附属病院",
        "みなと医科大学",
        "みなと医工連携推進協議会",
        "Spiber株式会社",
        "公益財団法人みなと産業技術振興財団",
    } <= set(actors)
    # Never the fragments a cut at hiragana made.
    assert not {"医科大学", "医工連携推進協議会", "産業技術振興財団"} & set(actors)
    assert ("PART_OF", "みなと医科大学附属病院", "みなと医科大学") in ties(proposals)


def test_a_hiragana_name_the_dictionary_does_not_know_stays_whole() -> None:
    # ひので is read as ひ + の + で (a noun and two particles) by the dictionary.
    proposals = draft(
        "主催：ひので県、ひので市\n国立大学法人ひので大学大学院農学研究科の取組み\n"
        "ひので大学発ベンチャーである合同会社ミライゲノム\nまた県は支援する"
    )
    actors = named(proposals)
    assert {"ひので県", "ひので市", "国立大学法人ひので大学大学院農学研究科"} <= set(actors)
    assert actors["国立大学法人ひので大学"]["aliases"] == ["ひので大学"]
    assert not [name for name in actors if name.startswith(("ひ", "また")) and len(name) < 4]
    assert ("VENTURE_OF", "合同会社ミライゲノム", "国立大学法人ひので大学") in ties(proposals)


def test_half_a_hiragana_name_is_never_proposed() -> None:
    # かざはな is read か + ざ + はな (a particle and two nouns); あおい as an adjective.
    proposals = draft(
        "当財団は、かざはな県及びかざはな工業大学と連携し、県内の中小企業を支援\n"
        "かざはな工業大学とあおい精機株式会社による共同開発"
    )
    actors = named(proposals)
    assert {"かざはな県", "かざはな工業大学", "あおい精機株式会社"} <= set(actors)
    assert not {"ざはな工業大学", "工業大学", "精機株式会社"} & set(actors)
    # と連携し、… is another clause: no project of 連携 and the support that follows.
    projects = [r["name_ja"] for r in actors.values() if r["label"] == "Project"]
    assert projects == ["かざはな工業大学とあおい精機株式会社による共同開発"]


@pytest.mark.parametrize(
    "written",
    [
        "株式会社ソラテック",
        "ソラテック株式会社",
        "（株）ソラテック",
        "ソラテック（株）",
        "有限会社みちのく醸造",
        "（公財）あさひ地域振興財団",
        "一般社団法人あさひバイオ協会",
    ],
)
def test_corporate_forms_before_and_after_the_name(written: str) -> None:
    actors = named(draft(f"本日、{written}が参加した。"))
    assert list(actors) == [written]
    assert actors[written]["label"] == "Organization"


def test_quoted_names_and_counted_lists_are_companies() -> None:
    actors = named(
        draft(
            "市内のベンチャー企業は5社を数え（アルファゲノム、ベータセル、ガンマ精工株式会社）\n"
            "大学発ベンチャー「ルミナス」が誕生した\n"
            "出資先3社：デルタ、イプシロン、ゼータ"
        )
    )
    for name in ("アルファゲノム", "ベータセル", "ルミナス", "デルタ", "イプシロン", "ゼータ"):
        assert actors[name]["kind"] in ("company", "venture"), name
    assert actors["ガンマ精工株式会社"]["kind"] == "company"
    # The group word before the named list is no actor of its own.
    assert not [name for name, record in actors.items() if record["label"] == "Group"]


def test_common_nouns_are_groups_never_named_actors() -> None:
    proposals = draft("企業、研究機関、ベンチャー企業、ITの集積が進む。支援機関が連携する。")
    assert [p for p in proposals if p.kind == "new_actor"] == []
    # Listed side by side they are the unnamed groups the text counts on; IT is no actor,
    # and a bare word in running text (支援機関が) is not proposed at all.
    groups = {p.value: p.record["kind"] for p in proposals if p.kind == "group"}
    assert groups == {
        "企業": "companies",
        "研究機関": "research_institutions",
        "ベンチャー企業": "companies",
    }


def test_groups_need_a_scope_or_a_count() -> None:
    actors = named(
        draft("県内企業の研究開発を支援。市内企業8社が出展。県内の中小企業向け。金融機関等")
    )
    # Named as the source writes them (with the place, the count, 等), as curators do.
    assert actors["県内企業"]["label"] == "Group"
    assert actors["市内企業8社"]["count"] == 8
    assert actors["県内の中小企業"]["kind"] == "companies"
    assert actors["金融機関等"]["kind"] == "financial_institutions"


def test_people_counted_at_schools_are_students() -> None:
    groups = named(draft("研究助手（市内高校4名）"))
    assert groups["市内高校4名"]["kind"] == "students"  # 4名 are people, not schools
    assert groups["市内高校4名"]["count"] == 4


def test_posts_are_tied_to_their_organisation() -> None:
    found = {m.text: m for m in find_mentions("北浜県農林水産部長、株式会社いろは銀行頭取")}
    chief = found["北浜県農林水産部長"]
    assert chief.label == "Position" and chief.kind == "department_head"
    assert chief.parent is not None and chief.parent.text == "北浜県農林水産部"
    assert chief.parent.parent is not None and chief.parent.parent.text == "北浜県"
    banker = found["株式会社いろは銀行頭取"]
    assert banker.label == "Position"
    assert banker.parent is not None and banker.parent.text == "株式会社いろは銀行"


# -- linking ---------------------------------------------------------------------------------


def test_definitions_renames_and_anaphora_name_one_actor() -> None:
    proposals = draft(
        "ひかり製薬株式会社（現 Hikari Pharma株式会社）は、あさひ大学先端生命研究所"
        "（以下「先端研」という。）と連携している。\n"
        "ハーモニクス・テクノロジーズ株式会社（HMT社）は同研究所から設立された。\n"
        "先端研と同社は共同研究を進める。"
    )
    actors = named(proposals)
    assert actors["ひかり製薬株式会社"]["aliases"] == ["Hikari Pharma株式会社"]
    assert actors["あさひ大学先端生命研究所"]["aliases"] == ["先端研"]
    assert actors["ハーモニクス・テクノロジーズ株式会社"]["aliases"] == ["HMT社"]
    assert not {"Hikari Pharma株式会社", "先端研", "同研究所", "同社", "研究所"} & set(actors)
    found = ties(proposals)
    assert (
        "VENTURE_OF",
        "ハーモニクス・テクノロジーズ株式会社",
        "あさひ大学先端生命研究所",
    ) in found
    participants = {t[1] for t in found if t[0] == "PARTICIPATES_IN"}
    assert participants == {"あさひ大学先端生命研究所", "ハーモニクス・テクノロジーズ株式会社"}


def test_a_place_in_brackets_is_where_an_actor_is() -> None:
    proposals = draft("株式会社みどり発酵（北浜市）と北浜大学との共同研究")
    actors = named(proposals)
    assert actors["株式会社みどり発酵"]["location_ja"] == "北浜市"
    assert "北浜市" not in actors
    participants = {t[1] for t in ties(proposals) if t[0] == "PARTICIPATES_IN"}
    assert participants == {"株式会社みどり発酵", "北浜大学"}


def test_a_post_of_a_defined_short_name_is_a_post_of_that_actor() -> None:
    proposals = draft(
        "北浜大学先端生命研究所（以下「先端研」という。）を設置\n委員：先端研所長、北浜市長"
    )
    assert ("POSITION_IN", "先端研所長", "北浜大学先端生命研究所") in ties(proposals)
    assert named(proposals)["先端研所長"]["kind"] == "director"


def test_a_short_form_of_a_longer_name_is_that_actor() -> None:
    actors = named(draft("「東雲県バイオものづくり推進協議会」を設置\n①推進協議会の開催 400千円"))
    assert "推進協議会" not in actors


def test_known_actors_are_linked_through_the_name_layer() -> None:
    known = {
        "北浜工科大学": "org:kitahama-tech",
        "北浜工大": "org:kitahama-tech",
        "ヒューマン・メタボローム株式会社": "org:hmt",
    }
    proposals = draft(
        "北浜工大とヒューマンメタボローム株式会社が提携。\n北浜工科大学医工学研究センターを新設",
        known,
        known_labels={"org:kitahama-tech": "Organization", "org:hmt": "Organization"},
    )
    assert [p.value for p in proposals if p.kind == "known_actor"] == [
        "org:kitahama-tech",
        "org:hmt",
    ]
    assert set(named(proposals)) == {"北浜工科大学医工学研究センター"}
    assert ("PART_OF", "北浜工科大学医工学研究センター", "北浜工科大学") in ties(proposals, known)


# -- ties ------------------------------------------------------------------------------------


def test_council_lists_give_seats_with_roles_and_posts() -> None:
    proposals = draft(
        "第3回 北浜バイオ産業懇話会\n会長：北浜市長\n副会長：北浜大学副学長、北浜商工会議所会頭\n"
        "事務局：北浜市商工観光課"
    )
    found = ties(proposals)
    council = "北浜バイオ産業懇話会"
    assert {
        ("MEMBER_OF", "北浜市長", council, "chair"),
        ("MEMBER_OF", "北浜大学副学長", council, "vice_chair"),
        ("MEMBER_OF", "北浜商工会議所会頭", council, "vice_chair"),
        ("MEMBER_OF", "北浜市商工観光課", council, "secretariat"),
        ("POSITION_IN", "北浜市長", "北浜市"),
        ("POSITION_IN", "北浜大学副学長", "北浜大学"),
    } <= found
    seats = [p for p in proposals if p.kind == "tie" and p.record["type"] == "MEMBER_OF"]
    # The body is named on another line: the seat is read from the layout, and says so.
    assert all(p.record["basis"] == "layout" for p in seats)
    assert all("listed under the body named on line 1" in p.record["basis_reason"] for p in seats)


def test_a_budget_breakdown_is_checked_against_its_total() -> None:
    adds_up = draft(
        "４．令和6年度予算\n予算額：86,000千円\n- ①協議会運営費 1,000千円\n"
        "- ②研究開発補助金 70,000千円\n- ③人材育成事業 15,000千円\n補助上限：500万円～3,000万円"
    )
    breakdown = [p for p in adds_up if p.kind == "tie" and p.record["type"] == "BREAKDOWN_OF"]
    assert {ties(adds_up) and (p.record["from"], p.record["to"]) for p in breakdown}
    assert {t[1] for t in ties(adds_up) if t[0] == "BREAKDOWN_OF"} == {
        "協議会運営費",
        "研究開発補助金",
        "人材育成事業",
    }
    assert all(
        "the 3 items add up to it (86000千円)" in p.record["basis_reason"] for p in breakdown
    )
    amounts = {p.value: p.attach for p in adds_up if p.kind == "amount"}
    assert amounts[86000] == {
        "node": named(adds_up)["令和6年度予算"]["id"],
        "property": "amount_thousand_yen",
    }
    short = draft("３．令和6年度予算\n予算額：9,000千円\n- ①運営費 1,000千円\n- ②補助金 7,000千円")
    reasons = [p.record["basis_reason"] for p in short if p.kind == "tie"]
    assert reasons and all("not the total 9000千円: check" in r for r in reasons)


def test_implements_supports_and_funds() -> None:
    proposals = draft(
        "３．研究開発支援事業\n実施主体：公益財団法人みなと産業技術振興財団\n"
        "・県内企業の研究開発を支援\n"
        "・事務局より「北浜バイオ産業支援事業」の説明があった。\n"
        "・北浜バイオ産業支援事業には北浜県が資金を拠出する。"
    )
    found = ties(proposals)
    assert ("IMPLEMENTS", "公益財団法人みなと産業技術振興財団", "研究開発支援事業") in found
    assert ("SUPPORTS", "研究開発支援事業", "県内企業") in found
    assert ("FUNDS", "北浜県", "北浜バイオ産業支援事業") in found
    implements = next(p for p in proposals if p.kind == "tie" and p.value == "IMPLEMENTS")
    assert implements.record["basis"] == "layout"
    assert implements.record["basis_reason"] == "written under the programme on line 1"


def test_joint_research_is_a_project_both_take_part_in() -> None:
    proposals = draft(
        "北浜工科大学と有限会社しおかぜ食品（以下「しおかぜ食品」）は、共同研究を開始します。\n"
        "本共同研究は、国立研究開発法人北浜食品研究機構の「地域食品イノベーション事業」の支援を"
        "受けて実施します。"
    )
    projects = [r for r in named(proposals).values() if r["label"] == "Project"]
    assert len(projects) == 1 and projects[0]["kind"] == "joint_research"
    project = projects[0]["name_ja"]
    found = ties(proposals)
    assert {
        ("PARTICIPATES_IN", "北浜工科大学", project, "partner"),
        ("PARTICIPATES_IN", "有限会社しおかぜ食品", project, "partner"),
        ("SUPPORTS", "地域食品イノベーション事業", project),
        ("PROGRAMME_OF", "地域食品イノベーション事業", "国立研究開発法人北浜食品研究機構"),
    } <= found


def test_no_tie_the_text_does_not_give() -> None:
    proposals = draft("北浜大学、株式会社みどり発酵、北浜市が出席した。\n予算額：1,000千円")
    assert [p for p in proposals if p.kind == "tie"] == []


# -- numbers ---------------------------------------------------------------------------------


def test_years_months_and_as_of_dates_are_told_apart() -> None:
    numbers = [(n.kind, n.value) for n in find_numbers("令和2年に開設、令和3年度から本格稼働")]
    assert numbers == [("calendar_year", 2020), ("fiscal_year", 2021)]
    assert [(n.kind, n.value) for n in find_numbers("令和5年4月現在")] == [("as_of", "2023-04")]
    # A month alone takes the document's year, in the fiscal year's order (Jan-Mar next year).
    proposals = draft("令和7年度の予定\n推進会議（6月・2月）")
    assert [p.value for p in proposals if p.kind == "date"] == ["2025-06", "2026-02"]
    # With no year anywhere, no half a date.
    assert [n for n in find_numbers("4月に開催") if n.kind == "date"] == []
    assert [(n.kind, n.value) for n in find_numbers("総額1億2,000万円")] == [("amount", 120000)]


def test_counts_are_attached_to_what_they_count() -> None:
    proposals = draft("みなと工業高等専門学校の学生18名が参加。市内企業8社が出展。")
    groups = named(proposals)
    counts = {p.value: p.attach for p in proposals if p.kind == "count"}
    assert counts[18] == {"node": groups["学生18名"]["id"], "property": "count"}
    assert counts[8] == {"node": groups["市内企業8社"]["id"], "property": "count"}


# -- spans, keys and ids ----------------------------------------------------------------------

_PIECES = [
    "会長：北浜市長",
    "、",
    "株式会社みどり発酵",
    "と",
    "北浜大学農学部",
    "との共同研究",
    "（以下「農学部」）",
    "同大学から誕生した",
    "予算額：24,500千円",
    "内訳：展示会出展支援 4,500千円",
    "令和6年4月現在",
    "市内企業8社",
    "（株）ソラテック",
    "ＡＢＣ",
    "　",
    "。",
    "ー",
    "「",
    "」",
    "R6",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8), min_size=1, max_size=4))
def test_every_span_is_written_at_its_line(lines: list[list[str]]) -> None:
    text = "\n".join("".join(line) for line in lines)
    proposals = draft(text)
    written = text.split("\n")
    for proposal in proposals:
        assert proposal.span in written[proposal.line - 1], proposal
        if proposal.kind == "tie":
            assert proposal.record["span_line"] == proposal.line
    keys = [p.candidate for p in proposals]
    assert len(keys) == len(set(keys))


def test_keys_and_ids_are_stable_and_do_not_collide_across_sources() -> None:
    text = (CORPUS / "minato-slides.txt").read_text(encoding="utf-8")
    first = draft_document("minato", draft_proposals(SourceText("minato", text)))
    again = draft_document("minato", draft_proposals(SourceText("minato", text)))
    assert first == again
    keys = [c["candidate"] for c in first["candidates"]]
    assert len(keys) == len(set(keys)) and all(k.startswith("c-") for k in keys)
    assert record_id("Organization", "minato", "みなと市") == "org:minato-minatoshi"
    assert record_id("Organization", "other", "みなと市") == "org:other-minatoshi"
    ids = [c["record"]["id"] for c in first["candidates"] if c["proposal"] == "new_actor"]
    assert len(ids) == len(set(ids)) and all(":minato-" in i for i in ids)
    assert romanize("ハーバーセル") == "haabaaseru"


def test_a_table_row_is_an_actor_cited_by_row_and_column() -> None:
    text = (CORPUS / "coastal-companies.csv").read_text(encoding="utf-8")
    proposals = draft_table_proposals("coastal", parse_csv_text(text, "coastal.csv"))
    assert [(p.value, p.line) for p in proposals] == [
        ("株式会社青葉メディカル", 2),
        ("オルカバイオ株式会社", 3),
        ("有限会社しおかぜ食品", 4),
        ("（株）ハーバーセル", 5),
        ("北浜精機工業株式会社", 6),
    ]
    record = proposals[0].record
    assert record["span_line"] == 2 and record["span_columns"] == ["企業名", "所在地"]
    assert record["location_ja"] == "みなと市" and record["kind"] == "company"
    assert "span" not in record  # the loader fills a table citation's span from the cells


# -- rules from the blind documents' misses (yukimi, kaede, fujinami) --------------------------


def test_a_representative_and_a_list_aligned_by_spaces_are_seats() -> None:
    proposals = draft(
        "【推進組織】あさひ食品推進協議会\n　代表：あさひ県知事\n"
        "かえで評価委員会\n　　委員長　もみじ工科大学副学長\n　　委員　　かえで県医師会会長"
    )
    found = ties(proposals)
    assert ("MEMBER_OF", "あさひ県知事", "あさひ食品推進協議会", "chair") in found
    assert ("MEMBER_OF", "もみじ工科大学副学長", "かえで評価委員会", "chair") in found
    assert ("MEMBER_OF", "かえで県医師会会長", "かえで評価委員会", "member") in found


def test_a_box_heading_is_the_programme_its_lines_belong_to() -> None:
    proposals = draft(
        "【支援事業】ヘルスケア製品開発補助金（R7予算 36,000千円）\n"
        "　・実施主体：あさひ県\n　・対象：県内中小企業（補助率1/2）\n【成果】\n　・対象：県内企業"
    )
    found = ties(proposals)
    assert ("IMPLEMENTS", "あさひ県", "ヘルスケア製品開発補助金") in found
    assert ("SUPPORTS", "ヘルスケア製品開発補助金", "県内中小企業") in found
    # An empty box heading closes the programme: nothing below it is tied to it.
    assert ("SUPPORTS", "ヘルスケア製品開発補助金", "県内企業") not in found


def test_a_university_venture_with_no_university_named_is_the_one_university() -> None:
    text = (
        "構成員：あさひ医療大学、株式会社あさひ銀行\n"
        "大学発ベンチャー2社が誕生（メディノーツ、バイオクレスト）"
    )
    proposals = draft(text)
    assert ("VENTURE_OF", "メディノーツ", "あさひ医療大学") in ties(proposals)
    venture = next(p for p in proposals if p.kind == "tie" and p.value == "VENTURE_OF")
    assert venture.record["basis"] == "layout" and "only one" in venture.record["basis_reason"]
    # Two universities: which one is not written, so no tie.
    two = draft("あさひ医療大学とかえで工科大学\n" + text.split("\n")[1])
    assert not [p for p in two if p.kind == "tie" and p.value == "VENTURE_OF"]


def test_an_unknown_hiragana_name_before_an_organisation_word_stays_whole() -> None:
    # The analyser reads かえで as か|え|で and はしばみ as は|し|ばみ (particle, verb).
    mentions = find_mentions("　（3）かえで県農業試験場は、株式会社はしばみ銀行取締役と")
    assert [m.text for m in mentions] == ["かえで県農業試験場", "株式会社はしばみ銀行取締役"]
    assert find_mentions("また県農業試験場は")[0].text == "県農業試験場"
    # A post read longest first, and 協同組合 is no 同組合.
    (post,) = find_mentions("委員　ふじなみ農業協同組合代表理事組合長")
    assert post.parent is not None and post.parent.text == "ふじなみ農業協同組合"


def test_meetings_are_events_with_their_dates() -> None:
    proposals = draft(
        "第3回ふじなみ市食と健康産業振興会議　議事録\n日時：令和6年11月20日（水）\n"
        "場所：ふじなみ市役所本庁舎3階会議室\n　会長　ふじなみ市長\n"
        "令和6年度第2回評価委員会を令和7年2月に開催した。"
    )
    records = named(proposals)
    assert records["第3回ふじなみ市食と健康産業振興会議"]["label"] == "Event"
    assert records["令和6年度第2回評価委員会"]["label"] == "Event"
    assert records["ふじなみ市食と健康産業振興会議"]["label"] == "Body"
    assert not any("会議室" in name for name in records)  # 場所： is where, not who
    dates = {
        p.value: p.attach["node"] for p in proposals if p.kind == "date" and p.attach is not None
    }
    assert dates["2024-11-20"] == records["第3回ふじなみ市食と健康産業振興会議"]["id"]
    assert dates["2025-02"] == records["令和6年度第2回評価委員会"]["id"]
    assert ("MEMBER_OF", "ふじなみ市長", "ふじなみ市食と健康産業振興会議", "chair") in ties(
        proposals
    )


def test_a_tables_rows_under_its_unit_are_budget_lines_of_the_documents_programme() -> None:
    proposals = draft(
        "令和6年度 地域バイオ産業拠点形成事業 実施状況報告\n"
        "本事業は、かえで地方産業局が実施する補助事業である。\n"
        "別表1　拠点別交付額（単位：千円）\n　拠点名　　　　交付額\n"
        "　もみじ拠点　　　　40,000\n　いちょう拠点　　　32,000\n　合計　　　　　　　72,000"
    )
    found = ties(proposals)
    assert ("IMPLEMENTS", "かえで地方産業局", "地域バイオ産業拠点形成事業") in found
    assert ("BREAKDOWN_OF", "もみじ拠点", "地域バイオ産業拠点形成事業") in found
    breakdown = [p for p in proposals if p.kind == "tie" and p.value == "BREAKDOWN_OF"]
    assert all("add up to it (72000千円)" in p.record["basis_reason"] for p in breakdown)
    amounts = {p.value: p.attach for p in proposals if p.kind == "amount"}
    assert set(amounts) == {40000, 32000, 72000} and all(amounts.values())


def test_a_count_that_says_what_it_counts_is_a_figure() -> None:
    proposals = draft("あさひ県産業技術センター：県内企業への技術相談（年間120件）")
    records = named(proposals)
    figure = records["技術相談 120件"]
    assert figure["label"] == "Figure" and figure["metric"] == "技術相談"
    assert figure["value"] == 120 and figure["unit_ja"] == "件"
    assert ("MEASURES", "技術相談 120件", "あさひ県産業技術センター") in ties(proposals)
    (count,) = [p for p in proposals if p.kind == "count"]
    assert count.attach == {"node": figure["id"], "property": "value"}
    # The unit of another number is no metric: 予算総額：1,800万円（6件程度）.
    assert not [
        p
        for p in draft("予算総額：1,800万円（6件程度を採択予定）")
        if p.record.get("label") == "Figure"
    ]


def test_a_speakers_own_organisation_and_the_one_city() -> None:
    proposals = draft(
        "あさひ産業振興会議\n　会長　あさひ市長\n　副会長　あさひ大学学長\n"
        "　事務局　あさひ市産業振興部企業支援課\n"
        "○副会長　本学の食品栄養学部が、株式会社つくし食品と低塩食品の共同研究を進めており、"
        "今年度は市の補助を受けています。\n○事務局（企業支援課長）　ご説明します。"
    )
    found = ties(proposals)
    assert ("PART_OF", "食品栄養学部", "あさひ大学") in found
    assert ("PART_OF", "あさひ市産業振興部", "あさひ市") in found
    assert ("POSITION_IN", "企業支援課長", "あさひ市産業振興部企業支援課") in found
    assert "企業支援課" not in named(proposals)  # the short form of the longer name
    funds = [t for t in found if t[0] == "FUNDS"]
    assert len(funds) == 1 and funds[0][1] == "あさひ市"


# -- the corpus ------------------------------------------------------------------------------


def _benchmark() -> Any:
    spec = importlib.util.spec_from_file_location(
        "draft_benchmark", HERE.parent / "benchmarks" / "draft_benchmark.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("analyser_name", ["sudachi", "fugashi"])
def test_the_corpus_meets_the_targets(analyser_name: str) -> None:
    benchmark = _benchmark()
    for path in benchmark.gold_files():
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        proposals, lines = benchmark.run_draft(gold, analyser_name)
        result = benchmark.score(gold, proposals, lines)
        if gold["document"] in NEVER_TUNED:
            continue  # never tuned on: its own test says what it really gives
        assert result["fragments"] == [], path.name
        assert result["bad_spans"] == [], path.name
        found, total, right, proposed = result["actors"]
        assert found / total >= 0.9, (path.name, result["actors"])
        assert right / proposed >= 0.85, (path.name, result["actors"])
        if result["ties"][1]:
            assert result["ties"][0] / result["ties"][1] >= 0.8, (path.name, result["ties"])


# Written blind and never tuned on: the honest estimate of the reader on a new document.
# (shirakaba-joint-release and hagino-call-for-proposals were this before round 2's last
# rules, at 2/13 and 2/10 ties; their first runs are in BENCHMARKS.md.)
NEVER_TUNED = {
    # document: (actors found, actors, ties found, ties, numbers)
    "tokiwa-centre-opening.txt": (7, 8, 1, 8, 5),
}


@pytest.mark.parametrize("document", sorted(NEVER_TUNED))
def test_the_never_tuned_documents_as_they_really_are(document: str) -> None:
    """The never-tuned news page does NOT meet the tie target (1/8, far below 80%) nor the
    actor target (7/8 = 88% < 90%); BENCHMARKS.md says so. What holds is asserted: actor
    precision >= 85%, every number, no fragment, every span verbatim; and the figures
    themselves, so that a change to them is seen."""
    benchmark = _benchmark()
    gold_file = CORPUS / document.replace(".txt", ".gold.yaml")
    gold = yaml.safe_load(gold_file.read_text("utf-8"))
    assert gold["held_out"] is True
    proposals, lines = benchmark.run_draft(gold, "sudachi")
    result = benchmark.score(gold, proposals, lines)
    actors_found, actors, ties_found, ties_total, numbers = NEVER_TUNED[document]
    assert result["actors"][:2] == (actors_found, actors)
    assert result["actors"][2] / result["actors"][3] >= 0.85
    assert result["ties"][:2] == (ties_found, ties_total)
    assert result["numbers"][:2] == (numbers, numbers)
    assert result["fragments"] == [] and result["bad_spans"] == []


def test_the_drafts_keep_the_contract_with_accept() -> None:
    """What `biocluster accept` relies on: every candidate has a unique key and a span at
    its line; every record's span is at its span_line; every tie's ends and every attached
    number's node are workspace ids or records of the same draft, with labels the schema
    allows for the tie's type."""
    from biocluster_kg.kernel.schema import SCHEMA

    benchmark = _benchmark()
    for path in benchmark.gold_files():
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        proposals, lines = benchmark.run_draft(gold, "sudachi")
        document = draft_document(gold["source_id"], proposals)
        keys = [c["candidate"] for c in document["candidates"]]
        assert len(keys) == len(set(keys)), path.name
        labels = {a["id"]: a["label"] for a in gold.get("workspace") or []}
        for candidate in document["candidates"]:
            record = candidate.get("record") or {}
            if candidate["proposal"] in ("new_actor", "group"):
                labels[record["id"]] = record["label"]
                assert record["id"].startswith(
                    f"{SCHEMA.node(record['label']).id_prefix}:{gold['source_id']}-"
                )
                assert record["name_en"] == "" and record["basis"] == "stated"
                if "span" in record:
                    assert record["span"] in lines[record["span_line"] - 1], record
            elif candidate["proposal"] == "known_actor":
                assert "record" not in candidate
        for candidate in document["candidates"]:
            record = candidate.get("record") or {}
            if candidate["proposal"] == "tie":
                pair = (labels[record["from"]], labels[record["to"]])
                assert pair in SCHEMA.relationship(record["type"]).endpoints, record
                assert record["span"] in lines[record["span_line"] - 1], record
                assert record["basis"] in ("stated", "layout")
                assert (record["basis"] == "layout") == bool(record.get("basis_reason"))
            if candidate.get("attach"):
                node = candidate["attach"]["node"]
                names = {p.name for p in SCHEMA.node(labels[node]).properties}
                assert candidate["attach"]["property"] in names, candidate


def test_the_held_out_document_is_read_whole() -> None:
    # The bar on a document never tuned on: actors, ties, the budget lines under
    # their total, no fragment, every number found.
    benchmark = _benchmark()
    gold = yaml.safe_load((CORPUS / "kitahama-council-minutes.gold.yaml").read_text("utf-8"))
    assert gold["held_out"] is True
    proposals, lines = benchmark.run_draft(gold, "sudachi")
    result = benchmark.score(gold, proposals, lines)
    assert result["actors"][:2] == (18, 18)
    assert result["ties"][0] >= 20 and result["ties"][1] == 24
    assert result["numbers"][:2] == (7, 7)
    breakdown = [p for p in proposals if p.kind == "tie" and p.value == "BREAKDOWN_OF"]
    assert len(breakdown) == 3
    assert all("add up to it" in p.record["basis_reason"] for p in breakdown)


_ALPHABET = st.sampled_from(
    list("株式会社大学研究所センター市県長会議委員：:、。（）()「」・ー同社から誕生との共同研究")
    + list("みなとあさひ0123456789年度月日千万億円名社件ＡＢＣabc \t　①②-～")
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=40), min_size=1, max_size=5))
def test_any_text_drafts_without_failing_and_with_real_spans(lines: list[str]) -> None:
    text = "\n".join(lines)
    written = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for proposal in draft(text):
        assert proposal.span in written[proposal.line - 1], proposal
        if proposal.kind in ("new_actor", "group"):
            assert proposal.record["id"].split(":", 1)[1].startswith("t-")


def test_a_workbook_row_names_its_sheet() -> None:
    sheets = {"企業": [["名称", "所在地"], ["株式会社ソラテック", "みなと市"]], "メモ": [["備考"]]}
    (proposal,) = draft_table_proposals("book", sheets)
    assert proposal.record["span_sheet"] == "企業"
    assert proposal.record["span_columns"] == ["名称", "所在地"]
    known = draft_table_proposals("book", sheets, {"株式会社ソラ・テック": "org:soratec"})
    assert [(p.kind, p.value) for p in known] == [("known_actor", "org:soratec")]


# -- through the command line ------------------------------------------------------------------


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments), catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "shinonome"
    assert invoke("init", str(folder), "--title-ja", "東雲", "--title-en", "S").exit_code == 0
    for file, source_id in (
        (FICTIONAL / "shinonome-cluster-fy2025.txt", "shinonome-fy2025"),
        (FICTIONAL / "shinonome-companies.csv", "shinonome-companies"),
    ):
        result = invoke("source", "add", str(file), "--data", str(folder), "--id", source_id)
        assert result.exit_code == 0, result.output
    return folder


def _candidates(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["candidates"]


def test_a_rerun_after_an_accept_proposes_only_what_is_missing(
    workspace: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.yaml"
    assert (
        invoke("draft", "shinonome-fy2025", "--data", str(workspace), "-o", str(first)).exit_code
        == 0
    )
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    accepted = {"東雲県", "東雲県知事", "東雲県バイオものづくり推進協議会", "株式会社シーバイオ"}
    # The group too: the figures file does not carry its count (3社), the group does.
    accepted.add("東雲県内企業3社")
    for candidate in data["candidates"]:
        if candidate["proposal"] in ("new_actor", "group") and candidate["value"] in accepted:
            candidate["accept"] = True
            candidate["record"]["name_en"] = "accepted " + candidate["record"]["id"]
    first.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(FICTIONAL / "kb" / "shinonome-figures.yaml", workspace / "kb")
    result = invoke("accept", str(first), "--data", str(workspace), "--name", "actors")
    assert result.exit_code == 0, result.output
    second = tmp_path / "second.yaml"
    assert (
        invoke("draft", "shinonome-fy2025", "--data", str(workspace), "-o", str(second)).exit_code
        == 0
    )
    candidates = _candidates(second)
    values = {c["value"] for c in candidates if c["proposal"] in ("new_actor", "known_actor")}
    assert not accepted & values  # carried from this source: not proposed again
    assert "鴎浜市長" in values  # not accepted: still proposed
    amounts = {c["value"] for c in candidates if c["proposal"] == "amount"}
    assert not {52400, 400, 12000, 40000} & amounts  # the figures file carries them
    # The tie between two accepted actors is still missing, and its ends are their ids now.
    chair = [
        c
        for c in candidates
        if c["proposal"] == "tie" and c["value"] == "MEMBER_OF" and c["record"]["role"] == "chair"
    ]
    assert [c["record"]["to"] for c in chair] == [
        next(c["record"]["id"] for c in data["candidates"] if c["value"] == accepted_council)
        for accepted_council in ["東雲県バイオものづくり推進協議会"]
    ]
    keys_first = {c["candidate"] for c in _candidates(first)}
    unchanged = [c for c in candidates if c["proposal"] != "tie"]
    assert {c["candidate"] for c in unchanged} <= keys_first  # the same keys on a rerun
    # A tie to what the workspace now holds ends at the workspace's id: the figures file's
    # project is the joint research the text names, not a new one.
    joined = {c["record"]["to"] for c in candidates if c["value"] == "PARTICIPATES_IN"}
    assert "proj:shinonome-institute-joint-research" in joined


def test_a_table_source_is_drafted_through_the_command_line(
    workspace: Path, tmp_path: Path
) -> None:
    output = tmp_path / "table.yaml"
    result = invoke("draft", "shinonome-companies", "--data", str(workspace), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert f"wrote 3 candidates to {output} (3 new_actor)" in result.output
    rows = {c["value"]: c for c in _candidates(output)}
    assert rows["鴎浜マリンテック株式会社"]["line"] == 3
    assert rows["鴎浜マリンテック株式会社"]["record"]["span_columns"] == ["企業名", "所在地"]


def test_an_unknown_analyser_is_refused(workspace: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["draft", "shinonome-fy2025", "--data", str(workspace), "-o", str(tmp_path / "d.yaml"),
         "--analyser", "ginza"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'ginza' is not one of 'sudachi', 'fugashi'" in result.output
    assert not (tmp_path / "d.yaml").exists()
