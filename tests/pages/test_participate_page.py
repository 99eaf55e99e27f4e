"""The participant page under AppTest: joining, each instrument, revisions, double taps, bad input."""

from __future__ import annotations

from apptest_support import button, login, open_app, rendered, store_of

from partenariat_core import (
    Pseudonyms,
    create_session,
    export_session,
    load_instruments,
    load_session_data,
    set_open,
)
from partenariat_core.scoring import events_frame, latest_answers

PID = "testParticipant01"


def new_session(data_dir, **fields):
    open_app()  # first run creates the store (and the demo session)
    store = store_of(data_dir)
    return store, create_session(store, load_instruments(), "Table de quartier", **fields)


def test_join_form_without_code_then_good_code_opens_the_session(app_env):
    _store, session = new_session(app_env)
    at = open_app()
    assert [t.value for t in at.title] == ["Rejoindre l'atelier"]
    at.text_input(key="join_code").input(f" {session.code.lower()[:3]} {session.code.lower()[3:]} ")
    button(at, "Rejoindre").click().run()
    assert not at.exception
    assert at.query_params["session"] == [session.code] or at.query_params["session"] == session.code
    assert [t.value for t in at.title] == ["Table de quartier"]


def test_wrong_code_says_so_and_stays_on_join_form(app_env):
    at = open_app(session="ZZZZZZ")
    assert [t.value for t in at.title] == ["Rejoindre l'atelier"]
    assert any("ZZZZZZ" in e.value for e in at.error)
    at = open_app(session="O0I1L!")
    assert any("n'est pas un code de session" in e.value for e in at.error)


def test_closed_session_refuses_in_english_too(app_env):
    store, session = new_session(app_env)
    set_open(store, session, False)
    at = open_app(session=session.code, lang="en")
    assert any("is closed" in e.value for e in at.error)


def test_participant_id_is_put_in_the_url_and_kept(app_env):
    _store, session = new_session(app_env)
    at = open_app(session=session.code)
    pid = at.query_params["p"]
    pid = pid[0] if isinstance(pid, list) else pid
    assert len(pid) >= 8
    at.run()
    again = at.query_params["p"]
    assert (again[0] if isinstance(again, list) else again) == pid


def test_card_is_stored_once_even_when_sent_twice(app_env):
    store, session = new_session(app_env)
    at = open_app(session=session.code, p=PID)
    text = "<script>alert('x')</script> =SUM(A1) Québec 👩‍👩‍👧"
    at.text_area(key="text_keep_throw").input(text)
    at.radio(key="col_keep_throw").set_value("throw")
    button(at, "Publier la carte").click().run()
    assert next(s.value for s in at.success).startswith("Carte publiée")
    # the same card again (double tap / resend): recognised, not stored twice
    at.text_area(key="text_keep_throw").input(text)
    at.radio(key="col_keep_throw").set_value("throw")
    button(at, "Publier la carte").click().run()
    assert any("déjà publiée" in s.value for s in at.success)
    cards = [e for e in store.read_events(session.code) if e.instrument == "keep_throw"]
    assert [(e.item, e.text, e.participant) for e in cards] == [("throw", text, pseudonym(app_env))]


def pseudonym(data_dir, token=PID):
    return Pseudonyms.in_data_dir(data_dir).of(token)


def test_the_phone_token_is_never_stored_nor_exported(app_env):
    # The token in ?p= lets whoever holds it change that person's answers: before, it was written
    # in clear in the store, the CSV/XLSX exports and the Sheets responses worksheet.
    store, session = new_session(app_env)
    at = open_app(session=session.code, p=PID)
    at.text_area(key="text_keep_throw").input("Garder les cafés-rencontres")
    button(at, "Publier la carte").click().run()
    at.radio(key="level_continuum_now").set_value("coordinating")
    [b for b in at.button if b.label == "Envoyer"][-1].click().run()
    events = store.read_events(session.code)
    assert len(events) == 2 and {e.participant for e in events} == {pseudonym(app_env)}
    data = load_session_data(store, load_instruments(), session.code)
    for fmt in ("csv", "xlsx", "json", "html"):
        assert PID.encode() not in export_session(data, fmt, "fr").data, fmt
    for file in app_env.glob("partenariat.db*"):
        assert PID.encode() not in file.read_bytes(), file.name
    # The same phone (same link) finds its answers again after a reload.
    again = open_app(session=session.code, p=PID)
    assert again.radio(key="level_continuum_now").value == "coordinating"


