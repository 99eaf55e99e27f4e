"""The self-contained HTML report of one session, and the building blocks the comparison report reuses.

Self-contained means it opens offline years later: plotly.js is inlined once in the page head (not once
per chart), there is no web font, no external script, stylesheet or image. Every text that came from a
person (session title, cards, sector names) goes through ``html.escape``: a card reading
``<script>alert(1)</script>`` shows as those characters. The print variant used for the PDF draws the
charts as inline PNG images and contains no script at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
from collections.abc import Callable, Sequence

import pandas as pd
from plotly.offline import get_plotlyjs

from partenariat_core.breakdowns import SectorTable, sector_tables
from partenariat_core.export.base import ExportFile, SessionData, file_for
from partenariat_core.export.figures import NamedFigure, session_figures
from partenariat_core.export.summary_text import fmt_number, written_summary
from partenariat_core.export.tables import (
    board_table,
    column_label,
    conditions_table,
    continuum_table,
    is_curated,
    moves_table,
    ranking_table,
    top_words_table,
)
from partenariat_core.export.tables_field import field_section
from partenariat_core.i18n import label, t, t_count
from partenariat_core.instruments import Instrument

ChartHtml = Callable[[NamedFigure], str]
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111;
       max-width: 1200px; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: .3rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #1f4e9c; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.details dt { font-weight: 600; } dl.details dd { margin: 0; }
.summary li { margin: .3rem 0; }
.board { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 1rem; }
.column h3 { margin: .2rem 0 .6rem; } .card { background: #fff8d6; border: 1px solid #e6d98a;
       border-radius: 6px; padding: .45rem .6rem; margin: .35rem 0; white-space: pre-wrap; }
table.data { border-collapse: collapse; margin: .8rem 0; font-size: .95rem; }
table.data th, table.data td { border: 1px solid #ccc; padding: .25rem .55rem; text-align: left; }
table.data th { background: #eef2fa; } table.data td.num { text-align: right; }
.note { color: #444; font-size: .92rem; } .chart { margin: 1rem 0; } .chart img { width: 100%; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; }
@media print { h2 { break-before: auto; } .chart, table.data, .column { break-inside: avoid; } }
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def cell(value: object, lang: str) -> tuple[str, bool]:
    """A table cell's text and whether it is a number (right-aligned, locale decimal mark)."""
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if math.isnan(value):
            return "—", True
        if value.is_integer():
            return str(int(value)), True
        return fmt_number(value, lang).rstrip("0"), True  # 21.7 → "21,7", 2.48 → "2,48"
    return str(value), False


def table_html(frame: pd.DataFrame, lang: str, *, index: bool = False) -> str:
    """A DataFrame as an escaped HTML table (pandas' writer is avoided on purpose: one escaping rule)."""
    heads = ([esc(frame.index.name or "")] if index else []) + [esc(c) for c in frame.columns]
    rows = []
    for key, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = [f"<th>{esc(key)}</th>"] if index else []
        for value in row:
            text, number = cell(value.item() if hasattr(value, "item") else value, lang)
            cells.append(f"<td class='num'>{esc(text)}</td>" if number else f"<td>{esc(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{h}</th>" for h in heads)
    return f"<table class='data'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def interactive_chart(named: NamedFigure) -> str:
    """A plotly div plus its small inline ``newPlot`` call; the library itself is in the page head."""
    body = named.figure.to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG)
    return f"<div class='chart'>{body}</div>"


def image_chart(png: bytes, title: str) -> str:
    """A chart as an inline PNG (a ``data:`` URI, not an external file)."""
    encoded = base64.b64encode(png).decode("ascii")
    return f"<div class='chart'><img alt='{esc(title)}' src='data:image/png;base64,{encoded}'></div>"


