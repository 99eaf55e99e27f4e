"""Linked worksheets against the fake Sheets server: reads per minute, and a row's time to the board.

1. Reads per minute against the number of linked worksheets (1, 3, 10) and of projector screens
   (1, 50), on a manual clock (minutes of workshop in seconds of bench): every worksheet grows by one
   row every 2 s; the screens call ``LiveSessions.summary`` every second. Reported: the app's peak
   Sheets reads in any 60 s (as the fake server counts them, per user), the follower's period, the
   rows that reached the store (must be all of them), and 429s (must be 0). Run with the follower's
   share as under a Sheets store (24 reads a minute left to it) and under SQLite (54).
2. Time from a row appended to its event visible in ``LiveSessions`` (ttl 1 s, as the app's), on the
   real clock, with the follower's thread as the server runs it: default interval (5 s) and 1 s.

    python bench/bench_sources.py            # both parts (about a minute)
    python bench/bench_sources.py --quick    # fewer samples

A benchmark, not a test: nothing in CI runs it. Exits 1 if a row is lost or counted twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partenariat_core.config import load_settings  # noqa: E402
from partenariat_core.fake_sheets import FakeSheetsServer, ManualClock  # noqa: E402
from partenariat_core.forms_source import LinkFile, SourceFollower, StateFile, link_sheet  # noqa: E402
from partenariat_core.forms_source.follower import SheetsAccess  # noqa: E402
from partenariat_core.instruments import load_instruments  # noqa: E402
from partenariat_core.live import LiveSessions  # noqa: E402
from partenariat_core.model import Session  # noqa: E402
from partenariat_core.store import SQLiteStore  # noqa: E402
from partenariat_core.store.sheets.pacing import Budget  # noqa: E402

TAB = "Réponses au formulaire 1"
HEADERS = [
    "Horodateur",
    "Votre secteur",
    "Qu'est-ce qu'on garde ?",
    "Où se situe le partenariat aujourd'hui ?",
]
SECTORS = ["Communautaire", "Municipal", "Public / santé"]
LEVELS = ["Réseautage", "Coordination", "Coopération", "Collaboration"]
CODES = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def row(n: int, when: dt.datetime) -> list[str]:
    return [when.strftime("%d/%m/%Y %H:%M:%S"), SECTORS[n % 3], f"Idée {n}", LEVELS[n % 4]]


def session(n: int) -> Session:
    return Session(
        f"SRC{CODES[n]}2",
        f"Table {n}",
        instruments=("keep_throw", "continuum"),
        sectors=("community", "municipal", "public_health"),
    )


def setup(tmp: Path, fake: FakeSheetsServer, count: int):
    store = SQLiteStore(tmp / "partenariat.db")
    settings = load_settings(
        {"PARTENARIAT_DATA_DIR": str(tmp), "PARTENARIAT_SHEETS_API_URL": fake.base_url},
        secrets_file=tmp / "none.toml",
    )
    instruments = load_instruments()
    sessions = []
    for n in range(count):
        key = f"1Bench{n}"
        fake.create_spreadsheet(key, f"Form {n}", sheets=[TAB])
        fake.set_values(key, TAB, [HEADERS])
        s = session(n)
        store.create_session(s)
        link_sheet(settings, store, instruments, s.code, key)
        sessions.append((key, s))
    return store, instruments, sessions


def reads_per_minute(count: int, screens: int, share: int, minutes: float) -> dict[str, object]:
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as folder, FakeSheetsServer() as fake:
        tmp = Path(folder)
        fake.clock = clock
        store, instruments, sessions = setup(tmp, fake, count)
        budget = Budget(54, clock)
        live = LiveSessions(store, instruments, ttl=1.0, clock=clock)
        follower = SourceFollower(
            store,
            instruments,
            LinkFile.in_data_dir(tmp),
            StateFile.in_data_dir(tmp),
            SheetsAccess(fake.base_url, None, "", 5.0).api_factory(budget),
            budget,
            share=share,
            clock=clock,
            on_change=live.invalidate,
        )
        fake.reset_stats()
        rows = {key: [] for key, _ in sessions}
        t0 = dt.datetime(2026, 11, 20, 9, 0)
        ticks = int(minutes * 60 * 2)  # half-second turns
        for tick in range(ticks):
            if tick % 4 == 0:  # one row every 2 s in each worksheet
                for key, _ in sessions:
                    n = len(rows[key])
                    rows[key].append(row(n, t0 + dt.timedelta(seconds=tick / 2)))
                    fake.set_values(key, TAB, [HEADERS, *rows[key]])
            follower.step()
            if tick % 2 == 0:
                for _ in range(screens):
                    for _, s in sessions:
                        live.summary(s.code)
            clock.advance(0.5)
        clock.advance(follower.period() + 31)  # let the last rows in
        for _ in range(count + 2):
            follower.step()
            clock.advance(follower.period())
        stats = fake.stats()
        expected = sum(len(r) for r in rows.values())
        people = sum(len({e.participant for e in store.read_events(s.code)}) for _, s in sessions)
        events = sum(len(store.read_events(s.code)) for _, s in sessions)
        store.close()
        return {
            "worksheets": count,
            "screens": screens,
            "share": share,
            "period_s": round(follower.period(), 1),
            "peak_reads_per_min": stats["peak_per_user"].get("anonymous", {}).get("read", 0),
            "reads_total": stats["reads"],
            "reads_per_min_avg": round(
                stats["reads"] / (minutes + (follower.period() * (count + 2) + 31) / 60), 1
            ),
            "rows": expected,
            "responses_stored": people,
            "events_stored": events,
            "rejected_429": stats["rejected_429"],
            "ok": people == expected and events == 3 * expected and stats["rejected_429"] == 0,
        }


def latency(interval: float, samples: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder, FakeSheetsServer() as fake:
        tmp = Path(folder)
        store, instruments, sessions = setup(tmp, fake, 1)
        key, s = sessions[0]
        budget = Budget(54, time.monotonic)
        live = LiveSessions(store, instruments, ttl=1.0)
        follower = SourceFollower(
            store,
            instruments,
            LinkFile.in_data_dir(tmp),
            StateFile.in_data_dir(tmp),
            SheetsAccess(fake.base_url, None, "", 5.0).api_factory(budget),
            budget,
            interval=interval,
            share=54,
            on_change=live.invalidate,
        )
        follower.start()
        delays = []
        rows: list[list[str]] = []
        rng = random.Random(14)
        try:
            for n in range(samples):
                time.sleep(rng.uniform(0, interval))  # a random phase against the reads
                rows.append(row(n, dt.datetime(2026, 11, 20, 9, 0) + dt.timedelta(seconds=n)))
                fake.set_values(key, TAB, [HEADERS, *rows])
                start = time.monotonic()
                while time.monotonic() - start < interval + 10:
                    if len({e.participant for e in live.events(s.code)}) == n + 1:
                        delays.append(time.monotonic() - start)
                        break
                    time.sleep(0.02)  # a screen refreshing 50 times a second: the bound is the read
        finally:
            follower.stop()
            store.close()
        return {
            "interval_s": interval,
            "samples": len(delays),
            "median_s": round(statistics.median(delays), 2) if delays else None,
            "max_s": round(max(delays), 2) if delays else None,
            "ok": len(delays) == samples,
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    minutes = 1.0 if args.quick else 3.0
    print(f"# bench_sources on {platform.python_implementation()} {platform.python_version()}")
    ok = True
    print("worksheets screens share period_s peak_reads/min avg_reads/min rows stored 429 ok")
    for share in (24, 54):
        for count in (1, 3, 10):
            for screens in (1, 50):
                r = reads_per_minute(count, screens, share, minutes)
                ok &= bool(r["ok"])
                print(
                    f"{r['worksheets']:>10} {r['screens']:>7} {r['share']:>5} {r['period_s']:>8}"
                    f" {r['peak_reads_per_min']:>14} {r['reads_per_min_avg']:>13} {r['rows']:>4}"
                    f" {r['responses_stored']:>6} {r['rejected_429']:>3} {r['ok']}"
                )
    print("interval_s samples median_s max_s ok")
    for interval in (5.0, 1.0):
        r = latency(interval, 4 if args.quick else 10)
        ok &= bool(r["ok"])
        print(f"{r['interval_s']:>10} {r['samples']:>7} {r['median_s']:>8} {r['max_s']:>5} {r['ok']}")
    return 0 if ok else 1


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
