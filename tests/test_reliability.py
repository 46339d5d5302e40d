"""Reliability: bad input, parser fuzzing and faults of the embedded store lose nothing.

* Every file of the bad-input corpus (``tests/bad_inputs/``) goes through ``biocluster load``
  against a store that already holds the shipped knowledge base, on the embedded store and
  on Neo4j: exactly one problem naming file, line and field, exit 1, the store unchanged.
* Hypothesis throws text, mutated library files and parameter values at the query-file
  parser and the parameter parsers: only the project's own errors come out.
* Faults of the embedded store, produced for real: a ``biocluster load`` process killed with
  SIGKILL mid-load, a full disk (``RLIMIT_FSIZE`` in the loading process, and a tiny tmpfs
  where mounting is allowed), two loads at once. The previous knowledge base stays intact
  and a rerun converges to exactly the expected state.

Neo4j server faults (stopped or killed mid-load, concurrent loads) are in
``test_reliability_neo4j.py``. RELIABILITY.md lists every case and its outcome.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from neo4j_support import neo4j_settings_or_skip
from synthetic_support import synthetic_cluster

from biocluster_kg.cli import cli
from biocluster_kg.cli.params import parse_parameter, parse_parameters
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.library import (
    LIBRARY_DIR,
    default_library,
    load_library,
    parse_query_file,
)
from biocluster_kg.cypher.readback import read_knowledge_base
from biocluster_kg.cypher.statements import check_parameters, check_read_only, parameter_names
from biocluster_kg.kernel.cluster import load_cluster_profile
from biocluster_kg.kernel.errors import (
    QueryFileError,
    QueryParameterError,
    ReadOnlyError,
)
from biocluster_kg.kernel.model import KnowledgeBase, Node, Relationship
from biocluster_kg.kernel.tabular import write_tabular
from biocluster_kg.loaders import default_data_dir, load_knowledge_base

# The shipped workspace's profile: the tests of its data pass it, as the session does.
SHIPPED_PROFILE = load_cluster_profile()

REPO = Path(__file__).resolve().parent.parent
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
BIOCLUSTER = Path(sys.executable).with_name("biocluster")
SOURCE = "yamagata-biocluster-fy2013"


@pytest.fixture(scope="module")
def loaded_kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    """What ``biocluster load`` stores: the shipped knowledge base with its network measures."""
    from biocluster_kg.graph.brokerage import measured

    return as_stored(measured(shipped_kb, profile=SHIPPED_PROFILE))


def as_stored(kb: KnowledgeBase) -> KnowledgeBase:
    """``kb`` as a store gives it back: a property set to None is no property at all."""
    stored = KnowledgeBase(sources=dict(kb.sources))
    for node in kb.nodes.values():
        properties = {k: v for k, v in node.properties.items() if v is not None}
        stored.add_node(Node(node.id, node.label, properties))
    for rel in kb.relationships.values():
        properties = {k: v for k, v in rel.properties.items() if v is not None}
        stored.add_relationship(Relationship(rel.id, rel.type, rel.start, rel.end, properties))
    return stored


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


# --------------------------------------------------------------------------------------------
# the bad-input corpus
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """The one problem a case must give: where (line, field) and what (a message fragment)."""

    line: int | None
    field: str | None
    message: str
    file: str | None = None  # kb/<case> unless the problem is reported in another file


_ORGANIZATION_KINDS = "'spaceship' is not one of: prefecture, municipality"

#: Every case of tests/bad_inputs/ and the problem it must give.
CASES: dict[str, Expected] = {
    # Not YAML at all, or not the YAML of a data file.
    "malformed-unclosed-bracket.yaml": Expected(3, None, "malformed YAML: expected the node"),
    "malformed-indentation.yaml": Expected(5, None, "malformed YAML: expected <block end>"),
    "malformed-tab-indent.yaml": Expected(4, None, "found character '\\t' that cannot start"),
    "malformed-unclosed-quote.yaml": Expected(6, None, "found unexpected end of stream"),
    "deeply-nested.yaml": Expected(None, None, "malformed YAML"),
    "top-level-list.yaml": Expected(1, None, "expected a mapping with 'nodes' and"),
    "top-level-scalar.yaml": Expected(1, None, "expected a mapping with 'nodes' and"),
    "unknown-top-level-key.yaml": Expected(2, "edges", "unknown top-level key"),
    "nodes-not-a-list.yaml": Expected(2, "nodes", "expected a list"),
    "record-not-a-mapping.yaml": Expected(3, None, "each node must be a mapping"),
    "yaml-alias-bomb.yaml": Expected(10, "tags", "YAML anchors and aliases are not allowed"),
    "yaml-python-tag.yaml": Expected(8, "name_en", "unreadable value: could not determine a"),
    "duplicate-field.yaml": Expected(10, "name_en", "field given twice"),
    # Encodings and bytes.
    "shift-jis.yaml": Expected(7, None, "not UTF-8 (byte 0x8e); save the file as UTF-8"),
    "euc-jp.yaml": Expected(7, None, "not UTF-8 (byte 0xbb)"),
    "utf-16.yaml": Expected(1, None, "not UTF-8 (byte 0xff)"),
    "latin-1.yaml": Expected(7, None, "not UTF-8 (byte 0xe9)"),
    "csv-shift-jis.nodes.csv": Expected(2, None, "not UTF-8 (byte 0x8e)"),
    "nul-character.yaml": Expected(5, None, "contains a NUL character"),
    # A byte-order mark is accepted and must not shift the line numbers.
    "bom-then-bad-kind.yaml": Expected(5, "kind", _ORGANIZATION_KINDS),
    "bom-then-bad-sector.nodes.csv": Expected(2, "sector", "'moon' is not one of: government"),
    # Empty files.
    "empty.yaml": Expected(None, None, "the file is empty"),
    "only-comments.yaml": Expected(None, None, "the file is empty"),
    "empty.nodes.csv": Expected(None, None, "the file is empty"),
    # Ids and references.
    "duplicate-id-in-file.yaml": Expected(
        10, "id", "duplicate id 'org:bad-input-company' (first at kb/duplicate-id-in-file.yaml:3)"
    ),
    "zz-duplicate-id-of-shipped.yaml": Expected(
        3, "id", "duplicate id 'org:iab' (first at kb/actors.yaml:"
    ),
    "missing-id.yaml": Expected(3, None, "missing id"),
    "id-with-wrong-prefix.yaml": Expected(3, "id", "Organization ids look like 'org:<slug>'"),
    "dangling-reference.yaml": Expected(
        3, "to", "'body:no-such-council' matches no node id, name or alias"
    ),
    "ambiguous-reference.yaml": Expected(
        12, "from", "'先端研' names several nodes: org:bad-input-company, org:iab"
    ),
    "relationship-missing-end.yaml": Expected(3, None, "missing 'to'"),
    "self-loop.yaml": Expected(3, "to", "a relationship cannot join a node to itself"),
    # Labels, types and fields outside the schema.
    "unknown-label.yaml": Expected(4, "label", "unknown label 'Person'; expected one of"),
    "lower-case-label.yaml": Expected(4, "label", "unknown label 'organization'"),
    "unknown-relationship-type.yaml": Expected(3, "type", "unknown relationship type 'KNOWS'"),
    "disallowed-endpoints.yaml": Expected(3, "to", "PART_OF cannot join Organization->Body"),
    "unknown-field.yaml": Expected(10, "founded", "unknown field; this record may have: id"),
    "computed-field-written.yaml": Expected(
        10, "fiscal_year_ja", "computed by the loader; do not write it"
    ),
    "missing-required-field.yaml": Expected(3, None, "missing required field 'name_en'"),
    # Values of the wrong type or outside the vocabulary.
    "wrong-type-text-for-int.yaml": Expected(9, "count", "expected int, got str 'five'"),
    "wrong-type-bool-for-int.yaml": Expected(9, "count", "expected int, got bool True"),
    "wrong-type-float-for-int.yaml": Expected(9, "count", "expected int, got float 5.5"),
    "wrong-type-list-for-text.yaml": Expected(8, "name_en", "expected string, got list"),
    "wrong-type-number-for-text.yaml": Expected(8, "name_en", "expected string, got int 1999"),
    "wrong-type-mapping-for-text.yaml": Expected(
        8, "name_en", "expected a value or a list of values, not a mapping"
    ),
    "nested-list.yaml": Expected(10, "aliases", "list items must be plain values"),
    "value-not-in-vocabulary.yaml": Expected(6, "sector", "'moon' is not one of: government"),
    "role-not-in-vocabulary.yaml": Expected(3, "role", "'emperor' is not one of: chair"),
    "empty-name.yaml": Expected(8, "name_en", "empty text"),
    # Reiwa years are fiscal years now (R5 = 2023); a Heisei year past the era's end is not.
    "bad-fiscal-year.yaml": Expected(
        6, "fiscal_year", "'平成35年度' is past the end of the Heisei era"
    ),
    "csv-number-with-unit.nodes.csv": Expected(2, "count", "expected int, got str '5社'"),
    # Huge values.
    "huge-integer.yaml": Expected(9, "count", "number too large"),
    "huge-text.yaml": Expected(10, "note", "text longer than 10000 characters"),
    "huge-list-item.yaml": Expected(10, "aliases", "list item too long"),
    # Citations.
    "span-not-in-source.yaml": Expected(
        9, "span", "span not found in source 'yamagata-biocluster-fy2013': '東京都庁に本社を置く'"
    ),
    "span-line-wrong.yaml": Expected(10, "span_line", "span starts on line(s) 23, 79, 121"),
    "unknown-source.yaml": Expected(3, "source_doc", "unknown source 'no-such-document'"),
    # The budget.
    # Issue 27 (R7): a date of no calendar.
    "impossible-event-date.yaml": Expected(
        8, "date_start", "'2012-02-30' is no date of the calendar"
    ),
    "cyclic-budget-tree.yaml": Expected(
        3,
        "PART_OF",
        "budget lines form a cycle: prog:bad-input-line-a -> prog:bad-input-line-b -> "
        "prog:bad-input-line-a",
    ),
    # The line whose parts no longer add up is the parent, in the shipped budget file.
    "budget-does-not-add-up.yaml": Expected(
        102,
        "amount_thousand_yen",
        "prog:fy2013-third-period-evaluation is 915 千円 but its PART_OF parts sum to 1 千円",
        file="kb/budget-fy2013.yaml",
    ),
    # Issue 19, defect 2: YAML values that do not construct are problems, not tracebacks.
    "yaml-int-tag-not-a-number.yaml": Expected(9, "count", "'abc' is not a number"),
    "yaml-bool-tag-maybe.yaml": Expected(8, "name_en", "'maybe' is not a value: write true or"),
    "yaml-timestamp-tag.yaml": Expected(
        10, "note", "could not determine a constructor for the tag 'tag:yaml.org,2002:timestamp'"
    ),
    "yaml-top-level-key-twice.yaml": Expected(10, "nodes", "top-level key given twice"),
    # Defects 3 and 4: the schema's text type (no controls, surrogates or noncharacters).
    "escaped-control-character.yaml": Expected(
        8, "name_en", "contains the control character U+001B at position 6"
    ),
    "escaped-lone-surrogate.yaml": Expected(
        8, "name_en", "contains a lone surrogate U+D800 at position 2"
    ),
    "escaped-noncharacter.yaml": Expected(8, "name_en", "contains the noncharacter U+FFFE"),
    "csv-tab-in-name.nodes.csv": Expected(2, "name_en", "contains a tab at position 4"),
    "csv-raw-escape.nodes.csv": Expected(2, None, "contains the control character U+001B"),
    # Defect 16: a raw DEL byte has a line; a numeric id is a wrong type, not a missing one.
    "raw-del-byte.yaml": Expected(8, None, "contains the control character U+007F (column 17)"),
    "id-is-a-number.yaml": Expected(3, "id", "expected text like 'org:<slug>', got int 123"),
    # Defect 12: values and spans that must not pass.
    "yaml-octal-count.yaml": Expected(9, "count", "'012' is not a plain decimal number (YAML 1.1"),
    "yaml-sexagesimal-count.yaml": Expected(
        9, "count", "'1:20' is not a plain decimal number (YAML 1.1 reads it as 80)"
    ),
    "negative-count.yaml": Expected(9, "count", "must not be negative, got -5"),
    "amount-min-above-max.yaml": Expected(
        9,
        "amount_max_thousand_yen",
        "amount_max_thousand_yen 3000 is less than amount_min_thousand_yen 5000",
    ),
    "start-year-after-end-year.yaml": Expected(
        9, "fiscal_year_end", "fiscal_year_end 2013 is less than fiscal_year_start 2015"
    ),
    "part-of-cycle-organizations.yaml": Expected(
        3,
        "PART_OF",
        "part-of forms a cycle: org:bad-input-a -> org:bad-input-b -> org:bad-input-a",
    ),
    "span-in-mathematical-bold.yaml": Expected(
        9, "span", "span differs from the characters of source 'yamagata-biocluster-fy2013'"
    ),
    # Tables (the spreadsheet form).
    "csv-shifted-columns.nodes.csv": Expected(2, None, "8 cells but 7 columns (shifted columns?)"),
    "csv-missing-cells.nodes.csv": Expected(2, None, "6 cells but 7 columns (shifted columns?)"),
    "csv-unknown-column.nodes.csv": Expected(1, "founded", "unknown column"),
    "csv-repeated-column.nodes.csv": Expected(1, None, "a column name is repeated"),
    "csv-missing-id-column.nodes.csv": Expected(1, "id", "missing column"),
    "csv-relationship-shifted-columns": Expected(
        3,
        None,
        "7 cells but 6 columns (shifted columns?)",
        file="kb/csv-relationship-shifted-columns.relationships.csv",
    ),
}

#: Cases that show a real bug in code this suite does not own (see RELIABILITY.md), with the
#: exception they fail with until it is fixed.
KNOWN_BUGS: dict[str, tuple[str, type[BaseException]]] = {}


def case_files(case: str) -> list[Path]:
    path = BAD_INPUTS / case
    return sorted(path.iterdir()) if path.is_dir() else [path]


def corpus_params() -> list[Any]:
    return [
        pytest.param(
            case,
            marks=pytest.mark.xfail(
                reason=KNOWN_BUGS[case][0], strict=True, raises=KNOWN_BUGS[case][1]
            )
            if case in KNOWN_BUGS
            else (),
        )
        for case in sorted(CASES)
    ]


def test_every_corpus_file_has_its_expected_problem() -> None:
    on_disk = {path.name for path in BAD_INPUTS.iterdir() if path.name != "README.md"}
    assert on_disk == set(CASES)


def data_with(case: str, data_copy: Path) -> Path:
    for file in case_files(case):
        shutil.copyfile(file, data_copy / "kb" / file.name)
    return data_copy


def assert_one_problem(result: Result, case: str) -> None:
    """Exit 1, nothing on stdout, and stderr is one problem at the expected place."""
    expected = CASES[case]
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: invalid data (1 problem):", result.stderr
    assert len(lines) == 2, result.stderr
    file = expected.file or f"kb/{case}"
    where = file if expected.line is None else f"{file}:{expected.line}"
    field = f" [{expected.field}]" if expected.field else ""
    assert lines[1].startswith(f"  {where}{field}: "), lines[1]
    assert expected.message in lines[1]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class EmbeddedStore:
    path: Path
    knowledge_base: KnowledgeBase
    files: dict[str, str]  # name -> sha256 of every file in the store's folder

    def snapshot_files(self) -> dict[str, str]:
        return {p.name: digest(p) for p in sorted(self.path.parent.iterdir())}


@pytest.fixture(scope="module")
def embedded_store(
    tmp_path_factory: pytest.TempPathFactory, loaded_kb: KnowledgeBase
) -> EmbeddedStore:
    """An embedded store holding the shipped knowledge base, loaded by the CLI."""
    path = tmp_path_factory.mktemp("embedded") / "kb.lbug"
    result = invoke("load", "--store", str(path))
    assert result.exit_code == 0, result.output
    with LadybugBackend(path) as store:
        stored = read_knowledge_base(store)
    assert stored == loaded_kb
    files = {p.name: digest(p) for p in sorted(path.parent.iterdir())}
    return EmbeddedStore(path, stored, files)


@pytest.mark.parametrize("case", corpus_params())
def test_bad_input_is_refused_and_the_embedded_store_is_unchanged(
    case: str, embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    data = data_with(case, data_copy)
    result = invoke("load", "--store", str(embedded_store.path), "--data", str(data))
    assert_one_problem(result, case)
    with LadybugBackend(embedded_store.path) as store:
        assert read_knowledge_base(store) == embedded_store.knowledge_base
    # Not a byte of the store changed, and nothing was left beside it.
    assert embedded_store.snapshot_files() == embedded_store.files


@dataclass
class Neo4jStore:
    env: dict[str, str]
    knowledge_base: KnowledgeBase


@pytest.fixture(scope="module")
def neo4j_store(loaded_kb: KnowledgeBase) -> Iterator[Neo4jStore]:
    """The test server's database holding the shipped knowledge base, loaded by the CLI."""
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    env = {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.username,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database or "",
    }
    with Neo4jBackend(connect(settings), settings.database) as backend:
        # Start clean: another test may have left anything (even records readback refuses).
        backend.run("MATCH (n) DETACH DELETE n", write=True)
    result = invoke("load", "--neo4j", env=env)
    assert result.exit_code == 0, result.output
    with Neo4jBackend(connect(settings), settings.database) as backend:
        stored = read_knowledge_base(backend)
    assert stored == loaded_kb
    yield Neo4jStore(env, stored)


