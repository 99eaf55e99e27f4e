"""The room's board hands its columns over unmade (``board.Cards``): a card is made when read, and the
column reads as the list of cards it stands for."""

from __future__ import annotations

import pytest

from partenariat_core.model import Session
from partenariat_core.scoring import Card, events_frame, summarize
from partenariat_core.scoring.board import Board, Cards
from partenariat_core.scoring.curated import GROUP, GROUP_MEMBER, HOST, card_id, curated_board


def counted(texts: list[str]) -> tuple[Cards, list[str]]:
    """A column of cards titled ``texts``, and the list of texts made so far."""
    made: list[str] = []

    def make(text: str) -> Card:
        made.append(text)
        return Card(text, "p", len(made))

    return Cards(texts, make, len(texts)), made


def test_a_card_is_made_when_read_and_once():
    cards, made = counted(["a", "b", "c", "d"])
    assert len(cards) == 4 and bool(cards) and made == []
    assert cards[2].text == "c" and made == ["c"]
    assert cards[2] is cards[2] and made == ["c"]  # kept
    assert cards[-1].text == "d" and cards[-4].text == "a"
    assert [c.text for c in cards[1:3]] == ["b", "c"] and isinstance(cards[1:3], list)
    assert [c.text for c in cards[::-2]] == ["d", "b"] and cards[5:] == []
    assert sorted(made) == ["a", "b", "c", "d"]  # each made once whatever the reads
    with pytest.raises(IndexError):
        cards[4]
    with pytest.raises(IndexError):
        cards[-5]


def test_a_column_read_in_part_then_whole_makes_each_card_once():
    cards, made = counted(["a", "b", "c"])
    first = cards[1]
    assert [c.text for c in cards] == ["a", "b", "c"] and made == ["b", "a", "c"]
    assert list(cards)[1] is first and made == ["b", "a", "c"]
    whole, made = counted(["x", "y"])
    assert [c.text for c in whole] == ["x", "y"] and made == ["x", "y"]  # read whole first: one pass
    assert whole[0] is next(iter(whole)) and made == ["x", "y"]


def test_a_column_reads_as_the_list_of_its_cards():
    cards, _ = counted(["a", "b"])
    as_list = list(cards)
    assert [c.text for c in cards] == ["a", "b"] and [c.text for c in reversed(cards)] == ["b", "a"]
    assert cards == as_list and as_list == cards and cards == counted(["a", "b"])[0]
    assert cards != as_list[:1] and cards != counted(["a", "z"])[0] and cards != [*as_list, as_list[0]]
    assert cards != tuple(as_list)  # as a list is never equal to a tuple
    assert as_list[1] in cards and Card("z", "p", 9) not in cards
    assert cards.index(as_list[1]) == 1
    assert repr(cards) == f"Cards({as_list!r})"
    empty, _ = counted([])
    assert not empty and empty == [] and list(empty) == []
    with pytest.raises(TypeError):
        hash(cards)
    with pytest.raises(TypeError):
        cards[0] = as_list[1]  # type: ignore[index]  # read-only


def test_the_column_does_not_change_with_the_entries_it_was_made_from():
    texts = ["a", "b"]
    cards = Cards(texts, lambda text: Card(text, "p", 1), 2)
    texts.append("c")
    assert len(cards) == 2


def test_counts_come_without_making_the_cards(instruments, make_event):
    events = [make_event(f"p{i}", "keep_throw", "keep", text=f"Carte {i}") for i in range(5)]
    events.append(make_event("p9", "keep_throw", "throw", text="Les silos"))
    group = make_event(HOST, GROUP, "g1", "keep_throw", text="Ensemble")
    grouped = [
        make_event(HOST, GROUP_MEMBER, card_id("keep_throw", "keep", e.submission_id), "g1")
        for e in events[1:4]
    ]
    session = Session("TEST23", "Atelier", instruments=("keep_throw",))
    summary = summarize(session, [*events, group, *grouped], instruments)
    board = summary.boards["keep_throw"]
    assert all(isinstance(cards, Cards) for cards in board.columns.values())
    assert board.counts == {"keep": 5, "throw": 1}  # the group stands for its 3 members
    assert all(cards._made is None for cards in board.columns.values())  # nothing made yet
    eager = Board({column: list(cards) for column, cards in board.columns.items()})
    assert eager.counts == board.counts and eager == board
    assert [(c.text, c.count) for c in board.columns["keep"]] == [
        ("Carte 0", 1),
        ("Ensemble", 3),
        ("Carte 4", 1),
    ]
    assert [c.text for c in board.cards("keep")] == [f"Carte {i}" for i in range(5)]
    assert curated_board(events_frame(events), "keep_throw", session, events).groups == {}
