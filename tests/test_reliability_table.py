"""RELIABILITY.md's case tables are generated from the tests (issue 19): this fails when the
file and the tests disagree (a test added, renamed or re-parametrised, a corpus case changed)."""

from __future__ import annotations

import reliability_table


def test_the_case_tables_of_reliability_md_are_generated_from_the_tests() -> None:
    current = reliability_table.RELIABILITY.read_text(encoding="utf-8")
    assert reliability_table.rendered(current) == current, (
        "RELIABILITY.md is stale: run .venv/bin/python tests/reliability_table.py --write"
    )


def test_every_reliability_test_module_is_in_the_table() -> None:
    tests = reliability_table.TESTS
    modules = {path.stem for path in tests.glob("test_reliability*.py")} - {
        "test_reliability_table"
    }
    assert modules <= set(reliability_table.MODULES.values())
