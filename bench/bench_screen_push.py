"""Projector screens told about changes (``ui/push.py``) against screens polling on a timer: the server's
CPU while nothing changes, and how long a new card takes to reach every screen.

A temp data folder gets one keep/throw session on its board step with a screen key; the server
(``streamlit run app.py``) serves ``--screens`` simulated tabs (``bench/st_client.py``) on the screen
link. Each tab reruns its fragment on the fragment's own timer, as a browser does (the refresh interval
when polling; the 10 s safety net when pushed), and also takes the runs the server starts by itself.

1. idle: ``--idle`` seconds with nothing happening; server CPU per minute, per screen;
2. cards: ``--cards`` cards written to the store one every ``--every`` seconds (as a phone on another
   process would: no local write to wake this one); for each card and screen, the time until the
   screen drew it (submit → visible).

    python bench/bench_screen_push.py                     # this checkout
    python bench/bench_screen_push.py --repo /tmp/before  # the same against another checkout

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_server import NO_SECRETS, app_env, cpu_seconds, free_port, pct, streamlit_server  # noqa: E402
from st_client import StreamlitTab  # noqa: E402

from partenariat_core import (  # noqa: E402
    create_session,
    ensure_screen_key,
    go_to_step,
    load_instruments,
    load_settings,
    open_store,
    submit_card,
)
from partenariat_core.store import Store  # noqa: E402

MARK = re.compile(r"carte-bench-(\d{4})")


async def screen(base: str, query: str, stop: asyncio.Event, seen: dict[int, float], runs: list[int]) -> None:
    tab = StreamlitTab(base, page="screen", query=query, timeout=60, keep_texts=True)
    await tab.connect()
    try:
        await tab.run()

        async def look() -> None:  # the texts of pushed runs arrive without a pending run
            while not stop.is_set():
                note(tab.unasked_texts, seen)
                await asyncio.sleep(0.02)

        watcher = asyncio.create_task(look())
        async for result in tab.timed_runs(stop):
            note(result.texts, seen)
        await watcher
        runs.append(tab.unasked_runs)
    finally:
        await tab.close()


def note(texts: list[str], seen: dict[int, float]) -> None:
    now = time.perf_counter()
    for text in texts:
        for number in MARK.findall(text):
            seen.setdefault(int(number), now)


async def measure(args: argparse.Namespace, base: str, pid: int, query: str, store: Store, code: str) -> None:
    stop = asyncio.Event()
    seen_by: list[dict[int, float]] = [{} for _ in range(args.screens)]
    pushed: list[int] = []
    tasks = [asyncio.create_task(screen(base, query, stop, seen_by[i], pushed)) for i in range(args.screens)]
    await asyncio.sleep(3)
    before = cpu_seconds(pid)
    await asyncio.sleep(args.idle)
    idle = cpu_seconds(pid) - before
    instruments = load_instruments()
    session = store.get_session(code)
    written: dict[int, float] = {}
    before = cpu_seconds(pid)
    for n in range(args.cards):
        text = f"carte-bench-{n:04d} garder la vision"
        submit_card(store, session, f"anon-bench-{n}", instruments["keep_throw"], "keep", text, f"b{n}")
        written[n] = time.perf_counter()
        await asyncio.sleep(args.every)
    await asyncio.sleep(3)
    busy = cpu_seconds(pid) - before
    stop.set()
    await asyncio.gather(*tasks)
    delays = [seen[n] - t for seen in seen_by for n, t in written.items() if n in seen]
    missing = sum(1 for seen in seen_by for n in written if n not in seen)
    per_minute = idle / args.idle * 60
    print(
        f"  idle {args.idle:g} s, {args.screens} screens: server CPU {idle:.2f} s"
        f" = {per_minute:.2f} s a minute,"
        f" {per_minute / args.screens * 1000:.0f} ms a minute per screen"
    )
    print(
        f"  {args.cards} cards, one every {args.every:g} s: submit → visible p50 {pct(delays, 50):.2f} s,"
        f" p95 {pct(delays, 95):.2f} s, max {max(delays, default=float('nan')):.2f} s; never seen {missing};"
        f" server CPU {busy:.2f} s; runs the server started {sum(pushed)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="checkout whose app is served")
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--cards", type=int, default=20)
    parser.add_argument("--every", type=float, default=1.0)
    parser.add_argument("--refresh", default="0.5")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = free_port()
        env = app_env(folder, port, "BENCH-PUSH-2026", refresh_seconds=args.refresh, demo="false")
        store = open_store(load_settings(env=env, secrets_file=folder / NO_SECRETS))
        session = create_session(store, load_instruments(), "Écrans", instrument_ids=("keep_throw",))
        go_to_step(store, session.code, 1)
        key = ensure_screen_key(store, session.code).agenda.screen_key
        print(
            f"bench_screen_push: app {args.repo}, refresh {args.refresh} s,"
            f" {time.strftime('%H:%M UTC', time.gmtime())}"
        )
        with streamlit_server(
            Path(args.repo), env, port, folder / "server.log", ["--server.headless", "true"]
        ) as pid:
            time.sleep(2)
            query = urlencode({"session": session.code, "key": key})
            asyncio.run(measure(args, f"ws://127.0.0.1:{port}", pid, query, store, session.code))
        store.close()


if __name__ == "__main__":
    main()
