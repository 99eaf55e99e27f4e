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
from .state import DEFAULT_COLS, DEFAULT_ROWS, Sheet, Spreadsheet

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
        handler = _SHEET_REQUESTS.get(name)
        if handler is None:
            message = f"Invalid requests[{i}]: the fake Sheets server does not implement {name!r}."
            raise ApiError(400, message)
        try:
            replies.append(handler(book, params))
        except ApiError as exc:
            raise ApiError(400, f"Invalid requests[{i}].{name}: {exc.message}") from exc
    reply: dict[str, Any] = {"spreadsheetId": book.key, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        reply["updatedSpreadsheet"] = book.metadata()
    return reply


def add_sheet(book: Spreadsheet, params: dict[str, Any]) -> dict[str, Any]:
    """``addSheet``: a new tab, 1000×26 unless told otherwise."""
    props = params.get("properties", {})
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.sheet_by_title(title) is not None:
        raise duplicate_title(title)
    sheet_id = props.get("sheetId", book.next_sheet_id())
    if book.sheet_by_id(sheet_id) is not None:
        raise ApiError(400, f"Sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties", {})
    sheet = Sheet(
        sheet_id=sheet_id,
        title=title,
        index=len(book.sheets),
        row_count=grid.get("rowCount", DEFAULT_ROWS),
        column_count=grid.get("columnCount", DEFAULT_COLS),
    )
    book.sheets.append(sheet)
    if "index" in props:
        move_sheet(book, sheet, int(props["index"]))
    return {"addSheet": {"properties": sheet.properties()}}


def delete_sheet(book: Spreadsheet, params: dict[str, Any]) -> dict[str, Any]:
    """``deleteSheet``; Google refuses to delete the last tab."""
    sheet = _sheet_of(book, params.get("sheetId"))
    if len(book.sheets) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    return {}


def update_sheet_properties(book: Spreadsheet, params: dict[str, Any]) -> dict[str, Any]:
    """``updateSheetProperties`` for title, index and grid properties named in ``fields``."""
    props = params.get("properties", {})
    sheet = _sheet_of(book, props.get("sheetId"))
    fields = [f.strip().replace("/", ".") for f in str(params.get("fields", "")).split(",")]
    if "*" in fields:
        fields = [k for k in props if k != "gridProperties"]
        fields += [f"gridProperties.{k}" for k in props.get("gridProperties", {})]
    grid = props.get("gridProperties", {})
    rows, cols = sheet.row_count, sheet.column_count
    for field in filter(None, fields):
        if field == "title":
            _rename(book, sheet, str(props.get("title", "")))
        elif field == "index":
            move_sheet(book, sheet, int(props.get("index", 0)))
        elif field in ("gridProperties.rowCount", "gridProperties.columnCount"):
            rows = grid.get("rowCount", rows) if field.endswith("rowCount") else rows
            cols = grid.get("columnCount", cols) if field.endswith("columnCount") else cols
        elif field.startswith("gridProperties."):
            key = field.split(".", 1)[1]
            sheet.extra_grid[key] = grid.get(key)
    if (rows, cols) != (sheet.row_count, sheet.column_count):
        sheet.resize(rows, cols)
    return {}


def update_spreadsheet_properties(book: Spreadsheet, params: dict[str, Any]) -> dict[str, Any]:
    """``updateSpreadsheetProperties``: title, locale and time zone."""
    props = params.get("properties", {})
    fields = {f.strip() for f in str(params.get("fields", "")).split(",")}
    if fields & {"title", "*"} and "title" in props:
        book.title = str(props["title"])
    if fields & {"locale", "*"} and "locale" in props:
        book.locale = str(props["locale"])
    if fields & {"timeZone", "*"} and "timeZone" in props:
        book.time_zone = str(props["timeZone"])
    return {}


def append_dimension(book: Spreadsheet, params: dict[str, Any]) -> dict[str, Any]:
    """``appendDimension``: add empty rows or columns at the end of the grid."""
    sheet = _sheet_of(book, params.get("sheetId"))
    length = int(params.get("length", 0))
    if params.get("dimension") == "COLUMNS":
        sheet.column_count += length
    else:
        sheet.row_count += length
    return {}


def _sheet_of(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.sheet_by_id(sheet_id) if isinstance(sheet_id, int) else None
    if sheet is None:
        raise ApiError(400, f"No grid with id: {sheet_id}")
    return sheet


def _rename(book: Spreadsheet, sheet: Sheet, title: str) -> None:
    other = book.sheet_by_title(title)
    if not title or (other is not None and other is not sheet):
        raise duplicate_title(title)
    sheet.title = title


def duplicate_title(title: str) -> ApiError:
    """Google's wording when a tab title is taken (titles are unique within a spreadsheet)."""
    message = f'A sheet with the name "{title}" already exists. Please enter another name.'
    return ApiError(400, message)


def move_sheet(book: Spreadsheet, sheet: Sheet, index: int) -> None:
    """Put ``sheet`` at tab position ``index`` and renumber the others."""
    order = [s for s in book.ordered_sheets() if s is not sheet]
    order.insert(max(0, min(index, len(order))), sheet)
    for i, item in enumerate(order):
        item.index = i


_SHEET_REQUESTS: dict[str, Callable[[Spreadsheet, dict[str, Any]], dict[str, Any]]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
}
