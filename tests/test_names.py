"""The one name layer (biocluster_kg.kernel.names): folding, ranked look-ups and resolution,
on a hand-made knowledge base and on the shipped one, through the page and the stakeholder
export that use it."""

from __future__ import annotations

import pytest

from biocluster_kg.graph.exports.stakeholders import StakeholderFilter, stakeholder_rows
from biocluster_kg.graph.page import render_network_page
from biocluster_kg.graph.page import resolve_actor as page_resolve
from biocluster_kg.kernel.errors import (
    AmbiguousNameError,
    BioclusterError,
    ExportError,
    NameLookupError,
    RenderError,
    UnknownNameError,
)
from biocluster_kg.kernel.model import KnowledgeBase, Node
from biocluster_kg.kernel.names import (
    NAKAGURO,
    find_actors,
    fold_name,
    name_key,
    nodes_called,
    resolve_actor,
)


def small_kb() -> KnowledgeBase:
    kb = KnowledgeBase()
    for node_id, label, ja, en, aliases in (
        (
            "org:iab",
            "Organization",
            "慶應義塾大学先端生命科学研究所",
            "Keio University Institute for Advanced Biosciences",
            ["慶應先端研", "IAB"],
        ),
        ("org:keio", "Organization", "慶應義塾大学", "Keio University", []),
        (
            "org:hmt",
            "Organization",
            "ヒューマン・メタボローム・テクノロジーズ",
            "HMT",
            ["ＨＭＴ社"],
        ),
        ("org:spiber", "Organization", "スパイバー", "Spiber Inc.", ["ｽﾊﾟｲﾊﾞｰ"]),
        ("body:council", "Body", "推進会議", "Promotion Council", ["会議"]),
        ("body:committee", "Body", "連携促進・成果活用委員会", "Committee", ["会議"]),
    ):
        kb.add_node(Node(node_id, label, {"name_ja": ja, "name_en": en, "aliases": aliases}))
    return kb


# --- folding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ＫＥＩＯ　ＵＮＩＶＥＲＳＩＴＹ", "Keio University"),  # full width, ideographic space
        ("keio university", "KeioUniversity"),  # case and spaces
        ("ｽﾊﾟｲﾊﾞｰ", "スパイバー"),  # half-width katakana with voicing marks
        ("ヒューマン･メタボローム", "ヒューマン・メタボローム"),  # half-width nakaguro
        ("ヒューマン·メタボローム", "ヒューマンメタボローム"),  # Latin middle dot, and none
        (" 連携促進 ・ 成果活用委員会 ", "連携促進・成果活用委員会"),
    ],
)
def test_fold_name_makes_the_ways_people_type_a_name_one(typed: str, written: str) -> None:
    assert fold_name(typed) == fold_name(written)


def test_fold_name_keeps_what_tells_names_apart() -> None:
    assert fold_name("山形大学") != fold_name("山形大学農学部")
    assert fold_name("(公財)庄内") == "(公財)庄内"
    assert not set(NAKAGURO) & set(fold_name("A・B·C‧D•E"))


def test_the_stored_key_keeps_inner_spaces_and_dots() -> None:
    # The stores match name_keys by equality: changing this form would need a reload.
    assert name_key(" Keio  IAB ") == "keio  iab"
    assert name_key("連携促進・成果活用") == "連携促進・成果活用"


# --- ranked look-ups -------------------------------------------------------------------------


def test_find_actors_ranks_id_exact_prefix_substring_then_close() -> None:
    kb = small_kb()
    assert [(m.id, m.how) for m in find_actors(kb, "ＯＲＧ:ＩＡＢ")][:1] == [("org:iab", "id")]
    assert [(m.id, m.how) for m in find_actors(kb, "iab")][:1] == [("org:iab", "exact")]
    found = [(m.id, m.how) for m in find_actors(kb, "慶應義塾大学")]
    assert found == [("org:keio", "exact"), ("org:iab", "prefix")]
    assert [(m.id, m.how) for m in find_actors(kb, "メタボローム")] == [("org:hmt", "substring")]
    close = find_actors(kb, "慶応先端研")  # 応 for 應, as people often type it
    assert [(m.id, m.how, m.matched) for m in close] == [("org:iab", "close", "慶應先端研")]
    assert 0.6 <= close[0].score < 1.0


def test_find_actors_says_which_name_matched_and_keeps_each_node_once() -> None:
    kb = small_kb()
    matches = find_actors(kb, "keio")
    assert [m.id for m in matches] == ["org:keio", "org:iab"]
    assert matches[0].matched == "Keio University" and matches[0].name == "慶應義塾大学"
    assert find_actors(kb, "ＨＭＴ社")[0].matched == "ＨＭＴ社"


