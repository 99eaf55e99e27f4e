"""The projector screen (opened by its screen link, never the passcode) and the host's remote."""

from __future__ import annotations

from apptest_support import button, login, open_app, store_of

from partenariat_core import DEMO_CODE
from partenariat_core.agenda import current_step, screen_url
from partenariat_core.runtime import shared_runtime
from partenariat_core.sessions import ensure_screen_key, go_to_step, renew_screen_key


def boards(at) -> list[str]:
    return [el.proto.body for el in at.get("html") if el.proto.body.startswith("<div class='pl-screen")]


def open_screen(app_env, key: str | None = None, **params: str):
    at = open_app("pages/participate.py")  # the first run builds the runtime and the demo session
    store = store_of(app_env)
    session = ensure_screen_key(store, DEMO_CODE)
    at = open_app("pages/screen.py", session=DEMO_CODE, key=key or session.agenda.screen_key, **params)
    return at, store, session


def test_the_screen_link_opens_the_board_without_a_passcode(app_env):
    at, store, _ = open_screen(app_env)
    assert not any(t.value in ("Espace animation", "Host area") for t in at.title)
    assert len(at.text_input) == 0  # no passcode field
    (board,) = boards(at)
    assert "pl-s-joinstep" in board and ">GARDEZ<" in board  # step 0: the join step
    go_to_step(store, DEMO_CODE, 1)
    shared_runtime().live.invalidate(DEMO_CODE)  # else the next read comes after the 2 s ttl
    at.run()  # a refresh tick
    (board,) = boards(at)
    assert "Étape 1 sur 4" in board  # join, the board, its vote step, conditions, continuum
    # the demo's 39 cards: 28 on their own and the host's 4 groups (3 + 3 + 2 + 3 cards) once each, ×N
    assert board.count("<div class='pl-s-card'>") == 28 + 4
    assert "La collaboration <b class='pl-s-times'>×3</b>" in board
    assert "Des personnes engagées <b class='pl-s-times'>×2</b>" in board
    assert "(22)</span>" in board and "(17)</span>" in board  # the columns still count every card
    assert "Travail en silo" in board


def test_a_wrong_key_gets_a_clear_message_and_no_board(app_env):
    at, _, _ = open_screen(app_env, key="not-the-key")
    assert [e.value for e in at.error] == [
        "Ce lien d'écran n'est pas (ou plus) valide : la clé a peut-être été renouvelée. "
        "Demandez le nouveau lien à l'animation."
    ]
    assert boards(at) == []


def test_a_renewed_key_stops_the_old_link_at_the_next_refresh(app_env):
    at, store, _ = open_screen(app_env, lang="en")
    assert len(boards(at)) == 1
    renew_screen_key(store, DEMO_CODE)
    shared_runtime().live.invalidate(DEMO_CODE)  # as the remote does after renewing
    at.run()
    assert [e.value for e in at.error] == [
        "This screen link is not (or no longer) valid: the key may have been renewed. "
        "Ask the host for the new link."
    ]
    assert boards(at) == []


def test_a_link_without_a_key_says_what_to_open(app_env):
    at = open_app("pages/screen.py", session=DEMO_CODE)
    assert [w.value[:30] for w in at.warning] == ["Ce lien d'écran est incomplet."]
    assert boards(at) == []


def test_a_pinned_screen_stays_on_its_step(app_env):
    at, store, _ = open_screen(app_env, step="4")
    go_to_step(store, DEMO_CODE, 1)
    shared_runtime().live.invalidate(DEMO_CODE)
    at.run()
    (board,) = boards(at)
    assert "Étape 4 sur 4" in board and "pl-s-vbar" in board  # the continuum, not the host's step


