"""The request kinds of ``spreadsheets.batchUpdate``: what a person or gspread does to a sheet.

Covered: every kind gspread 6.2's own methods send (``sortRange``, ``insertDimension``,
``deleteDimension``, ``appendDimension``, ``addProtectedRange``, ``updateProtectedRange``,
``deleteProtectedRange``, ``repeatCell``, ``updateCells``, ``mergeCells``, ``unmergeCells``,
``copyPaste``, ``cutPaste``, ``setBasicFilter``, ``clearBasicFilter``, ``addNamedRange``,
``updateNamedRange``, ``deleteNamedRange``, ``addDimensionGroup``, ``deleteDimensionGroup``,
``updateDimensionProperties``, ``autoResizeDimensions``, ``setDataValidation``,
``duplicateSheet``) plus the sheet and spreadsheet properties ones.

Shapes follow the Sheets API v4 reference (``GridRange`` is 0-based and half-open, a missing
bound means "to the edge of the grid"; ``sheetId`` 0 is left out of replies) and the recorded
reply in gspread's ``WorksheetTest.test_add_protected_range_normal`` cassette. What the fake keeps:
values, grid sizes, protected ranges, merges, the basic filter, named ranges and dimension groups,
all moved by row/column insertions and deletions as Google moves them. What it accepts and checks
(ranges, enums) but does not keep: formats, notes, data validation rules, pixel sizes and hidden
rows/columns; reading them back is not faked.

Sort order (``sortRange``, a filter's ``sortSpecs``) is Google Sheets' A→Z: numbers, then text
(accents and case ignored first), then booleans; empty cells always go last, whatever the order.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from typing import Any

from .cells import Cell, Formula, parse_input
from .errors import ApiError
from .ranges import format_range
from .state import DEFAULT_COLS, DEFAULT_ROWS, Sheet, Spreadsheet, grid_range_out, protected_out

Params = dict[str, Any]
Reply = dict[str, Any]
DIMENSIONS = ("ROWS", "COLUMNS")
PASTE_VALUES = frozenset(
    {"PASTE_NORMAL", "PASTE_VALUES", "PASTE_NO_BORDERS", "PASTE_FORMULA"}
)  # the paste types that carry values; the others only carry formats, validation, rules
PASTE_TYPES = PASTE_VALUES | {
    "PASTE_FORMAT",
    "PASTE_DATA_VALIDATION",
    "PASTE_CONDITIONAL_FORMATTING",
}


# -- ranges ------------------------------------------------------------------------------------


class Grid:
    """A GridRange resolved against its sheet: 0-based, half-open, clipped to the grid."""

    def __init__(self, sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> None:
        self.sheet, self.r0, self.r1, self.c0, self.c1 = sheet, r0, r1, c0, c1

    @property
    def height(self) -> int:
        return self.r1 - self.r0

    @property
    def width(self) -> int:
        return self.c1 - self.c0

    def a1(self) -> str:
        """``Sheet1!A1:B2``, for messages."""
        return format_range(self.sheet.title, self.r0 + 1, self.c0 + 1, self.r1, self.c1)

    def values(self) -> list[list[Cell]]:
        """The stored cells of the rectangle, row by row (``None`` for empty)."""
        return [
            [self.sheet.get(r + 1, c + 1) for c in range(self.c0, self.c1)] for r in range(self.r0, self.r1)
        ]


def sheet_of(book: Spreadsheet, sheet_id: Any) -> Sheet:
    """The sheet with this id; a missing ``sheetId`` is 0, the proto default, as at Google."""
    sheet_id = 0 if sheet_id is None else sheet_id
    sheet = book.sheet_by_id(sheet_id) if isinstance(sheet_id, int) else None
    if sheet is None:
        raise ApiError(400, f"No grid with id: {sheet_id}")
    return sheet


def grid_of(book: Spreadsheet, grid: Any, name: str = "range") -> Grid:
    """Resolve a GridRange; bounds outside the grid or reversed are a 400."""
    if not isinstance(grid, dict):
        raise ApiError(400, f"Invalid {name}: a GridRange object is required.")
    sheet = sheet_of(book, grid.get("sheetId"))
    r0 = _index(grid, "startRowIndex", 0)
    r1 = _index(grid, "endRowIndex", sheet.row_count)
    c0 = _index(grid, "startColumnIndex", 0)
    c1 = _index(grid, "endColumnIndex", sheet.column_count)
    if r0 > r1 or c0 > c1:
        raise ApiError(400, f"Invalid {name}: the start index must not be after the end index.")
    if r1 > sheet.row_count or c1 > sheet.column_count:
        text = format_range(sheet.title, r0 + 1, c0 + 1, max(r1, r0 + 1), max(c1, c0 + 1))
        raise ApiError(
            400,
            f"Range ({text}) exceeds grid limits. Max rows: {sheet.row_count}, "
            f"max columns: {sheet.column_count}",
        )
    return Grid(sheet, r0, r1, c0, c1)


def stored_grid(grid: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as kept in the model: the bounds given, ``sheetId`` explicit."""
    keys = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    out: dict[str, Any] = {"sheetId": grid.get("sheetId") or 0}
    out.update({k: int(grid[k]) for k in keys if grid.get(k) is not None})
    return out


