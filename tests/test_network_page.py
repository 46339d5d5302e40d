"""The network page's HTML, data and options, without a browser (see
test_network_page_browser.py for the page running in Chromium)."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from network_page_fixtures import HOSTILE_IMG, HOSTILE_SCRIPT, sample_kb

from biocluster_kg.app.session import Session
from biocluster_kg.cli import cli
from biocluster_kg.graph.page import (
    render_network_page,
    resolve_actor,
    select_subgraph,
    write_network_page,
)
from biocluster_kg.kernel.cluster import ClusterProfile
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.names import fold_name
from biocluster_kg.kernel.schema import SCHEMA, SECTOR_STYLE


class _TagCounter(HTMLParser):
    """Start tags as a browser's parser sees them (script text is not markup)."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1


DATA_BLOCK = re.compile(
    r'<script type="application/json" id="biocluster-data">(.*?)</script>', re.S
)


def page_data(page: str) -> dict[str, Any]:
    match = DATA_BLOCK.search(page)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def nodes_by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in data["nodes"]}


def rows(item: dict[str, Any]) -> dict[str, str]:
    return dict(item.get("rows", []))


@pytest.fixture(scope="module")
def sample_page() -> str:
    return render_network_page(sample_kb())


# --- one self-contained, offline file -----------------------------------------------------


