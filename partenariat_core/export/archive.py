"""The JSON archive of a session, and importing it back into any store.

An archive holds everything needed to rebuild the session elsewhere: the session's own record, the
definitions of the instruments it used (in the same shape as an instrument file, so one can be saved
back as TOML), and every event with its submission id and time, in arrival order::

    {"format": "partenariat-live-archive", "version": 1, "exported_at": "...",
     "session": {...}, "instruments": [{...}], "events": [{..., "seq": 1}, ...]}

Import goes through the ``Store`` protocol only, so it works with every backend. It checks the whole
file before writing anything; events are appended idempotently (same submission ids), so importing the
same archive twice adds nothing. A store that already has a *different* session under the same code
(another creation time) is refused, and left untouched.

The session's screen key (the secret of its projector links, ``/screen?...&key=``) is left out: whoever
holds an exported file must not be able to open the live screen. An imported session has none, also
from an archive written with one, and gets a fresh key when its screen link is first asked for
(``sessions.ensure_screen_key``); a session already in the store keeps its own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from partenariat_core.export.base import ArchiveError, ExportFile, SessionData, file_for
from partenariat_core.instruments import Choice, Instrument, parse_instrument
from partenariat_core.model import Event, Session
from partenariat_core.store.base import Store

FORMAT = "partenariat-live-archive"
VERSION = 1


def _choice(c: Choice) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "label": dict(c.label), "rank": c.rank}
    if c.definition:
        out["definition"] = dict(c.definition)
    if c.short:
        out["short"] = dict(c.short)
    return out


def instrument_data(instrument: Instrument) -> dict[str, Any]:
    """An instrument in its file's shape: ``parse_instrument`` reads it back to an equal instrument."""
    out: dict[str, Any] = {"id": instrument.id, "kind": instrument.kind, "title": dict(instrument.title)}
    if instrument.short:
        out["short"] = dict(instrument.short)
    if instrument.prompt:
        out["prompt"] = dict(instrument.prompt)
    if instrument.kind == "keep_throw":
        out["presets"] = [
            {"id": p.id, "label": dict(p.label), "columns": [_choice(c) for c in p.columns]}
            for p in instrument.presets
        ]
    elif instrument.kind == "conditions":
        assert instrument.scale is not None
        if instrument.score_note:
            out["score_note"] = dict(instrument.score_note)
        out["scale"] = {
            "dont_know": dict(instrument.scale.dont_know),
            "levels": [
                {"value": lv.value, "score": lv.score, "label": dict(lv.label)}
                for lv in instrument.scale.levels
            ],
        }
        if not instrument.scale.offer_dont_know:
            out["scale"]["offer_dont_know"] = False
        out["conditions"] = [_choice(c) for c in instrument.conditions]
        out["items"] = [
            {"id": i.id, "condition": i.condition, "text": dict(i.text)} for i in instrument.items
        ]
    elif instrument.kind == "continuum":
        out["levels"] = [_choice(c) for c in instrument.levels]
        out["questions"] = [_choice(c) for c in instrument.questions]
    elif instrument.kind == "timeline":
        out["domains"] = [
            {
                "id": d.id,
                "label": dict(d.label),
                **({"definition": dict(d.definition)} if d.definition else {}),
                "results": [_choice(r) for r in d.results],
            }
            for d in instrument.domains
        ]
    elif instrument.kind == "grid":
        out["row_label"] = dict(instrument.row_label)
        out["columns"] = [_choice(c) for c in instrument.columns]
    elif instrument.kind == "choice":  # issue 11.1
        out["options"] = [_choice(c) for c in instrument.options]
        out["multiple"] = instrument.multiple
    elif instrument.kind == "open":
        out["max_length"] = instrument.max_length
    else:
        out["sectors"] = [_choice(c) for c in instrument.sectors]
    return out


def without_screen_key(session: Session) -> Session:
    """The session as archived: everything but the secret of its projector links."""
    if not session.agenda.screen_key:
        return session
    return session.with_changes(agenda=replace(session.agenda, screen_key=""))


def archive_dict(data: SessionData) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "session": without_screen_key(data.session).to_record(),
        "instruments": [instrument_data(i) for i in data.used_instruments],
        "events": [{**e.to_record(), "seq": e.seq} for e in data.events],
    }


def export_json(data: SessionData, lang: str = "fr") -> ExportFile:
    text = json.dumps(archive_dict(data), ensure_ascii=False, indent=1)
    return file_for(data.session, "json", "application/json", text.encode("utf-8"))


@dataclass(frozen=True)
class Archive:
    session: Session
    instruments: dict[str, Instrument]
    events: list[Event]


@dataclass(frozen=True)
class ImportResult:
    session: Session
    created: bool  # False: the session was already in the store
    added: int  # events new to the store
    total: int  # events in the archive
    missing_instruments: list[str] = field(default_factory=list)  # not loaded by this app
    changed_instruments: list[str] = field(default_factory=list)  # loaded here, but defined otherwise


def _fail(problem: str) -> ArchiveError:
    return ArchiveError("export.err_archive", problem=problem)


def read_archive(raw: bytes | str) -> Archive:
    """Parse and check a whole archive; ``ArchiveError`` says what is wrong, and nothing is written."""
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail(f"not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _fail(f"'format' is not '{FORMAT}'")
    if doc.get("version") != VERSION:
        raise ArchiveError("export.err_archive_version", version=str(doc.get("version")), supported=VERSION)
    try:
        session = without_screen_key(Session.from_record(doc["session"]))  # an older archive's key
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _fail(f"session: {exc!r}") from None
    instruments: dict[str, Instrument] = {}
    for i, definition in enumerate(doc.get("instruments") or []):
        instrument = parse_instrument(definition, f"archive: instruments[{i}]")
        instruments[instrument.id] = instrument
    records = doc.get("events")
    if not isinstance(records, list):
        raise _fail("'events' is not a list")
    events = []
    for i, rec in enumerate(records):
        try:
            event = Event.from_record({k: v for k, v in rec.items() if k != "seq"})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _fail(f"events[{i}]: {exc!r}") from None
        if event.session != session.code:
            raise _fail(f"events[{i}]: session '{event.session}' is not '{session.code}'")
        events.append(event)
    return Archive(session, instruments, events)


def _compare(archive: Archive, known: Mapping[str, Instrument]) -> tuple[list[str], list[str]]:
    missing, changed = [], []
    for ident, instrument in archive.instruments.items():
        if ident not in known:
            missing.append(ident)
        elif instrument_data(known[ident]) != instrument_data(instrument):
            changed.append(ident)
    missing += [i for i in archive.session.instruments if i not in known and i not in missing]
    return missing, changed


def import_archive(
    store: Store, raw: bytes | str, instruments: Mapping[str, Instrument] | None = None
) -> ImportResult:
    """Recreate the archived session and its events in ``store``; see the module docstring."""
    archive = read_archive(raw)
    missing, changed = _compare(archive, instruments or {}) if instruments is not None else ([], [])
    existing = store.get_session(archive.session.code)
    if existing is not None and existing.created_at != archive.session.created_at:
        raise ArchiveError(
            "export.err_archive_conflict",
            code=archive.session.code,
            title=existing.title,
            other=archive.session.title,
        )
    if existing is None:
        store.create_session(archive.session)
    added = store.append_events(archive.events)
    return ImportResult(
        session=existing or archive.session,
        created=existing is None,
        added=added,
        total=len(archive.events),
        missing_instruments=missing,
        changed_instruments=changed,
    )
