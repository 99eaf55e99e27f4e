"""Opening Google Sheets from the settings, and turning every way it fails into a clear error.

Two kinds of problems reach a person here. Setup mistakes (wrong URL or key, a sheet not shared with
the service account, a broken credentials file) never fix themselves: they become ``ConfigError``
naming what to change, down to the e-mail address to share the sheet with. Passing trouble (no
network, a 5xx, a quota 429) becomes ``StoreUnavailable`` and the writer retries it. :func:`classify`
also says whether a failed write may nevertheless have landed, which is what makes retries safe.

Without credentials and with a non-Google API address (the fake server), the client sends no
authentication at all (``gspread.Client(auth=None, session=...)``), so a workshop can be rehearsed
with no Google account.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gspread
import requests
from google.auth import exceptions as auth_errors

from partenariat_core.errors import ConfigError, PartenariatError, StoreUnavailable
from partenariat_core.sheets_transport import SHEETS_API_ORIGIN, redirecting_session

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_REQUIRED = ("type", "client_email", "private_key")


def spreadsheet_key(value: str | None) -> str:
    """The key in a spreadsheet URL (``.../spreadsheets/d/KEY/edit``), or the key itself."""
    text = (value or "").strip()
    if not text:
        raise ConfigError("sheets.no_spreadsheet")
    match = _URL_KEY.search(text)
    if match:
        return match.group(1)
    if _KEY.match(text):
        return text
    raise ConfigError("sheets.bad_spreadsheet", value=text[:120])


def read_credentials(path: Path | None) -> dict[str, Any] | None:
    """The service-account JSON at ``path`` (``None`` if no path), checked enough to use it."""
    if path is None:
        return None
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError("sheets.bad_credentials", file=str(path), problem=exc.strerror or str(exc)) from exc
    except ValueError as exc:
        raise ConfigError("sheets.bad_credentials", file=str(path), problem=f"JSON: {exc}") from exc
    return check_credentials(info, str(path))


def check_credentials(info: object, where: str) -> dict[str, Any]:
    """A service-account key (as downloaded from Google Cloud) has these fields; say which is wrong."""
    if not isinstance(info, Mapping):
        raise ConfigError("sheets.bad_credentials", file=where, problem="not a JSON object")
    missing = [name for name in _REQUIRED if not info.get(name)]
    if missing:
        raise ConfigError("sheets.bad_credentials", file=where, problem="missing " + ", ".join(missing))
    if info["type"] != "service_account":
        raise ConfigError(
            "sheets.bad_credentials", file=where, problem=f"type is {info['type']!r}, not 'service_account'"
        )
    return dict(info)


# Where Streamlit apps conventionally keep a service account in ``.streamlit/secrets.toml``.
SECRETS_SECTIONS = (("gcp_service_account",), ("connections", "gsheets"))


def secrets_credentials(secrets: Mapping[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """``(spreadsheet, service-account info)`` from ``secrets.toml``'s ``[gcp_service_account]`` or
    ``[connections.gsheets]`` table (the latter may also name the spreadsheet); empty when absent."""
    for path in SECRETS_SECTIONS:
        node: Any = secrets
        for name in path:
            node = node.get(name) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping) and node:
            info = {k: v for k, v in node.items() if k != "spreadsheet"}
            return str(node.get("spreadsheet") or ""), info or None
    return "", None


def is_google(api_url: str) -> bool:
    return api_url.rstrip("/") == SHEETS_API_ORIGIN


@dataclass(frozen=True)
class Target:
    """Which spreadsheet, through which account: what error messages need to name."""

    key: str
    email: str | None = None


def resolve_credentials(
    credentials_file: Path | str | None, credentials_info: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, str]:
    """(service-account info, where it came from for messages): a key file wins over the secrets
    file's table; neither means no authentication (a fake or proxy API)."""
    if credentials_file is not None:
        return read_credentials(Path(credentials_file)), str(credentials_file)
    if credentials_info is not None:
        return check_credentials(credentials_info, "secrets.toml"), "secrets.toml"
    return None, ""


