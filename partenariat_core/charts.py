"""Plotly figures for the boards, built from scoring results.

Pure functions (no Streamlit): the dashboard draws them, the exports save them, and tests inspect them
without a browser. Sized for a projector read from the back of a room: large type, few colours,
strong contrast, no gridline clutter.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from partenariat_core.i18n import label, t
from partenariat_core.instruments import Instrument
from partenariat_core.scoring import ConditionsScores, ContinuumResult

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 20, "color": "#111111"}
DONT_KNOW_COLOUR = "#9e9e9e"
NOW_COLOUR, DESIRED_COLOUR = "#1f4e9c", "#e4572e"


def _base_layout(title: str, height: int = 520) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 26}},
        "font": FONT,
        "height": height,
        "margin": {"l": 40, "r": 40, "t": 80, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
    }


def _layout(fig: go.Figure, title: str, height: int = 520) -> go.Figure:
    """Our projector styling on a figure built step by step (the comparison figures)."""
    fig.update_layout(**_base_layout(title, height))
    return fig


def _built(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """One figure from one plain spec, validated once by plotly.

    Why not ``go.Figure()`` then ``add_bar`` / ``update_layout``: each of those calls walks plotly's
    property tree again (magic-underscore paths, batch updates). Measured on the demo session, the
    three live charts took 16 + 10 + 7 ms to build that way and ~1-2 ms each from one spec, for the
    same JSON; the dashboard builds them again for every new summary, on the process serving the room.
    """
    return go.Figure({"data": data, "layout": layout})


PALETTES = {
    3: ["#1f4e9c", "#6aa2dc", "#e4572e"],
    5: ["#1f4e9c", "#5b93d3", "#b5b5b5", "#f0935f", "#c0392b"],
}


def level_colours(count: int) -> list[str]:
    """Strongest level first: blue for strong, orange-red for weak, distinguishable by colour-blind
    viewers and on a washed-out projector."""
    if count in PALETTES:
        return PALETTES[count]
    if count == 1:
        return PALETTES[3][:1]
    return sample_colorscale("RdBu", [1 - i / (count - 1) for i in range(count)], colortype="rgb")


def text_colour(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (hex or rgb())."""
    r: float
    g: float
    b: float
    if colour.startswith("#"):
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (float(v) for v in colour[colour.index("(") + 1 : -1].split(",")[:3])
    return "#111111" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "white"


def condition_names(instrument: Instrument, lang: str, wrap: int = 0) -> list[str]:
    """Axis labels: the condition's number and its short name, e.g. "C5 · Rapports de pouvoir",
    optionally wrapped onto lines of ``wrap`` characters so the radar keeps its labels inside."""
    names = [f"{c.id} · {c.short_label(lang)}" for c in instrument.conditions]
    return ["<br>".join(textwrap.wrap(n, wrap)) for n in names] if wrap else names


def conditions_radar(scores: ConditionsScores, instrument: Instrument, lang: str) -> go.Figure:
    """The "roue": mean derived score per condition. Conditions nobody scored sit at the centre."""
    assert instrument.scale is not None
    low = min(level.score for level in instrument.scale.levels)
    high = max(level.score for level in instrument.scale.levels)
    names = condition_names(instrument, lang, wrap=16)
    means = [scores.conditions.loc[c.id, "mean"] for c in instrument.conditions]
    values = [low if (m is None or math.isnan(m)) else round(float(m), 2) for m in means]
    hover = [
        f"{label(c.label, lang)}<br>{t('chart.mean', lang)}: {v:.2f} · n = {n}"
        for c, v, n in zip(instrument.conditions, values, scores.conditions["n"], strict=True)
    ]
    trace = {
        "type": "scatterpolar",
        "r": [*values, values[0]],
        "theta": [*names, names[0]],
        "fill": "toself",
        "fillcolor": "rgba(31, 78, 156, 0.25)",
        "line": {"color": NOW_COLOUR, "width": 4},
        "marker": {"size": 12},
        "hovertext": [*hover, hover[0]],
        "hoverinfo": "text",
        "name": t("chart.mean", lang),
    }
    layout = _base_layout(t("chart.radar_title", lang)) | {
        "polar": {
            "radialaxis": {
                "range": [low, high],
                "tickfont": {"size": 16},
                "dtick": 1 if high - low <= 4 else None,
            },
            "angularaxis": {"tickfont": {"size": 18}, "direction": "clockwise"},
            "domain": {"x": [0.22, 0.78], "y": [0.1, 0.84]},  # room for the condition names
        },
        "showlegend": False,
    }
    return _built([trace], layout)


def conditions_distribution(scores: ConditionsScores, instrument: Instrument, lang: str) -> go.Figure:
    """Stacked horizontal bars: how many answered each level, per condition, with n on the side."""
    assert instrument.scale is not None
    table = scores.conditions
    sizes = [int(n) for n in table["n"]]
    names = [
        f"{name}<br>n = {n}"
        for name, n in zip(condition_names(instrument, lang, wrap=22), sizes, strict=True)
    ]
    colours = level_colours(len(instrument.scale.levels))
    data: list[dict[str, Any]] = []
    for level, colour in zip(instrument.scale.levels, colours, strict=True):
        counts = [int(table.loc[c.id, f"count_{level.value}"]) for c in instrument.conditions]
        data.append(
            {
                "type": "bar",
                "y": names,
                "x": counts,
                "name": label(level.label, lang),
                "orientation": "h",
                "marker": {"color": colour},
                "text": [str(n) if n else "" for n in counts],
                "textposition": "inside",
                "insidetextfont": {"size": 20, "color": text_colour(colour)},
            }
        )
    dont_know = [int(table.loc[c.id, "dont_know"]) for c in instrument.conditions]
    data.append(
        {
            "type": "bar",
            "y": names,
            "x": dont_know,
            "name": label(instrument.scale.dont_know, lang),
            "orientation": "h",
            "marker": {"color": DONT_KNOW_COLOUR},
            "text": [str(n) if n else "" for n in dont_know],
            "textposition": "inside",
        }
    )
    layout = _base_layout(t("chart.distribution_title", lang), height=600)
    layout |= {
        "barmode": "stack",
        "yaxis": {"autorange": "reversed", "tickfont": {"size": 17}, "automargin": True},
        "xaxis": {"title": {"text": t("chart.answers", lang)}},
    }
    # strong → weak in the legend, as on the phone; the legend below the axis title, clear of both
    layout["legend"] = layout["legend"] | {"traceorder": "normal", "y": -0.26}
    layout["margin"] = layout["margin"] | {"l": 20, "b": 150}
    return _built(data, layout)


def continuum_bars(result: ContinuumResult, instrument: Instrument, lang: str) -> go.Figure:
    """People per level, now and desired, side by side in the continuum's order."""
    levels = [label(level.label, lang) for level in instrument.levels]
    data = []
    for question, colour in zip(instrument.questions, (NOW_COLOUR, DESIRED_COLOUR), strict=False):
        counts = [int(result.counts.loc[level.id, question.id]) for level in instrument.levels]
        data.append(
            {
                "type": "bar",
                "x": levels,
                "y": counts,
                "name": label(question.label, lang),
                "marker": {"color": colour},
                "text": counts,
                "textposition": "outside",
                "textfont": {"size": 22},
            }
        )
    top = int(result.counts.to_numpy().max()) if result.counts.size else 0
    layout = _base_layout(t("chart.continuum_title", lang)) | {
        "barmode": "group",
        "yaxis": {"title": {"text": t("chart.people", lang)}, "range": [0, max(top * 1.2, 1)]},
    }
    return _built(data, layout)
