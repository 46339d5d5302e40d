"""Read-only bypasses (issue 27, R2): a corpus of statements that try to get past read-only
mode by how the text is cut into statements and comments, and the proof that each is refused
with a clear error, no traceback and no effect.

The effects are real: a tiny shared library compiled here whose constructor writes a marker
file (LOAD EXTENSION would run it), a file a read would write or read, a local HTTP server that
counts what it is asked for (LOAD CSV would fetch from it), and another session's transaction
(TERMINATE TRANSACTIONS would end it).

The two layers are proved apart: the whole command refuses every variant; and with the text
check switched off, the engines alone still refuse the ones that would run native code, switch
databases, control transactions, change settings or read files (``prepare`` sees several
statements; the plan holds a refused operator).
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner, Result
from neo4j_support import neo4j_settings_or_skip

from biocluster_kg.cli import cli
from biocluster_kg.cypher import ladybug_backend, neo4j_backend
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.statements import check_read_only
from biocluster_kg.kernel.errors import CypherError, ReadOnlyError


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def store(copy_loaded_store: Callable[[Path], Path], tmp_path: Path) -> Path:
    # A copy of the one store the worker loaded (tests/conftest.py), not a load per module.
    return copy_loaded_store(tmp_path / "kb.lbug")


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A shared library whose constructor writes a marker file, and that marker's path."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to build the test extension")
    folder = tmp_path_factory.mktemp("extension")
    marker = folder / "native-code-ran"
    source = folder / "evil.c"
    source.write_text(
        "#include <stdio.h>\n"
        "__attribute__((constructor)) static void ran(void) {\n"
        f'  FILE *f = fopen("{marker}", "w"); if (f) {{ fputs("ran", f); fclose(f); }}\n'
        "}\n",
        encoding="utf-8",
    )
    library = folder / "evil.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library, marker


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the handler's own name
        type(self).requests.append(self.path)
        body = b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 and the list of paths it was asked for."""
    _Counting.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/x.csv", _Counting.requests
    finally:
        server.shutdown()
        server.server_close()


