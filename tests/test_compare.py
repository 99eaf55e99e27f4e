"""Comparing sessions: tables, differences with the baseline, figures and exports, worked out by hand.

"Before" is the known session of ``export_support`` (KNWN23). "After" (AFTR23) has the same answers
except that everyone now rates C2 "A" (mean 1.20 → 3.00, difference +1.80) and p3 now places the
partnership at "coordinating" (now: networking 0, coordinating 4, cooperating 1, collaborating 0).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from export_support import CODE, known_events, known_session, stored

from partenariat_core.charts_compare import (
    boards_bars,
    continuum_side_by_side,
    differences_bars,
    radar_overlay,
)
from partenariat_core.compare import BoardStats, comparison_tables, load_comparison
from partenariat_core.errors import RejectedInput
from partenariat_core.export.compare_report import compare_html, compare_xlsx
from partenariat_core.model import Event

AFTER = "AFTR23"
THIRD = "THRD23"


def after_events() -> list[Event]:
    out = []
    for e in known_events(AFTER):
        if e.item == "c2_early":
            e = dataclasses.replace(e, value="A")
        if e.participant == "p3" and e.item == "now":
            e = dataclasses.replace(e, value="coordinating")
        if e.instrument == "keep_throw":
            e = dataclasses.replace(e, text=f"après : {e.text}")
        out.append(e)
    return out


@pytest.fixture
def store(sqlite_store, instruments):
    stored(sqlite_store)
    after = known_session(AFTER, title="Table de quartier — « après »", date=dt.date(2027, 3, 1))
    sqlite_store.create_session(after)
    sqlite_store.append_events(after_events())
    third = known_session(THIRD, title="Autre échelle", instruments=("conditions_1to5",), sectors=())
    sqlite_store.create_session(third)
    items = instruments["conditions_1to5"].items
    sqlite_store.append_events([Event(THIRD, "q1", "q1-s", "conditions_1to5", i.id, "5") for i in items])
    return sqlite_store


@pytest.fixture
def comparison(store, instruments):
    return load_comparison(store, instruments, [CODE, AFTER])


def test_means_and_differences_with_the_baseline(comparison):
    means = comparison.means["conditions"].round(2)
    assert means[CODE].to_list() == [2.8, 1.2, 2.0, 2.0, 1.75, 2.2]
    assert means[AFTER].to_list() == [2.8, 3.0, 2.0, 2.0, 1.75, 2.2]
    assert comparison.differences["conditions"][f"{AFTER} − {CODE}"].to_list() == [0, 1.8, 0, 0, 0, 0]
    assert comparison.answers["conditions"][AFTER].to_list() == [5, 5, 5, 5, 4, 5]


def test_continuum_counts_side_by_side(comparison):
    now = comparison.continuum["continuum"]["now"]
    assert now[CODE].to_list() == [1, 3, 1, 0]
    assert now[AFTER].to_list() == [0, 4, 1, 0]
    assert comparison.continuum["continuum"]["desired"][AFTER].to_list() == [0, 1, 3, 1]


def test_different_scales_are_never_mixed(store, instruments):
    comparison = load_comparison(store, instruments, [CODE, THIRD])
    assert list(comparison.means["conditions"].columns) == [CODE]
    assert list(comparison.means["conditions_1to5"].columns) == [THIRD]
    assert comparison.means["conditions_1to5"][THIRD].to_list() == [5.0] * 6
    assert comparison.differences["conditions"].empty


def test_at_least_two_distinct_sessions(store, instruments):
    with pytest.raises(RejectedInput) as caught:
        load_comparison(store, instruments, [CODE, CODE])
    assert caught.value.key == "compare.err_too_few"


def test_order_sets_the_baseline(store, instruments):
    reverse = load_comparison(store, instruments, [AFTER, CODE])
    assert reverse.baseline == AFTER
    assert reverse.differences["conditions"][f"{CODE} − {AFTER}"].to_list() == [0, -1.8, 0, 0, 0, 0]


def test_figures_carry_the_numbers(comparison):
    radar = radar_overlay(comparison, "conditions", "fr")
    assert [tr.name for tr in radar.data] == [f"{CODE} · 2026-11-25", f"{AFTER} · 2027-03-01"]
    assert list(radar.data[1].r) == [2.8, 3.0, 2.0, 2.0, 1.75, 2.2, 2.8]  # closed polygon
    bars = differences_bars(comparison, "conditions", "fr")
    assert [tr.name for tr in bars.data] == [f"{AFTER} − {CODE}"]
    assert list(bars.data[0].x) == [0, 1.8, 0, 0, 0, 0]
    side = continuum_side_by_side(comparison, "continuum", "fr")
    assert len(side.data) == 4  # (now, desired) × two sessions
    assert list(side.data[0].y) == [20.0, 60.0, 20.0, 0.0]  # before, now: 1, 3, 1, 0 of 5
    assert list(side.data[2].y) == [0.0, 80.0, 20.0, 0.0]  # after, now: 0, 4, 1, 0 of 5


def test_tables_have_labels_in_the_language(comparison):
    tables = comparison_tables(comparison, "en")
    assert [t.sheet for t in tables] == [
        "Sessions",
        "Means Six conditions",
        "Continuum Now",
        "Continuum Desired",
        "Cards Keep or throw",  # no vote in either session: no table of the top ranks
    ]
    means = tables[1].frame
    assert list(means.columns) == [CODE, AFTER, f"{AFTER} − {CODE}"]
    assert means.index[1] == "C2 · Early participation"
    assert tables[2].frame.index.to_list() == ["Networking", "Coordinating", "Cooperating", "Collaborating"]


class Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_data(self, data):
        self.text.append(data)


def test_html_comparison_is_self_contained_and_escaped(comparison):
    file = compare_html(comparison, "fr")
    assert file.name.endswith(f"comparaison {CODE} {AFTER}.html")
    raw = file.data.decode("utf-8")
    parsed = Texts()
    parsed.feed(raw)
    assert parsed.urls == []
    text = " ".join(parsed.text)
    assert "<script>alert(1)</script>" in text and "après : <script>alert(1)</script>" in text
    assert "<script>alert(1)</script>" not in raw
    assert raw.count("Plotly.newPlot") == 4  # radar, differences, continuum, cards and votes


def test_xlsx_comparison(comparison):
    book = openpyxl.load_workbook(io.BytesIO(compare_xlsx(comparison, "fr").data))
    assert book.sheetnames == [
        "Sessions",
        "Moyennes Six conditions",
        "Continuum Aujourd'hui",
        "Continuum Souhaité",
        "Cartes Garder ou jeter",
        f"Tableau {CODE}",
        f"Tableau {AFTER}",
    ]
    means = book["Moyennes Six conditions"]
    assert [c.value for c in means[1]] == ["Condition", CODE, AFTER, f"{AFTER} − {CODE}"]
    assert [c.value for c in means[3]] == ["C2 · Participation précoce", 1.2, 3.0, 1.8]
    board = book[f"Tableau {AFTER}"]
    assert board["A2"].value == "après : =SUM(A1:A9)" and board["A2"].data_type == "s"
    assert book[f"Tableau {CODE}"]["A2"].value == "=SUM(A1:A9)"
    assert book[f"Tableau {CODE}"]["A2"].data_type == "s"


# Boards (issue 10): "before" gets the curation of test_export_curation (worked out there by hand):
# 7 cards posted, throw-3 hidden → 6 on the board; one group (keep-0 + keep-1); votes that count:
# group 2 (p1 on it, p2 on its member keep-0), "Le script" 1 (p5), "+33 1 23 45 67 89" 1 (p3) = 4;
# p4's vote went to the hidden card: it counts nowhere, so p4 is no voter → voters p1, p2, p3, p5 = 4.
# Ranks: the group 1st, then the two single votes share rank 2. "After" was never curated: 7 posted,
# 7 on the board, no group, no vote. The third session has no board at all.
@pytest.fixture
def curated_store(store):
    from test_export_curation import curation_events

    store.append_events(curation_events())
    return store


def test_boards_are_compared_by_cards_groups_votes_and_voters(curated_store, instruments):
    comparison = load_comparison(curated_store, instruments, [CODE, AFTER, THIRD])
    stats = comparison.boards["keep_throw"]
    assert list(stats) == [CODE, AFTER]  # THIRD did not use the board
    before = stats[CODE]
    assert (before.posted, before.visible, before.pending, before.hidden, before.withdrawn) == (7, 6, 0, 1, 0)
    assert (before.groups, before.votes, before.voters) == (1, 4, 4)
    assert [(r.rank, r.entry.text, r.votes) for r in before.top] == [
        (1, "Boissons & <b>formules</b>", 2),
        (2, "Le script", 1),
        (2, "+33 1 23 45 67 89", 1),
    ]
    assert stats[AFTER] == BoardStats(7, 7, 0, 0, 0, 0, 0, 0, ())
    tables = {t.sheet: t for t in comparison_tables(comparison, "fr")}
    counts = tables["Cartes Garder ou jeter"].frame
    assert counts.index.to_list() == [
        "Cartes publiées",
        "Au tableau",
        "En attente d'approbation",
        "Masquées par l'animation",
        "Retirées par leur auteur·e",
        "Regroupements",
        "Votes comptés",
        "Personnes ayant voté",
    ]
    assert counts[CODE].to_list() == [7, 6, 0, 1, 0, 1, 4, 4]
    assert counts[AFTER].to_list() == [7, 7, 0, 0, 0, 0, 0, 0]
    top = tables["Votes Garder ou jeter"].frame
    assert top[CODE].to_list() == [
        "1. Boissons & <b>formules</b> (×2) — 2 votes",
        "2. Le script — 1 vote",
        "2. +33 1 23 45 67 89 — 1 vote",
    ]
    assert top[AFTER].to_list() == ["", "", ""]
    bars = boards_bars(comparison, "keep_throw", "en")
    assert [tr.name for tr in bars.data] == [f"{CODE} · 2026-11-25", f"{AFTER} · 2027-03-01"]
    assert list(bars.data[0].x) == [7, 6, 0, 1, 0, 1, 4, 4]
    assert list(bars.data[0].y)[-1] == "Voters"


def test_the_comparison_report_and_workbook_carry_the_boards(curated_store, instruments):
    comparison = load_comparison(curated_store, instruments, [CODE, AFTER])
    raw = compare_html(comparison, "en").data.decode("utf-8")
    parsed = Texts()
    parsed.feed(raw)
    text = " ".join(parsed.text)
    assert "What we keep / What we throw away: cards, groups and votes per session" in text
    assert "1. Boissons & <b>formules</b> (×2) — 2 votes" in text  # shown as typed, as text
    assert "<b>formules</b>" not in raw
    book = openpyxl.load_workbook(io.BytesIO(compare_xlsx(comparison, "fr").data))
    rows = [[c.value for c in row] for row in book["Votes Garder ou jeter"].iter_rows()]
    assert rows == [
        ["Position", CODE, AFTER],
        ["1", "1. Boissons & <b>formules</b> (×2) — 2 votes", ""],
        ["2", "2. Le script — 1 vote", ""],
        ["3", "2. +33 1 23 45 67 89 — 1 vote", ""],
    ]
