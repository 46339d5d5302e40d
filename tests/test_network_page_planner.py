"""The network page as a planner meets it (issue 15): it opens on the actors, its notices
say what is true, the year filter speaks in eras, the hover card keeps off the details
card on a 1366x768 laptop screen, and the Japanese page holds no English words outside
the data's own names and codes.

The rendering tests read the page's HTML and data block; the others run in a real headless
Chromium with the network cut off (``tests/browser_support.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import launched_chromium, open_offline
from click.testing import CliRunner
from japanese_text import allowed_latin, english_words
from network_page_fixtures import sample_kb

from biocluster_kg.app.report import write_report
from biocluster_kg.app.session import Session
from biocluster_kg.cli import cli
from biocluster_kg.graph.page import render_network_page
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.fiscal import fiscal_year_text
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.schema import SCHEMA

DATA_BLOCK = re.compile(r'<script type="application/json" id="biocluster-data">(.*?)</script>')


def page_data(page: str) -> dict[str, Any]:
    match = DATA_BLOCK.search(page)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def notice_of(page: str) -> str:
    match = re.search(r'<div id="notice"[^>]*>(.*?)</div>', page, re.S)
    assert match, "the page has no notice"
    return re.sub(r"<[^>]+>", "", match.group(1))


def actor_ids(kb: KnowledgeBase) -> set[str]:
    return {n.id for n in kb.nodes.values() if n.label in SCHEMA.actor_labels}


# --- what the HTML says ---------------------------------------------------------------------


def test_a_chosen_aggregated_view_says_it_was_chosen_not_that_a_cap_was_passed() -> None:
    kb = sample_kb()
    page = render_network_page(kb, view="aggregated")
    groups = len(page_data(page)["nodes"])
    notice = notice_of(page)
    assert notice.startswith(
        f"集約表示（--view aggregated）: {len(kb.nodes)} ノードをセクター×種類ごとの {groups} 個に"
    )
    assert "上限" not in notice and "2,000" not in notice
    english = notice_of(render_network_page(kb, view="aggregated", lang="en"))
    assert f"{len(kb.nodes)} nodes in {groups} groups" in english
    assert "exceed" not in english and "cap" not in english
    # Past the cap the notice still names the cap.
    assert notice_of(render_network_page(kb, max_nodes=10)).startswith(
        "ノード数 21 が上限 10 を超えるため"
    )


def test_the_english_ego_view_counts_one_step_in_the_singular() -> None:
    page = render_network_page(sample_kb(), around="先端研", depth=1, lang="en")
    assert "(within 1 step)" in page and "1 steps" not in page
    assert "(within 2 steps)" in render_network_page(
        sample_kb(), around="先端研", depth=2, lang="en"
    )


def test_the_year_filter_names_each_year_in_its_era_with_the_gregorian_year() -> None:
    page = render_network_page(sample_kb())
    years = sorted(int(y) for y in re.findall(r'<option value="(\d{4})">', page))
    assert years
    for year in years:
        assert f'<option value="{year}">{fiscal_year_text(year, "ja")}</option>' in page
    assert '<option value="2013">平成25年度（2013年度）</option>' in page
    assert '<option value="2013">FY2013 (H25)</option>' in render_network_page(
        sample_kb(), lang="en"
    )


def test_every_node_says_whether_it_is_an_actor_and_the_page_opens_on_them() -> None:
    kb = sample_kb()
    page = render_network_page(kb)
    data = page_data(page)
    assert data["focus"] == "actors"
    assert {n["id"] for n in data["nodes"] if n["actor"]} == actor_ids(kb)
    assert len(data["nodes"]) == len(kb.nodes), "the page holds every node either way"
    assert 'id="all-kinds"' in page and 'id="all-kinds" checked' not in page
    everything = render_network_page(kb, focus="all")
    assert page_data(everything)["focus"] == "all" and 'id="all-kinds" checked' in everything
    # Nothing but actors to show: no switch that would do nothing.
    members_only = render_network_page(kb, types=["MEMBER_OF"])
    assert all(n["actor"] for n in page_data(members_only)["nodes"])
    assert 'id="all-kinds"' not in members_only
    with pytest.raises(RenderError, match="unknown focus 'budgets'; expected actors or all"):
        render_network_page(kb, focus="budgets")  # type: ignore[arg-type]


def test_viz_all_kinds_opens_on_every_node(tmp_path: Path) -> None:
    runner = CliRunner()
    for arguments, focus in (([], "actors"), (["--all-kinds"], "all")):
        target = tmp_path / f"{focus}.html"
        result = runner.invoke(cli, ["viz", "-o", str(target), *arguments], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert page_data(target.read_text(encoding="utf-8"))["focus"] == focus


def test_an_english_note_is_pointed_to_on_the_japanese_page(shipped_kb: KnowledgeBase) -> None:
    noted = next(n for n in shipped_kb.nodes.values() if n.get("note"))
    note = str(noted.get("note"))
    japanese = render_network_page(shipped_kb, focus="all")
    rows = dict(next(n for n in page_data(japanese)["nodes"] if n["id"] == noted.id)["rows"])
    assert rows["注記"] == "英文の注記あり（英語版のページ --lang en に表示）"
    english = render_network_page(shipped_kb, focus="all", lang="en")
    rows = dict(next(n for n in page_data(english)["nodes"] if n["id"] == noted.id)["rows"])
    assert rows["Note"].split()[:4] == note.split()[:4]


def test_a_figure_card_shows_no_metric_code_on_the_japanese_page(shipped_kb: KnowledgeBase) -> None:
    figure = shipped_kb.nodes["fig:ao-admissions-fy2012"]
    japanese = render_network_page(shipped_kb, focus="all")
    node = next(n for n in page_data(japanese)["nodes"] if n["id"] == figure.id)
    # The number in the source's unit and scope, under the source's own words for it.
    assert dict(node["rows"])["数値"] == "4名\n鶴岡南ほか"
    assert node["heading"] == figure.get("name_ja")
    metrics = {str(n.get("metric")) for n in shipped_kb.nodes.values() if n.get("metric")}
    cards = json.dumps([n["rows"] for n in page_data(japanese)["nodes"]], ensure_ascii=False)
    assert metrics and not any(metric in cards for metric in metrics)
    english = render_network_page(shipped_kb, focus="all", lang="en")
    node = next(n for n in page_data(english)["nodes"] if n["id"] == figure.id)
    assert dict(node["rows"])["Value"] == "4名 (ao_admissions)\n鶴岡南ほか"


# --- in Chromium ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def planner_page(shipped_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page ``biocluster viz`` writes by default, in Japanese."""
    return Session().write_page(tmp_path_factory.mktemp("planner") / "network.html", kb=shipped_kb)


