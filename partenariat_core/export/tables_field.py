"""The field's instruments as labelled tables: the timeline's events and counts, the grid.

Shared by the dashboard and every export (CSV, XLSX, HTML/PDF), next to ``tables.py``; the words are
the catalog's and the instrument file's, in the export's language, and what people wrote is kept as
written (the writers escape it or neutralise formulas).
"""

from __future__ import annotations

import pandas as pd

from partenariat_core.export.base import SessionData
from partenariat_core.i18n import label, t
from partenariat_core.instruments import Instrument
from partenariat_core.scoring.grid import GridResult
from partenariat_core.scoring.timeline import TimelineResult


def timeline_table(result: TimelineResult, instrument: Instrument, lang: str) -> pd.DataFrame:
    """Every event in timeline order: period, the start read from it, domain, result, text, author."""
    results = {r.id: label(r.label, lang) for r in instrument.results()}
    domains = {d.id: label(d.label, lang) for d in instrument.domains}
    return pd.DataFrame(
        [
            (
                entry.period,
                entry.start.isoformat() if entry.start else "",
                domains.get(entry.domain, ""),
                results.get(entry.result, entry.result),
                entry.text,
                entry.participant,
            )
            for entry in result.entries
        ],
        columns=[
            t(f"timeline.col_{name}", lang)
            for name in ("period", "start", "domain", "result", "text", "author")
        ],
    )


def timeline_counts_table(result: TimelineResult, instrument: Instrument, lang: str) -> pd.DataFrame:
    """Events per transitional result, under their domain, with each domain's total on its first row."""
    rows = []
    for domain in instrument.domains:
        for r in domain.results:
            rows.append((label(domain.label, lang), label(r.label, lang), result.per_result.get(r.id, 0)))
    return pd.DataFrame(
        rows, columns=[t(f"timeline.col_{name}", lang) for name in ("domain", "result", "count")]
    )


def grid_table(result: GridResult, instrument: Instrument, lang: str) -> pd.DataFrame:
    """The grid as it stands: one row per actor, one column per file column, the latest texts."""
    names = [label(c.label, lang) for c in instrument.columns]
    return pd.DataFrame(
        [
            [row.name, *(row.cells[c.id].text if c.id in row.cells else "" for c in instrument.columns)]
            for row in result.rows
        ],
        columns=[label(instrument.row_label, lang), *names],
    )


def grid_cells_table(result: GridResult, instrument: Instrument, lang: str) -> pd.DataFrame:
    """Each filled cell with its author and how many texts were written in it (the archive has them all)."""
    names = {c.id: label(c.label, lang) for c in instrument.columns}
    return pd.DataFrame(
        [
            (row.name, names.get(column, column), cell.text, cell.participant, cell.versions)
            for row in result.rows
            for column, cell in sorted(
                row.cells.items(), key=lambda kv: list(names).index(kv[0]) if kv[0] in names else 99
            )
        ],
        columns=[
            label(instrument.row_label, lang),
            *(t(f"grid.col_{name}", lang) for name in ("column", "text", "author", "versions")),
        ],
    )


def field_section(data: SessionData, instrument: Instrument, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """(title, table) pairs of one timeline or grid, as every export shows them; empty for other kinds."""
    if instrument.kind == "timeline" and instrument.id in data.summary.timeline:
        result = data.summary.timeline[instrument.id]
        return [
            (t("timeline.sheet_counts", lang), timeline_counts_table(result, instrument, lang)),
            (t("timeline.sheet_events", lang), timeline_table(result, instrument, lang)),
        ]
    if instrument.kind == "grid" and instrument.id in data.summary.grid:
        grid = data.summary.grid[instrument.id]
        return [
            (label(instrument.title, lang), grid_table(grid, instrument, lang)),
            (t("grid.sheet_cells", lang), grid_cells_table(grid, instrument, lang)),
        ]
    return []


def field_sections(data: SessionData, lang: str) -> list[tuple[Instrument, list[tuple[str, pd.DataFrame]]]]:
    """Every timeline and grid of the session, in session order, with its tables."""
    return [
        (i, field_section(data, i, lang)) for i in data.used_instruments if i.kind in ("timeline", "grid")
    ]


def field_tables(data: SessionData, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """The same tables flat, each named "activity — table" (a CSV file each)."""
    return [
        (f"{instrument.short_name(lang)} {title}", frame)
        for instrument, tables in field_sections(data, lang)
        for title, frame in tables
    ]