def test_find_actors_limit_labels_and_empty_text() -> None:
    kb = small_kb()
    assert [m.id for m in find_actors(kb, "会議", labels=["Body"])] == [
        "body:committee",
        "body:council",
    ]
    assert find_actors(kb, "会議", labels=["Organization"]) == []
    assert len(find_actors(kb, "慶應", limit=1)) == 1
    assert find_actors(kb, " ・ ") == [] and find_actors(kb, "") == []


# --- resolution ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("org:iab", "org:iab"),
        ("慶應先端研", "org:iab"),
        ("Keio University Institute for Advanced Biosciences", "org:iab"),
        ("ｉａｂ", "org:iab"),
        ("ヒューマンメタボロームテクノロジーズ", "org:hmt"),
        ("ヒューマン･メタボローム･テクノロジーズ", "org:hmt"),
        ("hmt社", "org:hmt"),
        ("スパイバー", "org:spiber"),
        ("spiber inc.", "org:spiber"),
        ("promotion  council", "body:council"),
    ],
)
def test_resolve_actor_by_id_japanese_english_alias_width_and_nakaguro(
    text: str, expected: str
) -> None:
    assert resolve_actor(small_kb(), text) == expected


def test_an_unknown_name_is_quoted_with_the_closest_actors() -> None:
    with pytest.raises(UnknownNameError) as caught:
        resolve_actor(small_kb(), "慶応先端研")
    assert str(caught.value) == (
        "no node is called '慶応先端研' (by id, name or alias); "
        "did you mean 慶應義塾大学先端生命科学研究所 (org:iab)?"
    )
    assert caught.value.name == "慶応先端研" and caught.value.candidates == ("org:iab",)
    with pytest.raises(
        UnknownNameError, match=r"^no node is called '東北大学' \(by id, name or alias\)$"
    ):
        resolve_actor(small_kb(), "東北大学")


def test_an_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        resolve_actor(small_kb(), "会議")
    assert str(caught.value) == (
        "'会議' names 2 nodes (body:committee, body:council); give an id instead"
    )
    assert caught.value.candidates == ("body:committee", "body:council")
    # An exact id is never ambiguous, and labels narrow the candidates.
    assert resolve_actor(small_kb(), "body:council") == "body:council"


def test_labels_narrow_resolution_and_name_the_label_in_the_error() -> None:
    kb = small_kb()
    with pytest.raises(UnknownNameError, match="^no Body is called '慶應先端研'"):
        resolve_actor(kb, "慶應先端研", labels=["Body"])
    assert resolve_actor(kb, "推進会議", labels=["Body"]) == "body:council"


def test_an_empty_name_is_an_error() -> None:
    with pytest.raises(UnknownNameError, match="an empty name was given"):
        resolve_actor(small_kb(), " 　・ ")


def test_the_name_errors_are_project_errors() -> None:
    assert issubclass(UnknownNameError, NameLookupError)
    assert issubclass(AmbiguousNameError, NameLookupError)
    assert issubclass(NameLookupError, BioclusterError)


def test_nodes_called_is_the_exact_rung_of_resolution() -> None:
    kb = small_kb()
    assert nodes_called(kb, "会議") == ["body:committee", "body:council"]
    assert nodes_called(kb, "慶應") == []


# --- on the shipped data, through the page and the stakeholder export -------------------------


def test_shipped_names_resolve_and_suggest(shipped_kb: KnowledgeBase) -> None:
    assert resolve_actor(shipped_kb, "庄内産振センター") == "org:shonai-center"
    assert resolve_actor(shipped_kb, "連携促進 成果活用委員会") == "body:collaboration-committee"
    with pytest.raises(UnknownNameError) as caught:
        resolve_actor(shipped_kb, "山形大")
    assert "did you mean 山形大学 (org:yamagata-university)" in str(caught.value)
    assert find_actors(shipped_kb, "山形大", limit=None)[0].id == "org:yamagata-university"


def test_the_page_and_the_export_share_the_layer_and_keep_their_own_errors(
    shipped_kb: KnowledgeBase,
) -> None:
    with pytest.raises(RenderError, match="did you mean 山形大学 \\(org:yamagata-university\\)"):
        render_network_page(shipped_kb, around="山形大")
    assert page_resolve(shipped_kb, "ｽﾊﾟｲﾊﾞｰ") == resolve_actor(shipped_kb, "ｽﾊﾟｲﾊﾞｰ")
    with pytest.raises(ExportError, match="did you mean 山形大学 \\(org:yamagata-university\\)"):
        stakeholder_rows(shipped_kb, StakeholderFilter(tied_to="山形大"))
    with pytest.raises(ExportError, match="'専任職員' names 2 nodes"):
        stakeholder_rows(shipped_kb, StakeholderFilter(tied_to="専任職員"))
    tied = stakeholder_rows(shipped_kb, StakeholderFilter(tied_to="連携促進･成果活用委員会"))
    assert tied and all(row["id"] != "body:collaboration-committee" for row in tied)
