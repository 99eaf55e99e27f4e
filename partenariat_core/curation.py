"""What the host may do to a board, and the checks on a participant's dot vote: pure functions.

Each function takes the board as it stands (``scoring.curated.CuratedBoard``, from the summary the page
already drew) and returns the events that record the action, or raises ``RejectedInput`` with a
``curation.*`` catalog key and stores nothing. The page appends the events through the ``Store``
(``store.append_events``) and calls ``LiveSessions.invalidate``. Every action carries the
``submission_id`` the page made for that click, so a rerun or a resend of the same click is stored
once; the next click, with a new id, is a new action, and the latest one wins.

Nothing is ever deleted: hiding, grouping and ungrouping are events, and the archive keeps them all.
The host may curate a closed session too (sorting a board after the workshop is normal).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from partenariat_core.errors import RejectedInput
from partenariat_core.model import Event, Session, utcnow
from partenariat_core.participation import clean_card_text
from partenariat_core.scoring.curated import (
    GROUP,
    GROUP_MEMBER,
    HIDDEN,
    HOST,
    MODERATION,
    PENDING,
    SUGGESTION_REJECTED,
    VISIBLE,
    VOTE,
    WITHDRAWN_CARD,
    CuratedBoard,
    CuratedCard,
    suggestion_item,
)

GROUP_TITLE_MAX = 120
VOTES_MAX = 20  # the most votes a host may give each participant


@dataclass(frozen=True)
class VoteRules:
    """The host's choices for a vote step: votes per participant, and whether several may go on one
    card or group (dot-voting "stacking")."""

    per_person: int = 3
    several_per_card: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.per_person <= VOTES_MAX:
            raise RejectedInput("curation.votes_per_person", low=1, high=VOTES_MAX)


def _host_event(
    session: Session,
    submission_id: str,
    instrument: str,
    item: str,
    value: str = "",
    text: str = "",
    when: dt.datetime | None = None,
) -> Event:
    if not submission_id:
        raise RejectedInput("curation.no_submission")
    return Event(session.code, HOST, submission_id, instrument, item, value, text, when or utcnow())


def _card(board: CuratedBoard, ident: str) -> CuratedCard:
    card = board.cards.get(ident)
    if card is None:
        raise RejectedInput("curation.unknown_card")
    return card


def moderate(
    session: Session,
    board: CuratedBoard,
    card_id: str,
    visible: bool,
    submission_id: str,
    *,
    when: dt.datetime | None = None,
) -> Event:
    """Hide a card from the room (``visible=False``) or show it again; showing a pending card approves
    it. A withdrawn card is its author's: the host cannot bring it back."""
    card = _card(board, card_id)
    if card.state == WITHDRAWN_CARD:
        raise RejectedInput("curation.card_withdrawn")
    return _host_event(session, submission_id, MODERATION, card_id, VISIBLE if visible else HIDDEN, when=when)


def hide_card(session: Session, board: CuratedBoard, card_id: str, submission_id: str) -> Event:
    return moderate(session, board, card_id, False, submission_id)


def show_card(session: Session, board: CuratedBoard, card_id: str, submission_id: str) -> Event:
    """Bring a hidden card back, or approve one waiting in the queue."""
    return moderate(session, board, card_id, True, submission_id)


def approve_all(session: Session, board: CuratedBoard, submission_id: str) -> list[Event]:
    """Approve every card waiting in the queue (one event per card, one submission)."""
    when = utcnow()
    return [
        _host_event(session, submission_id, MODERATION, card.id, VISIBLE, when=when)
        for card in board.cards.values()
        if card.state == PENDING
    ]


def group_id_for(submission_id: str) -> str:
    """A new group's id, made from the click's submission id: a resent click makes the same group."""
    return "group-" + hashlib.sha256(submission_id.encode()).hexdigest()[:12]


def _title(raw: str) -> str:
    title = clean_card_text(raw)
    if not title:
        raise RejectedInput("curation.group_title_empty")
    if len(title) > GROUP_TITLE_MAX:
        raise RejectedInput("curation.group_title_too_long", limit=GROUP_TITLE_MAX)
    return title


def group_cards(
    session: Session, board: CuratedBoard, card_ids: Sequence[str], title: str, submission_id: str
) -> list[Event]:
    """Put cards together under a title: on the projector they become one card with their count.

    At least two cards, all in one column, none withdrawn; a card already in a group moves to this
    one. Returns the group's title event and one membership event per card."""
    ids = list(dict.fromkeys(card_ids))
    if len(ids) < 2:
        raise RejectedInput("curation.group_too_small")
    cards = [_card(board, ident) for ident in ids]
    if any(card.state == WITHDRAWN_CARD for card in cards):
        raise RejectedInput("curation.card_withdrawn")
    if len({card.column for card in cards}) > 1:
        raise RejectedInput("curation.group_columns")
    clean = _title(title)
    gid = group_id_for(submission_id)
    when = utcnow()
    events = [_host_event(session, submission_id, GROUP, gid, board.instrument, clean, when)]
    events += [_host_event(session, submission_id, GROUP_MEMBER, c.id, gid, when=when) for c in cards]
    return events