# Each variant is a template: {so} the marker library, {file} a file a read would write or
# read, {dir} a folder EXPORT DATABASE would create, {url} the local HTTP server.
EMBEDDED_VARIANTS = [
    # several statements, the second one harmful
    "RETURN 1 AS a; LOAD EXTENSION '{so}'",
    "RETURN 1 AS a;LOAD EXTENSION '{so}';",
    "RETURN 1 AS a ;\n\n  load extension '{so}'",
    "RETURN 1 AS a; LoAd\tExTeNsIoN '{so}'",
    "RETURN 1 AS a; LOAD/**/EXTENSION '{so}'",
    "RETURN 1 AS a; /* c */ LOAD EXTENSION '{so}'",
    "RETURN 1 AS a // c\n; LOAD EXTENSION '{so}'",
    "RETURN 1 AS a // c\r\n; LOAD EXTENSION '{so}'",
    "RETURN 1 AS a /* ; */ ; LOAD EXTENSION '{so}'",
    "RETURN 'a;b' AS a; LOAD EXTENSION '{so}'",
    "RETURN 'it\\'s' AS a; LOAD EXTENSION '{so}'",
    'RETURN "say \\"x\\"" AS a; LOAD EXTENSION \'{so}\'',
    "RETURN '\\\\' AS a; LOAD EXTENSION '{so}'",
    "RETURN 1 AS `a;b`; LOAD EXTENSION '{so}'",
    "RETURN 1 AS `a``b`; LOAD EXTENSION '{so}'",
    "RETURN 1 AS a;\u2028LOAD EXTENSION '{so}'",
    "RETURN 1 AS a;\u00a0LOAD\u00a0EXTENSION '{so}'",
    "RETURN 1 AS a;\u3000LOAD\u3000EXTENSION '{so}'",
    "RETURN 1 AS a;\u180eLOAD\u180eEXTENSION '{so}'",
    "RETURN 1 AS a;\x0bLOAD\x0cEXTENSION '{so}'",
    "RETURN 1 AS a;\x1cLOAD\x1dEXTENSION '{so}'",
    # one statement, harmful where it starts or after a comment of any kind
    "LOAD EXTENSION '{so}'",
    "  load extension '{so}'",
    "/* harmless */ LOAD EXTENSION '{so}'",
    "// harmless\nLOAD EXTENSION '{so}'",
    "// harmless\rLOAD EXTENSION '{so}'",
    "// harmless \\u000a LOAD EXTENSION '{so}'",
    "EXPLAIN LOAD EXTENSION '{so}'",
    "PROFILE LOAD EXTENSION '{so}'",
    "RETURN 1 AS a; LOAD httpfs",
    "LOAD httpfs",
    "RETURN 1 AS a; INSTALL json",
    "RETURN 1 AS a; USE other",
    "USE other",
    "RETURN 1 AS a; BEGIN TRANSACTION",
    "begin   transaction",
    "RETURN 1 AS a; COMMIT",
    "RETURN 1 AS a; CALL threads=1",
    "CALL\tthreads\t=\t1",
    "RETURN 1 AS a; CHECKPOINT",
    # files of the machine
    "RETURN 1 AS a; LOAD FROM '{file}' (header=false) RETURN *",
    "load with headers (a STRING) from '{file}' RETURN *",
    "RETURN 1 AS a; COPY (MATCH (n) RETURN n.id) TO '{file}'",
    "cOpY (RETURN 1) TO '{file}'",
    "RETURN 1 AS a; EXPORT DATABASE '{dir}'",
    "// \\u000d EXPORT DATABASE '{dir}'",
    "RETURN 1 AS a; IMPORT DATABASE '{dir}'",
    "RETURN 1 AS a; ATTACH '{file}' AS other (dbtype lbug)",
    "LOAD FROM '{url}' RETURN *",
    # a write after a statement that reads
    "MATCH (n) RETURN count(n) AS n; MATCH (n) DETACH DELETE n",
    "MATCH (n) RETURN count(n) AS n // \\u000a; CREATE (:`Organization` {{id: 'org:x'}})",
]


def _effects(tmp_path: Path) -> dict[str, Path]:
    return {"file": tmp_path / "touched.csv", "dir": tmp_path / "exported"}


def test_the_corpus_is_large_enough() -> None:
    assert len(EMBEDDED_VARIANTS) >= 40


@pytest.mark.parametrize("template", EMBEDDED_VARIANTS)
def test_every_bypass_variant_is_refused_without_effect(
    store: Path,
    tmp_path: Path,
    extension: tuple[Path, Path],
    http_server: tuple[str, list[str]],
    template: str,
) -> None:
    library, marker = extension
    marker.unlink(missing_ok=True)
    effects = _effects(tmp_path)
    url, requests = http_server
    statement = template.format(so=library, url=url, **effects)
    before = store.read_bytes()
    result = invoke("cypher", "--store", str(store), statement)
    assert result.exit_code == 1, (statement, result.output)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    assert "read-only" in result.stderr or "one statement at a time" in result.stderr, result.stderr
    assert not marker.exists(), "the extension's native code ran"
    assert not any(path.exists() for path in effects.values()), statement
    assert requests == []
    assert store.read_bytes() == before
    with LadybugBackend(store) as backend:
        assert backend.run("MATCH (n:`Organization`) RETURN count(*) AS n").rows[0][0] > 0


# What the engine alone refuses once the text check is switched off: the statements that
# reach its planner without side effects there (EXPORT/IMPORT DATABASE and ATTACH bind files
# while they are planned, so only the text check stops them; see the module's docstring).
ENGINE_ALONE = [
    ("RETURN 1 AS a; LOAD EXTENSION '{so}'", "one statement at a time"),
    ("RETURN 1 AS a // c\n; LOAD EXTENSION '{so}'", "one statement at a time"),
    ("LOAD EXTENSION '{so}'", "LOAD_EXTENSION"),
    ("PROFILE LOAD EXTENSION '{so}'", "LOAD_EXTENSION"),
    ("INSTALL json", "INSTALL_EXTENSION"),
    ("USE other", "USE_DATABASE"),
    ("BEGIN TRANSACTION", "TRANSACTION"),
    ("CALL threads=1", "STANDALONE_CALL"),
    ("LOAD FROM '{file}' (header=false) RETURN *", "read_csv"),
    ("COPY (MATCH (n) RETURN n.id) TO '{file}'", "COPY_TO"),
    ("MATCH (n) RETURN n.id; MATCH (n) DETACH DELETE n", "one statement at a time"),
]


