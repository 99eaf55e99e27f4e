"""A room under the real app: ``streamlit run app.py`` with the shipped ``.streamlit/config.toml``, loaded
through Streamlit's own websocket protocol by simulated phones and projectors (``bench/st_client.py``).

What happens, all on 127.0.0.1:
1. a temp data folder gets a SQLite file with one open session (sectors on), made with the core's
   ``create_session``; the server starts on a free port with ``PARTENARIAT_DATA_DIR`` there and
   ``PARTENARIAT_HOST_PASSCODE`` set;
2. one warm-up tab opens the participant page (the first run of a fresh process imports pandas, plotly…;
   a host opens the app before the room joins), then the projectors open ``/dashboard?session=CODE``,
   type the passcode and keep rerunning their live fragment on its ``run_every`` timer, as a browser does;
3. the phones join within ``--join-seconds``: each opens ``/?session=CODE&p=<id>`` (one page run), then,
   after a think time, submits forms one by one (sector, continuum, a card… one page run each), and
   stays connected until the end;
4. the events stored in the SQLite file are counted against what the phones sent.

Reported: p50/p95/max page-run time (from the rerun ``BackMsg`` to ``script_finished``) for joins,
submits and projector refreshes; errors (exceptions in deltas, error alerts, missing confirmations,
timeouts, disconnects); events stored vs expected; CPU used by the server and by this client (they
share the machine). The server is killed at the end, also on Ctrl-C or an exception.

    python bench/bench_server.py                          # 300 phones in 30 s, 3 projectors
    python bench/bench_server.py --quick                  # 30 phones in 10 s, 1 projector
    python bench/bench_server.py --repo /tmp/before       # the same load against another checkout
    python bench/bench_server.py --guided --forms sector  # a plenary: the host's join step, the sector only
    python bench/bench_server.py --py-spy /tmp/flame.svg  # also profile the server (pip install py-spy)

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from st_client import RunResult, StreamlitTab  # noqa: E402

from partenariat_core import (  # noqa: E402
    GUIDED_MODE,
    PROFILE,
    create_session,
    load_instruments,
    load_settings,
    open_store,
    set_agenda_mode,
)
from partenariat_core.pseudonym import KEY_FILE, Pseudonyms  # noqa: E402

FORMS = ("sector", "continuum", "card", "conditions")
NO_SECRETS = "no-secrets.toml"  # a file no bench writes: the server reads no secrets
CARD_MARK = re.compile(r"Carte de bench(\d{4})x")  # a phone's card text, as a projector draws it
FORM_IDS = {
    "sector": "sector",
    "continuum": "continuum_continuum",
    "card": "card_keep_throw",
    "conditions": "scale_conditions",
}
INSTRUMENT_OF = {
    "sector": PROFILE,
    "continuum": "continuum",
    "card": "keep_throw",
    "conditions": "conditions",
}
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """Run times and problems, by kind of run."""

    runs: dict[str, list[float]] = field(default_factory=dict)
    exec: dict[str, list[float]] = field(default_factory=dict)  # the server's script time (--server-timing)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    expected_events: int = 0
    sent: list[tuple[str, str, int, bool]] = field(
        default_factory=list
    )  # (pid, instrument, events, confirmed)
    submits: int = 0
    confirmed: int = 0
    join_times: list[float] = field(default_factory=list)
    card_acked: dict[int, float] = field(default_factory=dict)  # phone → when its card was confirmed
    seen: dict[tuple[int, int], float] = field(default_factory=dict)  # (projector, phone) → first drawn
    phone_cookies: dict[int, str] = field(default_factory=dict)  # bench_replicas: which process is whose
    screen_cookies: dict[int, str] = field(default_factory=dict)
    pushed_runs: int = 0  # projector runs the server started by itself (ui/push.py)
    timers: list[asyncio.Task[None]] = field(default_factory=list)  # phones' host checks (--phone-timers)

    def visible_delays(self, projectors: int) -> tuple[list[float], int]:
        """Submit → visible per projector and confirmed card (s), and how many pairs never showed."""
        delays, never = [], 0
        for phone_number, acked in self.card_acked.items():
            for screen in range(projectors):
                when = self.seen.get((screen, phone_number))
                if when is None:
                    never += 1
                else:
                    delays.append(max(0.0, when - acked))
        return delays, never

    def add(self, kind: str, result: RunResult) -> None:
        self.runs.setdefault(kind, []).append(result.seconds)
        if result.exec_seconds is not None:
            self.exec.setdefault(kind, []).append(result.exec_seconds)
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (Linux /proc), to show how the two cores were shared."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used so far (Linux /proc/stat): the bench shares
    two cores with whatever else runs, and a busy neighbour shows in the figures, so it is reported."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return (sum(fields[:8]) - idle) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return 0.0


@contextlib.contextmanager
def streamlit_server(
    repo: Path, env: dict[str, str], port: int, log: Path, extra: Sequence[str]
) -> Iterator[int]:
    """``streamlit run app.py`` in its own process group; killed (group-wide) whatever happens."""
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    cmd += ["--server.port", str(port), *extra]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not answer /_stcore/health within 60 s")
            time.sleep(0.3)
        yield proc.pid
    finally:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if proc.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(wait)


async def phone(
    i: int,
    start: float,
    t0: float,
    args: argparse.Namespace,
    base: str,
    code: str,
    tally: Tally,
    rng: random.Random,
    stop: asyncio.Event | None = None,
) -> StreamlitTab | None:
    """One participant's phone: open the join link, then submit ``args.forms`` one after the other;
    with ``--phone-timers``, its host check also reruns on its timer until ``stop``, as a browser's."""
    await asyncio.sleep(max(0.0, t0 + start - time.perf_counter()))
    pid = f"bench{i:04d}x{rng.getrandbits(20):05x}"
    tab = StreamlitTab(base, page="", query=urlencode({"session": code, "p": pid}), timeout=args.timeout)
    try:
        await tab.connect()
    except (OSError, TimeoutError, Exception) as exc:
        tally.error("phone: connect failed", f"{type(exc).__name__}: {exc}")
        return None
    tally.join_times.append(time.perf_counter() - t0)
    joined = await tab.run()
    tally.add("join", joined)
    if not joined.ok or not tab.forms():
        tally.error("phone: join page without forms", f"{joined.status} alerts={joined.alerts[:2]}")
        return tab
    if stop is not None and getattr(args, "phone_timers", False) and tab.auto_rerun:
        tally.timers.append(asyncio.create_task(host_checks(tab, tally, stop)))
    for form in args.forms:
        await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
        try:
            states, events = fill(tab, form, pid, rng)
        except LookupError as exc:
            tally.error(f"submit {form}: form missing", str(exc))
            continue
        tally.submits += 1
        tally.expected_events += events
        # a form inside an st.fragment reruns only that fragment, as the browser asks for
        result = await tab.run(states, fragment_id=tab.fragment_of(FORM_IDS[form]))
        tally.add("submit", result)
        confirmed = any(fmt == "success" for fmt, _ in result.alerts)
        tally.sent.append((pid, INSTRUMENT_OF[form], events, confirmed))
        if confirmed:
            tally.confirmed += 1
            if form == "card":
                tally.card_acked[i] = time.perf_counter()
        elif result.ok:
            tally.error(f"submit {form}: no confirmation", str(result.alerts[:2]))
    return tab


