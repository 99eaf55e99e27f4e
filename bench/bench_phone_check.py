"""What a phone's timed check for the host costs the server when nothing changed (``ui/guided.py``).

Every phone in guided mode reruns a small fragment every 3 s (``follow_host``) to learn whether the
host moved to another step; with 300 phones that is 100 runs a second, all of them on one process's
GIL, and almost all of them find that nothing changed. This measures the server CPU of one such check.

What happens, all on 127.0.0.1 (``bench_server``'s server and websocket client):
1. a temp data folder gets a session with sectors, in guided mode (``--mode free``: free mode);
2. ``--phones`` phones join (``/?session=CODE&p=<id>``, one page run each) and stay connected;
3. for ``--seconds`` nothing runs (the server's CPU with the phones connected and idle), then for
   ``--seconds`` every phone (or the first ``--checking``) reruns its timed fragment on its timer, as a
   browser does; ``--checking`` shows what the phones merely connected add to each run;
4. with ``--advance``, the host then moves to the first activity (written by this process, as a
   remote on another replica would): the time until each phone drew its form;
5. reported: checks made, what each sent (deltas, reruns of the page), their p50/p95 time, and the
   server CPU per check: (CPU while checking - CPU while idle) / checks.

    python bench/bench_phone_check.py                      # 60 phones, 20 s idle, 20 s checking
    python bench/bench_phone_check.py --repo /tmp/before   # the same against another checkout

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

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

from partenariat_core import PROFILE, create_session, load_instruments, load_settings, open_store  # noqa: E402
from partenariat_core.sessions import go_to_step, set_agenda_mode  # noqa: E402

ADVANCED_FORM = "card_keep_throw"  # the form a phone draws once the host moved to the keep/throw step


async def advance(tabs: Sequence[StreamlitTab], move: Callable[[], object], timeout: float) -> list[float]:
    """The host moves to the first activity (``move``, written by this process as another replica's
    remote would); for each phone, the seconds until it drew that activity's form (bounded)."""
    start = time.perf_counter()
    move()
    seen: dict[int, float] = {}
    while len(seen) < len(tabs) and time.perf_counter() - start < timeout:
        for i, tab in enumerate(tabs):
            if i not in seen and ADVANCED_FORM in tab.forms():
                seen[i] = time.perf_counter() - start
        await asyncio.sleep(0.02)
    return list(seen.values())


async def room(
    args: argparse.Namespace, base: str, code: str, pid: int, move: Callable[[], object]
) -> dict[str, object]:
    warm = StreamlitTab(base, query=urlencode({"session": code}), timeout=60)
    await warm.connect()
    await warm.run()
    await warm.close()
    tabs = [
        StreamlitTab(base, query=urlencode({"session": code, "p": f"check{i:04d}xphone"}), timeout=30)
        for i in range(args.phones)
    ]
    joins: list[RunResult] = []
    for tab in tabs:  # one after the other: the joins are not what is measured here
        await tab.connect()
        joins.append(await tab.run())
    await asyncio.sleep(2)
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(args.seconds)
    idle_cpu, idle_wall = cpu_seconds(pid) - cpu0, time.perf_counter() - wall0
    checks: list[RunResult] = []
    stop = asyncio.Event()

    async def follow(tab: StreamlitTab) -> None:
        if not tab.auto_rerun:
            return
        async for result in tab.timed_runs(stop):
            checks.append(result)

    cpu1, wall1, busy1 = cpu_seconds(pid), time.perf_counter(), machine_busy_seconds()
    checking = tabs[: args.checking] if args.checking else tabs  # the others stay connected, idle
    tasks = [asyncio.create_task(follow(tab)) for tab in checking]
    await asyncio.sleep(args.seconds)
    check_cpu, check_wall = cpu_seconds(pid) - cpu1, time.perf_counter() - wall1
    others = machine_busy_seconds() - busy1 - check_cpu
    cpu2 = cpu_seconds(pid)
    moved = await advance(tabs, move, args.advance_timeout) if args.advance else []
    advance_cpu = cpu_seconds(pid) - cpu2
    stop.set()
    await asyncio.gather(*tasks)
    await asyncio.gather(*(tab.close() for tab in tabs))
    return {
        "joins": joins,
        "checks": checks,
        "with_timer": sum(1 for tab in tabs if tab.auto_rerun),
        "intervals": sorted({round(v, 2) for tab in tabs for v in tab.auto_rerun.values()}),
        "idle": idle_cpu * check_wall / max(idle_wall, 1e-9),  # scaled to the checking window
        "check_cpu": check_cpu,
        "check_wall": check_wall,
        "others": others,
        "moved": moved,
        "advance_cpu": advance_cpu,
    }


