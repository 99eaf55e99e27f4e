"""The host's sort panel in a browser: ticking cards.

:func:`tick` ticks each box once, one right after the other, without waiting for the panel to
redraw in between, as a host does; then it waits (bounded) for the panel to count them and checks
that every box is still ticked. It never clicks again: a tick a redraw lost fails the test. (It used
to retry up to five times, which hid the lost ticks: the ticked-cards block appeared above the
columns at the first tick and pushed the rows down under the next click.) Playwright measures each
box just before clicking it, so a moving row is caught here only when it moves in that gap;
test_curate_ticks.py taps where the rows were, as a finger does, and catches it every time.
"""

from __future__ import annotations

from playwright.sync_api import expect


def tick(page, rows: list) -> None:
    """Tick each row's checkbox once, then wait until the panel counts them all, all still ticked."""
    for row in rows:
        # force: the input is drawn under its label, which takes the click as a person's tap would
        row.get_by_role("checkbox").check(force=True)
    count = len(rows)
    plural = "s" if count > 1 else ""
    expect(page.get_by_text(f"{count} carte{plural} cochée{plural}")).to_be_visible(timeout=15_000)
    for row in rows:
        expect(row.get_by_role("checkbox")).to_be_checked()
