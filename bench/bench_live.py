"""A room of phones and projectors against the core, without Streamlit: is anything lost, counted twice,
or late on a screen?

Simulated participants (tasks on a thread pool, each with its own start time spread over ``--seconds``)
do what the participant page does on each "Send": a page run (``find_session`` + ``participant_state``
over ``live.events``), then one submit function from ``partenariat_core.participation``, then
``live.invalidate``. Each sends a sector, one or two cards, the conditions answers and the continuum
now/desired; a fraction re-send one submission as it was (a double tap: it must add nothing) and a
fraction revise a score (a new submission: the latest must win). Meanwhile simulated projector screens
(threads) call ``live.summary(code)`` every ``--screen-interval`` seconds on ONE shared ``LiveSessions``,
as the dashboard's fragment does.

Reported: events expected vs stored, lost, duplicates, p50/p95 submit time, delay from a submit to its
visibility on each screen (a screen sees a submission when ``summary.last_seq`` reaches the submission's
``seq``; SQLite gives seqs in commit order), and store round trips per minute. Exits 1 when anything is
lost, duplicated, or wrong (latest-wins, cards per participant, never visible).

    python bench/bench_live.py                         # 300 participants over 60 s, 20 screens
    python bench/bench_live.py --quick                 # 30 participants over 10 s, 5 screens
    python bench/bench_live.py --participants 30 --seconds 10 --screens 3
    python bench/bench_live.py --repo /tmp/before --full-read-cards   # an older checkout's core, as
                                                                      # its page called it

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import platform
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# --repo must be known before the core is imported: it says whose partenariat_core is measured.
_early = argparse.ArgumentParser(add_help=False)
_early.add_argument("--repo", default=str(ROOT))
REPO = Path(_early.parse_known_args()[0].repo).resolve()
sys.path.insert(0, str(REPO))

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
from partenariat_core.config import SETTINGS  # noqa: E402
from partenariat_core.instruments import Instrument  # noqa: E402
from partenariat_core.store import SQLiteStore  # noqa: E402

TODAY = dt.date.today()
FULL_READ_CARDS = "--full-read-cards" in sys.argv
LIVE_TTL = 1.0  # what ui/runtime.py gives the app's LiveSessions
REFRESH_SECONDS = next(s.default for s in SETTINGS if s.name == "refresh_seconds")
CARD_WORDS = (
    "vision commune",
    "partage des ressources",
    "travailler en silo",
    "confiance entre partenaires",
    "leadership partagé",
    "financement par projet",
    "écoute des citoyens",
    "réunions trop longues",
)


class CountingStore:
    """Wraps the store to count round trips per method and per kind of caller thread.

    ``LiveSessions.reads`` counts only the shared reader's own reads; pages also call the store
    directly (``find_session``, the card limit check in ``submit_card``), and those count too.
    """

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner
        self.calls: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            thread = threading.current_thread().name
            role = next((r for r in ("screen", "participant") if thread.startswith(r)), "other")
            with self._lock:
                self.calls[(name, role)] += 1
            return attr(*args, **kwargs)

        return counted


@dataclass
class Plan:
    """What one participant will send, decided up front from a seeded generator."""

    pid: str
    start: float
    sector: str
    cards: list[tuple[str, str]]  # (column, text)
    conditions: dict[str, str | None]
    continuum: dict[str, str]
    resend: str | None = None  # "card" or "conditions": send that submission a second time, unchanged
    revise: tuple[str, str, str] | None = None  # (instrument, item, new value): a later, changed answer


@dataclass
class Outcome:
    """What happened to one participant's submissions, as the bench saw it."""

    done_at: dict[str, float] = field(default_factory=dict)  # submission id → time its write returned
    submit_s: list[float] = field(default_factory=list)  # the submit call alone
    page_s: list[float] = field(default_factory=list)  # page run: find_session + state + submit + invalidate
    resend_new: int = -1  # what the re-sent submission returned (must be 0 / False)
    errors: list[str] = field(default_factory=list)


