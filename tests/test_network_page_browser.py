"""The network page in a real headless Chromium with every network request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import OfflinePage, launched_chromium, open_offline, save_screenshot
from network_page_fixtures import HOSTILE_IMG, HOSTILE_SCRIPT, sample_kb

from biocluster_kg.app.session import Session
from biocluster_kg.graph.page import write_network_page
from biocluster_kg.kernel.model import KnowledgeBase

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def shipped_page_file(shipped_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page ``biocluster viz --all-kinds`` writes: every node shown from the start,
    sized by the brokerage analysis."""
    folder = tmp_path_factory.mktemp("page")
    return Session().write_page(folder / "network.html", kb=shipped_kb, focus="all")


def _open_still(browser: Any, path: Path) -> Iterator[OfflinePage]:
    with open_offline(browser, path) as page:
        page.wait_until_still()
        yield page


@pytest.fixture
def shipped_page(browser: Any, shipped_page_file: Path) -> Iterator[OfflinePage]:
    yield from _open_still(browser, shipped_page_file)


@pytest.fixture
def sample_page(browser: Any, tmp_path: Path) -> Iterator[OfflinePage]:
    path = write_network_page(sample_kb(), tmp_path / "sample.html", focus="all")
    yield from _open_still(browser, path)


def _drawn(page: OfflinePage) -> dict[str, int]:
    return page.evaluate("window.bioclusterNetwork.drawnCounts()")


def _selected(page: OfflinePage) -> list[str]:
    return page.evaluate("window.bioclusterNetwork.network.getSelectedNodes()")


def _search(page: OfflinePage, text: str) -> None:
    box = page.page.locator("#search")
    box.fill(text)
    box.press("Enter")


def _assert_clean(page: OfflinePage) -> None:
    assert page.console_errors == []
    assert page.page_errors == []
    assert page.dialogs == []
    assert page.web_requests == []
    assert page.blocked == []


def _hover(page: OfflinePage, node_id: str) -> str:
    """Move the mouse onto a node and return the tooltip's text."""
    point = page.evaluate(
        """(id) => {
            const network = window.bioclusterNetwork.network;
            network.moveTo({position: network.getPositions([id])[id], scale: 1.5});
            return network.canvasToDOM(network.getPositions([id])[id]);
        }""",
        node_id,
    )
    box = page.page.locator("#network canvas").bounding_box()
    page.page.mouse.move(box["x"] + point["x"] + 3, box["y"] + point["y"] + 3)
    page.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.page.locator("#tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    return tooltip.inner_text()


def _sector_of(kb: KnowledgeBase) -> dict[str, str | None]:
    """Expected colours, worked out here: own sector, or a position's organisation's."""
    sectors = {node_id: node.get("sector") for node_id, node in kb.nodes.items()}
    for rel in kb.relationships.values():
        if rel.type == "POSITION_IN" and sectors[rel.start] is None:
            sectors[rel.start] = kb.nodes[rel.end].get("sector")
    return sectors


def test_shipped_page_draws_the_whole_graph_with_the_network_cut_off(
    shipped_page: OfflinePage, shipped_kb: KnowledgeBase
) -> None:
    assert _drawn(shipped_page) == {
        "nodes": len(shipped_kb.nodes),
        "edges": len(shipped_kb.relationships),
    }
    ids = shipped_page.evaluate(
        """[window.bioclusterNetwork.nodes.getIds(),
            window.bioclusterNetwork.edges.getIds({filter: (edge) => !edge.derived})]"""
    )
    assert sorted(ids[0]) == sorted(shipped_kb.nodes)
    assert sorted(ids[1]) == sorted(shipped_kb.relationships)
    assert shipped_page.evaluate("document.characterSet") == "UTF-8"
    label = shipped_page.evaluate("window.bioclusterNetwork.nodes.get('org:tsuruoka-city').label")
    assert label == shipped_kb.nodes["org:tsuruoka-city"].get("name_ja") == "鶴岡市"
    screenshot = save_screenshot(shipped_page, "network.png")
    assert screenshot.stat().st_size > 10_000
    _assert_clean(shipped_page)


def test_layout_stops_and_physics_is_turned_off(shipped_page: OfflinePage) -> None:
    state = shipped_page.evaluate("window.bioclusterNetwork.state")
    assert state["still"] is True
    assert shipped_page.evaluate("window.bioclusterNetwork.physicsEnabled()") is False
    before = shipped_page.evaluate("window.bioclusterNetwork.network.getPositions()")
    shipped_page.page.wait_for_timeout(400)
    after = shipped_page.evaluate("window.bioclusterNetwork.network.getPositions()")
    assert after == before
    assert shipped_page.page.locator("#progress").is_hidden()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("慶應先端研", "org:iab"),
        ("Keio University Institute for Advanced Biosciences", "org:iab"),
        ("ＩＡＢ", "org:iab"),
        ("庄内産振センター", "org:shonai-center"),
        # Typed without the nakaguro the name is written with (kernel.names.fold_name).
        ("連携促進成果活用委員会", "body:collaboration-committee"),
    ],
)
def test_search_by_japanese_or_english_name_or_alias_selects_the_actor(
    shipped_page: OfflinePage, shipped_kb: KnowledgeBase, query: str, expected: str
) -> None:
    _search(shipped_page, query)
    assert _selected(shipped_page) == [expected]
    details = shipped_page.page.locator("#details")
    assert details.is_visible()
    assert details.locator("h3").inner_text() == shipped_kb.nodes[expected].get("name_ja")
    first_result = shipped_page.page.locator("#search-results li button").first
    assert shipped_kb.nodes[expected].get("name_ja") in first_result.inner_text()
    _assert_clean(shipped_page)