async def host_checks(tab: StreamlitTab, tally: Tally, stop: asyncio.Event) -> None:
    async for checked in tab.timed_runs(stop):
        tally.add("host check", checked)


def fill(tab: StreamlitTab, form: str, pid: str, rng: random.Random) -> tuple[list, int]:
    """Widget states for one form, like a person's taps; and how many events it must store."""
    if form == "sector":
        box = tab.find(form_id="sector", kind="selectbox")
        if not box:
            raise LookupError("no sector selectbox")
        return tab.form_states("sector", {box[0].key: rng.randrange(len(box[0].options))}), 1
    if form == "continuum":
        radios = tab.find(form_id="continuum_continuum", kind="radio")
        values = {w.key: rng.randrange(len(w.options)) for w in radios}
        return tab.form_states("continuum_continuum", values), len(values)
    if form == "card":
        column = tab.find(form_id="card_keep_throw", kind="radio")
        values = {"text_keep_throw": f"Carte de {pid}: garder la vision commune"}
        if column:
            values[column[0].key] = rng.randrange(len(column[0].options))
        return tab.form_states("card_keep_throw", values), 1
    if form == "conditions":
        radios = tab.find(form_id="scale_conditions", kind="radio")
        values = {w.key: rng.randrange(len(w.options)) for w in radios}
        return tab.form_states("scale_conditions", values), len(values)
    raise ValueError(form)


