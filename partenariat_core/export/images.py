"""Static images of plotly figures through kaleido 1.x, which drives a Chrome or Chromium.

How the browser is found (the README repeats this):

1. ``BROWSER_PATH``, when set, names the browser to use; if it is not an executable file, PNG/PDF
   export says so rather than looking elsewhere (a setting that is wrong should be visible).
2. Otherwise choreographer's own search, the one kaleido uses: a Chrome downloaded by
   ``kaleido_get_chrome``, then ``chromium``, ``google-chrome``… on ``PATH`` and their usual install
   folders (Debian's package puts ``/usr/bin/chromium`` on ``PATH``).
3. Nothing found: ``ExportUnavailable`` with a translated message; pages hide the PNG/PDF buttons.

Every cold kaleido call starts a new browser (2–7 s, stack-facts §4), so the first render starts
kaleido's shared server (``kaleido.start_sync_server``) and later ones take a fraction of a second.
That server is one queue shared by the process and not safe for concurrent callers (two Streamlit
threads could swap results), so calls go through a lock, and each call has a time limit so a browser
that died at start-up turns into a clear error instead of a page that hangs.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

from partenariat_core.export.base import (
    ExportFile,
    ExportUnavailable,
    SessionData,
    base_name,
    file_for,
    zip_files,
)
from partenariat_core.export.figures import NamedFigure, session_figures
from partenariat_core.export.safety import safe_filename

RENDER_TIMEOUT = 120.0  # seconds for one figure, cold browser start included
PNG_SIZE = {"width": 1200, "height": 700, "scale": 2}  # 2400×1400 px: sharp on a slide

_lock = threading.Lock()
_server_browser: str | None = None  # the browser kaleido's shared server runs, if started by us
_server_stuck = False  # a call timed out: the shared server is abandoned for this process


def _is_exe(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_chrome() -> str:
    """The browser kaleido will drive, or ``ExportUnavailable`` saying what is missing."""
    wanted = os.environ.get("BROWSER_PATH", "").strip()
    if wanted:
        if _is_exe(wanted):
            return wanted
        raise ExportUnavailable("export.err_browser_path", path=wanted)
    try:
        import kaleido  # noqa: F401  (PNG/PDF need it; the other formats do not)
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        raise ExportUnavailable("export.err_no_kaleido") from None
    found = Chromium.find_browser(skip_local=False)
    if not found or not _is_exe(found):
        raise ExportUnavailable("export.err_no_chrome")
    return found


def chrome_available() -> bool:
    try:
        find_chrome()
    except ExportUnavailable:
        return False
    return True


def _with_timeout(fn: Callable[[], Any], timeout: float) -> Any:
    """Run ``fn`` on a daemon thread; give up (the thread is abandoned) after ``timeout`` seconds."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name="kaleido-call")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"no image after {timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _stop_server() -> None:
    global _server_browser
    import kaleido

    if _server_browser is not None:
        kaleido.stop_sync_server(silence_warnings=True)
        _server_browser = None


def _render_one(figure: Any, opts: dict[str, Any], browser: str) -> bytes:
    import kaleido

    if _server_browser is not None:
        return kaleido.calc_fig_sync(figure, opts=opts)
    # after a stuck server (which cannot be stopped without waiting on it): a browser per call
    return asyncio.run(kaleido.calc_fig(figure, opts=opts, kopts={"path": browser, "mathjax": False}))


def render(
    figures: Sequence[NamedFigure], fmt: str = "png", *, size: dict[str, int] | None = None
) -> list[bytes]:
    """One image (``png``, ``svg`` or ``pdf``) per figure, in order."""
    global _server_browser, _server_stuck
    browser = find_chrome()
    import kaleido

    opts = {"format": fmt, **(size or PNG_SIZE)}
    with _lock:
        if _server_browser != browser and not _server_stuck:
            _stop_server()
            kaleido.start_sync_server(path=browser, mathjax=False, silence_warnings=True)
            _server_browser = browser
        out = []
        for named in figures:
            try:
                render = functools.partial(_render_one, named.figure, opts, browser)
                data = _with_timeout(render, RENDER_TIMEOUT)
            except Exception as exc:
                if isinstance(exc, TimeoutError):
                    _server_stuck, _server_browser = True, None
                else:
                    _stop_server()  # a crashed browser: the next export starts a fresh one
                raise ExportUnavailable("export.err_render", problem=str(exc)[:300]) from exc
            out.append(bytes(data))
        return out


def png_files(data: SessionData, lang: str) -> list[ExportFile]:
    """One PNG per chart of the session, named after the chart, ready for a slide deck."""
    figures = session_figures(data, lang)
    images = render(figures, "png")
    titles = [f.title for f in figures]
    return [
        file_for(
            data.session,
            "png",
            "image/png",
            image,
            *([data.instruments[f.instrument].short_name(lang)] if titles.count(f.title) > 1 else []),
            f.title,
        )
        for f, image in zip(figures, images, strict=True)
    ]


def export_png(data: SessionData, lang: str) -> ExportFile:
    """All charts in one zip (a single chart comes as the PNG itself)."""
    files = png_files(data, lang)
    if len(files) == 1:
        return files[0]
    return zip_files(safe_filename(base_name(data.session, "PNG"), "zip"), files)
