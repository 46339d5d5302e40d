"""Exports (issue 7 and ``export graph --format json`` of issue 3), against real files, a real
embedded store, the vendored official XSD schemas and openpyxl.

The Neo4j side (import of the CSV with the real neo4j-admin, the .cypher script on a real
server, export from Neo4j) is in test_exports_neo4j.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import xmlschema
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from biocluster_kg.cli import cli
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.readback import read_knowledge_base
from biocluster_kg.graph.exports import GRAPH_FORMATS, graph_document
from biocluster_kg.graph.exports.common import canonical_networkx
from biocluster_kg.graph.exports.cypher_script import (
    cypher_literal,
    cypher_string,
    script_statements,
)
from biocluster_kg.graph.exports.gexf import format_list, gexf_bytes, parse_list, read_gexf
from biocluster_kg.graph.exports.graphml import graphml_bytes, read_graphml
from biocluster_kg.graph.exports.neo4j_csv import (
    IMPORT_OPTIONS,
    neo4j_admin_arguments,
    neo4j_csv_files,
    write_neo4j_csv,
)
from biocluster_kg.graph.exports.node_link import node_link_json, read_node_link
from biocluster_kg.graph.exports.stakeholders import (
    STAKEHOLDER_COLUMNS,
    StakeholderFilter,
    neutralise,
    stakeholder_rows,
)
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.errors import ExportError
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

XSD_DIR = Path(__file__).parent / "xsd"
IAB_NAME = "慶應義塾大学先端生命科学研究所"
# The brief's example of a seat held through a post.
GOVERNOR_SEAT = "山形県バイオクラスター形成推進会議:chair (会長) via 山形県知事"

# Text that breaks naive writers: quotes of every kind, markup, line breaks of every kind,
# a CDATA end, non-BMP characters, a formula, Cypher and CSV syntax.
HOSTILE = [
    "it's \"quoted\" `back` 'single'",
    "<tag attr='x'>&amp; ]]> </tag>",
    "line one\nline two\r\nline three\rend",
    "\ttabbed\t",
    "😀 𠮷野家 ｶﾀｶﾅ 全角　空白",
    '=HYPERLINK("http://example.invalid","x")',
    "back\\slash \\' \\u0027 \\n",
    "x' }) DETACH DELETE n //",
    "a,b;c",
    "\u2028\u2029\x85",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def hostile_kb() -> KnowledgeBase:
    """A small schema-valid knowledge base whose every text is hostile, with a float
    measure and list properties."""
    kb = KnowledgeBase()
    kb.add_node(
        Node(
            "org:hostile",
            "Organization",
            {
                "kind": "company",
                "sector": "industry",
                "name_ja": HOSTILE[0],
                "name_en": HOSTILE[1],
                "aliases": HOSTILE[2:6],
                "note": HOSTILE[6],
                "source_doc": "doc",
                "span": HOSTILE[7],
                "span_line": 12,
                "betweenness": 0.125,
                "bridge_score": 3,  # an int in a float property is written as a float
                "brokerage_roles": ["coordinator", "gatekeeper"],
            },
        )
    )
    kb.add_node(
        Node(
            "body:council",
            "Body",
            {"kind": "council", "name_ja": HOSTILE[8], "name_en": HOSTILE[9], "span": "s"},
        )
    )
    kb.add_node(
        Node(
            "prog:budget",
            "Program",
            {"kind": "budget", "name_ja": "予算", "name_en": "Budget", "fiscal_year": 2013,
             "amount_thousand_yen": 380067},
        )
    )  # fmt: skip
    kb.add_relationship(
        Relationship(
            "MEMBER_OF:org:hostile->body:council",
            "MEMBER_OF",
            "org:hostile",
            "body:council",
            {"role": "chair", "role_ja": "会長", "span": HOSTILE[5], "note": HOSTILE[2]},
        )
    )
    # Two relationships between the same pair: a multigraph.
    kb.add_relationship(
        Relationship("r-funds", "FUNDS", "org:hostile", "prog:budget", {"span": "a"})
    )
    kb.add_relationship(
        Relationship("r-implements", "IMPLEMENTS", "org:hostile", "prog:budget", {"span": "b"})
    )
    return kb


def expected_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """The knowledge base's networkx form, floats as floats (what every export promises)."""
    return canonical_networkx(kb)


