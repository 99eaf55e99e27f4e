"""A Google Form's response sheet as a read-only source of answers for a session.

Forms writes one row per response: a timestamp, then one column per question. ``FormsSource``
reads that worksheet (one metadata call, one values call: a host-triggered import, not a poll);
``to_events`` turns rows into the same events phones produce, through a :class:`FormsMapping`.

Ids are stable and do not depend on where a row is: a response's id is derived from its timestamp
and its answers (see :func:`submission_id`), so importing the same responses again adds nothing
(the store's idempotent append does the rest) even after the host sorted the sheet or deleted a
row, and a response added later by Forms gets its own id. Every answer then goes through the same
rules as a phone's (:func:`partenariat_core.participation.accept_events`); what is refused is
listed to the host by sheet row and column, never stored half-checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from partenariat_core.config import Settings
from partenariat_core.errors import ConfigError, PartenariatError, RejectedInput, SessionError
from partenariat_core.forms_source.answers import TEXT_KINDS, Answer, choice_parts, parse_answer
from partenariat_core.forms_source.mapping import FormsMapping
from partenariat_core.i18n import t
from partenariat_core.instruments import Instrument
from partenariat_core.instruments.session_copy import session_instruments
from partenariat_core.model import Event, Session
from partenariat_core.participation import accept_events, card_submission_id, open_session
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

_TIMES = ("%H:%M:%S", "%H:%M")
_DATES_YEAR_FIRST = ("%Y/%m/%d", "%Y-%m-%d")
_DATES_DAY_FIRST = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_DATES_MONTH_FIRST = ("%m/%d/%Y",)
# "UTC−5", "UTC-5", "GMT+5:30", "UTC" at the end of a timestamp, as Forms' CSV download writes it
_OFFSET = re.compile(
    r"\s*\b(?:UTC|GMT)(?:\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?$", re.I
)
_MERIDIEM = re.compile(r"\s*\b(?P<half>[ap])\.?\s?m\.?$", re.I)  # "PM", "pm", "p.m.", "p. m."
_EXCEL_SERIAL = re.compile(r"^[2-7]\d{4}(?:[.,]\d+)?$")  # 1954..2173: never a year or an hour
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class FormsSheet:
    """A response worksheet as read: header row, answer rows, and how its times are written."""

    worksheet: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    time_zone: str = "UTC"
    locale: str = "fr_CA"


@dataclass(frozen=True)
class Refusal:
    """One answer (or a whole row, for its timestamp) not imported, and why, for the host."""

    row: int  # the sheet's row number, as the host sees it (the header is row 1)
    column: str  # the column's header
    key: str  # catalog key of the reason
    params: Mapping[str, Any] = field(default_factory=dict)

    def reason(self, lang: str = "fr") -> str:
        """Why, in the host's language (the same sentence a phone would show for a rule)."""
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class FormsImport:
    """What an import found: events to store, and what was refused (listed to the host)."""

    events: tuple[Event, ...]
    rows: int  # responses read (blank rows left out)
    unmapped: tuple[str, ...]
    unreadable: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (header, answer)
    added: int = 0
    refused: tuple[Refusal, ...] = field(default_factory=tuple)  # every refusal, unreadable included
    responses: tuple[str, ...] = ()  # content-based id of every row with a readable time, in order


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


def submission_id(timestamp: dt.datetime, answers: Sequence[tuple[str, str]], repeat: int = 0) -> str:
    """The id of one Forms response, from what it says, never from where its row is.

    ``timestamp`` is the response's time as written (its wall-clock reading: the sheet's display
    locale or time zone setting do not change it), ``answers`` its non-empty ``(header, answer)``
    cells in any order (unmapped columns included, so mapping one more column later keeps the ids),
    and ``repeat`` counts exact repeats: two rows with the same time and the same answers are two
    responses, numbered 0 and 1 whatever their order. Sorting the sheet or deleting a row therefore
    changes no other response's id. Editing an answer in the sheet does: that row becomes a new
    response (correct an answer through the mapping, not in the sheet, once imported).
    """
    wall = timestamp.replace(tzinfo=None).isoformat(timespec="seconds")
    cells = "\x1e".join(f"{h}\x1f{v}" for h, v in sorted(answers))
    digest = hashlib.sha256(f"{wall}\x1d{cells}\x1d{repeat}".encode()).hexdigest()[:20]
    return f"form-{digest}"


def _zone(time_zone: str) -> dt.tzinfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _offset(match: re.Match[str]) -> dt.tzinfo | None:
    if not match.group("sign"):
        return dt.UTC
    hours, minutes = int(match.group("hours")), int(match.group("minutes") or 0)
    if hours > 14 or minutes >= 60:
        return None
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if match.group("sign") == "-" else delta)


