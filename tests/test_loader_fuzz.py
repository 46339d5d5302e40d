"""Hypothesis: whatever a data file holds, the loaders answer with our own errors only."""

from __future__ import annotations

import contextlib

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biocluster_kg.kernel.errors import BioclusterError
from biocluster_kg.kernel.schema import SCHEMA
from biocluster_kg.loaders import default_data_dir
from biocluster_kg.loaders.sources import load_sources
from biocluster_kg.loaders.tabular import parse_table
from biocluster_kg.loaders.validate import build_knowledge_base
from biocluster_kg.loaders.yaml_records import parse_yaml_text

SOURCES = load_sources(default_data_dir() / "sources")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["会長：山形県知事", "H25", "平成25年度", "org:iab", "慶應先端研", "2013"]),
)
field_names = st.one_of(
    st.sampled_from(
        [
            "id",
            "label",
            "type",
            "from",
            "to",
            "kind",
            "sector",
            "name_ja",
            "name_en",
            "span",
            "aliases",
            "role",
            "fiscal_year",
            "amount_thousand_yen",
            "count",
            "span_line",
            "source_doc",
            "tags",
        ]
    ),
    st.text(min_size=1, max_size=12),
)
records = st.dictionaries(
    field_names, st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=10
)
labels = st.sampled_from([*SCHEMA.labels, "Person", ""])


def run(text: str) -> None:
    try:
        raw = parse_yaml_text(text, "kb/fuzz.yaml")
        build_knowledge_base(raw, SOURCES)
    except BioclusterError:
        pass


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_yaml_only_raises_our_errors(text: str) -> None:
    run(text)


@FUZZ
@given(st.lists(records, max_size=4), st.lists(records, max_size=4), labels)
def test_any_records_only_raise_our_errors(nodes, relationships, label) -> None:
    for node in nodes:
        node.setdefault("label", label)
    document = {
        "source": "yamagata-biocluster-fy2013",
        "nodes": nodes,
        "relationships": relationships,
    }
    run(yaml.safe_dump(document, allow_unicode=True))


@FUZZ
@given(
    st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=6),
    st.sampled_from(["node", "relationship"]),
)
def test_any_csv_only_raises_our_errors(rows, kind) -> None:
    header = "id,label,kind,name_ja,name_en,span" if kind == "node" else "id,type,from,to,span"
    text = header + "\n" + "\n".join(",".join(row) for row in rows)
    try:
        raw = parse_table(text, "kb/fuzz.nodes.csv", kind)
        build_knowledge_base(raw, SOURCES)
    except BioclusterError:
        pass


# Issue 19: the text strategy widened to what broke the loaders in an adversarial probe:
# control characters (C0, DEL, C1), lone surrogates, noncharacters, and YAML tags, anchors
# and YAML 1.1 number forms.
NOT_TEXT = [chr(code) for code in (0, 0x09, 0x0B, 0x0C, 0x0D, 0x1B, 0x7F, 0x85, 0x9F)] + [
    chr(code) for code in (0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFDD0, 0xFFFE, 0xFFFF, 0x1FFFE)
]
hostile_text = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(NOT_TEXT)), max_size=20)
YAML_VALUES = [
    "!!int abc", "!!float abc", "!!bool maybe", "!!timestamp 2012-02-30", "2012-02-30",
    "!!binary xyz", "!!set {a}", "!!python/object/apply:os.system ['true']", "!custom x",
    "012", "0o17", "0x1f", "1:20", "1_000", ".nan", "-.inf", "1e400", "-5", "yes", "~",
    "&a x", "*a", '"\\e]52;c;cHduZWQ=\\a"', '"P\\ud800"', '"A\\uFFFE"', '"\\0"',
]  # fmt: skip
yaml_value = st.one_of(
    st.sampled_from(YAML_VALUES),
    hostile_text.map(lambda text: json_quoted(text)),
)


def json_quoted(text: str) -> str:
    # A YAML double-quoted scalar can carry any code point, surrogates included, as \u escapes.
    return '"' + "".join(f"\\U{ord(c):08x}" if not c.isalnum() else c for c in text) + '"'


@FUZZ
@given(
    st.lists(st.tuples(field_names, yaml_value), min_size=1, max_size=8),
    labels,
    st.booleans(),
)
def test_hostile_yaml_values_only_raise_our_errors(pairs, label, as_relationship) -> None:
    key = "relationships" if as_relationship else "nodes"
    lines = [f"    {name}: {value}" for name, value in pairs]
    lines[0] = "  - " + lines[0].lstrip()
    text = f"source: yamagata-biocluster-fy2013\n{key}:\n" + "\n".join(lines) + "\n"
    if not as_relationship:
        text += f"  - {{id: 'org:x', label: '{label}', name_ja: 甲, name_en: A, span: 県内企業}}\n"
    run(text)


@FUZZ
@given(st.lists(records, max_size=3), hostile_text, hostile_text)
def test_hostile_text_in_every_field_only_raises_our_errors(nodes, name, span) -> None:
    for node in nodes:
        node.setdefault("label", "Organization")
        node["name_en"] = name
        node["span"] = span
    document = {"source": "yamagata-biocluster-fy2013", "nodes": nodes}
    run(yaml.safe_dump(document, allow_unicode=False))
    header = "id,label,kind,name_ja,name_en,span"
    row = ",".join(
        [
            '"' + str(v).replace('"', '""') + '"'
            for v in ("org:x", "Organization", "company", name, name, span)
        ]
    )
    with contextlib.suppress(BioclusterError):
        raw = parse_table(f"{header}\n{row}\n", "kb/fuzz.nodes.csv", "node")
        build_knowledge_base(raw, SOURCES)


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(["id", "file", "title", "publisher", "x"]), yaml_value),
        max_size=5,
    )
)
def test_hostile_source_registries_only_raise_our_errors(tmp_path_factory, pairs) -> None:
    folder = tmp_path_factory.mktemp("sources")
    (folder / "doc.txt").write_text("本文\n", encoding="utf-8")
    body = "".join(f"    {name}: {value}\n" for name, value in pairs)
    text = "sources:\n  - id: doc\n    file: doc.txt\n" + body
    (folder / "sources.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(BioclusterError):
        load_sources(folder)
