"""The fake Sheets API server, driven through the real gspread + requests stack.

These tests pin what the Sheets store relies on: Google's reply shapes, RAW text kept exactly,
quotas (429), injected failures, and atomic appends under concurrency.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import gspread
import pytest
import requests
from gspread import Worksheet
from gspread.exceptions import APIError, SpreadsheetNotFound

from partenariat_core.fake_sheets import USER_HEADER, FakeSheetsServer, ManualClock
from partenariat_core.fake_sheets.ranges import Bounds, parse_a1, quote_title, split_range
from partenariat_core.sheets_transport import (
    SHEETS_API_ORIGIN,
    RedirectingSession,
    gspread_client,
    redirecting_session,
)

KEY = "1FakeKey_partenariat-live"
REPO = Path(__file__).resolve().parents[1]
Server = FakeSheetsServer


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def srv(clock: ManualClock):
    server = FakeSheetsServer()
    server.clock = clock
    server.start()
    server.create_spreadsheet(KEY, "Workshop", sheets=["Responses", "Sessions"])
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gc(srv: Server) -> gspread.Client:
    return gspread_client(srv.base_url, timeout=5)


@pytest.fixture
def ws(gc: gspread.Client) -> Worksheet:
    return gc.open_by_key(KEY).worksheet("Responses")


def append(ws: Worksheet, rows: list[list[object]]) -> dict:
    """How the app's store appends: one call, RAW, INSERT_ROWS."""
    return ws.append_rows(rows, value_input_option="RAW", insert_data_option="INSERT_ROWS")


def raw_get(srv: Server, path: str, **params: object) -> requests.Response:
    return requests.get(f"{srv.base_url}/v4/spreadsheets/{KEY}{path}", params=params, timeout=5)


# -- round trips through gspread ----------------------------------------------------------------


def test_open_append_and_read_back(ws: Worksheet) -> None:
    first = append(ws, [["id", "text", "score"]])
    second = append(ws, [["r1", "bonjour", "8"], ["r2", "été ✨", "3"]])

    assert ws.get_all_values() == [
        ["id", "text", "score"],
        ["r1", "bonjour", "8"],
        ["r2", "été ✨", "3"],
    ]
    assert ws.get_all_records() == [
        {"id": "r1", "text": "bonjour", "score": 8},
        {"id": "r2", "text": "été ✨", "score": 3},
    ]
    # Shapes as in gspread's cassettes: no tableRange while the sheet is empty.
    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "Responses!A1:C1"
    assert second["tableRange"] == "Responses!A1:C1"
    assert second["updates"]["updatedRange"] == "Responses!A2:C3"
    assert second["updates"]["updatedCells"] == 6


def test_values_get_trims_and_omits_like_google(srv: Server) -> None:
    empty = raw_get(srv, "/values/%27Responses%27").json()
    assert empty == {"range": "Responses!A1:Z1000", "majorDimension": "ROWS"}

    srv.set_values(KEY, "Responses", [["a", "", ""], [], ["", "b", ""], ["", ""]])
    body = raw_get(srv, "/values/%27Responses%27%21A1%3AH").json()
    assert body["range"] == "Responses!A1:H1000"
    assert body["values"] == [["a"], [], ["", "b"]]

    one_row = raw_get(srv, "/values/Responses%21A1%3A1").json()
    assert one_row == {"range": "Responses!A1:Z1", "majorDimension": "ROWS", "values": [["a"]]}


def test_batch_get_and_update(ws: Worksheet, srv: Server) -> None:
    reply = ws.update([["a", "b"], ["c", "d"]], "B2")
    assert reply["updatedRange"] == "Responses!B2:C3"

    got = ws.batch_get(["B2:C2", "C3", "A1"])

    assert [list(map(list, r)) for r in got] == [[["a", "b"]], [["d"]], []]
    assert srv.values(KEY, "Responses") == [[], ["", "a", "b"], ["", "c", "d"]]


