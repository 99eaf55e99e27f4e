"""The host's "sort the board" panel: moderate, approve, group and merge the cards of each keep/throw
board, and answer the suggested groups. Drawing and clicks only: every rule is in
``partenariat_core.curation`` and every figure in the summary (``SessionSummary.curated``).

One click is one submission. Each action button carries this tab's *generation* in its key, and
the generation grows with every action stored: the second tap of a double tap names a button of the
page as it was, which the next run no longer draws, so Streamlit drops it. The click's submission id
(``new_submission_id``, made once for that button of that generation) is kept until the store took
the events, so a click retried after a store failure (the write may have landed) is stored once.

Texts people wrote are shown literally (``ui.literal``), never with their author.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.errors import StreamlitAPIException

from partenariat_core import (
    CardGroup,
    CuratedBoard,
    CuratedCard,
    Event,
    Instrument,
    PartenariatError,
    Session,
    StoreUnavailable,
    accept_suggestion,
    approve_all,
    group_cards,
    hide_card,
    keep_shown,
    label,
    merge_cards,
    new_submission_id,
    reject_suggestion,
    remove_from_group,
    rename_group,
    set_cards_need_approval,
    show_card,
    suggest_groups,
    t_count,
    ungroup,
)
from ui.errors import show_store_problem, store_guard
from ui.literal import literal, markdown_safe
from ui.runtime import Context

GROUP_TITLE_MAX = 120  # as partenariat_core.curation checks it


def _generation(code: str) -> int:
    return int(st.session_state.get(f"curate_gen:{code}", 0))


def _key(code: str, *parts: str) -> str:
    """An action button's key: this tab's generation in it, so a stale second tap finds no button."""
    return ":".join(("cur", code, str(_generation(code)), *parts))


def _tick_key(code: str, card: str) -> str:
    """A card's checkbox: kept across refreshes, cleared (new selection round) after a grouping."""
    return f"cur_tick:{code}:{st.session_state.get(f'curate_sel:{code}', 0)}:{card}"


def _message(code: str) -> str:
    return f"curate_msg:{code}"


def _run(
    ctx: Context,
    code: str,
    action: str,
    build: Callable[[str], Event | Sequence[Event]],
    *,
    new_selection: bool = False,
    then: Callable[[], object] | None = None,
) -> None:
    """Store the events one click makes (``build(submission_id)``), then redraw the panel.

    A refusal (``RejectedInput`` and the like) is said in the host's language and stores nothing; a
    store failure keeps the click's id, so trying again cannot store it twice."""
    slot = f"curate_sid:{code}:{_generation(code)}:{action}"
    submission = st.session_state.setdefault(slot, new_submission_id())
    try:
        made = build(submission)
        events = [made] if isinstance(made, Event) else list(made)
        # one event per key: merging several cards into one card repeats the new group's title
        if events:
            ctx.rt.store.append_events(list({e.key: e for e in events}.values()))
        if then is not None:
            then()
    except StoreUnavailable as exc:
        show_store_problem(exc, ctx.lang, host=True)
        return
    except PartenariatError as exc:
        st.session_state.pop(slot, None)
        st.session_state[_message(code)] = exc.message(ctx.lang)
        _redraw()
    st.session_state.pop(slot, None)
    st.session_state[f"curate_gen:{code}"] = _generation(code) + 1
    if new_selection:
        st.session_state[f"curate_sel:{code}"] = int(st.session_state.get(f"curate_sel:{code}", 0)) + 1
    ctx.rt.live.invalidate(code)
    _redraw()


def _redraw() -> None:
    """Rerun the panel only when the click came as a fragment rerun (the browser's way), else the page."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:  # a full run (the page's first draw, a test): rerun it all
        st.rerun()


def keep_throw_boards(ctx: Context, session: Session) -> list[Instrument]:
    """The session's keep/throw boards, the ones this panel sorts."""
    found = (ctx.rt.instruments.get(i) for i in session.instruments)
    return [i for i in found if i is not None and i.kind == "keep_throw"]


def _names(ctx: Context, session: Session, instrument: Instrument) -> dict[str, str]:
    return {c.id: label(c.label, ctx.lang) for c in instrument.preset(session.keep_throw_preset).columns}


def _show_message(code: str) -> None:
    if message := st.session_state.pop(_message(code), None):
        st.error(markdown_safe(message))


