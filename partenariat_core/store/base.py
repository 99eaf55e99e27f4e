"""The ``Store`` protocol: the one interface pages and the core use to keep sessions and answers.

A backend is a class with these few methods; which one runs is configuration (see ``open_store``).
Every backend passes the same contract suite (``tests/store_contract.py``). Usage::

    store = open_store(load_settings())
    store.create_session(Session.new("Table de quartier"))
    stored = store.append_events(events)          # a re-sent submission adds nothing
    events = store.read_events("ABC234")          # in arrival order, each with its ``seq``
    newer = store.read_events("ABC234", since=events[-1].seq)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from partenariat_core.model import Event, Session


@runtime_checkable
class Store(Protocol):
    def create_session(self, session: Session) -> None:
        """Add a new session; ``SessionError('error.session_exists')`` if its code is taken."""

    def get_session(self, code: str) -> Session | None:
        """The session with this (normalised) code, or ``None``."""

    def list_sessions(self) -> list[Session]:
        """All sessions, newest first."""

    def save_session(self, session: Session) -> Session:
        """Replace an existing session's settings (title, open/closed, revealed boards…) and return
        what is now stored, its ``version`` one higher.

        Compare-and-set: ``session.version`` must be the stored version, otherwise the caller worked
        from a stale copy and ``SessionError('error.session_conflict')`` is raised, nothing written."""

    def delete_session(self, code: str) -> bool:
        """Remove a session and its answers from the app; ``False`` if there was no such session.

        For a host who ran a test or a wrong session: afterwards ``get_session`` gives ``None``, the
        listing omits it and ``read_events`` gives nothing. (The Sheets backend appends a tombstone
        row and leaves the answers' rows in the spreadsheet: see docs/google-sheets.md.)"""

    def append_events(self, events: Sequence[Event]) -> int:
        """Store events idempotently and return how many were new.

        An event whose ``key`` (submission id, instrument, item) is already stored for its session is
        ignored, so retries and double taps are harmless. All events of one call are stored or none.
        """

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        """Events of ``session`` with ``seq > since``, in arrival order (ascending ``seq``)."""

    def close(self) -> None:
        """Release connections and background work."""
