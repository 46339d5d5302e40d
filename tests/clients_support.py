"""Real desktop clients for the export tests: the Gephi toolkit and LibreOffice, or a skip.

:func:`gephi_jar_or_skip` gives the Gephi toolkit all-in-one jar (fetched by
``scripts/gephi-toolkit`` into ``~/.cache/biocluster``, never into the repository) and a
Java runtime; :func:`soffice_or_skip` gives LibreOffice's ``soffice``. Without them the tests
skip with one line saying what is missing; with ``BIOCLUSTER_REQUIRE_CLIENTS=1`` (CI, which
installs them) they fail instead, so a missing client can never turn the suite green.

:func:`gephi_import` runs ``tests/clients/GephiImport.java`` with the source launcher on
some files in one JVM and returns what Gephi's importers made of each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

__all__ = [
    "REQUIRE_VARIABLE",
    "gephi_jar_or_skip",
    "gephi_import",
    "soffice_or_skip",
    "soffice_convert",
    "xlsx_to_csv",
]

REQUIRE_VARIABLE = "BIOCLUSTER_REQUIRE_CLIENTS"
REPO_DIR = Path(__file__).resolve().parent.parent
FETCH_SCRIPT = REPO_DIR / "scripts" / "gephi-toolkit"
IMPORT_PROGRAM = Path(__file__).resolve().parent / "clients" / "GephiImport.java"
# CSV export options of LibreOffice's "Text - txt - csv (StarCalc)" filter, by position:
# comma, double quote, UTF-8 (76), first line 1, no column formats, default language,
# quote only where needed (as Python's csv module does), detect special numbers, save cell
# CONTENTS not "as shown" (full precision, no thousands separators), no formulas.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false"


def _skip_or_fail(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def gephi_jar_or_skip() -> Path:
    """The Gephi toolkit jar, fetched into the cache if Maven can reach Maven Central."""
    if shutil.which("java") is None:
        _skip_or_fail("no java on PATH for the Gephi toolkit")
    result = subprocess.run(
        [str(FETCH_SCRIPT), "path"], capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no message"])[-1]
        _skip_or_fail(f"no Gephi toolkit jar ({last_line})")
    return Path(result.stdout.strip())


def gephi_import(jar: Path, *files: Path) -> list[dict[str, Any]]:
    """What Gephi's importers made of each file: counts, columns with their Java types,
    nodes (label, values), edges (ends, label, values) and the import report's issues."""
    result = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-cp", str(jar), str(IMPORT_PROGRAM)]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"Gephi import failed:\n{result.stderr[-3000:]}"
    # One JSON document per line; the program writes ASCII only, so "\n" is the only break.
    answers = [json.loads(line) for line in result.stdout.split("\n") if line.startswith("{")]
    assert len(answers) == len(files), result.stdout[-2000:]
    return answers


def soffice_or_skip() -> str:
    """LibreOffice's ``soffice`` (Debian's libreoffice-calc-nogui gives it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        _skip_or_fail("no LibreOffice (soffice) on PATH")
    return soffice


def xlsx_to_csv(soffice: str, workbook: Path, folder: Path) -> Path:
    """``workbook`` converted to CSV by LibreOffice headless, in ``folder``."""
    return soffice_convert(soffice, workbook, folder)


def soffice_convert(soffice: str, source: Path, folder: Path, infilter: str | None = None) -> Path:
    """``source`` read by LibreOffice headless (with the import filter ``infilter``, if
    given) and written as UTF-8 CSV in ``folder``. A profile of its own, so a running
    LibreOffice or another test's conversion cannot take the call."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "profile").as_uri()
    reading = [f"--infilter={infilter}"] if infilter else []
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", *reading]
        + ["--convert-to", CSV_FILTER, "--outdir", str(folder), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = folder / (source.stem + ".csv")
    assert result.returncode == 0 and converted.is_file(), (result.stdout + result.stderr)[-2000:]
    return converted
