"""Fixtures for AppTest page tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import PASSCODE

import ui.auth
from partenariat_core import GuessThrottle
from partenariat_core.runtime import replace_shared_runtime


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PARTENARIAT_HOST_PASSCODE", PASSCODE)
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    for name in ("STORE", "SQLITE_PATH", "LANGUAGE", "DEMO", "INSTRUMENTS_DIR", "PUBLIC_URL"):
        monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
    monkeypatch.setattr(ui.auth, "THROTTLE", GuessThrottle())  # no failed guess leaks between tests
    replace_shared_runtime(None)  # each test gets a runtime of its own, built on its first page run
    yield tmp_path
    replace_shared_runtime(None)  # closes it: no store or Sheets writer outlives its test
