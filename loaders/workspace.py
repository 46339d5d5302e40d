"""Workspaces: a folder that holds one cluster's profile, its sources and its curated facts.

::

    DIR/cluster.yaml          titles, the focal institute, company kinds, the budget root
    DIR/sources/sources.yaml  the registry of the source documents, copied into DIR/sources/
    DIR/kb/                   the curated facts (YAML files, planners' CSV pairs)

The shipped Yamagata knowledge base is simply the default workspace
(:func:`biocluster_kg.kernel.cluster.default_data_dir`). Nothing is written unless every
check passed first: a bad file, a duplicate source id or an existing workspace changes nothing.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
import unicodedata
from contextlib import suppress
from pathlib import Path

import yaml

from biocluster_kg.kernel.cluster import CLUSTER_FILE
from biocluster_kg.kernel.errors import SourceError, ValidationError
from biocluster_kg.kernel.files import atomic_write, filesystem_message
from biocluster_kg.kernel.schema import first_not_text, line_and_column, text_problem
from biocluster_kg.loaders.sources import SOURCES_FILE
from biocluster_kg.loaders.tables import TABLE_SUFFIXES, read_table
from biocluster_kg.loaders.yaml_records import MAX_FILE_BYTES, read_plain_yaml

__all__ = ["SourceEntry", "add_source", "init_workspace", "source_id_for"]

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_TEXT_SUFFIXES = (".txt", ".md", ".text")


_CLUSTER_TEMPLATE = (
    "# The cluster profile (see the shipped workspace's cluster.yaml for every field):\n"
    "# institute: org:ID          the focal institute the company routes lead to\n"
    "# budget_root: prog:ID       the budget at the top of the budget tree\n"
    "# company_kinds:             the kinds that count as companies, per label\n"
    "#   Organization: [company, venture]\n"
    "# require_complete: true     refuse, not only report, what the sources state and no\n"
    "#                            fact carries yet (a partial curation then fails check)\n"
)
_REGISTRY_TEMPLATE = (
    "# The sources the knowledge base cites; add one with `biocluster source add FILE`.\n"
    "sources: []\n"
)


def _cannot(what: Path, error: OSError) -> SourceError:
    return SourceError(f"cannot write {what}: {filesystem_message(error)}")


def init_workspace(folder: Path, title_ja: str, title_en: str) -> list[Path]:
    """Create an empty workspace in ``folder`` (new or empty); returns the files written.

    The workspace is built in a hidden folder beside ``folder`` and renamed into place in
    one step: a failed, killed or full-disk ``init`` leaves no half workspace that a
    second ``init`` would refuse as "not empty"."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SourceError(f"{folder} exists and is not an empty folder; choose a new one")
    for name, value in (("--title-ja", title_ja), ("--title-en", title_en)):
        if not value.strip():
            raise SourceError(f"{name} is empty")
        problem = text_problem(value)
        if problem is not None:
            raise SourceError(f"{name}: {problem}")
    profile = {"title_ja": title_ja.strip(), "title_en": title_en.strip()}
    files = {
        CLUSTER_FILE: _CLUSTER_TEMPLATE
        + yaml.safe_dump(profile, allow_unicode=True, sort_keys=False),
        f"sources/{SOURCES_FILE}": _REGISTRY_TEMPLATE,
    }
    building: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(
            tempfile.mkdtemp(prefix=f".{folder.name}.{os.getpid()}.", dir=folder.parent)
        )
        (building / "sources").mkdir()
        (building / "kb").mkdir()
        for name, text in files.items():
            atomic_write(building / name, text.encode("utf-8"), error=SourceError)
        building.chmod(0o777 & ~_umask())
        # rename(2) replaces an empty folder; a folder filled meanwhile is refused.
        os.replace(building, folder)
        building = None
    except OSError as error:
        raise _cannot(folder, error) from None
    except SourceError as error:
        raise SourceError(f"cannot write {folder}: {str(error).rsplit(': ', 1)[-1]}") from None
    finally:
        if building is not None:
            shutil.rmtree(building, ignore_errors=True)
    return [folder / name for name in files]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _text_heading(file: Path) -> str:
    """The first line of a UTF-8 text source (its default title); refuses anything else,
    naming line and column (:func:`source_text`), and a text larger than the loader reads."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(
            f"{file}: the file is {size:,} bytes; a source text is at most {MAX_FILE_BYTES:,} "
            "(the loader would refuse it): split it into several sources"
        )
    text = source_text(file, file.read_bytes())
    if not text.strip():
        raise SourceError(f"{file}: the file is empty")
    return text.strip().splitlines()[0].strip()


def _table_heading(file: Path) -> str:
    """A table source's default title (its file name), once the whole table has been read
    as the loader reads it: a bad file is refused here, naming the row and the column."""
    read_table(file, str(file))
    return file.stem


def source_id_for(path: Path) -> str:
    """A source id from a file name: lower case ASCII, dashes for the rest."""
    stem = unicodedata.normalize("NFKC", path.stem).lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", stem).strip("-.")
    return slug or "source"


class SourceEntry(dict[str, str]):
    """One registry entry, as written to ``sources.yaml``."""


def _registry(folder: Path) -> tuple[Path, list[dict[str, object]]]:
    registry = folder / "sources" / SOURCES_FILE
    if not registry.is_file():
        raise SourceError(f"{folder} is not a workspace (no sources/{SOURCES_FILE}); run init")
    try:
        # The one strict reader: a key given twice or a tag is refused with its line.
        data = read_plain_yaml(registry, f"sources/{SOURCES_FILE}")
    except ValidationError as error:
        raise SourceError(f"cannot read the registry: {error.problems[0]}") from None
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SourceError(f"sources/{SOURCES_FILE}: sources: expected a list")
    return registry, entries


def source_text(file: Path, raw: bytes) -> str:
    """The text of a source document, refused at copy time, naming line and column, if it is
    not UTF-8 or holds a character the schema's text type refuses (a control character, an
    encoded lone surrogate, a noncharacter): the loader would refuse the workspace later."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw[: error.start].count(b"\n") + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        byte = raw[error.start]
        follower = raw[error.start + 1] if error.start + 1 < len(raw) else 0
        # UTF-8 of U+D800..U+DFFF: ED A0..BF xx. Valid UTF-8 never holds one.
        what = ", an encoded lone surrogate" if byte == 0xED and 0xA0 <= follower <= 0xBF else ""
        raise SourceError(
            f"{file}:{line}: not UTF-8 text; save it as UTF-8 "
            f"(column {column}, byte 0x{byte:02x}{what})"
        ) from None
    found = first_not_text(text, multiline=True)
    if found is not None:
        index, what = found
        line, column = line_and_column(text, index)
        raise SourceError(
            f"{file}:{line}: contains {what} (column {column}): not allowed in a source "
            "document; remove it and add the file again"
        )
    return text


