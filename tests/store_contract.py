"""The contract every ``Store`` backend passes.

A backend's test module subclasses ``StoreContract`` and provides a ``store`` fixture giving a fresh,
empty store::

    from store_contract import StoreContract

    class TestSQLiteStore(StoreContract):
        @pytest.fixture
        def store(self, tmp_path):
            store = SQLiteStore(tmp_path / "contract.db")
            yield store
            store.close()

The tests use only the ``Store`` protocol (``partenariat_core/store/base.py``). They assume nothing about
``seq`` values except that they increase in arrival order (not that they start at 1, nor that they are
contiguous). They stay small, so that a backend talking to a rate-limited fake API runs them in seconds;
load and concurrency tests belong in each backend's own module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from partenariat_core.agenda import Agenda, Countdown
from partenariat_core.errors import SessionError
from partenariat_core.model import Event, Session
from partenariat_core.store.base import Store

T0 = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)

# Texts a participant may type; each must come back exactly as stored.
AWKWARD_TEXTS = (
    "Café à l'école : « ça marche » — naïveté, Œuvre, ÇA",
    "👩‍👩‍👧 une famille (ZWJ) et 👍🏽",
    "<script>alert('x')</script>",
    "=SUM(A1)",
    "+33 1 23 45 67 89",
    "@x",
    "-1",
    "007",
    "guillemets \"doubles\" et 'simples'",
    "ligne 1\nligne 2\r\nligne 3",
)


def _event(session: str, n: int, *, participant: str = "participant-01", **fields: object) -> Event:
    values: dict[str, object] = {
        "session": session,
        "participant": participant,
        "submission_id": f"submission-{n:04d}",
        "instrument": "keep_throw",
        "item": "keep",
        "text": f"carte {n}",
        "created_at": T0 + dt.timedelta(seconds=n),
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def _unseq(events: list[Event]) -> list[Event]:
    """Events without the store's ``seq``, to compare with what was sent."""
    return [replace(e, seq=None) for e in events]


def _session(code: str, minutes: int = 0, **fields: object) -> Session:
    return Session(
        code=code, title=f"Atelier {code}", created_at=T0 + dt.timedelta(minutes=minutes), **fields
    )  # type: ignore[arg-type]


