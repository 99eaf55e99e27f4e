"""What a phone's join costs the server, kept down: things done once per process, not once per run.

The figures are in bench/RESULTS.md ("The knee of one process: a phone's join"); these tests check the
behaviour behind them, never a time.
"""

from __future__ import annotations

import gc
from pathlib import Path

from apptest_support import open_app, store_of

import ui.runtime
from partenariat_core import create_session, load_instruments


class CountedFile:
    """Stands for ``ui/style.css``: the same text, and how many times it was read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reads = 0

    def read_text(self, encoding: str | None = None) -> str:
        self.reads += 1
        return self.path.read_text(encoding=encoding)


def test_the_style_sheet_is_read_once_per_process_and_drawn_on_every_run(app_env, monkeypatch):
    # Before: read from disk on every page run of every tab.
    counted = CountedFile(ui.runtime.STYLE)
    monkeypatch.setattr(ui.runtime, "STYLE", counted)
    ui.runtime._style_tag.cache_clear()
    try:
        tabs = [open_app(), open_app(lang="en")]
        tabs[0].run()
        assert counted.reads == 1
        for at in tabs:  # still on the page, on every run
            styles = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<style>")]
            assert styles and ".pl-counter" in styles[0]
    finally:
        ui.runtime._style_tag.cache_clear()  # the real file for the next tests


def test_fewer_collections_once_the_runtime_is_up(app_env):
    # Before: Python's default (700, 10, 10), a young collection at nearly every phone join.
    open_app()
    assert gc.get_threshold() == ui.runtime.GC_THRESHOLDS
    assert ui.runtime.GC_THRESHOLDS[0] > 700


def test_the_language_comes_from_the_link_else_from_the_server(app_env, monkeypatch):
    # bootstrap reads ?lang= once per run: absent → the server's language; empty or unknown → French.
    open_app()
    session = create_session(store_of(app_env), load_instruments(), "Langues")
    monkeypatch.setenv("PARTENARIAT_LANGUAGE", "en")
    from partenariat_core.runtime import replace_shared_runtime

    replace_shared_runtime(None)  # the next run builds a runtime with the English server setting
    at = open_app(session=session.code)
    assert at.caption[0].value.startswith("Session ") and "your answers" in at.caption[0].value
    assert open_app(session=session.code, lang="fr").button[-1].label == "Envoyer"
    assert "vos réponses" in open_app(session=session.code, lang="").caption[0].value
    assert "your answers" in open_app(session=session.code, lang="en").caption[0].value
