"""Reading a Forms answer cell as an instrument value.

Forms stores the text of the chosen option, whatever the host typed when building the form:
"4 - Plutôt d'accord", "Plutôt d'accord", "4", "A", "A — fort", "Coopération", "Public / santé".
Each is compared with the scale's values and labels (both languages, with or without the leading
value), so a form built from the instrument's own wording needs no mapping of answers at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partenariat_core.forms_source.text import normalize, similarity
from partenariat_core.instruments import Choice, Instrument, Scale
from partenariat_core.participation import clean_card_text

_LEADING_VALUE = re.compile(r"^\s*([A-Za-z0-9]{1,3})\s*(?:[-–—:.)/]|\s)\s*\S")
_STRIP_VALUE = re.compile(r"^\s*[A-Za-z0-9]{1,3}\s*[-–—:.)/]\s*")
LABEL_THRESHOLD = 0.85


@dataclass(frozen=True)
class Answer:
    value: str = ""
    text: str = ""


def _by_label(raw: str, options: dict[str, list[str]]) -> str | None:
    """The option whose labels match ``raw`` best, if clearly enough."""
    wanted = normalize(raw)
    best, best_score = None, 0.0
    for value, labels in options.items():
        for label in labels:
            variants = {normalize(label), normalize(_STRIP_VALUE.sub("", label))}
            if wanted in variants:
                return value
            score = max(similarity(raw, v) for v in variants if v)
            if score > best_score:
                best, best_score = value, score
    return best if best_score >= LABEL_THRESHOLD else None


def parse_answer(instrument: Instrument, item: str, raw: str) -> Answer | None:
    """The value (or card text) in ``raw``; ``None`` when it cannot be read (reported, not guessed)."""
    raw = str(raw or "").strip()
    if not raw:
        return None
    if instrument.kind == "keep_throw":
        text = clean_card_text(raw)
        return Answer(text=text) if text else None
    if instrument.kind == "conditions" and instrument.scale is not None:
        scale = instrument.scale
        values = {normalize(v): v for v in scale.values}
        if normalize(raw) in values:
            return Answer(values[normalize(raw)])
        lead = _LEADING_VALUE.match(raw)
        if lead and normalize(lead.group(1)) in values:
            return Answer(values[normalize(lead.group(1))])
        options = {level.value: list(level.label.values()) for level in scale.levels}
        options[Scale.DONT_KNOW] = list(scale.dont_know.values())
        found = _by_label(raw, options)
        return Answer(found) if found else None
    choices = instrument.levels if instrument.kind == "continuum" else instrument.sectors
    if not choices:
        return None
    by_id = {normalize(c.id): c.id for c in choices}
    if normalize(raw) in by_id:
        return Answer(by_id[normalize(raw)])
    ranks = {str(c.rank): c.id for c in choices if c.rank}
    if raw in ranks:  # "3" on a linear-scale question
        return Answer(ranks[raw])
    lead = _LEADING_VALUE.match(raw)
    if lead and lead.group(1).isdigit():  # "3 - Coopération": a rank
        rank = lead.group(1)
        named = _by_label(_STRIP_VALUE.sub("", raw), _labels(choices))
        if rank in ranks and named in (None, ranks[rank]):
            return Answer(ranks[rank])
    found = _by_label(raw, _labels(choices))
    return Answer(found) if found else None


def _labels(choices: tuple[Choice, ...]) -> dict[str, list[str]]:
    return {c.id: [*c.label.values(), *c.short.values()] for c in choices}
