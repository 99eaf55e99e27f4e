"""The spreadsheet's layout: worksheet names, header rows, and how one record becomes one row.

Two worksheets, each with a header row, in long format so that a person can read them and a pivot
table can count them: ``sessions`` (one row per change of a session, ``SESSION_FIELDS``: the
highest ``version`` of a code is the session) and ``responses`` (one row per answer,
``EVENT_FIELDS``). Columns are found by their header name, not their position, so an organiser
may reorder columns or add their own (notes, tags) without breaking the app.

Cell safety. Writes use ``RAW`` input, so Sheets never evaluates ``=SUM(A1)``; but a spreadsheet
downloaded as CSV or .xlsx and opened in Excel would. So a text starting with ``=``, ``+``, ``-``,
``@`` (or a tab / carriage return, per OWASP's CSV-injection advice) is stored behind an apostrophe,
which every spreadsheet shows as text. A text that itself starts with an apostrophe gets one more,
so reading strips exactly one and returns exactly what the participant typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from partenariat_core.model import EVENT_FIELDS, SESSION_FIELDS, Event, Session

SESSIONS = "sessions"
RESPONSES = "responses"
HEADERS: dict[str, tuple[str, ...]] = {SESSIONS: SESSION_FIELDS, RESPONSES: EVENT_FIELDS}
# a sessions worksheet made by an older release lacks the columns added since: still read (their
# defaults: version 0, the default agenda, no approval) and the columns are added after the others
LATER_SESSION_FIELDS = ("version", "agenda", "cards_need_approval")
SESSION_FIELDS_V0: tuple[str, ...] = tuple(f for f in SESSION_FIELDS if f not in LATER_SESSION_FIELDS)
PROTECTION = "Partenariat Live"  # description of the warning-only protected ranges the app adds
WORKSHEETS: tuple[str, ...] = (SESSIONS, RESPONSES)

ESCAPE = "'"
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", ESCAPE)
EVENT_KEY_FIELDS = ("session", "submission_id", "instrument", "item")


def to_cell(text: str) -> str:
    """The cell text for ``text``: risky starts behind an apostrophe (see the module docstring)."""
    return ESCAPE + text if text.startswith(RISKY_STARTS) else text


def from_cell(cell: object) -> str:
    """Undo :func:`to_cell`. Non-strings (a cell a person typed as a number) come back as text."""
    text = cell if isinstance(cell, str) else ("" if cell is None else str(cell))
    return text[1:] if text.startswith(ESCAPE) else text


def col_letter(n: int) -> str:
    """1 -> ``A``, 27 -> ``AA``: A1 notation for the n-th column."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_title(title: str) -> str:
    """A worksheet title as A1 notation wants it (quoted, inner quotes doubled)."""
    return "'" + title.replace("'", "''") + "'"


def rows_range(title: str, first_row: int, width: int, last_row: int | None = None) -> str:
    """``'responses'!A5:H`` (open-ended) or ``'responses'!A5:H9``."""
    end = "" if last_row is None else str(last_row)
    return f"{quote_title(title)}!A{first_row}:{col_letter(max(width, 1))}{end}"


_UPDATED_ROW = re.compile(r"!\$?[A-Z]+\$?(\d+)")


def first_row_of(a1: str) -> int | None:
    """The first row number in an ``updatedRange`` like ``sessions!A5:J5``; ``None`` if absent."""
    match = _UPDATED_ROW.search(a1 or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Header:
    """Where each of our fields sits in a worksheet's first row."""

    names: tuple[str, ...]  # the header row as found (stripped)
    index: Mapping[str, int]  # field -> 0-based column

    @classmethod
    def parse(cls, row: Sequence[object]) -> Header:
        names = tuple(from_cell(c).strip() for c in row)
        index: dict[str, int] = {}
        for i, name in enumerate(names):
            index.setdefault(name.lower(), i)
        return cls(names, index)

    def missing(self, fields: Sequence[str]) -> list[str]:
        return [f for f in fields if f not in self.index]

    @property
    def width(self) -> int:
        return len(self.names)

    def row(self, record: Mapping[str, str]) -> list[str]:
        """A record as a row in this sheet's column order; columns we do not own stay empty."""
        cells = [""] * self.width
        for name, value in record.items():
            cells[self.index[name]] = to_cell(value)
        return cells

    def record(self, row: Sequence[object], fields: Sequence[str]) -> dict[str, str]:
        """The fields of one row (missing trailing cells are empty, as the API trims them; a column
        the header lacks reads as empty)."""
        return {
            f: from_cell(row[i]) if i is not None and i < len(row) else "" for f, i in self._positions(fields)
        }

    def _positions(self, fields: Sequence[str]) -> list[tuple[str, int | None]]:
        return [(f, self.index.get(f)) for f in fields]


def default_header(worksheet: str) -> Header:
    return Header.parse(HEADERS[worksheet])


def event_from_row(header: Header, row: Sequence[object]) -> Event | None:
    """The event in one ``responses`` row, or ``None`` for a blank or broken row (a person's edit)."""
    rec = header.record(row, EVENT_FIELDS)
    if not all(rec[f] for f in EVENT_KEY_FIELDS) or not rec["participant"]:
        return None
    try:
        event = Event.from_record(rec)
    except (ValueError, KeyError):
        return None
    if event.created_at.tzinfo is None:  # a person typed a time without zone: take it as UTC
        event = Event.from_record({**rec, "created_at": event.created_at.replace(tzinfo=dt.UTC).isoformat()})
    return event


def session_from_row(header: Header, row: Sequence[object]) -> Session | None:
    """The session in one ``sessions`` row, or ``None`` when the row is blank or unreadable."""
    rec = header.record(row, SESSION_FIELDS)
    if not rec["code"] or not rec["title"]:
        return None
    try:
        return Session.from_record(rec)
    except (ValueError, KeyError):
        return None


def event_key(event: Event) -> tuple[str, str, str, str]:
    """The key a store keeps unique: an event's ``key`` within its session."""
    return (event.session, *event.key)