def board_html(data: SessionData, instrument: Instrument, lang: str) -> str:
    table = board_table(data, instrument, lang)
    columns = []
    for name in table.columns:
        cards = [text for text in table[name] if text]
        body = "".join(f"<div class='card'>{esc(text)}</div>" for text in cards)
        if not cards:
            body = f"<p class='note'>{esc(t('board.no_cards', lang))}</p>"
        columns.append(f"<div class='column'><h3>{esc(name)} ({len(cards)})</h3>{body}</div>")
    return f"<div class='board'>{''.join(columns)}</div>"


def curation_html(data: SessionData, instrument: Instrument, lang: str) -> str:
    """The curated board: the ranked list (votes), the groups with their members, and how many cards
    the host hid (their texts stay out of the report, as they are out of the room's board)."""
    if not is_curated(data, instrument):
        return ""
    board = data.summary.curated[instrument.id]
    parts = [f"<h3>{esc(t('curation.ranking_title', lang))}</h3>"]
    ranking = ranking_table(data, instrument, lang)
    if len(ranking):
        parts.append(table_html(ranking, lang))
    else:
        parts.append(f"<p class='note'>{esc(t('curation.no_votes', lang))}</p>")
    if board.groups:
        parts.append(f"<h3>{esc(t('curation.groups_title', lang))}</h3><ul class='groups'>")
        preset = data.session.keep_throw_preset
        for group in sorted(board.groups.values(), key=lambda g: g.seq):
            title = t("curation.group_line", lang, title=group.title, count=group.count)
            column = column_label(instrument, preset, group.column, lang)
            members = "".join(f"<li>{esc(m.text)}</li>" for m in group.members)
            parts.append(f"<li><strong>{esc(title)}</strong> · {esc(column)}<ul>{members}</ul></li>")
        parts.append("</ul>")
    if board.hidden:
        note = t_count("curation.hidden_note", len(board.hidden), lang)
        parts.append(f"<p class='note'>{esc(note)}</p>")
    return "".join(parts)


def top_words_html(data: SessionData, instrument: Instrument, lang: str) -> str:
    """Each column's most used words, as small tables side by side (how the words are counted is
    said under the title); nothing when no card on the board has a word that counts."""
    table = top_words_table(data, instrument, lang)
    if not len(table):
        return ""
    column, rank = t("words.col_column", lang), t("words.col_rank", lang)
    parts = [f"<h3>{esc(t('words.title', lang))}</h3><p class='note'>{esc(t('words.rule', lang))}</p>"]
    parts.append("<div class='board'>")
    for name, rows in table.groupby(column, sort=False):
        shown = rows.drop(columns=[column]).set_index(rank)
        parts.append(f"<div class='column'><h4>{esc(name)}</h4>{table_html(shown, lang, index=True)}</div>")
    parts.append("</div>")
    return "".join(parts)


def sectors_html(tables: Sequence[SectorTable], lang: str, threshold: int) -> str:
    parts = [f"<h2>{esc(t('sectors.title', lang))}</h2>"]
    parts.append(f"<p class='note'>{esc(t('sectors.rule', lang, threshold=threshold))}</p>")
    for table in tables:
        parts.append(f"<h3>{esc(table.title)}</h3>")
        if table.table.empty:
            parts.append(f"<p>{esc(t('sectors.none_shown', lang))}</p>")
        else:
            parts.append(table_html(table.table, lang, index=True))
        if table.hidden_people:
            parts.append(f"<p class='note'>{esc(table.note)}</p>")
    return "".join(parts)


def page(title: str, body: str, lang: str, *, with_plotly: bool) -> str:
    """The HTML document around ``body``; plotly.js inlined once when charts are interactive."""
    script = f"<script type='text/javascript'>{get_plotlyjs()}</script>" if with_plotly else ""
    return (
        f"<!DOCTYPE html><html lang='{esc(lang)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(title)}</title><style>{CSS}</style>{script}</head><body>{body}"
        f"<footer>{esc(t('report.footer', lang, when=dt.datetime.now().strftime('%Y-%m-%d %H:%M')))}"
        "</footer></body></html>"
    )


