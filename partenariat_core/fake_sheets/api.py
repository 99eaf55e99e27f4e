"""Dispatch of a recognised route to its endpoint, plus the ``spreadsheets`` endpoints.

The batch endpoints are atomic, as Google's are: the spreadsheet is copied first and restored if
any request in the batch fails.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from . import values
from .cells import render, user_entered_value
from .errors import ApiError
from .routing import Query, Route, parse_body
from .sheet_requests import SHEET_REQUESTS
from .state import APP_ACCOUNT, Box, Sheet, Spreadsheet

_ATOMIC = frozenset({"spreadsheets.batchUpdate", "values.batchUpdate", "values.batchClear"})


class SheetsApi:
    """The endpoints over a dict of spreadsheets; the server serialises calls with its lock."""

    def __init__(self) -> None:
        self.spreadsheets: dict[str, Spreadsheet] = {}

    def handle(
        self, route: Route, query: Query, raw_body: bytes, caller: str = APP_ACCOUNT
    ) -> dict[str, Any]:
        """The reply body for ``route`` sent by ``caller``, or :class:`ApiError`."""
        book = self.open(route.spreadsheet_id)
        book.caller = caller
        body = parse_body(raw_body)
        text = route.range_text or ""
        handlers: dict[str, Callable[[], dict[str, Any]]] = {
            "spreadsheets.get": lambda: spreadsheets_get(book, query),
            "spreadsheets.batchUpdate": lambda: batch_update(book, body),
            "values.get": lambda: values.values_get(book, text, query),
            "values.batchGet": lambda: values.values_batch_get(book, query),
            "values.update": lambda: values.values_update(book, text, query, body),
            "values.batchUpdate": lambda: values.values_batch_update(book, body),
            "values.append": lambda: values.values_append(book, text, query, body),
            "values.clear": lambda: values.values_clear(book, text),
            "values.batchClear": lambda: values.values_batch_clear(book, body),
        }
        action = handlers[route.name]
        return atomic(book, action) if route.name in _ATOMIC else action()

    def open(self, key: str) -> Spreadsheet:
        """The spreadsheet, or the 404/403 Google gives for a missing or unshared one."""
        book = self.spreadsheets.get(key)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if not book.shared:
            raise ApiError(403, "The caller does not have permission")
        return book


def atomic(book: Spreadsheet, action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``action``; on error put the spreadsheet back as it was."""
    saved = copy.deepcopy(vars(book))
    try:
        return action()
    except ApiError:
        vars(book).update(saved)
        raise


def spreadsheets_get(book: Spreadsheet, query: Query) -> dict[str, Any]:
    """``GET /v4/spreadsheets/{id}``; ``fields`` keeps top-level keys only, loosely.

    Grid data comes with ``includeGridData=true`` or when ``fields`` asks for ``sheets.data``
    (as gspread's ``get_notes`` does); ``ranges`` then limits the sheets and the data to them.
    """
    meta = book.metadata()
    fields = query.get("fields") or ""
    with_data = query.flag("includeGridData") or re.search(r"sheets[./(]\s*data", fields)
    ranges = query.all("ranges")
    if ranges:
        wanted: dict[int, list[Box]] = {}
        for text in ranges:
            sheet, box = book.resolve_box(text)
            wanted.setdefault(sheet.sheet_id, []).append(box)
        meta["sheets"] = [e for e in meta["sheets"] if e["properties"]["sheetId"] in wanted]
    for entry in meta["sheets"]:
        if not with_data:
            break
        found = book.sheet_by_id(entry["properties"]["sheetId"])
        assert found is not None
        sheet = found
        boxes = wanted[sheet.sheet_id] if ranges else [None]
        entry["data"] = [grid_data(sheet, box) for box in boxes]
        if re.search(r"values[./(]\s*note", fields):
            entry["data"] = [notes_only(d) for d in entry["data"]]
    if fields:
        keep = top_level_fields(fields)
        meta = {k: v for k, v in meta.items() if k in keep}
    return meta


def grid_data(sheet: Sheet, box: Box | None = None) -> dict[str, Any]:
    """``sheets[].data[]``: the stored cells (values and notes) of ``box`` (default: all)."""
    top, left = (box.top, box.left) if box else (1, 1)
    bottom = min(box.bottom if box else len(sheet.rows), len(sheet.rows))
    noted = [r for r, _c in sheet.notes]
    bottom = max([bottom, *[r for r in noted if not box or r <= box.bottom]])
    row_data = []
    for row in range(top, bottom + 1):
        cells = sheet.rows[row - 1] if row <= len(sheet.rows) else []
        right = len(cells)
        right = max([right, *[c for r, c in sheet.notes if r == row]])
        if box:
            right = min(right, box.right)
        row_values = []
        for col in range(left, right + 1):
            cell = sheet.get(row, col)
            item: dict[str, Any] = {}
            if cell is not None:
                item["userEnteredValue"] = user_entered_value(cell)
                item["formattedValue"] = render(cell, "FORMATTED_VALUE")
            if (row, col) in sheet.notes:
                item["note"] = sheet.notes[(row, col)]
            row_values.append(item)
        row_data.append({"values": row_values} if row_values else {})
    data: dict[str, Any] = {"rowData": row_data}
    if top > 1:
        data["startRow"] = top - 1
    if left > 1:
        data["startColumn"] = left - 1
    return data


def notes_only(data: dict[str, Any]) -> dict[str, Any]:
    """Grid data under the mask ``sheets.data.rowData.values.note``: notes only, and, as with any
    field mask, empty objects trimmed from the ends of rows and of the data."""
    rows = []
    for row in data.get("rowData", []):
        cells = [{"note": c["note"]} if "note" in c else {} for c in row.get("values", [])]
        while cells and not cells[-1]:
            cells.pop()
        rows.append({"values": cells} if cells else {})
    while rows and not rows[-1]:
        rows.pop()
    out = {k: v for k, v in data.items() if k != "rowData"}
    if rows:
        out["rowData"] = rows
    return out


def top_level_fields(mask: str) -> set[str]:
    """``sheets.properties,sheets(data),spreadsheetId`` -> ``{"sheets", "spreadsheetId"}``."""
    names: set[str] = set()
    depth, current = 0, ""
    for ch in mask + ",":
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            names.add(current.strip().replace("/", ".").split(".")[0])
            current = ""
            continue
        if depth == 0 and ch not in "()":
            current += ch
    return {n for n in names if n}


def batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /v4/spreadsheets/{id}:batchUpdate`` with the requests the app and gspread use."""
    replies = []
    for i, request in enumerate(body.get("requests", [])):
        if not isinstance(request, dict) or len(request) != 1:
            raise ApiError(400, f"Invalid requests[{i}]: exactly one kind of request expected.")
        ((name, params),) = request.items()
        handler = SHEET_REQUESTS.get(name)
        if handler is None:
            message = f"Invalid requests[{i}]: the fake Sheets server does not implement {name!r}."
            raise ApiError(400, message, field=f"requests[{i}]")
        if not isinstance(params, dict):
            raise ApiError(400, f"Invalid requests[{i}].{name}: an object is expected.")
        try:
            replies.append(handler(book, params))
        except ApiError as exc:
            if exc.code != 400:
                raise
            where = f"requests[{i}].{name}"
            raise ApiError(400, f"Invalid {where}: {exc.message}", field=where) from exc
    reply: dict[str, Any] = {"spreadsheetId": book.key, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        reply["updatedSpreadsheet"] = book.metadata()
    return reply
