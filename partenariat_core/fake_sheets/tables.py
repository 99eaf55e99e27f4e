"""Google's table detection for ``values.append``: where appended rows land.

Google documents it in the Sheets API guide ("Append values", developers.google.com/sheets/api/
guides/values#append_values): "The input range is used to search for existing data and find a
'table' within that range. Values are appended to the next row of the table, starting with the
first column of the table." Its worked example, a sheet holding two tables ``A1:C2`` and
``B4:D6``, says appends start at ``B7`` for the ranges ``Sheet1``, ``B4``, ``C5:D5``, ``B2:D4``
and ``A3:G10``, at ``A3`` for ``A1``, and at ``E4`` (or ``A4``) for ``E4`` (``A4``), which is in no
table. gspread's recorded ``WorksheetTest.test_append_row_with_empty_value`` adds one real
exchange: after a first row ``v1, "", v3`` (``A1`` and ``C1``), an append to the whole sheet reports
``tableRange`` ``Sheet1!C1`` and writes ``C2:E2``.

The model, which reproduces every one of those cases:

* a *table* is a block of non-empty cells bounded by empty rows and columns: starting from a
  cell, the block grows while any cell touching its edge (diagonals included) holds a value, like
  a spreadsheet's "current region". So a blank row ends a table, and a lone cell two columns away
  from the data is a table of its own;
* the table an append uses is the one holding the *last* non-empty cell of the range, in reading
  order (bottom row first, rightmost cell of that row). The table may reach outside the range
  (``B2:D4`` finds ``B4:D6``);
* rows are written from the table's first column, on the row after its last row; with no
  non-empty cell in the range, from the range's top-left cell.

``insertDataOption=INSERT_ROWS`` first inserts whole rows there (everything below moves down);
``OVERWRITE`` (the default) writes over whatever is there, the grid growing if needed.

Consequences the app must live with, and that the fake now shows: a row someone typed below the
data after a blank row becomes the table; a cell filled a column apart from the data (say a note in
``K1``) makes the next append start in column ``K``.
"""

from __future__ import annotations

from .state import Box, Sheet


def last_filled_cell(sheet: Sheet, box: Box) -> tuple[int, int] | None:
    """The last non-empty cell of ``box`` in reading order, 1-based, or None."""
    for row in range(min(box.bottom, len(sheet.rows)), box.top - 1, -1):
        cells = sheet.rows[row - 1]
        for col in range(min(box.right, len(cells)), box.left - 1, -1):
            if cells[col - 1] is not None:
                return row, col
    return None


def table_around(sheet: Sheet, row: int, col: int) -> Box:
    """The table (current region) holding the non-empty cell ``(row, col)``."""
    top = bottom = row
    left = right = col
    grown = True
    while grown:
        grown = False
        while _row_has(sheet, bottom + 1, left - 1, right + 1):
            bottom += 1
            grown = True
        while top > 1 and _row_has(sheet, top - 1, left - 1, right + 1):
            top -= 1
            grown = True
        while _col_has(sheet, right + 1, top - 1, bottom + 1):
            right += 1
            grown = True
        while left > 1 and _col_has(sheet, left - 1, top - 1, bottom + 1):
            left -= 1
            grown = True
    return Box(top, left, bottom, right)


def find_table(sheet: Sheet, box: Box) -> Box | None:
    """The table an append to ``box`` writes after, or None when the range holds no value."""
    last = last_filled_cell(sheet, box)
    return None if last is None else table_around(sheet, *last)


def _row_has(sheet: Sheet, row: int, first: int, last: int) -> bool:
    if row < 1 or row > len(sheet.rows):
        return False
    cells = sheet.rows[row - 1]
    return any(cell is not None for cell in cells[max(first, 1) - 1 : max(last, 0)])


def _col_has(sheet: Sheet, col: int, first: int, last: int) -> bool:
    if col < 1:
        return False
    for row in range(max(first, 1), min(last, len(sheet.rows)) + 1):
        cells = sheet.rows[row - 1]
        if col <= len(cells) and cells[col - 1] is not None:
            return True
    return False
