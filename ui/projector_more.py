"""Projector bodies of the choice and open kinds (issue 11.1), dispatched from
``ui.projector.step_html``. Text only (no Streamlit call), escaped, sized in ``--u`` like the rest."""

from __future__ import annotations

from partenariat_core import Instrument, board_layout, count_ticks, label, page_at
from ui import projector as base
from ui.shared_drawing import made_once


def choice_body(screen: base.Screen, instrument: Instrument) -> str:
    """One horizontal bar per option, the count and the share in it, on a whole-number axis."""
    result = screen.summary.choices[instrument.id]
    if not result.respondents:
        return base._no_answers(screen.t)
    ticks = count_ticks(int(result.counts.max()))
    bars = []
    for n, option in enumerate(instrument.options):
        count = int(result.counts.get(option.id, 0))
        share = float(result.percent.get(option.id, 0.0))
        colour = base.SCALE_COLOURS[n % len(base.SCALE_COLOURS)]
        text = screen.t("kinds.people", count=count, percent=share)
        segment = (
            f"<div class='pl-s-seg' style='width:{100 * count / ticks[-1]:.2f}%;background:{colour}'>"
            f"{base.e(text)}</div>"
            if count
            else ""
        )
        name = base.e(label(option.label, screen.lang))
        bars.append(
            f"<div class='pl-s-hrow'><div class='pl-s-hlabel'>{name}</div>"
            f"<div class='pl-s-hbar'>{segment}</div></div>"
        )
    legend = base.e(label(instrument.prompt, screen.lang))
    note = screen.t("kinds.respondents", count=result.respondents)
    return (
        f"<div class='pl-s-chart'><div class='pl-s-legend'><span>{legend}</span></div>{''.join(bars)}"
        f"<div class='pl-s-hrow'><div class='pl-s-hlabel'></div>{base._axis(ticks)}</div>"
        f"<div class='pl-s-moves'>{base.e(note)}</div></div>"
    )


def open_body(screen: base.Screen, instrument: Instrument) -> tuple[str, str]:
    """The answers as cards in one column, laid out (and paged) as a keep / throw board is."""
    cards = screen.summary.answers[instrument.id]
    if not cards:
        return base._no_answers(screen.t), ""
    layout = made_once(
        screen.summary,
        ("open_layout", instrument.id),
        lambda: board_layout({"answer": [c.text for c in cards]}),
    )
    page = page_at(layout.page_count, screen.now_seconds)
    body = base.subcolumns_html(layout.page(page)[0])  # the cards of this page only are made
    question = base.e(label(instrument.prompt, screen.lang))
    column = (
        f"<section class='pl-s-col answer' style='width:calc(var(--u)*{layout.widths[0]:.1f})'>"
        f"<h3>{question} <span>({len(cards)})</span></h3>"
        f"<div class='pl-s-subs' style='--n:{layout.splits[0]}'>{body}</div></section>"
    )
    board = f"<div class='pl-s-board' style='--f:{layout.font_px}'>{column}</div>"
    return board, base.page_badge(screen, page, layout.page_count)


def more_body(screen: base.Screen, instrument: Instrument) -> tuple[str, str]:
    """(body, header badge) of a choice or open step; no answers yet when the summary lacks it."""
    if instrument.kind == "choice" and instrument.id in screen.summary.choices:
        return choice_body(screen, instrument), ""
    if instrument.kind == "open" and instrument.id in screen.summary.answers:
        return open_body(screen, instrument)
    return base._no_answers(screen.t), ""
