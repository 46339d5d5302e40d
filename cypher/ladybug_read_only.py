"""What a read may do in the embedded engine, judged from the engine's own plan.

A read-only Ladybug database refuses writes to the data, but it still loads extensions
(native code), switches databases, controls transactions, changes settings, and reads and
writes files of the machine. Before a read runs, the backend has the engine parse the text as
one statement (``prepare``) and plan it (``EXPLAIN``, which runs nothing); this module reads
that plan and refuses any operator or table function not known to only read the store.

An allow-list, not a deny-list: an operator a newer engine adds is refused until it is
added here (measured on ladybug 0.22 with every question of the library and the statements
of ``tests/test_read_only_bypass.py``).

>>> check_plan(_EXAMPLE)
>>> try:
...     check_plan(_EXAMPLE.replace("PROJECTION[1]", "LOAD_EXTENSION[1]"))
... except ReadOnlyError as error:
...     print(str(error)[:64])
the engine plans LOAD_EXTENSION, which a read-only statement may
"""

from __future__ import annotations

import re

from biocluster_kg.kernel.errors import ReadOnlyError

__all__ = ["READ_FUNCTIONS", "READ_OPERATORS", "check_plan", "plan_parts"]

#: Physical operators of plans that only read the store.
READ_OPERATORS = frozenset(
    {
        "AGGREGATE", "AGGREGATE_FINALIZE", "AGGREGATE_SCAN", "CROSS_PRODUCT", "DUMMY_SINK",
        "EMPTY_RESULT", "FILTER", "FLATTEN", "HASH_JOIN_BUILD", "HASH_JOIN_PROBE", "INTERSECT",
        "INTERSECT_BUILD", "LIMIT", "MULTIPLICITY_REDUCER", "ORDER_BY", "ORDER_BY_MERGE",
        "ORDER_BY_SCAN", "PATH_PROPERTY_PROBE", "PRIMARY_KEY_SCAN_NODE_TABLE", "PROJECTION",
        "QUERY_PRIMARY_KEY_LOOKUP", "RECURSIVE_EXTEND", "RESULT_COLLECTOR", "SCAN_NODE_TABLE",
        "SCAN_REL_TABLE", "SEMI_MASKER", "SKIP", "TABLE_FUNCTION_CALL", "TOP_K", "TOP_K_SCAN",
        "UNION_ALL_SCAN", "UNWIND",
    }
)  # fmt: skip

#: Table functions (``CALL f()``, and the engine's own inside other operators) that read
#: only the catalogue or an intermediate result; LOAD FROM's file readers are not here.
READ_FUNCTIONS = frozenset(
    {
        "READ_FTABLE", "SHOW_TABLES", "TABLE_INFO", "SHOW_CONNECTION", "CURRENT_SETTING",
        "DB_VERSION", "SHOW_FUNCTIONS", "SHOW_WARNINGS", "SHOW_INDEXES", "SHOW_MACROS",
        "SHOW_SEQUENCES", "SHOW_LOADED_EXTENSIONS", "SHOW_ATTACHED_DATABASES",
        "SHOW_PROJECTED_GRAPHS", "STATS_INFO",
    }
)  # fmt: skip

# An operator's title line in the plan's boxes ("│   SCAN_NODE_TABLE[0]   │"), and a table
# function's line inside its box.
_OPERATOR = re.compile(r"│\s*([A-Z][A-Z0-9_]*)\[(\d+)\]\s*│")
_FUNCTION = re.compile(r"│\s*Function: ([A-Za-z0-9_]+)\s*│")

_REFUSAL = "which a read-only statement may not run; pass --write (write=True) if you mean it"


def plan_parts(plan: str) -> tuple[set[str], set[str]]:
    """The operators and table functions named in an ``EXPLAIN`` plan.

    Raises :class:`ReadOnlyError` when the plan cannot be read whole (an operator number is
    missing): a plan not understood is not run.
    """
    operators: set[str] = set()
    numbers: set[int] = set()
    for name, number in _OPERATOR.findall(plan):
        operators.add(name)
        numbers.add(int(number))
    if not numbers or not set(range(max(numbers) + 1)) <= numbers:
        raise ReadOnlyError(
            "the engine's plan of this statement could not be read, so it is not run "
            "read-only; pass --write (write=True) if you mean it"
        )
    return operators, {name.upper() for name in _FUNCTION.findall(plan)}


def check_plan(plan: str) -> None:
    """Raise :class:`ReadOnlyError` unless every operator and function of ``plan`` reads."""
    operators, functions = plan_parts(plan)
    refused = sorted(operators - READ_OPERATORS)
    if refused:
        raise ReadOnlyError(f"the engine plans {', '.join(refused)}, {_REFUSAL}")
    refused = sorted(functions - READ_FUNCTIONS)
    if refused:
        raise ReadOnlyError(
            f"the engine plans a call of {', '.join(refused).lower()}, which reads or changes "
            "something besides the store's data; a read-only statement may not run it; "
            "pass --write (write=True) if you mean it"
        )


_EXAMPLE = """
┌─────────────────────────────┐
│     RESULT_COLLECTOR[2]     │
└──────────────┬──────────────┘
┌──────────────┴──────────────┐
│        PROJECTION[1]        │
└──────────────┬──────────────┘
┌──────────────┴──────────────┐
│     SCAN_NODE_TABLE[0]      │
└─────────────────────────────┘
"""
