"""A fresh machine with no Japanese font: figures and the report still draw Japanese.

Each test runs the real command line in a child process whose fontconfig is an empty
configuration (``FONTCONFIG_FILE`` naming no folder), whose matplotlib starts with a cache of
its own, and whose matplotlib font search is cut off from the system's folders too (the
other way it finds fonts), so the only Japanese font left is the IPAexGothic that comes with
the ``japanize-matplotlib`` dependency. Before that dependency these commands exited 1 with
"no font that draws Japanese is installed".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import chromium_or_skip
from poppler_support import embedded_fonts, pdf_text

from biocluster_kg.graph.figures.fonts import CJK_FONTS, bundled_font_path

# Run in the child before the command: matplotlib's own folders stay, every system one goes.
_PRELUDE = """
import sys
from pathlib import Path

import matplotlib
from matplotlib import font_manager

own = Path(matplotlib.get_data_path()).resolve()
font_manager.X11FontDirectories.clear()
font_manager.OSXFontDirectories.clear()
manager = font_manager.fontManager
manager.ttflist = [e for e in manager.ttflist if own in Path(e.fname).resolve().parents]
manager._findfont_cached.cache_clear()
left = {entry.name for entry in manager.ttflist} & set(sys.argv[1].split("|"))
assert not left, f"a Japanese system font is still visible: {left}"

from biocluster_kg.cli import cli

cli(sys.argv[2:], prog_name="biocluster")
"""

_EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture(scope="module")
def no_font_machine(tmp_path_factory) -> dict[str, str]:
    if bundled_font_path() is None:
        pytest.fail("japanize-matplotlib (a dependency) is not installed", pytrace=False)
    root = tmp_path_factory.mktemp("no-fonts")
    config = root / "fonts.conf"
    config.write_text(_EMPTY_FONTCONFIG.format(cache=root / "fc-cache"), encoding="utf-8")
    (root / "mpl").mkdir()
    (root / "home").mkdir()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("FONTCONFIG_PATH", "MPL_IGNORE_SYSTEM_FONTS")
    }
    environment.update(
        FONTCONFIG_FILE=str(config),
        MPLCONFIGDIR=str(root / "mpl"),
        HOME=str(root / "home"),
        XDG_DATA_HOME=str(root / "home"),
    )
    fc_list = subprocess.run(
        ["fc-list"], env=environment, capture_output=True, text=True, check=False
    )
    assert fc_list.stdout.strip() == "", "the empty fontconfig still lists fonts"
    return environment


def run(environment: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _PRELUDE, "|".join(CJK_FONTS), *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_figures_draw_japanese_with_the_bundled_font(no_font_machine, tmp_path):
    for name, target in (("network", "network.pdf"), ("budget", "budget.svg")):
        done = run(no_font_machine, tmp_path, "figure", name, "-o", target)
        assert done.returncode == 0, done.stderr
        assert "missing from font" not in done.stderr, done.stderr
    fonts = embedded_fonts(tmp_path / "network.pdf")
    assert any(f["name"].endswith("+IPAexGothic") for f in fonts), fonts
    assert all(f["embedded"] == "yes" and f["type"] != "Type 3" for f in fonts), fonts
    assert "日新製薬" in pdf_text(tmp_path / "network.pdf")


def test_html_report_is_written_without_a_system_font(no_font_machine, tmp_path):
    done = run(no_font_machine, tmp_path, "report", "-o", "report.html")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "380,067" in page and "data:image/svg+xml;base64," in page


@pytest.mark.browser
def test_pdf_report_embeds_the_bundled_japanese_font(no_font_machine, tmp_path):
    chromium_or_skip()
    done = run(no_font_machine, tmp_path, "report", "-o", "report.pdf")
    assert done.returncode == 0, done.stderr
    fonts = embedded_fonts(tmp_path / "report.pdf")
    assert any(f["name"].endswith("+IPAexGothic") for f in fonts), fonts
    assert all(f["embedded"] == "yes" and f["type"] != "Type 3" for f in fonts), fonts
    text = pdf_text(tmp_path / "report.pdf")
    assert "クラスター概要" in text and "380,067" in text
