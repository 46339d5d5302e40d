"""The embedded store's files on disk: which file a store path names, and the errors of the
filesystem under it in words.

* A store path may be a symlink: the store is its target (loads replace the target, the link
  stays), so the link and the file it points at never hold two knowledge bases.
* A store path that is a folder, a device, a pipe or a socket is refused before anything is
  opened or written: ``--store /dev/null`` never replaces a device with a database.
* A filesystem error (read-only filesystem, no permission, a store folder that is a file, a
  full disk) is a :class:`~biocluster_kg.kernel.errors.BackendError` naming the path and the
  reason, never a traceback.
* A writer killed while the engine checkpoints leaves ``<store>.shadow`` and
  ``<store>.wal.checkpoint``: the engine refuses read-only opens until a read-write open has
  finished the checkpoint (:data:`RECOVERY_PENDING`). The backend does that recovery itself.

>>> side_file(Path("store/kb.lbug"), ".shadow")
PosixPath('store/kb.lbug.shadow')
>>> try:
...     store_file(Path("/dev/null"))
... except BackendError as error:
...     print(str(error)[:52])
the embedded store /dev/null is not a regular file (
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from biocluster_kg.kernel.errors import BackendError
from biocluster_kg.kernel.files import filesystem_message

__all__ = [
    "RECOVERY_PENDING",
    "RECOVERY_FILES",
    "LADYBUG_MAGIC",
    "check_store_contents",
    "TORN_LOG",
    "filesystem_errors",
    "side_file",
    "store_file",
]

#: The engine's words for a store whose last checkpoint was interrupted.
RECOVERY_PENDING = re.compile(r"checkpoint recovery is pending", re.IGNORECASE)

#: The engine's words for a write-ahead log torn by a writer killed while it wrote it (or by
#: a full disk): the engine then refuses every open, read-only or not, until the log is
#: replayed up to the tear (the backend does it, keeping a copy of the log).
TORN_LOG = re.compile(r"Checksum verification failed|WAL file is corrupted", re.IGNORECASE)

#: The side files an interrupted checkpoint leaves; they belong to the file they were made
#: for and must never be replayed onto another one.
RECOVERY_FILES = (".wal", ".shadow", ".wal.checkpoint")


def side_file(path: Path, suffix: str) -> Path:
    """``<store><suffix>`` beside the store (``kb.lbug`` -> ``kb.lbug.wal``)."""
    return path.with_name(path.name + suffix)


def store_file(path: Path) -> Path:
    """The file ``path`` stores the knowledge base in: symlinks followed, checked to be a
    regular file (or not there yet) in a folder (or one that can be made)."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise BackendError(
            f"cannot use the embedded store {path}: a folder on its path is a file"
        ) from None
    except OSError as error:
        raise BackendError(
            f"cannot use the embedded store {path}: {filesystem_message(error)}"
        ) from None
    if info is None:
        parent = next((p for p in target.parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise BackendError(
                f"cannot use the embedded store {path}: {parent} is a file, not a folder"
            )
        return target
    if stat.S_ISDIR(info.st_mode):
        raise BackendError(
            f"the embedded store {path} is a folder, not a store file; "
            f"give a file name such as {Path(path) / 'knowledge.lbug'}"
        )
    if not stat.S_ISREG(info.st_mode):
        raise BackendError(
            f"the embedded store {path} is not a regular file (a device, a pipe or a "
            "socket); refusing to open or replace it"
        )
    return target


#: The first bytes of every Ladybug database file.
LADYBUG_MAGIC = b"LBUG"


def check_store_contents(path: Path, shown: Path, *, empty_is_new: bool = False) -> None:
    """Refuse a file that is not a Ladybug database before anything opens or locks it: an
    empty file (unless ``empty_is_new``: a load may fill it) or one with other contents (a
    mistyped ``--store`` naming a document is never replaced, and no lock file is left
    beside it)."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(LADYBUG_MAGIC))
    except FileNotFoundError:
        return
    except OSError as error:
        raise BackendError(
            f"cannot read the embedded store {shown}: {filesystem_message(error)}"
        ) from None
    if not head:
        if empty_is_new:
            return
        raise BackendError(
            f"the embedded store {shown} is an empty file, not a knowledge base; "
            f"run `biocluster load --store {shown}` to build one"
        )
    if head != LADYBUG_MAGIC:
        raise BackendError(
            f"{shown} is not an embedded store (not a Ladybug database file); "
            "refusing to open or replace it: give the path of a store, or a new file"
        )


@contextmanager
def filesystem_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn an ``OSError`` into a :class:`BackendError`: ``cannot DOING PATH: REASON``."""
    try:
        yield
    except OSError as error:
        named = error.filename
        where = f" ({named})" if named and str(named) != str(path) else ""
        raise BackendError(
            f"cannot {doing} the embedded store {path}{where}: {filesystem_message(error)}"
        ) from None
