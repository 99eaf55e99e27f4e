"""Dispatch of a recognised route to its endpoint, plus the ``spreadsheets`` endpoints.

The batch endpoints are atomic, as Google's are: the spreadsheet is copied first and restored if
any request in the batch fails.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import values
from .cells import render, user_entered_value
from .errors import ApiError
from .routing import Query, Route, parse_body
from .sheet_requests import SHEET_REQUESTS
from .state import Sheet, Spreadsheet

_ATOMIC = frozenset({"spreadsheets.batchUpdate", "values.batchUpdate", "values.batchClear"})


class SheetsApi:
    """The endpoints over a dict of spreadsheets; the server serialises calls with its lock."""

    def __init__(self) -> None:
        self.spreadsheets: dict[str, Spreadsheet] = {}

    def handle(self, route: Route, query: Query, raw_body: bytes) -> dict[str, Any]:
        """The reply body for ``route``, or :class:`ApiError`."""
        book = self.open(route.spreadsheet_id)
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
    """``GET /v4/spreadsheets/{id}``; ``fields`` keeps top-level keys only, loosely."""
    meta = book.metadata()
    if query.flag("includeGridData"):
        for entry, sheet in zip(meta["sheets"], book.ordered_sheets(), strict=True):
            entry["data"] = [grid_data(sheet)]
    fields = query.get("fields")
    if fields:
        wanted = top_level_fields(fields)
        meta = {k: v for k, v in meta.items() if k in wanted}
    return meta


def grid_data(sheet: Sheet) -> dict[str, Any]:
    """``sheets[].data[0]`` for ``includeGridData=true``: stored cells only."""
    row_data = []
    for cells in sheet.rows:
        row_values = []
        for cell in cells:
            if cell is None:
                row_values.append({})
                continue
            row_values.append(
                {
                    "userEnteredValue": user_entered_value(cell),
                    "formattedValue": render(cell, "FORMATTED_VALUE"),
                }
            )
        row_data.append({"values": row_values})
    return {"startRow": 0, "startColumn": 0, "rowData": row_data}


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
            where = f"requests[{i}].{name}"
            raise ApiError(400, f"Invalid {where}: {exc.message}", field=where) from exc
    reply: dict[str, Any] = {"spreadsheetId": book.key, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        reply["updatedSpreadsheet"] = book.metadata()
    return reply
