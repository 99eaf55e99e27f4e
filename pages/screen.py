"""The projector screen: one step of the agenda at a time, full screen, opened by the screen link.

The link (``/screen?session=CODE&key=KEY``, from the remote page or ``python -m partenariat_core
screen-url CODE``) carries a read-only key, never the host passcode: a reload, a new window or a second
projector opens the same board, and a renewed key stops the old links at their next refresh. The
screen follows the host's current step, or the step the link pins: ``&step=conditions`` (a step id, as
the links are written now: it stays on its step when a vote step is added before it) or ``&step=N``
(older links: the step at that place now, 0 being the join step). A link to a step the session no
longer has says so, and draws no other step.
With ``&view=words`` a keep/throw step shows each column as a word cloud (``ui/top_words.py``).
"""

import datetime as dt
import time

import streamlit as st

from partenariat_core import (
    Session,
    join_url,
    normalize_code,
    pin_step,
    screen_key_matches,
    screen_view,
    utcnow,
)
from ui import push
from ui.errors import store_guard
from ui.projector import Screen, next_redraw, step_html
from ui.runtime import bootstrap
from ui.top_words import words_step_html

SCREEN_CSS = (
    "header, [data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'],"
    " [data-testid='stToolbar'], [data-testid='stDecoration'], [data-testid='stStatusWidget'],"
    " footer {display: none !important;}"
    " .block-container {padding: 0.5rem; max-width: 100%;}"
    " html, body {overflow: hidden;}"
)

ctx = bootstrap("screen.nav", layout="wide", sidebar="collapsed")
st.html(f"<style>{SCREEN_CSS}</style>")
code = normalize_code(st.query_params.get("session"))
key = st.query_params.get("key") or ""
if not code or not key:
    st.warning(ctx.t("screen.no_key"))
    st.stop()


# Told about changes (ui/push.py) when the server allows it: the timer is then only a safety net.
refresh = push.SAFETY_SECONDS if push.can_push() else ctx.rt.settings.refresh_seconds


@st.fragment(run_every=dt.timedelta(seconds=refresh))
def projector() -> None:
    with store_guard(ctx.lang):
        snapshot = ctx.rt.live.snapshot(code)  # the summary below is made from it or a newer one
        draw(snapshot.serial, snapshot.session)


def draw(serial: int, session: Session | None) -> None:
    # the key first: a wrong or renewed one (a tampered link) costs no scoring
    shown = session is not None and screen_key_matches(session, key)
    summary = ctx.rt.live.summary(code) if shown else None
    if session is None or summary is None:
        st.error(ctx.t("screen.wrong_key"))  # unknown session or a renewed key: no board
        push.watch_this_screen(ctx.rt.live, code, serial, wake_at=None)
        return
    pin = pin_step(st.query_params.get("step"), session)
    if pin.gone:  # its activity or vote step was removed: say so rather than show another step
        st.warning(ctx.t("screen.step_gone"))
        push.watch_this_screen(ctx.rt.live, code, serial, wake_at=None)
        return
    now = time.time()
    view = screen_view(session, utcnow(), pin.index)
    screen = Screen(
        summary=summary,
        view=view,
        instruments=ctx.rt.instruments,
        join_url=join_url(ctx.rt.settings.public_url, code, session.language),
        lang=ctx.lang,
        t=ctx.t,
        now_seconds=now,
    )
    st.html(words_step_html(screen) if st.query_params.get("view") == "words" else step_html(screen))
    push.watch_this_screen(ctx.rt.live, code, serial, wake_at=next_redraw(view, now))


projector()
