"""AppTest of the export and comparison pages: host gate, formats, prepare → download, breakdowns."""

from __future__ import annotations

import shutil

import pytest
from apptest_support import login, open_app, rendered, store_of
from export_support import CODE, stored

from partenariat_core.demo import DEMO_CODE

HAVE_CHROMIUM = shutil.which("chromium") is not None or shutil.which("google-chrome") is not None


def downloads(at) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def button(at, prefix: str):
    return next(b for b in at.button if b.label.startswith(prefix))


def test_export_page_needs_the_passcode(app_env):
    at = open_app("pages/export.py")
    assert [t.value for t in at.title] == ["Espace animation"]
    assert not at.get("download_button") and not at.radio


def test_export_page_prepares_an_xlsx_download(app_env):
    stored(store_of(app_env))
    at = login(open_app("pages/export.py", session=CODE))
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Exporter les résultats"]
    assert at.selectbox[0].value == CODE
    assert (
        at.caption[0].value == f"5 participant·e·s · {5 + 1 + 30 + 10 + 7} réponses enregistrées"
    )  # sectors, changed, answers, cards
    formats = at.radio(key="export_format")
    assert formats.options[:2] == ["Classeur Excel (.xlsx)", "Rapport HTML interactif"]
    assert ("Rapport PDF" in formats.options) == HAVE_CHROMIUM
    formats.set_value("xlsx").run()
    button(at, "Préparer : Classeur Excel").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert downloads(at) == ["Télécharger 2026-11-25 KNWN23 Table de quartier — « avant ».xlsx"]


def test_export_page_shows_the_summary_and_never_a_small_group(app_env):
    stored(store_of(app_env))
    at = login(open_app("pages/export.py", session=CODE, lang="en"))
    text = " ".join(m.value for m in at.markdown)
    assert "Condition rated lowest: C2 · Early participation" in text
    assert [s.value for s in at.subheader][-2:] == ["By sector", "Import a JSON archive"]
    # community (3) and municipal (2): showing community would give municipal away by subtraction
    assert not at.dataframe
    assert [i.value for i in at.info] == ["No sector reaches the anonymity threshold yet."] * 3
    notes = [c.value for c in at.caption if c.value.startswith("5 people are not shown by sector")]
    assert len(notes) == 3


def test_demo_sector_tables_show_only_groups_of_three_or_more(app_env):
    at = login(open_app("pages/export.py", session=DEMO_CODE, lang="en"))
    tables = [df.value for df in at.dataframe]
    assert len(tables) == 3
    for table in tables:
        sizes = [int(name.rsplit("n = ", 1)[1].rstrip(")")) for name in table.index]
        assert sizes and min(sizes) >= 3
        assert sum(sizes) <= 25


def test_csv_offers_the_semicolon(app_env):
    at = login(open_app("pages/export.py", session=DEMO_CODE))
    at.radio(key="export_format").set_value("csv").run()
    at.radio(key="export_delimiter").set_value(";").run()
    button(at, "Préparer : Réponses brutes en CSV").click().run()
    assert downloads(at) == [
        "Télécharger 2019-11-28 GARDEZ CSV Orchestrer l'action intersectorielle — bilan de….zip"
    ]