def _wall_clock(text: str, month_first: bool) -> dt.datetime | None:
    """``text`` (no zone, no AM/PM) as a naive date and time, trying the locale's order first."""
    ambiguous = (
        _DATES_MONTH_FIRST + _DATES_DAY_FIRST if month_first else _DATES_DAY_FIRST + _DATES_MONTH_FIRST
    )
    for date_format in _DATES_YEAR_FIRST + ambiguous:
        for fmt in (*(f"{date_format} {time}" for time in _TIMES), date_format):
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
    return None


def parse_timestamp(text: str, time_zone: str = "UTC", locale: str = "fr_CA") -> dt.datetime | None:
    """A Forms timestamp as the response sheet or its CSV download writes it; ``None`` if unreadable.

    Read: ``2026/11/20 9:03:01 UTC−5`` (Unicode minus), ``2026/11/20 9:03:01 PM UTC-5``, the sheet's
    own display (day first ``20/11/2026 09:03:01`` in French locales, month first in ``en_US``; the
    other order is tried when the first gives no date) and ISO forms (``2026-11-20T09:03:01-05:00``).
    An Excel date serial (``46346.375``, from a CSV that Excel saved) is read too.
    A written offset wins; otherwise the time is in the spreadsheet's ``time_zone``. Nothing is
    guessed: an unreadable text gives ``None``, for the caller to report.
    """
    text = " ".join(unicodedata.normalize("NFKC", text or "").translate(_DASHES).split())
    if not text:
        return None
    zone: dt.tzinfo | None = _zone(time_zone)
    serial = _EXCEL_SERIAL.match(text)
    if serial:  # an Excel date left as its number (days since 1899-12-30), in a CSV saved by Excel
        days = float(serial.group(0).replace(",", "."))
        serial_wall = _EXCEL_EPOCH + dt.timedelta(days=days)
        return serial_wall.replace(microsecond=0, tzinfo=zone)
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    except ValueError:
        pass
    offset = _OFFSET.search(text)
    if offset:
        zone, text = _offset(offset), text[: offset.start()]
    meridiem = _MERIDIEM.search(text)
    if meridiem:
        text = text[: meridiem.start()]
    wall = _wall_clock(text, locale.startswith("en_US")) if zone is not None else None
    if wall is None:
        return None
    if meridiem:
        if not 1 <= wall.hour <= 12 or ":" not in text:
            return None
        pm = meridiem.group("half").lower() == "p"
        wall = wall.replace(hour=wall.hour % 12 + (12 if pm else 0))
    return wall.replace(tzinfo=zone)


def _row_ids(sheet: FormsSheet, stamp_at: int, stamps: Sequence[dt.datetime | None]) -> list[str | None]:
    """Each row's response id (``None`` for a row without a readable time), position-free."""
    repeats: Counter[str] = Counter()
    ids: list[str | None] = []
    for row, when in zip(sheet.rows, stamps, strict=True):
        if when is None:
            ids.append(None)
            continue
        answers = [
            (header, cell.strip())
            for i, (header, cell) in enumerate(zip(sheet.headers, row, strict=False))
            if i != stamp_at and cell.strip()
        ]
        first = submission_id(when, answers)
        ids.append(submission_id(when, answers, repeats[first]) if repeats[first] else first)
        repeats[first] += 1
    return ids


def read_cell(
    instrument: Instrument, item: str, raw: str, mapping: FormsMapping
) -> tuple[Answer | None, str | None]:
    """One non-empty cell of a column answering ``instrument:item``, read the way an import reads it.

    Returns ``(answer, None)`` for a readable cell, ``(None, None)`` for a cell the host said to leave
    out, and ``(None, text)`` for a cell (or, in a checkboxes cell, the part of it) that names no
    option. The mapping's answer table wins over the option labels; card and open columns take any
    text (their length is the participation rules' business). A checkboxes cell is read part by
    part (:func:`~partenariat_core.forms_source.answers.choice_parts`), and any part that names
    nothing refuses the whole cell: half a choice is not stored."""
    target = f"{instrument.id}:{item}"
    if instrument.kind == "choice":
        parts = choice_parts(instrument, raw, mapping.answers.get(target))
        unread = next((text for text, value in parts if value is None), None)
        if unread is not None:
            return None, unread
        # each option once; the participation rules check the ids and put them in the file's order
        picked = dict.fromkeys(option for _text, value in parts if value for option in value.split())
        return (Answer(" ".join(picked)) if picked else None), None
    chosen = mapping.answer_for(target, raw) if instrument.kind not in TEXT_KINDS else None
    if chosen is not None:
        return (Answer(chosen) if chosen else None), None
    answer = parse_answer(instrument, item, raw)
    return answer, (None if answer is not None else raw)


