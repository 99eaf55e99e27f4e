"""Choice and open questions in every export (issue 11.1): figures computed by hand."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from test_kinds_more import CHOICE, OPEN

from partenariat_core.export import export_html, export_json, export_xlsx, import_archive, session_data
from partenariat_core.export.csv_export import csv_files
from partenariat_core.export.tables import choice_table, open_table, responses_table
from partenariat_core.instruments import load_instruments
from partenariat_core.instruments.loader import parse_text
from partenariat_core.model import Session


@pytest.fixture
def data(make_event):
    lunch, word = parse_text(CHOICE, "lunch.toml"), parse_text(OPEN, "word.toml")
    instruments = {**load_instruments(), "lunch": lunch, "word": word}
    session = Session("KNDS23", "Dîner « partagé »", instruments=("lunch", "word"))
    events = [
        make_event("anne", "lunch", "answer", "soup salad", session="KNDS23"),
        make_event("bob", "lunch", "answer", "soup", session="KNDS23"),
        make_event("anne", "lunch", "answer", "salad cake", session="KNDS23"),
        make_event("anne", "word", "answer", text="=SUM(A1) confiance", session="KNDS23"),
        make_event("bob", "word", "answer", text="Temps", session="KNDS23"),
    ]
    return session_data(session, events, instruments)


def test_the_choice_table_by_hand(data):
    table = choice_table(data, data.instruments["lunch"], "fr")
    # anne: salad+cake (her latest), bob: soup -> 1, 1, 1 of 2 people: 50 % each
    assert table.to_dict("list") == {
        "Option": ["Soupe", "Salade", "Gâteau"],
        "Personnes": [1, 1, 1],
        "%": [50.0, 50.0, 50.0],
    }
    assert open_table(data, data.instruments["word"], "en").to_dict("list") == {
        "One word for the day?": ["=SUM(A1) confiance", "Temps"]
    }


def test_raw_rows_name_every_ticked_option(data):
    rows = responses_table(data, "en", "lunch")
    assert rows.iloc[:, 7].tolist() == ["Soup", "Salad ; Cake"]  # value labels, current answers only
    assert set(rows.iloc[:, 5]) == {"What do we eat?"}


def test_xlsx_summary_holds_both_tables(data):
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "en").data))
    ws = book[book.sheetnames[0]]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    at = cells.index(["Lunch", None, None])
    assert cells[at + 1] == ["Option", "People", "%"]
    assert cells[at + 2 : at + 5] == [["Soup", 1, 50], ["Salad", 1, 50], ["Cake", 1, 50]]
    flat = [v for row in cells for v in row]
    assert "=SUM(A1) confiance" in flat  # kept as text, never a formula


def test_html_report_shows_the_counts_and_the_answers_escaped(data):
    text = export_html(data, "fr").data.decode()
    assert "Que mange-t-on ?" in text and "Gâteau" in text
    assert "<div class='card'>Temps</div>" in text
    assert "=SUM(A1) confiance" in text


def test_csv_holds_the_answers(data):
    responses = csv_files(data, "en")[0].data.decode("utf-8-sig")
    assert "Salad ; Cake" in responses and "'=SUM(A1) confiance" in responses


def test_the_archive_keeps_choice_and_open_definitions_and_imports_back(data, sqlite_store):
    archive = json.loads(export_json(data).data)
    kinds = {i["id"]: i for i in archive["instruments"]}
    assert kinds["lunch"]["multiple"] is True and [o["id"] for o in kinds["lunch"]["options"]] == [
        "soup",
        "salad",
        "cake",
    ]
    assert kinds["word"]["max_length"] == 40
    result = import_archive(sqlite_store, export_json(data).data, data.instruments)
    assert result.created and result.added == 5 and result.changed_instruments == []
