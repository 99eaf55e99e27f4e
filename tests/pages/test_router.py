"""The router's page list: built once per process and language, and a fresh copy for every run."""

from __future__ import annotations

import streamlit as st
from apptest_support import open_app

import ui.router
from ui.nav import PAGES


def test_the_page_list_is_built_once_per_language_and_copied_for_each_run(app_env, monkeypatch):
    # Before: every st.Page built (each resolving its file) on every run of every tab.
    made: list[st.Page] = []

    class CountedPage(st.Page):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(st, "Page", CountedPage)
    ui.router._built.cache_clear()
    handed: list[list[st.Page]] = []
    real = ui.router.router_pages

    def recorded(lang: str) -> list[st.Page]:
        pages = real(lang)
        handed.append(pages)
        return pages

    monkeypatch.setattr(ui.router, "router_pages", recorded)
    try:
        for lang in ("fr", "en", "fr", "en"):  # four tabs, two in each language
            at = open_app(lang=lang)
            assert not at.exception
        assert len(handed) == 4  # the router ran once per tab
        # every page once per language, whatever the number of runs (before: once per run, 4×)
        assert len(made) == len(PAGES) * 2
        first, second = handed[0], handed[2]  # two runs in French: equal pages, not the same objects
        assert [p.title for p in first] == [p.title for p in second]
        assert [p.url_path for p in first] == [p.url_path for p in second]
        assert first[0].url_path == "" and first[1].url_path == "host"  # the default page, then the rest
        assert not any(a is b for a, b in zip(first, second, strict=True))
        assert not any(a is b for a, b in zip(first, made[: len(PAGES)], strict=True))
        assert {p.title for p in handed[0]} != {p.title for p in handed[1]}  # French, then English
    finally:
        ui.router._built.cache_clear()  # no counted page outlives the test
