"""A Sheets store in its own process, for tests that kill it with SIGKILL (``kill -9``).

    python tests/sheets_child.py API_URL KEY OUTBOX N [TIMEOUT SETTLE]

Opens a ``SheetsStore`` on ``OUTBOX`` against the fake server at ``API_URL``, accepts ``N`` answers
(``answers(N)``) with its writer paused, prints ``accepted N``, waits for a line on stdin (the test
sets up the fault meanwhile), then lets the background writer run until the test kills the process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partenariat_core.model import Event
from partenariat_core.store.sheets import SheetsOptions, SheetsStore


def answers(n: int, start: int = 0, session: str = "KIL234") -> list[Event]:
    return [
        Event(session, f"participant-{i % 13:02d}", f"sub-{i:04d}", "keep_throw", "keep", text=f"carte {i}")
        for i in range(start, start + n)
    ]


def options(timeout: float, settle: float) -> SheetsOptions:
    return SheetsOptions(
        read_seconds=0.05,
        sessions_seconds=0.5,
        flush_seconds=0.02,
        backoff_base=0.02,
        backoff_cap=0.2,
        timeout=timeout,
        settle_seconds=settle,
        quota_per_minute=6000,
        batch_size=500,
    )


def main(argv: list[str]) -> int:
    api_url, key, outbox, n = argv[0], argv[1], argv[2], int(argv[3])
    timeout = float(argv[4]) if len(argv) > 4 else 2.0
    settle = float(argv[5]) if len(argv) > 5 else 2.0
    store = SheetsStore(
        key, outbox_path=outbox, api_url=api_url, options=options(timeout, settle), start=False
    )
    accepted = store.append_events(answers(n))
    print(f"accepted {accepted}", flush=True)
    sys.stdin.readline()
    store.worker.start()
    deadline = time.monotonic() + 60  # bounded: the test kills it long before
    while time.monotonic() < deadline:
        time.sleep(0.1)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