def _approval_switch(ctx: Context, session: Session, boards: dict[str, CuratedBoard]) -> None:
    code = session.code
    wanted = st.toggle(
        ctx.t("curate.approval"),
        value=session.cards_need_approval,
        key=f"cur_approval:{code}:{session.cards_need_approval}",
        help=ctx.t("curate.approval_help"),
    )
    if wanted == session.cards_need_approval:
        return

    def kept(submission: str) -> list[Event]:
        # the cards on the board now stay there: only the next ones wait for approval
        return [e for b in boards.values() for e in keep_shown(session, b, submission)] if wanted else []

    _run(
        ctx,
        code,
        f"approval:{wanted}",
        kept,
        then=lambda: set_cards_need_approval(ctx.rt.store, code, wanted),
    )


def _queue(ctx: Context, session: Session, board: CuratedBoard, *, compact: bool = False) -> None:
    code, pending = session.code, board.pending
    if not pending and not session.cards_need_approval:
        return
    if not pending:
        st.caption(ctx.t("curate.queue_empty"))
        return
    st.markdown(f"**{t_count('curate.queue', len(pending), ctx.lang)}**")
    for card in pending:
        with st.container(border=True):
            literal(card.text, css_class="pl-c-card pl-c-pending")
            with st.container(horizontal=True):
                if st.button(
                    ctx.t("curate.approve"),
                    icon=":material/check:",
                    type="primary",
                    key=_key(code, "approve", card.id),
                ):
                    _run(
                        ctx, code, f"approve:{card.id}", lambda s, c=card: show_card(session, board, c.id, s)
                    )
                if st.button(
                    ctx.t("curate.hide"), icon=":material/visibility_off:", key=_key(code, "qhide", card.id)
                ):
                    _run(ctx, code, f"hide:{card.id}", lambda s, c=card: hide_card(session, board, c.id, s))
    if len(pending) > 1 and st.button(
        ctx.t("curate.approve_all"),
        icon=":material/done_all:",
        key=_key(code, "approve_all", board.instrument),
        width="stretch" if compact else "content",
    ):
        _run(ctx, code, f"approve_all:{board.instrument}", lambda s: approve_all(session, board, s))


def _suggestions(ctx: Context, session: Session, board: CuratedBoard) -> None:
    code = session.code
    found = suggest_groups(board, board.rejected)
    if not found:
        return
    st.markdown(f"**{ctx.t('curate.suggestions')}**")
    for suggestion in found:
        ids = suggestion.card_ids
        ident = ",".join(ids)
        with st.container(border=True):
            st.markdown(ctx.t("curate.suggestion", count=len(ids)))
            for card_id in ids:
                literal(board.cards[card_id].text, css_class="pl-c-card")
            with st.container(horizontal=True):
                if st.button(
                    ctx.t("curate.accept"),
                    icon=":material/join:",
                    type="primary",
                    key=_key(code, "accept", ident),
                ):
                    _run(
                        ctx, code, f"accept:{ident}", lambda s, i=ids: accept_suggestion(session, board, i, s)
                    )
                if st.button(
                    ctx.t("curate.reject"), icon=":material/close:", key=_key(code, "reject", ident)
                ):
                    _run(
                        ctx, code, f"reject:{ident}", lambda s, i=ids: reject_suggestion(session, board, i, s)
                    )


def _group_box(ctx: Context, session: Session, board: CuratedBoard, group: CardGroup) -> None:
    code = session.code
    title = ctx.t("curate.group_label", title=markdown_safe(group.title), count=group.count)
    with st.expander(title, icon=":material/stacks:"):
        for member in group.members:
            with st.container(horizontal=True, vertical_alignment="center"):
                literal(member.text, css_class="pl-c-card")
                if st.button(ctx.t("curate.take_out"), key=_key(code, "out", member.id)):
                    _run(
                        ctx,
                        code,
                        f"out:{member.id}",
                        lambda s, m=member: remove_from_group(session, board, m.id, s),
                    )
        new_title = st.text_input(
            ctx.t("curate.group_title"),
            value=group.title,
            max_chars=GROUP_TITLE_MAX,
            key=f"cur_rename:{code}:{group.id}:{group.title}",
        )
        with st.container(horizontal=True):
            if st.button(ctx.t("curate.rename"), icon=":material/edit:", key=_key(code, "rename", group.id)):
                _run(
                    ctx,
                    code,
                    f"rename:{group.id}",
                    lambda s: rename_group(session, board, group.id, new_title, s),
                )
            if st.button(
                ctx.t("curate.ungroup"), icon=":material/call_split:", key=_key(code, "ungroup", group.id)
            ):
                _run(ctx, code, f"ungroup:{group.id}", lambda s: ungroup(session, board, group.id, s))


