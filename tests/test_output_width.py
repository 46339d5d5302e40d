"""Every answer fits a 100-column terminal and loses nothing (issue 14).

Each library question is answered through the CLI on a real Ladybug store; its table output
is read back column by column (a table by the display columns its dashes span, records and
the block of shared values by their field names) and must hold every cell's text, in row
order, with only white space moved. A wide character counts two columns.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from biocluster_kg.cli import cli
from biocluster_kg.cli.output import render
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.library import default_library
from biocluster_kg.cypher.parameters import display
from biocluster_kg.kernel.columns import localise_table
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.kernel.names import display_width

WIDTH = 100
_RECORD = re.compile(r"^-\[ \d+/\d+ \]-*$")
_SHARED = re.compile(r"^（全\d+行で同じ値）$|^\(the same in all \d+ rows\)$")


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, shipped_measured_kb: KnowledgeBase
) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("width") / "kb.lbug"
    with LadybugBackend(path) as backend:
        backend.load(shipped_measured_kb)
    yield path


def invoke(*arguments: str) -> str:
    result = CliRunner(env={"COLUMNS": str(WIDTH)}).invoke(
        cli, list(arguments), catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _slice(line: str, start: int, end: int) -> str:
    """The characters of ``line`` lying in display columns [start, end)."""
    out, column = [], 0
    for character in line:
        if start <= column < end:
            out.append(character)
        column += display_width(character)
    return "".join(out)


def _fields(lines: list[str], into: dict[str, list[str]]) -> None:
    """Record lines (``name  value``, continuations indented) appended per field name."""
    current = None
    for line in lines:
        if line and not line[0].isspace():
            current, _, value = line.partition(" ")
            into.setdefault(current, []).append(value)
        elif current is not None:
            into[current][-1] += line


def read_back(output: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(values shown once for every row, the other columns' texts) from a table output."""
    lines = output.rstrip("\n").split("\n")
    shared: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        if _SHARED.match(line):
            _fields(lines[:index], shared)
            lines = lines[index + 1 :]
            break
    while lines and not lines[0]:
        lines = lines[1:]
    columns: dict[str, list[str]] = {}
    if lines and _RECORD.match(lines[0]):
        record: list[str] = []
        for line in [*lines[1:], lines[0]]:
            if _RECORD.match(line):
                _fields(record, columns)
                record = []
            else:
                record.append(line)
    else:
        dashes = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "})
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[dashes])]
        for start, end in spans:
            name = "".join(_slice(line, start, end) for line in lines[:dashes])
            columns[_squeeze(name)] = [
                "".join(_slice(line, start, end) for line in lines[dashes + 1 :])
            ]
    return {k: _squeeze("".join(v)) for k, v in shared.items()}, columns