def build_client(
    api_url: str, credentials: Mapping[str, Any] | None, credentials_source: str, timeout: float
) -> gspread.Client:
    """A gspread client for ``api_url``; Google needs credentials, a fake or proxy does not."""
    if is_google(api_url):
        if credentials is None:
            raise ConfigError("sheets.no_credentials")
        from google.oauth2.service_account import Credentials

        try:
            creds = Credentials.from_service_account_info(dict(credentials), scopes=list(SCOPES))
        except (ValueError, KeyError) as exc:
            raise ConfigError("sheets.bad_credentials", file=credentials_source, problem=str(exc)) from exc
        client = gspread.Client(auth=creds)
    else:
        # no credentials: a fake server; gspread needs no ``auth`` when given a session
        client = gspread.Client(auth=None, session=redirecting_session(api_url))  # type: ignore[arg-type]
    client.set_timeout(timeout)
    return client


class SheetsApi:
    """The few Sheets API calls the store makes, each one HTTP request, counted by ``on_call``.

    One lock serialises calls: the background writer and a host's button may both use the client.
    """

    def __init__(
        self, client: gspread.Client, target: Target, on_call: Callable[[str], None] | None = None
    ) -> None:
        self.http = client.http_client
        self.target = target
        self.timeout = float(self.http.timeout or 0) if not isinstance(self.http.timeout, tuple) else 0.0
        self._on_call = on_call or (lambda kind: None)
        self._lock = threading.Lock()

    def _call(self, kind: str, fn: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            self._on_call(kind)
            return fn(self.target.key, *args)

    def metadata(self) -> Mapping[str, Any]:
        return self._call("read", self.http.fetch_sheet_metadata)

    def get(self, a1: str) -> list[list[Any]]:
        reply = self._call("read", self.http.values_get, a1)
        return list(reply.get("values", []))

    def batch_get(self, ranges: list[str]) -> list[list[list[Any]]]:
        reply = self._call("read", self.http.values_batch_get, ranges)
        return [list(vr.get("values", [])) for vr in reply.get("valueRanges", [])]

    def append(self, a1: str, rows: list[list[str]]) -> Mapping[str, Any]:
        """One ``values.append``: RAW (nothing evaluated), INSERT_ROWS (nothing overwritten)."""
        params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}
        return self._call("write", self.http.values_append, a1, params, {"values": rows})

    def update_rows(self, data: list[tuple[str, list[list[str]]]]) -> Mapping[str, Any]:
        """One ``values.batchUpdate`` writing each block at its range (RAW)."""
        body = {"valueInputOption": "RAW", "data": [{"range": a1, "values": rows} for a1, rows in data]}
        return self._call("write", self.http.values_batch_update, body)

    def add_sheets(self, titles: list[str], columns: int) -> Mapping[str, Any]:
        requests_ = [
            {
                "addSheet": {
                    "properties": {"title": t, "gridProperties": {"rowCount": 1000, "columnCount": columns}}
                }
            }
            for t in titles
        ]
        return self._call("write", self.http.batch_update, {"requests": requests_})

    def delete_rows(self, sheet_id: int, rows: list[int]) -> Mapping[str, Any]:
        """One ``batchUpdate`` deleting whole rows (1-based numbers, given bottom first)."""
        requests_ = [
            {
                "deleteDimension": {
                    "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": r - 1, "endIndex": r}
                }
            }
            for r in rows
        ]
        return self._call("write", self.http.batch_update, {"requests": requests_})

    def protect_columns(self, sheets: list[tuple[int, list[int]]], description: str) -> Mapping[str, Any]:
        """One ``batchUpdate`` adding warning-only protected ranges over these 0-based columns of
        each worksheet (one range per run of adjacent columns)."""
        requests_ = []
        for sheet_id, columns in sheets:
            for start, end in _runs(sorted(set(columns))):
                requests_.append(
                    {
                        "addProtectedRange": {
                            "protectedRange": {
                                "range": {
                                    "sheetId": sheet_id,
                                    "startColumnIndex": start,
                                    "endColumnIndex": end,
                                },
                                "description": description,
                                "warningOnly": True,
                            }
                        }
                    }
                )
        return self._call("write", self.http.batch_update, {"requests": requests_})


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 5, 6] -> [(0, 3), (5, 7)]: half-open runs of adjacent columns."""
    runs: list[tuple[int, int]] = []
    for c in columns:
        if runs and runs[-1][1] == c:
            runs[-1] = (runs[-1][0], c + 1)
        else:
            runs.append((c, c + 1))
    return runs


@dataclass(frozen=True)
class Failure:
    """What a failed call means: the error to show, how to react, and whether it may have landed.

    ``kind``: ``quota`` (429: wait and retry), ``transient`` (network, 5xx: retry), ``invalid`` (a 400,
    often a worksheet renamed under us: check the layout again) or ``setup`` (403/404/401: a person
    must act; retried slowly in case they do). ``settle``: after a timeout the request may still be
    running at Google; wait that long before checking whether it landed.
    """

    error: PartenariatError
    kind: str
    maybe_written: bool
    settle: float = 0.0


def _not_connected(exc: BaseException) -> bool:
    """True when the request never left: refused connection, DNS failure, connect timeout."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    import urllib3.exceptions as u3

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        err = todo.pop()
        if err is None or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, u3.NewConnectionError | u3.NameResolutionError | ConnectionRefusedError):
            return True
        todo.extend([getattr(err, "reason", None), err.__cause__, err.__context__])
        todo.extend(a for a in getattr(err, "args", ()) if isinstance(a, BaseException))
    return False


