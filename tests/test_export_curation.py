"""The curated board in every export: XLSX (card state, group, votes, ranking), the HTML report (ranked
board, groups with their members, hidden cards left out), and the JSON archive's round trip.

On top of the known session (``export_support``: keep-0 "=SUM(A1:A9)" by p1, keep-1 "Café « crème »
à l'école" by p2, keep-2 "<script>…" by p3; throw-0 "+33 1 23 45 67 89" by p1 … throw-3 "Travail en
silo" by p4), the host groups keep-0 and keep-1 under a title with markup, hides throw-3; p3 edits
keep-2 to "Le script". Votes, worked out by hand:

    p1 → the group 1        group: 1 + 1 (p2, on its member keep-0)        = 2   rank 1
    p2 → keep-0 1           keep-2: 1 (p5)                                  = 1   rank 2
    p3 → throw-0 1          throw-0: 1 (p3); p5's 1 then 0 counts nothing   = 1   rank 2
    p4 → throw-3 1          hidden: counts nowhere
    p5 → throw-0 1, then 0; p5 → keep-2 1
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json

import openpyxl
import pytest
from export_support import CODE, T0, stored

from partenariat_core.export import (
    export_csv,
    export_html,
    export_json,
    export_xlsx,
    import_archive,
    load_session_data,
)
from partenariat_core.model import Event
from partenariat_core.scoring.curated import (
    CARD_EDIT,
    GROUP,
    GROUP_MEMBER,
    HIDDEN,
    HOST,
    MODERATION,
    VOTE,
    card_id,
)
from partenariat_core.store import SQLiteStore

TITLE = "Boissons & <b>formules</b>"


def _card(column: str, n: int) -> str:
    return card_id("keep_throw", column, f"{CODE}-{column}-{n}")


def curation_events() -> list[Event]:
    events: list[Event] = []

    def add(person: str, instrument: str, item: str, value: str = "", text: str = "") -> None:
        when = T0 + dt.timedelta(hours=1, seconds=len(events))
        events.append(Event(CODE, person, f"cur-{len(events)}", instrument, item, value, text, when))

    add(HOST, GROUP, "group-1", "keep_throw", TITLE)
    add(HOST, GROUP_MEMBER, _card("keep", 0), "group-1")
    add(HOST, GROUP_MEMBER, _card("keep", 1), "group-1")
    add(HOST, MODERATION, _card("throw", 3), HIDDEN)
    add("p3", CARD_EDIT, _card("keep", 2), "edit", "Le script")
    add("p1", VOTE, "group-1", "1")
    add("p2", VOTE, _card("keep", 0), "1")
    add("p3", VOTE, _card("throw", 0), "1")
    add("p4", VOTE, _card("throw", 3), "1")
    add("p5", VOTE, _card("throw", 0), "1")
    add("p5", VOTE, _card("throw", 0), "0")
    add("p5", VOTE, _card("keep", 2), "1")
    return events


@pytest.fixture
def curated(sqlite_store, instruments):
    store = stored(sqlite_store)
    store.append_events(curation_events())
    return load_session_data(store, instruments, CODE)


def _rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def test_xlsx_has_every_card_with_its_state_group_and_votes_and_the_ranking(curated):
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(curated, "fr").data))
    assert "Cartes et votes" in book.sheetnames and "Classement par votes" in book.sheetnames
    header, *rows = _rows(book["Cartes et votes"])
    assert header == (
        "Carte",
        "Colonne",
        "Texte actuel",
        "Texte publié",
        "État",
        "Regroupement",
        "Cartes du regroupement",
        "Votes",
        "Votes du regroupement",
    )
    keep, throw = "Qu'est-ce qu'on garde", "Qu'est-ce qu'on jette"
    assert rows == [
        (_card("keep", 0), keep, "=SUM(A1:A9)", "=SUM(A1:A9)", "au tableau", TITLE, 2, 1, 2),
        (
            _card("keep", 1),
            keep,
            "Café « crème » à l'école",
            "Café « crème » à l'école",
            "au tableau",
            TITLE,
            2,
            0,
            2,
        ),
        (_card("keep", 2), keep, "Le script", "<script>alert(1)</script>", "au tableau", "", 0, 1, 0),
        (_card("throw", 0), throw, "+33 1 23 45 67 89", "+33 1 23 45 67 89", "au tableau", "", 0, 1, 0),
        (_card("throw", 1), throw, "@channel", "@channel", "au tableau", "", 0, 0, 0),
        (_card("throw", 2), throw, "-1", "-1", "au tableau", "", 0, 0, 0),
        (
            _card("throw", 3),
            throw,
            "Travail en silo",
            "Travail en silo",
            "masquée par l'animation",
            "",
            0,
            0,
            0,
        ),
    ]
    header, *ranking = _rows(book["Classement par votes"])
    assert header == ("Rang", "Texte actuel", "Colonne", "Cartes", "Votes", "Cartes regroupées")
    assert ranking == [
        (1, TITLE, keep, 2, 2, "=SUM(A1:A9) · Café « crème » à l'école"),
        (2, "Le script", keep, 1, 1, ""),
        (2, "+33 1 23 45 67 89", throw, 1, 1, ""),
    ]
    # the board sheet is the room's board: the hidden card is out, the edited one shows its new text
    board = _rows(book["Garder - Jeter"])
    assert [row[1] for row in board[1:]] == ["+33 1 23 45 67 89", "@channel", "-1"]
    assert [row[0] for row in board[1:]] == ["=SUM(A1:A9)", "Café « crème » à l'école", "Le script"]


def test_an_uncurated_board_adds_no_sheet(sqlite_store, instruments):
    data = load_session_data(stored(sqlite_store), instruments, CODE)
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "fr").data))
    assert "Cartes et votes" not in book.sheetnames


def test_html_report_shows_the_ranking_and_groups_escaped_and_leaves_hidden_cards_out(curated):
    text = export_html(curated, "fr").data.decode("utf-8")
    assert "Classement par votes" in text and "Regroupements" in text
    assert "Boissons &amp; &lt;b&gt;formules&lt;/b&gt; (×2)" in text
    assert "<b>formules</b>" not in text
    assert html.escape("1 carte masquée par l'animation ne figure ni au tableau") in text
    assert "Travail en silo" not in text  # hidden: out of the report's board and its lists
    assert "Le script" in text and "&lt;script&gt;alert(1)&lt;/script&gt;" not in text
    english = export_html(curated, "en").data.decode("utf-8")
    assert "Ranked by votes" in english and "1 card hidden by the host is out" in english


def test_archive_round_trip_keeps_curation_events_and_the_approval_setting(
    sqlite_store, instruments, tmp_path
):
    store = stored(sqlite_store, cards_need_approval=True)
    store.append_events(curation_events())
    data = load_session_data(store, instruments, CODE)
    archive = export_json(data).data
    doc = json.loads(archive)
    assert doc["session"]["cards_need_approval"] == "1"
    assert sum(1 for e in doc["events"] if e["instrument"] == VOTE) == 7
    target = SQLiteStore(tmp_path / "target.db")
    try:
        result = import_archive(target, archive, instruments)
        assert result.created and result.added == result.total == len(data.events)
        assert target.get_session(CODE).cards_need_approval is True
        again = load_session_data(target, instruments, CODE)
        unseq = [dataclasses.replace(e, seq=None) for e in again.events]
        assert unseq == [dataclasses.replace(e, seq=None) for e in data.events]
        before, after = data.summary.curated["keep_throw"], again.summary.curated["keep_throw"]
        assert [(c.id, c.state, c.text) for c in after.cards.values()] == [
            (c.id, c.state, c.text) for c in before.cards.values()
        ]
        # with approval on, the cards the host never showed wait in the queue; the group is too
        assert len(after.pending) == 6 and after.cards[_card("throw", 3)].state == HIDDEN
        assert import_archive(target, archive, instruments).added == 0
    finally:
        target.close()


def test_csv_zip_adds_the_curated_cards_when_the_board_was_curated(curated):
    import csv
    import zipfile

    with zipfile.ZipFile(io.BytesIO(export_csv(curated, "fr").data)) as archive:
        names = archive.namelist()
        (cards,) = [n for n in names if "Cartes et votes" in n]
        rows = list(csv.reader(io.StringIO(archive.read(cards).decode("utf-8-sig"))))
    assert len(names) == 4
    assert rows[0][:5] == ["Carte", "Colonne", "Texte actuel", "Texte publié", "État"]
    assert len(rows) == 8  # the header and the seven cards, hidden one included
    assert rows[1][2] == "'=SUM(A1:A9)"  # a formula card stays neutralised, as in every CSV
    assert [r[4] for r in rows[1:]].count("masquée par l'animation") == 1
