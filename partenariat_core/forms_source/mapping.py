"""Which column answers which item, for one session: suggested automatically, fixed by the host, saved.

A mapping is keyed by column *header* (not position), so a column moved in the sheet keeps its
meaning. It is saved as JSON in ``<data_dir>/forms_mappings.json``, one entry per session: readable,
and editable by hand if need be. Choices the host made (``manual``) survive a new suggestion.

It also maps *answers*: ``answers[target][raw] = value`` says that the text ``raw`` in a column
answering ``target`` (``"instrument:item"``) means ``value`` ("Santé publique" is the sector
``public_health``); an empty value means "not an answer, leave it out". Raw texts are compared after
:func:`~partenariat_core.forms_source.text.normalize`, so case and accents do not matter. Keyed by
target, not by header, so the same table serves next workshop's copy of the form.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from partenariat_core.errors import ConfigError
from partenariat_core.forms_source.matching import Match, Target, is_timestamp_header, match_headers, targets
from partenariat_core.forms_source.text import normalize
from partenariat_core.instruments import Instrument
from partenariat_core.model import Session

FILE_NAME = "forms_mappings.json"


@dataclass(frozen=True)
class ColumnMapping:
    header: str
    instrument: str = ""  # empty: the column is not imported
    item: str = ""
    confidence: float = 0.0
    manual: bool = False

    @property
    def mapped(self) -> bool:
        return bool(self.instrument and self.item)


@dataclass(frozen=True)
class FormsMapping:
    session: str
    spreadsheet: str
    worksheet: str = ""  # empty: the spreadsheet's first worksheet (where Forms writes)
    timestamp_column: str = ""
    columns: tuple[ColumnMapping, ...] = field(default_factory=tuple)
    answers: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)

    def answer_for(self, target_id: str, raw: str) -> str | None:
        """The value the host gave to ``raw`` in a column answering ``target_id`` (``""``: leave it
        out), or ``None`` when the host said nothing about it."""
        wanted = normalize(raw)
        for text, value in self.answers.get(target_id, {}).items():
            if normalize(text) == wanted:
                return value
        return None

    def with_answer(self, target_id: str, raw: str, value: str | None) -> FormsMapping:
        """The host maps the answer text ``raw`` to ``value`` (``None``: forget the choice)."""
        table = {k: dict(v) for k, v in self.answers.items()}
        mine = {k: v for k, v in table.get(target_id, {}).items() if normalize(k) != normalize(raw)}
        if value is not None:
            mine[raw] = value
        table[target_id] = mine
        return replace(self, answers={k: v for k, v in table.items() if v})

    @property
    def unmapped(self) -> list[str]:
        """Headers that feed nothing: listed to the host, never fatal."""
        return [c.header for c in self.columns if not c.mapped]

    def column(self, header: str) -> ColumnMapping | None:
        return next((c for c in self.columns if c.header == header), None)

    def with_choice(self, header: str, target_id: str) -> FormsMapping:
        """The host maps ``header`` to ``"instrument:item"`` (or to nothing with ``""``)."""
        instrument, _, item = target_id.partition(":")
        columns = tuple(
            replace(c, instrument=instrument, item=item, manual=True) if c.header == header else c
            for c in self.columns
        )
        return replace(self, columns=columns)

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "columns": [asdict(c) for c in self.columns],
            "answers": {k: dict(v) for k, v in self.answers.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FormsMapping:
        columns = tuple(ColumnMapping(**c) for c in data.get("columns", []))
        return cls(
            session=str(data["session"]),
            spreadsheet=str(data.get("spreadsheet", "")),
            worksheet=str(data.get("worksheet", "")),
            timestamp_column=str(data.get("timestamp_column", "")),
            columns=columns,
            answers=_answers(data.get("answers")),
        )


def _answers(data: object) -> dict[str, dict[str, str]]:
    """A saved or imported answer table, keeping only well-formed entries (text to text)."""
    if not isinstance(data, Mapping):
        return {}
    return {
        str(target): {str(raw): str(value) for raw, value in table.items() if isinstance(value, str)}
        for target, table in data.items()
        if isinstance(table, Mapping)
    }


def suggest_mapping(
    headers: Sequence[str],
    session: Session,
    instruments: Mapping[str, Instrument],
    *,
    spreadsheet: str = "",
    worksheet: str = "",
    saved: FormsMapping | None = None,
) -> FormsMapping:
    """Match every header automatically; a saved mapping's manual choices win over the suggestion."""
    matches = match_headers(headers, targets(session, instruments))
    timestamp = next((h for h in headers if is_timestamp_header(h)), "")
    columns = []
    for match in matches:
        if match.header == timestamp or not match.header.strip():
            continue
        kept = saved.column(match.header) if saved else None
        columns.append(kept if kept is not None and kept.manual else _column(match))
    if saved and saved.timestamp_column in headers:
        timestamp = saved.timestamp_column
    answers = saved.answers if saved else {}
    return FormsMapping(session.code, spreadsheet, worksheet, timestamp, tuple(columns), answers)


def _column(match: Match) -> ColumnMapping:
    t: Target | None = match.target
    return ColumnMapping(match.header, t.instrument if t else "", t.item if t else "", match.confidence)


class MappingFile:
    """All sessions' mappings in one JSON file, written atomically (temp file, then rename)."""

    _lock = threading.Lock()

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> MappingFile:
        return cls(Path(data_dir) / FILE_NAME)

    def _read(self) -> dict[str, Any]:
        if not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError("error.config_file", file=str(self.path), problem=str(exc)) from exc
        return data if isinstance(data, dict) else {}

    def load(self, session: str) -> FormsMapping | None:
        entry = self._read().get(session)
        return FormsMapping.from_json(entry) if entry else None

    def save(self, mapping: FormsMapping) -> None:
        with self._lock:
            data = self._read()
            data[mapping.session] = mapping.to_json()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".forms-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2)
            os.replace(tmp, self.path)
