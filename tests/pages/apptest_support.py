"""Helpers for Streamlit AppTest page tests: a fresh data folder and runtime per test.

The app's runtime (store, instruments, passcode) is shared by the whole process
(``partenariat_core.runtime``), so each test replaces it after pointing ``PARTENARIAT_DATA_DIR`` at its
own folder (``conftest.app_env``).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from partenariat_core.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
PASSCODE = "TEST-PASS-2019"


def store_of(data_dir: Path) -> SQLiteStore:
    """The same SQLite file the app under test writes to."""
    return SQLiteStore(data_dir / "partenariat.db")


def open_app(page: str = "pages/participate.py", **params: str) -> AppTest:
    """Run the router with query parameters, then switch to ``page`` as a click in the menu would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/participate.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def login(at: AppTest, passcode: str = PASSCODE) -> AppTest:
    at.text_input(key="passcode_input").input(passcode)
    next(b for b in at.button if b.label in ("Entrer", "Enter")).click().run()
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)
