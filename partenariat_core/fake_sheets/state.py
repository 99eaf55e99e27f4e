"""Spreadsheets in memory: sheets, grid sizes and cells, plus range resolution against them.

Nothing here locks: the server holds its one lock around every call, so that an append (find the
end of the table, then write) is atomic like Google's, which is what keeps concurrent appends from
overwriting each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .cells import Cell, render
from .errors import ApiError
from .ranges import WHOLE_SHEET, Bounds, parse_a1, split_range, unparsable

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26


@dataclass
class Box:
    """Concrete 1-based inclusive rectangle inside one sheet's grid."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass
class Sheet:
    """One tab: its properties and its cells (rows of cells, ragged, ``None`` = empty)."""

    sheet_id: int
    title: str
    index: int
    row_count: int = DEFAULT_ROWS
    column_count: int = DEFAULT_COLS
    rows: list[list[Cell]] = field(default_factory=list)
    extra_grid: dict[str, Any] = field(default_factory=dict)

    def properties(self) -> dict[str, Any]:
        """``sheets[].properties`` as in the metadata Google returns."""
        grid = {"rowCount": self.row_count, "columnCount": self.column_count, **self.extra_grid}
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }

    def get(self, row: int, col: int) -> Cell:
        """The cell at 1-based ``(row, col)``; ``None`` when empty or never written."""
        if row > len(self.rows) or col > len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][col - 1]

    def set(self, row: int, col: int, value: Cell) -> None:
        """Store one cell, growing the ragged storage (not the grid) as needed."""
        if value is None and self.get(row, col) is None:
            return
        while len(self.rows) < row:
            self.rows.append([])
        cells = self.rows[row - 1]
        while len(cells) < col:
            cells.append(None)
        cells[col - 1] = value

    def insert_rows(self, before: int, count: int) -> None:
        """Shift rows ``before``.. down by ``count``; the grid grows like INSERT_ROWS does."""
        if before <= len(self.rows):
            self.rows[before - 1 : before - 1] = [[] for _ in range(count)]
        self.row_count += count

    def grow_to(self, rows: int, cols: int) -> None:
        """Enlarge the grid so that ``(rows, cols)`` exists; writes past the edge expand it."""
        self.row_count = max(self.row_count, rows)
        self.column_count = max(self.column_count, cols)

    def resize(self, rows: int, cols: int) -> None:
        """Set the grid size; shrinking drops the cells that fall outside, as Google does."""
        if rows < 1 or cols < 1:
            raise ApiError(400, "Invalid grid size: rows and columns must be at least 1.")
        self.row_count, self.column_count = rows, cols
        del self.rows[rows:]
        for cells in self.rows:
            del cells[cols:]

    def last_filled_row(self, box: Box) -> int:
        """Last row inside ``box`` holding a non-empty cell, 0 if none."""
        for row in range(min(box.bottom, len(self.rows)), box.top - 1, -1):
            if any(self.get(row, col) is not None for col in range(box.left, box.right + 1)):
                return row
        return 0

    def first_filled_row(self, box: Box) -> int:
        """First row inside ``box`` holding a non-empty cell, 0 if none."""
        for row in range(box.top, min(box.bottom, len(self.rows)) + 1):
            if any(self.get(row, col) is not None for col in range(box.left, box.right + 1)):
                return row
        return 0

    def last_filled_col(self, box: Box) -> int:
        """Rightmost column inside ``box`` holding a non-empty cell, 0 if none."""
        last = 0
        for row in range(box.top, min(box.bottom, len(self.rows)) + 1):
            cells = self.rows[row - 1]
            for col in range(min(box.right, len(cells)), box.left - 1, -1):
                if cells[col - 1] is not None:
                    last = max(last, col)
                    break
        return last

    def read(self, box: Box, render_option: str) -> list[list[Any]]:
        """Rows of rendered values, trailing empty cells and rows trimmed like Google."""
        out: list[list[Any]] = []
        columns = range(box.left, box.right + 1)
        for row in range(box.top, min(box.bottom, len(self.rows)) + 1):
            values = [render(self.get(row, c), render_option) for c in columns]
            while values and values[-1] == "":
                values.pop()
            out.append(values)
        while out and not out[-1]:
            out.pop()
        return out


@dataclass
class Spreadsheet:
    """A spreadsheet as the fake knows it; ``shared=False`` answers 403 like an unshared file."""

    key: str
    title: str
    sheets: list[Sheet]
    shared: bool = True
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"

    def metadata(self) -> dict[str, Any]:
        """The body of ``GET /v4/spreadsheets/{id}`` (``includeGridData=false``)."""
        return {
            "spreadsheetId": self.key,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
            },
            "sheets": [{"properties": s.properties()} for s in self.ordered_sheets()],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }

    def ordered_sheets(self) -> list[Sheet]:
        """Sheets in tab order."""
        return sorted(self.sheets, key=lambda s: s.index)

    def reindex(self) -> None:
        """Make indexes 0..n-1 again after an insertion or deletion."""
        for i, sheet in enumerate(self.ordered_sheets()):
            sheet.index = i

    def sheet_by_title(self, title: str) -> Sheet | None:
        """Exact match only: stricter than needed is safer in a fake than more lenient."""
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        """The sheet with this ``sheetId``, if any."""
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def next_sheet_id(self) -> int:
        """A fresh ``sheetId``; Google's are random, increasing ones are easier to read in tests."""
        return max((s.sheet_id for s in self.sheets), default=-1) + 1

    def resolve(self, text: str) -> tuple[Sheet, Bounds]:
        """Which sheet and which (possibly unbounded) rectangle ``text`` names."""
        parsed = split_range(text)
        if parsed.title is None:
            sheet = self.sheet_by_title(parsed.a1)
            if sheet is not None:
                return sheet, WHOLE_SHEET
            bounds = parse_a1(parsed.a1)
            if bounds is None or not self.sheets:
                raise unparsable(text)
            return self.ordered_sheets()[0], bounds
        sheet = self.sheet_by_title(parsed.title)
        if sheet is None:
            raise unparsable(text)
        if parsed.a1 == "":
            return sheet, WHOLE_SHEET
        bounds = parse_a1(parsed.a1)
        if bounds is None:
            raise unparsable(text)
        return sheet, bounds

    def resolve_box(self, text: str) -> tuple[Sheet, Box]:
        """Like :meth:`resolve`, clipped to the grid; explicit bounds past the grid are a 400."""
        sheet, bounds = self.resolve(text)
        check_grid(text, sheet, bounds)
        box = Box(
            top=bounds.start_row,
            left=bounds.start_col,
            bottom=bounds.end_row if bounds.end_row is not None else sheet.row_count,
            right=bounds.end_col if bounds.end_col is not None else sheet.column_count,
        )
        return sheet, box


def check_grid(text: str, sheet: Sheet, bounds: Bounds) -> None:
    """Google refuses a range reaching past the grid (reads and explicit write ranges)."""
    rows = [bounds.start_row] + ([bounds.end_row] if bounds.end_row is not None else [])
    cols = [bounds.start_col] + ([bounds.end_col] if bounds.end_col is not None else [])
    if max(rows) > sheet.row_count or max(cols) > sheet.column_count:
        raise ApiError(
            400,
            f"Range ({text}) exceeds grid limits. Max rows: {sheet.row_count}, "
            f"max columns: {sheet.column_count}",
        )
