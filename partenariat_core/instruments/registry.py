"""The activities a running app offers, re-read when a file changes (issue 11.2).

A host saves an activity in the editor; every page of this process, and a second replica reading the
same data folder, must see it without a restart. So the registry is a read-only mapping (id →
instrument) that re-reads its folders when a file's name, size or mtime changed, checking at most
once per ``check_every`` seconds (a stat of a handful of files), and at once after ``refresh()``.
A folder that turned bad since (a broken file dropped in by hand) keeps the last good set and says
why in ``problem``: a running workshop never loses its activities because of a new file. At start,
as before, any bad file stops the app (``InstrumentRegistry.load`` raises).

Each instrument's file text is kept too: a session stores the definitions it used (``session_copy``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from partenariat_core.errors import InstrumentError
from partenariat_core.instruments.loader import BUILTIN_DIR, parse_text
from partenariat_core.instruments.model import Instrument

SHIPPED, FOLDER, EDITOR = "shipped", "folder", "editor"  # where an activity's file comes from


@dataclass(frozen=True)
class Entry:
    instrument: Instrument
    path: Path
    origin: str  # SHIPPED, FOLDER or EDITOR
    text: str  # the file as read


Signature = tuple[tuple[str, int, int], ...]


def _files(folders: Sequence[tuple[Path, str]]) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for folder, origin in folders:
        if not folder.is_dir():
            raise InstrumentError(str(folder), "(folder)", "error.instrument_no_folder")
        out.extend((path, origin) for path in sorted(folder.glob("*.toml")))
    return out


def _signature(files: Sequence[tuple[Path, str]]) -> Signature:
    stamps = []
    for path, _origin in files:
        try:
            info = path.stat()
        except OSError:
            continue
        stamps.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamps)


def read_entries(folders: Sequence[tuple[Path, str]]) -> dict[str, Entry]:
    """Every file of the shipped folder then of ``folders``, all or nothing, as ``load_instruments``:
    a duplicate id is an error naming both files."""
    found: dict[str, Entry] = {}
    for path, origin in _files([(BUILTIN_DIR, SHIPPED), *folders]):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InstrumentError(path.name, "(file)", "error.instrument_unreadable") from exc
        instrument = parse_text(text, path.name)
        if instrument.id in found:
            other = found[instrument.id].instrument.source
            raise InstrumentError(
                path.name, "id", "error.instrument_duplicate_instrument", value=instrument.id, other=other
            )
        found[instrument.id] = Entry(instrument, path, origin, text)
    return found


class InstrumentRegistry(Mapping[str, Instrument]):
    """id → instrument, as the folders hold them now (see the module docstring). Thread-safe."""

    def __init__(self, folders: Sequence[tuple[Path, str]] = (), *, check_every: float = 1.0) -> None:
        self.folders = tuple((Path(f), origin) for f, origin in folders)
        self.check_every = check_every
        self.problem: InstrumentError | None = None
        self._lock = threading.Lock()
        self._entries = read_entries(self.folders)
        self._signature = _signature(_files([(BUILTIN_DIR, SHIPPED), *self.folders]))
        self._checked = time.monotonic()

    @classmethod
    def load(cls, *, extra: Path | None = None, editor: Path | None = None) -> InstrumentRegistry:
        """The shipped activities, a host's folder (``instruments_dir``) and the editor's folder."""
        folders: list[tuple[Path, str]] = []
        if extra is not None:
            folders.append((extra, FOLDER))
        if editor is not None and (extra is None or Path(extra).resolve() != Path(editor).resolve()):
            folders.append((editor, EDITOR))
        return cls(folders)

    def refresh(self, *, force: bool = True) -> None:
        """Re-read the folders if a file changed (``force``: check now, not at the next interval)."""
        now = time.monotonic()
        if not force and now - self._checked < self.check_every:
            return
        with self._lock:
            self._checked = now
            signature: Signature = ()
            try:
                signature = _signature(_files([(BUILTIN_DIR, SHIPPED), *self.folders]))
                if signature == self._signature:
                    return
                self._entries = read_entries(self.folders)
                self.problem = None
            except InstrumentError as exc:
                self.problem = exc  # keep the last good set; read again once the files change
            self._signature = signature

    def entries(self) -> dict[str, Entry]:
        self.refresh(force=False)
        return self._entries

    def current(self) -> dict[str, Instrument]:
        """A plain dict of what is offered now (a snapshot: it does not change under its reader)."""
        return {ident: entry.instrument for ident, entry in self.entries().items()}

    def entry(self, ident: str) -> Entry | None:
        return self.entries().get(ident)

    def text(self, ident: str) -> str | None:
        entry = self.entry(ident)
        return entry.text if entry is not None else None

    def __getitem__(self, ident: str) -> Instrument:
        return self.entries()[ident].instrument

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.entries()))

    def __len__(self) -> int:
        return len(self.entries())

    def __contains__(self, ident: object) -> bool:
        return ident in self.entries()
