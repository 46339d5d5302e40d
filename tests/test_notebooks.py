"""The analyst notebooks: committed clean, and every one runs top to bottom in a real kernel.

Each notebook is executed with nbclient in a fresh ``python3`` kernel of this environment,
in a temporary folder, against the embedded store named by ``BIOCLUSTER_STORE`` there, with
matplotlib's Agg backend; any error, and any output on stderr (a warning such as a glyph
missing from the chart font), fails the test. The helpers behind the notebooks
(``biocluster_kg/app/notebook.py``) are tested here too, on the shipped knowledge base in a real
temporary Ladybug store.
"""

from __future__ import annotations

import copy
import dataclasses
import html.parser
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from biocluster_kg.app import notebook as nb
from biocluster_kg.graph.brokerage import BrokerageAnalysis, analyze_brokers
from biocluster_kg.graph.page import render_network_page
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.errors import BackendError, QueryParameterError, RenderError
from biocluster_kg.kernel.model import KnowledgeBase

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
STRIP_SCRIPT = NOTEBOOK_DIR.parent / "scripts" / "strip-notebook-outputs"
NEO4J_VARIABLES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
CELL_TIMEOUT = 180


def _ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


# -- committed clean ----------------------------------------------------------------------


def test_the_notebooks_are_there_and_documented() -> None:
    assert {"01-explore", "02-brokers", "03-budget"} <= set(_ids(NOTEBOOKS))
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert path.name in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    for cell in code_cells:
        assert cell.outputs == [], f"{path.name} cell {cell.id} has outputs"
        assert cell.execution_count is None, f"{path.name} cell {cell.id} has a count"
        assert "execution" not in cell.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_first_code_cell_chooses_the_embedded_store(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    settings: dict[str, Any] = {}
    exec(first.source, settings)  # noqa: S102 - the notebook's own settings cell
    assert settings["USE_NEO4J"] is False
    assert settings["STORE"] is None


def test_strip_outputs_clears_outputs_and_counts(tmp_path: Path) -> None:
    target = tmp_path / "notebook.ipynb"
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    cell.execution_count = 7
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nbformat.write(notebook, target)

    def strip() -> str:
        # A script now, not a second command line inside the library.
        command = [sys.executable, str(STRIP_SCRIPT), str(target)]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    assert strip() == f"{target}: stripped\n"
    stripped = nbformat.read(target, as_version=4)
    assert all(
        cell.outputs == [] and cell.execution_count is None and "execution" not in cell.metadata
        for cell in stripped.cells
        if cell.cell_type == "code"
    )
    assert strip() == f"{target}: already clean\n"


# -- executed in a real kernel -------------------------------------------------------------


def _execute(notebook: Any, folder: Path) -> Any:
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


@pytest.fixture
def kernel_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The kernel inherits this: Agg charts, the store in tmp, no Neo4j settings."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("BIOCLUSTER_STORE", str(tmp_path / "knowledge.lbug"))
    for name in NEO4J_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _outputs(notebook: Any) -> list[Any]:
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def test_kernel_runs_this_environments_python(kernel_environment: Path) -> None:
    probe = nbformat.v4.new_notebook()
    probe.cells = [
        nbformat.v4.new_code_cell(
            "import os, sys\nprint(sys.executable)\nprint(sys.prefix)\nprint(os.getcwd())"
        )
    ]
    probe.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    executed = _execute(probe, kernel_environment)
    executable, prefix, cwd = executed.cells[0].outputs[0]["text"].splitlines()
    assert executable == sys.executable
    assert prefix == sys.prefix
    assert Path(cwd).resolve() == kernel_environment.resolve()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
@pytest.mark.slow
def test_notebook_runs_top_to_bottom(path: Path, kernel_environment: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    executed = _execute(notebook, kernel_environment)

    outputs = _outputs(executed)
    assert not [output for output in outputs if output.output_type == "error"]
    stderr = [output["text"] for output in outputs if output.get("name") == "stderr"]
    assert stderr == []
    # It used the embedded store BIOCLUSTER_STORE names, in the temporary folder.
    assert (kernel_environment / "knowledge.lbug").is_file()
    session_repr = next(
        output["data"]["text/plain"]
        for output in outputs
        if "data" in output and output["data"].get("text/plain", "").startswith("<Session")
    )
    assert session_repr.startswith("<Session ladybug at ")
    assert str(kernel_environment / "knowledge.lbug") in session_repr

    kinds = [kind for output in outputs for kind in output.get("data", {})]
    if path.stem == "01-explore":
        pages = [
            output["data"]["text/html"]
            for output in outputs
            if "<iframe srcdoc=" in output.get("data", {}).get("text/html", "")
        ]
        assert len(pages) == 2
    else:
        assert "image/png" in kinds
    if path.stem == "03-budget":
        printed = "".join(output.get("text", "") for output in outputs)
        assert "380,067" in printed and "7,081 + 22,071" in printed


@pytest.mark.neo4j
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs_on_neo4j(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``USE_NEO4J = True`` the same cells run on the server (its database is replaced)."""
    from neo4j_support import neo4j_settings_or_skip

    settings = neo4j_settings_or_skip()
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("NEO4J_URI", settings.uri)
    monkeypatch.setenv("NEO4J_USERNAME", settings.username)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password)
    if settings.database is None:
        monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    else:
        monkeypatch.setenv("NEO4J_DATABASE", settings.database)
    notebook = nbformat.read(path, as_version=4)
    settings_cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
    settings_cell.source = settings_cell.source.replace("USE_NEO4J = False", "USE_NEO4J = True")
    assert "USE_NEO4J = True" in settings_cell.source

    executed = _execute(notebook, tmp_path)

    outputs = _outputs(executed)
    assert [output["text"] for output in outputs if output.get("name") == "stderr"] == []
    text = "\n".join(
        output.get("text", "") + output.get("data", {}).get("text/plain", "") for output in outputs
    )
    assert "<Session neo4j at " in text
    assert settings.password not in text
    assert not (tmp_path / "knowledge.lbug").exists()


# -- the helpers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nb.Session]:
    """The shipped knowledge base in a real Ladybug store (read-only use, please)."""
    store = tmp_path_factory.mktemp("store") / "knowledge.lbug"
    with nb.open_session(store=store) as opened:
        yield opened


@pytest.fixture(scope="module")
def analysis(session: nb.Session) -> BrokerageAnalysis:
    return analyze_brokers(session.kb, profile=SHIPPED_PROFILE)


def test_default_store_is_temporary_and_removed_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIOCLUSTER_STORE", raising=False)
    session = nb.open_session()
    store = Path(session.location)
    assert store.is_file() and store.name == "knowledge.lbug"
    assert session.counts()["in_store"].sum() == len(session.kb.nodes) + len(
        session.kb.relationships
    )
    session.close()
    assert not store.parent.exists()
    session.close()  # twice is harmless


def test_store_from_environment_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "named" / "kb.lbug"
    monkeypatch.setenv("BIOCLUSTER_STORE", str(store))
    with nb.open_session() as session:
        assert session.location == str(store)
        assert repr(session).startswith(f"<Session ladybug at {store}: ")
    assert store.is_file()


def test_neo4j_needs_its_settings_and_never_shows_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", "not-shown-anywhere")
    with pytest.raises(BackendError) as raised:
        nb.open_session(use_neo4j=True)
    assert str(raised.value).startswith("use_neo4j is set but NEO4J_URI is not: set NEO4J_URI")
    assert "not-shown-anywhere" not in str(raised.value)


def test_query_and_cypher_answer_as_dataframes(session: nb.Session) -> None:
    members = session.query("council_and_committee")
    assert isinstance(members, pd.DataFrame)
    chair = members[members["role_ja"] == "会長"].iloc[0]
    assert chair["member_name_ja"] == "山形県知事"

    found = session.cypher(
        "MATCH (o:`Organization`) WHERE $alias IN o.aliases RETURN o.id AS id, "
        "o.name_ja AS name_ja ORDER BY id",
        alias="慶應先端研",
    )
    assert found.to_dict("records") == [
        {"id": "org:iab", "name_ja": "慶應義塾大学先端生命科学研究所"}
    ]
    with pytest.raises(QueryParameterError):
        session.query("actor_profile", nme="HMT")


def test_frame_keeps_whole_numbers_whole(session: nb.Session) -> None:
    tree = session.query("budget_tree")
    assert str(tree["stated_thousand_yen"].dtype) == "Int64"
    assert tree["stated_thousand_yen"].isna().any()


def test_catalogue_lists_every_library_question() -> None:
    from biocluster_kg.cypher.library import default_library

    catalogue = nb.query_catalogue()
    assert catalogue["name"].tolist() == default_library().names()
    row = catalogue.set_index("name").loc["actor_profile"]
    assert row["parameters"] == "name name"


class _IframeReader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_network_html_carries_the_page_escaped_in_a_sandboxed_frame(
    shipped_kb: KnowledgeBase,
) -> None:
    kb = copy.deepcopy(shipped_kb)
    node = kb.nodes["org:spiber"]
    kb.nodes["org:spiber"] = dataclasses.replace(
        node, properties={**node.properties, "name_en": 'Spiber" onload="alert(1)"><script>'}
    )
    markup = nb.network_html(kb, height=480)
    reader = _IframeReader()
    reader.feed(markup)
    # Outside the frame there is nothing but the frame: no attribute or tag leaked out.
    assert reader.tags == ["div", "iframe"]
    frame = reader.frames[0]
    assert set(frame) == {"srcdoc", "sandbox", "title", "style"}
    assert frame["sandbox"] == "allow-scripts"
    assert "height: 480px" in (frame["style"] or "")
    # The attribute holds the whole page, byte for byte, once unescaped.
    assert frame["srcdoc"] == render_network_page(nb.with_measures(kb))


def test_network_html_rejects_a_silly_height(shipped_kb: KnowledgeBase) -> None:
    with pytest.raises(RenderError, match="height must be a whole number"):
        nb.network_html(shipped_kb, height=5)


@pytest.mark.browser
def test_inline_network_draws_in_a_real_browser(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    from browser_support import launched_chromium, open_offline

    host = tmp_path / "notebook-output.html"
    host.write_text(
        "<!DOCTYPE html><meta charset='utf-8'><body>"
        + nb.network_html(shipped_kb, height=600, focus="all")
        + "</body>",
        encoding="utf-8",
    )
    with launched_chromium() as browser, open_offline(browser, host) as page:
        frame = page.page.frame_locator("iframe")
        frame.locator('body[data-state="still"]').wait_for(state="attached", timeout=60_000)
        inner = next(f for f in page.page.frames if f != page.page.main_frame)
        drawn = inner.evaluate("window.bioclusterNetwork.drawnCounts()")
        assert drawn == {"nodes": len(shipped_kb.nodes), "edges": len(shipped_kb.relationships)}
        assert page.console_errors == []
        assert page.page_errors == []
        assert page.web_requests == []


# brokerage


def test_tie_kinds_table_marks_record_ties_as_not_counted() -> None:
    table = nb.tie_kinds_table().set_index("tie_kind")
    assert not table.loc["record", "counted"]
    # The record kind's types come from the schema (the audit added WORKS_ON to them).
    assert table.loc["record", "relationship_types"] == ", ".join(nb.SCHEMA.ties(("record",)))
    assert "PRODUCED" in table.loc["record", "relationship_types"]
    assert table["counted"].sum() == 5


def test_company_routes_name_the_brokers(analysis: BrokerageAnalysis, session: nb.Session) -> None:
    routes = nb.company_routes(analysis, session.kb).set_index("company_id")
    assert routes.loc["org:kojima-press", "brokers"] == "スパイバー"
    assert routes.loc["org:kojima-press", "steps"] == 3
    assert "管理法人機能" in str(routes.loc["group:food-manufacturers", "brokers"])
    assert len(routes) == len(analysis.bridges.companies)


def test_python_and_cypher_agree_on_the_bridges(
    analysis: BrokerageAnalysis, session: nb.Session
) -> None:
    comparison = nb.compare_with_cypher(analysis, session.query("bridges_companies_to_institute"))
    # Three brokers carry company routes since the audit's corrections (issue 17).
    assert len(comparison) >= 3
    assert comparison["agrees"].all()
    disagreeing = session.query("bridges_companies_to_institute")
    disagreeing.loc[0, "dependency"] = 99.0
    assert not nb.compare_with_cypher(analysis, disagreeing)["agrees"].all()


def test_broker_table_and_roles(analysis: BrokerageAnalysis) -> None:
    table = nb.broker_table(analysis)
    assert table.loc[0, "id"] == "body:managing-corporation-function"
    # 2 of the 11 companies with a route (issue 17's corrections added companies).
    assert table.loc[0, "bridge_score"] == pytest.approx(2 / len(analysis.bridges.companies))
    roles = nb.role_table(analysis, top=None)
    assert len(roles) == len(analysis.actors)
    # Undirected ties: every representative two-path has a gatekeeper mirror.
    assert (roles["representative"] == roles["gatekeeper"]).all()
    assert list(nb.roles_explained()["role"]) == list(nb.ROLE_MEANINGS)


def test_ties_of_finds_an_actor_by_alias(analysis: BrokerageAnalysis, session: nb.Session) -> None:
    ties = nb.ties_of(analysis, session.kb, "庄内産振センター").set_index("other_id")
    assert ties.loc["body:managing-corporation-function", "direct"] == "MEMBER_OF"
    # Since issue 30 (M3) the centre is the core of the integrated support, not the ladder's
    # implementer: its way to the companies runs through the function it serves as, whose
    # alias finds it too.
    served = nb.ties_of(analysis, session.kb, "管理法人").set_index("other_id")
    assert served.loc["group:companies-in-prefecture", "through"] == "研究成果の活用支援"


# charts


def _draw_without_warnings(chart: nb.Chart) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = chart.png()
    assert png.startswith(b"\x89PNG")


def _tick_labels(axes: Any) -> list[str]:
    """The bar labels from the top bar down."""
    ticks = zip(axes.get_yticks(), axes.get_yticklabels(), strict=True)
    return [label.get_text() for _, label in sorted(ticks, key=lambda tick: -tick[0])]


def _bar_lengths(axes: Any) -> list[float]:
    return [bar.get_width() for bar in axes.patches]


def _top_bridges(analysis: BrokerageAnalysis, top: int) -> list[Any]:
    ranked = sorted(analysis.actors.values(), key=lambda actor: (-actor.bridge_score, actor.id))
    return [actor for actor in ranked if actor.bridge_score > 0][:top]


def test_bridge_chart_in_japanese_with_a_cjk_font(analysis: BrokerageAnalysis) -> None:
    # Never None: without a system font the IPAexGothic of japanize-matplotlib is used.
    assert nb.find_cjk_font() is not None
    chart = nb.plot_top_bridges(analysis, top=3)
    axes = chart.figure.axes[0]
    assert _tick_labels(axes) == [actor.name_ja for actor in _top_bridges(analysis, 3)]
    assert len(axes.patches) == 3
    _draw_without_warnings(chart)
    assert chart._repr_png_().startswith(b"\x89PNG")


def test_bridge_chart_falls_back_to_english_without_a_cjk_font(
    analysis: BrokerageAnalysis,
) -> None:
    chart = nb.plot_top_bridges(analysis, top=5, font_candidates=["No Such Font"])
    axes = chart.figure.axes[0]
    assert _tick_labels(axes) == [actor.name_en for actor in _top_bridges(analysis, 5)]
    _draw_without_warnings(chart)
    with pytest.warns(UserWarning, match="no font that draws Japanese"):
        asked = nb.plot_top_bridges(analysis, lang="ja", font_candidates=["No Such Font"])
    assert _tick_labels(asked.figure.axes[0])[0] == "Managing-corporation function"
    _draw_without_warnings(asked)


def test_betweenness_chart_draws_only_positive_values(analysis: BrokerageAnalysis) -> None:
    chart = nb.plot_top_bridges(analysis, top=50, measure="betweenness", lang="en")
    positive = sum(1 for actor in analysis.actors.values() if actor.betweenness > 0)
    assert len(chart.figure.axes[0].patches) == min(50, positive)


# the budget


def test_budget_tree_is_in_source_order_with_parents_first(session: nb.Session) -> None:
    tree = nb.budget_tree(session)
    assert tree.loc[0, "line_id"] == "prog:fy2013-budget"
    seen: set[str] = set()
    for record in tree.to_dict("records"):
        if not pd.isna(record["parent_id"]):
            assert record["parent_id"] in seen
        seen.add(record["line_id"])
    order = tree["line_id"].tolist()
    # Parts before breakdowns; the bullets under ① in the order the slide lists them.
    assert order.index("prog:fy2013-section-2-2") < order.index("prog:fy2013-section-2-breakdown")
    assert order.index("prog:fy2013-metabolome-applied-research") < order.index(
        "prog:fy2013-basic-research"
    )
    assert tree.loc[0, "line"] == "平成25年度バイオクラスター形成に向けた事業体系"
    assert tree.set_index("line_id").loc["prog:fy2013-coordinators", "line"] == (
        "\u3000" * 3 + "② コーディネーターの配置"
    )


def test_budget_checks_reconcile_with_the_source(session: nb.Session) -> None:
    checks = nb.budget_checks(nb.budget_tree(session))
    assert checks["agrees"].all()
    by_line = {(row.line_id, row.check): row for row in checks.itertuples()}
    root = by_line[("prog:fy2013-budget", "parts")]
    assert (root.stated, root.computed) == (380067, 380067)
    assert root.parts == "350,000 + 915 + 216 + 12,691 + 197 + 16,048"
    programmes = by_line[("prog:fy2013-section-2-breakdown", "parts")]
    assert (programmes.stated, programmes.parts) == (29152, "7,081 + 22,071")
    outline = by_line[("prog:fy2013-section-2-breakdown", "breakdown")]
    assert (outline.stated, outline.computed) == (29152, 29152)
    assert by_line[("prog:fy2013-iab-support-budget", "breakdown")].computed == 350915


def test_budget_checks_catch_a_line_that_does_not_add_up(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb = copy.deepcopy(shipped_kb)
    node = kb.nodes["prog:fy2013-exchange-budget"]
    kb.nodes[node.id] = dataclasses.replace(
        node, properties={**node.properties, "amount_thousand_yen": 200}
    )
    with nb.open_session(store=tmp_path / "kb.lbug", load=False) as changed:
        changed.load(kb)
        checks = nb.budget_checks(nb.budget_tree(changed))
    failing = checks[~checks["agrees"]]
    assert failing[["line_id", "check", "difference"]].values.tolist() == [
        ["prog:fy2013-budget", "parts", -3],
        ["prog:fy2013-section-2-breakdown", "breakdown", -3],
    ]


def test_budget_text_tree(session: nb.Session) -> None:
    tree = nb.budget_tree(session)
    text = nb.budget_text_tree(tree)
    lines = text.splitlines()
    assert lines[0].strip() == "千円"
    assert lines[1] == "  380,067   平成25年度バイオクラスター形成に向けた事業体系"
    assert (
        "  (29,152)  └─ 2 慶應先端研を軸とした先導的なバイオ研究成果の活用による産業振興" in lines
    )
    assert any(line.endswith("└─ 内訳") and "29,152" in line for line in lines)
    english = nb.budget_text_tree(tree, lang="en")
    assert "breakdown: Budget for supporting the institute's education and research" in english
    assert len(english.splitlines()) == len(lines)


def test_funding_flows_both_views_add_up_to_the_budget(session: nb.Session) -> None:
    outline = nb.funding_flows(session.kb, profile=session.profile).set_index("line_id")
    programme = nb.funding_flows(session.kb, view="programme", profile=session.profile).set_index(
        "line_id"
    )
    assert outline["amount_thousand_yen"].sum() == 380067
    assert programme["amount_thousand_yen"].sum() == 380067
    assert len(outline) == 6 and len(programme) == 3
    assert outline.loc["prog:fy2013-coordinators", "funded_by"] == "緊急雇用基金"
    assert outline.loc["prog:fy2013-coordinators", "supports"] == "県内企業"
    exchange = outline.loc["prog:fy2013-exchange-budget"]
    # The audit tied the FY2013 line to its plan item as well (issue 17, finding 3).
    assert (exchange["pays_for"], exchange["carried_out_by"]) == (
        "産学官研究交流推進事業、バイオ分野における研究者の交流の促進",
        "庄内地域産業振興センター",
    )
    innovation = nb.funding_flows(
        session.kb, view="programme", lang="en", profile=session.profile
    ).set_index("line_id")
    assert innovation.loc["prog:fy2013-bio-innovation-budget", "carried_out_by"] == (
        "Shonai Regional Industry Promotion Center"
    )


def test_budget_chart_shows_both_views(session: nb.Session) -> None:
    chart = nb.plot_budget(session.kb, lang="en", profile=session.profile)
    outline_axes, programme_axes = chart.figure.axes
    assert sum(_bar_lengths(outline_axes)) == 380067
    assert sum(_bar_lengths(programme_axes)) == 380067
    assert "total 380,067 (budget 380,067)" in outline_axes.get_title(loc="left")
    _draw_without_warnings(chart)
    japanese = nb.plot_budget(session.kb, profile=session.profile)
    assert "合計 380,067 千円" in japanese.figure.axes[0].get_title(loc="left")
    _draw_without_warnings(japanese)


def test_open_session_reads_the_data_folder_it_is_given(write_kb_file: Any, tmp_path: Path) -> None:
    data_dir = write_kb_file(
        "extra.yaml",
        "source: yamagata-biocluster-fy2013\n"
        "description: One more actor, for a test.\n"
        "nodes:\n"
        "  - id: org:extra-bank\n"
        "    label: Organization\n"
        "    kind: company\n"
        "    sector: finance\n"
        # The gate refuses a name the source does not write: this one it writes.
        "    name_ja: 金融機関\n"
        "    name_en: Extra Bank\n"
        "    span: 金融機関等\n",
    )
    with nb.open_session(store=tmp_path / "kb.lbug", data_dir=data_dir) as session:
        assert "org:extra-bank" in session.kb.nodes
        found = session.cypher(
            "MATCH (o:`Organization`) WHERE o.id = $id RETURN o.name_en AS name",
            id="org:extra-bank",
        )
    assert found["name"].tolist() == ["Extra Bank"]


def test_open_session_refuses_what_check_refuses(data_copy: Path, tmp_path: Path) -> None:
    from biocluster_kg.kernel.errors import CheckError

    (data_copy / "kb" / "planner.nodes.csv").write_text(
        "id,label,name_ja,name_en,kind,sector,source_doc,span\n"
        "org:invented,Organization,架空製薬,Invented Pharma,company,industry,"
        "yamagata-biocluster-fy2013,日新製薬（天童市）\n",
        encoding="utf-8",
    )
    with pytest.raises(CheckError, match="states names its source does not write"):
        nb.open_session(store=tmp_path / "kb.lbug", data_dir=data_copy)
    assert not (tmp_path / "kb.lbug").exists()


def test_open_session_stores_the_measures_as_load_does(session: nb.Session) -> None:
    stored = session.cypher(
        "MATCH (n:`Organization`) WHERE n.id = $id RETURN n.bridge_score AS score", id="org:iab"
    )
    assert stored["score"].notna().all()
    assert session.profile.budget_root == "prog:fy2013-budget"
