"""Comparing texts the way a person would: accents, case, punctuation and numbering do not count.

A Google Form's question reads "1. L'inclusion de la diversité des points de vue…" where the
instrument file says "L'inclusion de la diversité des points de vue sur la situation"; Forms also
truncates nothing but hosts do, and they type "Ou se situe le partenariat aujourd'hui?" without
accents. ``similarity`` gives 1.0 for the same words, a high score when one text is the beginning
(or a whole-word part) of the other, and a graded score otherwise.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_NUMBERING = re.compile(r"^(?:q|question)?\s?\d+[a-z]?\s+(?=\S)")


def normalize(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: ``"Où se situe… ?"`` -> ``"ou se situe"``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


def strip_numbering(normalized: str) -> str:
    """Drop a leading question number ("1", "q3", "2b") from a normalised text."""
    stripped = _NUMBERING.sub("", normalized, count=1)
    return stripped if len(stripped) >= 3 else normalized


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1, after :func:`normalize` and numbering removal."""
    x, y = strip_numbering(normalize(a)), strip_numbering(normalize(b))
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if len(short.split()) >= 3 and (long_.startswith(short + " ") or f" {short} " in f" {long_} "):
        return 0.85 + 0.15 * len(short) / len(long_)  # a truncated or embedded question
    words_x, words_y = set(x.split()), set(y.split())
    overlap = len(words_x & words_y) / max(len(words_x), len(words_y))
    ratio = difflib.SequenceMatcher(None, x, y).ratio()
    return round(0.5 * overlap + 0.5 * ratio, 4)
