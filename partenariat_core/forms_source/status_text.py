"""A linked worksheet's sync state in plain words, for the host page (and anything else that asks).

The host needs four things at a glance: is it being read, when was it last read and how much was
there, when is the next read, and if something is wrong, what to do. The "what to do" is in the
problem's own sentence (``sheets.not_shared`` names the address to share the sheet with,
``forms.worksheet_gone`` says to rename the worksheet back or link again, ``sheets.quota`` says the
app waits by itself), so a problem is shown as it is, never as a code.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from partenariat_core.forms_source.follower import SourceStatus
from partenariat_core.i18n import t, t_count

# parameters that quote what someone else wrote (a sheet's or worksheet's name, a header)
_QUOTED = ("worksheet", "found", "spreadsheet", "problem", "header", "answer", "stamp")


@dataclass(frozen=True)
class StatusText:
    title: str  # which worksheet of which sheet
    lines: tuple[str, ...]  # last read, next read, counts
    problem: str  # "" when none
    # "ok", "paused", "waiting" (passing trouble, retried by itself) or "action" (a person must act)
    severity: str


def describe(
    status: SourceStatus, lang: str, *, escape: Callable[[str], str] = lambda s: s, tz: dt.tzinfo = dt.UTC
) -> StatusText:
    """``status`` in ``lang``. ``escape`` is applied to every quoted name (the page passes
    ``markdown_safe``: a worksheet's name is someone's text, not formatting)."""
    link = status.link
    title = t(
        "forms.live_source", lang, worksheet=escape(link.worksheet), spreadsheet=escape(link.spreadsheet)
    )
    lines = []
    if status.last_read is None:
        lines.append(t("forms.live_never_read", lang))
    else:
        when = status.last_read.astimezone(tz).strftime("%H:%M:%S")
        lines.append(t_count("forms.live_last_read", status.rows, lang, time=when))
    if link.paused:
        lines.append(t("forms.live_paused", lang))
    elif status.next_read_in is not None:
        lines.append(t("forms.live_next_read", lang, seconds=math.ceil(status.next_read_in)))
    lines.append(t("forms.live_counts", lang, added=status.added, withdrawn=status.withdrawn))
    if status.refused:
        lines.append(t_count("forms.live_refused", len(status.refused), lang))
    if status.unmapped:  # e.g. a question added to the Form during the workshop
        lines.append(t("forms.unmapped", lang, columns=", ".join(escape(h) for h in status.unmapped)))
    problem = ""
    if status.error_key:
        params = {k: escape(str(v)) if k in _QUOTED else v for k, v in status.error_params.items()}
        problem = t("forms.live_problem", lang, problem=t(status.error_key, lang, **params))
    if link.paused:
        severity = "paused"
    elif not status.error_key:
        severity = "ok"
    elif status.error_kind in ("quota", "transient"):
        severity = "waiting"
    else:
        severity = "action"
    return StatusText(title, tuple(lines), problem, severity)