def _css_key(prefix: str, ident: str) -> str:
    """A container's key, which is also a CSS class ``st-key-…``: letters, digits, ``_`` and ``-`` only."""
    return prefix + re.sub(r"[^A-Za-z0-9_-]", "_", ident)


def _row_key(card: str) -> str:
    """A card row's container key."""
    return _css_key("cur_row_", card)


def _card_row(ctx: Context, session: Session, board: CuratedBoard, card: CuratedCard, *, tick: bool) -> None:
    code = session.code
    with st.container(horizontal=True, vertical_alignment="center", key=_row_key(card.id)):
        if card.visible:
            if tick:
                st.checkbox(markdown_safe(card.text), key=_tick_key(code, card.id), width="stretch")
            else:
                literal(card.text, css_class="pl-c-card")
            if st.button(
                ctx.t("curate.hide"), icon=":material/visibility_off:", key=_key(code, "hide", card.id)
            ):
                _run(ctx, code, f"hide:{card.id}", lambda s: hide_card(session, board, card.id, s))
        else:  # hidden: struck through, with the way back
            literal(card.text, css_class="pl-c-card pl-c-hidden")
            if st.button(ctx.t("curate.show"), icon=":material/visibility:", key=_key(code, "show", card.id)):
                _run(ctx, code, f"show:{card.id}", lambda s: show_card(session, board, card.id, s))


def _column(
    ctx: Context,
    session: Session,
    board: CuratedBoard,
    column: str,
    name: str,
    *,
    full: bool,
) -> None:
    """A column as the host sorts it: its entries where they stand, then its hidden cards."""
    entries = board.columns.get(column, [])
    hidden = [c for c in board.hidden if c.column == column]
    shown = sum(e.count if isinstance(e, CardGroup) else 1 for e in entries)
    st.markdown(f"#### {markdown_safe(ctx.t('curate.column', name=name, count=shown))}")
    if not entries and not hidden:
        st.caption(ctx.t("curate.no_cards"))
    for entry in entries:
        if isinstance(entry, CardGroup):
            if full:
                _group_box(ctx, session, board, entry)
            else:
                literal(
                    ctx.t("curate.group_label", title=entry.title, count=entry.count), css_class="pl-c-card"
                )
        else:
            _card_row(ctx, session, board, entry, tick=full)
    for card in hidden:
        _card_row(ctx, session, board, card, tick=False)


def _ticked(code: str, board: CuratedBoard) -> list[CuratedCard]:
    """The visible cards ticked, in board order."""
    return [c for c in board.cards.values() if c.visible and st.session_state.get(_tick_key(code, c.id))]


def _selection(ctx: Context, session: Session, board: CuratedBoard, names: dict[str, str]) -> None:
    """Group the ticked cards under a title (the first one's text to start with), or merge them into
    another card or group of their column.

    Drawn whole whatever is ticked (nothing yet: the same fields, disabled), so it keeps its height:
    it sits above the columns, and a block that appeared at the first tick pushed every row down by
    ~335 px between two taps, so the host's next tap landed on another card or field."""
    code = session.code
    ticked = _ticked(code, board)
    ids = [c.id for c in ticked]
    first = ticked[0] if ticked else None
    round_ = st.session_state.get(f"curate_sel:{code}", 0)
    with st.container(border=True, key=_css_key("cur_selection_", board.instrument)):
        st.markdown(f"**{t_count('curate.ticked', len(ticked), ctx.lang)}**")
        st.caption(ctx.t("curate.tick_help"))
        title = st.text_input(
            ctx.t("curate.group_title"),
            value=first.text[:GROUP_TITLE_MAX] if first else "",
            max_chars=GROUP_TITLE_MAX,
            disabled=first is None,
            key=f"cur_title:{code}:{round_}:{first.id if first else ''}",
        )
        if st.button(
            ctx.t("curate.group"),
            icon=":material/join:",
            type="primary",
            disabled=len(ticked) < 2,
            key=_key(code, "group", board.instrument),
        ):
            _run(
                ctx,
                code,
                f"group:{','.join(ids)}",
                lambda s: group_cards(session, board, ids, title, s),
                new_selection=True,
            )
        targets = [e for e in board.columns.get(first.column, []) if e.id not in ids] if first else []
        target = st.selectbox(
            ctx.t("curate.merge_into"),
            [e.id for e in targets],
            format_func=lambda i: markdown_safe(_entry_text(ctx, board, i)),
            disabled=not targets,
            placeholder=ctx.t("curate.merge_none" if first else "curate.merge_first"),
            # a new widget when it gets its first options (first tick, a target again): the first one
            # chosen, not the "nothing to choose" it had while empty
            key=f"cur_target:{code}:{board.instrument}:{round_}:{first.column if targets else ''}",
        )
        if (
            st.button(
                ctx.t("curate.merge"),
                icon=":material/merge:",
                disabled=target is None,
                key=_key(code, "merge", board.instrument),
            )
            and target is not None
        ):
            into = board.groups[target].members[0].id if target in board.groups else target

            def merge(submission: str) -> list[Event]:
                return [e for source in ids for e in merge_cards(session, board, source, into, submission)]

            _run(ctx, code, f"merge:{','.join(ids)}>{target}", merge, new_selection=True)


