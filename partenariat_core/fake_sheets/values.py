"""The ``spreadsheets.values`` endpoints: get, batchGet, update, batchUpdate, append, clear.

Reply shapes follow the recorded exchanges in gspread's ``tests/cassettes`` (see the package
docstring): ``range`` clipped to the grid (``Sheet1!A1:Z1000``), ``values`` left out when empty,
and ``tableRange`` left out of an append reply when the sheet held no table yet.
"""

from __future__ import annotations

from typing import Any

from .cells import Cell, parse_input
from .errors import ApiError
from .ranges import Bounds, col_letters, format_range
from .routing import Query, check_enum
from .state import Box, Sheet, Spreadsheet, check_grid
from .tables import find_table

RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
DIMENSIONS = ("ROWS", "COLUMNS")
INSERT_OPTIONS = ("OVERWRITE", "INSERT_ROWS")
Body = dict[str, Any]


def values_get(book: Spreadsheet, range_text: str, query: Query) -> dict[str, Any]:
    """``GET .../values/{range}``."""
    render = query.enum("valueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE")
    major = query.enum("majorDimension", DIMENSIONS, "ROWS")
    return _value_range(book, range_text, str(render), str(major))


def values_batch_get(book: Spreadsheet, query: Query) -> dict[str, Any]:
    """``GET .../values:batchGet?ranges=...&ranges=...``."""
    render = str(query.enum("valueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE"))
    major = str(query.enum("majorDimension", DIMENSIONS, "ROWS"))
    reply: dict[str, Any] = {"spreadsheetId": book.key}
    ranges = query.all("ranges")
    if ranges:
        reply["valueRanges"] = [_value_range(book, text, render, major) for text in ranges]
    return reply


def values_update(book: Spreadsheet, range_text: str, query: Query, body: Body) -> Body:
    """``PUT .../values/{range}``: write a block whose top-left is the range's."""
    option = _input_option(query.get("valueInputOption"))
    return _update_one(book, range_text, body, option, query.flag("includeValuesInResponse"))


