"""One Neo4j server of the tests' own, for what the shared test server cannot allow: stopping
or killing it mid-load, and ``neo4j-admin database import full`` (which needs the server
stopped and replaces its database).

The server is made once per pytest worker, started on first use through
``scripts/neo4j-server`` with its own NEO4J_HOME, a free Bolt port and a random password, and
stopped at the end of the session. Every test that uses it is marked ``neo4j_private`` as it
is collected, and xdist puts it in one of two groups (``tests/neo4j_support.py``): the imports
and the faults. Each group runs on one worker, so the two usually run side by side, each
worker with a private server of its own; on one worker they share one. The fixture
``private_server`` hands it out running, whatever the test before did to it;
``private_server_for_import`` hands it out as it is, for a test that begins with an import.

Its environment is the caller's minus every setting of the shared server: an inherited
``BIOCLUSTER_NEO4J_BROWSER=1`` (CI serves Neo4j Browser from the shared server on port 7474)
would otherwise make the private server try to bind the same HTTP port and fail to start.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
from biocluster_kg.cypher.neo4j_connection import Neo4jSettings, connect

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neo4j-server"

#: Settings of the shared server (or of the caller's shell) that must not reach a private one.
_SHARED_ONLY = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_DATABASE", "NEO4J_PASSWORD")
#: The only inherited ``BIOCLUSTER_NEO4J_*`` settings a private server keeps: where the jars
#: are cached, and how long to wait for a start on a busy machine.
_KEPT = ("BIOCLUSTER_NEO4J_CACHE", "BIOCLUSTER_NEO4J_START_TIMEOUT")
#: A start while the other worker runs the suite can take over two minutes on 2 cores.
START_TIMEOUT = "300"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def private_server_env(home: Path, port: int, password: str) -> dict[str, str]:
    """The environment of ``scripts/neo4j-server`` for a server of our own: Bolt only."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _SHARED_ONLY and (not name.startswith("BIOCLUSTER_NEO4J_") or name in _KEPT)
    }
    env.setdefault("BIOCLUSTER_NEO4J_START_TIMEOUT", START_TIMEOUT)
    env.update(
        {
            "BIOCLUSTER_NEO4J_HOME": str(home),
            "BIOCLUSTER_NEO4J_BOLT_PORT": str(port),
            "NEO4J_PASSWORD": password,
        }
    )
    return env


def server_script(env: dict[str, str], *args: str, timeout: float = 400) -> str:
    """Run ``scripts/neo4j-server ARGS`` and return the tail of its output; fail on error."""
    result = subprocess.run(
        [str(SERVER_SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = (result.stdout + result.stderr)[-4000:]
    assert result.returncode == 0, f"scripts/neo4j-server {args[0]} failed:\n{output}"
    return output


@dataclass
class PrivateServer:
    """The tests' own Neo4j server, driven through scripts/neo4j-server."""

    home: Path
    port: int
    password: str
    env: dict[str, str] = field(repr=False)

    @property
    def settings(self) -> Neo4jSettings:
        return Neo4jSettings(uri=f"bolt://127.0.0.1:{self.port}", password=self.password)

    def script(self, *args: str, timeout: float = 400) -> str:
        return server_script(self.env, *args, timeout=timeout)

    def is_running(self) -> bool:
        done = subprocess.run(
            [str(SERVER_SCRIPT), "status"], env=self.env, capture_output=True, check=False
        )
        return done.returncode == 0

    def start(self) -> None:
        self.script("start")

    def ensure_running(self) -> None:
        if not self.is_running():
            self.start()

    def stop(self) -> None:
        """Stop it the way an operator does: SIGTERM through the script, waited for."""
        self.script("stop", timeout=120)

    def kill(self) -> None:
        """SIGKILL the launcher and the server JVM it forked (one process group)."""
        pid_file = self.home / "run" / "biocluster-neo4j.pid"
        group = int(pid_file.read_text().strip())
        os.killpg(group, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        pytest.fail(f"process group {group} survived SIGKILL")

    def import_csv(self, arguments: list[str]) -> str:
        """Stop the server, run ``neo4j-admin`` with ``arguments`` (an import replacing the
        database), start it again; return the importer's output."""
        if self.is_running():
            self.stop()
        report = self.script("admin", *arguments)
        self.start()
        return report

    def backend(self, **options: Any) -> Neo4jBackend:
        settings = self.settings
        return Neo4jBackend(connect(settings), None, description=settings.uri, **options)

    def quick_giving_up_driver(self, retry_seconds: float) -> Any:
        """A driver on this server that retries a failed transaction for ``retry_seconds``
        (the driver's default of 30 only makes a test of a fault slower)."""
        import neo4j

        settings = self.settings
        return neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.username, settings.password),
            max_transaction_retry_time=retry_seconds,
        )


@pytest.fixture(scope="session")
def _private_server_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PrivateServer]:
    neo4j_settings_or_skip()  # the shared server answers: Java, the jars and the script work
    home = tmp_path_factory.mktemp("neo4j-private") / "home"
    # A leading "-" on purpose: neo4j-admin once read such a password as an option and the
    # start failed (1 in 64 of CI's random passwords). Every run now proves it is a value.
    port, password = free_port(), "-" + secrets.token_urlsafe(18)
    server = PrivateServer(home, port, password, private_server_env(home, port, password))
    # Started on first use (``private_server``), not here: an import test on a fresh worker
    # would only stop it again before ``neo4j-admin`` runs (one start saved, ~10-30 s).
    try:
        yield server
    finally:
        if server.is_running():
            server.stop()
    # Whatever the faults did, the password never reached the server's own logs.
    for log in (home / "logs").rglob("*"):
        if log.is_file():
            assert password.encode() not in log.read_bytes(), log


@pytest.fixture
def private_server(_private_server_session: PrivateServer) -> PrivateServer:
    """The private server, running (restarted if the test before stopped or killed it).

    A test that asks for it is marked ``neo4j`` and ``neo4j_private`` as it is collected
    (``tests/neo4j_support.py``), which puts it in the private server's xdist group."""
    _private_server_session.ensure_running()
    return _private_server_session


@pytest.fixture
def private_server_for_import(_private_server_session: PrivateServer) -> PrivateServer:
    """The private server, running or not, for a test whose first act is
    :meth:`PrivateServer.import_csv` (which stops it if it runs and starts it after): no start
    just to stop again. Marked and grouped like ``private_server``."""
    return _private_server_session