def _entry_text(ctx: Context, board: CuratedBoard, ident: str) -> str:
    if ident in board.groups:
        group = board.groups[ident]
        return ctx.t("curate.group_label", title=group.title, count=group.count)
    return board.cards[ident].text


def _board(
    ctx: Context, session: Session, instrument: Instrument, board: CuratedBoard, *, full: bool
) -> None:
    names = _names(ctx, session, instrument)
    _queue(ctx, session, board, compact=not full)
    if full:
        _suggestions(ctx, session, board)
        _selection(ctx, session, board, names)  # above the columns: in reach without scrolling down
    columns = list(dict.fromkeys([*names, *board.columns]))
    slots = st.columns(len(columns)) if full else [st.container() for _ in columns]
    for slot, column in zip(slots, columns, strict=True):
        with slot:
            _column(ctx, session, board, column, names.get(column, column), full=full)
    withdrawn = board.in_state("withdrawn")
    if withdrawn:
        st.caption(t_count("curate.withdrawn", len(withdrawn), ctx.lang))


def _panel(ctx: Context, code: str, *, full: bool) -> None:
    with store_guard(ctx.lang, host=True):
        summary = ctx.rt.live.summary(code)
        if summary is None:
            return
        session = summary.session
        _show_message(code)
        instruments = keep_throw_boards(ctx, session)
        boards = {i.id: summary.curated[i.id] for i in instruments if i.id in summary.curated}
        if full:
            st.caption(ctx.t("curate.intro"))
            _approval_switch(ctx, session, boards)
        for instrument in instruments:
            if instrument.id not in boards:
                continue
            if len(boards) > 1:
                st.subheader(instrument.heading(session.keep_throw_preset, ctx.lang))
            _board(ctx, session, instrument, boards[instrument.id], full=full)


@st.fragment
def _host_fragment(ctx: Context, code: str) -> None:
    if st.button(ctx.t("curate.refresh"), icon=":material/refresh:", key=f"cur_refresh:{code}"):
        ctx.rt.live.invalidate(code)
    _panel(ctx, code, full=True)


def draw_curate_panel(ctx: Context, session: Session) -> None:
    """The host page's panel for the picked session: every keep/throw board, sorted by hand.

    A fragment: a click reruns the panel only, not the page around it."""
    if not keep_throw_boards(ctx, session):
        return
    with st.expander(ctx.t("curate.title"), icon=":material/sort:"):
        _host_fragment(ctx, session.code)


def draw_remote_curate(ctx: Context, code: str, refresh_seconds: float) -> None:
    """The remote's compact version, for a host with a phone: the queue (approve / hide) and each
    card's hide / show again; refreshed by itself, so a new card waiting for approval shows up."""

    @st.fragment(run_every=dt.timedelta(seconds=refresh_seconds))
    def compact() -> None:
        _panel(ctx, code, full=False)

    session = ctx.rt.live.session(code)
    if session is None or not keep_throw_boards(ctx, session):
        return
    with st.expander(ctx.t("curate.title"), icon=":material/sort:"):
        compact()
