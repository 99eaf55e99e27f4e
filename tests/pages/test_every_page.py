"""Every page runs without an exception, in both languages, as streamlit-app-action does."""

from __future__ import annotations

import pytest
from apptest_support import login, open_app

from ui.nav import PAGES


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_page_runs_cleanly(app_env, page, lang):
    at = open_app(page, lang=lang)
    if any(t.value in ("Espace animation", "Host area") for t in at.title):
        at = login(at)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