def dimension_range(book: Spreadsheet, span: Any, name: str = "range") -> tuple[Sheet, str, int, int]:
    """Resolve a DimensionRange to ``(sheet, dimension, start, end)``, 0-based, half-open."""
    if not isinstance(span, dict):
        raise ApiError(400, f"Invalid {name}: a DimensionRange object is required.")
    sheet = sheet_of(book, span.get("sheetId"))
    dimension = span.get("dimension")
    if dimension not in DIMENSIONS:
        raise ApiError(400, f"Invalid {name}.dimension: {dimension!r} (ROWS or COLUMNS).")
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start = _index(span, "startIndex", 0)
    end = _index(span, "endIndex", size)
    if start > end:
        raise ApiError(400, f"Invalid {name}: startIndex {start} is after endIndex {end}.")
    return sheet, dimension, start, end


def _index(obj: dict[str, Any], key: str, default: int) -> int:
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(400, f"Invalid value at '{key}': {value!r} is not a non-negative integer.")
    return value


# -- sorting -----------------------------------------------------------------------------------


def sort_key(cell: Cell) -> tuple[int, Any]:
    """Google Sheets' A→Z: numbers < text < booleans (blanks are handled by the caller)."""
    if isinstance(cell, bool):
        return (2, cell)
    if isinstance(cell, int | float):
        return (0, cell)
    text = str(cell)
    folded = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return (1, (bare, text.casefold(), text))


def sort_rows(grid: Grid, specs: list[Any]) -> None:
    """Sort the rows of ``grid`` (only its columns move) by ``specs``, stably, blanks last."""
    parsed: list[tuple[int, bool]] = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict) or not isinstance(spec.get("dimensionIndex"), int):
            raise ApiError(400, f"Invalid sortSpecs[{i}]: dimensionIndex is required.")
        column = spec["dimensionIndex"]
        if not grid.c0 <= column < grid.c1:
            raise ApiError(400, f"Invalid sortSpecs[{i}]: dimensionIndex {column} is outside the range.")
        order = spec.get("sortOrder") or "ASCENDING"
        if order not in ("ASCENDING", "DESCENDING"):
            raise ApiError(400, f"Invalid sortSpecs[{i}].sortOrder: {order!r}.")
        parsed.append((column - grid.c0, order == "DESCENDING"))
    rows = grid.values()
    for column, descending in reversed(parsed):
        filled = [row for row in rows if row[column] is not None]
        blank = [row for row in rows if row[column] is None]
        filled.sort(key=lambda row, c=column: sort_key(row[c]), reverse=descending)
        rows = filled + blank
    write_cells(grid.sheet, grid.r0, grid.c0, rows)


def write_cells(sheet: Sheet, r0: int, c0: int, rows: list[list[Cell]]) -> None:
    """Store already-parsed cells from 0-based ``(r0, c0)``; ``None`` empties a cell."""
    sheet.grow_to(r0 + len(rows), c0 + max((len(r) for r in rows), default=0))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            sheet.set(r0 + i + 1, c0 + j + 1, cell)


