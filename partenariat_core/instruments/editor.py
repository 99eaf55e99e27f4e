"""The activity editor's core (issue 11.2): a host's form values → an instrument file, and back.

The page collects plain values (titles, columns, questions, options) in a :class:`Draft`; this module
turns them into TOML text with ``tomli_w`` and runs that text through the very loader every file goes
through (``loader.parse_text``), so an activity made here obeys the same rules as a file in a folder,
and a mistake comes back as the loader's ``InstrumentError`` naming the field. Saving writes
``<data dir>/instruments/<id>.toml`` (owner-only, atomically); the id is a slug made here from the
title, never a path typed by a person.

Labels may be typed in French, English or both: a label given in one language is used for the other
(the loader wants both), so a host writing in French only still gets a valid file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from partenariat_core.errors import InstrumentError
from partenariat_core.instruments.loader import BUILTIN_DIR, load_file, parse_text
from partenariat_core.instruments.model import Choice, Instrument

# A definition is also kept in a session's events (``session_copy``): one Google Sheets cell holds
# 50,000 characters, so no activity file may be longer.
MAX_CHARS = 50_000
MAX_UPLOAD_BYTES = 4 * MAX_CHARS  # UTF-8: at most 4 bytes a character; read no more than that
COLUMNS = (1, 6)
EDITOR_KINDS = ("keep_throw", "conditions", "choice", "open", "profile")
SCALES = ("abc", "agree5", "custom")  # the published tool's A/B/C, 1-5 agreement, the host's own
_SCALE_FILES = {"abc": "conditions.toml", "agree5": "conditions_1to5.toml"}
BOARD_PRESET = "columns"  # an editor board has one preset: its own columns


@dataclass
class Text:
    """A label as typed: French, English, or both."""

    fr: str = ""
    en: str = ""

    def labels(self) -> dict[str, str] | None:
        """Both languages (one filling in for the other), or None when nothing was typed."""
        fr, en = " ".join(self.fr.split()), " ".join(self.en.split())
        if not fr and not en:
            return None
        return {"fr": fr or en, "en": en or fr}

    @classmethod
    def of(cls, labels: Mapping[str, str]) -> Text:
        return cls(labels.get("fr", ""), labels.get("en", ""))


@dataclass
class Row:
    """A column, an option, a sector, a rating question; ``id`` is kept when editing (answers are
    stored under it), empty for a new row."""

    text: Text = field(default_factory=Text)
    id: str = ""


@dataclass
class Heading:
    """Rating questions grouped under a heading (a "condition" in the file)."""

    title: Text = field(default_factory=Text)
    items: list[Row] = field(default_factory=list)
    id: str = ""


@dataclass
class Draft:
    """Everything the editor's form holds, for every kind it makes."""

    kind: str
    title: Text = field(default_factory=Text)
    prompt: Text = field(default_factory=Text)
    id: str = ""  # empty: made from the title when first saved
    rows: list[Row] = field(default_factory=list)  # board columns, choice options, sectors
    headings: list[Heading] = field(default_factory=list)  # rating questions
    scale: str = "abc"
    levels: list[Text] = field(default_factory=list)  # the host's own scale, highest first
    dont_know: bool = True
    multiple: bool = False
    max_length: int = 280


