"""Spreadsheets in memory: sheets, grid sizes and cells, plus range resolution against them.

Nothing here locks: the server holds its one lock around every call, so that an append (find the
end of the table, then write) is atomic like Google's, which is what keeps concurrent appends from
overwriting each other.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
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
    hidden: bool = False
    extra_props: dict[str, Any] = field(default_factory=dict)  # tabColorStyle, rightToLeft...
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    row_groups: list[dict[str, Any]] = field(default_factory=list)
    column_groups: list[dict[str, Any]] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)  # listed spreadsheet-wide

    def properties(self) -> dict[str, Any]:
        """``sheets[].properties`` as in the metadata Google returns."""
        grid = {"rowCount": self.row_count, "columnCount": self.column_count, **self.extra_grid}
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        props.update(self.extra_props)
        return props

    def entry(self) -> dict[str, Any]:
        """One item of ``sheets[]`` in the metadata: properties, then what only exists once set."""
        entry: dict[str, Any] = {"properties": self.properties()}
        if self.merges:
            entry["merges"] = [grid_range_out(m) for m in self.merges]
        if self.protected_ranges:
            entry["protectedRanges"] = [protected_out(p) for p in self.protected_ranges]
        if self.basic_filter is not None:
            entry["basicFilter"] = {
                **self.basic_filter,
                "range": grid_range_out(self.basic_filter["range"]),
            }
        if self.row_groups:
            entry["rowGroups"] = [group_out(g) for g in self.row_groups]
        if self.column_groups:
            entry["columnGroups"] = [group_out(g) for g in self.column_groups]
        return entry

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
        self.insert_dimension("ROWS", before - 1, count)

    def insert_dimension(self, dimension: str, start: int, count: int) -> None:
        """Insert ``count`` empty rows or columns before 0-based ``start``; everything anchored
        at or after it (cells, protected ranges, merges, filter, groups) moves with it."""
        if dimension == "ROWS":
            if start < len(self.rows):
                self.rows[start:start] = [[] for _ in range(count)]
            self.row_count += count
        else:
            for cells in self.rows:
                if start < len(cells):
                    cells[start:start] = [None] * count
            self.column_count += count
        self._shift_ranges(dimension, lambda i, end: shift_for_insert(i, end, start, count))

    def delete_dimension(self, dimension: str, start: int, end: int) -> None:
        """Delete rows or columns ``[start, end)`` (0-based); ranges inside them shrink or vanish."""
        count = end - start
        if dimension == "ROWS":
            del self.rows[start:end]
            self.row_count -= count
        else:
            for cells in self.rows:
                del cells[start:end]
            self.column_count -= count
        self._shift_ranges(dimension, lambda i, _end: shift_for_delete(i, start, end))

    def _shift_ranges(self, dimension: str, move: Callable[[int, bool], int]) -> None:
        prefix = "Row" if dimension == "ROWS" else "Column"
        lo, hi = f"start{prefix}Index", f"end{prefix}Index"

        def shifted(grid: dict[str, Any]) -> bool:
            """Move one GridRange in place; False when it no longer covers anything."""
            if lo in grid and grid[lo] is not None:
                grid[lo] = move(int(grid[lo]), False)
            if hi in grid and grid[hi] is not None:
                grid[hi] = move(int(grid[hi]), True)
            start, stop = grid.get(lo), grid.get(hi)
            return not (start is not None and stop is not None and start >= stop)

        self.protected_ranges = [p for p in self.protected_ranges if shifted(p["range"])]
        self.merges = [m for m in self.merges if shifted(m)]
        self.named_ranges = [n for n in self.named_ranges if shifted(n["range"])]
        if self.basic_filter is not None and not shifted(self.basic_filter["range"]):
            self.basic_filter = None
        groups = self.row_groups if dimension == "ROWS" else self.column_groups
        kept = []
        for group in groups:
            span = group["range"]
            span["startIndex"] = move(int(span["startIndex"]), False)
            span["endIndex"] = move(int(span["endIndex"]), True)
            if span["startIndex"] < span["endIndex"]:
                kept.append(group)
        groups[:] = kept

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
    owner_email: str = "partenariat-live@fake-project.iam.gserviceaccount.com"
    last_object_id: int = 1_000_000_000  # protected ranges' ids: Google's are random ints

    def new_object_id(self) -> int:
        """A fresh id for a protected range (unique in the spreadsheet)."""
        self.last_object_id += 7919
        return self.last_object_id

    def metadata(self) -> dict[str, Any]:
        """The body of ``GET /v4/spreadsheets/{id}`` (``includeGridData=false``)."""
        meta: dict[str, Any] = {
            "spreadsheetId": self.key,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
            },
            "sheets": [s.entry() for s in self.ordered_sheets()],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }
        named = [named_out(n) for s in self.ordered_sheets() for n in s.named_ranges]
        if named:
            meta["namedRanges"] = named
        return meta

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


def shift_for_insert(index: int, is_end: bool, start: int, count: int) -> int:
    """Where a range boundary goes when ``count`` rows are inserted before ``start``.

    A range starting at ``start`` moves down; one spanning it grows (its end is past ``start``);
    one ending exactly at ``start`` stays put, as in Google Sheets.
    """
    if index > start or (index == start and not is_end):
        return index + count
    return index


def shift_for_delete(index: int, start: int, end: int) -> int:
    """Where a range boundary goes when rows ``[start, end)`` are deleted."""
    if index <= start:
        return index
    if index >= end:
        return index - (end - start)
    return start


def grid_range_out(grid: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google returns it: ``sheetId`` 0 is left out (proto3 default), as recorded in
    gspread's cassette ``WorksheetTest.test_add_protected_range_normal``; bounds given stay."""
    out = {k: v for k, v in grid.items() if v is not None}
    if out.get("sheetId") == 0:
        del out["sheetId"]
    return out


def protected_out(item: dict[str, Any]) -> dict[str, Any]:
    """A ProtectedRange as ``spreadsheets.get`` returns it (false and empty fields left out)."""
    out: dict[str, Any] = {"protectedRangeId": item["protectedRangeId"]}
    out["range"] = grid_range_out(item["range"])
    for key in ("namedRangeId", "description"):
        if item.get(key):
            out[key] = item[key]
    if item.get("warningOnly"):
        out["warningOnly"] = True
    out["requestingUserCanEdit"] = True
    if item.get("unprotectedRanges"):
        out["unprotectedRanges"] = [grid_range_out(g) for g in item["unprotectedRanges"]]
    if not item.get("warningOnly"):
        out["editors"] = copy.deepcopy(item.get("editors") or {})
    return out


def named_out(item: dict[str, Any]) -> dict[str, Any]:
    """A NamedRange as ``spreadsheets.get`` returns it."""
    return {**item, "range": grid_range_out(item["range"])}


def group_out(group: dict[str, Any]) -> dict[str, Any]:
    """A DimensionGroup as ``spreadsheets.get`` returns it."""
    span = {k: v for k, v in group["range"].items() if v is not None}
    if span.get("sheetId") == 0:
        del span["sheetId"]
    out: dict[str, Any] = {"range": span, "depth": group["depth"]}
    if group.get("collapsed"):
        out["collapsed"] = True
    return out
