"""Take the README's screenshots from a real server with the demo session (Debian's Chromium).

python scripts/screenshots.py      # writes docs/screenshot-*.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from live_server import CHROMIUM, PASSCODE, start_server, stop_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from partenariat_core import DEMO_CODE  # noqa: E402


def main() -> None:
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=str(CHROMIUM),
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(f"{server.url}/dashboard?session={DEMO_CODE}&kiosk=1")
                page.get_by_label("Code d'animation").fill(PASSCODE)
                page.get_by_role("button", name="Entrer").click()
                page.locator(".js-plotly-plot").nth(2).wait_for(timeout=30_000)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(docs / "screenshot-board.png"))
                page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
                page.wait_for_timeout(800)
                page.screenshot(path=str(docs / "screenshot-dashboard.png"))
                phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
                phone.goto(f"{server.url}/?session={DEMO_CODE}")
                phone.get_by_role("heading", level=1).wait_for(timeout=30_000)
                phone.wait_for_timeout(1000)
                phone.screenshot(path=str(docs / "screenshot-phone.png"))
                browser.close()
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
