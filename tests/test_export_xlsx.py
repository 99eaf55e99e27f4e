"""XLSX export, read back with openpyxl: values, formatting, and formulas kept as plain text."""

from __future__ import annotations

import io

import openpyxl
import pytest
from export_support import CODE, FORMULA_CARDS, KEEP, THROW, known_events, stored

from partenariat_core.export import export_xlsx, load_session_data


@pytest.fixture
def book_fr(sqlite_store, instruments):
    data = load_session_data(stored(sqlite_store), instruments, CODE)
    file = export_xlsx(data, "fr")
    assert file.name == "2026-11-25 KNWN23 Table de quartier — « avant ».xlsx"
    return openpyxl.load_workbook(io.BytesIO(file.data))


def find_row(ws, first: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first)


def test_sheets_in_french(book_fr):
    assert book_fr.sheetnames == [
        "Résumé",
        "Garder - Jeter",  # the board is named after its columns, the activities by their short name
        "Mots fréquents",
        "Par secteur",
        "Réponses Garder ou jeter",
        "Réponses Six conditions",
        "Réponses Continuum",
        "Réponses Secteur",
        "Historique des réponses",
    ]


def test_sheets_in_english(sqlite_store, instruments):
    data = load_session_data(stored(sqlite_store), instruments, CODE)
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "en").data))
    assert book.sheetnames[:4] == ["Summary", "Keep - Throw away", "Top words", "By sector"]
    assert book.sheetnames[-1] == "Response history"
    assert book["Summary"]["A1"].value == "Field"


def test_every_sheet_has_a_bold_frozen_header_and_set_widths(book_fr):
    for ws in book_fr.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws["A1"].font.b, ws.title
        assert ws["A1"].fill.fgColor.rgb.endswith("DCE6F5"), ws.title
        assert ws.column_dimensions["A"].width >= 8, ws.title


def test_summary_sheet_holds_session_scores_and_note(book_fr):
    ws = book_fr["Résumé"]
    assert ws["A2"].value == "Titre" and ws["B2"].value == "Table de quartier — « avant »"
    assert ws.cell(find_row(ws, "Participant·e·s"), 2).value == 5
    header = find_row(ws, "Condition")
    columns = [c.value for c in ws[header]]
    mean_col = columns.index("Score dérivé moyen") + 1
    n_col = columns.index("Réponses (n)") + 1
    dk_col = columns.index("Je ne sais pas") + 1
    by_condition = {
        ws.cell(header + i, 1).value[:2]: (
            ws.cell(header + i, n_col).value,
            ws.cell(header + i, dk_col).value,
            ws.cell(header + i, mean_col).value,
        )
        for i in range(1, 7)
    }
    assert by_condition == {
        "C1": (5, 0, 2.8),
        "C2": (5, 0, 1.2),
        "C3": (5, 0, 2.0),
        "C4": (5, 0, 2.0),
        "C5": (4, 1, 1.75),
        "C6": (5, 0, 2.2),
    }
    assert ws.cell(header + 7, 1).value.startswith("Score dérivé (A = 3, B = 2, C = 1)")
    level = find_row(ws, "Niveau")
    counts = [[ws.cell(level + i, c).value for c in (1, 2, 3)] for i in range(1, 5)]
    assert counts == [
        ["Réseautage", 1, 0],
        ["Coordination", 3, 1],
        ["Coopération", 1, 3],
        ["Collaboration", 0, 1],
    ]


def test_board_sheet_has_the_columns_side_by_side(book_fr):
    ws = book_fr["Garder - Jeter"]
    assert [ws["A1"].value, ws["B1"].value] == ["Qu'est-ce qu'on garde", "Qu'est-ce qu'on jette"]
    keep = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    throw = [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)]
    assert [v for v in keep if v] == KEEP
    assert throw == THROW


