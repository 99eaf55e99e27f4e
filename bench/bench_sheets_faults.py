"""The Sheets store under faults, in real processes: is every acknowledged answer in the sheet once?

Each case starts a fresh fake Sheets server (in this process, Google's quotas: 60 reads and 60 writes
per minute per user, 300 per project) and the *app* in a child process: a ``SheetsStore`` with its
production timings, the app's one ``LiveSessions`` with ``--screens`` projector threads, and
``--participants`` phones (``bench_sheets.plan_phones``/``phone``: sector, cards, the six conditions,
now/desired, through the core's submit functions) over ``--seconds``, while a host changes a
session's settings twice (``save_session``). Every answer the store acknowledged is logged by the
child with its time; this process watches the fake's sheet (outside the API) for when each row
lands, and injects the case's fault:

* ``outage``: every request fails (503) for ``--outage-seconds`` (120 by default), from t = 15 s;
* ``quota429``: Google's write quota is 5 per minute for the whole run (reads stay at 60);
* ``kill_pending``: the network drops at t = 15 s; the app is killed (SIGKILL) at t = 25 s with
  answers pending; the network is back and the app restarted at t = 30 s; it resumes the phones;
* ``kill_held``: at t = 20 s Google holds the next write for 18 s and then applies it; the app is
  killed while it is held and restarted at once;
* ``kill_held_late``: the same, held for 40 s, i.e. past the app's wait before a resend (timeout +
  settle = 20 s): the batch is sent again and the late copy must be found and deleted;
* ``slow_reply``: at t = 20 s one write is held 15 s, past the app's 10 s timeout, then applied;
* ``sort``: at t = 20 s and t = 40 s a person sorts both worksheets Z→A (``sortRange``, as Data >
  Sort range does), and the host changes a session right after each sort.

Printed for each case: acknowledged, rows in the sheet, lost, duplicated, rows not acknowledged (a
kill between the outbox's commit and the log line), sessions intact (the sheet's session rows, read
as the app reads them, equal the app's sessions), ack → row p50/p95/max, and API reads/writes per
minute (average over the run, and the fake's peak sliding minute), 429s. Exits 1 if any case loses
or duplicates an answer or breaks a session.

    python bench/bench_sheets_faults.py                      # every case, 300 phones over 60 s
    python bench/bench_sheets_faults.py --case sort --case kill_held
    python bench/bench_sheets_faults.py --quick              # 60 phones over 20 s, 30 s outage
    python bench/bench_sheets_faults.py --record             # append the table to bench/RESULTS.md

The full Streamlit app is not started: the child drives the same core functions a page calls, on
the app's store and shared reader, which is what the faults act on. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_sheets as base  # noqa: E402
import gspread  # noqa: E402

from partenariat_core import PROFILE, LiveSessions, create_session, load_instruments  # noqa: E402
from partenariat_core.fake_sheets import USER_HEADER, FakeSheetsServer, QuotaTracker  # noqa: E402
from partenariat_core.fake_sheets.quota import quota_error  # noqa: E402
from partenariat_core.model import Event, Session  # noqa: E402
from partenariat_core.sheets_transport import redirecting_session  # noqa: E402
from partenariat_core.store.sheets import SheetsOptions, SheetsStore  # noqa: E402

KEY = "bench-faults"
CASES = ("outage", "quota429", "kill_pending", "kill_held", "kill_held_late", "slow_reply", "sort")
HOST_CHANGES = (20.5, 40.5)  # seconds after t0 (scaled with --seconds): a host changes a session


# ----------------------------------------------------------------------------------------------------
# the app, in a child process
# ----------------------------------------------------------------------------------------------------
class AckLog:
    """Wraps the app's store: every answer ``append_events`` acknowledged is logged with its time."""

    def __init__(self, store: SheetsStore, path: Path) -> None:
        self._store = store
        self._file = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def append_events(self, events: list[Event]) -> int:
        added = self._store.append_events(events)
        now = time.time()
        lines = "".join(
            f"{e.session}\t{e.submission_id}\t{e.instrument}\t{e.item}\t{now:.3f}\n" for e in events
        )
        with self._lock:
            self._file.write(lines)
            self._file.flush()  # in the kernel: survives a SIGKILL of this process
        return added

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def child(args: argparse.Namespace) -> int:
    instruments = load_instruments()
    sectors = [c.id for c in instruments[PROFILE].sectors][:6]
    options = SheetsOptions(quota_per_minute=60)
    store = SheetsStore(KEY, outbox_path=args.outbox, api_url=args.api, options=options)
    app = AckLog(store, Path(args.acks))
    live = LiveSessions(app, instruments, ttl=base.LIVE_TTL)  # type: ignore[arg-type]
    sessions = sorted(store.list_sessions(), key=lambda s: s.title)
    if not sessions:
        sessions = [
            create_session(store, instruments, f"Salle {n + 1}", sectors=sectors)
            for n in range(args.sessions)
        ]
    phones = base.plan_phones(args.participants, args.seconds, sessions, instruments, args.seed)
    # the schedule runs on the wall clock of the first start, so a restarted app resumes it; phones
    # cut off by a kill start again (their cards keep their ids; the other answers get new ones), and
    # those due while the app was down start at once
    t0_perf = time.perf_counter() - (time.time() - args.t0)
    resume = args.resume_from if args.resume_from is not None else float("-inf")
    todo = [p for p in phones if p.start >= resume]
    stop = threading.Event()
    screens = [
        threading.Thread(
            target=base.screen,
            args=(live, sessions[i % len(sessions)].code, 2.0, (i * 0.1) % 2.0, stop, []),
            daemon=True,
        )
        for i in range(args.screens)
    ]
    host = threading.Thread(target=host_changes, args=(store, sessions, args, stop), daemon=True)
    for thread in [*screens, host]:
        thread.start()
    print(f"started {len(todo)} phones", flush=True)
    with ThreadPoolExecutor(48, thread_name_prefix="phone") as pool:
        sent = list(pool.map(lambda p: base.phone(p, t0_perf, app, live, instruments), todo))  # type: ignore[arg-type]
    host.join(timeout=args.seconds + 60)
    errors = [e for s in sent for e in s.errors]
    print(f"submitted {len(errors)} errors", flush=True)
    flushed = store.flush(timeout=args.drain)
    print(f"drained {int(flushed)} {time.time():.3f}", flush=True)
    sys.stdin.readline()  # the bench says when: late copies may still land and be removed
    stop.set()
    final = {
        "sessions": {s.code: s.to_record() for s in store.list_sessions()},
        "counters": dict(store.worker.counters),
        "status": {"pending": store.sync_status().pending, "error": store.sync_status().error_key},
        "errors": errors[:5],
        "flushed": flushed,
    }
    store.close()
    Path(args.final).write_text(json.dumps(final), encoding="utf-8")
    return 0


