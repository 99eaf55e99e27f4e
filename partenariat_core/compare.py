"""Comparing sessions: the same table before and after, or several tables of one day, side by side.

The first session picked is the baseline: differences are "other minus baseline". Sessions are compared
per instrument id, so two sessions scored on different scales (A/B/C and 1–5) are never mixed in one
column; a session that did not use an instrument has no column for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from partenariat_core.errors import RejectedInput
from partenariat_core.export.base import SessionData, load_session_data
from partenariat_core.i18n import label, t
from partenariat_core.instruments import Instrument
from partenariat_core.store.base import Store


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
    return Comparison(tuple(sessions), instruments, means, answers, differences, continuum)


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
    return out
