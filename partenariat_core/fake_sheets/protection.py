"""Who may write where: Google's protected ranges, enforced on every write the API can make.

A protected range that is not ``warningOnly`` lets only its editors (and the spreadsheet's owner)
change its cells; anybody else's write is refused with 403 and Google's message. A
``warningOnly`` range only makes the Sheets UI ask a person "are you sure?": API writes go
through, which is why the app may protect its own columns that way.

The caller is the ``X-Fake-Sheets-User`` header (a person, in a test), else the app's account;
a spreadsheet belongs to the app's account unless ``create_spreadsheet(owner=...)`` says otherwise,
as when an organiser owns the file and shares it with the service account.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .state import Sheet, Spreadsheet

PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
    "remove protection if you need to edit."
)


def may_edit(book: Spreadsheet, item: dict[str, Any]) -> bool:
    """Whether the current caller may edit inside protected range ``item``."""
    return book.may_edit(item)


def check_write(book: Spreadsheet, sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> None:
    """403 if the caller may not write the 0-based, half-open rectangle ``[r0, r1) × [c0, c1)``."""
    if r1 <= r0 or c1 <= c0:
        return
    for item in sheet.protected_ranges:
        if may_edit(book, item):
            continue
        box = _bounds(item["range"], sheet)
        if not _meets(box, (r0, r1, c0, c1)):
            continue
        free = [_bounds(g, sheet) for g in item.get("unprotectedRanges") or []]
        if any(_contains(f, (r0, r1, c0, c1)) for f in free):
            continue
        raise ApiError(403, PROTECTED_MESSAGE)


def check_manage(book: Spreadsheet, item: dict[str, Any]) -> None:
    """Only an editor of a protected range may change or remove it."""
    if not may_edit(book, item):
        raise ApiError(403, PROTECTED_MESSAGE)


def _bounds(grid: dict[str, Any], sheet: Sheet) -> tuple[int, int, int, int]:
    return (
        grid.get("startRowIndex") or 0,
        grid["endRowIndex"] if grid.get("endRowIndex") is not None else sheet.row_count,
        grid.get("startColumnIndex") or 0,
        grid["endColumnIndex"] if grid.get("endColumnIndex") is not None else sheet.column_count,
    )


def _meets(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _contains(outer: tuple[int, int, int, int], inner: tuple[int, int, int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and inner[3] <= outer[3]