def host_changes(
    store: SheetsStore, sessions: list[Session], args: argparse.Namespace, stop: threading.Event
) -> None:
    """The host reveals / hides a board (a compare-and-set ``save_session``) at fixed times."""
    for n, at in enumerate(HOST_CHANGES):
        at = at * args.seconds / 60.0
        wait = args.t0 + at - time.time()
        if wait < 0:
            continue  # before a restart: already done (or lost with the process, like a page's click)
        if stop.wait(wait):
            return
        code = sessions[n % len(sessions)].code
        for _ in range(5):
            current = store.get_session(code)
            if current is None:
                break
            hidden = () if current.hidden_boards else ("continuum",)
            try:
                store.save_session(current.with_changes(hidden_boards=hidden))
                break
            except Exception as exc:  # a conflict: read again, as the page would
                print(f"host change retried: {exc}", flush=True)


# ----------------------------------------------------------------------------------------------------
# the bench, in this process
# ----------------------------------------------------------------------------------------------------
class WriteStorm(QuotaTracker):
    """Google's quotas, but only ``writes`` write requests a minute per user."""

    def __init__(self, writes: int) -> None:
        super().__init__(per_user=60, per_project=300)
        self.writes = writes
        self._writes: list[float] = []

    def admit(self, kind: str, user: str, now: float) -> None:
        if kind == "write" and self.enabled:
            self._writes = [t for t in self._writes if t > now - self.window]
            if len(self._writes) >= self.writes:
                raise quota_error(kind, "user")
            self._writes.append(now)
        super().admit(kind, user, now)