def assert_same_graph(actual: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    """Same nodes, edges (with keys) and attributes, each value of the same Python type."""
    assert dict(actual.nodes(data=True)) == dict(expected.nodes(data=True))
    actual_edges = {key: (u, v, data) for u, v, key, data in actual.edges(keys=True, data=True)}
    expected_edges = {key: (u, v, data) for u, v, key, data in expected.edges(keys=True, data=True)}
    assert actual_edges == expected_edges
    for node_id, data in expected.nodes(data=True):
        for name, value in data.items():
            assert type(actual.nodes[node_id][name]) is type(value), (node_id, name)
    for key, (_, _, data) in expected_edges.items():
        for name, value in data.items():
            assert type(actual_edges[key][2][name]) is type(value), (key, name)


def validate(document: bytes, schema_file: str) -> list[str]:
    schema = xmlschema.XMLSchema(str(XSD_DIR / schema_file))
    return [str(error) for error in schema.iter_errors(io.BytesIO(document))]


# --------------------------------------------------------------------------------------------
# node-link JSON
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_node_link_json_round_trips(which: str, shipped_kb: KnowledgeBase) -> None:
    kb = shipped_kb if which == "shipped" else hostile_kb()
    text = node_link_json(kb)
    data = json.loads(text)
    assert data["directed"] is True and data["multigraph"] is True
    assert len(data["nodes"]) == len(kb.nodes) and len(data["links"]) == len(kb.relationships)
    graph = nx.node_link_graph(data, edges="links")
    assert_same_graph(graph, expected_graph(kb))
    assert read_node_link(text) == KnowledgeBase.from_networkx(expected_graph(kb))


def test_node_link_json_has_the_documented_shape(shipped_kb: KnowledgeBase) -> None:
    data = json.loads(node_link_json(shipped_kb))
    iab = next(node for node in data["nodes"] if node["id"] == "org:iab")
    assert list(iab)[:2] == ["id", "label"]
    assert iab["label"] == "Organization" and iab["name_ja"] == IAB_NAME
    assert set(iab["aliases"]) >= {"慶應先端研", "先端研"}
    link = next(link for link in data["links"] if link["type"] == "MEMBER_OF")
    assert list(link)[:4] == ["source", "target", "key", "type"]
    assert link["key"] in shipped_kb.relationships
    assert link["span"] and isinstance(link["span_line"], int)
    # Every property of every record is there, and no None.
    for node in data["nodes"]:
        kb_node = shipped_kb.nodes[node["id"]]
        assert {k: v for k, v in node.items() if k not in ("id", "label")} == kb_node.properties


def test_cli_export_graph_json_writes_utf8_to_stdout(shipped_kb: KnowledgeBase) -> None:
    # --no-measures: the facts alone, to compare with the loader's knowledge base (the
    # default export carries the measures overlay, as a default load stores it).
    result = invoke("export", "graph", "--no-measures")
    assert result.exit_code == 0
    assert IAB_NAME.encode("utf-8") in result.stdout_bytes  # not \u escapes
    assert read_node_link(result.stdout_bytes) == shipped_kb


# --------------------------------------------------------------------------------------------
# GraphML and GEXF: official XSDs, networkx round trip
# --------------------------------------------------------------------------------------------


def test_vendored_xsds_are_the_official_namespaces() -> None:
    graphml = xmlschema.XMLSchema(str(XSD_DIR / "graphml.xsd"))
    gexf = xmlschema.XMLSchema(str(XSD_DIR / "gexf.xsd"))
    assert graphml.target_namespace == "http://graphml.graphdrawing.org/xmlns"
    assert gexf.target_namespace == "http://www.gexf.net/1.2draft"
    assert (XSD_DIR / "LICENSE-EPL-2.0.txt").is_file()
    assert (XSD_DIR / "LICENSE-LGPL-2.1.txt").is_file()


@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_graphml_validates_and_round_trips(which: str, shipped_kb: KnowledgeBase) -> None:
    kb = shipped_kb if which == "shipped" else hostile_kb()
    document = graphml_bytes(kb)
    assert validate(document, "graphml.xsd") == []
    raw = nx.read_graphml(io.BytesIO(document), force_multigraph=True)
    expected = expected_graph(kb)
    # What networkx itself reads: the same nodes with the same typed attributes, lists
    # as their '|'-joined text (GraphML has no list type), 'label' the display name (what
    # Gephi shows) and 'node_label' the schema label.
    for node_id, data in expected.nodes(data=True):
        assert raw.nodes[node_id]["label"] == data["name_ja"]
        assert raw.nodes[node_id]["node_label"] == data["label"]
        for name, value in data.items():
            if name == "label":
                continue
            read = raw.nodes[node_id][name]
            assert read == ("|".join(value) if isinstance(value, list) else value)
            assert type(read) is (str if isinstance(value, list) else type(value))
    assert raw.number_of_edges() == expected.number_of_edges()
    assert_same_graph(read_graphml_graph(document), expected)
    assert read_graphml(document) == KnowledgeBase.from_networkx(expected)


def read_graphml_graph(document: bytes) -> nx.MultiDiGraph:
    from biocluster_kg.graph.exports.graphml import decode_graphml_graph

    return decode_graphml_graph(nx.read_graphml(io.BytesIO(document)))


def test_graphml_declares_typed_keys(shipped_kb: KnowledgeBase) -> None:
    text = graphml_bytes(shipped_kb).decode("utf-8")
    keys = dict(re.findall(r'attr\.name="([^"]+)" attr\.type="([^"]+)"', text))
    assert keys["span_line"] == "long"
    assert keys["amount_thousand_yen"] == "long"
    assert keys["aliases"] == "string" and keys["name_ja"] == "string"
    hostile = graphml_bytes(hostile_kb()).decode("utf-8")
    assert 'attr.name="betweenness" attr.type="double"' in hostile


@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_gexf_validates_and_round_trips(which: str, shipped_kb: KnowledgeBase) -> None:
    kb = shipped_kb if which == "shipped" else hostile_kb()
    document = gexf_bytes(kb)
    assert validate(document, "gexf.xsd") == []
    raw = nx.read_gexf(io.BytesIO(document))
    expected = expected_graph(kb)
    for node_id, data in expected.nodes(data=True):
        assert raw.nodes[node_id]["label"] == data["name_ja"]  # what Gephi shows
        assert raw.nodes[node_id]["node_label"] == data["label"]
        for name, value in data.items():
            if name == "label":
                continue
            read = raw.nodes[node_id][name]
            assert read == (format_list(value) if isinstance(value, list) else value)
            assert type(read) is (str if isinstance(value, list) else type(value))
    from biocluster_kg.graph.exports.gexf import decode_gexf_graph

    assert_same_graph(decode_gexf_graph(raw), expected)
    assert read_gexf(document) == KnowledgeBase.from_networkx(expected)


def test_gexf_declares_typed_attributes(shipped_kb: KnowledgeBase) -> None:
    text = gexf_bytes(shipped_kb).decode("utf-8")
    types = dict(re.findall(r'<attribute id="[^"]+" title="([^"]+)" type="([^"]+)"', text))
    assert types["span_line"] == "long" and types["aliases"] == "liststring"
    assert f'label="{IAB_NAME}"' in text


def test_the_schemas_really_check_our_files(shipped_kb: KnowledgeBase) -> None:
    # Without this, an XSD that accepted anything would make the two tests above pass.
    broken_graphml = graphml_bytes(shipped_kb).replace(b'attr.type="long"', b'attr.type="list"')
    assert validate(broken_graphml, "graphml.xsd")
    dangling = graphml_bytes(shipped_kb).replace(b'<data key="e_id">', b'<data key="e_x">', 1)
    assert validate(dangling, "graphml.xsd")
    broken_gexf = gexf_bytes(shipped_kb).replace(b'mode="static">', b'mode="frozen">', 1)
    assert validate(broken_gexf, "gexf.xsd")


def test_xml_formats_refuse_what_xml_cannot_carry() -> None:
    kb = hostile_kb()
    kb.nodes["org:hostile"].properties["note"] = "bell \x07"
    with pytest.raises(ExportError, match="U\\+0007"):
        graphml_bytes(kb)
    with pytest.raises(ExportError, match="U\\+0007"):
        gexf_bytes(kb)


def test_a_list_item_with_the_separator_is_refused() -> None:
    kb = hostile_kb()
    kb.nodes["org:hostile"].properties["aliases"] = ["a|b"]
    for writer in (graphml_bytes, neo4j_csv_files):
        with pytest.raises(ExportError, match="contains '\\|', the list separator"):
            writer(kb)
    # GEXF quotes every item, so it carries one with '|' as it is.
    assert read_gexf(gexf_bytes(kb)).nodes["org:hostile"].get("aliases") == ["a|b"]


@given(st.lists(st.text()))
def test_gexf_list_syntax_round_trips(items: list[str]) -> None:
    assert parse_list(format_list(items)) == items


def test_gexf_lists_read_gephis_own_forms() -> None:
    # What Gephi's writer puts out (quotes only where needed) and the empty list marker.
    assert parse_list('[a, "b, c", \'d "e"\', "f\\\\g"]') == ["a", "b, c", 'd "e"', "f\\g"]
    assert parse_list("<empty>") == [] and parse_list("[]") == []
    with pytest.raises(ExportError, match="null"):
        parse_list("[a, null]")


def test_exports_keep_or_drop_the_measures_as_asked(shipped_kb: KnowledgeBase) -> None:
    from biocluster_kg.graph.brokerage import measured

    store_like = measured(shipped_kb, profile=SHIPPED_PROFILE)
    assert store_like is not shipped_kb
    for output_format in ("json", "graphml", "gexf", "cypher"):
        for measures in (True, False):
            from_data = graph_document(
                shipped_kb, output_format, measures=measures, profile=SHIPPED_PROFILE
            )
            from_store = graph_document(
                store_like, output_format, measures=measures, profile=SHIPPED_PROFILE
            )
            assert from_data == from_store, (output_format, measures)
        assert b"betweenness" in graph_document(
            shipped_kb, output_format, measures=True, profile=SHIPPED_PROFILE
        )
        assert b"betweenness" not in graph_document(
            store_like, output_format, measures=False, profile=SHIPPED_PROFILE
        )


def test_empty_lists_are_written_as_absent() -> None:
    kb = hostile_kb()
    kb.nodes["body:council"].properties["brokerage_roles"] = []
    without = hostile_kb()
    for output_format in ("json", "graphml", "gexf", "cypher"):
        assert graph_document(
            kb, output_format, measures=True, profile=SHIPPED_PROFILE
        ) == graph_document(without, output_format, measures=True, profile=SHIPPED_PROFILE)
    assert neo4j_csv_files(kb) == neo4j_csv_files(without)


def test_non_finite_floats_are_refused() -> None:
    kb = hostile_kb()
    kb.nodes["org:hostile"].properties["betweenness"] = float("nan")
    for output_format in ("json", "graphml", "gexf", "cypher"):
        with pytest.raises(ExportError):
            graph_document(kb, output_format, measures=True, profile=SHIPPED_PROFILE)


# --------------------------------------------------------------------------------------------
# neo4j-admin CSV
# --------------------------------------------------------------------------------------------


def read_neo4j_csv(files: dict[str, str]) -> KnowledgeBase:
    """An independent reader of the neo4j-admin header format, typed by the header."""
    converters = {
        "int": int,
        "float": float,
        "boolean": lambda text: text == "true",
        "string[]": lambda text: text.split("|") if text else [],
    }
    kb = KnowledgeBase()
    for name, text in files.items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, body = rows[0], rows[1:]
        for row in body:
            record: dict[str, Any] = {}
            for column, cell in zip(header, row, strict=True):
                if cell == "":
                    continue
                field, _, annotation = column.partition(":")
                if column in ("id:ID", ":LABEL", ":START_ID", ":END_ID", ":TYPE"):
                    record[column] = cell
                else:
                    record[field] = converters.get(annotation, str)(cell)
            if name.startswith("nodes-"):
                node_id, label = record.pop("id:ID"), record.pop(":LABEL")
                kb.add_node(Node(node_id, label, record))
            else:
                start, end, type_ = (
                    record.pop(":START_ID"),
                    record.pop(":END_ID"),
                    record.pop(":TYPE"),
                )
                kb.add_relationship(Relationship(record.pop("id"), type_, start, end, record))
    return kb


@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_neo4j_csv_round_trips(which: str, shipped_kb: KnowledgeBase) -> None:
    kb = shipped_kb if which == "shipped" else hostile_kb()
    assert read_neo4j_csv(neo4j_csv_files(kb)) == KnowledgeBase.from_networkx(expected_graph(kb))


def test_neo4j_csv_headers_follow_the_import_format(shipped_kb: KnowledgeBase) -> None:
    files = neo4j_csv_files(shipped_kb)
    labels = {node.label for node in shipped_kb.nodes.values()}
    types = {rel.type for rel in shipped_kb.relationships.values()}
    assert set(files) == {f"nodes-{label}.csv" for label in labels} | {
        f"relationships-{type_}.csv" for type_ in types
    }
    header = files["nodes-Organization.csv"].split("\n", 1)[0].split(",")
    assert header[0] == "id:ID" and header[-1] == ":LABEL"
    assert "aliases:string[]" in header and "span_line:int" in header and "name_ja" in header
    program = files["nodes-Program.csv"].split("\n", 1)[0].split(",")
    assert "amount_thousand_yen:int" in program and "fiscal_year:int" in program
    rel_header = files["relationships-MEMBER_OF.csv"].split("\n", 1)[0].split(",")
    assert rel_header[:4] == [":START_ID", ":END_ID", ":TYPE", "id"]
    assert "role" in rel_header
    # Every data line of a node file carries its label, every text is quoted.
    first_row = files["nodes-Organization.csv"].split("\n")[1]
    assert first_row.startswith('"org:') and first_row.endswith(',"Organization"')


def test_neo4j_csv_folder_has_the_import_command(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    stale = folder / "nodes-Figure.csv"
    stale.write_text("left from an older export\n", encoding="utf-8")
    other = folder / "notes.csv"
    other.write_text("the user's own file\n", encoding="utf-8")
    kb = KnowledgeBase(
        nodes={k: v for k, v in shipped_kb.nodes.items() if v.label != "Figure"},
        relationships={
            k: v
            for k, v in shipped_kb.relationships.items()
            if shipped_kb.nodes[v.start].label != "Figure"
        },
    )
    written = write_neo4j_csv(kb, folder, profile=SHIPPED_PROFILE)
    assert not stale.exists() and other.exists()
    assert (folder / "README.txt") in written
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "'--array-delimiter=|'" in readme and "--multiline-fields=true" in readme
    arguments = neo4j_admin_arguments(folder)
    assert arguments[:4] == ["database", "import", "full", "neo4j"]
    assert set(IMPORT_OPTIONS) <= set(arguments)
    assert f"--nodes={(folder / 'nodes-Organization.csv').resolve()}" in arguments
    assert not any("Figure" in argument or "notes" in argument for argument in arguments)


# --------------------------------------------------------------------------------------------
# Cypher script and its literals
# --------------------------------------------------------------------------------------------

_CYPHER_UNESCAPE = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b",
                    "f": "\f"}  # fmt: skip


def unescape_cypher_string(literal: str) -> str:
    """Cypher's escape rules, independently written: the inverse the server applies."""
    assert literal[0] == literal[-1] == "'"
    out, index, body = [], 0, literal[1:-1]
    while index < len(body):
        char = body[index]
        assert char != "'", f"unescaped quote in {literal!r}"
        if char != "\\":
            out.append(char)
            index += 1
            continue
        code = body[index + 1]
        if code == "u":
            out.append(chr(int(body[index + 2 : index + 6], 16)))
            index += 6
        else:
            out.append(_CYPHER_UNESCAPE[code])
            index += 2
    return "".join(out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_cypher_string_escapes_everything_that_matters(text: str) -> None:
    literal = cypher_string(text)
    assert "\n" not in literal and "\r" not in literal
    assert "\u2028" not in literal and "\u2029" not in literal
    assert unescape_cypher_string(literal) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_cypher_string_on_hostile_text(text: str) -> None:
    assert unescape_cypher_string(cypher_string(text)) == text


def test_cypher_literals_of_every_type() -> None:
    assert cypher_literal(["a'b", "c"]) == "['a\\'b', 'c']"
    assert cypher_literal(380067) == "380067"
    assert cypher_literal(0.125) == "0.125"
    assert cypher_literal(1e16) == "1e16"
    assert cypher_literal(False) == "false"
    with pytest.raises(ExportError, match="lone surrogate"):
        cypher_string("\ud800")
    with pytest.raises(ExportError):
        cypher_literal(float("inf"))


def test_cypher_script_is_one_statement_per_line(shipped_kb: KnowledgeBase) -> None:
    schema = ["CREATE CONSTRAINT `a` IF NOT EXISTS FOR (n:`Organization`) REQUIRE n.`id` IS UNIQUE"]
    script = graph_document(
        shipped_kb, "cypher", schema_statements=schema, profile=SHIPPED_PROFILE
    ).decode("utf-8")
    statements = script_statements(script)
    assert statements[0] == schema[0]
    assert statements[1] == "CALL db.awaitIndexes(300)"
    creates = [s for s in statements if s.startswith("CREATE (:")]
    matches = [s for s in statements if s.startswith("MATCH (a:")]
    assert len(creates) == len(shipped_kb.nodes)
    assert len(matches) == len(shipped_kb.relationships)
    assert len(statements) == 2 + len(creates) + len(matches)
    assert all(line.endswith(";") for line in script.splitlines() if not line.startswith("//"))
    assert "$" not in "".join(s for s in statements if "'$" not in s)  # no parameters
    assert IAB_NAME in script


# --------------------------------------------------------------------------------------------
# Same output from the data files and from the embedded store
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Loaded as `biocluster load` loads: through the session, with the network measures.
    from biocluster_kg.app.session import Session, StoreSettings

    store = tmp_path_factory.mktemp("store") / "kb.lbug"
    with Session(store=StoreSettings(store_path=store)) as session:
        session.load()
    return store


def test_readback_from_the_embedded_store_is_the_knowledge_base(
    loaded_store: Path, shipped_kb: KnowledgeBase
) -> None:
    from biocluster_kg.graph.brokerage import has_measures, without_measures

    # The store holds the facts with the measures overlay (the default load), and nothing
    # else: taking the overlay off gives back exactly the facts.
    with LadybugBackend(loaded_store) as backend:
        stored = read_knowledge_base(backend)
    assert has_measures(stored)
    assert stored.nodes["org:iab"].get("bridge_score") is not None
    assert without_measures(stored) == shipped_kb


@pytest.mark.parametrize("output_format", [f for f in GRAPH_FORMATS if f != "csv"])
def test_graph_export_is_byte_identical_from_data_and_store(
    output_format: str, loaded_store: Path
) -> None:
    from_data = invoke("export", "graph", "--format", output_format)
    from_store = invoke(
        "export", "graph", "--format", output_format, "--from", "embedded", "--store",
        str(loaded_store),
    )  # fmt: skip
    assert from_data.exit_code == 0 and from_store.exit_code == 0
    assert from_data.stdout_bytes and from_data.stdout_bytes == from_store.stdout_bytes


def test_csv_folders_are_byte_identical_from_data_and_store(
    tmp_path: Path, loaded_store: Path
) -> None:
    assert invoke("export", "graph", "--format", "csv", "-o", str(tmp_path / "a")).exit_code == 0
    result = invoke(
        "export", "graph", "--format", "csv", "-o", str(tmp_path / "b"), "--from", "embedded",
        "--store", str(loaded_store),
    )  # fmt: skip
    assert result.exit_code == 0
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "b").iterdir())
    assert len(names) > 10
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_stakeholders_are_byte_identical_from_data_and_store(
    output_format: str, loaded_store: Path
) -> None:
    args = ["export", "stakeholders", "--format", output_format]
    from_data = invoke(*args)
    from_store = invoke(*args, "--from", "embedded", "--store", str(loaded_store))
    assert from_data.exit_code == 0 and from_store.exit_code == 0
    assert from_data.stdout_bytes and from_data.stdout_bytes == from_store.stdout_bytes


