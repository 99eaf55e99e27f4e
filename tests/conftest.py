"""Small shared fixtures for the core's tests: the shipped instruments, a SQLite store in a temp dir,
and a builder of events with increasing times."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from partenariat_core.instruments import load_instruments
from partenariat_core.model import Event
from partenariat_core.store import SQLiteStore

SESSION = "TEST23"
T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def instruments():
    return load_instruments()


@pytest.fixture
def sqlite_store(tmp_path):
    store = SQLiteStore(tmp_path / "partenariat.db")
    yield store
    store.close()


class EventMaker:
    """``make_event("p1", "conditions", "c1_viewpoints", "A")``: one event, each a second after the
    previous one, with its own submission id unless ``submission`` is given. ``seq`` follows arrival
    order, as a store would give it, so scoring can be tested without a store."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def __call__(
        self,
        participant: str,
        instrument: str,
        item: str,
        value: str = "",
        text: str = "",
        *,
        session: str = SESSION,
        submission: str | None = None,
    ) -> Event:
        n = next(self._n)
        return Event(
            session=session,
            participant=participant,
            submission_id=submission or f"sub-{n:05d}",
            instrument=instrument,
            item=item,
            value=value,
            text=text,
            created_at=T0 + dt.timedelta(seconds=n),
            seq=n,
        )


@pytest.fixture
def make_event():
    return EventMaker()


@pytest.fixture(scope="session")
def postgres_server():
    """A private PostgreSQL for the whole run, started on first use and stopped at the end, pass or
    fail (``tests/postgres_server.py``). Missing binaries fail the tests that need it, loudly."""
    from postgres_server import PostgresNotAvailable, start_server

    try:
        server = start_server()
    except PostgresNotAvailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server, request):
    """The URL of a new, empty database for one test, dropped after it."""
    name = "t_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name.lower())[:40]
    name = f"{name}_{next(_database_numbers)}"
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)


_database_numbers = itertools.count(1)
