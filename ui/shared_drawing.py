"""Pieces of a drawing made once for every screen that draws the same thing.

``LiveSessions`` hands every screen of a session the same summary object until an answer arrives,
and each summary holds its boards. So a chart, a board's layout or a line of text drawn from one of
them is the same for every screen and every refresh tick until then: the first screen asking makes
it, the screens asking meanwhile wait for it (before, each of 20 dashboards built its own charts:
a quarter of the server's time in ``bench_server`` with 300 phones; each screen laid out a board of
200,000 cards at every page turn: 2.4 s), and the others find it made. What is kept goes with the
object it was made from: nothing holds an old summary alive.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

_EMPTY = object()


@dataclass
class _Piece:
    owner: weakref.ref[Any]
    lock: threading.Lock = field(default_factory=threading.Lock)  # one maker, the others wait
    value: Any = _EMPTY


_PIECES: dict[tuple[int, Hashable], _Piece] = {}  # (id of the owner, what) → the piece made from it
_PIECES_LOCK = threading.RLock()  # re-entrant: an owner's finalizer may run inside it, on this thread


def made_once(owner: object, what: Hashable, make: Callable[[], T]) -> T:
    """``make()``, called once per ``owner`` (a summary, a board: anything weakly referenceable)
    and ``what``, while ``owner`` lives. A ``make`` that raises leaves nothing: the next caller tries."""
    slot = (id(owner), what)
    with _PIECES_LOCK:
        piece = _PIECES.get(slot)
        if piece is None or piece.owner() is not owner:  # new, or an id reused by another object
            piece = _PIECES[slot] = _Piece(weakref.ref(owner))
            weakref.finalize(owner, _forget, slot, piece)
    with piece.lock:
        if piece.value is _EMPTY:
            piece.value = make()
        return piece.value  # type: ignore[no-any-return]


def _forget(slot: tuple[int, Hashable], piece: _Piece) -> None:
    with _PIECES_LOCK:
        if _PIECES.get(slot) is piece:
            del _PIECES[slot]
