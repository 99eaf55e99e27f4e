"""A room spending its dot votes on the core, without Streamlit: is any vote lost or counted twice?

300 simulated phones (tasks on a thread pool, start times spread over ``--seconds``) each spend their
3 votes on a board of 40 cards (two of them grouped by the host), as the phone's vote step will: per
tap, a page run (``find_session``, the shared ``LiveSessions.summary`` the phone draws its remaining
votes from), then ``participation.submit_vote`` with the shared reader's events as ``known``, then
``live.invalidate``. A fifth of the taps are sent twice with the same submission id (a double tap:
must store nothing), and a fifth of the phones take a vote back and give it to another card (the
latest count must win). Meanwhile projector screens (threads) read ``live.summary`` every 2 s on the
same ONE ``LiveSessions``, as the dashboard's fragment does.

Reported: vote events expected vs stored, lost, duplicates (stored twice, or a resend that stored
something), the final tally (must be participants × votes), phones whose votes do not add up, p50/p95
of a tap's page run, and how long the whole room took. Exits 1 when anything is lost, duplicated or
wrong, or the room did not finish within ``--seconds`` + 5 s.

    python bench/bench_votes.py                # 300 phones × 3 votes within 30 s, 10 screens
    python bench/bench_votes.py --quick        # 30 phones within 5 s

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partenariat_core import (
    LiveSessions,
    RejectedInput,
    VoteRules,
    create_session,
    find_session,
    group_cards,
    load_instruments,
    new_submission_id,
    submit_card,
    submit_vote,
)
from partenariat_core.scoring.curated import VOTE
from partenariat_core.store import SQLiteStore

CARDS = 40
LIVE_TTL = 1.0  # what ui/runtime.py gives the app's LiveSessions


@dataclass
class Outcome:
    taps: int = 0  # distinct submissions this phone sent
    resends: int = 0
    resend_stored: int = 0  # resends that stored something: must stay 0
    page_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def phone(
    pid: str,
    start: float,
    t0: float,
    store: SQLiteStore,
    live: LiveSessions,
    code: str,
    instruments,
    rules: VoteRules,
    seed: int,
) -> Outcome:
    rng = random.Random(seed)
    out = Outcome()
    board = instruments["keep_throw"]
    delay = t0 + start - time.perf_counter()
    if delay > 0:
        time.sleep(delay)

    def tap(target: str, count: int) -> None:
        sid = new_submission_id()
        started = time.perf_counter()
        session = find_session(store, code)
        summary = live.summary(code)  # the phone draws its remaining votes from the shared board
        assert summary is not None
        submit_vote(store, session, pid, board, target, count, sid, rules=rules, known=live.events(code))
        live.invalidate(code)
        out.page_s.append(time.perf_counter() - started)
        out.taps += 1
        if rng.random() < 0.2:  # a double tap: the same submission again
            out.resends += 1
            again = submit_vote(
                store, session, pid, board, target, count, sid, rules=rules, known=live.events(code)
            )
            out.resend_stored += int(again)
        time.sleep(rng.uniform(0.2, 1.5))  # reading the board before the next tap

    try:
        summary = live.summary(code)
        assert summary is not None
        entries = [entry.id for entry in summary.curated["keep_throw"].entries]
        chosen = rng.sample(entries, rules.per_person)
        for target in chosen:
            tap(target, 1)
        if rng.random() < 0.2:  # change of mind: take one back, give it to another entry
            tap(chosen[0], 0)
            tap(rng.choice([e for e in entries if e not in chosen]), 1)
    except (RejectedInput, AssertionError) as exc:
        out.errors.append(f"{pid}: {type(exc).__name__}: {exc}")
    return out


def screen(live: LiveSessions, code: str, stop: threading.Event, calls: list[float]) -> None:
    while not stop.wait(2.0):
        started = time.perf_counter()
        summary = live.summary(code)
        if summary is not None:
            summary.curated["keep_throw"].ranking(top=5)
        calls.append(time.perf_counter() - started)


def pct(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5))) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--votes", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0, help="the room's window")
    parser.add_argument("--screens", type=int, default=10)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="threads for the phones (default: one per phone, as the server)",
    )
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--quick", action="store_true", help="30 phones within 5 s, 3 screens")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.seconds, args.screens = 30, 5.0, 3
    rules = VoteRules(per_person=args.votes)
    instruments = load_instruments()
    with tempfile.TemporaryDirectory(prefix="bench_votes_") as tmp:
        store = SQLiteStore(Path(tmp) / "partenariat.db")
        session = create_session(store, instruments, "Bench votes", instrument_ids=("keep_throw",))
        code = session.code
        kt = instruments["keep_throw"]
        for n in range(CARDS):
            author = f"author-{n % 20:04d}"
            submit_card(store, session, author, kt, ("keep", "throw")[n % 2], f"Carte {n}", f"card-{n:03d}")
        live = LiveSessions(store, instruments, ttl=LIVE_TTL)
        first = live.summary(code)
        assert first is not None
        keep = [c.id for c in first.curated["keep_throw"].cards.values() if c.column == "keep"]
        store.append_events(group_cards(session, first.curated["keep_throw"], keep[:2], "Groupe", "host-1"))
        live.invalidate(code)
        # the phones' windows leave 5 s at the end for the last of their taps
        rng = random.Random(args.seed)
        starts = sorted(rng.uniform(0, max(0.0, args.seconds - 8)) for _ in range(args.participants))
        args.workers = args.workers or args.participants
        pids = [f"bench-voter-{i:04d}" for i in range(args.participants)]
        print(
            f"bench_votes: {args.participants} phones × {args.votes} votes within {args.seconds:g} s, "
            f"{CARDS} cards (2 grouped), {args.workers} workers, {args.screens} screens, ttl {LIVE_TTL:g} s; "
            f"python {platform.python_version()}",
            flush=True,
        )
        stop = threading.Event()
        calls: list[list[float]] = [[] for _ in range(args.screens)]
        screens = [
            threading.Thread(target=screen, args=(live, code, stop, calls[i]), daemon=True)
            for i in range(args.screens)
        ]
        for thread in screens:
            thread.start()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.workers, thread_name_prefix="phone") as pool:
            futures = [
                pool.submit(phone, pid, start, t0, store, live, code, instruments, rules, args.seed + i)
                for i, (pid, start) in enumerate(zip(pids, starts, strict=True))
            ]
            outcomes = [f.result(timeout=args.seconds + 600) for f in futures]
        took = time.perf_counter() - t0
        stop.set()
        for thread in screens:
            thread.join(timeout=30)

        stored = [e for e in store.read_events(code) if e.instrument == VOTE]
        expected = sum(o.taps for o in outcomes)
        keys = {e.key for e in stored}
        lost = max(0, expected - len(keys))
        duplicates = (len(stored) - len(keys)) + sum(o.resend_stored for o in outcomes)
        live.invalidate(code)
        final = live.summary(code)
        assert final is not None
        board = final.curated["keep_throw"]
        tally = board.total_votes
        wrong_phones = sum(1 for pid in pids if board.spent(pid) != args.votes)
        errors = [e for o in outcomes for e in o.errors]
        page = [s for o in outcomes for s in o.page_s]
        screen_s = [s for c in calls for s in c]
        store.close()

    resends = sum(o.resends for o in outcomes)
    resent_stored = sum(o.resend_stored for o in outcomes)
    ms = {name: 1000 * pct(values, q) for name, values, q in (
        ("page50", page, 50), ("page95", page, 95), ("page100", page, 100),
        ("screen50", screen_s, 50), ("screen95", screen_s, 95),
    )}  # fmt: skip
    print(f"  vote events: expected {expected}, stored {len(stored)}, lost {lost}, duplicates {duplicates}")
    print(f"  resends: {resends}, of which stored something: {resent_stored}")
    goal = args.participants * args.votes
    print(f"  tally: {tally} (expected {goal}); phones whose votes are not {args.votes}: {wrong_phones}")
    print(f"  tap page run: p50 {ms['page50']:.1f} ms, p95 {ms['page95']:.1f} ms, max {ms['page100']:.1f} ms")
    print(f"  screen refresh: p50 {ms['screen50']:.1f} ms, p95 {ms['screen95']:.1f} ms")
    print(f"  room done in {took:.1f} s (window {args.seconds:g} s); errors: {len(errors)}")
    for line in errors[:10]:
        print(f"    {line}")
    ok = (
        lost == 0
        and duplicates == 0
        and tally == goal
        and wrong_phones == 0
        and not errors
        and took <= args.seconds + 5
    )
    print("  verdict:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
