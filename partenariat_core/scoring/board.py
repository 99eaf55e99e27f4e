"""The keep/throw board: cards per column, in the order they arrived."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partenariat_core.instruments import Instrument


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Board:
    """``columns`` maps column id → entries (cards, and groups as one entry), preset columns first
    (possibly empty)."""

    columns: dict[str, list[Card]]

    @property
    def counts(self) -> dict[str, int]:
        """Cards per column, a group counting its members: what the room posted, not how it is sorted."""
        return {column: sum(card.count for card in cards) for column, cards in self.columns.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

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
    return Board(columns)


def participant_cards(frame: pd.DataFrame, instrument: str, participant: str) -> list[tuple[str, str]]:
    """(column id, text) of one participant's cards, oldest first: the phone shows them back."""
    mine = frame[(frame["instrument"] == instrument) & (frame["participant"] == participant)]
    return list(mine[["item", "text"]].itertuples(index=False, name=None))
