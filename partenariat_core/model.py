"""Sessions and response events.

Responses are append-only events in long format, one row per (participant, instrument, item) answer:
easy to store in any backend (a SQLite table, a spreadsheet a person can pivot), and history is never
overwritten. A participant's current answer to a scale item is their latest event for it; each
keep/throw card is its own event. ``submission_id`` is made by the client, so a double tap or a retry
of the same submit is recognised and stored once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from partenariat_core.agenda import Agenda
from partenariat_core.codes import new_join_code

DEFAULT_INSTRUMENTS: tuple[str, ...] = ("keep_throw", "conditions", "continuum")
PROFILE = "profile"  # the optional sector question is an instrument like the others


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Session:
    """One workshop activity. Frozen: change it with ``dataclasses.replace`` and ``Store.save_session``."""

    code: str
    title: str
    date: dt.date = field(default_factory=lambda: utcnow().date())
    language: str = "fr"
    instruments: tuple[str, ...] = DEFAULT_INSTRUMENTS
    keep_throw_preset: str = "garder_jeter"
    sectors: tuple[str, ...] = ()  # empty: no sector question
    is_open: bool = True
    hidden_boards: tuple[str, ...] = ()  # boards the host has not revealed yet
    created_at: dt.datetime = field(default_factory=utcnow)
    # Bumped by the store on every save: a save made from an older copy (a second host tab, the
    # command line) is refused instead of silently undoing the other change (compare-and-set).
    version: int = 0
    # The host's agenda (steps, guided mode, countdown, screen key): one JSON field of the record.
    agenda: Agenda = field(default_factory=Agenda)
    # New cards wait in the host's approval queue before the room sees them (issue 10.1).
    cards_need_approval: bool = False

    @classmethod
    def new(cls, title: str, **fields: Any) -> Session:
        return cls(code=new_join_code(), title=title, **fields)

    def with_changes(self, **fields: Any) -> Session:
        return replace(self, **fields)

    def to_record(self) -> dict[str, str]:
        """Flat strings, so the same record fits a SQL row and a spreadsheet row."""
        return {
            "code": self.code,
            "title": self.title,
            "date": self.date.isoformat(),
            "language": self.language,
            "instruments": " ".join(self.instruments),
            "keep_throw_preset": self.keep_throw_preset,
            "sectors": " ".join(self.sectors),
            "is_open": "1" if self.is_open else "0",
            "hidden_boards": " ".join(self.hidden_boards),
            "created_at": self.created_at.isoformat(),
            "version": str(self.version),
            "agenda": self.agenda.to_json(),
            "cards_need_approval": "1" if self.cards_need_approval else "0",
        }

    @classmethod
    def from_record(cls, rec: dict[str, str]) -> Session:
        return cls(
            code=rec["code"],
            title=rec["title"],
            date=dt.date.fromisoformat(rec["date"]),
            language=rec.get("language") or "fr",
            instruments=tuple(rec.get("instruments", "").split()),
            keep_throw_preset=rec.get("keep_throw_preset") or "garder_jeter",
            sectors=tuple(rec.get("sectors", "").split()),
            is_open=str(rec.get("is_open", "1")) in ("1", "true", "True", "TRUE"),
            hidden_boards=tuple(rec.get("hidden_boards", "").split()),
            created_at=dt.datetime.fromisoformat(rec["created_at"]),
            version=int(rec.get("version") or 0),  # records written before versions existed: 0
            agenda=Agenda.from_json(rec.get("agenda")),  # records from before agendas: the default
            # records written before approval existed: off
            cards_need_approval=str(rec.get("cards_need_approval", "0")) in ("1", "true", "True", "TRUE"),
        )


SESSION_FIELDS: tuple[str, ...] = tuple(Session("X", "x").to_record())


@dataclass(frozen=True)
class Event:
    """One answer. ``seq`` is given by the store (its order of arrival); ``None`` before storing."""

    session: str
    participant: str
    submission_id: str
    instrument: str
    item: str
    value: str = ""
    text: str = ""
    created_at: dt.datetime = field(default_factory=utcnow)
    seq: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes an event unique: a re-sent submission repeats exactly these."""
        return (self.submission_id, self.instrument, self.item)

    def to_record(self) -> dict[str, str]:
        return {
            "session": self.session,
            "participant": self.participant,
            "submission_id": self.submission_id,
            "instrument": self.instrument,
            "item": self.item,
            "value": self.value,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_record(cls, rec: dict[str, str], seq: int | None = None) -> Event:
        return cls(
            session=rec["session"],
            participant=rec["participant"],
            submission_id=rec["submission_id"],
            instrument=rec["instrument"],
            item=rec["item"],
            value=rec.get("value") or "",
            text=rec.get("text") or "",
            created_at=dt.datetime.fromisoformat(rec["created_at"]),
            seq=seq,
        )


EVENT_FIELDS: tuple[str, ...] = tuple(Event("", "", "", "", "").to_record())
