"""The host's sort panel in a browser: ticking cards so that the ticks hold.

A tick reruns the panel. On a loaded 2-core CI machine a tick clicked while the previous one's rerun
drew was seen to come back unticked, or to untick the card ticked just before ("Clicking the checkbox
did not change its state"; noted on issue 10). So :func:`tick` ticks every card asked, waits for the
panel to count them ("2 cartes cochées"), and ticks again what a redraw lost: bounded, never a bare
sleep. The end state is what the test asserts on: the cards ticked, counted by the panel.
"""

from __future__ import annotations

from playwright.sync_api import Error, expect


def tick(page, rows: list, tries: int = 5) -> None:
    """Tick each row's checkbox, one after the other, until the panel counts them all."""
    count = len(rows)
    plural = "s" if count > 1 else ""
    shown = page.get_by_text(f"{count} carte{plural} cochée{plural}")
    for attempt in range(tries):
        try:
            for row in rows:
                box = row.get_by_role("checkbox")
                if not box.is_checked():
                    box.check(force=True)
            expect(shown).to_be_visible(timeout=10_000)
            if all(row.get_by_role("checkbox").is_checked() for row in rows):
                return
        except (AssertionError, Error):
            if attempt == tries - 1:
                raise
    raise AssertionError(f"the panel never kept {count} cards ticked")
