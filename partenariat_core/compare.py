"""Comparing sessions: the same table before and after, or several tables of one day, side by side.

The first session picked is the baseline: differences are "other minus baseline". Sessions are compared
per instrument id, so two sessions scored on different scales (A/B/C and 1–5) are never mixed in one
column; a session that did not use an instrument has no column for it.

Keep/throw boards are compared by what the room did with them (issue 10): cards posted and where they
stand (on the board, waiting, hidden, withdrawn), groups, votes that count, voters, and the top three
ranks of the vote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from partenariat_core.errors import RejectedInput
from partenariat_core.export.base import SessionData, load_session_data
from partenariat_core.i18n import label, t, t_count
from partenariat_core.instruments import Instrument
from partenariat_core.scoring.curated import CuratedBoard, Ranked
from partenariat_core.store.base import Store

TOP_RANKS = 3  # a board's comparison lists the entries of its first three ranks (ties included)


@dataclass(frozen=True)
class BoardStats:
    """One session's keep/throw board in figures: ``posted`` counts every card whatever its state,
    so ``posted == visible + pending + hidden + withdrawn``; ``votes`` and ``voters`` count only
    votes that land on the board (a vote on a card since hidden counts nowhere, as on the board)."""

    posted: int
    visible: int
    pending: int
    hidden: int
    withdrawn: int
    groups: int
    votes: int
    voters: int
    top: tuple[Ranked, ...]  # the entries of the first ``TOP_RANKS`` ranks, most votes first

    @classmethod
    def of(cls, board: CuratedBoard) -> BoardStats:
        states = [card.state for card in board.cards.values()]
        return cls(
            posted=len(states),
            visible=states.count("visible"),
            pending=states.count("pending"),
            hidden=states.count("hidden"),
            withdrawn=states.count("withdrawn"),
            groups=len(board.groups),
            votes=board.total_votes,
            voters=board.voters,
            top=tuple(board.ranking(TOP_RANKS)),
        )


BOARD_FIGURES = ("posted", "visible", "pending", "hidden", "withdrawn", "groups", "votes", "voters")


@dataclass(frozen=True)
class Comparison:
    """``means``/``answers``: instrument id → table (index condition id, one column per session code)
    of mean derived score / scored answers. ``differences``: instrument id → one column per
    non-baseline session, ``"CODE − BASE"``. ``continuum``: instrument id → question id → table (index
    level id, one column per session code) of people per level."""

    sessions: tuple[SessionData, ...]
    instruments: Mapping[str, Instrument]
    means: dict[str, pd.DataFrame]
    answers: dict[str, pd.DataFrame]
    differences: dict[str, pd.DataFrame]
    continuum: dict[str, dict[str, pd.DataFrame]]
    # keep/throw instrument id → session code → its board's figures (sessions that used it only)
    boards: dict[str, dict[str, BoardStats]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [d.session.code for d in self.sessions]

    @property
    def baseline(self) -> str:
        return self.codes[0]


def difference_label(code: str, baseline: str) -> str:
    return f"{code} − {baseline}"


def compare_sessions(sessions: Sequence[SessionData]) -> Comparison:
    """Side-by-side tables for two or more sessions already read from the store."""
    codes = [d.session.code for d in sessions]
    if len(set(codes)) < 2:
        raise RejectedInput("compare.err_too_few")
    instruments = sessions[0].instruments
    means: dict[str, pd.DataFrame] = {}
    answers: dict[str, pd.DataFrame] = {}
    differences: dict[str, pd.DataFrame] = {}
    continuum: dict[str, dict[str, pd.DataFrame]] = {}
    boards: dict[str, dict[str, BoardStats]] = {}
    order = list(dict.fromkeys(i for d in sessions for i in d.session.instruments if i in instruments))
    for ident in order:
        instrument = instruments[ident]
        having = [d for d in sessions if ident in d.summary.conditions or ident in d.summary.continuum]
        if instrument.kind == "conditions":
            index = pd.Index([c.id for c in instrument.conditions], name="condition")
            means[ident] = pd.DataFrame(
                {d.session.code: d.summary.conditions[ident].conditions["mean"] for d in having}, index=index
            )
            answers[ident] = pd.DataFrame(
                {d.session.code: d.summary.conditions[ident].conditions["n"] for d in having}, index=index
            )
            base = having[0].session.code if having else ""  # no session: no difference to take
            differences[ident] = pd.DataFrame(
                {
                    difference_label(d.session.code, base): means[ident][d.session.code] - means[ident][base]
                    for d in having[1:]
                },
                index=index,
            ).round(2)
        elif instrument.kind == "continuum":
            index = pd.Index([lv.id for lv in instrument.levels], name="level")
            continuum[ident] = {
                q.id: pd.DataFrame(
                    {d.session.code: d.summary.continuum[ident].counts[q.id] for d in having}, index=index
                )
                for q in instrument.questions
            }
        elif instrument.kind == "keep_throw":
            boards[ident] = {
                d.session.code: BoardStats.of(d.summary.curated[ident])
                for d in sessions
                if ident in d.summary.curated
            }
    return Comparison(tuple(sessions), instruments, means, answers, differences, continuum, boards)


def load_comparison(
    store: Store, instruments: Mapping[str, Instrument], codes: Sequence[str], threshold: int = 3
) -> Comparison:
    """Read each session (in the order given; duplicates dropped) and compare them."""
    unique = list(dict.fromkeys(codes))
    if len(unique) < 2:
        raise RejectedInput("compare.err_too_few")
    return compare_sessions([load_session_data(store, instruments, c, threshold) for c in unique])


def session_label(data: SessionData) -> str:
    return f"{data.session.code} · {data.session.date.isoformat()}"


def sessions_overview(comparison: Comparison, lang: str) -> pd.DataFrame:
    """Which sessions are compared: code, title, date, participants (baseline first)."""
    return pd.DataFrame(
        {
            t("export.col_code", lang): comparison.codes,
            t("export.col_title", lang): [d.session.title for d in comparison.sessions],
            t("export.col_date", lang): [d.session.date.isoformat() for d in comparison.sessions],
            t("export.col_participants", lang): [d.summary.participants for d in comparison.sessions],
        }
    )


def means_table(comparison: Comparison, ident: str, lang: str) -> pd.DataFrame:
    """Mean derived score per condition and session, then the differences with the baseline."""
    instrument = comparison.instruments[ident]
    table = pd.concat([comparison.means[ident].round(2), comparison.differences[ident]], axis=1)
    table.index = pd.Index(
        [f"{c.id} · {c.short_label(lang)}" for c in instrument.conditions],
        name=t("export.col_condition", lang),
    )
    return table


def continuum_compare_table(comparison: Comparison, ident: str, question: str, lang: str) -> pd.DataFrame:
    instrument = comparison.instruments[ident]
    table = comparison.continuum[ident][question].copy()
    table.index = pd.Index(
        [label(lv.label, lang) for lv in instrument.levels], name=t("export.col_level", lang)
    )
    return table


def boards_compare_table(comparison: Comparison, ident: str, lang: str) -> pd.DataFrame:
    """Per session (a column each), its board's figures (a row each)."""
    stats = comparison.boards[ident]
    index = pd.Index(
        [t(f"compare.board_{name}", lang) for name in BOARD_FIGURES], name=t("compare.board_figure", lang)
    )
    return pd.DataFrame(
        {code: [getattr(s, name) for name in BOARD_FIGURES] for code, s in stats.items()}, index=index
    )


