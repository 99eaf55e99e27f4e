"""CPU per projector refresh: the board layout and the screen's HTML, for 40 and 150 cards.

Each projector tab reruns its fragment every ``refresh_seconds``. The summary is shared by every
screen (``LiveSessions`` hands out the same object until an answer arrives), so what each tab costs
on its own is ``board_layout`` plus ``step_html`` (``ui/projector.py``). This times that, in CPU
seconds (``time.process_time``), for a keep/throw board of 40 and of 150 cards, and what 20 screens
on the same board cost per tick, next to one ``summarize`` (paid once per new answer, not per
screen). Run::

    python bench/bench_screen.py            # prints a table; paste it into bench/RESULTS.md
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partenariat_core import load_instruments, summarize, t
from partenariat_core.agenda import go_to, screen_view
from partenariat_core.model import Event, Session
from partenariat_core.screen_layout import board_layout
from ui.projector import Screen, step_html

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


def main() -> None:
    instruments = load_instruments()
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    print(f"# {when}, Python {platform.python_version()}, {platform.machine()}")
    print(HEADER)
    for cards in (40, 150):
        print(row(cards, instruments))


if __name__ == "__main__":
    main()
