"""The Google Forms page through AppTest: sheet-written text is drawn literally, refused answers are
listed by row and column, and an import never breaks the rules a phone obeys.

The response sheet is in the project's fake Sheets server; the app keeps its default SQLite store.
"""

from __future__ import annotations

import html

import pytest
from apptest_support import button, login, open_app, store_of

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.model import Session
from ui.literal import markdown_safe

FORM = "page-form-literal"
TAB = "Réponses au formulaire 1"
CODE = "LIT234"
HOSTILE = "**Gras** [lien](http://x) :red[rouge] $x^2$ <b>b</b>"
KEEP = "Qu'est-ce qu'on garde ?"
NOW = "Où se situe le partenariat aujourd'hui ?"
ROWS = [
    ["Horodateur", HOSTILE, NOW, KEEP],
    ["2026/11/20 9:03:01 UTC−5", "peu importe", "Coopération", "x" * 10_000],
    ["20/11/2026 09:04:00", "", HOSTILE, "Les tables de quartier"],
]


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(FORM, "Formulaire (réponses)", sheets=[TAB])
        server.set_values(FORM, TAB, ROWS)
        yield server


@pytest.fixture
def forms_env(app_env, fake, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    store = store_of(app_env)
    store.create_session(Session(CODE, "Atelier Forms", instruments=("keep_throw", "continuum")))
    store.close()
    return app_env


def _read_sheet():
    at = login(open_app("pages/forms_import.py", session=CODE))
    assert not at.exception, at.exception
    at.text_input[0].input(FORM)
    at = button(at, "Lire la feuille").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _html_bodies(at) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def test_column_headers_are_drawn_as_literal_text(forms_env):
    at = _read_sheet()
    # the header cell of the mapping table: escaped HTML, its Markdown left as typed
    assert f'<div class="pl-literal">{html.escape(HOSTILE)}</div>' in _html_bodies(at)
    # the column's selectbox is labelled with the escaped header, never the raw one
    labels = [sb.label for sb in at.selectbox if sb.key and sb.key.startswith("forms_col_")]
    assert labels == [markdown_safe(HOSTILE), markdown_safe(NOW), markdown_safe(KEEP)]
    # the unmapped column is named in the caption, escaped
    [caption] = [c.value for c in at.caption if "Colonnes non importées" in c.value]
    assert caption == f"Colonnes non importées : {markdown_safe(HOSTILE)}"
    # nowhere is the header passed to Markdown as it is
    markdown = [m.value for m in (*at.markdown, *at.caption, *at.warning, *at.error, *at.success)]
    assert not any("**Gras**" in text or "<b>" in text for text in markdown)


def test_import_lists_refused_answers_and_stores_only_what_the_rules_allow(forms_env):
    at = _read_sheet()
    at = button(at, "Importer les réponses").click().run()
    assert not at.exception, at.exception
    assert any(s.value == "2 nouvelles réponses importées depuis 2 lignes." for s in at.success)
    # the sheet-written answer quoted in the warning is escaped
    [unreadable] = [w.value for w in at.warning if "illisible" in w.value]
    assert markdown_safe(HOSTILE) in unreadable and HOSTILE not in unreadable
    assert any(w.value.startswith("2 réponses non importées") for w in at.warning)
    [table] = at.dataframe
    refused = table.value
    assert list(refused.columns) == ["Ligne", "Colonne", "Raison"]
    assert refused.values.tolist() == [
        [
            2,
            KEEP,
            "Carte trop longue : 10000 caractères pour 280 au plus. Raccourcissez-la ou faites-en deux.",
        ],
        [3, NOW, f"Réponse non reconnue : « {HOSTILE} »."],
    ]
    store = store_of(forms_env)
    try:
        events = store.read_events(CODE)
    finally:
        store.close()
    assert sorted((e.item, e.value or e.text) for e in events) == [
        ("keep", "Les tables de quartier"),
        ("now", "cooperating"),
    ]
    # a second import adds nothing and refuses the same answers again
    at = button(at, "Importer les réponses").click().run()
    assert any(s.value.startswith("0 nouvelle réponse importée") for s in at.success)


def test_a_closed_session_refuses_the_import_with_a_clear_message(forms_env):
    at = _read_sheet()
    store = store_of(forms_env)
    try:
        session = store.get_session(CODE)
        store.save_session(session.with_changes(is_open=False))  # closed in another tab meanwhile
        at = button(at, "Importer les réponses").click().run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == [
            f"La session {CODE} est fermée : rouvrez-la dans « Animer » pour importer les réponses du "
            "formulaire, puis refermez-la."
        ]
        assert store.read_events(CODE) == []
    finally:
        store.close()
