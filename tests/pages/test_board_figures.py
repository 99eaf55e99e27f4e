"""Charts are built once per summary and language, whatever the number of screens and ticks."""

from __future__ import annotations

import threading
import time

import plotly.graph_objects as go
import pytest

from partenariat_core import load_instruments
from partenariat_core.demo import demo_events, demo_session
from partenariat_core.scoring import summarize
from ui.boards import once_per_summary


def test_a_figure_is_built_once_per_summary_and_language():
    instruments = load_instruments()
    summary = summarize(demo_session(), demo_events(instruments), instruments)
    builds: list[str] = []

    def build(name: str):
        def make() -> go.Figure:
            builds.append(name)
            return go.Figure()

        return make

    first = once_per_summary(summary, "radar", "fr", build("a"))
    assert once_per_summary(summary, "radar", "fr", build("b")) is first  # another screen, same summary
    assert once_per_summary(summary, "radar", "en", build("c")) is not first  # another language
    newer = summarize(demo_session(), demo_events(instruments)[:-1], instruments)
    assert once_per_summary(newer, "radar", "fr", build("d")) is not first  # a new answer, a new summary
    assert builds == ["a", "c", "d"]


def test_screens_asking_at_once_wait_for_one_build():
    """20 dashboards refreshing right after an answer: one build, the others reuse it."""
    instruments = load_instruments()
    summary = summarize(demo_session(), demo_events(instruments)[:-2], instruments)
    builds: list[int] = []
    started, release = threading.Event(), threading.Event()

    def build() -> go.Figure:
        builds.append(1)
        started.set()
        release.wait(10)
        return go.Figure()

    got: list[go.Figure] = []
    first = threading.Thread(target=lambda: got.append(once_per_summary(summary, "dist", "fr", build)))
    first.start()
    assert started.wait(10)

    def ask() -> None:
        got.append(once_per_summary(summary, "dist", "fr", build))

    others = [threading.Thread(target=ask) for _ in range(4)]
    for thread in others:
        thread.start()
    time.sleep(0.2)  # room for the others to reach the cache while the first is still building
    assert builds == [1]  # they wait rather than build their own copy
    release.set()
    for thread in (first, *others):
        thread.join(10)
    assert builds == [1]
    assert len(got) == 5 and all(figure is got[0] for figure in got)


def test_a_failed_build_lets_the_next_screen_try_again():
    instruments = load_instruments()
    summary = summarize(demo_session(), demo_events(instruments)[:-3], instruments)

    def broken() -> go.Figure:
        raise RuntimeError("no figure")

    with pytest.raises(RuntimeError):
        once_per_summary(summary, "cont", "fr", broken)
    figure = go.Figure()
    assert once_per_summary(summary, "cont", "fr", lambda: figure) is figure
