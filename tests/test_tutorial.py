"""docs/new-cluster.md works as written: its shell blocks, run in order in an empty folder
against the real command line, take a new user from nothing to answers, the page and the
report; and README links it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TUTORIAL = REPO / "docs" / "new-cluster.md"
SOURCE = REPO / "docs" / "tutorial" / "hoshikawa-fy2024.txt"
BIN = Path(sys.executable).parent


def shell_blocks(markdown: str) -> list[str]:
    """Every fenced ```sh block, in order."""
    return re.findall(r"^```sh\n(.*?)^```$", markdown, flags=re.M | re.S)


def test_the_readme_links_the_tutorial() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/new-cluster.md" in readme


def test_the_tutorials_source_is_the_shipped_one() -> None:
    script = "\n".join(shell_blocks(TUTORIAL.read_text(encoding="utf-8")))
    written = re.search(r"cat > hoshikawa-fy2024\.txt <<'EOF'\n(.*?)^EOF$", script, re.M | re.S)
    assert written is not None
    assert written.group(1) == SOURCE.read_text(encoding="utf-8")
    assert "架空" in written.group(1).splitlines()[0]


@pytest.mark.slow
def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    blocks = shell_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) >= 7
    # One shell, every command as written; any failing command fails the run.
    script = "set -euo pipefail\n" + "\n".join(blocks)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("BIOCLUSTER_DATA", None)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    # A partial but true curation: checked, loaded, answered, with its coverage said.
    assert "網羅状況：出典の数値8件のうち0件を事実が保持（0/8）" in output
    assert "網羅状況：出典の数値8件のうち5件を事実が保持（5/8）" in output
    assert "prog:hoshikawa-budget-fy2024 is 30,000 千円 but its PART_OF parts sum to 24,000" in (
        output
    )
    assert "org:hoshikawa-fermentation-institute" in output
    assert "2024-04-01" in output  # the "as of" date, in the figures question
    accepted = (tmp_path / "hoshikawa" / "kb" / "actors.yaml").read_text(encoding="utf-8")
    assert "draft-" not in accepted
    for name in ("hoshikawa.html", "hoshikawa-report.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert "株式会社ミナト酵母" in page, name
    report = (tmp_path / "hoshikawa-report.html").read_text(encoding="utf-8")
    assert "星川スマート発酵クラスター" in report
