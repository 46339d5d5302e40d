"""Reliability of the commands that write a workspace (issue 27: R3, R5, R6, R7, R10).

* ``accept``, ``source add`` and ``init`` write atomically: killed with SIGKILL at any
  moment, on a full disk (``RLIMIT_FSIZE`` in the writing process) or on a filesystem that is
  read-only for real (a tmpfs remounted read-only, where mounting is allowed), they leave the
  workspace as it was, with no 0-byte or unchecked file that blocks a later command, and say
  why in one ``Error:`` line.
* ``accept --name`` writes into ``kb/`` and nowhere else.
* Hidden entries of ``kb/`` (``.x.yaml``, an editor's dangling ``.#actors.yaml`` link, a
  macOS ``._actors.yaml``) are skipped.
* ``cluster.yaml`` and drafts are read strictly (a key given twice, a control character,
  a folder), the profile's anchors must be nodes of ``kb/``, and impossible dates are
  refused; ``source add`` refuses what ``check`` would then refuse.

Everything is real: real processes, real signals, a real tmpfs.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from biocluster_kg.cli import cli

BIOCLUSTER = Path(sys.executable).with_name("biocluster")
FICTIONAL = Path(__file__).resolve().parent / "fictional"
TEXT = FICTIONAL / "shinonome-cluster-fy2025.txt"
SOURCE_ID = "shinonome-fy2025"
#: A reviewed draft: one actor, accepted with its English name.
DRAFT = """draft: true
source: shinonome-fy2025
candidates:
  - candidate: c-bio
    proposal: new_actor
    value: 株式会社シーバイオ
    line: 13
    span: 株式会社シーバイオ
    accept: true
    record:
      id: org:draft-1
      label: Organization
      kind: company
      sector: industry
      name_ja: 株式会社シーバイオ
      name_en: C-Bio Inc.
      span: 株式会社シーバイオ
"""


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments))


def assert_clear_error(
    result: Result | subprocess.CompletedProcess[str], *fragments: str, code: int = 1
) -> None:
    """Exit ``code``, one ``Error: ...`` line holding every fragment, no traceback."""
    if isinstance(result, Result):
        status, output = result.exit_code, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
    else:
        status, output = result.returncode, result.stdout + result.stderr
    assert status == code, output
    assert "Traceback" not in output
    error_lines = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert len(error_lines) == 1, output
    for fragment in fragments:
        assert fragment in output, output


def make_workspace(folder: Path) -> Path:
    result = invoke("init", str(folder), "--title-ja", "東雲", "--title-en", "Shinonome")
    assert result.exit_code == 0, result.output
    result = invoke("source", "add", str(TEXT), "--data", str(folder), "--id", SOURCE_ID)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "reviewed.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def passes_check(workspace: Path) -> None:
    result = invoke("check", "--data", str(workspace))
    assert result.exit_code == 0, result.output


def run(arguments: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIOCLUSTER), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **options,  # type: ignore[call-overload]
    )


def other(folder: Path) -> Path:
    """A second source document for the workspace."""
    path = folder / "other-source.txt"
    path.write_text("※架空の文書\n東雲県の第二の資料（令和7年度）\n", encoding="utf-8")
    return path


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Ignored, SIGXFSZ would kill the process: the write fails with EFBIG, as a full
        # disk fails with ENOSPC, and the process must report it.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


# ------------------------------------------------------------------------------------------
# R3: killed, full disk, read-only filesystem
# ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_accept_killed_at_any_moment_leaves_kb_checked(workspace: Path, draft: Path) -> None:
    # Killed from before the draft is read to after the file is written: kb/ holds no file
    # or the whole checked one, and check, load and the next accept go on.
    for delay in (0.4, 0.7, 0.9, 1.1, 1.3, 1.6, 2.0):
        process = subprocess.Popen(
            [str(BIOCLUSTER), "accept", str(draft), "--data", str(workspace), "--name", "a"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert visible(workspace / "kb") in ([], ["a.yaml"]), delay
        passes_check(workspace)
        if visible(workspace / "kb"):
            assert "org:c-bio-inc" in (workspace / "kb" / "a.yaml").read_text("utf-8")
            (workspace / "kb" / "a.yaml").unlink()
    result = invoke("accept", str(draft), "--data", str(workspace), "--name", "a")
    assert result.exit_code == 0, result.output


FULL_DISK: dict[str, Callable[[Path, Path, Path], list[str]]] = {
    "accept": lambda ws, draft, tmp: ["accept", str(draft), "--data", str(ws)],
    "source-add": lambda ws, draft, tmp: ["source", "add", str(other(tmp)), "--data", str(ws)],
    "init": lambda ws, draft, tmp: [
        "init", str(tmp / "new"), "--title-ja", "新", "--title-en", "N"
    ],
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(FULL_DISK))
def test_a_full_disk_leaves_no_empty_or_unchecked_file(
    workspace: Path, draft: Path, tmp_path: Path, command: str
) -> None:
    before = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    arguments = FULL_DISK[command](workspace, draft, tmp_path)
    # Every file these commands write is larger than 64 bytes: the write fails part-way.
    result = run(arguments, preexec_fn=_limit_file_size(64))
    assert_clear_error(result, "cannot write", "File too large")
    assert {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "new").exists()
    passes_check(workspace)
    # Once there is room again, the same command succeeds: nothing was left in its way.
    again = run(arguments)
    assert again.returncode == 0, again.stderr


@pytest.fixture
def read_only_workspace(tmp_path: Path) -> Iterator[Path]:
    """A workspace on a tmpfs remounted read-only (EROFS for real); skipped where mounting
    is not allowed."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        make_workspace(mount_point / "ws")
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True, timeout=60)
        yield mount_point / "ws"
    finally:
        subprocess.run(["umount", str(mount_point)], check=True, timeout=60)