async def projector(
    i: int, args: argparse.Namespace, base: str, code: str, tally: Tally, stop: asyncio.Event
) -> None:
    """A projector tab: passcode once, then the live fragment's timer until the phones are done."""
    query = {"session": code} | ({"kiosk": "1"} if i == 0 else {})
    tab = StreamlitTab(base, page="dashboard", query=urlencode(query), timeout=args.timeout, keep_texts=True)
    try:
        await tab.connect()
        tally.add("dashboard open", await tab.run())
        entered = await tab.run(tab.form_states("host_passcode", {"passcode_input": args.passcode}))
        tally.add("dashboard open", entered)
        if not tab.auto_rerun:
            tally.error("dashboard: no live fragment after the passcode", str(entered.alerts[:2]))
            return

        read = 0

        async def pushed() -> None:  # runs the server starts on a new answer come without being asked
            nonlocal read
            while not stop.is_set():
                see(tab.unasked_texts[read:])
                read = len(tab.unasked_texts)
                await asyncio.sleep(0.02)

        def see(texts: list[str]) -> None:
            now = time.perf_counter()
            for phone_number in CARD_MARK.findall(" ".join(texts)):
                tally.seen.setdefault((i, int(phone_number)), now)

        looking = asyncio.create_task(pushed())
        async for refreshed in tab.timed_runs(stop):
            tally.add("dashboard refresh", refreshed)
            see(refreshed.texts)
        await looking
        see(tab.unasked_texts[read:])
        tally.pushed_runs += tab.unasked_runs
    except (OSError, TimeoutError, LookupError) as exc:
        tally.error("dashboard: failed", f"{type(exc).__name__}: {exc}")
    finally:
        await tab.close()


async def load(
    args: argparse.Namespace, base: str, code: str, tally: Tally, server_pid: int | None = None
) -> dict[str, float]:
    """The room: warm-up, projectors, then the phones; returns timings of the phases."""
    warm = StreamlitTab(base, page="", query=urlencode({"session": code, "p": "warmup0000"}), timeout=60)
    await warm.connect()
    tally.add("warm-up", await warm.run())
    await warm.close()

    stop = asyncio.Event()
    screens = [
        asyncio.create_task(projector(i, args, base, code, tally, stop)) for i in range(args.projectors)
    ]
    await asyncio.sleep(2)
    rng = random.Random(args.seed)
    starts = sorted(rng.uniform(0, args.join_seconds) for _ in range(args.phones))
    cpu_start = cpu_seconds(server_pid) if server_pid else 0.0  # after the warm-up and the projectors' start
    t0 = time.perf_counter()
    phones = [
        asyncio.create_task(phone(i, s, t0, args, base, code, tally, random.Random(args.seed + i), stop))
        for i, s in enumerate(starts)
    ]
    budget = args.join_seconds + len(args.forms) * (args.think_max + args.timeout) + args.timeout + 30
    done, pending = await asyncio.wait(phones, timeout=budget)
    for task in pending:
        task.cancel()
        tally.error("phone: did not finish in the time budget")
    phones_done = time.perf_counter() - t0
    phones_cpu = cpu_seconds(server_pid) - cpu_start if server_pid else 0.0
    # the last cards need a refresh or two to reach the screens before they stop (submit → visible)
    await asyncio.sleep(args.grace)
    stop.set()
    if tally.timers:
        await asyncio.wait(tally.timers, timeout=args.timeout + 5)
    if screens:  # --projectors 0: phones only (asyncio.wait refuses an empty set)
        await asyncio.wait(screens, timeout=args.timeout + 5)
    tabs = [
        t.result() for t in done if not t.cancelled() and t.exception() is None and t.result() is not None
    ]
    for t in done:
        if not t.cancelled() and t.exception() is not None:
            tally.error("phone: crashed", repr(t.exception()))
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    return {"phones_done": phones_done, "phones_cpu": phones_cpu}


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5))) - 1]