class StoreContract:
    """Run by every backend; see the module docstring."""

    @pytest.fixture
    def store(self) -> Store:  # pragma: no cover - each backend overrides it
        raise NotImplementedError("a backend's test class provides the 'store' fixture")

    # the protocol ---------------------------------------------------------------------------------
    def test_backend_implements_the_store_protocol(self, store):
        assert isinstance(store, Store)

    # sessions -------------------------------------------------------------------------------------
    def test_created_session_is_found_by_code(self, store):
        session = _session("ABC234")
        store.create_session(session)
        assert store.get_session("ABC234") == session

    def test_unknown_code_gives_none(self, store):
        store.create_session(_session("ABC234"))
        assert store.get_session("ZZZ999") is None

    def test_sessions_are_listed_newest_first(self, store):
        # created out of order on purpose: the listing follows created_at, not insertion
        store.create_session(_session("MID234", minutes=10))
        store.create_session(_session("OLD234", minutes=0))
        store.create_session(_session("NEW234", minutes=20))
        codes = [s.code for s in store.list_sessions() if s.code in {"OLD234", "MID234", "NEW234"}]
        assert codes == ["NEW234", "MID234", "OLD234"]

    def test_duplicate_code_is_refused_and_first_session_kept(self, store):
        first = _session("DUP234")
        store.create_session(first)
        with pytest.raises(SessionError) as info:
            store.create_session(replace(first, title="Un autre atelier"))
        assert info.value.key == "error.session_exists"
        assert store.get_session("DUP234") == first
        assert [s.code for s in store.list_sessions()].count("DUP234") == 1

    def test_saved_session_replaces_its_fields(self, store):
        session = _session("SAV234")
        store.create_session(session)
        changed = session.with_changes(
            title="Nouveau titre", is_open=False, hidden_boards=("conditions", "continuum")
        )
        saved = store.save_session(changed)
        assert saved == changed.with_changes(version=changed.version + 1)
        assert store.get_session("SAV234") == saved

    def test_a_save_from_a_stale_copy_is_refused_and_changes_nothing(self, store):
        # Two host tabs opened the same session; the first closes it, the second, still holding the
        # copy it read before, reveals a board: that must not reopen the session behind the host's back.
        original = _session("CAS234")
        store.create_session(original)
        tab_one, tab_two = store.get_session("CAS234"), store.get_session("CAS234")
        closed = store.save_session(tab_one.with_changes(is_open=False))
        with pytest.raises(SessionError) as info:
            store.save_session(tab_two.with_changes(hidden_boards=("conditions",)))
        assert info.value.key == "error.session_conflict"
        assert store.get_session("CAS234") == closed
        assert closed.is_open is False and closed.hidden_boards == ()
        # Working from the fresh copy succeeds, and versions keep counting up.
        again = store.save_session(store.get_session("CAS234").with_changes(hidden_boards=("conditions",)))
        assert (original.version, closed.version, again.version) == (0, 1, 2)
        assert store.get_session("CAS234") == again and again.is_open is False

    def test_the_agenda_travels_with_the_session(self, store):
        # The host's agenda (guided mode, step, locks, timer, screen key) is one field of the record:
        # a backend that dropped it would silently undo every remote action.
        session = _session("AGD234")
        store.create_session(session)
        timer = Countdown("conditions", dt.datetime(2026, 3, 14, 9, 5, tzinfo=dt.UTC), lock_at_zero=True)
        agenda = Agenda(mode="guided", current=2, locked=("keep_throw",), countdown=timer, screen_key="k-1")
        saved = store.save_session(store.get_session("AGD234").with_changes(agenda=agenda))
        assert saved.agenda == agenda
        assert store.get_session("AGD234") == saved
        assert [s.agenda for s in store.list_sessions() if s.code == "AGD234"] == [agenda]

    def test_saving_an_unknown_session_is_refused(self, store):
        with pytest.raises(SessionError):
            store.save_session(_session("NOP234"))
        assert store.get_session("NOP234") is None

    def test_session_fields_round_trip(self, store):
        full = Session(
            code="RND234",
            title="Table de quartier — « Hochelaga » 👩‍👩‍👧 <b>=SUM(A1)</b>",
            date=dt.date(2026, 3, 14),
            language="en",
            instruments=("conditions_1to5", "continuum"),
            keep_throw_preset="etoile_de_mer",
            sectors=("community", "municipal", "public_health"),
            is_open=False,
            hidden_boards=("continuum",),
            created_at=dt.datetime(2026, 3, 14, 8, 30, 5, 123456, tzinfo=dt.UTC),
        )
        bare = Session(code="BAR234", title="Sans secteurs", sectors=(), hidden_boards=(), is_open=True)
        store.create_session(full)
        store.create_session(bare)
        got_full, got_bare = store.get_session("RND234"), store.get_session("BAR234")
        assert got_full == full
        assert got_bare == bare
        assert isinstance(got_full.instruments, tuple) and isinstance(got_bare.sectors, tuple)
        assert got_full.is_open is False and got_bare.is_open is True
        assert isinstance(got_full.date, dt.date) and got_full.date == dt.date(2026, 3, 14)
        assert got_full.created_at.tzinfo is not None

    # deleting a session -------------------------------------------------------------------------
    def test_a_deleted_session_and_its_answers_are_gone_and_others_stay(self, store):
        store.create_session(_session("DEL234", minutes=1))
        store.create_session(_session("KEP234", minutes=2))
        store.append_events([_event("DEL234", 1), _event("DEL234", 2), _event("KEP234", 3)])
        assert store.delete_session("DEL234") is True
        assert store.get_session("DEL234") is None
        assert [s.code for s in store.list_sessions() if s.code in {"DEL234", "KEP234"}] == ["KEP234"]
        assert store.read_events("DEL234") == []
        assert _unseq(store.read_events("KEP234")) == [_event("KEP234", 3)]
        assert store.get_session("KEP234") == _session("KEP234", minutes=2)

    def test_deleting_twice_or_an_unknown_code_says_false(self, store):
        store.create_session(_session("TWO234"))
        assert store.delete_session("TWO234") is True
        assert store.delete_session("TWO234") is False
        assert store.delete_session("NON234") is False

    def test_a_deleted_session_cannot_be_saved(self, store):
        session = _session("SVD234")
        store.create_session(session)
        store.delete_session("SVD234")
        with pytest.raises(SessionError) as info:
            store.save_session(session.with_changes(title="Encore"))
        assert info.value.key == "error.session_unknown"
        assert store.get_session("SVD234") is None

    # events: idempotent append --------------------------------------------------------------------
    def test_append_returns_how_many_were_new(self, store):
        events = [_event("EVT234", n) for n in range(3)]
        assert store.append_events(events) == 3
        assert _unseq(store.read_events("EVT234")) == events

    def test_appending_nothing_stores_nothing(self, store):
        assert store.append_events([]) == 0
        assert store.read_events("EVT234") == []

    def test_resent_events_add_nothing(self, store):
        events = [_event("EVT234", n) for n in range(3)]
        store.append_events(events)
        assert store.append_events(events) == 0
        assert len(store.read_events("EVT234")) == 3

    def test_resent_event_is_recognised_by_its_key_alone(self, store):
        # a retry may come back with another time or text: (submission id, instrument, item) decides
        original = _event("EVT234", 1)
        store.append_events([original])
        retry = replace(original, text="texte modifié", created_at=T0 + dt.timedelta(hours=1))
        assert store.append_events([retry]) == 0
        assert _unseq(store.read_events("EVT234")) == [original]

    def test_one_call_mixing_new_and_resent_counts_only_new(self, store):
        old = [_event("EVT234", n) for n in range(2)]
        store.append_events(old)
        new = [_event("EVT234", n) for n in range(2, 4)]
        assert store.append_events([old[0], new[0], old[1], new[1]]) == 2
        stored = _unseq(store.read_events("EVT234"))
        assert len(stored) == 4
        assert sorted(e.key for e in stored) == sorted(e.key for e in old + new)

    def test_same_event_twice_in_one_call_is_stored_once(self, store):
        event = _event("EVT234", 1)
        assert store.append_events([event, event]) == 1
        assert _unseq(store.read_events("EVT234")) == [event]

    def test_one_submission_may_hold_several_items(self, store):
        # one submit of the conditions form: same submission id, one event per item
        events = [
            _event("EVT234", 1, instrument="conditions", item=item, value="B", text="")
            for item in ("c1_viewpoints", "c2_early", "c3_influence")
        ]
        events = [replace(e, submission_id="submission-form") for e in events]
        assert store.append_events(events) == 3
        assert _unseq(store.read_events("EVT234")) == events

    def test_same_key_in_another_session_is_another_event(self, store):
        here, there = _event("AAA234", 1), _event("BBB234", 1)
        assert store.append_events([here]) == 1
        assert store.append_events([there]) == 1
        assert _unseq(store.read_events("AAA234")) == [here]
        assert _unseq(store.read_events("BBB234")) == [there]

    # events: reading ------------------------------------------------------------------------------
    def test_events_of_another_session_are_not_returned(self, store):
        mine = [_event("MIN234", n) for n in range(2)]
        other = [_event("OTH234", n, participant="participant-99") for n in range(10, 12)]
        store.append_events([mine[0], other[0], mine[1], other[1]])
        assert _unseq(store.read_events("MIN234")) == mine
        assert all(e.session == "OTH234" for e in store.read_events("OTH234"))
        assert store.read_events("NON234") == []

    def test_events_come_back_in_arrival_order_with_increasing_seq(self, store):
        # arrival order, not time order: the third event carries the earliest timestamp
        first = _event("ORD234", 1)
        second = _event("ORD234", 2)
        third = _event("ORD234", 3, created_at=T0 - dt.timedelta(days=1))
        store.append_events([first])
        store.append_events([second, third])
        stored = store.read_events("ORD234")
        assert _unseq(stored) == [first, second, third]
        seqs = [e.seq for e in stored]
        assert all(isinstance(s, int) for s in seqs)
        assert seqs == sorted(seqs) and len(set(seqs)) == 3

    def test_read_since_a_cursor_returns_only_newer_events_in_order(self, store):
        first_batch = [_event("CUR234", n) for n in range(3)]
        store.append_events(first_batch)
        cursor = store.read_events("CUR234")[-1].seq
        assert store.read_events("CUR234", since=cursor) == []
        second_batch = [_event("CUR234", n) for n in range(3, 6)]
        store.append_events([_event("OTH234", 50)])  # another session's event in between
        store.append_events(second_batch)
        newer = store.read_events("CUR234", since=cursor)
        assert _unseq(newer) == second_batch
        assert all(e.seq > cursor for e in newer)
        middle = store.read_events("CUR234")[1].seq
        assert _unseq(store.read_events("CUR234", since=middle)) == first_batch[2:] + second_batch

    # events: exact round trip ---------------------------------------------------------------------
    def test_awkward_texts_round_trip_exactly(self, store):
        events = [_event("TXT234", n, text=text) for n, text in enumerate(AWKWARD_TEXTS)]
        assert store.append_events(events) == len(AWKWARD_TEXTS)
        assert [e.text for e in store.read_events("TXT234")] == list(AWKWARD_TEXTS)

    def test_event_fields_round_trip(self, store):
        when = dt.datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        events = [
            Event(
                "FLD234", "p-Ab_9-xyz", "4f1c2a", "conditions", "c1_viewpoints", value="A", created_at=when
            ),
            Event(
                "FLD234", "p-Ab_9-xyz", "4f1c2b", "conditions_1to5", "c2_early", value="5", created_at=when
            ),
            Event("FLD234", "p-Ab_9-xyz", "4f1c2c", "conditions", "c3_influence", value="dont_know"),
            Event("FLD234", "p-Ab_9-xyz", "4f1c2d", "profile", "sector", value="community"),
        ]
        store.append_events(events)
        stored = store.read_events("FLD234")
        assert _unseq(stored) == events
        assert [e.value for e in stored] == ["A", "5", "dont_know", "community"]
        assert all(e.text == "" for e in stored)
        assert stored[0].created_at == when
        assert all(e.created_at.tzinfo is not None and e.created_at.utcoffset() is not None for e in stored)

    # board curation (issue 10): a session setting and new event kinds, through the same protocol ----
    def test_cards_need_approval_round_trips_and_is_saved(self, store):
        strict = _session("APR234", cards_need_approval=True)
        store.create_session(strict)
        store.create_session(_session("OFF234"))
        assert store.get_session("APR234") == strict and strict.cards_need_approval is True
        assert store.get_session("OFF234").cards_need_approval is False  # the default
        saved = store.save_session(store.get_session("APR234").with_changes(cards_need_approval=False))
        assert saved.cards_need_approval is False and saved.version == strict.version + 1
        assert store.get_session("APR234") == saved

    def test_a_rejected_suggestion_round_trips_with_its_card_list(self, store):
        from partenariat_core.scoring import events_frame
        from partenariat_core.scoring.curated import HOST, SUGGESTION_REJECTED, card_id, curated_board

        code = "REJ345"
        session = _session(code)
        store.create_session(session)
        cards = [_event(code, n, participant=f"participant-0{n}", text="même idée") for n in range(1, 3)]
        pair = sorted(card_id("keep_throw", "keep", c.submission_id) for c in cards)
        when = T0 + dt.timedelta(minutes=10)
        rejected = Event(
            code, HOST, "reject-1", SUGGESTION_REJECTED, "s-1", "keep_throw", "\n".join(pair), when
        )
        assert store.append_events([*cards, rejected]) == 3
        assert store.append_events([rejected]) == 0
        stored = store.read_events(code)
        assert _unseq(stored) == [*cards, rejected]  # the card list, one id a line, comes back as sent
        board = curated_board(events_frame(stored), "keep_throw", session, stored)
        assert board.rejected == frozenset({frozenset(pair)})

    def test_curation_events_round_trip_are_idempotent_and_the_latest_wins(self, store):
        from partenariat_core.scoring import events_frame
        from partenariat_core.scoring.curated import (
            CARD_EDIT,
            GROUP,
            GROUP_MEMBER,
            HIDDEN,
            HOST,
            MODERATION,
            VOTE,
            card_id,
            curated_board,
        )

        code = "CUR345"
        session = _session(code)
        store.create_session(session)
        cards = [_event(code, n, participant=f"participant-0{n}", text=f"carte {n}") for n in range(1, 4)]
        one, two, three = (card_id("keep_throw", "keep", c.submission_id) for c in cards)

        def later(n: int, participant: str, instrument: str, item: str, value: str = "", text: str = ""):
            when = T0 + dt.timedelta(minutes=10, seconds=n)
            return Event(code, participant, f"curation-{n:03d}", instrument, item, value, text, when)

        curation = [
            later(1, HOST, GROUP, "group-a", "keep_throw", "Un « titre » <b>"),
            later(2, HOST, GROUP_MEMBER, one, "group-a"),
            later(3, HOST, GROUP_MEMBER, two, "group-a"),
            later(4, HOST, MODERATION, three, HIDDEN),
            later(5, "participant-01", CARD_EDIT, one, "edit", "carte 1, revue"),
            later(6, "participant-02", VOTE, one, "1"),
            later(7, "participant-02", VOTE, one, "2"),
            later(8, "participant-02", VOTE, one, "1"),  # changed twice: counts once, as 1
            later(9, "participant-03", VOTE, "group-a", "1"),
            later(10, "participant-03", VOTE, three, "1"),  # on a hidden card: counts nowhere
        ]
        assert store.append_events(cards + curation) == len(cards) + len(curation)
        assert store.append_events(curation) == 0  # every resend is recognised by its key
        stored = store.read_events(code)
        assert _unseq(stored) == cards + curation
        board = curated_board(events_frame(stored), "keep_throw", session, stored)
        assert board.groups["group-a"].count == 2 and board.groups["group-a"].title == "Un « titre » <b>"
        assert board.groups["group-a"].votes == 2  # participant-02's 1 on a member + participant-03's 1
        assert board.cards[one].text == "carte 1, revue"
        assert board.cards[three].state == HIDDEN and board.total_votes == 2
        assert [r.entry.id for r in board.ranking()] == ["group-a"]
