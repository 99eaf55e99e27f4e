"""The fake's ``spreadsheets.batchUpdate`` requests, driven through gspread's own methods.

What a person does to the app's worksheets (sort, insert and delete rows or columns, protect,
freeze, hide a tab) and what gspread sends for it must behave here as it does at Google, or the
store's tests prove nothing about a sheet people touch. Expected values are worked out by hand.
"""

from __future__ import annotations

import gspread
import pytest
import requests
from gspread import Worksheet
from gspread.exceptions import APIError
from gspread.utils import ValidationConditionType

from partenariat_core.fake_sheets import FakeSheetsServer, ManualClock
from partenariat_core.sheets_transport import gspread_client

KEY = "1FakeKey_requests"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
Server = FakeSheetsServer


@pytest.fixture
def srv():
    server = FakeSheetsServer()
    server.clock = ManualClock()
    server.start()
    server.create_spreadsheet(KEY, "Workshop", sheets=["Responses", "Sessions"])
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sh(srv: Server) -> gspread.Spreadsheet:
    return gspread_client(srv.base_url, timeout=5).open_by_key(KEY)


@pytest.fixture
def ws(sh: gspread.Spreadsheet) -> Worksheet:
    return sh.worksheet("Responses")


def sheet_meta(srv: Server, title: str = "Responses") -> dict:
    return next(s for s in srv.metadata(KEY)["sheets"] if s["properties"]["title"] == title)


def violations(error: APIError) -> list[dict]:
    details = error.error["details"]
    assert details[0]["@type"] == BAD_REQUEST
    return details[0]["fieldViolations"]


# -- sortRange ---------------------------------------------------------------------------------


def test_sort_whole_sheet_below_frozen_header_z_to_a(srv: Server, ws: Worksheet) -> None:
    srv.set_values(
        KEY,
        "Responses",
        [["code", "name"], ["B", "bob"], ["A", "ann"], ["", "nobody"], ["C", "cid"]],
    )
    ws.freeze(rows=1)
    ws.sort((1, "des"))

    # The header stays (frozen); the blank code goes last even in Z→A.
    assert srv.values(KEY, "Responses") == [
        ["code", "name"],
        ["C", "cid"],
        ["B", "bob"],
        ["A", "ann"],
        ["", "nobody"],
    ]
    assert sheet_meta(srv)["properties"]["gridProperties"]["frozenRowCount"] == 1


def test_sort_orders_numbers_then_text_ignoring_case_and_accents(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["été"], [10], ["Zoé"], [2], ["eve"], ["", "x"], ["abc"]])
    ws.sort((1, "asc"))

    assert srv.values(KEY, "Responses") == [
        ["2"],
        ["10"],
        ["abc"],
        ["été"],
        ["eve"],
        ["Zoé"],
        ["", "x"],
    ]


def test_sort_a_range_by_two_columns_moves_only_its_cells(srv: Server, ws: Worksheet) -> None:
    srv.set_values(
        KEY,
        "Responses",
        [["h1", "h2", "out"], ["x", "2", "p"], ["y", "1", "q"], ["x", "1", "r"], ["tail", "", ""]],
    )
    ws.sort((1, "asc"), (2, "des"), range="A2:B4")

    assert srv.values(KEY, "Responses") == [
        ["h1", "h2", "out"],
        ["x", "2", "p"],
        ["x", "1", "q"],
        ["y", "1", "r"],
        ["tail"],
    ]


def test_sort_spec_outside_the_range_is_400_with_details(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["b"], ["a"]])
    with pytest.raises(APIError) as info:
        ws.sort((3, "asc"), range="A1:B2")

    assert info.value.code == 400
    assert info.value.error["message"].startswith("Invalid requests[0].sortRange: ")
    assert violations(info.value)[0]["field"] == "requests[0].sortRange"
    assert srv.values(KEY, "Responses") == [["b"], ["a"]]


# -- insertDimension / deleteDimension ---------------------------------------------------------


def test_insert_rows_shifts_what_follows_and_grows_the_grid(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["h"], ["r1"], ["r2"]])
    ws.insert_rows([["new1"], ["new2"]], row=2)

    assert srv.values(KEY, "Responses") == [["h"], ["new1"], ["new2"], ["r1"], ["r2"]]
    assert sheet_meta(srv)["properties"]["gridProperties"]["rowCount"] == 1002


