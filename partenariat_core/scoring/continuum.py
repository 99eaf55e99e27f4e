"""Positions on Himmelman's continuum: where the partnership is now, where it should be.

Levels are ordered (each adds to the previous), so a now→desired move has a direction and a size in
steps; no level is better in itself, so we report moves, not a score.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
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
    rank = [level.rank for level in instrument.levels]
    questions = [q.id for q in instrument.questions]
    answers = latest_answers(frame, instrument.id)
    # positions instead of labels: counts and moves are then one bincount each (no crosstab, no pivot)
    level_of = pd.Index(levels).get_indexer(answers["value"])
    question_of = pd.Index(questions).get_indexer(answers["item"])
    keep = (level_of >= 0) & (question_of >= 0)
    level_of, question_of = level_of[keep], question_of[keep]
    people = answers["participant"].to_numpy()[keep]
    counts = np.bincount(level_of * len(questions) + question_of, minlength=len(levels) * len(questions))
    counts = pd.DataFrame(
        counts.reshape(len(levels), len(questions)).astype("int64"),
        index=pd.Index(levels, name="level"),
        columns=pd.Index(questions, name="item"),
    )
    # latest answers: one level per person and question, so a dict pairs each "now" with its "desired"
    now_q, desired_q = 0, len(questions) - 1
    desired = dict(zip(people[question_of == desired_q], level_of[question_of == desired_q], strict=True))
    pairs = [
        (now, desired[person])
        for person, now in zip(people[question_of == now_q], level_of[question_of == now_q], strict=True)
        if person in desired
    ]
    cells = np.array([now * len(levels) + want for now, want in pairs], dtype="int64")
    moves = np.bincount(cells, minlength=len(levels) ** 2)
    moves = pd.DataFrame(
        moves.reshape(len(levels), len(levels)).astype("int64"),
        index=pd.Index(levels, name=questions[now_q]),
        columns=pd.Index(levels, name=questions[desired_q]),
    )
    steps = Counter(rank[want] - rank[now] for now, want in pairs)
    shifts = {int(step): steps[step] for step in sorted(steps)}
    return ContinuumResult(counts=counts, moves=moves, shifts=shifts, n_pairs=len(pairs))