def test_formula_cards_are_strings_with_the_exact_text(book_fr):
    seen = 0
    for name in ("Garder - Jeter", "Réponses Garder ou jeter", "Historique des réponses"):
        for row in book_fr[name].iter_rows():
            for cell in row:
                if cell.value in FORMULA_CARDS:
                    assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                    seen += 1
    assert seen == 3 * len(FORMULA_CARDS)
    for ws in book_fr.worksheets:  # no formula anywhere in the workbook
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), ws.title


def test_raw_sheet_of_an_instrument_holds_its_current_answers(book_fr):
    ws = book_fr["Réponses Six conditions"]
    events = [e for e in known_events() if e.instrument == "conditions"]
    current = [e for e in events if e.submission_id != f"{CODE}-p2-first"]  # p2 changed c1 C → A
    assert ws.max_row == 1 + len(current) == 31
    assert [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)] == [e.submission_id for e in current]
    assert ws["K1"].value == "Réponse actuelle"
    assert all(ws.cell(r, 11).value is True for r in range(2, ws.max_row + 1))
    assert ws.cell(2, 11).data_type == "b"  # a real boolean: Excel shows VRAI/FAUX or TRUE/FALSE
    p2_c1 = [ws.cell(r, 7).value for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "p2"]
    assert p2_c1[0] == "A" and len(p2_c1) == 6  # one answer per condition item
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"


def test_history_sheet_holds_every_event_with_one_superseded(book_fr):
    ws = book_fr["Historique des réponses"]
    events = known_events()
    assert ws.max_row == 1 + len(events)
    assert [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)] == [e.submission_id for e in events]
    c1 = [
        (ws.cell(r, 7).value, ws.cell(r, 11).value)
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, 2).value == "p2" and ws.cell(r, 5).value == "c1_viewpoints"
    ]
    assert c1 == [("C", False), ("A", True)]
    assert [ws.cell(r, 11).value for r in range(2, ws.max_row + 1)].count(False) == 1
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"


def test_sector_sheet_at_threshold_3_shows_no_group_of_the_known_session(book_fr):
    ws = book_fr["Par secteur"]
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("Municipal" in v or "Communautaire" in v for v in values)
    assert sum(v.startswith("5 personnes ne sont pas montrées") for v in values) == 3


def test_sector_sheet_at_threshold_2_has_the_means_by_hand(sqlite_store, instruments):
    data = load_session_data(stored(sqlite_store), instruments, CODE, threshold=2)
    ws = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "fr").data))["Par secteur"]
    assert ws["A1"].value.startswith("Un secteur de moins de 2 personnes")
    rows: dict[str, int] = {}
    for r in range(1, ws.max_row + 1):
        rows.setdefault(ws.cell(r, 1).value, r)  # first table: conditions (continuum tables follow)
    community = [ws.cell(rows["Communautaire (n = 3)"], c).value for c in range(2, 8)]
    municipal = [ws.cell(rows["Municipal (n = 2)"], c).value for c in range(2, 8)]
    assert community == [3.0, 1.33, 2.33, 2.0, 1.67, 2.33]
    assert municipal == [2.5, 1.0, 1.5, 2.0, 2.0, 2.0]


def test_tabs_use_human_names_for_another_preset(sqlite_store, instruments):
    """Issue 9.6: no ids in tab names; a start/stop/continue board is not named "keep / throw"."""
    store = stored(sqlite_store, keep_throw_preset="commencer_arreter_continuer")
    data = load_session_data(store, instruments, CODE)
    names = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "en").data)).sheetnames
    assert names == [
        "Summary",
        "Start - Stop - Continue",
        "Top words",
        "By sector",
        "Responses Keep or throw",
        "Responses Six conditions",
        "Responses Continuum",
        "Responses Sector",
        "Response history",
    ]
    french = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "fr").data)).sheetnames
    assert french[1] == "Commencer - Arrêter - Continuer"  # 31 characters: Excel's limit, not cut
