"""What keeps a written file harmless: formula neutralisation and portable file names.

Participants' cards are stored exactly as typed (see ``participation.py``), so a card may start with
``=`` or hold ``<script>``. Each writer makes its output safe for its own reader:

* CSV: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
  Excel, LibreOffice and Google Sheets (OWASP "CSV injection"); ``neutralize_cell`` prefixes it with a
  single quote, which those programs show as text.
* XLSX: cells are written as typed strings (never formulas), so the text is kept exactly; see ``xlsx.py``.
* HTML: every text goes through ``html.escape``; see ``html_report.py``.
* File names: ``safe_filename`` gives a name every common file system accepts.
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# Windows refuses these base names whatever the extension ("CON.csv" included); superscript digits
# count too on recent Windows versions.
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)
_FORBIDDEN = set('<>:"/\\|?*')
MAX_NAME_CHARS = 120  # well under the 255 bytes (ext4, APFS) or UTF-16 units (NTFS) any system allows
MAX_NAME_BYTES = 200


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralize_cell(value: object) -> object:
    """A text cell that a spreadsheet would evaluate gets a leading ``'``; numbers pass unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def safe_filename(stem: str, extension: str = "", *, fallback: str = "export") -> str:
    """A file name valid on Windows, macOS and Linux that still reads like ``stem``.

    Accents are kept (NFC); forbidden characters ``<>:"/\\|?*`` and control characters become ``_``;
    runs of spaces and underscores shrink to one; leading and trailing dots and spaces go (Windows
    drops trailing ones silently, and a leading dot hides a file on Unix); reserved device names
    (``CON``, ``NUL``, ``COM1``…) get a ``_`` prefix; the result is capped in characters and UTF-8
    bytes without cutting a character in half.
    """
    text = unicodedata.normalize("NFC", stem or "")
    chars = []
    for ch in text:
        if ch.isspace():
            chars.append(" ")
        elif ch in _FORBIDDEN or unicodedata.category(ch)[0] == "C":
            chars.append("_")
        else:
            chars.append(ch)
    name = re.sub(r"_{2,}", "_", re.sub(r" {2,}", " ", "".join(chars)))
    name = name.strip(" ._")
    ext = "".join(ch for ch in (extension or "").lstrip(".") if ch.isascii() and ch.isalnum())
    suffix = f".{ext}" if ext else ""
    budget_chars = MAX_NAME_CHARS - len(suffix)
    budget_bytes = MAX_NAME_BYTES - len(suffix.encode())
    name = name[:budget_chars]
    while len(name.encode("utf-8")) > budget_bytes:
        name = name[:-1]
    name = name.rstrip(" ._") or fallback
    if _RESERVED.match(name.split(".")[0]):
        name = f"_{name}"
    return name + suffix


_SHEET_FORBIDDEN = set("[]:*?/\\")


def safe_sheet_name(name: str, taken: set[str] | None = None) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, not starting or ending with
    ``'``, unique (case-insensitively) among ``taken``, which is updated."""
    clean = "".join(
        "_" if ch in _SHEET_FORBIDDEN or unicodedata.category(ch)[0] == "C" else ch for ch in name
    )
    clean = clean.strip("' ") or "Sheet"
    taken = taken if taken is not None else set()
    candidate, n = clean[:31], 1
    while candidate.lower() in taken:
        n += 1
        tail = f" ({n})"
        candidate = clean[: 31 - len(tail)].rstrip("' ") + tail
    taken.add(candidate.lower())
    return candidate
