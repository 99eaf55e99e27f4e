"""The text catalog: both languages everywhere, and no key used in code that the catalog lacks."""

from __future__ import annotations

import re
import string
from pathlib import Path

from partenariat_core.i18n import LANGUAGES, catalog, t

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *ROOT.glob("app.py"),
    *ROOT.glob("pages/*.py"),
    *ROOT.glob("ui/*.py"),
    *ROOT.glob("partenariat_core/**/*.py"),
]
# Every table of the catalog is a prefix a key may start with: a new table (agenda, screen…) is then
# checked too, instead of slipping past a list written by hand.
TABLES = sorted({key.split(".", 1)[0] for key in catalog()})
KEY = re.compile(r"""["']((?:""" + "|".join(TABLES) + r""")\.[a-z0-9_]+)["']""")


def test_every_entry_has_french_and_english_with_the_same_placeholders():
    for key, entry in catalog().items():
        assert set(entry) == set(LANGUAGES), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in LANGUAGES]
        assert fields[0] == fields[1], key
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_every_key_used_in_the_code_exists():
    used = {m for path in SOURCES for m in KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 50  # the scan itself works
    known = set(catalog())
    plurals = {key.rsplit(".", 1)[0] for key in known if key.endswith((".one", ".other"))}
    assert all(f"{key}.one" in known and f"{key}.other" in known for key in plurals)  # t_count needs both
    assert sorted(used - known - plurals) == []


def test_french_is_the_default_and_unknown_languages_fall_back_to_it():
    assert t("join.title") == "Rejoindre l'atelier"
    assert t("join.title", "en-CA") == "Join the workshop"
    assert t("join.title", "de") == t("join.title", "fr")


def test_pages_contain_no_inline_french():
    """Words a person sees come from the catalog; a French literal in a page is a bug."""
    accented = re.compile(r"""["'][^"'\n]*[éèêàçôùÉÈ][^"'\n]*["']""")
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]:
        hits = [line for line in path.read_text(encoding="utf-8").splitlines() if accented.search(line)]
        assert hits == [], f"{path.name}: {hits}"
