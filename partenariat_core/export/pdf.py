"""The PDF report: the HTML report with its charts as PNGs, printed by the same Chrome kaleido uses.

Why Chrome's own printing rather than a PDF library: the report already exists as HTML (one layout to
maintain, not two); Chrome lays out French and English text, accents and emoji with the system's fonts,
where pure-Python PDF writers need a TTF file shipped and configured per script; and PNG/PDF need
Chrome anyway for the charts, so this adds no dependency and no second way to fail. The printed page
holds no script (charts are inline images), so printing is deterministic.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from partenariat_core.export.base import ExportFile, ExportUnavailable, SessionData, file_for
from partenariat_core.export.figures import session_figures
from partenariat_core.export.html_report import print_html
from partenariat_core.export.images import find_chrome, render
from partenariat_core.i18n import t

PRINT_TIMEOUT = 120.0
CHART_SIZE = {"width": 1100, "height": 620, "scale": 2}


def chrome_print_args(browser: str, source: Path, target: Path, profile: Path) -> list[str]:
    args = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",  # a profile of its own: no lock shared with a running browser
        f"--print-to-pdf={target}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chrome refuses to start as root otherwise (containers, CI)
    return [*args, source.as_uri()]


def html_to_pdf(html_text: str, browser: str | None = None) -> bytes:
    """Print a self-contained HTML page to PDF with headless Chrome."""
    browser = browser or find_chrome()
    with tempfile.TemporaryDirectory(prefix="partenariat-pdf-") as tmp:
        folder = Path(tmp)
        source, target = folder / "page.html", folder / "page.pdf"
        source.write_text(html_text, encoding="utf-8")
        try:
            done = subprocess.run(
                chrome_print_args(browser, source, target, folder / "profile"),
                capture_output=True,
                timeout=PRINT_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportUnavailable("export.err_render", problem=str(exc)[:300]) from exc
        data = target.read_bytes() if target.is_file() else b""
    if not data.startswith(b"%PDF-"):
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [
            f"exit {done.returncode}"
        ]
        raise ExportUnavailable("export.err_render", problem=problem[0][:300])
    return data


def export_pdf(data: SessionData, lang: str) -> ExportFile:
    figures = session_figures(data, lang)
    images = render(figures, "png", size=CHART_SIZE)
    pdf = html_to_pdf(print_html(data, lang, images, figures))
    return file_for(data.session, "pdf", "application/pdf", pdf, t("report.file", lang))
