"""Join codes and anonymous ids.

A join code is read aloud in a room and typed on a phone, so its alphabet leaves out everything that
looks or sounds alike (0/O, 1/I/L) and it is compared case- and space-insensitively.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_join_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def join_code_for(seed: str, length: int = CODE_LENGTH) -> str:
    """The join code a given ``seed`` always maps to (a hash read in the code alphabet): what makes
    "create this session" idempotent when the same request arrives twice (a double click)."""
    digest = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")
    letters = []
    for _ in range(length):
        digest, index = divmod(digest, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


def normalize_code(raw: str | None) -> str:
    """``" abc 234 "`` → ``"ABC234"``; the caller then checks the result with ``is_valid_code``."""
    if not raw:
        return ""
    return "".join(str(raw).split()).replace("-", "").upper()


def is_valid_code(code: str) -> bool:
    return 4 <= len(code) <= 12 and all(ch in CODE_ALPHABET for ch in code)


def new_participant_id() -> str:
    """Anonymous and unguessable, short enough for a URL (``?p=...``)."""
    return secrets.token_urlsafe(9)


def is_valid_participant_id(pid: str | None) -> bool:
    return pid is not None and 8 <= len(pid) <= 32 and all(ch.isalnum() or ch in "-_" for ch in pid)


def new_submission_id() -> str:
    """Made by the client before sending, so a retry of the same submit carries the same id."""
    return uuid.uuid4().hex
