"""Comparison exports: the same self-contained HTML and safe XLSX as a single session's."""

from __future__ import annotations

import datetime as dt

from partenariat_core.charts_compare import comparison_figures
from partenariat_core.compare import Comparison, comparison_tables, session_label
from partenariat_core.export.base import ExportFile
from partenariat_core.export.figures import NamedFigure
from partenariat_core.export.html_report import board_html, esc, interactive_chart, page, table_html
from partenariat_core.export.safety import safe_filename
from partenariat_core.export.tables import board_table, instruments_of
from partenariat_core.export.xlsx import XLSX_MIME, frames_workbook
from partenariat_core.i18n import label, t


def _name(comparison: Comparison, extension: str, lang: str) -> str:
    stem = " ".join([dt.date.today().isoformat(), t("compare.file", lang), *comparison.codes])
    return safe_filename(stem, extension)


def compare_html(comparison: Comparison, lang: str) -> ExportFile:
    """Sessions, overlaid charts, tables, then each session's keep/throw cards."""
    title = t("compare.title", lang)
    parts = [f"<h1>{esc(title)}</h1>"]
    figures = comparison_figures(comparison, lang)
    tables = comparison_tables(comparison, lang)
    parts.append(table_html(tables[0].frame, lang))
    for ident, figure in figures:
        parts.append(interactive_chart(NamedFigure(ident, "", figure)))
    for table in tables[1:]:
        parts.append(f"<h2>{esc(table.title)}</h2>{table_html(table.frame, lang, index=True)}")
    for data in comparison.sessions:
        for instrument in instruments_of(data, "keep_throw"):
            parts.append(
                f"<h2>{esc(label(instrument.title, lang))} — {esc(session_label(data))}</h2>"
                f"<p class='note'>{esc(data.session.title)}</p>{board_html(data, instrument, lang)}"
            )
    body = page(title, "".join(parts), lang, with_plotly=True)
    return ExportFile(_name(comparison, "html", lang), "text/html", body.encode("utf-8"))


def compare_xlsx(comparison: Comparison, lang: str) -> ExportFile:
    """One sheet per comparison table, then one per session's keep/throw board."""
    frames = [(table.sheet, table.frame) for table in comparison_tables(comparison, lang)]
    for data in comparison.sessions:
        for instrument in instruments_of(data, "keep_throw"):
            frames.append(
                (f"{t('export.sheet_board', lang)} {data.session.code}", board_table(data, instrument, lang))
            )
    return ExportFile(_name(comparison, "xlsx", lang), XLSX_MIME, frames_workbook(frames))


COMPARE_EXPORTERS = {"html": compare_html, "xlsx": compare_xlsx}
