"""Choice and open questions (issue 11.1): how many people picked each option, and the answers.

A person's latest submission replaces their earlier ones (``latest_answers``), and a multiple-choice
answer names each option at most once, so nobody is counted twice for one option.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partenariat_core.answers_more import ANSWER
from partenariat_core.instruments import Instrument
from partenariat_core.scoring.board import Card
from partenariat_core.scoring.frame import latest_answers


@dataclass(frozen=True)
class ChoiceResult:
    """``counts``: option id → people who picked it, in the file's order (0 when nobody did).
    ``respondents``: people who answered; a percentage is of them (multiple choice: sums past 100)."""

    counts: pd.Series
    respondents: int

    @property
    def percent(self) -> pd.Series:
        if not self.respondents:
            return self.counts.astype("float64") * 0.0
        return self.counts * 100.0 / self.respondents


def score_choice(frame: pd.DataFrame, instrument: Instrument) -> ChoiceResult:
    options = [o.id for o in instrument.options]
    answers = latest_answers(frame, instrument.id)
    answers = answers[answers["item"] == ANSWER]
    picked: dict[str, int] = dict.fromkeys(options, 0)
    respondents = 0
    for value in answers["value"]:
        chosen = {v for v in str(value).split() if v in picked}
        if chosen:
            respondents += 1
        for option in chosen:
            picked[option] += 1
    counts = pd.Series(picked, dtype="int64", name="people")
    counts.index.name = "option"
    return ChoiceResult(counts=counts, respondents=respondents)


def open_answers(frame: pd.DataFrame, instrument: Instrument) -> tuple[Card, ...]:
    """Each person's latest answer to an open question, in the order they came in."""
    answers = latest_answers(frame, instrument.id)
    answers = answers[(answers["item"] == ANSWER) & (answers["text"] != "")].sort_values("seq")
    return tuple(
        Card(str(text), str(person), int(seq))
        for text, person, seq in answers[["text", "participant", "seq"]].itertuples(index=False)
    )
