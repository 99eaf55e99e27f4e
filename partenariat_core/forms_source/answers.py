"""Reading a Forms answer cell as an instrument value.

Forms stores the text of the chosen option, whatever the host typed when building the form:
"4 - Plutôt d'accord", "Plutôt d'accord", "4", "A", "A — fort", "Coopération", "Public / santé".
Each is compared with the scale's values and labels (both languages, with or without the leading
value), so a form built from the instrument's own wording needs no mapping of answers at all.

A choice question's cell holds the option's text ("Soupe", or "Soup" on an English form); a
checkboxes question's cell holds every ticked option, joined by ", " (Google Forms) or ";"
(Microsoft Forms): ``"Soupe, Gâteau"``. Each part must be one option's label (French or English,
case, accents and punctuation aside) or id: :func:`choice_parts` never guesses a near miss, it
reports the part, for the host to map. An open question's cell is any text, cleaned as a card's is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from partenariat_core.answers_more import choice_value
from partenariat_core.forms_source.text import normalize, similarity
from partenariat_core.instruments import Choice, Instrument, Scale
from partenariat_core.participation import clean_card_text

_LEADING_VALUE = re.compile(r"^\s*([A-Za-z0-9]{1,3})\s*(?:[-–—:.)/]|\s)\s*\S")
_STRIP_VALUE = re.compile(r"^\s*[A-Za-z0-9]{1,3}\s*[-–—:.)/]\s*")
LABEL_THRESHOLD = 0.85
TEXT_KINDS = ("keep_throw", "open")  # any text is an answer: no option to read, no answer table
# "1. Soupe", "b) Soupe": an option numbered in the form (a digit or one letter, never a word)
_OPTION_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[A-Za-z])\s*[-–—:.)/]\s*")
# between the options of a checkboxes cell: ", " (Google Forms), ";" (Microsoft Forms)
_SEPARATOR = re.compile(r"(\s*[,;]\s*)")


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
    if instrument.kind in TEXT_KINDS:
        text = clean_card_text(raw)
        return Answer(text=text) if text else None
    if instrument.kind == "choice":
        parts = choice_parts(instrument, raw)
        if any(value is None for _text, value in parts):
            return None
        picked = choice_value(instrument, [value for _text, value in parts if value])
        return Answer(picked) if picked else None
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


def option_of(instrument: Instrument, text: str) -> str | None:
    """The option of a choice question that ``text`` names: its French or English label, or its id,
    after :func:`normalize`; a leading "1. " or "A - " on either side is tried only when nothing
    matches without it. ``None`` when no option has that name (never the nearest one)."""
    names = [(o.id, [o.id, *o.label.values()]) for o in instrument.options]
    wanted = normalize(text)
    for option, labels in names:
        if wanted and wanted in {normalize(n) for n in labels}:
            return option
    bare = normalize(_OPTION_NUMBER.sub("", text))
    for option, labels in names:
        variants = {normalize(_OPTION_NUMBER.sub("", n)) for n in labels} | {normalize(n) for n in labels}
        if bare and bare in variants - {""}:
            return option
    return None


def choice_parts(
    instrument: Instrument, raw: str, host: Mapping[str, str] | None = None
) -> list[tuple[str, str | None]]:
    """A choice cell cut into the options it names: ``(text, option)`` for each part, in order.

    ``option`` is an option id, ``""`` for a text the host said to leave out, or ``None`` for a text
    that names no option (reported, not guessed). ``host``: the host's own reading of texts (the
    mapping's answer table for this question, raw text to value), tried before the option labels.
    The longest run of parts that names something is taken first, so an option whose label holds a
    comma ("Oui, tout à fait") is read whole; next parts that name nothing are kept together
    ("Autre : du pain, du beurre"). A run is never longer than the longest name has parts, so a
    long cell costs a few look-ups per part."""
    pieces = _SEPARATOR.split(str(raw or "").strip())
    count = (len(pieces) + 1) // 2  # pieces alternate: part, separator, part, ...
    mine = {normalize(k): v for k, v in (host or {}).items()}
    names = [*(host or {}), *(n for o in instrument.options for n in (o.id, *o.label.values()))]
    span = 1 + max((len(_SEPARATOR.findall(n)) for n in names), default=0)

    def text(start: int, stop: int) -> str:
        return "".join(pieces[2 * start : 2 * stop - 1]).strip()

    def reading(start: int, stop: int) -> str | None:
        words = text(start, stop)
        chosen = mine.get(normalize(words))
        return chosen if chosen is not None else option_of(instrument, words)

    parts: list[tuple[str, str | None]] = []
    unread: int | None = None  # where the current run of unreadable parts began
    at = 0
    while at < count:
        if not pieces[2 * at].strip():  # "Soupe;Gâteau;": nothing between two separators
            if unread is not None:
                parts.append((text(unread, at), None))
                unread = None
            at += 1
            continue
        end = at + 1  # a run stops before an empty part
        while end < min(count, at + span) and pieces[2 * end].strip():
            end += 1
        found = _longest(at, end, reading)
        if found is None:
            unread = at if unread is None else unread
            at += 1
            continue
        if unread is not None:
            parts.append((text(unread, at), None))
            unread = None
        stop, value = found
        parts.append((text(at, stop), value))
        at = stop
    if unread is not None:
        parts.append((text(unread, count), None))
    return parts


def _longest(start: int, end: int, reading: Callable[[int, int], str | None]) -> tuple[int, str] | None:
    """The farthest ``stop`` up to ``end`` (and what it reads as) for which parts ``start`` to ``stop``
    name something."""
    for stop in range(end, start, -1):
        value = reading(start, stop)
        if value is not None:
            return stop, value
    return None
