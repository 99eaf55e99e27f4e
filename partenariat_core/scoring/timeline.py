"""The timeline of transitional results: significant events, in time order, counted per result.

Every event a participant adds is its own answer (like a card): none replaces another, and a resend of
the same submission is stored once by its submission id. An event is stored as one ``Event`` whose
``item`` is the transitional result, ``value`` the date or period as typed ("2019", "printemps 2021",
"2021-03-15") and ``text`` the description.

Periods are free text, so the order is a best reading of them: :func:`period_start` understands a year,
an ISO or day-first date, a month or a season with its year, in French and English. Events whose period
it reads are sorted by that start (posting order among equals); the others follow, in posting order,
rather than being guessed into place.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from partenariat_core.instruments import Instrument

_MONTHS = {
    # French and English month names and common abbreviations, accents removed, lower case
    **dict.fromkeys(("janvier", "janv", "january", "jan"), 1),
    **dict.fromkeys(("fevrier", "fevr", "fev", "february", "feb"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("avril", "avr", "april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "juil", "july", "jul"), 7),
    **dict.fromkeys(("aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "sept", "september", "sep"), 9),
    **dict.fromkeys(("octobre", "oct", "october"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11),
    **dict.fromkeys(("decembre", "dec", "december"), 12),
    # seasons, by the month they start in (a winter is read as the start of its year: "hiver 2021")
    **dict.fromkeys(("hiver", "winter"), 1),
    **dict.fromkeys(("printemps", "spring"), 3),
    **dict.fromkeys(("ete", "summer"), 6),
    **dict.fromkeys(("automne", "fall", "autumn"), 9),
    # parts of a year
    **dict.fromkeys(("debut", "early"), 1),
    **dict.fromkeys(("mi", "mid", "milieu"), 6),
    **dict.fromkeys(("fin", "late", "end"), 11),
}
_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_WORD = re.compile(r"[a-z]+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _date(year: int, month: int, day: int = 1) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def period_start(period: str) -> dt.date | None:
    """When a typed period starts, or ``None`` when it cannot be read.

    ``"2019"`` → 2019-01-01; ``"printemps 2021"`` → 2021-03-01; ``"mars 2020"``, ``"March 2020"`` →
    2020-03-01; ``"2021-03-15"`` and ``"15/03/2021"`` → 2021-03-15 (day first, as written in Québec);
    ``"2019-2021"`` → 2019-01-01 (the start of a range); ``"bientôt"`` → ``None``.
    """
    text = _plain(period or "")
    iso = _ISO.search(text)
    if iso:
        found = _date(int(iso[1]), int(iso[2]), int(iso[3] or 1))
        if found:
            return found
    day_first = _DAY_FIRST.search(text)
    if day_first:
        found = _date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        if found:
            return found
    year = _YEAR.search(text)
    if year is None:
        return None
    before = text[: year.start()]
    months = [_MONTHS[w] for w in _WORD.findall(before) if w in _MONTHS]
    return _date(int(year[1]), months[-1] if months else 1)


@dataclass(frozen=True)
class TimelineEntry:
    """One event on the timeline; ``domain`` is empty when its result is no longer in the file."""

    submission_id: str
    participant: str
    result: str
    domain: str
    period: str
    text: str
    seq: int
    start: dt.date | None


@dataclass(frozen=True)
class TimelineResult:
    """``entries`` in timeline order; ``per_result`` and ``per_domain`` list every result and domain
    of the file in its order, zeros included (an event whose result left the file counts in neither)."""

    entries: tuple[TimelineEntry, ...]
    per_result: dict[str, int]
    per_domain: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.entries)


def timeline_order(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Dated events by their start (posting order among equals), then undated ones in posting order."""
    dated = sorted((e for e in entries if e.start is not None), key=lambda e: (e.start, e.seq))
    undated = sorted((e for e in entries if e.start is None), key=lambda e: e.seq)
    return [*dated, *undated]


def score_timeline(frame: pd.DataFrame, instrument: Instrument) -> TimelineResult:
    """The timeline of ``instrument`` from an events frame (``scoring.events_frame``)."""
    rows = frame[(frame["instrument"] == instrument.id) & (frame["text"] != "")]
    domain_of = {r.id: d.id for d in instrument.domains for r in d.results}
    entries = [
        TimelineEntry(
            sid, person, result, domain_of.get(result, ""), period, text, int(seq), period_start(period)
        )
        for sid, person, result, period, text, seq in zip(
            *(rows[c].tolist() for c in ("submission_id", "participant", "item", "value", "text", "seq")),
            strict=True,
        )
    ]
    per_result = {r.id: 0 for r in instrument.results()}
    per_domain = {d.id: 0 for d in instrument.domains}
    for entry in entries:
        if entry.domain:
            per_result[entry.result] += 1
            per_domain[entry.domain] += 1
    return TimelineResult(tuple(timeline_order(entries)), per_result, per_domain)