def top_entry_text(ranked: Ranked, lang: str) -> str:
    """``2. Le script — 1 vote``; a group with its size: ``1. Boissons (×2) — 2 votes``."""
    entry = ranked.entry
    count = len(getattr(entry, "members", ()))
    text = t("curation.group_line", lang, title=entry.text, count=count) if count else entry.text
    return t_count("compare.top_entry", ranked.votes, lang, rank=ranked.rank, text=text)


def board_top_table(comparison: Comparison, ident: str, lang: str) -> pd.DataFrame:
    """Per session, the entries of the vote's first three ranks, one row each (ties make more rows;
    a session with fewer ranked entries has empty cells)."""
    stats = comparison.boards[ident]
    depth = max((len(s.top) for s in stats.values()), default=0)
    index = pd.Index([str(n) for n in range(1, depth + 1)], name=t("compare.top_position", lang))
    return pd.DataFrame(
        {
            code: [top_entry_text(r, lang) for r in s.top] + [""] * (depth - len(s.top))
            for code, s in stats.items()
        },
        index=index,
    )


@dataclass(frozen=True)
class ComparisonTable:
    sheet: str  # a short name for a workbook tab
    title: str
    frame: pd.DataFrame


def comparison_tables(comparison: Comparison, lang: str) -> list[ComparisonTable]:
    """Every comparison table with its translated title, for pages and exports alike."""
    out = [
        ComparisonTable(
            t("compare.sheet_sessions", lang),
            t("compare.sessions_title", lang),
            sessions_overview(comparison, lang),
        )
    ]
    for ident in comparison.means:
        title = t("compare.means_title", lang, instrument=label(comparison.instruments[ident].title, lang))
        sheet = f"{t('compare.sheet_means', lang)} {comparison.instruments[ident].short_name(lang)}"
        out.append(ComparisonTable(sheet, title, means_table(comparison, ident, lang)))
    for ident, questions in comparison.continuum.items():
        instrument = comparison.instruments[ident]
        for q in instrument.questions:
            if q.id in questions:
                table = continuum_compare_table(comparison, ident, q.id, lang)
                sheet = f"{instrument.short_name(lang)} {q.short_label(lang)}"
                out.append(ComparisonTable(sheet, label(q.label, lang), table))
    for ident, stats in comparison.boards.items():
        if not stats:
            continue
        instrument = comparison.instruments[ident]
        name, short = label(instrument.title, lang), instrument.short_name(lang)
        out.append(
            ComparisonTable(
                f"{t('compare.sheet_boards', lang)} {short}",
                t("compare.boards_title", lang, instrument=name),
                boards_compare_table(comparison, ident, lang),
            )
        )
        top = board_top_table(comparison, ident, lang)
        if len(top):
            out.append(
                ComparisonTable(
                    f"{t('compare.sheet_top', lang)} {short}",
                    t("compare.top_title", lang, instrument=name),
                    top,
                )
            )
    return out
