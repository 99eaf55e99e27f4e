"""Host actions on sessions: create, find for joining, open/close, reveal boards.

Thin rules over the store, shared by the setup page, the command line and the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from partenariat_core import agenda
from partenariat_core.codes import is_valid_code, join_code_for, normalize_code
from partenariat_core.curation import VoteRules
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.instruments import Instrument
from partenariat_core.instruments.session_copy import definition_events, session_instruments
from partenariat_core.model import PROFILE, Session, utcnow
from partenariat_core.store.base import Store

TITLE_MAX = 120


def create_session(
    store: Store,
    instruments: Mapping[str, Instrument],
    title: str,
    *,
    date: dt.date | None = None,
    language: str = "fr",
    instrument_ids: Sequence[str] = ("keep_throw", "conditions", "continuum"),
    keep_throw_preset: str = "garder_jeter",
    sectors: Sequence[str] = (),
    attempts: int = 5,
    request: str | None = None,
    sector_list: str = PROFILE,
) -> Session:
    """Validate the host's choices and store a new session under a fresh, unused join code.

    ``request`` identifies one host request (a form's token and contents): sent twice, by a double
    click whose first run Streamlit interrupted, it creates the session once and returns it both
    times. Its code is derived from ``request``; if an unrelated session already holds that code, a
    fresh one is drawn as usual.

    ``sector_list``: the sector list offered (a ``profile`` activity: the shipped one, or a host's own
    from the editor); ``sectors`` must be among its sectors. The session keeps a copy of each
    activity's definition and of the sector list (``instruments.session_copy``), so editing them
    later never changes this session's results."""
    title = " ".join((title or "").split())
    if not title:
        raise RejectedInput("error.title_empty")
    if len(title) > TITLE_MAX:
        raise RejectedInput("error.title_too_long", limit=TITLE_MAX)
    if not instrument_ids:
        raise RejectedInput("error.no_instrument")
    for ident in instrument_ids:
        if ident not in instruments or instruments[ident].kind == "profile":
            raise RejectedInput("error.unknown_instrument", instrument=ident)
    boards = [instruments[i] for i in instrument_ids if instruments[i].kind == "keep_throw"]
    # The column set is chosen among a board's presets; an editor board has one set, its own columns
    # (``Instrument.preset`` falls back to it), so it has nothing to choose.
    board = next((b for b in boards if len(b.presets) > 1), None)
    if board is None and boards and keep_throw_preset not in {p.id for p in boards[0].presets}:
        keep_throw_preset = boards[0].presets[0].id
    if board is not None and keep_throw_preset not in {p.id for p in board.presets}:
        raise RejectedInput("error.unknown_preset", preset=keep_throw_preset)
    sector_names = instruments.get(sector_list)
    if sector_names is None or sector_names.kind != "profile":
        raise RejectedInput("error.unknown_instrument", instrument=sector_list)
    known_sectors = {c.id for c in sector_names.sectors}
    for sector in sectors:
        if sector not in known_sectors:
            raise RejectedInput("error.unknown_sector", sector=str(sector)[:40])
    fields: dict[str, Any] = {
        "language": language,
        "instruments": tuple(instrument_ids),
        "keep_throw_preset": keep_throw_preset,
        "sectors": tuple(dict.fromkeys(sectors)),
    }
    if date is not None:
        fields["date"] = date
    if request is not None:
        wanted = Session(code=join_code_for(request), title=title, **fields)
        try:
            store.create_session(wanted)
            return _keep_definitions(store, wanted, instruments, sector_list)
        except SessionError as exc:
            if exc.key != "error.session_exists":
                raise
        existing = store.get_session(wanted.code)
        same = existing is not None and existing.title == title and existing.instruments == wanted.instruments
        if same and existing is not None:
            return _keep_definitions(store, existing, instruments, sector_list)  # the same request again
    for _ in range(attempts):  # 31^6 codes: a clash is rare, but two hosts may race
        session = Session.new(title, **fields)
        try:
            store.create_session(session)
            return _keep_definitions(store, session, instruments, sector_list)
        except SessionError as exc:
            if exc.key != "error.session_exists":
                raise
    raise SessionError("error.session_exists", code=session.code)


def _keep_definitions(
    store: Store, session: Session, instruments: Mapping[str, Instrument], sector_list: str
) -> Session:
    """Store the session's copy of its activities' definitions (idempotent: content-keyed ids)."""
    slots = [(ident, ident) for ident in session.instruments]
    if session.sectors:
        slots.append((PROFILE, sector_list))
    store.append_events(definition_events(session, instruments, slots))
    return session


def find_session(store: Store, raw_code: str | None, *, must_be_open: bool = True) -> Session:
    """The session a participant asked for by typed or scanned code, or a clear refusal."""
    code = normalize_code(raw_code)
    if not code:
        raise SessionError("error.code_empty")
    if not is_valid_code(code):
        raise SessionError("error.code_invalid", code=code[:12])
    session = store.get_session(code)
    if session is None:
        raise SessionError("error.session_unknown", code=code)
    if must_be_open and not session.is_open:
        raise SessionError("error.session_closed", code=code)
    return session


def update_session(
    store: Store, code: str, change: Callable[[Session], Session], *, attempts: int = 5
) -> Session:
    """Apply ``change`` to the session as it is stored now, compare-and-set.

    A host action is an intent on one field ("close answers", "reveal this board"), so it is applied
    to a fresh read, not to the copy a page drew a few seconds ago: a second host tab or the command
    line changing another field in between is kept, never undone. If the session keeps changing under
    us (``attempts`` conflicts in a row) the host gets ``error.session_conflict``."""
    for _ in range(attempts):
        current = store.get_session(code)
        if current is None:
            raise SessionError("error.session_unknown", code=code)
        try:
            return store.save_session(change(current))
        except SessionError as exc:
            if exc.key != "error.session_conflict":
                raise
    raise SessionError("error.session_conflict", code=code)


def set_open(store: Store, session: Session, is_open: bool) -> Session:
    return update_session(store, session.code, lambda s: s.with_changes(is_open=is_open))


def set_board_hidden(store: Store, session: Session, board: str, hidden: bool) -> Session:
    """Hide a board's results until the host reveals them, so early answers don't anchor others."""

    def change(current: Session) -> Session:
        boards = [b for b in current.hidden_boards if b != board]
        if hidden:
            boards.append(board)
        return current.with_changes(hidden_boards=tuple(boards))

    return update_session(store, session.code, change)


def set_cards_need_approval(store: Store, code: str, on: bool) -> Session:
    """Whether new cards wait in the host's queue before the room sees them (moderation, issue 10).

    Compare-and-set like every host switch, so a second host tab changing another field in between
    is kept. The switch applies to every card the host never moderated, so turning it on mid-session
    would send the board back to the queue: the host panel stores ``curation.keep_shown`` first."""
    return update_session(store, code, lambda s: s.with_changes(cards_need_approval=bool(on)))


# The agenda (partenariat_core.agenda): every host action is an intent applied compare-and-set ------------


def move_step(store: Store, code: str, delta: int) -> Session:
    """Previous (-1) or next (+1) from the step stored now, so two taps move two steps, never one."""
    return update_session(store, code, lambda s: agenda.move(s, delta))


def go_to_step(store: Store, code: str, index: int) -> Session:
    return update_session(store, code, lambda s: agenda.go_to(s, index))


def set_agenda_mode(store: Store, code: str, mode: str) -> Session:
    if mode not in agenda.MODES:
        raise RejectedInput("agenda.bad_mode", mode=str(mode)[:20])
    return update_session(store, code, lambda s: agenda.set_mode(s, mode))


def set_step_locked(store: Store, code: str, step: str, locked: bool) -> Session:
    return update_session(store, code, lambda s: agenda.lock_step(s, step, locked))


def start_step_countdown(
    store: Store,
    code: str,
    step: str,
    seconds: int,
    *,
    lock_at_zero: bool = False,
    now: dt.datetime | None = None,
) -> Session:
    """Start (or restart) the timer on ``step``; a duration outside 1 s – 3 h is refused in words."""
    if not 1 <= int(seconds) <= agenda.COUNTDOWN_MAX_SECONDS:
        raise RejectedInput("agenda.bad_duration", limit=agenda.COUNTDOWN_MAX_SECONDS // 60)
    started = now or utcnow()
    return update_session(
        store,
        code,
        lambda s: agenda.start_countdown(s, step, int(seconds), started, lock_at_zero=lock_at_zero),
    )


def stop_step_countdown(store: Store, code: str) -> Session:
    return update_session(store, code, agenda.stop_countdown)


def add_vote_step(
    store: Store,
    code: str,
    board: str,
    rules: VoteRules,
    *,
    instruments: Mapping[str, Instrument] | None = None,
) -> Session:
    """Add a dot-vote step on ``board`` right after it in the agenda, or change its rules if there is
    one. Its results start hidden until the host reveals them (the step's own hide / show).

    Refused in words: a board the session does not use, or (given ``instruments``) an activity that
    is not a keep/throw board. ``rules`` were checked when made (``VoteRules`` refuses 0 or 21 votes)."""
    current = store.get_session(code)
    if current is None:
        raise SessionError("error.session_unknown", code=code)
    kind = instruments[board].kind if instruments is not None and board in instruments else "keep_throw"
    if board not in current.instruments or kind != "keep_throw":
        raise RejectedInput("votes.unknown_board")
    step = agenda.VoteStep(board, rules.per_person, rules.several_per_card)
    return update_session(store, code, lambda s: agenda.add_vote(s, step))


def remove_vote_step(store: Store, code: str, board: str) -> Session:
    """Drop the vote step on ``board``; the votes already cast stay in the store and the archive."""
    return update_session(store, code, lambda s: agenda.remove_vote(s, board))


def renew_screen_key(store: Store, code: str) -> Session:
    """A new projector key: the screen links given before stop working at their next refresh."""
    return update_session(store, code, lambda s: agenda.renew_key(s))


def ensure_screen_key(store: Store, code: str) -> Session:
    """The session with a screen key, making one the first time a screen link is asked for (a
    session that has one is not written again)."""
    current = store.get_session(code)
    if current is None:
        raise SessionError("error.session_unknown", code=code)
    if current.agenda.screen_key:
        return current
    return update_session(store, code, lambda s: s if s.agenda.screen_key else agenda.renew_key(s))


# Renaming and duplicating (issue 9.5) ---------------------------------------------------------------


def valid_title(title: str | None) -> str:
    """Spaces collapsed; an empty or overlong title is refused in words (as for a new session)."""
    title = " ".join((title or "").split())
    if not title:
        raise RejectedInput("error.title_empty")
    if len(title) > TITLE_MAX:
        raise RejectedInput("error.title_too_long", limit=TITLE_MAX)
    return title


def rename_session(store: Store, code: str, title: str) -> Session:
    """A new title; the code, answers and everything else stay (join links keep working)."""
    clean = valid_title(title)
    return update_session(store, code, lambda s: s.with_changes(title=clean))


def delete_session(store: Store, code: str) -> None:
    """Delete a session and its answers (a test run, a wrong session); the host is offered the JSON
    archive first, which ``import`` can bring back. ``SessionError`` if there is no such session."""
    if not store.delete_session(code):
        raise SessionError("error.session_unknown", code=code)


def duplicate_session(
    store: Store,
    instruments: Mapping[str, Instrument],
    code: str,
    title: str | None = None,
    *,
    date: dt.date | None = None,
) -> Session:
    """A new session with the same settings (language, activities, columns, sectors, free or guided,
    each board's vote step with its rules) for the next table or the next workshop: a new code, no
    answers, the agenda at its start, and a screen key of its own (made when its screen link is
    first asked for)."""
    source = store.get_session(code)
    if source is None:
        raise SessionError("error.session_unknown", code=code)
    used = session_instruments(source, store.read_events(code), instruments)  # its own definitions
    created = create_session(
        store,
        used,
        title if title is not None else source.title,
        date=date,
        language=source.language,
        instrument_ids=source.instruments,
        keep_throw_preset=source.keep_throw_preset,
        sectors=source.sectors,
    )
    for vote in source.agenda.votes:  # hidden again until revealed, as any new vote step
        created = add_vote_step(store, created.code, vote.board, vote.rules(), instruments=instruments)
    if source.agenda.mode == created.agenda.mode:
        return created
    return set_agenda_mode(store, created.code, source.agenda.mode)
