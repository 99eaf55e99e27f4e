"""The Google Forms page with a session's choice and open activities (and a grid and a timeline).

The choice and open columns are offered and matched, a checkboxes cell naming no option is listed
to map, the import stores the phone's events, and the activities no column can answer are named
with the reason, in French and English. The response sheet is in the project's fake Sheets server.
"""

from __future__ import annotations

import pytest
from apptest_support import button, login, open_app, store_of

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.i18n import label, t_count
from partenariat_core.runtime import shared_runtime
from partenariat_core.sessions import create_session
from ui.literal import markdown_safe

FORM = "page-form-kinds"
TAB = "Réponses au formulaire 1"
LUNCH = """\
id = "lunch"
kind = "choice"
title = { fr = "Dîner **gras**", en = "Lunch **bold**" }
prompt = { fr = "Que mange-t-on à midi ?", en = "What do we eat at noon?" }
multiple = true
options = [
  { id = "soup", label = { fr = "Soupe", en = "Soup" } },
  { id = "cake", label = { fr = "Gâteau", en = "Cake" } },
]
"""
WORD = """\
id = "word"
kind = "open"
title = { fr = "Un mot", en = "One word" }
prompt = { fr = "Un mot pour finir la journée ?", en = "One word to end the day?" }
max_length = 40
"""
HEADERS = ["Horodateur", "Que mange-t-on à midi ?", "One word to end the day?"]
ROWS = [
    ["20/11/2026 09:00:01", "Soupe, Gâteau", "Merci"],
    ["20/11/2026 09:00:02", "Cake, Pizza", "Bravo\nà tous"],
]


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(FORM, "Formulaire (réponses)", sheets=[TAB])
        server.set_values(FORM, TAB, [HEADERS, *ROWS])
        yield server


@pytest.fixture
def code(app_env, fake, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    folder = app_env / "instruments"
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / "lunch.toml").write_text(LUNCH, encoding="utf-8")
    (folder / "word.toml").write_text(WORD, encoding="utf-8")
    rt = shared_runtime()
    ids = ("lunch", "word", "controversy", "transitional_results")
    return create_session(rt.store, rt.instruments, "Atelier Forms", instrument_ids=ids).code


def _read_sheet(code: str, lang: str = "fr"):
    at = open_app("pages/forms_import.py", session=code, **({"lang": lang} if lang != "fr" else {}))
    at = login(at)
    assert not at.exception, at.exception
    at.text_input[0].input(FORM)
    at = button(at, "Lire la feuille" if lang == "fr" else "Read the sheet").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _columns(at):
    return [sb for sb in at.selectbox if sb.key and sb.key.startswith("forms_col_")]


def test_choice_and_open_columns_are_offered_and_matched(code):
    rt = shared_runtime()
    at = _read_sheet(code)
    columns = _columns(at)
    assert [sb.value for sb in columns] == ["lunch:answer", "word:answer"]
    lunch, word = "Dîner **gras** — Que mange-t-on à midi ?", "Un mot — Un mot pour finir la journée ?"
    assert [sb.format_func(sb.value) for sb in columns] == [lunch, word]
    # every column may be given either question; the grid and the timeline are not offered
    assert columns[1].options == ["— ne pas importer —", lunch, word]
    # the checkboxes cell's part that names no option is listed for the host, with the options
    [answer] = [sb for sb in at.selectbox if sb.key and sb.key.startswith("forms_ans_")]
    assert answer.label == "Pizza"
    assert answer.options[2:] == ["Soupe", "Gâteau"]
    # the grid and the timeline are named, with why; their titles are escaped, not Markdown
    [info] = [i.value for i in at.info if "formulaire" in i.value]
    assert info.startswith(
        "Ces 2 activités de la session ne peuvent pas recevoir les réponses d'un formulaire : "
    )
    names = [
        markdown_safe(label(rt.instruments[i].title, "fr")) for i in ("controversy", "transitional_results")
    ]
    assert f": {names[0]}, {names[1]}. Chacune" in info  # the titles, escaped for Markdown
    assert "un acteur et ses cases, ou un événement daté et son résultat" in info


def test_import_stores_the_phone_events_and_refuses_the_unknown_option(code, app_env):
    at = _read_sheet(code)
    at = button(at, "Importer les réponses").click().run()
    assert not at.exception, at.exception
    assert any(s.value == "3 nouvelles réponses importées depuis 2 lignes." for s in at.success)
    [table] = at.dataframe
    assert table.value.values.tolist() == [
        [
            3,
            "Que mange-t-on à midi ?",
            "« Pizza » n'est aucun des choix de cette question : associez cette réponse à un choix sous "
            "« Réponses à associer », ou corrigez le formulaire.",
        ]
    ]
    store = store_of(app_env)
    try:
        events = [e for e in store.read_events(code) if not e.instrument.startswith("_")]
    finally:
        store.close()
    assert sorted((e.instrument, e.item, e.value, e.text) for e in events) == [
        ("lunch", "answer", "soup cake", ""),
        ("word", "answer", "", "Bravo à tous"),
        ("word", "answer", "", "Merci"),
    ]
    # the host leaves "Pizza" out: the second response's cake is imported, and nothing twice
    [answer] = [sb for sb in at.selectbox if sb.key and sb.key.startswith("forms_ans_")]
    answer.set_value("")
    at = button(at, "Enregistrer ces réponses").click().run()
    at = button(at, "Importer les réponses").click().run()
    assert any(s.value == "1 nouvelle réponse importée depuis 2 lignes." for s in at.success)
    assert not at.dataframe


def test_the_not_mappable_activities_are_named_in_english(code):
    at = _read_sheet(code, "en")
    [info] = [i.value for i in at.info if "form" in i.value]
    assert info.startswith("These 2 activities of the session cannot take a form's answers: ")
    assert info.endswith("which one form column cannot carry: have them filled in on the phones.")
    one = t_count("forms.kinds_not_mapped", 1, "en", activities="X")
    assert one.startswith("This activity of the session cannot take a form's answers: X.")
