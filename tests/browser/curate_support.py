"""The host's sort panel in a browser: ticking cards so that the tick holds.

A tick reruns the panel; a second tick clicked while that rerun draws can land on the checkbox as it
was and be undone by the redraw ("Clicking the checkbox did not change its state", seen on a loaded
2-core CI machine). So each tick waits for the panel to count it ("2 cartes cochées"), and clicks
again when the redraw lost it: bounded, never a bare sleep.
"""

from __future__ import annotations

from playwright.sync_api import Error, expect


def tick(page, row, count: int, tries: int = 5) -> None:
    """Tick ``row``'s checkbox so that the panel shows ``count`` cards ticked."""
    box = row.get_by_role("checkbox")
    shown = page.get_by_text(f"{count} carte{'s' if count > 1 else ''} cochée{'s' if count > 1 else ''}")
    for attempt in range(tries):
        try:
            if not box.is_checked():
                box.check(force=True)
            expect(shown).to_be_visible(timeout=10_000)
            return
        except (AssertionError, Error):
            if attempt == tries - 1:
                raise
