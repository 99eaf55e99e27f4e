"""The projector bodies of the field's instruments: the timeline of transitional results and the grid
of a controversy portrait, as HTML on the 1920 × 1080 canvas of ``ui/projector.py``.

Timeline: the events on the left in two columns of eight, in timeline order, a bar of their domain's
colour beside each, and the counts per result grouped under the three coloured domains on the right.
At most :data:`TIMELINE_SHOWN` events are drawn (the most recently added, still in timeline order), the
others are counted in a "+N" badge in the header: the screen never scrolls.

Grid: the whole grid when its texts fit (:func:`grid_fits`, an estimate of wrapped lines); otherwise
ONE actor at a time, its five cells large, the screen cycling through the actors on the clock
(``page_at``, like a rotating keep/throw board, so every screen shows the same actor) with an
"Actor n of N" badge. Everything people wrote is escaped.
"""

from __future__ import annotations

import math

from partenariat_core import GridResult, Instrument, TimelineResult, label, page_at, t_count
from ui.projector import Screen, _no_answers, e

DOMAIN_COLOURS = ("#1f4e9c", "#e4572e", "#1b7f3b", "#5b3f99", "#8c6d1f", "#0f7d8c")
UNKNOWN_COLOUR = "#9aa0a6"
TIMELINE_SHOWN = 16  # two columns of eight
# The grid, measured on the canvas (units of --u): body height, header row, a text line, chars per line.
BODY_HEIGHT = 860
GRID_HEAD = 70
GRID_LINE = 29  # 24 px text, line height 1.2
GRID_ROW_PAD = 16
GRID_CHARS_PER_LINE = 26  # a 330-unit column of 24 px text holds about 30: kept on the safe side

STYLE = """<style>
.pl-s-tl { display: flex; gap: calc(var(--u) * 36); height: 100%; padding-top: calc(var(--u) * 14); }
.pl-s-tl-events { flex: 2; min-width: 0; display: grid; grid-template-columns: 1fr 1fr;
  grid-template-rows: repeat(8, calc(var(--u) * 98)); grid-auto-flow: column;
  gap: calc(var(--u) * 8) calc(var(--u) * 24); }
.pl-s-tl-ev { min-width: 0; overflow: hidden; border-left: calc(var(--u) * 12) solid var(--c);
  padding: calc(var(--u) * 2) 0 0 calc(var(--u) * 14); }
.pl-s-tl-when { font-weight: 800; font-size: calc(var(--u) * 24); white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.pl-s-tl-when small { color: var(--c); font-weight: 600; font-size: calc(var(--u) * 20);
  margin-left: calc(var(--u) * 10); }
.pl-s-tl-text { font-size: calc(var(--u) * 24); display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere; }
.pl-s-tl-counts { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: calc(var(--u) * 4); }
.pl-s-tl-counts h4 { margin: calc(var(--u) * 8) 0 0; font-size: calc(var(--u) * 24); color: #fff;
  padding: calc(var(--u) * 4) calc(var(--u) * 12); border-radius: calc(var(--u) * 6); }
.pl-s-tl-c { display: flex; gap: calc(var(--u) * 12); font-size: calc(var(--u) * 22);
  min-height: calc(var(--u) * 34); align-items: center; }
.pl-s-tl-c span { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.pl-s-tl-c b { width: calc(var(--u) * 56); text-align: right; font-size: calc(var(--u) * 26); }
.pl-s-tl-c.zero { color: #888; }
.pl-s-grid { width: 100%; margin-top: calc(var(--u) * 14); border-collapse: collapse; table-layout: fixed;
  font-size: calc(var(--u) * 24); }
.pl-s-grid th { background: #1f4e9c; color: #fff; font-size: calc(var(--u) * 22);
  height: calc(var(--u) * 70); padding: calc(var(--u) * 6); text-align: left; }
.pl-s-grid td { border: calc(var(--u) * 2) solid #ccd; padding: calc(var(--u) * 8); vertical-align: top;
  overflow-wrap: anywhere; }
.pl-s-grid td.actor { font-weight: 800; background: #eef2fa; }
.pl-s-actor { display: flex; flex-direction: column; height: 100%; gap: calc(var(--u) * 16); }
.pl-s-actor h2 { margin: 0; font-size: calc(var(--u) * 44); }
.pl-s-actor-cells { flex: 1; min-height: 0; display: flex; gap: calc(var(--u) * 18); }
.pl-s-actor-cell { flex: 1; min-width: 0; border-top: calc(var(--u) * 8) solid #1f4e9c;
  background: #f5f7fb; padding: calc(var(--u) * 14); font-size: calc(var(--u) * 28); overflow: hidden;
  overflow-wrap: anywhere; }
.pl-s-actor-cell h3 { margin: 0 0 calc(var(--u) * 12); font-size: calc(var(--u) * 26); color: #1f4e9c; }
.pl-s-actor-cell.empty { color: #888; }
</style>"""


def domain_colour(instrument: Instrument, domain_id: str) -> str:
    for n, domain in enumerate(instrument.domains):
        if domain.id == domain_id:
            return DOMAIN_COLOURS[n % len(DOMAIN_COLOURS)]
    return UNKNOWN_COLOUR


