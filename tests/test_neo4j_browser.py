"""The library's questions in the real Neo4j Browser, as an analyst uses them.

The local server serves Neo4j Browser when started with ``BIOCLUSTER_NEO4J_BROWSER=1``
(scripts/neo4j-server); CI does, and names the page in ``BIOCLUSTER_NEO4J_BROWSER_URL``.
Real headless Chromium opens it, connects over Bolt, runs the ``:param`` lines and the text
that docs/neo4j-browser.md gives for a question, and the table it shows must hold the rows the
command line gets from the same server.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from browser_support import launched_chromium
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cypher.browser_guide import browser_guide_markdown, param_lines
from biocluster_kg.cypher.library import default_library, run_query
from biocluster_kg.kernel.model import KnowledgeBase

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "neo4j-browser.md"
URL_VARIABLE = "BIOCLUSTER_NEO4J_BROWSER_URL"


def test_the_committed_guide_is_the_generated_one() -> None:
    assert GUIDE.read_text(encoding="utf-8") == browser_guide_markdown(), (
        "docs/neo4j-browser.md is stale: "
        "python -m biocluster_kg.cypher.browser_guide > docs/neo4j-browser.md"
    )


def test_every_question_has_its_param_lines_and_a_pasteable_text() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for query in default_library():
        assert f"## {query.name}" in guide
        for line in param_lines(query):
            assert line in guide
        text = query.text_for("neo4j")
        assert "{{" not in text and "// dialect" not in text
        for parameter in re.findall(r"\$(\w+)", re.sub(r"//.*", "", text)):
            assert parameter in {p.name for p in query.parameters}, (query.name, parameter)


def _browser_url() -> str:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        reason = f"{URL_VARIABLE} is not set (start the server with BIOCLUSTER_NEO4J_BROWSER=1)"
        if os.environ.get("BIOCLUSTER_REQUIRE_NEO4J") == "1":
            pytest.fail(f"BIOCLUSTER_REQUIRE_NEO4J=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="module")
def loaded_server(shipped_kb: KnowledgeBase) -> Any:
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    backend = Neo4jBackend(connect(settings), settings.database, description=settings.uri)
    backend.load(shipped_kb)
    yield settings, backend
    backend.close()


def _connect(page: Any, url: str, bolt: str, user: str, password: str) -> None:
    page.goto(f"{url}?dbms={bolt}")
    method = page.locator("[data-testid=authenticationMethod]")
    method.wait_for(timeout=60_000)
    # The user name and password fields render once the method is (re)chosen.
    if not page.locator("[data-testid=username]").count():
        method.select_option("NO_AUTH")
        method.select_option("NATIVE")
    page.locator("[data-testid=username]").fill(user)
    page.locator("[data-testid=password]").fill(password)
    page.locator("[data-testid=connect]").click()
    page.wait_for_selector("text=You are connected as user", timeout=60_000)


def _run(page: Any, text: str) -> None:
    frames = page.locator("[data-testid=frame]").count()
    page.locator(".monaco-editor").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=frame]').length > n", arg=frames
    )


@pytest.mark.neo4j
@pytest.mark.browser
@pytest.mark.parametrize("name", ["council_and_committee", "actor_profile"])
def test_a_library_question_runs_as_written_in_neo4j_browser(loaded_server: Any, name: str) -> None:
    settings, backend = loaded_server
    url = _browser_url()
    query = default_library().get(name)
    expected = run_query(backend, name, query.example_parameters())
    assert expected.rows, "the question must have an answer to compare"
    first_column = [str(row[0]) for row in expected.rows]
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        _connect(page, url, settings.uri, settings.username, settings.password or "")
        for line in param_lines(query):
            _run(page, line)
        _run(page, query.text_for("neo4j"))
        result = page.locator("[data-testid=frame]").first
        result.get_by_text(re.compile(r"(Started streaming|completed after)")).first.wait_for(
            timeout=60_000
        )
        shown = result.inner_text()
    assert "ERROR" not in shown.split("\n", 3)[:3], shown[:500]
    for value in first_column[:10]:
        assert f'"{value}"' in shown or value in shown, (value, shown[:800])
    match = re.search(r"Started streaming (\d+) records?", shown)
    assert match is not None, shown[-400:]
    assert int(match.group(1)) == len(expected.rows)
