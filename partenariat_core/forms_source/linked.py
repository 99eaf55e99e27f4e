"""Linked sources: a session kept linked to a worksheet, saved in the data folder.

A link is a :class:`FormsMapping` (session, spreadsheet key, worksheet title, column and answer
mapping) plus whether the host paused it. All links live in ``<data_dir>/linked_sources.json``,
written atomically; the server's :class:`~partenariat_core.forms_source.follower.SourceFollower`
notices a change of the file (its size and modification time) on its next turn, so a link made
from the command line, in another process, is followed by the running server without a restart.

What the follower learns while following (which participants each link brought in, so that a row
deleted from the sheet can be taken back even after a restart) is kept apart, in
``<data_dir>/linked_sources_state.json``: only the server writes it.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from partenariat_core.errors import ConfigError
from partenariat_core.forms_source.mapping import FormsMapping

LINKS_FILE = "linked_sources.json"
STATE_FILE = "linked_sources_state.json"


@dataclass(frozen=True)
class LinkedSource:
    mapping: FormsMapping  # its spreadsheet is a key, its worksheet a title (never empty once linked)
    paused: bool = False

    @property
    def session(self) -> str:
        return self.mapping.session

    @property
    def spreadsheet(self) -> str:
        return self.mapping.spreadsheet

    @property
    def worksheet(self) -> str:
        return self.mapping.worksheet

    @property
    def id(self) -> str:
        return link_id(self.session, self.spreadsheet, self.worksheet)

    def to_json(self) -> dict[str, Any]:
        return {**self.mapping.to_json(), "paused": self.paused}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinkedSource:
        return cls(FormsMapping.from_json(data), bool(data.get("paused", False)))


def link_id(session: str, spreadsheet: str, worksheet: str) -> str:
    return f"{session}|{spreadsheet}|{worksheet}"


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".links-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError("error.config_file", file=str(path), problem=str(exc)) from exc


class LinkFile:
    """Every link of this data folder. Safe between threads; between processes, the last writer wins
    (a host links from one place at a time)."""

    _lock = threading.Lock()

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> LinkFile:
        return cls(Path(data_dir) / LINKS_FILE)

    def version(self) -> tuple[int, int]:
        """Changes whenever the file does (``(0, 0)`` while there is none)."""
        try:
            stat = self.path.stat()
        except OSError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_size)

    def load(self) -> list[LinkedSource]:
        data = _read_json(self.path)
        entries = data.get("links", []) if isinstance(data, dict) else []
        return [LinkedSource.from_json(e) for e in entries if isinstance(e, dict) and e.get("session")]

    def of_session(self, session: str) -> list[LinkedSource]:
        return [link for link in self.load() if link.session == session]

    def get(self, session: str, spreadsheet: str, worksheet: str) -> LinkedSource | None:
        wanted = link_id(session, spreadsheet, worksheet)
        return next((link for link in self.load() if link.id == wanted), None)

    def _store(self, links: Iterable[LinkedSource]) -> None:
        _write_json(self.path, {"links": [link.to_json() for link in links]})

    def save(self, link: LinkedSource) -> None:
        """Add the link, or replace the one with the same session, spreadsheet and worksheet."""
        with self._lock:
            links = [other for other in self.load() if other.id != link.id]
            self._store([*links, link])

    def set_paused(self, session: str, spreadsheet: str, worksheet: str, paused: bool) -> bool:
        with self._lock:
            links = self.load()
            wanted = link_id(session, spreadsheet, worksheet)
            found = any(link.id == wanted for link in links)
            self._store(replace(link, paused=paused) if link.id == wanted else link for link in links)
            return found

    def remove(self, session: str, spreadsheet: str, worksheet: str = "") -> list[LinkedSource]:
        """Unlink; an empty ``worksheet`` unlinks every worksheet of that spreadsheet. Returns what
        was removed. The answers already brought in stay: unlinking only stops the reading."""
        with self._lock:
            links = self.load()

            def gone(link: LinkedSource) -> bool:
                return (
                    link.session == session
                    and link.spreadsheet == spreadsheet
                    and (not worksheet or link.worksheet == worksheet)
                )

            removed = [link for link in links if gone(link)]
            if removed:
                self._store(link for link in links if not gone(link))
            return removed


class StateFile:
    """Participants each link brought in, by link id: what a deleted row is withdrawn from."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> StateFile:
        return cls(Path(data_dir) / STATE_FILE)

    def load(self) -> dict[str, set[str]]:
        try:
            data = _read_json(self.path)
        except ConfigError:
            return {}  # only our own bookkeeping: start again rather than stop following
        if not isinstance(data, dict):
            return {}
        return {str(k): {str(p) for p in v} for k, v in data.items() if isinstance(v, list)}

    def save(self, state: Mapping[str, set[str]]) -> None:
        with self._lock:
            _write_json(self.path, {k: sorted(v) for k, v in state.items()})
