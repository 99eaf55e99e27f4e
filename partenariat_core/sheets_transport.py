"""Send gspread's Google Sheets API calls to another base URL (a fake server, a proxy).

The app reads ``PARTENARIAT_SHEETS_API_URL``; when it is set, the Sheets store builds its gspread
client with :func:`gspread_client` (that is,
``gspread.Client(auth=None, session=redirecting_session(url))``) and every Sheets call goes there
instead of ``https://sheets.googleapis.com``.

Why a session and not a patch of ``gspread.urls``: gspread builds every endpoint constant
(``SPREADSHEET_URL``, ``SPREADSHEET_VALUES_APPEND_URL``...) from ``SPREADSHEETS_API_V4_BASE_URL``
once, at import time, and ``gspread.http_client`` imports those derived strings by name. Changing
the base afterwards changes nothing, and patching each derived name in each importing module is
brittle across gspread versions. ``gspread.Client(auth=None, session=...)`` is supported API: the
HTTP client sends every request through that session and skips Google auth, so rewriting the URL
in ``Session.request`` catches all Sheets calls with no monkeypatching. Other URLs (Drive, OAuth)
are left alone on purpose: the app does not use them, and they should fail loudly if it ever does.
"""

from __future__ import annotations

from typing import Any

import gspread
import requests

SHEETS_API_ORIGIN = "https://sheets.googleapis.com"
SHEETS_API_URL_ENV = "PARTENARIAT_SHEETS_API_URL"


class RedirectingSession(requests.Session):
    """A ``requests.Session`` that rewrites the Sheets API origin to ``base_url``."""

    def __init__(self, base_url: str, *, origin: str = SHEETS_API_ORIGIN) -> None:
        super().__init__()
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base URL must start with http:// or https://, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.origin = origin.rstrip("/")

    def rewrite(self, url: str) -> str:
        """``https://sheets.googleapis.com/v4/...`` -> ``{base_url}/v4/...``; others unchanged."""
        if url == self.origin or url.startswith((self.origin + "/", self.origin + "?")):
            return self.base_url + url[len(self.origin) :]
        return url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        """Same as ``requests.Session.request``, after :meth:`rewrite`."""
        # requests accepts bytes for both; its own type hints (typed since requests 2.33) want str
        if isinstance(method, bytes):
            method = method.decode()
        if isinstance(url, bytes):
            url = url.decode()
        return super().request(method, self.rewrite(url), *args, **kwargs)


def redirecting_session(base_url: str, *, bearer_token: str | None = None) -> RedirectingSession:
    """A session for ``gspread.Client(auth=None, session=...)`` aimed at ``base_url``.

    ``bearer_token`` is sent as ``Authorization: Bearer ...``: the fake server uses it as the quota
    user and can require it (``require_token``).
    """
    session = RedirectingSession(base_url)
    if bearer_token:
        session.headers["Authorization"] = f"Bearer {bearer_token}"
    return session


def gspread_client(
    base_url: str,
    *,
    bearer_token: str | None = None,
    timeout: float | tuple[float, float] | None = None,
) -> gspread.Client:
    """A gspread client whose Sheets calls go to ``base_url`` (no Google credentials needed)."""
    session = redirecting_session(base_url, bearer_token=bearer_token)
    # gspread types ``auth`` as required, but with a session of ours it never touches it: the
    # session carries the (fake server's) token itself.
    client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
    if timeout is not None:
        client.set_timeout(timeout)
    return client
