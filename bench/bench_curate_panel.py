"""How long the host's "sort the board" panel (ui/curate.py) takes to draw and to answer a click, at
50, 150 and 300 cards, measured as a whole run of the host page under Streamlit's AppTest (no browser,
no network: the page's Python, the summary, the suggestions and every widget).

A click on *Masquer* stores one event and redraws the panel; in the browser that is a fragment rerun,
here the whole page, so the figures are an upper bound. Goal: a click answered within a second at
150 cards on a laptop.

    python bench/bench_curate_panel.py                 # sizes 50 150 300, best of 3
    python bench/bench_curate_panel.py --sizes 150 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from partenariat_core.model import Event, Session  # noqa: E402
from partenariat_core.runtime import replace_shared_runtime, shared_runtime  # noqa: E402
from partenariat_core.scoring.curated import card_id  # noqa: E402

PASSCODE = "BENCH-PASS-2026"
CODE = "BENCH2"
WORDS = ("partenariat", "action", "territoire", "vision", "commune", "collaboration", "citoyen", "projet")


def _cards(n: int) -> list[Event]:
    rng = random.Random(n)
    t0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    return [
        Event(
            CODE,
            f"participant-{i:04d}",
            f"s{i}",
            "keep_throw",
            "keep" if i % 2 else "throw",
            "",
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))) + f" {i}",
            t0 + dt.timedelta(seconds=i),
        )
        for i in range(n)
    ]


def measure(n: int) -> tuple[float, float]:
    """(seconds for the page's first run past the passcode, seconds for one hide click)."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            PARTENARIAT_DATA_DIR=folder,
            PARTENARIAT_HOST_PASSCODE=PASSCODE,
            PARTENARIAT_SECRETS_FILE=str(Path(folder) / "none.toml"),
            PARTENARIAT_DEMO="0",
        )
        replace_shared_runtime(None)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        rt = shared_runtime()
        rt.store.create_session(Session(CODE, "Banc d'essai", instruments=("keep_throw",)))
        rt.store.append_events(_cards(n))
        at.switch_page("pages/host.py").run()
        at.text_input(key="passcode_input").input(PASSCODE)
        start = time.perf_counter()
        next(b for b in at.button if b.label == "Entrer").click().run()
        first = time.perf_counter() - start
        target = card_id("keep_throw", "keep", "s1")
        (hide,) = [b for b in at.button if b.key and b.key.endswith(f":hide:{target}")]
        start = time.perf_counter()
        hide.click().run()
        click = time.perf_counter() - start
        assert not at.exception, at.exception
        replace_shared_runtime(None)
        return first, click


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 150, 300])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    for n in args.sizes:
        runs = [measure(n) for _ in range(args.repeat)]
        first = min(r[0] for r in runs)
        click = min(r[1] for r in runs)
        print(f"{n:4d} cards: page drawn {first * 1000:6.0f} ms, hide click answered {click * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
