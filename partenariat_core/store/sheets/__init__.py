"""Google Sheets backend: a shared spreadsheet as the store, with a durable local outbox.

Modules, each small: ``layout`` (worksheets, headers, cell safety), ``client`` (opening gspread from
the settings, clear errors), ``outbox`` (durable SQLite outbox and local copy), ``pacing`` (quota
budget, back-off), ``mirror`` (the shared incremental read), ``writer`` (the background worker) and
``store`` (``SheetsStore``, the Store protocol). See ``docs/google-sheets.md`` for the setup.
"""

from partenariat_core.store.sheets.store import SheetsStore
from partenariat_core.store.sheets.writer import SheetsOptions, SyncStatus

__all__ = ["SheetsOptions", "SheetsStore", "SyncStatus"]