# -- dimensions --------------------------------------------------------------------------------


def insert_dimension(book: Spreadsheet, params: Params) -> Reply:
    """``insertDimension``: empty rows/columns at ``[startIndex, endIndex)``; what follows moves."""
    sheet, dimension, start, end = dimension_range(book, params.get("range"))
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start > size:
        raise ApiError(400, f"Invalid range: startIndex {start} is past the grid ({size}).")
    if params.get("inheritFromBefore") and start == 0:
        raise ApiError(400, "inheritFromBefore cannot be true when inserting at index 0.")
    if end > start:
        sheet.insert_dimension(dimension, start, end - start)
    return {}


def delete_dimension(book: Spreadsheet, params: Params) -> Reply:
    """``deleteDimension``: remove rows/columns; Google keeps at least one non-frozen one."""
    sheet, dimension, start, end = dimension_range(book, params.get("range"))
    rows = dimension == "ROWS"
    size = sheet.row_count if rows else sheet.column_count
    word = "rows" if rows else "columns"
    if end > size:
        raise ApiError(400, f"Invalid range: endIndex {end} is past the grid ({size} {word}).")
    if end - start >= size:
        raise ApiError(400, f"You can't delete all the {word} on the sheet.")
    frozen = int(sheet.extra_grid.get("frozenRowCount" if rows else "frozenColumnCount") or 0)
    if frozen and size - (end - start) <= frozen:
        raise ApiError(400, f"Sorry, it is not possible to delete all non-frozen {word}.")
    if end > start:
        sheet.delete_dimension(dimension, start, end)
    return {}


def append_dimension(book: Spreadsheet, params: Params) -> Reply:
    """``appendDimension``: add empty rows or columns at the end of the grid."""
    sheet = sheet_of(book, params.get("sheetId"))
    length = int(params.get("length", 0))
    if params.get("dimension") == "COLUMNS":
        sheet.column_count += length
    else:
        sheet.row_count += length
    return {}


def update_dimension_properties(book: Spreadsheet, params: Params) -> Reply:
    """``updateDimensionProperties`` (pixel size, hidden): checked, not kept."""
    dimension_range(book, params.get("range"))
    if not params.get("fields"):
        raise ApiError(400, "At least one field must be specified in 'fields'.")
    return {}


def auto_resize_dimensions(book: Spreadsheet, params: Params) -> Reply:
    """``autoResizeDimensions``: checked; pixel sizes are not faked."""
    dimension_range(book, params.get("dimensions"), "dimensions")
    return {}


