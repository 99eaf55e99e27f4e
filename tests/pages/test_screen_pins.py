"""A projector pinned to a step (``&step=``) stays on it when the host adds or removes a vote step
before it, and says in the page's language when its step is gone, drawing no other step."""

from __future__ import annotations

from apptest_support import open_app, store_of

from partenariat_core import DEMO_CODE, VoteRules
from partenariat_core.runtime import shared_runtime
from partenariat_core.sessions import add_vote_step, ensure_screen_key, remove_vote_step

GONE_FR = "Ce lien d'écran est épinglé sur une étape que la session n'a plus"
GONE_EN = "This screen link is pinned to a step the session no longer has"


def boards(at) -> list[str]:
    return [el.proto.body for el in at.get("html") if el.proto.body.startswith("<div class='pl-screen")]


def pinned_screen(app_env, step: str, **params: str):
    """The demo (join, keep_throw, vote:keep_throw, conditions, continuum) on a screen pinned to
    ``step``, a step id as ``screen_url`` writes it (tests/test_step_pins.py)."""
    open_app("pages/participate.py")  # the first run builds the runtime and the demo session
    store = store_of(app_env)
    session = ensure_screen_key(store, DEMO_CODE)
    at = open_app("pages/screen.py", session=DEMO_CODE, key=session.agenda.screen_key, step=step, **params)
    return at, store


def rerun(at):
    shared_runtime().live.invalidate(DEMO_CODE)  # else the next read comes after the shared ttl
    return at.run()


def test_a_pinned_screen_stays_on_its_step_when_a_vote_step_comes_and_goes(app_env):
    at, store = pinned_screen(app_env, "conditions")
    (board,) = boards(at)
    assert "Étape 3 sur 4" in board and "pl-s-hbar" in board  # the conditions' bars
    remove_vote_step(store, DEMO_CODE, "keep_throw")  # the steps after the board move up one
    (board,) = boards(rerun(at))
    assert "Étape 2 sur 3" in board and "pl-s-hbar" in board and not at.warning  # still the conditions
    add_vote_step(store, DEMO_CODE, "keep_throw", VoteRules(3, False))
    (board,) = boards(rerun(at))
    assert "Étape 3 sur 4" in board and "pl-s-hbar" in board and "pl-s-vote" not in board


def test_a_screen_pinned_to_a_removed_vote_step_says_so_in_french(app_env):
    at, store = pinned_screen(app_env, "vote:keep_throw")
    (board,) = boards(at)
    assert "Étape 2 sur 4" in board and "pl-s-vote" in board
    remove_vote_step(store, DEMO_CODE, "keep_throw")
    rerun(at)
    assert not at.exception and boards(at) == []  # no other step drawn in its place
    assert [w.value[: len(GONE_FR)] for w in at.warning] == [GONE_FR]
    add_vote_step(store, DEMO_CODE, "keep_throw", VoteRules(3, False))  # back: the screen follows it
    (board,) = boards(rerun(at))
    assert "pl-s-vote" in board and not at.warning


def test_a_link_to_a_step_the_session_never_had_says_so_in_english(app_env):
    open_app("pages/participate.py")
    session = ensure_screen_key(store_of(app_env), DEMO_CODE)
    for step in ("9", "timeline", "<b>x</b>"):
        at = open_app(
            "pages/screen.py", session=DEMO_CODE, key=session.agenda.screen_key, step=step, lang="en"
        )
        assert not at.exception and boards(at) == []
        assert [w.value[: len(GONE_EN)] for w in at.warning] == [GONE_EN]
        assert "<b>" not in at.warning[0].value  # the link's text is not echoed


def test_older_numeric_links_still_open_their_step(app_env):
    open_app("pages/participate.py")
    session = ensure_screen_key(store_of(app_env), DEMO_CODE)
    at = open_app("pages/screen.py", session=DEMO_CODE, key=session.agenda.screen_key, step="4")
    (board,) = boards(at)
    assert "Étape 4 sur 4" in board and "pl-s-vbar" in board  # the continuum