def test_add_rename_resize_and_delete_worksheet(gc: gspread.Client, srv: Server) -> None:
    sh = gc.open_by_key(KEY)
    new = sh.add_worksheet("Exports 2025", rows=10, cols=5)
    append(sh.worksheet("Exports 2025"), [["x"]])
    new.update_title("Exports")
    new.resize(rows=4)

    props = {s["properties"]["title"]: s["properties"] for s in srv.metadata(KEY)["sheets"]}
    assert props["Exports"]["gridProperties"] == {"rowCount": 4, "columnCount": 5}
    assert props["Exports"]["index"] == 2
    assert srv.values(KEY, "Exports") == [["x"]]

    sh.del_worksheet(new)
    assert [w.title for w in sh.worksheets()] == ["Responses", "Sessions"]


def test_duplicate_sheet_title_is_400_and_batch_is_atomic(gc: gspread.Client) -> None:
    sh = gc.open_by_key(KEY)
    body = {
        "requests": [
            {"addSheet": {"properties": {"title": "Fresh"}}},
            {"addSheet": {"properties": {"title": "Responses"}}},
        ]
    }
    with pytest.raises(APIError) as info:
        sh.batch_update(body)

    assert info.value.code == 400
    assert 'A sheet with the name "Responses" already exists' in info.value.error["message"]
    assert [w.title for w in sh.worksheets()] == ["Responses", "Sessions"]


# -- cell values ------------------------------------------------------------------------------


def test_formula_looking_raw_text_comes_back_exactly(ws: Worksheet) -> None:
    risky = ["=1+1", "+33 6 12 34 56 78", "-2", "@SUM(A1)", "'quoted", " 8 ", '=HYPERLINK("x")']
    append(ws, [risky])

    assert ws.get_all_values() == [risky]
    assert ws.get("A1:G1", value_render_option="FORMULA") == [risky]


def test_numbers_render_as_strings_and_user_entered_is_parsed(ws: Worksheet) -> None:
    append(ws, [[8, 1.5, True, 2.0, "8"]])
    ws.append_rows([["8", "TRUE", "'007", "=A1*2"]], value_input_option="USER_ENTERED")

    formatted = ws.get("A1:E2")
    assert formatted == [["8", "1.5", "TRUE", "2", "8"], ["8", "TRUE", "007", "=A1*2"]]
    unformatted = ws.get("A1:E2", value_render_option="UNFORMATTED_VALUE")
    assert unformatted == [[8, 1.5, True, 2, "8"], [8, True, "007", "=A1*2"]]


def test_write_without_value_input_option_is_400(srv: Server) -> None:
    url = f"{srv.base_url}/v4/spreadsheets/{KEY}/values/Responses:append"
    reply = requests.post(url, json={"values": [["a"]]}, timeout=5)

    assert reply.status_code == 400
    assert reply.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert srv.values(KEY, "Responses") == []


def test_writes_past_an_explicit_range_or_the_grid_are_400(ws: Worksheet) -> None:
    with pytest.raises(APIError) as too_big:
        ws.update([["a", "b", "c"]], "A1:B1")
    with pytest.raises(APIError) as off_grid:
        ws.get("A1:AB2")

    assert too_big.value.code == 400
    assert "tried writing to column [C]" in too_big.value.error["message"]
    assert off_grid.value.code == 400
    assert "exceeds grid limits" in off_grid.value.error["message"]


# -- quotas -----------------------------------------------------------------------------------


def test_61st_read_in_a_minute_is_429_until_the_window_slides(
    ws: Worksheet, srv: Server, clock: ManualClock
) -> None:
    while srv.stats()["reads"] < 60:  # open_by_key and worksheet() already cost two reads
        ws.get("A1")

    with pytest.raises(APIError) as info:
        ws.get("A1")
    assert info.value.code == 429
    assert info.value.error["status"] == "RESOURCE_EXHAUSTED"
    assert "Read requests per minute per user" in info.value.error["message"]

    append(ws, [["writes have their own quota"]])
    clock.advance(59.9)
    with pytest.raises(APIError):
        ws.get("A1")
    clock.advance(0.1)
    assert ws.get("A1") == [["writes have their own quota"]]

    stats = srv.stats()
    assert stats["rejected_429"] == 2
    assert stats["peak_reads_per_minute"] == 60
    assert stats["writes"] == 1