def test_delete_rows_removes_them_and_shrinks_the_grid(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["h"], ["r1"], ["r2"], ["r3"], ["r4"]])
    ws.delete_rows(2, 3)

    assert srv.values(KEY, "Responses") == [["h"], ["r3"], ["r4"]]
    assert sheet_meta(srv)["properties"]["gridProperties"]["rowCount"] == 998
    assert ws.row_count == 998


def test_insert_and_delete_columns(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["a", "b", "c"], ["1", "2", "3"]])
    ws.insert_cols([["X", "Y"]], col=2)
    assert srv.values(KEY, "Responses") == [["a", "X", "b", "c"], ["1", "Y", "2", "3"]]

    ws.delete_columns(1, 2)
    assert srv.values(KEY, "Responses") == [["b", "c"], ["2", "3"]]
    assert sheet_meta(srv)["properties"]["gridProperties"]["columnCount"] == 25


def test_deleting_every_row_is_refused_and_changes_nothing(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["h"], ["r1"]])
    with pytest.raises(APIError) as info:
        ws.delete_rows(1, 1000)

    assert info.value.code == 400
    assert "You can't delete all the rows on the sheet." in info.value.error["message"]
    assert srv.values(KEY, "Responses") == [["h"], ["r1"]]


def test_deleting_past_the_grid_is_400(srv: Server, ws: Worksheet) -> None:
    with pytest.raises(APIError) as info:
        ws.delete_rows(999, 1001)

    assert info.value.code == 400
    assert sheet_meta(srv)["properties"]["gridProperties"]["rowCount"] == 1000


# -- protected ranges ---------------------------------------------------------------------------


def test_warning_only_protected_range_is_listed_and_deleted(
    srv: Server, sh: gspread.Spreadsheet, ws: Worksheet
) -> None:
    reply = ws.add_protected_range("A1:C", description="app columns", warning_only=True)

    added = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    range_id = added["protectedRangeId"]
    expected = {
        "protectedRangeId": range_id,
        # gspread sends the sheet id (0 here, left out like Google does) and no end row for "C".
        "range": {"startRowIndex": 0, "startColumnIndex": 0, "endColumnIndex": 3},
        "description": "app columns",
        "warningOnly": True,
        "requestingUserCanEdit": True,
    }
    assert added == expected
    assert sheet_meta(srv)["protectedRanges"] == [expected]
    assert sh.list_protected_ranges(ws.id) == [expected]

    ws.delete_protected_range(range_id)
    assert "protectedRanges" not in sheet_meta(srv)
    assert sh.list_protected_ranges(ws.id) == []


