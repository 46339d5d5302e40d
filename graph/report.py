"""The printable cluster profile: one self-contained HTML page, and its PDF.

The page holds, in Japanese (default) or English: the cluster's structure (each body with
who sits on it, in which role and through which post), the stakeholders, the budget as a
treemap and as its tree with amounts in 千円, the brokers with their scores and a reason,
the education and event figures by fiscal year, and a sources section. Every fact shown
carries a number ``[n]``; the sources section gives, for each number, the document, the
line and the span the fact quotes, and how the fact is known (stated, read from the layout
or inferred, with the curator's reason; :mod:`biocluster_kg.graph.citations`), so a reader
can check any figure against its source. A number whose fact is not stated is marked in the
text (``†`` layout, ``‡`` inferred).

Offline by construction: the CSS is inlined, figures are SVG data URIs (text drawn as paths,
so no font is needed to view them), there is no script, and the Content Security Policy
forbids any request but the data URIs. Every text is escaped by the template engine.

:func:`print_pdf` prints the page with a local headless Chromium through Playwright, with
every request blocked; a missing Chromium or Playwright is an error that says what to
install and names ``BIOCLUSTER_CHROMIUM``.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocluster_kg.graph.citations import Citations
from biocluster_kg.graph.figures.canvas import Progress, quiet
from biocluster_kg.kernel.errors import RenderError
from biocluster_kg.kernel.fiscal import fiscal_year_text
from biocluster_kg.kernel.schema import SCHEMA, SECTOR_STYLE, SECTORS

if TYPE_CHECKING:
    from biocluster_kg.kernel.cluster import ClusterProfile
    from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship

__all__ = ["TOP_BROKERS", "chromium_executable", "print_pdf", "render_report"]

#: How many brokers the report lists.
TOP_BROKERS = 10
_TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"
_CSS = Path(__file__).resolve().parent / "assets" / "report.css"
_BODY_ORDER = ("council", "committee")
_ROLE_ORDER = ("chair", "vice_chair")

#: The report's own words; names and vocabulary come from the knowledge base and the schema.
WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "report": "クラスター概要",
        "contents": "目次",
        "structure": "推進体制",
        "structure_note": "各会議体の構成員と役割（役職による参加は、その役職の所属先を併記）。",
        "role": "役割",
        "member": "構成員",
        "organisation": "所属",
        "source": "出典",
        "kind": "種別",
        "sector": "セクター",
        "coordinators": "コーディネーターの配置",
        "year": "年度",
        "what": "内容",
        "number": "人数",
        "stakeholders": "関係者一覧",
        "stakeholders_note": "組織・団体・会議体ごとに1行。役職はその所属先の行にまとめた。",
        "name": "名称",
        "posts": "役職",
        "seats": "会議体での役割",
        "via": "（{post}として）",
        "budget": "予算",
        "budget_tree": "予算の体系",
        "line": "事業",
        "amount": "金額（千円）",
        "breakdown": "［内訳］",
        "sum_note": "括弧内の金額は記載がなく、内訳の合計。"
        "［内訳］は同じ事業の別の分け方で、合計には加えない。",
        "no_budget": "予算の記載はありません。",
        "brokers": "仲介役（ブローカー）",
        "brokers_note": "企業と研究所を結ぶ経路を多く担う主体の順。"
        "橋渡し度は企業の最短経路のうちその主体を通る割合の平均。",
        "rank": "順位",
        "companies": "橋渡しする企業",
        "reason": "理由",
        "sampled": "媒介中心性は{sample}件の標本から推定（主体数{actors:,}）。他の指標は厳密値。",
        "education": "人材育成とイベントの実績",
        "series": "項目",
        "unit": "単位",
        "no_figures": "年度別の実績の記載はありません。",
        "sources": "出典一覧",
        "sources_note": "本文の［番号］に対応する記載箇所（資料名・行・引用）と、その事実の根拠"
        "（記載：原文が述べている／図の配置：図の枠・矢印・見出しから読んだ／推論：読み手の解釈、"
        "理由を併記）。本文の番号の†は図の配置、‡は推論による事実。",
        "basis": "根拠：",
        "line_no": "{line}行目",
        "row_no": "{line}行目",
        "also": "、",
        "summary": "主体 {actors:,}（{sectors}）、関係 {ties:,}、出典 {sources} 件。",
        "companies_count": "{count}社",
        "figure_budget": "予算の内訳（面積が金額に比例）",
        "figure_education": "年度別の実績",
        "none": "—",
    },
    "en": {
        "report": "Cluster profile",
        "contents": "Contents",
        "structure": "Structure",
        "structure_note": "Who sits on each body and in which role (a seat held through a post "
        "shows the post's organisation).",
        "role": "Role",
        "member": "Member",
        "organisation": "Organisation",
        "source": "Source",
        "kind": "Kind",
        "sector": "Sector",
        "coordinators": "Coordinators",
        "year": "Fiscal year",
        "what": "What",
        "number": "People",
        "stakeholders": "Stakeholders",
        "stakeholders_note": "One row per organisation, group and body; posts are listed on "
        "the row of their organisation.",
        "name": "Name",
        "posts": "Posts",
        "seats": "Seats",
        "via": " (as {post})",
        "budget": "Budget",
        "budget_tree": "The budget tree",
        "line": "Line",
        "amount": "Thousand yen",
        "breakdown": "[breakdown] ",
        "sum_note": "An amount in brackets is not stated: it is the sum of the parts. A "
        "[breakdown] is another split of the same line and is not added in.",
        "no_budget": "The knowledge base states no budget.",
        "brokers": "Brokers",
        "brokers_note": "Ranked by how much of the companies' routes to the institute they "
        "carry; the bridge score is the average share of a company's shortest routes "
        "through the actor.",
        "rank": "Rank",
        "companies": "Companies bridged",
        "reason": "Reason",
        "sampled": "Betweenness estimated from {sample} sampled sources ({actors:,} actors); "
        "the other measures are exact.",
        "education": "Education and events",
        "series": "What",
        "unit": "Unit",
        "no_figures": "The knowledge base states no figures by year.",
        "sources": "Sources",
        "sources_note": "Where each numbered fact is stated: document, line and quoted span, "
        "and how the fact is known (stated: the words say it; layout: read from the slide's "
        "boxes, arrows or headings; inferred: a reader's conclusion, with the reason). In the "
        "text, † marks a number whose fact is read from the layout, ‡ one that is inferred.",
        "basis": "basis: ",
        "line_no": "line {line}",
        "row_no": "row {line}",
        "also": "; also ",
        "summary": "{actors:,} actors ({sectors}), {ties:,} relationships, {sources} source(s).",
        "companies_count": "{count}",
        "figure_budget": "How the budget divides (area is amount)",
        "figure_education": "Figures by fiscal year",
        "none": "—",
    },
}


def _name(node: Node | None, lang: str) -> str:
    if node is None:
        return ""
    value = node.get("name_ja") if lang == "ja" else node.get("name_en")
    return str(value or node.get("name_ja") or node.id)


def _role(rel: Relationship, lang: str) -> str:
    role = rel.get("role")
    if lang == "ja" and rel.get("role_ja"):
        return str(rel.get("role_ja"))
    return SCHEMA.term_name("role", str(role), lang) if role else ""


def _post_of(kb: KnowledgeBase) -> dict[str, str]:
    posts = set(SCHEMA.types_meaning("post_of"))
    return {
        rel.start: rel.end
        for rel in sorted(kb.relationships.values(), key=lambda r: r.id)
        if rel.type in posts
    }


def _structure(kb: KnowledgeBase, lang: str, cite: Citations) -> list[dict[str, Any]]:
    post_of = _post_of(kb)
    seats: dict[str, list[Relationship]] = defaultdict(list)
    for rel in kb.relationships_of_type("MEMBER_OF"):
        if rel.end in kb.nodes and kb.nodes[rel.end].label == "Body":
            seats[rel.end].append(rel)

    def body_key(body: Node) -> tuple[int, int, str]:
        kind = str(body.get("kind"))
        rank = _BODY_ORDER.index(kind) if kind in _BODY_ORDER else len(_BODY_ORDER)
        line = body.get("span_line")
        return (rank, line if isinstance(line, int) else 1 << 30, body.id)

    def seat_key(rel: Relationship) -> tuple[int, str]:
        role = str(rel.get("role"))
        return (_ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER), rel.start)

    bodies = []
    for body in sorted(kb.nodes_with_label("Body"), key=body_key):
        members = []
        for rel in sorted(seats.get(body.id, []), key=seat_key):
            member = kb.nodes.get(rel.start)
            organisation = kb.nodes.get(post_of.get(rel.start, ""))
            members.append(
                {
                    "role": _role(rel, lang),
                    "member": _name(member, lang),
                    "organisation": _name(organisation, lang),
                    "cite": cite.cite(rel),
                }
            )
        parent = next(
            (
                kb.nodes[rel.end]
                for rel in kb.relationships.values()
                if rel.start == body.id and rel.type in SCHEMA.types_meaning("part_of")
            ),
            None,
        )
        bodies.append(
            {
                "name": _name(body, lang),
                "kind": SCHEMA.kind_name("Body", str(body.get("kind")), lang),
                "within": _name(parent, lang),
                "cite": cite.cite(body),
                "members": members,
            }
        )
    return bodies


def _coordinators(kb: KnowledgeBase, lang: str, cite: Citations) -> list[dict[str, Any]]:
    rows = []
    staffing = [node for node in kb.nodes_with_label("Figure") if node.get("kind") == "staffing"]
    for node in sorted(
        staffing, key=lambda n: (n.get("fiscal_year") or 0, n.get("span_line") or 0)
    ):
        year = node.get("fiscal_year")
        rows.append(
            {
                "year": fiscal_year_text(year, lang) if isinstance(year, int) else "",
                "what": _name(node, lang),
                "value": f"{node.get('value')}{node.get('unit_ja') or ''}"
                if lang == "ja"
                else str(node.get("value")),
                "cite": cite.cite(node),
            }
        )
    return rows


def _stakeholders(kb: KnowledgeBase, lang: str, cite: Citations) -> list[dict[str, Any]]:
    from biocluster_kg.graph.exports.stakeholders import StakeholderFilter, stakeholder_rows
    from biocluster_kg.kernel.sectors import effective_sectors

    sectors = effective_sectors(kb)
    post_of = _post_of(kb)
    seats: dict[str, list[str]] = defaultdict(list)
    for rel in sorted(kb.relationships_of_type("MEMBER_OF"), key=lambda r: r.id):
        holder = post_of.get(rel.start, rel.start)
        role = _role(rel, lang)
        text = _name(kb.nodes.get(rel.end), lang) + (f"：{role}" if lang == "ja" else f": {role}")
        if holder != rel.start:
            text += WORDS[lang]["via"].format(post=_name(kb.nodes.get(rel.start), lang))
        seats[holder].append(text)
    rows = []
    for row in stakeholder_rows(kb, StakeholderFilter()):
        node = kb.nodes[row["id"]]
        sector = sectors.get(node.id)
        posts = [
            _name(kb.nodes[post], lang)
            for post, holder in sorted(post_of.items())
            if holder == node.id
        ]
        rows.append(
            {
                "name": _name(node, lang),
                "kind": SCHEMA.kind_name(node.label, str(row["kind"]), lang) if row["kind"] else "",
                "sector": SECTOR_STYLE[sector][lang] if sector in SECTOR_STYLE else "",
                "posts": "、".join(posts) if lang == "ja" else "; ".join(posts),
                "seats": seats.get(node.id, []),
                "cite": cite.cite(node),
            }
        )
    return rows


def _budget(kb: KnowledgeBase, root: str | None, lang: str, cite: Citations) -> list[dict]:
    from biocluster_kg.graph.figures.data import budget_lines

    if not root or root not in kb.nodes:
        return []
    rows = []
    for line in budget_lines(kb, root):
        if line.stated is not None:
            amount = f"{line.stated:,}"
        elif line.total is not None:
            amount = f"({line.total:,})"
        else:
            amount = ""
        marker = ""
        if line.link == "breakdown" and not line.name_ja.startswith("内訳"):
            marker = WORDS[lang]["breakdown"]
        rows.append(
            {
                "depth": line.depth,
                "label": f"{marker}{line.number + ' ' if line.number else ''}{line.name(lang)}",
                "amount": amount,
                "stated": line.stated is not None,
                "cite": cite.cite(line.node),
            }
        )
    return rows


def _reason_ja(actor: Any, kb: KnowledgeBase, institute: str, roles: dict[str, int]) -> str:
    # The analysis words its reasons in English; the same facts, said in Japanese.
    if actor.id == institute:
        return "企業からの経路が行き着く研究所そのもの"
    if actor.companies:
        names = [_name(kb.nodes.get(c), "ja") for c in actor.companies[:3]]
        more = f"ほか{len(actor.companies) - 3}社" if len(actor.companies) > 3 else ""
        share = actor.dependency / len(actor.companies)
        target = _name(kb.nodes.get(institute), "ja")
        text = f"{len(actor.companies)}社（{'、'.join(names)}{more}）を{target}と結ぶ"
        if round(share, 9) < 1:
            text += f"（最短経路の{share:.0%}）"
        return text
    pairs = sum(roles.values()) // 2
    if pairs:
        main = max(roles, key=lambda role: (roles[role], role))
        role = SCHEMA.term_name("brokerage_roles", main)
        return f"直接つながらない{pairs}組の相手をつなぐ（主に{role}）"
    if actor.degree:
        return f"つながる{actor.degree}主体は互いにもつながっており、仲介はない"
    return "数えたつながりはない"


def _brokers(
    kb: KnowledgeBase, profile: ClusterProfile, lang: str, cite: Citations
) -> tuple[list[dict[str, Any]], str]:
    from biocluster_kg.graph.brokerage import analyze_brokers, betweenness_sample
    from biocluster_kg.kernel.errors import AnalysisError

    sample = betweenness_sample(kb)
    try:
        analysis = analyze_brokers(kb, sample=sample, profile=profile)
    except AnalysisError:
        # A workspace without its institute has no company routes to rank.
        return [], ""
    rows = []
    for rank, actor in enumerate(analysis.ranking(TOP_BROKERS), start=1):
        roles = [SCHEMA.term_name("brokerage_roles", role, lang) for role in actor.roles_held]
        reason = (
            _reason_ja(actor, kb, analysis.bridges.institute, actor.roles)
            if lang == "ja"
            else actor.reason
        )
        rows.append(
            {
                "rank": rank,
                "name": _name(kb.nodes.get(actor.id), lang),
                "sector": SECTOR_STYLE.get(actor.sector, {}).get(lang, actor.sector),
                "companies": WORDS[lang]["companies_count"].format(count=len(actor.companies)),
                "bridge_score": f"{actor.bridge_score:.3f}",
                "betweenness": f"{actor.betweenness:.3f}",
                "roles": "、".join(roles) if lang == "ja" else ", ".join(roles),
                "reason": reason,
                "cite": cite.cite(kb.nodes.get(actor.id)),
            }
        )
    actors = sum(1 for node in kb.nodes.values() if node.label in SCHEMA.actor_labels)
    note = WORDS[lang]["sampled"].format(sample=sample, actors=actors) if sample else ""
    return rows, note


def _year_table(kb: KnowledgeBase, lang: str, cite: Citations) -> dict[str, Any]:
    from biocluster_kg.graph.figures.data import year_series

    series = year_series(kb)
    years = sorted({year for one in series for year in one.values})
    rows = []
    for one in series:
        by_year = {int(n.get("fiscal_year")): n for n in one.nodes}
        rows.append(
            {
                "name": one.name(lang),
                "unit": one.unit(lang),
                "cells": [
                    {"value": f"{one.values[y]:,}", "cite": cite.cite(by_year.get(y))}
                    if y in one.values
                    else {"value": "", "cite": None}
                    for y in years
                ],
            }
        )
    return {"years": [fiscal_year_text(y, lang) for y in years], "rows": rows}


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_report(
    kb: KnowledgeBase,
    profile: ClusterProfile,
    *,
    lang: str = "ja",
    progress: Progress = quiet,
) -> str:
    """The report as one self-contained HTML page (see the module docstring).

    Raises
    ------
    RenderError
        If ``lang`` is not ja or en, or a figure cannot be drawn (no Japanese font).
    """
    import jinja2

    from biocluster_kg.graph.figures.budget import budget_figure
    from biocluster_kg.graph.figures.data import year_series
    from biocluster_kg.graph.figures.education import education_figure

    if lang not in WORDS:
        raise RenderError(f"unknown language {lang!r}; expected ja or en")
    words = WORDS[lang]
    cite = Citations(kb)
    progress("structure")
    structure = _structure(kb, lang, cite)
    coordinators = _coordinators(kb, lang, cite)
    progress("stakeholders")
    stakeholders = _stakeholders(kb, lang, cite)
    progress("budget")
    budget = _budget(kb, profile.budget_root, lang, cite)
    budget_svg = (
        _data_uri(budget_figure(kb, str(profile.budget_root), lang=lang))
        if budget and any(row["amount"] for row in budget)
        else None
    )
    progress("brokers")
    brokers, brokers_note = _brokers(kb, profile, lang, cite)
    progress("education")
    years = _year_table(kb, lang, cite)
    education_svg = _data_uri(education_figure(kb, lang=lang)) if year_series(kb) else None
    progress("page")
    actor_nodes = [n for n in kb.nodes.values() if n.label in SCHEMA.actor_labels]
    from biocluster_kg.kernel.sectors import effective_sectors

    sectors = effective_sectors(kb)
    counts = {s: sum(1 for n in actor_nodes if sectors.get(n.id) == s) for s in SECTORS}
    joiner = "、" if lang == "ja" else ", "
    sector_text = joiner.join(
        f"{SECTOR_STYLE[s][lang]} {counts[s]:,}" for s in SECTORS if counts[s]
    )
    summary = words["summary"].format(
        actors=len(actor_nodes),
        sectors=sector_text,
        ties=len(kb.relationships),
        sources=len(kb.sources),
    )
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(_TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        lang=lang,
        words=words,
        title=profile.title(lang),
        summary=summary,
        css=_CSS.read_text(encoding="utf-8"),
        structure=structure,
        coordinators=coordinators,
        stakeholders=stakeholders,
        budget=budget,
        budget_svg=budget_svg,
        brokers=brokers,
        brokers_note=brokers_note,
        years=years,
        education_svg=education_svg,
        sources=cite.entries(lang, words["line_no"], words["row_no"]),
        marks={number: cite.mark(number) for number in range(1, len(cite.order) + 1)},
        property_titles={
            name: SCHEMA.property_title(name, lang)
            for name in ("bridge_score", "betweenness", "brokerage_roles")
        },
    )


def chromium_executable() -> str:
    """The Chromium to print with: ``BIOCLUSTER_CHROMIUM``, else Debian's or one on PATH.

    Raises
    ------
    RenderError
        If none is found (or ``BIOCLUSTER_CHROMIUM`` names no file).
    """
    configured = os.environ.get("BIOCLUSTER_CHROMIUM")
    if configured:
        if Path(configured).is_file():
            return configured
        raise RenderError(f"BIOCLUSTER_CHROMIUM={configured} is not a file: set it to Chromium")
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    raise RenderError(
        "a PDF report needs a local Chromium: install it (Debian: apt-get install chromium) "
        "or set BIOCLUSTER_CHROMIUM to its path; or write the report as .html"
    )


#: How long Chromium may take to lay out and print one report.
_PRINT_TIMEOUT_MS = 600_000

_CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _fontconfig_with_bundled_font(folder: Path) -> dict[str, str | float | bool]:
    """Chromium's environment, its fontconfig also knowing the bundled IPAexGothic.

    Chromium on Linux draws with the fonts fontconfig lists, and a machine with no Japanese
    font would print the report in empty boxes. So the configuration Chromium reads is the
    machine's own (``FONTCONFIG_FILE``, else ``/etc/fonts/fonts.conf``), included whole, plus
    the folder of the IPAexGothic that comes with the ``japanize-matplotlib`` dependency,
    after the machine's fonts (which therefore keep their precedence). The PDF then embeds
    the font's TrueType outlines. The machine's configuration itself is left unchanged.
    """
    from xml.sax.saxutils import escape

    from biocluster_kg.graph.figures.fonts import bundled_font_path

    environment: dict[str, str | float | bool] = dict(os.environ)
    path = bundled_font_path()
    if path is None:
        return environment
    machine = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{escape(str(Path(machine).resolve()))}</include>\n'
        f"  <dir>{escape(str(Path(path).parent))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'fontconfig-cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    environment["FONTCONFIG_FILE"] = str(config)
    return environment


_REPORT_FOLDER = "biocluster-report-"


def _remove_folders_of_killed_reports() -> None:
    """Remove the temporary folders of PDF reports whose process is gone (best effort)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_REPORT_FOLDER}*-*"):
        pid = folder.name.removeprefix(_REPORT_FOLDER).split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # another user's process: not ours to judge
            continue


