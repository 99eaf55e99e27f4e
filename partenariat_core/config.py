"""Settings, from environment variables and ``.streamlit/secrets.toml``; the environment wins.

Each setting has one name. In the environment it is upper-case with the ``PARTENARIAT_`` prefix
(``PARTENARIAT_DATA_DIR``); in the secrets file it sits, lower-case, in a ``[partenariat]`` table
(``data_dir = "..."``), next to whatever else Streamlit keeps there. ``SETTINGS`` below is the single
list the README documents (a test keeps the two in step). A malformed value raises ``ConfigError``
naming the setting, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partenariat_core.errors import ConfigError, Translated
from partenariat_core.passcode import check_passcode_length

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "PARTENARIAT_"
STORES = ("sqlite", "sheets", "postgres")


@dataclass(frozen=True)
class Parser:
    """Turns a setting's text into its value; ``expected`` is what a valid value looks like, as a
    catalog key and parameters, so the error message is in the reader's language from end to end."""

    parse: Callable[[str], Any]
    expected: str
    params: dict[str, Any] = field(default_factory=dict)

    def __call__(self, raw: str) -> Any:
        return self.parse(raw)


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on", "oui"):
        return True
    if value in ("0", "false", "no", "off", "non"):
        return False
    raise ValueError(raw)


def _int_between(low: int, high: int) -> Parser:
    def parse(raw: str) -> int:
        value = int(str(raw).strip())
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return Parser(parse, "config.expect_int", {"low": low, "high": high})


def _seconds_between(low: float, high: float) -> Parser:
    """Seconds, halves allowed; the message (config.expect_seconds) spells ``low`` as 0,5 / 0.5."""

    def parse(raw: str) -> float:
        value = float(str(raw).strip().replace(",", "."))  # "0,5" as French speakers write it
        if not low <= value <= high:  # also refuses nan
            raise ValueError(raw)
        return value

    return Parser(parse, "config.expect_seconds", {"low": low, "high": high})


def _choice(*allowed: str) -> Parser:
    def parse(raw: str) -> str:
        value = str(raw).strip().lower()
        if value not in allowed:
            raise ValueError(raw)
        return value

    return Parser(parse, "config.expect_choice", {"choices": ", ".join(allowed)})