def details_html(data: SessionData, lang: str) -> str:
    s = data.session
    names = ", ".join(label(i.title, lang) for i in data.used_instruments if i.kind != "profile")
    rows = [
        ("report.code", s.code),
        ("report.date", s.date.isoformat()),
        ("report.participants_label", str(data.summary.participants)),
        ("report.events_label", str(data.summary.events)),
        ("report.instruments", names),
    ]
    return (
        "<dl class='details'>"
        + "".join(f"<dt>{esc(t(k, lang))}</dt><dd>{esc(v)}</dd>" for k, v in rows)
        + "</dl>"
    )


def report_body(data: SessionData, lang: str, chart: ChartHtml, figures: Sequence[NamedFigure]) -> str:
    """Everything below the page head: details, written summary, each board, sector breakdowns."""
    by_instrument: dict[str, list[NamedFigure]] = {}
    for named in figures:
        by_instrument.setdefault(named.instrument, []).append(named)
    parts = [f"<h1>{esc(data.session.title)}</h1>", details_html(data, lang)]
    sentences = written_summary(data.summary, data.instruments, lang)
    parts.append(f"<h2>{esc(t('report.summary_title', lang))}</h2><ul class='summary'>")
    parts.extend(f"<li>{esc(s)}</li>" for s in sentences)
    parts.append("</ul>")
    for instrument in data.used_instruments:
        if instrument.kind == "profile":
            continue
        parts.append(f"<h2>{esc(instrument.heading(data.session.keep_throw_preset, lang))}</h2>")
        parts.extend(chart(named) for named in by_instrument.get(instrument.id, []))
        if instrument.kind == "keep_throw":
            parts.append(board_html(data, instrument, lang))
            parts.append(curation_html(data, instrument, lang))
            parts.append(top_words_html(data, instrument, lang))
        elif instrument.kind == "conditions":
            parts.append(table_html(conditions_table(data, instrument, lang), lang))
            if instrument.score_note:
                parts.append(f"<p class='note'>{esc(label(instrument.score_note, lang))}</p>")
        elif instrument.kind == "continuum":
            result = data.summary.continuum[instrument.id]
            moves = t(
                "board.moves",
                lang,
                up=result.moving_up,
                same=result.staying,
                down=result.moving_down,
                n=result.n_pairs,
            )
            parts.append(f"<p>{esc(moves)}</p>")
            parts.append(table_html(continuum_table(data, instrument, lang), lang))
            parts.append(f"<h3>{esc(t('report.moves_title', lang))}</h3>")
            parts.append(table_html(moves_table(data, instrument, lang), lang))
        elif instrument.kind in ("timeline", "grid"):
            for title, frame in field_section(data, instrument, lang):
                parts.append(f"<h3>{esc(title)}</h3>{table_html(frame, lang)}")
    tables = sector_tables(data.summary, data.events, data.instruments, data.threshold, lang)
    if tables:
        parts.append(sectors_html(tables, lang, data.threshold))
    return "".join(parts)


def report_html(data: SessionData, lang: str) -> str:
    """The interactive report as text."""
    body = report_body(data, lang, interactive_chart, session_figures(data, lang))
    return page(data.session.title, body, lang, with_plotly=True)


def print_html(data: SessionData, lang: str, images: Sequence[bytes], figures: Sequence[NamedFigure]) -> str:
    """The same report with charts as PNGs and no script: what Chrome prints to PDF."""
    pngs = {id(f): png for f, png in zip(figures, images, strict=True)}
    body = report_body(data, lang, lambda f: image_chart(pngs[id(f)], f.title), figures)
    return page(data.session.title, body, lang, with_plotly=False)


def export_html(data: SessionData, lang: str) -> ExportFile:
    html_text = report_html(data, lang)
    return file_for(data.session, "html", "text/html", html_text.encode("utf-8"), t("report.file", lang))
