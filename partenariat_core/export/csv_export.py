"""CSV files of the raw responses (long format: current answers, full history) and of the session,
zipped together for download.

Written as UTF-8 with a byte-order mark, because Excel reads a CSV without one in the machine's legacy
code page and turns "é" into "Ã©"; lines end in CRLF as RFC 4180 says. Every text cell that a
spreadsheet would evaluate is neutralised with a leading ``'`` (``safety.neutralize_cell``).
Excel set to French expects ``;`` between fields: the delimiter is a parameter for that reason.
"""

from __future__ import annotations

import csv
import io
import math

import pandas as pd

from partenariat_core.export.base import ExportFile, SessionData, base_name, file_for, zip_files
from partenariat_core.export.safety import neutralize_cell, safe_filename
from partenariat_core.export.tables import (
    curated_cards_table,
    instruments_of,
    is_curated,
    responses_table,
    sessions_table,
)
from partenariat_core.export.tables_field import field_tables
from partenariat_core.i18n import t

DELIMITERS = (",", ";")


def _plain(value: object) -> object:
    value = value.item() if hasattr(value, "item") else value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):  # what spreadsheets, pandas and R all read back as a boolean
        return "TRUE" if value else "FALSE"
    return value


def csv_bytes(frame: pd.DataFrame, delimiter: str = ",") -> bytes:
    """One table as Excel-friendly CSV bytes, formulas neutralised."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralize_cell(str(c)) for c in frame.columns])
    # column lists, not itertuples: iterating pandas' Arrow-backed strings cell by cell is what cost
    # most of the time (bench/bench_export.py)
    for row in zip(*(frame.iloc[:, i].tolist() for i in range(frame.shape[1])), strict=True):
        writer.writerow([neutralize_cell(_plain(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_files(data: SessionData, lang: str, delimiter: str = ",") -> list[ExportFile]:
    """``responses`` (the answers that count today, one row each), ``response history`` (every
    stored event, superseded ones marked in the ``current`` column) and ``session`` (its definition
    and counts). The current answers come first: a pivot table over them counts nobody twice."""
    tables = (
        ("export.file_responses", responses_table(data, lang)),
        ("export.file_history", responses_table(data, lang, history=True)),
        ("export.file_session", sessions_table([data], lang)),
    )
    files = [
        file_for(data.session, "csv", "text/csv", csv_bytes(frame, delimiter), t(key, lang))
        for key, frame in tables
    ]
    # a curated board adds its cards (state, group, votes): the XLSX "Cards and votes" sheet's table
    for instrument in instruments_of(data, "keep_throw"):
        if is_curated(data, instrument):
            frame = curated_cards_table(data, instrument, lang)
            name = f"{t('curation.sheet_cards', lang)} {instrument.short_name(lang)}"
            files.append(file_for(data.session, "csv", "text/csv", csv_bytes(frame, delimiter), name))
    files.extend(field_csv_files(data, lang, delimiter))
    return files


def field_csv_files(data: SessionData, lang: str, delimiter: str = ",") -> list[ExportFile]:
    """Each timeline's events and counts per result, each grid as its table and its cells."""
    files = []
    for name, frame in field_tables(data, lang):
        files.append(file_for(data.session, "csv", "text/csv", csv_bytes(frame, delimiter), name))
    return files


def export_csv(data: SessionData, lang: str, delimiter: str = ",") -> ExportFile:
    """The CSV tables in one zip."""
    name = safe_filename(base_name(data.session, "CSV"), "zip")
    return zip_files(name, csv_files(data, lang, delimiter))
