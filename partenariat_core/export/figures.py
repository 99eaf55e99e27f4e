"""The charts of one session, named, in report order: what the HTML report draws and PNG export saves."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from partenariat_core.charts import conditions_distribution, conditions_radar, continuum_bars
from partenariat_core.export.base import SessionData
from partenariat_core.export.tables import instruments_of
from partenariat_core.i18n import t


@dataclass(frozen=True)
class NamedFigure:
    instrument: str
    title: str  # translated: also the PNG file's name
    figure: go.Figure


def session_figures(data: SessionData, lang: str) -> list[NamedFigure]:
    out = []
    for instrument in instruments_of(data, "conditions"):
        scores = data.summary.conditions[instrument.id]
        out.append(
            NamedFigure(
                instrument.id, t("chart.radar_title", lang), conditions_radar(scores, instrument, lang)
            )
        )
        out.append(
            NamedFigure(
                instrument.id,
                t("chart.distribution_title", lang),
                conditions_distribution(scores, instrument, lang),
            )
        )
    for instrument in instruments_of(data, "continuum"):
        result = data.summary.continuum[instrument.id]
        out.append(
            NamedFigure(
                instrument.id, t("chart.continuum_title", lang), continuum_bars(result, instrument, lang)
            )
        )
    return out
