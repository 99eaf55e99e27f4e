"""``python -m partenariat_core.fake_sheets``: serve a fake Sheets API until Ctrl-C.

For demos and rehearsals: point the app at the printed URL with ``PARTENARIAT_SHEETS_API_URL`` and
it runs without Google. Spreadsheets named with ``--spreadsheet`` are created empty.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from .server import FakeSheetsServer


def build_parser() -> argparse.ArgumentParser:
    """Command-line options; kept separate so tests can parse without serving."""
    parser = argparse.ArgumentParser(
        prog="python -m partenariat_core.fake_sheets",
        description="Fake Google Sheets API v4 on 127.0.0.1, for demos and tests.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (0 = any free port)")
    parser.add_argument(
        "--spreadsheet",
        action="append",
        default=[],
        metavar="KEY",
        help="pre-create an empty spreadsheet with this key (repeatable)",
    )
    parser.add_argument(
        "--sheet",
        action="append",
        default=[],
        metavar="TITLE",
        help="sheet titles of the pre-created spreadsheets (repeatable; default Sheet1)",
    )
    parser.add_argument(
        "--quota-per-minute", type=int, default=60, metavar="N", help="reads and writes per user"
    )
    parser.add_argument(
        "--quota-per-project", type=int, default=300, metavar="N", help="per project, per minute"
    )
    parser.add_argument("--log", action="store_true", help="log each request to stderr")
    return parser


def build_server(args: argparse.Namespace) -> FakeSheetsServer:
    """A configured, not yet started server."""
    server = FakeSheetsServer(
        port=args.port,
        quota_per_user=args.quota_per_minute,
        quota_per_project=args.quota_per_project,
        log_requests=args.log,
    )
    sheets = tuple(args.sheet) or ("Sheet1",)
    for key in args.spreadsheet:
        server.create_spreadsheet(key, title=key, sheets=sheets)
    return server


def main(argv: Sequence[str] | None = None) -> int:
    """Start, print the base URL, serve until interrupted."""
    args = build_parser().parse_args(argv)
    server = build_server(args).start()
    print(server.base_url, flush=True)
    print(
        f"Fake Sheets API serving; PARTENARIAT_SHEETS_API_URL={server.base_url}; Ctrl-C to stop.",
        file=sys.stderr,
        flush=True,
    )
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