@pytest.mark.neo4j
@pytest.mark.parametrize("case", corpus_params())
def test_bad_input_is_refused_and_neo4j_is_unchanged(
    case: str, neo4j_store: Neo4jStore, data_copy: Path
) -> None:
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    data = data_with(case, data_copy)
    result = invoke("load", "--neo4j", "--data", str(data), env=neo4j_store.env)
    assert_one_problem(result, case)
    settings = neo4j_settings_or_skip()
    with Neo4jBackend(connect(settings), settings.database) as backend:
        assert read_knowledge_base(backend) == neo4j_store.knowledge_base


def test_a_file_over_the_size_limit_is_refused(
    embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    # Generated here rather than kept in the corpus: it is 5 MiB and one byte.
    from biocluster_kg.loaders.yaml_records import MAX_FILE_BYTES

    huge = data_copy / "kb" / "huge-file.yaml"
    huge.write_bytes(b"#" * MAX_FILE_BYTES + b"\n")
    result = invoke("load", "--store", str(embedded_store.path), "--data", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: invalid data (1 problem):\n"
        f"  kb/huge-file.yaml: file is {MAX_FILE_BYTES + 1} bytes; at most {MAX_FILE_BYTES}\n"
    )
    assert embedded_store.snapshot_files() == embedded_store.files


def test_a_folder_named_like_a_data_file_is_a_clear_error(
    embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    (data_copy / "kb" / "folder.yaml").mkdir()
    result = invoke("load", "--store", str(embedded_store.path), "--data", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid data (1 problem):\n  kb/folder.yaml")


def test_an_empty_kb_folder_never_wipes_a_store_without_allow_empty(
    tmp_path: Path, data_copy: Path, loaded_kb: KnowledgeBase
) -> None:
    # Issue 19, defect 5: an emptied kb/ used to remove all 462 records with exit 0.
    (tmp_path / "store").mkdir()
    store = tmp_path / "store" / "own.lbug"
    assert invoke("load", "--store", str(store)).exit_code == 0
    before = {p.name: digest(p) for p in sorted(store.parent.iterdir())}
    for path in (data_copy / "kb").iterdir():
        path.unlink()
    result = invoke("load", "--store", str(store), "--data", str(data_copy))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no nodes in {data_copy / 'kb'}: loading it would remove everything from the "
        "store; to do that on purpose, load with --allow-empty\n"
    )
    assert {p.name: digest(p) for p in sorted(store.parent.iterdir())} == before
    with LadybugBackend(store) as backend:
        assert read_knowledge_base(backend) == loaded_kb
    # With its source still registered, the gate refuses an empty kb/ anyway (the source's
    # figures would be carried by no fact); a workspace without sources may be emptied on
    # purpose.
    result = invoke("load", "--store", str(store), "--data", str(data_copy), "--allow-empty")
    assert result.exit_code == 1 and "no fact carries it" in result.stderr
    (data_copy / "sources" / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    result = invoke("load", "--store", str(store), "--data", str(data_copy), "--allow-empty")
    assert result.exit_code == 0, result.output
    with LadybugBackend(store) as backend:
        emptied = read_knowledge_base(backend)
    assert (emptied.nodes, emptied.relationships) == ({}, {})


#: Entries of kb/ that were silently skipped (issue 19, defect 6) and the problem each gives.
IGNORED_ENTRIES: dict[str, str] = {
    "ties.relationships.csv": "has no ties.nodes.csv beside it",
    "NEW.YAML": "not a data file: write the extension in lower case",
    "more.Nodes.csv": "not a data file: write the extension in lower case",
    "plain.csv": "not a data file; expected NAME.yaml, or NAME.nodes.csv",
    "facts.json": "not a data file; expected NAME.yaml, or NAME.nodes.csv",
    "subfolder": "a folder; data files must sit directly in kb/",
}


@pytest.mark.parametrize("name", sorted(IGNORED_ENTRIES))
def test_an_entry_of_kb_that_is_not_a_data_file_is_named(
    name: str, embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    path = data_copy / "kb" / name
    if name == "subfolder":
        path.mkdir()
        shutil.copyfile(data_copy / "kb" / "actors.yaml", path / "actors.yaml")
    else:
        path.write_text("id,type,from,to\n", encoding="utf-8")
    result = invoke("load", "--store", str(embedded_store.path), "--data", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: invalid data (1 problem):\n  kb/{name}: {IGNORED_ENTRIES[name]}"
    ), result.stderr
    assert embedded_store.snapshot_files() == embedded_store.files


def test_hidden_entries_of_kb_are_still_skipped(
    embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    (data_copy / "kb" / ".gitkeep").write_text("", encoding="utf-8")
    # A store of its own: a load from another workspace folder records that folder in the
    # store (its file changes), and the module's store must keep its bytes.
    store = data_copy.parent / "hidden.lbug"
    result = invoke("load", "--store", str(store), "--data", str(data_copy))
    assert result.exit_code == 0, result.output


def test_json_output_is_always_json(embedded_store: EmbeddedStore) -> None:
    # Issue 19, defect 14: 0.0/0.0 printed NaN and -p x=1e400 printed Infinity (not JSON).
    import json

    statement = "RETURN 0.0/0.0 AS nan, -1.0/0.0 AS minus_inf, [1.0/0.0] AS listed, $x AS x"
    result = invoke(
        "cypher", statement, "-p", "x=1e400", "--store", str(embedded_store.path),
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    rows = json.loads(result.stdout, parse_constant=refuse)
    assert rows == [{"nan": None, "minus_inf": None, "listed": [None], "x": "1e400"}]


# The driver's DeprecationWarning for a URI path or fragment quotes the whole URI.
@pytest.mark.filterwarnings("error::DeprecationWarning")
@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("bolt://[x]:7687", "Error: the Neo4j URI is not valid: expected SCHEME://HOST:PORT"),
        ("bolt://localhost:hunter2-secret", "Error: the Neo4j URI is not valid"),
        ("bolt://localhost:hunter2-secret/db", "Error: the Neo4j URI is not valid"),
        ("neo4j://127.0.0.1:1?password=hunter2-secret", "Error: no Neo4j server answers at "),
        ("bolt://127.0.0.1:1/hunter2-secret", "Error: the Neo4j URI must not have a path"),
        ("neo4j://127.0.0.1:1#hunter2-secret", "Error: the Neo4j URI must not have a path"),
    ],
)
def test_a_bad_or_secret_holding_uri_is_a_clear_error_that_never_echoes_it(
    uri: str, message: str
) -> None:
    # Issue 19, defect 15: bolt://[x]:7687 raised a ValueError traceback, and a password
    # typed into the port, path or query of --uri came back in the message.
    result = invoke("cypher", "RETURN 1", "--neo4j", "--uri", uri, env={"NEO4J_PASSWORD": "pw"})
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message), result.stderr
    assert "hunter2" not in result.output
    assert "Traceback" not in result.output


def test_thousands_of_problems_are_summarised_unless_all_are_asked_for(
    embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    # Issue 19, defect 16: 12k problems printed 12,200 lines.
    from biocluster_kg.kernel.errors import ValidationError

    rows = "".join(
        f"org:bad-{n},Organization,company,moon,社{n},C{n},{SOURCE},県内企業\n" for n in range(300)
    )
    header = "id,label,kind,sector,name_ja,name_en,source_doc,span\n"
    (data_copy / "kb" / "many.nodes.csv").write_text(header + rows, encoding="utf-8")
    args = ("load", "--store", str(embedded_store.path), "--data", str(data_copy))
    result = invoke(*args)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: invalid data (300 problems):"
    assert len(lines) == 1 + ValidationError.SHOWN_PROBLEMS + 1
    assert lines[-1] == "  ... and 250 more (set BIOCLUSTER_ALL_PROBLEMS=1 to list them all)"
    every = invoke(*args, env={"BIOCLUSTER_ALL_PROBLEMS": "1"})
    assert every.exit_code == 1 and len(every.stderr.splitlines()) == 301
    assert embedded_store.snapshot_files() == embedded_store.files


@pytest.mark.parametrize("value", ['{"a": "b"}', "[1, 2]", "2013", "true"])
def test_the_quoting_hint_for_a_text_parameter_works_when_pasted(
    value: str, embedded_store: EmbeddedStore
) -> None:
    # Issue 19, defect 16: the hint -p 'name="{...}"' did not give back the text.
    import shlex

    store = ("--store", str(embedded_store.path))
    result = invoke("query", "actor_profile", "-p", f"name={value}", *store)
    assert result.exit_code == 1
    hint = result.stderr.rstrip("\n").split("quote it to pass it as text: ")[1]
    words = shlex.split(hint)
    assert words[0] == "-p"
    assert parse_parameter(words[1]) == ("name", value)
    # Pasted, the value arrives as text: no type error any more. No actor is called that,
    # and since issue 14 an unknown name is a clear error, never an empty answer.
    pasted = invoke("query", "actor_profile", *words, *store, "--format", "json")
    assert "must be" not in pasted.stderr
    assert pasted.exit_code == 1 and f"no actor is called {value!r}" in pasted.stderr


def test_an_unquoted_date_is_text_and_an_invalid_one_cannot_crash() -> None:
    # The schema has no date type: YAML 1.1 timestamps used to be built (and 2012-02-30
    # raised ValueError); now they are the text they look like, validated as text.
    from biocluster_kg.loaders.yaml_records import parse_yaml_text

    (record,) = parse_yaml_text(
        "nodes:\n  - {id: org:a, note: 2012-02-30, date_start: 2012-10-01}\n", "kb/x.yaml"
    )
    assert record.fields == {"id": "org:a", "note": "2012-02-30", "date_start": "2012-10-01"}


_REGISTRY_ENTRY = """  - id: yamagata-biocluster-fy2013
    file: yamagata-biocluster-fy2013.txt
    title: 山形県におけるバイオクラスター形成に向けた取組みについて
"""

#: sources.yaml texts (issue 19, defect 2: it was read with a bare safe_load) and the one
#: problem each must give: line, field, message fragment.
BAD_REGISTRIES: dict[str, tuple[str, int | None, str | None, str]] = {
    "nested-too-deeply": ("sources: " + "[" * 50_000, None, None, "nested too deeply"),
    "key-twice-in-an-entry": (
        "sources:\n" + _REGISTRY_ENTRY + "    id: another-id\n",
        5,
        "sources[1].id",
        "field given twice",
    ),
    "top-level-key-twice": (
        "sources:\n" + _REGISTRY_ENTRY + "sources:\n" + _REGISTRY_ENTRY,
        5,
        "sources",
        "field given twice",
    ),
    "value-that-does-not-construct": (
        "sources:\n" + _REGISTRY_ENTRY + "    publisher: !!int abc\n",
        5,
        "sources[1].publisher",
        "'abc' is not a number",
    ),
    "a-tag-that-builds-an-object": (
        "sources:\n" + _REGISTRY_ENTRY + "    origin: !!timestamp 2012-02-30\n",
        5,
        "sources[1].origin",
        "could not determine a constructor",
    ),
    "control-character-in-a-title": (
        "sources:\n" + _REGISTRY_ENTRY.replace("title: ", 'title: "\\e]52;c;cHduZWQ=\\a" #'),
        4,
        "sources[1].title",
        "contains the control character U+001B",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_REGISTRIES))
def test_a_bad_source_registry_is_one_problem_and_the_store_is_unchanged(
    case: str, embedded_store: EmbeddedStore, data_copy: Path
) -> None:
    text, line, field, message = BAD_REGISTRIES[case]
    (data_copy / "sources" / "sources.yaml").write_text(text, encoding="utf-8")
    result = invoke("load", "--store", str(embedded_store.path), "--data", str(data_copy))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: invalid data (1 problem):", result.stderr
    where = "sources/sources.yaml" + ("" if line is None else f":{line}")
    named = f" [{field}]" if field else ""
    assert lines[1].startswith(f"  {where}{named}: "), lines[1]
    assert message in lines[1] and len(lines) == 2, result.stderr
    assert embedded_store.snapshot_files() == embedded_store.files


# --------------------------------------------------------------------------------------------
# Hypothesis: the query-file parser and the parameter parsers only raise our own errors
# --------------------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SHIPPED_QUERY_FILES = sorted(LIBRARY_DIR.glob("*.cypher"))
HEADER_FIELDS = [
    "name",
    "question",
    "question_ja",
    "param",
    "example",
    "columns",
    "ordered",
    "analytics",
]
PARAMETER_TYPES = ["string", "name", "int", "float", "bool", "string[]", "int[]", "map", ""]


def parse_only_our_errors(path: Path) -> None:
    with contextlib.suppress(QueryFileError):
        parse_query_file(path)


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-library")


@FUZZ
@given(st.text(max_size=400))
@example("// name: fuzz_query\n// param: x int[] = " + "[" * 5 + "\nRETURN 1")
@example("//\n//  continued\n// name:\n")
@example("// name: fuzz_query\n\u2028// question: x\nRETURN $`a``b`")
def test_any_text_as_a_query_file_raises_only_query_file_errors(
    fuzz_folder: Path, text: str
) -> None:
    path = fuzz_folder / "fuzz_query.cypher"
    path.write_text(text, encoding="utf-8", newline="")
    parse_only_our_errors(path)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_as_a_query_file_raise_only_query_file_errors(
    fuzz_folder: Path, data: bytes
) -> None:
    path = fuzz_folder / "fuzz_query.neo4j.cypher"
    path.write_bytes(data)
    parse_only_our_errors(path)


_EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "duplicate_line", "drop_line", "truncate"]),
    st.integers(min_value=0, max_value=10_000),
    st.lists(
        st.sampled_from([*"/$`'\"{}[]=,:-\n\\ ab1", "//", "--", "param", "null", "// x: "]),
        max_size=4,
    ).map("".join),
)


def mutate(text: str, edits: list[tuple[str, int, str]]) -> str:
    for operation, position, fragment in edits:
        lines = text.split("\n")
        at = position % (len(text) + 1)
        line = position % max(len(lines), 1)
        if operation == "insert":
            text = text[:at] + fragment + text[at:]
        elif operation == "delete":
            text = text[:at] + text[at + len(fragment) + 1 :]
        elif operation == "replace":
            text = text[:at] + fragment + text[at + 1 :]
        elif operation == "duplicate_line":
            text = "\n".join(lines[: line + 1] + lines[line:])
        elif operation == "drop_line":
            text = "\n".join(lines[:line] + lines[line + 1 :])
        else:
            text = text[:at]
    return text


@FUZZ
@given(st.sampled_from(SHIPPED_QUERY_FILES), st.lists(_EDIT, min_size=1, max_size=6))
def test_mutated_library_files_raise_only_query_file_errors(
    fuzz_folder: Path, original: Path, edits: list[tuple[str, int, str]]
) -> None:
    # Same file name, so that most mutants get past the name check into the deeper rules.
    folder = fuzz_folder / "mutants"
    folder.mkdir(exist_ok=True)
    path = folder / original.name
    path.write_text(mutate(original.read_text(encoding="utf-8"), edits), encoding="utf-8")
    parse_only_our_errors(path)


_JSONISH = st.one_of(
    st.sampled_from(['"x"', "1", "1.5", "true", "null", "[]", '["a", 1]', "{}", "NaN", "1e999"]),
    st.text(max_size=8),
)


@st.composite
def header_files(draw: st.DrawFn) -> str:
    """A header from the real grammar's pieces, with wrong pieces mixed in, and a body."""
    names = draw(st.lists(st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True), max_size=4))
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        field = draw(st.sampled_from([*HEADER_FIELDS, "nonsense", "NAME"]))
        if field == "param":
            name = draw(st.sampled_from(names)) if names else "p"
            type_ = draw(st.sampled_from(PARAMETER_TYPES))
            default = draw(st.one_of(st.none(), _JSONISH))
            value = f"{name} {type_}" + (f" = {default}" if default is not None else "")
            value += draw(st.sampled_from([" -- described", "", " --", " -- "]))
        elif field == "example":
            value = f"{draw(st.sampled_from(names)) if names else 'p'}={draw(_JSONISH)}"
        elif field == "name":
            value = draw(st.sampled_from(["fuzz_header", "Fuzz", "other", ""]))
        elif field in ("ordered", "analytics"):
            value = draw(st.sampled_from(["true", "false", "yes", ""]))
        elif field == "columns":
            value = ", ".join(draw(st.lists(st.sampled_from(["a", "b", "1x", ""]), max_size=3)))
        else:
            value = draw(st.text(max_size=10))
        separator = draw(st.sampled_from([": ", ":", " : ", ":  "]))
        lines.append(f"// {field}{separator}{value}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["//", "//   more", "// ", "//x"])))
    uses = " ".join(f"${name}" for name in draw(st.lists(st.sampled_from(names or ["p"]))))
    body = draw(st.sampled_from(["RETURN 1 AS a", "", "  ", "MATCH (n) RETURN n ORDER BY n.id"]))
    comment = draw(st.sampled_from(["", " // $hidden", " /* $hidden */", " '$quoted'"]))
    return "\n".join(lines) + "\n" + body + " " + uses + comment + "\n"


@FUZZ
@given(header_files())
def test_generated_headers_raise_only_query_file_errors(fuzz_folder: Path, text: str) -> None:
    path = fuzz_folder / "fuzz_header.cypher"
    path.write_text(text, encoding="utf-8")
    parse_only_our_errors(path)


@FUZZ
@given(
    header_files(),
    header_files(),
    st.sampled_from(["neo4j", "ladybug", "memgraph", ""]),
    st.sampled_from(["", "{{labels}}", "{{actors}}", "{{", "toString(NULL) type(r)"]),
)
def test_files_with_dialect_blocks_raise_only_query_file_errors(
    tmp_path_factory: pytest.TempPathFactory, shared: str, variant: str, backend: str, extra: str
) -> None:
    # One file per question now: a generated header and body, then dialect blocks (the
    # second one possibly repeated, unknown or empty) with placeholders and rewritable text.
    folder = tmp_path_factory.mktemp("dialects")
    body = variant.split("\n")[-2] if variant.count("\n") else variant
    text = f"{shared}// dialect: neo4j\n{body} {extra}\n// dialect: {backend}\n{extra} {body}\n"
    (folder / "fuzz_header.cypher").write_text(text, encoding="utf-8")
    with contextlib.suppress(QueryFileError):
        load_library(folder)


_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=10),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    st.sampled_from(default_library().names()),
    st.dictionaries(
        st.one_of(st.sampled_from(["name", "labels", "limit", "body_ids", "kinds"]), st.text()),
        _VALUES,
        max_size=4,
    ),
)
def test_any_parameter_values_raise_only_parameter_errors(
    name: str, given_values: dict[str, Any]
) -> None:
    with contextlib.suppress(QueryParameterError):
        default_library().prepare(name, given_values)