def test_protected_range_with_editors_matches_googles_recorded_shape(srv: Server, ws: Worksheet) -> None:
    reply = ws.add_protected_range("A1:B2")

    added = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    # As in gspread's cassette test_add_protected_range_normal: the reply echoes the editors
    # asked for ({}), spreadsheets.get lists the requesting account.
    assert added == {
        "protectedRangeId": added["protectedRangeId"],
        "range": {"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2},
        "requestingUserCanEdit": True,
        "editors": {},
    }
    listed = sheet_meta(srv)["protectedRanges"][0]
    assert listed["editors"] == {"users": [srv.metadata_owner(KEY)]}


def test_protected_range_moves_with_inserted_and_deleted_columns(srv: Server, ws: Worksheet) -> None:
    ws.add_protected_range("B1:C", warning_only=True)
    ws.insert_cols([["new"]], col=1)  # before B: the protected columns become C:D
    assert sheet_meta(srv)["protectedRanges"][0]["range"] == {
        "startRowIndex": 0,
        "startColumnIndex": 2,
        "endColumnIndex": 4,
    }

    ws.delete_columns(3)  # one of the two protected columns goes: D alone is left, now C
    assert sheet_meta(srv)["protectedRanges"][0]["range"]["startColumnIndex"] == 2
    assert sheet_meta(srv)["protectedRanges"][0]["range"]["endColumnIndex"] == 3

    ws.delete_columns(3)  # the last protected column goes: so does the protection
    assert "protectedRanges" not in sheet_meta(srv)


def test_deleting_an_unknown_protected_range_is_400(ws: Worksheet) -> None:
    with pytest.raises(APIError) as info:
        ws.delete_protected_range("12345")

    assert info.value.code == 400
    assert "No protected range with id: 12345" in info.value.error["message"]


def test_update_protected_range_turns_a_warning_into_a_protection(
    srv: Server, sh: gspread.Spreadsheet, ws: Worksheet
) -> None:
    reply = ws.add_protected_range("A1:A2", warning_only=True)
    range_id = reply["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    sh.batch_update(
        {
            "requests": [
                {
                    "updateProtectedRange": {
                        "protectedRange": {"protectedRangeId": range_id, "warningOnly": False},
                        "fields": "warningOnly",
                    }
                }
            ]
        }
    )

    listed = sheet_meta(srv)["protectedRanges"][0]
    assert "warningOnly" not in listed
    assert listed["editors"] == {"users": [srv.metadata_owner(KEY)]}


# -- sheet properties ---------------------------------------------------------------------------


def test_hiding_the_last_visible_sheet_is_refused(srv: Server, sh: gspread.Spreadsheet) -> None:
    sh.worksheet("Sessions").hide()
    assert sheet_meta(srv, "Sessions")["properties"]["hidden"] is True

    with pytest.raises(APIError) as info:
        sh.worksheet("Responses").hide()

    assert info.value.code == 400
    assert info.value.error["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document."
    )
    assert violations(info.value)[0]["field"] == "requests[0].updateSheetProperties"
    assert "hidden" not in sheet_meta(srv)["properties"]
    assert [w.title for w in sh.worksheets(exclude_hidden=True)] == ["Responses"]

    sh.worksheet("Sessions").show()
    assert "hidden" not in sheet_meta(srv, "Sessions")["properties"]


def test_title_tab_color_and_gridlines(srv: Server, ws: Worksheet) -> None:
    ws.update_title("Answers")
    ws.update_tab_color("#ff0000")
    ws.hide_gridlines()

    props = sheet_meta(srv, "Answers")["properties"]
    assert props["tabColorStyle"] == {"rgbColor": {"red": 1.0, "green": 0.0, "blue": 0.0}}
    assert props["gridProperties"]["hideGridlines"] is True

    ws.clear_tab_color()
    ws.show_gridlines()
    props = sheet_meta(srv, "Answers")["properties"]
    assert "tabColorStyle" not in props
    assert "hideGridlines" not in props["gridProperties"]


def test_duplicate_sheet_copies_values_and_protections(
    srv: Server, sh: gspread.Spreadsheet, ws: Worksheet
) -> None:
    srv.set_values(KEY, "Responses", [["a", "b"]])
    ws.add_protected_range("A1:A1", warning_only=True)
    copy = sh.duplicate_sheet(ws.id, new_sheet_name="Backup")

    assert srv.values(KEY, "Backup") == [["a", "b"]]
    original = sheet_meta(srv)["protectedRanges"][0]
    copied = sheet_meta(srv, "Backup")["protectedRanges"][0]
    assert copied["range"]["sheetId"] == copy.id
    assert copied["protectedRangeId"] != original["protectedRangeId"]
    assert [w.title for w in sh.worksheets()] == ["Responses", "Backup", "Sessions"]


# -- cells: format, merge, copy, cut, notes, validation ----------------------------------------


def test_format_keeps_values(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["head", "x"]])
    ws.format("A1:B1", {"textFormat": {"bold": True}})

    assert srv.values(KEY, "Responses") == [["head", "x"]]


