"""Shared fixtures. Real components only: the shipped data files, temporary copies of them
for bad-input cases, and (through neo4j_support) a real Neo4j server when one answers."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The Neo4j plugin's hooks and fixtures: counting server-backed tests for CI, skip-or-fail.
from neo4j_support import (  # noqa: F401
    mark_neo4j_test,
    neo4j_driver,
    neo4j_settings,
    neo4j_settings_or_skip,
    pytest_configure,
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)

# The tests' own Neo4j server, for faults and imports the shared one cannot allow.
from private_neo4j import (  # noqa: F401
    _private_server_session,
    private_server,
    private_server_for_import,
)

from biocluster_kg.kernel.cluster import ClusterProfile, load_cluster_profile
from biocluster_kg.kernel.model import KnowledgeBase
from biocluster_kg.loaders import default_data_dir, load_knowledge_base

DATA_DIR = default_data_dir()

#: Tests on a real server or browser are slow by nature (start-up, a JVM, a page load), and a
#: developer's quick loop usually has neither: make test-quick leaves them out with the rest.
_SLOW_BY_NATURE = ("neo4j", "browser")


def pytest_itemcollected(item: pytest.Item) -> None:
    mark_neo4j_test(item)
    if any(item.get_closest_marker(name) for name in _SLOW_BY_NATURE):
        item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    """The knowledge base built from the project's own data files (do not mutate)."""
    return load_knowledge_base(DATA_DIR)


@pytest.fixture(scope="session")
def shipped_profile() -> ClusterProfile:
    """The shipped workspace's cluster profile: what the session passes below it for the
    project's own data (nothing below the session falls back to it)."""
    return load_cluster_profile(DATA_DIR)


@pytest.fixture(scope="session")
def shipped_measured_kb(
    shipped_kb: KnowledgeBase, shipped_profile: ClusterProfile
) -> KnowledgeBase:
    """The shipped knowledge base with the measures overlay, as ``biocluster load`` stores it
    (do not mutate)."""
    from biocluster_kg.graph.brokerage import measured

    return measured(shipped_kb, profile=shipped_profile)


# --- one store of a knowledge base per module, on either engine -----------------------------
# A module asks for `store` (run on Ladybug and, marked neo4j, on the test server) or for
# `ladybug_store` / `neo4j_store` alone. They hold `store_kb`: the shipped facts, unless the
# module overrides `store_kb` (with `shipped_measured_kb`, for what `biocluster load` stores).


@pytest.fixture(scope="module")
def store_kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    """What this module's stores hold: the shipped facts (override it for another)."""
    return shipped_kb


@pytest.fixture(scope="module")
def ladybug_store(
    tmp_path_factory: pytest.TempPathFactory, store_kb: KnowledgeBase
) -> Iterator[Any]:
    from biocluster_kg.cypher.ladybug_backend import LadybugBackend

    with LadybugBackend(tmp_path_factory.mktemp("store") / "kb.lbug") as store:
        store.load(store_kb)
        yield store


@pytest.fixture(scope="module")
def neo4j_store(store_kb: KnowledgeBase) -> Iterator[Any]:
    from biocluster_kg.cypher.neo4j_backend import Neo4jBackend
    from biocluster_kg.cypher.neo4j_connection import connect

    settings = neo4j_settings_or_skip()
    backend = Neo4jBackend(connect(settings), settings.database, description=settings.uri)
    backend.load(store_kb)
    yield backend
    backend.close()


@pytest.fixture(params=["ladybug", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="session")
def _loaded_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store that ``biocluster load`` filled from the shipped data, once per
    worker: the folder holds the store and its lock file, as that command leaves them."""
    from click.testing import CliRunner

    from biocluster_kg.cli import cli

    store = tmp_path_factory.mktemp("loaded-store") / "kb.lbug"
    result = CliRunner().invoke(cli, ["load", "--store", str(store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def copy_loaded_store(_loaded_store_template: Path) -> Callable[[Path], Path]:
    """Put a byte copy of a freshly loaded store (and its lock file) at a path, and return
    the path: what ``biocluster load --store PATH`` of the shipped data leaves, in
    milliseconds instead of a load (~1.3 s) per test."""

    def copy(store: Path) -> Path:
        store.parent.mkdir(parents=True, exist_ok=True)
        for made in sorted(_loaded_store_template.parent.iterdir()):
            name = made.name.replace(_loaded_store_template.name, store.name, 1)
            shutil.copyfile(made, store.with_name(name))
        return store

    return copy


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the data folder, for tests that break or change it."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def write_kb_file(data_copy: Path) -> Callable[[str, str], Path]:
    """Write one extra data file into the copy's kb/ folder and return the data folder."""

    def write(name: str, text: str) -> Path:
        (data_copy / "kb" / name).write_text(text, encoding="utf-8")
        return data_copy

    return write