def print_pdf(page: str) -> bytes:
    """The HTML ``page`` printed to A4 PDF by headless Chromium, every request but the page
    itself aborted. Chromium also sees the bundled Japanese font
    (:func:`_fontconfig_with_bundled_font`), so the PDF embeds one even where the system has
    none.

    Raises
    ------
    RenderError
        If Playwright or Chromium is missing, or Chromium fails to print.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise RenderError(
            "a PDF report needs Playwright: pip install 'biocluster-kg[pdf]' (it drives the "
            "local Chromium named by BIOCLUSTER_CHROMIUM; no browser is downloaded)"
        ) from None
    executable = chromium_executable()
    _remove_folders_of_killed_reports()
    # The process id in the name: a report killed while printing (SIGKILL runs no cleanup)
    # leaves its folder, and the next report removes it.
    prefix = f"{_REPORT_FOLDER}{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        html_path = Path(folder) / "report.html"
        html_path.write_text(page, encoding="utf-8")
        page_url = html_path.as_uri()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable,
                    args=_CHROMIUM_ARGS,
                    headless=True,
                    env=_fontconfig_with_bundled_font(Path(folder)),
                )
                try:
                    context = browser.new_context(offline=True)
                    context.route(
                        "**/*",
                        lambda route: (
                            route.continue_() if route.request.url == page_url else route.abort()
                        ),
                    )
                    tab = context.new_page()
                    # Playwright's 30 s default is too short for a 5k-actor report (3 MB of
                    # tables); nothing here waits on the network, so a long wait cannot hang
                    # on a request.
                    tab.set_default_timeout(_PRINT_TIMEOUT_MS)
                    tab.goto(page_url, wait_until="load")
                    tab.emulate_media(media="print")
                    return bytes(
                        tab.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                    )
                finally:
                    browser.close()
        except PlaywrightError as error:
            raise RenderError(
                f"Chromium ({executable}) could not print the report: {error}"
            ) from error
