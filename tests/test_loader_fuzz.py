"""Hypothesis: whatever a data file holds, the loaders answer with our own errors only."""

from __future__ import annotations

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
