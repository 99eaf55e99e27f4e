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

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Translated:
    """A parameter that is itself a catalog text (``expected: a whole number from 1 to 60``), so a
    message is in one language from end to end instead of an English fragment in a French sentence."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


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

        params = {
            name: t(value.key, lang, **value.params) if isinstance(value, Translated) else value
            for name, value in self.params.items()
        }
        return t(self.key, lang, **params)

    def host_message(self, lang: str = "fr") -> str:
        """What the host page and the console show; the same as ``message`` unless a subclass knows
        more than a participant should be told."""
        return self.message(lang)


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
    """``message`` is for everyone (participants: "try again in a moment"); ``host_message`` adds
    what is wrong with which file or server, for the host page and the console."""

    key = "error.store_unavailable"

    def host_message(self, lang: str = "fr") -> str:
        detail = self.params.get("detail")
        if not isinstance(detail, Translated):
            return self.message(lang)
        from partenariat_core.i18n import t

        return t(
            "error.store_host", lang, message=self.message(lang), detail=t(detail.key, lang, **detail.params)
        )