def merge_cards(
    session: Session, board: CuratedBoard, source: str, target: str, submission_id: str
) -> list[Event]:
    """Merge card ``source`` into ``target``: into target's group if it has one, else into a new group
    titled with the target's text (the host may rename it with :func:`rename_group`)."""
    if source == target:
        raise RejectedInput("curation.group_too_small")
    into = _card(board, target)
    moved = _card(board, source)
    if WITHDRAWN_CARD in (into.state, moved.state):
        raise RejectedInput("curation.card_withdrawn")
    if into.column != moved.column:
        raise RejectedInput("curation.group_columns")
    if into.group is not None:
        return [_host_event(session, submission_id, GROUP_MEMBER, source, into.group)]
    return group_cards(session, board, [target, source], into.text, submission_id)


def rename_group(
    session: Session, board: CuratedBoard, group_id: str, title: str, submission_id: str
) -> Event:
    if group_id not in board.groups:
        raise RejectedInput("curation.unknown_group")
    return _host_event(session, submission_id, GROUP, group_id, board.instrument, _title(title))


def ungroup(session: Session, board: CuratedBoard, group_id: str, submission_id: str) -> list[Event]:
    """Undo a group: each member is a card of its own again (hidden members too)."""
    if group_id not in board.groups:
        raise RejectedInput("curation.unknown_group")
    when = utcnow()
    return [
        _host_event(session, submission_id, GROUP_MEMBER, card.id, "", when=when)
        for card in board.cards.values()
        if card.group == group_id
    ]


def remove_from_group(session: Session, board: CuratedBoard, card_id: str, submission_id: str) -> Event:
    """Take one card out of its group."""
    card = _card(board, card_id)
    if card.group is None:
        raise RejectedInput("curation.not_grouped")
    return _host_event(session, submission_id, GROUP_MEMBER, card_id, "")


def keep_shown(session: Session, board: CuratedBoard, submission_id: str) -> list[Event]:
    """Before the host turns approval on: every card the room sees now, shown on purpose, so it stays
    on the board (approval holds back the cards that come next, not the ones already discussed).

    Cards the host already moderated keep their own event; without this, switching approval on would
    send the whole board back to the queue."""
    when = utcnow()
    return [
        _host_event(session, submission_id, MODERATION, card.id, VISIBLE, when=when)
        for card in board.cards.values()
        if card.state == VISIBLE
    ]


def suggestion_title(texts: Sequence[str]) -> str:
    """The title a suggested group gets when the host accepts it: the text most of its cards say
    (exactly as written), the oldest of those on a tie."""
    if not texts:
        raise RejectedInput("curation.group_too_small")
    return Counter(texts).most_common(1)[0][0]


def accept_suggestion(
    session: Session, board: CuratedBoard, card_ids: Sequence[str], submission_id: str
) -> list[Event]:
    """Group a suggestion's cards in one tap, titled with :func:`suggestion_title` of their texts.

    Only the host's tap calls this: a suggestion is never applied by itself."""
    texts = [_card(board, ident).text for ident in card_ids]
    return group_cards(session, board, card_ids, suggestion_title(texts), submission_id)


def reject_suggestion(
    session: Session, board: CuratedBoard, card_ids: Sequence[str], submission_id: str
) -> Event:
    """The host says the cards of a suggested group are not the same idea: the suggestion is not
    made again for these cards (``CuratedBoard.rejected``), on any device, after any reload.

    Nothing about the cards changes. Refused for fewer than two cards or a card not on this board."""
    ids = sorted(set(card_ids))
    if len(ids) < 2:
        raise RejectedInput("curation.group_too_small")
    for ident in ids:
        _card(board, ident)
    item = suggestion_item(ids)
    return _host_event(session, submission_id, SUGGESTION_REJECTED, item, board.instrument, "\n".join(ids))


def vote_event(
    session: Session,
    board: CuratedBoard,
    participant: str,
    target: str,
    count: int,
    submission_id: str,
    rules: VoteRules = VoteRules(),  # frozen: one shared default is safe
) -> Event:
    """The event setting ``participant``'s votes on ``target`` (a card or group on the board) to
    ``count``: tap to add sends one more than before, tap to take back one less, 0 takes all back.

    Refused (``RejectedInput``): a target that is not on the room's board (hidden, pending, withdrawn,
    unknown), a negative count, more than one vote on one target unless the host allows several,
    and a total beyond ``rules.per_person`` (votes on cards hidden since are given back)."""
    entry = board.entry(target)
    if entry is None:
        raise RejectedInput("curation.vote_unknown_target")
    if count < 0:
        raise RejectedInput("curation.vote_negative")
    stored = board.votes.get(participant, {}).get(target, 0)
    mine = board.votes_of(participant)
    on_entry = mine.get(entry.id, 0) - stored + count
    if not rules.several_per_card and on_entry > 1:
        raise RejectedInput("curation.one_vote_per_card")
    total = board.spent(participant) - stored + count  # ``stored`` counts: its target is on the board
    if count > stored and total > rules.per_person:
        raise RejectedInput("curation.no_votes_left", limit=rules.per_person)
    return Event(session.code, participant, submission_id, VOTE, target, str(count))


def votes_left(board: CuratedBoard, participant: str, rules: VoteRules = VoteRules()) -> int:
    """What the phone shows: how many votes this participant may still give."""
    return max(0, rules.per_person - board.spent(participant))
