"""Mapping answers, not only columns: what an unread answer means, suggested, kept, carried over.

A form built by hand rarely repeats the instrument's wording: the sector question offers "Santé
publique" where the session says "Public / santé", a scale says "Tout à fait" for "5". Each distinct
answer text that :func:`~partenariat_core.forms_source.answers.parse_answer` cannot read is listed
to the host once (with how many responses gave it) and a suggestion: the closest option by
rapidfuzz's token set ratio over every label of the question's options, in both languages. The host's
choice goes into :attr:`FormsMapping.answers`, saved with the column mapping, and the whole mapping
can be written to a JSON file and read back into the next workshop's copy of the form.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz, process

from partenariat_core.errors import ConfigError
from partenariat_core.forms_source.answers import TEXT_KINDS, choice_parts, parse_answer
from partenariat_core.forms_source.mapping import ColumnMapping, FormsMapping
from partenariat_core.forms_source.source import FormsSheet
from partenariat_core.forms_source.text import normalize
from partenariat_core.instruments import Instrument, Scale
from partenariat_core.model import PROFILE, Session

FILE_FORMAT = "partenariat-live/forms-mapping"
# rapidfuzz's token set ratio (0..100): word order and extra words ("Milieu communautaire") do not
# count against a label. Below the threshold nothing is suggested. (WRatio, tried first, suggested
# "5 — Tout à fait d'accord" for "Pas du tout" on the strength of one word.)
SUGGEST_THRESHOLD = 70.0


@dataclass(frozen=True)
class UnreadValue:
    """One distinct answer text of a mapped column that could not be read, for the host to map."""

    target: str  # "instrument:item"
    header: str  # the (first) column it was found in
    raw: str  # as written in the sheet
    count: int  # responses that gave it
    suggestion: str  # an option's value, "" when nothing is close
    score: float  # how close (0..100)


def answer_options(
    instrument: Instrument, item: str, session: Session | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """``(value, labels)`` of every answer a question allows (``[]`` for a card column); labels start
    with the French then the English one, as the instrument file gives them."""
    if instrument.kind == "conditions" and instrument.scale is not None:
        scale = instrument.scale
        options = [(level.value, (*level.label.values(), level.value)) for level in scale.levels]
        return [*options, (Scale.DONT_KNOW, tuple(scale.dont_know.values()))]
    if instrument.kind == "continuum":
        return [(c.id, (*c.label.values(), *c.short.values())) for c in instrument.levels]
    if instrument.kind == "choice":
        return [(o.id, tuple(o.label.values())) for o in instrument.options]
    if instrument.id == PROFILE or instrument.sectors:
        offered = set(session.sectors) if session is not None and session.sectors else None
        return [
            (c.id, (*c.label.values(), *c.short.values()))
            for c in instrument.sectors
            if offered is None or c.id in offered
        ]
    return []


def suggest_answer(raw: str, options: Sequence[tuple[str, Sequence[str]]]) -> tuple[str, float]:
    """The option whose labels are closest to ``raw`` and its score; ``("", score)`` when too far."""
    choices = {(value, n): normalize(label) for value, labels in options for n, label in enumerate(labels)}
    if not choices or not normalize(raw):
        return "", 0.0
    # None when nothing scores above 0, whatever rapidfuzz's stubs say
    found: tuple[str, float, tuple[str, int]] | None = process.extractOne(
        normalize(raw), choices, scorer=fuzz.token_set_ratio
    )
    if found is None:
        return "", 0.0
    _label, score, (value, _n) = found
    return (value if score >= SUGGEST_THRESHOLD else ""), round(float(score), 1)


def unread_values(
    sheet: FormsSheet,
    mapping: FormsMapping,
    session: Session | None,
    instruments: Mapping[str, Instrument],
) -> list[UnreadValue]:
    """Every distinct unreadable answer of the mapped choice columns, most frequent first.

    Texts the host already mapped (or chose to leave out) are not listed again; card and open
    columns take any text and are never listed. A checkboxes cell ("Soupe, Pizza") lists only its
    parts that name no option ("Pizza"): the host maps a text once, wherever it is ticked.
    """
    position = {h: i for i, h in enumerate(sheet.headers)}
    found: dict[tuple[str, str], tuple[str, str, Counter[str]]] = {}
    for column in mapping.columns:
        instrument = instruments.get(column.instrument)
        if not column.mapped or instrument is None or column.header not in position:
            continue
        if instrument.kind in TEXT_KINDS:
            continue
        target = f"{column.instrument}:{column.item}"
        at = position[column.header]
        for row in sheet.rows:
            raw = row[at].strip() if at < len(row) else ""
            for text in _unread(instrument, column.item, raw, target, mapping):
                key = (target, normalize(text))
                entry = found.setdefault(key, (column.header, text, Counter()))
                entry[2][text] += 1
    result = []
    for (target, _), (header, raw, counts) in found.items():
        instrument_id, _, item = target.partition(":")
        options = answer_options(instruments[instrument_id], item, session)
        suggestion, score = suggest_answer(raw, options)
        result.append(UnreadValue(target, header, raw, sum(counts.values()), suggestion, score))
    return sorted(result, key=lambda u: (-u.count, u.target, normalize(u.raw)))


def _unread(instrument: Instrument, item: str, raw: str, target: str, mapping: FormsMapping) -> list[str]:
    """The texts of one cell that nothing reads: the cell, or a checkboxes cell's unread parts."""
    if not raw:
        return []
    if instrument.kind == "choice":
        parts = choice_parts(instrument, raw, mapping.answers.get(target))
        return [text for text, value in parts if value is None]
    if mapping.answer_for(target, raw) is not None or parse_answer(instrument, item, raw) is not None:
        return []
    return [raw]