@pytest.mark.parametrize(("template", "refusal"), ENGINE_ALONE)
def test_the_embedded_engine_alone_refuses_them(
    store: Path,
    tmp_path: Path,
    extension: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    template: str,
    refusal: str,
) -> None:
    library, marker = extension
    marker.unlink(missing_ok=True)
    effects = _effects(tmp_path)
    effects["file"].write_text("a\n1\n", encoding="utf-8") if "LOAD FROM" in template else None
    statement = template.format(so=library, **effects)
    monkeypatch.setattr(ladybug_backend, "check_read_only", lambda cypher: None)
    monkeypatch.setattr(ladybug_backend, "check_single_statement", lambda cypher: None)
    before = store.read_bytes()
    with LadybugBackend(store) as backend, pytest.raises((ReadOnlyError, CypherError)) as caught:
        backend.run(statement)
    assert refusal in str(caught.value)
    assert not marker.exists(), "the extension's native code ran"
    if "COPY" in template:
        assert not effects["file"].exists()
    assert store.read_bytes() == before


@pytest.mark.parametrize("parameters", [{}, {"x": 1}], ids=["without", "with-a-parameter"])
def test_several_statements_never_run_with_or_without_parameters(
    store: Path,
    extension: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    parameters: dict[str, int],
) -> None:
    """The engine alone (text check off): without parameters the backend asks the parser
    (``prepare``); with them the engine prepares the EXPLAIN itself. Either way none runs."""
    library, marker = extension
    marker.unlink(missing_ok=True)
    monkeypatch.setattr(ladybug_backend, "check_read_only", lambda cypher: None)
    monkeypatch.setattr(ladybug_backend, "check_single_statement", lambda cypher: None)
    statement = ("RETURN $x AS a; " if parameters else "RETURN 1 AS a; ") + (
        f"LOAD EXTENSION '{library}'"
    )
    with LadybugBackend(store) as backend, pytest.raises(CypherError, match="one statement"):
        backend.run(statement, parameters)
    assert not marker.exists(), "the extension's native code ran"


def test_reads_of_every_kind_pass_both_layers(store: Path) -> None:
    reads = [
        "MATCH (n) WITH n AS load MATCH (m) RETURN m.name_ja AS start, load AS stop LIMIT 1",
        "MATCH (n) WHERE n.name_ja CONTAINS 'LOAD EXTENSION; USE x' RETURN n AS commit LIMIT 1",
        "// a comment; with a semicolon\nMATCH (n:`Organization`) RETURN count(n) AS n;",
        "CALL show_tables() RETURN *",
        "CALL table_info('Organization') RETURN *",
        "MATCH p = (a:`Organization`)-[* SHORTEST 1..3]-(b:`Program`) RETURN length(p) LIMIT 1",
        "UNWIND [1, 2] AS x RETURN x ORDER BY x DESC SKIP 1 LIMIT 1",
        "RETURN 1 AS a UNION RETURN 2 AS a",
        "EXPLAIN MATCH (n) RETURN n",
    ]
    # In the engine's own dialect (SHORTEST, show_tables): through the store's read-only path
    # itself, not `biocluster cypher`, which takes Neo4j's Cypher and translates it first.
    with LadybugBackend(store) as backend:
        for statement in reads:
            check_read_only(statement)
            backend.run(statement, {})
    for statement in (reads[0], reads[1], reads[6], reads[7]):
        result = invoke("cypher", "--store", str(store), statement)
        assert result.exit_code == 0, (statement, result.output)


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        ("RETURN 1 // a\rRETURN 2", {1}),  # Neo4j ends the comment at CR; a parse error there
        ("RETURN 1 // a\r; RETURN 2", {1, 2}),
        ("RETURN 1 // a \\u000a; RETURN 2", {1, 2}),  # Neo4j decodes the escape first
        ("RETURN 1 // a \\\\u000a; RETURN 2", {1}),  # an escaped backslash: no escape
        ("RETURN 1 // a\u2028; RETURN 2", {1, 2}),  # the strict reading
        # Neo4j decodes \u0027 to a quote (it opens or closes a string), Ladybug does not
        ("RETURN '\\u0027; RETURN 2' AS a", {1, 2}),
        ("RETURN \\u0027x; RETURN 2' AS a", {1, 2}),
    ],
)
def test_the_text_is_read_as_every_engine_reads_it(text: str, statements: set[int]) -> None:
    from biocluster_kg.cypher.statements import readings

    assert {len(reading) for reading in readings(text)} == statements