def test_export_from_a_missing_store_says_to_load_first(tmp_path: Path) -> None:
    result = invoke("export", "graph", "--from", "embedded", "--store", str(tmp_path / "no.lbug"))
    assert result.exit_code == 1
    assert "run `biocluster load` first" in result.stderr


def test_neo4j_flag_conflicts_with_another_source() -> None:
    result = invoke("export", "graph", "--neo4j", "--from", "embedded")
    assert result.exit_code == 2
    assert "--neo4j conflicts with --from embedded" in result.stderr


# --------------------------------------------------------------------------------------------
# Stakeholders
# --------------------------------------------------------------------------------------------


def rows_by_id(kb: KnowledgeBase, **filters: Any) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in stakeholder_rows(kb, StakeholderFilter(**filters))}


def test_stakeholders_are_actors_with_positions_rolled_up(shipped_kb: KnowledgeBase) -> None:
    rows = rows_by_id(shipped_kb)
    labels = {row["label"] for row in rows.values()}
    assert labels == {"Organization", "Group", "Body"}  # every position is a post of some actor
    expected = {n.id for n in shipped_kb.nodes.values() if n.label in labels}
    assert set(rows) == expected
    prefecture = rows["org:yamagata-prefecture"]
    assert prefecture["positions"] == ["山形県知事"]
    assert prefecture["memberships"] == [
        "山形県バイオクラスター形成推進会議:chair (会長) via 山形県知事"
    ]
    assert list(prefecture) == list(STAKEHOLDER_COLUMNS)
    assert prefecture["source_doc"] and prefecture["span"] and prefecture["span_line"]
    assert list(rows) == sorted(rows)


