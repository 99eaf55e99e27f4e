"""The host's "sort the board" panel (ui/curate.py) under AppTest, on the host page and the remote:
hide and show again, the approval queue, grouping (the dashboard then shows one card ×2), the
suggested groups accepted or rejected, and a click stored once even when it is sent twice."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from apptest_support import HOSTILE, html_text, literal_texts, login, open_app, rendered

from partenariat_core import StoreUnavailable
from partenariat_core.model import Event, Session
from partenariat_core.runtime import shared_runtime
from partenariat_core.scoring.curated import MODERATION, SUGGESTION_REJECTED, card_id

CODE = "TRIE23"
T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
CARDS = [  # (submission, column, text)
    ("c1", "keep", "Le plaisir"),
    ("c2", "keep", "le plaisir !"),
    ("c3", "keep", "Vision commune"),
    ("c4", "keep", HOSTILE),
    ("c5", "throw", "Travail en silo"),
]


def cid(submission: str, column: str = "keep") -> str:
    return card_id("keep_throw", column, submission)


def card_event(n: int, submission: str, column: str, text: str) -> Event:
    when = T0 + dt.timedelta(seconds=n)
    return Event(CODE, f"participant-{n:02d}", submission, "keep_throw", column, "", text, when)


def host(page: str = "pages/host.py", *, approval: bool = False, lang: str = "fr"):
    """The host page (or the remote) on a session of the five cards above."""
    at = open_app("pages/participate.py")  # builds the runtime, which the test then writes through
    rt = shared_runtime()
    rt.store.create_session(
        Session(CODE, "Atelier tri", instruments=("keep_throw",), cards_need_approval=approval)
    )
    rt.store.append_events([card_event(n, *card) for n, card in enumerate(CARDS, 1)])
    rt.live.invalidate(CODE)
    at = login(open_app(page, session=CODE, lang=lang))
    assert not at.exception, at.exception
    return at


def button(at, action: str, ident: str = ""):
    """The panel's button for ``action`` on ``ident`` (its key carries the tab's generation)."""
    pattern = re.compile(rf"cur:{CODE}:\d+:{re.escape(action)}:{re.escape(ident)}")
    found = [b for b in at.button if b.key and pattern.fullmatch(b.key)]
    assert len(found) == 1, [b.key for b in at.button]
    return found[0]


def has_button(at, action: str, ident: str = "") -> bool:
    pattern = re.compile(rf"cur:{CODE}:\d+:{re.escape(action)}:{re.escape(ident)}")
    return any(b.key and pattern.fullmatch(b.key) for b in at.button)


def tick(at, *submissions: str):
    for submission in submissions:
        (box,) = [c for c in at.checkbox if c.key and c.key.endswith(":" + cid(submission))]
        box.check()
    return at.run()


def room(column: str = "keep") -> list[tuple[str, int]]:
    """What the room's board shows in ``column``: (text, ×N) per entry."""
    shared_runtime().live.invalidate(CODE)
    summary = shared_runtime().live.summary(CODE)
    return [(card.text, card.count) for card in summary.boards["keep_throw"].columns[column]]


def stored(instrument: str) -> list[Event]:
    return [e for e in shared_runtime().store.read_events(CODE) if e.instrument == instrument]


def test_hiding_a_card_takes_it_off_the_room_board_and_strikes_it_through_for_the_host(app_env):
    at = host()
    assert ("Travail en silo", 1) in room("throw")
    button(at, "hide", cid("c5", "throw")).click().run()
    assert not at.exception and not at.error
    assert room("throw") == []
    assert literal_texts(at, "pl-c-card pl-c-hidden") == ["Travail en silo"]
    assert [e.value for e in stored(MODERATION)] == ["hidden"]
    # the way back: "show again"
    show = button(at, "show", cid("c5", "throw"))
    assert show.label == "Remettre au tableau"
    show.click().run()
    assert room("throw") == [("Travail en silo", 1)]
    assert literal_texts(at, "pl-c-card pl-c-hidden") == []


def test_card_texts_are_literal_and_without_their_author(app_env):
    at = host()
    (box,) = [c for c in at.checkbox if c.key.endswith(":" + cid("c4"))]
    assert rendered(box.label) == HOSTILE  # the checkbox's label is the card, escaped
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "participant-0" not in bodies and not any("participant-0" in c.label for c in at.checkbox)


def test_approval_queue_approve_one_hide_one_approve_all(app_env):
    at = host(approval=True)
    assert room() == [] and room("throw") == []  # all five wait
    assert any("En attente d'approbation : 5 cartes" in m.value for m in at.markdown)
    button(at, "approve", cid("c3")).click().run()
    assert room() == [("Vision commune", 1)]
    button(at, "qhide", cid("c1")).click().run()
    assert room() == [("Vision commune", 1)]
    assert literal_texts(at, "pl-c-card pl-c-hidden") == ["Le plaisir"]
    button(at, "approve_all", "keep_throw").click().run()
    assert room() == [("le plaisir !", 1), ("Vision commune", 1), (HOSTILE, 1)]
    assert room("throw") == [("Travail en silo", 1)]
    assert any(c.value == "Aucune carte n'attend d'approbation." for c in at.caption)