BOOL = Parser(_bool, "config.expect_bool")
TEXT = Parser(lambda raw: str(raw).strip(), "config.expect_text")
PATH = Parser(lambda raw: Path(str(raw).strip()).expanduser(), "config.expect_path")


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Parser
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        PATH,
        REPO_ROOT / "data",
        "Folder for all app data (SQLite file, passcode, outbox).",
    ),
    Setting(
        "store",
        _choice(*STORES),
        "sqlite",
        "Where responses live: `sqlite` (default), `sheets` or `postgres`.",
    ),
    Setting("sqlite_path", PATH, None, "SQLite file; default `<data_dir>/partenariat.db`."),
    Setting(
        "database_url",
        TEXT,
        None,
        "PostgreSQL backend: connection URL, `postgresql://user:password@host:5432/dbname`.",
    ),
    Setting(
        "host_passcode",
        TEXT,
        None,
        "Passcode for host and organiser pages; generated at first start if unset.",
    ),
    Setting(
        "public_url",
        TEXT,
        "http://localhost:8501",
        "Address phones use to reach the app (QR code links).",
    ),
    Setting(
        "refresh_seconds",
        _seconds_between(0.5, 60),
        0.5,
        "Projector refresh interval, seconds (0.5 to 60).",
    ),
    Setting("anonymity_threshold", _int_between(1, 50), 3, "Smallest group shown in sector breakdowns."),
    Setting("card_max_length", _int_between(20, 2000), 280, "Longest keep/throw card, in characters."),
    Setting("max_cards", _int_between(1, 500), 30, "Most cards one participant may post in a session."),
    Setting(
        "instruments_dir",
        PATH,
        None,
        "Extra folder of instrument files (e.g. the full 18-item questionnaire).",
    ),
    Setting("demo", BOOL, True, "Load the demo session at start when it is missing."),
    Setting("language", _choice("fr", "en"), "fr", "Default language of the interface."),
    Setting("sheets_spreadsheet", TEXT, None, "Google Sheets backend: spreadsheet URL or key."),
    Setting("sheets_credentials_file", PATH, None, "Google Sheets backend: service-account JSON file."),
    Setting(
        "sheets_api_url",
        TEXT,
        "https://sheets.googleapis.com",
        "Sheets API address (a local fake for demos and tests).",
    ),
    Setting(
        "sheets_outbox_path",
        PATH,
        None,
        "Google Sheets backend: local outbox of answers not yet in the sheet; default "
        "`<data_dir>/sheets_outbox.db`.",
    ),
    Setting(
        "sheets_read_seconds",
        _int_between(1, 60),
        2,
        "Google Sheets backend: shortest interval between two reads of the sheet (longer under quota).",
    ),
    Setting(
        "sheets_quota_per_minute",
        _int_between(1, 300),
        60,
        "Google Sheets backend: requests per minute per user that Google allows (reads and writes each).",
    ),
    Setting(
        "sheets_timeout_seconds", _int_between(1, 120), 10, "Google Sheets backend: timeout of one API call."
    ),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings, one typed attribute per entry of ``SETTINGS`` (a test keeps the two in step).
    Build with ``load_settings()``; tests pass their own ``env``."""

    data_dir: Path = REPO_ROOT / "data"
    store: str = "sqlite"
    sqlite_path: Path | None = None
    database_url: str | None = None
    host_passcode: str | None = None
    public_url: str = "http://localhost:8501"
    refresh_seconds: float = 0.5
    anonymity_threshold: int = 3
    card_max_length: int = 280
    max_cards: int = 30
    instruments_dir: Path | None = None
    demo: bool = True
    language: str = "fr"
    sheets_spreadsheet: str | None = None
    sheets_credentials_file: Path | None = None
    sheets_api_url: str = "https://sheets.googleapis.com"
    sheets_outbox_path: Path | None = None
    sheets_read_seconds: int = 2
    sheets_quota_per_minute: int = 60
    sheets_timeout_seconds: int = 10
    secrets: dict[str, Any] = field(default_factory=dict)  # the whole secrets file, for other sections

    @property
    def values(self) -> dict[str, Any]:
        """Every setting by name (what ``SETTINGS`` lists), for listings and tests."""
        return {s.name: getattr(self, s.name) for s in SETTINGS}

    @property
    def panel_refresh_seconds(self) -> float:
        """The host's remote controls and sort panel: once a second at the fastest. Screens refresh
        every half second so a card shows within a second; a panel the host is ticking need not, and
        each of its reruns may land between two taps."""
        return max(self.refresh_seconds, 1.0)

    @property
    def sqlite_file(self) -> Path:
        return self.sqlite_path or self.data_dir / "partenariat.db"


def read_secrets(path: Path) -> dict[str, Any]:
    """The secrets file as a dict, ``{}`` when absent; a broken file is an error, not a silent default."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError("error.config_file", file=str(path), problem=str(exc)) from exc


def _as_text(raw: Any) -> str:
    """TOML gives booleans and numbers; the parsers take text, as the environment gives."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def load_settings(env: Mapping[str, str] | None = None, secrets_file: Path | None = None) -> Settings:
    env = os.environ if env is None else env
    if secrets_file is None:
        secrets_file = Path(env.get(f"{ENV_PREFIX}SECRETS_FILE") or REPO_ROOT / ".streamlit" / "secrets.toml")
    secrets = read_secrets(secrets_file)
    section = secrets.get("partenariat", {})
    if not isinstance(section, dict):
        raise ConfigError(
            "error.config_file", file=str(secrets_file), problem="[partenariat] must be a table"
        )
    values: dict[str, Any] = {}
    for s in SETTINGS:
        env_name = ENV_PREFIX + s.name.upper()
        raw = env.get(env_name)
        where = env_name
        if raw is None or raw == "":
            raw, where = section.get(s.name), f"{secrets_file.name} [partenariat] {s.name}"
        if raw is None or raw == "":
            values[s.name] = s.default
            continue
        try:
            values[s.name] = s.parse(_as_text(raw))
        except (ValueError, TypeError):
            raise ConfigError(
                "error.config_value",
                name=where,
                value=str(raw),
                expected=Translated(s.parse.expected, s.parse.params),
            ) from None
    _check_host_passcode(values.get("host_passcode"), env, secrets_file)
    return Settings(**values, secrets=secrets)


def _check_host_passcode(passcode: str | None, env: Mapping[str, str], secrets_file: Path) -> None:
    """A configured host passcode must be long enough; the error names where it was set."""
    if passcode is None:
        return  # none configured: one is generated (partenariat_core.passcode)
    name = ENV_PREFIX + "HOST_PASSCODE"
    if not env.get(name):
        name = f"{secrets_file.name} [partenariat] host_passcode"
    check_passcode_length(passcode, name)
