"""Request plumbing shared by the endpoints: routes, query parameters and JSON bodies.

Routes are matched on the raw (still percent-encoded) path: gspread quotes ``:`` inside a range as
``%3A``, so a literal ``:append``/``:clear`` suffix can only be the method, never part of the range.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .errors import ApiError

_PREFIX = "/v4/spreadsheets/"
_ID = re.compile(r"^([A-Za-z0-9_-]+)(.*)$")
_SIMPLE_ROUTES = {
    ("GET", ""): "spreadsheets.get",
    ("POST", ":batchUpdate"): "spreadsheets.batchUpdate",
    ("GET", "/values:batchGet"): "values.batchGet",
    ("POST", "/values:batchUpdate"): "values.batchUpdate",
    ("POST", "/values:batchClear"): "values.batchClear",
}
_RANGE_SUFFIXES = ((":append", "values.append"), (":clear", "values.clear"))


@dataclass(frozen=True)
class Route:
    """A recognised API call: its method name in Google's docs, and what it is about."""

    name: str
    kind: str  # "read" or "write": the quota it counts against
    spreadsheet_id: str
    range_text: str | None = None


def request_kind(method: str) -> str:
    """Google counts GETs as reads and everything else as writes."""
    return "read" if method == "GET" else "write"


def match_route(method: str, path: str) -> Route | None:
    """The route for ``method path``, or None (the server answers 404)."""
    if not path.startswith(_PREFIX):
        return None
    match = _ID.match(path[len(_PREFIX) :])
    if match is None:
        return None
    key, rest = match.groups()
    kind = request_kind(method)
    simple = _SIMPLE_ROUTES.get((method, rest))
    if simple is not None:
        return Route(simple, kind, key)
    if not rest.startswith("/values/"):
        return None
    raw_range = rest[len("/values/") :]
    if method == "POST":
        for suffix, name in _RANGE_SUFFIXES:
            if raw_range.endswith(suffix):
                return Route(name, kind, key, unquote(raw_range[: -len(suffix)]))
        return None
    if method in ("GET", "PUT"):
        name = "values.get" if method == "GET" else "values.update"
        return Route(name, kind, key, unquote(raw_range))
    return None


class Query:
    """Query parameters with Google's validation messages for enums."""

    def __init__(self, params: dict[str, list[str]]) -> None:
        self._params = params

    def get(self, name: str, default: str | None = None) -> str | None:
        """First value of ``name``, or ``default``."""
        values = self._params.get(name)
        return values[0] if values else default

    def all(self, name: str) -> list[str]:
        """Every value of a repeated parameter (``ranges=...&ranges=...``)."""
        return list(self._params.get(name, []))

    def flag(self, name: str) -> bool:
        """Booleans arrive as ``true``/``false``, or ``True``/``False`` from gspread."""
        return (self.get(name) or "").lower() == "true"

    def enum(self, name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        """An enum parameter, validated like Google does."""
        value = self.get(name, default)
        return check_enum(name, value, allowed)


def check_enum(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    """400 with Google's wording when ``value`` is not one of ``allowed``."""
    if value is None or value in allowed:
        return value
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    type_name = name[0].upper() + name[1:]
    google_type = f"type.googleapis.com/google.apps.sheets.v4.{type_name}"
    message = f"Invalid value at '{snake}' ({google_type}), \"{value}\""
    raise ApiError(400, message, field=snake)


def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body; an empty body is ``{}``."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"Invalid JSON payload received. {exc}") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid JSON payload received. Expected an object.")
    return body