def slug(text: str, fallback: str = "activite") -> str:
    """An ASCII id from a title: ``Qu'est-ce qu'on garde ?`` → ``qu_est_ce_qu_on_garde``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40].strip("_")
    return plain or fallback


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3``… the first one not ``taken``."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}_{n}" in taken:
        n += 1
    return f"{wanted}_{n}"


def _fail(file: str, path: str, key: str, **params: Any) -> InstrumentError:
    return InstrumentError(file, path, key, **params)


def _labels(text: Text, file: str, path: str, *, required: bool = True) -> dict[str, str] | None:
    labels = text.labels()
    if labels is None and required:
        raise _fail(file, f"{path}.fr", "error.instrument_missing_label")
    return labels


def _choices(rows: list[Row], prefix: str, file: str, path: str) -> list[dict[str, Any]]:
    """Typed rows as file choices; blank rows are dropped, ids kept or made (``prefix1``…)."""
    kept = [row for row in rows if row.text.labels() is not None]
    taken = {row.id for row in kept if row.id}
    out = []
    n = 0
    for row in kept:
        ident = row.id
        if not ident:
            n += 1
            while f"{prefix}{n}" in taken:
                n += 1
            ident = f"{prefix}{n}"
            taken.add(ident)
        out.append({"id": ident, "label": row.text.labels()})
    return out


def _scale(draft: Draft, file: str) -> dict[str, Any]:
    if draft.scale in _SCALE_FILES:
        shipped = load_file(BUILTIN_DIR / _SCALE_FILES[draft.scale]).scale
        assert shipped is not None
        levels = [{"value": lv.value, "score": lv.score, "label": dict(lv.label)} for lv in shipped.levels]
        dont_know = dict(shipped.dont_know)
    elif draft.scale == "custom":
        typed = [t.labels() for t in draft.levels]
        named = [labels for labels in typed if labels is not None]
        if len(named) < 2:
            raise _fail(
                file, "scale.levels", "error.instrument_option_count", low=2, high=12, count=len(named)
            )
        top = len(named)
        levels = [
            {"value": str(top - i), "score": top - i, "label": labels} for i, labels in enumerate(named)
        ]
        dont_know = {"fr": "Je ne sais pas", "en": "Don't know"}
    else:
        raise _fail(
            file, "scale", "error.instrument_unknown_kind", value=draft.scale, expected=", ".join(SCALES)
        )
    scale: dict[str, Any] = {"dont_know": dont_know, "levels": levels}
    if not draft.dont_know:
        scale["offer_dont_know"] = False
    return scale


def draft_data(draft: Draft, ident: str) -> dict[str, Any]:
    """The file's table for ``draft`` under id ``ident``; what the loader checks comes after."""
    file = f"{ident}.toml"
    if draft.kind not in EDITOR_KINDS:
        raise _fail(
            file, "kind", "error.instrument_unknown_kind", value=draft.kind, expected=", ".join(EDITOR_KINDS)
        )
    data: dict[str, Any] = {"id": ident, "kind": draft.kind}
    title = _labels(draft.title, file, "title")
    data["title"] = title
    prompt = draft.prompt.labels()
    if prompt is not None:
        data["prompt"] = prompt
    if draft.kind == "keep_throw":
        columns = _choices(draft.rows, "col", file, "presets[0].columns")
        low, high = COLUMNS
        if not low <= len(columns) <= high:
            raise _fail(
                file,
                "presets[0].columns",
                "error.instrument_column_count",
                low=low,
                high=high,
                count=len(columns),
            )
        data["presets"] = [{"id": BOARD_PRESET, "label": title, "columns": columns}]
    elif draft.kind == "conditions":
        data["scale"] = _scale(draft, file)
        headings, items = [], []
        kept = [
            h for h in draft.headings if h.title.labels() is not None or any(r.text.labels() for r in h.items)
        ]
        taken = {h.id for h in kept if h.id}
        n = 0
        for i, heading in enumerate(kept):
            hid = heading.id
            if not hid:
                n += 1
                while f"H{n}" in taken:
                    n += 1
                hid = f"H{n}"
                taken.add(hid)
            headings.append({"id": hid, "label": _labels(heading.title, file, f"conditions[{i}].label")})
            for row in _choices(heading.items, f"{hid.lower()}_q", file, "items"):
                items.append({"id": row["id"], "condition": hid, "text": row["label"]})
        data["conditions"] = headings
        data["items"] = items
    elif draft.kind == "choice":
        data["options"] = _choices(draft.rows, "o", file, "options")
        data["multiple"] = bool(draft.multiple)
    elif draft.kind == "open":
        data["max_length"] = int(draft.max_length)
    elif draft.kind == "profile":
        data["sectors"] = _choices(draft.rows, "s", file, "sectors")
    return data


def to_toml(data: Mapping[str, Any]) -> str:
    return tomli_w.dumps(dict(data))


def check_text(text: str, file: str) -> Instrument:
    """The loader's verdict on a file's text, plus the one rule of the editor's own: its length."""
    if len(text) > MAX_CHARS:
        raise _fail(file, "(file)", "error.instrument_too_big", size=len(text), limit=MAX_CHARS)
    return parse_text(text, file)


