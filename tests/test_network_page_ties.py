"""Who is tied to whom (issue 26): the page links actors that share something, by the one
definition of a tie that ``figure network`` uses; ego view, expanding, did-you-mean and legible
labels, in a real headless Chromium with the network cut off.

Before: 26 of 80 actors were drawn alone on the first view, ``viz --around 日新製薬 --depth 2``
drew 2 dots and no line, the page had 64 ties among the actors and the figure 129.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import OfflinePage, launched_chromium, open_offline
from click.testing import CliRunner
from network_page_fixtures import HOSTILE_IMG, HOSTILE_SCRIPT, SOURCE, sample_kb

from biocluster_kg.app.session import Session
from biocluster_kg.cli import cli
from biocluster_kg.graph.page import render_network_page, write_network_page
from biocluster_kg.graph.tie_graph import tie_graph
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import SCHEMA

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

DATA_BLOCK = re.compile(r'<script type="application/json" id="biocluster-data">(.*?)</script>')
NISSIN = "org:nissin-pharmaceutical"


def page_data(page: str) -> dict[str, Any]:
    match = DATA_BLOCK.search(page)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def actor_pairs(data: dict[str, Any]) -> set[tuple[str, str]]:
    actors = {node["id"] for node in data["nodes"] if node.get("actor")}
    return {
        pair(edge["from"], edge["to"])
        for edge in data["edges"]
        if edge["from"] in actors and edge["to"] in actors and edge["from"] != edge["to"]
    }


# --- the page's data -------------------------------------------------------------------------


def test_the_page_and_figure_network_agree_on_every_tie(shipped_kb: KnowledgeBase) -> None:
    data = page_data(render_network_page(shipped_kb))
    figure_ties = {pair(a, b) for a, b in tie_graph(shipped_kb, profile=SHIPPED_PROFILE).edges}
    # 129 before issue 30's fixes added the groups of lines 167 and 168 and their ties.
    assert len(figure_ties) == 134
    assert actor_pairs(data) == figure_ties


def test_a_derived_tie_says_what_is_shared_and_cites_each_fact(shipped_kb: KnowledgeBase) -> None:
    data = page_data(render_network_page(shipped_kb, around="日新製薬", depth=2))
    derived = [edge for edge in data["edges"] if edge.get("derived")]
    assert [pair(e["from"], e["to"]) for e in derived] == [pair(NISSIN, "org:iab")]
    tie = derived[0]
    assert tie["type"] == "SHARED" and tie["typeLabel"].startswith("共有: ")
    rows = dict(tie["rows"])
    project = shipped_kb.nodes["proj:colorectal-cancer-biomarkers"]
    label = SCHEMA.node("Project").display_name("ja")
    assert rows["共有しているもの"] == f"{label}: {project.get('name_ja')}"
    facts = [
        rel
        for rel in shipped_kb.relationships.values()
        if rel.end == project.id and rel.start in (NISSIN, "org:iab")
    ]
    assert len(facts) == 2
    for rel in facts:
        assert f"{rel.get('span_line')}行目" in rows["根拠となる事実"]
        assert str(rel.get("span")).split()[0] in rows["根拠となる事実"]
    assert rows["根拠"].startswith("導出")
    # Drawn as its own kind of line, with its own entry in the legend.
    assert data["edgeStyles"]["SHARED"]["dashes"]
    page = render_network_page(shipped_kb, around="日新製薬", depth=2)
    assert 'data-type="SHARED"' in page


def test_an_actor_tied_to_no_actor_keeps_what_it_is_joined_to(shipped_kb: KnowledgeBase) -> None:
    data = page_data(render_network_page(shipped_kb))
    anchors = {node["id"] for node in data["nodes"] if node.get("anchor")}
    # Its only relationships are figures that count its pupils: shown with it.
    school = "org:tsuruoka-chuo-high-school"
    counted = {r.start for r in shipped_kb.relationships.values() if r.end == school}
    assert counted and counted <= anchors
    assert not any(shipped_kb.nodes[n].label in SCHEMA.actor_labels for n in anchors)


# --- in Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def planner_page(shipped_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``biocluster viz`` writes: the first view on the actors."""
    return Session().write_page(tmp_path_factory.mktemp("ties") / "network.html", kb=shipped_kb)


@pytest.fixture
def laptop_page(browser: Any, planner_page: Path) -> Iterator[OfflinePage]:
    with open_offline(browser, planner_page, width=1366, height=768) as page:
        page.wait_until_still()
        yield page


def _clean(page: OfflinePage) -> None:
    assert page.console_errors == [] and page.page_errors == [] and page.dialogs == []
    assert page.web_requests == [] and page.blocked == []


_DRAWN = """() => {
    const body = window.bioclusterNetwork.network.body;
    const ends = new Set();
    body.edgeIndices.forEach((id) => {
        ends.add(body.edges[id].fromId);
        ends.add(body.edges[id].toId);
    });
    const alone = body.nodeIndices.filter((id) => !ends.has(id));
    return {nodes: body.nodeIndices.slice(), alone: alone};
}"""


@pytest.mark.browser
def test_the_first_view_draws_no_actor_alone(
    laptop_page: OfflinePage, shipped_kb: KnowledgeBase
) -> None:
    drawn = laptop_page.evaluate(_DRAWN)
    actors = {n.id for n in shipped_kb.nodes.values() if n.label in SCHEMA.actor_labels}
    assert actors <= set(drawn["nodes"])
    tied = {end for rel in shipped_kb.relationships.values() for end in (rel.start, rel.end)}
    # The one actor the source ties to nothing: the research institutions whose names the
    # public version withholds (line 177, a statement about the document, not a tie).
    assert actors - tied == {"group:withheld-research-institutions"}
    assert set(drawn["alone"]) == actors - tied
    for name in ("org:nissin-pharmaceutical", "org:nasa", "org:riken", "org:kojima-press"):
        assert name in drawn["nodes"], name
    _clean(laptop_page)