def test_a_read_only_filesystem_is_a_clear_error(read_only_workspace: Path, draft: Path) -> None:
    workspace = read_only_workspace
    for arguments in (
        ["accept", str(draft), "--data", str(workspace)],
        ["source", "add", str(other(draft.parent)), "--data", str(workspace)],
        ["init", str(workspace.parent / "new"), "--title-ja", "新", "--title-en", "N"],
    ):
        assert_clear_error(invoke(*arguments), "Read-only file system")
    passes_check(workspace)


# ------------------------------------------------------------------------------------------
# R3, R5: accept --name writes into kb/ and nowhere else
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["sub/dir", "../sources/evil", "../../x", "/tmp/biocluster-accept-escape", ".hidden", ".."],
)
def test_accept_name_is_a_file_name_in_kb(
    workspace: Path, draft: Path, tmp_path: Path, name: str
) -> None:
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = invoke("accept", str(draft), "--data", str(workspace), "--name", name)
    assert_clear_error(result, "--name", "give a plain file name")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/biocluster-accept-escape.yaml").exists()


# ------------------------------------------------------------------------------------------
# R6: hidden entries of kb/ are skipped
# ------------------------------------------------------------------------------------------


def test_hidden_entries_of_kb_are_skipped(workspace: Path, tmp_path: Path) -> None:
    kb = workspace / "kb"
    # A valid data file that would add a node if it were read.
    (kb / ".hidden.yaml").write_text(
        "source: shinonome-fy2025\nnodes:\n"
        "  - {id: org:hidden, label: Organization, kind: company, sector: industry,\n"
        "     name_ja: 株式会社シーバイオ, name_en: Hidden, span: 株式会社シーバイオ}\n",
        encoding="utf-8",
    )
    (kb / ".#actors.yaml").symlink_to("root@host.12345:1700000000")  # an editor's lock
    (kb / "._actors.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    result = invoke("check", "--data", str(workspace), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "valid: 0 nodes" in result.output
    store = tmp_path / "kb.lbug"
    loaded = invoke("load", "--data", str(workspace), "--store", str(store), "--allow-empty")
    assert loaded.exit_code == 0, loaded.output


# ------------------------------------------------------------------------------------------
# R7: strict profiles and drafts, anchors that exist, dates of the calendar
# ------------------------------------------------------------------------------------------

ACTORS = (
    "source: shinonome-fy2025\nnodes:\n"
    "  - {id: org:c-bio, label: Organization, kind: company, sector: industry,\n"
    "     name_ja: 株式会社シーバイオ, name_en: C-Bio Inc., span: 株式会社シーバイオ}\n"
)
PROFILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "key-twice": (
        "title_ja: 東雲\ninstitute: org:a\ninstitute: org:b\n",
        ("cluster.yaml:3 [institute]: field given twice",),
    ),
    "escape-in-title": (
        'title_ja: "東雲\\e[31m"\n',
        ("cluster.yaml:1 [title_ja]", "control character U+001B"),
    ),
    "raw-escape-in-title": ("title_ja: 東雲\x1b[31m\n", ("cluster.yaml:1", "U+001B")),
    "unknown-institute": ("institute: org:nowhere\n", ("cluster.yaml [institute]", "org:nowhere")),
    "unknown-budget-root": (
        "budget_root: prog:nowhere\n",
        ("cluster.yaml [budget_root]", "'prog:nowhere' is no node of kb/"),
    ),
    "require-complete-not-a-flag": ("require_complete: yes please\n", ("require_complete",)),
}


