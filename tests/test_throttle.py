"""Throttling passcode guesses: free failures, then a doubling wait, per session and per address."""

from __future__ import annotations

import logging

import pytest

from partenariat_core.i18n import plural_form, t_count
from partenariat_core.throttle import GuessThrottle


class Clock:
    """A hand-driven clock: ``now`` seconds."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def throttle(clock: Clock, **options) -> GuessThrottle:
    defaults = {"free_failures": 3, "first_delay": 2.0, "max_delay": 60.0, "forget_after": 600.0}
    return GuessThrottle(clock=clock, **{**defaults, **options})


def test_delays_double_after_the_free_failures_up_to_the_cap(clock):
    th = throttle(clock)
    # failures 1-3 free; 4 -> 2 s, 5 -> 4, 6 -> 8, 7 -> 16, 8 -> 32, 9 -> 64 capped at 60
    assert [th.delay_after(n) for n in range(0, 11)] == [0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60]


def test_the_first_failures_impose_no_wait_then_the_fourth_does(clock):
    th = throttle(clock)
    assert [th.failed("s1", "10.0.0.5") for _ in range(3)] == [0, 0, 0]
    assert th.retry_after("s1", "10.0.0.5") == 0
    assert th.failed("s1", "10.0.0.5") == 2
    clock.now += 0.5
    assert th.retry_after("s1", "10.0.0.5") == 2  # 1.5 s left, rounded up
    clock.now += 1.0
    assert th.retry_after("s1", "10.0.0.5") == 1  # 0.5 s left
    clock.now += 0.5
    assert th.retry_after("s1", "10.0.0.5") == 0
    assert th.failed("s1", "10.0.0.5") == 4  # the fifth failure: twice as long
    clock.now += 4
    assert th.failed("s1", "10.0.0.5") == 8


def test_a_new_browser_session_at_the_same_address_still_waits(clock):
    th = throttle(clock)
    for n in range(4):
        th.failed(f"session-{n}", "10.0.0.5")  # a script opening a fresh session for each guess
    assert th.failures("session-9", "10.0.0.5") == (0, 4)
    assert th.retry_after("session-9", "10.0.0.5") == 2
    assert th.retry_after("session-9", "10.0.0.6") == 0  # another address is not held back


def test_one_session_seen_from_several_addresses_still_waits(clock):
    th = throttle(clock)
    for n in range(5):
        th.failed("s1", f"10.0.0.{n}")
    assert th.failures("s1", "10.0.0.9") == (5, 0)
    assert th.retry_after("s1", "10.0.0.9") == 4
    assert th.retry_after("s2", "10.0.0.9") == 0


def test_the_longer_of_the_two_waits_applies(clock):
    th = throttle(clock)
    for _ in range(5):
        th.failed("s1", "10.0.0.5")  # session and address both at 5 failures: 4 s
    clock.now += 4
    assert th.failed("s2", "10.0.0.5") == 8  # address at 6 failures (8 s), new session at 1 (free)


def test_a_success_forgets_both_counts(clock):
    th = throttle(clock)
    for _ in range(6):
        th.failed("s1", "10.0.0.5")
    th.succeeded("s1", "10.0.0.5")
    assert th.failures("s1", "10.0.0.5") == (0, 0)
    assert th.retry_after("s1", "10.0.0.5") == 0
    assert th.failed("s1", "10.0.0.5") == 0


def test_counts_are_forgotten_after_a_quiet_period(clock):
    th = throttle(clock, forget_after=600.0)
    for _ in range(6):
        th.failed("s1", "10.0.0.5")
    clock.now += 599
    assert th.failed("s1", "10.0.0.5") == 16  # 7th failure, 599 s later: still counted
    clock.now += 600
    assert th.failed("s1", "10.0.0.5") == 0  # 600 s of quiet: starts over at 1
    assert th.failures("s1", "10.0.0.5") == (1, 1)


def test_memory_is_bounded_by_dropping_the_oldest(clock):
    th = throttle(clock, max_tracked=4)
    for n in range(5):
        th.failed(f"s{n}", f"10.0.0.{n}")
        clock.now += 1
    assert th.failures("s0", "10.0.0.0") == (0, 0)  # the oldest two records went first
    assert th.failures("s1", "10.0.0.1") == (0, 0)
    assert th.failures("s3", "10.0.0.3") == (1, 1) and th.failures("s4", "10.0.0.4") == (1, 1)


def test_forget_after_shorter_than_the_cap_is_refused(clock):
    with pytest.raises(ValueError):
        GuessThrottle(clock=clock, max_delay=300, forget_after=100)


def test_failures_are_logged_with_address_and_count_never_the_guess(clock, caplog):
    th = throttle(clock)
    with caplog.at_level(logging.WARNING, logger="partenariat_core.throttle"):
        for _ in range(4):
            th.failed("s1", "192.0.2.7")
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 4
    assert "192.0.2.7" in messages[-1] and "failure 4 from this address" in messages[-1]
    assert "next attempt allowed in 2 s" in messages[-1]


def test_the_default_throttle_waits_2_seconds_after_3_free_failures_and_at_most_5_minutes():
    th = GuessThrottle()
    assert [th.delay_after(n) for n in (3, 4, 5, 11, 12, 50)] == [0, 2, 4, 256, 300, 300]


@pytest.mark.parametrize(
    ("count", "lang", "form", "text"),
    [
        (1, "fr", "one", "Trop de tentatives : réessayez dans 1 seconde."),
        (0, "fr", "one", "Trop de tentatives : réessayez dans 0 seconde."),
        (2, "fr", "other", "Trop de tentatives : réessayez dans 2 secondes."),
        (1, "en", "one", "Too many attempts: try again in 1 second."),
        (0, "en", "other", "Too many attempts: try again in 0 seconds."),
        (300, "en", "other", "Too many attempts: try again in 300 seconds."),
    ],
)
def test_the_wait_message_has_the_right_plural(count, lang, form, text):
    assert plural_form(count, lang) == form
    assert t_count("auth.throttled", count, lang) == text
