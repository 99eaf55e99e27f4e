"""Export time of a 300-participant session, for each format.

Builds a session the size of a big room in a throw-away SQLite store (300 participants, each with a
sector, the six conditions, now/desired on the continuum and two keep/throw cards: 3,300 events),
then times reading it and writing each format. PNG and PDF are timed twice: the first PNG call
starts kaleido's Chrome, later renders reuse it; every PDF also starts one headless Chrome to print
the report, so its two timings stay close. Run::

    python bench/bench_export.py            # prints a table; paste it into bench/RESULTS.md
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partenariat_core.export import ExportUnavailable, export_session, load_session_data
from partenariat_core.instruments import load_instruments
from partenariat_core.model import Event, Session
from partenariat_core.store import SQLiteStore

PARTICIPANTS = 300
CODE = "BENCH3"
SECTORS = ("public_health", "municipal", "community", "education", "private", "philanthropy", "citizen")


def build(store: SQLiteStore, instruments) -> int:
    rng = random.Random(300)
    t0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    store.create_session(Session(CODE, "Forum régional — 300 personnes", sectors=SECTORS, created_at=t0))
    levels = [lv.id for lv in instruments["continuum"].levels]
    items = [i.id for i in instruments["conditions"].items]
    events = []
    for p in range(PARTICIPANTS):
        pid = f"participant-{p:03d}"
        when = t0 + dt.timedelta(seconds=p)
        events.append(Event(CODE, pid, f"{pid}-s", "profile", "sector", rng.choice(SECTORS), created_at=when))
        for item in items:
            value = rng.choice(("A", "B", "C", "dont_know"))
            events.append(Event(CODE, pid, f"{pid}-c", "conditions", item, value, created_at=when))
        now = rng.randrange(4)
        events.append(Event(CODE, pid, f"{pid}-k", "continuum", "now", levels[now], created_at=when))
        wanted = levels[min(3, now + rng.randrange(3))]
        events.append(Event(CODE, pid, f"{pid}-k", "continuum", "desired", wanted, created_at=when))
        for n, column in enumerate(("keep", "throw")):
            text = f"Carte {p}-{n} : « idée » de {pid}, ={p}+{n}"
            events.append(
                Event(CODE, pid, f"{pid}-card{n}", "keep_throw", column, text=text, created_at=when)
            )
    store.append_events(events)
    return len(events)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    instruments = load_instruments()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        n_events = build(store, instruments)
        seconds, data = timed(lambda: load_session_data(store, instruments, CODE))
        rows = [("read + summarise", seconds, "")]
        for fmt in ("json", "csv", "xlsx", "html", "png", "png", "pdf", "pdf"):
            try:
                seconds, file = timed(lambda fmt=fmt: export_session(data, fmt, "fr"))
            except ExportUnavailable as exc:
                rows.append((fmt, float("nan"), exc.message("en")))
                continue
            label = fmt
            if fmt in ("png", "pdf"):
                label += " (2nd)" if any(r[0].startswith(fmt) for r in rows) else " (1st)"
            rows.append((label, seconds, f"{len(file.data) / 1024:,.0f} KiB"))
    print(
        f"{PARTICIPANTS} participants, {n_events} events;"
        f" Python {platform.python_version()}, {platform.machine()}"
    )
    print("| step | seconds | output |")
    print("|---|---:|---:|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.2f} | {note} |")


if __name__ == "__main__":
    main()
