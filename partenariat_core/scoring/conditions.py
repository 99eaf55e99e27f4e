"""Scores of the six conditions of effectiveness.

The published diagnostic tool reads results by counting A/B/C answers per item and per condition; it
defines no numeric score. We add a derived score from the instrument file's scale (A=3, B=2, C=1, or a
1–5 scale) to draw the radar, and label it as ours. "Don't know" answers are counted apart and never
averaged in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from partenariat_core.instruments import Instrument, Scale
from partenariat_core.scoring.frame import answer_codes, positions


@dataclass(frozen=True)
class ConditionsScores:
    """``items``: one row per item, weakest first. ``conditions``: one row per condition, in order.

    Both have columns ``n`` (scored answers), ``dont_know``, ``count_<value>`` and ``pct_<value>`` for
    each scale value (percent of ``n``), ``mean``, ``median`` and ``std`` of the derived score.
    """

    items: pd.DataFrame
    conditions: pd.DataFrame
    values: tuple[str, ...]


def _stats(rows: np.ndarray, cols: np.ndarray, order: list[str], by: str, scale: Scale) -> pd.DataFrame:
    """Figures per group; ``rows[i]`` is the position in ``order`` of answer ``i``'s group (-1: none),
    ``cols[i]`` the position of its answer in the scale's values then "don't know" (-1: neither).

    The scale is discrete, so one table of counts (group × answer) gives every figure: counts and
    percentages directly, and mean, median and sample std of the derived score from the counts. That is
    one ``bincount`` instead of a crosstab and three group-bys, several times faster (bench/RESULTS.md).
    """
    answers = [*scale.values, Scale.DONT_KNOW]
    keep = (rows >= 0) & (cols >= 0)
    width = len(answers)
    table = np.bincount(rows[keep] * width + cols[keep], minlength=len(order) * width)
    table = table.reshape(len(order), width).astype("int64")
    counts, dont_know = table[:, :-1], table[:, -1]
    n = counts.sum(axis=1)
    scored = np.where(n > 0, n, np.nan)  # no answer: no percentage, no mean
    scores = np.array([scale.scores[v] for v in scale.values], dtype=float)
    out = {"n": n, "dont_know": dont_know}
    out.update({f"count_{v}": counts[:, j] for j, v in enumerate(scale.values)})
    out.update({f"pct_{v}": np.round(100 * counts[:, j] / scored, 1) for j, v in enumerate(scale.values)})
    mean = counts @ scores / scored
    out["mean"] = mean
    out["median"] = _median(counts, scores, n)
    deviations = (counts * np.square(scores[None, :] - mean[:, None])).sum(axis=1)
    out["std"] = np.sqrt(deviations / np.where(n > 1, n - 1, np.nan))  # ddof=1; one answer: no std
    return pd.DataFrame(out, index=pd.Index(order, name=by))


def _median(counts: np.ndarray, scores: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Median score per row of ``counts``: the middle answer (or the mean of the two middle ones)."""
    rank = np.argsort(scores, kind="stable")
    ordered, below = scores[rank], counts[:, rank].cumsum(axis=1)
    last = len(scores) - 1

    def at(position: np.ndarray) -> np.ndarray:  # score of the answer at this 0-based position
        return ordered[np.minimum((below <= position[:, None]).sum(axis=1), last)]

    median = (at((n - 1) // 2) + at(n // 2)) / 2
    return np.where(n > 0, median, np.nan)


def score_conditions(frame: pd.DataFrame, instrument: Instrument) -> ConditionsScores:
    assert instrument.scale is not None, "a conditions instrument always has a scale"
    item_ids = [item.id for item in instrument.items]
    condition_ids = [c.id for c in instrument.conditions]
    # positions rather than labels, from the frame's codes (no copy of the latest answers)
    item_rows = positions(*answer_codes(frame, instrument.id, "item"), item_ids)  # -1: not an item here
    value_cols = positions(
        *answer_codes(frame, instrument.id, "value"), [*instrument.scale.values, Scale.DONT_KNOW]
    )
    # condition of each item, by position; the trailing -1 maps unknown items (-1) to no condition
    condition_of = np.array([condition_ids.index(item.condition) for item in instrument.items] + [-1])
    items = _stats(item_rows, value_cols, item_ids, "item", instrument.scale)
    items.insert(0, "condition", [item.condition for item in instrument.items])
    # weakest first; items nobody scored go last, in questionnaire order
    items = items.sort_values("mean", kind="stable", na_position="last")
    conditions = _stats(condition_of[item_rows], value_cols, condition_ids, "condition", instrument.scale)
    return ConditionsScores(items=items, conditions=conditions, values=instrument.scale.values)
