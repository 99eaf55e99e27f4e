"""The phone forms of the field's instruments under AppTest: the six key activities show each
activity's description; timeline events are added, kept once, refused clearly; a grid gets actors
and cells, and shows them literally."""

from __future__ import annotations

from apptest_support import HOSTILE, button, open_app, rendered, store_of

from partenariat_core import create_session, load_instruments
from partenariat_core.scoring import events_frame, latest_answers

PID = "testParticipant01"
TL, GR, SIX = "transitional_results", "controversy", "six_activities"


def new_session(data_dir, *ids):
    open_app()  # first run creates the store (and the demo sessions)
    store = store_of(data_dir)
    return store, create_session(store, load_instruments(), "Atelier terrain", instrument_ids=ids)


def test_six_key_activities_show_each_description_and_store_ratings(app_env):
    store, session = new_session(app_env, SIX)
    at = open_app(session=session.code, p=PID)
    captions = {rendered(c.value) for c in at.caption if "\\" in c.value}  # the escaped ones
    six = load_instruments()[SIX]
    assert {c.definition["fr"] for c in six.conditions} <= captions  # every description, literally
    at.radio(key="item_six_activities_a3_vision").set_value("4")
    at.radio(key="item_six_activities_a5_change").set_value("dont_know")
    button(at, "Envoyer").click().run()
    current = latest_answers(events_frame(store.read_events(session.code)), SIX)
    assert dict(zip(current["item"], current["value"], strict=True)) == {
        "a3_vision": "4",
        "a5_change": "dont_know",
    }
    en = open_app(session=session.code, p=PID, lang="en")
    assert "Agreeing on the values, the objectives and the ways of working together." in {
        rendered(c.value) for c in en.caption if "\\" in c.value
    }


def _add_event(at, period, text, result, send="Ajouter l'événement"):
    at.text_input(key=f"tl_period_{TL}").input(period)
    at.text_area(key=f"tl_text_{TL}").input(text)
    at.selectbox(key=f"tl_result_{TL}").set_value(result)
    button(at, send).click().run()
    return at


def test_timeline_events_are_added_kept_once_and_listed_literally(app_env):
    store, session = new_session(app_env, TL)
    at = open_app(session=session.code, p=PID)
    assert not at.exception
    _add_event(at, "printemps 2021", HOSTILE, "networks")
    assert any(s.value == "Événement ajouté." for s in at.success)
    assert at.text_area(key=f"tl_text_{TL}").value == ""  # emptied for the next event
    assert at.text_input(key=f"tl_period_{TL}").value == "printemps 2021"  # the period stays
    _add_event(at, "printemps 2021", HOSTILE, "networks")  # the same again: a double tap
    assert any("déjà enregistré" in s.value for s in at.success)
    _add_event(at, "2019", "Charte adoptée", "governance")
    stored = [(e.item, e.value, e.text) for e in store.read_events(session.code)]
    assert stored == [("networks", "printemps 2021", HOSTILE), ("governance", "2019", "Charte adoptée")]
    again = open_app(session=session.code, p=PID)
    shown = " ".join(h.proto.body for h in again.get("html"))
    assert "&lt;script&gt;" in shown and "<script>alert" not in shown
    assert "Charte adoptée" in shown


def test_a_timeline_event_without_result_or_period_is_refused_in_english(app_env):
    store, session = new_session(app_env, TL)
    at = open_app(session=session.code, p=PID, lang="en")
    at.text_input(key=f"tl_period_{TL}").input("2020")
    at.text_area(key=f"tl_text_{TL}").input("Press release")
    button(at, "Add the event").click().run()
    assert [rendered(e.value) for e in at.error] == ["Choose one of the transitional results offered."]
    assert at.text_area(key=f"tl_text_{TL}").value == "Press release"  # kept, to be completed
    at.text_input(key=f"tl_period_{TL}").input("  ")
    at.selectbox(key=f"tl_result_{TL}").set_value("press")
    button(at, "Add the event").click().run()
    assert any("Give a date or a period" in e.value for e in at.error)
    assert store.read_events(session.code) == []
    assert not at.exception


def test_grid_actor_then_cell_then_latest_text(app_env):
    store, session = new_session(app_env, GR)
    at = open_app(session=session.code, p=PID)
    assert any("Pas encore d'acteur" in i.value for i in at.info)
    at.text_input(key=f"gr_name_{GR}").input("Ministères du gouvernement")
    button(at, "Ajouter l'acteur").click().run()
    assert any(s.value == "Acteur ajouté." for s in at.success)
    assert at.selectbox(key=f"gr_actor_{GR}").value == "Ministères du gouvernement"  # picked for me
    at.radio(key=f"gr_col_{GR}").set_value("interests")
    at.text_area(key=f"gr_text_{GR}").input("Contrôler les orientations")
    button(at, "Enregistrer la case").click().run()
    assert any(s.value == "Case enregistrée." for s in at.success)
    at.radio(key=f"gr_col_{GR}").set_value("interests")
    at.text_area(key=f"gr_text_{GR}").input(HOSTILE)
    button(at, "Enregistrer la case").click().run()
    stored = [(e.item, e.value, e.text) for e in store.read_events(session.code)]
    assert stored == [
        ("actor", "Ministères du gouvernement", ""),
        ("interests", "Ministères du gouvernement", "Contrôler les orientations"),
        ("interests", "Ministères du gouvernement", HOSTILE),
    ]
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;b&gt;b&lt;/b&gt;" in shown and "<b>b</b>" not in shown


def test_an_empty_cell_is_refused_and_stores_nothing(app_env):
    store, session = new_session(app_env, GR)
    at = open_app(session=session.code, p=PID, lang="en")
    at.text_input(key=f"gr_name_{GR}").input("PPP")
    button(at, "Add the actor").click().run()
    before = store.read_events(session.code)
    at.text_area(key=f"gr_text_{GR}").input("   ")
    button(at, "Save the cell").click().run()
    assert [rendered(e.value) for e in at.error] == ["Write a few words in the cell."]
    assert store.read_events(session.code) == before


def test_a_too_long_period_is_refused_with_its_length_not_cut(app_env):
    store, session = new_session(app_env, TL)
    at = open_app(session=session.code, p=PID, lang="en")
    _add_event(at, "p" * 45, "Press release", "press", send="Add the event")
    assert [rendered(e.value) for e in at.error] == [
        "Text too long: 45 characters for at most 40. Shorten it."
    ]
    assert at.text_input(key=f"tl_period_{TL}").value == "p" * 45  # kept whole, to be shortened
    assert store.read_events(session.code) == []