def test_the_remote_moves_locks_reveals_times_and_renews(app_env):
    at = login(open_app("pages/remote.py", session=DEMO_CODE))
    store = store_of(app_env)
    assert at.markdown[0].value.startswith("### Étape 0 sur 4")
    button(at, "Suivant").click().run()
    session = store.get_session(DEMO_CODE)
    assert current_step(session) == "keep_throw"
    assert any(m.value.startswith("### Étape 1 sur 4 : ") for m in at.markdown)

    button(at, "Fermer les réponses").click().run()
    assert store.get_session(DEMO_CODE).agenda.locked == ("keep_throw",)
    button(at, "Ouvrir les réponses").click().run()
    assert store.get_session(DEMO_CODE).agenda.locked == ()

    button(at, "Masquer les résultats").click().run()
    # the demo's vote step starts hidden; the board's own show / hide is separate
    assert store.get_session(DEMO_CODE).hidden_boards == ("vote:keep_throw", "keep_throw")
    button(at, "Afficher les résultats").click().run()
    assert store.get_session(DEMO_CODE).hidden_boards == ("vote:keep_throw",)

    at.segmented_control(key="remote_duration").set_value(3).run()
    at.checkbox(key="remote_lock_at_zero").check().run()
    button(at, "Démarrer").click().run()
    countdown = store.get_session(DEMO_CODE).agenda.countdown
    assert countdown is not None and countdown.step == "keep_throw" and countdown.lock_at_zero
    assert any(m.value.startswith("Temps restant : 3:00") or m.value.startswith("Temps restant : 2:5")
               for m in at.markdown)  # fmt: skip
    button(at, "Arrêter").click().run()
    assert store.get_session(DEMO_CODE).agenda.countdown is None

    button(at, "Passer en mode guidé").click().run()
    assert store.get_session(DEMO_CODE).agenda.mode == "guided"

    old = store.get_session(DEMO_CODE)
    assert at.code[0].value == screen_url("http://localhost:8501", old)
    button(at, "Renouveler la clé (les anciens liens cessent de fonctionner)").click().run()
    new = store.get_session(DEMO_CODE)
    assert new.agenda.screen_key != old.agenda.screen_key
    assert at.code[0].value == screen_url("http://localhost:8501", new)
    assert [s.value for s in at.success] == ["Nouvelle clé : les anciens liens d'écran ne fonctionnent plus."]

    button(at, "Précédent").click().run()
    assert current_step(store.get_session(DEMO_CODE)) == "join"
    assert not at.exception and not at.error


def test_the_remote_asks_for_the_passcode(app_env):
    at = open_app("pages/remote.py", session=DEMO_CODE)
    assert [t.value for t in at.title] == ["Espace animation"]
    assert not any(b.label == "Suivant" for b in at.button)


def test_the_host_page_links_to_the_remote_with_the_session(app_env):
    at = login(open_app("pages/host.py", session=DEMO_CODE))
    labels = [link.proto.label for link in at.get("page_link")]
    assert "Télécommande" in labels  # in the host menu
    wanted = "Télécommande et lien de l'écran de projection"
    (link,) = [x.proto for x in at.get("page_link") if x.proto.label == wanted]
    assert (link.page, link.query_string) == ("remote", "session=GARDEZ&lang=fr")


def test_the_remote_shows_a_timer_that_ran_out_and_reopening_clears_it(app_env):
    import datetime as dt

    from partenariat_core import start_step_countdown, utcnow

    at = login(open_app("pages/remote.py", session=DEMO_CODE))
    store = store_of(app_env)
    go_to_step(store, DEMO_CODE, 3)  # conditions: after the board and its vote step
    past = utcnow() - dt.timedelta(minutes=2)
    start_step_countdown(store, DEMO_CODE, "conditions", 60, lock_at_zero=True, now=past)
    at.run()  # the controls' refresh tick
    texts = [m.value for m in at.markdown]
    assert "Temps écoulé" in texts
    assert "**Réponses fermées** · **Résultats affichés**" in texts
    button(at, "Ouvrir les réponses").click().run()
    agenda = store.get_session(DEMO_CODE).agenda
    assert (agenda.countdown, agenda.locked) == (None, ())


def test_the_host_renames_and_duplicates_and_the_page_follows_the_copy(app_env):
    at = login(open_app("pages/host.py", session=DEMO_CODE))
    store = store_of(app_env)
    at.text_input(key=f"title_{DEMO_CODE}").input("Bilan ARIMA — table 1").run()
    button(at, "Renommer").click().run()
    assert store.get_session(DEMO_CODE).title == "Bilan ARIMA — table 1"
    assert [s.value for s in at.success] == ["Session renommée."]

    at.text_input(key=f"title_{DEMO_CODE}").input("   ").run()
    button(at, "Renommer").click().run()
    assert store.get_session(DEMO_CODE).title == "Bilan ARIMA — table 1"  # refused, unchanged
    assert len(at.error) == 1

    at.text_input(key=f"title_{DEMO_CODE}").input("Bilan ARIMA — table 2").run()
    button(at, "Dupliquer (mêmes réglages)").click().run()
    (copy,) = [s for s in store.list_sessions() if s.title == "Bilan ARIMA — table 2"]
    assert copy.code != DEMO_CODE and store.read_events(copy.code) == []
    assert at.query_params["session"] in (copy.code, [copy.code])
    done = f"Copie créée : {copy.code}. La page montre maintenant la copie."
    assert [s.value for s in at.success] == [done]
    (shown,) = [box for box in at.selectbox if box.label == "Session affichée"]
    assert shown.value == copy.code  # the join panel shows the copy
    assert not at.exception
