"""Reliability of files on disk (issue 19, defects 1, 7, 9, 10): the embedded store and outputs.

* A ``biocluster cypher --write`` killed with SIGKILL while the engine checkpoints (its
  ``.shadow`` file exists) leaves a store the next command recovers by itself, saying so; a
  ``load`` always replaces it.
* Store paths that are not regular files (a pipe, a device, a folder), a store folder that is
  a file, a symlinked store, a read-only filesystem: a clear ``Error:``, exit 1, no
  traceback, nothing replaced; a symlink is followed.
* Outputs (``viz -o``, exports, workbooks) are written to a temporary file, synced and renamed:
  a full disk (``RLIMIT_FSIZE``) keeps the old file and leaves nothing beside it; ``-o`` never
  replaces a folder, a device or an embedded store.

Everything is real: real processes killed, real Ladybug files, a real tmpfs remounted
read-only where this process may mount one.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from biocluster_kg.cli import cli
from biocluster_kg.cypher.ladybug_backend import LadybugBackend
from biocluster_kg.cypher.readback import read_knowledge_base
from biocluster_kg.kernel.errors import BackendError
from biocluster_kg.kernel.model import KnowledgeBase

REPO = Path(__file__).resolve().parent.parent
BIOCLUSTER = Path(sys.executable).with_name("biocluster")
#: Rows the killed write creates: enough for a checkpoint that lasts a while, few enough
#: that recovering it takes seconds.
KILLED_WRITE_ROWS = 5_000
ORGANIZATIONS = "MATCH (n:`Organization`) RETURN count(*) AS n"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_clear_error(
    result: Result | subprocess.CompletedProcess[str], *fragments: str, code: int = 1
) -> None:
    """Exit ``code``, one ``Error: ...`` line holding every fragment, no traceback."""
    if isinstance(result, Result):
        status, output = result.exit_code, result.output
    else:
        status, output = result.returncode, result.stdout + result.stderr
    assert status == code, output
    assert "Traceback" not in output
    error_lines = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert len(error_lines) == 1, output
    for fragment in fragments:
        assert fragment in error_lines[0], output


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the shipped knowledge base; tests copy it, never change it."""
    path = tmp_path_factory.mktemp("shipped") / "kb.lbug"
    result = invoke("load", "--store", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store(shipped_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store" / "kb.lbug"
    path.parent.mkdir()
    shutil.copyfile(shipped_store, path)
    return path


def stored(path: Path) -> KnowledgeBase:
    with LadybugBackend(path) as backend:
        return read_knowledge_base(backend)


def organizations(path: Path) -> int:
    with LadybugBackend(path) as backend:
        return int(backend.run(ORGANIZATIONS).rows[0][0])


# --------------------------------------------------------------------------------------------
# defect 1: a write killed mid-checkpoint
# --------------------------------------------------------------------------------------------


def kill_a_write_mid_checkpoint(store: Path) -> None:
    """Run a large ``cypher --write`` and SIGKILL it while its ``.shadow`` file exists."""
    shadow = store.with_name(store.name + ".shadow")
    write = (
        f"UNWIND range(1, {KILLED_WRITE_ROWS}) AS i "
        "CREATE (:`Organization` {id: 'killed:' + CAST(i AS STRING), name_ja: '仮'})"
    )
    process = subprocess.Popen(
        [str(BIOCLUSTER), "cypher", "--store", str(store), "--write", write],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not shadow.exists():
        if process.poll() is not None:
            pytest.fail(f"the write ended (exit {process.returncode}) before its checkpoint")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("no checkpoint after 120 s")
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert shadow.exists()
    # What issue 19 saw: the engine alone refuses every read-only open now.
    import ladybug

    with pytest.raises(RuntimeError, match="checkpoint recovery is pending"):
        ladybug.Database(str(store), read_only=True)


def test_a_write_killed_mid_checkpoint_is_recovered_by_the_next_query(store: Path) -> None:
    before = organizations(store)
    kill_a_write_mid_checkpoint(store)

    result = subprocess.run(
        [str(BIOCLUSTER), "cypher", "--store", str(store), "--format", "json", ORGANIZATIONS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "was left mid-write by a process that was stopped" in result.stderr
    assert "Traceback" not in result.stderr
    # The killed write had committed: recovery finishes it, all of it.
    assert '"n": ' + str(before + KILLED_WRITE_ROWS) in result.stdout
    assert not store.with_name(store.name + ".shadow").exists()
    # And the next command has nothing left to recover.
    again = invoke("cypher", "--store", str(store), ORGANIZATIONS)
    assert again.exit_code == 0
    assert "mid-write" not in again.output


def test_a_load_always_replaces_a_store_left_mid_write(store: Path, shipped_store: Path) -> None:
    kill_a_write_mid_checkpoint(store)
    result = invoke("load", "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    assert stored(store) == stored(shipped_store)
    leftovers = {p.name for p in store.parent.iterdir()} - {store.name, store.name + ".lock"}
    assert not {n for n in leftovers if n.endswith((".shadow", ".wal", ".wal.checkpoint"))}


def test_a_store_whose_interrupted_write_cannot_be_finished_is_rebuilt_by_load(
    store: Path, shipped_store: Path
) -> None:
    kill_a_write_mid_checkpoint(store)
    # The checkpoint's log damaged as well: recovery itself fails.
    checkpoint_log = store.with_name(store.name + ".wal.checkpoint")
    with checkpoint_log.open("r+b") as handle:
        handle.seek(64)
        handle.write(b"\xff" * 4096)
    read = invoke("cypher", "--store", str(store), ORGANIZATIONS)
    if read.exit_code == 0:
        pytest.skip("this engine version recovers even a damaged checkpoint log")
    assert_clear_error(read, "cannot be recovered", "biocluster load")

    loaded = invoke("load", "--store", str(store))
    assert loaded.exit_code == 0, loaded.output
    assert stored(store) == stored(shipped_store)


# --------------------------------------------------------------------------------------------
# defects 7 and 9: store paths that are not regular files, filesystem errors
# --------------------------------------------------------------------------------------------

STORE_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "load": lambda path: ["load", "--store", str(path)],
    "query": lambda path: ["query", "--store", str(path), "sector_composition"],
    "cypher-write": lambda path: [
        "cypher", "--store", str(path), "--write", "MATCH (n:`Organization`) SET n.note = 'x'"
    ],
}  # fmt: skip


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_character_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can make a device node")
    # The numbers of /dev/null, in a folder of the test's own: nothing of the system at risk.
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))


def make_folder(path: Path) -> None:
    path.mkdir()


#: How each is made, the message and the exit status: a folder given as ``--store`` is a bad
#: option value (click's check, exit 2); the backend refuses it too, for library callers.
NOT_REGULAR = {
    "fifo": (make_fifo, "is not a regular file", 1),
    "character-device": (make_character_device, "is not a regular file", 1),
    "folder": (make_folder, "is a directory", 2),
}


@pytest.mark.parametrize("command", sorted(STORE_COMMANDS))
@pytest.mark.parametrize("kind", sorted(NOT_REGULAR))
def test_a_store_path_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, kind: str, command: str
) -> None:
    path = tmp_path / "kb.lbug"
    make, message, code = NOT_REGULAR[kind]
    make(path)
    before = path.lstat()
    assert_clear_error(invoke(*STORE_COMMANDS[command](path)), str(path), message, code=code)
    after = path.lstat()
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (
        stat.S_IFMT(before.st_mode),
        before.st_ino,
    )


def test_the_backend_refuses_a_folder_as_a_store(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="is a folder, not a store file"):
        LadybugBackend(tmp_path).load(KnowledgeBase(), progress=False)
    assert tmp_path.is_dir()


@pytest.mark.parametrize("command", sorted(STORE_COMMANDS))
def test_a_store_folder_that_is_a_file_is_a_clear_error(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me\n", encoding="utf-8")
    path = blocker / "kb.lbug"
    assert_clear_error(invoke(*STORE_COMMANDS[command](path)), str(path), "is a file")
    assert blocker.read_text(encoding="utf-8") == "keep me\n"


def test_a_symlinked_store_is_followed_and_stays_a_link(store: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.lbug"
    link.symlink_to(store)
    before = organizations(store)
    written = invoke(
        "cypher", "--store", str(link), "--write",
        "CREATE (:`Organization` {id: 'org:via-link', name_ja: '経由'})",
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    assert link.is_symlink() and link.resolve() == store.resolve()
    assert organizations(store) == before + 1

    # A load through the link replaces the target; the link and its target agree.
    loaded = invoke("load", "--store", str(link))
    assert loaded.exit_code == 0, loaded.output
    assert link.is_symlink() and link.resolve() == store.resolve()
    assert organizations(store) == before
    assert organizations(link) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".link.lbug")]


@pytest.fixture
def read_only_filesystem(tmp_path: Path, shipped_store: Path) -> Iterator[Path]:
    """A store on a tmpfs remounted read-only (EROFS for real); skipped where mounting is not
    allowed."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        store = mount_point / "kb.lbug"
        shutil.copyfile(shipped_store, store)
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True, timeout=60)
        yield store
    finally:
        subprocess.run(["umount", str(mount_point)], check=True, timeout=60)


@pytest.mark.parametrize("command", ["load", "cypher-write"])
def test_a_read_only_filesystem_is_a_clear_error(read_only_filesystem: Path, command: str) -> None:
    store = read_only_filesystem
    before = store.read_bytes()
    assert_clear_error(invoke(*STORE_COMMANDS[command](store)), str(store), "Read-only file system")
    assert store.read_bytes() == before


@pytest.mark.parametrize("mode", [0o555, 0o444], ids=["folder-555", "file-444"])
def test_a_store_folder_or_file_without_write_permission_is_a_clear_error(
    store: Path, mode: int
) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: permissions do not stop root (EROFS is tested instead)")
    target = store.parent if mode == 0o555 else store
    before = store.read_bytes()
    target.chmod(mode)
    try:
        assert_clear_error(invoke(*STORE_COMMANDS["load"](store)), str(store), "Permission")
    finally:
        target.chmod(0o755 if mode == 0o555 else 0o644)
    assert store.read_bytes() == before


# --------------------------------------------------------------------------------------------
# defect 10 (and 7 for outputs): atomic outputs
# --------------------------------------------------------------------------------------------


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Ignored, SIGXFSZ would kill the process: the write fails with EFBIG, as a full disk
        # fails with ENOSPC, and the process must report it.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


OUTPUT_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "viz": lambda path: ["viz", "-o", str(path)],
    "export-graph-json": lambda path: ["export", "graph", "--format", "json", "-o", str(path)],
    "export-stakeholders-xlsx": lambda path: [
        "export", "stakeholders", "--format", "xlsx", "-o", str(path)
    ],
    "export-stakeholders-csv": lambda path: ["export", "stakeholders", "-o", str(path)],
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_a_full_disk_keeps_the_old_output_and_leaves_nothing_beside_it(
    tmp_path: Path, command: str
) -> None:
    output = tmp_path / "out" / "the-output"
    output.parent.mkdir()
    output.write_bytes(b"the old output\n")
    result = subprocess.run(
        [str(BIOCLUSTER), *OUTPUT_COMMANDS[command](output)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        # Every output is larger than 4 KiB: the write fails part-way, as on a full disk.
        preexec_fn=_limit_file_size(4096),
    )
    assert_clear_error(result, "cannot write", str(output))
    assert output.read_bytes() == b"the old output\n"
    assert sorted(p.name for p in output.parent.iterdir()) == ["the-output"]


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_an_output_never_replaces_a_store_a_folder_or_a_device(
    tmp_path: Path, shipped_store: Path, command: str
) -> None:
    store = tmp_path / "kb.lbug"
    shutil.copyfile(shipped_store, store)
    digest = store.read_bytes()
    assert_clear_error(invoke(*OUTPUT_COMMANDS[command](store)), str(store), "embedded")
    assert store.read_bytes() == digest

    folder = tmp_path / "a-folder"
    folder.mkdir()
    # Refused by click for some commands (a bad option value, exit 2), by the writer for others.
    folder_result = invoke(*OUTPUT_COMMANDS[command](folder))
    assert_clear_error(folder_result, str(folder), code=folder_result.exit_code or 1)
    assert folder_result.exit_code in (1, 2)
    assert folder.is_dir()

    fifo = tmp_path / "a-pipe"
    os.mkfifo(fifo)
    assert_clear_error(invoke(*OUTPUT_COMMANDS[command](fifo)), str(fifo), "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_an_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "pages" / "network.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "network.html"
    link.symlink_to(target)
    result = invoke("viz", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in target.parent.iterdir()) == ["network.html"]


# A writer that stops inside the write (its bytes written, not yet renamed) until it is killed.
_STALLED_WRITER = """
import os, sys, time
from pathlib import Path
from biocluster_kg.kernel import files
def stall(descriptor):
    print("writing", flush=True)
    time.sleep(600)
files.os.fsync = stall
files.atomic_write(Path(sys.argv[1]), b"the new output that never lands")
"""


def _stalled_writer(output: Path) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", _STALLED_WRITER, str(output)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    return writer


def test_a_writer_killed_mid_write_leaves_a_file_the_next_write_removes(tmp_path: Path) -> None:
    output = tmp_path / "network.html"
    output.write_text("the old output", encoding="utf-8")
    killed = _stalled_writer(output)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    orphans = [p.name for p in tmp_path.iterdir() if p != output]
    assert len(orphans) == 1 and orphans[0].endswith(".partial"), orphans
    assert output.read_text(encoding="utf-8") == "the old output"
    # Another writer of the same output is still running: its file must stay.
    running = _stalled_writer(output)
    try:
        result = invoke("viz", "-o", str(output))
        assert result.exit_code == 0, result.output
        left = sorted(p.name for p in tmp_path.iterdir() if p != output)
        assert len(left) == 1 and f".{running.pid}." in left[0], left
        assert orphans[0] not in left
    finally:
        running.kill()
        running.wait(timeout=30)
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