def make_plans(
    n: int, seconds: float, session: Session, instruments: dict[str, Instrument], seed: int
) -> list[Plan]:
    rng = random.Random(seed)
    board = instruments["keep_throw"].preset(session.keep_throw_preset)
    columns = [c.id for c in board.columns]
    scale = instruments["conditions"].scale
    assert scale is not None
    answers = (*scale.values, Scale.DONT_KNOW)
    items = [item.id for item in instruments["conditions"].items]
    levels = [level.id for level in instruments["continuum"].levels]
    questions = [q.id for q in instruments["continuum"].questions]
    plans = []
    for i in range(n):
        pid = f"bench-{i:04d}-{rng.getrandbits(24):06x}"
        cards = [
            (rng.choice(columns), f"{rng.choice(CARD_WORDS).capitalize()} ({pid[-6:]}·{k})")
            for k in range(rng.choice((1, 2)))
        ]
        conditions: dict[str, str | None] = {
            item: (None if rng.random() < 0.05 else rng.choice(answers)) for item in items
        }
        if all(v is None for v in conditions.values()):
            conditions[items[0]] = answers[0]
        plan = Plan(
            pid=pid,
            start=rng.uniform(0, seconds),
            sector=rng.choice(session.sectors),
            cards=cards,
            conditions=conditions,
            continuum={q: rng.choice(levels) for q in questions},
        )
        if rng.random() < 0.2:
            plan.resend = rng.choice(("card", "conditions"))
        if rng.random() < 0.2:
            if rng.random() < 0.5:
                item = rng.choice(items)
                old = conditions[item]
                plan.revise = ("conditions", item, rng.choice([a for a in answers if a != old]))
            else:
                old = plan.continuum[questions[-1]]
                plan.revise = ("continuum", questions[-1], rng.choice([lv for lv in levels if lv != old]))
        plans.append(plan)
    return sorted(plans, key=lambda p: p.start)


def participant(
    plan: Plan,
    t0: float,
    store: CountingStore,
    live: LiveSessions,
    code: str,
    instruments: dict[str, Instrument],
) -> Outcome:
    """One phone: each "Send" is a page run, as pages/participate.py and ui/forms.py do it."""
    out = Outcome()
    delay = t0 + plan.start - time.perf_counter()
    if delay > 0:
        time.sleep(delay)

    def send(sid: str, submit: Callable[[Session], Any], *, record: bool = True) -> Any:
        started = time.perf_counter()
        session = find_session(store, code)
        participant_state(live.events(code), plan.pid)  # what the page pre-fills the forms with
        before = time.perf_counter()
        result = submit(session)
        after = time.perf_counter()
        live.invalidate(code)
        out.submit_s.append(after - before)
        out.page_s.append(time.perf_counter() - started)
        if record:
            out.done_at[sid] = after
        return result

    kt, cond, cont = instruments["keep_throw"], instruments["conditions"], instruments["continuum"]

    def post(session: Session, column: str, text: str, sid: str) -> bool:
        # as ui/forms.py: the limit and double-tap check use the shared reader's events
        if FULL_READ_CARDS:  # the page before bench/RESULTS.md's fix: a full store read per card
            return submit_card(store, session, plan.pid, kt, column, text, sid)
        return submit_card(store, session, plan.pid, kt, column, text, sid, known=live.events(code))

    try:
        sid = new_submission_id()
        send(sid, lambda s, sid=sid: submit_sector(store, s, plan.pid, plan.sector, sid))
        for column, text in plan.cards:
            sid = card_submission_id(code, plan.pid, column, text)
            send(sid, lambda s, sid=sid, c=column, x=text: post(s, c, x, sid))
        cond_sid = new_submission_id()
        send(cond_sid, lambda s: submit_scale(store, s, plan.pid, cond, plan.conditions, cond_sid))
        sid = new_submission_id()
        send(sid, lambda s, sid=sid: submit_continuum(store, s, plan.pid, cont, plan.continuum, sid))
        if plan.resend == "card":
            column, text = plan.cards[0]
            sid = card_submission_id(code, plan.pid, column, text)
            stored = send(sid, lambda s: post(s, column, text, sid), record=False)
            out.resend_new = int(stored)
        elif plan.resend == "conditions":
            out.resend_new = send(
                cond_sid,
                lambda s: submit_scale(store, s, plan.pid, cond, plan.conditions, cond_sid),
                record=False,
            )
        if plan.revise:
            instrument, item, value = plan.revise
            sid = new_submission_id()
            if instrument == "conditions":
                send(sid, lambda s: submit_scale(store, s, plan.pid, cond, {item: value}, sid))
            else:
                send(sid, lambda s: submit_continuum(store, s, plan.pid, cont, {item: value}, sid))
    except Exception as exc:  # a bench reports, it does not stop at the first problem
        out.errors.append(f"{plan.pid}: {type(exc).__name__}: {exc}")
    return out


