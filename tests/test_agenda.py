"""The agenda: steps, guided mode, locks, countdowns and the screen key (partenariat_core.agenda)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from partenariat_core import agenda
from partenariat_core.agenda import Agenda, Countdown, phone_view, screen_view
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.model import Session
from partenariat_core.sessions import (
    ensure_screen_key,
    go_to_step,
    move_step,
    renew_screen_key,
    set_agenda_mode,
    set_board_hidden,
    set_open,
    set_step_locked,
    start_step_countdown,
    stop_step_countdown,
    update_session,
)
from partenariat_core.store import SQLiteStore

T0 = dt.datetime(2026, 12, 1, 14, 0, 0, tzinfo=dt.UTC)


def session(**fields: object) -> Session:
    base = {"code": "ABC234", "title": "Atelier", "created_at": T0, "date": T0.date()}
    return Session(**{**base, **fields})  # type: ignore[arg-type]


def test_steps_are_join_then_the_activities_in_order():
    s = session(instruments=("keep_throw", "continuum"))
    assert agenda.steps(s) == ("join", "keep_throw", "continuum")
    assert agenda.current_step(s) == "join"


def test_the_agenda_survives_the_session_record_and_old_records_load_with_the_default():
    s = session(
        agenda=Agenda(
            mode="guided",
            current=2,
            locked=("keep_throw",),
            countdown=Countdown("conditions", T0 + dt.timedelta(minutes=3), lock_at_zero=True),
            screen_key="k3y",
        )
    )
    rec = s.to_record()
    assert all(isinstance(v, str) for v in rec.values())
    assert Session.from_record(rec) == s
    old = {k: v for k, v in rec.items() if k != "agenda"}  # a record written before agendas
    assert Session.from_record(old).agenda == Agenda()
    assert Session.from_record({**rec, "agenda": "{not json"}).agenda == Agenda()
    damaged = Session.from_record({**rec, "agenda": '{"mode": "chaos", "current": -3, "locked": [1, "x"]}'})
    assert damaged.agenda == Agenda(mode="free", current=0, locked=("x",))


def test_moving_stays_inside_the_agenda():
    s = session(instruments=("keep_throw", "conditions"))
    assert agenda.move(s, -1).agenda.current == 0  # previous on the join step stays there
    s = agenda.move(agenda.move(s, 1), 1)
    assert agenda.current_step(s) == "conditions"
    assert agenda.move(s, 1).agenda.current == 2  # next on the last step stays there
    # an activity removed since: the stored index points past the end and is read as the last step
    shorter = s.with_changes(instruments=("keep_throw",))
    assert agenda.current_index(shorter) == 1


def test_guided_phones_see_the_current_step_or_wait_free_phones_see_everything():
    s = session(instruments=("keep_throw", "conditions", "continuum"), sectors=("community",))
    free = phone_view(s, T0)
    assert free == agenda.PhoneView(False, ("keep_throw", "conditions", "continuum"), frozenset(), True)
    guided = agenda.set_mode(s, "guided")
    assert phone_view(guided, T0) == agenda.PhoneView(True, (), frozenset(), True)
    on_second = agenda.go_to(guided, 2)
    assert phone_view(on_second, T0, sector_answered=True) == agenda.PhoneView(
        False, ("conditions",), frozenset(), False
    )
    # someone who joins late still gets the sector question until they answer it
    assert phone_view(on_second, T0, sector_answered=False).sector is True


def test_a_locked_step_is_locked_on_the_phone_and_on_the_screen():
    s = agenda.lock_step(agenda.go_to(session(), 1), "keep_throw", True)
    assert phone_view(s, T0).locked == frozenset({"keep_throw"})
    assert screen_view(s, T0).locked is True
    assert agenda.step_locked(agenda.lock_step(s, "keep_throw", False), "keep_throw", T0) is False
    assert agenda.step_locked(s.with_changes(is_open=False), "conditions", T0) is True  # session closed


def test_a_countdown_counts_down_from_the_clock_and_locks_at_zero_when_asked():
    s = agenda.start_countdown(agenda.go_to(session(), 2), "conditions", 120, T0, lock_at_zero=True)
    assert agenda.remaining_seconds(s, "conditions", T0) == 120
    assert agenda.remaining_seconds(s, "conditions", T0 + dt.timedelta(seconds=0.4)) == 120  # rounded up
    assert agenda.remaining_seconds(s, "conditions", T0 + dt.timedelta(seconds=119.5)) == 1
    assert agenda.remaining_seconds(s, "keep_throw", T0) is None  # the timer is on another step
    assert agenda.step_locked(s, "conditions", T0 + dt.timedelta(seconds=119)) is False
    later = T0 + dt.timedelta(seconds=120)
    assert agenda.remaining_seconds(s, "conditions", later + dt.timedelta(hours=1)) == 0
    assert agenda.step_locked(s, "conditions", later) is True
    assert screen_view(s, later) == agenda.ScreenView(2, "conditions", 4, False, True, True, 0)
    # reopening the step drops the timer that locked it
    reopened = agenda.lock_step(s, "conditions", False)
    assert reopened.agenda.countdown is None
    assert agenda.step_locked(reopened, "conditions", later) is False
    # without "lock when time is up" the step stays open at zero
    soft = agenda.start_countdown(s, "conditions", 60, T0)
    assert agenda.step_locked(soft, "conditions", T0 + dt.timedelta(minutes=5)) is False


def test_starting_a_countdown_on_a_locked_step_opens_it():
    s = agenda.lock_step(session(), "continuum", True)
    s = agenda.start_countdown(s, "continuum", 60, T0)
    assert agenda.step_locked(s, "continuum", T0) is False


def test_the_screen_follows_the_host_unless_the_link_pins_a_step():
    s = agenda.go_to(session(hidden_boards=("continuum",)), 1)
    assert screen_view(s, T0).step == "keep_throw"
    pinned = screen_view(s, T0, pinned=agenda.parse_step("3", s))
    assert (pinned.index, pinned.step, pinned.pinned, pinned.revealed) == (3, "continuum", True, False)
    assert agenda.parse_step("4", s) is None  # no such step: follow the host
    assert agenda.parse_step("deux", s) is None
    assert agenda.parse_step(None, s) is None
    assert screen_view(s, T0, pinned=0).step == "join"


def test_the_screen_key_must_match_exactly():
    s = session()
    assert agenda.screen_key_matches(s, "") is False  # no key yet: no link opens
    keyed = agenda.renew_key(s, "abc-123")
    assert agenda.screen_key_matches(keyed, "abc-123") is True
    assert agenda.screen_key_matches(keyed, "abc-12") is False
    assert agenda.screen_key_matches(keyed, None) is False
    renewed = agenda.renew_key(keyed)
    assert agenda.screen_key_matches(renewed, "abc-123") is False
    assert len(renewed.agenda.screen_key) == 24  # 18 random bytes, URL-safe base64
    assert agenda.screen_url("http://room.local:8501/", keyed) == (
        "http://room.local:8501/screen?session=ABC234&key=abc-123"
    )
    assert agenda.screen_url("http://x", keyed.with_changes(language="en"), step=2) == (
        "http://x/screen?session=ABC234&key=abc-123&step=conditions&lang=en"  # pinned by its id
    )


# through the store, compare-and-set ---------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path):
    store = SQLiteStore(tmp_path / "p.db")
    s = session(instruments=("keep_throw", "conditions", "continuum"))
    store.create_session(s)
    return store, s.code


def test_host_actions_go_through_the_store(stored):
    store, code = stored
    move_step(store, code, 1)
    move_step(store, code, 1)  # two taps, two steps: each applies to the stored state
    assert agenda.current_step(store.get_session(code)) == "conditions"
    go_to_step(store, code, 0)
    set_agenda_mode(store, code, "guided")
    set_step_locked(store, code, "keep_throw", True)
    start_step_countdown(store, code, "conditions", 300, lock_at_zero=True, now=T0)
    saved = store.get_session(code)
    assert saved.agenda == Agenda(
        "guided", 0, ("keep_throw",), Countdown("conditions", T0 + dt.timedelta(minutes=5), True)
    )
    assert saved.version == 6  # six actions, six saves
    stop_step_countdown(store, code)
    assert store.get_session(code).agenda.countdown is None


def test_bad_host_input_is_refused_in_words_and_changes_nothing(stored):
    store, code = stored
    with pytest.raises(RejectedInput) as mode:
        set_agenda_mode(store, code, "chaos")
    assert mode.value.key == "agenda.bad_mode"
    with pytest.raises(RejectedInput) as duration:
        start_step_countdown(store, code, "conditions", 0)
    assert duration.value.key == "agenda.bad_duration"
    with pytest.raises(RejectedInput):
        start_step_countdown(store, code, "conditions", 3 * 3600 + 1)
    assert store.get_session(code).version == 0
    with pytest.raises(SessionError):
        move_step(store, "NOPE22", 1)


def test_a_host_action_keeps_what_another_tab_changed_in_between(stored):
    """The remote moves to the next step while the dashboard (an older copy) reveals a board."""
    store, code = stored
    stale = store.get_session(code)
    move_step(store, code, 1)
    set_board_hidden(store, stale, "continuum", hidden=True)
    set_open(store, stale, False)
    after = store.get_session(code)
    assert (after.agenda.current, after.hidden_boards, after.is_open) == (1, ("continuum",), False)


def test_the_screen_key_is_made_once_and_renewing_replaces_it(stored):
    store, code = stored
    first = ensure_screen_key(store, code).agenda.screen_key
    assert first
    again = ensure_screen_key(store, code)
    assert again.agenda.screen_key == first
    assert again.version == 1  # asking again writes nothing
    renewed = renew_screen_key(store, code).agenda.screen_key
    assert renewed != first
    assert agenda.screen_key_matches(store.get_session(code), first) is False


def test_an_sqlite_file_from_before_agendas_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    store = SQLiteStore(path)
    store.create_session(session())
    # now drop the column, as the file of an older release lacks it
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE sessions DROP COLUMN agenda")
    reopened = SQLiteStore(path)
    assert reopened.get_session("ABC234").agenda == Agenda()
    update_session(reopened, "ABC234", lambda s: agenda.set_mode(s, "guided"))
    assert reopened.get_session("ABC234").agenda.mode == "guided"


def test_a_locked_step_refuses_answers_and_the_other_steps_still_take_them(stored, instruments):
    from partenariat_core.participation import submit_card, submit_continuum

    store, code = stored
    locked = set_step_locked(store, code, "keep_throw", True)
    with pytest.raises(SessionError) as refused:
        submit_card(store, locked, "pid-00001", instruments["keep_throw"], "keep", "Le plaisir", "s1")
    assert refused.value.key == "agenda.step_locked"
    answers = {"now": "coordinating", "desired": "collaborating"}
    assert submit_continuum(store, locked, "pid-00001", instruments["continuum"], answers, "s2") == 2
    assert [e.instrument for e in store.read_events(code)] == ["continuum", "continuum"]  # no card


def test_every_agenda_screen_and_remote_key_used_in_the_code_exists_in_both_languages():
    import re
    from pathlib import Path

    from partenariat_core.i18n import catalog

    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("pages/*.py"), *root.glob("ui/*.py"), *root.glob("partenariat_core/*.py")]
    key = re.compile(r"""["']((?:agenda|screen|remote|manage)\.[a-z0-9_]+)["']""")
    used = {m for path in files for m in key.findall(path.read_text(encoding="utf-8"))}
    used |= {f"agenda.{mode}" for mode in agenda.MODES}  # built from the mode in pages/remote.py
    plural = {k for k in used if f"{k}.one" in catalog()}  # t_count's keys: key.one and key.other
    used = (used - plural) | {f"{k}.{form}" for k in plural for form in ("one", "other")}
    assert len(used) > 30
    assert sorted(used - set(catalog())) == []
    assert all(set(catalog()[k]) == {"fr", "en"} for k in used)