@dataclass
class Stored:
    """What the SQLite file holds for the session at the end, read directly (not through the app)."""

    rows: int
    keys: int  # distinct (submission, instrument, item)
    by_sender: dict[tuple[str, str], int]  # (participant, instrument) → rows
    pseudonyms: Pseudonyms | None = None  # the data folder's key, when the app under test made one

    def stored_as(self, token: str) -> str:
        return self.pseudonyms.of(token) if self.pseudonyms is not None else token

    def check(self, sent: Sequence[tuple[str, str, int, bool]]) -> tuple[int, int, int, int]:
        """(lost, duplicates, unconfirmed sends, unconfirmed sends stored anyway).

        Lost: events of a submit the phone saw confirmed that are not in the file. A submit that got an
        error message or no answer is not lost (the person was told, or can resend: it is idempotent).
        """
        lost = duplicates = unconfirmed = stored_anyway = 0
        for pid, instrument, n, confirmed in sent:
            # a checkout with pseudonyms stores the phone's token hashed; an older one, as it is
            have = self.by_sender.get((self.stored_as(pid), instrument), 0)
            duplicates += max(0, have - n)
            if confirmed:
                lost += max(0, n - have)
            else:
                unconfirmed += 1
                stored_anyway += have >= n
        return lost, duplicates + self.rows - self.keys, unconfirmed, stored_anyway


def stored_events(db: Path, code: str) -> Stored:
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as con:
        rows = con.execute("SELECT COUNT(*) FROM events WHERE session = ?", (code,)).fetchone()[0]
        keys = con.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT submission_id, instrument, item"
            " FROM events WHERE session = ?)",
            (code,),
        ).fetchone()[0]
        by_sender = con.execute(
            "SELECT participant, instrument, COUNT(*) FROM events WHERE session = ?"
            " GROUP BY participant, instrument",
            (code,),
        ).fetchall()
    key_file = db.parent / KEY_FILE
    pseudonyms = Pseudonyms.in_data_dir(db.parent) if key_file.is_file() else None
    return Stored(rows, keys, {(p, i): n for p, i, n in by_sender}, pseudonyms)


def run(args: argparse.Namespace) -> int:
    """One bench per ``--repo`` (same load, same seed, one after the other), then their ratios."""
    figures = []
    status = 0
    for repo in args.repo or [str(ROOT)]:
        code, p50, p95 = run_one(args, Path(repo).resolve())
        figures.append((repo, p50, p95))
        status = max(status, code)
    if len(figures) > 1:
        base = figures[0]
        print("comparison of phone page runs (ratio to the first checkout):")
        for repo, p50, p95 in figures:
            print(f"  {repo}: p50 {p50:.3f} s ({p50 / base[1]:.2f}x), p95 {p95:.3f} s ({p95 / base[2]:.2f}x)")
    return status


