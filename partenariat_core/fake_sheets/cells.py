"""Cell values: how a written JSON value is stored, and how it is rendered back.

The rules that matter to the app, checked against the real API's documented behaviour:

* ``RAW`` stores strings exactly as sent, so ``=1+1``, ``+33 6``, ``-2`` and ``@x`` come back as
  written; JSON numbers and booleans are stored as numbers and booleans.
* ``USER_ENTERED`` parses strings as a person typing them would: ``=...`` becomes a formula,
  numbers and ``TRUE``/``FALSE`` become typed, a leading apostrophe forces text and is dropped.
  Dates, percents and currencies stay text here (the real API would parse them).
* ``FORMATTED_VALUE`` (the default read) returns every cell as a string: ``8`` -> ``"8"``,
  ``True`` -> ``"TRUE"``. ``UNFORMATTED_VALUE``/``FORMULA`` return numbers and booleans as JSON.
* Formulas are never evaluated: every render option returns the formula text. The real API would
  return the computed value for the first two options.
* An empty string clears the cell; ``null`` in ``values.update`` leaves the cell unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError

MAX_CELL_CHARS = 50_000
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class Formula(str):
    """A USER_ENTERED string starting with ``=``; RAW text that looks like one stays a ``str``."""


Cell = str | int | float | bool | None


def parse_input(value: Any, value_input_option: str) -> Cell:
    """Turn one written JSON value into the stored cell (``None`` = empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float):
        return value
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid value: {type(value).__name__} is not a cell value.")
    if len(value) > MAX_CELL_CHARS:
        message = "Your input contains more than the maximum of %d characters in a single cell."
        raise ApiError(400, message % MAX_CELL_CHARS)
    if value_input_option == "RAW":
        return value
    return _parse_user_entered(value)


def _parse_user_entered(text: str) -> Cell:
    if text.startswith("="):
        return Formula(text)
    if text.startswith("'"):
        return text[1:] or None
    stripped = text.strip()
    if _NUMBER.match(stripped):
        if re.search(r"[.eE]", stripped):
            return float(stripped)
        return int(stripped)
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    return text


def render(cell: Cell, value_render_option: str) -> Any:
    """The JSON value Google returns for a stored cell (empty cells are ``""``)."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return str(cell)
    if value_render_option == "FORMATTED_VALUE":
        return format_value(cell)
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    return cell


def format_value(cell: int | float | bool) -> str:
    """Google's "Automatic" number format, close enough: ``8.0`` -> ``8``, ``1e20`` -> ``1E+20``."""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int):
        return str(cell)
    if cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    return format(cell, ".15g").upper()


def user_entered_value(cell: Cell) -> dict[str, Any]:
    """The ``userEnteredValue`` object of grid data (``includeGridData=true``)."""
    if isinstance(cell, Formula):
        return {"formulaValue": str(cell)}
    if isinstance(cell, bool):
        return {"boolValue": cell}
    if isinstance(cell, int | float):
        return {"numberValue": cell}
    return {"stringValue": cell}
