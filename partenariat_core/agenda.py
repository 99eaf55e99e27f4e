"""The agenda: a session's activities as ordered steps the host moves through, and who sees what.

A session's steps are a "join" step (the QR code, address and code, full screen) followed by its
activities in order (``Session.instruments``). The host's state for one session lives in
``Session.agenda`` (one JSON field of the session record, so every store keeps it without a schema of
its own):

- ``mode``: ``free`` (phones see every activity, as before) or ``guided`` (phones see only the
  current step, or "wait for the host" on the join step);
- ``current``: the index of the step the host is on (0 is the join step); a screen link pins a step
  by its id instead (``&step=conditions``, :func:`pin_step`), since indices move when a vote step is
  added;
- ``locked``: steps whose answers the host closed;
- ``countdown``: one timer, for one step, with an end time and "lock when time is up";
- ``screen_key``: the read-only key of the projector link (random, renewable: a new key stops the old
  links). Empty: no screen link yet.
- ``votes``: the dot-vote steps, one per board at most (issue 10.4), each with its rules (votes per
  person, several on one card or not). A vote step's id is ``vote:<board id>`` (:func:`vote_step_id`;
  instrument ids never hold a ``:``), and :func:`steps` lists it right after its board, so a session
  with a vote on ``keep_throw`` runs join → keep_throw → vote:keep_throw → conditions → ... A vote
  step's results start hidden (its id in ``Session.hidden_boards``) until the host reveals them.

Results shown or hidden stay where they were, in ``Session.hidden_boards``, so the dashboard and the
projector screen agree. Everything here is pure: time comes in as ``now``, so a countdown that ran
out with "lock when time is up" locks its step in :func:`step_locked`, decided from the clock, with no
background thread to forget or to run twice.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import math
import secrets
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from partenariat_core.model import Session

JOIN = "join"
FREE, GUIDED = "free", "guided"
MODES: tuple[str, ...] = (FREE, GUIDED)
COUNTDOWN_MAX_SECONDS = 3 * 60 * 60  # a workshop step longer than three hours is a typing mistake
KEY_BYTES = 18
VOTE_PREFIX = "vote:"
DEFAULT_VOTES = 3


def vote_step_id(board: str) -> str:
    """The agenda step of the dot vote on ``board``: ``vote:keep_throw``."""
    return VOTE_PREFIX + board


def vote_board(step: str) -> str | None:
    """The board a vote step votes on; ``None`` for any other step."""
    return step[len(VOTE_PREFIX) :] or None if step.startswith(VOTE_PREFIX) else None


@dataclass(frozen=True)
class VoteStep:
    """A dot vote on one board: ``per_person`` votes each, several on one card or not. The rules are
    checked by ``curation.VoteRules`` (which refuses a count outside 1..VOTES_MAX)."""

    board: str
    per_person: int = DEFAULT_VOTES
    several_per_card: bool = False

    @property
    def step(self) -> str:
        return vote_step_id(self.board)

    def rules(self) -> Any:
        """The ``curation.VoteRules`` the phones' votes are checked against."""
        from partenariat_core.curation import VoteRules  # curation imports this module's users

        return VoteRules(self.per_person, self.several_per_card)


@dataclass(frozen=True)
class Countdown:
    """A timer on one step: ``ends_at`` is an aware UTC time."""

    step: str
    ends_at: dt.datetime
    lock_at_zero: bool = False


