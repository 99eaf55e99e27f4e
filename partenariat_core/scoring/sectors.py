"""Breakdowns by sector, with small groups hidden.

Intersectoral work is about whether sectors see things differently, but in a room of 25 a sector of
two people is identifiable. Any sector with fewer participants than the threshold is left out of the
breakdown (and of "unknown"); only the number of people left out is reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.scoring.frame import (
    answer_codes,
    column_codes,
    latest_answers,
    participant_sectors,
    positions,
    sector_codes,
)

UNKNOWN_SECTOR = "unknown"


@dataclass(frozen=True)
class SectorBreakdown:
    """``table``: index = sector id, one column per condition (or level); ``sizes``: people per shown
    sector; ``hidden_people``: people in sectors too small to show."""

    table: pd.DataFrame
    sizes: dict[str, int]
    hidden_people: int


def _sectors_of(people: list[str], frame: pd.DataFrame) -> list[str]:
    """The sector of each person in ``people`` (their latest answer), ``unknown`` when not given."""
    sectors = participant_sectors(frame)
    known = dict(zip(sectors.index.tolist(), sectors.tolist(), strict=True))
    return [known.get(person, UNKNOWN_SECTOR) for person in people]


def _visible(people: list[str], sector_of: list[str], threshold: int) -> tuple[dict[str, int], int]:
    """People per sector large enough to show (sorted by sector id), and how many people are hidden."""
    per_sector = Counter(sector for _, sector in set(zip(people, sector_of, strict=True)))
    sizes = {sector: per_sector[sector] for sector in sorted(per_sector) if per_sector[sector] >= threshold}
    hidden = sum(n for n in per_sector.values() if n < threshold)
    return sizes, hidden


def conditions_by_sector(frame: pd.DataFrame, instrument: Instrument, threshold: int) -> SectorBreakdown:
    """Mean derived score per condition and sector ("don't know" excluded).

    Answers become positions (sector row, condition column) and the means come from two ``bincount``
    calls: the figures of a pivot table at a fraction of its cost, on every projector refresh.
    """
    assert instrument.scale is not None
    items = [item.id for item in instrument.items]
    conditions = [c.id for c in instrument.conditions]
    # positions and participant codes straight from the frame's codes (no copy of the answers)
    item_of = positions(*answer_codes(frame, instrument.id, "item"), items)
    value_of = positions(*answer_codes(frame, instrument.id, "value"), instrument.scale.values)
    scored = (item_of >= 0) & (value_of >= 0)
    people = answer_codes(frame, instrument.id, "participant")[0][scored]
    # each person's sector as a code of the value column, shifted by one: 0 is "not given"
    sector_of = sector_codes(frame)[people] + 1
    values = column_codes(frame, "value")[1]
    labels = [UNKNOWN_SECTOR, *(str(value) for value in values)]
    # people per sector: each person once (their one sector); two codes may share a label
    per_sector: Counter[str] = Counter()
    codes, people_in = np.unique(sector_codes(frame)[np.unique(people)] + 1, return_counts=True)
    for code, n in zip(codes.tolist(), people_in.tolist(), strict=True):
        per_sector[labels[code]] += n
    sizes = {sector: per_sector[sector] for sector in sorted(per_sector) if per_sector[sector] >= threshold}
    hidden = sum(n for n in per_sector.values() if n < threshold)
    sectors = list(sizes)
    row_of = {sector: row for row, sector in enumerate(sectors)}
    rows = np.array([row_of.get(label, -1) for label in labels], dtype="int64")[sector_of]
    condition_of_item = np.array([conditions.index(item.condition) for item in instrument.items])
    cols = condition_of_item[item_of[scored]]
    scores = np.array([instrument.scale.scores[v] for v in instrument.scale.values])[value_of[scored]]
    shown = rows >= 0
    cells, size = rows[shown] * len(conditions) + cols[shown], len(sectors) * len(conditions)
    totals = np.bincount(cells, weights=scores[shown], minlength=size)
    counts = np.bincount(cells, minlength=size)
    means = totals / np.where(counts > 0, counts, np.nan)
    table = pd.DataFrame(
        means.reshape(len(sectors), len(conditions)),
        index=pd.Index(sectors, name="sector"),
        columns=pd.Index(conditions, name="condition"),
    )
    return SectorBreakdown(table=table, sizes=sizes, hidden_people=hidden)


def continuum_by_sector(
    frame: pd.DataFrame, instrument: Instrument, question: str, threshold: int
) -> SectorBreakdown:
    """People per level for one question (``now`` or ``desired``), per sector."""
    answers = latest_answers(frame, instrument.id)
    answers = answers[answers["item"] == question]
    people = answers["participant"].tolist()
    sector_of = _sectors_of(people, frame)
    sizes, hidden = _visible(people, sector_of, threshold)
    answers = answers.assign(sector=pd.Series(sector_of, index=answers.index, dtype="str"))
    answers = answers[answers["sector"].isin(list(sizes))]
    table = pd.crosstab(answers["sector"], answers["value"]).reindex(
        columns=[level.id for level in instrument.levels], fill_value=0
    )
    return SectorBreakdown(table=table, sizes=sizes, hidden_people=hidden)
