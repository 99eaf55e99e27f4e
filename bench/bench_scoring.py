"""How long the full scoring of a session takes, at 1k, 10k and 100k events (and 1M on request).

``summarize`` is what every projector refresh computes (behind a short shared cache), so it must stay
well inside the refresh interval. Goal: 10k events under 50 ms, growing about linearly.

Second table (``--store``): the same events in a SQLite file, scored from the store — through
``read_events`` + ``summarize`` (Event objects, the old path) and through the columnar
``read_frame`` + ``summarize_frame`` — each as a ratio to a plain pandas baseline written below
(``pd.read_sql`` of the same rows, then the group-bys that give the same figures). Goal: the columnar
path at most 1.0× the baseline at every size.

    python bench/bench_scoring.py            # best of 7 (5 at 100k)
    python bench/bench_scoring.py --repeat 3 --sizes 1000 10000
    python bench/bench_scoring.py --store --sizes 1000 10000 100000 1000000 --repeat 3
    python bench/bench_scoring.py --live --sizes 1000 10000 100000 --repo /tmp/main   # "before"

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
from dataclasses import replace
from pathlib import Path


def _repo() -> Path:
    """The checkout whose ``partenariat_core`` is measured: ``--repo PATH`` (e.g. a copy of main, for
    a "before" figure with this same bench and baseline), else the one this script is in."""
    if "--repo" in sys.argv[1:-1]:
        return Path(sys.argv[sys.argv.index("--repo") + 1]).resolve()
    return Path(__file__).resolve().parents[1]


sys.path.insert(0, str(_repo()))

from partenariat_core.instruments import load_instruments  # noqa: E402  (after the --repo path)
from partenariat_core.model import PROFILE, Event, Session  # noqa: E402  (after the --repo path)
from partenariat_core.scoring import read_frame, summarize, summarize_frame  # noqa: E402  (after the --repo path)

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


def read_baseline_rows(path: Path, code: str):
    import sqlite3

    import pandas as pd

    with sqlite3.connect(path) as db:
        df = pd.read_sql_query("SELECT * FROM events WHERE session = ? ORDER BY seq", db, params=(code,))
    df["created_at"] = pd.to_datetime(df["created_at"], format="ISO8601")
    return df


def pandas_baseline_counts(path: Path, code: str):
    """The baseline as first written (bench/RESULTS.md before 2026-12-02 06:40 UTC): the latest
    answer per participant and item, counts per item and answer (conditions, continuum), condition
    answers counted by sector, the card texts per column, and the participant count. It computes less
    than ``summarize`` (see ``pandas_baseline``); kept so the earlier ratios can be compared."""
    df = read_baseline_rows(path, code)
    answers = df[df["instrument"] != "keep_throw"]
    latest = answers.drop_duplicates(["participant", "instrument", "item"], keep="last")
    conditions = latest[latest["instrument"] == "conditions"]
    counts = conditions.groupby(["item", "value"]).size().unstack(fill_value=0)
    continuum = latest[latest["instrument"] == "continuum"].groupby(["item", "value"]).size()
    profile = latest[(latest["instrument"] == PROFILE) & (latest["item"] == "sector")]
    sectors = profile.set_index("participant")["value"].rename("sector")
    by_sector = conditions.join(sectors, on="participant").groupby(["sector", "item", "value"]).size()
    cards = df[df["instrument"] == "keep_throw"].groupby("item")["text"].agg(list)
    people = df.loc[df["instrument"] != PROFILE, "participant"].nunique()
    return counts, continuum, by_sector, cards, people


def pandas_baseline(path: Path, code: str, instruments, threshold: int = 3):
    """What a pandas user would write for the figures ``summarize`` gives, from the same SQLite rows.

    Everything the first baseline (``pandas_baseline_counts``) computed, plus what it left out and
    ``summarize`` computes: withdrawn participants' and curation events left out, the latest answer
    by time then arrival (the rule of ``is_latest`` on a frame sorted as ``events_frame`` sorts, not
    by ``seq`` alone), the conditions' figures per item *and per condition* (counts, "don't know"
    apart, percentages, mean, median and std of the derived score), the continuum's now → desired
    moves and step sizes, the mean score per sector and condition with sectors under ``threshold``
    hidden and their people counted, each card with its id, author and seq per column, and the
    last seq. Same rows in, same figures out; only the shape of the result differs (frames). Written
    with group-bys rather than ``pivot_table``/``crosstab``, which cost more for the same tables."""
    from partenariat_core.scoring.frame import NOT_ANSWERS, WITHDRAWN

    df = read_baseline_rows(path, code)
    last_seq = int(df["seq"].max()) if len(df) else 0
    gone = df.loc[df["instrument"] == WITHDRAWN, "participant"].unique()
    df = df[~df["participant"].isin(gone) & ~df["instrument"].isin([*NOT_ANSWERS, WITHDRAWN])]
    df = df.sort_values(["created_at", "seq"], kind="stable")
    answers = df[df["instrument"] != "keep_throw"]
    latest = answers.drop_duplicates(["participant", "instrument", "item"], keep="last")
    # conditions: counts per item and answer, then per condition; derived-score statistics
    spec = instruments["conditions"]
    scale = spec.scale
    conditions = latest[latest["instrument"] == "conditions"]
    conditions = conditions[conditions["item"].isin([i.id for i in spec.items])]
    conditions = conditions.assign(condition=conditions["item"].map({i.id: i.condition for i in spec.items}))
    counts = conditions.groupby(["item", "value"]).size().unstack(fill_value=0)
    by_condition = conditions.groupby(["condition", "value"]).size().unstack(fill_value=0)
    scored = conditions[conditions["value"].isin(scale.values)]
    scored = scored.assign(score=scored["value"].map(scale.scores).astype(float))
    stats = scored.groupby("item")["score"].agg(["count", "mean", "median", "std"])
    condition_stats = scored.groupby("condition")["score"].agg(["count", "mean", "median", "std"])
    pct = counts[[v for v in scale.values if v in counts]].div(stats["count"], axis=0).mul(100).round(1)
    # continuum: counts per question and level, moves now → desired of people who gave both
    continuum = latest[latest["instrument"] == "continuum"]
    levels = continuum.groupby(["item", "value"]).size().unstack(fill_value=0)
    positions = continuum.pivot(index="participant", columns="item", values="value")
    both = positions.dropna(subset=["now", "desired"]) if {"now", "desired"} <= set(positions) else positions
    moves = both.groupby(["now", "desired"]).size().unstack(fill_value=0) if len(both) else None
    rank = {level.id: level.rank for level in instruments["continuum"].levels}
    shifts = (
        (both["desired"].map(rank) - both["now"].map(rank)).value_counts().sort_index() if len(both) else None
    )
    # by sector: mean score per sector and condition, sectors under the threshold hidden
    profile = latest[
        (latest["instrument"] == PROFILE) & (latest["item"] == "sector") & (latest["value"] != "")
    ]
    sectors = profile.set_index("participant")["value"].rename("sector")
    with_sector = scored.join(sectors, on="participant")
    with_sector["sector"] = with_sector["sector"].fillna("unknown")
    sizes = with_sector.drop_duplicates("participant")["sector"].value_counts()
    shown = sizes[sizes >= threshold]
    by_sector = (
        with_sector[with_sector["sector"].isin(shown.index)]
        .groupby(["sector", "condition"])["score"]
        .mean()
        .unstack()
    )
    hidden = int(sizes[sizes < threshold].sum())
    # cards: each with its id, text, author and seq, per column, in arrival order
    cards = df[(df["instrument"] == "keep_throw") & (df["text"] != "")]
    cards = cards.assign(id="keep_throw/" + cards["item"] + "/" + cards["submission_id"])
    columns = {column: rows[["id", "text", "participant", "seq"]] for column, rows in cards.groupby("item")}
    people = df.loc[df["instrument"] != PROFILE, "participant"].nunique()
    return (
        (counts, by_condition, stats, condition_stats, pct),
        (levels, moves, shifts),
        (by_sector, shown, hidden),
        columns,
        people,
        last_seq,
    )


def read_every_card(summary) -> int:
    """What a page drawing every board does: read each card of each column (``Cards`` makes them as
    they are read; on a checkout where the board's columns are lists this costs nothing extra)."""
    return sum(len(list(cards)) for board in summary.boards.values() for cards in board.columns.values())


PATHS = ("baseline", "first baseline", "events path", "columnar", "columnar + every card read")


def five_ways(path: Path, store, session, instruments, rounds: int) -> list[float]:
    """``PATHS``, interleaved round by round so load hits all alike; best process CPU time of each,
    in ms (on a shared machine far steadier than wall-clock time)."""
    calls = (
        lambda: pandas_baseline(path, CODE, instruments),
        lambda: pandas_baseline_counts(path, CODE),
        lambda: summarize(session, store.read_events(CODE), instruments),
        lambda: summarize_frame(session, read_frame(store, CODE), instruments),
        lambda: read_every_card(summarize_frame(session, read_frame(store, CODE), instruments)),
    )
    best = [float("inf")] * len(calls)
    for call in calls:
        call()  # warm-up
    for _ in range(rounds):
        for i, call in enumerate(calls):
            gc.collect()
            start = time.process_time()
            call()
            best[i] = min(best[i], 1000 * (time.process_time() - start))
    return best


def store_table(session, instruments, sizes: list[int], repeat: int) -> None:
    """Scoring from a SQLite file: the Event path and the columnar path, as ratios to the baseline."""
    import tempfile

    from partenariat_core.store import SQLiteStore

    print()
    print("from a SQLite file (CPU ms, best of repeats; ratio = time / plain pandas baseline)")
    print(
        f"{'events':>8} {'baseline':>9} {'first b.':>9} {'events path':>12} {'ratio':>6}"
        f" {'columnar':>9} {'ratio':>6} {'/first':>6} {'+cards':>9} {'ratio':>6}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            store = SQLiteStore(path)
            events = make_events(n, instruments)
            for start in range(0, n, 50_000):
                store.append_events([replace(e, seq=None) for e in events[start : start + 50_000]])
            del events
            rounds = repeat if n < 100_000 else max(1, min(repeat, 3))
            base, first, old, new, drawn = five_ways(path, store, session, instruments, rounds)
            store.close()
        print(
            f"{n:>8} {base:>9.1f} {first:>9.1f} {old:>12.1f} {old / base:>6.2f}"
            f" {new:>9.1f} {new / base:>6.2f} {new / first:>6.2f} {drawn:>9.1f} {drawn / base:>6.2f}"
        )
    print("baseline: the same figures as summarize; first b.: the first, smaller baseline (see below);")
    print("/first: columnar / first baseline; +cards: columnar, then every card of every board read")


def live_table(session, instruments, sizes: list[int], repeat: int) -> None:
    """What a projector's re-score costs after one new answer: ``LiveSessions.summary`` on a SQLite
    session of n events, after one more event is stored (``invalidate``, as a local write does).
    Each includes the read of the new row; best process CPU time of ``repeat`` answers, in ms."""
    import tempfile

    from partenariat_core.live import LiveSessions
    from partenariat_core.store import SQLiteStore

    print()
    print("LiveSessions.summary after one new answer (CPU ms, best of repeats)")
    print(f"{'events':>8} {'re-score':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            store = SQLiteStore(Path(folder) / "live.db")
            store.create_session(session)
            events = make_events(n + repeat + 1, instruments)
            for start in range(0, n, 50_000):
                store.append_events([replace(e, seq=None) for e in events[start : min(n, start + 50_000)]])
            live = LiveSessions(store, instruments, ttl=0.0)
            live.summary(CODE)  # the first read and score: not what a refresh after an answer costs
            best = float("inf")
            for e in events[n : n + repeat]:
                store.append_events([replace(e, seq=None)])
                live.invalidate(CODE)
                gc.collect()
                start = time.process_time()
                summary = live.summary(CODE)
                best = min(best, 1000 * (time.process_time() - start))
            assert summary is not None and summary.last_seq == n + repeat
            store.close()
        print(f"{n:>8} {best:>9.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per size (best is kept)")
    parser.add_argument("--store", action="store_true", help="also score from a SQLite file (see above)")
    parser.add_argument("--live", action="store_true", help="also time LiveSessions re-scores (see below)")
    parser.add_argument("--repo", type=Path, help="measure the partenariat_core of this checkout instead")
    args = parser.parse_args(argv)

    import pandas as pd

    instruments = load_instruments()
    session = Session(CODE, "Bench", instruments=("keep_throw", "conditions", "continuum"), sectors=SECTORS)
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}; code: {_repo()}"
    )
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
    if args.store:
        store_table(session, instruments, args.sizes, args.repeat)
    if args.live:
        live_table(session, instruments, args.sizes, min(args.repeat, 5))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
