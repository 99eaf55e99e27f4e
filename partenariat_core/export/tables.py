"""Events and scores as labelled pandas tables, the common ground of the CSV, XLSX and HTML writers.

Column headers and labels come from the catalog and the instrument files, in the export's language;
values stay as stored (ids such as ``A`` or ``coordinating``) next to their readable labels, so a
spreadsheet user can both read and pivot them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from partenariat_core.export.base import SessionData
from partenariat_core.i18n import label, t
from partenariat_core.instruments import Instrument, Scale
from partenariat_core.instruments.fieldkinds import GRID_ROW_ITEM
from partenariat_core.model import PROFILE
from partenariat_core.scoring import events_frame, is_current
from partenariat_core.scoring.top_words import TOP_WORDS, board_top_words

RESPONSE_FIELDS = (
    "session",
    "participant",
    "submission_id",
    "instrument",
    "item",
    "item_label",
    "value",
    "value_label",
    "text",
    "created_at",
    "current",
)


def item_labels(instrument: Instrument, lang: str) -> dict[str, str]:
    """What each stored ``item`` id means for this instrument."""
    if instrument.kind == "conditions":
        return {i.id: f"{i.condition} · {label(i.text, lang)}" for i in instrument.items}
    if instrument.kind == "keep_throw":
        return {c.id: label(c.label, lang) for p in instrument.presets for c in p.columns}
    if instrument.kind == "continuum":
        return {q.id: label(q.label, lang) for q in instrument.questions}
    if instrument.kind == "timeline":
        return {r.id: label(r.label, lang) for r in instrument.results()}
    if instrument.kind == "grid":
        return {
            GRID_ROW_ITEM: label(instrument.row_label, lang),
            **{c.id: label(c.label, lang) for c in instrument.columns},
        }
    return {"sector": label(instrument.title, lang)}


def value_labels(instrument: Instrument, lang: str) -> dict[str, str]:
    """What each stored ``value`` means (cards have none: their words are in ``text``)."""
    if instrument.kind == "conditions" and instrument.scale is not None:
        names = {level.value: label(level.label, lang) for level in instrument.scale.levels}
        names[Scale.DONT_KNOW] = label(instrument.scale.dont_know, lang)
        return names
    if instrument.kind == "continuum":
        return {level.id: label(level.label, lang) for level in instrument.levels}
    if instrument.kind == "profile":
        return {s.id: label(s.label, lang) for s in instrument.sectors}
    return {}


def headers(fields: Sequence[str], lang: str) -> list[str]:
    return [t(f"export.col_{name}", lang) for name in fields]


def responses_table(
    data: SessionData, lang: str, instrument_id: str | None = None, *, history: bool = False
) -> pd.DataFrame:
    """Raw responses in long format, one row per stored event, oldest first.

    By default only the answers that count today (a pivot table over them counts each person once
    per item); ``history=True`` keeps every stored event, superseded ones included. Either way the
    ``current`` column says which rows count, by the scoring's own rule (``scoring.is_current``). It
    holds booleans, not words: a spreadsheet shows them as TRUE/FALSE or VRAI/FAUX in its own
    language and filters on them the same way whatever language the export was made in.
    """
    items: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, str]] = {}
    for ident, instrument in data.instruments.items():
        items[ident], values[ident] = item_labels(instrument, lang), value_labels(instrument, lang)
    frame = events_frame(data.events)
    frame = frame.assign(current=is_current(frame, data.instruments).astype(bool))
    if instrument_id is not None:
        frame = frame[frame["instrument"] == instrument_id]
    if not history:
        frame = frame[frame["current"]]
    columns = ("session", "participant", "submission_id", "instrument", "item", "value", "text")
    rows = [
        (
            session,
            participant,
            submission,
            instrument,
            item,
            items.get(instrument, {}).get(item, ""),
            value,
            values.get(instrument, {}).get(value, ""),
            text,
            created_at.isoformat(),
            bool(current),
        )
        for session, participant, submission, instrument, item, value, text, created_at, current in zip(
            *(frame[name].tolist() for name in (*columns, "created_at", "current")), strict=True
        )
    ]
    return pd.DataFrame(rows, columns=headers(RESPONSE_FIELDS, lang))


SESSION_FIELDS = (
    "code",
    "title",
    "date",
    "language",
    "instruments",
    "preset",
    "sectors",
    "is_open",
    "created_at",
    "participants",
    "events",
)


def sessions_table(sessions: Sequence[SessionData], lang: str) -> pd.DataFrame:
    rows = []
    for data in sessions:
        s = data.session
        rows.append(
            (
                s.code,
                s.title,
                s.date.isoformat(),
                s.language,
                " ".join(s.instruments),
                s.keep_throw_preset,
                " ".join(s.sectors),
                t("export.yes" if s.is_open else "export.no", lang),
                s.created_at.isoformat(),
                data.summary.participants,
                data.summary.events,
            )
        )
    return pd.DataFrame(rows, columns=headers(SESSION_FIELDS, lang))


def conditions_table(data: SessionData, instrument: Instrument, lang: str) -> pd.DataFrame:
    """Per condition: answers, "don't know", count and percent per level, derived score statistics."""
    assert instrument.scale is not None
    scores = data.summary.conditions[instrument.id].conditions
    out = pd.DataFrame(
        {
            t("export.col_condition", lang): [
                f"{c.id} · {c.short_label(lang)}" for c in instrument.conditions
            ],
            t("export.col_n", lang): scores["n"].to_list(),
            label(instrument.scale.dont_know, lang): scores["dont_know"].to_list(),
        }
    )
    for level in instrument.scale.levels:
        out[label(level.label, lang)] = scores[f"count_{level.value}"].to_list()
    for level in instrument.scale.levels:
        out[f"% {level.value}"] = scores[f"pct_{level.value}"].to_list()
    for stat in ("mean", "median", "std"):
        out[t(f"export.col_{stat}", lang)] = scores[stat].round(2).to_list()
    return out


def continuum_table(data: SessionData, instrument: Instrument, lang: str) -> pd.DataFrame:
    """People per level, for each question (now, desired)."""
    counts = data.summary.continuum[instrument.id].counts
    out = pd.DataFrame({t("export.col_level", lang): [label(lv.label, lang) for lv in instrument.levels]})
    for q in instrument.questions:
        out[label(q.label, lang)] = [int(counts.loc[lv.id, q.id]) for lv in instrument.levels]
    return out


def moves_table(data: SessionData, instrument: Instrument, lang: str) -> pd.DataFrame:
    """People per (now → desired) pair: rows are "now", columns "desired"."""
    moves = data.summary.continuum[instrument.id].moves
    names = [label(lv.label, lang) for lv in instrument.levels]
    out = pd.DataFrame(moves.to_numpy(), columns=names)
    out.insert(0, t("export.col_now_desired", lang), names)
    return out


def board_table(data: SessionData, instrument: Instrument, lang: str) -> pd.DataFrame:
    """The keep/throw board as columns of cards, side by side, in arrival order."""
    board = data.summary.boards[instrument.id]
    columns: dict[str, list[str]] = {}
    for col in board.columns:
        name = column_label(instrument, data.session.keep_throw_preset, col, lang)
        # card by card, a group's members included: the groups have their own table and section
        columns[name if name not in columns else f"{name} ({col})"] = [card.text for card in board.cards(col)]
    depth = max((len(v) for v in columns.values()), default=0)
    return pd.DataFrame({k: v + [""] * (depth - len(v)) for k, v in columns.items()})


def column_label(instrument: Instrument, preset: str, column: str, lang: str) -> str:
    """A column's label, from the session's preset first (a column of another preset, kept after the
    host switched presets, is named from that preset; an unknown one by its id)."""
    for p in (instrument.preset(preset), *instrument.presets):
        for c in p.columns:
            if c.id == column:
                return label(c.label, lang)
    return column


def instruments_of(data: SessionData, kind: str) -> list[Instrument]:
    return [i for i in data.used_instruments if i.kind == kind and i.id != PROFILE]


def board_cards(data: SessionData, lang: str) -> list[tuple[Instrument, str, list[str]]]:
    """(instrument, column label, card texts) for each keep/throw column of the session."""
    out = []
    for instrument in instruments_of(data, "keep_throw"):
        board = data.summary.boards[instrument.id]
        for column in board.columns:
            name = column_label(instrument, data.session.keep_throw_preset, column, lang)
            out.append((instrument, name, [card.text for card in board.cards(column)]))
    return out


# The curated board (issue 10): each card's state, group and votes, and the ranked list.
CARD_FIELDS = ("card", "column", "text", "original", "state", "group", "group_count", "votes", "group_votes")
RANKING_FIELDS = ("rank", "text", "column", "count", "votes", "members")


def curated_cards_table(data: SessionData, instrument: Instrument, lang: str) -> pd.DataFrame:
    """One row per card whatever its state (hidden and withdrawn ones too, with their state): its
    current text and the text first posted, its group (title and size), its own votes and its
    group's. Nothing is left out here: this is the record of what the host did."""
    board = data.summary.curated[instrument.id]
    preset = data.session.keep_throw_preset
    rows = []
    for card in board.cards.values():
        group = board.groups.get(card.group) if card.group else None
        rows.append(
            (
                card.id,
                column_label(instrument, preset, card.column, lang),
                card.text,
                card.original,
                t(f"curation.state_{card.state}", lang),
                group.title if group else "",
                group.count if group else 0,
                card.votes,
                group.votes if group else 0,
            )
        )
    return pd.DataFrame(rows, columns=[t(f"curation.col_{name}", lang) for name in CARD_FIELDS])