def test_a_position_in_nothing_is_its_own_row() -> None:
    kb = KnowledgeBase()
    kb.add_node(Node("pos:lonely", "Position", {"kind": "coordinator", "name_ja": "調整役"}))
    kb.add_node(Node("body:b", "Body", {"kind": "council", "name_ja": "会議"}))
    kb.add_relationship(Relationship("m", "MEMBER_OF", "pos:lonely", "body:b", {"role": "member"}))
    rows = rows_by_id(kb)
    assert rows["pos:lonely"]["memberships"] == ["会議:member"]


def test_body_and_role_filters_match_the_same_seat(shipped_kb: KnowledgeBase) -> None:
    chairs = rows_by_id(shipped_kb, bodies=("推進会議",), roles=("chair",))
    assert list(chairs) == ["org:yamagata-prefecture"]
    vice = rows_by_id(shipped_kb, bodies=("body:promotion-council",), roles=("副会長",))
    assert list(vice) == ["org:tsuruoka-city"]
    committee_chairs = rows_by_id(
        shipped_kb, bodies=("連携促進・成果活用委員会",), roles=("chair",)
    )
    assert list(committee_chairs) == ["org:commerce-department"]
    # The same role on another body does not count.
    assert "org:commerce-department" not in rows_by_id(
        shipped_kb, bodies=("body:promotion-council",), roles=("chair",)
    )
    council = rows_by_id(shipped_kb, bodies=("山形県バイオクラスター形成推進会議",))
    assert {"org:yamagata-prefecture", "org:tsuruoka-city", "org:keio"} <= set(council)
    assert "org:iab" not in council  # the institute's director sits on the committee
    assert "org:iab" in rows_by_id(shipped_kb, bodies=("連携促進・成果活用委員会",))