# --------------------------------------------------------------------------------------------
# Neo4j: comments that end at a carriage return, Java escapes, and the server's plan
# --------------------------------------------------------------------------------------------


def neo4j_env() -> dict[str, str]:
    settings = neo4j_settings_or_skip()
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.username,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database or "",
    }


NEO4J_VARIANTS = [
    "// c\rLOAD CSV FROM '{url}' AS l RETURN l",
    "// c\\u000aLOAD CSV FROM '{url}' AS l RETURN l",
    "// c\\u000dLOAD CSV FROM '{url}' AS l RETURN l",
    "/* c */ load csv from '{url}' AS l RETURN l",
    "RETURN 1 AS a /\\u002a */ UNION LOAD CSV FROM '{url}' AS l RETURN l AS a",
    "RETURN \\u0027x' AS a, 'y' AS b UNION LOAD CSV FROM '{url}' AS l RETURN l AS a, 1 AS b",
    "// c\rTERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "// c\\u000aTERMINATE TRANSACTIONS 'neo4j-transaction-1'",
]


@pytest.mark.neo4j
@pytest.mark.parametrize("template", NEO4J_VARIANTS)
def test_neo4j_bypass_variants_are_refused_without_effect(
    http_server: tuple[str, list[str]], template: str
) -> None:
    env = neo4j_env()
    url, requests = http_server
    result = invoke("cypher", "--neo4j", template.format(url=url), env=env)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and "read-only" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert requests == []


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("template", "refusal"),
    [
        ("LOAD CSV FROM '{url}' AS l RETURN l", "the server plans LOAD CSV"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "the server plans TERMINATE"),
    ],
)
def test_the_neo4j_server_plan_alone_refuses_them(
    http_server: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    template: str,
    refusal: str,
) -> None:
    env = neo4j_env()
    url, requests = http_server
    monkeypatch.setattr(neo4j_backend, "check_read_only", lambda cypher: None)
    from biocluster_kg.cypher.open import open_backend

    with (
        open_backend(
            use_neo4j=True,
            uri=env["NEO4J_URI"],
            username=env["NEO4J_USERNAME"],
            password=env["NEO4J_PASSWORD"],
            database=env["NEO4J_DATABASE"] or None,
        ) as backend,
        pytest.raises(ReadOnlyError, match=refusal),
    ):
        backend.run(template.format(url=url))
    assert requests == []


@pytest.mark.neo4j
def test_the_neo4j_server_does_not_read_its_files_for_load_csv() -> None:
    """scripts/neo4j-server turns file:// URLs off for LOAD CSV, even for writing users."""
    env = neo4j_env()
    with (
        neo4j.GraphDatabase.driver(
            env["NEO4J_URI"], auth=(env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"])
        ) as driver,
        driver.session() as session,
        pytest.raises(neo4j.exceptions.ClientError) as caught,
    ):
        session.run("LOAD CSV FROM 'file:///etc/hostname' AS l RETURN l").consume()
    assert "file" in str(caught.value).lower()