def build(draft: Draft, taken: set[str]) -> tuple[Instrument, str]:
    """The instrument and its TOML text for ``draft``. A new draft gets an id from its title that no
    other activity has (``taken``); an edited one keeps its id. Raises ``InstrumentError``."""
    ident = draft.id or unique_id(slug(_title_text(draft)), taken)
    text = to_toml(draft_data(draft, ident))
    return check_text(text, f"{ident}.toml"), text


def _title_text(draft: Draft) -> str:
    labels = draft.title.labels() or {}
    return labels.get("fr") or labels.get("en") or ""


# From an activity back to the form, to edit or duplicate it ------------------------------------------


def _rows(choices: tuple[Choice, ...]) -> list[Row]:
    return [Row(Text.of(c.label), c.id) for c in choices]


def draft_of(instrument: Instrument) -> Draft:
    """The form values of an activity, so the editor opens it as it is. Kinds the editor does not make
    (``continuum``) raise ``InstrumentError`` naming the kind."""
    if instrument.kind not in EDITOR_KINDS:
        raise _fail(
            instrument.source,
            "kind",
            "error.instrument_unknown_kind",
            value=instrument.kind,
            expected=", ".join(EDITOR_KINDS),
        )
    draft = Draft(instrument.kind, Text.of(instrument.title), Text.of(instrument.prompt), instrument.id)
    if instrument.kind == "keep_throw":
        draft.rows = _rows(instrument.presets[0].columns)
    elif instrument.kind == "conditions" and instrument.scale is not None:
        draft.headings = [
            Heading(Text.of(c.label), [Row(Text.of(i.text), i.id) for i in instrument.items_of(c.id)], c.id)
            for c in instrument.conditions
        ]
        draft.dont_know = instrument.scale.offer_dont_know
        draft.scale = "custom"
        draft.levels = [Text.of(level.label) for level in instrument.scale.levels]
        for name, file in _SCALE_FILES.items():
            shipped = load_file(BUILTIN_DIR / file).scale
            if shipped is not None and shipped.levels == instrument.scale.levels:
                draft.scale, draft.levels = name, []
    elif instrument.kind == "choice":
        draft.rows, draft.multiple = _rows(instrument.options), instrument.multiple
    elif instrument.kind == "open":
        draft.max_length = instrument.max_length
    elif instrument.kind == "profile":
        draft.rows = _rows(instrument.sectors)
    return draft


def duplicate(instrument: Instrument, lang: str, copy_word: str) -> Draft:
    """A new draft from any activity (a shipped one cannot be edited in place): same content, no id,
    a title that says it is a copy. An editor board keeps the columns of the first preset."""
    draft = draft_of(instrument)
    draft.id = ""
    draft.title = Text(f"{draft.title.fr} ({copy_word})", f"{draft.title.en} ({copy_word})")
    return draft


# Any instrument as a file (a session's copy when no file text is at hand) ----------------------------


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            default = f.default if f.default is not dataclasses.MISSING else None
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            if item == default or item in ((), {}, ""):
                continue
            out[f.name] = _plain(item)
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def instrument_toml(instrument: Instrument) -> str:
    """``instrument`` as a file the loader reads back to the same activity (round trip tested for
    every kind). Its ``source`` is not part of a file."""
    data = _plain(dataclasses.replace(instrument, source=""))
    data["kind"] = instrument.kind
    data["id"] = instrument.id
    return to_toml(data)


# Saving, and reading an uploaded file ------------------------------------------------------------------


def save(folder: Path, instrument: Instrument, text: str) -> Path:
    """Write ``text`` to ``folder/<id>.toml``, whole or not at all (written aside, then renamed), owner
    only. The file name comes from the checked id, never from a person's input."""
    path = folder / f"{instrument.id}.toml"
    fd, aside = tempfile.mkstemp(dir=folder, prefix=f".{instrument.id}-", suffix=".part")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(aside, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(aside)
    return path


def read_upload(data: bytes, name: str) -> tuple[Instrument, str]:
    """An uploaded file, checked as a folder's file is: too long, not UTF-8, not TOML, or any field
    wrong raises ``InstrumentError`` naming it. ``name`` is only shown in messages."""
    shown = Path(name).name[:80] or "upload.toml"
    if len(data) > MAX_UPLOAD_BYTES:
        raise _fail(shown, "(file)", "error.instrument_too_big", size=len(data), limit=MAX_CHARS)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(shown, "(file)", "error.instrument_unreadable") from exc
    return check_text(text, shown), text
