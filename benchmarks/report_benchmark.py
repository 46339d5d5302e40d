"""Render times of ``biocluster figure`` and ``biocluster report``, for BENCHMARKS.md.

On the shipped knowledge base and on a synthetic cluster of 5,000 actors
(``benchmarks/synthetic.py``): each figure as SVG, PNG and PDF, the report as HTML and (with
a local Chromium) PDF. A figure the data cannot give (the synthetic cluster has no budget
or year figures) is reported as such, not timed. Figures: median of ``--repeat`` runs, in
seconds, plus the output size.

Run: ``.venv/bin/python benchmarks/report_benchmark.py`` (``--sizes 5000``, ``--repeat 3``,
``--no-pdf`` to skip Chromium). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_cluster  # noqa: E402

from biocluster_kg.graph.figures import figure_bytes_for  # noqa: E402
from biocluster_kg.graph.report import print_pdf, render_report  # noqa: E402
from biocluster_kg.kernel.cluster import load_cluster_profile  # noqa: E402
from biocluster_kg.kernel.errors import RenderError  # noqa: E402
from biocluster_kg.loaders import load_knowledge_base  # noqa: E402


def timed(work: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(work())
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def _html(kb: Any, profile: Any) -> bytes:
    return render_report(kb, profile).encode()


def _pdf(kb: Any, profile: Any) -> bytes:
    return print_pdf(render_report(kb, profile))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000", help="synthetic cluster sizes (actors)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-pdf", action="store_true", help="skip the Chromium-printed PDF")
    options = parser.parse_args()
    profile = load_cluster_profile()
    cases = [("shipped", load_knowledge_base())]
    for size in (int(s) for s in options.sizes.split(",") if s):
        cases.append((f"synthetic {size:,}", synthetic_cluster(size)))
    print("| data | output | format | s | KiB |")
    print("|---|---|---|---:|---:|")
    for name, kb in cases:
        jobs: list[tuple[str, str, Callable[[], bytes]]] = []
        for kind, extra in (
            ("network", {}),
            ("network --by-sector", {"by_sector": True}),
            ("budget", {}),
            ("education", {}),
        ):
            for file_format in ("svg", "png", "pdf"):
                work = partial(
                    figure_bytes_for,
                    kind.split()[0],
                    kb,
                    profile=profile,
                    file_format=file_format,
                    **extra,
                )
                jobs.append((f"figure {kind}", file_format, work))
        jobs.append(("report", "html", partial(_html, kb, profile)))
        if not options.no_pdf:
            jobs.append(("report", "pdf", partial(_pdf, kb, profile)))
        for output, file_format, work in jobs:
            try:
                seconds, size = timed(work, options.repeat)
            except RenderError as error:
                print(f"| {name} | {output} | {file_format} | — | — ({error}) |".replace("\n", " "))
                continue
            print(f"| {name} | {output} | {file_format} | {seconds:.2f} | {size / 1024:,.0f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