def ranking_table(data: SessionData, instrument: Instrument, lang: str) -> pd.DataFrame:
    """The board's entries with at least one vote, most votes first (ties share a rank): a group
    counts as one entry with its size and its members' texts."""
    board = data.summary.curated[instrument.id]
    preset = data.session.keep_throw_preset
    rows = []
    for ranked in board.ranking():
        entry = ranked.entry
        members = getattr(entry, "members", ())
        rows.append(
            (
                ranked.rank,
                entry.text,
                column_label(instrument, preset, entry.column, lang),
                len(members) or 1,
                ranked.votes,
                " · ".join(m.text for m in members),
            )
        )
    return pd.DataFrame(rows, columns=[t(f"curation.col_{name}", lang) for name in RANKING_FIELDS])


def is_curated(data: SessionData, instrument: Instrument) -> bool:
    """Whether anything happened to this board beyond posting: a report then shows the curation."""
    board = data.summary.curated.get(instrument.id)
    return board is not None and bool(
        board.groups or board.votes or any(not c.visible or c.edited for c in board.cards.values())
    )


# Top words of each column (issue 10.5): the words most cards on the board use, stop words out.
TOP_WORDS_FIELDS = ("column", "rank", "word", "cards")


def top_words_table(
    data: SessionData, instrument: Instrument, lang: str, limit: int = TOP_WORDS
) -> pd.DataFrame:
    """Per column, its ``limit`` most used words with how many visible cards use each (long format,
    so a pivot or a filter works on it); ranks are shared by ties (1, 2, 2, 4). Empty when no card
    the room sees has a word that counts."""
    board = data.summary.curated[instrument.id]
    preset = data.session.keep_throw_preset
    rows = []
    for column in data.summary.boards[instrument.id].columns:
        words = board_top_words(board, column, limit)
        name = column_label(instrument, preset, column, lang)
        for word in words:
            rank = 1 + sum(1 for other in words if other.count > word.count)
            rows.append((name, rank, word.word, word.count))
    return pd.DataFrame(rows, columns=[t(f"words.col_{name}", lang) for name in TOP_WORDS_FIELDS])
