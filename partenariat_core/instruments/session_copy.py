"""A session keeps a copy of the activity definitions it used (issue 11.3).

Editing an activity in the editor later must never change a past session's results: its columns,
questions and options stay those its participants saw. So when a session is created, each used
activity's file text (unless it is shipped as is) is stored as one event of the host (instrument
:data:`DEFINITION`, item = the activity's place in the session: its id, or ``profile`` for the
sector list), through the same
``Store`` as answers, so every backend keeps it with no change to its tables. The submission id is
made from the content, so storing it twice (a double click, a retry) stores it once.

:func:`session_instruments` gives the activities a session uses: its copies where it has them,
else the app's current ones (sessions made before copies existed).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence

from partenariat_core.errors import InstrumentError
from partenariat_core.instruments.editor import MAX_CHARS, instrument_toml
from partenariat_core.instruments.loader import parse_text
from partenariat_core.instruments.model import Instrument
from partenariat_core.model import PROFILE, Event, Session
from partenariat_core.scoring.frame import DEFINITION

HOST = "host"  # the participant of a definition event: not a person, never counted (events_frame)


def definition_text(instruments: Mapping[str, Instrument], ident: str) -> str:
    """The file text of ``ident``: the registry's own file when it has one (comments kept), else the
    instrument written out (``editor.instrument_toml``, which the loader reads back the same)."""
    text_of = getattr(instruments, "text", None)
    text = text_of(ident) if callable(text_of) else None
    return text if isinstance(text, str) else instrument_toml(instruments[ident])


@functools.lru_cache(maxsize=1)
def _shipped() -> dict[str, Instrument]:
    from partenariat_core.instruments.loader import load_instruments

    return load_instruments()


def is_shipped(instrument: Instrument) -> bool:
    """The activity exactly as this version of the app ships it. Those are part of the app's code
    (reviewed and versioned with it), not a host's edits, so a session does not store a copy of them:
    most sessions then hold answers only, as before."""
    return _shipped().get(instrument.id) == instrument


def definition_events(
    session: Session, instruments: Mapping[str, Instrument], slots: Iterable[tuple[str, str]]
) -> list[Event]:
    """One event per ``(slot, instrument id)``: the slot is where the session uses it (its own id,
    or ``profile`` for the sector list the host picked). A text longer than a Sheets cell is left
    out (the editor refuses such files; a host's folder file may still be one), and the session then
    reads that activity from the app, as older sessions do. Shipped activities are not copied
    (:func:`is_shipped`)."""
    events = []
    for slot, ident in slots:
        if is_shipped(instruments[ident]):
            continue
        text = definition_text(instruments, ident)
        if len(text) > MAX_CHARS:
            continue
        digest = hashlib.sha256(f"{slot}\x1f{text}".encode()).hexdigest()[:32]
        events.append(Event(session.code, HOST, f"def-{digest}", DEFINITION, slot, value=ident, text=text))
    return events


@functools.lru_cache(maxsize=256)
def _parse(text: str, slot: str) -> Instrument | None:
    try:
        return parse_text(text, f"{slot} (session)")
    except InstrumentError:
        return None  # a copy this version cannot read: the app's current activity is used


def session_copies(events: Sequence[Event]) -> dict[str, Instrument]:
    """slot → the definition the session stored for it (the latest, should there be several)."""
    texts: dict[str, str] = {}
    for event in events:
        if event.instrument == DEFINITION and event.text:
            texts[event.item] = event.text
    copies = {}
    for slot, text in texts.items():
        instrument = _parse(text, slot)
        if instrument is not None:
            copies[slot] = instrument if instrument.id == slot else dataclasses.replace(instrument, id=slot)
    return copies


def session_instruments(
    session: Session, events: Sequence[Event], registry: Mapping[str, Instrument]
) -> dict[str, Instrument]:
    """The activities as ``session`` used them: its stored copies for its own activities and sector
    list, the app's current ones for anything else."""
    found = dict(registry)
    wanted = {*session.instruments, PROFILE}
    for slot, instrument in session_copies(events).items():
        if slot in wanted:
            found[slot] = instrument
    return found
