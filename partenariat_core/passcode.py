"""The host passcode: configured, or made at first start and kept in the data folder.

There is never a default password in the code: when none is configured, a random one is generated
once, written to ``<data_dir>/host_passcode.txt`` (owner-only permissions) and printed in the server
console, as Jupyter does with its token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from partenariat_core.codes import CODE_ALPHABET
from partenariat_core.datadir import write_once
from partenariat_core.errors import ConfigError

PASSCODE_FILE = "host_passcode.txt"
# Guesses are throttled (partenariat_core.throttle), but a one-letter passcode falls in a few tries
# anyway; the generated one has 12 letters or digits and 2 dashes.
MIN_PASSCODE_LENGTH = 10


def check_passcode_length(passcode: str, setting: str) -> None:
    """Refuse a passcode shorter than ``MIN_PASSCODE_LENGTH`` (spaces around it do not count).

    ``setting`` names where it came from (an environment variable, the secrets file or the passcode
    file), so the start-up error says what to change; the passcode itself is never repeated."""
    if len(passcode.strip()) < MIN_PASSCODE_LENGTH:
        raise ConfigError("error.passcode_too_short", name=setting, minimum=MIN_PASSCODE_LENGTH)


def resolve_host_passcode(configured: str | None, data_dir: Path) -> tuple[str, Path | None]:
    """(passcode, file it was read from or written to — ``None`` when configured).

    A configured or stored passcode shorter than ``MIN_PASSCODE_LENGTH`` is a ``ConfigError``."""
    if configured:
        check_passcode_length(configured, "PARTENARIAT_HOST_PASSCODE / [partenariat] host_passcode")
        return configured, None
    path = data_dir / PASSCODE_FILE
    if path.is_file():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            check_passcode_length(stored, str(path))
            return stored, path
    data_dir.mkdir(parents=True, exist_ok=True)
    passcode = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    return write_once(path, passcode + "\n").strip(), path  # replicas starting at once agree


def _digest(passcode: str) -> bytes:
    return hashlib.sha256(passcode.strip().upper().encode()).digest()


def check_passcode(given: str | None, expected: str) -> bool:
    """Constant-time comparison, tolerant of surrounding spaces and letter case.

    Both sides are hashed first, so ``hmac.compare_digest`` always compares 32 bytes: the time taken
    does not even tell the length of the passcode."""
    given = (given or "").strip()
    return bool(given) and hmac.compare_digest(_digest(given), _digest(expected))
