"""The controversy portrait's grid: rows per actor (same name, same row), the latest text per cell with
its author, the export's ``current`` rule, and what a table may send (all by hand)."""

from __future__ import annotations

import pytest

from partenariat_core.errors import RejectedInput
from partenariat_core.model import Session
from partenariat_core.participation_field import submit_grid_actor, submit_grid_cell
from partenariat_core.scoring import events_frame, is_current
from partenariat_core.scoring.grid import actor_key
from partenariat_core.scoring.summary import summarize
from partenariat_core.sessions import create_session

GR = "controversy"


def _grid(events, instruments):
    return summarize(Session("TEST01", "Grille", instruments=(GR,)), events, instruments).grid[GR]


def test_actor_names_that_differ_by_case_and_spacing_share_a_row():
    assert actor_key("  Ville de  Montréal ") == actor_key("ville de montréal")
    assert actor_key("Côté") != actor_key("Cote")


def test_rows_in_order_of_first_naming_and_the_latest_text_wins(make_event, instruments):
    events = [
        make_event("table-1", GR, "actor", "Ministères du gouvernement"),
        make_event("table-2", GR, "interests", "Organismes communautaires", "Financement à la mission"),
        make_event("table-1", GR, "position", "ministères du  gouvernement", "Bailleurs de fonds"),
        make_event("table-2", GR, "position", "Ministères du gouvernement", "Établissent les programmes"),
        make_event("table-3", GR, "actor", "MINISTÈRES DU GOUVERNEMENT"),  # same row, nothing added
        make_event("table-1", GR, "values", "Organismes communautaires", "Autonomie"),
    ]
    grid = _grid(events, instruments)
    assert [row.name for row in grid.rows] == ["Ministères du gouvernement", "Organismes communautaires"]
    ministries, community = grid.rows
    # position: table-1 wrote first, table-2 later: table-2's text is shown, 2 versions
    assert ministries.cells["position"].text == "Établissent les programmes"
    assert ministries.cells["position"].participant == "table-2"
    assert ministries.cells["position"].versions == 2
    assert set(ministries.cells) == {"position"}
    assert community.cells["interests"].text == "Financement à la mission"
    assert community.cells["values"].participant == "table-1"
    assert grid.filled == 3
    assert grid.columns == ("position", "interests", "values", "scientific", "experiential")
    # current rows: the first naming of each actor (event 1; event 2 names "Organismes" through a
    # cell, which is its latest for that cell), the latest text of each cell (events 2, 4, 6)
    assert is_current(events_frame(events), instruments).tolist() == [True, True, False, True, False, True]


def test_an_empty_grid(instruments):
    grid = _grid([], instruments)
    assert grid.rows == ()
    assert grid.filled == 0


@pytest.fixture
def session(sqlite_store, instruments):
    return create_session(sqlite_store, instruments, "Controverse", instrument_ids=(GR,))


def test_a_table_adds_an_actor_and_fills_cells_resend_stored_once(sqlite_store, session, instruments):
    grid = instruments[GR]
    assert submit_grid_actor(sqlite_store, session, "participant-01", grid, "  PPP  ", "a1")
    assert not submit_grid_actor(sqlite_store, session, "participant-01", grid, "PPP", "a1")
    assert submit_grid_cell(
        sqlite_store, session, "participant-01", grid, "PPP", "interests", "Démontrer l'impact", "c1"
    )
    assert not submit_grid_cell(
        sqlite_store, session, "participant-01", grid, "PPP", "interests", "Démontrer l'impact", "c1"
    )
    assert submit_grid_cell(
        sqlite_store, session, "participant-02", grid, "ppp", "interests", "Rendre compte", "c2"
    )
    stored = sqlite_store.read_events(session.code)
    assert [(e.item, e.value, e.text) for e in stored] == [
        ("actor", "PPP", ""),
        ("interests", "PPP", "Démontrer l'impact"),
        ("interests", "ppp", "Rendre compte"),
    ]
    result = _grid(stored, instruments)
    assert [(r.name, r.cells["interests"].text) for r in result.rows] == [("PPP", "Rendre compte")]


@pytest.mark.parametrize(
    ("actor", "column", "text", "key"),
    [
        ("PPP", "nope", "x", "error.unknown_column"),
        ("  ", "position", "x", "grid.err_actor"),
        ("PPP", "position", " ", "grid.err_text"),
        ("PPP", "position", "x" * 281, "timeline.err_too_long"),
        ("P" * 81, "position", "x", "timeline.err_too_long"),
        ("PPP", "actor", "x", "error.unknown_column"),
    ],
)
def test_bad_cells_are_refused_and_store_nothing(
    sqlite_store, session, instruments, actor, column, text, key
):
    with pytest.raises(RejectedInput) as info:
        submit_grid_cell(sqlite_store, session, "participant-01", instruments[GR], actor, column, text, "s")
    assert info.value.key == key
    assert sqlite_store.read_events(session.code) == []
