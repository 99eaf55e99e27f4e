"""HTTP plumbing for the fake: a loopback threaded server and its request handler.

HTTP/1.1 keep-alive is on, as with Google, so a client's connection pool is exercised, and a
dropped connection hits a pooled socket the way a real network failure does. The server tracks its
open connections so that ``FakeSheetsServer.stop()`` can cut them and nothing is served after it.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from requests.structures import CaseInsensitiveDict

if TYPE_CHECKING:
    from .server import FakeSheetsServer

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"


@dataclass(frozen=True)
class Reply:
    """One HTTP reply; the fake returns None instead to hang up without one."""

    status: int
    body: bytes
    content_type: str = JSON_CONTENT_TYPE


class LoopbackHTTPServer(ThreadingHTTPServer):
    """Threaded server that remembers its open connections, so that stop() can cut them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeSheetsServer) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        super().__init__(address, SheetsRequestHandler)

    def track(self, conn: socket.socket, opened: bool) -> None:
        with self.fake.lock:
            if opened:
                self.connections.add(conn)
            else:
                self.connections.discard(conn)

    def close_connections(self) -> None:
        """Shut keep-alive connections so their handler threads end and clients see EOF."""
        with self.fake.lock:
            conns = list(self.connections)
        for conn in conns:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, stop()) are routine here; print anything else."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class SheetsRequestHandler(BaseHTTPRequestHandler):
    """Reads a request, asks the fake for a reply, writes it or hangs up."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeSheets/1"
    timeout = 60
    server: LoopbackHTTPServer

    def setup(self) -> None:
        super().setup()
        # Without this, Nagle's algorithm and the client's delayed ACK add ~40 ms per reply.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, opened=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, opened=False)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = CaseInsensitiveDict(self.headers.items())  # HTTP header names ignore case
        reply = self.server.fake.process(self.command, self.path, headers, body)
        if reply is None:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.fake.log_requests:
            super().log_message(format, *args)