@dataclass
class App:
    """The child process of one case, and what it printed."""

    cmd: list[str]
    proc: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def start(self, resume_from: float | None = None) -> None:
        """Start the app; a restart replays the phones that started after ``resume_from`` (seconds
        after t0): those cut off by the kill, and those that came while the app was down."""
        self.proc = subprocess.Popen(
            [*self.cmd, *([] if resume_from is None else ["--resume-from", f"{resume_from:.3f}"])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        proc = self.proc
        self.reader = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.reader.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.append(line.strip())

    def kill(self) -> float:
        """SIGKILL the app; returns when (wall time)."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        killed = time.time()
        self.proc.wait(timeout=30)
        self.lines.append("killed")
        return killed

    def wait_for(self, prefix: str, seconds: float) -> str | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            hits = [line for line in self.lines if line.startswith(prefix)]
            if hits:
                return hits[-1]
            if self.proc is not None and self.proc.poll() is not None:
                return None
            time.sleep(0.1)
        return None

    def finish(self) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write("stop\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)


def person(fake: FakeSheetsServer) -> gspread.Spreadsheet:
    """A person's own Google account (its own quota), opening the spreadsheet."""
    session = redirecting_session(fake.base_url)
    session.headers[USER_HEADER] = "a-person"
    return gspread.Client(auth=None, session=session).open_by_key(KEY)


def sort_both(fake: FakeSheetsServer) -> None:
    """Data > Sort range Z→A on column A, below the header, on both worksheets."""
    book = person(fake)
    for title in ("sessions", "responses"):
        ws = book.worksheet(title)
        ws.sort((1, "des"), range=f"A2:{gspread.utils.rowcol_to_a1(ws.row_count, ws.col_count)}")


def watch(fake: FakeSheetsServer, stop: threading.Event, first_seen: dict[tuple[str, ...], float]) -> None:
    """Outside the API (no quota): when each key first appears in the sheet (wall time)."""
    while not stop.wait(0.25):
        try:
            rows = fake.values(KEY, "responses")
        except KeyError:
            continue
        if not rows or "submission_id" not in rows[0]:
            continue
        at = [rows[0].index(n) for n in ("session", "submission_id", "instrument", "item")]
        now = time.time()
        for row in rows[1:]:
            if len(row) > max(at):
                first_seen.setdefault(tuple(row[i] for i in at), now)


def sheet_sessions(fake: FakeSheetsServer) -> dict[str, dict[str, str]]:
    """code -> the row with the highest version (the last of equals), as the app reads the sheet."""
    rows = fake.values(KEY, "sessions")
    header = rows[0]
    best: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        rec = {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)}
        if not rec.get("code"):
            continue
        known = best.get(rec["code"])
        if known is None or int(rec.get("version") or 0) >= int(known.get("version") or 0):
            best[rec["code"]] = rec
    return best


def sent_since(path: Path, when: float) -> bool:
    """Whether the app recorded a batch as handed to Google after ``when`` (its outbox's ``sends``)."""
    try:
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM sends WHERE sent_at >= ?", (when,)).fetchone()[0] > 0
    except sqlite3.Error:
        return False


def outbox_keys(path: Path) -> set[tuple[str, ...]]:
    with sqlite3.connect(path) as db:
        return {tuple(r) for r in db.execute("SELECT session, submission_id, instrument, item FROM events")}


def run_case(name: str, args: argparse.Namespace) -> dict[str, Any]:
    scale = args.seconds / 60.0

    def at(seconds: float) -> float:
        return t0 + seconds * scale

    with tempfile.TemporaryDirectory(prefix=f"bench_faults_{name}_") as tmp, FakeSheetsServer() as fake:
        if name == "quota429":
            fake.quota = WriteStorm(writes=5)
        fake.create_spreadsheet(KEY, "Bench faults")
        folder = Path(tmp)
        t0 = time.time() + 3.0
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            "--api",
            fake.base_url,
            "--outbox",
            str(folder / "outbox.db"),
            "--acks",
            str(folder / "acks.tsv"),
            "--final",
            str(folder / "final.json"),
            "--t0",
            f"{t0:.3f}",
            "--participants",
            str(args.participants),
            "--sessions",
            str(args.sessions),
            "--seconds",
            str(args.seconds),
            "--screens",
            str(args.screens),
            "--seed",
            str(args.seed),
            "--drain",
            str(args.drain),
        ]
        app = App(cmd)
        stop = threading.Event()
        first_seen: dict[tuple[str, ...], float] = {}
        watcher = threading.Thread(target=watch, args=(fake, stop, first_seen), daemon=True)
        watcher.start()
        app.start()
        settle_until = 0.0  # a held write lands by then

        def sleep_until(when: float) -> None:
            time.sleep(max(0.0, when - time.time()))

        if name == "outage":
            sleep_until(at(15))
            fake.faults.outage(args.outage_seconds)
        elif name == "kill_pending":
            sleep_until(at(15))
            fake.faults.outage_start(mode="drop")
            sleep_until(at(25))
            killed = app.kill()
            sleep_until(at(30))
            fake.faults.outage_end()
            app.start(resume_from=killed - t0 - 3.0)
        elif name in ("kill_held", "kill_held_late"):
            hold = 18.0 if name == "kill_held" else 40.0
            sleep_until(at(17))  # between the host's changes: the next write is a batch of answers
            armed = time.time()
            fake.faults.delay(hold, n=1, only="write")
            deadline = armed + 30
            while time.time() < deadline and not sent_since(folder / "outbox.db", armed):
                time.sleep(0.05)
            time.sleep(1.0)  # the batch is at Google, held
            killed = app.kill()
            app.start(resume_from=killed - t0 - 3.0)
            settle_until = armed + hold + 15
        elif name == "slow_reply":
            sleep_until(at(20))
            fake.faults.delay(15.0, n=1, only="write")
            settle_until = time.time() + 35
        elif name == "sort":
            for when in (20, 40):
                sleep_until(at(when))
                sort_both(fake)
        drained = app.wait_for("drained", args.seconds + args.outage_seconds + args.drain + 120)
        drained_at = float(drained.split()[2]) if drained else time.time()
        sleep_until(max(settle_until, time.time() + 5))
        # a late copy is deleted at the app's next full read: give it until the sheet is clean
        deadline = time.time() + 90
        while time.time() < deadline:
            rows = fake.values(KEY, "responses")
            at_ = [rows[0].index(n) for n in ("session", "submission_id", "instrument", "item")]
            if max(Counter(tuple(r[i] for i in at_) for r in rows[1:]).values(), default=1) == 1:
                break
            time.sleep(1.0)
        app.finish()
        ended = time.time()
        stop.set()
        watcher.join(timeout=10)
        stats = fake.stats()
        rows = fake.values(KEY, "responses")
        sessions_in_sheet = sheet_sessions(fake)
        session_rows = len(fake.values(KEY, "sessions")) - 1
        final = json.loads((folder / "final.json").read_text(encoding="utf-8"))
        acks: dict[tuple[str, ...], float] = {}
        for line in (folder / "acks.tsv").read_text(encoding="utf-8").splitlines():
            *key, when = line.split("\t")
            acks.setdefault(tuple(key), float(when))
        committed = outbox_keys(folder / "outbox.db")

    header = rows[0]
    at_ = [header.index(n) for n in ("session", "submission_id", "instrument", "item")]
    keys = Counter(tuple(r[i] for i in at_) for r in rows[1:])
    lags = [first_seen[k] - acks[k] for k in acks if k in first_seen]
    minutes = max(ended - t0, 1.0) / 60  # the whole run, lingering after the drain included
    intact = sessions_in_sheet == final["sessions"]
    return {
        "case": name,
        "acknowledged": len(acks),
        "rows": sum(keys.values()),
        "lost": len(set(acks) - set(keys)),
        "duplicated": sum(c - 1 for c in keys.values() if c > 1),
        "not_acknowledged": len(set(keys) - set(acks)),
        "not_committed": len(set(keys) - committed),
        "sessions_intact": intact,
        "sessions": len(final["sessions"]),
        "session_rows": session_rows,
        "lag_p50": base.pct(lags, 50),
        "lag_p95": base.pct(lags, 95),
        "lag_max": max(lags, default=float("nan")),
        "reads_per_min": stats["reads"] / minutes,
        "writes_per_min": stats["writes"] / minutes,
        "peak_reads": stats["peak_reads_per_minute"],
        "peak_writes": stats["peak_writes_per_minute"],
        "rejected_429": stats["rejected_429"],
        "appends": stats["by_route"].get("values.append", 0),
        "minutes": minutes,
        "drain_s": drained_at - t0,
        "counters": final["counters"],
        "errors": final["errors"],
        "flushed": final["flushed"],
    }


