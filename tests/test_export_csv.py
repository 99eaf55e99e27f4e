"""CSV export: Excel-friendly encoding, formulas neutralised, one row per stored answer, zipped."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest
from export_support import CODE, FORMULA_CARDS, KEEP, THROW, known_events, stored

from partenariat_core.export import csv_bytes, export_csv, load_session_data
from partenariat_core.export.csv_export import csv_files


@pytest.fixture
def data(sqlite_store, instruments):
    return load_session_data(stored(sqlite_store), instruments, CODE)


def rows(raw: bytes, delimiter: str = ",") -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel then reads accents right
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=delimiter))


def test_zip_holds_current_responses_history_and_session_with_safe_names(data):
    file = export_csv(data, "fr")
    assert file.mime == "application/zip"
    assert file.name == "2026-11-25 KNWN23 CSV Table de quartier — « avant ».zip"
    names = zipfile.ZipFile(io.BytesIO(file.data)).namelist()
    assert names == [
        "2026-11-25 KNWN23 réponses Table de quartier — « avant ».csv",
        "2026-11-25 KNWN23 historique des réponses Table de quartier — « avant ».csv",
        "2026-11-25 KNWN23 session Table de quartier — « avant ».csv",
    ]


def test_history_file_has_one_row_per_event_in_order_and_marks_the_current_ones(data):
    table = rows(csv_files(data, "fr")[1].data)
    events = known_events()
    assert table[0][:4] == ["Session", "Participant·e", "Identifiant d'envoi", "Activité"]
    assert table[0][-1] == "Réponse actuelle"
    assert len(table) == 1 + len(events)  # nothing merged: the changed answer of p2 is there twice
    assert [r[2] for r in table[1:]] == [e.submission_id for e in events]
    c1 = [r for r in table[1:] if r[1] == "p2" and r[4] == "c1_viewpoints"]
    assert [r[6] for r in c1] == ["C", "A"]
    assert [r[10] for r in c1] == ["FALSE", "TRUE"]
    assert c1[0][7] == "C — faible"
    # p2's first C on c1 is the only superseded event of the known session
    assert [r[10] for r in table[1:]].count("FALSE") == 1
    assert {r[10] for r in table[1:]} == {"TRUE", "FALSE"}


def test_current_file_holds_each_answer_once(data):
    """The default file: a pivot of it counts p2's changed answer once, as the scores do."""
    table = rows(csv_files(data, "fr")[0].data)
    assert len(table) == 1 + len(known_events()) - 1  # p2's first c1 answer left out
    c1 = [r for r in table[1:] if r[1] == "p2" and r[4] == "c1_viewpoints"]
    assert [(r[6], r[10]) for r in c1] == [("A", "TRUE")]
    assert {r[10] for r in table[1:]} == {"TRUE"}
    # c1_viewpoints by hand: p1..p5 answered A A A B A (p2 after changing from C)
    values = [r[6] for r in table[1:] if r[4] == "c1_viewpoints"]
    assert sorted(values) == ["A", "A", "A", "A", "B"]
    history = rows(csv_files(data, "fr")[1].data)
    assert sorted(r[6] for r in history[1:] if r[4] == "c1_viewpoints") == ["A", "A", "A", "A", "B", "C"]


def test_formulas_are_neutralised_and_other_text_is_exact(data):
    table = rows(csv_files(data, "fr")[0].data)
    texts = [r[8] for r in table[1:] if r[3] == "keep_throw"]
    expected = ["'" + c if c in FORMULA_CARDS else c for c in KEEP + THROW]
    assert texts == expected
    assert "Café « crème » à l'école" in texts  # accents and guillemets intact


def test_semicolon_delimiter_for_excel_in_french(data):
    raw = csv_files(data, "en", ";")[2].data
    table = rows(raw, ";")
    assert table[0][:3] == ["Code", "Title", "Date"]
    assert table[1][:3] == [CODE, "Table de quartier — « avant »", "2026-11-25"]
    assert table[1][-2:] == ["5", str(len(known_events()))]  # participants, stored answers


def test_lines_end_in_crlf_and_quotes_are_escaped():
    frame = pd.DataFrame({"a": ['dit "oui", puis non', "=1+1"], "b": [1.5, None]})
    raw = csv_bytes(frame)
    assert raw == '\ufeffa,b\r\n"dit ""oui"", puis non",1.5\r\n\'=1+1,\r\n'.encode()


def test_unknown_delimiter_is_refused():
    with pytest.raises(ValueError):
        csv_bytes(pd.DataFrame({"a": [1]}), "|")


def test_pandas_reads_the_current_column_as_booleans(data):
    """TRUE/FALSE, not oui/non: typed by pandas (and R, LibreOffice, an English Excel) with no mapping."""
    history = pd.read_csv(io.BytesIO(csv_files(data, "fr", ";")[1].data), sep=";", encoding="utf-8-sig")
    assert history["Réponse actuelle"].dtype == bool
    assert int(history["Réponse actuelle"].sum()) == len(known_events()) - 1  # p2's first c1 answer
    current = history[history["Réponse actuelle"]]
    per_item = current.groupby(["Participant·e", "Question"]).size()
    conditions = current[current["Activité"] == "conditions"]
    assert per_item[("p2", "c1_viewpoints")] == 1 and len(conditions) == 30  # 5 people × 6 items
