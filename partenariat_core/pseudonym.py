"""Participant pseudonyms: what the store and every export keep instead of the phone's token.

The token in a phone's link (``?p=...``) is a bearer secret: whoever holds it can open that person's
page and change their answers. So it is never stored nor exported; answers carry a keyed hash of it
(HMAC-SHA256 with a key kept in the data folder). The same phone always maps to the same pseudonym, so
its answers still come back after a reload, but an export, a spreadsheet or a database dump gives no way
back to the link. Without the key (another data folder), the pseudonyms are unrelated.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from partenariat_core.datadir import write_once

KEY_FILE = "pseudonym.key"
PREFIX = "anon-"


class Pseudonyms:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a pseudonym key has at least 16 bytes")
        self._key = key

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> Pseudonyms:
        """The data folder's key, made at first use (owner-only, never overwritten)."""
        path = Path(data_dir) / KEY_FILE
        if path.is_file():
            return cls(bytes.fromhex(path.read_text(encoding="ascii").strip()))
        return cls(bytes.fromhex(write_once(path, secrets.token_hex(32) + "\n").strip()))

    def of(self, token: str) -> str:
        """The pseudonym of a phone's token: 25 URL-safe characters, a valid participant id."""
        digest = hmac.new(self._key, token.encode("utf-8"), hashlib.sha256).hexdigest()
        return PREFIX + digest[:20]
