"""The keep/throw board: cards per column, in the order they arrived."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import pandas as pd

from partenariat_core.instruments import Instrument


@dataclass(frozen=True, slots=True)  # no __dict__: a large board makes one per card
class Card:
    """One card on the room's board; or a group of cards the host put together, shown as one card
    titled ``text`` with its count (×N), its ``members`` kept for the host's view and the exports."""

    text: str
    participant: str  # "" for a group
    seq: int
    members: tuple[Card, ...] = ()
    id: str = ""  # the curated card or group id (``scoring.curated``), when the board was curated

    @property
    def count(self) -> int:
        """How many cards this entry stands for: 1, or a group's members."""
        return len(self.members) or 1


class Cards(Sequence[Card]):
    """One column of the room's board, read-only, each card made the first time it is read.

    A session of a million events has some 200,000 cards: making them one by one is ~0.5 s of a
    summary that a projector refresh waits for, while a screen draws one page of them and the
    summary is replaced at the next answer. So ``room_board`` hands each column over unmade, from
    the curated board's entries; a card read once is kept. Reads as the list it stands for: ``len``,
    index, slice (a list), iteration, ``in``, and ``==`` with a list of the same cards or another
    ``Cards``. ``total`` is the cards it stands for, a group counting its members, without making
    any (``Board.counts``). :meth:`shown` reads each entry's text and count (what a projector lays
    out) without making any card either, when the column was given ``shown``. Two threads reading the
    same card at once may both make it: equal cards, either kept."""

    __slots__ = ("_made", "_make", "_shown", "_source", "total")

    def __init__(
        self,
        source: Sequence[Any],
        make: Callable[[Any], Card],
        total: int,
        shown: Callable[[Any], tuple[str, int]] | None = None,
    ) -> None:
        self._source = tuple(source)  # a copy: the column cannot change under its reader
        self._make = make
        self._shown = shown  # an entry's (text, count) as its card would have them
        self._made: list[Card | None] | None = None
        self.total = total

    def shown(self) -> list[tuple[str, int]]:
        """(text, count) of each card in order, a group as one entry ×N: from the entries, making
        no card, when the column was given ``shown``; else from its cards."""
        if self._shown is None:
            return [(card.text, card.count) for card in self]
        return [self._shown(entry) for entry in self._source]

    def __len__(self) -> int:
        return len(self._source)

    def _card(self, index: int) -> Card:
        made = self._made
        if made is None:
            made = self._made = [None] * len(self._source)
        card = made[index]
        if card is None:
            card = made[index] = self._make(self._source[index])
        return card

    @overload
    def __getitem__(self, index: int) -> Card: ...

    @overload
    def __getitem__(self, index: slice) -> list[Card]: ...

    def __getitem__(self, index: int | slice) -> Card | list[Card]:
        if isinstance(index, slice):
            return [self._card(i) for i in range(*index.indices(len(self._source)))]
        if index < 0:
            index += len(self._source)
        if not 0 <= index < len(self._source):
            raise IndexError("card index out of range")
        return self._card(index)

    def __iter__(self) -> Iterator[Card]:
        made = self._made
        if made is None:  # a first read of the whole column: made in one go, without the index checks
            whole = [self._make(entry) for entry in self._source]
            self._made = list(whole)  # its own list: another thread may fill the slots of its own
            return iter(whole)
        if all(card is not None for card in made):
            return iter(made)  # type: ignore[arg-type]  # every card made
        return (self._card(index) for index in range(len(self._source)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cards | list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return f"Cards({list(self)!r})"


@dataclass(frozen=True)
class Board:
    """``columns`` maps column id → entries (cards, and groups as one entry), preset columns first
    (possibly empty): lists, or ``Cards`` made as they are read (``summary.room_board``)."""

    columns: dict[str, Sequence[Card]]

    @property
    def counts(self) -> dict[str, int]:
        """Cards per column, a group counting its members: what the room posted, not how it is sorted."""
        return {
            column: cards.total if isinstance(cards, Cards) else sum(card.count for card in cards)
            for column, cards in self.columns.items()
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def shown(self, column: str) -> list[tuple[str, int]]:
        """(text, count) of each entry of a column, in order: what a screen lays out (a group is one
        entry ×N). A ``Cards`` column answers without making its cards."""
        cards = self.columns[column]
        if isinstance(cards, Cards):
            return cards.shown()
        return [(card.text, card.count) for card in cards]

    def cards(self, column: str) -> list[Card]:
        """Every card of a column one by one, a group's members where the group stands: the exports'
        lists of cards (the groups themselves are in the curated tables)."""
        return [member for card in self.columns[column] for member in (card.members or (card,))]


def is_card(frame: pd.DataFrame, instrument: str) -> pd.Series:
    """True on each row that is a card of board ``instrument``: an event with text.

    Every card is its own answer, so none replaces another; the board and the ``current`` column of
    raw exports both use this rule.
    """
    return (frame["instrument"] == instrument) & (frame["text"] != "")


def keep_throw_board(frame: pd.DataFrame, instrument: Instrument, preset: str | None) -> Board:
    """Every card is its own event, so nothing is de-duplicated by participant here.

    Cards in a column that the preset no longer lists (the host switched presets mid-session) are kept
    in extra columns after the preset's own, never dropped.
    """
    order = [c.id for c in instrument.preset(preset).columns]
    cards = frame[is_card(frame, instrument.id)]
    columns: dict[str, list[Card]] = {column: [] for column in order}
    # plain lists: iterating rows of a DataFrame costs more than making the cards
    rows = zip(*(cards[name].tolist() for name in ("item", "text", "participant", "seq")), strict=True)
    for column, text, participant, seq in rows:
        columns.setdefault(column, []).append(Card(text, participant, int(seq)))
    return Board(dict[str, Sequence[Card]](columns))


def participant_cards(frame: pd.DataFrame, instrument: str, participant: str) -> list[tuple[str, str]]:
    """(column id, text) of one participant's cards, oldest first: the phone shows them back."""
    mine = frame[(frame["instrument"] == instrument) & (frame["participant"] == participant)]
    return list(mine[["item", "text"]].itertuples(index=False, name=None))
