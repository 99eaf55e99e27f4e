"""What every exporter takes and gives back.

An exporter is a function ``(SessionData, lang) -> ExportFile``: the page hands the bytes to a download
button, the command line writes them to a folder, and tests open them. Reading the store happens once,
in ``load_session_data``, so every format of one export shows the same events.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from partenariat_core.errors import PartenariatError, SessionError
from partenariat_core.export.safety import safe_filename
from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.scoring import SessionSummary, summarize
from partenariat_core.store.base import Store

TITLE_CHARS = 48


class ExportUnavailable(PartenariatError):
    """A format cannot be produced on this machine (PNG and PDF need a Chrome or Chromium)."""

    key = "export.err_unavailable"


class ArchiveError(PartenariatError):
    """A JSON archive cannot be imported; nothing was written."""

    key = "export.err_archive"


@dataclass(frozen=True)
class ExportFile:
    name: str  # already safe on every file system
    mime: str
    data: bytes


@dataclass(frozen=True)
class SessionData:
    """One session as read from the store: its definition, every event, and their summary."""

    session: Session
    events: tuple[Event, ...]
    instruments: Mapping[str, Instrument]
    summary: SessionSummary
    threshold: int

    @property
    def used_instruments(self) -> list[Instrument]:
        """The session's instruments that this app knows, in session order, plus the sector question."""
        ids = [*self.session.instruments, *(["profile"] if self.session.sectors else [])]
        return [self.instruments[i] for i in ids if i in self.instruments]


def session_data(
    session: Session, events: Sequence[Event], instruments: Mapping[str, Instrument], threshold: int = 3
) -> SessionData:
    from partenariat_core.instruments.session_copy import session_instruments

    events = tuple(events)
    instruments = session_instruments(session, events, instruments)  # the session's own copies first
    return SessionData(
        session, events, instruments, summarize(session, events, instruments, threshold), threshold
    )


def load_session_data(
    store: Store, instruments: Mapping[str, Instrument], code: str, threshold: int = 3
) -> SessionData:
    """Read one session and all its events; ``SessionError`` when the code is unknown."""
    session = store.get_session(code)
    if session is None:
        raise SessionError("error.session_unknown", code=code)
    return session_data(session, store.read_events(code), instruments, threshold)


def base_name(session: Session, *parts: str) -> str:
    """``2019-11-28 GARDEZ rapport Orchestrer l'action…``: sorts by date, says what it is; the title is
    shortened so the distinguishing parts survive the length cap. Made safe by the caller."""
    title = session.title if len(session.title) <= TITLE_CHARS else session.title[: TITLE_CHARS - 1] + "…"
    return " ".join([session.date.isoformat(), session.code, *parts, title])


def file_for(session: Session, extension: str, mime: str, data: bytes, *parts: str) -> ExportFile:
    return ExportFile(safe_filename(base_name(session, *parts), extension), mime, data)


def zip_files(name: str, files: Sequence[ExportFile]) -> ExportFile:
    """Several files in one download; names inside are already safe and made unique here."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    stamp = dt.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            inner, n = file.name, 1
            while inner.lower() in seen:
                n += 1
                stem, dot, ext = file.name.rpartition(".")
                inner = f"{stem} ({n}).{ext}" if dot else f"{file.name} ({n})"
            seen.add(inner.lower())
            info = zipfile.ZipInfo(inner, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # names are UTF-8 (accents shown right by Windows' unzip)
            archive.writestr(info, file.data)
    return ExportFile(name, "application/zip", buffer.getvalue())
