"""The same room on 1 and on 2 app processes behind nginx, on one PostgreSQL, in one invocation.

What happens, all on 127.0.0.1:
1. a throwaway PostgreSQL starts (``tests/postgres_server.py``, Debian's binaries);
2. for each process count (``--replicas 1,2``): a new database with one open session, N ``serve.py``
   processes on it sharing one data folder (the first alone until it answers, as ``scripts/serve.sh``
   does), Debian's nginx in front with the shipped template (``tests/nginx_server.py``);
3. through nginx, ``--screens`` projector screens open the screen link (``/screen?session=…&key=…``)
   and rerun their live fragment on its timer; ``--phones`` phones join within ``--join-seconds`` and
   submit ``--forms`` (``bench/bench_server.py``'s phone). Each simulated browser carries its own
   ``partenariat_replica`` cookie, as a browser keeps the one nginx gave it, so nginx spreads them over
   the processes (without it every loopback client has one address and lands on one process);
4. the events in PostgreSQL are counted against what the phones sent and saw confirmed.

Reported per process count: phone page runs and screen refreshes p50/p95, errors, submits confirmed,
events stored / expected, lost and duplicated, CPU of the app processes; then the ratios of each run to
the one-process run of the same invocation.

    python bench/bench_replicas.py                   # 200 phones in 15 s, 10 screens, 1 and 2 processes
    python bench/bench_replicas.py --quick           # 30 phones in 10 s, 2 screens
    python bench/bench_replicas.py --replicas 1,2,4 --phones 1000 --screens 50   # issue 15's room

Also reported: submit → visible on a screen attached to another process than the phone (and to the
same one), from nginx's log (its websocket line names the upstream and the affinity cookie).

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import bench_server  # noqa: E402
import psycopg  # noqa: E402
from bench_server import CARD_MARK, FORMS, Stored, Tally, cpu_seconds, free_port, pct  # noqa: E402
from nginx_server import start_nginx  # noqa: E402
from postgres_server import start_server  # noqa: E402
from st_client import StreamlitTab  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from partenariat_core import PROFILE, create_session, load_instruments  # noqa: E402
from partenariat_core.pseudonym import Pseudonyms  # noqa: E402
from partenariat_core.sessions import ensure_screen_key  # noqa: E402
from partenariat_core.store.postgres import PostgresStore  # noqa: E402


class StickyTab(StreamlitTab):
    """A tab that keeps one affinity cookie, as a browser keeps the one nginx set on its first page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.affinity = secrets.token_hex(16)
        self.cookie = f"partenariat_replica={self.affinity}"
        self.query_at_start = self.query  # the phone's id is in it (``p=bench0042x…``)

    async def connect(self) -> None:
        self._ws = await asyncio.wait_for(
            connect(
                self.url,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                max_size=None,
                ping_interval=None,
                additional_headers={"Cookie": self.cookie},
            ),
            self.timeout,
        )
        self._reader = asyncio.create_task(self._read())


bench_server.StreamlitTab = StickyTab  # type: ignore[misc]  # its phone() opens sticky tabs
PHONE_NUMBER = re.compile(r"p=bench(\d{4})x")
STREAM_LINE = re.compile(r"GET /_stcore/stream[^\n]* upstream=(\S+) affinity=([0-9a-f]+)")


def across(tally: Tally, log: str, screens: int) -> tuple[list[float], list[float], int]:
    """Submit → visible split by where the screen is: on another process than the phone, or on the
    same; and the pairs never seen. Who is where comes from nginx's log (its websocket line has the
    upstream and the affinity cookie)."""
    where = {affinity: upstream for upstream, affinity in STREAM_LINE.findall(log)}
    other, same, never = [], [], 0
    for phone_number, acked in tally.card_acked.items():
        phone_at = where.get(tally.phone_cookies.get(phone_number, "").split("=")[-1])
        for i in range(screens):
            screen_at = where.get(tally.screen_cookies.get(i, "").split("=")[-1])
            when = tally.seen.get((i, phone_number))
            if when is None:
                never += 1
            elif phone_at and screen_at:
                (same if phone_at == screen_at else other).append(max(0.0, when - acked))
    return other, same, never


async def screen(
    i: int, base: str, query: str, args: argparse.Namespace, tally: Tally, stop: asyncio.Event
) -> None:
    """A projector on the screen link: one page run, then its live fragment on the fragment's timer."""
    tab = StickyTab(base, page="screen", query=query, timeout=args.timeout, keep_texts=True)
    tally.screen_cookies[i] = tab.cookie
    try:
        await tab.connect()
        tally.add("screen open", await tab.run())
        if not tab.auto_rerun:
            tally.error("screen: no live fragment")
            return
        async for refreshed in tab.timed_runs(stop):
            tally.add("screen refresh", refreshed)
            now = time.perf_counter()
            for phone_number in CARD_MARK.findall(" ".join(refreshed.texts)):
                tally.seen.setdefault((i, int(phone_number)), now)
    except (OSError, TimeoutError) as exc:
        tally.error("screen: failed", f"{type(exc).__name__}: {exc}")
    finally:
        await tab.close()