def test_page_links_nothing_outside_itself(shipped_kb: KnowledgeBase) -> None:
    page = render_network_page(shipped_kb)
    external = re.findall(
        r"""(?:\bsrc\s*=|\bhref\s*=|url\()\s*["']?\s*(?:https?:)?//""", page, re.I
    )
    assert external == []
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert re.search(r"<script[^>]*\bsrc\s*=", page, re.I) is None
    for library in ("bootstrap", "tom-select", "cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert library not in page
    assert '<meta charset="utf-8">' in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src &#39;none&#39;" in csp.group(1)


def test_page_inlines_vis_network_from_the_pyvis_wheel(sample_page: str) -> None:
    import pyvis

    shipped = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    script = shipped.read_text(encoding="utf-8")
    assert script in sample_page
    # The data block, vis-network, the page's own script; no other element loads anything.
    tags = _TagCounter(sample_page).tags
    assert tags["script"] == 3
    assert tags["link"] == tags["iframe"] == tags["img"] == tags["object"] == 0


def test_page_data_holds_exactly_the_graph(shipped_kb: KnowledgeBase) -> None:
    data = page_data(render_network_page(shipped_kb))
    assert data["mode"] == "full"
    assert sorted(node["id"] for node in data["nodes"]) == sorted(shipped_kb.nodes)
    facts = [edge for edge in data["edges"] if not edge.get("derived")]
    assert sorted(edge["id"] for edge in facts) == sorted(shipped_kb.relationships)
    for edge in facts:
        rel = shipped_kb.relationships[edge["id"]]
        assert (edge["from"], edge["to"], edge["type"]) == (rel.start, rel.end, rel.type)


def test_markup_in_data_never_reaches_the_html_as_markup() -> None:
    page = render_network_page(sample_kb(hostile=True))
    assert HOSTILE_IMG not in page
    assert HOSTILE_SCRIPT not in page
    tags = _TagCounter(page).tags
    assert tags["script"] == 3
    assert tags["img"] == 0
    nodes = nodes_by_id(page_data(page))
    assert nodes["org:hostile-0"]["label"] == HOSTILE_IMG
    assert nodes["org:hostile-1"]["heading"] == HOSTILE_SCRIPT  # the label is cut short
    # An English note is pointed to on the Japanese page (issue 15) and shown, as text, on
    # the English one.
    assert (
        rows(nodes["org:hostile-1"])["注記"] == "英文の注記あり（英語版のページ --lang en に表示）"
    )
    english = nodes_by_id(page_data(render_network_page(sample_kb(hostile=True), lang="en")))
    assert rows(english["org:hostile-1"])["Note"] == HOSTILE_SCRIPT


def test_markup_in_a_source_title_is_escaped_in_the_footer() -> None:
    kb = sample_kb()
    source = next(iter(kb.sources.values()))
    kb.sources[source.id] = type(source)(source.id, source.path, HOSTILE_IMG, "")
    page = render_network_page(kb)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert _TagCounter(page).tags["img"] == 0


# --- encoding: colour, shape, size, edge style ---------------------------------------------


def test_colour_by_sector_and_shape_by_label(sample_page: str) -> None:
    data = page_data(sample_page)
    groups = data["options"]["groups"]
    nodes = nodes_by_id(data)
    iab = nodes["org:iab"]
    assert groups[iab["group"]]["color"]["background"] == SECTOR_STYLE["academia"]["color"]
    assert iab["shape"] == groups[iab["group"]]["shape"] == SCHEMA.node("Organization").shape
    assert nodes["body:promotion-council"]["shape"] == "box"
    assert nodes["group:local-companies"]["shape"] == "diamond"
    # A position takes the sector of the organisation it is a post in.
    governor = nodes["pos:governor"]
    assert governor["sector"] == "government"
    assert groups[governor["group"]]["color"]["background"] == SECTOR_STYLE["government"]["color"]
    assert nodes["prog:fy2013-budget"]["sector"] == "none"


def test_size_follows_the_brokerage_score() -> None:
    nodes = nodes_by_id(page_data(render_network_page(sample_kb())))
    # bridge_score: org:iab 0.62 (the top), org:spiber 0.05, the city 0.18, none on the rest.
    assert nodes["org:iab"]["value"] == 10.0
    assert nodes["org:iab"]["value"] > nodes["org:tsuruoka-city"]["value"]
    assert nodes["org:tsuruoka-city"]["value"] > nodes["org:spiber"]["value"]
    assert nodes["org:spiber"]["value"] > nodes["org:yamagata-university"]["value"] == 1.0

    measured = page_data(render_network_page(sample_kb(), measures={"org:hmt": 2.0}))
    sized = nodes_by_id(measured)
    assert sized["org:hmt"]["value"] == 10.0
    assert sized["org:iab"]["value"] == 1.0


def test_betweenness_sizes_the_nodes_before_bridge_score() -> None:
    kb = sample_kb()
    kb.nodes["org:hmt"].properties["betweenness"] = 0.5
    page = render_network_page(kb)
    nodes = nodes_by_id(page_data(page))
    assert nodes["org:hmt"]["value"] == 10.0
    assert nodes["org:iab"]["value"] == 1.0
    # Changed with issue 13: the Japanese page names the measure by the schema's title
    # (媒介中心性), not by its English property name (was "betweenness").
    assert "仲介度（媒介中心性）が大きいほど大きく表示" in page
    assert rows(nodes["org:hmt"])["仲介度"] == "媒介中心性 0.500"


def test_viz_sizes_the_shipped_graph_by_the_brokerage_analysis(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    written = Session().write_page(tmp_path / "network.html", kb=shipped_kb)
    page = written.read_text(encoding="utf-8")
    nodes = nodes_by_id(page_data(page))
    assert max(nodes.values(), key=lambda node: node["value"])["id"] == "org:iab"
    # Changed with issue 13: the measure's Japanese title (was its property name).
    assert "媒介中心性" in rows(nodes["org:iab"])["仲介度"]
    assert all(node.get("betweenness") is None for node in shipped_kb.nodes.values())


def test_viz_draws_a_graph_the_analysis_does_not_apply_to(tmp_path: Path) -> None:
    kb = sample_kb()
    del kb.nodes["org:iab"]
    kb.relationships = {
        rel_id: rel
        for rel_id, rel in kb.relationships.items()
        if "org:iab" not in (rel.start, rel.end)
    }
    for node in kb.nodes.values():
        node.properties.pop("bridge_score", None)
    page = Session().write_page(tmp_path / "network.html", kb=kb).read_text(encoding="utf-8")
    assert {node["value"] for node in page_data(page)["nodes"]} == {1.0}


def test_measures_that_are_not_finite_numbers_are_ignored() -> None:
    measures = {"org:iab": float("nan"), "org:hmt": 1.0, "org:spiber": True}
    nodes = nodes_by_id(page_data(render_network_page(sample_kb(), measures=measures)))
    assert nodes["org:iab"]["value"] == nodes["org:spiber"]["value"] == 1.0
    assert nodes["org:hmt"]["value"] == 10.0


def test_nodes_are_one_size_without_measures() -> None:
    kb = sample_kb()
    for node in kb.nodes.values():
        node.properties.pop("bridge_score", None)
    page = render_network_page(kb)
    assert {node["value"] for node in page_data(page)["nodes"]} == {1.0}
    assert "仲介度の計算結果がないため同じ大きさ" in page


def test_edge_style_and_label_by_relationship_type(sample_page: str) -> None:
    styles = page_data(sample_page)["edgeStyles"]
    member_of = SCHEMA.relationship("MEMBER_OF")
    assert styles["MEMBER_OF"]["color"]["color"] == member_of.color
    assert styles["MEMBER_OF"]["label"] == member_of.label_ja
    assert styles["SUPPORTS"]["dashes"] is True
    assert styles["PART_OF"]["dashes"] is False


def test_legend_lists_sectors_shapes_and_types_present(sample_page: str) -> None:
    sidebar = sample_page.split('<main id="stage">')[0]
    for text in ("大学・研究機関", "金融", "構成員", "支援対象", "会議体・組織体", "匿名の集団"):
        assert text in sidebar
    # Nothing in the sample is GUIDES or BREAKDOWN_OF: they stay out of the legend.
    assert 'data-type="GUIDES"' not in sidebar
    assert 'data-type="MEMBER_OF"' in sidebar


# --- tooltips ----------------------------------------------------------------------------


def test_tooltip_rows_carry_roles_amounts_years_and_the_source(sample_page: str) -> None:
    data = page_data(sample_page)
    nodes = nodes_by_id(data)
    governor = rows(nodes["pos:governor"])
    assert governor["役職・役割"].splitlines() == [
        "所属: 山形県",
        "山形県バイオクラスター形成推進会議 — 会長",
    ]
    prefecture = rows(nodes["org:yamagata-prefecture"])
    assert "役職: 山形県知事" in prefecture["役職・役割"]
    budget = nodes["prog:fy2013-budget"]
    assert rows(budget)["金額"] == "380,067千円"
    assert rows(budget)["年度"] == "平成25年度（2013年度）"
    assert budget["sub"] == "FY2013 bio cluster budget"
    assert (
        data["sources"][budget["src"][0]]
        == "山形県におけるバイオクラスター形成に向けた取組みについて"
    )
    assert budget["src"][1:] == [16, "平成25年度バイオクラスター関連予算"]
    promotion = rows(nodes["prog:fy2012-promotion"])
    assert promotion["金額"] == "30,000千円\n2,000千円（1件あたり）× 5件"
    project = rows(nodes["proj:joint-metabolome"])
    assert project["年度"] == "平成23年度（2011年度）〜 [H23～]"
    assert rows(nodes["group:local-companies"])["数"] == "5社"
    edge = next(e for e in data["edges"] if e["id"] == "rel:governor-chair")
    assert rows(edge) == {"役割": "会長"}


def test_english_page_switches_labels_legend_and_rows() -> None:
    page = render_network_page(sample_kb(), lang="en")
    data = page_data(page)
    nodes = nodes_by_id(data)
    assert '<html lang="en">' in page
    assert nodes["org:tsuruoka-city"]["label"] == "Tsuruoka City"
    assert nodes["org:tsuruoka-city"]["sub"] == "鶴岡市"
    assert rows(nodes["prog:fy2013-budget"])["Amount"] == "380,067 thousand yen (千円)"
    assert data["edgeStyles"]["MEMBER_OF"]["label"] == "member of"
    assert "Sector (colour)" in page and "セクター（色）" not in page


def test_cards_name_kinds_roles_measures_and_terms_from_the_schema(
    shipped_kb: KnowledgeBase, shipped_profile: ClusterProfile
) -> None:
    from biocluster_kg.graph.brokerage import write_measures

    measured = write_measures(shipped_kb, profile=shipped_profile)
    ja = nodes_by_id(page_data(render_network_page(measured)))
    en = nodes_by_id(page_data(render_network_page(measured, lang="en")))
    # A support organisation, a research plan: the kind in the card's language, not its code.
    support = next(
        node.id for node in shipped_kb.nodes.values() if node.get("kind") == "support_organization"
    )
    assert rows(ja[support])["種類"] == "組織 · 支援機関"
    assert rows(en[support])["Kind"] == "Organisation · support organisation"
    # The institute's measures and brokerage roles by their Japanese titles and terms.
    measures = rows(ja["org:iab"])["仲介度"]
    for title in ("媒介中心性", "企業と研究所の橋渡し度", "つながりの数", "制約度（Burt）"):
        assert title in measures
    assert "連絡役（異なる集団の間）" in measures
    for english in ("betweenness", "bridge_score", "degree", "constraint", "liaison"):
        assert english not in measures
    assert "betweenness" in rows(en["org:iab"])["Brokerage"]
    # A status code is shown by its vocabulary name.
    statuses = {rows(node).get("状況") for node in ja.values()} - {None}
    assert statuses and statuses <= {term.ja for term in SCHEMA.property_terms("status")}


def test_a_role_without_its_source_wording_is_named_by_the_vocabulary() -> None:
    kb = sample_kb()
    seat = next(r for r in kb.relationships.values() if r.get("role") == "vice_chair")
    seat.properties.pop("role_ja", None)
    ja = page_data(render_network_page(kb))
    en = page_data(render_network_page(kb, lang="en"))
    edge_ja = next(e for e in ja["edges"] if e["id"] == seat.id)
    edge_en = next(e for e in en["edges"] if e["id"] == seat.id)
    vice_chair = SCHEMA.term_name("role", "vice_chair", "ja")
    assert rows(edge_ja)["役割"] == vice_chair == "副会長・副委員長"  # both bodies' words
    assert rows(edge_en)["Role"] == "vice-chair"


def test_the_title_comes_from_the_cluster_profile() -> None:
    from biocluster_kg.kernel.cluster import ClusterProfile

    profile = ClusterProfile(title_ja="庄内<i>クラスター</i>", title_en="Shonai Cluster")
    page = render_network_page(sample_kb(), profile=profile)
    assert "<title>庄内&lt;i&gt;クラスター&lt;/i&gt; 連携ネットワーク</title>" in page
    assert "山形" not in page.split("<body")[0]
    english = render_network_page(sample_kb(), lang="en", profile=profile)
    assert "<h1>Shonai Cluster: collaboration network</h1>" in english
    # Without a profile no cluster is named: never the shipped workspace's (the session
    # passes its own, tests/test_second_cluster.py).
    unnamed = render_network_page(sample_kb())
    assert "<title>クラスター 連携ネットワーク</title>" in unnamed
    assert "山形バイオクラスター" not in unnamed


def test_long_names_are_cut_on_the_canvas_but_whole_in_cards() -> None:
    kb = sample_kb()
    name = "山形県バイオクラスター形成推進会議における連携促進と成果活用に関する検討"
    kb.nodes["body:promotion-council"].properties["name_ja"] = name
    node = nodes_by_id(page_data(render_network_page(kb)))["body:promotion-council"]
    assert node["label"].endswith("…") and len(node["label"]) < len(name)
    assert node["heading"] == name


# --- which part of the graph ---------------------------------------------------------------


def test_ego_view_keeps_the_neighbourhood_of_a_name_or_alias() -> None:
    kb = sample_kb()
    one = select_subgraph(kb, around="慶應先端研", depth=1)
    assert one.center == "org:iab"
    assert one.nodes == {
        "org:iab",
        "body:promotion-council",
        "body:collaboration-committee",
        "proj:joint-metabolome",
        "org:spiber",
        "org:hmt",
        "event:summit",
        "fig:research-assistants",
    }
    assert all(
        {kb.relationships[r].start, kb.relationships[r].end} <= one.nodes for r in one.relationships
    )
    two = select_subgraph(
        kb, around="ｋｅｉｏ university institute for advanced biosciences", depth=2
    )
    assert one.nodes < two.nodes
    assert "pos:governor" in two.nodes and "org:yamagata-prefecture" not in two.nodes
    assert select_subgraph(kb, around="org:iab", depth=0).nodes == {"org:iab"}


def test_ego_page_says_whom_it_is_centred_on() -> None:
    page = render_network_page(sample_kb(), around="先端研", depth=1)
    assert "中心: 慶應義塾大学先端生命科学研究所（1 ステップ以内）" in page
    assert "ノード 8 ・ 関係 7（全体 21 ノード ・ 24 関係のうち）" in page
    assert nodes_by_id(page_data(page))["org:iab"]["borderWidth"] == 4


def test_unknown_or_ambiguous_names_are_errors_that_name_them() -> None:
    kb = sample_kb()
    with pytest.raises(RenderError, match="no node is called '東北大学'"):
        render_network_page(kb, around="東北大学")
    kb.nodes["org:hmt"].properties["aliases"] = ["先端研"]
    with pytest.raises(RenderError, match="'先端研' names 2 nodes \\(org:hmt, org:iab\\)"):
        resolve_actor(kb, "先端研")
    assert resolve_actor(kb, "org:hmt") == "org:hmt"


def test_bad_options_are_render_errors() -> None:
    kb = sample_kb()
    with pytest.raises(RenderError, match="unknown sector 'biotech'"):
        render_network_page(kb, sectors=["biotech"])
    with pytest.raises(RenderError, match="unknown relationship type 'KNOWS'"):
        render_network_page(kb, types=["KNOWS"])
    with pytest.raises(RenderError, match="depth must be"):
        render_network_page(kb, around="先端研", depth=-1)
    with pytest.raises(RenderError, match="unknown language 'fr'"):
        render_network_page(kb, lang="fr")
    with pytest.raises(RenderError, match="unknown view 'huge'"):
        render_network_page(kb, view="huge")  # type: ignore[arg-type]


def test_sector_filter_keeps_sector_less_neighbours() -> None:
    kb = sample_kb()
    industry = select_subgraph(kb, sectors=["industry"])
    assert industry.nodes == {
        "org:spiber",
        "org:hmt",
        "group:local-companies",
        # sector-less nodes next to them: the programme, the project, the outcome
        "prog:fy2012-promotion",
        "proj:joint-metabolome",
        "out:spider-silk",
    }
    assert industry.relationships == {
        "rel:promotion-supports",
        "rel:companies-joint",
        "rel:spiber-silk",
    }


def test_type_filter_drops_nodes_left_without_a_relationship() -> None:
    kb = sample_kb()
    members = select_subgraph(kb, types=["MEMBER_OF"])
    assert {kb.relationships[r].type for r in members.relationships} == {"MEMBER_OF"}
    assert len(members.relationships) == 8
    assert "org:spiber" not in members.nodes
    assert "body:promotion-council" in members.nodes


def test_the_page_folds_names_by_the_one_name_layer() -> None:
    # The page's own normalize_name was the name layer's fold under another name; the
    # assertions stay, pointed at the one folding function.
    assert fold_name("ＫＥＩＯ　Ｕｎｉｖ ") == fold_name("keio univ") == "keiouniv"
    assert fold_name("ｶﾞｲﾄﾞ") == "ガイド"


# --- the size cap --------------------------------------------------------------------------


def test_past_the_cap_the_page_is_aggregated_with_a_notice() -> None:
    kb = sample_kb()
    page = render_network_page(kb, max_nodes=10)
    data = page_data(page)
    assert data["mode"] == "aggregated"
    assert "ノード数 21 が上限 10 を超えるため" in page
    members = {node["id"]: node["members"] for node in data["nodes"]}
    assert sum(members.values()) == len(kb.nodes)
    assert members["agg:industry/Organization"] == 2
    assert members["agg:none/Program"] == 2
    # The search still knows every member and points at its group.
    targets = {entry[1]: entry[0] for entry in data["search"]}
    assert targets["慶應義塾大学先端生命科学研究所"] == "agg:academia/Organization"
    assert len(data["search"]) == len(kb.nodes)
    edges = {edge["id"]: edge["members"] for edge in data["edges"]}
    # A body with no sector of its own and nothing above it is an actor of sector "other"
    # (the one effective-sector rule, biocluster_kg.kernel.sectors); only non-actors have none.
    assert edges["agg:government/Position>other/Body:MEMBER_OF"] == 2


def test_full_view_past_the_cap_bounds_the_layout_and_says_so() -> None:
    page = render_network_page(sample_kb(), max_nodes=10, view="full")
    data = page_data(page)
    assert data["mode"] == "full"
    assert "ノード数 21 は上限 10 を超えています" in page
    assert data["layoutBudgetMs"] > 0
    assert data["options"]["physics"]["stabilization"]["iterations"] > 0


def test_aggregated_relationship_counts_add_up() -> None:
    kb = sample_kb()
    data = page_data(render_network_page(kb, view="aggregated"))
    groups = {node["id"]: node for node in data["nodes"]}
    internal = sum(int(dict(node["rows"])["内部の関係"].rstrip(" 件")) for node in groups.values())
    between = sum(edge["members"] for edge in data["edges"])
    assert internal + between == len(kb.relationships)


# --- writing the file and the command --------------------------------------------------------


def test_write_network_page_creates_the_folder(tmp_path: Path) -> None:
    target = write_network_page(sample_kb(), tmp_path / "deep" / "er" / "page.html")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_write_network_page_onto_a_folder_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="cannot write the network page"):
        write_network_page(sample_kb(), tmp_path)


def test_viz_writes_the_page_and_prints_its_path(tmp_path: Path) -> None:
    target = tmp_path / "out" / "network.html"
    result = CliRunner().invoke(
        cli,
        ["viz", "-o", str(target), "--around", "慶應先端研", "--depth", "1", "--lang", "en"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"{target}\n"
    data = page_data(target.read_text(encoding="utf-8"))
    assert data["center"] == "org:iab" and data["lang"] == "en"


def test_viz_filters_by_sector_and_type(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    target = tmp_path / "industry.html"
    result = CliRunner().invoke(
        cli,
        ["viz", "-o", str(target), "--sector", "industry", "--type", "participates_in"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    data = page_data(target.read_text(encoding="utf-8"))
    facts = [edge for edge in data["edges"] if not edge.get("derived")]
    assert {edge["type"] for edge in facts} == {"PARTICIPATES_IN"}
    # Companies in one project are tied through it (derived from those facts alone).
    assert {edge["type"] for edge in data["edges"] if edge.get("derived")} <= {"SHARED"}
    assert 0 < len(data["nodes"]) < len(shipped_kb.nodes)


def test_viz_unknown_name_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["viz", "-o", str(tmp_path / "x.html"), "--around", "東北大学"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert result.output == "Error: no node is called '東北大学' (by id, name or alias)\n"
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--lang", "fr"], "Invalid value for '--lang'"),
        (["--type", "KNOWS"], "'KNOWS' is not a relationship type"),
        (["--sector", "biotech"], "Invalid value for '--sector'"),
        (["--depth", "2"], "--depth needs --around NAME"),
        (["--around", "先端研", "--depth", "-1"], "Invalid value for '--depth'"),
    ],
)
def test_viz_bad_options_exit_2(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["viz", "-o", str(tmp_path / "x.html"), *arguments])
    assert result.exit_code == 2
    assert message in result.output


def test_viz_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["viz", "--help"])
    assert result.exit_code == 0
    assert "Example:\n      biocluster viz\n" in result.output


def test_the_card_says_how_each_fact_is_known(shipped_kb: KnowledgeBase) -> None:
    # Issue 17: stated, read from the layout, or inferred, with the reason for the latter two.
    page = render_network_page(shipped_kb)
    data = page_data(page)
    nodes = nodes_by_id(data)
    assert rows(nodes["org:iab"])["根拠"] == "記載"
    laid_out = [n for n in shipped_kb.nodes.values() if n.get("basis") == "layout"]
    assert laid_out, "the shipped data reads some facts from the slide's layout"
    card = rows(nodes[laid_out[0].id])["根拠"]
    # The reason in Japanese on the Japanese page (issue 26); the English one on --lang en.
    assert card.startswith("図の配置（") and laid_out[0].get("basis_reason_ja") in card
    english_card = rows(
        nodes_by_id(page_data(render_network_page(shipped_kb, lang="en")))[laid_out[0].id]
    )["Basis"]
    assert english_card == f"layout ({laid_out[0].get('basis_reason')})"
    english = nodes_by_id(page_data(render_network_page(shipped_kb, lang="en")))
    assert rows(english["org:iab"])["Basis"] == "stated"
