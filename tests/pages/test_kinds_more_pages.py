"""Choice and open questions on a phone, on the dashboard and on the projector (issue 11.1)."""

from __future__ import annotations

import datetime as dt

from apptest_support import button, literal_texts, login, open_app, rendered, store_of

from partenariat_core.agenda import screen_view
from partenariat_core.i18n import t
from partenariat_core.runtime import shared_runtime
from partenariat_core.scoring.summary import summarize
from partenariat_core.sessions import create_session
from ui.projector import Screen, step_html

LUNCH = """\
id = "lunch"
kind = "choice"
title = { fr = "Dîner", en = "Lunch" }
prompt = { fr = "Que mange-t-on ?", en = "What do we eat?" }
multiple = true
options = [
  { id = "soup", label = { fr = "Soupe", en = "Soup" } },
  { id = "salad", label = { fr = "Salade", en = "Salad" } },
  { id = "cake", label = { fr = "Gâteau <b>", en = "Cake <b>" } },
]
"""
PLACE = LUNCH.replace('id = "lunch"', 'id = "place"').replace("multiple = true\n", "")
WORD = """\
id = "word"
kind = "open"
title = { fr = "Un mot", en = "One word" }
prompt = { fr = "Un mot pour finir ?", en = "One word to end?" }
max_length = 20
"""


def _session(app_env):
    folder = app_env / "instruments"
    folder.mkdir(mode=0o700, exist_ok=True)
    for name, text in (("lunch", LUNCH), ("place", PLACE), ("word", WORD)):
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    rt = shared_runtime()
    return rt, create_session(rt.store, rt.instruments, "Repas", instrument_ids=("lunch", "place", "word"))


def test_phones_answer_choice_and_open_questions_and_see_them_back(app_env):
    _rt, session = _session(app_env)
    phone = open_app(session=session.code, p="phone-token-01")
    phone.checkbox(key="opt_lunch_soup").check()
    phone.checkbox(key="opt_lunch_cake").check()
    button(phone, "Envoyer").click().run()
    assert not phone.exception and not phone.error
    phone.radio(key="pick_place").set_value("salad")
    next(b for b in phone.button if b.label == "Envoyer" and "place" in b.form_id).click().run()
    phone.text_area(key="open_word").input("Un mot bien trop long pour ici")
    next(b for b in phone.button if b.label == "Envoyer" and "word" in b.form_id).click().run()
    assert [rendered(e.value) for e in phone.error] == ["Réponse trop longue : 30 caractères, 20 au plus."]
    phone.text_area(key="open_word").input("Merci")
    next(b for b in phone.button if b.label == "Envoyer" and "word" in b.form_id).click().run()
    events = [e for e in store_of(app_env).read_events(session.code) if not e.instrument.startswith("_")]
    assert [(e.instrument, e.value, e.text) for e in events] == [
        ("lunch", "soup cake", ""),
        ("place", "salad", ""),
        ("word", "", "Merci"),
    ]
    again = open_app(session=session.code, p="phone-token-01")  # a reload: what was sent is shown back
    assert again.checkbox(key="opt_lunch_soup").value and again.checkbox(key="opt_lunch_cake").value
    assert not again.checkbox(key="opt_lunch_salad").value
    assert again.radio(key="pick_place").value == "salad"
    assert literal_texts(again, "pl-literal pl-my-card") == ["Votre réponse enregistrée : Merci"]


def test_dashboard_and_projector_show_counts_and_answers_escaped(app_env):
    rt, session = _session(app_env)
    phone = open_app(session=session.code, p="phone-token-02")
    phone.checkbox(key="opt_lunch_cake").check()
    button(phone, "Envoyer").click().run()
    phone.text_area(key="open_word").input("<i>Bravo</i>")
    next(b for b in phone.button if b.label == "Envoyer" and "word" in b.form_id).click().run()
    dashboard = login(open_app("pages/dashboard.py", session=session.code, lang="en"))
    assert not dashboard.exception
    body = " ".join(h.proto.body for h in dashboard.get("html"))
    assert "Cake &lt;b&gt;</div>" in body and "1 (100%)" in body and "0 (0%)" in body
    assert "<div class='pl-card'>&lt;i&gt;Bravo&lt;/i&gt;</div>" in body

    events = store_of(app_env).read_events(session.code)
    summary = summarize(session, events, rt.instruments)

    def screen_at(step: int) -> str:
        view = screen_view(session, dt.datetime.now(dt.UTC), step)
        screen = Screen(
            summary, view, rt.instruments, "http://salle:8501", "fr", lambda k, **p: t(k, "fr", **p), 0.0
        )
        return step_html(screen)

    choice = screen_at(1)
    assert "Gâteau &lt;b&gt;" in choice and "1 (100 %)" in choice and "Personnes ayant répondu : 1" in choice
    assert screen_at(2).count("pl-s-noanswer") == 1  # "place": nobody answered yet
    answers = screen_at(3)
    assert "<div class='pl-s-card'>&lt;i&gt;Bravo&lt;/i&gt;</div>" in answers


def test_the_dashboards_top_words_toggle_shows_an_open_questions_answers(app_env):
    """Each person's latest answer, a word once per answer, stop words out, the most used spelling:
    Santé ×2 (Santé, santé), villes ×2 (villes, Villes), then publique and vivantes; "vélo" was
    replaced by its author's second answer and "des" is a stop word."""
    _rt, session = _session(app_env)
    for token, answers in (
        ("phone-token-11", ("Vélo partout", "Santé publique")),
        ("phone-token-12", ("santé des villes",)),
        ("phone-token-13", ("Villes vivantes",)),
    ):
        phone = open_app(session=session.code, p=token)
        for text in answers:
            phone.text_area(key="open_word").input(text)
            next(b for b in phone.button if b.label == "Envoyer" and "word" in b.form_id).click().run()
            assert not phone.exception and not phone.error
    dashboard = login(open_app("pages/dashboard.py", session=session.code))
    toggle = dashboard.toggle(key=f"top_words_{session.code}")
    assert toggle.value is False and len(dashboard.get("image")) == 0
    toggle.set_value(True).run()
    assert not dashboard.exception
    assert "Mots fréquents — Un mot" in [h.value for h in dashboard.subheader]
    assert len(dashboard.get("image")) == 1  # the open question's cloud (the choices have none)
    (table,) = [df.value for df in dashboard.dataframe]
    assert list(table.columns) == ["Mot", "Réponses qui l'emploient"]
    assert table["Mot"].tolist() == ["Santé", "villes", "publique", "vivantes"]
    assert table["Réponses qui l'emploient"].tolist() == [2, 2, 1, 1]

    dashboard.toggle(key=f"reveal_{session.code}_word").set_value(False).run()  # the host hides it
    assert "word" in store_of(app_env).get_session(session.code).hidden_boards
    assert len(dashboard.get("image")) == 0 and len(dashboard.dataframe) == 0  # hidden stays hidden
