"""How long the full scoring of a session takes, at 1k, 10k and 100k events.

``summarize`` is what every projector refresh computes (behind a short shared cache), so it must stay
well inside the refresh interval. Goal: 10k events under 50 ms, growing about linearly.

    python bench/bench_scoring.py            # best of 7 (5 at 100k)
    python bench/bench_scoring.py --repeat 3 --sizes 1000 10000

Events are generated with a seeded generator: about 40% conditions answers (with revisions and
"don't know"), 30% continuum positions, 20% keep/throw cards, 10% sector answers; the number of
participants grows with the number of events (one per 40 events).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partenariat_core.instruments import load_instruments
from partenariat_core.model import PROFILE, Event, Session
from partenariat_core.scoring import summarize

CODE = "BENCH2"
SECTORS = ("public_health", "municipal", "community", "education", "private", "philanthropy", "citizen")
WORDS = [
    "vision",
    "commune",
    "partage",
    "expertise",
    "ouverture",
    "silo",
    "financement",
    "leadership",
    "confiance",
    "territoire",
]


def make_events(n: int, instruments, seed: int = 2026) -> list[Event]:
    rng = random.Random(seed)
    people = [f"bench-participant-{i:05d}" for i in range(max(10, n // 40))]
    items = [item.id for item in instruments["conditions"].items]
    answers = (*instruments["conditions"].scale.values, "dont_know")
    levels = [level.id for level in instruments["continuum"].levels]
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    events = []
    for i in range(n):
        person = rng.choice(people)
        kind = rng.random()
        if kind < 0.4:
            instrument, item, value, text = "conditions", rng.choice(items), rng.choice(answers), ""
        elif kind < 0.7:
            instrument, item, value, text = (
                "continuum",
                rng.choice(("now", "desired")),
                rng.choice(levels),
                "",
            )
        elif kind < 0.9:
            words = " ".join(rng.choices(WORDS, k=rng.randint(2, 8)))
            instrument, item, value, text = (
                "keep_throw",
                rng.choice(("keep", "throw")),
                "",
                words.capitalize(),
            )
        else:
            instrument, item, value, text = PROFILE, "sector", rng.choice(SECTORS), ""
        events.append(
            Event(
                CODE,
                person,
                f"bench-{i:07d}",
                instrument,
                item,
                value,
                text,
                start + dt.timedelta(milliseconds=250 * i),
                seq=i + 1,
            )
        )
    return events


def best_ms(session, events, instruments, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time of the process, in ms. On a shared machine the CPU time is the
    steadier figure (other processes' load inflates wall-clock time, not this process's CPU time)."""
    summarize(session, events, instruments)  # warm-up: imports, pandas caches
    wall, cpu = [], []
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        summarize(session, events, instruments)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return 1000 * min(wall), 1000 * min(cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per size (best is kept)")
    args = parser.parse_args(argv)

    import pandas as pd

    instruments = load_instruments()
    session = Session(CODE, "Bench", instruments=("keep_throw", "conditions", "continuum"), sectors=SECTORS)
    print(f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}")
    print(f"{'events':>8} {'participants':>12} {'wall ms':>9} {'cpu ms':>8}")
    results = {}
    for n in args.sizes:
        events = make_events(n, instruments)
        repeat = args.repeat if n < 100_000 else max(1, min(args.repeat, 5))
        wall, cpu = best_ms(session, events, instruments, repeat)
        results[n] = wall
        print(f"{n:>8} {max(10, n // 40):>12} {wall:>9.1f} {cpu:>8.1f}")
    sizes = sorted(results)
    for small, large in itertools.pairwise(sizes):
        print(
            f"growth {large}/{small} events ({large / small:.0f}x): "
            f"time x{results[large] / results[small]:.1f}"
        )
    if 10_000 in results:
        verdict = "met" if results[10_000] < 50 else "NOT met"
        print(f"goal 10k events under 50 ms (wall): {verdict} ({results[10_000]:.1f} ms)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