def test_sector_kind_fiscal_year_and_tie_filters(shipped_kb: KnowledgeBase) -> None:
    industry = rows_by_id(shipped_kb, sectors=("industry",))
    assert industry and all(row["sector"] == "industry" for row in industry.values())
    ventures = rows_by_id(shipped_kb, kinds=("venture", "company"))
    assert {"org:spiber", "org:hmt"} <= set(ventures)
    assert all(row["kind"] in ("venture", "company") for row in ventures.values())
    tied = rows_by_id(shipped_kb, tied_to="慶應先端研")
    assert "org:iab" not in tied
    assert {"org:spiber", "org:hmt", "org:keio"} <= set(tied)
    for actor_id in tied:
        ends = {
            (r.start, r.end)
            for r in shipped_kb.relationships.values()
            if "org:iab" in (r.start, r.end)
        }
        posts = {
            r.start
            for r in shipped_kb.relationships.values()
            if r.type == "POSITION_IN" and r.end == actor_id
        }
        assert any(set(pair) & ({actor_id} | posts) for pair in ends), actor_id
    fy2013 = rows_by_id(shipped_kb, fiscal_year=2013)
    fy2012 = rows_by_id(shipped_kb, fiscal_year=2012)
    assert fy2013 and fy2012 and set(fy2013) != set(fy2012)
    assert not rows_by_id(shipped_kb, fiscal_year=1990)


