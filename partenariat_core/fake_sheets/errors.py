"""Errors shaped like Google's, so gspread raises ``APIError`` with the right ``.code``.

Google's JSON API errors are ``{"error": {"code": 429, "message": "...", "status": "..."}}``;
gspread reads ``code`` from that body, not from the HTTP status line. Errors produced by Google's
front end (a 502 from the load balancer, for instance) are HTML instead, and then gspread's
``APIError.code`` is ``-1``: ``html=True`` reproduces that, so a client that trusts ``.code`` alone
can be caught out in tests.

Every JSON error carries ``details`` as Google's error model documents them
(https://cloud.google.com/apis/design/errors): a ``google.rpc.BadRequest`` with
``fieldViolations`` on 400s (``field`` names the offending part of the request, e.g.
``requests[0].deleteDimension``, when it is known), and a ``google.rpc.ErrorInfo`` with a
``reason`` on the others (the 429's comes from :mod:`.quota` with its quota metadata).
"""

from __future__ import annotations

import json
from typing import Any

STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

DEFAULT_MESSAGES: dict[int, str] = {
    400: "Request contains an invalid argument.",
    401: "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded.",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The service is currently unavailable.",
}


class ApiError(Exception):
    """An error reply; raised anywhere in the request path and turned into a response once."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        field: str | None = None,
        html: bool = False,
    ) -> None:
        self.code = code
        self.message = message or DEFAULT_MESSAGES.get(code, "Error")
        self.details = details
        self.field = field
        self.html = html
        super().__init__(f"{code}: {self.message}")

    @property
    def status(self) -> str:
        """Google's canonical status name (``NOT_FOUND``...), ``UNKNOWN`` if unmapped."""
        return STATUS_NAMES.get(self.code, "UNKNOWN")

    def body(self) -> tuple[bytes, str]:
        """Encoded body and content type, JSON like the Sheets API or HTML like Google's edge."""
        if self.html:
            page = (
                f"<!DOCTYPE html><html lang=en><title>Error {self.code}</title>"
                f"<p><b>{self.code}.</b> <ins>That's an error.</ins>"
                f"<p>{self.message}</p></html>"
            )
            return page.encode(), "text/html; charset=UTF-8"
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        error["details"] = self.details or self.default_details()
        return encode_json({"error": error}), "application/json; charset=UTF-8"

    def default_details(self) -> list[dict[str, Any]]:
        """Google's standard detail for this status when the raiser gave none."""
        if self.code == 400:
            violation: dict[str, Any] = {"description": self.message}
            if self.field:
                violation = {"field": self.field, **violation}
            return [{"@type": f"{_RPC}.BadRequest", "fieldViolations": [violation]}]
        reason = _REASONS.get(self.code, self.status)
        return [
            {
                "@type": f"{_RPC}.ErrorInfo",
                "reason": reason,
                "domain": "googleapis.com",
                "metadata": {"service": "sheets.googleapis.com"},
            }
        ]


_RPC = "type.googleapis.com/google.rpc"
_REASONS: dict[int, str] = {
    401: "CREDENTIALS_MISSING",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def encode_json(payload: Any) -> bytes:
    """Pretty-printed like Google's replies, which keeps captured traffic readable."""
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