@FUZZ
@given(st.text(max_size=60))
@example("x=" + "[" * 10)
@example("=1")
@example("x=NaN")
def test_any_parameter_option_is_a_value_or_a_usage_error(text: str) -> None:
    try:
        key, _ = parse_parameter(text)
    except click.BadParameter:
        return
    assert key and key.isidentifier()


@FUZZ
@given(st.text(max_size=120), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))
def test_statement_checks_raise_only_our_errors(cypher: str, parameters: dict[str, int]) -> None:
    names = parameter_names(cypher)
    assert all(isinstance(name, str) for name in names)
    with contextlib.suppress(ReadOnlyError):
        check_read_only(cypher)
    with contextlib.suppress(QueryParameterError):
        check_parameters(cypher, parameters)


_DEEP = "[" * 100_000


def test_a_deeply_nested_parameter_value_is_text_not_a_crash() -> None:
    assert parse_parameters([f"x={_DEEP}"]) == {"x": _DEEP}


def test_a_deeply_nested_default_in_a_query_file_is_a_query_file_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.cypher"
    path.write_text(
        "// name: deep\n// question: q\n// question_ja: q\n"
        f"// param: x int[] = {_DEEP} -- d\n// columns: x\n// ordered: false\nRETURN $x AS x\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryFileError, match="deep.cypher:4: param x: default"):
        parse_query_file(path)


# --------------------------------------------------------------------------------------------
# faults of the embedded store
# --------------------------------------------------------------------------------------------

#: Actors of the synthetic cluster the fault tests load: ~6k records. Enough that the new
#: database (~11 MiB, as big as the shipped store's: Ladybug allocates in large steps) passes
#: the 8 MiB file-size limit and, beside the old store, fills the 16 MiB tmpfs. Measured
#: here: a load of it takes ~4 s where 4000 actors (~24k records) took ~33 s, nearly all
#: of it checking the data and measuring the network, not the store faults under test.
SYNTHETIC_ACTORS = 1000
#: A span of the source and its line: every synthetic fact cites it, so the files validate.
SYNTHETIC_SPAN = ("予算額", 96)


@dataclass
class SyntheticData:
    """A data folder holding a big synthetic cluster, and the knowledge base it loads as."""

    path: Path
    knowledge_base: KnowledgeBase


@pytest.fixture(scope="module")
def synthetic_data(tmp_path_factory: pytest.TempPathFactory) -> SyntheticData:
    kb = synthetic_cluster(SYNTHETIC_ACTORS)
    # The institute is left out: the data is a cluster without one (its measures are still
    # computed and stored, as on every load).
    del kb.nodes["org:iab"]
    for rel_id in [r.id for r in kb.relationships.values() if "org:iab" in (r.start, r.end)]:
        del kb.relationships[rel_id]
    span, line = SYNTHETIC_SPAN
    for record in (*kb.nodes.values(), *kb.relationships.values()):
        record.properties["span"] = span
        record.properties["span_line"] = line
    folder = tmp_path_factory.mktemp("synthetic") / "data"
    shutil.copytree(default_data_dir() / "sources", folder / "sources")
    # The gate (biocluster check's rules, on every load) refuses names the source does not
    # write and source figures no fact carries, so the synthetic cluster gets a source of
    # its own: the cited span on its line, then every name it uses.
    names = sorted(
        {
            name
            for node in kb.nodes.values()
            # Every alias, Latin ones too: the gate refuses any alias its source does not
            # write (issue 17, finding 8).
            for name in (node.get("name_ja"), *node.get("aliases", []))
            if name
        }
    )
    source_lines = [""] * (line - 1) + [span, *names]
    text = "\n".join(source_lines) + "\n"
    (folder / "sources" / f"{SOURCE}.txt").write_text(text, encoding="utf-8")
    # Several tables, each under the loader's 5 MiB limit; relationships may point across.
    nodes, relationships = list(kb.nodes.values()), list(kb.relationships.values())
    chunk = 10_000
    for number, start in enumerate(range(0, max(len(nodes), len(relationships)), chunk)):
        part = KnowledgeBase()
        for node in nodes[start : start + chunk]:
            part.add_node(node)
        for rel in relationships[start : start + chunk]:
            part.relationships[rel.id] = rel
        write_tabular(part, folder / "kb", f"synthetic-{number:02d}")
    loaded = load_knowledge_base(folder)
    assert loaded.nodes.keys() == kb.nodes.keys()
    assert loaded.relationships == kb.relationships
    return SyntheticData(folder, loaded)


def stored(path: Path) -> KnowledgeBase:
    with LadybugBackend(path) as store:
        return read_knowledge_base(store)


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if ".loading-" in p.name)


