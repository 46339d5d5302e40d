"""The case tables of RELIABILITY.md, generated from the tests themselves.

Two tables sit between marker comments in RELIABILITY.md:

* every case of the bad-input corpus with the problem it must give (``CASES`` in
  ``test_reliability.py``: file, line, field, message);
* every reliability test: what it shows (its name, read as a sentence), the cases it is run
  with (its ``parametrize`` values) and where it needs something (slow, a Neo4j server).

``tests/test_reliability_table.py`` fails when the file and the tests disagree. To update the
file after changing the tests::

    .venv/bin/python tests/reliability_table.py --write
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
RELIABILITY = TESTS.parent / "RELIABILITY.md"

#: The test modules of the table, with the letter RELIABILITY.md names them by.
MODULES = {
    "R": "test_reliability",
    "F": "test_loader_fuzz",
    "N": "test_reliability_neo4j",
    "D": "test_reliability_files",
    "O": "test_read_only",
    "W": "test_source_add_text",
    "A": "test_reliability_workspace",
    "S": "test_security",
    "B": "test_read_only_bypass",
    "X": "test_reliability_round3",
    "V": "test_reliability_neo4j_server",
}

BEGIN = "<!-- BEGIN GENERATED: {name} (tests/reliability_table.py --write) -->"
END = "<!-- END GENERATED: {name} -->"


# Characters a Markdown reader (or Python's universal newlines, reading the file back) would
# act on or not show: written as their escapes, as the test source writes them.
_UNSHOWN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u180e\u2000-\u200f\u2028-\u202f\u2060-\u206f\u3000\ufeff]"
)


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return _UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _code(text: str) -> str:
    """``text`` as Markdown code, whatever backticks it holds."""
    text = _cell(text)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def corpus_table() -> str:
    """One row per bad-input case: the file, where the problem is reported, the message."""
    cases = importlib.import_module("test_reliability").CASES
    rows = [
        "| Case | Reported at | Message holds | Tests |",
        "|---|---|---|---|",
    ]
    for case, expected in sorted(cases.items()):
        file = expected.file or f"kb/{case}"
        where = file if expected.line is None else f"{file}:{expected.line}"
        if expected.field:
            where += f" [{expected.field}]"
        rows.append(
            f"| {_code(case)} | {_code(where)} | {_code(expected.message)} | "
            f"R `bad_input[{_cell(case)}]` (embedded, Neo4j) |"
        )
    return "\n".join(rows)


def _parameter_ids(mark: Any) -> str:
    names, values = mark.args[0], mark.args[1]
    names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    ids = mark.kwargs.get("ids")
    shown: list[str] = []
    for index, value in enumerate(values):
        if ids is not None and not callable(ids):
            shown.append(str(ids[index]))
            continue
        given_id = getattr(value, "id", None)
        inner = getattr(value, "values", None)
        if given_id:
            shown.append(str(given_id))
            continue
        items = inner if inner is not None else (value if len(names) > 1 else (value,))
        first = items[0] if items else None
        if isinstance(first, str | int | float | bool) or first is None:
            # The first value names the case well enough; long ones are cut.
            text = str(first)
            shown.append(text if len(text) <= 32 else text[:31] + "…")
        else:
            shown.append(f"{names[0]}{index}")
    label = names[0]
    if len(shown) > 12:
        return f"{label}: {len(shown)} cases"
    return f"{label}: " + ", ".join(shown)


def _needs(function: Any, module: Any) -> list[str]:
    module_marks = getattr(module, "pytestmark", [])
    if not isinstance(module_marks, list):
        module_marks = [module_marks]  # one MarkDecorator
    marks = [*module_marks, *getattr(function, "pytestmark", [])]
    needs = []
    names = {getattr(mark, "name", None) or mark.mark.name for mark in marks}
    if "neo4j_private" in names:
        needs.append("a private Neo4j server")
    elif "neo4j" in names:
        needs.append("Neo4j")
    if "slow" in names:
        needs.append("slow")
    return needs


def _sentence(name: str) -> str:
    words = name.removeprefix("test_").replace("_", " ")
    return words[:1].upper() + words[1:]


def tests_table() -> str:
    """One row per reliability test, in file order."""
    rows = [
        "| | What the test shows | Run with | Needs |",
        "|---|---|---|---|",
    ]
    for letter, module_name in MODULES.items():
        module = importlib.import_module(module_name)
        functions = [
            (inspect.getsourcelines(function)[1], name, function)
            for name, function in vars(module).items()
            if name.startswith("test_")
            and inspect.isfunction(function)
            and function.__module__ == module_name
        ]
        for _, name, function in sorted(functions):
            marks = getattr(function, "pytestmark", [])
            parameters = "; ".join(
                _parameter_ids(mark) for mark in reversed(marks) if mark.name == "parametrize"
            )
            needs = ", ".join(_needs(function, module)) or "—"
            rows.append(
                f"| {letter} | {_cell(_sentence(name))} (`{name}`) | "
                f"{_cell(parameters) or '—'} | {needs} |"
            )
    return "\n".join(rows)


TABLES = {"bad-input corpus": corpus_table, "reliability tests": tests_table}


def rendered(document: str) -> str:
    """``document`` with every generated table replaced by its current text."""
    for name, build in TABLES.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(document):
            raise SystemExit(f"{RELIABILITY}: no {begin!r} ... {end!r} block")
        block = f"{begin}\n{build()}\n{end}"
        document = pattern.sub(lambda _, block=block: block, document, count=1)
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite RELIABILITY.md")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(TESTS))
    current = RELIABILITY.read_text(encoding="utf-8")
    new = rendered(current)
    if arguments.write:
        RELIABILITY.write_text(new, encoding="utf-8")
        return 0
    if new != current:
        print(f"{RELIABILITY} is stale: run {Path(__file__).name} --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
