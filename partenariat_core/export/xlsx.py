"""The Excel workbook: a summary sheet, the keep/throw board as columns, the sector breakdowns, one
sheet of current raw responses per instrument and one of the whole response history.

Written with xlsxwriter, every text cell through ``write_string``, and the workbook's automatic
conversions (strings to formulas, URLs, numbers) switched off: a card reading ``=HYPERLINK(...)`` is
stored as that text, shown as typed, and never evaluated. (openpyxl, by contrast, turns any string
starting with ``=`` into a formula.) Headers are bold on a tinted fill, the first row is frozen, and
column widths follow the content.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from partenariat_core.breakdowns import sector_tables
from partenariat_core.export.base import ExportFile, SessionData, file_for
from partenariat_core.export.safety import safe_sheet_name
from partenariat_core.export.summary_text import written_summary
from partenariat_core.export.tables import (
    board_table,
    conditions_table,
    continuum_table,
    curated_cards_table,
    instruments_of,
    is_curated,
    moves_table,
    ranking_table,
    responses_table,
    top_words_table,
)
from partenariat_core.export.tables_field import field_sections
from partenariat_core.i18n import label, t
from partenariat_core.instruments import Instrument

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
MAX_WIDTH = 60


class Sheet:
    """One worksheet being filled top to bottom, remembering the widest text of each column."""

    def __init__(self, book: Book, name: str) -> None:
        self.book = book
        self.ws: Worksheet = book.wb.add_worksheet(safe_sheet_name(name, book.names))
        self.row = 0
        self.widths: dict[int, int] = {}

    def _measure(self, col: int, text: str) -> None:
        self.widths[col] = min(MAX_WIDTH, max(self.widths.get(col, 8), len(text) + 2))

    def value(self, row: int, col: int, value: object, fmt: object = None) -> None:
        if hasattr(value, "item"):
            value = value.item()
        if value is None or (isinstance(value, float) and math.isnan(value)):
            self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):  # a real boolean: Excel shows TRUE/FALSE or VRAI/FAUX itself
            self.ws.write_boolean(row, col, value, fmt)
            self._measure(col, "FALSE")
        elif isinstance(value, int | float):
            self.ws.write_number(row, col, value, fmt)
            self._measure(col, f"{value:.2f}" if isinstance(value, float) else str(value))
        else:
            self.ws.write_string(row, col, str(value), fmt)
            self._measure(col, str(value))

    def line(self, *values: object, fmt: object = None) -> None:
        for col, value in enumerate(values):
            self.value(self.row, col, value, fmt)
        self.row += 1

    def table(self, frame: pd.DataFrame, *, index: bool = False, autofilter: bool = False) -> None:
        columns = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
        top = self.row
        self.line(*columns, fmt=self.book.header)
        cells = (frame.iloc[:, i].tolist() for i in range(frame.shape[1]))  # faster than itertuples
        for key, *row in zip(frame.index.tolist(), *cells, strict=True):
            self.line(*([key] if index else []), *row)
        if autofilter and len(frame.columns):
            self.ws.autofilter(top, 0, max(top, self.row - 1), len(columns) - 1)

    def title(self, text: str) -> None:
        self.line(text, fmt=self.book.bold)

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(1, 0)


class Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, WORKBOOK_OPTIONS)
        self.names: set[str] = set()
        self.header = self.wb.add_format(
            {"bold": True, "bg_color": "#DCE6F5", "border": 1, "text_wrap": False, "valign": "top"}
        )
        self.bold = self.wb.add_format({"bold": True, "font_size": 12})
        self.sheets: list[Sheet] = []

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(self, name)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> bytes:
        for sheet in self.sheets:
            sheet.finish()
        self.wb.close()
        return self.buffer.getvalue()


def summary_sheet(book: Book, data: SessionData, lang: str) -> None:
    s = book.sheet(t("export.sheet_summary", lang))
    s.line(t("export.col_field", lang), t("export.col_value", lang), fmt=book.header)
    for key, value in (
        ("report.title", data.session.title),
        ("report.code", data.session.code),
        ("report.date", data.session.date.isoformat()),
        ("report.participants_label", data.summary.participants),
        ("report.events_label", data.summary.events),
        ("report.exported", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
    ):
        s.line(t(key, lang), value)
    s.row += 1
    s.title(t("report.summary_title", lang))
    for sentence in written_summary(data.summary, data.instruments, lang):
        s.line(sentence)
    for instrument in instruments_of(data, "conditions"):
        s.row += 1
        s.title(label(instrument.title, lang))
        s.table(conditions_table(data, instrument, lang))
        if instrument.score_note:
            s.line(label(instrument.score_note, lang))
    for instrument in instruments_of(data, "continuum"):
        s.row += 1
        s.title(label(instrument.title, lang))
        s.table(continuum_table(data, instrument, lang))
        s.row += 1
        s.title(t("report.moves_title", lang))
        s.table(moves_table(data, instrument, lang))


def sectors_sheet(book: Book, data: SessionData, lang: str) -> None:
    tables = sector_tables(data.summary, data.events, data.instruments, data.threshold, lang)
    if not tables:
        return
    s = book.sheet(t("sectors.title", lang))
    s.line(t("sectors.rule", lang, threshold=data.threshold), fmt=book.header)
    for table in tables:
        s.row += 1
        s.title(table.title)
        frame = table.table.copy()
        frame.index.name = t("sectors.sector", lang)
        s.table(frame, index=True)
        if table.hidden_people:
            s.line(table.note)


def board_sheet_name(data: SessionData, instrument: Instrument, lang: str) -> str:
    """The board's tab is named after its columns ("Garder - Jeter", "Commencer - Arrêter -
    Continuer"): what the host chose, in words, and ``/`` is not allowed in a tab name."""
    return label(instrument.preset(data.session.keep_throw_preset).label, lang).replace(" / ", " - ")


