"""The projector screen under the real server: server CPU per refresh for 1 and 20 screens, 40 and 150
cards, Streamlit's own work included (``bench_screen.py`` times only our layout and HTML).

A temp data folder gets the demo session (39 cards) and a 150-card board, each with a screen key; the
server starts (``bench_server.streamlit_server``, refresh 2 s) and N simulated tabs (``st_client``)
open ``/screen?session=…&key=…&step=1`` and rerun the screen's fragment on its ``run_every`` timer, as a
browser does, for ``--seconds``. Reported: refreshes done, server CPU seconds over the window, CPU per
refresh (the idle server's own CPU, measured first with no tab, taken off), p50/p95 refresh time.

    python bench/bench_screen_server.py            # prints a table; paste it into bench/RESULTS.md

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_server import cpu_seconds, free_port, pct, streamlit_server  # noqa: E402
from st_client import StreamlitTab  # noqa: E402

from partenariat_core import (  # noqa: E402
    DEMO_CODE,
    create_session,
    ensure_demo,
    ensure_screen_key,
    go_to_step,
    load_instruments,
    submit_card,
)
from partenariat_core.store import SQLiteStore  # noqa: E402

HEADER = (
    "| screens | refreshes | server CPU | of one core | CPU per refresh | p50 / p95 | errors |\n"
    "|---:|---:|---:|---:|---:|---:|---:|"
)
WORDS = ("partenariat", "action", "territoire", "vision", "commune", "collaboration", "citoyen", "projet")


def prepare(folder: Path) -> dict[int, str]:
    """Cards → screen query string (pinned on the board step)."""
    store = SQLiteStore(folder / "partenariat.db")
    instruments = load_instruments()
    ensure_demo(store, instruments)
    big = create_session(store, instruments, "150 cartes", instrument_ids=("keep_throw",))
    rng = random.Random(150)
    for i in range(150):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
        column = "keep" if i % 2 else "throw"
        submit_card(store, big, f"participant{i:03d}", instruments["keep_throw"], column, text, f"s{i}")
    queries = {}
    for cards, code in ((39, DEMO_CODE), (150, big.code)):
        go_to_step(store, code, 1)
        key = ensure_screen_key(store, code).agenda.screen_key
        queries[cards] = urlencode({"session": code, "key": key})
    store.close()
    return queries


async def screen(base: str, query: str, stop: asyncio.Event, times: list[float], errors: list[str]) -> None:
    tab = StreamlitTab(base, page="screen", query=query, timeout=60)
    try:
        await tab.connect()
        first = await tab.run()
        if not tab.auto_rerun or first.alerts:
            errors.append(f"no live fragment: {first.alerts[:2]}")
            return
        async for result in tab.timed_runs(stop):
            if result.ok:
                times.append(result.seconds)
            else:
                errors.append(result.status)
    finally:
        await tab.close()


async def measure(base: str, pid: int, query: str, screens: int, seconds: float, idle: float) -> str:
    """One row; ``idle``: the server's CPU per second with no screen, taken off before dividing."""
    stop = asyncio.Event()
    times: list[float] = []
    errors: list[str] = []
    tasks = [asyncio.create_task(screen(base, query, stop, times, errors)) for _ in range(screens)]
    await asyncio.sleep(3)  # every tab opened and drawn once
    times.clear()
    before = cpu_seconds(pid)
    await asyncio.sleep(seconds)
    used = cpu_seconds(pid) - before
    runs = len(times)
    stop.set()
    await asyncio.gather(*tasks)
    per = (used - idle * seconds) / runs * 1000 if runs else float("nan")
    return (
        f"| {screens} | {runs} | {used:.2f} s | {used / seconds * 100:.0f} % | {per:.1f} ms |"
        f" {pct(times, 50) * 1000:.0f} / {pct(times, 95) * 1000:.0f} ms | {len(errors)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        queries = prepare(folder)
        port = free_port()
        env = {
            **os.environ,
            "PARTENARIAT_DATA_DIR": str(folder),
            "PARTENARIAT_HOST_PASSCODE": "BENCH-SCREEN-1",
            "PARTENARIAT_REFRESH_SECONDS": "2",
            "PARTENARIAT_SECRETS_FILE": str(folder / "none.toml"),
        }
        with streamlit_server(ROOT, env, port, folder / "server.log", ["--server.headless", "true"]) as pid:
            base = f"ws://127.0.0.1:{port}"
            time.sleep(3)
            before = cpu_seconds(pid)
            time.sleep(args.seconds)
            idle = (cpu_seconds(pid) - before) / args.seconds
            print(f"refresh 2 s, {args.seconds:.0f} s per row; idle server: {idle * 1000:.0f} ms CPU/s")
            for cards, query in queries.items():
                print(f"\n{cards} cards")
                print(HEADER)
                for screens in (1, 20):
                    row = measure(base, pid, query, screens, args.seconds, idle)
                    print(asyncio.run(row), flush=True)


if __name__ == "__main__":
    main()
