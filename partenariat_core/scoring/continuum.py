"""Positions on Himmelman's continuum: where the partnership is now, where it should be.

Levels are ordered (each adds to the previous), so a now→desired move has a direction and a size in
steps; no level is better in itself, so we report moves, not a score.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.scoring.frame import latest_answers


@dataclass(frozen=True)
class ContinuumResult:
    """``counts``: index = level id (in order), columns ``now`` and ``desired``.
    ``moves``: crosstab now (rows) × desired (columns) over people who gave both.
    ``shifts``: number of people per step size (desired rank − now rank), e.g. {0: 4, 1: 9, 2: 3}.
    """

    counts: pd.DataFrame
    moves: pd.DataFrame
    shifts: dict[int, int]
    n_pairs: int

    @property
    def moving_up(self) -> int:
        return sum(n for step, n in self.shifts.items() if step > 0)

    @property
    def moving_down(self) -> int:
        return sum(n for step, n in self.shifts.items() if step < 0)

    @property
    def staying(self) -> int:
        return self.shifts.get(0, 0)


def score_continuum(frame: pd.DataFrame, instrument: Instrument) -> ContinuumResult:
    levels = [level.id for level in instrument.levels]
    rank = {level.id: level.rank for level in instrument.levels}
    questions = [q.id for q in instrument.questions]
    answers = latest_answers(frame, instrument.id)
    answers = answers[answers["item"].isin(questions) & answers["value"].isin(levels)]
    counts = (
        pd.crosstab(answers["value"], answers["item"])
        .reindex(index=levels, columns=questions, fill_value=0)
        .astype(int)
    )
    counts.index.name = "level"
    now_q, desired_q = questions[0], questions[-1]
    wide = answers.pivot(index="participant", columns="item", values="value")
    wide = wide.reindex(columns=questions).dropna(subset=[now_q, desired_q])
    moves = (
        pd.crosstab(wide[now_q], wide[desired_q])
        .reindex(index=levels, columns=levels, fill_value=0)
        .astype(int)
    )
    # astype: mapping an empty string column keeps its string dtype, which cannot be subtracted
    steps = wide[desired_q].map(rank).astype("int64") - wide[now_q].map(rank).astype("int64")
    shifts = {int(k): int(v) for k, v in steps.value_counts().sort_index().items()}
    return ContinuumResult(counts=counts, moves=moves, shifts=shifts, n_pairs=len(wide))
