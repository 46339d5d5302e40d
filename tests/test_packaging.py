"""The package ships whole, and mypy really reads it.

The wheel is built from a copy of the working tree (what git would commit: tracked and new,
not ignored, files), inspected, installed NOT editable into a fresh virtual environment and
run from an empty directory outside the repository. Only the wheel's dependencies come from
the dev environment (a ``.pth`` line naming its site-packages: a plain path entry, so the
editable install's import hook there is never run); the assertion that ``biocluster_kg`` is
imported from the new environment proves the repository is not what answers.

mypy runs on a planted module that misuses the kernel and a linked package: if mypy stopped
following the imports (a path it cannot resolve turns into ``Any`` under a blanket
``ignore_missing_imports``), the planted errors would go unreported and this would fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from biocluster_kg.kernel.model import KnowledgeBase

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "biocluster_kg"
#: The owner's top-level folders, linked into the package (``biocluster_kg/NAME -> ../NAME``).
LINKED_FOLDERS = ("graph", "cypher", "loaders", "data")


def git_files(*pathspecs: str) -> list[str]:
    """Paths (relative, POSIX) that git would commit: tracked or new, and not ignored."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("the packaging test reads the file list from git; no git checkout here")
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", *pathspecs],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    names = [name for name in result.stdout.decode("utf-8").split("\0") if name]
    # A file deleted in the work tree but not yet in the index is not part of this tree.
    return [name for name in names if (REPO / name).is_symlink() or (REPO / name).exists()]


def copy_tree(target: Path) -> None:
    """Copy what git would commit, links as links (the package's folders are symlinks)."""
    for name in git_files():
        source = REPO / name
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), destination)
        elif source.is_file():
            shutil.copy2(source, destination)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{command} failed with {result.returncode}:\n{output[-4000:]}"
    return output


def shipped_files() -> set[str]:
    """Where each file of the package's folders must sit in the wheel."""
    expected = set()
    for name in git_files(PACKAGE, *LINKED_FOLDERS):
        path = PurePosixPath(name)
        if path.suffix == ".pyc" or (REPO / name).is_symlink():
            continue  # the links themselves are folders in the wheel
        if path.parts[0] in LINKED_FOLDERS:
            path = PurePosixPath(PACKAGE) / path
        expected.add(str(path))
    return expected


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    copy_tree(tree)
    dist = tmp_path_factory.mktemp("dist")
    # No build isolation: the dev environment has the build backend, and the build then
    # needs no network and no fresh copy of setuptools each run.
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(tree),
        ],
        cwd=tree,
    )
    (built,) = dist.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) holding the wheel, not the repository."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    # The dev venv's pip installs into the new venv. Before the .pth exists, so that pip does
    # not see the editable install and call the requirement already satisfied.
    run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index"]
        + ["--no-cache-dir", str(wheel)],
        cwd=venv.parent,
    )
    site_packages = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        cwd=venv.parent,
    ).strip()
    dev_site_packages = sysconfig.get_path("purelib")
    (Path(site_packages) / "dev-dependencies.pth").write_text(dev_site_packages + "\n")
    return venv


@pytest.fixture
def empty_directory(tmp_path: Path) -> Path:
    workdir = tmp_path / "empty"
    workdir.mkdir()
    assert not workdir.resolve().is_relative_to(REPO)
    return workdir


def clean_environment() -> dict[str, str]:
    """The caller's environment without anything that could point Python at the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def test_wheel_holds_one_import_package_with_its_data_queries_templates_and_assets(
    wheel: Path,
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    top_level = {PurePosixPath(name).parts[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {PACKAGE}

    missing = sorted(shipped_files() - names)
    assert missing == [], f"files of the package's folders left out of the wheel: {missing}"
    # The kinds of file a glob could miss, named, so a failure says which one went.
    for required in (
        f"{PACKAGE}/data/cluster.yaml",
        f"{PACKAGE}/data/sources/sources.yaml",
        f"{PACKAGE}/graph/templates/network_page.html",
        f"{PACKAGE}/graph/assets/network_page.js",
    ):
        assert required in names
    assert any(name.startswith(f"{PACKAGE}/data/kb/") for name in names)
    assert any(name.endswith(".cypher") for name in names)


def test_installed_wheel_checks_and_runs_the_demo_from_an_empty_directory(
    installed: Path, empty_directory: Path, shipped_kb: KnowledgeBase
) -> None:
    env = clean_environment()
    python = installed / "bin" / "python"
    where = run(
        [
            str(python),
            "-c",
            "import biocluster_kg, biocluster_kg.graph;"
            " from biocluster_kg.loaders import default_data_dir;"
            " print(biocluster_kg.__file__); print(biocluster_kg.graph.__file__);"
            " print(default_data_dir())",
        ],
        cwd=empty_directory,
        env=env,
    ).split()
    for path in where:
        assert Path(path).resolve().is_relative_to(installed.resolve()), path
    assert Path(where[2], "kb").is_dir(), f"the installed package has no data/kb/: {where[2]}"

    biocluster = str(installed / "bin" / "biocluster")
    checked = run([biocluster, "check"], cwd=empty_directory, env=env)
    # The installed copy found the whole shipped knowledge base, not an empty or partial one.
    counts = f"ノード{len(shipped_kb.nodes):,}件、関係{len(shipped_kb.relationships):,}件"
    assert checked.startswith(f"検証済み：{counts}"), checked

    # For people in Japanese by default, in English one option away.
    demo = run([biocluster, "demo"], cwd=empty_directory, env=env)
    assert "企業と研究所を橋渡ししているのは誰か" in demo and "仲介者の名称" in demo
    page = empty_directory / "out" / "network.html"
    assert page.is_file() and '<html lang="ja">' in page.read_text(encoding="utf-8"), demo
    assert f"ネットワーク図：{page.resolve()}" in demo
    english_page = empty_directory / "out" / "network-en.html"
    english = run(
        [biocluster, "demo", "--lang", "en", "-o", str(english_page)], cwd=empty_directory, env=env
    )
    assert "who bridges companies to the institute" in english and "broker_name_ja" in english
    assert f"network page: {english_page.resolve()}" in english
    assert '<html lang="en">' in english_page.read_text(encoding="utf-8")


PLANTED = """
from pathlib import Path

from biocluster_kg.kernel.schema import quote_identifier
from biocluster_kg.loaders import load_knowledge_base

fine = quote_identifier("Organization", ("Organization",))
kb = load_knowledge_base(Path("data"))

wrong_kernel = quote_identifier(42, ("Organization",))
wrong_linked = load_knowledge_base(data_dir=3)
not_a_count: int = kb.nodes
"""


def planted_line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_mypy_follows_imports_into_the_kernel_and_the_linked_packages(tmp_path: Path) -> None:
    planted = tmp_path / "planted_misuse.py"
    text = textwrap.dedent(PLANTED).lstrip("\n")
    planted.write_text(text)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            # A cache of its own: the suite may run this beside `make lint` or another worker.
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--no-error-summary",
            "--show-error-codes",
            str(planted),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    reported = {(int(line.split(":")[1]), line.rsplit("[", 1)[-1].rstrip("]")) for line in errors}
    # Exactly the three misuses: the correct uses above them type-check, so the names were
    # really resolved (an unresolved import would be an error of its own, or silence).
    assert reported == {
        (planted_line(text, "wrong_kernel"), "arg-type"),
        (planted_line(text, "wrong_linked"), "arg-type"),
        (planted_line(text, "not_a_count"), "assignment"),
    }, errors