def _drawn(page: Any) -> dict[str, int]:
    return page.evaluate("window.bioclusterNetwork.drawnCounts()")


@pytest.mark.browser
def test_the_page_opens_on_the_actors_and_shows_the_rest_at_a_switch(
    browser: Any, planner_page: Path, shipped_kb: KnowledgeBase
) -> None:
    actors = actor_ids(shipped_kb)
    data = page_data(planner_page.read_text(encoding="utf-8"))
    # What an actor tied to no other actor is joined to is shown with it (issue 26).
    anchors = {node["id"] for node in data["nodes"] if node.get("anchor")}
    first = actors | anchors
    between = [r for r in shipped_kb.relationships.values() if {r.start, r.end} <= first]
    derived = [edge for edge in data["edges"] if edge.get("derived")]
    with open_offline(browser, planner_page, width=1366, height=768) as page:
        page.wait_until_still()
        assert _drawn(page) == {"nodes": len(first), "edges": len(between) + len(derived)}
        others = len(shipped_kb.nodes) - len(first)
        assert f"ほか {others:,} ノード" in page.page.locator("#focus-message").inner_text()
        page.page.locator("#all-kinds").check()
        assert _drawn(page) == {
            "nodes": len(shipped_kb.nodes),
            "edges": len(shipped_kb.relationships),
        }
        assert page.page.locator("#focus-message").inner_text() == ""
        page.page.locator("#all-kinds").uncheck()
        assert _drawn(page)["nodes"] == len(first)
        # Looking a programme up shows the other kinds again and selects it.
        page.page.locator("#search").fill("平成25年度バイオクラスター形成に向けた事業体系")
        page.page.locator("#search").press("Enter")
        assert page.evaluate("window.bioclusterNetwork.network.getSelectedNodes()") == [
            "prog:fy2013-budget"
        ]
        assert page.page.locator("#all-kinds").is_checked()
        assert page.web_requests == [] and page.page_errors == [] and page.console_errors == []


