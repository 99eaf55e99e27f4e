"""Stores: one protocol, several backends, chosen by the ``store`` setting.

``BACKENDS`` maps a setting value to a factory taking ``Settings``; built-in backends register here
exactly as a new one would.
"""

from __future__ import annotations

from collections.abc import Callable

from partenariat_core.config import Settings
from partenariat_core.errors import ConfigError
from partenariat_core.store.base import Store
from partenariat_core.store.sqlite import SQLiteStore


def _sqlite(settings: Settings) -> Store:
    return SQLiteStore(settings.sqlite_file)


def _sheets(settings: Settings) -> Store:
    from partenariat_core.store.sheets import SheetsStore  # gspread is only loaded when chosen

    return SheetsStore.from_settings(settings)


def _postgres(settings: Settings) -> Store:
    if not settings.database_url:
        raise ConfigError(
            "error.config_value",
            name="PARTENARIAT_DATABASE_URL",
            value="",
            expected="postgresql://user:password@host:5432/dbname",
        )
    from partenariat_core.store.postgres import PostgresStore  # psycopg is only loaded when chosen

    return PostgresStore(settings.database_url)


BACKENDS: dict[str, Callable[[Settings], Store]] = {
    "sqlite": _sqlite,
    "sheets": _sheets,
    "postgres": _postgres,
}


def open_store(settings: Settings) -> Store:
    try:
        factory = BACKENDS[settings.store]
    except KeyError:
        raise ConfigError(
            "error.config_value",
            name="PARTENARIAT_STORE",
            value=settings.store,
            expected=", ".join(BACKENDS),
        ) from None
    return factory(settings)


__all__ = ["BACKENDS", "SQLiteStore", "Store", "open_store"]