def test_turning_approval_on_keeps_the_board_and_holds_the_next_card(app_env):
    at = host()
    (switch,) = [t for t in at.toggle if t.key.startswith(f"cur_approval:{CODE}")]
    switch.set_value(True).run()
    assert shared_runtime().store.get_session(CODE).cards_need_approval is True
    assert len(room()) == 4 and len(room("throw")) == 1  # nothing went back to the queue
    shared_runtime().store.append_events([card_event(9, "c9", "keep", "Arrivée tardive")])
    at.button(key=f"cur_refresh:{CODE}").click().run()
    assert ("Arrivée tardive", 1) not in room()
    assert literal_texts(at, "pl-c-card pl-c-pending") == ["Arrivée tardive"]


def test_grouping_two_cards_shows_one_card_x2_on_the_dashboard(app_env):
    at = tick(host(), "c1", "c3")
    (title,) = [t for t in at.text_input if t.key.startswith(f"cur_title:{CODE}")]
    assert title.value == "Le plaisir"  # prefilled from the first ticked card
    title.input("Plaisir et vision").run()
    button(at, "group", "keep_throw").click().run()
    assert not at.error
    assert room() == [("Plaisir et vision", 2), ("le plaisir !", 1), (HOSTILE, 1)]
    assert any(e.label == "Plaisir et vision ×2" for e in at.expander)
    assert not any(c.value for c in at.checkbox)  # a new selection round: nothing ticked
    dashboard = login(open_app("pages/dashboard.py"))
    dashboard.query_params["session"] = CODE  # switch_page dropped the router's query parameters
    dashboard.run()
    html = " ".join(h.proto.body for h in dashboard.get("html"))
    assert "Plaisir et vision <b class='pl-times'>×2</b>" in html
    assert "<li>Le plaisir</li><li>Vision commune</li>" in html  # the host can open it
    assert "(4)</span>" in html  # keep still counts its four cards


def test_ungroup_rename_and_take_one_out(app_env):
    at = tick(host(), "c1", "c2", "c3")
    button(at, "group", "keep_throw").click().run()
    assert room() == [("Le plaisir", 3), (HOSTILE, 1)]
    button(at, "out", cid("c3")).click().run()
    assert room() == [("Le plaisir", 2), ("Vision commune", 1), (HOSTILE, 1)]
    (field,) = [t for t in at.text_input if t.key.startswith(f"cur_rename:{CODE}")]
    field.input("Le plaisir d'agir").run()
    (group,) = [b for b in at.button if b.key and ":rename:" in b.key]
    group.click().run()
    assert room()[0] == ("Le plaisir d'agir", 2)
    (undo,) = [b for b in at.button if b.key and ":ungroup:" in b.key]
    undo.click().run()
    assert room() == [("Le plaisir", 1), ("le plaisir !", 1), ("Vision commune", 1), (HOSTILE, 1)]


def _selection_widgets(at):
    """The ticked-cards block's widgets, in order: (kind, label, disabled)."""
    titles = [t for t in at.text_input if t.key.startswith(f"cur_title:{CODE}")]
    targets = [s for s in at.selectbox if s.key and s.key.startswith(f"cur_target:{CODE}")]
    return titles, targets, button(at, "group", "keep_throw"), button(at, "merge", "keep_throw")


def test_the_ticked_cards_block_is_drawn_whole_before_the_first_tick(app_env):
    """The block above the columns has the same fields ticked or not (disabled until they apply), so
    the first tick does not push the rows down under the host's next tap."""
    at = host()
    (title,), (target,), group, merge = _selection_widgets(at)
    assert any(m.value == "**0 carte cochée**" for m in at.markdown)
    assert title.disabled and title.value == ""
    assert target.disabled and target.value is None and target.placeholder == "Cochez d'abord des cartes"
    assert group.disabled and merge.disabled
    at = tick(at, "c1")
    (title,), (target,), group, merge = _selection_widgets(at)
    assert any(m.value == "**1 carte cochée**" for m in at.markdown)
    assert not title.disabled and title.value == "Le plaisir"
    # the column's other entries, the first one chosen: one tap on "Fusionner" merges into it
    assert [rendered(o) for o in target.options] == ["le plaisir !", "Vision commune", HOSTILE]
    assert not target.disabled and target.value == cid("c2")
    assert group.disabled and not merge.disabled  # grouping needs two cards, merging one
    at = tick(at, "c2", "c3", "c4")  # the whole column: nothing left to merge into
    (_,), (target,), group, merge = _selection_widgets(at)
    assert target.disabled and target.value is None
    assert target.placeholder == "Aucune autre carte dans cette colonne"
    assert merge.disabled and not group.disabled
    (box,) = [c for c in at.checkbox if c.key.endswith(":" + cid("c3"))]
    at = box.uncheck().run()  # a target again: chosen, not left empty
    (_,), (target,), _, merge = _selection_widgets(at)
    assert target.value == cid("c3") and not merge.disabled


