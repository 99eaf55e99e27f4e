"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

``bash scripts/test.sh`` installs Debian's ``postgresql`` package when it is missing; this module only
starts and stops a private cluster with it, so the tests need no running service and leave nothing
behind. PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged system
user (Debian's ``postgres`` account when the package made it, else one created with ``useradd``); a
contributor who is not root simply runs it as themselves. The server listens on 127.0.0.1 only, on a
free port, with password authentication over TCP, and ``fsync`` off: nothing here must outlive the run.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

SYSTEM_USER = "postgres"  # made by Debian's postgresql-common
FALLBACK_USER = "partenariat-pg"
SUPERUSER = "partenariat"
START_TIMEOUT = 60.0

NOT_INSTALLED = (
    "PostgreSQL's server binaries (initdb, postgres) were not found under /usr/lib/postgresql/*/bin "
    "nor on PATH. The test command installs them: run `bash scripts/test.sh` (as root or with sudo), "
    "or install Debian's package yourself: `sudo apt-get install postgresql`."
)


class PostgresNotAvailable(RuntimeError):
    """The tests cannot start a PostgreSQL server; the message says what to install or fix."""


def find_bindir() -> Path:
    """The folder holding ``initdb`` and ``postgres``: Debian's newest version first, then PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "postgres").is_file():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("postgres"):
        return Path(initdb).resolve().parent
    raise PostgresNotAvailable(NOT_INSTALLED)


def _run_as() -> pwd.struct_passwd:
    """Who owns and runs the cluster: the current user, or an unprivileged system user under root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in (SYSTEM_USER, FALLBACK_USER):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    useradd = shutil.which("useradd")
    if useradd is None:
        raise PostgresNotAvailable(
            "Running as root, PostgreSQL needs an unprivileged user, and `useradd` is missing: "
            f"create a user named {FALLBACK_USER!r} or run the tests as a normal user."
        )
    subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(FALLBACK_USER)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running private cluster; ``url(dbname)`` gives a connection URL, ``stop()`` ends it."""

    folder: Path
    port: int
    password: str
    process: subprocess.Popen[bytes]

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @property
    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then SIGKILL if it lingers; the folder is removed either way."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=30)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PostgresServer:
    """initdb a new cluster in a temporary folder and start it; raises ``PostgresNotAvailable``."""
    bindir = find_bindir()
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="partenariat-pg-"))  # in /tmp: the system user can reach it
    data = folder / "data"
    password = secrets.token_hex(16)
    pwfile = folder / "pw"
    pwfile.write_text(password)
    os.chown(folder, user.pw_uid, user.pw_gid)
    os.chown(pwfile, user.pw_uid, user.pw_gid)
    as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if os.geteuid() == 0 else {}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(folder)}
    init = subprocess.run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        capture_output=True,
        env=env,
        cwd=folder,
        **as_user,
    )
    pwfile.unlink()
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresNotAvailable("initdb failed:\n" + init.stdout.decode() + init.stderr.decode())
    port = _free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - the server writes to it until stopped
    process = subprocess.Popen(
        [
            str(bindir / "postgres"),
            "-D",
            str(data),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-k",
            str(folder),
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=200",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=folder,
        **as_user,
    )
    log.close()
    server = PostgresServer(folder, port, password, process)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            output = server.log
            server.stop()
            raise PostgresNotAvailable(f"PostgreSQL stopped at start (exit {process.returncode}):\n{output}")
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                return server
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                output = server.log
                server.stop()
                raise PostgresNotAvailable(f"PostgreSQL did not accept connections:\n{output}") from None
            time.sleep(0.1)
