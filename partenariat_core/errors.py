"""The project's exceptions.

Every error a person can see carries a catalog key and parameters rather than a ready-made sentence,
so the page that catches it can say it in the user's language::

    PartenariatError
     ├── InstrumentError        an instrument file is invalid (names the file and the field)
     ├── ConfigError            a setting is missing or malformed
     ├── SessionError           unknown, closed or duplicate session code
     ├── RejectedInput          a participant's answer was refused (too long, empty, bad value…)
     ├── AccessDenied           wrong host passcode
     └── StoreUnavailable       the backend cannot be reached right now

Pages catch ``PartenariatError`` and show ``err.message(lang)``; nothing else should leak to a person.
"""

from __future__ import annotations

from typing import Any


class PartenariatError(Exception):
    """Base class: a translatable message key plus its parameters."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)

    def message(self, lang: str = "fr") -> str:
        """The error in the person's language, from the catalog."""
        from partenariat_core.i18n import t  # local import: i18n itself raises ConfigError

        return t(self.key, lang, **self.params)


class InstrumentError(PartenariatError):
    """An instrument definition file is invalid; ``file`` and ``field`` say exactly where, and the
    catalog key (``error.instrument_unknown_field``…) with its parameters says what, so the whole
    sentence is in the reader's language."""

    key = "error.instrument"

    def __init__(self, file: str, field: str, key: str = "error.instrument", **params: Any) -> None:
        super().__init__(key, file=file, field=field, **params)
        self.file, self.field = file, field

    def __str__(self) -> str:  # developers read this in tracebacks and logs
        return self.message("en")


class ConfigError(PartenariatError):
    key = "error.config"


class SessionError(PartenariatError):
    key = "error.session_unknown"


class RejectedInput(PartenariatError):
    key = "error.rejected"


class AccessDenied(PartenariatError):
    key = "error.passcode"


class StoreUnavailable(PartenariatError):
    key = "error.store_unavailable"
