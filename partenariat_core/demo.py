"""The demo session: the real ARIMA 2019 keep/throw board plus generated answers.

The cards come word for word from ``sample_data/arima_2019_board.toml``. Nobody recorded scores at that
workshop, so answers of 25 participants to the conditions and continuum instruments are generated with a
seeded random generator, and so are a few groups the host made of the cards and each participant's three
dot votes: the demo looks the same on every machine and in every test. Every event has a
fixed submission id, so loading the demo twice adds nothing. The board has its vote step (three votes,
one per card) right after it, results hidden until the host reveals them, so a newcomer walks the whole
write → group → vote → reveal flow.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

from partenariat_core import agenda
from partenariat_core.config import REPO_ROOT
from partenariat_core.curation import group_id_for
from partenariat_core.instruments import Instrument, Scale
from partenariat_core.model import PROFILE, Event, Session
from partenariat_core.scoring.curated import GROUP, GROUP_MEMBER, HOST, VOTE, card_id
from partenariat_core.sessions import update_session
from partenariat_core.store.base import Store

DEMO_CODE = "GARDEZ"
BOARD_FILE = REPO_ROOT / "sample_data" / "arima_2019_board.toml"
PARTICIPANTS = 25
SEED = 2019
SECTORS = (
    "public_health",
    "municipal",
    "community",
    "education",
    "private",
    "philanthropy",
    "citizen",
    "other",
)
SECTOR_WEIGHTS = (7, 4, 8, 3, 1, 1, 1, 0)

# How each condition tends to be rated: probabilities of (A strong, B moderate, C weak, don't know).
# Levelling power relations and early participation come out weakest, as partners often report.
TENDENCIES = {
    "C1": (0.45, 0.40, 0.10, 0.05),
    "C2": (0.15, 0.40, 0.40, 0.05),
    "C3": (0.30, 0.45, 0.20, 0.05),
    "C4": (0.35, 0.40, 0.20, 0.05),
    "C5": (0.10, 0.35, 0.50, 0.05),
    "C6": (0.40, 0.40, 0.15, 0.05),
}
NOW_WEIGHTS = (5, 10, 8, 2)  # networking, coordinating, cooperating, collaborating
# The host's groups on the demo board: (column, title, card positions in the sample file's column).
GROUPS = (
    ("keep", "La collaboration", (7, 3, 14)),
    ("keep", "Des compétences qui se complètent", (8, 10, 11)),
    ("keep", "Des personnes engagées", (17, 12)),
    ("throw", "Le chacun pour soi", (1, 2, 15)),
)
VOTES = 3  # dot votes per participant, one per card or group
# The demo board's vote step: the rules the generated votes follow (VOTES each, one per card).
VOTE_STEP = agenda.VoteStep("keep_throw", VOTES, several_per_card=False)


def read_board(path: Path = BOARD_FILE) -> dict[str, list[str]]:
    """The seed's cards per column (``keep``, ``throw``), exactly as written."""
    with path.open("rb") as fh:
        return tomllib.load(fh)["cards"]


def demo_session() -> Session:
    """The demo's record: its board, then the board's vote step (results hidden, as any new one)."""
    session = Session(
        code=DEMO_CODE,
        title="Orchestrer l'action intersectorielle — bilan des apprentissages (ARIMA, Montréal)",
        date=dt.date(2019, 11, 28),
        language="fr",
        instruments=("keep_throw", "conditions", "continuum"),
        keep_throw_preset="garder_jeter",
        sectors=SECTORS,
        created_at=dt.datetime(2019, 11, 28, 19, 0, tzinfo=dt.UTC),
    )
    return agenda.add_vote(session, VOTE_STEP)


def demo_events(instruments: Mapping[str, Instrument]) -> list[Event]:
    rng = random.Random(SEED)
    start = dt.datetime(2019, 11, 28, 20, 0, tzinfo=dt.UTC)
    people = [f"demo-participant-{i:02d}" for i in range(1, PARTICIPANTS + 1)]
    events: list[Event] = []

    def add(person: str, sub: str, instrument: str, item: str, value: str = "", text: str = "") -> None:
        when = start + dt.timedelta(seconds=7 * len(events))
        events.append(Event(DEMO_CODE, person, f"demo-{sub}", instrument, item, value, text, when))

    for person in people:
        sector = rng.choices(SECTORS, SECTOR_WEIGHTS)[0]
        add(person, f"{person}-sector", PROFILE, "sector", sector)
    board = read_board()
    for column in ("keep", "throw"):
        for n, text in enumerate(board[column]):
            add(rng.choice(people), f"card-{column}-{n:02d}", "keep_throw", column, text=text)
    conditions = instruments["conditions"]
    assert conditions.scale is not None
    answers = (*conditions.scale.values, Scale.DONT_KNOW)
    continuum = instruments["continuum"]
    levels = [level.id for level in continuum.levels]
    for person in people:
        for item in conditions.items:
            value = rng.choices(answers, TENDENCIES[item.condition])[0]
            add(person, f"{person}-conditions", "conditions", item.id, value)
        now = rng.choices(range(len(levels)), NOW_WEIGHTS)[0]
        desired = min(len(levels) - 1, now + rng.choices((0, 1, 2), (3, 6, 2))[0])
        add(person, f"{person}-continuum", "continuum", "now", levels[now])
        add(person, f"{person}-continuum", "continuum", "desired", levels[desired])
    _curate(add, people)
    return events


def _card(column: str, n: int) -> str:
    return card_id("keep_throw", column, f"demo-card-{column}-{n:02d}")


