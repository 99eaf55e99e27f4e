"""Read and validate instrument files.

Instruments are data, in the spirit of XLSForm: a host can add a variant (the full 18-item diagnostic
questionnaire, another scale) by dropping a TOML file in a folder, without a developer. So the loader is
strict and speaks plainly: every problem raises ``InstrumentError`` naming the file and the field
(``conditions.toml: items[3].condition: unknown condition 'C9'``), a key the format does not define is
refused rather than ignored (a typo ``promt`` would otherwise silently leave the label empty), and a
folder with one bad file loads nothing at all rather than a half set. Problems are catalog keys with
parameters (``error.instrument_*``), so the whole message is in the reader's language.

Checked by hand rather than with a schema library: the rules that matter most here (a condition that
exists, ids unique, the continuum's now/desired pair) cross fields anyway, and a hand check names the
field exactly and picks the catalog sentence directly.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from partenariat_core.errors import InstrumentError
from partenariat_core.i18n import LANGUAGES
from partenariat_core.instruments.fieldkinds import GRID_FIELDS, TIMELINE_FIELDS, grid_parts, timeline_parts
from partenariat_core.instruments.model import (
    Choice,
    Instrument,
    Item,
    Preset,
    Scale,
    ScaleLevel,
)

BUILTIN_DIR = Path(__file__).parent
FIELD_KINDS = ("timeline", "grid")  # the field's instruments (``fieldkinds``)
KINDS = ("keep_throw", "conditions", "continuum", "profile", *FIELD_KINDS)

# Every key the file format defines, per table. Anything else is refused, naming the field.
COMMON_FIELDS = ("id", "kind", "title", "short", "prompt")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "keep_throw": ("presets",),
    "conditions": ("score_note", "scale", "conditions", "items"),
    "continuum": ("levels", "questions"),
    "profile": ("sectors",),
    "timeline": TIMELINE_FIELDS,
    "grid": GRID_FIELDS,
}
CHOICE_FIELDS = ("id", "label", "definition", "rank", "short")
PRESET_FIELDS = ("id", "label", "columns")
SCALE_FIELDS = ("dont_know", "levels")
LEVEL_FIELDS = ("value", "score", "label")
ITEM_FIELDS = ("id", "condition", "text")
# Scoring pairs the first continuum question (where the partnership is) with the second (where it
# should be): the file must say exactly that.
CONTINUUM_QUESTIONS = ("now", "desired")
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


class _Reader:
    """Typed access to one file's table; each failure names the file and the dotted field path."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, key: str, **params: Any) -> InstrumentError:
        return InstrumentError(self.file, path, key, **params)

    def table(self, data: Any, path: str, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """``data`` as a table; with ``fields``, any other key is refused (listing the expected)."""
        if not isinstance(data, dict):
            raise self.fail(path, "error.instrument_not_table")
        if fields is not None:
            allowed = tuple(fields)
            for key in data:
                if key not in allowed:
                    where = f"{path}.{key}" if path else str(key)
                    raise self.fail(where, "error.instrument_unknown_field", expected=", ".join(allowed))
        return data

    def text(self, data: dict[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{path}{key}", "error.instrument_not_text")
        if value is None or not value.strip():
            raise self.fail(f"{path}{key}", "error.instrument_missing_text")
        return value.strip()

    def ident(self, data: dict[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path)
        if not value.replace("_", "").replace("-", "").isalnum() or not value.isascii():
            raise self.fail(f"{path}{key}", "error.instrument_bad_id", value=value)
        return value

    def labels(self, data: dict[str, Any], key: str, path: str, required: bool = True) -> dict:
        value = data.get(key)
        if value is None and not required:
            return {}
        value = self.table(value, f"{path}{key}", LANGUAGES)
        for lang in LANGUAGES:
            if value.get(lang) is not None and not isinstance(value[lang], str):
                raise self.fail(f"{path}{key}.{lang}", "error.instrument_not_text")
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(f"{path}{key}.{lang}", "error.instrument_missing_label")
        return {lang: value[lang].strip() for lang in LANGUAGES}

    def array(self, data: dict[str, Any], key: str, path: str, fields: Iterable[str]) -> list[dict[str, Any]]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{path}{key}", "error.instrument_not_list")
        allowed = tuple(fields)
        return [self.table(v, f"{path}{key}[{i}]", allowed) for i, v in enumerate(value)]

    def unique(self, ids: Iterable[str], path: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                raise self.fail(f"{path}[{i}].id", "error.instrument_duplicate_id", value=ident)
            seen.add(ident)

    def choices(self, data: dict[str, Any], key: str, path: str = "") -> tuple[Choice, ...]:
        rows = self.array(data, key, path, CHOICE_FIELDS)
        out = []
        for i, row in enumerate(rows):
            here = f"{path}{key}[{i}]."
            rank = row.get("rank", i + 1)
            if isinstance(rank, bool) or not isinstance(rank, int):
                raise self.fail(f"{here}rank", "error.instrument_not_whole_number")
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
    scale = r.table(data.get("scale"), "scale", SCALE_FIELDS)
    levels = []
    for i, row in enumerate(r.array(scale, "levels", "scale.", LEVEL_FIELDS)):
        here = f"scale.levels[{i}]."
        value = row.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise r.fail(f"{here}value", "error.instrument_missing_value")
        if value.strip() == Scale.DONT_KNOW:
            raise r.fail(f"{here}value", "error.instrument_reserved_value", value=Scale.DONT_KNOW)
        score = row.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
            raise r.fail(f"{here}score", "error.instrument_not_number")  # TOML allows nan and inf
        levels.append(ScaleLevel(value.strip(), float(score), r.labels(row, "label", here)))
    seen: set[str] = set()
    for i, level in enumerate(levels):
        if level.value in seen:
            raise r.fail(f"scale.levels[{i}].value", "error.instrument_duplicate_value", value=level.value)
        seen.add(level.value)
    return Scale(tuple(levels), r.labels(scale, "dont_know", "scale."))


def _conditions_parts(r: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    conditions = r.choices(data, "conditions")
    known = {c.id for c in conditions}
    items = []
    for i, row in enumerate(r.array(data, "items", "", ITEM_FIELDS)):
        here = f"items[{i}]."
        condition = r.text(row, "condition", here)
        if condition not in known:
            raise r.fail(f"{here}condition", "error.instrument_unknown_condition", value=condition)
        items.append(Item(r.ident(row, "id", here), condition, r.labels(row, "text", here)))
    r.unique((item.id for item in items), "items")
    for c in conditions:
        if not any(item.condition == c.id for item in items):
            raise r.fail("items", "error.instrument_condition_without_item", value=c.id)
    return {
        "scale": _scale(r, data),
        "conditions": conditions,
        "items": tuple(items),
        "score_note": r.labels(data, "score_note", "", required=False),
    }


def _continuum_parts(r: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    levels = r.choices(data, "levels")
    for i in range(1, len(levels)):
        if levels[i].rank <= levels[i - 1].rank:  # each level adds to the previous: ranks climb
            raise r.fail(f"levels[{i}].rank", "error.instrument_rank_order", previous=levels[i - 1].rank)
    questions = r.choices(data, "questions")
    found = tuple(q.id for q in questions)
    if found != CONTINUUM_QUESTIONS:
        raise r.fail(
            "questions",
            "error.instrument_continuum_questions",
            expected=", ".join(CONTINUUM_QUESTIONS),
            found=", ".join(found),
        )
    return {"levels": levels, "questions": questions}


def _presets(r: _Reader, data: dict[str, Any]) -> tuple[Preset, ...]:
    presets = []
    for i, row in enumerate(r.array(data, "presets", "", PRESET_FIELDS)):
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
        raise r.fail("kind", "error.instrument_unknown_kind", value=kind, expected=", ".join(KINDS))
    r.table(data, "", (*COMMON_FIELDS, *KIND_FIELDS[kind]))
    parts: dict[str, Any] = {}
    if kind == "keep_throw":
        parts["presets"] = _presets(r, data)
    elif kind == "conditions":
        parts.update(_conditions_parts(r, data))
    elif kind == "continuum":
        parts.update(_continuum_parts(r, data))
    elif kind == "timeline":
        parts.update(timeline_parts(r, data))
    elif kind == "grid":
        parts.update(grid_parts(r, data))
    else:
        parts["sectors"] = r.choices(data, "sectors")
    return Instrument(
        id=r.ident(data, "id", ""),
        kind=kind,
        title=r.labels(data, "title", ""),
        short=r.labels(data, "short", "", required=False),
        prompt=r.labels(data, "prompt", "", required=False),
        source=file,
        **parts,
    )


def load_file(path: Path) -> Instrument:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))  # tomllib's own text is English: keep only the place
        if place is None:
            raise InstrumentError(path.name, "(syntax)", "error.instrument_syntax") from exc
        line, column = (int(n) for n in place.groups())
        raise InstrumentError(
            path.name, "(syntax)", "error.instrument_syntax_at", line=line, column=column
        ) from exc
    except OSError as exc:
        raise InstrumentError(path.name, "(file)", "error.instrument_unreadable") from exc
    return parse_instrument(data, path.name)


def load_instruments(*folders: Path) -> dict[str, Instrument]:
    """Every ``*.toml`` of the built-in folder and of ``folders``, all or nothing.

    Later folders may add instruments but not silently replace one: a duplicate id is an error,
    because two files answering to one id would make stored answers ambiguous.
    """
    return {ident: instrument for ident, (instrument, _folder) in instrument_folders(*folders).items()}


def instrument_folders(*folders: Path) -> dict[str, tuple[Instrument, Path]]:
    """``load_instruments`` with the folder each instrument came from (``BUILTIN_DIR``: shipped)."""
    found: dict[str, tuple[Instrument, Path]] = {}
    for folder in (BUILTIN_DIR, *folders):
        if not folder.is_dir():
            raise InstrumentError(str(folder), "(folder)", "error.instrument_no_folder")
        for path in sorted(folder.glob("*.toml")):
            instrument = load_file(path)
            if instrument.id in found:
                other = found[instrument.id][0].source
                raise InstrumentError(
                    path.name, "id", "error.instrument_duplicate_instrument", value=instrument.id, other=other
                )
            found[instrument.id] = (instrument, folder)
    return found
