"""Positions on Himmelman's continuum: where the partnership is now, where it should be.

Levels are ordered (each adds to the previous), so a now→desired move has a direction and a size in
steps; no level is better in itself, so we report moves, not a score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.scoring.frame import answer_codes, positions


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
    rank = [level.rank for level in instrument.levels]
    questions = [q.id for q in instrument.questions]
    # positions instead of labels, from the frame's codes: counts and moves are then one bincount each
    # (no crosstab, no pivot, no copy of the latest answers); people are participant codes
    level_of = positions(*answer_codes(frame, instrument.id, "value"), levels)
    question_of = positions(*answer_codes(frame, instrument.id, "item"), questions)
    keep = (level_of >= 0) & (question_of >= 0)
    level_of, question_of = level_of[keep], question_of[keep]
    people, everyone = answer_codes(frame, instrument.id, "participant")
    people = people[keep]
    counts = np.bincount(level_of * len(questions) + question_of, minlength=len(levels) * len(questions))
    counts = pd.DataFrame(
        counts.reshape(len(levels), len(questions)).astype("int64"),
        index=pd.Index(levels, name="level"),
        columns=pd.Index(questions, name="item"),
    )
    # latest answers: one level per person and question, so an array indexed by person pairs each
    # "now" with its "desired" (-1: no desired level)
    now_q, desired_q = 0, len(questions) - 1
    desired = np.full(len(everyone), -1, dtype="int64")
    desired[people[question_of == desired_q]] = level_of[question_of == desired_q]
    now_people, now = people[question_of == now_q], level_of[question_of == now_q]
    want = desired[now_people]
    paired = want >= 0
    now, want = now[paired], want[paired]
    moves = np.bincount(now * len(levels) + want, minlength=len(levels) ** 2)
    moves = pd.DataFrame(
        moves.reshape(len(levels), len(levels)).astype("int64"),
        index=pd.Index(levels, name=questions[now_q]),
        columns=pd.Index(levels, name=questions[desired_q]),
    )
    ranks = np.array(rank, dtype="int64")
    steps, people_per_step = np.unique(ranks[want] - ranks[now], return_counts=True)  # sorted steps
    shifts = {int(step): int(n) for step, n in zip(steps, people_per_step, strict=True)}
    return ContinuumResult(counts=counts, moves=moves, shifts=shifts, n_pairs=int(paired.sum()))
