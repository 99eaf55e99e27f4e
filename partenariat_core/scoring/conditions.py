"""Scores of the six conditions of effectiveness.

The published diagnostic tool reads results by counting A/B/C answers per item and per condition; it
defines no numeric score. We add a derived score from the instrument file's scale (A=3, B=2, C=1, or a
1–5 scale) to draw the radar, and label it as ours. "Don't know" answers are counted apart and never
averaged in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partenariat_core.instruments import Instrument, Scale
from partenariat_core.scoring.frame import latest_answers


@dataclass(frozen=True)
class ConditionsScores:
    """``items``: one row per item, weakest first. ``conditions``: one row per condition, in order.

    Both have columns ``n`` (scored answers), ``dont_know``, ``count_<value>`` and ``pct_<value>`` for
    each scale value (percent of ``n``), ``mean``, ``median`` and ``std`` of the derived score.
    """

    items: pd.DataFrame
    conditions: pd.DataFrame
    values: tuple[str, ...]


def _stats(answers: pd.DataFrame, by: str, order: list[str], scale: Scale) -> pd.DataFrame:
    scored = answers[answers["value"].isin(scale.values)]
    counts = (
        pd.crosstab(scored[by], scored["value"])
        .reindex(index=order, columns=list(scale.values), fill_value=0)
        .astype(int)
    )
    out = pd.DataFrame(index=pd.Index(order, name=by))
    out["n"] = counts.sum(axis=1)
    dont_know = answers[answers["value"] == Scale.DONT_KNOW].groupby(by).size()
    out["dont_know"] = dont_know.reindex(order, fill_value=0).astype(int)
    for value in scale.values:
        out[f"count_{value}"] = counts[value]
    for value in scale.values:
        out[f"pct_{value}"] = (100 * counts[value] / out["n"].where(out["n"] > 0)).round(1)
    # astype(float): mapping an empty string column keeps its string dtype, which cannot be averaged
    grouped = scored.assign(score=scored["value"].map(scale.scores).astype(float)).groupby(by)["score"]
    out["mean"] = grouped.mean().reindex(order)
    out["median"] = grouped.median().reindex(order)
    out["std"] = grouped.std(ddof=1).reindex(order)
    return out


def score_conditions(frame: pd.DataFrame, instrument: Instrument) -> ConditionsScores:
    assert instrument.scale is not None, "a conditions instrument always has a scale"
    answers = latest_answers(frame, instrument.id)
    known = {item.id: item.condition for item in instrument.items}
    answers = answers[answers["item"].isin(known)].assign(condition=lambda a: a["item"].map(known))
    items = _stats(answers, "item", [i.id for i in instrument.items], instrument.scale)
    items.insert(0, "condition", [known[i] for i in items.index])
    # weakest first; items nobody scored go last, in questionnaire order
    items = items.sort_values("mean", kind="stable", na_position="last")
    conditions = _stats(answers, "condition", [c.id for c in instrument.conditions], instrument.scale)
    return ConditionsScores(items=items, conditions=conditions, values=instrument.scale.values)