def test_project_quota_spans_users(srv: Server) -> None:
    srv.quota.per_user, srv.quota.per_project = 3, 5
    url = f"{srv.base_url}/v4/spreadsheets/{KEY}"

    def read(user: str) -> int:
        return requests.get(url, headers={USER_HEADER: user}, timeout=5).status_code

    assert [read("alice") for _ in range(4)] == [200, 200, 200, 429]
    assert [read("bob") for _ in range(3)] == [200, 200, 429]
    token_session = redirecting_session(srv.base_url, bearer_token="carol-token")
    assert token_session.get(url, timeout=5).status_code == 429
    assert srv.stats()["peak_per_user"]["alice"]["read"] == 3


# -- faults -----------------------------------------------------------------------------------


def test_injected_500_fails_once_then_recovers(ws: Worksheet, srv: Server) -> None:
    srv.faults.fail_next(1, status=500)
    with pytest.raises(APIError) as info:
        ws.get_all_values()

    assert info.value.code == 500
    assert ws.get_all_values() == [[]]  # what gspread returns for an empty sheet
    assert srv.stats()["faults_injected"] == 1


def test_html_502_from_googles_edge_gives_code_minus_one(ws: Worksheet, srv: Server) -> None:
    srv.faults.fail_next(1, status=502, html=True, only="write")
    with pytest.raises(APIError) as info:
        append(ws, [["a"]])

    assert info.value.code == -1  # gspread cannot read an HTML body: use response.status_code
    assert info.value.response.status_code == 502
    assert srv.values(KEY, "Responses") == []


def test_outage_fails_until_the_clock_passes(ws: Worksheet, srv: Server, clock: ManualClock) -> None:
    srv.faults.outage(30)
    with pytest.raises(APIError) as info:
        append(ws, [["during"]])
    assert info.value.code == 503

    clock.advance(30)
    append(ws, [["after"]])
    assert srv.values(KEY, "Responses") == [["after"]]


