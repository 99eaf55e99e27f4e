"""What an instrument is, once its data file has been read and checked.

Six kinds exist. They share ``id``, ``kind``, ``title`` and ``prompt``; the rest depends on the kind
(``timeline`` and ``grid`` use ``domains``, ``columns`` and ``row_label``).
All objects are frozen: instruments are loaded once per process and shared by every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Labels = dict[str, str]  # {"fr": "...", "en": "..."}


@dataclass(frozen=True)
class Choice:
    """A labelled option: a keep/throw column, a continuum level, a sector."""

    id: str
    label: Labels
    definition: Labels = field(default_factory=dict)
    rank: int = 0
    short: Labels = field(default_factory=dict)  # a compact label for chart axes

    def short_label(self, lang: str) -> str:
        from partenariat_core.i18n import label

        return label(self.short or self.label, lang)


@dataclass(frozen=True)
class Preset:
    """A named set of keep/throw columns."""

    id: str
    label: Labels
    columns: tuple[Choice, ...]


@dataclass(frozen=True)
class ScaleLevel:
    value: str
    score: float
    label: Labels


@dataclass(frozen=True)
class Scale:
    """Answer levels in display order, plus the label of the "don't know" answer."""

    levels: tuple[ScaleLevel, ...]
    dont_know: Labels

    DONT_KNOW = "dont_know"

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def scores(self) -> dict[str, float]:
        return {level.value: level.score for level in self.levels}


@dataclass(frozen=True)
class Item:
    id: str
    condition: str
    text: Labels


@dataclass(frozen=True)
class Domain:
    """A domain of action of the timeline kind, with the transitional results it groups."""

    id: str
    label: Labels
    results: tuple[Choice, ...]
    definition: Labels = field(default_factory=dict)


@dataclass(frozen=True)
class Instrument:
    id: str
    kind: str
    title: Labels
    prompt: Labels
    source: str  # the file it came from, for messages
    presets: tuple[Preset, ...] = ()
    scale: Scale | None = None
    conditions: tuple[Choice, ...] = ()
    items: tuple[Item, ...] = ()
    levels: tuple[Choice, ...] = ()
    questions: tuple[Choice, ...] = ()
    sectors: tuple[Choice, ...] = ()
    score_note: Labels = field(default_factory=dict)
    short: Labels = field(default_factory=dict)  # a compact name, for sheet tabs and file names
    # timeline kind: domains of action, each with its transitional results
    domains: tuple[Domain, ...] = ()
    # grid kind: the columns filled for each row, and what a row is ("Acteur")
    columns: tuple[Choice, ...] = ()
    row_label: Labels = field(default_factory=dict)

    def short_name(self, lang: str) -> str:
        """A name that fits an Excel tab (31 characters) and reads like one: the file's ``short``
        label, else its id (titles are whole sentences)."""
        from partenariat_core.i18n import label

        return label(self.short, lang) if self.short else self.id

    def heading(self, preset_id: str | None, lang: str) -> str:
        """The title to show for this activity in a session: a board's title names the columns of the
        session's preset ("Commencer / Arrêter / Continuer"), so a start/stop/continue board is not
        titled "keep / throw"; other activities keep the file's title."""
        from partenariat_core.i18n import label

        if self.kind == "keep_throw" and self.presets:
            return " / ".join(label(c.label, lang) for c in self.preset(preset_id).columns)
        return label(self.title, lang)

    def preset(self, preset_id: str | None) -> Preset:
        """The preset asked for, or the default (first) one when unknown."""
        for p in self.presets:
            if p.id == preset_id:
                return p
        return self.presets[0]

    def items_of(self, condition_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.condition == condition_id)

    def results(self) -> tuple[Choice, ...]:
        """Every transitional result of a timeline, domain after domain."""
        return tuple(result for domain in self.domains for result in domain.results)

    def domain_of(self, result_id: str) -> Domain | None:
        """The domain a timeline's result belongs to (``None``: not a result of this instrument)."""
        for domain in self.domains:
            if any(r.id == result_id for r in domain.results):
                return domain
        return None
