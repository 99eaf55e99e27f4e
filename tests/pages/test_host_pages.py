"""Host pages under AppTest: passcode gate, session setup, QR code, open/close, dashboard, reveal."""

from __future__ import annotations

from html import escape

import pytest
from apptest_support import button, login, open_app, store_of

from partenariat_core import DEMO_CODE, label, load_instruments
from partenariat_core.demo import demo_events, demo_session, read_board
from partenariat_core.scoring import summarize

HOST_PAGES = ["pages/host.py", "pages/dashboard.py"]


@pytest.mark.parametrize("page", HOST_PAGES)
def test_wrong_passcode_says_so_and_shows_nothing_else(app_env, page):
    at = login(open_app(page), "not-the-code")
    assert [e.value for e in at.error] == ["Code d'animation incorrect."]
    assert len(at.get("plotly_chart")) == 0 and len(at.image) == 0
    assert [t.value for t in at.title] == ["Espace animation"]


@pytest.mark.parametrize("page", HOST_PAGES)
def test_passcode_is_asked_once_per_browser_session(app_env, page):
    at = login(open_app(page))
    assert not at.error
    at.run()
    assert "Espace animation" not in [t.value for t in at.title]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_shows_the_demo_session_boards(app_env, lang):
    at = login(open_app("pages/dashboard.py", lang=lang))
    assert not at.exception
    board = read_board()
    keep = "Qu'est-ce qu'on garde" if lang == "fr" else "What we keep"
    html = " ".join(h.proto.body for h in at.get("html"))
    assert f"{escape(keep)} <span class='pl-count'>({len(board['keep'])})" in html
    assert all(escape(card) in html for card in board["keep"] + board["throw"])  # every seed card
    assert len(at.get("plotly_chart")) == 3  # radar, distribution, continuum
    participants = "participant·e·s" if lang == "fr" else "participants"
    assert any(f"25 {participants}" in m.value for m in at.markdown)


def test_hidden_board_shows_a_notice_until_revealed(app_env):
    at = login(open_app("pages/dashboard.py", session=DEMO_CODE))
    toggle = at.toggle(key=f"reveal_{DEMO_CODE}_conditions")
    assert toggle.value is True
    toggle.set_value(False).run()
    # the demo's vote step starts hidden; the host hid the conditions after it
    assert store_of(app_env).get_session(DEMO_CODE).hidden_boards == ("vote:keep_throw", "conditions")
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Résultats masqués" in html
    assert len(at.get("plotly_chart")) == 1  # only the continuum chart is left
    at.toggle(key=f"reveal_{DEMO_CODE}_conditions").set_value(True).run()
    assert store_of(app_env).get_session(DEMO_CODE).hidden_boards == ("vote:keep_throw",)
    assert len(at.get("plotly_chart")) == 3


def test_host_creates_a_session_and_gets_code_and_qr(app_env):
    at = login(open_app("pages/host.py"))
    at.text_input(key="new_title").input("Comité régional — bilan")
    button(at, "Créer la session").click().run()
    assert not at.exception
    store = store_of(app_env)
    created = [s for s in store.list_sessions() if s.title == "Comité régional — bilan"]
    assert len(created) == 1
    code = created[0].code
    assert any(code in s.value for s in at.success)
    assert created[0].instruments == ("keep_throw", "conditions", "continuum")
    assert len(at.image) == 1  # the QR code
    html = " ".join(h.proto.body for h in at.get("html"))
    assert f"<div class='pl-code'>{code}</div>" in html and f"/?session={code}" in html


def test_host_form_refuses_an_empty_title(app_env):
    at = login(open_app("pages/host.py", lang="en"))
    before = len(store_of(app_env).list_sessions())
    button(at, "Create the session").click().run()
    assert [e.value for e in at.error] == ["Give the session a title."]
    assert len(store_of(app_env).list_sessions()) == before


def test_host_closes_a_session(app_env):
    at = login(open_app("pages/host.py", session=DEMO_CODE))
    at.toggle(key=f"open_{DEMO_CODE}").set_value(False).run()
    assert store_of(app_env).get_session(DEMO_CODE).is_open is False
    participant = open_app(session=DEMO_CODE)
    assert any("fermée" in e.value for e in participant.error)


def test_public_url_setting_drives_the_join_link(app_env, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_PUBLIC_URL", "https://atelier.example.org/live/")
    at = login(open_app("pages/host.py", session=DEMO_CODE))
    html = " ".join(h.proto.body for h in at.get("html"))
    assert f"https://atelier.example.org/live/?session={DEMO_CODE}" in html


def test_sector_breakdown_on_the_dashboard_hides_small_groups(app_env):
    from collections import Counter

    from partenariat_core import load_instruments
    from partenariat_core.demo import demo_events

    sizes = Counter(e.value for e in demo_events(load_instruments()) if e.item == "sector")
    shown = {sector: n for sector, n in sizes.items() if n >= 3}
    hidden = sum(n for n in sizes.values() if n < 3)
    assert shown and hidden  # the demo has both kinds, so this test can fail both ways

    at = login(open_app("pages/dashboard.py", session=DEMO_CODE))
    at.toggle(key="show_sectors").set_value(True).run()
    assert not at.exception
    assert "Par secteur" in [s.value for s in at.subheader]
    tables = [df.value for df in at.dataframe]
    assert len(tables) == 3  # conditions, continuum now, continuum desired
    for table in tables:
        assert sorted(int(row.split("n = ")[1].rstrip(")")) for row in table.index) == sorted(shown.values())
    people = "personne" if hidden == 1 else "personnes"
    notes = [c.value for c in at.caption if "pas montrée" in c.value]
    assert notes and all(note.startswith(f"{hidden} {people} ") for note in notes)


def test_an_english_session_invites_participants_in_english(app_env):
    from partenariat_core import create_session, load_instruments

    login(open_app("pages/host.py"))
    session = create_session(store_of(app_env), load_instruments(), "Regional table", language="en")
    at = login(open_app("pages/host.py", session=session.code))
    html = " ".join(h.proto.body for h in at.get("html"))
    assert f"/?session={session.code}&amp;lang=en" in html or f"/?session={session.code}&lang=en" in html
    phone = open_app(session=session.code, lang="en")
    assert any(b.label == "Post the card" for b in phone.button)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_names_the_weakest_items_on_every_refresh(app_env, lang):
    # The line is made once per summary and reused by later refreshes (ui/boards.py): both must show it.
    instruments = load_instruments()
    summary = summarize(demo_session(), demo_events(instruments), instruments)
    conditions = next(i for i in summary.session.instruments if instruments[i].kind == "conditions")
    scores = summary.conditions[conditions]
    lowest = scores.items.dropna(subset=["mean"]).sort_values("mean", kind="stable").head(3)
    texts = {item.id: label(item.text, lang) for item in instruments[conditions].items}
    at = login(open_app("pages/dashboard.py", lang=lang, session=DEMO_CODE))
    for _ in range(2):
        shown = " ".join(m.value for m in at.markdown)
        assert all(texts[item] in shown for item in lowest.index), shown[:400]
        at.run()
