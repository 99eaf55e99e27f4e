"""Dashboard boards of the choice and open kinds (issue 11.1), registered in ``ui.boards.DRAW``.

Drawn from the ``SessionSummary`` only; every text a person or a file wrote is escaped.
"""

from __future__ import annotations

import html

import streamlit as st

from partenariat_core import Instrument, SessionSummary, label
from ui.runtime import Context


def choice_board(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    """One bar per option: how many people picked it, and the share of those who answered."""
    result = summary.choices[instrument.id]
    st.subheader(label(instrument.title, ctx.lang))
    st.html(f"<p class='pl-big'>{html.escape(label(instrument.prompt, ctx.lang))}</p>")
    largest = max(1, int(result.counts.max()) if len(result.counts) else 1)
    rows = []
    for option in instrument.options:
        count = int(result.counts.get(option.id, 0))
        share = float(result.percent.get(option.id, 0.0))
        shown = ctx.t("kinds.people", count=count, percent=share)
        rows.append(
            "<div class='pl-choice-row'>"
            f"<div class='pl-choice-label'>{html.escape(label(option.label, ctx.lang))}</div>"
            f"<div class='pl-choice-bar'><span style='width:{100 * count / largest:.1f}%'></span></div>"
            f"<div class='pl-choice-count'>{html.escape(shown)}</div>"
            "</div>"
        )
    st.html(f"<div class='pl-choice'>{''.join(rows)}</div>")
    note = ctx.t("kinds.respondents", count=result.respondents)
    if instrument.multiple:
        note += " · " + ctx.t("kinds.multiple_note")
    st.caption(note)


def open_board(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    """Each person's latest answer, as a card."""
    cards = summary.answers[instrument.id]
    st.subheader(label(instrument.title, ctx.lang))
    question = html.escape(label(instrument.prompt, ctx.lang))
    count = html.escape(ctx.t("kinds.answers", count=len(cards)))
    body = "".join(f"<div class='pl-card'>{html.escape(card.text)}</div>" for card in cards)
    if not cards:
        body = f"<p>{html.escape(ctx.t('kinds.no_answers'))}</p>"
    st.html(
        f"<div class='pl-column pl-open'><h3>{question} <span class='pl-count'>({count})</span></h3>"
        f"{body}</div>"
    )


MORE_DRAW = {"choice": choice_board, "open": open_board}
