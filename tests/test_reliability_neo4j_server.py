"""The project's Neo4j server settings (issue 27, R15): scripts/neo4j-server must not let any
web page the user opens guess passwords without limit.

* The HTTP connector answers cross-origin requests for its own origin only (the Browser it
  serves), never ``Access-Control-Allow-Origin: *``.
* Failed logins lock the user for a while (``dbms.security.auth_max_failed_attempts`` > 0).
* LOAD CSV may not read the server's files.

Run against the server the tests use (``scripts/neo4j-server start``); the CORS test needs the
HTTP connector (``BIOCLUSTER_NEO4J_BROWSER_URL``, as tests/test_neo4j_browser.py).
"""

from __future__ import annotations

import os
import secrets
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import neo4j
import pytest
from neo4j_support import neo4j_settings_or_skip

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neo4j-server"


def test_the_script_turns_the_lockout_on_and_cors_to_its_own_origin() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    attempts = [
        line for line in text.splitlines() if line.startswith("dbms.security.auth_max_failed")
    ]
    assert attempts and all(int(line.split("=")[1]) > 0 for line in attempts), attempts
    assert "dbms.security.auth_lock_time=" in text
    assert "dbms.security.http_access_control_allow_origin=http://127.0.0.1:$HTTP_PORT" in text
    assert "dbms.security.allow_csv_import_from_file_urls=false" in text


@pytest.mark.neo4j
def test_the_http_connector_does_not_answer_every_origin() -> None:
    neo4j_settings_or_skip()
    url = os.environ.get("BIOCLUSTER_NEO4J_BROWSER_URL")
    if not url:
        pytest.skip(
            "BIOCLUSTER_NEO4J_BROWSER_URL is not set (start with BIOCLUSTER_NEO4J_BROWSER=1)"
        )
    parts = urlsplit(url)
    own = f"{parts.scheme}://{parts.netloc}"
    request = urllib.request.Request(own + "/", headers={"Origin": "http://evil.example"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        allowed = response.headers.get("Access-Control-Allow-Origin")
    assert allowed != "*"
    assert allowed in (None, own)
    # The Browser it serves still loads (tests/test_neo4j_browser.py drives it).
    with urllib.request.urlopen(own + "/browser/", timeout=30) as response:  # noqa: S310
        assert response.status == 200


@pytest.mark.neo4j
def test_failed_logins_lock_the_user_for_a_while() -> None:
    settings = neo4j_settings_or_skip()
    user, password = f"lockout_{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    with neo4j.GraphDatabase.driver(
        settings.uri, auth=(settings.username, settings.password)
    ) as admin:
        with admin.session(database="system") as session:
            session.run(
                f"CREATE USER {user} SET PASSWORD $password CHANGE NOT REQUIRED",
                password=password,
            ).consume()
        try:
            for _ in range(5):
                with pytest.raises((neo4j.exceptions.AuthError, neo4j.exceptions.ClientError)):
                    _connect(settings.uri, user, "wrong-" + password)
            # Locked now: even the right password is refused, until the lock time passes.
            with pytest.raises(neo4j.exceptions.ClientError) as caught:
                _connect(settings.uri, user, password)
            assert caught.value.code == "Neo.ClientError.Security.AuthenticationRateLimit"
            time.sleep(6)
            _connect(settings.uri, user, password)
        finally:
            with admin.session(database="system") as session:
                session.run(f"DROP USER {user} IF EXISTS").consume()


def _connect(uri: str, user: str, password: str) -> None:
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
        driver.verify_connectivity()