@pytest.mark.browser
def test_labels_are_legible_at_1366x768(laptop_page: OfflinePage) -> None:
    sizes = laptop_page.evaluate(
        """() => {
            const network = window.bioclusterNetwork.network, scale = network.getScale();
            return network.body.nodeIndices.map(
                (id) => network.body.nodes[id].labelModule.fontOptions.size * scale);
        }"""
    )
    assert sizes and min(sizes) >= 10.9, min(sizes)


@pytest.mark.browser
def test_ego_view_and_expanding_inside_the_page(
    laptop_page: OfflinePage, shipped_kb: KnowledgeBase
) -> None:
    page = laptop_page
    page.evaluate(f"window.bioclusterNetwork.select('{NISSIN}')")
    page.page.locator('#details button[data-action="ego"]').click()
    drawn = page.evaluate(_DRAWN)
    assert set(drawn["nodes"]) == {NISSIN, "org:iab"}
    assert drawn["alone"] == []
    assert "日新製薬" in page.page.locator("#ego-message").inner_text()
    # Expanding the institute brings its own neighbours in.
    page.evaluate("window.bioclusterNetwork.select('org:iab')")
    page.page.locator('#details button[data-action="expand"]').click()
    expanded = set(page.evaluate(_DRAWN)["nodes"])
    neighbours = set(page.evaluate("window.bioclusterNetwork.neighbours('org:iab')"))
    assert expanded == {NISSIN, "org:iab"} | neighbours and len(expanded) > 10
    page.page.locator("#ego-clear").click()
    assert len(page.evaluate(_DRAWN)["nodes"]) > len(expanded)
    assert page.page.locator("#ego-clear").is_hidden()
    _clean(page)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("typed", "expected"), [("Spyber", "org:spiber"), ("慶応先端研", "org:iab")]
)
def test_search_offers_close_names_and_picks_none_itself(
    laptop_page: OfflinePage, typed: str, expected: str
) -> None:
    page = laptop_page
    assert page.evaluate("(t) => window.bioclusterNetwork.search(t)", typed) == []
    box = page.page.locator("#search")
    box.fill(typed)
    box.press("Enter")
    assert page.evaluate("(t) => window.bioclusterNetwork.suggest(t)", typed)[0] == expected
    assert "もしかして" in page.page.locator("#search-message").inner_text()
    assert page.evaluate("window.bioclusterNetwork.network.getSelectedNodes()") == []
    page.page.locator("#search-results li button").first.click()
    assert page.evaluate("window.bioclusterNetwork.network.getSelectedNodes()") == [expected]
    _clean(page)


@pytest.mark.browser
def test_a_short_name_finds_the_actor_it_begins(laptop_page: OfflinePage) -> None:
    box = laptop_page.page.locator("#search")
    box.fill("日新")
    box.press("Enter")
    assert laptop_page.evaluate("window.bioclusterNetwork.network.getSelectedNodes()") == [NISSIN]
    suggest = "(t) => window.bioclusterNetwork.suggest(t)"
    assert laptop_page.evaluate(suggest, "Tokyo University") == []


@pytest.mark.browser
def test_viz_around_a_company_draws_its_ties(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "nissin.html"
    result = CliRunner().invoke(
        cli,
        ["viz", "--around", "日新製薬", "--depth", "2", "-o", str(target)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    with open_offline(browser, target, width=1366, height=768) as page:
        page.wait_until_still()
        drawn = page.evaluate(_DRAWN)
        assert NISSIN in drawn["nodes"] and drawn["alone"] == []
        assert page.evaluate("window.bioclusterNetwork.drawnCounts()")["edges"] >= 1
        _clean(page)


def _hostile_sharing() -> KnowledgeBase:
    """The sample cluster's two companies named with markup, sharing a project named so too."""
    kb = sample_kb(hostile=True)
    kb.add_node(Node("proj:hostile", "Project", {"name_ja": HOSTILE_IMG, "name_en": "P"}))
    for number in (0, 1):
        kb.add_relationship(
            Relationship(
                f"rel:hostile-project-{number}",
                "PARTICIPATES_IN",
                f"org:hostile-{number}",
                "proj:hostile",
                {"source_doc": SOURCE, "span": HOSTILE_SCRIPT, "span_line": 1},
            )
        )
    return kb


def test_markup_in_a_derived_ties_card_stays_data() -> None:
    page = render_network_page(_hostile_sharing())
    assert HOSTILE_IMG not in page and HOSTILE_SCRIPT not in page
    tie = next(e for e in page_data(page)["edges"] if e.get("derived") and "hostile" in e["id"])
    assert HOSTILE_IMG in dict(tie["rows"])["共有しているもの"]


@pytest.mark.browser
def test_markup_in_a_derived_ties_card_renders_as_text(browser: Any, tmp_path: Path) -> None:
    path = write_network_page(_hostile_sharing(), tmp_path / "hostile.html")
    with open_offline(browser, path) as page:
        page.wait_until_still()
        tie = page.evaluate(
            "window.bioclusterNetwork.edges.get()"
            ".find((e) => e.derived && e.id.includes('hostile')).id"
        )
        page.evaluate("(id) => window.bioclusterNetwork.showDetails(id)", tie)
        text = page.page.locator("#details").inner_text()
        assert HOSTILE_IMG in text and HOSTILE_SCRIPT in text
        page.page.wait_for_timeout(200)
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        _clean(page)
