"""``SheetsStore``: the Store protocol over a Google spreadsheet that organisers can open.

Every protocol call is answered from the local outbox (``outbox.py``), so a page never waits for
Google and a phone's answer is safe the moment ``append_events`` returns; the background worker
(``writer.py``) copies it to the sheet and reads other processes' rows back. Usage::

    store = SheetsStore("https://docs.google.com/spreadsheets/d/KEY/edit",
                        outbox_path="data/sheets_outbox.db", credentials_file="sa.json")
    store.append_events(events)     # acknowledged: in the outbox, on local disk
    store.sync_status()             # pending writes, last sync, last error (for the host)
    store.flush(timeout=10)         # wait until the sheet has everything (tests, shutdown)
    store.close()

Against the fake server (no Google account)::

    SheetsStore("demo", outbox_path=..., api_url="http://127.0.0.1:8765")

One process per outbox file: two app processes must each have their own (they may share the sheet).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from partenariat_core.config import Settings
from partenariat_core.errors import ConfigError
from partenariat_core.model import Event, Session
from partenariat_core.sheets_transport import SHEETS_API_ORIGIN
from partenariat_core.store.sheets.client import (
    SheetsApi,
    Target,
    build_client,
    classify,
    resolve_credentials,
    secrets_credentials,
    spreadsheet_key,
)
from partenariat_core.store.sheets.outbox import Outbox
from partenariat_core.store.sheets.pacing import shared_budget
from partenariat_core.store.sheets.writer import SheetsOptions, SyncStatus, SyncWorker


class SheetsStore:
    def __init__(
        self,
        spreadsheet: str,
        *,
        outbox_path: Path | str,
        api_url: str = SHEETS_API_ORIGIN,
        credentials_file: Path | str | None = None,
        credentials_info: Mapping[str, Any] | None = None,
        options: SheetsOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
        start: bool = True,
    ) -> None:
        """Open the spreadsheet once, synchronously, so that setup mistakes (wrong key, not shared,
        bad credentials) stop the app at start with a clear message; passing trouble (no network,
        quota) does not: answers are then kept locally and sent when Google is reachable."""
        self.options = options or SheetsOptions()
        key = spreadsheet_key(spreadsheet)
        info, source = resolve_credentials(credentials_file, credentials_info)
        client = build_client(api_url, info, source, self.options.timeout)
        self.target = Target(key, info.get("client_email") if info else None)
        self.outbox = Outbox(outbox_path, timeout=self.options.local_timeout)
        self.budget = shared_budget(self.target.email, api_url, self.options.budget_per_minute, clock)
        self.api = SheetsApi(client, self.target, on_call=self.budget.record)
        self.worker = SyncWorker(self.api, self.outbox, self.options, self.budget, clock)
        failure = self.worker.connect_now()
        if (
            failure is not None
            and failure.kind == "setup"
            and failure.error.key
            not in (
                "sheets.missing_worksheets",
                "sheets.bad_header",
            )
        ):
            raise failure.error
        if start:
            self.worker.start()

    @classmethod
    def from_settings(cls, settings: Settings) -> SheetsStore:
        """Build from ``PARTENARIAT_SHEETS_*`` settings, or a service account in ``secrets.toml``."""
        from_secrets, info = secrets_credentials(settings.secrets)
        spreadsheet = settings.sheets_spreadsheet or from_secrets
        if not spreadsheet:
            raise ConfigError("sheets.no_spreadsheet")
        options = SheetsOptions(
            read_seconds=float(settings.sheets_read_seconds),
            quota_per_minute=int(settings.sheets_quota_per_minute),
            timeout=float(settings.sheets_timeout_seconds),
        )
        return cls(
            spreadsheet,
            outbox_path=settings.sheets_outbox_path or settings.data_dir / "sheets_outbox.db",
            api_url=settings.sheets_api_url,
            credentials_file=settings.sheets_credentials_file,
            credentials_info=info if settings.sheets_credentials_file is None else None,
            options=options,
        )

    # sessions -------------------------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        self.outbox.add_session(session)
        self.worker.wake()

    def get_session(self, code: str) -> Session | None:
        self.worker.note_demand()
        return self.outbox.get_session(code)

    def list_sessions(self) -> list[Session]:
        self.worker.note_demand()
        return sorted(self.outbox.sessions(), key=lambda s: s.created_at, reverse=True)

    def save_session(self, session: Session) -> Session:
        saved = self.outbox.change_session(session)
        self.worker.wake()
        return saved

    def delete_session(self, code: str) -> bool:
        """A tombstone row (``is_open`` = ``deleted``, the next version) is appended to ``sessions``;
        the answers' rows stay in the sheet, the app no longer shows the session nor its events."""
        deleted = self.outbox.delete_session(code)
        if deleted:
            self.worker.wake()
        return deleted

    # events -----------------------------------------------------------------------------------------
    def append_events(self, events: Sequence[Event]) -> int:
        added = self.outbox.accept(events)
        if added:
            self.worker.wake()
        return added

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        self.worker.note_demand()
        if self.outbox.is_deleted(session):
            return []
        return self.outbox.read(session, since)

    def data_version(self, session: str) -> tuple[int, int, str]:
        """See ``SQLiteStore.data_version``; from the outbox, so it costs no request. Asking counts as
        someone watching, so the worker keeps reading the sheet for other processes' answers."""
        self.worker.note_demand()
        return self.outbox.data_version(session)

    def rewrite_generation(self, session: str) -> int:
        """Changes when a full read of the sheet edited or removed past events (a person edited or
        deleted rows): ``LiveSessions`` then reads the session again from its first event."""
        return self.outbox.rewrite_generation(session)

    # Sheets-specific --------------------------------------------------------------------------------
    def sync_status(self) -> SyncStatus:
        """Pending writes, last successful sync, current problem (a catalog key): for the host page."""
        return self.worker.status()

    def create_missing_worksheets(self) -> list[str]:
        """Add the ``sessions``/``responses`` worksheets the spreadsheet lacks; the host asks for it
        (we never add tabs to a spreadsheet that already holds other data without being asked)."""
        try:
            return self.worker.create_missing_worksheets()
        except Exception as exc:
            raise classify(exc, self.target, self.options.timeout).error from exc

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the sheet holds everything accepted so far; ``False`` if ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.worker.status()
            if status.pending == 0 and not self.worker._unrecorded and status.connected:
                return True
            self.worker.wake()
            time.sleep(0.02)
        return False

    def refresh(self, timeout: float = 10.0) -> bool:
        """Read the sheet now instead of at the next interval (a host's "sync now", tests);
        ``False`` if no read succeeded within ``timeout``."""
        asked = self.worker.request_read()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.worker.read_done_from >= asked:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        """Stop the background worker; whatever is still pending stays in the outbox for next time."""
        self.worker.stop()
