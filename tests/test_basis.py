"""Issue 17: the basis of a fact (stated, layout, inferred) and the reason for anything not
stated travel with the fact wherever it reaches a person or a script: the query library's
answers (on both engines), the stakeholder lists, the graph exports and the printed report.

Each test reads the basis the answer shows and compares it with the record's own basis in
the knowledge base, so an answer without the basis, or with another record's, fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from biocluster_kg.cypher.library import default_library, run_query
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.schema import SCHEMA

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

LIBRARY = default_library()
INSTITUTE = "org:iab"


def the_rel(kb: KnowledgeBase, type_: str, start: str, end: str) -> Relationship:
    found = [r for r in kb.relationships_of_type(type_) if (r.start, r.end) == (start, end)]
    assert len(found) == 1, (type_, start, end, found)
    return found[0]


def basis_of(record: Node | Relationship | None) -> tuple[Any, Any]:
    if record is None:
        return (None, None)
    return (record.get("basis"), record.get("basis_reason"))


Row = dict[str, Any]
#: For each question whose rows state facts: (prefix of the basis columns, the record the
#: row states, from the row). A prefix "" names the columns basis and basis_reason.
Expected = list[tuple[str, Callable[[KnowledgeBase, Row], Node | Relationship | None]]]


def _hub_fact(kb: KnowledgeBase, row: Row) -> Relationship:
    if row["connection"] == "function":
        return the_rel(kb, "PERFORMS", row["via_id"] or row["hub_id"], row["node_id"])
    if row["connection"] == "target":
        return the_rel(kb, "TARGETS", row["via_id"], row["node_id"])
    ends = (row["hub_id"], row["node_id"])
    return the_rel(kb, row["relationship"], *(ends if row["direction"] == "out" else ends[::-1]))


def _parent_link(kb: KnowledgeBase, child: str, parent: str | None) -> Relationship | None:
    if parent is None:
        return None
    found = [
        r
        for r in kb.relationships.values()
        if (r.start, r.end) == (child, parent) and r.type in ("PART_OF", "BREAKDOWN_OF")
    ]
    return sorted(found, key=lambda r: r.type != "PART_OF")[0]


FACT_QUESTIONS: dict[str, Expected] = {
    "actor_profile": [
        ("", lambda kb, r: kb.relationships.get(r["relationship_id"] or "")),
    ],
    "council_and_committee": [
        ("", lambda kb, r: the_rel(kb, "MEMBER_OF", r["member_id"], r["body_id"])),
    ],
    "organisations_on_both_bodies": [
        ("", lambda kb, r: the_rel(kb, "MEMBER_OF", r["seat_id"], r["body_id"])),
    ],
    "joint_research_partners": [
        ("", lambda kb, r: the_rel(kb, "PARTICIPATES_IN", r["partner_id"], r["project_id"])),
    ],
    "ventures_and_partners": [
        ("venture_", lambda kb, r: the_rel(kb, "VENTURE_OF", r["venture_id"], INSTITUTE)),
        (
            "partner_",
            lambda kb, r: (
                the_rel(kb, "PARTICIPATES_IN", r["partner_id"], r["project_id"])
                if r["partner_id"]
                else None
            ),
        ),
    ],
    "education_and_event_figures": [("", lambda kb, r: kb.nodes[r["id"]])],
    "budget_tree": [
        ("", lambda kb, r: kb.nodes[r["line_id"]]),
        ("link_", lambda kb, r: _parent_link(kb, r["line_id"], r["parent_id"])),
    ],
    "funding_routes_for_companies": [
        ("", lambda kb, r: kb.nodes[r["item_id"]]),
        ("link_", lambda kb, r: _parent_link(kb, r["item_id"], r["parent_id"])),
    ],
    "coordination_hubs": [("", _hub_fact)],
}


@pytest.mark.parametrize("name", sorted(FACT_QUESTIONS))
def test_each_fact_row_shows_the_basis_of_its_fact(name: str, store, shipped_kb) -> None:
    query = LIBRARY.get(name)
    records = run_query(store, name, query.example_parameters()).records()
    assert records
    seen: set[str] = set()
    for prefix, fact_of in FACT_QUESTIONS[name]:
        assert {f"{prefix}basis", f"{prefix}basis_reason"} <= set(query.columns)
        for row in records:
            shown = (row[f"{prefix}basis"], row[f"{prefix}basis_reason"])
            assert shown == basis_of(fact_of(shipped_kb, row)), (name, prefix, row)
            if shown[0] is not None:
                seen.add(shown[0])
    assert seen <= {term.code for term in SCHEMA.property_terms("basis")}
    # The shipped answers are not all 'stated': the seats, outlines, ladders, functions and
    # ventures include facts read from the layout (the partners and figures are all stated).
    if name not in ("education_and_event_figures", "joint_research_partners"):
        assert seen - {"stated"}, (name, seen)


def test_a_path_says_how_each_of_its_relationships_is_known(store, shipped_kb) -> None:
    query = LIBRARY.get("shortest_connection")
    records = run_query(store, "shortest_connection", query.example_parameters()).records()
    assert records
    for row in records:
        ids, types, bases = row["node_ids"], row["relationship_types"], row["relationship_bases"]
        assert len(bases) == len(types) == len(ids) - 1
        for i, (type_, basis) in enumerate(zip(types, bases, strict=True)):
            candidates = {
                r.get("basis")
                for r in shipped_kb.relationships_of_type(type_)
                if {r.start, r.end} == {ids[i], ids[i + 1]}
            }
            assert candidates == {basis}, (row, i)
    assert {"layout"} <= {basis for row in records for basis in row["relationship_bases"]}


# --- Stakeholder lists ------------------------------------------------------------------


def test_stakeholders_json_gives_each_actor_and_seat_its_basis(shipped_kb, tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from biocluster_kg.cli import cli

    output = tmp_path / "stakeholders.json"
    result = CliRunner().invoke(
        cli,
        ["export", "stakeholders", "--format", "json", "-o", str(output)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    records = json.loads(output.read_text(encoding="utf-8"))
    seats_seen = []
    for record in records:
        assert (record["basis"], record["basis_reason"]) == basis_of(shipped_kb.nodes[record["id"]])
        assert len(record["membership_bases"]) == len(record["memberships"])
        seats_seen += record["membership_bases"]
    # The seats listed in the council's and committee's boxes are read from the layout.
    governor = the_rel(shipped_kb, "MEMBER_OF", "pos:governor", "body:promotion-council")
    prefecture = next(r for r in records if r["id"] == "org:yamagata-prefecture")
    (seat,) = [
        basis
        for text, basis in zip(
            prefecture["memberships"], prefecture["membership_bases"], strict=True
        )
        if "via 山形県知事" in text and text.startswith("山形県バイオクラスター形成推進会議")
    ]
    assert seat == governor.get("basis") == "layout"
    assert set(seats_seen) == {"layout"}


def _kb_with_an_inferred_actor(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    kb = KnowledgeBase(
        nodes=dict(shipped_kb.nodes),
        relationships=dict(shipped_kb.relationships),
        sources=shipped_kb.sources,
    )
    node = kb.nodes["org:iab"]
    kb.nodes["org:iab"] = Node(
        node.id,
        node.label,
        {**node.properties, "basis": "inferred", "basis_reason": "=a reader's conclusion"},
    )
    return kb


def test_stakeholder_workbook_in_japanese_names_the_basis(shipped_kb, tmp_path) -> None:
    from openpyxl import load_workbook

    from biocluster_kg.graph.exports.stakeholders import (
        StakeholderFilter,
        stakeholder_rows,
        write_stakeholders_xlsx,
    )

    rows = stakeholder_rows(_kb_with_an_inferred_actor(shipped_kb), StakeholderFilter())
    path = tmp_path / "ja.xlsx"
    write_stakeholders_xlsx(rows, path, lang="ja")
    sheet = load_workbook(path).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert {"根拠", "根拠の説明", "会議体での役割の根拠"} <= set(header)
    by_id = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    iab = by_id["org:iab"]
    assert iab[header.index("根拠")] == SCHEMA.term_name("basis", "inferred", "ja") == "推論"
    # The reason is a text cell, neutralised like every other.
    assert iab[header.index("根拠の説明")] == "'=a reader's conclusion"
    prefecture = by_id["org:yamagata-prefecture"]
    assert prefecture[header.index("会議体での役割の根拠")] == "図の配置"
    assert by_id["org:keio"][header.index("根拠")] == "記載"


def test_stakeholder_csv_for_scripts_keeps_the_codes(shipped_kb) -> None:
    import csv
    import io

    from biocluster_kg.graph.exports.stakeholders import (
        StakeholderFilter,
        stakeholder_rows,
        stakeholders_csv,
    )

    rows = stakeholder_rows(_kb_with_an_inferred_actor(shipped_kb), StakeholderFilter())
    table = list(csv.DictReader(io.StringIO(stakeholders_csv(rows).decode("utf-8"))))
    iab = next(row for row in table if row["id"] == "org:iab")
    assert (iab["basis"], iab["basis_reason"]) == ("inferred", "'=a reader's conclusion")
    prefecture = next(row for row in table if row["id"] == "org:yamagata-prefecture")
    assert prefecture["membership_bases"] == "layout"


# --- Graph exports ----------------------------------------------------------------------


def _bases(kb: KnowledgeBase) -> dict[str, tuple[Any, Any]]:
    records = [*kb.nodes.values(), *kb.relationships.values()]
    return {f"{type(r).__name__}:{r.id}": basis_of(r) for r in records}


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_graph_files_carry_every_basis_under_its_schema_key(fmt: str, shipped_kb) -> None:
    from biocluster_kg.graph.exports import graph_document
    from biocluster_kg.graph.exports.gexf import read_gexf
    from biocluster_kg.graph.exports.graphml import read_graphml
    from biocluster_kg.graph.exports.node_link import read_node_link

    document = graph_document(shipped_kb, fmt, profile=SHIPPED_PROFILE)
    reader = {"json": read_node_link, "graphml": read_graphml, "gexf": read_gexf}[fmt]
    assert _bases(reader(document)) == _bases(shipped_kb)
    text = document.decode("utf-8")
    key = {"json": '"basis": "layout"', "graphml": 'attr.name="basis"', "gexf": 'title="basis"'}
    assert key[fmt] in text and "basis_reason" in text


def test_neo4j_import_files_and_cypher_script_carry_the_basis(shipped_kb) -> None:
    from biocluster_kg.graph.exports import graph_document
    from biocluster_kg.graph.exports.neo4j_csv import neo4j_csv_files

    files = neo4j_csv_files(shipped_kb)
    # A column is written where some record has a value: every organisation is stated.
    organisations = files["nodes-Organization.csv"].split("\n", 1)[0].split(",")
    seats = files["relationships-MEMBER_OF.csv"].split("\n", 1)[0].split(",")
    assert "basis" in organisations and {"basis", "basis_reason"} <= set(seats)
    seat = the_rel(shipped_kb, "MEMBER_OF", "pos:governor", "body:promotion-council")
    assert seat.get("basis_reason") in files["relationships-MEMBER_OF.csv"]
    script = graph_document(shipped_kb, "cypher", profile=SHIPPED_PROFILE).decode("utf-8")
    assert "`basis`: 'layout'" in script and "`basis`: 'inferred'" in script


# --- The printed report -----------------------------------------------------------------


def _report_entries(page: str) -> dict[int, str]:
    import re

    return {
        int(number): text
        for number, text in re.findall(
            r'<li id="src-(\d+)" value="\d+">(.*?)</li>', page, flags=re.DOTALL
        )
    }


def test_report_sources_say_how_each_fact_is_known_and_mark_the_unstated(shipped_kb) -> None:
    import re
    from html import escape

    from biocluster_kg.graph.report import render_report
    from biocluster_kg.kernel.cluster import load_cluster_profile

    kb = _kb_with_an_inferred_actor(shipped_kb)
    page = render_report(kb, load_cluster_profile(), lang="ja")
    entries = _report_entries(page)
    assert entries
    names = {SCHEMA.term_name("basis", term.code, "ja") for term in SCHEMA.property_terms("basis")}
    for text in entries.values():
        (name,) = re.findall(r'<span class="basis">根拠：([^（<]+)', text)
        assert name in names, text
    # The governor's seat is read from the council's box: its entry says so, with the
    # curator's reason, and its number in the text carries the layout mark.
    seat = the_rel(kb, "MEMBER_OF", "pos:governor", "body:promotion-council")
    (number,) = [n for n, text in entries.items() if "「会長：山形県知事」" in text]
    # The Japanese report gives the reason in Japanese (basis_reason_ja, issue 26).
    reason = escape(str(seat.get("basis_reason_ja"))).replace("&#x27;", "&#39;")
    assert f"根拠：図の配置（{reason}）" in entries[number]
    assert f'href="#src-{number}">[{number}†]' in page
    # A stated fact has no mark; an inferred one the other mark, and its reason.
    marked = {int(n): mark for n, mark in re.findall(r'href="#src-(\d+)">\[\d+([†‡]?)\]', page)}
    for n, mark in marked.items():
        expected = {"図の配置": "†", "推論": "‡", "記載": ""}
        (name,) = re.findall(r"根拠：([^（<]+)", entries[n])
        assert mark == expected[name], (n, entries[n])
    assert "‡" in marked.values() and "" in marked.values()
    assert "根拠：推論（=a reader&#39;s conclusion）" in page


def test_english_report_names_the_basis_in_english(shipped_kb) -> None:
    from biocluster_kg.graph.report import render_report
    from biocluster_kg.kernel.cluster import load_cluster_profile

    page = render_report(shipped_kb, load_cluster_profile(), lang="en")
    entries = _report_entries(page)
    assert any("basis: layout (listed in the council" in text for text in entries.values())
    assert any(text.endswith("basis: stated</span>") for text in entries.values())
    assert "図の配置" not in page
