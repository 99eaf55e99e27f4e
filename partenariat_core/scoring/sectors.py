"""Breakdowns by sector, with small groups hidden.

Intersectoral work is about whether sectors see things differently, but in a room of 25 a sector of
two people is identifiable. Any sector with fewer participants than the threshold is left out of the
breakdown (and of "unknown"); only the number of people left out is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.scoring.frame import latest_answers, participant_sectors

UNKNOWN_SECTOR = "unknown"


@dataclass(frozen=True)
class SectorBreakdown:
    """``table``: index = sector id, one column per condition (or level); ``sizes``: people per shown
    sector; ``hidden_people``: people in sectors too small to show."""

    table: pd.DataFrame
    sizes: dict[str, int]
    hidden_people: int


def _with_sector(answers: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    sectors = participant_sectors(frame)
    return answers.assign(sector=answers["participant"].map(sectors).fillna(UNKNOWN_SECTOR))


def _keep_large(answers: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, dict[str, int], int]:
    sizes = answers.groupby("sector")["participant"].nunique()
    shown = sizes[sizes >= threshold]
    hidden = int(sizes[sizes < threshold].sum())
    return (
        answers[answers["sector"].isin(shown.index)],
        {k: int(v) for k, v in shown.items()},
        hidden,
    )


def conditions_by_sector(frame: pd.DataFrame, instrument: Instrument, threshold: int) -> SectorBreakdown:
    """Mean derived score per condition and sector ("don't know" excluded)."""
    assert instrument.scale is not None
    condition_of = {item.id: item.condition for item in instrument.items}
    answers = latest_answers(frame, instrument.id)
    answers = answers[answers["value"].isin(instrument.scale.values) & answers["item"].isin(condition_of)]
    answers = _with_sector(answers, frame)
    answers, sizes, hidden = _keep_large(answers, threshold)
    scored = answers.assign(
        condition=answers["item"].map(condition_of),
        score=answers["value"].map(instrument.scale.scores).astype(float),  # float even when empty
    )
    table = scored.pivot_table(index="sector", columns="condition", values="score", aggfunc="mean")
    table = table.reindex(columns=[c.id for c in instrument.conditions])
    return SectorBreakdown(table=table, sizes=sizes, hidden_people=hidden)


def continuum_by_sector(
    frame: pd.DataFrame, instrument: Instrument, question: str, threshold: int
) -> SectorBreakdown:
    """People per level for one question (``now`` or ``desired``), per sector."""
    answers = latest_answers(frame, instrument.id)
    answers = answers[answers["item"] == question]
    answers, sizes, hidden = _keep_large(_with_sector(answers, frame), threshold)
    table = pd.crosstab(answers["sector"], answers["value"]).reindex(
        columns=[level.id for level in instrument.levels], fill_value=0
    )
    return SectorBreakdown(table=table, sizes=sizes, hidden_people=hidden)