def test_outage_in_drop_mode_raises_connection_error(ws: Worksheet, srv: Server) -> None:
    srv.faults.outage_start(mode="drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.get_all_values()
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.get_all_values()

    srv.faults.outage_end()
    assert ws.get_all_values() == [[]]  # what gspread returns for an empty sheet


def test_dropped_connection_raises_and_writes_nothing(ws: Worksheet, srv: Server) -> None:
    srv.faults.drop_next(only="write")
    with pytest.raises(requests.exceptions.ConnectionError):
        append(ws, [["lost"]])

    assert srv.values(KEY, "Responses") == []
    append(ws, [["retried"]])
    assert srv.values(KEY, "Responses") == [["retried"]]


def test_written_but_reply_lost_leaves_the_row_stored(ws: Worksheet, srv: Server) -> None:
    srv.faults.lose_reply_next()
    with pytest.raises(requests.exceptions.ConnectionError):
        append(ws, [["sub-1", "written once"]])

    assert srv.values(KEY, "Responses") == [["sub-1", "written once"]]
    stats = srv.stats()
    assert stats["by_route"]["values.append"] == 1
    assert stats["dropped_connections"] == 1


def test_delay_makes_the_client_time_out(ws: Worksheet, srv: Server) -> None:
    ws.client.set_timeout(0.3)
    srv.faults.delay(3.0, n=1, only="read")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws.get_all_values()

    assert time.monotonic() - started < 2.0
    assert ws.get_all_values() == [[]]  # what gspread returns for an empty sheet


# -- concurrency ------------------------------------------------------------------------------


def test_concurrent_appends_never_overwrite(srv: Server) -> None:
    srv.quota.enabled = False
    errors: list[BaseException] = []

    def writer(thread_no: int) -> None:
        try:
            sheet = gspread_client(srv.base_url, timeout=10).open_by_key(KEY).worksheet("Responses")
            for i in range(50):
                append(sheet, [[f"t{thread_no}", str(i), f"t{thread_no}-{i}"]])
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    rows = srv.values(KEY, "Responses")
    assert len(rows) == 400
    assert {row[2] for row in rows} == {f"t{t}-{i}" for t in range(8) for i in range(50)}
    assert all(row[2] == f"{row[0]}-{row[1]}" for row in rows)
    assert srv.stats()["writes"] == 400


# -- errors and auth --------------------------------------------------------------------------


def test_unknown_spreadsheet_is_404(gc: gspread.Client) -> None:
    with pytest.raises(SpreadsheetNotFound) as info:
        gc.open_by_key("doesNotExist")

    assert isinstance(info.value.__cause__, APIError)
    assert info.value.__cause__.code == 404
    assert info.value.__cause__.error["status"] == "NOT_FOUND"


def test_unshared_spreadsheet_is_403(gc: gspread.Client, srv: Server) -> None:
    srv.create_spreadsheet("private", "Not shared", shared=False)
    with pytest.raises(PermissionError) as info:
        gc.open_by_key("private")

    assert info.value.__cause__.code == 403
    assert info.value.__cause__.error["status"] == "PERMISSION_DENIED"


def test_unknown_sheet_in_range_is_400(gc: gspread.Client) -> None:
    sh = gc.open_by_key(KEY)
    with pytest.raises(APIError) as info:
        sh.values_get("'Nope'!A1:B2")

    assert info.value.code == 400
    assert info.value.error["message"] == "Unable to parse range: 'Nope'!A1:B2"


def test_required_token_gives_401_without_bearer(srv: Server) -> None:
    srv.require_token = "s3cret"
    with pytest.raises(APIError) as missing:
        gspread_client(srv.base_url).open_by_key(KEY)
    with pytest.raises(APIError) as wrong:
        gspread_client(srv.base_url, bearer_token="nope").open_by_key(KEY)

    assert missing.value.code == 401
    assert wrong.value.code == 401
    assert gspread_client(srv.base_url, bearer_token="s3cret").open_by_key(KEY).title == "Workshop"


# -- lifecycle, transport, CLI ----------------------------------------------------------------


def test_stop_is_prompt_frees_the_port_and_refuses_requests() -> None:
    server = FakeSheetsServer().start()
    server.create_spreadsheet("k", "t")
    session = redirecting_session(server.base_url)
    url = f"{SHEETS_API_ORIGIN}/v4/spreadsheets/k"
    assert session.get(url, timeout=5).status_code == 200  # leaves a keep-alive connection open
    port = server.port

    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.0

    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(url, timeout=5)
    with FakeSheetsServer(port=port) as again:  # the port can be bound again at once
        assert again.port == port


def test_only_loopback_is_allowed() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FakeSheetsServer(host="0.0.0.0")


def test_redirecting_session_rewrites_only_the_sheets_origin() -> None:
    session = RedirectingSession("http://127.0.0.1:9/")

    assert session.rewrite(f"{SHEETS_API_ORIGIN}/v4/spreadsheets/k") == (
        "http://127.0.0.1:9/v4/spreadsheets/k"
    )
    drive = "https://www.googleapis.com/drive/v3/files"
    assert session.rewrite(drive) == drive
    lookalike = "https://sheets.googleapis.com.example.org/v4/spreadsheets/k"
    assert session.rewrite(lookalike) == lookalike


@pytest.mark.parametrize(
    ("a1", "expected"),
    [
        ("A1", Bounds(1, 1, 1, 1)),
        ("A2:H", Bounds(2, 1, None, 8)),
        ("A1:1", Bounds(1, 1, 1, None)),
        ("B:C", Bounds(1, 2, None, 3)),
        ("2:5", Bounds(2, 1, 5, None)),
        ("C3:A1", Bounds(1, 1, 3, 3)),
        ("AA10", Bounds(10, 27, 10, 27)),
        ("Responses", None),
        ("A0", None),
    ],
)
def test_a1_parsing(a1: str, expected: Bounds | None) -> None:
    assert parse_a1(a1) == expected


def test_sheet_names_in_ranges_are_unquoted_and_quoted_like_google() -> None:
    parsed = split_range("'It''s mine'!A1:B2")

    assert (parsed.title, parsed.a1) == ("It's mine", "A1:B2")
    assert quote_title("Responses") == "Responses"
    assert quote_title("My sheet") == "'My sheet'"
    assert quote_title("A1") == "'A1'"


def test_command_line_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "partenariat_core.fake_sheets", "--port", "0"]
    command += ["--spreadsheet", "DEMO", "--sheet", "Responses"]
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            base_url = proc.stdout.readline().strip()
            meta = requests.get(f"{base_url}/v4/spreadsheets/DEMO", timeout=5).json()
            assert meta["sheets"][0]["properties"]["title"] == "Responses"
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=5) == 0
