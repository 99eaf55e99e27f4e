"""The phone's vote step and "My cards" (ui/votes.py, ui/forms.py) under AppTest."""

from __future__ import annotations

from apptest_support import open_app, rendered, store_of

from partenariat_core import (
    VoteRules,
    add_vote_step,
    create_session,
    load_instruments,
    set_step_locked,
    submit_card,
)
from partenariat_core.runtime import shared_runtime
from partenariat_core.scoring.curated import VOTE, card_id

PID = "testParticipant01"
TEXTS = ("Vision commune", "Le plaisir d'agir", "**Gras** <b>b</b>")


def room(data_dir, rules=None, **fields):
    open_app()
    store = store_of(data_dir)
    instruments = load_instruments()
    session = create_session(store, instruments, "Atelier", instrument_ids=("keep_throw",), **fields)
    for n, text in enumerate(TEXTS):
        submit_card(store, session, f"participant-0{n}", instruments["keep_throw"], "keep", text, f"c{n}")
    add_vote_step(store, session.code, "keep_throw", rules or VoteRules(), instruments=instruments)
    return store, session


def cid(n: int) -> str:
    return card_id("keep_throw", "keep", f"c{n}")


def card_button(at, n: int):
    """The button that is card ``n`` on the vote form (its key carries the counts it was drawn with)."""
    from ui.votes import short_key

    return next(b for b in at.button if b.key.startswith(f"vote_{short_key(cid(n))}_"))


def back_button(at, n: int):
    from ui.votes import short_key

    return next(b for b in at.button if b.key.startswith(f"vote_back_{short_key(cid(n))}_"))


def left(at) -> list[str]:
    return [m.value for m in at.markdown if "vote" in m.value and m.value.startswith("**")]


def stored_votes(store, code):
    return [e for e in store.read_events(code) if e.instrument == VOTE]


def test_tap_to_vote_tap_again_to_take_back_and_the_votes_left(app_env):
    store, session = room(app_env)  # 3 votes, one per card
    at = open_app(session=session.code, p=PID)
    assert not at.exception
    headers = [h.value for h in at.header]
    assert headers[1].startswith("Vote : ")  # the vote step, right under its board (free mode)
    assert left(at) == ["**Il vous reste 3 votes**"]
    assert rendered(card_button(at, 2).label) == "**Gras** <b>b</b>"  # a card is shown literally
    card_button(at, 0).click().run()
    assert left(at) == ["**Il vous reste 2 votes**"]
    assert [s.value for s in at.success] == ["Vote enregistré."]
    assert rendered(card_button(at, 0).label) == "✓ 1 · Vision commune"
    card_button(at, 1).click().run()
    assert left(at) == ["**Il vous reste 1 vote**"]  # the plural follows the count
    card_button(at, 0).click().run()  # tapped again: the vote is taken back
    assert left(at) == ["**Il vous reste 2 votes**"]
    assert [s.value for s in at.success] == ["Vote repris."]
    assert rendered(card_button(at, 0).label) == "Vision commune"
    votes = stored_votes(store, session.code)
    assert [(e.item, e.value) for e in votes] == [(cid(0), "1"), (cid(1), "1"), (cid(0), "0")]
    assert len({e.participant for e in votes}) == 1


def test_a_vote_beyond_the_step_s_count_is_refused_in_words_and_stores_nothing(app_env):
    store, session = room(app_env, VoteRules(per_person=2, several_per_card=False))
    at = open_app(session=session.code, p=PID, lang="en")
    assert left(at) == ["**You have 2 votes left**"]
    card_button(at, 0).click().run()
    card_button(at, 1).click().run()
    assert left(at) == ["**You have given all your votes (2). Take one back to vote elsewhere.**"]
    card_button(at, 2).click().run()  # a third vote
    assert [rendered(e.value) for e in at.error] == [
        "You have used your 2 votes. Take one back to vote elsewhere."
    ]
    assert len(stored_votes(store, session.code)) == 2
    assert not at.exception


