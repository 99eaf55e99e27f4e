"""Reading the sheet back: one shared, incremental read for the whole app.

Every screen of every room asks the store for new answers every second or two; none of them touches
the network. The background worker alone reads the ``responses`` worksheet, and only its new rows:
``responses!A{n}:H`` where ``n`` is the last row already read. That row is read again on purpose:
if it is not what we saw last time, a person has sorted, edited or deleted rows, and the cursor
means nothing any more, so the next read is a full one. New rows go into the outbox's table, which
gives them their ``seq`` and drops any key it already has (our own rows coming back, duplicates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from partenariat_core.model import EVENT_FIELDS, Event, Session
from partenariat_core.store.sheets.layout import (
    RESPONSES,
    SESSIONS,
    Header,
    event_from_row,
    rows_range,
    session_from_row,
)
from partenariat_core.store.sheets.outbox import DELETED

FULL_WIDTH = 26  # columns fetched when the header is not known yet (A:Z)


@dataclass
class ResponsesMirror:
    """The cursor into the responses worksheet.

    Use: ``a1 = mirror.next_range()``, fetch it (alone or in a ``batchGet``), then
    ``mirror.take(rows)``: the events of new rows, or ``None`` when the sheet changed under the
    cursor (the next range is then a full read).
    """

    header: Header
    max_columns: int = FULL_WIDTH
    rows_read: int = 0  # rows consumed so far, header included (0: next read is a full one)
    last_row: list[str] = field(default_factory=list)
    skipped: int = 0  # rows that are not answers (blank, a person's note): counted, not fatal
    full_reads: int = 0
    header_ok: bool = True  # the latest full read found every column of ours in the header row
    numbered: list[tuple[int, Event]] = field(default_factory=list)  # (row, event) of the latest full read

    @property
    def full(self) -> bool:
        """Whether the next read is a full read."""
        return self.rows_read < 1

    def next_range(self) -> str:
        if self.full:
            return rows_range(RESPONSES, 1, min(self.max_columns, max(FULL_WIDTH, self.header.width)))
        return rows_range(RESPONSES, self.rows_read, self.header.width)

    def take(self, rows: Sequence[Sequence[Any]]) -> list[Event] | None:
        if not self.full:
            if not rows or not _same([_text(c) for c in rows[0]], self.last_row):
                self.reset()
                return None
            return self._consume(rows[1:], first=self.rows_read + 1)
        self.full_reads += 1
        self.skipped = 0
        self.numbered = []
        if not rows:
            self.header_ok = False
            return []
        header = Header.parse(rows[0])
        self.header_ok = not header.missing(EVENT_FIELDS)
        if self.header_ok:  # columns moved by a person: follow them
            self.header = header
        self.rows_read, self.last_row = 1, [_text(c) for c in rows[0]]
        events = self._consume(rows[1:], first=2, number=True)
        return events

    def reset(self) -> None:
        """Forget the cursor: the next read is a full one."""
        self.rows_read, self.last_row = 0, []

    def _consume(self, rows: Sequence[Sequence[Any]], first: int, number: bool = False) -> list[Event]:
        events = []
        for n, row in enumerate(rows, start=first):
            event = event_from_row(self.header, row)
            if event is None:
                self.skipped += 1
            else:
                events.append(event)
                if number:
                    self.numbered.append((n, event))
        if rows:
            self.rows_read = first + len(rows) - 1
            self.last_row = [_text(c) for c in rows[-1]]
        return events


def sessions_range(max_columns: int = FULL_WIDTH) -> str:
    return rows_range(SESSIONS, 1, min(max_columns, FULL_WIDTH))


def parse_sessions(
    rows: Sequence[Sequence[Any]], header: Header, *, tombstones: bool = False
) -> list[Session]:
    """Sessions in the ``sessions`` worksheet's rows (header first). The app appends a row for every
    change, so a code has several rows: the one with the highest ``version`` is the session, and
    among rows of equal version (a sheet without versions, a row written twice) the last one.

    A session whose winning row is a tombstone (``is_open`` = ``deleted``) was deleted: it is left
    out, or, with ``tombstones``, only such sessions are given."""
    sessions: dict[str, tuple[Session, bool]] = {}
    for row in rows[1:]:
        session = session_from_row(header, row)
        if session is not None:
            known = sessions.get(session.code)
            if known is None or session.version >= known[0].version:
                gone = header.record(row, ("is_open",))["is_open"] == DELETED
                sessions[session.code] = (session, gone)
    return [session for session, gone in sessions.values() if gone == tombstones]


def _text(cell: object) -> str:
    return cell if isinstance(cell, str) else str(cell)


def _same(a: list[str], b: list[str]) -> bool:
    """Rows compare without trailing blanks, which the API trims."""
    while a and a[-1] == "":
        a = a[:-1]
    while b and b[-1] == "":
        b = b[:-1]
    return a == b
