"""Cost of one SQLite store operation a page run makes: ``get_session`` and ``data_version``.

Every phone page run reads its session, and every projector refresh asks ``data_version`` first, so
their fixed cost (opening a connection or not) is paid hundreds of times a second in a full room.

    python bench/bench_sqlite_ops.py               # best of 5 rounds of 2,000 calls each
    python bench/bench_sqlite_ops.py --repo ../old  # the same on another checkout, for a ratio
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, args.repo)
    from partenariat_core.model import Session
    from partenariat_core.store import SQLiteStore

    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "bench.db")
        store.create_session(Session("BENCH2", "Bench"))
        for name, call in (
            ("get_session", lambda: store.get_session("BENCH2")),
            ("data_version", lambda: store.data_version("BENCH2")),
        ):
            best = float("inf")
            for _ in range(args.rounds):
                start = time.perf_counter()
                for _ in range(args.calls):
                    call()
                best = min(best, (time.perf_counter() - start) / args.calls)
            print(f"{name:>13}: {best * 1e6:8.1f} µs per call (best of {args.rounds} × {args.calls})")
        store.close()


if __name__ == "__main__":
    main()