def curation_sheets(book: Book, data: SessionData, instrument: Instrument, lang: str) -> None:
    """When the board was curated: every card with its state, group and votes (hidden and withdrawn
    cards included, so the host's decisions are on record), and the ranked list when votes exist."""
    if not is_curated(data, instrument):
        return
    several = len(instruments_of(data, "keep_throw")) > 1
    suffix = f" {instrument.short_name(lang)}" if several else ""
    book.sheet(t("curation.sheet_cards", lang) + suffix).table(
        curated_cards_table(data, instrument, lang), autofilter=True
    )
    ranking = ranking_table(data, instrument, lang)
    if len(ranking):
        book.sheet(t("curation.ranking_title", lang) + suffix).table(ranking)


def top_words_sheet(book: Book, data: SessionData, instrument: Instrument, lang: str) -> None:
    """Each column's most used words (long format: column, rank, word, cards), when there are any."""
    table = top_words_table(data, instrument, lang)
    if not len(table):
        return
    several = len(instruments_of(data, "keep_throw")) > 1
    suffix = f" {instrument.short_name(lang)}" if several else ""
    book.sheet(t("words.sheet", lang) + suffix).table(table, autofilter=True)


def field_sheets(book: Book, data: SessionData, lang: str) -> None:
    """One sheet per timeline (counts per result, then the events) and per grid (the grid, then its
    cells with their authors), named after the activity."""
    for instrument, tables in field_sections(data, lang):
        s = book.sheet(instrument.short_name(lang))
        for title, frame in tables:
            s.title(title)
            s.table(frame)
            s.row += 1


def add_session_sheets(book: Book, data: SessionData, lang: str) -> None:
    summary_sheet(book, data, lang)
    for instrument in instruments_of(data, "keep_throw"):
        book.sheet(board_sheet_name(data, instrument, lang)).table(board_table(data, instrument, lang))
        curation_sheets(book, data, instrument, lang)
        top_words_sheet(book, data, instrument, lang)
    field_sheets(book, data, lang)
    sectors_sheet(book, data, lang)
    for instrument in data.used_instruments:  # the answers that count today, one sheet per activity
        raw = book.sheet(f"{t('export.sheet_responses', lang)} {instrument.short_name(lang)}")
        raw.table(responses_table(data, lang, instrument.id), autofilter=True)
    # every stored event of every activity, superseded ones marked in the "current" column
    book.sheet(t("export.sheet_history", lang)).table(
        responses_table(data, lang, history=True), autofilter=True
    )


def export_xlsx(data: SessionData, lang: str) -> ExportFile:
    book = Book()
    add_session_sheets(book, data, lang)
    return file_for(data.session, "xlsx", XLSX_MIME, book.close())


def frames_workbook(frames: Sequence[tuple[str, pd.DataFrame]]) -> bytes:
    """Plain tables, one sheet each, with the same safety and formatting (the comparison uses it)."""
    book = Book()
    for name, frame in frames:
        book.sheet(name).table(frame, index=frame.index.name is not None)
    return book.close()
