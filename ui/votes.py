"""The phone's dot-vote form (issue 10.4): the room's board as tap targets, the votes left always shown.

Drawn by ``pages/participate.py`` inside the activity's fragment, so a tap reruns only this form.
Cards the host grouped, hid or accepted meanwhile show at the phone's next check of the host (its one
timer, ``ui.guided.follow_host``, never faster than ``guided.PHONE_CHECK_SECONDS``), which asks
:func:`board_changed` and redraws the page only when the board's entries changed.
The board is the room's (``SessionSummary.curated``, shared by every
phone and the projector): visible cards and groups (×N), literal text, each one button. A tap sets
my count on that entry to one more than drawn; with one vote per card a second tap takes it back,
with several a "−" beside it does; ``participation.submit_vote`` checks the vote step's rules and
refuses in words.

A tap is idempotent: its submission id is made once per *intent* (this entry, from the count drawn to
the next), kept in the tab's state (:func:`tap_submission_id`), and each button's key carries the
count it was drawn with. So the second tap of a double tap, sent before the form redrew, either
refers to a button that no longer exists (Streamlit drops it) or repeats the same intent under the
same id (the store keeps it once); the next deliberate tap, from the redrawn count, is a new vote.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping

import streamlit as st

from partenariat_core import (
    CardGroup,
    CuratedBoard,
    Instrument,
    LiveSessions,
    PartenariatError,
    Session,
    VoteRules,
    label,
    new_submission_id,
    submit_vote,
    t_count,
    votes_left,
)
from ui.literal import markdown_safe
from ui.runtime import Context

# The votes left stay in sight while the participant scrolls the board (fixed code, no person's text).
VOTES_CSS = """<style>
[class*='st-key-pl_votes_left_'] { position: sticky; top: 0; z-index: 5; background: #fff;
  padding: 0.35rem 0; font-size: 1.2rem; border-bottom: 2px solid #1f4e9c; }
[class*='st-key-vote_'] button { justify-content: flex-start; }
[class*='st-key-vote_'] button div, [class*='st-key-vote_'] button p { justify-content: flex-start;
  text-align: left; font-size: 1.15rem; overflow-wrap: anywhere; }
[class*='st-key-vote_back_'] button { justify-content: center; min-width: 3.5rem; font-size: 1.4rem; }
</style>"""


DRAWN_BOARDS = "pl_vote_boards_drawn"  # board id → the room's entries as this tab's vote form drew them


def board_signature(board: CuratedBoard) -> tuple[tuple[str, str, str, int], ...]:
    """What a vote form shows of the room's board, other people's votes left out: its entries (id,
    column, text, ×N). Votes change it at every tap in the room; this changes only when the host
    sorts the board or a card is posted, edited or withdrawn."""
    return tuple((e.id, e.column, e.text, e.count if isinstance(e, CardGroup) else 1) for e in board.entries)


def board_changed(ctx: Context, code: str) -> bool:
    """Whether a board this tab's vote form drew shows other entries now. Asked by the phone's one
    timer (``ui.guided.follow_host``): a vote form with a timer of its own redrew 40 buttons every
    3 s on each phone, which cost 300 phones 15 s more to spend their votes (bench/RESULTS.md);
    this check reads the shared summary and reruns the page only when the host changed the board."""
    drawn = st.session_state.get(DRAWN_BOARDS)
    if not drawn:
        return False
    summary = ctx.rt.live.summary(code)
    if summary is None:
        return False
    for ident, signature in drawn.items():
        board = summary.curated.get(ident)
        if board is not None and board_signature(board) != signature:
            return True
    return False


def boards_now(live: LiveSessions, code: str, idents: tuple[str, ...]) -> tuple[object, ...]:
    """What vote forms on the boards ``idents`` would show now (``board_signature``, ``None`` for a board
    gone): part of what a pushed phone's drawing depends on (``ui.guided.follow_host``). Asked by the
    push thread outside any page run, so it reads no session state."""
    if not idents:
        return ()
    summary = live.summary(code)
    boards = summary.curated if summary is not None else {}
    return tuple(board_signature(b) if (b := boards.get(i)) is not None else None for i in idents)


def short_key(ident: str) -> str:
    """A widget-key-safe name for a card or group id (ids hold ``/`` and any submission id)."""
    return hashlib.sha256(ident.encode()).hexdigest()[:12]


def tap_submission_id(state: MutableMapping[str, object], target: str, start: int, to: int) -> str:
    """The submission id of the tap "``target`` from ``start`` to ``to`` votes": the same id for the
    same intent (a double tap, a resend), a new one as soon as the intent differs (the next tap, drawn
    from the new count). Kept per target in ``state`` (the tab's ``st.session_state``)."""
    slot = f"vote_sid:{target}"
    kept = state.get(slot)
    if isinstance(kept, tuple) and kept[:2] == (start, to):
        return str(kept[2])
    sid = new_submission_id()
    state[slot] = (start, to, sid)
    return sid


def heading(ctx: Context, session: Session, instrument: Instrument) -> str:
    """The vote step's title: "Vote : Ce qu'on garde / ce qu'on jette"."""
    return ctx.t("votes.step_title", board=instrument.heading(session.keep_throw_preset, ctx.lang))


def rules_text(ctx: Context, rules: VoteRules) -> str:
    key = "votes.rules_several" if rules.several_per_card else "votes.rules_one"
    return t_count(key, rules.per_person, ctx.lang)


def _take_back_target(board: CuratedBoard, pid: str, entry_id: str) -> tuple[str, int] | None:
    """Which stored vote "−" lowers, and its stored count: the entry's own, else one given to a card
    before the host grouped it (it counts for the group now)."""
    raw = board.votes.get(pid, {})
    if raw.get(entry_id, 0) > 0:
        return entry_id, raw[entry_id]
    group = board.groups.get(entry_id)
    for member in group.members if group is not None else ():
        if raw.get(member.id, 0) > 0:
            return member.id, raw[member.id]
    return None


def _tap(ctx: Context, code: str, pid: str, instrument: Instrument, target: str, start: int, to: int) -> None:
    """A button's callback, run before the fragment: store the new count, or keep why it was refused."""
    result = f"vote_result:{instrument.id}"
    session = ctx.rt.live.session(code)
    sid = tap_submission_id(st.session_state, target, start, to)
    # the board and the events of one snapshot (a summary is never older than the events read before
    # it), so the rules are checked on the board this phone drew from, without building it again
    known = ctx.rt.live.events(code)
    summary = ctx.rt.live.summary(code)
    board = summary.curated.get(instrument.id) if summary is not None else None
    try:
        submit_vote(ctx.rt.store, session, pid, instrument, target, to, sid, known=known, board=board)
    except PartenariatError as exc:
        st.session_state[result] = ("error", exc.message(ctx.lang))
        return
    ctx.rt.live.invalidate(code)
    st.session_state[result] = ("success", ctx.t("votes.saved" if to > start else "votes.taken_back"))


def vote_form(ctx: Context, session: Session, pid: str, instrument: Instrument, *, locked: bool) -> None:
    """The board's entries as tap targets, the votes left above them.

    One button per entry, the card itself: tapping it gives it a vote; with one vote per card,
    tapping a card I voted for takes the vote back; with several allowed, a "−" beside it does. Few
    elements on purpose: a tap reruns this whole form, and with 300 phones voting the server's time
    per run is what the room waits on (bench/bench_votes_server.py)."""
    step = session.agenda.vote(instrument.id)
    summary = ctx.rt.live.summary(session.code)
    board = summary.curated.get(instrument.id) if summary is not None else None
    if step is None or board is None:
        return
    st.session_state.setdefault(DRAWN_BOARDS, {})[instrument.id] = board_signature(board)
    rules = step.rules()
    left = votes_left(board, pid, rules)
    intro = ctx.t("votes.intro_several" if rules.several_per_card else "votes.intro")
    st.caption(f"{intro} {rules_text(ctx, rules)}.")
    st.html(VOTES_CSS)
    with st.container(key=f"pl_votes_left_{instrument.id}"):
        if left:
            st.markdown(f"**{t_count('votes.left', left, ctx.lang)}**")
        else:
            st.markdown(f"**{ctx.t('votes.none_left', limit=rules.per_person)}**")
    result = st.session_state.pop(f"vote_result:{instrument.id}", None)
    if result is not None:
        kind, message = result
        if kind == "error":
            st.error(markdown_safe(message))  # a refusal may quote what was sent: shown literally
        else:
            st.success(message)
    if not board.entries:
        st.info(ctx.t("votes.no_entries"))
        return
    names = {c.id: label(c.label, ctx.lang) for c in instrument.preset(session.keep_throw_preset).columns}
    mine = board.votes_of(pid)
    raw = board.votes.get(pid, {})
    disabled = locked or not session.is_open
    args = (ctx, session.code, pid, instrument)
    for column, entries in board.columns.items():
        if not entries:
            continue
        st.markdown(f"**{markdown_safe(names.get(column, column))}**")
        for entry in entries:
            count = mine.get(entry.id, 0)
            start = raw.get(entry.id, 0)
            back = _take_back_target(board, pid, entry.id)
            times = f" ×{entry.count}" if isinstance(entry, CardGroup) else ""
            text = markdown_safe(f"{entry.text}{times}")  # a person's words: literal, never Markdown
            short = short_key(entry.id)
            toggle = bool(count) and not rules.several_per_card and back is not None
            tap = (*back, back[1] - 1) if toggle and back else (entry.id, start, start + 1)
            shown = f"{ctx.t('votes.mine', count=count)} {text}" if count else text
            slot = st.container(horizontal=True, key=f"pl_vote_{short}") if count and not toggle else st
            slot.button(
                shown,
                key=f"vote_{short}_{start}_{count}",
                type="primary" if count else "secondary",
                width="stretch",
                disabled=disabled,
                on_click=_tap,
                args=(*args, *tap),
            )
            if count and not toggle and back is not None:
                slot.button(
                    ctx.t("votes.take_back"),
                    key=f"vote_back_{short}_{count}",
                    disabled=disabled,
                    on_click=_tap,
                    args=(*args, back[0], back[1], back[1] - 1),
                )