def test_merge_keeps_the_top_left_value_and_unmerge_keeps_it(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["a", "b"], ["c", "d"]])
    ws.merge_cells("A1:B2")

    assert srv.values(KEY, "Responses") == [["a"]]
    assert sheet_meta(srv)["merges"] == [
        {"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}
    ]
    ws.unmerge_cells("A1:B2")
    assert "merges" not in sheet_meta(srv)
    assert srv.values(KEY, "Responses") == [["a"]]


def test_copy_and_cut_ranges(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["a", "b"]])
    ws.copy_range("A1:B1", "A3:B4")  # two rows: the one-row source repeats
    assert srv.values(KEY, "Responses") == [["a", "b"], [], ["a", "b"], ["a", "b"]]

    ws.cut_range("A1:B1", "D1")
    assert srv.values(KEY, "Responses") == [
        ["", "", "", "a", "b"],
        [],
        ["a", "b"],
        ["a", "b"],
    ]


def test_notes_and_validation_are_accepted_without_touching_values(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", [["a"]])
    ws.update_note("A1", "checked by hand")
    ws.add_validation("B1:B3", ValidationConditionType.one_of_list, ["yes", "no"])
    ws.hide_rows(1, 2)
    ws.columns_auto_resize(0, 2)

    assert srv.values(KEY, "Responses") == [["a"]]


def test_basic_filter_named_range_and_row_groups_show_in_metadata(
    srv: Server, sh: gspread.Spreadsheet, ws: Worksheet
) -> None:
    ws.set_basic_filter("A1:C10")
    reply = ws.define_named_range("A1:B2", "answers")
    ws.add_dimension_group_rows(1, 4)

    meta = srv.metadata(KEY)
    sheet = sheet_meta(srv)
    assert sheet["basicFilter"] == {
        "range": {"startRowIndex": 0, "endRowIndex": 10, "startColumnIndex": 0, "endColumnIndex": 3}
    }
    named = reply["replies"][0]["addNamedRange"]["namedRange"]
    assert meta["namedRanges"] == [named]
    assert named["name"] == "answers"
    assert ws.list_dimension_group_rows() == [
        {"range": {"dimension": "ROWS", "startIndex": 1, "endIndex": 4}, "depth": 1}
    ]

    ws.clear_basic_filter()
    ws.delete_named_range(named["namedRangeId"])
    ws.delete_dimension_group_rows(1, 4)
    sheet = sheet_meta(srv)
    assert "basicFilter" not in sheet and "rowGroups" not in sheet
    assert "namedRanges" not in srv.metadata(KEY)


# -- errors -------------------------------------------------------------------------------------


def test_unknown_request_kind_is_400_naming_the_request(srv: Server, sh: gspread.Spreadsheet) -> None:
    with pytest.raises(APIError) as info:
        sh.batch_update({"requests": [{"addChart": {}}]})

    assert info.value.code == 400
    assert violations(info.value) == [
        {
            "field": "requests[0]",
            "description": "Invalid requests[0]: the fake Sheets server does not implement 'addChart'.",
        }
    ]


def test_every_400_carries_bad_request_details(srv: Server) -> None:
    url = f"{srv.base_url}/v4/spreadsheets/{KEY}/values/Nowhere%21A1"
    body = requests.get(url, timeout=5).json()

    assert body["error"]["code"] == 400
    assert body["error"]["details"] == [
        {"@type": BAD_REQUEST, "fieldViolations": [{"description": "Unable to parse range: Nowhere!A1"}]}
    ]


def test_404_carries_error_info(srv: Server) -> None:
    body = requests.get(f"{srv.base_url}/v4/spreadsheets/missing", timeout=5).json()

    assert body["error"]["status"] == "NOT_FOUND"
    assert body["error"]["details"][0]["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"
    assert body["error"]["details"][0]["reason"] == "NOT_FOUND"


# -- values.append: Google's table detection ----------------------------------------------------

# The sheet of the Sheets API guide ("Append values"): two tables, A1:C2 and B4:D6.
GUIDE_SHEET = [
    ["x", "y", "z"],
    ["x", "y", "z"],
    [],
    ["", "x", "y"],
    ["", "", "y", "z"],
    ["", "x", "y", "z"],
]


@pytest.mark.parametrize(
    ("table_range", "table", "written"),
    [
        (None, "Responses!B4:D6", "Responses!B7:C7"),  # the whole sheet: the last table
        ("B4", "Responses!B4:D6", "Responses!B7:C7"),
        ("C5:D5", "Responses!B4:D6", "Responses!B7:C7"),
        ("B2:D4", "Responses!B4:D6", "Responses!B7:C7"),  # the last table the range touches
        ("A3:G10", "Responses!B4:D6", "Responses!B7:C7"),
        ("A1", "Responses!A1:C2", "Responses!A3:B3"),
        ("E4", None, "Responses!E4:F4"),  # in no table: written where the range starts
    ],
)
def test_append_lands_where_the_guide_says(
    srv: Server, ws: Worksheet, table_range: str | None, table: str | None, written: str
) -> None:
    srv.set_values(KEY, "Responses", GUIDE_SHEET)
    reply = ws.append_rows([["n1", "n2"]], table_range=table_range)

    assert reply.get("tableRange") == table
    assert reply["updates"]["updatedRange"] == written


def test_append_overwrite_writes_over_what_follows_the_table(srv: Server, ws: Worksheet) -> None:
    srv.set_values(KEY, "Responses", GUIDE_SHEET)
    ws.append_rows([["n1", "n2"]], table_range="A4")  # A4 is in no table: OVERWRITE from A4

    assert srv.values(KEY, "Responses")[3] == ["n1", "n2", "y"]  # B4's "x" is gone


def test_insert_rows_pushes_down_what_overwrite_would_destroy(srv: Server, ws: Worksheet) -> None:
    seed = [["h1", "h2"], ["a", "b"], [], ["below", "x"]]
    new = [["n1", "n2"], ["m1", "m2"]]
    srv.set_values(KEY, "Responses", seed)
    ws.append_rows(new, table_range="A1", insert_data_option="OVERWRITE")
    assert srv.values(KEY, "Responses") == [["h1", "h2"], ["a", "b"], ["n1", "n2"], ["m1", "m2"]]

    srv.set_values(KEY, "Sessions", seed)
    sessions = ws.spreadsheet.worksheet("Sessions")
    sessions.append_rows(new, table_range="A1", insert_data_option="INSERT_ROWS")
    assert srv.values(KEY, "Sessions") == [
        ["h1", "h2"],
        ["a", "b"],
        ["n1", "n2"],
        ["m1", "m2"],
        [],
        ["below", "x"],
    ]
    assert sheet_meta(srv, "Sessions")["properties"]["gridProperties"]["rowCount"] == 1002


@pytest.mark.parametrize(
    ("touched", "table", "written"),
    [
        # A note typed a column apart, on the last row: it is the last table.
        ({(3, 5): "note"}, "Responses!E3", "Responses!E4:F4"),
        # A blank row, then a row with only its third cell filled.
        ({(5, 3): "late"}, "Responses!C5", "Responses!C6:D6"),
        # The same row typed without the blank row joins the table: no surprise.
        ({(4, 3): "late"}, "Responses!A1:C4", "Responses!A5:B5"),
    ],
)
def test_a_person_typing_below_or_beside_the_data_moves_the_apps_appends(
    srv: Server, ws: Worksheet, touched: dict, table: str, written: str
) -> None:
    rows = [["id", "text", "score"], ["r1", "a", "1"], ["r2", "b", "2"]]
    for (row, col), value in touched.items():
        while len(rows) < row:
            rows.append([])
        rows[row - 1] += [""] * (col - len(rows[row - 1]))
        rows[row - 1][col - 1] = value
    srv.set_values(KEY, "Responses", rows)

    # How the app's store appends: the whole sheet, RAW, INSERT_ROWS.
    reply = ws.append_rows([["r3", "c"]], value_input_option="RAW", insert_data_option="INSERT_ROWS")

    assert reply["tableRange"] == table
    assert reply["updates"]["updatedRange"] == written


def test_append_reproduces_gspreads_recorded_row_with_a_blank_cell(ws: Worksheet) -> None:
    # gspread's cassette WorksheetTest.test_append_row_with_empty_value, replayed.
    row = ["test_append_row_with_empty_value 1", "", "test_append_row_with_empty_value 3"]
    first = ws.append_row(row)
    second = ws.append_row(row)

    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "Responses!A1:C1"
    assert second["tableRange"] == "Responses!C1"
    assert second["updates"]["updatedRange"] == "Responses!C2:E2"
    assert ws.row_values(2) == ["", "", row[0], "", row[2]]
