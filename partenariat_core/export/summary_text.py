"""The short written summary at the top of a report: a few sentences an organiser can paste as is.

It says only what the numbers say: the condition(s) rated highest and lowest on the derived score, the
one people disagree on most (largest standard deviation), the most common now → desired move on the
continuum, and how many cards each column got. Ties are named together rather than broken silently.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from partenariat_core.i18n import label, normalize_language, t, t_count
from partenariat_core.instruments import Instrument
from partenariat_core.scoring import SessionSummary


def fmt_number(value: float, lang: str, digits: int = 2) -> str:
    """``2.36`` in English, ``2,36`` in French."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if normalize_language(lang) == "fr" else text


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t('report.and', lang)} {names[-1]}"


def _ties(values: pd.Series, best: float) -> list[str]:
    return [str(k) for k, v in values.items() if round(float(v), 2) == round(best, 2)]


def conditions_sentences(scores: pd.DataFrame, instrument: Instrument, lang: str) -> list[str]:
    assert instrument.scale is not None
    names = {c.id: f"{c.id} · {c.short_label(lang)}" for c in instrument.conditions}
    means = scores["mean"].dropna()
    if means.empty:
        return []
    top = max(level.score for level in instrument.scale.levels)
    high, low = float(means.max()), float(means.min())
    if round(high, 2) == round(low, 2):
        return [t("report.all_equal", lang, mean=fmt_number(high, lang), top=fmt_number(top, lang, 0))]
    out = [
        t(
            "report.highest",
            lang,
            names=_join([names[c] for c in _ties(means, high)], lang),
            mean=fmt_number(high, lang),
            top=fmt_number(top, lang, 0),
        ),
        t(
            "report.lowest",
            lang,
            names=_join([names[c] for c in _ties(means, low)], lang),
            mean=fmt_number(low, lang),
            top=fmt_number(top, lang, 0),
        ),
    ]
    spread = scores.loc[scores["n"] >= 2, "std"].dropna()
    if not spread.empty and float(spread.max()) > 0:
        widest = float(spread.max())
        out.append(
            t(
                "report.disagreement",
                lang,
                names=_join([names[c] for c in _ties(spread, widest)], lang),
                std=fmt_number(widest, lang),
            )
        )
    return out


def continuum_sentences(moves: pd.DataFrame, n_pairs: int, instrument: Instrument, lang: str) -> list[str]:
    if n_pairs == 0:
        return []
    names = {lv.id: label(lv.label, lang) for lv in instrument.levels}
    most = int(moves.to_numpy().max())
    found = []
    for now in moves.index:
        for desired in moves.columns:
            if int(moves.loc[now, desired]) == most:
                if now == desired:
                    found.append(t("report.stay", lang, level=names[now]))
                else:
                    found.append(t("report.move", lang, now=names[now], desired=names[desired]))
    return [t_count("report.common_move", most, lang, moves=_join(found, lang), n=n_pairs)]


def written_summary(summary: SessionSummary, instruments: Mapping[str, Instrument], lang: str) -> list[str]:
    """The summary's sentences, in the session's instrument order."""
    out = [t_count("report.participants", summary.participants, lang)]
    for ident in summary.session.instruments:
        instrument = instruments.get(ident)
        if instrument is None:
            continue
        if ident in summary.boards:
            board = summary.boards[ident]
            preset = instrument.preset(summary.session.keep_throw_preset)
            names = {c.id: label(c.label, lang) for c in preset.columns}
            parts = [
                t("report.column_count", lang, column=names.get(c, c), count=n)
                for c, n in board.counts.items()
            ]
            out.append(
                t_count("report.cards", board.total, lang, columns=t("report.list_sep", lang).join(parts))
            )
        elif ident in summary.conditions:
            out.extend(conditions_sentences(summary.conditions[ident].conditions, instrument, lang))
        elif ident in summary.continuum:
            result = summary.continuum[ident]
            out.extend(continuum_sentences(result.moves, result.n_pairs, instrument, lang))
    return out