def _curate(add: Callable[..., None], people: list[str]) -> None:
    """The host's groups (:data:`GROUPS`), then each participant's :data:`VOTES` dot votes on distinct
    entries of the board, groups drawn three times as often as single cards: the demo shows the
    whole write → group → vote flow, and its ranked list is the same on every machine."""
    rng = random.Random(SEED + 1)  # its own generator: the answers above stay as they were
    grouped: dict[str, str] = {}
    for n, (column, title, members) in enumerate(GROUPS):
        submission = f"demo-group-{n}"
        gid = group_id_for(submission)
        add(HOST, submission, GROUP, gid, "keep_throw", title)
        for member in members:
            add(HOST, submission, GROUP_MEMBER, _card(column, member), gid)
            grouped[_card(column, member)] = gid
    board = read_board()
    entries = list(
        dict.fromkeys(grouped.get(_card(c, n), _card(c, n)) for c in board for n in range(len(board[c])))
    )
    weights = [3 if entry.startswith("group-") else 1 for entry in entries]
    for person in people:
        chosen: list[str] = []
        while len(chosen) < VOTES:
            entry = rng.choices(entries, weights)[0]
            if entry not in chosen:
                chosen.append(entry)
        for entry in chosen:
            add(person, f"{person}-vote-{entry}", VOTE, entry, "1")


def ensure_demo(store: Store, instruments: Mapping[str, Instrument]) -> Session:
    """Create the demo sessions if missing and (re)append their events; harmless when already there.
    Returns the first (keep / throw) one."""
    session = store.get_session(DEMO_CODE)
    if session is None:
        session = demo_session()
        store.create_session(session)
    elif not session.agenda.votes:
        session = update_session(store, DEMO_CODE, _with_vote_step)
    store.append_events(demo_events(instruments))
    ensure_field_demo(store, instruments)
    return session


def _with_vote_step(session: Session) -> Session:
    """A demo session created before it had a vote step (an older data folder) gets the step; one
    that has any vote step is left as the host set it (its rules, its hidden or shown results).

    A host who removed the demo's vote step finds it back at the next start: the demo is a showcase
    reset on every start (its events are re-appended too), not a workshop of the host's own."""
    return session if session.agenda.votes else agenda.add_vote(session, VOTE_STEP)


# The second demo session: the field's instruments (six key activities, transitional results, the
# controversy portrait) filled in, so a newcomer sees them. Texts from ``sample_data/field_demo.toml``;
# the ratings of the six activities generated with a seeded generator, like the first session's.
FIELD_DEMO_CODE = "RESEAU"
FIELD_FILE = REPO_ROOT / "sample_data" / "field_demo.toml"
FIELD_INSTRUMENTS = ("six_activities", "transitional_results", "controversy")
FIELD_PARTICIPANTS = 12
# probabilities of (fully, a lot, a little, not at all, don't know) per activity: early activities
# practised more than planning together and celebrating
SIX_TENDENCIES = {
    "A1": (0.35, 0.40, 0.20, 0.00, 0.05),
    "A2": (0.25, 0.45, 0.25, 0.00, 0.05),
    "A3": (0.20, 0.40, 0.30, 0.05, 0.05),
    "A4": (0.10, 0.30, 0.45, 0.10, 0.05),
    "A5": (0.20, 0.45, 0.25, 0.05, 0.05),
    "A6": (0.05, 0.20, 0.45, 0.25, 0.05),
}


def field_demo_session() -> Session:
    return Session(
        code=FIELD_DEMO_CODE,
        title="Un partenariat de quartier en mouvement (démonstration)",
        date=dt.date(2021, 11, 18),
        language="fr",
        instruments=FIELD_INSTRUMENTS,
        created_at=dt.datetime(2021, 11, 18, 13, 0, tzinfo=dt.UTC),
    )


def read_field_demo(path: Path = FIELD_FILE) -> dict[str, list[dict[str, str]]]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def field_demo_events(instruments: Mapping[str, Instrument]) -> list[Event]:
    """Every event of the second demo session, each with a fixed submission id and time."""
    rng = random.Random(SEED + 2)
    start = dt.datetime(2021, 11, 18, 13, 30, tzinfo=dt.UTC)
    events: list[Event] = []

    def add(person: str, sub: str, instrument: str, item: str, value: str = "", text: str = "") -> None:
        when = start + dt.timedelta(seconds=11 * len(events))
        events.append(Event(FIELD_DEMO_CODE, person, f"demo-{sub}", instrument, item, value, text, when))

    six = instruments["six_activities"]
    assert six.scale is not None
    answers = (*six.scale.values, Scale.DONT_KNOW)
    for n in range(1, FIELD_PARTICIPANTS + 1):
        person = f"demo-field-{n:02d}"
        for item in six.items:
            add(
                person,
                f"{person}-six",
                six.id,
                item.id,
                rng.choices(answers, SIX_TENDENCIES[item.condition])[0],
            )
    data = read_field_demo()
    for n, row in enumerate(data["events"]):
        add(
            f"demo-{row['table']}",
            f"event-{n:02d}",
            "transitional_results",
            row["result"],
            row["period"],
            row["text"],
        )
    grid = instruments["controversy"]
    for n, row in enumerate(data["actors"]):
        person = f"demo-{row['table']}"
        add(person, f"actor-{n}", grid.id, "actor", row["name"])
        for column in grid.columns:
            if row.get(column.id):
                add(person, f"cell-{n}-{column.id}", grid.id, column.id, row["name"], row[column.id])
    return events


def ensure_field_demo(store: Store, instruments: Mapping[str, Instrument]) -> Session | None:
    """The second demo session, when this app has its three instruments (``None`` otherwise)."""
    if any(ident not in instruments for ident in FIELD_INSTRUMENTS):
        return None
    session = store.get_session(FIELD_DEMO_CODE)
    if session is None:
        session = field_demo_session()
        store.create_session(session)
    store.append_events(field_demo_events(instruments))
    return session
