"""Read and validate instrument files.

Instruments are data, in the spirit of XLSForm: a host can add a variant (the full 18-item diagnostic
questionnaire, another scale) by dropping a TOML file in a folder, without a developer. So the loader is
strict and speaks plainly: every problem raises ``InstrumentError`` naming the file and the field
(``conditions.toml: items[3].condition: unknown condition 'C9'``), and a folder with one bad file loads
nothing at all rather than a half set.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from partenariat_core.errors import InstrumentError
from partenariat_core.i18n import LANGUAGES
from partenariat_core.instruments.model import (
    Choice,
    Instrument,
    Item,
    Preset,
    Scale,
    ScaleLevel,
)

BUILTIN_DIR = Path(__file__).parent
KINDS = ("keep_throw", "conditions", "continuum", "profile")


class _Reader:
    """Typed access to one file's table; each failure names the file and the dotted field path."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, problem: str) -> InstrumentError:
        return InstrumentError(self.file, path, problem)

    def table(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(path, "expected a table")
        return data

    def text(self, data: dict[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{path}{key}", "missing or empty text")
        return value.strip()

    def ident(self, data: dict[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path)
        if not value.replace("_", "").replace("-", "").isalnum() or not value.isascii():
            raise self.fail(f"{path}{key}", f"'{value}' is not a valid id (ASCII letters, digits, _ -)")
        return value

    def labels(self, data: dict[str, Any], key: str, path: str, required: bool = True) -> dict:
        value = data.get(key)
        if value is None and not required:
            return {}
        value = self.table(value, f"{path}{key}")
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                name = {"fr": "French", "en": "English"}[lang]
                raise self.fail(f"{path}{key}.{lang}", f"missing {name} label")
        return {lang: value[lang].strip() for lang in LANGUAGES}

    def array(self, data: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{path}{key}", "expected a non-empty list")
        return [self.table(v, f"{path}{key}[{i}]") for i, v in enumerate(value)]

    def unique(self, ids: Iterable[str], path: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                raise self.fail(f"{path}[{i}].id", f"duplicate id '{ident}'")
            seen.add(ident)

    def choices(self, data: dict[str, Any], key: str, path: str = "") -> tuple[Choice, ...]:
        rows = self.array(data, key, path)
        out = []
        for i, row in enumerate(rows):
            here = f"{path}{key}[{i}]."
            rank = row.get("rank", i + 1)
            if not isinstance(rank, int):
                raise self.fail(f"{here}rank", "expected a whole number")
            out.append(
                Choice(
                    id=self.ident(row, "id", here),
                    label=self.labels(row, "label", here),
                    definition=self.labels(row, "definition", here, required=False),
                    rank=rank,
                    short=self.labels(row, "short", here, required=False),
                )
            )
        self.unique((c.id for c in out), f"{path}{key}")
        return tuple(out)


def _scale(r: _Reader, data: dict[str, Any]) -> Scale:
    scale = r.table(data.get("scale"), "scale")
    levels = []
    for i, row in enumerate(r.array(scale, "levels", "scale.")):
        here = f"scale.levels[{i}]."
        value = row.get("value")
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise r.fail(f"{here}value", "missing answer value")
        if value == Scale.DONT_KNOW:
            raise r.fail(f"{here}value", f"'{Scale.DONT_KNOW}' is reserved for the don't-know answer")
        score = row.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise r.fail(f"{here}score", "expected a number")
        levels.append(ScaleLevel(value.strip(), float(score), r.labels(row, "label", here)))
    seen = [level.value for level in levels]
    if len(set(seen)) != len(seen):
        raise r.fail("scale.levels", "duplicate answer value")
    return Scale(tuple(levels), r.labels(scale, "dont_know", "scale."))


def _conditions_parts(r: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    conditions = r.choices(data, "conditions")
    known = {c.id for c in conditions}
    items = []
    for i, row in enumerate(r.array(data, "items", "")):
        here = f"items[{i}]."
        condition = r.text(row, "condition", here)
        if condition not in known:
            raise r.fail(f"{here}condition", f"unknown condition '{condition}'")
        items.append(Item(r.ident(row, "id", here), condition, r.labels(row, "text", here)))
    r.unique((item.id for item in items), "items")
    for c in conditions:
        if not any(item.condition == c.id for item in items):
            raise r.fail("items", f"condition '{c.id}' has no item")
    return {
        "scale": _scale(r, data),
        "conditions": conditions,
        "items": tuple(items),
        "score_note": r.labels(data, "score_note", "", required=False),
    }


def _presets(r: _Reader, data: dict[str, Any]) -> tuple[Preset, ...]:
    presets = []
    for i, row in enumerate(r.array(data, "presets", "")):
        here = f"presets[{i}]."
        presets.append(
            Preset(
                r.ident(row, "id", here),
                r.labels(row, "label", here),
                r.choices(row, "columns", here),
            )
        )
    r.unique((p.id for p in presets), "presets")
    return tuple(presets)


def parse_instrument(data: dict[str, Any], file: str) -> Instrument:
    """Validate one decoded file. ``file`` is only used in error messages."""
    r = _Reader(file)
    data = r.table(data, "(file)")
    kind = r.text(data, "kind", "")
    if kind not in KINDS:
        raise r.fail("kind", f"unknown answer type '{kind}' (expected one of: {', '.join(KINDS)})")
    parts: dict[str, Any] = {}
    if kind == "keep_throw":
        parts["presets"] = _presets(r, data)
    elif kind == "conditions":
        parts.update(_conditions_parts(r, data))
    elif kind == "continuum":
        parts["levels"] = r.choices(data, "levels")
        parts["questions"] = r.choices(data, "questions")
    else:
        parts["sectors"] = r.choices(data, "sectors")
    return Instrument(
        id=r.ident(data, "id", ""),
        kind=kind,
        title=r.labels(data, "title", ""),
        prompt=r.labels(data, "prompt", "", required=False),
        source=file,
        **parts,
    )


def load_file(path: Path) -> Instrument:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(path.name, "(syntax)", str(exc)) from exc
    except OSError as exc:
        raise InstrumentError(path.name, "(file)", exc.strerror or str(exc)) from exc
    return parse_instrument(data, path.name)


def load_instruments(*folders: Path) -> dict[str, Instrument]:
    """Every ``*.toml`` of the built-in folder and of ``folders``, all or nothing.

    Later folders may add instruments but not silently replace one: a duplicate id is an error,
    because two files answering to one id would make stored answers ambiguous.
    """
    found: dict[str, Instrument] = {}
    for folder in (BUILTIN_DIR, *folders):
        if not folder.is_dir():
            raise InstrumentError(str(folder), "(folder)", "folder not found")
        for path in sorted(folder.glob("*.toml")):
            instrument = load_file(path)
            if instrument.id in found:
                other = found[instrument.id].source
                raise InstrumentError(
                    path.name, "id", f"duplicate instrument id '{instrument.id}' (also in {other})"
                )
            found[instrument.id] = instrument
    return found