def to_events(
    sheet: FormsSheet,
    mapping: FormsMapping,
    session: Session | None,
    instruments: Mapping[str, Instrument],
    *,
    known: Sequence[Event] = (),
    max_length: int = 280,
    max_cards: int = 30,
    participant_of: Callable[[str], str] | None = None,
) -> FormsImport:
    """Events for every mapped answer that is readable and passes the participation rules.

    The rules are the phone's own (:func:`~partenariat_core.participation.accept_events`), checked
    cell by cell: a refused cell (unreadable answer, card too long, too many cards, a sector the
    session does not offer) is listed with its row and column and the rest of the row is kept, as a
    phone keeps a participant's other answers. A row whose timestamp cannot be read is refused whole
    (its time is not invented). A closed or missing session refuses the whole import
    (``SessionError``), and so does a mapping without a timestamp column (``ConfigError``).
    ``known``: events already stored for the session, so limits count what an earlier import stored.
    ``participant_of``: the participant id to give a response, from its content-based id (a linked
    sheet's follower gives a response that came back after a withdrawal a new one); default: itself.
    The mapping's answer table (``FormsMapping.answers``) wins over reading an answer's text.
    """
    try:
        session = open_session(session)
    except SessionError as exc:
        if exc.key != "error.session_closed":
            raise
        raise SessionError("forms.session_closed", code=exc.params["code"]) from exc
    position = {h: i for i, h in enumerate(sheet.headers)}
    stamp_at = position.get(mapping.timestamp_column) if mapping.timestamp_column else None
    if stamp_at is None:
        raise ConfigError("forms.no_timestamp_column")
    columns = [
        c for c in mapping.columns if c.mapped and c.header in position and c.instrument in instruments
    ]
    rows = [(number, row) for number, row in enumerate(sheet.rows, start=2) if any(c.strip() for c in row)]
    stamps = [parse_timestamp(row[stamp_at], sheet.time_zone, sheet.locale) for _, row in rows]
    ids = _row_ids(FormsSheet(sheet.worksheet, sheet.headers, tuple(r for _, r in rows)), stamp_at, stamps)
    by_participant: dict[str, list[Event]] = defaultdict(list)
    for e in known:
        by_participant[e.participant].append(e)
    events: list[Event] = []
    unreadable: list[tuple[str, str]] = []
    refused: list[Refusal] = []
    responses: list[str] = []
    for (number, row), when, base in zip(rows, stamps, ids, strict=True):
        if when is None or base is None:
            refused.append(
                Refusal(
                    number, mapping.timestamp_column, "forms.bad_timestamp", {"stamp": row[stamp_at][:80]}
                )
            )
            continue
        responses.append(base)
        if participant_of is not None:
            base = participant_of(base)
        mine = by_participant[base]
        for column in columns:
            instrument = instruments[column.instrument]
            raw = row[position[column.header]]
            if not raw.strip():
                continue
            answer, unread = read_cell(instrument, column.item, raw, mapping)
            if unread is not None:
                unreadable.append((column.header, unread))
                reason = "forms.unknown_option" if instrument.kind == "choice" else "forms.unreadable_answer"
                refused.append(Refusal(number, column.header, reason, {"answer": unread[:80]}))
                continue
            if answer is None:
                continue  # the host said this text is not an answer ("Je ne sais pas" to a sector)
            if instrument.kind == "keep_throw":  # a card's id is its content, as on a phone
                sub = card_submission_id(session.code, base, column.item, answer.text)
            else:
                sub = base
            event = Event(
                session.code, base, sub, instrument.id, column.item, answer.value, answer.text, when
            )
            try:
                accepted = accept_events(
                    session, instrument, [event], known=mine, max_length=max_length, max_cards=max_cards
                )
            except RejectedInput as exc:
                refused.append(Refusal(number, column.header, exc.key, exc.params))
                continue
            mine.extend(accepted)
            events.extend(accepted)
    return FormsImport(
        tuple(events),
        len(rows),
        tuple(mapping.unmapped),
        tuple(unreadable),
        refused=tuple(refused),
        responses=tuple(responses),
    )


def import_responses(
    store: Store,
    sheet: FormsSheet,
    mapping: FormsMapping,
    session: Session,
    instruments: Mapping[str, Instrument],
    *,
    max_length: int = 280,
    max_cards: int = 30,
) -> FormsImport:
    """Append the sheet's accepted answers to the session; a second import of the same responses
    adds nothing, wherever their rows are now.

    The session is read again from the store first: the host page's copy may be stale (closed in
    another tab since), and the rules must see it as it is. Its activities are read as its phones
    read them: the copies it stored when it was made (``session_instruments``), so a choice
    question edited in the editor since keeps, for this session, the options its participants saw.
    ``max_length`` and ``max_cards``: the same settings the phone page uses (``card_max_length``,
    ``max_cards``).
    """
    current = store.get_session(session.code)
    if current is None:
        raise SessionError("error.session_unknown", code=session.code)
    known = store.read_events(session.code)
    used = session_instruments(current, known, instruments)  # its own copies, as its phones use
    found = to_events(sheet, mapping, current, used, known=known, max_length=max_length, max_cards=max_cards)
    added = store.append_events(list(found.events)) if found.events else 0
    return FormsImport(
        found.events, found.rows, found.unmapped, found.unreadable, added, found.refused, found.responses
    )
