"""A1 notation: parse the ranges gspread sends and format the ranges Google sends back.

Kept apart from the spreadsheet model because both the request side (``'Responses'!A2:H``) and the
reply side (``Responses!A2:H1000``) need it, and because it is the part most worth unit-testing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ApiError

_A1 = re.compile(r"^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


@dataclass(frozen=True)
class Bounds:
    """A rectangle, 1-based and inclusive; ``None`` on an end means "to the edge of the grid"."""

    start_row: int
    start_col: int
    end_row: int | None
    end_col: int | None

    @property
    def is_single_cell(self) -> bool:
        """A single cell used as a write target is an anchor: Google writes the block from there."""
        return self.start_row == self.end_row and self.start_col == self.end_col


WHOLE_SHEET = Bounds(1, 1, None, None)


@dataclass(frozen=True)
class ParsedRange:
    """What a range string names, before the sheet title is resolved against a spreadsheet.

    ``title`` is None when the string carried no ``!``; then ``a1`` may be either a sheet title or
    an A1 reference on the first sheet, which only the spreadsheet can decide.
    """

    text: str
    title: str | None
    a1: str


def split_range(text: str) -> ParsedRange:
    """Split ``'It''s'!A1:B2`` into the sheet title and the A1 part, undoing the quote escaping."""
    if text.startswith("'"):
        return _split_quoted(text)
    if "!" in text:
        title, a1 = text.split("!", 1)
        return ParsedRange(text, title, a1)
    return ParsedRange(text, None, text)


def _split_quoted(text: str) -> ParsedRange:
    chars: list[str] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch != "'":
            chars.append(ch)
            i += 1
            continue
        if text[i + 1 : i + 2] == "'":
            chars.append("'")
            i += 2
            continue
        rest = text[i + 1 :]
        if rest == "":
            return ParsedRange(text, "".join(chars), "")
        if rest.startswith("!"):
            return ParsedRange(text, "".join(chars), rest[1:])
        break
    raise unparsable(text)


def parse_a1(a1: str) -> Bounds | None:
    """Parse ``A1``, ``A1:B2``, ``A:C``, ``2:5``, ``A2:H`` or ``A1:1``; None if it is not A1."""
    match = _A1.match(a1)
    if match is None:
        return None
    col1, row1, col2, row2 = match.groups()
    if match.group(3) is None and match.group(4) is None:
        if not (col1 and row1):
            return None  # "A" or "5" alone is a name, not a cell
        return _normalise(Bounds(int(row1), col_index(col1), int(row1), col_index(col1)))
    if not (col1 or row1) or not (col2 or row2):
        return None
    if (row1 and int(row1) == 0) or (row2 and int(row2) == 0):
        return None
    bounds = Bounds(
        start_row=int(row1) if row1 else 1,
        start_col=col_index(col1) if col1 else 1,
        end_row=int(row2) if row2 else None,
        end_col=col_index(col2) if col2 else None,
    )
    return _normalise(bounds)


def _normalise(bounds: Bounds) -> Bounds | None:
    """Google accepts ``B2:A1`` and means ``A1:B2``; a zero row is not a cell."""
    if bounds.start_row == 0:
        return None
    start_row, end_row = bounds.start_row, bounds.end_row
    if end_row is not None and end_row < start_row:
        start_row, end_row = end_row, start_row
    start_col, end_col = bounds.start_col, bounds.end_col
    if end_col is not None and end_col < start_col:
        start_col, end_col = end_col, start_col
    return Bounds(start_row, start_col, end_row, end_col)


def col_index(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index


def col_letters(index: int) -> str:
    """1 -> ``A``, 27 -> ``AA``."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def quote_title(title: str) -> str:
    """Quote a title only when Google does: ``Responses`` stays bare, ``My sheet`` does not."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, start_row: int, start_col: int, end_row: int, end_col: int) -> str:
    """``Responses!A1:H12`` as Google writes it in ``range``/``updatedRange``/``tableRange``."""
    first = f"{col_letters(start_col)}{start_row}"
    if (start_row, start_col) == (end_row, end_col):
        return f"{quote_title(title)}!{first}"
    return f"{quote_title(title)}!{first}:{col_letters(end_col)}{end_row}"


def unparsable(text: str) -> ApiError:
    """The error Google gives for a range naming no sheet of the spreadsheet."""
    return ApiError(400, f"Unable to parse range: {text}")
