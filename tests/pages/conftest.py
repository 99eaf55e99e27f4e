"""Fixtures for AppTest page tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from apptest_support import PASSCODE

import ui.auth
from partenariat_core import GuessThrottle


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PARTENARIAT_HOST_PASSCODE", PASSCODE)
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    for name in ("STORE", "SQLITE_PATH", "LANGUAGE", "DEMO", "INSTRUMENTS_DIR", "PUBLIC_URL"):
        monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
    monkeypatch.setattr(ui.auth, "THROTTLE", GuessThrottle())  # no failed guess leaks between tests
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()
