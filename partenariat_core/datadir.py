"""The data folder: checked once at start, so a wrong setting stops the app with a plain sentence
("is a file, not a folder", "read-only") instead of a SQLite error on the first participant's answer.

It holds answers, the host passcode and the pseudonym key, so it is created readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from partenariat_core.errors import ConfigError

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def ensure_data_dir(path: Path) -> Path:
    """Create ``path`` (owner-only) if needed and prove it can be written to."""
    path = Path(path)
    try:
        if path.exists() and not path.is_dir():
            raise ConfigError("error.data_dir_not_folder", path=str(path))
        path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except (NotADirectoryError, FileExistsError):
        raise ConfigError("error.data_dir_not_folder", path=str(path)) from None
    except OSError as exc:  # a parent we may not enter (EACCES), a full or read-only disk
        raise ConfigError(
            "error.data_dir_unusable", path=str(path), problem=exc.strerror or str(exc)
        ) from None
    try:  # os.access is no proof (root, read-only mounts): write and remove a real file
        fd, probe = tempfile.mkstemp(dir=path, prefix=".write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError:
        raise ConfigError("error.data_dir_read_only", path=str(path)) from None
    return path


EDITOR_INSTRUMENTS = "instruments"  # the activities a host makes in the editor (issue 11.2)


def ensure_private_folder(data_dir: Path, name: str) -> Path:
    """``data_dir/name``, created owner-only like the data folder itself (``name`` is ours, never a
    person's: no path from the user reaches here)."""
    path = Path(data_dir) / name
    try:
        path.mkdir(mode=FOLDER_MODE, exist_ok=True)
        if not path.is_dir():
            raise ConfigError("error.data_dir_not_folder", path=str(path))
    except FileExistsError:
        raise ConfigError("error.data_dir_not_folder", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(
            "error.data_dir_unusable", path=str(path), problem=exc.strerror or str(exc)
        ) from None
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists (SQLite then gives its
    journal and WAL files the same permissions)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def write_once(path: Path, text: str) -> str:
    """Put ``text`` in a new owner-only file at ``path`` unless one is there, and return what the file
    holds. Several processes starting at once on an empty data folder (replicas) all get the same
    content: the file appears whole (written aside, then hard-linked into place, which fails if it
    exists), never empty or half-written."""
    path = Path(path)
    fd, aside = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: its content wins
            os.link(aside, path)
    finally:
        os.unlink(aside)
    return path.read_text(encoding="utf-8")
