"""The host's vote-step control on the remote (ui/vote_setup.py) under AppTest."""

from __future__ import annotations

from apptest_support import button, login, open_app, store_of

from partenariat_core import DEMO_CODE
from partenariat_core.agenda import VoteStep, steps


def test_the_host_adds_changes_and_removes_the_vote_step(app_env):
    at = login(open_app("pages/remote.py", session=DEMO_CODE))
    store = store_of(app_env)
    assert not at.exception
    at.number_input(key="vote_n_keep_throw").set_value(5)
    at.checkbox(key="vote_several_keep_throw").check()
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
    at.checkbox(key="vote_several_keep_throw").uncheck()
    button(at, "Changer les règles du vote").click().run()
    assert store.get_session(DEMO_CODE).agenda.votes == (VoteStep("keep_throw", 2, False),)

    button(at, "Afficher les résultats").click().run()  # reveal: the step's own show / hide
    assert "vote:keep_throw" not in store.get_session(DEMO_CODE).hidden_boards

    button(at, "Retirer l'étape de vote").click().run()
    session = store.get_session(DEMO_CODE)
    assert session.agenda.votes == () and "vote:keep_throw" not in steps(session)
    assert any(m.value.startswith("### Étape 1 sur 3 : ") for m in at.markdown)  # back on its board
    assert not at.exception
