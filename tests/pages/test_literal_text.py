"""Text a person typed is shown exactly as typed: never read as Markdown, KaTeX or HTML (issue 12.11).

Each place gets ``HOSTILE`` (bold, a link, a Streamlit colour, KaTeX, HTML tags and a script); what a
browser would show must equal it. ``st.html`` bodies are parsed as a browser would; Markdown bodies
must have every active character backslash-escaped (``apptest_support.rendered``).
"""

from __future__ import annotations

import re

import pytest
from apptest_support import HOSTILE, button, html_text, literal_texts, login, open_app, rendered, store_of

from partenariat_core import create_session, load_instruments, submit_card, t

PID = "testParticipant01"


@pytest.fixture
def hostile_session(app_env):
    open_app()  # creates the store
    store = store_of(app_env)
    return store, create_session(store, load_instruments(), HOSTILE)


def test_the_phone_lists_its_own_cards_literally(app_env):
    open_app()
    store = store_of(app_env)
    session = create_session(store, load_instruments(), "Atelier")
    at = open_app(session=session.code, p=PID)
    at.text_area(key="text_keep_throw").input(HOSTILE)
    button(at, "Publier la carte").click().run()
    assert not at.error
    assert literal_texts(at) == [f"Qu'est-ce qu'on garde — {HOSTILE}"]
    assert all(HOSTILE not in m.value for m in at.markdown)  # not also drawn as Markdown somewhere
    at = open_app(session=session.code, p=PID, lang="en")  # after a reload, in English
    assert literal_texts(at) == [f"What we keep — {HOSTILE}"]


@pytest.mark.parametrize("code", ["**GRAS**[A]$", "<B>B</B>$X^2", ":RED[ROUGE]!", "[L](HTTP://X"])
def test_a_typed_code_is_echoed_literally_in_the_join_error(app_env, code):
    at = open_app()
    at.text_input(key="join_code").input(code)
    button(at, "Rejoindre").click().run()
    assert [rendered(e.value) for e in at.error] == [t("error.code_invalid", code=code)]


@pytest.mark.parametrize("code", ["**GRAS**[A]$", ":RED[ROUGE]!"])
def test_a_code_in_the_link_is_echoed_literally(app_env, code):
    at = open_app(session=code, lang="en")
    assert [rendered(e.value) for e in at.error] == [t("error.code_invalid", "en", code=code)]


def test_a_session_title_is_shown_literally_on_the_phone(hostile_session):
    _store, session = hostile_session
    at = open_app(session=session.code, p=PID)
    assert [rendered(x.value) for x in at.title] == [HOSTILE]


def test_a_session_title_and_cards_are_shown_literally_on_the_projector(hostile_session):
    store, session = hostile_session
    keep_throw = load_instruments()["keep_throw"]
    submit_card(store, session, PID, keep_throw, "keep", HOSTILE, "sub-1")
    at = login(open_app("pages/dashboard.py", session=session.code))
    assert not at.exception
    assert [rendered(x.value) for x in at.title] == [HOSTILE]
    bodies = " ".join(h.proto.body for h in at.get("html"))
    cards = [html_text(card) for card in re.findall(r"<div class='pl-card'>.*?</div>", bodies)]
    assert cards == [(["div"], HOSTILE)]  # one card, its text exactly as typed, no tag of its own


def test_the_host_page_draws_no_title_as_markdown(hostile_session):
    _store, session = hostile_session
    at = login(open_app("pages/host.py", session=session.code))
    assert not at.exception
    assert all(HOSTILE not in m.value for m in [*at.markdown, *at.title, *at.caption])
