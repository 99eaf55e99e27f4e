"""The one text catalog: every word a person sees, in French (default) and English.

The catalog is a TOML file (``catalog.toml``) whose tables are keys and whose leaves hold one string per
language, so a translator sees both languages side by side::

    [join.title]
    fr = "Rejoindre l'atelier"
    en = "Join the workshop"

Strings use ``str.format`` placeholders (``{count}``). A missing key is a bug, not something to hide, so
``t`` raises ``KeyError``; tests check that every key exists in every language.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# Each language named in itself (endonyms), the same whatever the interface language.
LANGUAGE_NAMES: dict[str, str] = {"fr": "Français", "en": "English"}
CATALOG_PATH = Path(__file__).with_name("catalog.toml")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and set(value) & set(LANGUAGES):
            out[key] = value
        elif isinstance(value, dict):
            out.update(_flatten(value, f"{key}."))
        else:
            raise ValueError(f"{CATALOG_PATH.name}: {key}: expected a table of languages")
    return out


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All entries, flattened to dotted keys. Cached: the file is read once per process."""
    with CATALOG_PATH.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def normalize_language(lang: str | None) -> str:
    """Any language tag (``en-CA``, ``EN``, ``None``) to one we support, French when unsure."""
    if not lang:
        return DEFAULT_LANGUAGE
    short = str(lang).strip().lower()[:2]
    return short if short in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``key`` in ``lang``, with ``params`` filled in."""
    entry = catalog()[key]
    text = entry.get(normalize_language(lang)) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def plural_form(count: int, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """``"one"`` or ``"other"``, by each language's rule: French says 0 and 1 in the singular
    ("0 seconde", "1 seconde"), English only 1 ("0 seconds", "1 second")."""
    if normalize_language(lang) == "fr":
        return "one" if count in (0, 1) else "other"
    return "one" if count == 1 else "other"


def t_count(key: str, count: int, lang: str | None = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``key.one`` or ``key.other`` as ``count`` needs, with ``{count}`` and ``params``."""
    return t(f"{key}.{plural_form(count, lang)}", lang, count=count, **params)


def label(labels: dict[str, str], lang: str | None) -> str:
    """Pick a language from a bilingual label found in data (instrument files, presets)."""
    lang = normalize_language(lang)
    return labels.get(lang) or labels.get(DEFAULT_LANGUAGE) or next(iter(labels.values()), "")