def test_names_that_cannot_be_resolved_are_clear_errors(shipped_kb: KnowledgeBase) -> None:
    result = invoke("export", "stakeholders", "--tied-to", "専任職員")
    assert result.exit_code == 1
    assert "'専任職員' names 2 nodes" in result.stderr
    result = invoke("export", "stakeholders", "--body", "慶應先端研")
    assert result.exit_code == 1
    assert "no Body is called '慶應先端研'" in result.stderr
    result = invoke("export", "stakeholders", "--kind", "spaceship")
    assert result.exit_code == 2
    assert "'spaceship' is not a kind of stakeholder" in result.stderr
    # Reiwa years are fiscal years (issue 15); a Heisei year past the era's end is not one.
    result = invoke("export", "stakeholders", "--fiscal-year", "平成35年度")
    assert result.exit_code == 2
    assert "past the end of the Heisei era" in result.stderr


def test_fiscal_year_accepts_heisei_labels() -> None:
    by_label = invoke("export", "stakeholders", "--fiscal-year", "平成25年度")
    by_number = invoke("export", "stakeholders", "--fiscal-year", "2013")
    assert by_label.exit_code == by_number.exit_code == 0
    assert by_label.stdout_bytes == by_number.stdout_bytes


def formula_kb() -> KnowledgeBase:
    kb = KnowledgeBase()
    starts = ["=1+1", "+81 235", "-2", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"]
    for number, text in enumerate(starts):
        kb.add_node(
            Node(
                f"org:f{number}",
                "Organization",
                {"kind": "company", "sector": "industry", "name_ja": text, "name_en": "safe",
                 "aliases": [text], "span": text, "span_line": number + 1},
            )
        )  # fmt: skip
    return kb


def test_spreadsheet_formulas_are_neutralised(tmp_path: Path) -> None:
    from biocluster_kg.graph.exports.stakeholders import stakeholders_csv, stakeholders_json

    rows = stakeholder_rows(formula_kb())
    parsed = list(csv.reader(io.StringIO(stakeholders_csv(rows).decode("utf-8"), newline="")))
    name_column = STAKEHOLDER_COLUMNS.index("name_ja")
    for row in parsed[1:]:
        for column in ("name_ja", "aliases", "span"):
            assert row[STAKEHOLDER_COLUMNS.index(column)].startswith("'")
        assert row[name_column][1:] in [r["name_ja"] for r in rows]
    # JSON is for scripts: the text as it is.
    assert [r["name_ja"] for r in json.loads(stakeholders_json(rows))] == [
        r["name_ja"] for r in rows
    ]
    from biocluster_kg.graph.exports.stakeholders import write_stakeholders_xlsx

    path = tmp_path / "f.xlsx"
    write_stakeholders_xlsx(rows, path)
    sheet = load_workbook(path).active
    assert sheet is not None
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            assert cell.data_type != "f"  # no formula anywhere
        assert str(line[name_column].value).startswith("'")
    assert neutralise("山形県") == "山形県" and neutralise("") == ""


def test_csv_bom_and_japanese(tmp_path: Path) -> None:
    plain = invoke("export", "stakeholders", "--lang", "en")
    with_bom = invoke("export", "stakeholders", "--lang", "en", "--bom")
    assert not plain.stdout_bytes.startswith(b"\xef\xbb\xbf"), "scripts get no BOM by default"
    assert plain.stdout_bytes.startswith(b"id,label,")
    assert with_bom.stdout_bytes == b"\xef\xbb\xbf" + plain.stdout_bytes
    assert (
        "山形県バイオクラスター形成推進会議:chair (会長) via 山形県知事"
        in plain.stdout_bytes.decode("utf-8")
    )
    people = invoke("export", "stakeholders")
    assert people.stdout_bytes.startswith(b"\xef\xbb\xbf" + "ID,区分,名称,".encode())
    japanese = people.stdout_bytes.decode("utf-8-sig")
    assert "山形県バイオクラスター形成推進会議：会長（山形県知事として）" in japanese
    assert " via " not in japanese and ":chair" not in japanese
    unmarked = invoke("export", "stakeholders", "--no-bom")
    assert b"\xef\xbb\xbf" + unmarked.stdout_bytes == people.stdout_bytes
    output = tmp_path / "s.csv"
    result = invoke("export", "stakeholders", "-o", str(output))
    assert result.exit_code == 0 and result.stdout_bytes == b""
    assert output.read_bytes() == people.stdout_bytes
    assert "stakeholder(s)" in result.stderr


def test_options_a_format_ignores_are_refused() -> None:
    result = invoke("export", "stakeholders", "--format", "json", "--bom")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --bom applies to CSV only, not to --format json"
    )
    # --lang is accepted with JSON and changes nothing (issue 26; said in --help).
    plain = invoke("export", "stakeholders", "--format", "json")
    for lang in ("ja", "en"):
        given = invoke("export", "stakeholders", "--format", "json", "--lang", lang)
        assert given.exit_code == 0 and given.stdout == plain.stdout


