"""The curated keep/throw board: moderation, a participant's own edits, groups and dot votes.

Curation is stored like every answer, as append-only events (``model.Event``), under reserved
instrument names that start with ``_`` like the response withdrawal (``frame.WITHDRAWN``), so no
instrument file can take them and ``frame.events_frame`` leaves them out of every other board:

- :data:`MODERATION`: the host shows (``visible``) or hides (``hidden``) a card; ``item`` is the card
  id. Latest wins. When the session's ``cards_need_approval`` is on, a card with no moderation yet is
  ``pending``: it waits in the host's queue, out of the room's board, until shown (approved).
- :data:`CARD_EDIT`: the card's author gives it a new text (``edit``, the new text in ``text``) or
  takes it back (``withdraw``, final: later edits are ignored). Only the author's events count.
- :data:`GROUP`: a group's title (``item`` the group id, ``value`` the board's instrument id, ``text``
  the title); latest wins. :data:`GROUP_MEMBER`: which group a card is in (``value`` the group id,
  ``""`` for none); latest wins per card. Merging a card into another is grouping them.
- :data:`VOTE`: a participant's dot votes on one card or group (``item``), the count in ``value``;
  the latest count per participant and target wins, so tapping to add or take back sends a new count
  and a resent tap (same submission id) is stored once: a vote is never counted twice.
- :data:`SUGGESTION_REJECTED`: the host said "not the same" to a suggested group
  (``scoring.similar``); ``item`` is :func:`suggestion_item` of its cards, ``value`` the board's
  instrument id, ``text`` the card ids one per line. Kept with the session, so the suggestion stays
  away across reloads and host devices; it never changes a card.

Nothing is ever deleted: a hidden or withdrawn card keeps its state and its history in the archive,
and the host's view lists it. What the room sees (projector, votes, tallies, report) is the
``visible`` cards only, a group standing for its visible members with their count (×N) and the votes
given to the group and to each member. Which host actions are allowed is ``partenariat_core.curation``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.scoring.frame import (
    CARD_EDIT,
    CURATION_INSTRUMENTS,
    GROUP,
    GROUP_MEMBER,
    MODERATION,
    SUGGESTION_REJECTED,
    VOTE,
    WITHDRAWN,
)

HOST = "host"  # the participant id of the host's own events (never a valid phone id: too short)

VISIBLE, HIDDEN = "visible", "hidden"  # moderation values
EDIT, WITHDRAW = "edit", "withdraw"  # a participant's own card events
PENDING, WITHDRAWN_CARD = "pending", "withdrawn"  # the two other states a card can be in
STATES = (VISIBLE, PENDING, HIDDEN, WITHDRAWN_CARD)


def card_id(instrument: str, column: str, submission_id: str) -> str:
    """The stable id of a card: its board, column and submission id (the card event's key).

    Readable in an archive or a spreadsheet, and split back by :func:`split_card_id` (instrument and
    column ids never hold a ``/``; the submission id comes last, so it may)."""
    return f"{instrument}/{column}/{submission_id}"


def split_card_id(ident: str) -> tuple[str, str, str] | None:
    """(instrument, column, submission id) of a card id; ``None`` if it is not one."""
    parts = ident.split("/", 2)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 and all(parts) else None


def suggestion_item(card_ids: Iterable[str]) -> str:
    """The item of a rejected suggestion: the same for the same cards in any order, and short enough
    for a spreadsheet cell and the store's key."""
    joined = "\n".join(sorted(set(card_ids)))
    return "suggestion-" + hashlib.sha256(joined.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)  # no __dict__: a large board makes one per card
class CuratedCard:
    """One card as the host sees it: its current text, its state and where it is."""

    id: str
    column: str
    text: str  # the latest text (the author's last edit), or the original
    original: str  # as first posted
    participant: str
    seq: int
    state: str = VISIBLE  # one of STATES
    group: str | None = None  # the group it is in, when that group is on the board
    votes: int = 0  # votes given to this card itself (a grouped card's votes also count for its group)

    @property
    def edited(self) -> bool:
        return self.text != self.original

    @property
    def visible(self) -> bool:
        return self.state == VISIBLE


@dataclass(frozen=True, slots=True)  # no __dict__: a large board makes one per card
class CardGroup:
    """Cards the host put together: one card on the projector, with its count (×N)."""

    id: str
    title: str
    column: str
    members: tuple[CuratedCard, ...]  # visible members, oldest first
    votes: int = 0  # votes on the group plus votes on each visible member
    seq: int = 0  # its oldest member's: where it stands on the board

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def text(self) -> str:
        return self.title


Entry = CuratedCard | CardGroup


@dataclass(frozen=True)
class Ranked:
    rank: int  # 1 + how many entries have more votes (ties share a rank)
    entry: Entry
    votes: int


@dataclass(frozen=True)
class CuratedBoard:
    """One keep/throw board after curation.

    ``columns``: what the room sees, column id → entries (visible ungrouped cards and groups) in the
    order they arrived (a group where its oldest member was). ``cards``: every card, whatever its
    state, by id (the host's view). ``groups``: groups with at least one visible member.
    ``votes``: participant → target id (card or group) → their latest count, as stored.
    ``rejected``: the card sets of suggestions the host said are not the same (pass them to
    ``similar.suggest_groups``).
    """

    instrument: str
    columns: dict[str, list[Entry]]
    cards: dict[str, CuratedCard]
    groups: dict[str, CardGroup]
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: frozenset[frozenset[str]] = frozenset()

    def entry(self, ident: str) -> Entry | None:
        """The visible card or live group with this id, as it stands on the board."""
        if ident in self.groups:
            return self.groups[ident]
        card = self.cards.get(ident)
        if card is None or not card.visible:
            return None
        return self.groups[card.group] if card.group else card

    def target(self, ident: str) -> str | None:
        """Where a vote given to ``ident`` counts: the card's group if it is in one, else itself;
        ``None`` when it counts nowhere (a hidden, pending or withdrawn card, an unknown id)."""
        entry = self.entry(ident)
        return None if entry is None else entry.id

    def in_state(self, state: str) -> list[CuratedCard]:
        """Cards in one state (``hidden`` struck through on the host's view, ``pending`` its queue)."""
        return [c for c in self.cards.values() if c.state == state]

    @property
    def hidden(self) -> list[CuratedCard]:
        return self.in_state(HIDDEN)

    @property
    def pending(self) -> list[CuratedCard]:
        return self.in_state(PENDING)

    def cards_of(self, participant: str) -> list[CuratedCard]:
        """A participant's own cards not withdrawn, oldest first: their phone's "Mes cartes"."""
        return [c for c in self.cards.values() if c.participant == participant and c.state != WITHDRAWN_CARD]

    def votes_of(self, participant: str) -> dict[str, int]:
        """Board entry id → how many of this participant's votes count for it now."""
        out: dict[str, int] = {}
        for ident, count in self.votes.get(participant, {}).items():
            target = self.target(ident)
            if target is not None and count > 0:
                out[target] = out.get(target, 0) + count
        return out

    def spent(self, participant: str) -> int:
        """Votes of this participant that count: a vote on a card since hidden is given back."""
        return sum(self.votes_of(participant).values())

    @property
    def entries(self) -> list[Entry]:
        return [entry for entries in self.columns.values() for entry in entries]

    @property
    def total_votes(self) -> int:
        return sum(entry.votes for entry in self.entries)

    @property
    def voters(self) -> int:
        return sum(1 for participant in self.votes if self.spent(participant) > 0)

    def ranking(self, top: int | None = None, *, column: str | None = None) -> list[Ranked]:
        """Entries by votes, most first (ties in board order), with competition ranks (1, 2, 2, 4).

        Entries without a vote are left out; ``top`` keeps the first ``top`` ranks' entries."""
        entries = [e for e in self.entries if e.votes > 0 and (column is None or e.column == column)]
        entries.sort(key=lambda e: (-e.votes, e.seq))
        ranked = []
        for entry in entries:
            rank = 1 + sum(1 for other in entries if other.votes > entry.votes)
            if top is not None and rank > top:
                break
            ranked.append(Ranked(rank, entry, entry.votes))
        return ranked


def curation_events(events: Iterable[Event]) -> list[Event]:
    """The curation events among ``events`` and the response withdrawals (whose participants' votes
    and edits count for nothing), in the order they take effect (time, then arrival)."""
    picked = [e for e in events if e.instrument in CURATION_INSTRUMENTS or e.instrument == WITHDRAWN]
    return sorted(picked, key=lambda e: (e.created_at, -1 if e.seq is None else e.seq))


def _vote_count(value: str) -> int:
    try:
        return max(0, int(value))
    except ValueError:
        return 0  # a hand-edited sheet cell: no vote rather than a crash


def curated_board(
    frame: pd.DataFrame,
    instrument: Instrument | str,
    session: Session,
    events: Sequence[Event] | None = None,
    *,
    curation: Sequence[Event] | None = None,
) -> CuratedBoard:
    """The board of ``instrument`` after every curation event; see the module docstring.

    ``frame``: ``events_frame(events)`` (cards of withdrawn participants already out). The curation
    events are taken from ``curation`` when the caller already picked them (``curation_events``),
    else from ``events``. Votes and edits of a withdrawn participant are left out with their cards.
    """
    ident = instrument if isinstance(instrument, str) else instrument.id
    if curation is None:
        curation = curation_events(events or ())
    cards_rows = frame[(frame["instrument"] == ident) & (frame["text"] != "")]
    default = PENDING if session.cards_need_approval else VISIBLE
    # plain lists from the columns, then one pass: per-row pandas access would cost more than the cards
    names = ("item", "submission_id", "text", "participant", "seq")
    column_of, submission_of, text_of, participant_of, seq_of = (cards_rows[n].tolist() for n in names)
    prefix = f"{ident}/"
    ids = [
        f"{prefix}{column}/{submission}" for column, submission in zip(column_of, submission_of, strict=True)
    ]
    # a card id seen twice (the same submission in one column) keeps its first place and its last row
    base: dict[str, tuple[str, str, str, int]] = dict(
        zip(ids, zip(column_of, text_of, participant_of, map(int, seq_of), strict=True), strict=True)
    )
    gone = {e.participant for e in curation if e.instrument == WITHDRAWN}
    state: dict[str, str] = {}
    withdrawn: set[str] = set()
    edits: dict[str, str] = {}  # card id → its author's latest text
    titles: dict[str, str] = {}
    member: dict[str, str] = {}
    raw_votes: dict[str, dict[str, int]] = {}
    rejected: set[frozenset[str]] = set()
    for e in curation:
        kind = e.instrument
        if kind == SUGGESTION_REJECTED:
            if e.value == ident and e.participant == HOST:
                rejected.add(frozenset(line for line in e.text.split("\n") if line))
            continue
        if kind == GROUP:
            if e.value == ident:
                titles[e.item] = e.text
            continue
        if kind == VOTE:
            if e.participant not in gone:
                raw_votes.setdefault(e.participant, {})[e.item] = _vote_count(e.value)
            continue
        if kind == WITHDRAWN or not e.item.startswith(prefix) or e.item not in base:
            continue
        if kind == MODERATION:
            if e.value in (VISIBLE, HIDDEN):
                state[e.item] = e.value
        elif kind == CARD_EDIT:
            if e.participant != base[e.item][2] or e.item in withdrawn:
                continue
            if e.value == WITHDRAW:
                withdrawn.add(e.item)
            elif e.value == EDIT and e.text:
                edits[e.item] = e.text
        elif kind == GROUP_MEMBER:
            member[e.item] = e.value
    if not (state or withdrawn or edits or titles or member or raw_votes):
        return _uncurated(ident, base, default, rejected)  # no host action on this board yet
    cards: dict[str, CuratedCard] = {}
    for cid, (column, text, participant, seq) in base.items():
        card_state = WITHDRAWN_CARD if cid in withdrawn else state.get(cid, default)
        group = member.get(cid) or None
        cards[cid] = CuratedCard(cid, column, edits.get(cid, text), text, participant, seq, card_state, group)
    members: dict[str, list[CuratedCard]] = {}
    for card in cards.values():
        if card.group is not None and card.group in titles and card.visible:
            members.setdefault(card.group, []).append(card)
    # votes: latest count per participant and target, each counted where it lands now
    card_votes: dict[str, int] = {}
    group_votes: dict[str, int] = {}
    for targets in raw_votes.values():
        for target, count in targets.items():
            if count <= 0:
                continue
            if target in members:
                group_votes[target] = group_votes.get(target, 0) + count
            elif target in cards and cards[target].visible:
                card_votes[target] = card_votes.get(target, 0) + count
    for cid, card in cards.items():
        in_group = card.group if card.group in members else None
        if in_group != card.group or cid in card_votes:
            cards[cid] = CuratedCard(
                card.id,
                card.column,
                card.text,
                card.original,
                card.participant,
                card.seq,
                card.state,
                in_group,
                card_votes.get(cid, 0),
            )
    groups: dict[str, CardGroup] = {}
    for gid, group_cards in members.items():
        fresh = tuple(cards[c.id] for c in group_cards)
        votes = group_votes.get(gid, 0) + sum(c.votes for c in fresh)
        groups[gid] = CardGroup(gid, titles[gid], fresh[0].column, fresh, votes, fresh[0].seq)
    columns: dict[str, list[Entry]] = {}
    placed: set[str] = set()
    for card in cards.values():
        columns.setdefault(card.column, [])
        if not card.visible:
            continue
        if card.group is None:
            columns[card.column].append(card)
        elif card.group not in placed:
            placed.add(card.group)
            columns[card.column].append(groups[card.group])
    return CuratedBoard(ident, columns, cards, groups, raw_votes, frozenset(rejected))


def _uncurated(
    ident: str, base: dict[str, tuple[str, str, str, int]], state: str, rejected: set[frozenset[str]]
) -> CuratedBoard:
    """The board before any moderation, edit, group or vote: every card in its first state and text,
    made in one pass (a large board is mostly this, and the general path walks its cards four times).
    Equal to what the general path gives for the same cards (tests/test_curation.py)."""
    cards: dict[str, CuratedCard] = {}
    columns: dict[str, list[Entry]] = {}
    shown = state == VISIBLE
    for cid, (column, text, participant, seq) in base.items():
        card = cards[cid] = CuratedCard(cid, column, text, text, participant, seq, state)
        entries = columns.get(column)
        if entries is None:
            entries = columns[column] = []
        if shown:
            entries.append(card)
    return CuratedBoard(ident, columns, cards, {}, {}, frozenset(rejected))
