"""Sector breakdowns ready to show: labelled tables with every small group already left out.

The scoring functions (``scoring/sectors.py``) drop sectors with fewer people than the anonymity
threshold; this module only names what is left, for the dashboard, the HTML report and the workbook,
so the three can never disagree about what is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from partenariat_core.i18n import label, t
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


def _labelled(
    breakdown: SectorBreakdown, columns: dict[str, str], names: dict[str, str], digits: int | None
) -> pd.DataFrame:
    table = breakdown.table.reindex(index=list(breakdown.sizes)).rename(columns=columns)
    if digits is not None:
        table = table.round(digits)
    table.index = [f"{names.get(s, s)} (n = {breakdown.sizes[s]})" for s in table.index]
    table.columns.name = None
    return table


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
    note = "sectors.hidden_note"
    out: list[SectorTable] = []
    for ident, breakdown in summary.conditions_by_sector.items():
        instrument = instruments[ident]
        columns = {c.id: f"{c.id} · {c.short_label(lang)}" for c in instrument.conditions}
        out.append(
            SectorTable(
                ident,
                t("sectors.conditions_title", lang, instrument=label(instrument.title, lang)),
                _labelled(breakdown, columns, names, 2),
                breakdown.hidden_people,
                t(note, lang, hidden=breakdown.hidden_people, threshold=threshold),
            )
        )
    frame = None
    for ident in summary.continuum:
        instrument = instruments[ident]
        frame = events_frame(events) if frame is None else frame
        columns = {lv.id: label(lv.label, lang) for lv in instrument.levels}
        for question in instrument.questions:
            breakdown = continuum_by_sector(frame, instrument, question.id, threshold)
            out.append(
                SectorTable(
                    ident,
                    t("sectors.continuum_title", lang, question=label(question.label, lang)),
                    _labelled(breakdown, columns, names, None),
                    breakdown.hidden_people,
                    t(note, lang, hidden=breakdown.hidden_people, threshold=threshold),
                )
            )
    return out
