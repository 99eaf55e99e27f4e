"""A fake Google Sheets API v4 server, for tests, demos and rehearsals without Google.

Why: the app's Sheets store must survive what Google does to it in a room of 300 people: 429s
past 60 writes a minute, 5xx, outages, timeouts, and the worst one, a write that lands while its
reply is lost. None of that can be provoked on demand against Google; all of it can here, through
the real gspread and requests stack, so the store is tested the way it runs.

Use::

    from partenariat_core.fake_sheets import FakeSheetsServer
    from partenariat_core.sheets_transport import redirecting_session
    import gspread

    with FakeSheetsServer() as srv:
        srv.create_spreadsheet("KEY", "Workshop", sheets=["Responses"])
        gc = gspread.Client(auth=None, session=redirecting_session(srv.base_url))
        ws = gc.open_by_key("KEY").worksheet("Responses")
        ws.append_rows([["a", "b"]], value_input_option="RAW", insert_data_option="INSERT_ROWS")
        srv.faults.lose_reply_next()      # next write is stored, its reply never arrives
        srv.clock = fake_clock            # quotas and timed outages follow this clock
        srv.stats()                       # reads, writes, peaks, by_route, rejected_429, ...

Or from a shell: ``python -m partenariat_core.fake_sheets --port 8765 --spreadsheet KEY``, then run
the app with ``PARTENARIAT_SHEETS_API_URL=http://127.0.0.1:8765``.

Routes (enough for gspread 6.2): ``GET /v4/spreadsheets/{id}``, ``GET .../values/{range}``,
``GET .../values:batchGet``, ``PUT .../values/{range}``, ``POST .../values/{range}:append``,
``POST .../values/{range}:clear``, ``POST .../values:batchUpdate``, ``POST .../values:batchClear``
and ``POST /v4/spreadsheets/{id}:batchUpdate`` with every request kind gspread's own methods send
(sort, insert/delete/append rows and columns, protected ranges, format, merges, copy/cut/paste,
filters, named ranges, groups, sheet properties...: see :mod:`.sheet_requests`). Protected ranges,
merges, the basic filter, named ranges and groups show in ``spreadsheets.get`` and move with
inserted and deleted rows and columns. A protection that is not warning-only refuses (403) the
writes of anyone outside its editors: the caller is the ``X-Fake-Sheets-User`` header (a person),
else the app's account, and ``create_spreadsheet(owner=...)`` makes an organiser own the file
(see :mod:`.protection`). Spreadsheets are created from Python only; Drive is not faked.

Fidelity: request and reply shapes were checked against recorded real exchanges in gspread's
repository (burnash/gspread, ``tests/cassettes/``):
``WorksheetTest.test_append_row.json`` (append reply without ``tableRange`` on an empty sheet,
``range`` of ``A1:1`` returned as ``Sheet1!A1:Z1``, metadata shape and 1000×26 default grid),
``WorksheetTest.test_append_row_with_empty_value.json`` (a row starting a blank cell apart makes
the next append's table ``Sheet1!C1``, written at ``C2:E2``),
``WorksheetTest.test_add_protected_range_normal.json`` (``addProtectedRange`` reply and
``sheets[].protectedRanges``, ``sheetId`` 0 left out of ranges),
``ClientTest.test_access_non_existing_spreadsheet.json`` (404 body ``Requested entity was not
found.``/``NOT_FOUND``) and ``ClientTest.test_access_private_spreadsheet.json`` (metadata of a
fresh spreadsheet). ``values.append`` finds the table as Google's guide documents it (see
:mod:`.tables`). Errors carry ``error.details`` as Google's error model does (see :mod:`.errors`).
Known differences: formulas are stored and returned as text, never computed; dates, percents and
currencies entered as USER_ENTERED stay text; formats, validation rules and pixel sizes
are accepted and checked but not kept; error wording for rare cases (a merge overlapping another,
a group that does not exist) is the fake's own.

Quotas: reads (GET) and writes (everything else) are counted apart, per user (the bearer token,
else the ``X-Fake-Sheets-User`` header, else one anonymous user) and per project, in a sliding
60-second window of ``srv.clock``; defaults 60/min/user and 300/min/project. Beyond: 429
``RESOURCE_EXHAUSTED`` with Google's message. ``srv.quota.enabled = False`` lifts them.

Faults: see :class:`FaultPlan` (``srv.faults``).
"""

from .errors import ApiError
from .faults import FaultPlan
from .quota import ManualClock, QuotaTracker
from .server import USER_HEADER, FakeSheetsServer

__all__ = ["USER_HEADER", "ApiError", "FakeSheetsServer", "FaultPlan", "ManualClock", "QuotaTracker"]
