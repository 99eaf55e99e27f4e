"""A small session whose every result is worked out by hand below, shared by the export tests.

Five participants (p1–p5); sectors: p1, p2, p3 "community", p4, p5 "municipal" (2 people: below the
default threshold of 3, so never shown by sector; and community is then hidden too, or municipal's
results would follow by subtraction from the whole room's). Conditions, derived score A=3, B=2, C=1:

    cond  p1 p2 p3 p4 p5        scores          n  mean  std (ddof=1)
    C1    A  A* A  B  A         3 3 3 2 3       5  2.80  0.447
    C2    C  C  B  C  C         1 1 2 1 1       5  1.20  0.447
    C3    A  C  A  C  B         3 1 3 1 2       5  2.00  1.000   ← widest disagreement
    C4    B  B  B  B  B         2 2 2 2 2       5  2.00  0.000
    C5    B  B  C  ?  B         2 2 1 - 2       4  1.75  0.500   (p4: don't know)
    C6    A  B  B  B  B         3 2 2 2 2       5  2.20  0.447

    * p2 first answered C, then changed to A: the latest answer counts.

Highest C1 (2.80), lowest C2 (1.20). Community means: C1 3.00, C2 1.33, C3 2.33, C4 2.00, C5 1.67,
C6 2.33. Continuum now → desired: p1, p2 coordinating → cooperating; p3 networking → coordinating;
p4 cooperating → cooperating; p5 coordinating → collaborating. Most common move: coordinating →
cooperating (2 of 5). Now: networking 1, coordinating 3, cooperating 1, collaborating 0; desired:
0, 1, 3, 1. Cards: keep 3, throw 4, several of them formulas or markup on purpose.
"""

from __future__ import annotations

import datetime as dt

from partenariat_core.model import Event, Session

CODE = "KNWN23"
T0 = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)
SECTORS = {"p1": "community", "p2": "community", "p3": "community", "p4": "municipal", "p5": "municipal"}
CONDITIONS = {
    "c1_viewpoints": "A A A B A",
    "c2_early": "C C B C C",
    "c3_influence": "A C A C B",
    "c4_strategic": "B B B B B",
    "c5_power": "B B C dont_know B",
    "c6_coconstruction": "A B B B B",
}
CONTINUUM = {
    "p1": ("coordinating", "cooperating"),
    "p2": ("coordinating", "cooperating"),
    "p3": ("networking", "coordinating"),
    "p4": ("cooperating", "cooperating"),
    "p5": ("coordinating", "collaborating"),
}
KEEP = ["=SUM(A1:A9)", "Café « crème » à l'école", "<script>alert(1)</script>"]
THROW = ["+33 1 23 45 67 89", "@channel", "-1", "Travail en silo"]
FORMULA_CARDS = ["=SUM(A1:A9)", "+33 1 23 45 67 89", "@channel", "-1"]


def known_session(code: str = CODE, **fields: object) -> Session:
    values: dict[str, object] = {
        "title": "Table de quartier — « avant »",
        "date": dt.date(2026, 11, 25),
        "instruments": ("keep_throw", "conditions", "continuum"),
        "sectors": ("community", "municipal", "education"),
        "created_at": T0,
    }
    values.update(fields)
    return Session(code=code, **values)  # type: ignore[arg-type]


def known_events(code: str = CODE) -> list[Event]:
    events: list[Event] = []

    def add(person: str, sub: str, instrument: str, item: str, value: str = "", text: str = "") -> None:
        when = T0 + dt.timedelta(seconds=10 * (len(events) + 1))
        events.append(Event(code, person, f"{code}-{sub}", instrument, item, value, text, when))

    for person, sector in SECTORS.items():
        add(person, f"{person}-sector", "profile", "sector", sector)
    add("p2", "p2-first", "conditions", "c1_viewpoints", "C")  # changed below
    for item, answers in CONDITIONS.items():
        for person, value in zip(SECTORS, answers.split(), strict=True):
            add(person, f"{person}-conditions", "conditions", item, value)
    for person, (now, desired) in CONTINUUM.items():
        add(person, f"{person}-continuum", "continuum", "now", now)
        add(person, f"{person}-continuum", "continuum", "desired", desired)
    for n, text in enumerate(KEEP):
        add(f"p{n + 1}", f"keep-{n}", "keep_throw", "keep", text=text)
    for n, text in enumerate(THROW):
        add(f"p{n + 1}", f"throw-{n}", "keep_throw", "throw", text=text)
    return events


def stored(store, code: str = CODE, **fields: object):
    """The known session saved in ``store``, with its events."""
    store.create_session(known_session(code, **fields))
    store.append_events(known_events(code))
    return store
