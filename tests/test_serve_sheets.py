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
import urllib.request
from pathlib import Path

import pytest
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg

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

    server, _port = _serve_on_sheets(fake, tmp_path)
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


def _serve_on_sheets(fake: FakeSheetsServer, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
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
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "serve.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return server, port


def _healthy(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not become healthy within 60 s")


def _threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def test_clear_cache_messages_from_a_client_start_no_second_writer(fake, tmp_path):
    # Any websocket client may send Streamlit's ``clear_cache``. The runtime used to live in
    # st.cache_resource: 10 such messages took the server from 8 to 18 threads, one more Sheets
    # sync thread per rebuild, each polling on its own quota.
    fake.create_spreadsheet(KEY, "Partenariat Live")
    server, port = _serve_on_sheets(fake, tmp_path)
    try:
        _healthy(port)
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], timeout=30
        )
        try:
            rerun = BackMsg()
            rerun.rerun_script.query_string = ""
            rerun.rerun_script.page_name = ""
            ws.send_binary(rerun.SerializeToString())
            time.sleep(3)  # the first page run
            before = _threads(server.pid)
            for _ in range(10):
                clear = BackMsg()
                clear.clear_cache = True
                ws.send_binary(clear.SerializeToString())
                ws.send_binary(rerun.SerializeToString())
                time.sleep(0.5)
            time.sleep(3)
            after = _threads(server.pid)
        finally:
            ws.close()
        assert server.poll() is None
        assert after - before <= 2, (before, after)  # script threads come and go; ten writers would show
    finally:
        server.terminate()
        server.wait(timeout=30)
