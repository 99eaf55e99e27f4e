"""Sector breakdowns ready to show: labelled tables with every small group already left out.

The scoring functions (``scoring/sectors.py``) drop sectors with fewer people than the anonymity
threshold. That alone is not enough wherever the whole room's results are shown next to the
breakdown (the dashboard, the report, the workbook all do): with 5 people, "community (3)" shown and
"municipal (2)" hidden, the municipal mean is (5 × overall − 3 × community) / 2. So this module also
applies complementary suppression: while some people are hidden but fewer than the threshold, the
next smallest shown sector is hidden too. Then only the combined result of at least ``threshold``
people can be worked out by subtraction. The dashboard, the HTML report and the workbook all draw
from here, so they never disagree about what is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from partenariat_core.i18n import label, t, t_count
from partenariat_core.instruments import Instrument
from partenariat_core.model import PROFILE, Event
from partenariat_core.scoring import SectorBreakdown, SessionSummary, continuum_by_sector, events_frame


@dataclass(frozen=True)
class SectorTable:
    """``table``: one row per shown sector (index "Communautaire (n = 8)"), one column per condition
    or continuum level; ``hidden_people`` sat in groups below the threshold and are in no row."""

    instrument: str
    title: str
    table: pd.DataFrame
    hidden_people: int
    note: str


def _sector_names(instruments: Mapping[str, Instrument], lang: str) -> dict[str, str]:
    profile = instruments.get(PROFILE)
    names = {s.id: label(s.label, lang) for s in profile.sectors} if profile else {}
    names["unknown"] = t("sectors.unknown", lang)
    return names


def protect(sizes: Mapping[str, int], hidden: int, threshold: int) -> tuple[dict[str, int], int]:
    """Complementary suppression: hide the smallest shown sectors (ties by id) until nobody is
    hidden, or at least ``threshold`` people are, or nothing is shown. Returns (shown sizes, hidden)."""
    shown = dict(sizes)
    while 0 < hidden < threshold and shown:
        smallest = min(shown, key=lambda sector: (shown[sector], sector))
        hidden += shown.pop(smallest)
    return shown, hidden


def _labelled(
    breakdown: SectorBreakdown,
    threshold: int,
    columns: dict[str, str],
    names: dict[str, str],
    digits: int | None,
    lang: str,
) -> tuple[pd.DataFrame, int, str]:
    """The shown rows, labelled; how many people are hidden; the note that says why."""
    sizes, hidden = protect(breakdown.sizes, breakdown.hidden_people, threshold)
    table = breakdown.table.reindex(index=list(sizes)).rename(columns=columns)
    if digits is not None:
        table = table.round(digits)
    table.index = [f"{names.get(s, s)} (n = {sizes[s]})" for s in table.index]
    table.columns.name = None
    key = "sectors.hidden_note" if hidden == breakdown.hidden_people else "sectors.hidden_note_extra"
    return table, hidden, t_count(key, hidden, lang, threshold=threshold)


def sector_tables(
    summary: SessionSummary,
    events: Sequence[Event],
    instruments: Mapping[str, Instrument],
    threshold: int,
    lang: str,
) -> list[SectorTable]:
    """Every breakdown of the session (mean derived score per condition, continuum levels per
    question), or none when the session asked no sector question."""
    if not summary.session.sectors:
        return []
    names = _sector_names(instruments, lang)
    out: list[SectorTable] = []
    for ident, breakdown in summary.conditions_by_sector.items():
        instrument = instruments[ident]
        columns = {c.id: f"{c.id} · {c.short_label(lang)}" for c in instrument.conditions}
        table, hidden, why = _labelled(breakdown, threshold, columns, names, 2, lang)
        title = t("sectors.conditions_title", lang, instrument=label(instrument.title, lang))
        out.append(SectorTable(ident, title, table, hidden, why))
    frame = None
    for ident in summary.continuum:
        instrument = instruments[ident]
        frame = events_frame(events) if frame is None else frame
        columns = {lv.id: label(lv.label, lang) for lv in instrument.levels}
        for question in instrument.questions:
            breakdown = continuum_by_sector(frame, instrument, question.id, threshold)
            table, hidden, why = _labelled(breakdown, threshold, columns, names, None, lang)
            title = t("sectors.continuum_title", lang, question=label(question.label, lang))
            out.append(SectorTable(ident, title, table, hidden, why))
    return out