def ok(r: dict[str, Any]) -> bool:
    return r["lost"] == 0 and r["duplicated"] == 0 and r["sessions_intact"]


HEADER = (
    "| case | acknowledged | rows in sheet | lost | duplicated | not acked | sessions intact "
    "| ack→row p50 / p95 / max (s) | reads/min avg (peak) | writes/min avg (peak) | 429s |"
)


def line(r: dict[str, Any]) -> str:
    return (
        f"| {r['case']} | {r['acknowledged']} | {r['rows']} | {r['lost']} | {r['duplicated']} "
        f"| {r['not_acknowledged']} | {'yes' if r['sessions_intact'] else 'NO'} "
        f"| {r['lag_p50']:.1f} / {r['lag_p95']:.1f} / {r['lag_max']:.1f} "
        f"| {r['reads_per_min']:.0f} ({r['peak_reads']}) | {r['writes_per_min']:.0f} ({r['peak_writes']}) "
        f"| {r['rejected_429']} |"
    )


def record(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    now = dt.datetime.now(dt.UTC)
    text = [
        "",
        "## Google Sheets store under faults, in real processes (`bench/bench_sheets_faults.py`)",
        "",
        f"- **Date**: {now:%Y-%m-%d %H:%M} UTC. **Machine**: {os.cpu_count()} CPUs ({platform.machine()}), "
        f"Python {platform.python_version()}, {platform.system()}; the shared development VM, other "
        "sessions running tests on the same cores.",
        f"- **Run**: `{' '.join(['python bench/bench_sheets_faults.py', *args.argv])}`: {args.participants} "
        f"phones in {args.sessions} sessions over {args.seconds:g} s, {args.screens} screens, a host "
        f"changing a session twice; outage {args.outage_seconds:g} s. The app runs in a child process "
        "(store + LiveSessions + the core's submit functions, not Streamlit) with production timings; "
        "kill = SIGKILL.",
        "",
        HEADER,
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *[line(r) for r in results],
        "",
    ]
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--case", action="append", choices=CASES, help="run this case (repeatable; default all)"
    )
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--outage-seconds", type=float, default=120.0)
    parser.add_argument(
        "--drain", type=float, default=400.0, help="longest wait for the sheet to have it all"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="60 phones over 20 s, 30 s outage")
    parser.add_argument("--record", action="store_true")
    # the child process
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--outbox", help=argparse.SUPPRESS)
    parser.add_argument("--acks", help=argparse.SUPPRESS)
    parser.add_argument("--final", help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--resume-from", type=float, help=argparse.SUPPRESS)
    raw = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(raw)
    if args.child:
        return child(args)
    if args.quick:
        args.participants, args.seconds, args.outage_seconds, args.screens = 60, 20.0, 30.0, 6
    args.argv = [a for a in raw if a != "--record"]
    results = []
    print(HEADER, flush=True)
    for name in args.case or CASES:
        result = run_case(name, args)
        results.append(result)
        print(line(result), flush=True)
        print(
            f"    counters {result['counters']} errors {result['errors']} flushed {result['flushed']}",
            flush=True,
        )
    if args.record:
        record(results, args)
    return 0 if all(ok(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
