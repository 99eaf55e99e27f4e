"""A Google Form's response sheet as a read-only source of answers for a session.

Forms writes one row per response: a timestamp, then one column per question. ``FormsSource``
reads that worksheet (one metadata call, one values call: a host-triggered import, not a poll);
``to_events`` turns rows into the same events phones produce, through a :class:`FormsMapping`.

Ids are stable: a row's submission id is derived from its timestamp text and row number, so
importing the same sheet again adds nothing (the store's idempotent append does the rest), and a
row added later by Forms gets its own id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from partenariat_core.config import Settings
from partenariat_core.errors import ConfigError, PartenariatError
from partenariat_core.forms_source.answers import parse_answer
from partenariat_core.forms_source.mapping import FormsMapping
from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.sheets_transport import SHEETS_API_ORIGIN
from partenariat_core.store.base import Store
from partenariat_core.store.sheets.client import (
    SheetsApi,
    Target,
    build_client,
    classify,
    resolve_credentials,
    secrets_credentials,
    spreadsheet_key,
)
from partenariat_core.store.sheets.layout import quote_title

_FORMATS_DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
_FORMATS_MONTH_FIRST = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")
_FORMATS_ISO = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class FormsSheet:
    """A response worksheet as read: header row, answer rows, and how its times are written."""

    worksheet: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    time_zone: str = "UTC"
    locale: str = "fr_CA"


@dataclass(frozen=True)
class FormsImport:
    """What an import found: events to store, and what could not be read (shown to the host)."""

    events: tuple[Event, ...]
    rows: int
    unmapped: tuple[str, ...]
    unreadable: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (header, answer)
    added: int = 0


class FormsSource:
    """Reads a Forms response worksheet with the same client settings as the Sheets store."""

    def __init__(
        self,
        spreadsheet: str,
        worksheet: str = "",
        *,
        api_url: str = SHEETS_API_ORIGIN,
        credentials_file: Path | str | None = None,
        credentials_info: Mapping[str, Any] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.key = spreadsheet_key(spreadsheet)
        self.worksheet = worksheet.strip()
        info, source = resolve_credentials(credentials_file, credentials_info)
        self.target = Target(self.key, info.get("client_email") if info else None)
        self.api = SheetsApi(build_client(api_url, info, source, timeout), self.target)

    @classmethod
    def from_settings(cls, settings: Settings, spreadsheet: str, worksheet: str = "") -> FormsSource:
        _, info = secrets_credentials(settings.secrets)
        return cls(
            spreadsheet,
            worksheet,
            api_url=settings.sheets_api_url,
            credentials_file=settings.sheets_credentials_file,
            credentials_info=info if settings.sheets_credentials_file is None else None,
            timeout=float(settings.sheets_timeout_seconds),
        )

    def read(self) -> FormsSheet:
        """The whole worksheet; errors come back as clear ``PartenariatError``s."""
        try:
            meta = self.api.metadata()
            titles = [s["properties"]["title"] for s in meta.get("sheets", [])]
            title = self.worksheet or (titles[0] if titles else "")
            if title not in titles:
                raise ConfigError("forms.no_worksheet", worksheet=title, found=", ".join(titles))
            values = self.api.get(quote_title(title))
        except PartenariatError:
            raise
        except Exception as exc:
            raise classify(exc, self.target).error from exc
        if not values:
            raise ConfigError("forms.empty", worksheet=title)
        props = meta.get("properties", {})
        headers = tuple(str(h).strip() for h in values[0])
        width = len(headers)
        rows = tuple(tuple(str(c) for c in row) + ("",) * (width - len(row)) for row in values[1:])
        return FormsSheet(
            title, headers, rows, props.get("timeZone") or "UTC", props.get("locale") or "fr_CA"
        )


def submission_id(timestamp: str, row_number: int) -> str:
    """Stable id of one Forms row: same sheet, same row, same id, import after import."""
    digest = hashlib.sha256(f"{timestamp.strip()}|{row_number}".encode()).hexdigest()[:16]
    return f"form-{digest}"


def parse_timestamp(text: str, time_zone: str = "UTC", locale: str = "fr_CA") -> dt.datetime | None:
    """A Forms timestamp, written the spreadsheet's way (``25/11/2026 14:03:12``, ``11/25/2026 …``)."""
    text = text.strip()
    if not text:
        return None
    try:
        zone: dt.tzinfo = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    except ValueError:
        pass
    month_first = locale.startswith("en_US")
    formats = (
        (_FORMATS_MONTH_FIRST + _FORMATS_DAY_FIRST)
        if month_first
        else (_FORMATS_DAY_FIRST + _FORMATS_MONTH_FIRST)
    )
    for fmt in _FORMATS_ISO + formats:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def to_events(
    sheet: FormsSheet, mapping: FormsMapping, session: Session, instruments: Mapping[str, Instrument]
) -> FormsImport:
    """Events for every mapped, readable answer; unreadable answers are listed, never guessed."""
    position = {h: i for i, h in enumerate(sheet.headers)}
    stamp_at = position.get(mapping.timestamp_column)
    columns = [
        c for c in mapping.columns if c.mapped and c.header in position and c.instrument in instruments
    ]
    events: list[Event] = []
    unreadable: list[tuple[str, str]] = []
    now = dt.datetime.now(dt.UTC)
    for number, row in enumerate(sheet.rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        stamp = row[stamp_at] if stamp_at is not None else ""
        base = submission_id(stamp, number)
        when = parse_timestamp(stamp, sheet.time_zone, sheet.locale) or now
        for column in columns:
            instrument = instruments[column.instrument]
            raw = row[position[column.header]]
            if not raw.strip():
                continue
            answer = parse_answer(instrument, column.item, raw)
            if answer is None:
                unreadable.append((column.header, raw))
                continue
            sub = f"{base}-{position[column.header]}" if instrument.kind == "keep_throw" else base
            events.append(
                Event(session.code, base, sub, instrument.id, column.item, answer.value, answer.text, when)
            )
    return FormsImport(tuple(events), len(sheet.rows), tuple(mapping.unmapped), tuple(unreadable))


def import_responses(
    store: Store,
    sheet: FormsSheet,
    mapping: FormsMapping,
    session: Session,
    instruments: Mapping[str, Instrument],
) -> FormsImport:
    """Append the sheet's answers to the session; a second import of the same rows adds nothing."""
    found = to_events(sheet, mapping, session, instruments)
    added = store.append_events(list(found.events)) if found.events else 0
    return FormsImport(found.events, found.rows, found.unmapped, found.unreadable, added)