def screen(
    live: LiveSessions,
    code: str,
    interval: float,
    offset: float,
    stop: threading.Event,
    timeline: list[tuple[float, int]],
    call_s: list[float],
) -> None:
    """One projector: a fragment rerun every ``interval`` seconds, reading the shared summary."""
    next_tick = time.perf_counter() + offset
    while not stop.wait(max(0.0, next_tick - time.perf_counter())):
        started = time.perf_counter()
        summary = live.summary(code)
        ended = time.perf_counter()
        call_s.append(ended - started)
        last = summary.last_seq if summary else 0
        if not timeline or last != timeline[-1][1]:
            timeline.append((ended, last))
        next_tick += interval


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def expected_rows(plan: Plan) -> int:
    """Rows this participant must leave in the store: one per distinct (submission, item)."""
    rows = 1 + len(plan.cards) + sum(v is not None for v in plan.conditions.values()) + len(plan.continuum)
    return rows + (1 if plan.revise else 0)


def expected_latest(plan: Plan) -> dict[str, dict[str, str]]:
    answers = {
        "conditions": {k: v for k, v in plan.conditions.items() if v is not None},
        "continuum": dict(plan.continuum),
    }
    if plan.revise:
        instrument, item, value = plan.revise
        answers[instrument][item] = value
    return answers


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="bench_live_") as tmp:
        inner = SQLiteStore(Path(tmp) / "partenariat.db")
        store = CountingStore(inner)
        instruments = load_instruments()
        profile = instruments[PROFILE]
        session = create_session(
            inner, instruments, "Bench live", sectors=[c.id for c in profile.sectors][:6]
        )
        code = session.code
        live = LiveSessions(store, instruments, ttl=args.ttl)  # type: ignore[arg-type]
        plans = make_plans(args.participants, args.seconds, session, instruments, args.seed)

        stop = threading.Event()
        timelines: list[list[tuple[float, int]]] = [[] for _ in range(args.screens)]
        screen_calls: list[list[float]] = [[] for _ in range(args.screens)]
        rng = random.Random(args.seed + 1)
        screens = [
            threading.Thread(
                target=screen,
                args=(
                    live,
                    code,
                    args.screen_interval,
                    rng.uniform(0, args.screen_interval),
                    stop,
                    timelines[i],
                    screen_calls[i],
                ),
                name=f"screen-{i}",
                daemon=True,
            )
            for i in range(args.screens)
        ]
        print(
            f"bench_live: {args.participants} participants over {args.seconds:g} s, {args.workers} workers, "
            f"{args.screens} screens every {args.screen_interval:g} s, LiveSessions ttl {args.ttl:g} s; "
            f"core from {REPO}{' (cards: full store read)' if args.full_read_cards else ''}",
            flush=True,
        )
        t0 = time.perf_counter()
        for thread in screens:
            thread.start()
        with ThreadPoolExecutor(args.workers, thread_name_prefix="participant") as pool:
            futures = [pool.submit(participant, p, t0, store, live, code, instruments) for p in plans]
            outcomes = [f.result(timeout=args.seconds + 600) for f in futures]
        writes_done = time.perf_counter()
        # Let every screen tick at least once more after the last write (+ the cache's ttl).
        time.sleep(args.screen_interval + args.ttl + 0.5)
        stop.set()
        for thread in screens:
            thread.join(timeout=30)
        elapsed = time.perf_counter() - t0
        reads_during = live.reads

        final = inner.read_events(code)
        verdict = report(args, plans, outcomes, final, timelines, screen_calls, store, live, elapsed)
        print(f"  run: {writes_done - t0:.1f} s of writes, {elapsed:.1f} s in all; live.reads {reads_during}")
        return verdict


