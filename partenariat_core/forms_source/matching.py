"""Which instrument item does each column of a Forms response sheet answer?

A host who builds a Google Form for a session copies the item texts (or the condition names) into
the questions, in French or English, and Forms makes each question a column header. So each column
is matched against every label we know for each item of the session's instruments, in both
languages; the best match wins if it is clearly better than the runner-up. A grid question
("Conditions [La participation précoce des partenaires]") is matched on its row label. A choice or
open activity is one question: its column is matched on the activity's prompt (or title).
Grid and timeline activities have no column to match (:func:`unmappable_activities`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from partenariat_core.answers_more import ANSWER, MORE_KINDS
from partenariat_core.forms_source.text import normalize, similarity
from partenariat_core.instruments import Instrument
from partenariat_core.model import PROFILE, Session

AUTO_THRESHOLD = 0.75  # below this a column is left for the host to map
MARGIN = 0.05  # the best target must beat the runner-up by this much to be taken automatically
TIMESTAMP_HEADERS = frozenset(
    normalize(h)
    for h in (
        *("Horodateur", "Horodatage", "Timestamp", "Marque temporelle", "Date et heure"),
        # Microsoft Forms' Excel export, LimeSurvey, SurveyMonkey (their "start" columns are not the
        # time the answers were given, and stay unmapped)
        *("Completion time", "Heure de fin", "Date submitted", "Date de soumission", "submitdate"),
        *("End Date", "Date de fin"),
    )
)
# the kinds whose answers a form's column can hold (``targets``); the others are named to the host
MAPPABLE_KINDS = frozenset({"profile", "conditions", "continuum", "keep_throw", *MORE_KINDS})
_GRID = re.compile(r"^(?P<title>.*)\[(?P<row>[^\[\]]+)\]\s*$")


@dataclass(frozen=True)
class Target:
    """One thing a column can answer: an item of an instrument, with every label it is known by."""

    instrument: str
    item: str
    labels: tuple[str, ...]
    kind: str

    @property
    def id(self) -> str:
        return f"{self.instrument}:{self.item}"


@dataclass(frozen=True)
class Match:
    header: str
    target: Target | None
    confidence: float  # 0..1: how sure the automatic match is (1.0: same words)


def targets(session: Session, instruments: Mapping[str, Instrument]) -> list[Target]:
    """Everything a column of this session's form may answer."""
    found: list[Target] = []
    for instrument_id in session.instruments:
        ins = instruments.get(instrument_id)
        if ins is None:
            continue
        if ins.kind == "conditions":
            for item in ins.items:
                labels = [*item.text.values(), item.id]
                condition = next((c for c in ins.conditions if c.id == item.condition), None)
                if condition is not None and len(ins.items_of(item.condition)) == 1:
                    labels += list(condition.label.values()) + list(condition.short.values())
                found.append(Target(ins.id, item.id, tuple(labels), ins.kind))
        elif ins.kind == "continuum":
            for question in ins.questions:
                found.append(Target(ins.id, question.id, (*question.label.values(), question.id), ins.kind))
        elif ins.kind == "keep_throw":
            for column in ins.preset(session.keep_throw_preset).columns:
                found.append(Target(ins.id, column.id, (*column.label.values(), column.id), ins.kind))
        elif ins.kind in MORE_KINDS:  # one question, asked in the prompt (a form may use the title)
            found.append(Target(ins.id, ANSWER, (*ins.prompt.values(), *ins.title.values()), ins.kind))
    profile = instruments.get(PROFILE)
    if session.sectors and profile is not None:
        sector_labels = (*profile.title.values(), *profile.prompt.values(), "secteur", "sector")
        found.append(Target(profile.id, "sector", sector_labels, profile.kind))
    return found


def unmappable_activities(session: Session, instruments: Mapping[str, Instrument]) -> list[Instrument]:
    """The session's activities that no column of a form can answer (a grid's actors with their
    cells, a timeline's dated events): named to the host rather than silently left out."""
    used = (instruments.get(i) for i in session.instruments)
    return [ins for ins in used if ins is not None and ins.kind not in MAPPABLE_KINDS]


def is_timestamp_header(header: str) -> bool:
    return normalize(header) in TIMESTAMP_HEADERS


def score(header: str, target: Target) -> float:
    """The best similarity between the header (or a grid question's row label) and the target's labels."""
    grid = _GRID.match(header)
    texts = [header] + ([grid.group("row")] if grid else [])
    return max(similarity(text, label) for text in texts for label in target.labels)


def match_headers(headers: Sequence[str], candidates: Sequence[Target]) -> list[Match]:
    """One :class:`Match` per header; each target is given to at most one column (the best one)."""
    scored: list[tuple[float, float, int, Target]] = []
    for col, header in enumerate(headers):
        if not header.strip() or is_timestamp_header(header):
            continue
        ranked = sorted(((score(header, t), t) for t in candidates), key=lambda p: p[0], reverse=True)
        if not ranked:
            continue
        best, target = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        confidence = best if best - runner_up >= MARGIN else best / 2  # a tie is not a match
        scored.append((confidence, best, col, target))
    chosen: dict[int, Match] = {}
    taken: set[str] = set()
    for confidence, _best, col, target in sorted(scored, key=lambda s: s[0], reverse=True):
        if confidence >= AUTO_THRESHOLD and target.id not in taken:
            taken.add(target.id)
            chosen[col] = Match(headers[col], target, round(confidence, 3))
        else:
            chosen[col] = Match(headers[col], None, round(confidence, 3))
    return [chosen.get(col, Match(h, None, 0.0)) for col, h in enumerate(headers)]


def target_label(target_id: str, instruments: Mapping[str, Instrument], lang: str) -> str:
    """``"instrument:item"`` in words, for the host's mapping screen (instrument title — item)."""
    from partenariat_core.i18n import label

    instrument_id, _, item = target_id.partition(":")
    ins = instruments.get(instrument_id)
    if ins is None:
        return target_id
    words: dict[str, str] = {}
    if ins.kind == "conditions":
        words = next((i.text for i in ins.items if i.id == item), {})
    elif ins.kind == "continuum":
        words = next((q.label for q in ins.questions if q.id == item), {})
    elif ins.kind == "keep_throw":
        words = next((c.label for p in ins.presets for c in p.columns if c.id == item), {})
    elif ins.kind == "profile" or ins.kind in MORE_KINDS:
        words = ins.prompt
    return f"{label(ins.title, lang)} — {label(words, lang) if words else item}"
