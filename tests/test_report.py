"""biocluster report: the HTML rendered from the shipped data and from a hostile copy, read
back as text; its PDF printed by the real Chromium and read with pdffonts and pdftotext."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from browser_support import chromium_or_skip, launched_chromium, open_offline, save_screenshot
from click.testing import CliRunner
from poppler_support import embedded_fonts, pdf_text

from biocluster_kg.app.report import write_report
from biocluster_kg.cli import cli
from biocluster_kg.graph.report import render_report
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import Node

PROFILE = load_cluster_profile()
COUNCIL = "body:promotion-council"


@pytest.fixture(scope="module")
def report_ja(shipped_kb) -> str:
    return render_report(shipped_kb, PROFILE, lang="ja")


def council_members(kb) -> list[str]:
    return sorted(
        str(kb.nodes[rel.start].get("name_ja"))
        for rel in kb.relationships_of_type("MEMBER_OF")
        if rel.end == COUNCIL
    )


def test_report_holds_the_budget_total_council_and_sources(shipped_kb, report_ja):
    assert "380,067" in report_ja
    members = council_members(shipped_kb)
    assert len(members) >= 10
    for name in members:
        assert name in report_ja
    # Every numbered fact has its source entry, with the line it cites.
    numbers = set(re.findall(r'href="#src-(\d+)"', report_ja))
    entries = set(re.findall(r'id="src-(\d+)"', report_ja))
    assert numbers and numbers == entries
    governor = shipped_kb.nodes["pos:governor"]
    assert f"{governor.get('span_line')}行目" in report_ja


def test_report_is_self_contained(report_ja):
    assert "default-src 'none'" in report_ja
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", report_ja)
    assert "<script" not in report_ja
    assert report_ja.count('src="data:image/svg+xml;base64,') == 2


def test_every_text_is_escaped(shipped_kb):
    kb = copy.deepcopy(shipped_kb)
    node = kb.nodes["org:iab"]
    kb.nodes["org:iab"] = Node(
        node.id, node.label, {**node.properties, "name_ja": '<img src=x onerror="alert(1)">'}
    )
    page = render_report(kb, PROFILE, lang="ja")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


def test_same_data_gives_the_same_report(shipped_kb, report_ja):
    assert render_report(shipped_kb, PROFILE, lang="ja") == report_ja


def test_english_report_is_english(shipped_kb):
    page = render_report(shipped_kb, PROFILE, lang="en")
    assert "Stakeholders" in page and "関係者一覧" not in page
    assert "Yamagata Bio Cluster Formation Promotion Council" in page


def test_a_pdf_without_chromium_says_what_to_set(tmp_path, monkeypatch):
    monkeypatch.setenv("BIOCLUSTER_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = CliRunner().invoke(cli, ["report", "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1
    assert "BIOCLUSTER_CHROMIUM" in result.output and "is not a file" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_a_report_of_another_format_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["report", "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 1
    assert "end it in .html or .pdf" in result.output


# -- in the real Chromium ---------------------------------------------------------------

#: Latin words the Japanese report may show that are no name: units and the measures' author.
ALLOWED_WORDS = {"Burt"}


def _allowed_latin(kb) -> set[str]:
    # Names, aliases and quoted spans are data written as the source writes them (JST, NASA,
    # AO入試, H25): Latin there is not the report speaking English. So is the curator's
    # reason for a fact not stated (issue 17), quoted beside its basis as the data gives it.
    allowed = set(ALLOWED_WORDS)
    for record in (*kb.nodes.values(), *kb.relationships.values()):
        for field in ("name_ja", "span", "role_ja", "unit_ja", "scope_ja", "basis_reason"):
            allowed.update(re.findall(r"[A-Za-z]+", str(record.get(field) or "")))
        for alias in record.get("aliases") or []:
            allowed.update(re.findall(r"[A-Za-z]+", alias))
    for source in kb.sources.values():
        allowed.update(re.findall(r"[A-Za-z]+", source.title))
    return allowed


@pytest.mark.browser
def test_japanese_report_in_chromium_shows_no_english_and_draws_cjk(shipped_kb, tmp_path):
    chromium_or_skip()
    target = write_report(tmp_path / "report.html", kb=shipped_kb, profile=PROFILE)
    with launched_chromium() as browser, open_offline(browser, target) as page:
        assert page.web_requests == [] and page.blocked == []
        assert page.page_errors == [] and page.console_errors == []
        text = page.evaluate("document.body.innerText")
        english = set(re.findall(r"[A-Za-z]+", text)) - _allowed_latin(shipped_kb)
        assert not english, sorted(english)
        # The font Chromium really drew the headings and the table with (not a fallback's
        # boxes): ask the browser itself.
        session = page.page.context.new_cdp_session(page.page)
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        for selector in ("h1", "table.members td"):
            node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
            families = {font["familyName"] for font in fonts["fonts"]}
            assert families & {"IPAexGothic", "Noto Sans CJK JP"}, (selector, fonts)
        # Figures are drawn: each image decoded with a real size.
        sizes = page.evaluate(
            "[...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
        )
        assert len(sizes) == 2 and all(done and w > 500 and h > 200 for done, w, h in sizes)
        page.page.locator("#budget figure").scroll_into_view_if_needed()
        shot = save_screenshot(page, "report-budget.png")
    from matplotlib import image

    pixels = image.imread(str(shot))[..., :3]
    assert 0.03 < float((pixels.sum(axis=2) < 2.9).mean()) < 0.9


@pytest.mark.browser
def test_pdf_report_embeds_a_cjk_font_and_holds_the_total_and_the_council(shipped_kb, tmp_path):
    chromium_or_skip()
    target = write_report(tmp_path / "report.pdf", kb=shipped_kb, profile=PROFILE)
    assert target.read_bytes().startswith(b"%PDF")
    fonts = embedded_fonts(target)
    assert any("IPAex" in f["name"] or "CJK" in f["name"] for f in fonts), fonts
    assert all(f["embedded"] == "yes" for f in fonts) and not any(
        f["type"] == "Type 3" for f in fonts
    ), fonts
    text = re.sub(r"\s+", "", pdf_text(target))
    assert "380,067" in text
    for name in council_members(shipped_kb):
        assert name in text, name


@pytest.mark.browser
def test_cli_report_pdf(tmp_path: Path):
    chromium_or_skip()
    target = tmp_path / "out" / "report.pdf"
    result = CliRunner().invoke(cli, ["report", "-o", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    assert target.stat().st_size > 10_000


def test_basis_reasons_are_in_japanese_in_the_japanese_report_and_english_one_option_away(
    shipped_kb, report_ja
):
    # Issue 26: 26 English sentences were the curators' reasons, shown as the data gave
    # them. The data now gives each reason in Japanese too (basis_reason_ja).
    reasons = [
        record
        for record in (*shipped_kb.nodes.values(), *shipped_kb.relationships.values())
        if record.get("basis_reason")
    ]
    assert len(reasons) > 100
    assert all(record.get("basis_reason_ja") for record in reasons)
    report_en = render_report(shipped_kb, PROFILE, lang="en")
    cited_ja = [r for r in reasons if str(r.get("basis_reason_ja")) in report_ja]
    assert cited_ja, "the report cites facts that are not stated"
    for record in cited_ja:
        english = str(record.get("basis_reason"))
        assert english not in report_ja or english in str(record.get("span") or "")
    assert any(str(r.get("basis_reason")) in report_en for r in cited_ja)
