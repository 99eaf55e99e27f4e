"""The passcode gate under AppTest: failed guesses slow down, per browser session and per address."""

from __future__ import annotations

import logging

import pytest
from apptest_support import PASSCODE, login, open_app, rendered

import ui.auth
from partenariat_core import GuessThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app_env, monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ui.auth, "THROTTLE", GuessThrottle(clock=clock))  # 3 free, then 2 s, 4 s…
    return clock


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_three_free_failures_then_a_wait_even_for_the_right_passcode(clock):
    at = open_app("pages/host.py")
    for _ in range(3):
        assert errors(login(at, "wrong-guess-123")) == ["Code d'animation incorrect."]
    assert errors(login(at, "wrong-guess-123")) == [
        "Code d'animation incorrect.",
        "Trop de tentatives : réessayez dans 2 secondes.",
    ]
    clock.now += 1.5
    assert errors(login(at, PASSCODE)) == ["Trop de tentatives : réessayez dans 1 seconde."]
    assert [t.value for t in at.title] == ["Espace animation"]  # not let in: not even checked
    clock.now += 0.5
    assert errors(login(at, PASSCODE)) == []
    assert "Espace animation" not in [t.value for t in at.title]


def test_a_refused_attempt_during_the_wait_does_not_count(clock):
    at = open_app("pages/host.py", lang="en")
    for _ in range(4):
        login(at, "wrong-guess-123")
    login(at, "wrong-guess-123")  # during the 2 s wait: refused unchecked
    assert errors(at) == ["Too many attempts: try again in 2 seconds."]
    clock.now += 2
    assert errors(login(at, "wrong-guess-123")) == [
        "Wrong host passcode.",
        "Too many attempts: try again in 4 seconds.",  # the 5th failure, not the 6th
    ]


def test_a_new_browser_session_from_the_same_address_still_waits(clock):
    for _ in range(4):
        login(open_app("pages/host.py"), "wrong-guess-123")  # a fresh session for each guess
    fresh = login(open_app("pages/dashboard.py"), PASSCODE)
    assert errors(fresh) == ["Trop de tentatives : réessayez dans 2 secondes."]
    clock.now += 2
    assert errors(login(fresh, PASSCODE)) == []
    assert len(fresh.get("plotly_chart")) == 3  # in: the demo boards are drawn


def test_the_right_passcode_resets_the_count(clock):
    at = open_app("pages/host.py")
    for _ in range(3):
        login(at, "wrong-guess-123")
    login(at, PASSCODE)
    assert ui.auth.THROTTLE.failures("any-session", ui.auth.LOCAL_ADDRESS) == (0, 0)
    other = open_app("pages/host.py")
    assert errors(login(other, "wrong-guess-123")) == ["Code d'animation incorrect."]


def test_failures_are_logged_without_the_guess(clock, caplog):
    at = open_app("pages/host.py")
    with caplog.at_level(logging.WARNING, logger="partenariat_core.throttle"):
        login(at, "my-secret-guess")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "failure 1 from this address" in logged and "local" in logged
    assert "my-secret-guess" not in logged


def test_a_short_configured_passcode_stops_the_app_naming_the_setting(app_env, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_HOST_PASSCODE", "abc")
    at = open_app("pages/host.py")
    shown = " ".join(rendered(e.value) for e in at.error)
    assert "PARTENARIAT_HOST_PASSCODE" in shown and "au moins 10 caractères" in shown
    assert "abc" not in shown
    assert "passcode_input" not in [w.key for w in at.text_input]  # no gate to guess at
