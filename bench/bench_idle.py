"""What an idle projector costs: refreshes of an unchanged session, with and without the store's
data version (issue 15: "a projector refresh should cost nothing when nothing changed").

Each refresh is what the dashboard's fragment asks every few seconds: ``live.summary(code)`` after the
ttl ran out. "Polling" hides ``data_version`` from ``LiveSessions`` (as before it existed: a session
read and an events read every time); "checked" lets it ask first. Both run in this one process on the
same SQLite file, one after the other, so their ratio is what to read.

    python bench/bench_idle.py                 # 10,000 events, 300 refreshes each way
    python bench/bench_idle.py --events 1000 --refreshes 100
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partenariat_core.instruments import load_instruments  # noqa: E402
from partenariat_core.live import LiveSessions  # noqa: E402
from partenariat_core.model import Event, Session  # noqa: E402
from partenariat_core.store import SQLiteStore  # noqa: E402

CODE = "IDLE23"


class Polling:
    """The store without ``data_version``: what every refresh cost before."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def get_session(self, code: str) -> Session | None:
        return self._store.get_session(code)

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        return self._store.read_events(session, since)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def measure(store: object, refreshes: int) -> tuple[float, float]:
    """(CPU ms per refresh, wall ms per refresh) of an unchanged session, after a first full read."""
    clock = Clock()
    live = LiveSessions(store, load_instruments(), ttl=1.0, clock=clock)  # type: ignore[arg-type]
    live.summary(CODE)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(refreshes):
        clock.now += 3.0  # the default projector refresh: the ttl ran out every time
        live.summary(CODE)
    return (
        (time.process_time() - cpu) * 1000 / refreshes,
        (time.perf_counter() - wall) * 1000 / refreshes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--refreshes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "idle.db")
        store.create_session(Session(CODE, "Atelier"))
        t0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
        store.append_events(
            [
                Event(
                    CODE,
                    f"anon-{n % 300:03d}",
                    f"s{n}",
                    "keep_throw",
                    "keep",
                    text=f"carte {n}",
                    created_at=t0,
                )
                for n in range(args.events)
            ]
        )
        polling = measure(Polling(store), args.refreshes)
        checked = measure(store, args.refreshes)
    print(f"machine: {platform.machine()}, {platform.python_version()}; {args.events} events")
    print(f"polling: {polling[0]:.2f} ms CPU, {polling[1]:.2f} ms wall per refresh")
    print(f"checked: {checked[0]:.2f} ms CPU, {checked[1]:.2f} ms wall per refresh")
    print(f"ratio checked / polling (CPU): {checked[0] / polling[0]:.3f}")


if __name__ == "__main__":
    main()
