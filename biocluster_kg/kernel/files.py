"""Writing output files so that a failure never leaves half of one in place of the old one.

Every file a command writes (a page, an export, a workbook, a figure, a draft) goes through
:func:`atomic_write`: the bytes go to a temporary file in the same folder, are flushed to
disk (``fsync``) and only then renamed over the target, so a reader sees the old file or
the new one. A failure, a full disk or a signal removes the temporary file and keeps the old
one. A writer killed outright (SIGKILL, a power cut) cannot remove its temporary file: the
file names its writer's process id, and the next write of the same output removes those
whose writer is gone. A symlinked target is followed (the link stays a link); a target that
is not a regular file (a folder, a device, a pipe) or that is an embedded store is refused
before anything is written.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = atomic_write(pathlib.Path(folder) / "out.txt", "新しい".encode())
...     path.read_text(encoding="utf-8"), sorted(p.name for p in path.parent.iterdir())
('新しい', ['out.txt'])
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from glob import escape as glob_escape
from pathlib import Path

from biocluster_kg.kernel.errors import BioclusterError

__all__ = ["EMBEDDED_STORE_MAGIC", "atomic_write", "check_output_path", "filesystem_message"]

#: The first bytes of a Ladybug database file: an output never replaces a store.
EMBEDDED_STORE_MAGIC = b"LBUG"


def filesystem_message(error: OSError) -> str:
    """The reason of an ``OSError`` in words (``Read-only file system``), without its path."""
    return error.strerror or type(error).__name__


def check_output_path(
    output: Path, *, error: type[BioclusterError] = BioclusterError, what: str = "output"
) -> Path:
    """The regular file ``output`` names (symlinks followed), or ``error`` saying why not.

    A missing file is fine (it will be created); its folder may be missing too.
    """
    target = Path(os.path.realpath(output))
    cannot = _cannot_write(output, what)
    try:
        info = target.stat()
    except FileNotFoundError:
        return target
    except OSError as failure:
        raise error(f"{cannot}: {filesystem_message(failure)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{cannot}: it is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{cannot}: not a regular file (a device, a pipe or a socket)")
    try:
        with target.open("rb") as handle:
            head = handle.read(len(EMBEDDED_STORE_MAGIC))
    except OSError:
        head = b""
    if head == EMBEDDED_STORE_MAGIC:
        raise error(f"{cannot}: it is an embedded knowledge base store; refusing to overwrite it")
    return target


def atomic_write(
    output: Path,
    content: bytes,
    *,
    error: type[BioclusterError] = BioclusterError,
    what: str = "output",
) -> Path:
    """Write ``content`` to ``output`` atomically and return ``output``.

    Any failure raises ``error`` naming ``output``; the old file, if any, is unchanged and
    no temporary file is left.
    """
    target = check_output_path(output, error=error, what=what)
    descriptor = -1
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=_PARTIAL, dir=target.parent
        )
        temporary = Path(name)
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
        os.close(descriptor)
        descriptor = -1
        # mkstemp makes the file 0600; an output is as readable as any new file would be.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
        temporary = None
        _sync_folder(target.parent)
        _sweep_orphans(target)
    except OSError as failure:
        raise error(f"{_cannot_write(output, what)}: {filesystem_message(failure)}") from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        if temporary is not None:
            with suppress(OSError):
                temporary.unlink()
    return output


_PARTIAL = ".partial"


def _sweep_orphans(target: Path) -> None:
    """Remove the temporary files of ``target`` left by writers that no longer run.

    A file of a writer still running (another command writing the same output at this
    moment) is kept; so is any name this writer did not make.
    """
    prefix = f".{target.name}."
    for candidate in target.parent.glob(f"{glob_escape(prefix)}*{_PARTIAL}"):
        pid_text = candidate.name[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        with suppress(OSError):
            candidate.unlink()


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _cannot_write(output: Path, what: str) -> str:
    return f"cannot write {output}" if what == "output" else f"cannot write the {what} to {output}"


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some filesystems cannot sync a folder, which is fine."""
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
