"""The host's vote-step control on the remote (ui/vote_setup.py) under AppTest."""

from __future__ import annotations

from apptest_support import button, login, open_app, store_of

from partenariat_core import DEMO_CODE
from partenariat_core.agenda import VoteStep, steps


def test_the_host_adds_changes_and_removes_the_vote_step(app_env):
    at = login(open_app("pages/remote.py", session=DEMO_CODE))
    store = store_of(app_env)
    assert not at.exception
    # the demo comes with its board's vote step (3 votes, one per card): the host removes it first
    assert "✅ 3 votes par personne, un seul par carte" in [m.value for m in at.markdown]
    button(at, "Retirer l'étape de vote").click().run()
    assert store.get_session(DEMO_CODE).agenda.votes == ()
    at.number_input(key="vote_n_keep_throw").set_value(5)
    at.toggle(key="vote_several_keep_throw").set_value(True)
    button(at, "Ajouter l'étape de vote").click().run()
    session = store.get_session(DEMO_CODE)
    assert session.agenda.votes == (VoteStep("keep_throw", 5, True),)
    assert steps(session)[1:3] == ("keep_throw", "vote:keep_throw")
    assert "vote:keep_throw" in session.hidden_boards  # results hidden until the host reveals them
    assert "Étape de vote ajoutée : ses résultats sont masqués jusqu'à ce que vous les affichiez." in [
        s.value for s in at.success
    ]
    assert "✅ 5 votes par personne, plusieurs par carte permis" in [m.value for m in at.markdown]
    button(at, "Suivant").click().run()
    button(at, "Suivant").click().run()
    assert any(m.value.startswith("### Étape 2 sur 4 : Vote : ") for m in at.markdown)

    at.number_input(key="vote_n_keep_throw").set_value(2)
    at.toggle(key="vote_several_keep_throw").set_value(False)
    button(at, "Changer les règles du vote").click().run()
    assert store.get_session(DEMO_CODE).agenda.votes == (VoteStep("keep_throw", 2, False),)

    button(at, "Afficher les résultats").click().run()  # reveal: the step's own show / hide
    assert "vote:keep_throw" not in store.get_session(DEMO_CODE).hidden_boards

    button(at, "Retirer l'étape de vote").click().run()
    session = store.get_session(DEMO_CODE)
    assert session.agenda.votes == () and "vote:keep_throw" not in steps(session)
    assert any(m.value.startswith("### Étape 1 sur 3 : ") for m in at.markdown)  # back on its board
    assert not at.exception


def test_the_dashboard_shows_the_ranking_once_revealed(app_env):
    from partenariat_core import (
        VoteRules,
        add_vote_step,
        create_session,
        load_instruments,
        set_board_hidden,
        submit_card,
        submit_vote,
    )
    from partenariat_core.runtime import shared_runtime
    from partenariat_core.scoring.curated import card_id

    open_app()
    store, instruments = store_of(app_env), load_instruments()
    session = create_session(store, instruments, "Atelier", instrument_ids=("keep_throw",))
    board = instruments["keep_throw"]
    for n, text in enumerate(("Alpha", "Bêta <i>")):
        submit_card(store, session, f"participant-0{n}", board, "keep", text, f"c{n}")
    session = add_vote_step(store, session.code, "keep_throw", VoteRules(2), instruments=instruments)
    # Bêta: 2 votes (participant-00 and -01), Alpha: 1 (participant-00)
    submit_vote(store, session, "participant-00", board, card_id("keep_throw", "keep", "c1"), 1, "v1")
    submit_vote(store, session, "participant-01", board, card_id("keep_throw", "keep", "c1"), 1, "v2")
    submit_vote(store, session, "participant-00", board, card_id("keep_throw", "keep", "c0"), 1, "v3")
    at = login(open_app("pages/dashboard.py", session=session.code))
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "3 votes donnés · 2 personnes ont voté" in html and "pl-vote-ranking" not in html
    set_board_hidden(store, session, "vote:keep_throw", hidden=False)
    shared_runtime().live.invalidate(session.code)
    at.run()
    html = " ".join(h.proto.body for h in at.get("html"))
    assert (
        "<tbody><tr><td><b>1</b></td><td>Bêta &lt;i&gt;</td><td><b>2</b></td></tr>"
        "<tr><td><b>2</b></td><td>Alpha</td><td><b>1</b></td></tr></tbody>"
    ) in html
    assert not at.exception