@pytest.mark.parametrize("case", sorted(PROFILES))
def test_a_bad_profile_is_refused_by_check_and_load(
    workspace: Path, tmp_path: Path, case: str
) -> None:
    text, fragments = PROFILES[case]
    (workspace / "kb" / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (workspace / "cluster.yaml").write_text(text, encoding="utf-8")
    store = tmp_path / "kb.lbug"
    assert_clear_error(invoke("check", "--data", str(workspace)), *fragments)
    loaded = invoke("load", "--data", str(workspace), "--store", str(store))
    assert_clear_error(loaded, *fragments)
    assert not store.exists()


def test_a_profile_that_is_a_folder_is_refused(workspace: Path) -> None:
    (workspace / "cluster.yaml").unlink()
    (workspace / "cluster.yaml").mkdir()
    assert_clear_error(invoke("check", "--data", str(workspace)), "not a regular file")


def test_an_impossible_registry_date_is_refused(workspace: Path) -> None:
    registry = workspace / "sources" / "sources.yaml"
    registry.write_text(registry.read_text("utf-8") + "    date: '2013-02-30'\n", encoding="utf-8")
    result = invoke("check", "--data", str(workspace))
    assert_clear_error(
        result, "sources/sources.yaml:", "[sources[1].date]", "'2013-02-30' is no date"
    )


# ------------------------------------------------------------------------------------------
# R10: source add refuses what check would then refuse
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (("--title", "   "), ("--title is blank",)),
        (("--title", "東雲\x1b]52;c;cHduZWQ=\x07"), ("--title", "U+001B")),
        (("--publisher", " "), ("--publisher is blank",)),
    ],
    ids=["blank-title", "escape-in-title", "blank-publisher"],
)
def test_source_add_refuses_texts_check_would_refuse(
    workspace: Path, tmp_path: Path, options: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    registry = (workspace / "sources" / "sources.yaml").read_bytes()
    document = tmp_path / "new.txt"
    document.write_text("新しい出典\n", encoding="utf-8")
    result = invoke("source", "add", str(document), "--data", str(workspace), *options)
    assert_clear_error(result, *fragments)
    assert (workspace / "sources" / "sources.yaml").read_bytes() == registry
    assert not (workspace / "sources" / "new.txt").exists()
    passes_check(workspace)


def test_source_add_refuses_an_undecodable_publisher(workspace: Path, tmp_path: Path) -> None:
    document = tmp_path / "new.txt"
    document.write_text("新しい出典\n", encoding="utf-8")
    arguments = [
        os.fsencode(str(BIOCLUSTER)), b"source", b"add", os.fsencode(str(document)),
        b"--data", os.fsencode(str(workspace)), b"--publisher", b"\xff\xfe",
    ]  # fmt: skip
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=120, check=False)
    assert_clear_error(result, "--publisher", "surrogate")
    assert not (workspace / "sources" / "new.txt").exists()
    passes_check(workspace)


def test_source_add_refuses_a_text_larger_than_the_loader_reads(
    workspace: Path, tmp_path: Path
) -> None:
    document = tmp_path / "huge.txt"
    line = "東雲県のバイオクラスターについての長い記述です。\n".encode()
    document.write_bytes(line * (6 * 1024 * 1024 // len(line) + 1))
    result = invoke("source", "add", str(document), "--data", str(workspace))
    assert_clear_error(result, "huge.txt", "a source text is at most 5,242,880")
    assert not (workspace / "sources" / "huge.txt").exists()
    passes_check(workspace)


def test_init_refuses_a_title_check_would_refuse(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = invoke("init", str(folder), "--title-ja", "東雲\x1b[2J", "--title-en", "N")
    assert_clear_error(result, "--title-ja", "U+001B")
    assert not folder.exists()
    assert visible(tmp_path) == []


def test_a_copy_an_interrupted_source_add_left_is_taken_over(
    workspace: Path, tmp_path: Path
) -> None:
    # Killed between the copy and the registry: the copy is there, unregistered. The next
    # add of the same file takes it over; a different file of that name is someone's and stays.
    document = other(tmp_path)
    shutil.copyfile(document, workspace / "sources" / document.name)
    result = invoke("source", "add", str(document), "--data", str(workspace))
    assert result.exit_code == 0, result.output
    passes_check(workspace)
    changed = tmp_path / "changed" / "third.txt"
    changed.parent.mkdir()
    changed.write_text("別の文書\n", encoding="utf-8")
    (workspace / "sources" / "third.txt").write_text("誰かのファイル\n", encoding="utf-8")
    refused_add = invoke("source", "add", str(changed), "--data", str(workspace))
    assert_clear_error(refused_add, "sources/third.txt exists")
    assert (workspace / "sources" / "third.txt").read_text("utf-8") == "誰かのファイル\n"