def report(
    args: argparse.Namespace,
    plans: list[Plan],
    outcomes: list[Outcome],
    final: list[Any],
    timelines: list[list[tuple[float, int]]],
    screen_calls: list[list[float]],
    store: CountingStore,
    live: LiveSessions,
    elapsed: float,
) -> int:
    errors = [e for o in outcomes for e in o.errors]
    expected = sum(expected_rows(p) for p in plans)
    stored = len(final)
    keys = {(e.submission_id, e.instrument, e.item) for e in final}
    lost = max(0, expected - stored)
    duplicates = (stored - len(keys)) + max(0, stored - expected)

    # cards per participant, as sent; latest answer wins
    by_pid: dict[str, list[Any]] = {}
    for e in final:
        by_pid.setdefault(e.participant, []).append(e)
    card_mismatch = latest_mismatch = 0
    for plan in plans:
        state = participant_state(by_pid.get(plan.pid, []), plan.pid)
        if sorted((c, t) for _, c, t in state.cards) != sorted(plan.cards):
            card_mismatch += 1
        answers = {k: v for k, v in state.answers.items() if v}
        if answers != expected_latest(plan) or state.sector != plan.sector:
            latest_mismatch += 1
    resends = [o.resend_new for o, p in zip(outcomes, plans, strict=True) if p.resend]
    resend_added = sum(1 for r in resends if r != 0)
    revisions = sum(1 for p in plans if p.revise)

    # submit → visible on each screen
    seq_of: dict[str, int] = {}
    for e in final:
        seq_of[e.submission_id] = max(seq_of.get(e.submission_id, 0), e.seq or 0)
    delays: list[float] = []
    first_screen: list[float] = []
    never = 0
    for o in outcomes:
        for sid, done in o.done_at.items():
            seq = seq_of.get(sid)
            if seq is None:
                continue  # counted as lost above
            seen = []
            for tl in timelines:
                i = bisect.bisect_left([s for _, s in tl], seq)
                if i == len(tl):
                    never += 1
                    continue
                seen.append(max(0.0, tl[i][0] - done))
            delays.extend(seen)
            if seen:
                first_screen.append(min(seen))
    submit_s = [s for o in outcomes for s in o.submit_s]
    page_s = [s for o in outcomes for s in o.page_s]
    calls = [s for c in screen_calls for s in c]
    minutes = elapsed / 60
    reads = Counter()
    for (method, role), n in store.calls.items():
        if method in ("get_session", "read_events", "list_sessions"):
            reads[role] += n
    writes = sum(n for (method, _), n in store.calls.items() if method == "append_events")
    target = REFRESH_SECONDS + 1

    print(f"  machine: {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}, {TODAY}")
    print(f"  events expected {expected}, stored {stored}; lost {lost}; duplicates {duplicates}")
    print(
        f"  double-tap re-sends {len(resends)} (added rows: {resend_added}); revisions {revisions}; "
        f"participants with wrong cards {card_mismatch}, wrong latest answers {latest_mismatch}"
    )
    print(
        f"  submit call: p50 {pct(submit_s, 50) * 1000:.1f} ms, p95 {pct(submit_s, 95) * 1000:.1f} ms, "
        f"max {max(submit_s, default=0) * 1000:.1f} ms ({len(submit_s)} submits)"
    )
    print(
        f"  page run (find_session + participant_state + submit + invalidate): "
        f"p50 {pct(page_s, 50) * 1000:.1f} ms, p95 {pct(page_s, 95) * 1000:.1f} ms"
    )
    print(
        f"  submit → visible, per screen: p50 {pct(delays, 50):.2f} s, p95 {pct(delays, 95):.2f} s, "
        f"max {max(delays, default=0):.2f} s ({len(delays)} pairs); first screen p95 "
        f"{pct(first_screen, 95):.2f} s; never visible {never}; target p95 ≤ {target} s"
    )
    print(
        f"  screen refresh (live.summary): p50 {pct(calls, 50) * 1000:.1f} ms, "
        f"p95 {pct(calls, 95) * 1000:.1f} ms ({len(calls)} refreshes)"
    )
    print(
        f"  store reads/min: shared reader (live.reads) {live.reads / minutes:.0f}; by caller: "
        + ", ".join(f"{role} {n / minutes:.0f}" for role, n in sorted(reads.items()))
        + f"; writes/min {writes / minutes:.0f}"
    )
    if errors:
        print(f"  errors: {len(errors)}; first: {errors[:3]}")
    bad = lost or duplicates or card_mismatch or latest_mismatch or resend_added or never or errors
    print("  verdict:", "FAIL" if bad else "OK", "(0 lost, 0 duplicates, latest wins, all visible)")
    if pct(delays, 95) > target:
        print(f"  note: p95 submit→visible above the {target} s target")
    return 1 if bad else 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60.0, help="start times spread over this window")
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--screen-interval", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=48, help="thread pool size for participants")
    parser.add_argument("--ttl", type=float, default=LIVE_TTL, help="LiveSessions ttl (the app's: 1 s)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--quick", action="store_true", help="30 participants over 10 s, 5 screens")
    parser.add_argument("--repo", default=str(ROOT), help="checkout whose partenariat_core is measured")
    parser.add_argument(
        "--full-read-cards",
        action="store_true",
        help="call submit_card without known= (reads every event per card), as pages did before",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.seconds, args.screens = 30, 10.0, 5
    if args.participants < 1 or args.screens < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("participants, screens, workers and seconds must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; the exit status says whether nothing was lost or duplicated."""
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