def app_env(tmp: Path, port: int, passcode: str, **settings: str) -> dict[str, str]:
    """What a bench's server runs with: this shell's environment without its PARTENARIAT_ settings,
    the data in ``tmp/data``, no secrets file, the public address on ``port``; ``settings`` adds more
    (``refresh_seconds="1"`` is ``PARTENARIAT_REFRESH_SECONDS=1``). ``load_settings(env=...,
    secrets_file=tmp / NO_SECRETS)`` reads the same in the bench's own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTENARIAT_")}
    env |= {
        "PARTENARIAT_DATA_DIR": str(tmp / "data"),
        "PARTENARIAT_HOST_PASSCODE": passcode,
        "PARTENARIAT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PARTENARIAT_SECRETS_FILE": str(tmp / NO_SECRETS),
    }
    return env | {f"PARTENARIAT_{name.upper()}": value for name, value in settings.items()}


def run_one(args: argparse.Namespace, repo: Path) -> tuple[int, float, float]:
    """Serve ``repo``'s app on a fresh data folder, put the room on it, report; returns the exit status
    and the phone page runs' p50 and p95."""
    with tempfile.TemporaryDirectory(prefix="bench_server_") as tmp:
        port = free_port()
        refresh = {"refresh_seconds": str(args.refresh)} if args.refresh is not None else {}
        env = app_env(Path(tmp), port, args.passcode, **refresh)
        settings = load_settings(env=env, secrets_file=Path(tmp) / NO_SECRETS)
        store = open_store(settings)
        instruments = load_instruments()
        sectors = [c.id for c in instruments[PROFILE].sectors][:6]
        session = create_session(store, instruments, "Bench server", sectors=sectors)
        if args.guided:  # the host leads: phones show the join step's sector question only
            session = set_agenda_mode(store, session.code, GUIDED_MODE)
        extra = ["--server.fileWatcherType", "auto"] if args.watcher else []
        if args.server_timing:  # the server then sends page_profile (its script time); all stays local
            extra += ["--browser.gatherUsageStats", "true"]
        print(
            f"bench_server: {args.phones} phones joining within {args.join_seconds:g} s, forms "
            f"{','.join(args.forms) or 'none'}, think {args.think_min:g}-{args.think_max:g} s, "
            f"{args.projectors} projectors; "
            f"app {repo}{' (watcher on)' if args.watcher else ''}",
            flush=True,
        )
        tally = Tally()
        log = Path(tmp) / "streamlit.log"
        spy = None
        try:
            with streamlit_server(repo, env, port, log, extra) as pid:
                if args.py_spy:
                    fmt = "raw" if args.py_spy.endswith(".txt") else "flamegraph"  # raw: collapsed stacks
                    cmd = ["py-spy", "record", "-o", args.py_spy, "-f", fmt, "--pid", str(pid), "-r", "100"]
                    spy = subprocess.Popen(
                        [*cmd, "--gil", "--nonblocking"],  # only the GIL holder: where the one core goes
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                cpu0, client0, wall0 = cpu_seconds(pid), time.process_time(), time.perf_counter()
                busy0 = machine_busy_seconds()
                phases = asyncio.run(load(args, f"ws://127.0.0.1:{port}", session.code, tally, pid))
                wall = time.perf_counter() - wall0
                server_cpu, client_cpu = cpu_seconds(pid) - cpu0, time.process_time() - client0
                others = max(0.0, machine_busy_seconds() - busy0 - server_cpu - client_cpu)
                phases["others_cpu"] = others
                if spy is not None:
                    spy.send_signal(signal.SIGINT)  # py-spy writes its flame graph on SIGINT
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        spy.wait(30)
        finally:
            if spy is not None and spy.poll() is None:
                spy.kill()
        stored = stored_events(settings.sqlite_file, session.code)
        tracebacks = log.read_text(errors="replace").count("Traceback")
        code = report(args, tally, stored, wall, server_cpu, client_cpu, phases, tracebacks, log)
        phone_runs = tally.runs.get("join", []) + tally.runs.get("submit", [])
        return code, pct(phone_runs, 50), pct(phone_runs, 95)


def report(
    args: argparse.Namespace,
    tally: Tally,
    stored: Stored,
    wall: float,
    server_cpu: float,
    client_cpu: float,
    phases: dict[str, float],
    tracebacks: int,
    log: Path,
) -> int:
    def line(kind: str, runs: Sequence[float]) -> str:
        return (
            f"  {kind:<18} n={len(runs):<5} p50 {pct(runs, 50):.3f} s  p95 {pct(runs, 95):.3f} s  "
            f"max {max(runs, default=0):.3f} s"
        )

    py = platform.python_version()
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {py}, {dt.date.today()}")
    joins = tally.join_times
    print(
        f"  phones connected from {min(joins, default=0):.1f} s to {max(joins, default=0):.1f} s; "
        f"all done at {phases['phones_done']:.1f} s"
    )
    for kind in ("warm-up", "join", "submit", "host check", "dashboard open", "dashboard refresh"):
        if kind in tally.runs:
            print(line(kind, tally.runs[kind]))
        if kind in tally.exec:
            print(line("  script only", tally.exec[kind]))
    phone_runs = tally.runs.get("join", []) + tally.runs.get("submit", [])
    print(line("phone page runs", phone_runs))
    if tally.pushed_runs:
        print(f"  projector runs started by the server on a change (ui/push.py): {tally.pushed_runs}")
    delays, never = tally.visible_delays(args.projectors)
    print(
        f"  submit → visible (card confirmed on the phone → first projector refresh drawing it), "
        f"{len(delays)} pairs: p50 {pct(delays, 50):.2f} s, p95 {pct(delays, 95):.2f} s, "
        f"max {max(delays, default=0):.2f} s; never visible {never}"
    )
    lost, duplicates, unconfirmed, stored_anyway = stored.check(tally.sent)
    print(
        f"  submits {tally.submits}, confirmed {tally.confirmed}; events sent {tally.expected_events}, "
        f"stored {stored.rows} (distinct keys {stored.keys}); lost {lost}, duplicates {duplicates}; "
        f"unconfirmed submits {unconfirmed} (stored anyway: {stored_anyway})"
    )
    others = phases.get("others_cpu", 0.0)
    print(
        f"  CPU over {wall:.0f} s: server {server_cpu:.0f} s ({server_cpu / wall:.2f} cores), "
        f"this client {client_cpu:.0f} s ({client_cpu / wall:.2f} cores), "
        f"other processes {others:.0f} s ({others / wall:.2f} cores)"
    )
    # with --forms '' and no projectors this is what one join costs the server, all of it (websocket,
    # session start, first page run, deltas): from the first phone to the last one done, over the phones
    per_phone = 1000 * phases.get("phones_cpu", 0.0) / max(1, args.phones)
    print(f"  server CPU while the phones ran, per phone: {per_phone:.1f} ms")
    errors = sum(tally.errors.values())
    print(f"  errors: {errors}; tracebacks in the server log: {tracebacks}")
    for what, n in tally.errors.most_common():
        print(f"    {n:>5}  {what}  e.g. {tally.examples.get(what, '')}")
    p95 = pct(phone_runs, 95)
    ok = not errors and not tracebacks and not lost and not duplicates and not unconfirmed
    print(
        f"  target: p95 phone page run ≤ 2 s → {p95:.2f} s {'met' if p95 <= 2 else 'MISSED'}; "
        f"{'no errors, nothing lost' if ok else 'see errors above'}"
    )
    if tracebacks:
        print(f"  server log: {log} (deleted with the temp dir)")
        print("\n".join(log.read_text(errors="replace").splitlines()[-20:]))
    return 0 if ok and p95 <= 2 else 1


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--join-seconds", type=float, default=30.0, help="phones open the link within this")
    parser.add_argument("--forms", default="sector,continuum,card", help=f"forms each phone submits: {FORMS}")
    parser.add_argument("--think-min", type=float, default=2.0, help="seconds before each submit (min)")
    parser.add_argument("--think-max", type=float, default=8.0, help="seconds before each submit (max)")
    parser.add_argument("--projectors", type=int, default=3)
    parser.add_argument(
        "--phone-timers",
        action="store_true",
        help="phones also rerun their host check on its timer, as browsers do (3 s guided, 10 s free)",
    )
    parser.add_argument(
        "--guided",
        action="store_true",
        help="guided mode on the join step (a plenary scanning the QR code): phones draw the sector only",
    )
    parser.add_argument("--grace", type=float, default=7.0, help="seconds projectors keep running at the end")
    parser.add_argument(
        "--refresh", help="the projectors' refresh (PARTENARIAT_REFRESH_SECONDS); default: the app's"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait for one page run")
    parser.add_argument("--passcode", default="bench-passcode-2026")
    parser.add_argument(
        "--repo",
        action="append",
        help="checkout whose app.py is served (default: this one); repeat to compare, e.g. before/after",
    )
    parser.add_argument("--watcher", action="store_true", help="turn the source watcher back on")
    parser.add_argument(
        "--server-timing",
        action="store_true",
        help="also report the server's own script time per run (browser.gatherUsageStats on, local only)",
    )
    parser.add_argument(
        "--py-spy", metavar="SVG", help="profile the server's GIL holder with py-spy (.txt: collapsed stacks)"
    )
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--quick", action="store_true", help="30 phones in 10 s, 1 projector")
    args = parser.parse_args(argv)
    if args.quick:
        args.phones, args.join_seconds, args.projectors = 30, 10.0, 1
    args.forms = tuple(f for f in args.forms.split(",") if f)
    if unknown := set(args.forms) - set(FORMS):
        parser.error(f"unknown forms: {sorted(unknown)}")
    if args.phones < 0 or args.projectors < 0 or args.join_seconds <= 0 or args.think_min > args.think_max:
        parser.error("phones/projectors must be ≥ 0, join-seconds > 0, think-min ≤ think-max")
    return args


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a `kill` of the bench still runs the `finally` that stops the server


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; exit status 0 only when nothing failed and the p95 target is met."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(parse_args(argv))
    except KeyboardInterrupt:
        print("interrupted; server stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
