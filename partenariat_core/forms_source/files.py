"""A downloaded response file (CSV or XLSX) as a :class:`FormsSheet`, imported once like a sheet.

What hosts bring: the Google Forms CSV download (UTF-8, ``,``), a Microsoft Forms Excel export
(common in Québec's health and social services network; ``Start time``/``Completion time`` are Excel
dates), a LimeSurvey or SurveyMonkey CSV (often ``;``-separated by a French Excel, sometimes
Windows-1252, with a byte-order mark; SurveyMonkey adds a second header row of "Response" labels).
pandas reads them (openpyxl for XLSX), every cell as text, nothing turned into a number or a
missing value, so an answer "0012" or "NA" stays what it was; dates become ISO text, which
:func:`~partenariat_core.forms_source.source.parse_timestamp` reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

import pandas as pd

from partenariat_core.errors import ConfigError
from partenariat_core.forms_source.source import FormsSheet
from partenariat_core.forms_source.text import normalize

MAX_BYTES = 20 * 1024 * 1024
_ENCODINGS = ("utf-8-sig", "cp1252")
# SurveyMonkey's second header row: the kind of answer under each question, not an answer
_SUBHEADERS = frozenset(
    normalize(t)
    for t in ("Response", "Open-Ended Response", "Réponse", "Réponse ouverte", "Other (please specify)")
)


def _text(value: object) -> str:
    """One cell as text: dates as ISO (no time zone: the file's own clock), numbers without ``.0``."""
    if value is None or (isinstance(value, float) and value != value):  # empty, NaN
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(data: bytes) -> str:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigError("forms.bad_file", problem="encoding")


def _separator(text: str) -> str:
    """``,``, ``;`` or a tab, from the header line (a French Excel writes ``;``)."""
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _table(rows: Sequence[Sequence[str]], name: str) -> FormsSheet:
    if not rows or not any(c.strip() for c in rows[0]):
        raise ConfigError("forms.empty", worksheet=name)
    headers = tuple(h.strip() for h in rows[0])
    body = [tuple(r) for r in rows[1:]]
    if body and all(normalize(c) in _SUBHEADERS or not c.strip() for c in body[0]) and any(body[0]):
        body = body[1:]
    width = len(headers)
    body = [r[:width] + ("",) * (width - len(r)) for r in body]
    return FormsSheet(name, headers, tuple(body), time_zone="UTC")


def read_response_file(name: str, data: bytes) -> FormsSheet:
    """The file's first table as a sheet; ``ConfigError`` (a sentence for the host) if unreadable."""
    if len(data) > MAX_BYTES:
        raise ConfigError("forms.bad_file", problem=f"> {MAX_BYTES // (1024 * 1024)} MB")
    lower = name.lower()
    try:
        if lower.endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl")
        elif lower.endswith((".csv", ".txt", ".tsv")):
            text = _decode(data)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=_separator(text),
                header=None,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
            )
        else:
            raise ConfigError("forms.bad_file", problem=name[-40:])
    except ConfigError:
        raise
    except Exception as exc:  # pandas and openpyxl raise many kinds for a damaged file
        raise ConfigError("forms.bad_file", problem=" ".join(str(exc).split())[:160]) from exc
    rows = [[_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return _table(rows, name)