def _people_text(value: object) -> str:
    """What a person should read for a JSON value: a list of plain values comma-separated."""
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return ", ".join(_people_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def assert_fits_and_keeps_everything(table: str, records: list[dict[str, object]]) -> None:
    wide = [line for line in table.split("\n") if display_width(line) > WIDTH]
    assert not wide, f"{len(wide)} lines wider than {WIDTH}, e.g. {wide[0]!r}"
    shared, columns = read_back(table)
    names = list(records[0]) if records else []
    assert set(shared) | set(columns) == set(names)
    for name in names:
        texts = [_squeeze(_people_text(record[name])) for record in records]
        if name in shared:
            assert all(text == shared[name] for text in texts), name
        else:
            assert _squeeze("".join(columns[name])) == "".join(texts), name


def _arguments(query_name: str) -> list[str]:
    query = default_library().get(query_name)
    words = ["query", query_name]
    for key, value in query.examples.items():
        words += ["-p", f"{key}={display(value)}"]
    return words


@functools.cache
def _reasons_in_japanese() -> dict[str, str]:
    from biocluster_kg.kernel.basis import reasons_in_japanese
    from biocluster_kg.loaders import load_knowledge_base

    kb = load_knowledge_base()
    return reasons_in_japanese([*kb.nodes.values(), *kb.relationships.values()])


def for_people(records: list[dict[str, object]], lang: str) -> list[dict[str, object]]:
    """JSON records as a table for people in ``lang`` shows them: titles, named codes, and
    the reasons for a basis in Japanese (the data's, issue 26)."""
    if not records:
        return records
    keys = list(records[0])
    rows_in = [[r[k] for k in keys] for r in records]
    titles, rows = localise_table(keys, rows_in, lang, _reasons_in_japanese())
    return [dict(zip(titles, row, strict=True)) for row in rows]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("query_name", default_library().names())
def test_every_answer_fits_100_columns_without_losing_a_word(
    query_name: str, lang: str, store: Path
) -> None:
    """Japanese (the default, with its wider titles) and English alike."""
    arguments = [*_arguments(query_name), "--store", str(store)]
    table = invoke(*arguments, *(["--lang", "en"] if lang == "en" else []))
    records = json.loads(invoke(*arguments, "--format", "json"))
    assert records, f"{query_name} has no rows to check"
    assert_fits_and_keeps_everything(table, for_people(records, lang))


def test_the_question_listing_fits_100_columns() -> None:
    table = invoke("queries", "--lang", "en")
    records = json.loads(invoke("queries", "--format", "json"))
    assert_fits_and_keeps_everything(table, records)
    assert max(display_width(line) for line in table.split("\n")) <= WIDTH


@pytest.mark.parametrize("query_name", default_library().names())
def test_each_questions_description_fits_100_columns(query_name: str) -> None:
    text = invoke("queries", query_name, "--lang", "en")
    assert max(display_width(line) for line in text.split("\n")) <= WIDTH
    query = default_library().get(query_name)
    head, _, table = text.partition("\n\n")
    for part in (query.question, query.question_ja, ", ".join(query.columns)):
        assert _squeeze(part) in _squeeze(head)
    if query.parameters:
        records = json.loads(invoke("queries", query_name, "--format", "json"))
        assert_fits_and_keeps_everything(table, records)


def test_a_wide_table_is_read_back_whole_at_width_100() -> None:
    """The read-back itself: a wrapped table (not records) is reassembled exactly."""
    rows = [["org:a", "慶應義塾大学先端生命科学研究所" * 3, "word " * 30, 7]]
    rows.append(["org:b", "山形県", "short", 8])
    table = render(["id", "name_ja", "note_en", "count"], rows, "table", width=WIDTH)
    assert "-[ 1/" not in table and table.split("\n")[1].startswith("-----")
    records = [dict(zip(["id", "name_ja", "note_en", "count"], row, strict=True)) for row in rows]
    assert_fits_and_keeps_everything(table, records)


def test_a_table_that_fits_is_unchanged_and_machine_formats_never_wrap(store: Path) -> None:
    arguments = ["query", "shortest_connection", "-p", "from_name=HMT", "-p", "to_name=山形県知事"]
    wide = CliRunner(env={"COLUMNS": "1000"}).invoke(
        cli, [*arguments, "--store", str(store)], catch_exceptions=False
    )
    assert max(display_width(line) for line in wide.output.split("\n")) > WIDTH
    keys = ["from_id", "to_id", "hops", "node_ids", "node_names_ja", "relationship_types"]
    keys.append("relationship_bases")
    assert wide.output.split("\n")[0].split() == localise_table(keys, [], "ja")[0]
    text = invoke(*arguments, "--store", str(store), "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    # CSV keeps lists as JSON, on one line per row, however narrow the terminal.
    # A list cell reads "; "-joined, as in the stakeholder CSVs (issue 26: one list format).
    assert len(rows) == 3 and rows[1][3].split("; ")[0] == "org:hmt"
    narrow = invoke(*arguments, "--store", str(store))
    # Two rows: nothing is pulled out above them as shared.
    assert "同じ値" not in narrow
    profile = invoke("query", "actor_profile", "-p", "name=IAB", "--store", str(store))
    assert profile.split("\n")[0].split() == [
        localise_table(["actor_id"], [], "ja")[0][0],
        "org:iab",
    ]
    assert any(
        line.startswith("（全") and line.endswith("行で同じ値）") for line in profile.split("\n")
    )