def test_several_votes_on_one_card_and_minus_takes_one_back(app_env):
    store, session = room(app_env, VoteRules(per_person=3, several_per_card=True))
    at = open_app(session=session.code, p=PID)
    for _ in range(3):
        card_button(at, 1).click().run()
    assert rendered(card_button(at, 1).label) == "✓ 3 · Le plaisir d'agir"
    card_button(at, 1).click().run()  # a fourth
    assert [rendered(e.value) for e in at.error] == [
        "Vous avez utilisé vos 3 votes. Retirez-en un pour voter ailleurs."
    ]
    back_button(at, 1).click().run()
    assert left(at) == ["**Il vous reste 1 vote**"]
    assert [e.value for e in stored_votes(store, session.code)] == ["1", "2", "3", "2"]


def test_a_tap_keeps_its_submission_id_for_the_same_intent_only():
    from ui.votes import tap_submission_id

    state: dict[str, object] = {}
    sid = tap_submission_id(state, cid(0), 0, 1)
    assert tap_submission_id(state, cid(0), 0, 1) == sid  # the same tap resent: the same id
    assert tap_submission_id(state, cid(1), 0, 1) != sid  # another card: its own id
    following = tap_submission_id(state, cid(0), 1, 2)
    assert following != sid  # the next tap, from the redrawn count: a new vote
    assert tap_submission_id(state, cid(0), 0, 1) not in (sid, following)  # back to 0 and again: new


def test_a_double_tap_stores_once(app_env):
    """The second tap of a double tap comes from the button as drawn before the first was stored."""
    store, session = room(app_env, VoteRules(per_person=3, several_per_card=True))
    at = open_app(session=session.code, p=PID)
    first = card_button(at, 0)
    first.click().run()
    assert left(at) == ["**Il vous reste 2 votes**"]
    # the button drawn with 0 votes is gone (its key carried the count), so a late second tap on it
    # is dropped by Streamlit instead of giving a second vote
    assert first.key not in [b.key for b in at.button]
    at.run()  # a rerun (a reconnect, a refresh) stores nothing either
    assert [e.value for e in stored_votes(store, session.code)] == ["1"]
    card_button(at, 0).click().run()  # a deliberate second vote on the same card (several allowed)
    assert left(at) == ["**Il vous reste 1 vote**"]
    assert [e.value for e in stored_votes(store, session.code)] == ["1", "2"]


def test_a_locked_vote_step_disables_the_taps(app_env):
    store, session = room(app_env)
    set_step_locked(store, session.code, "vote:keep_throw", True)
    at = open_app(session=session.code, p=PID)
    assert "Les réponses à cette étape sont fermées." in [w.value for w in at.warning]
    assert card_button(at, 0).disabled
    assert not at.exception


def own_room(data_dir):
    """A board where the phone under test wrote two cards and someone else one."""
    open_app()
    store = store_of(data_dir)
    instruments = load_instruments()
    session = create_session(store, instruments, "Atelier", instrument_ids=("keep_throw",))
    pid = shared_runtime().pseudonyms.of(PID)
    board = instruments["keep_throw"]
    submit_card(store, session, pid, board, "keep", "Première idée", "m0")
    submit_card(store, session, pid, board, "throw", "Deuxième <b>idée</b>", "m1")
    submit_card(store, session, "participant-09", board, "keep", "Pas à moi", "o0")
    return store, session


def mine_texts(at) -> list[str]:
    return [
        h.proto.body for h in at.get("html") if h.proto.body.startswith('<div class="pl-literal pl-my-card')
    ]


def test_my_cards_edit_and_withdraw_and_the_board_follows(app_env):
    store, session = own_room(app_env)
    at = open_app(session=session.code, p=PID)
    assert [e.label for e in at.expander] == ["Mes cartes (2)"]
    assert len(mine_texts(at)) == 2 and "Deuxième &lt;b&gt;idée&lt;/b&gt;" in mine_texts(at)[1]
    mine = card_id("keep_throw", "keep", "m0")
    from ui.forms import _card_key

    key = _card_key(mine)
    at.button(key=f"edit_{key}_btn").click().run()
    at.text_area(key=f"edit_text_{key}").input("Première idée, mieux dite")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    assert "Carte modifiée." in [s.value for s in at.success]
    assert "Première idée, mieux dite" in mine_texts(at)[0]
    summary = shared_runtime().live.summary(session.code)
    assert [c.text for c in summary.boards["keep_throw"].columns["keep"]] == [
        "Première idée, mieux dite",
        "Pas à moi",
    ]

    other = card_id("keep_throw", "throw", "m1")
    at.button(key=f"withdraw_{_card_key(other)}").click().run()
    assert not [e for e in store.read_events(session.code) if e.item == other]  # asks first
    at.button(key=f"withdraw_yes_{_card_key(other)}").click().run()
    assert "Carte retirée." in [s.value for s in at.success]
    assert [e.label for e in at.expander] == ["Mes cartes (1)"]
    summary = shared_runtime().live.summary(session.code)
    assert [c.text for c in summary.boards["keep_throw"].columns["throw"]] == []
    edits = [e for e in store.read_events(session.code) if e.instrument == "_card_edit"]
    assert [(e.item, e.value) for e in edits] == [(mine, "edit"), (other, "withdraw")]


