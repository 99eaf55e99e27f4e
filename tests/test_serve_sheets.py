"""After a restart, what the Sheets outbox holds is sent at once, before anyone opens a page.

Before ``serve.py`` the store and its writer were made by the first page run: 604 answers waited 60 s
in the outbox with the sheet reachable until a phone opened the app (issue 13, item 4).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.model import Event
from partenariat_core.store.sheets import SheetsStore

ROOT = Path(__file__).resolve().parents[1]
KEY = "serve-sheet"
ANSWERS = 30


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        yield server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_outbox_is_sent_when_the_server_starts_with_no_page_open(fake, tmp_path):
    fake.create_spreadsheet(KEY, "Partenariat Live")
    outbox = tmp_path / "data" / "sheets_outbox.db"
    paused = SheetsStore(KEY, outbox_path=outbox, api_url=fake.base_url, start=False)
    when = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    events = [
        Event(
            "SRV234",
            f"anon-{n:02d}",
            f"sub-{n:02d}",
            "keep_throw",
            "keep",
            text=f"carte {n}",
            created_at=when,
        )
        for n in range(ANSWERS)
    ]
    assert paused.append_events(events) == ANSWERS  # acknowledged, then the process "dies"
    paused.close()
    assert len(fake.values(KEY, "responses") or []) <= 1  # at most the header: nothing was sent

    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTENARIAT_")}
    env.update(
        PARTENARIAT_DATA_DIR=str(tmp_path / "data"),
        PARTENARIAT_STORE="sheets",
        PARTENARIAT_SHEETS_SPREADSHEET=KEY,
        PARTENARIAT_SHEETS_API_URL=fake.base_url,
        PARTENARIAT_HOST_PASSCODE="SERVE-TEST-PASSCODE",
        PARTENARIAT_DEMO="false",
        PARTENARIAT_SECRETS_FILE=str(tmp_path / "absent.toml"),
    )
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "serve.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        rows: list[list[str]] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(rows) < ANSWERS + 1:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            rows = fake.values(KEY, "responses") or []
            time.sleep(0.2)
        header, *answers = rows
        texts = sorted(row[header.index("text")] for row in answers)
        assert texts == sorted(f"carte {n}" for n in range(ANSWERS))  # every one, each once
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