async def room(args: argparse.Namespace, base: str, code: str, key: str, tally: Tally) -> None:
    """Warm-up on every process, the screens, then the phones; until every phone is done."""
    for _ in range(4 * args.replica_count):  # each warm-up tab has its own cookie: most processes get one
        warm = StickyTab(
            base, query=urlencode({"session": code, "p": f"warm{secrets.token_hex(4)}"}), timeout=60
        )
        await warm.connect()
        await warm.run()
        await warm.close()
    stop = asyncio.Event()
    query = urlencode({"session": code, "key": key, "step": 1})
    screens = [asyncio.create_task(screen(i, base, query, args, tally, stop)) for i in range(args.screens)]
    await asyncio.sleep(2)
    rng = bench_server.random.Random(args.seed)
    starts = sorted(rng.uniform(0, args.join_seconds) for _ in range(args.phones))
    t0 = time.perf_counter()
    phones = [
        asyncio.create_task(
            bench_server.phone(i, s, t0, args, base, code, tally, bench_server.random.Random(args.seed + i))
        )
        for i, s in enumerate(starts)
    ]
    budget = args.join_seconds + len(args.forms) * (args.think_max + args.timeout) + args.timeout + 30
    done, pending = await asyncio.wait(phones, timeout=budget)
    for task in pending:
        task.cancel()
        tally.error("phone: did not finish in the time budget")
    await asyncio.sleep(args.grace)  # the last cards reach the screens
    stop.set()
    await asyncio.wait(screens, timeout=args.timeout + 5)
    tabs = [t.result() for t in done if not t.cancelled() and t.exception() is None and t.result()]
    for tab in tabs:
        number = PHONE_NUMBER.search(tab.query_at_start)
        if number:
            tally.phone_cookies[int(number.group(1))] = tab.cookie
    for t in done:
        if not t.cancelled() and t.exception() is not None:
            tally.error("phone: crashed", repr(t.exception()))
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)