def test_a_locked_board_refuses_an_edit_in_words(app_env):
    store, session = own_room(app_env)
    set_step_locked(store, session.code, "keep_throw", True)
    at = open_app(session=session.code, p=PID, lang="en")
    from ui.forms import _card_key

    key = _card_key(card_id("keep_throw", "keep", "m0"))
    at.button(key=f"withdraw_{key}").click().run()
    at.button(key=f"withdraw_yes_{key}").click().run()
    assert [rendered(e.value) for e in at.error] == ["Answers to this step are closed."]
    assert [e for e in store.read_events(session.code) if e.instrument == "_card_edit"] == []
    assert [e.label for e in at.expander] == ["My cards (2)"]
    assert not at.exception


class TimedRuns:
    """What a browser does with a ``run_every`` fragment, under AppTest (which has no timers): the
    runs' ``auto_rerun`` messages are recorded (interval, fragment id), and :meth:`tick` asks the app
    for a rerun of that one fragment, as the browser's timer does (``RerunData.fragment_id_queue``)."""

    def __init__(self, monkeypatch) -> None:
        from streamlit.testing.v1 import local_script_runner as runner

        self._runner, self._monkeypatch = runner, monkeypatch
        self.timers: dict[str, float] = {}
        parse = runner.parse_tree_from_messages

        def recording(messages):
            for msg in messages:
                if msg.HasField("auto_rerun"):
                    self.timers[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            return parse(messages)

        monkeypatch.setattr(runner, "parse_tree_from_messages", recording)

    def tick(self, at, fragment_id: str):
        make = self._runner.RerunData
        with self._monkeypatch.context() as patch:
            patch.setattr(
                self._runner,
                "RerunData",
                lambda **kw: make(**kw, fragment_id_queue=[fragment_id], is_auto_rerun=True),
            )
            return at.run()


def test_the_vote_form_follows_the_hosts_grouping_at_the_phones_one_check(app_env, monkeypatch):
    from partenariat_core import group_cards
    from partenariat_core.scoring import events_frame
    from partenariat_core.scoring.curated import curated_board
    from ui.guided import FREE_MODE_CHECK_SECONDS

    store, session = room(app_env)  # free mode: the phone checks the host every 10 s
    timed = TimedRuns(monkeypatch)
    at = open_app(session=session.code, p=PID)
    # One timer per phone (follow_host's): a vote form with a timer of its own redrew every button
    # every 3 s on every phone, which cost 300 phones 15 s more to vote (bench/RESULTS.md).
    assert list(timed.timers.values()) == [float(FREE_MODE_CHECK_SECONDS)], timed.timers
    (check,) = timed.timers
    card_button(at, 2).click().run()  # a vote on the third card, kept through the grouping

    at = timed.tick(at, check)  # nothing changed on the board: only the check ran, nothing redrawn
    assert not at.exception
    assert [t.value for t in at.title] == []

    events = store.read_events(session.code)
    board = curated_board(events_frame(events), "keep_throw", session, events)
    store.append_events(group_cards(session, board, [cid(0), cid(1)], "Agir ensemble", "host-g1"))
    shared_runtime().live.invalidate(session.code)  # the 1 s cache has expired by the next check

    at = timed.tick(at, check)  # the board changed: the page redraws, the form with it
    assert not at.exception
    assert [t.value for t in at.title] != []
    labels = [rendered(b.label) for b in at.button if b.key.startswith("vote_")]
    # the group once with its count, the voted card marked, the grouped cards no longer on their own
    assert labels == ["Agir ensemble ×2", "✓ 1 · **Gras** <b>b</b>"]
    assert left(at) == ["**Il vous reste 2 votes**"]