def run_one(args: argparse.Namespace, repo: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="bench_check_") as tmp:
        port = free_port()
        env = app_env(Path(tmp), port, "bench-pass-4821")
        settings = load_settings(env=env, secrets_file=Path(tmp) / NO_SECRETS)
        store = open_store(settings)
        instruments = load_instruments()
        sectors = [c.id for c in instruments[PROFILE].sectors][:6]
        session = create_session(store, instruments, "Bench check", sectors=sectors)
        if args.mode == "guided":
            set_agenda_mode(store, session.code, "guided")
        log = Path(tmp) / "streamlit.log"
        with streamlit_server(repo, env, port, log, []) as pid:
            move = functools.partial(go_to_step, store, session.code, 1)
            figures = asyncio.run(room(args, f"ws://127.0.0.1:{port}", session.code, pid, move))
        tracebacks = log.read_text(errors="replace").count("Traceback")
    checks: list[RunResult] = figures["checks"]  # type: ignore[assignment]
    joins: list[RunResult] = figures["joins"]  # type: ignore[assignment]
    seconds = [c.seconds for c in checks]
    net = float(figures["check_cpu"]) - float(figures["idle"])  # type: ignore[arg-type]
    per_check = 1000 * net / max(1, len(checks))
    wall = float(figures["check_wall"])  # type: ignore[arg-type]
    who = f"{args.checking} of them checking" if args.checking else "all checking"
    ok = sum(j.ok for j in joins)
    print(f"  app {repo}, {args.mode} mode: {args.phones} phones ({who}), joins ok {ok}")
    print(
        f"  phones with a timer {figures['with_timer']}, interval(s) {figures['intervals']} s; "
        f"checks {len(checks)} in {wall:.0f} s, p50 {pct(seconds, 50):.3f} s, p95 {pct(seconds, 95):.3f} s"
    )
    print(
        f"  per check: deltas {sum(c.deltas for c in checks) / max(1, len(checks)):.2f}, "
        f"page reruns {sum(c.early_reruns for c in checks)}, not ok {sum(not c.ok for c in checks)}"
    )
    each = f"per check {per_check:.2f} ms" if checks else "no check ran (the phones are told, ui/push.py)"
    print(
        f"  server CPU while checking {figures['check_cpu']:.2f} s, while idle (same length) "
        f"{figures['idle']:.2f} s → {each}; other processes "
        f"{float(figures['others']) / wall:.2f} cores; tracebacks {tracebacks}"  # type: ignore[arg-type]
    )
    per_minute = 60 * float(figures["check_cpu"]) / wall  # type: ignore[arg-type]
    print(
        f"  server CPU a minute with the phones following the host: {per_minute:.2f} s "
        f"({1000 * per_minute / args.phones:.1f} ms per phone)"
    )
    if args.advance:
        moved: list[float] = figures["moved"]  # type: ignore[assignment]
        print(
            f"  the host moves to the first activity: {len(moved)} of {args.phones} phones drew it, "
            f"p50 {pct(moved, 50):.2f} s, p95 {pct(moved, 95):.2f} s, max {max(moved, default=0):.2f} s; "
            f"server CPU meanwhile {figures['advance_cpu']:.2f} s"
        )
    return per_minute


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=20.0, help="idle window, then checking window")
    parser.add_argument("--mode", choices=("guided", "free"), default="guided")
    parser.add_argument(
        "--checking", type=int, default=0, help="only this many phones check, the others stay idle (0: all)"
    )
    parser.add_argument(
        "--advance", action="store_true", help="then the host moves on: time until every phone drew the step"
    )
    parser.add_argument("--advance-timeout", type=float, default=60.0)
    parser.add_argument("--repo", action="append", help="checkout whose app.py is served; repeat to compare")
    args = parser.parse_args(argv)
    py = platform.python_version()
    when = time.strftime("%F %T")
    print(f"bench_phone_check: {platform.machine()}, {os.cpu_count()} CPUs, Python {py}, {when}")
    results = []
    for repo in args.repo or [str(BENCH.parent)]:
        results.append((repo, run_one(args, Path(repo).resolve())))
    if len(results) > 1:
        base = results[0][1]
        for repo, per in results:
            print(f"  {repo}: {per:.2f} s of server CPU a minute ({per / base:.2f}x the first)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
