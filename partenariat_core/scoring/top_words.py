"""Top words: the words a board's column (or any list of answers) uses most, for a quick read of a
large board and for its word cloud.

The rules, chosen for short French and English cards written on phones:

- a word is a run of letters; hyphens split words ("peut-être" is two words), apostrophes do not
  ("aujourd'hui" stays whole), nor do French inclusive endings ("acteur·trice·s", "engagé.e.s");
  text is NFC-normalised first so "é" typed as e + accent is "é";
- French elision is taken off ("l'école", "d’accord", "qu'il" → "école", "accord", "il"), and so
  is the English possessive ("people's" → "people");
- words are compared case-folded (and with ’ read as '), accents kept: "Santé" and "santé" are one
  word, "côte" and "cote" are two;
- French and English stop words (the ``stop-words`` package's lists) are left out, and so are
  words of one letter and tokens holding a digit ("2019", "1er");
- a word counts **once per text** it appears in: the count is how many cards (or answers) use it,
  so nobody raises a word by repeating it;
- each word is shown in the spelling most people used ("Santé" ×3 and "santé" ×5 → "santé"); a tie
  goes to the spelling seen first.

For a board, only the cards the room sees count (:func:`column_texts`): hidden, pending and
withdrawn cards are out, an edited card counts with its current text, and a group's members each
count (the group's title is the host's, not the room's). Pure functions: no I/O, no Streamlit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stop_words import get_stop_words

from partenariat_core.scoring.curated import CuratedBoard

TOP_WORDS = 15  # what a chart or a report table shows
LANGUAGES = ("fr", "en")

# letters (and digits, dropped below) with apostrophes inside: "aujourd'hui", "l’école", "don't";
# then French inclusive endings after a middle dot or a period: "acteur·trice·s", "engagé.e.s"
_INCLUSIVE = r"(?:[.·•](?:e|es|s|x|trices?|rices?|euses?|nes?|les?|tes?|ives?|ères?)\b)*"
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ‘][^\W_]+)*" + _INCLUSIVE)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_HEAD = re.compile(r"([^\W_]+)['’ʼ‘]")  # what comes before the first apostrophe
_POSSESSIVE = re.compile(r"['’ʼ‘][sS]$")
# French words whose last vowel is elided before a vowel: l'arbre, qu'il, jusqu'ici
ELISIONS = frozenset({"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
MIN_LETTERS = 2


@dataclass(frozen=True)
class WordCount:
    word: str  # the spelling most people used
    count: int  # how many texts use it


def _key(word: str) -> str:
    return word.translate(_APOSTROPHES).casefold()


@functools.cache
def stop_words(languages: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """The stop words of ``languages``, compared as words are (case-folded, ’ read as ')."""
    return frozenset(_key(w) for lang in languages for w in get_stop_words(lang))


def _strip(token: str) -> str:
    """``token`` without a leading French elision or a trailing English possessive."""
    while (head := _HEAD.match(token)) and _key(head.group(1)) in ELISIONS and head.end() < len(token):
        token = token[head.end() :]
    return token[:-2] if _POSSESSIVE.search(token) and len(token) > 2 else token


def words_of(text: str, stop: frozenset[str] | None = None) -> list[str]:
    """The words of ``text`` that count, as written (elision taken off), in order."""
    stop = stop_words() if stop is None else stop
    out = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        token = match.group()
        if any(ch.isdigit() for ch in token) or _key(token) in stop:
            continue
        word = _strip(token)
        key = _key(word)
        if len(key) < MIN_LETTERS or key in stop:
            continue
        out.append(word)
    return out


def _order(item: tuple[str, int]) -> tuple[int, str, str]:
    key, count = item
    # most used first; ties alphabetically, "école" among the e's
    return (-count, unicodedata.normalize("NFD", key), key)


def top_words(
    texts: Iterable[str], limit: int | None = TOP_WORDS, *, languages: Sequence[str] = LANGUAGES
) -> list[WordCount]:
    """The ``limit`` words used by most texts (all of them with ``limit=None``); see the module."""
    stop = stop_words(tuple(languages))
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        seen: set[str] = set()
        for word in words_of(text, stop):
            key = _key(word)
            spellings.setdefault(key, Counter())[word] += 1  # insertion order breaks a tie
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    ranked = sorted(counts.items(), key=_order)
    if limit is not None:
        ranked = ranked[:limit]
    return [WordCount(spellings[key].most_common(1)[0][0], count) for key, count in ranked]


def column_texts(board: CuratedBoard, column: str) -> list[str]:
    """The current text of each card of ``column`` the room sees, group members one by one."""
    return [card.text for card in board.cards.values() if card.column == column and card.visible]


def board_top_words(board: CuratedBoard, column: str, limit: int | None = TOP_WORDS) -> list[WordCount]:
    """The top words of one column of a curated board (visible cards only)."""
    return top_words(column_texts(board, column), limit)