@dataclass(frozen=True)
class Agenda:
    """The host's state for one session (see the module docstring). Frozen, hashable, comparable."""

    mode: str = FREE
    current: int = 0
    locked: tuple[str, ...] = ()
    countdown: Countdown | None = None
    screen_key: str = ""
    votes: tuple[VoteStep, ...] = ()

    def vote(self, board: str) -> VoteStep | None:
        """The vote step on ``board``, if the host added one."""
        return next((v for v in self.votes if v.board == board), None)

    def to_json(self) -> str:
        """Compact and key-sorted: the same agenda always gives the same text (a stable record)."""
        data: dict[str, Any] = {"mode": self.mode, "current": self.current, "locked": list(self.locked)}
        if self.countdown is not None:
            data["countdown"] = {
                "step": self.countdown.step,
                "ends_at": self.countdown.ends_at.isoformat(),
                "lock": self.countdown.lock_at_zero,
            }
        if self.screen_key:
            data["screen_key"] = self.screen_key
        if self.votes:
            data["votes"] = [
                {"board": v.board, "per_person": v.per_person, "several": v.several_per_card}
                for v in self.votes
            ]
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | None) -> Agenda:
        """An empty field (a record from before agendas) is the default agenda: free mode, no screen
        link. A field a person damaged in a spreadsheet is read as far as it makes sense, never
        raising: a session must always load, and a damaged key only stops the screen links."""
        if not raw or not str(raw).strip():
            return cls()
        try:
            data = json.loads(raw)
        except (TypeError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        mode = str(data["mode"]) if data.get("mode") in MODES else FREE
        current = data.get("current")
        current = current if isinstance(current, int) and current >= 0 else 0
        locked = data.get("locked")
        locked = tuple(s for s in locked if isinstance(s, str)) if isinstance(locked, list) else ()
        key = data.get("screen_key")
        return cls(
            mode,
            current,
            locked,
            _countdown(data.get("countdown")),
            key if isinstance(key, str) else "",
            _votes(data.get("votes")),
        )


def _votes(data: object) -> tuple[VoteStep, ...]:
    """Vote steps as far as they make sense: an entry without a board is dropped, a damaged count is
    the default (3), a second entry for one board is ignored (the first wins)."""
    from partenariat_core.curation import VOTES_MAX

    if not isinstance(data, list):
        return ()
    found: dict[str, VoteStep] = {}
    for entry in data:
        if not isinstance(entry, dict):
            continue
        board = entry.get("board")
        if not isinstance(board, str) or not board or ":" in board or board in found:
            continue
        count = entry.get("per_person")
        if not (isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= VOTES_MAX):
            count = DEFAULT_VOTES
        found[board] = VoteStep(board, count, entry.get("several") is True)
    return tuple(found.values())


def _countdown(data: object) -> Countdown | None:
    if not isinstance(data, dict) or not isinstance(data.get("step"), str):
        return None
    try:
        ends_at = dt.datetime.fromisoformat(str(data.get("ends_at")))
    except ValueError:
        return None
    if ends_at.tzinfo is None:
        ends_at = ends_at.replace(tzinfo=dt.UTC)
    return Countdown(data["step"], ends_at, bool(data.get("lock")))


# reading ----------------------------------------------------------------------------------------------


def steps(session: Session) -> tuple[str, ...]:
    """The join step, then the session's activities in their order, each board's vote step (if the
    host added one) right after its board."""
    voted = {v.board for v in session.agenda.votes}
    out = [JOIN]
    for instrument in session.instruments:
        out.append(instrument)
        if instrument in voted:
            out.append(vote_step_id(instrument))
    return tuple(out)


def current_index(session: Session) -> int:
    """The host's step, kept inside the agenda if activities were removed since."""
    return min(session.agenda.current, len(steps(session)) - 1)


def current_step(session: Session) -> str:
    return steps(session)[current_index(session)]


def remaining_seconds(session: Session, step: str, now: dt.datetime) -> int | None:
    """Whole seconds left on ``step``'s countdown (rounded up, 0 once it ran out); ``None``: no timer."""
    countdown = session.agenda.countdown
    if countdown is None or countdown.step != step:
        return None
    return max(0, math.ceil((countdown.ends_at - now).total_seconds()))


def step_locked(session: Session, step: str, now: dt.datetime) -> bool:
    """Whether answers to ``step`` are refused now: the session is closed, the host locked the step,
    or its countdown ran out with "lock when time is up"."""
    if not session.is_open:
        return True
    if step in session.agenda.locked:
        return True
    countdown = session.agenda.countdown
    return bool(countdown and countdown.step == step and countdown.lock_at_zero and now >= countdown.ends_at)


def step_revealed(session: Session, step: str) -> bool:
    """Results shown on the projector (the join step has none to hide)."""
    return step == JOIN or step not in session.hidden_boards


@dataclass(frozen=True)
class StepPin:
    """What a screen link's ``&step=`` pins. ``index``: the pinned step's place in the agenda now;
    ``None``: the link pins nothing and the screen follows the host, or ``gone``. ``gone``: the link
    pins a step this session no longer has (the link's own text, to be shown as text)."""

    index: int | None = None
    gone: str = ""


def pin_step(raw: object, session: Session) -> StepPin:
    """A screen link's ``&step=``: a step id (``conditions``, ``vote:keep_throw``, ``join``), which
    stays on its step whatever steps the host adds or removes before it, as :func:`screen_url` writes
    it; or a number, as links were written before, read as the step at that place now (0 is the join
    step). Empty or absent: no pin. Anything else (an activity or vote step removed since, a number
    past the last step, a typo): ``gone``, so the screen says so rather than show another step."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return StepPin()
    all_steps = steps(session)
    if text in all_steps:
        return StepPin(all_steps.index(text))
    if text.isascii() and text.isdigit() and int(text) < len(all_steps):
        return StepPin(int(text))
    return StepPin(gone=text)


def parse_step(raw: object, session: Session) -> int | None:
    """The index now of the step a screen link pins (:func:`pin_step`), else ``None``."""
    return pin_step(raw, session).index


@dataclass(frozen=True)
class PhoneView:
    """What a participant's phone shows now.

    ``activities``: the activities to show, in order (empty: "wait for the host"); ``locked``: those of
    them that refuse answers now; ``sector``: whether the sector question is shown."""

    waiting: bool
    activities: tuple[str, ...]
    locked: frozenset[str] = field(default_factory=frozenset)
    sector: bool = False


def phone_view(session: Session, now: dt.datetime, *, sector_answered: bool = False) -> PhoneView:
    """Free mode: every activity (and each vote step, right after its board). Guided mode: the host's
    current step only; on the join step, "wait for the host". The sector question (when the session
    asks it) comes with the join step in guided mode, and stays for anyone who joins late and has not
    answered it yet."""
    asks_sector = bool(session.sectors)
    if session.agenda.mode == FREE:
        shown = steps(session)[1:]  # every activity, each vote step under its board
        sector = asks_sector
    else:
        step = current_step(session)
        shown = () if step == JOIN else (step,)
        sector = asks_sector and (step == JOIN or not sector_answered)
    locked = frozenset(s for s in shown if step_locked(session, s, now))
    return PhoneView(waiting=not shown, activities=shown, locked=locked, sector=sector)


@dataclass(frozen=True)
class ScreenView:
    """What the projector shows now: one step, with its number, state and timer."""

    index: int
    step: str
    total: int  # number of steps, the join step included
    pinned: bool
    revealed: bool
    locked: bool
    remaining: int | None


def screen_view(session: Session, now: dt.datetime, pinned: int | None = None) -> ScreenView:
    """The host's current step, or the step a screen link pins (its index now, :func:`pin_step`)."""
    all_steps = steps(session)
    index = pinned if pinned is not None and 0 <= pinned < len(all_steps) else current_index(session)
    step = all_steps[index]
    return ScreenView(
        index=index,
        step=step,
        total=len(all_steps),
        pinned=pinned is not None and index == pinned,
        revealed=step_revealed(session, step),
        locked=step != JOIN and step_locked(session, step, now),
        remaining=remaining_seconds(session, step, now),
    )


def screen_key_matches(session: Session, given: str | None) -> bool:
    """Constant-time comparison; a session without a key opens no screen link."""
    key = session.agenda.screen_key
    return bool(key) and bool(given) and hmac.compare_digest(key.encode(), str(given).encode())


# changing (pure: Session -> Session; sessions.py applies them compare-and-set) --------------------------


def _with_agenda(session: Session, **changes: object) -> Session:
    return session.with_changes(agenda=replace(session.agenda, **changes))  # type: ignore[arg-type]


def go_to(session: Session, index: int) -> Session:
    """Move to step ``index``, kept inside the agenda (next on the last step stays there)."""
    return _with_agenda(session, current=max(0, min(index, len(steps(session)) - 1)))


def move(session: Session, delta: int) -> Session:
    """Previous (-1) or next (+1), from the step the host is on now."""
    return go_to(session, current_index(session) + delta)


def set_mode(session: Session, mode: str) -> Session:
    if mode not in MODES:
        raise ValueError(mode)
    return _with_agenda(session, mode=mode)


def lock_step(session: Session, step: str, locked: bool) -> Session:
    """Close or reopen one step. Reopening also drops a countdown that locked it at zero, else the
    step would stay locked by the clock."""
    names = tuple(s for s in session.agenda.locked if s != step) + ((step,) if locked else ())
    countdown = session.agenda.countdown
    if not locked and countdown is not None and countdown.step == step and countdown.lock_at_zero:
        countdown = None
    return _with_agenda(session, locked=names, countdown=countdown)


def start_countdown(
    session: Session, step: str, seconds: int, now: dt.datetime, *, lock_at_zero: bool = False
) -> Session:
    """One timer per session: starting one replaces the previous. ``seconds`` from 1 to 3 hours."""
    if not 1 <= seconds <= COUNTDOWN_MAX_SECONDS:
        raise ValueError(seconds)
    countdown = Countdown(step, now + dt.timedelta(seconds=seconds), lock_at_zero)
    names = tuple(s for s in session.agenda.locked if s != step)  # a timer on a step opens it
    return _with_agenda(session, countdown=countdown, locked=names)


def stop_countdown(session: Session) -> Session:
    return _with_agenda(session, countdown=None)


def add_vote(session: Session, step: VoteStep) -> Session:
    """Add the vote step ``step.board`` (or change its rules if it is there). A new vote step starts
    with its results hidden; the host stays on the step they are on (the steps after the board move
    one down)."""
    if step.board not in session.instruments:
        raise ValueError(step.board)
    here = current_step(session)
    existing = session.agenda.vote(step.board)
    votes = tuple(step if v.board == step.board else v for v in session.agenda.votes)
    if existing is None:
        votes = (*votes, step)
    hidden = session.hidden_boards
    if existing is None and step.step not in hidden:
        hidden = (*hidden, step.step)
    changed = session.with_changes(agenda=replace(session.agenda, votes=votes), hidden_boards=hidden)
    return _with_agenda(changed, current=steps(changed).index(here))


def remove_vote(session: Session, board: str) -> Session:
    """Drop the vote step on ``board`` (the votes cast stay in the store and the archive). Its lock,
    timer and hidden state go with it; a host on it moves to its board, any other host stays put."""
    step = vote_step_id(board)
    if session.agenda.vote(board) is None:
        return session
    here = current_step(session)
    if here == step:
        here = board
    countdown = session.agenda.countdown
    changed = session.with_changes(
        agenda=replace(
            session.agenda,
            votes=tuple(v for v in session.agenda.votes if v.board != board),
            locked=tuple(s for s in session.agenda.locked if s != step),
            countdown=None if countdown is not None and countdown.step == step else countdown,
        ),
        hidden_boards=tuple(b for b in session.hidden_boards if b != step),
    )
    all_steps = steps(changed)
    return _with_agenda(changed, current=all_steps.index(here) if here in all_steps else 0)


def screen_url(public_url: str, session: Session, step: int | str | None = None) -> str:
    """The projector's link: read-only, carrying the screen key, never the host passcode. ``step``
    (an index, or a step id, as :func:`pin_step` reads them) pins the screen to that step, written as
    its id, so the link stays on it when a vote step is added before it. A step the session does not
    have is refused (``RejectedInput`` naming the steps it has)."""
    params: dict[str, object] = {"session": session.code, "key": session.agenda.screen_key}
    if step is not None:
        pin = pin_step(step, session)
        if pin.index is None:
            from partenariat_core.errors import RejectedInput

            raise RejectedInput(
                "screen.step_unknown", step=str(step), code=session.code, steps=", ".join(steps(session))
            )
        params["step"] = steps(session)[pin.index]
    if session.language != "fr":
        params["lang"] = session.language
    return f"{public_url.rstrip('/')}/screen?{urlencode(params)}"


def new_screen_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def renew_key(session: Session, key: str | None = None) -> Session:
    """A new screen key: every screen link given before stops working."""
    return _with_agenda(session, screen_key=key or new_screen_key())
