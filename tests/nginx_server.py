"""Debian's nginx in front of app processes for the tests, with the shipped configuration.

``bash scripts/test.sh`` installs the ``nginx`` package when it is missing; this module renders
``deploy/nginx.conf.template`` (``deploy/render_nginx.py``) for a free loopback port and the given app
ports, runs nginx in the foreground with its files in a temporary folder, and stops it at the end, as
``scripts/serve.sh`` does. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 20.0


class NginxNotAvailable(RuntimeError):
    """nginx is not installed or did not start; the message says what to do."""


def render_module() -> ModuleType:
    """``deploy/render_nginx.py`` (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy" / "render_nginx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class NginxServer:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        files = (self.folder / "error.log", self.folder / "out.log")
        return "\n".join(p.read_text(errors="replace") for p in files if p.exists())

    def stop(self) -> None:
        """Fast shutdown (SIGTERM), SIGKILL if it lingers; the folder is removed either way."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=15)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_nginx(app_ports: list[int]) -> NginxServer:
    """nginx on a free loopback port, spreading browsers over ``127.0.0.1:<app_ports>``."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        raise NginxNotAvailable(
            "nginx is missing: run `bash scripts/test.sh` or `sudo apt-get install nginx`"
        )
    folder = Path(tempfile.mkdtemp(prefix="partenariat-nginx-"))
    folder.chmod(0o755)  # as root, nginx's workers run as another user and write temp files here
    port = free_port()
    render = render_module()
    values = render.values_for(f"127.0.0.1:{port}", [f"127.0.0.1:{p}" for p in app_ports], str(folder))
    conf = folder / "nginx.conf"
    conf.write_text(render.render(values), encoding="utf-8")
    out = (folder / "out.log").open("wb")
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log"), "-g", "daemon off;"],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    server = NginxServer(folder, port, process)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = server.log
            server.stop()
            raise NginxNotAvailable(f"nginx stopped at start (exit {process.returncode}):\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    log = server.log
    server.stop()
    raise NginxNotAvailable(f"nginx did not listen within {START_TIMEOUT} s:\n{log}")
