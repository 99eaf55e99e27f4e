"""An oversize card is refused with its length and kept in the field; the counter counts characters as
the server does (issue 12.12). The browser side (a real paste) is in tests/browser/test_phone_edges.py."""

from __future__ import annotations

import re

from apptest_support import button, open_app, rendered, store_of

from partenariat_core import create_session, load_instruments

PID = "testParticipant01"
EMOJI = "😀"  # one character, two UTF-16 units


def setup(app_env, lang="fr"):
    open_app()
    store = store_of(app_env)
    session = create_session(store, load_instruments(), "Atelier")
    return store, session, open_app(session=session.code, p=PID, lang=lang)


def counter(at) -> tuple[str, bool]:
    """(the counter's text, whether it is marked over the limit)."""
    bodies = [h.proto.body for h in at.get("html") if 'class="pl-counter' in h.proto.body]
    assert len(bodies) == 1
    found = re.search(
        r'<div class="pl-counter( pl-over)?" data-for="text_keep_throw" [^>]*>([^<]*)</div>', bodies[0]
    )
    assert found, bodies[0]
    return found.group(2), bool(found.group(1))


def post(at, text: str):
    at.text_area(key="text_keep_throw").input(text)
    label = next(b.label for b in at.button if b.label in ("Publier la carte", "Post the card"))
    return button(at, label).click().run()


def test_a_10000_character_paste_is_refused_with_its_length_and_kept(app_env):
    store, session, at = setup(app_env)
    assert counter(at) == ("0 / 280", False)
    pasted = "Une idée très longue. " * 454 + "Fin" + "!" * 9  # 22 × 454 + 12 = 10,000 characters
    assert len(pasted) == 10_000
    post(at, pasted)
    assert [rendered(e.value) for e in at.error] == [
        "Carte trop longue : 10000 caractères pour 280 au plus. Raccourcissez-la ou faites-en deux."
    ]
    assert at.text_area(key="text_keep_throw").value == pasted  # still there, to be shortened
    assert counter(at) == ("10000 / 280", True)
    assert store.read_events(session.code) == []
    # shortened, it is posted, and the field is emptied for the next card
    post(at, pasted[:280])
    assert not at.error
    assert [s.value for s in at.success] == ["Carte publiée ! Ajoutez-en d'autres si vous voulez."]
    assert at.text_area(key="text_keep_throw").value == ""
    assert counter(at) == ("0 / 280", False)
    assert [e.text for e in store.read_events(session.code)] == [pasted[:280]]


def test_emoji_count_as_one_character_each(app_env):
    store, session, at = setup(app_env, lang="en")
    post(at, EMOJI * 281)
    assert [rendered(e.value) for e in at.error] == [
        "Card too long: 281 characters for at most 280. Shorten it or make two."
    ]
    assert counter(at) == ("281 / 280", True)  # not 562, as a UTF-16 count would say
    assert at.text_area(key="text_keep_throw").value == EMOJI * 281
    post(at, EMOJI * 280)  # 560 UTF-16 units: Streamlit's max_chars would have cut it at 140
    assert not at.error
    post(at, EMOJI * 100)
    assert sorted(len(e.text) for e in store.read_events(session.code)) == [100, 280]