def stored(url: str, code: str, pseudonyms: Pseudonyms, sent: Sequence[tuple[str, str, int, bool]]) -> Stored:
    """What PostgreSQL holds for the session, keyed by the phones' own ids (through their pseudonyms)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM events WHERE session = %s", (code,)).fetchone()[0]
        keys = conn.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT submission_id, instrument, item FROM events"
            " WHERE session = %s) k",
            (code,),
        ).fetchone()[0]
        by = conn.execute(
            "SELECT participant, instrument, COUNT(*) FROM events WHERE session = %s"
            " GROUP BY participant, instrument",
            (code,),
        ).fetchall()
    back = {pseudonyms.of(pid): pid for pid, *_ in sent}
    return Stored(rows, keys, {(back.get(p, p), i): n for p, i, n in by})


def start_app(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "serve.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve.py exited; see {log}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r,
        ):
            if r.read() == b"ok":
                return proc, port
        time.sleep(0.3)
    proc.kill()
    raise TimeoutError(f"serve.py did not answer within 90 s; see {log}")


def run_one(args: argparse.Namespace, pg: Any, replicas: int) -> dict[str, float]:
    args.replica_count = replicas
    name = f"bench_replicas_{replicas}_{os.getpid()}"
    url = pg.create_database(name)
    procs: list[subprocess.Popen[bytes]] = []
    proxy = None
    with tempfile.TemporaryDirectory(prefix="bench_replicas_") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARTENARIAT_")}
        env |= {
            "PARTENARIAT_STORE": "postgres",
            "PARTENARIAT_DATABASE_URL": url,
            "PARTENARIAT_DATA_DIR": str(data),
            "PARTENARIAT_DEMO": "false",
            "PARTENARIAT_HOST_PASSCODE": args.passcode,
            "PARTENARIAT_SECRETS_FILE": str(Path(tmp) / "no-secrets.toml"),
        }
        store = PostgresStore(url, listen=False)
        instruments = load_instruments()
        sectors = [c.id for c in instruments[PROFILE].sectors][:6]
        session = create_session(store, instruments, "Bench replicas", sectors=sectors)
        key = ensure_screen_key(store, session.code).agenda.screen_key
        store.close()
        tally = Tally()
        try:
            ports = []
            for i in range(replicas):
                proc, port = start_app(env, Path(tmp) / f"app{i}.log")
                procs.append(proc)
                ports.append(port)
            proxy = start_nginx(ports)
            print(f"bench_replicas: {replicas} process(es) {ports} behind nginx :{proxy.port}", flush=True)
            cpu0 = sum(cpu_seconds(p.pid) for p in procs)
            wall0 = time.perf_counter()
            asyncio.run(room(args, f"ws://127.0.0.1:{proxy.port}", session.code, key, tally))
            wall = time.perf_counter() - wall0
            server_cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
            log = (proxy.folder / "access.log").read_text()
            spread = {f"127.0.0.1:{p}": log.count(f"upstream=127.0.0.1:{p} ") for p in ports}
            tracebacks = sum((Path(tmp) / f"app{i}.log").read_text(errors="replace").count("Traceback")
                             for i in range(replicas))  # fmt: skip
            other, same, never = across(tally, log, args.screens)
        finally:
            if proxy is not None:
                proxy.stop()
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        held = stored(url, session.code, Pseudonyms.in_data_dir(data), tally.sent)
    pg.drop_database(name)
    lost, duplicates, unconfirmed, _ = held.check(tally.sent)
    phone_runs = tally.runs.get("join", []) + tally.runs.get("submit", [])
    refresh = tally.runs.get("screen refresh", [])
    figures = {
        "phone_p50": pct(phone_runs, 50),
        "phone_p95": pct(phone_runs, 95),
        "join_p95": pct(tally.runs.get("join", []), 95),
        "refresh_p50": pct(refresh, 50),
        "refresh_p95": pct(refresh, 95),
        "errors": float(sum(tally.errors.values())),
        "confirmed": float(tally.confirmed),
        "submits": float(tally.submits),
        "stored": float(held.rows),
        "expected": float(tally.expected_events),
        "lost": float(lost),
        "duplicates": float(duplicates),
        "server_cpu_cores": server_cpu / wall,
        "tracebacks": float(tracebacks),
        "visible_other_p50": pct(other, 50),
        "visible_other_p95": pct(other, 95),
        "visible_same_p50": pct(same, 50),
        "visible_same_p95": pct(same, 95),
    }
    print(
        f"  phone page runs p50 {figures['phone_p50']:.3f} s, p95 {figures['phone_p95']:.3f} s "
        f"(join p95 {figures['join_p95']:.3f} s); screen refresh p50 {figures['refresh_p50']:.3f} s, "
        f"p95 {figures['refresh_p95']:.3f} s ({len(refresh)} refreshes)\n"
        f"  submits confirmed {tally.confirmed}/{tally.submits}, unconfirmed {unconfirmed}; events stored "
        f"{held.rows} / expected {tally.expected_events}; lost {lost}; duplicated {duplicates}\n"
        f"  errors {dict(tally.errors) or 0}{' e.g. ' + str(tally.examples) if tally.errors else ''}\n"
        f"  app CPU {figures['server_cpu_cores']:.2f} cores over {wall:.0f} s; tracebacks {tracebacks}; "
        f"requests (a websocket counts once) per process {spread}\n"
        f"  submit → visible on a screen of another process: p50 {pct(other, 50):.2f} s, p95 "
        f"{pct(other, 95):.2f} s ({len(other)} pairs); same process: p50 {pct(same, 50):.2f} s, p95 "
        f"{pct(same, 95):.2f} s ({len(same)} pairs); never visible {never}",
        flush=True,
    )
    return figures


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2", help="process counts to run, one after the other")
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--join-seconds", type=float, default=15.0)
    parser.add_argument("--forms", default="sector,card", help=f"forms each phone submits: {FORMS}")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=8.0)
    parser.add_argument("--screens", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--grace", type=float, default=7.0, help="seconds screens keep running at the end")
    parser.add_argument("--passcode", default="bench-passcode-2026")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--quick", action="store_true", help="30 phones in 10 s, 2 screens")
    args = parser.parse_args(argv)
    args.forms = [f for f in args.forms.split(",") if f]
    if args.quick:
        args.phones, args.join_seconds, args.screens = 30, 10.0, 2
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    counts = [int(n) for n in args.replicas.split(",")]
    print(
        f"bench_replicas {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, "
        f"{os.cpu_count()} CPUs: {args.phones} phones within {args.join_seconds:g} s, forms "
        f"{','.join(args.forms)}, {args.screens} screens",
        flush=True,
    )
    pg = start_server()
    try:
        results = {n: run_one(args, pg, n) for n in counts}
    finally:
        pg.stop()
    base = results[counts[0]]
    for n in counts[1:]:
        ratios = ", ".join(
            f"{k} {results[n][k] / base[k]:.2f}×" if base[k] else f"{k} {results[n][k]:g} (base 0)"
            for k in (
                "phone_p50",
                "phone_p95",
                "refresh_p50",
                "refresh_p95",
                "visible_same_p95",
                "visible_other_p95",
                "server_cpu_cores",
            )
        )
        print(f"ratio {n} processes / {counts[0]}: {ratios}")
    bad = any(r["lost"] or r["duplicates"] for r in results.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
