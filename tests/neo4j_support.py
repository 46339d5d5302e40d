"""Real-Neo4j test support: settings-or-skip, fixtures, and a count of server-backed tests.

Tests that need the server call :func:`neo4j_settings_or_skip` (or use the ``neo4j_settings``
and ``neo4j_driver`` fixtures) and carry ``@pytest.mark.neo4j``. Without a reachable server
they skip; with ``BIOCLUSTER_REQUIRE_NEO4J=1`` (CI) they fail instead, so a broken server can
never turn the suite green by skipping.

This module is also a pytest plugin (registered from ``tests/conftest.py``). It counts the
tests marked ``neo4j`` that passed, prints ``neo4j-backed tests run: N`` in the terminal
summary, and writes N to the file named by ``BIOCLUSTER_NEO4J_REPORT`` so that CI can insist
that the server was really used.

Under pytest-xdist (``make test`` runs ``-n 2 --dist loadgroup``) the tests of the shared
server must never wipe or load one database under each other. Two ways:

* ``BIOCLUSTER_TEST_NEO4J_URIS`` names one shared test server per worker (comma-separated Bolt
  URIs, same user and password as ``NEO4J_URI``; CI starts two). Each worker sets its
  ``NEO4J_URI`` to its own (``gw0`` the first, ``gw1`` the second...), so the server tests
  spread over the workers like any others; a serial run uses the first.
* Otherwise every test that uses the one shared server is put in one ``xdist_group``, so
  they run one after another on one worker.

The tests marked ``neo4j_private`` use a server of the tests' own (``tests/private_neo4j.py``):
they form two groups of their own (the imports and the faults), which run beside the others
and, on two workers, beside each other. The count survives the
workers: a worker tags each report of a ``neo4j`` test (``user_properties`` travel with the
report), and only the controller counts and writes the report file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import neo4j
import pytest

from biocluster_kg.cypher.neo4j_connection import Neo4jSettings, connect
from biocluster_kg.kernel.errors import BioclusterError

__all__ = [
    "REQUIRE_VARIABLE",
    "WORKER_SERVERS_VARIABLE",
    "REPORT_VARIABLE",
    "neo4j_settings_or_skip",
    "neo4j_settings",
    "neo4j_driver",
]

REQUIRE_VARIABLE = "BIOCLUSTER_REQUIRE_NEO4J"
WORKER_SERVERS_VARIABLE = "BIOCLUSTER_TEST_NEO4J_URIS"
REPORT_VARIABLE = "BIOCLUSTER_NEO4J_REPORT"
_MARKER = "neo4j"
_PROBE_TIMEOUT = 5.0

# One probe per distinct settings per session: a dead server costs one timeout, not one each.
_probe_results: dict[Neo4jSettings, str | None] = {}


def neo4j_settings_or_skip() -> Neo4jSettings:
    """Settings from the environment, once a server has answered on them.

    Returns
    -------
    Neo4jSettings
        From ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``,
        checked by a real login (see :func:`biocluster_kg.cypher.neo4j_connection.connect`).

    Raises
    ------
    pytest.skip.Exception
        If the server cannot be used (not running, refused login, missing database...).
    pytest.fail.Exception
        Instead of skipping, when ``BIOCLUSTER_REQUIRE_NEO4J=1``.
    """
    try:
        settings = Neo4jSettings.from_env()
    except BioclusterError as error:
        _skip_or_fail(os.environ.get("NEO4J_URI", "?"), str(error))
    if settings not in _probe_results:
        _probe_results[settings] = _probe(settings)
    reason = _probe_results[settings]
    if reason is not None:
        _skip_or_fail(settings.uri, reason)
    return settings


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    """Checked settings of the test server (skips or fails like :func:`neo4j_settings_or_skip`).

    Tests using this fixture are marked ``neo4j`` automatically.
    """
    return neo4j_settings_or_skip()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Neo4jSettings) -> Iterator[neo4j.Driver]:
    """One connected driver for the whole session, closed at the end."""
    with connect(neo4j_settings) as driver:
        yield driver


def _probe(settings: Neo4jSettings) -> str | None:
    try:
        driver = connect(settings, timeout=_PROBE_TIMEOUT)
    except BioclusterError as error:
        reason = str(error)
        if not settings.password:
            reason += " (NEO4J_PASSWORD is not set)"
        return reason
    driver.close()
    return None


def _skip_or_fail(uri: str, reason: str) -> NoReturn:
    message = f"Neo4j not reachable at {uri}: {reason}"
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{message} ({REQUIRE_VARIABLE}=1)", pytrace=False)
    pytest.skip(message)


# ---------------------------------------------------------------------------------------------
# pytest hooks (active once tests/conftest.py registers this module as a plugin)
# ---------------------------------------------------------------------------------------------

#: The xdist group of every test on the one shared server (see the module docstring).
SHARED_SERVER_GROUP = "neo4j-shared-server"
#: The tests that use the tests' own server (``tests/private_neo4j.py``), in two groups: the
#: ``neo4j-admin`` imports and the faults (stopped, killed, frozen). Each is minutes long, so
#: they run side by side on the two workers, each worker with a private server of its own
#: (one JVM start per worker, not per test). xdist hands out the units with the most tests
#: first, so both start at once.
PRIVATE_SERVERS_GROUP = "neo4j-private-servers"
PRIVATE_IMPORTS_GROUP = PRIVATE_SERVERS_GROUP + "-imports"
PRIVATE_FAULTS_GROUP = PRIVATE_SERVERS_GROUP + "-faults"
_PRIVATE_MARKER = "neo4j_private"
#: The fixtures of that server (``tests/private_neo4j.py``): a test using one is marked
#: private; one handed out for an import puts the test in the imports group.
_PRIVATE_FIXTURE = "private_server"
_PRIVATE_IMPORT_FIXTURE = "private_server_for_import"
#: Set on a report of a ``neo4j`` test, so the xdist controller (which does not collect and so
#: never sees the markers) can count it.
_REPORT_PROPERTY = "biocluster_neo4j"

_passed: set[str] = set()


def _worker_servers() -> list[str]:
    listed = os.environ.get(WORKER_SERVERS_VARIABLE, "")
    return [uri.strip() for uri in listed.split(",") if uri.strip()]


def pytest_configure(config: pytest.Config) -> None:
    """Point ``NEO4J_URI`` at this worker's own shared server, when there is one per worker.

    The environment variable itself is changed, not only a setting of the tests: the CLI
    under test and every ``biocluster`` subprocess read their server from it.
    """
    servers = _worker_servers()
    if not servers:
        return
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:  # the controller, or a serial run
        os.environ["NEO4J_URI"] = servers[0]
        return
    workers = int(workerinput["workercount"])
    if len(servers) < workers:
        raise pytest.UsageError(
            f"{WORKER_SERVERS_VARIABLE} names {len(servers)} Neo4j servers for {workers} "
            "pytest workers: give one per worker, or leave it unset to share one server"
        )
    os.environ["NEO4J_URI"] = servers[int(workerinput["workerid"].removeprefix("gw"))]


def _one_server_per_worker(config: pytest.Config) -> bool:
    servers = _worker_servers()
    workerinput = getattr(config, "workerinput", None)
    workers = 1 if workerinput is None else int(workerinput["workercount"])
    return bool(servers) and len(servers) >= workers


def mark_neo4j_test(item: pytest.Item) -> None:
    """Mark a test that uses the server fixtures, group it, and tag it if it is ``neo4j``.

    Called for each item as it is collected (``pytest_itemcollected`` in
    ``tests/conftest.py``): earlier than any ``pytest_collection_modifyitems``, among them
    xdist's own, which turns the ``xdist_group`` markers into work units.
    """
    fixture_names = set(getattr(item, "fixturenames", ()))
    if {"neo4j_settings", "neo4j_driver"} & fixture_names:
        item.add_marker(_MARKER)
    if {_PRIVATE_FIXTURE, _PRIVATE_IMPORT_FIXTURE} & fixture_names:
        item.add_marker(_MARKER)
        item.add_marker(_PRIVATE_MARKER)
    if item.get_closest_marker(_MARKER) is None:
        return
    item.user_properties.append((_REPORT_PROPERTY, True))
    if item.get_closest_marker(_PRIVATE_MARKER) is not None:
        imports = _PRIVATE_IMPORT_FIXTURE in fixture_names
        group = PRIVATE_IMPORTS_GROUP if imports else PRIVATE_FAULTS_GROUP
        item.add_marker(pytest.mark.xdist_group(group))
    elif not _one_server_per_worker(item.config):
        item.add_marker(pytest.mark.xdist_group(SHARED_SERVER_GROUP))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count a ``neo4j`` test once its body has passed (an unexpected xfail pass excluded)."""
    if (
        report.when == "call"
        and report.passed
        and not hasattr(report, "wasxfail")
        # Compared by name: the pair may come back from a worker as a list, not a tuple.
        and any(name == _REPORT_PROPERTY for name, _ in report.user_properties)
    ):
        _passed.add(report.nodeid)


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the count to ``$BIOCLUSTER_NEO4J_REPORT`` when that is set (controller only)."""
    target = os.environ.get(REPORT_VARIABLE)
    if target and not _is_xdist_worker(session.config):
        Path(target).write_text(f"{len(_passed)}\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests really used the server."""
    if not _is_xdist_worker(terminalreporter.config):
        terminalreporter.write_line(f"neo4j-backed tests run: {len(_passed)}")