def _box(page: Any, selector: str) -> dict[str, float]:
    return page.page.locator(selector).bounding_box()


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.browser
def test_at_1366x768_the_hover_card_never_covers_the_details_card(
    browser: Any, planner_page: Path
) -> None:
    with open_offline(browser, planner_page, width=1366, height=768) as page:
        page.wait_until_still()
        page.evaluate("window.bioclusterNetwork.setAllKinds(true)")
        page.evaluate("window.bioclusterNetwork.select('org:iab')")
        details = _box(page, "#details")
        stage = _box(page, "#stage")
        assert details["height"] > 200, "the institute's card is a big one"
        # The governor's card is long too. The hover event vis-network sends, at pointer
        # positions over the whole map, every 48 px: wherever the pointer is, the card
        # that follows it keeps off the details card.
        shown = covered = 0
        for x in range(0, int(stage["width"]), 48):
            for y in range(0, int(stage["height"]), 48):
                pointer = {"x": x, "y": y}
                if _inside(stage["x"] + x, stage["y"] + y, details):
                    continue  # the pointer is on the card itself, not on the map
                page.evaluate(
                    """(pointer) => { window.bioclusterNetwork.network.body.emitter.emit(
                        'hoverNode', {node: 'pos:governor', pointer: {DOM: pointer}}); }""",
                    pointer,
                )
                if page.page.locator("#tooltip").is_visible():
                    shown += 1
                    covered += _overlap(_box(page, "#tooltip"), details)
        assert covered == 0
        assert shown > 100, "the hover card must still show almost everywhere"
        assert page.page.locator("#details").is_visible()


def _inside(x: float, y: float, box: dict[str, float]) -> bool:
    return box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]


def _page_text(page: Any) -> str:
    """Everything the Japanese page can show: the sidebar, every node's details card (as
    the hover card shows it too), every edge's card text and the canvas labels."""
    page.evaluate("window.bioclusterNetwork.setAllKinds(true)")
    cards = page.evaluate(
        """() => {
            const api = window.bioclusterNetwork, details = document.getElementById('details');
            return api.nodes.getIds().map((id) => { api.select(id); return details.innerText; });
        }"""
    )
    edges = page.evaluate(
        """() => window.bioclusterNetwork.edges.get().map((edge) =>
            [edge.typeLabel, ...(edge.rows || []).flat()].join('\\n'))"""
    )
    labels = page.evaluate("window.bioclusterNetwork.nodes.get().map((node) => node.label)")
    hidden_aside = "[...document.querySelectorAll('[aria-hidden=true]')].forEach(e => e.remove())"
    page.evaluate(hidden_aside)  # drawings (the shape legend's glyphs), not words
    sidebar = page.page.locator("#sidebar").inner_text()
    return "\n".join([sidebar, *cards, *edges, *labels])


@pytest.mark.browser
def test_the_japanese_page_speaks_no_english_outside_the_datas_names(
    browser: Any, planner_page: Path, shipped_kb: KnowledgeBase
) -> None:
    with open_offline(browser, planner_page, width=1366, height=768) as page:
        page.wait_until_still()
        text = _page_text(page)
    assert "山形県知事" in text and "平成25年度" in text
    found = english_words(text, shipped_kb, load_cluster_profile())
    assert not found, sorted(found)


@pytest.mark.browser
def test_the_japanese_report_speaks_no_english_outside_the_datas_names(
    browser: Any, shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    profile = load_cluster_profile()
    target = write_report(tmp_path / "report.html", kb=shipped_kb, profile=profile)
    with open_offline(browser, target) as page:
        text = page.evaluate("document.body.innerText")
    assert "380,067" in text
    assert not english_words(text, shipped_kb, profile)


def test_the_allow_list_comes_from_the_data_and_still_catches_english(
    shipped_kb: KnowledgeBase,
) -> None:
    profile = load_cluster_profile()
    allowed = allowed_latin(shipped_kb, profile)
    assert {"JST", "NASA", "HMT"} <= allowed  # names the sources write in Latin letters
    assert "Burt" in allowed  # from the schema's own Japanese title, 制約度（Burt）
    assert "the" not in allowed and "steps" not in allowed
    english_name = str(shipped_kb.nodes["org:iab"].get("name_en"))
    assert not english_words(f"慶應先端研 {english_name}", shipped_kb, profile)
    assert english_words("中心: 慶應先端研（within 1 steps）", shipped_kb, profile) == {
        "within",
        "steps",
    }
    assert english_words("組織 · support organization", shipped_kb, profile) == {
        "support",
        "organization",
    }
    # A figure's metric code is no name: the Japanese page must not show it.
    assert english_words("4名 (ao_admissions)", shipped_kb, profile) == {"ao", "admissions"}
