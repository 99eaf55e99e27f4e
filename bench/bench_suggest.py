"""How long suggesting groups of near-identical cards takes, at 50, 300 and 1,000 cards, and how
right the suggestions are on generated boards.

``suggest_groups`` runs when the host opens the grouping view of a board, so it must answer at once.
Goal: 300 cards under 200 ms.

    python bench/bench_suggest.py                # best of 7, sizes 50 300 1000
    python bench/bench_suggest.py --sizes 300 --repeat 3

Boards are generated with a seeded generator, in two columns: a quarter of the cards are variants of
the real ARIMA 2019 cards (``sample_data/arima_2019_board.toml``) as people retype an idea heard in
the room (case, accents dropped, punctuation, one or two typos, two letters swapped, a misplaced
space, "x2"), the rest distinct sentences of 3 to 12 words drawn from the same cards' vocabulary.
Truth: two cards should be grouped when they come from the same original card. The script prints
pairs found / missed / wrongly suggested, so a change of the rule shows its price in both directions.
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
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import rapidfuzz

from partenariat_core.demo import read_board
from partenariat_core.model import Event, Session
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import curated_board
from partenariat_core.scoring.similar import normalize_card, suggest_groups

CODE = "BENCH3"


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + rng.choice("aeiourstn") + text[i:]
    if kind == 2:
        return text[:i] + rng.choice("aeiourstn") + text[i + 1 :]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def variant(text: str, rng: random.Random) -> str:
    """How a person retypes a card they heard: one to three of these changes."""
    for change in rng.sample(
        ["upper", "lower", "accents", "punct", "typo", "typo2", "x2"], rng.randint(1, 3)
    ):
        if change == "upper":
            text = text.upper()
        elif change == "lower":
            text = text.lower()
        elif change == "accents":
            text = _strip_accents(text)
        elif change == "punct":
            text = text.replace("'", " ").replace(".", "").replace(",", "") + rng.choice(["!", ".", " ?", ""])
        elif change == "typo":
            text = _typo(text, rng)
        elif change == "typo2" and len(text) > 25:
            text = _typo(_typo(text, rng), rng)
        elif change == "x2":
            text += " x2"
    return text


def make_board(n: int, seed: int = 2026) -> tuple[list[Event], dict[str, int | None]]:
    """``n`` card events and each card's origin (an original card's index, ``None`` when distinct)."""
    rng = random.Random(seed)
    seeds = read_board()
    vocabulary = {col: " ".join(cards).split() for col, cards in seeds.items()}
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    events, origin = [], {}
    for i in range(n):
        column = rng.choice(("keep", "throw"))
        if rng.random() < 0.25:
            k = rng.randrange(len(seeds[column]))
            text, source = variant(seeds[column][k], rng), hash((column, k))
        else:
            text, source = " ".join(rng.choices(vocabulary[column], k=rng.randint(3, 12))).capitalize(), None
        submission = f"bench-{i:05d}"
        participant = f"bench-participant-{i % 300:03d}"
        when = start + dt.timedelta(seconds=i)
        events.append(Event(CODE, participant, submission, "keep_throw", column, "", text, when, seq=i + 1))
        origin[f"keep_throw/{column}/{submission}"] = source
    return events, origin


def accuracy(suggestions, origin: dict[str, int | None], board) -> tuple[int, int, int]:
    """(right pairs, missed pairs, wrong pairs) of the suggestions against the generated truth."""
    found = {frozenset((a, b)) for s in suggestions for a in s.card_ids for b in s.card_ids if a < b}
    by_source: dict[int, list[str]] = {}
    for card, source in origin.items():
        if source is not None:
            by_source.setdefault(source, []).append(card)
    truth = {frozenset((a, b)) for cards in by_source.values() for a in cards for b in cards if a < b}
    # two distinct sentences drawn identical by chance are rightly suggested: not counted as wrong
    wrong = {p for p in found - truth if len({normalize_card(board.cards[c].text) for c in p}) > 1}
    return len(found & truth), len(truth - found), len(wrong)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300, 1000])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per size (best is kept)")
    args = parser.parse_args(argv)
    session = Session(CODE, "Bench")
    print(f"python {platform.python_version()}, rapidfuzz {rapidfuzz.__version__}, {platform.machine()}")
    print(
        f"{'cards':>6} {'best ms':>8} {'median ms':>10} {'groups':>7} {'right':>6} {'missed':>7} {'wrong':>6}"
    )
    results = {}
    for n in args.sizes:
        events, origin = make_board(n)
        board = curated_board(events_frame(events), "keep_throw", session, events)
        suggest_groups(board)  # warm-up
        times = []
        for _ in range(args.repeat):
            gc.collect()
            t0 = time.perf_counter()
            suggestions = suggest_groups(board)
            times.append(1000 * (time.perf_counter() - t0))
        times.sort()
        right, missed, wrong = accuracy(suggestions, origin, board)
        results[n] = times[0]
        median = times[len(times) // 2]
        print(
            f"{n:>6} {times[0]:>8.1f} {median:>10.1f} {len(suggestions):>7} {right:>6} {missed:>7} {wrong:>6}"
        )
    if 300 in results:
        verdict = "met" if results[300] < 200 else "NOT met"
        print(f"goal 300 cards under 200 ms: {verdict} ({results[300]:.1f} ms)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
