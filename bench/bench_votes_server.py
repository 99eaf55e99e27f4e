"""Dot votes on the real app: 300 phones spend 3 votes each within 30 s through the phone's vote step.

The same room as ``bench/bench_votes.py`` (which drives the core without Streamlit), but served by
``streamlit run app.py`` and spoken to through Streamlit's websocket protocol (``bench/st_client.py``),
as ``bench/bench_server.py`` does for joins and forms:

1. a temp data folder gets a SQLite file with one session (the keep/throw board only), 40 cards from
   20 writers, two of them grouped by the host, and a vote step (3 votes each, one per card); the
   agenda is guided and on the vote step, so each phone's page is the vote form;
2. the server starts; one warm-up tab opens the page; ``--screens`` projector tabs open the screen link
   and rerun their live fragment on its timer;
3. the phones open ``/?session=CODE&p=<token>`` at random times within the first ``--join-seconds``,
   then tap 3 different entries (0.3–1.5 s apart), each tap a fragment rerun of the vote form as
   the browser sends it (the button's trigger). A fifth of the taps are sent twice (a double tap: the
   second arrives once the first was drawn, on the button as it was) and must store nothing;
4. the SQLite file is read at the end: vote events per participant against the taps each phone saw
   confirmed ("Vote enregistré."), duplicates (a key stored twice, or more events than taps), and the
   tally on the final board (the sum of the latest counts, which must be phones × 3).

Reported: lost, duplicates, tally, the room's duration (goal: within 30 s), p50/p95/max of a tap's
page run, of a join, of a projector refresh, CPU of the server and of this client. Exit 1 when anything
is lost or duplicated, the tally is wrong, there were errors, or the room did not finish in time.

    python bench/bench_votes_server.py             # 300 phones × 3 votes within 30 s, 3 screens
    python bench/bench_votes_server.py --quick     # 30 phones within 10 s, 1 screen

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_server import (  # noqa: E402
    NO_SECRETS,
    app_env,
    cpu_seconds,
    free_port,
    machine_busy_seconds,
    pct,
    streamlit_server,
)
from st_client import RunResult, StreamlitTab  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from partenariat_core import (  # noqa: E402
    VoteRules,
    add_vote_step,
    create_session,
    ensure_screen_key,
    go_to_step,
    group_cards,
    load_instruments,
    load_settings,
    open_store,
    set_agenda_mode,
    submit_card,
)
from partenariat_core.pseudonym import Pseudonyms  # noqa: E402
from partenariat_core.scoring import events_frame  # noqa: E402
from partenariat_core.scoring.curated import VOTE, curated_board  # noqa: E402

CARDS = 40
SAVED = "Vote enregistré."


@dataclass
class Tally:
    runs: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    confirmed: dict[str, int] = field(default_factory=dict)  # token → taps seen "saved"
    sent: dict[str, int] = field(default_factory=dict)  # token → distinct taps sent (not the resends)
    taps: int = 0
    pushed_runs: int = 0  # screen runs the server started on a change (ui/push.py), not on the timer
    resends: int = 0
    last_done: float = 0.0

    def add(self, kind: str, result: RunResult) -> None:
        self.runs.setdefault(kind, []).append(result.seconds)
        if result.status in ("timeout", "disconnected"):
            self.error(f"{kind}: {result.status}", f"after {result.seconds:.1f} s")
        for exc in result.exceptions:
            self.error(f"{kind}: exception", exc)
        for fmt, body in result.alerts:
            if fmt == "error":
                self.error(f"{kind}: error message", body)

    def error(self, what: str, example: str = "") -> None:
        self.errors[what] += 1
        self.examples.setdefault(what, example[:200])


def short_key(ident: str) -> str:
    """As ``ui.votes.short_key`` (the bench does not import the shell)."""
    return hashlib.sha256(ident.encode()).hexdigest()[:12]


async def idle(tab: StreamlitTab, seconds: float, due: dict[str, float], tally: Tally) -> None:
    """Wait ``seconds`` as a phone's browser does: running each timed fragment of the page (the vote
    form follows the board, the page follows the host) when its interval comes round."""
    until = time.perf_counter() + seconds
    while True:
        now = time.perf_counter()
        for fragment, interval in tab.auto_rerun.items():
            due.setdefault(fragment, now + interval)
            if due[fragment] <= now:
                tally.add("phone timer", await tab.run(fragment_id=fragment, auto=True))
                due[fragment] = max(due[fragment] + interval, time.perf_counter())
        now = time.perf_counter()
        if now >= until:
            return
        await asyncio.sleep(min([until - now, *(max(0.0, d - now) for d in due.values())]))


async def phone(
    i: int, start: float, t0: float, args: argparse.Namespace, base: str, code: str, entries: list[str],
    tally: Tally, tapped: asyncio.Event, room_done: asyncio.Event,
) -> StreamlitTab | None:  # fmt: skip
    rng = random.Random(args.seed + i)
    await asyncio.sleep(max(0.0, t0 + start - time.perf_counter()))
    token = f"vote{i:04d}x{rng.getrandbits(20):05x}"
    tab = StreamlitTab(base, page="", query=urlencode({"session": code, "p": token}), timeout=args.timeout)
    try:
        await tab.connect()
    except Exception as exc:  # a refused connection is a result, not a crash of the bench
        tally.error("phone: connect failed", f"{type(exc).__name__}: {exc}")
        return None
    tally.add("join", await tab.run())
    tally.confirmed[token] = tally.sent[token] = 0
    due: dict[str, float] = {}
    if not args.follow:
        tab.auto_rerun.clear()  # the phones' timers off: taps only, as the bench measured before
    for target in rng.sample(entries, args.votes):
        await idle(tab, rng.uniform(0.3, 1.5), due, tally)
        found = tab.find(key=f"vote_{short_key(target)}_0_0", kind="button")
        if not found:
            tally.error("phone: no vote button", target)
            continue
        button = found[0]
        tally.taps += 1
        tally.sent[token] += 1
        result = await tab.run(
            [WidgetState(id=button.id, trigger_value=True)], fragment_id=button.fragment_id
        )
        tally.add("tap", result)
        if any(fmt == "success" and body == SAVED for fmt, body in result.alerts):
            tally.confirmed[token] += 1
        elif result.ok:
            tally.error("tap: no confirmation", str(result.alerts[:2]))
        if rng.random() < 0.2:  # a double tap: the same button again, as it was drawn
            tally.resends += 1
            again = await tab.run(
                [WidgetState(id=button.id, trigger_value=True)], fragment_id=button.fragment_id
            )
            tally.add("double tap", again)
    tally.last_done = max(tally.last_done, time.perf_counter() - t0)
    tapped.set()
    while not room_done.is_set():  # the page stays open, its timers running, until the room is done
        await idle(tab, 0.5, due, tally)
    return tab


async def projector(
    args: argparse.Namespace, base: str, query: str, tally: Tally, stop: asyncio.Event
) -> None:
    tab = StreamlitTab(base, page="screen", query=query, timeout=args.timeout)
    try:
        await tab.connect()
        tally.add("screen open", await tab.run())
        if not tab.auto_rerun:
            tally.error("screen: no live fragment")
            return
        async for refreshed in tab.timed_runs(stop):
            tally.add("screen refresh", refreshed)
        tally.pushed_runs += tab.unasked_runs
    except (OSError, TimeoutError) as exc:
        tally.error("screen: failed", f"{type(exc).__name__}: {exc}")
    finally:
        await tab.close()


async def _tapped_or_gone(tapped: asyncio.Event, task: asyncio.Task) -> None:
    """Until this phone has made its taps, or its task ended (a refused connection)."""
    waiter = asyncio.create_task(tapped.wait())
    await asyncio.wait([waiter, task], return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()


async def load(args, base: str, code: str, screen_query: str, entries: list[str], tally: Tally) -> float:
    warm = StreamlitTab(base, page="", query=urlencode({"session": code, "p": "warmup0000"}), timeout=60)
    await warm.connect()
    tally.add("warm-up", await warm.run())
    await warm.close()
    stop = asyncio.Event()
    screens = [
        asyncio.create_task(projector(args, base, screen_query, tally, stop)) for _ in range(args.screens)
    ]
    await asyncio.sleep(2)
    rng = random.Random(args.seed)
    starts = sorted(rng.uniform(0, args.join_seconds) for _ in range(args.phones))
    t0 = time.perf_counter()
    tapped = [asyncio.Event() for _ in starts]
    room_done = asyncio.Event()
    phones = [
        asyncio.create_task(phone(i, s, t0, args, base, code, entries, tally, tapped[i], room_done))
        for i, s in enumerate(starts)
    ]

    # every phone has made its taps (a phone that failed to connect returns at once: done too)
    all_tapped = asyncio.gather(*(_tapped_or_gone(e, p) for e, p in zip(tapped, phones, strict=True)))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_tapped, timeout=args.join_seconds + 20 * args.timeout)
    took = time.perf_counter() - t0
    room_done.set()
    done, pending = await asyncio.wait(phones, timeout=args.timeout + 5)
    for task in pending:
        task.cancel()
        tally.error("phone: did not finish")
    stop.set()
    await asyncio.wait(screens, timeout=args.timeout + 5)
    tabs = [t.result() for t in done if not t.cancelled() and t.exception() is None and t.result()]
    for t in done:
        if not t.cancelled() and t.exception() is not None:
            tally.error("phone: crashed", repr(t.exception()))
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    return took


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--votes", type=int, default=3)
    parser.add_argument("--join-seconds", type=float, default=20.0, help="phones open the link within this")
    parser.add_argument("--goal-seconds", type=float, default=30.0, help="the room's window")
    parser.add_argument("--screens", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--quick", action="store_true", help="30 phones within 10 s, 1 screen")
    parser.add_argument(
        "--no-follow",
        dest="follow",
        action="store_false",
        help="phones send taps only, without their pages' timers (the vote form follows the board)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.phones, args.join_seconds, args.goal_seconds, args.screens = 30, 10.0, 15.0, 1
    with tempfile.TemporaryDirectory(prefix="bench_votes_server_") as tmp:
        port = free_port()
        env = app_env(Path(tmp), port, "bench-passcode-2026")
        settings = load_settings(env=env, secrets_file=Path(tmp) / NO_SECRETS)
        store = open_store(settings)
        instruments = load_instruments()
        board = instruments["keep_throw"]
        session = create_session(store, instruments, "Bench votes (app)", instrument_ids=("keep_throw",))
        code = session.code
        for n in range(CARDS):
            author = f"author-{n % 20:04d}"
            submit_card(
                store, session, author, board, ("keep", "throw")[n % 2], f"Carte {n}", f"card-{n:03d}"
            )
        events = store.read_events(code)
        curated = curated_board(events_frame(events), board, session, events)
        keep = [c.id for c in curated.cards.values() if c.column == "keep"]
        store.append_events(group_cards(session, curated, keep[:2], "Groupe", "host-1"))
        add_vote_step(store, code, "keep_throw", VoteRules(args.votes), instruments=instruments)
        set_agenda_mode(store, code, "guided")
        go_to_step(store, code, 2)  # join, keep_throw, vote:keep_throw
        key = ensure_screen_key(store, code).agenda.screen_key
        events = store.read_events(code)
        entries = [e.id for e in curated_board(events_frame(events), board, session, events).entries]
        print(
            f"bench_votes_server: {args.phones} phones × {args.votes} votes, joining within "
            f"{args.join_seconds:g} s (goal: all done within {args.goal_seconds:g} s), "
            f"{len(entries)} entries ({CARDS} cards, 2 grouped), {args.screens} screens; "
            "streamlit run app.py on 127.0.0.1",
            flush=True,
        )
        tally = Tally()
        log = Path(tmp) / "streamlit.log"
        with streamlit_server(ROOT, env, port, log, []) as pid:
            cpu0, client0, busy0 = cpu_seconds(pid), time.process_time(), machine_busy_seconds()
            wall0 = time.perf_counter()
            took = asyncio.run(
                load(
                    args,
                    f"ws://127.0.0.1:{port}",
                    code,
                    urlencode({"session": code, "key": key}),
                    entries,
                    tally,
                )
            )
            wall = time.perf_counter() - wall0
            server_cpu, client_cpu = cpu_seconds(pid) - cpu0, time.process_time() - client0
            others = max(0.0, machine_busy_seconds() - busy0 - server_cpu - client_cpu)
        tracebacks = log.read_text(errors="replace").count("Traceback")
        # what the file holds, read directly
        pseudonyms = Pseudonyms.in_data_dir(settings.data_dir)
        events = open_store(settings).read_events(code)
        votes = [e for e in events if e.instrument == VOTE]
        keys = {e.key for e in votes}
        per_pid = Counter(e.participant for e in votes)
        lost = sum(max(0, n - per_pid.get(pseudonyms.of(tok), 0)) for tok, n in tally.confirmed.items())
        # more events than distinct taps (a resend or a timed-out tap stored twice) is a duplicate; a tap
        # that timed out and was stored once is not (the phone would see it on its next run)
        extra = sum(max(0, per_pid.get(pseudonyms.of(tok), 0) - n) for tok, n in tally.sent.items())
        duplicates = (len(votes) - len(keys)) + extra
        final = curated_board(events_frame(events), board, session, events)
        tally_votes = final.total_votes
        confirmed = sum(tally.confirmed.values())
        expected = args.phones * args.votes

    def line(kind: str) -> str:
        runs = tally.runs.get(kind, [])
        return (
            f"  {kind:<15} n={len(runs):<5} p50 {pct(runs, 50):.3f} s  p95 {pct(runs, 95):.3f} s  "
            f"max {max(runs, default=0):.3f} s"
        )

    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {dt.date.today()}"
    )
    print(f"  the room: last phone done at {tally.last_done:.1f} s (all tasks {took:.1f} s)")
    for kind in ("warm-up", "join", "tap", "double tap", "phone timer", "screen open", "screen refresh"):
        if kind in tally.runs:
            print(line(kind))
    if tally.pushed_runs:
        print(f"  screen runs started by the server on a change (ui/push.py): {tally.pushed_runs}")
    print(
        f"  taps {tally.taps}, confirmed {confirmed}; vote events stored {len(votes)} "
        f"(distinct keys {len(keys)}); double taps {tally.resends}; lost {lost}, duplicates {duplicates}; "
        f"tally {tally_votes} (want {expected})"
    )
    print(
        f"  CPU over {wall:.0f} s: server {server_cpu:.0f} s ({server_cpu / wall:.2f} cores), this client "
        f"{client_cpu:.0f} s ({client_cpu / wall:.2f} cores), "
        f"other processes {others:.0f} s ({others / wall:.2f} cores)"
    )
    errors = sum(tally.errors.values())
    print(f"  errors: {errors}; tracebacks in the server log: {tracebacks}")
    for what, n in tally.errors.most_common():
        print(f"    {n:>5}  {what}  e.g. {tally.examples.get(what, '')}")
    ok = (
        not errors
        and not tracebacks
        and not lost
        and not duplicates
        and tally_votes == expected == confirmed
        and tally.last_done <= args.goal_seconds
    )
    print(
        f"  goal: {expected} votes within {args.goal_seconds:g} s, 0 lost, 0 duplicates → "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
