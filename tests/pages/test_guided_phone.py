"""Phones in guided mode (pages/participate.py with ui/guided.py): the host's step or "wait"."""

from __future__ import annotations

from apptest_support import open_app, store_of

from partenariat_core import create_session, load_instruments
from partenariat_core.runtime import shared_runtime
from partenariat_core.sessions import go_to_step, set_agenda_mode, set_step_locked

PID = "testParticipant01"
WAIT = "L'animation va lancer la prochaine activité : elle s'affichera ici d'elle-même."


def headers(at) -> list[str]:
    return [h.value for h in at.header]


def tick(at, code: str):
    """A refresh tick after a host action made elsewhere (another process would see it after the ttl)."""
    shared_runtime().live.invalidate(code)
    return at.run()


def test_a_guided_phone_shows_the_current_step_or_waits_and_follows(app_env):
    open_app()
    store = store_of(app_env)
    session = create_session(store, load_instruments(), "Atelier guidé", sectors=("community", "municipal"))
    at = open_app(session=session.code, p=PID)
    assert len(headers(at)) == 3  # free mode: every activity, as before
    assert WAIT not in [i.value for i in at.info]

    set_agenda_mode(store, session.code, "guided")
    tick(at, session.code)
    assert headers(at) == []
    assert WAIT in [i.value for i in at.info]
    assert len(at.selectbox) == 1  # the sector question comes with the join step

    go_to_step(store, session.code, 2)
    tick(at, session.code)
    assert headers(at) == ["Les six conditions d'efficacité de l'action en partenariat"]
    assert WAIT not in [i.value for i in at.info]
    assert len(at.radio) == 6

    set_step_locked(store, session.code, "conditions", True)
    tick(at, session.code)
    assert [w.value for w in at.warning] == ["Les réponses à cette étape sont fermées."]
    assert not at.exception


def test_phones_check_for_the_host_no_faster_than_every_3_seconds():
    # the screens' refresh went down to 1 s; hundreds of phones must not follow it down
    from partenariat_core import GUIDED_MODE
    from ui.guided import phone_check_seconds

    assert phone_check_seconds(1, GUIDED_MODE) == 3
    assert phone_check_seconds(5, GUIDED_MODE) == 5
    assert phone_check_seconds(1, "free") == 10
    assert phone_check_seconds(30, "free") == 30