def test_unchecking_a_sector_hides_its_nodes_and_their_edges(
    shipped_page: OfflinePage, shipped_kb: KnowledgeBase
) -> None:
    sector_of = _sector_of(shipped_kb)
    visible = {n for n, sector in sector_of.items() if sector != "industry"}
    edges = [r for r in shipped_kb.relationships.values() if {r.start, r.end} <= visible]
    assert len(visible) < len(shipped_kb.nodes)

    shipped_page.page.locator('input[data-sector="industry"]').uncheck()
    assert _drawn(shipped_page) == {"nodes": len(visible), "edges": len(edges)}
    counts = shipped_page.page.locator("#visible-counts").inner_text()
    assert str(len(visible)) in counts

    shipped_page.page.locator('input[data-sector="industry"]').check()
    assert _drawn(shipped_page)["nodes"] == len(shipped_kb.nodes)


def test_a_layout_past_its_time_budget_is_cut_short_and_still_becomes_still(
    browser: Any, tmp_path: Path
) -> None:
    path = write_network_page(
        sample_kb(), tmp_path / "budget.html", layout_budget_ms=0, focus="all"
    )
    with open_offline(browser, path) as page:
        page.wait_until_still()
        state = page.evaluate("window.bioclusterNetwork.state")
        assert state["layoutStoppedEarly"] is True
        assert state["iterations"] < 400
        assert page.evaluate("window.bioclusterNetwork.physicsEnabled()") is False
        assert (
            page.page.locator("#layout-message").inner_text()
            == "配置の計算を時間内で打ち切りました。"
        )
        assert _drawn(page) == {"nodes": 21, "edges": 24}
        _assert_clean(page)


def test_relationship_type_and_fiscal_year_filters(sample_page: OfflinePage) -> None:
    # Worked out by hand from tests/network_page_fixtures.py: 21 nodes, 24 relationships.
    assert _drawn(sample_page) == {"nodes": 21, "edges": 24}
    sample_page.page.locator('input[data-type="MEMBER_OF"]').uncheck()
    assert _drawn(sample_page) == {"nodes": 21, "edges": 16}
    sample_page.page.locator('input[data-type="MEMBER_OF"]').check()

    # FY2013 hides the FY2012 programme and the 2012 summit, and their five relationships.
    sample_page.page.select_option("#year-filter", "2013")
    assert _drawn(sample_page) == {"nodes": 19, "edges": 19}
    sample_page.page.select_option("#year-filter", "")

    # Industry: two ventures and the anonymous companies, with five relationships.
    sample_page.page.locator('input[data-sector="industry"]').uncheck()
    assert _drawn(sample_page) == {"nodes": 18, "edges": 19}
    _assert_clean(sample_page)


def test_tooltip_shows_roles_amounts_and_the_cited_source(sample_page: OfflinePage) -> None:
    budget = _hover(sample_page, "prog:fy2013-budget")
    assert "380,067千円" in budget
    assert "平成25年度" in budget
    assert "FY2013 bio cluster budget" in budget
    assert "山形県におけるバイオクラスター形成に向けた取組みについて 16行目" in budget

    governor = _hover(sample_page, "pos:governor")
    assert "山形県バイオクラスター形成推進会議 — 会長" in governor
    assert "所属: 山形県" in governor
    _assert_clean(sample_page)


def test_markup_in_names_renders_as_text_and_runs_nothing(browser: Any, tmp_path: Path) -> None:
    path = write_network_page(sample_kb(hostile=True), tmp_path / "hostile.html")
    with open_offline(browser, path) as page:
        page.wait_until_still()
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("window.bioclusterNetwork.nodes.get('org:hostile-0').label") == (
            HOSTILE_IMG
        )

        _search(page, "<img src=x")
        assert _selected(page) == ["org:hostile-0"]
        assert (
            page.page.locator("#search-results li button")
            .first.inner_text()
            .startswith(HOSTILE_IMG)
        )
        assert page.page.locator("#details h3").inner_text() == HOSTILE_IMG
        tooltip = _hover(page, "org:hostile-1")
        assert HOSTILE_SCRIPT in tooltip

        _search(page, "</script>")
        assert _selected(page) == ["org:hostile-1"]
        assert page.page.locator("#details h3").inner_text() == HOSTILE_SCRIPT

        page.page.wait_for_timeout(200)
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.dialogs == []
        _assert_clean(page)


def test_past_the_cap_the_page_aggregates_and_says_so(browser: Any, tmp_path: Path) -> None:
    kb = sample_kb()
    path = write_network_page(kb, tmp_path / "aggregated.html", max_nodes=10, focus="all")
    with open_offline(browser, path) as page:
        page.wait_until_still()
        notice = page.page.locator("#notice")
        assert notice.is_visible()
        assert "21" in notice.inner_text() and "10" in notice.inner_text()
        assert page.page.locator("#layout-message").inner_text() == ""
        members = page.evaluate("window.bioclusterNetwork.nodes.get().map((node) => node.members)")
        assert sum(members) == len(kb.nodes)
        assert _drawn(page)["nodes"] == len(members) < len(kb.nodes)

        _search(page, "慶應先端研")
        assert _selected(page) == ["agg:academia/Organization"]
        assert "慶應義塾大学先端生命科学研究所" in page.page.locator("#search-message").inner_text()
        _assert_clean(page)


def test_english_page(browser: Any, shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write_network_page(shipped_kb, tmp_path / "en.html", lang="en")
    with open_offline(browser, path) as page:
        page.wait_until_still()
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Sector (colour)" in page.page.inner_text("#sidebar")
        label = page.evaluate("window.bioclusterNetwork.nodes.get('org:iab').label")
        assert label.startswith("Keio University")
        _search(page, "鶴岡市")
        assert _selected(page) == ["org:tsuruoka-city"]
        _assert_clean(page)
