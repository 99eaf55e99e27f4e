"""Organiser exports: CSV, XLSX, HTML, PNG, PDF and a JSON archive that imports back into any store.

Every exporter is ``(SessionData, lang) -> ExportFile``; ``export_session`` picks one by format name,
for the export page and the command line alike::

    data = load_session_data(store, instruments, "GARDEZ")
    file = export_session(data, "xlsx", "fr")      # file.name, file.mime, file.data

Comparison exports live in ``compare_report`` (they depend on ``partenariat_core.compare``, which
itself reads sessions through this package).
"""

from __future__ import annotations

from collections.abc import Callable

from partenariat_core.export.archive import (
    Archive,
    ImportResult,
    archive_dict,
    export_json,
    import_archive,
    instrument_data,
    read_archive,
)
from partenariat_core.export.base import (
    ArchiveError,
    ExportFile,
    ExportUnavailable,
    SessionData,
    load_session_data,
    session_data,
    zip_files,
)
from partenariat_core.export.csv_export import csv_bytes, csv_files, export_csv
from partenariat_core.export.html_report import export_html, report_html
from partenariat_core.export.images import chrome_available, export_png, find_chrome, png_files
from partenariat_core.export.pdf import export_pdf
from partenariat_core.export.safety import neutralize_cell, safe_filename, safe_sheet_name
from partenariat_core.export.summary_text import written_summary
from partenariat_core.export.xlsx import export_xlsx

Exporter = Callable[[SessionData, str], ExportFile]

EXPORTERS: dict[str, Exporter] = {
    "xlsx": export_xlsx,
    "html": export_html,
    "pdf": export_pdf,
    "png": export_png,
    "csv": export_csv,
    "json": export_json,
}
NEEDS_CHROME: frozenset[str] = frozenset({"png", "pdf"})


def export_session(data: SessionData, fmt: str, lang: str, *, delimiter: str = ",") -> ExportFile:
    """The session in one format; ``ExportUnavailable`` when PNG/PDF find no Chrome.

    ``delimiter`` is for CSV only (``;`` suits Excel set to French).
    """
    if fmt == "csv":
        return export_csv(data, lang, delimiter)
    try:
        exporter = EXPORTERS[fmt]
    except KeyError:
        raise ExportUnavailable("export.err_format", format=fmt, expected=", ".join(EXPORTERS)) from None
    return exporter(data, lang)


__all__ = [
    "EXPORTERS",
    "NEEDS_CHROME",
    "Archive",
    "ArchiveError",
    "ExportFile",
    "ExportUnavailable",
    "ImportResult",
    "SessionData",
    "archive_dict",
    "chrome_available",
    "csv_bytes",
    "csv_files",
    "export_csv",
    "export_html",
    "export_json",
    "export_pdf",
    "export_png",
    "export_session",
    "export_xlsx",
    "find_chrome",
    "import_archive",
    "instrument_data",
    "load_session_data",
    "neutralize_cell",
    "png_files",
    "read_archive",
    "report_html",
    "safe_filename",
    "safe_sheet_name",
    "session_data",
    "written_summary",
    "zip_files",
]