def add_dimension_group(book: Spreadsheet, params: Params) -> Reply:
    """``addDimensionGroup``: a group one deeper than the groups that contain it."""
    sheet, dimension, start, end = dimension_range(book, params.get("range"))
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    depth = 1 + sum(1 for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"])
    span = {"sheetId": sheet.sheet_id, "dimension": dimension, "startIndex": start, "endIndex": end}
    groups.append({"range": span, "depth": depth})
    groups.sort(key=lambda g: (g["range"]["startIndex"], g["depth"]))
    return {"addDimensionGroup": {"dimensionGroups": _groups_out(groups)}}


def delete_dimension_group(book: Spreadsheet, params: Params) -> Reply:
    """``deleteDimensionGroup``: remove the deepest group over exactly that range."""
    sheet, dimension, start, end = dimension_range(book, params.get("range"))
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    same = [g for g in groups if (g["range"]["startIndex"], g["range"]["endIndex"]) == (start, end)]
    if not same:
        raise ApiError(400, "No dimension group exists over that range.")
    deepest = max(same, key=lambda g: g["depth"])
    groups.remove(deepest)
    for group in groups:
        inner = group["range"]
        if inner["startIndex"] >= start and inner["endIndex"] <= end and group["depth"] > 1:
            group["depth"] -= 1 if group["depth"] > deepest["depth"] else 0
    return {"deleteDimensionGroup": {"dimensionGroups": _groups_out(groups)}}


def _groups_out(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from .state import group_out

    return [group_out(g) for g in groups]


# -- sorting, cells, merges ---------------------------------------------------------------------


def sort_range(book: Spreadsheet, params: Params) -> Reply:
    """``sortRange``: what a person's Data > Sort range does, and gspread's ``worksheet.sort``."""
    grid = grid_of(book, params.get("range"))
    specs = params.get("sortSpecs") or []
    if not isinstance(specs, list) or not specs:
        raise ApiError(400, "Invalid sortSpecs: at least one sort spec is required.")
    sort_rows(grid, specs)
    return {}


def user_entered(cell_data: Any) -> Cell:
    """The cell a CellData's ``userEnteredValue`` stands for (``None``: empty)."""
    value = (cell_data or {}).get("userEnteredValue") if isinstance(cell_data, dict) else None
    if not value:
        return None
    if "formulaValue" in value:
        return Formula(str(value["formulaValue"]))
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in value:
            return parse_input(value[key], "RAW")
    raise ApiError(
        400, "Invalid userEnteredValue: stringValue, numberValue, boolValue or formulaValue expected."
    )


def _touches_values(fields: Any) -> bool:
    top = _top_fields(fields)
    return "*" in top or "userEnteredValue" in top


def _top_fields(fields: Any) -> set[str]:
    if not isinstance(fields, str) or not fields.strip():
        raise ApiError(400, "At least one field must be specified in 'fields'.")
    names, depth, current = set(), 0, ""
    for ch in fields + ",":
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            names.add(current.strip().split(".")[0].split("/")[0])
            current = ""
            continue
        if depth == 0:
            current += ch
    return {n for n in names if n}


def repeat_cell(book: Spreadsheet, params: Params) -> Reply:
    """``repeatCell`` (gspread's ``format``): values are kept when ``fields`` names them."""
    grid = grid_of(book, params.get("range"))
    if _touches_values(params.get("fields")):
        cell = user_entered(params.get("cell"))
        write_cells(grid.sheet, grid.r0, grid.c0, [[cell] * grid.width] * grid.height)
    return {}


def update_cells(book: Spreadsheet, params: Params) -> Reply:
    """``updateCells`` (gspread's notes, ``clear_note``...): values when ``fields`` names them."""
    rows = params.get("rows") or []
    if "start" in params and "range" in params:
        raise ApiError(400, "Only one of 'start' or 'range' may be set.")
    if "range" in params:
        grid = grid_of(book, params["range"])
        r0, c0 = grid.r0, grid.c0
        sheet = grid.sheet
    else:
        start = params.get("start") or {}
        sheet = sheet_of(book, start.get("sheetId"))
        r0, c0 = _index(start, "rowIndex", 0), _index(start, "columnIndex", 0)
    if not _touches_values(params.get("fields")):
        return {}
    cells = [[user_entered(c) for c in (row or {}).get("values", [])] for row in rows]
    write_cells(sheet, r0, c0, cells)
    return {}


def set_data_validation(book: Spreadsheet, params: Params) -> Reply:
    """``setDataValidation``: the range is checked; rules are not faked."""
    grid_of(book, params.get("range"))
    return {}


def merge_cells(book: Spreadsheet, params: Params) -> Reply:
    """``mergeCells``: only the top-left value of each merged block survives, as in Sheets."""
    grid = grid_of(book, params.get("range"))
    kind = params.get("mergeType") or "MERGE_ALL"
    if kind not in ("MERGE_ALL", "MERGE_COLUMNS", "MERGE_ROWS"):
        raise ApiError(400, f"Invalid mergeType: {kind!r}.")
    if grid.height * grid.width <= 1:
        raise ApiError(400, "Must merge at least two cells.")
    sheet = grid.sheet
    if any(_overlaps(m, grid) for m in sheet.merges):
        raise ApiError(400, "You can't merge cells that overlap other merged cells.")
    if kind == "MERGE_ALL":
        blocks = [(grid.r0, grid.r1, grid.c0, grid.c1)]
    elif kind == "MERGE_COLUMNS":
        blocks = [(grid.r0, grid.r1, c, c + 1) for c in range(grid.c0, grid.c1)]
    else:
        blocks = [(r, r + 1, grid.c0, grid.c1) for r in range(grid.r0, grid.r1)]
    for r0, r1, c0, c1 in blocks:
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0):
                    sheet.set(r + 1, c + 1, None)
        if (r1 - r0) * (c1 - c0) > 1:
            sheet.merges.append(
                {
                    "sheetId": sheet.sheet_id,
                    "startRowIndex": r0,
                    "endRowIndex": r1,
                    "startColumnIndex": c0,
                    "endColumnIndex": c1,
                }
            )
    return {}


def unmerge_cells(book: Spreadsheet, params: Params) -> Reply:
    """``unmergeCells``: every merge inside the range; one only partly inside is refused."""
    grid = grid_of(book, params.get("range"))
    inside, partly = [], []
    for merge in grid.sheet.merges:
        if _overlaps(merge, grid):
            contained = (
                grid.r0 <= merge["startRowIndex"]
                and merge["endRowIndex"] <= grid.r1
                and grid.c0 <= merge["startColumnIndex"]
                and merge["endColumnIndex"] <= grid.c1
            )
            (inside if contained else partly).append(merge)
    if partly:
        raise ApiError(400, "The range must not span part of a merged cell.")
    grid.sheet.merges = [m for m in grid.sheet.merges if m not in inside]
    return {}


def _overlaps(merge: dict[str, Any], grid: Grid) -> bool:
    return (
        merge["startRowIndex"] < grid.r1
        and grid.r0 < merge["endRowIndex"]
        and merge["startColumnIndex"] < grid.c1
        and grid.c0 < merge["endColumnIndex"]
    )


def copy_paste(book: Spreadsheet, params: Params) -> Reply:
    """``copyPaste``: values repeat to fill a destination that is a multiple of the source."""
    source = grid_of(book, params.get("source"), "source")
    dest = grid_of(book, params.get("destination"), "destination")
    paste = params.get("pasteType") or "PASTE_NORMAL"
    orientation = params.get("pasteOrientation") or "NORMAL"
    if paste not in PASTE_TYPES or orientation not in ("NORMAL", "TRANSPOSE"):
        raise ApiError(400, f"Invalid pasteType/pasteOrientation: {paste!r}/{orientation!r}.")
    if paste not in PASTE_VALUES:
        return {}
    block = source.values()
    if orientation == "TRANSPOSE":
        block = [list(col) for col in zip(*block, strict=True)] if block else []
    height = len(block)
    width = len(block[0]) if block else 0
    if not height or not width:
        return {}
    down = dest.height // height if dest.height % height == 0 and dest.height else 1
    across = dest.width // width if dest.width % width == 0 and dest.width else 1
    tiled = [row * across for row in block] * down
    write_cells(dest.sheet, dest.r0, dest.c0, copy.deepcopy(tiled))
    return {}


def cut_paste(book: Spreadsheet, params: Params) -> Reply:
    """``cutPaste``: move the source's values so their top-left lands on ``destination``."""
    source = grid_of(book, params.get("source"), "source")
    target = params.get("destination") or {}
    sheet = sheet_of(book, target.get("sheetId"))
    r0, c0 = _index(target, "rowIndex", 0), _index(target, "columnIndex", 0)
    paste = params.get("pasteType") or "PASTE_NORMAL"
    if paste not in PASTE_TYPES:
        raise ApiError(400, f"Invalid pasteType: {paste!r}.")
    if paste not in PASTE_VALUES:
        return {}
    block = source.values()
    write_cells(source.sheet, source.r0, source.c0, [[None] * source.width] * source.height)
    write_cells(sheet, r0, c0, block)
    return {}


# -- filters, named ranges -----------------------------------------------------------------------


def set_basic_filter(book: Spreadsheet, params: Params) -> Reply:
    """``setBasicFilter``: one per sheet; its ``sortSpecs`` sort the rows below the header."""
    spec = params.get("filter") or {}
    grid = grid_of(book, spec.get("range"), "filter.range")
    if spec.get("sortSpecs") and grid.height > 1:
        sort_rows(Grid(grid.sheet, grid.r0 + 1, grid.r1, grid.c0, grid.c1), spec["sortSpecs"])
    kept = {k: copy.deepcopy(v) for k, v in spec.items() if k != "range"}
    grid.sheet.basic_filter = {"range": stored_grid(spec.get("range") or {}), **kept}
    return {}


def clear_basic_filter(book: Spreadsheet, params: Params) -> Reply:
    """``clearBasicFilter``: the filter goes, the data stays as it is."""
    sheet_of(book, params.get("sheetId")).basic_filter = None
    return {}


def add_named_range(book: Spreadsheet, params: Params) -> Reply:
    """``addNamedRange``: names are unique in a spreadsheet."""
    named = params.get("namedRange") or {}
    name = named.get("name")
    if not isinstance(name, str) or not name:
        raise ApiError(400, "Invalid namedRange: a name is required.")
    if any(n["name"] == name for s in book.sheets for n in s.named_ranges):
        raise ApiError(400, f"Named range with name {name} already exists.")
    grid = grid_of(book, named.get("range"), "namedRange.range")
    item = {
        "namedRangeId": str(named.get("namedRangeId") or f"nr{book.new_object_id()}"),
        "name": name,
        "range": stored_grid(named["range"]),
    }
    grid.sheet.named_ranges.append(item)
    return {"addNamedRange": {"namedRange": {**item, "range": grid_range_out(item["range"])}}}


def update_named_range(book: Spreadsheet, params: Params) -> Reply:
    """``updateNamedRange``: name and/or range, as ``fields`` says."""
    named = params.get("namedRange") or {}
    sheet, item = _named(book, named.get("namedRangeId"))
    fields = _top_fields(params.get("fields"))
    if fields & {"name", "*"} and named.get("name"):
        item["name"] = str(named["name"])
    if fields & {"range", "*"} and named.get("range") is not None:
        grid = grid_of(book, named["range"], "namedRange.range")
        sheet.named_ranges.remove(item)
        item["range"] = stored_grid(named["range"])
        grid.sheet.named_ranges.append(item)
    return {}


def delete_named_range(book: Spreadsheet, params: Params) -> Reply:
    """``deleteNamedRange``."""
    sheet, item = _named(book, params.get("namedRangeId"))
    sheet.named_ranges.remove(item)
    return {}


def _named(book: Spreadsheet, named_id: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet in book.sheets:
        for item in sheet.named_ranges:
            if item["namedRangeId"] == str(named_id):
                return sheet, item
    raise ApiError(400, f"No named range with id: {named_id}")


# -- protected ranges ----------------------------------------------------------------------------


def add_protected_range(book: Spreadsheet, params: Params) -> Reply:
    """``addProtectedRange``; ``warningOnly`` ranges warn a person, and ignore ``editors``.

    The caller (the spreadsheet's account) is made an editor, as Google adds the requester; the
    reply echoes the editors asked for, ``spreadsheets.get`` lists the real ones (both as in
    gspread's recorded ``test_add_protected_range_normal``).
    """
    spec = params.get("protectedRange")
    if not isinstance(spec, dict):
        raise ApiError(400, "Invalid protectedRange: a ProtectedRange object is required.")
    if spec.get("namedRangeId"):
        sheet, named = _named(book, spec["namedRangeId"])
        grid_spec = named["range"]
    else:
        grid_spec = spec.get("range")
        sheet = grid_of(book, grid_spec).sheet
    wanted = spec.get("protectedRangeId")
    if wanted is not None and _protected(book, wanted, missing_ok=True) is not None:
        raise ApiError(400, f"A protected range with ID {wanted} already exists.")
    unprotected = [stored_grid(g) for g in spec.get("unprotectedRanges") or []]
    for i, item in enumerate(spec.get("unprotectedRanges") or []):
        grid_of(book, item, f"protectedRange.unprotectedRanges[{i}]")
    warning = bool(spec.get("warningOnly"))
    asked = spec.get("editors") or {}
    item: dict[str, Any] = {
        "protectedRangeId": int(wanted) if wanted is not None else book.new_object_id(),
        "range": stored_grid(grid_spec),
        "description": spec.get("description") or "",
        "warningOnly": warning,
        "namedRangeId": spec.get("namedRangeId") or "",
        "unprotectedRanges": unprotected,
    }
    if not warning:
        users = sorted({*(asked.get("users") or []), book.owner_email})
        item["editors"] = {"users": users}
        if asked.get("groups"):
            item["editors"]["groups"] = list(asked["groups"])
        if asked.get("domainUsersCanEdit"):
            item["editors"]["domainUsersCanEdit"] = True
    sheet.protected_ranges.append(item)
    reply = protected_out(item)
    if not warning:
        reply["editors"] = {k: v for k, v in asked.items() if v}
    return {"addProtectedRange": {"protectedRange": reply}}


def update_protected_range(book: Spreadsheet, params: Params) -> Reply:
    """``updateProtectedRange`` for the fields named in ``fields``."""
    spec = params.get("protectedRange") or {}
    sheet, item = _protected(book, spec.get("protectedRangeId"))
    fields = _top_fields(params.get("fields"))
    every = "*" in fields
    if (every or "range" in fields) and spec.get("range") is not None:
        target = grid_of(book, spec["range"]).sheet
        sheet.protected_ranges.remove(item)
        item["range"] = stored_grid(spec["range"])
        target.protected_ranges.append(item)
    if every or "description" in fields:
        item["description"] = spec.get("description") or ""
    if every or "warningOnly" in fields:
        was = item["warningOnly"]
        item["warningOnly"] = bool(spec.get("warningOnly"))
        if was and not item["warningOnly"] and "editors" not in fields:
            item["editors"] = {"users": [book.owner_email]}
    if (every or "editors" in fields) and not item["warningOnly"]:
        asked = spec.get("editors") or {}
        item["editors"] = {"users": sorted({*(asked.get("users") or []), book.owner_email})}
    if every or "unprotectedRanges" in fields:
        item["unprotectedRanges"] = [stored_grid(g) for g in spec.get("unprotectedRanges") or []]
    if item["warningOnly"]:
        item.pop("editors", None)
    return {}


def delete_protected_range(book: Spreadsheet, params: Params) -> Reply:
    """``deleteProtectedRange``."""
    sheet, item = _protected(book, params.get("protectedRangeId"))
    sheet.protected_ranges.remove(item)
    return {}


def _protected(book: Spreadsheet, wanted: Any, *, missing_ok: bool = False) -> Any:
    try:
        key = int(wanted)
    except (TypeError, ValueError):
        key = None
    for sheet in book.sheets:
        for item in sheet.protected_ranges:
            if item["protectedRangeId"] == key:
                return sheet, item
    if missing_ok:
        return None
    raise ApiError(400, f"No protected range with id: {wanted}")


# -- sheets and spreadsheet ----------------------------------------------------------------------


def add_sheet(book: Spreadsheet, params: Params) -> Reply:
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
        hidden=bool(props.get("hidden")),
    )
    for key, value in grid.items():
        if key not in ("rowCount", "columnCount"):
            sheet.extra_grid[key] = value
    book.sheets.append(sheet)
    if "index" in props:
        move_sheet(book, sheet, int(props["index"]))
    _check_visible(book)
    return {"addSheet": {"properties": sheet.properties()}}


def duplicate_sheet(book: Spreadsheet, params: Params) -> Reply:
    """``duplicateSheet``: values, merges, filter, groups and protections (with new ids)."""
    source = sheet_of(book, params.get("sourceSheetId"))
    title = params.get("newSheetName") or f"Copy of {source.title}"
    if book.sheet_by_title(title) is not None:
        raise duplicate_title(title)
    sheet_id = params.get("newSheetId")
    sheet_id = book.next_sheet_id() if sheet_id is None else sheet_id
    if book.sheet_by_id(sheet_id) is not None:
        raise ApiError(400, f"Sheet with id {sheet_id} already exists.")
    copy_ = copy.deepcopy(source)
    copy_.sheet_id, copy_.title, copy_.index, copy_.hidden = sheet_id, title, len(book.sheets), False
    copy_.named_ranges = []
    for item in copy_.protected_ranges:
        item["protectedRangeId"] = book.new_object_id()
    for grid in [
        *(p["range"] for p in copy_.protected_ranges),
        *copy_.merges,
        *([copy_.basic_filter["range"]] if copy_.basic_filter else []),
    ]:
        grid["sheetId"] = sheet_id
    for group in copy_.row_groups + copy_.column_groups:
        group["range"]["sheetId"] = sheet_id
    book.sheets.append(copy_)
    index = params.get("insertSheetIndex")
    move_sheet(book, copy_, int(index) if index is not None else source.index + 1)
    return {"duplicateSheet": {"properties": copy_.properties()}}


def delete_sheet(book: Spreadsheet, params: Params) -> Reply:
    """``deleteSheet``; Google refuses to delete the last tab."""
    sheet = sheet_of(book, params.get("sheetId"))
    if len(book.sheets) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    _check_visible(book)
    return {}


def update_sheet_properties(book: Spreadsheet, params: Params) -> Reply:
    """``updateSheetProperties`` for the fields named in ``fields`` (``*``: all given)."""
    props = params.get("properties", {})
    sheet = sheet_of(book, props.get("sheetId"))
    fields = [f.strip().replace("/", ".") for f in str(params.get("fields", "")).split(",")]
    if "*" in fields:
        fields = [k for k in props if k not in ("gridProperties", "sheetId")]
        fields += [f"gridProperties.{k}" for k in props.get("gridProperties", {})]
    grid = props.get("gridProperties", {})
    rows, cols = sheet.row_count, sheet.column_count
    for field in filter(None, fields):
        if field == "title":
            _rename(book, sheet, str(props.get("title", "")))
        elif field == "index":
            move_sheet(book, sheet, int(props.get("index", 0)))
        elif field == "hidden":
            sheet.hidden = bool(props.get("hidden"))
        elif field in ("gridProperties.rowCount", "gridProperties.columnCount"):
            rows = grid.get("rowCount", rows) if field.endswith("rowCount") else rows
            cols = grid.get("columnCount", cols) if field.endswith("columnCount") else cols
        elif field == "gridProperties":
            rows, cols = grid.get("rowCount", rows), grid.get("columnCount", cols)
            for key, value in grid.items():
                if key not in ("rowCount", "columnCount"):
                    _set_or_drop(sheet.extra_grid, key, value)
        elif field.startswith("gridProperties."):
            key = field.split(".", 1)[1]
            _set_or_drop(sheet.extra_grid, key, grid.get(key))
        elif field in ("tabColor", "tabColorStyle", "rightToLeft"):
            _set_or_drop(sheet.extra_props, field, props.get(field))
        elif field != "sheetId":
            raise ApiError(400, f"Invalid field mask: {field!r} is not a sheet property.")
    if (rows, cols) != (sheet.row_count, sheet.column_count):
        sheet.resize(rows, cols)
    _check_visible(book)
    return {}


def _set_or_drop(target: dict[str, Any], key: str, value: Any) -> None:
    """A field reset to its default disappears from Google's replies, as proto3 defaults do
    (``{"rgbColor": null}``, which gspread's ``clear_tab_color`` sends, is such a reset)."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v is not None}
    if value in (None, 0, False, {}, ""):
        target.pop(key, None)
    else:
        target[key] = copy.deepcopy(value)


def _check_visible(book: Spreadsheet) -> None:
    if all(s.hidden for s in book.sheets):
        raise ApiError(400, "You can't hide all the sheets in a document.")


def update_spreadsheet_properties(book: Spreadsheet, params: Params) -> Reply:
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


SHEET_REQUESTS: dict[str, Callable[[Spreadsheet, Params], Reply]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "duplicateSheet": duplicate_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
    "addDimensionGroup": add_dimension_group,
    "deleteDimensionGroup": delete_dimension_group,
    "sortRange": sort_range,
    "repeatCell": repeat_cell,
    "updateCells": update_cells,
    "setDataValidation": set_data_validation,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "addNamedRange": add_named_range,
    "updateNamedRange": update_named_range,
    "deleteNamedRange": delete_named_range,
    "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range,
    "deleteProtectedRange": delete_protected_range,
}