def test_a_damaged_database_shows_try_again_and_no_traceback(app_env):
    _store, session = new_session(app_env)
    for leftover in app_env.glob("partenariat.db-*"):
        leftover.unlink()
    (app_env / "partenariat.db").write_bytes(b"not a database " * 300)
    at = open_app(session=session.code, p=PID)
    assert not at.exception
    try_again = "Les réponses ne peuvent pas être enregistrées pour l'instant. Réessayez dans un moment."
    assert [rendered(e.value) for e in at.error] == [try_again]
    # The host's pages say which file and what to do.
    host = login(open_app("pages/host.py"))
    assert not host.exception
    (message,) = [rendered(e.value) for e in host.error]
    assert message.startswith(try_again) and str(app_env / "partenariat.db") in message
    assert "endommagé" in message


def test_card_length_limit_comes_from_settings(app_env, monkeypatch):
    """The counter shows the configured limit; the core refuses longer text (tests/test_participation.py)."""
    monkeypatch.setenv("PARTENARIAT_CARD_MAX_LENGTH", "20")
    store, session = new_session(app_env)
    at = open_app(session=session.code, p=PID)
    assert at.text_area(key="text_keep_throw").max_chars == 0  # no silent cut: see test_long_cards.py
    assert any('data-limit="20"' in h.proto.body and ">0 / 20</div>" in h.proto.body for h in at.get("html"))
    at.text_area(key="text_keep_throw").input("x" * 21)
    button(at, "Publier la carte").click().run()
    assert [rendered(e.value) for e in at.error] == [
        "Carte trop longue : 21 caractères pour 20 au plus. Raccourcissez-la ou faites-en deux."
    ]
    assert store.read_events(session.code) == []


def test_empty_card_gets_a_message_and_stores_nothing(app_env):
    store, session = new_session(app_env)
    at = open_app(session=session.code, p=PID, lang="en")
    at.text_area(key="text_keep_throw").input("   ")
    button(at, "Post the card").click().run()
    assert any("Write something on the card" in e.value for e in at.error)
    assert store.read_events(session.code) == []


def test_conditions_answers_and_a_revision_count_once(app_env):
    store, session = new_session(app_env)
    at = open_app(session=session.code, p=PID)
    at.radio(key="item_conditions_c1_viewpoints").set_value("A")
    at.radio(key="item_conditions_c5_power").set_value("dont_know")
    send = [b for b in at.button if b.label == "Envoyer"]
    send[0].click().run()
    assert any(s.value.startswith("Merci") for s in at.success)
    # reload: the saved answers are pre-selected
    at = open_app(session=session.code, p=PID)
    assert at.radio(key="item_conditions_c1_viewpoints").value == "A"
    at.radio(key="item_conditions_c1_viewpoints").set_value("C")
    next(b for b in at.button if b.label == "Envoyer").click().run()
    current = latest_answers(events_frame(store.read_events(session.code)), "conditions")
    mine = dict(zip(current["item"], current["value"], strict=True))
    assert mine == {"c1_viewpoints": "C", "c5_power": "dont_know"}


def test_continuum_now_and_desired(app_env):
    store, session = new_session(app_env)
    at = open_app(session=session.code, p=PID)
    at.radio(key="level_continuum_now").set_value("coordinating")
    at.radio(key="level_continuum_desired").set_value("collaborating")
    [b for b in at.button if b.label == "Envoyer"][-1].click().run()
    assert not at.error
    got = {(e.item, e.value) for e in store.read_events(session.code) if e.instrument == "continuum"}
    assert got == {("now", "coordinating"), ("desired", "collaborating")}


def test_sector_question_only_when_the_session_asks_it(app_env):
    store, session = new_session(app_env, sectors=("community", "municipal"))
    at = open_app(session=session.code, p=PID)
    assert at.selectbox[0].options == ["Communautaire", "Municipal"]
    at.selectbox[0].set_value("municipal")
    next(b for b in at.button if b.label == "Envoyer").click().run()
    assert [(e.item, e.value) for e in store.read_events(session.code)] == [("sector", "municipal")]
    _, bare = new_session(app_env)
    assert len(open_app(session=bare.code, p=PID).selectbox) == 0


def test_tampered_participant_id_is_replaced(app_env):
    _store, session = new_session(app_env)
    at = open_app(session=session.code, p="<bad id>")
    pid = at.query_params["p"]
    pid = pid[0] if isinstance(pid, list) else pid
    assert pid != "<bad id>" and pid.replace("-", "").replace("_", "").isalnum()


def test_page_runs_on_its_own_without_the_router(app_env):
    """A deep link on a fresh server runs the page file without app.py (streamlit#9624)."""
    from apptest_support import ROOT
    from streamlit.testing.v1 import AppTest

    _store, session = new_session(app_env)
    at = AppTest.from_file(str(ROOT / "pages" / "participate.py"), default_timeout=60)
    at.query_params["session"] = session.code
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Table de quartier"]
