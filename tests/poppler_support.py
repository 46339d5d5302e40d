"""poppler-utils (pdffonts, pdftotext) for the figure and report PDF tests.

Without them the tests skip with a one-line reason, unless CI is set (``.ci/run`` installs
Debian's poppler-utils), when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (Debian package poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return path


def embedded_fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' rows: name, type and whether it is embedded."""
    output = subprocess.run(
        [_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    rows = []
    for line in output:
        fields = line.split()
        # name, type words..., encoding, emb, sub, uni, object, id: read from the right.
        rows.append({"name": fields[0], "type": " ".join(fields[1:-6]), "embedded": fields[-5]})
    return rows


def pdf_text(pdf: Path) -> str:
    """The text pdftotext extracts, in reading order."""
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
