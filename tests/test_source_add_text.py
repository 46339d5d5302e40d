"""`biocluster source add` refuses, at copy time, a document the loader would refuse later
(issue 19): control characters, encoded lone surrogates, noncharacters, named by file, line
and column; the workspace is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from biocluster_kg.cli import cli
from biocluster_kg.loaders import load_knowledge_base


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments), catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    result = invoke("init", str(folder), "--title-ja", "東雲", "--title-en", "Shinonome")
    assert result.exit_code == 0, result.output
    return folder


#: Bytes of the document, the line and column of the fault, and what the message says.
HOSTILE_SOURCES = {
    "escape-sequence": (
        "一行目\n二行目に\x1b]52;c;cHduZWQ=\x07\n".encode(),
        2,
        5,
        "contains the control character U+001B",
    ),
    "nul": (b"text\nab\x00c\n", 2, 3, "contains a NUL character"),
    "delete": ("ＡＢ\x7f\n".encode(), 1, 3, "U+007F"),
    "c1-control": ("東雲\x85県\n".encode(), 1, 3, "U+0085"),
    "noncharacter": ("東雲県\n\n  \ufffe\n".encode(), 3, 3, "the noncharacter U+FFFE"),
    # U+D800 written as UTF-8 bytes (ED A0 80): no valid UTF-8 holds it.
    "lone-surrogate": ("東雲P".encode() + b"\xed\xa0\x80\n", 1, 4, "an encoded lone surrogate"),
    "not-utf-8": (b"ok\n" + "東雲".encode("shift_jis") + b"\n", 2, 1, "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SOURCES))
def test_source_add_refuses_characters_the_loader_refuses_naming_line_and_column(
    workspace: Path, tmp_path: Path, case: str
) -> None:
    content, line, column, message = HOSTILE_SOURCES[case]
    document = tmp_path / "hostile.txt"
    document.write_bytes(content)
    registry = (workspace / "sources" / "sources.yaml").read_bytes()
    before = sorted(p.name for p in (workspace / "sources").iterdir())

    result = invoke("source", "add", str(document), "--data", str(workspace))

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {document}:{line}: "), result.stderr
    assert f"column {column}" in result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert (workspace / "sources" / "sources.yaml").read_bytes() == registry
    assert sorted(p.name for p in (workspace / "sources").iterdir()) == before


def test_a_tab_and_line_breaks_are_text_and_the_added_source_loads(
    workspace: Path, tmp_path: Path
) -> None:
    document = tmp_path / "plain.txt"
    document.write_bytes("東雲県\tバイオ\r\n二行目\n".encode())
    result = invoke("source", "add", str(document), "--data", str(workspace))
    assert result.exit_code == 0, result.output
    assert list(load_knowledge_base(workspace, allow_empty=True).sources) == ["plain"]