def test_merging_ticked_cards_into_a_group(app_env):
    at = tick(host(), "c1", "c2")
    button(at, "group", "keep_throw").click().run()
    at = tick(at, "c3")
    (target,) = [s for s in at.selectbox if s.key and s.key.startswith(f"cur_target:{CODE}")]
    group_id = next(o for o in target.options if "×2" in o)
    target.select(group_id).run()
    button(at, "merge", "keep_throw").click().run()
    assert room() == [("Le plaisir", 3), (HOSTILE, 1)]


def test_a_refused_action_says_why_in_the_hosts_language(app_env):
    at = tick(host(lang="en"), "c1", "c3")
    (title,) = [t for t in at.text_input if t.key.startswith(f"cur_title:{CODE}")]
    title.input("   ").run()
    button(at, "group", "keep_throw").click().run()
    assert [rendered(e.value) for e in at.error] == ["Give the group a title."]
    assert room()[0] == ("Le plaisir", 1)  # nothing stored


def test_a_suggestion_is_accepted_in_one_tap_or_rejected_for_good(app_env):
    at = host()
    ids = ",".join([cid("c1"), cid("c2")])
    assert any(m.value == "Ces 2 cartes se ressemblent : les regrouper ?" for m in at.markdown)
    assert room()[:2] == [("Le plaisir", 1), ("le plaisir !", 1)]  # never applied by itself
    button(at, "reject", ids).click().run()
    assert not has_button(at, "accept", ids)
    assert len(stored(SUGGESTION_REJECTED)) == 1
    again = login(open_app("pages/host.py", session=CODE))  # another device, or a reload
    assert not has_button(again, "accept", ids)
    assert room()[:2] == [("Le plaisir", 1), ("le plaisir !", 1)]


def test_accepting_a_suggestion_groups_its_cards(app_env):
    at = host()
    button(at, "accept", ",".join([cid("c1"), cid("c2")])).click().run()
    assert room() == [("Le plaisir", 2), ("Vision commune", 1), (HOSTILE, 1)]
    assert not any(m.value.startswith("Ces 2 cartes") for m in at.markdown)  # grouped: no longer suggested


def _lands_then_fails(store):
    """The store's next append lands and then reports a failure (a Sheets write that timed out on our
    side after Google took it): the host sees the error and clicks again."""
    append, calls = store.append_events, []

    def append_events(events):
        added = append(events)
        calls.append(len(events))
        if len(calls) == 1:
            raise StoreUnavailable("error.store_unavailable")
        return added

    return append_events, calls


def test_a_click_sent_twice_is_stored_once(app_env, monkeypatch):
    at = host()
    rt = shared_runtime()
    failing, calls = _lands_then_fails(rt.store)
    monkeypatch.setattr(rt.store, "append_events", failing)
    at = tick(at, "c1", "c3")
    button(at, "group", "keep_throw").click().run()
    assert len(at.error) == 1  # the store said it failed: the host tries again
    button(at, "group", "keep_throw").click().run()  # same click id, kept through the failure
    assert not at.error and calls == [3, 3]  # the same three events sent twice...
    groups = [e for e in rt.store.read_events(CODE) if e.instrument == "_group"]
    members = [e for e in rt.store.read_events(CODE) if e.instrument == "_group_member"]
    assert len(groups) == 1 and len(members) == 2
    assert room()[0] == ("Le plaisir", 2)
    # and once stored, the second tap of a double tap names a button no longer drawn
    stale = button(at, "hide", cid("c4")).key
    button(at, "hide", cid("c4")).click().run()
    assert stale not in [b.key for b in at.button] and len(stored(MODERATION)) == 1


def test_the_remote_hides_shows_and_approves(app_env):
    at = host("pages/remote.py", approval=True)
    button(at, "approve", cid("c5", "throw")).click().run()
    assert room("throw") == [("Travail en silo", 1)]
    button(at, "hide", cid("c5", "throw")).click().run()
    assert room("throw") == []
    assert "Travail en silo" in literal_texts(at, "pl-c-card pl-c-hidden")
    button(at, "show", cid("c5", "throw")).click().run()
    assert room("throw") == [("Travail en silo", 1)]
    assert not at.checkbox  # the compact version: no grouping on a phone
    assert escape(HOSTILE) in " ".join(h.proto.body for h in at.get("html"))
    tags, _ = html_text(next(h.proto.body for h in at.get("html") if "pl-c-pending" in h.proto.body))
    assert tags == ["div"]
