"""The shared grid of a controversy portrait: one row per actor, one short text per column.

Stored as events: a table adds an actor with ``item = "actor"`` and the actor's name in ``value``; a
cell is ``item = <column id>``, ``value = <actor name>``, ``text = <what the table wrote>``. Two tables
naming the same actor (case, accents as typed, spacing aside) fill the same row: the actor's key is
its name folded (:func:`actor_key`), the row shows the name as first written. A cell shows the latest
text written for that actor and column, whoever wrote it, with its author kept; earlier texts stay in
the archive.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.instruments.fieldkinds import GRID_ROW_ITEM


def actor_key(name: str) -> str:
    """What makes two names the same row: spaces collapsed and case folded (accents kept: "Côté" and
    "Cote" may well be two people)."""
    return " ".join(str(name or "").split()).casefold()


@dataclass(frozen=True)
class GridCell:
    text: str
    participant: str  # who wrote the text shown (the latest)
    seq: int
    versions: int  # how many texts were written in this cell, the shown one included


@dataclass(frozen=True)
class GridRow:
    key: str
    name: str
    cells: dict[str, GridCell]  # column id → cell; a column nobody filled is absent


@dataclass(frozen=True)
class GridResult:
    """``rows`` in the order actors first appeared; ``columns`` the file's column ids in order."""

    rows: tuple[GridRow, ...]
    columns: tuple[str, ...]

    @property
    def filled(self) -> int:
        """Cells with a text."""
        return sum(len(row.cells) for row in self.rows)


def _rows(frame: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    rows = frame[(frame["instrument"] == instrument.id) & (frame["value"] != "")]
    return rows.assign(actor=[actor_key(v) for v in rows["value"].tolist()])


def score_grid(frame: pd.DataFrame, instrument: Instrument) -> GridResult:
    """The grid from an events frame in arrival order (``scoring.events_frame``)."""
    rows = _rows(frame, instrument)
    columns = tuple(c.id for c in instrument.columns)
    names: dict[str, str] = {}
    cells: dict[str, dict[str, GridCell]] = {}
    for item, name, text, person, seq, key in zip(
        *(rows[c].tolist() for c in ("item", "value", "text", "participant", "seq", "actor")), strict=True
    ):
        if not key:
            continue
        names.setdefault(key, " ".join(name.split()))
        row = cells.setdefault(key, {})
        if item == GRID_ROW_ITEM or not text:
            continue
        before = row.get(item)
        row[item] = GridCell(text, person, int(seq), 1 + (before.versions if before else 0))
    return GridResult(tuple(GridRow(k, names[k], cells[k]) for k in names), columns)


def grid_current(frame: pd.DataFrame, instrument_id: str) -> pd.Series:
    """True on each row of this grid that counts today: the first naming of each actor and the
    latest text of each (actor, column); the export's ``current`` column uses it."""
    rows = frame["instrument"] == instrument_id
    keys = pd.Series([actor_key(v) for v in frame["value"].tolist()], index=frame.index)
    is_actor = frame["item"] == GRID_ROW_ITEM
    actors = frame[rows & is_actor].assign(actor=keys[rows & is_actor])
    cells = frame[rows & ~is_actor].assign(actor=keys[rows & ~is_actor])
    first = actors.index[~actors.duplicated(["actor"], keep="first")]
    latest = cells.index[~cells.duplicated(["actor", "item"], keep="last")]
    out = pd.Series(False, index=frame.index)
    out[first] = True
    out[latest] = True
    return out
