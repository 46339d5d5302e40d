"""Our files as the tools people open them with read them: the Gephi toolkit 0.10.1 imports
the GEXF and GraphML exports, LibreOffice converts the stakeholder workbook back to CSV.

Both clients are real (see ``tests/clients_support.py``): the tests skip with one line where
they are missing and fail instead under ``BIOCLUSTER_REQUIRE_CLIENTS=1`` (CI).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from clients_support import (
    gephi_import,
    gephi_jar_or_skip,
    soffice_convert,
    soffice_or_skip,
    xlsx_to_csv,
)
from test_exports import HOSTILE, hostile_kb

from biocluster_kg.cli import cli
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.graph.brokerage import measured
from biocluster_kg.graph.exports import graph_document
from biocluster_kg.graph.exports.common import property_types
from biocluster_kg.graph.exports.stakeholders import (
    stakeholder_rows,
    stakeholders_csv,
    write_stakeholders_xlsx,
)
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

#: The Java class Gephi should give each schema type's column (GraphML has no list type).
GEPHI_TYPES = {"string": "String", "int": "Long", "float": "Double", "bool": "Boolean"}


@pytest.fixture(scope="module")
def gephi(
    tmp_path_factory: pytest.TempPathFactory, shipped_kb: KnowledgeBase
) -> dict[str, dict[str, Any]]:
    """What Gephi made of the shipped (with measures) and hostile exports, in one JVM."""
    jar = gephi_jar_or_skip()
    folder = tmp_path_factory.mktemp("gephi")
    files = {}
    for which, kb in (("shipped", shipped_kb), ("hostile", hostile_kb())):
        for output_format in ("gexf", "graphml"):
            path = folder / f"{which}.{output_format}"
            path.write_bytes(
                graph_document(kb, output_format, measures=True, profile=SHIPPED_PROFILE)
            )
            files[f"{which}.{output_format}"] = path
    return dict(zip(files, gephi_import(jar, *files.values()), strict=True))


def _columns_by_title(answer: dict[str, Any], scope: str) -> dict[str, tuple[str, str]]:
    """Column title -> (column id, Java type)."""
    return {c["title"]: (cid, c["type"]) for cid, c in answer[f"{scope}_columns"].items()}


def _check_gephi_graph(answer: dict[str, Any], kb: KnowledgeBase, output_format: str) -> None:
    node_types = property_types("node")
    columns = _columns_by_title(answer, "node")
    # Every property became a column of its own type; the schema label is a column too.
    assert columns["node_label"][1] == "String"
    assert "label" not in columns  # taken as Gephi's own label, not a column
    used = {name for node in kb.nodes.values() for name in node.properties}
    for name in used:
        type_ = node_types[name]
        expected = GEPHI_TYPES.get(type_, "String[]" if output_format == "gexf" else "String")
        assert columns[name][1] == expected, name
    for node in kb.nodes.values():
        seen = answer["nodes"][node.id]
        # What Gephi draws on the canvas: the actor's name, never the schema label.
        assert seen["label"] == node.get("name_ja")
        values = {title: seen["values"].get(column) for title, (column, _) in columns.items()}
        assert values["node_label"] == node.label
        for name, value in node.properties.items():
            if value is None or value == [] or value == "":
                continue
            if isinstance(value, list) and output_format == "graphml":
                value = "|".join(value)
            if node_types[name] == "float":
                value = float(value)
            assert values[name] == value, (node.id, name)


@pytest.mark.parametrize("output_format", ["gexf", "graphml"])
def test_gephi_imports_the_whole_shipped_graph(
    output_format: str, gephi: dict[str, dict[str, Any]], shipped_kb: KnowledgeBase
) -> None:
    answer = gephi[f"shipped.{output_format}"]
    kb = measured(shipped_kb, profile=SHIPPED_PROFILE)
    assert answer["node_count"] == len(kb.nodes) > 200
    assert answer["edge_count"] == len(kb.relationships)
    assert not [issue for issue in answer["issues"] if issue.startswith(("SEVERE", "CRITICAL"))]
    _check_gephi_graph(answer, kb, output_format)
    edges = {(edge["source"], edge["target"]) for edge in answer["edges"].values()}
    assert edges == {(rel.start, rel.end) for rel in kb.relationships.values()}
    assert all(edge["directed"] for edge in answer["edges"].values())


def test_gephi_splits_gexf_lists_into_their_items(
    gephi: dict[str, dict[str, Any]], shipped_kb: KnowledgeBase
) -> None:
    # The shipped graph has lists of several items (brokerage roles, name keys).
    answer = gephi["shipped.gexf"]
    kb = measured(shipped_kb, profile=SHIPPED_PROFILE)
    longest = max(kb.nodes.values(), key=lambda node: len(node.get("brokerage_roles") or []))
    assert len(longest.get("brokerage_roles")) >= 3
    assert answer["nodes"][longest.id]["values"]["brokerage_roles"] == longest.get(
        "brokerage_roles"
    )
    # GEXF edges keep their relationship id and show their type.
    for rel in kb.relationships.values():
        assert answer["edges"][rel.id]["label"] == rel.type


@pytest.mark.parametrize("output_format", ["gexf", "graphml"])
def test_gephi_reads_hostile_text_unchanged(
    output_format: str, gephi: dict[str, dict[str, Any]]
) -> None:
    answer = gephi[f"hostile.{output_format}"]
    kb = hostile_kb()
    assert answer["node_count"] == len(kb.nodes)
    _check_gephi_graph(answer, kb, output_format)
    if output_format == "gexf":
        # Items with commas, quotes, brackets, line breaks and tabs stay whole.
        assert answer["nodes"]["org:hostile"]["values"]["aliases"] == HOSTILE[2:6]
    # Not checked: the edge count. Gephi merges parallel edges (here FUNDS and IMPLEMENTS
    # between one pair) unless the user picks "don't merge" in its import dialog.


def _xml_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_libreoffice_reads_the_workbook_as_the_csv(
    which: str, tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    soffice = soffice_or_skip()
    kb = shipped_kb if which == "shipped" else hostile_kb()
    rows = stakeholder_rows(kb)
    assert rows
    workbook = tmp_path / "stakeholders.xlsx"
    write_stakeholders_xlsx(rows, workbook)
    converted = xlsx_to_csv(soffice, workbook, tmp_path / "converted")
    with converted.open(encoding="utf-8", newline="") as stream:
        read = list(csv.reader(stream))
    ours = list(csv.reader(io.StringIO(stakeholders_csv(rows).decode("utf-8"), newline="")))
    assert len(read) == 1 + len(rows)
    if which == "hostile":
        # An xlsx cell's text is XML, whose parsers turn CR LF and a lone CR into LF (XML 1.0
        # section 2.11): LibreOffice, like openpyxl's own reader, reads "\r" back as "\n".
        # Everything else must come back as written.
        ours = [[_xml_line_ends(cell) for cell in row] for row in ours]
        assert not any("\r" in cell for row in read for cell in row)
    assert read == ours
    if which == "hostile":
        # Formula text stays text: LibreOffice computed nothing.
        assert any('=HYPERLINK("http://example.invalid","x")' in c for row in read for c in row)


#: LibreOffice's CSV import: comma, double quote, UTF-8 (76), from line 1. LibreOffice
#: headless takes the character set from here, not from a byte-order mark (without one it
#: reads Windows-1252), as Excel takes it from the mark; both must lose the mark itself.
UTF8_CSV_IMPORT = "CSV:44,34,76,1"


@pytest.mark.parametrize("command", ["export", "analyze", "query"])
def test_libreoffice_reads_the_japanese_csv_unchanged(
    command: str, tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    """The CSV for people (Japanese, with the BOM by default) comes back from LibreOffice
    cell for cell: no stray mark in the first title, no mojibake in any cell."""
    soffice = soffice_or_skip()
    target = tmp_path / f"{command}.csv"
    if command == "export":
        arguments = ["export", "stakeholders", "-o", str(target)]
    elif command == "analyze":
        arguments = ["analyze", "brokers", "--top", "20", "--format", "csv", "-o", str(target)]
    else:
        store = tmp_path / "kb.lbug"
        with LadybugBackend(store) as backend:
            backend.load(shipped_kb)
        arguments = ["query", "council_and_committee", "--store", str(store), "--format", "csv"]
        arguments += ["-o", str(target)]
    result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = target.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf"), "the form for people carries the BOM"
    ours = list(csv.reader(io.StringIO(written.decode("utf-8-sig"), newline="")))
    assert any(re.search("[\u3040-\u30ff\u4e00-\u9fff]", title) for title in ours[0])
    converted = soffice_convert(soffice, target, tmp_path / "converted", UTF8_CSV_IMPORT)
    with converted.open(encoding="utf-8", newline="") as stream:
        read = list(csv.reader(stream))
    assert read[0][0] == ours[0][0] and not read[0][0].startswith("\ufeff")
    assert read == ours