def mapping_file(mapping: FormsMapping) -> bytes:
    """The column and answer mapping as a JSON file, for the next workshop's copy of the form."""
    data = {
        "format": FILE_FORMAT,
        "version": 1,
        "timestamp_column": mapping.timestamp_column,
        "columns": [
            {"header": c.header, "instrument": c.instrument, "item": c.item}
            for c in mapping.columns
            if c.mapped or c.manual
        ],
        "answers": {k: dict(v) for k, v in mapping.answers.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def apply_mapping_file(mapping: FormsMapping, data: bytes) -> FormsMapping:
    """``mapping`` with a saved file's answers and column choices added (the file's win).

    Columns are matched by header: a header of the file that this sheet does not have is ignored.
    A file that is not one of ours raises ``ConfigError('forms.bad_mapping_file')`` and changes
    nothing.
    """
    try:
        parsed: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConfigError("forms.bad_mapping_file", problem=str(exc)[:120]) from exc
    if not isinstance(parsed, dict) or parsed.get("format") != FILE_FORMAT:
        raise ConfigError("forms.bad_mapping_file", problem=FILE_FORMAT)
    result = mapping
    for target, table in (parsed.get("answers") or {}).items():
        if isinstance(table, dict):
            for raw, value in table.items():
                if isinstance(raw, str) and isinstance(value, str):
                    result = result.with_answer(str(target), raw, value)
    entries = [c for c in parsed.get("columns") or [] if isinstance(c, dict) and c.get("header")]
    chosen = {str(c["header"]): c for c in entries}
    columns: list[ColumnMapping] = []
    for column in result.columns:
        entry = chosen.get(column.header)
        if entry is None:
            columns.append(column)
            continue
        columns.append(
            replace(
                column,
                instrument=str(entry.get("instrument") or ""),
                item=str(entry.get("item") or ""),
                manual=True,
            )
        )
    stamp = result.timestamp_column or str(parsed.get("timestamp_column") or "")
    return replace(result, columns=tuple(columns), timestamp_column=stamp)
