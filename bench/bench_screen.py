"""CPU per projector refresh: the board layout and the screen's HTML, for 40 and 150 cards.

Each projector tab reruns its fragment every ``refresh_seconds``. The summary is shared by every
screen (``LiveSessions`` hands out the same object until an answer arrives), so what each tab costs
on its own is ``board_layout`` plus ``step_html`` (``ui/projector.py``). This times that, in CPU
seconds (``time.process_time``), for a keep/throw board of 40 and of 150 cards, and what 20 screens
on the same board cost per tick, next to one ``summarize`` (paid once per new answer, not per
screen). Run::

    python bench/bench_screen.py            # prints a table; paste it into bench/RESULTS.md
    python bench/bench_screen.py --large    # and boards of 2,000 to 200,000 cards (below)
    python bench/bench_screen.py --large --repo /tmp/main   # the same, timing another checkout

``--large``: what a board as large as the scoring bench's 1M events (200,000 cards) costs a screen,
right after a new summary (its first draw: the layout of every card) and then at each further draw
(another screen of the same session, or the next page turn, ten seconds later), in CPU seconds,
best of ``--repeat``. Each round scores the events anew (not timed), so the first draw is a first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import sys
import time
from pathlib import Path


def _repo() -> Path:
    """The checkout measured: ``--repo PATH`` (a copy of main, for a "before"), else this one."""
    if "--repo" in sys.argv[1:-1]:
        return Path(sys.argv[sys.argv.index("--repo") + 1]).resolve()
    return Path(__file__).resolve().parents[1]


sys.path.insert(0, str(_repo()))

from partenariat_core import load_instruments, summarize, t  # noqa: E402  (after the --repo path)
from partenariat_core.agenda import go_to, screen_view  # noqa: E402
from partenariat_core.model import Event, Session  # noqa: E402
from partenariat_core.screen_layout import ShownCard, board_layout  # noqa: E402
from ui.projector import Screen, step_html  # noqa: E402

WORDS = ("partenariat", "action", "territoire", "vision", "commune", "collaboration", "citoyen", "projet")
REPEAT = 200


def board_session(cards: int, instruments) -> tuple[Session, list[Event]]:
    rng = random.Random(cards)
    t0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    session = go_to(Session("BENCH4", f"{cards} cartes", instruments=("keep_throw",), created_at=t0), 1)
    events = [
        Event(
            session.code,
            f"participant-{i:03d}",
            f"s{i}",
            "keep_throw",
            "keep" if i % 2 else "throw",
            text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12))),
            created_at=t0 + dt.timedelta(seconds=i),
            seq=i + 1,
        )
        for i in range(cards)
    ]
    return session, events


def cpu(fn, repeat: int = REPEAT) -> float:
    """Mean CPU seconds of one call."""
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) / repeat


HEADER = (
    "| cards | summarize (once per new answer) | layout | layout + HTML (one screen, one tick) |"
    " 20 screens, one tick | pages | font px |\n|---:|---:|---:|---:|---:|---:|---:|"
)


def row(cards: int, instruments) -> str:
    session, events = board_session(cards, instruments)
    summary = summarize(session, events, instruments)
    view = screen_view(session, dt.datetime.now(dt.UTC))
    texts = {c: [card.text for card in v] for c, v in summary.boards["keep_throw"].columns.items()}
    screen = Screen(
        summary,
        view,
        instruments,
        "http://192.168.1.10:8501/?session=BENCH4",
        "fr",
        lambda key, **p: t(key, "fr", **p),
        time.time(),
    )
    step_html(screen)  # the QR code is made once per address, then reused
    s_summary = cpu(lambda: summarize(session, events, instruments), 20)
    s_layout = cpu(lambda: board_layout(texts))
    s_html = cpu(lambda: step_html(screen))
    layout = board_layout(texts)
    return (
        f"| {cards} | {s_summary * 1000:.1f} ms | {s_layout * 1000:.2f} ms | {s_html * 1000:.2f} ms |"
        f" {20 * s_html * 1000:.1f} ms | {layout.page_count} | {layout.font_px} |"
    )


def screen_of(summary, session, instruments, now: float) -> Screen:
    return Screen(
        summary,
        screen_view(session, dt.datetime.now(dt.UTC)),
        instruments,
        "http://192.168.1.10:8501/?session=BENCH4",
        "fr",
        lambda key, **p: t(key, "fr", **p),
        now,
    )


LARGE_HEADER = (
    "| cards | summarize | first draw after a new summary | each further draw | 20 screens of a new summary |"
    " pages |\n|---:|---:|---:|---:|---:|---:|"
)


def large_row(cards: int, instruments, repeat: int) -> str:
    """Best of ``repeat`` rounds: score anew, then one screen's first draw and its next ones."""
    session, events = board_session(cards, instruments)
    scored, first, further = [], [], []
    summary = None
    for _ in range(repeat):
        summary = None
        gc.collect()
        c0 = time.process_time()
        summary = summarize(session, events, instruments)
        scored.append(time.process_time() - c0)
        now = time.time()
        c0 = time.process_time()
        step_html(screen_of(summary, session, instruments, now))
        first.append(time.process_time() - c0)
        c0 = time.process_time()
        for turn in range(1, 4):  # the same summary: another screen, then the next page turns
            step_html(screen_of(summary, session, instruments, now + 10 * turn))
        further.append((time.process_time() - c0) / 3)
    assert summary is not None
    board = summary.boards["keep_throw"]  # its pages, untimed, through the API of either checkout
    pages = board_layout({c: [ShownCard(x.text, x.count) for x in v] for c, v in board.columns.items()})
    best_first, best_further = min(first), min(further)
    return (
        f"| {cards:,} | {min(scored):.2f} s | {best_first * 1000:.0f} ms | {best_further * 1000:.1f} ms |"
        f" {(best_first + 19 * best_further) * 1000:.0f} ms | {pages.page_count} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--large", action="store_true", help="also boards of 2,000 to 200,000 cards")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", help="the checkout to time (default: this one)")
    args = parser.parse_args()
    instruments = load_instruments()
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    print(f"# {when}, Python {platform.python_version()}, {platform.machine()}, {_repo()}")
    print(HEADER)
    for cards in (40, 150):
        print(row(cards, instruments))
    if args.large:
        print()
        print(LARGE_HEADER)
        for cards in args.sizes:
            print(large_row(cards, instruments, args.repeat), flush=True)


if __name__ == "__main__":
    main()
