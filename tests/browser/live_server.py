"""A real server for browser tests, started as the README starts it (``serve.py``).

Playwright cannot download its own browsers here, so it is pointed at ``/usr/bin/chromium`` (installed
by ``.ci/run``). The server listens on a free loopback port with its own data folder and stops at the
end of each test module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PASSCODE = "BROWSER-TEST-42"
REFRESH_SECONDS = 2


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path) -> Server:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PARTENARIAT_DATA_DIR": str(data_dir),
        "PARTENARIAT_HOST_PASSCODE": PASSCODE,
        "PARTENARIAT_PUBLIC_URL": url,
        "PARTENARIAT_REFRESH_SECONDS": str(REFRESH_SECONDS),
        "PARTENARIAT_SECRETS_FILE": str(data_dir / "no-secrets.toml"),
    }
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "serve.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {(data_dir / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return Server(url, data_dir, process)
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)