def shown_events(result: TimelineResult, cap: int = TIMELINE_SHOWN) -> tuple[list, int]:
    """(the events drawn, how many are left out): the ``cap`` most recently added, in timeline order."""
    if result.total <= cap:
        return list(result.entries), 0
    newest = {entry.seq for entry in sorted(result.entries, key=lambda x: x.seq)[-cap:]}
    return [entry for entry in result.entries if entry.seq in newest], result.total - cap


def timeline_body(screen: Screen, instrument: Instrument) -> tuple[str, str]:
    result: TimelineResult = screen.summary.timeline[instrument.id]
    if not result.total:
        return _no_answers(screen.t), ""
    names = {r.id: label(r.label, screen.lang) for r in instrument.results()}
    entries, more = shown_events(result)
    rows = "".join(
        f"<div class='pl-s-tl-ev' style='--c:{domain_colour(instrument, entry.domain)}'>"
        f"<div class='pl-s-tl-when'>{e(entry.period)}"
        f"<small>{e(names.get(entry.result, entry.result))}</small></div>"
        f"<div class='pl-s-tl-text'>{e(entry.text)}</div></div>"
        for entry in entries
    )
    counts = []
    for n, domain in enumerate(instrument.domains):
        colour = DOMAIN_COLOURS[n % len(DOMAIN_COLOURS)]
        counts.append(
            f"<h4 style='background:{colour}'>{e(label(domain.label, screen.lang))}"
            f" ({result.per_domain.get(domain.id, 0)})</h4>"
        )
        for item in domain.results:
            count = result.per_result.get(item.id, 0)
            counts.append(
                f"<div class='pl-s-tl-c{'' if count else ' zero'}'>"
                f"<span>{e(label(item.label, screen.lang))}</span>"
                f"<b>{count}</b></div>"
            )
    badge = f"<span class='pl-s-badge page'>{e(t_count('timeline.total', result.total, screen.lang))}</span>"
    if more:  # the events left out are counted in the header, where there is always room
        left_out = t_count("timeline.more", more, screen.lang)
        badge += f"<span class='pl-s-badge page pl-s-tl-more'>{e(left_out)}</span>"
    return (
        f"{STYLE}<div class='pl-s-tl'><div class='pl-s-tl-events'>{rows}</div>"
        f"<div class='pl-s-tl-counts'>{''.join(counts)}</div></div>",
        badge,
    )


def _lines(text: str, chars: int = GRID_CHARS_PER_LINE) -> int:
    return max(1, math.ceil(len(text) / chars))


def grid_fits(result: GridResult) -> bool:
    """Whether the whole grid fits the body: each row as tall as its longest cell, in wrapped lines."""
    height = GRID_HEAD
    for row in result.rows:
        tallest = max([_lines(row.name, 10), *(_lines(cell.text) for cell in row.cells.values())])
        height += tallest * GRID_LINE + GRID_ROW_PAD
    return height <= BODY_HEIGHT


def grid_body(screen: Screen, instrument: Instrument) -> tuple[str, str]:
    result: GridResult = screen.summary.grid[instrument.id]
    if not result.rows:
        return _no_answers(screen.t), ""
    columns = [(c.id, label(c.label, screen.lang)) for c in instrument.columns]
    if grid_fits(result):
        head = (
            f"<th style='width:calc(var(--u)*230)'>{e(label(instrument.row_label, screen.lang))}</th>"
            + "".join(f"<th>{e(name)}</th>" for _, name in columns)
        )
        body = "".join(
            f"<tr><td class='actor'>{e(row.name)}</td>"
            + "".join(f"<td>{e(row.cells[c].text) if c in row.cells else ''}</td>" for c, _ in columns)
            + "</tr>"
            for row in result.rows
        )
        return f"{STYLE}<table class='pl-s-grid'><tr>{head}</tr>{body}</table>", ""
    index = page_at(len(result.rows), screen.now_seconds)
    row = result.rows[index]
    cells = "".join(
        f"<div class='pl-s-actor-cell{'' if c in row.cells else ' empty'}'><h3>{e(name)}</h3>"
        f"{e(row.cells[c].text) if c in row.cells else '—'}</div>"
        for c, name in columns
    )
    where = screen.t("grid.actor_of", n=index + 1, total=len(result.rows))
    return (
        f"{STYLE}<div class='pl-s-actor'><h2>{e(row.name)}</h2>"
        f"<div class='pl-s-actor-cells'>{cells}</div></div>",
        f"<span class='pl-s-badge page'>{e(where)}</span>",
    )


BODIES = {"timeline": (timeline_body, "timeline"), "grid": (grid_body, "grid")}


def field_body(screen: Screen, instrument: Instrument) -> tuple[str, str]:
    """(body, header badge) of a timeline or grid step; "no answers" when its summary is missing."""
    draw, part = BODIES[instrument.kind]
    if instrument.id not in getattr(screen.summary, part):
        return _no_answers(screen.t), ""
    return draw(screen, instrument)
