"""Charts are built once per summary and language, whatever the number of screens and ticks."""

from __future__ import annotations

import plotly.graph_objects as go

from partenariat_core import load_instruments
from partenariat_core.demo import demo_events, demo_session
from partenariat_core.scoring import summarize
from ui.boards import _figure


def test_a_figure_is_built_once_per_summary_and_language():
    instruments = load_instruments()
    summary = summarize(demo_session(), demo_events(instruments), instruments)
    builds: list[str] = []

    def build(name: str):
        def make() -> go.Figure:
            builds.append(name)
            return go.Figure()

        return make

    first = _figure(summary, "radar", "fr", build("a"))
    assert _figure(summary, "radar", "fr", build("b")) is first  # another screen, same summary
    assert _figure(summary, "radar", "en", build("c")) is not first  # another language
    newer = summarize(demo_session(), demo_events(instruments)[:-1], instruments)
    assert _figure(newer, "radar", "fr", build("d")) is not first  # a new answer, a new summary
    assert builds == ["a", "c", "d"]
