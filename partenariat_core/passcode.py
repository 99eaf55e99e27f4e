"""The host passcode: configured, or made at first start and kept in the data folder.

There is never a default password in the code: when none is configured, a random one is generated
once, written to ``<data_dir>/host_passcode.txt`` (owner-only permissions) and printed in the server
console, as Jupyter does with its token.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from partenariat_core.codes import CODE_ALPHABET

PASSCODE_FILE = "host_passcode.txt"


def resolve_host_passcode(configured: str | None, data_dir: Path) -> tuple[str, Path | None]:
    """(passcode, file it was read from or written to — ``None`` when configured)."""
    if configured:
        return configured, None
    path = data_dir / PASSCODE_FILE
    if path.is_file():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored, path
    data_dir.mkdir(parents=True, exist_ok=True)
    passcode = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(passcode + "\n")
    return passcode, path


def check_passcode(given: str | None, expected: str) -> bool:
    """Constant-time comparison, tolerant of surrounding spaces and letter case."""
    given = (given or "").strip().upper()
    return bool(given) and hmac.compare_digest(given.encode(), expected.strip().upper().encode())