def test_xlsx_holds_the_same_rows_as_csv(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    path = tmp_path / "out" / "stakeholders.xlsx"
    result = invoke("export", "stakeholders", "--format", "xlsx", "-o", str(path))
    assert result.exit_code == 0
    people = invoke("export", "stakeholders").stdout_bytes.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(people, newline="")))
    assert csv_rows[0][:3] == ["ID", "区分", "名称"]
    sheet = load_workbook(path).active
    assert sheet is not None and sheet.title == "stakeholders"
    xlsx_rows = [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) == 1 + len(stakeholder_rows(shipped_kb))
    assert any(IAB_NAME in row for row in xlsx_rows)


def test_xlsx_needs_a_file() -> None:
    result = invoke("export", "stakeholders", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx writes a workbook: give its file with -o FILE" in result.stderr


def test_graph_csv_needs_a_folder() -> None:
    result = invoke("export", "graph", "--format", "csv")
    assert result.exit_code == 2
    assert "--format csv writes a folder of files: give it with -o DIR" in result.stderr


def test_json_stakeholders_have_arrays_and_nulls(shipped_kb: KnowledgeBase) -> None:
    result = invoke("export", "stakeholders", "--format", "json", "--sector", "finance")
    records = json.loads(result.stdout_bytes)
    assert records and all(list(record) == list(STAKEHOLDER_COLUMNS) for record in records)
    bankers = next(r for r in records if r["id"] == "org:bankers-association")
    assert bankers["memberships"] == [
        "山形県バイオクラスター形成推進会議:member via 県銀行協会会長"
    ]
    assert isinstance(bankers["aliases"], list) and isinstance(bankers["span_line"], int)


# --------------------------------------------------------------------------------------------
# Help
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["stakeholders"], ["graph"]])
def test_export_help_has_an_example(command: list[str]) -> None:
    result = invoke("export", *command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "biocluster export" in result.output


def test_stakeholder_help_documents_the_columns() -> None:
    help_text = " ".join(invoke("export", "stakeholders", "--help").output.split())
    assert ", ".join(STAKEHOLDER_COLUMNS) in help_text
