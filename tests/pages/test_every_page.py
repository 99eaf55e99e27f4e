"""Every page runs without an exception, in both languages, as streamlit-app-action does."""

from __future__ import annotations

import pytest
from apptest_support import login, open_app, rendered

from ui.nav import PAGES


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_page_runs_cleanly(app_env, page, lang):
    at = open_app(page, lang=lang)
    if any(t.value in ("Espace animation", "Host area") for t in at.title):
        at = login(at)
    assert not at.exception, at.exception
    assert not at.error, [rendered(e.value) for e in at.error]


def test_broken_instrument_file_stops_the_app_with_file_and_field(app_env, monkeypatch):
    extra = app_env / "instruments"
    extra.mkdir()
    (extra / "mon_outil.toml").write_text(
        'id = "mon_outil"\nkind = "conditions"\ntitle = { fr = "Outil", en = "Tool" }\n'
        '[scale]\ndont_know = { fr = "?", en = "?" }\n'
        'levels = [{ value = "A", score = 3, label = { fr = "A", en = "A" } }]\n'
        '[[conditions]]\nid = "C1"\nlabel = { fr = "Un", en = "One" }\n'
        '[[items]]\nid = "i1"\ncondition = "C9"\ntext = { fr = "Texte", en = "Text" }\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PARTENARIAT_INSTRUMENTS_DIR", str(extra))
    at = open_app("pages/participate.py", session="GARDEZ")
    assert [rendered(e.value) for e in at.error] == [
        "L'application ne peut pas démarrer : Fichier d'activité invalide « mon_outil.toml », "
        "champ « items[0].condition » : condition inconnue « C9 »."
    ]
    assert len(at.title) == 0 and len(at.radio) == 0  # nothing half-loaded is shown


def test_broken_setting_is_named_in_english_too(app_env, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_REFRESH_SECONDS", "soon")
    at = open_app("pages/participate.py", lang="en")
    assert [rendered(e.value) for e in at.error] == [
        "The app cannot start: Invalid setting “PARTENARIAT_REFRESH_SECONDS”: “soon” "
        "(expected: a number of seconds from 0.5 to 60)."
    ]