def classify(exc: BaseException, target: Target, timeout: float = 0.0) -> Failure:
    """Map any exception from a Sheets call to a :class:`Failure` (see its docstring)."""
    if isinstance(exc, PartenariatError):
        return Failure(exc, "setup", False)
    if isinstance(exc, gspread.exceptions.APIError):
        status = exc.response.status_code if exc.response is not None else int(exc.code or 0)
        message = str(exc.error.get("message", ""))[:200] if isinstance(exc.error, Mapping) else ""
        if status == 429 or (status == 403 and re.search(r"quota|rate ?limit", message, re.I)):
            return Failure(StoreUnavailable("sheets.quota"), "quota", False)
        if status == 401:
            return Failure(
                ConfigError("sheets.credentials_rejected", email=target.email or "?"), "setup", False
            )
        if status == 403:
            if target.email:
                err = ConfigError("sheets.not_shared", email=target.email, spreadsheet=target.key)
            else:
                err = ConfigError("sheets.not_shared_unknown", spreadsheet=target.key)
            return Failure(err, "setup", False)
        if status == 404:
            return Failure(ConfigError("sheets.not_found", spreadsheet=target.key), "setup", False)
        if status == 400:
            return Failure(
                StoreUnavailable("sheets.refused", status=status, problem=message), "invalid", False
            )
        if status == 408 or status >= 500 or status <= 0:
            return Failure(StoreUnavailable("sheets.server_error", status=status), "transient", True)
        return Failure(StoreUnavailable("sheets.refused", status=status, problem=message), "setup", False)
    if isinstance(exc, auth_errors.RefreshError):
        return Failure(ConfigError("sheets.credentials_rejected", email=target.email or "?"), "setup", False)
    if isinstance(exc, auth_errors.TransportError):
        return Failure(StoreUnavailable("sheets.no_network", problem=_short(exc)), "transient", False)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        # the request may still be running at Google: give it two timeouts before checking
        return Failure(
            StoreUnavailable("sheets.no_network", problem=_short(exc)), "transient", True, 2 * timeout
        )
    if isinstance(exc, requests.exceptions.RequestException | OSError):
        sent = not _not_connected(exc)
        return Failure(StoreUnavailable("sheets.no_network", problem=_short(exc)), "transient", sent)
    return Failure(StoreUnavailable("sheets.refused", status=0, problem=_short(exc)), "transient", True)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]
