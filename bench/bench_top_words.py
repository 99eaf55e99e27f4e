"""How long the top words of a board column take at 300 and 3,000 cards, and the word cloud's drawing.

``board_top_words`` runs on every refresh of a dashboard with the *Mots fréquents* toggle on and of a
projector opened with ``&view=words`` (per column); the cloud image is cached by its words and size,
so it is drawn again only when a card changes the counts, but that first drawing is measured too.

    python bench/bench_top_words.py                 # best of 7, sizes 300 3000
    python bench/bench_top_words.py --sizes 300 --repeat 3

Boards are generated with a seeded generator, in two columns, from the real ARIMA 2019 cards'
vocabulary (``sample_data/arima_2019_board.toml``): sentences of 3 to 12 words, every tenth card
hidden by the host (hidden cards are skipped, as on the board). Times are for one column (the larger
one) and for the whole board (both columns).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import wordcloud

from partenariat_core.demo import read_board
from partenariat_core.model import Event, Session
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import HIDDEN, HOST, MODERATION, card_id, curated_board
from partenariat_core.scoring.top_words import board_top_words
from ui.top_words import CLOUD_H, CLOUD_WORDS, cloud_png, column_words

CODE = "BENCH5"
CLOUD_W = 924  # one of two columns on the 1920 × 1080 projector


def make_events(n: int, seed: int = 2026) -> list[Event]:
    rng = random.Random(seed)
    vocabulary = {col: " ".join(cards).split() for col, cards in read_board().items()}
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    events = []
    for i in range(n):
        column = rng.choice(("keep", "throw"))
        text = " ".join(rng.choices(vocabulary[column], k=rng.randint(3, 12))).capitalize()
        submission = f"bench-{i:05d}"
        when = start + dt.timedelta(seconds=i)
        events.append(
            Event(CODE, f"p-{i % 300:03d}", submission, "keep_throw", column, "", text, when, seq=i + 1)
        )
        if i % 10 == 9:
            hidden = card_id("keep_throw", column, submission)
            events.append(Event(CODE, HOST, f"hide-{i}", MODERATION, hidden, HIDDEN, "", when, seq=n + i))
    return events


def best_and_median(run, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return times[0], times[len(times) // 2]


def measure(n: int, session: Session, repeat: int) -> str:
    """One line of the table: ``n`` cards, the top words of one column, of the board, one cloud."""
    events = make_events(n)
    board = curated_board(events_frame(events), "keep_throw", session, events)
    visible = sum(1 for c in board.cards.values() if c.visible)
    column = max(("keep", "throw"), key=lambda c: sum(1 for x in board.cards.values() if x.column == c))
    board_top_words(board, column)  # warm-up (the stop-word lists load once)
    one = best_and_median(lambda: board_top_words(board, column), repeat)
    both = best_and_median(lambda: [board_top_words(board, c) for c in ("keep", "throw")], repeat)
    words = tuple((w.word, w.count) for w in board_top_words(board, column, CLOUD_WORDS))
    column_words(board, column)
    hit = best_and_median(lambda: column_words(board, column), repeat)  # a refresh, same summary

    def draw() -> None:
        cloud_png.cache_clear()  # the first drawing, not a cache hit
        cloud_png(words, CLOUD_W, CLOUD_H)

    cloud = best_and_median(draw, max(3, repeat // 2))
    return (
        f"{n:>6} {visible:>8} {one[0]:>10.1f} {one[1]:>7.1f} {both[0]:>9.1f} {both[1]:>7.1f}"
        f" {cloud[0]:>9.1f} {cloud[1]:>7.1f} {hit[0]:>9.3f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per size (best is kept)")
    args = parser.parse_args(argv)
    session = Session(CODE, "Bench")
    print(f"python {platform.python_version()}, wordcloud {wordcloud.__version__}, {platform.machine()}")
    print(
        f"{'cards':>6} {'visible':>8} {'column ms':>10} {'median':>7} {'board ms':>9} {'median':>7}"
        f" {'cloud ms':>9} {'median':>7} {'cached ms':>9}"
    )
    for n in args.sizes:
        print(measure(n, session, args.repeat))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
