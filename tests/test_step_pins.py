"""Screen links pin a step by its id, so adding or removing a vote step before it never moves a
pinned projector to another step; older numeric links still open; a link to a step the session no
longer has is told apart from "no pin" (the screen says so instead of drawing another step)."""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core import agenda, t
from partenariat_core.errors import RejectedInput
from partenariat_core.model import Session

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def session() -> Session:
    return Session("ABC234", "Atelier", instruments=("keep_throw", "conditions", "continuum"), created_at=T0)


def with_vote(s: Session) -> Session:
    return agenda.add_vote(s, agenda.VoteStep("keep_throw"))


def test_a_link_made_before_a_vote_step_stays_on_its_step():
    s = session()
    url = agenda.screen_url("http://x", s, 2)
    assert url.endswith("&step=conditions")  # written as the step's id, not its place
    pinned = url.rsplit("step=", 1)[1]
    voted = with_vote(s)  # join, keep_throw, vote:keep_throw, conditions, continuum
    assert agenda.steps(voted)[2] == "vote:keep_throw"  # what the number 2 shows now
    view = agenda.screen_view(voted, T0, agenda.pin_step(pinned, voted).index)
    assert (view.step, view.index, view.pinned) == ("conditions", 3, True)
    back = agenda.remove_vote(voted, "keep_throw")
    view = agenda.screen_view(back, T0, agenda.parse_step(pinned, back))
    assert (view.step, view.index) == ("conditions", 2)  # and back when the vote step goes


def test_every_step_has_a_link_that_reads_back_to_it():
    s = with_vote(session())
    for index, step in enumerate(agenda.steps(s)):
        url = agenda.screen_url("http://x", s, index)
        value = url.split("step=", 1)[1]
        assert agenda.pin_step(value.replace("%3A", ":"), s) == agenda.StepPin(index)
        assert agenda.screen_url("http://x", s, step) == url  # the id gives the same link
    assert "step=vote%3Akeep_throw" in agenda.screen_url("http://x", s, "vote:keep_throw")
    assert "step" not in agenda.screen_url("http://x", s)


def test_older_numeric_links_still_open_the_step_at_that_place():
    s = with_vote(session())
    assert agenda.pin_step("3", s) == agenda.StepPin(3)
    assert agenda.pin_step(" 0 ", s) == agenda.StepPin(0)  # the join step
    assert agenda.screen_view(s, T0, agenda.parse_step("4", s)).step == "continuum"


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_no_step_pins_nothing(raw):
    assert agenda.pin_step(raw, session()) == agenda.StepPin()


@pytest.mark.parametrize(
    "raw", ["vote:keep_throw", "5", "-1", "deux", "٣", "conditions2", "JOIN", "<b>x</b>"]
)
def test_a_step_the_session_does_not_have_is_gone_not_followed(raw):
    s = session()
    pin = agenda.pin_step(raw, s)
    assert pin.index is None and pin.gone == raw
    assert agenda.parse_step(raw, s) is None


def test_a_removed_vote_step_leaves_its_pinned_links_gone_until_it_comes_back():
    voted = with_vote(session())
    assert agenda.pin_step("vote:keep_throw", voted) == agenda.StepPin(2)
    removed = agenda.remove_vote(voted, "keep_throw")
    assert agenda.pin_step("vote:keep_throw", removed) == agenda.StepPin(gone="vote:keep_throw")
    assert agenda.pin_step("vote:keep_throw", with_vote(removed)) == agenda.StepPin(2)
    fewer = session().with_changes(instruments=("keep_throw", "continuum"))
    assert agenda.pin_step("conditions", fewer).gone == "conditions"  # an activity taken out


def test_a_link_to_a_step_the_session_lacks_is_refused_in_words():
    s = session()
    for step in (4, -1, "vote:keep_throw"):
        with pytest.raises(RejectedInput) as caught:
            agenda.screen_url("http://x", s, step)
        assert caught.value.key == "screen.step_unknown"
    message = caught.value.message("fr")
    assert "ABC234" in message and "join, keep_throw, conditions, continuum" in message
    assert "vote:keep_throw" in caught.value.message("en")


def test_the_gone_message_exists_in_both_languages():
    fr, en = t("screen.step_gone", "fr"), t("screen.step_gone", "en")
    assert "n'a plus" in fr and "no longer has" in en and fr != en