@pytest.fixture
def loaded_store(tmp_path: Path, copy_loaded_store: Callable[[Path], Path]) -> Path:
    """The store as ``biocluster load --store`` leaves it (a copy of one made per worker)."""
    return copy_loaded_store(tmp_path / "store" / "kb.lbug")


def load_command(store: Path, data: Path | None = None) -> list[str]:
    command = [str(BIOCLUSTER), "load", "--store", str(store), "--format", "json"]
    return command + (["--data", str(data)] if data is not None else [])


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    """Poll until ``condition`` holds; fail if ``process`` ends first or 120 s pass."""
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the load ended (exit {process.returncode}) before {what}:\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {what} after 120 s")
        time.sleep(0.002)


@pytest.mark.slow
def test_a_load_killed_with_sigkill_keeps_the_previous_store(
    loaded_store: Path, synthetic_data: SyntheticData, loaded_kb: KnowledgeBase
) -> None:
    process = subprocess.Popen(
        load_command(loaded_store, synthetic_data.path),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The temporary database appears once validation is done and the build has begun.
    wait_for(lambda: bool(leftovers(loaded_store)), process, "temporary database")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    # Killed mid-build: its temporary files are still there, the store is the old one.
    assert leftovers(loaded_store)
    assert stored(loaded_store) == loaded_kb

    rerun = subprocess.run(
        load_command(loaded_store, synthetic_data.path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert stored(loaded_store) == synthetic_data.knowledge_base
    assert leftovers(loaded_store) == []


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Ignored, SIGXFSZ would kill the process; this way the write fails with EFBIG, as
        # a full disk fails with ENOSPC, and the process must report it.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


def assert_clear_load_failure(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: loading into Ladybug failed, the previous store is unchanged: "
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.slow
def test_a_full_disk_keeps_the_previous_store_rlimit(
    loaded_store: Path, synthetic_data: SyntheticData, loaded_kb: KnowledgeBase
) -> None:
    # The loading process may not grow any file past 8 MiB: the new database (tens of MiB)
    # hits the limit while it is built; the old store (about 9 MiB) is only read.
    failed = subprocess.run(
        load_command(loaded_store, synthetic_data.path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_file_size(8 * 1024 * 1024),
    )
    assert_clear_load_failure(failed)
    assert stored(loaded_store) == loaded_kb

    rerun = subprocess.run(
        load_command(loaded_store, synthetic_data.path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert stored(loaded_store) == synthetic_data.knowledge_base
    assert leftovers(loaded_store) == []


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs, where this process may mount one (root); skipped otherwise."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True, timeout=60)


@pytest.mark.slow
def test_a_full_disk_keeps_the_previous_store_tmpfs(
    tiny_tmpfs: Path, synthetic_data: SyntheticData, loaded_kb: KnowledgeBase
) -> None:
    store = tiny_tmpfs / "kb.lbug"
    result = invoke("load", "--store", str(store))
    assert result.exit_code == 0, result.output
    failed = subprocess.run(
        load_command(store, synthetic_data.path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert_clear_load_failure(failed)
    assert stored(store) == loaded_kb
    # With room again (the shipped knowledge base is small), loads work.
    shrink = invoke("load", "--store", str(store))
    assert shrink.exit_code == 0, shrink.output
    assert stored(store) == loaded_kb


@pytest.mark.slow
def test_a_failed_load_leaves_nothing_beside_the_store(
    loaded_store: Path, synthetic_data: SyntheticData
) -> None:
    before = sorted(p.name for p in loaded_store.parent.iterdir())
    failed = subprocess.run(
        load_command(loaded_store, synthetic_data.path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_file_size(8 * 1024 * 1024),
    )
    assert failed.returncode == 1
    assert sorted(p.name for p in loaded_store.parent.iterdir()) == before


_WAIT_THEN_LOAD = """
import sys
from biocluster_kg.cli import cli
sys.stdin.readline()
cli(sys.argv[1:])
"""


@pytest.mark.slow
def test_a_second_load_during_a_load_is_refused_clearly(
    loaded_store: Path, synthetic_data: SyntheticData
) -> None:
    # The second process has imported everything and waits for the word to go, so that its
    # load starts while the first one is certainly building (its temporary file exists).
    second = subprocess.Popen(
        [sys.executable, "-c", _WAIT_THEN_LOAD, "load", "--store", str(loaded_store)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = subprocess.Popen(
        load_command(loaded_store, synthetic_data.path),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: bool(leftovers(loaded_store)), first, "temporary database")
        second_out, second_err = second.communicate("go\n", timeout=120)
        first_out, first_err = first.communicate(timeout=300)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
    assert second.returncode == 1, second_err
    assert second_out == ""
    assert second_err == (
        f"Error: the embedded store {loaded_store} is in use by another process (it is loading "
        "or writing); wait for it to finish (or stop it) and try again\n"
    )
    assert first.returncode == 0, first_err
    assert stored(loaded_store) == synthetic_data.knowledge_base
    assert leftovers(loaded_store) == []


@pytest.mark.slow
def test_two_loads_started_together_end_in_exactly_one_knowledge_base(
    loaded_store: Path, synthetic_data: SyntheticData, loaded_kb: KnowledgeBase
) -> None:
    # Start from an empty knowledge base, so that each outcome is told apart.
    empty = loaded_store.parent / "empty-data"
    shutil.copytree(default_data_dir() / "sources", empty / "sources")
    # A source that states no figure: the gate refuses a knowledge base that leaves the
    # shipped source's amounts uncarried, so the empty one cites an empty source.
    (empty / "sources" / f"{SOURCE}.txt").write_text("（空）\n", encoding="utf-8")
    (empty / "kb").mkdir()
    emptied = invoke("load", "--store", str(loaded_store), "--data", str(empty), "--allow-empty")
    assert emptied.exit_code == 0, emptied.output
    commands = {
        "synthetic": load_command(loaded_store, synthetic_data.path),
        "shipped": load_command(loaded_store),
    }
    processes = {
        name: subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, command in commands.items()
    }
    outcomes = {name: process.communicate(timeout=300) for name, process in processes.items()}
    codes = {name: process.returncode for name, process in processes.items()}
    locked = (
        f"Error: the embedded store {loaded_store} is in use by another process (it is loading "
        "or writing); wait for it to finish (or stop it) and try again\n"
    )
    for name, code in codes.items():
        assert code in (0, 1), outcomes[name][1]
        if code == 1:
            assert outcomes[name][1] == locked
    assert 0 in codes.values()
    final = stored(loaded_store)
    expected = {"synthetic": synthetic_data.knowledge_base, "shipped": loaded_kb}
    if 1 in codes.values():
        (winner,) = [name for name, code in codes.items() if code == 0]
        assert final == expected[winner]
    else:
        assert final in expected.values()
    assert leftovers(loaded_store) == []
