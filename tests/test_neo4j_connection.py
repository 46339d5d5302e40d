"""Neo4j settings and connections: pure checks, then the real server (marked ``neo4j``)."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
from pathlib import Path

import neo4j
import pytest
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cypher.neo4j_connection import (
    ACCEPTED_SCHEMES,
    Neo4jSettings,
    connect,
    scrub_password,
)
from biocluster_kg.kernel.errors import DatabaseNotFoundError, Neo4jAuthError, Neo4jUnavailableError

SECRET = "correct-horse-battery-staple"


# --------------------------------------------------------------------------------------------
# settings (no server)
# --------------------------------------------------------------------------------------------


def test_defaults_without_environment():
    settings = Neo4jSettings.from_env({})
    assert settings == Neo4jSettings("bolt://localhost:7687", "neo4j", "", None)


def test_environment_is_read():
    environ = {
        "NEO4J_URI": "neo4j+s://graph.example:7687",
        "NEO4J_USERNAME": "reader",
        "NEO4J_PASSWORD": SECRET,
        "NEO4J_DATABASE": "kb",
    }
    settings = Neo4jSettings.from_env(environ)
    assert settings == Neo4jSettings("neo4j+s://graph.example:7687", "reader", SECRET, "kb")


def test_overrides_beat_environment_and_none_is_ignored():
    environ = {"NEO4J_URI": "bolt://env:7687", "NEO4J_USERNAME": "env-user", "NEO4J_PASSWORD": "x"}
    settings = Neo4jSettings.from_env(
        environ, uri="bolt://cli:7687", username=None, password=SECRET, database=None
    )
    assert settings == Neo4jSettings("bolt://cli:7687", "env-user", SECRET, None)


def test_empty_environment_values_count_as_unset():
    settings = Neo4jSettings.from_env({"NEO4J_URI": "", "NEO4J_DATABASE": ""})
    assert settings.uri == "bolt://localhost:7687"
    assert settings.database is None


def test_unknown_override_is_a_type_error():
    with pytest.raises(TypeError, match="unknown Neo4j setting"):
        Neo4jSettings.from_env({}, host="x")


def test_repr_and_str_hide_the_password():
    settings = Neo4jSettings(password=SECRET)
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert "password" not in repr(settings)


@pytest.mark.parametrize("scheme", ACCEPTED_SCHEMES)
def test_accepted_schemes(scheme):
    assert Neo4jSettings(uri=f"{scheme}://db.example:7687").uri.startswith(scheme)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "bolt+tls://x:7687", "localhost:7687"])
def test_other_schemes_are_refused_with_the_accepted_list(uri):
    with pytest.raises(Neo4jUnavailableError) as caught:
        Neo4jSettings(uri=uri, password=SECRET)
    message = str(caught.value)
    assert "bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc://" in message
    assert SECRET not in message


def test_credentials_in_the_uri_are_refused_without_echoing_them():
    with pytest.raises(Neo4jUnavailableError, match="must not carry") as caught:
        Neo4jSettings.from_env({"NEO4J_URI": f"bolt://neo4j:{SECRET}@db:7687"})
    assert SECRET not in str(caught.value)


def test_scrub_password_removes_plain_encoded_and_uri_credentials():
    password = "p@ss word/1"
    text = (
        f"a {password} b p%40ss%20word%2F1 c p%40ss+word%2F1 "
        "URI 'neo4j://user:p%40ss%20word%2F1@host:7687' URI 'bolt://user:p@ss@host:7687/x'"
    )
    scrubbed = scrub_password(text, password)
    assert "ss word" not in scrubbed
    assert "ss%20word" not in scrubbed
    assert "ss+word" not in scrubbed
    assert "'neo4j://***@host:7687'" in scrubbed
    assert "'bolt://***@host:7687/x'" in scrubbed


def test_scrub_password_leaves_text_alone_without_a_password():
    assert scrub_password("nothing secret here", "") == "nothing secret here"


# --------------------------------------------------------------------------------------------
# the real server
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings() -> Neo4jSettings:
    return neo4j_settings_or_skip()


def closed_local_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.neo4j
def test_connect_and_return_1(settings):
    with connect(settings) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_=settings.database)
    assert [record["one"] for record in records] == [1]


@pytest.mark.neo4j
def test_named_default_database(settings):
    with connect(dataclasses.replace(settings, database="neo4j")) as driver:
        records, _, _ = driver.execute_query("RETURN 2 AS two", database_="neo4j")
    assert records[0]["two"] == 2


@pytest.mark.neo4j
def test_wrong_password_is_an_auth_error_without_the_password(settings):
    wrong = settings.password + "-but-wrong"
    with pytest.raises(Neo4jAuthError) as caught:
        connect(dataclasses.replace(settings, password=wrong))
    message = str(caught.value)
    assert message == (
        f"Neo4j refused user '{settings.username}' at {settings.uri}: wrong user name or password"
    )
    assert wrong not in message
    assert settings.password not in message
    assert isinstance(caught.value.__cause__, neo4j.exceptions.AuthError)


@pytest.mark.neo4j
def test_closed_port_is_unavailable(settings):
    port = closed_local_port()
    uri = f"bolt://127.0.0.1:{port}"
    with pytest.raises(Neo4jUnavailableError) as caught:
        connect(dataclasses.replace(settings, uri=uri), timeout=5)
    message = str(caught.value)
    assert message.startswith(f"no Neo4j server answers at {uri}: ")
    assert settings.password not in message
    assert isinstance(caught.value.__cause__, neo4j.exceptions.ServiceUnavailable)


@pytest.mark.neo4j
@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_missing_database(settings, scheme):
    # Community edition holds only "neo4j" and "system".
    uri = f"{scheme}://{settings.uri.split('://', 1)[1]}"
    missing = dataclasses.replace(settings, uri=uri, database="biocluster-no-such-db")
    with pytest.raises(DatabaseNotFoundError) as caught:
        connect(missing)
    assert str(caught.value) == f"database 'biocluster-no-such-db' does not exist on {uri}"


@pytest.mark.neo4j
def test_routing_uri_works_against_a_single_server(settings):
    routed = dataclasses.replace(settings, uri=f"neo4j://{settings.uri.split('://', 1)[1]}")
    with connect(routed) as driver:
        records, _, _ = driver.execute_query(
            "RETURN 3 AS three",
            database_=settings.database,
            routing_=neo4j.RoutingControl.READ,
        )
    assert records[0]["three"] == 3


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BIOCLUSTER_NEO4J_HEAP", "abc"),
        ("BIOCLUSTER_NEO4J_PAGECACHE", "5x"),
        ("BIOCLUSTER_NEO4J_HEAP", "1g\nserver.bolt.enabled=false"),
    ],
)
def test_server_script_refuses_a_bad_memory_size_before_writing_anything(tmp_path, variable, value):
    """The sizes go into neo4j.conf: a bad one is named, and nothing is fetched or written."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "neo4j-server"
    home = tmp_path / "home"
    env = {
        **os.environ,
        "BIOCLUSTER_NEO4J_HOME": str(home),
        "BIOCLUSTER_NEO4J_CACHE": str(tmp_path / "cache"),
        "BIOCLUSTER_NEO4J_BOLT_PORT": "1",
        "NEO4J_PASSWORD": "not-used-here",
        variable: value,
    }
    done = subprocess.run([str(script), "start"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"neo4j-server: {variable}='")
    assert "is not a memory size" in done.stderr
    assert list(tmp_path.iterdir()) == []