def values_batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``POST .../values:batchUpdate``; the caller makes it atomic."""
    option = _input_option(body.get("valueInputOption"))
    include = bool(body.get("includeValuesInResponse", False))
    data = body.get("data", [])
    responses = [_update_one(book, str(d.get("range", "")), d, option, include) for d in data]
    return {
        "spreadsheetId": book.key,
        "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
        "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len(
            {r["updatedRange"].split("!")[0] for r in responses if "updatedRange" in r}
        ),
        "responses": responses,
    }


def values_append(book: Spreadsheet, range_text: str, query: Query, body: Body) -> Body:
    """``POST .../values/{range}:append``: write after the table Google finds in the range.

    See :mod:`.tables` for how the table is found (Google's documented detection).
    """
    option = _input_option(query.get("valueInputOption"))
    insert = query.enum("insertDataOption", INSERT_OPTIONS, "OVERWRITE")
    sheet, bounds = book.resolve(range_text)
    check_grid(range_text, sheet, bounds)
    rows = _rows_of(body)
    area = Box(
        bounds.start_row,
        bounds.start_col,
        bounds.end_row if bounds.end_row is not None else sheet.row_count,
        bounds.end_col if bounds.end_col is not None else sheet.column_count,
    )
    reply: dict[str, Any] = {"spreadsheetId": book.key}
    table = find_table(sheet, area)
    if table is None:
        top, left = area.top, area.left
    else:
        reply["tableRange"] = format_range(sheet.title, table.top, table.left, table.bottom, table.right)
        top, left = table.bottom + 1, table.left
    if insert == "INSERT_ROWS" and rows:
        sheet.insert_rows(top, len(rows))
    updates = write_block(sheet, top, left, rows, option, skip_null=False)
    if query.flag("includeValuesInResponse") and updates.get("updatedRange"):
        updates["updatedData"] = _value_range(book, updates["updatedRange"], "FORMATTED_VALUE")
    reply["updates"] = {"spreadsheetId": book.key, **updates}
    return reply


def values_clear(book: Spreadsheet, range_text: str) -> dict[str, Any]:
    """``POST .../values/{range}:clear``: empty the cells, keep the grid."""
    sheet, box = book.resolve_box(range_text)
    for row in range(box.top, min(box.bottom, len(sheet.rows)) + 1):
        for col in range(box.left, box.right + 1):
            sheet.set(row, col, None)
    cleared = format_range(sheet.title, box.top, box.left, box.bottom, box.right)
    return {"spreadsheetId": book.key, "clearedRange": cleared}


def values_batch_clear(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """``POST .../values:batchClear``."""
    cleared = [values_clear(book, str(text))["clearedRange"] for text in body.get("ranges", [])]
    return {"spreadsheetId": book.key, "clearedRanges": cleared}


def _update_one(
    book: Spreadsheet, range_text: str, body: dict[str, Any], option: str, include: bool
) -> dict[str, Any]:
    sheet, bounds = book.resolve(range_text)
    check_grid(range_text, sheet, bounds)
    rows = _rows_of(body)
    _check_fits(range_text, bounds, rows)
    updates = write_block(sheet, bounds.start_row, bounds.start_col, rows, option, skip_null=True)
    if include and updates.get("updatedRange"):
        updates["updatedData"] = _value_range(book, updates["updatedRange"], "FORMATTED_VALUE")
    return {"spreadsheetId": book.key, **updates}


def _value_range(book: Spreadsheet, range_text: str, render: str, major: str = "ROWS") -> Body:
    sheet, box = book.resolve_box(range_text)
    values = sheet.read(box, render)
    if major == "COLUMNS":
        values = _transpose(values)
    reply: dict[str, Any] = {
        "range": format_range(sheet.title, box.top, box.left, box.bottom, box.right),
        "majorDimension": major,
    }
    if values:
        reply["values"] = values
    return reply


def write_block(
    sheet: Sheet, top: int, left: int, rows: list[list[Any]], option: str, *, skip_null: bool
) -> dict[str, Any]:
    """Write ``rows`` from ``(top, left)``, growing the grid; returns the ``updates`` counts."""
    parsed: list[list[tuple[bool, Cell]]] = [
        [(value is None, parse_input(value, option)) for value in row] for row in rows
    ]
    width = max((len(row) for row in rows), default=0)
    if not rows or width == 0:
        return {}
    sheet.grow_to(top + len(rows) - 1, left + width - 1)
    cells = 0
    for i, row in enumerate(parsed):
        for j, (was_null, cell) in enumerate(row):
            if was_null and skip_null:
                continue
            sheet.set(top + i, left + j, cell)
            cells += 1
    return {
        "updatedRange": format_range(sheet.title, top, left, top + len(rows) - 1, left + width - 1),
        "updatedRows": len(rows),
        "updatedColumns": width,
        "updatedCells": cells,
    }


def _rows_of(body: dict[str, Any]) -> list[list[Any]]:
    """``values`` of a ValueRange body as rows, transposing ``majorDimension=COLUMNS``."""
    values = body.get("values", [])
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        raise ApiError(400, "Invalid value at 'data.values': expected a list of lists.")
    major = check_enum("majorDimension", body.get("majorDimension", "ROWS"), DIMENSIONS)
    return _transpose(values, pad=None) if major == "COLUMNS" else values


def _check_fits(range_text: str, bounds: Bounds, rows: list[list[Any]]) -> None:
    """A multi-cell target range must contain the block; a single cell is only an anchor."""
    if bounds.is_single_cell or not rows:
        return
    last_row = bounds.start_row + len(rows) - 1
    last_col = bounds.start_col + max(len(row) for row in rows) - 1
    if bounds.end_row is not None and last_row > bounds.end_row:
        raise ApiError(
            400,
            f"Requested writing within range [{range_text}], but tried writing to row [{last_row}]",
        )
    if bounds.end_col is not None and last_col > bounds.end_col:
        raise ApiError(
            400,
            f"Requested writing within range [{range_text}], but tried writing to column "
            f"[{col_letters(last_col)}]",
        )


def _transpose(values: list[list[Any]], pad: Any = "") -> list[list[Any]]:
    width = max((len(row) for row in values), default=0)
    columns = [[row[c] if c < len(row) else pad for row in values] for c in range(width)]
    if pad == "":
        for column in columns:
            while column and column[-1] == "":
                column.pop()
    return columns


def _input_option(value: Any) -> str:
    """``valueInputOption`` is mandatory on writes; Google names the unspecified enum value."""
    if value is None:
        raise ApiError(400, "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    return str(check_enum("valueInputOption", str(value), INPUT_OPTIONS))
