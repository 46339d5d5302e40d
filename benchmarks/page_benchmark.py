"""Time to a still, interactive network page in headless Chromium, and the page's size.

For the shipped knowledge base and synthetic clusters of about 1k, 5k and 20k nodes
(``benchmarks/synthetic.py``, ~4.5 relationships per node), in the default ``auto`` view
(aggregated past 2,000 nodes) and, past the cap, the forced ``full`` view. Each page opens
with every network request blocked in the system Chromium, as the browser tests do.

Figures per case (median of ``--repeat`` runs, plus the fastest):

* ``render s``: Python time to build the HTML;
* ``still s``: from navigation start until the layout has stopped and physics is off
  (the page's own ``state.stillAt``; parsing, building the network, layout, first fit);
* ``layout``: iterations run, and whether the time budget cut the layout short;
* ``frame ms``: one full redraw after that (a proxy for how responsive pan/zoom is).

Run: ``.venv/bin/python benchmarks/page_benchmark.py`` (``--sizes 1000,5000`` to choose,
``--repeat 3``). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from biocluster_kg.graph.page import NODE_CAP, render_network_page  # noqa: E402
from biocluster_kg.kernel.model import KnowledgeBase  # noqa: E402

CHROMIUM = os.environ.get("BIOCLUSTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Run:
    still_ms: float
    iterations: int
    stopped_early: bool
    frame_ms: float | None
    drawn_nodes: int
    drawn_edges: int
    web_requests: int
    errors: int


def open_once(browser: Any, path: Path, timeout_ms: float) -> Run:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page_url = path.resolve().as_uri()
    web_requests: list[str] = []
    errors: list[str] = []

    def route(route: Any) -> None:
        if route.request.url == page_url:
            route.continue_()
        else:
            web_requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(page_url, timeout=timeout_ms)
        page.wait_for_selector('body[data-state="still"]', state="attached", timeout=timeout_ms)
        state = page.evaluate("window.bioclusterNetwork.state")
        drawn = page.evaluate("window.bioclusterNetwork.drawnCounts()")
        frame = page.evaluate(
            """() => {
                const renderer = window.bioclusterNetwork.network.renderer;
                if (!renderer || typeof renderer._redraw !== "function") return null;
                const start = performance.now();
                for (let i = 0; i < 3; i++) renderer._redraw();
                return (performance.now() - start) / 3;
            }"""
        )
    finally:
        context.close()
    return Run(
        still_ms=state["stillAt"],
        iterations=state["iterations"],
        stopped_early=state["layoutStoppedEarly"],
        frame_ms=frame,
        drawn_nodes=drawn["nodes"],
        drawn_edges=drawn["edges"],
        web_requests=len(web_requests),
        errors=len(errors),
    )


def cases(sizes: list[int]) -> list[tuple[str, KnowledgeBase]]:
    from synthetic import synthetic_cluster

    found: list[tuple[str, KnowledgeBase]] = []
    try:
        from biocluster_kg.loaders import load_knowledge_base

        found.append(("shipped", load_knowledge_base()))
    except Exception as error:  # a benchmark reports and goes on
        print(f"(shipped knowledge base not loaded: {error})", file=sys.stderr)
    for size in sizes:
        found.append((f"synthetic {size // 1000}k", synthetic_cluster(round(size / 1.1))))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180.0, help="Seconds per page load.")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",") if size]

    from playwright.sync_api import sync_playwright

    load = os.getloadavg()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )
    print()
    print(
        "| graph | nodes | rels | view | drawn nodes / edges | HTML | render s "
        "| still s (median) | still s (min) | layout | frame ms |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for name, kb in cases(sizes):
                views = ["auto"] if len(kb.nodes) <= NODE_CAP else ["auto", "full"]
                for view in views:
                    started = time.perf_counter()
                    page = render_network_page(kb, view=view)  # type: ignore[arg-type]
                    render_s = time.perf_counter() - started
                    path = Path(folder) / f"{name.replace(' ', '-')}-{view}.html"
                    path.write_text(page, encoding="utf-8")
                    repeat = arguments.repeat if view == "auto" or len(kb.nodes) < 10_000 else 1
                    runs = [
                        open_once(browser, path, arguments.timeout * 1000) for _ in range(repeat)
                    ]
                    stills = [run.still_ms / 1000 for run in runs]
                    last = runs[-1]
                    frames = [run.frame_ms for run in runs if run.frame_ms is not None]
                    shown = "full" if view == "full" or len(kb.nodes) <= NODE_CAP else "aggregated"
                    layout = f"{last.iterations} it" + (
                        ", cut at budget" if last.stopped_early else ""
                    )
                    problems = sum(run.web_requests + run.errors for run in runs)
                    print(
                        f"| {name} | {len(kb.nodes):,} | {len(kb.relationships):,} | {shown} "
                        f"| {last.drawn_nodes:,} / {last.drawn_edges:,} "
                        f"| {len(page.encode('utf-8')) / 1024 / 1024:.2f} MiB | {render_s:.2f} "
                        f"| {statistics.median(stills):.2f} | {min(stills):.2f} | {layout} "
                        f"| {statistics.median(frames):.0f} |"
                        + (f" {problems} requests/errors!" if problems else ""),
                        flush=True,
                    )
        finally:
            browser.close()
    load = os.getloadavg()
    print()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
