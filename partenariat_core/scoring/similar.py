"""Suggested groups of near-identical cards, for the host to accept or reject; never applied here.

Two cards are near-identical when, once case, accents, punctuation, spaces and multiplicity marks
("x2", "(3x)", which paper boards use for "said twice") are set aside, a few typed characters turn one
into the other: the edit distance (rapidfuzz's optimal string alignment, where two swapped letters
are one typo) is at most :func:`allowed_edits` of the longer text: 0 for very short texts (``oui`` /
``lui`` are different words, not typos), 1 for a word or two, then about one edit per ten characters.
Word order and synonyms are not this function's business: "manque de vision" and "vision commune"
share words but say opposite things, and only the host groups those. Nor is a word grown a prefix
("mobilisation" / "démobilisation", "respect" / "non-respect"): two letters or more added at a
word's start make another word, not a typo.

Cards are compared within a column only (a "keep" card and a "throw" card are never the same idea).
Candidates come in groups: each group's cards are all pairwise near-identical (no chaining A~B~C with
A far from C). Measured in ``bench/bench_suggest.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA, Levenshtein

from partenariat_core.scoring.curated import CuratedBoard

_MULTIPLICITY = re.compile(r"^(?:x\d+|\d+x)$")  # a token "x2" or "3x" (× is read as x)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
# A quick first pass over every pair (rapidfuzz's ratio, 0..100): pairs below it are too far apart
# for the edits allowed anywhere, so only the few above are checked exactly.
_PREFILTER = 70


def _words(text: str) -> list[str]:
    text = text.translate(_LIGATURES).replace("×", "x")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = utils.default_process(text).split()
    while words and _MULTIPLICITY.match(words[-1]):
        words.pop()
    while words and _MULTIPLICITY.match(words[0]):
        words.pop(0)
    return words


def normalize_card(text: str) -> str:
    """What is compared: no case, accents, punctuation, spaces or "x2" marks at either end.

    Spaces go too, so a misplaced one ("lep laisir") is one typo away at most, and French inclusive
    writing ("citoyen.ne.s") reads as the word it spells ("citoyennes")."""
    return "".join(_words(text))


def _word_starts(text: str) -> set[int]:
    starts, at = set(), 0
    for word in _words(text):
        starts.add(at)
        at += len(word)
    return starts


def _grows_a_prefix(a: str, b: str, starts_a: set[int], starts_b: set[int]) -> bool:
    """Whether ``b`` is ``a`` with two or more letters added before (or taken from) a word's start:
    "démobilisation", "inégalité", "non-respect" are other words, not typos of the shorter ones."""
    run: tuple[str, int, int] | None = None  # (kind, where it started, how long)
    for op in Levenshtein.editops(a, b):
        if op.tag not in ("insert", "delete"):
            run = None
            continue
        pos = op.dest_pos if op.tag == "insert" else op.src_pos
        if run is not None and run[0] == op.tag and pos == run[1] + run[2]:
            run = (run[0], run[1], run[2] + 1)
        else:
            run = (op.tag, pos, 1)
        starts = starts_b if op.tag == "insert" else starts_a
        if run[2] >= 2 and run[1] in starts:
            return True
    return False


def allowed_edits(length: int) -> int:
    """Typos tolerated between two texts, by the longer one's length (after normalising)."""
    if length < 5:
        return 0
    if length <= 12:
        return 1
    if length <= 24:
        return 2
    return length // 10


def similar_groups(texts: Sequence[str]) -> list[list[int]]:
    """Groups (lists of indexes into ``texts``, each ascending, groups by their first index) of
    near-identical texts; a text is in at most one group; texts alone are left out."""
    keys = [normalize_card(t) for t in texts]
    n = len(keys)
    if n < 2:
        return []
    ratio = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=_PREFILTER, dtype=np.uint8, workers=1)
    rows, cols = np.nonzero(np.triu(ratio, k=1))
    close: dict[tuple[int, int], int] = {}
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = keys[i], keys[j]
        if not a or not b:
            continue
        limit = allowed_edits(max(len(a), len(b)))
        distance = OSA.distance(a, b, score_cutoff=limit)
        if distance <= limit and not (
            distance >= 2 and _grows_a_prefix(a, b, _word_starts(texts[i]), _word_starts(texts[j]))
        ):
            close[(i, j)] = distance
    # closest pairs first; a pair joins two groups only if every card of one is close to every
    # card of the other (so a group never drifts from its first card by chained typos)
    group_of: dict[int, list[int]] = {}
    for (i, j), _ in sorted(close.items(), key=lambda kv: (kv[1], kv[0])):
        gi, gj = group_of.get(i, [i]), group_of.get(j, [j])
        if gi is gj:
            continue
        if all((min(x, y), max(x, y)) in close for x in gi for y in gj):
            merged = sorted(gi + gj)
            for k in merged:
                group_of[k] = merged
    seen: set[int] = set()
    out = []
    for group in sorted({id(g): g for g in group_of.values()}.values(), key=lambda g: g[0]):
        if group[0] not in seen:
            seen.update(group)
            out.append(group)
    return out


@dataclass(frozen=True)
class Suggestion:
    """Cards the host may group in one tap (``curation.group_cards(..., card_ids, title, ...)``)."""

    column: str
    card_ids: tuple[str, ...]  # oldest first
    title: str  # the oldest card's text, the group's proposed title

    @property
    def key(self) -> frozenset[str]:
        """What the page remembers when the host rejects it, to pass back as ``rejected``."""
        return frozenset(self.card_ids)


def suggest_groups(board: CuratedBoard, rejected: Iterable[frozenset[str]] = ()) -> list[Suggestion]:
    """Candidate groups of near-identical visible cards, column by column, in board order.

    Cards already together in one group are not suggested again; a suggestion whose cards the host
    rejected (``Suggestion.key`` in ``rejected``) is left out. Nothing is applied: the host accepts a
    suggestion by grouping its cards."""
    refused = set(rejected)
    out: list[Suggestion] = []
    by_column: dict[str, list] = {}
    for card in board.cards.values():
        if card.visible:
            by_column.setdefault(card.column, []).append(card)
    for column, cards in by_column.items():
        for group in similar_groups([c.text for c in cards]):
            members = [cards[i] for i in group]
            if len({c.group for c in members}) == 1 and members[0].group is not None:
                continue  # already grouped together by the host
            suggestion = Suggestion(column, tuple(c.id for c in members), members[0].text)
            if suggestion.key not in refused:
                out.append(suggestion)
    return out