def add_source(
    folder: Path,
    file: Path,
    *,
    source_id: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
) -> SourceEntry:
    """Copy a source into the workspace and register it; returns its entry.

    The file must be UTF-8 text, or a table (CSV in UTF-8, XLSX) the loader can read whole;
    its id must be new to the workspace. The registry is
    appended to, so its comments stay as they are.
    """
    folder, file = Path(folder), Path(file)
    registry, entries = _registry(folder)
    if not file.is_file():
        raise SourceError(f"{file}: no such file")
    suffix = file.suffix.lower()
    if suffix not in (*_TEXT_SUFFIXES, *TABLE_SUFFIXES):
        raise SourceError(
            f"{file}: a source is a text document ({', '.join(_TEXT_SUFFIXES)}) or a table "
            f"({', '.join(TABLE_SUFFIXES)}); save other formats as one of those first"
        )
    first_line = _table_heading(file) if suffix in TABLE_SUFFIXES else _text_heading(file)
    source_id = source_id or source_id_for(file)
    if not _ID.match(source_id):
        raise SourceError(f"--id {source_id!r}: use lower-case letters, digits, '.', '-', '_'")
    if any(isinstance(e, dict) and e.get("id") == source_id for e in entries):
        raise SourceError(f"sources/{SOURCES_FILE}: a source with id {source_id!r} exists")
    target = folder / "sources" / file.name
    raw = file.read_bytes()
    if target.exists() or target.is_symlink():
        registered = any(isinstance(e, dict) and e.get("file") == file.name for e in entries)
        # An unregistered copy with the same bytes is what an interrupted add leaves: it is
        # taken over; anything else is someone's file and stays.
        if registered or not target.is_file() or target.read_bytes() != raw:
            raise SourceError(
                f"sources/{file.name} exists; rename the file or give it another name"
            )
    if date is not None:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise SourceError(f"--date {date!r}: expected a date like 2014-03-31") from None
    shown_title = (title if title is not None else first_line).strip()[:200].strip()
    for option, value in (("--title", shown_title), ("--publisher", publisher)):
        if value is None:
            continue
        if not value.strip():
            raise SourceError(f"{option} is blank: give the text or leave the option out")
        # As the registry's loader reads it (tab and line breaks are text there).
        problem = text_problem(value, multiline=True)
        if problem is not None:
            raise SourceError(f"{option}: {problem}")
    entry = SourceEntry(
        id=source_id,
        file=file.name,
        title=shown_title,
        **({"publisher": publisher.strip()} if publisher else {}),
        **({"date": date} if date else {}),
        origin=f"Added with `biocluster source add` from {file.name}.",
    )
    listing = registry.read_text(encoding="utf-8")
    block = yaml.safe_dump([dict(entry)], allow_unicode=True, sort_keys=False, width=96)
    indented = "".join(f"  {line}\n" for line in block.splitlines())
    if re.search(r"^sources:\s*\[\]\s*$", listing, flags=re.M):
        listing = re.sub(r"^sources:\s*\[\]\s*$", "sources:", listing, flags=re.M)
    listing = listing.rstrip("\n") + "\n" + indented
    # The copy first, the registry last, each written whole: a failure or a kill leaves the
    # registry as it was (a copy it does not list is taken over by the next add).
    atomic_write(target, raw, error=SourceError, what="source copy")
    try:
        atomic_write(registry, listing.encode("utf-8"), error=SourceError, what="registry")
    except SourceError:
        with suppress(OSError):
            target.unlink()
        raise
    return entry