def test_without_chrome_png_and_pdf_are_hidden_with_the_reason(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    at = login(open_app("pages/export.py", session=DEMO_CODE))
    options = at.radio(key="export_format").options
    assert "Rapport PDF" not in options and "Images PNG des graphiques" not in options
    assert len(options) == 4
    assert any("BROWSER_PATH" in i.value and "no-such-browser" in i.value for i in at.info)
    assert not at.error


def test_compare_page_shows_two_sessions_side_by_side(app_env):
    stored(store_of(app_env))
    at = login(open_app("pages/compare.py", session=CODE))
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Comparer des sessions"]
    assert at.multiselect(key="compare_pick").value[0] == CODE  # the session the link names, first
    # the demo has two sessions: compare with the one that has the same activities
    at.multiselect(key="compare_pick").set_value([CODE, DEMO_CODE]).run()
    assert len(at.get("plotly_chart")) == 4  # radar, differences, continuum, cards and votes
    boards = next(d.value for d in at.dataframe if d.value.index.name == "Cartes et votes")
    assert boards[CODE].to_list() == [7, 7, 0, 0, 0, 0, 0, 0]  # 7 cards, never curated
    assert boards[DEMO_CODE].iloc[0] == 39  # the demo board's 39 cards, all posted
    overview = at.dataframe[0].value
    assert overview["Code"].to_list() == [CODE, DEMO_CODE]
    assert overview["Participant·e·s"].to_list() == [5, 25]
    cards = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cards
    button(at, "Préparer : Classeur Excel").click().run()
    assert not at.error, [e.value for e in at.error]
    assert downloads(at) == [d for d in downloads(at) if d.endswith(f"comparaison {CODE} {DEMO_CODE}.xlsx")]
    assert len(downloads(at)) == 1


def test_compare_page_asks_for_two_sessions(app_env, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_DEMO", "0")  # no demo sessions: one session only, below
    stored(store_of(app_env))
    at = login(open_app("pages/compare.py", lang="en"))
    assert [i.value for i in at.info] == ["Pick at least two sessions."]
    assert not at.multiselect
    stored(store_of(app_env), "SECND2")
    at.run()
    at.multiselect(key="compare_pick").set_value([CODE]).run()
    assert [i.value for i in at.info] == ["Pick at least two sessions."]
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("page", ["pages/export.py", "pages/compare.py"])
def test_pages_are_in_the_host_menu(app_env, page):
    at = login(open_app(page))
    links = [el.proto.page for el in at.get("page_link")]
    assert links[:2] == ["host", "dashboard"] and "participate" not in links  # host pages only
    assert links.index("export") < links.index("compare")  # other host pages may follow or precede


def test_import_an_archive_from_the_page(app_env, tmp_path, instruments):
    from partenariat_core.export import export_json, load_session_data
    from partenariat_core.store import SQLiteStore

    elsewhere = stored(SQLiteStore(tmp_path / "elsewhere.db"))
    archive = export_json(load_session_data(elsewhere, instruments, CODE))
    at = login(open_app("pages/export.py", session=DEMO_CODE))
    at.file_uploader(key="import_file").set_value((archive.name, archive.data, "application/json")).run()
    at.button(key="import_button").click().run()
    total = 5 + 1 + 30 + 10 + 7
    assert [s.value for s in at.success] == [
        f"Session {CODE} importée : {total} réponses ajoutées sur {total} dans l'archive."
    ]
    assert len(store_of(app_env).read_events(CODE)) == total
    at.button(key="import_button").click().run()
    assert [s.value for s in at.success] == [
        f"Session {CODE} importée : 0 réponse ajoutée sur {total} dans l'archive."
    ]
    at.file_uploader(key="import_file").set_value(("x.json", b"{not json", "application/json")).run()
    at.button(key="import_button").click().run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(
        "Ce fichier n'est pas une archive Partenariat Live valide"
    )
    assert not at.success


def test_compare_page_shows_an_empty_keep_throw_column_as_no_cards(app_env):
    """An empty column used to reach ``st.html("")``, which raises: a traceback and no export buttons."""
    stored(store_of(app_env), keep_throw_preset="garder_jeter_ajouter")  # nobody wrote in "add"
    at = login(open_app("pages/compare.py", session=CODE))
    assert not at.exception, at.exception
    at.multiselect(key="compare_pick").set_value([CODE, DEMO_CODE]).run()  # the keep/throw demo
    assert not at.exception, at.exception
    headers = [m.value for m in at.markdown if "Qu'est-ce qu'on ajoute" in m.value]
    assert headers == ["*Qu'est-ce qu'on garde / Qu'est-ce qu'on jette — Qu'est-ce qu'on ajoute* (0)"]
    bodies = [str(h.proto.body) for h in at.get("html")]
    assert all(body.strip() for body in bodies)
    assert sum("Pas encore de carte." in body for body in bodies) == 1
    assert len(downloads(at)) == 0 and button(at, "Préparer : Classeur Excel")  # export still offered


def test_an_archive_conflict_shows_the_titles_as_typed(app_env, tmp_path, instruments):
    # The refusal quotes both sessions' titles; before, they were drawn as Markdown (bold, links).
    from partenariat_core.export import export_json, load_session_data
    from partenariat_core.model import Session
    from partenariat_core.store import SQLiteStore

    hostile = "**Gras** [lien](http://x) :red[rouge] $x^2$"
    elsewhere = SQLiteStore(tmp_path / "elsewhere.db")
    elsewhere.create_session(Session("TIT234", hostile))
    archive = export_json(load_session_data(elsewhere, instruments, "TIT234"))
    at = login(open_app("pages/export.py", session=DEMO_CODE))
    store_of(app_env).create_session(Session("TIT234", "Un autre atelier"))
    at.file_uploader(key="import_file").set_value((archive.name, archive.data, "application/json")).run()
    at.button(key="import_button").click().run()
    (error,) = [rendered(e.value) for e in at.error]
    assert f"(« Un autre atelier ») que celle de l'archive (« {hostile} »)" in error
