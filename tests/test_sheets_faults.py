"""The Sheets store when Google misbehaves: outages, 429 storms, lost replies, restarts, bad setup.

Every test counts rows in the fake's sheet by submission key: "0 lost" means every accepted answer
has a row, "0 duplicated" means no key has two. Time that Google measures (quota windows, timed
outages) runs on the fake's injectable clock, so a minute passes without waiting for it.
"""

from __future__ import annotations

import json
import socket
import time
from collections import Counter
from collections.abc import Callable

import pytest

from partenariat_core.errors import ConfigError
from partenariat_core.fake_sheets import FakeSheetsServer, ManualClock
from partenariat_core.model import Event, Session
from partenariat_core.sheets_transport import SHEETS_API_ORIGIN
from partenariat_core.store.sheets import SheetsOptions, SheetsStore

KEY = "fault-sheet"
EMAIL = "atelier-live@partenariat-demo.iam.gserviceaccount.com"
OPTIONS = SheetsOptions(
    read_seconds=0.05,
    sessions_seconds=0.5,
    flush_seconds=0.02,
    backoff_base=0.02,
    backoff_cap=0.2,
    timeout=2.0,
    quota_per_minute=6000,  # the store does not know the fake's limit: 429s are what it meets
    batch_size=40,
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock):
    with FakeSheetsServer() as server:
        server.clock = clock
        server.quota.enabled = False  # tests that want quotas switch them on
        server.create_spreadsheet(KEY, "Partenariat Live")
        yield server


def open_store(fake: FakeSheetsServer, path, key: str = KEY, **kwargs) -> SheetsStore:
    options = kwargs.pop("options", OPTIONS)
    return SheetsStore(key, outbox_path=path, api_url=fake.base_url, options=options, **kwargs)


def events(n: int, start: int = 0, session: str = "FLT234") -> list[Event]:
    return [
        Event(session, f"participant-{i % 37:02d}", f"sub-{i:04d}", "keep_throw", "keep", text=f"carte {i}")
        for i in range(start, start + n)
    ]


def sheet_keys(fake: FakeSheetsServer, key: str = KEY) -> Counter[tuple[str, ...]]:
    rows = fake.values(key, "responses")
    header = rows[0]
    at = [header.index(name) for name in ("session", "submission_id", "instrument", "item")]
    return Counter(tuple(row[i] for i in at) for row in rows[1:])


def until(
    condition: Callable[[], bool], seconds: float = 15.0, tick: Callable[[], None] | None = None
) -> bool:
    """Poll ``condition`` until true or the deadline; ``tick`` runs between polls (moves a clock)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if tick is not None:
            tick()
        time.sleep(0.02)
    return condition()


def assert_exactly_once(fake: FakeSheetsServer, expected: list[Event], key: str = KEY) -> None:
    keys = sheet_keys(fake, key)
    wanted = {(e.session, e.submission_id, e.instrument, e.item) for e in expected}
    assert set(keys) == wanted, f"lost: {len(wanted - set(keys))}"
    assert max(keys.values()) == 1, f"duplicated: {[k for k, c in keys.items() if c > 1][:5]}"
    assert sum(keys.values()) == len(expected)


# outages ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["503", "drop"])
def test_outage_in_the_middle_of_300_submissions_loses_and_duplicates_nothing(fake, clock, tmp_path, mode):
    store = open_store(fake, tmp_path / "outbox.db")
    sent = events(300)
    accepted = sum(store.append_events([e]) for e in sent[:100])
    assert until(lambda: store.sync_status().pending_events < 100)
    fake.faults.outage(45, mode=mode)  # 45 s by the fake's clock: until we move it
    accepted += sum(store.append_events([e]) for e in sent[100:200])
    assert until(lambda: store.sync_status().error_key is not None)
    failures_during_outage = fake.stats()["faults_injected"]
    status = store.sync_status()
    assert status.pending_events > 0 and status.error_key in ("sheets.server_error", "sheets.no_network")
    clock.advance(46)
    accepted += sum(store.append_events([e]) for e in sent[200:])
    assert accepted == 300  # every submission acknowledged at once, outage or not
    assert store.flush(timeout=20), store.sync_status()
    assert store.sync_status().error_key is None
    store.close()
    assert failures_during_outage >= 1
    assert_exactly_once(fake, sent)


def test_5xx_and_html_gateway_errors_on_writes_are_retried_without_duplicates(fake, tmp_path):
    store = open_store(fake, tmp_path / "outbox.db")
    fake.faults.fail_next(2, status=500, only="write")
    fake.faults.fail_next(1, status=502, only="write", html=True)  # gspread sees code -1
    sent = events(120)
    store.append_events(sent)
    assert store.flush(timeout=15), store.sync_status()
    store.close()
    assert fake.stats()["faults_injected"] == 3
    assert_exactly_once(fake, sent)


# quota ------------------------------------------------------------------------------------------------
def test_429_storm_loses_and_duplicates_nothing_and_reads_slow_down(fake, clock, tmp_path):
    store = open_store(fake, tmp_path / "outbox.db")
    fake.quota.enabled = True
    fake.quota.per_user = 3  # three reads and three writes a minute: a storm of 429s
    sent = events(300)
    for chunk in range(0, 300, 25):
        store.append_events(sent[chunk : chunk + 25])
    seen_keys: set[str] = set()
    slowest_read = [0.0]
    ticks = [0]

    def watch_and_let_a_minute_pass() -> None:
        store.read_events("FLT234")  # a screen watching keeps the shared read going
        status = store.sync_status()
        slowest_read[0] = max(slowest_read[0], status.read_seconds)
        if status.error_key:
            seen_keys.add(status.error_key)
        ticks[0] += 1
        if ticks[0] % 15 == 0:  # about every 0.3 s of real time, a minute passes for Google
            clock.advance(61)

    assert until(lambda: store.sync_status().pending == 0, seconds=25, tick=watch_and_let_a_minute_pass)
    assert store.flush(timeout=5)
    store.close()
    assert fake.stats()["rejected_429"] >= 3
    assert "sheets.quota" in seen_keys
    assert slowest_read[0] > OPTIONS.read_seconds  # the shared read backed off under 429s
    assert_exactly_once(fake, sent)


# lost replies and timeouts -----------------------------------------------------------------------------
def test_written_but_reply_lost_is_not_written_again(fake, tmp_path):
    store = open_store(fake, tmp_path / "outbox.db")
    store.create_session(Session("LST234", "Réponse perdue"))
    assert store.flush(timeout=10)
    fake.faults.lose_reply_next(1, only="write")  # the append lands, its reply never arrives
    sent = events(OPTIONS.batch_size, session="LST234")  # exactly one batch
    store.append_events(sent)
    assert store.flush(timeout=10), store.sync_status()
    verifications = store.worker.counters["verifications"]
    store.close()
    assert fake.stats()["dropped_connections"] == 1
    assert fake.stats()["by_route"]["values.append"] == 2  # the session row, then ONE answers batch
    assert verifications >= 1
    assert_exactly_once(fake, sent)


def test_lost_reply_on_a_new_session_row_writes_it_once(fake, tmp_path):
    store = open_store(fake, tmp_path / "outbox.db")
    fake.faults.lose_reply_next(1, only="write")
    store.create_session(Session("SES234", "Une seule ligne"))
    assert store.flush(timeout=10), store.sync_status()
    store.close()
    codes = [row[0] for row in fake.values(KEY, "sessions")[1:]]
    assert codes == ["SES234"]


def test_write_that_times_out_but_lands_later_is_not_duplicated(fake, tmp_path):
    options = SheetsOptions(**{**OPTIONS.__dict__, "timeout": 0.4})
    store = open_store(fake, tmp_path / "outbox.db", options=options)
    fake.faults.delay(0.7, n=1, only="write")  # slower than our timeout; Google still does it
    sent = events(30)
    store.append_events(sent)
    assert store.flush(timeout=10), store.sync_status()
    store.close()
    assert_exactly_once(fake, sent)


# restarts ------------------------------------------------------------------------------------------------
def test_restart_with_a_pending_outbox_flushes_it(fake, clock, tmp_path):
    path = tmp_path / "outbox.db"
    first = open_store(fake, path)
    fake.faults.outage_start()
    first.create_session(Session("RST234", "Redémarrage"))
    sent = events(40, session="RST234")
    assert first.append_events(sent) == 40
    assert until(lambda: first.sync_status().error_key is not None)
    started = time.monotonic()
    first.close()  # the app stops during the outage
    assert time.monotonic() - started < 3
    assert fake.values(KEY, "responses")[1:] == []
    fake.faults.outage_end()

    second = open_store(fake, path)  # the app starts again on the same outbox
    assert [e.text for e in second.read_events("RST234")] == [e.text for e in sent]  # at once, locally
    assert second.append_events(sent) == 0  # a phone re-sending after the restart adds nothing
    assert second.flush(timeout=10), second.sync_status()
    second.close()
    assert_exactly_once(fake, sent)
    assert [row[0] for row in fake.values(KEY, "sessions")[1:]] == ["RST234"]


def test_restart_after_a_write_that_landed_unacknowledged_sends_only_the_rest(fake, tmp_path):
    path = tmp_path / "outbox.db"
    sent = events(10)
    first = open_store(fake, path, start=False)  # accepted, never flushed: the process dies
    first.append_events(sent)
    first.close()
    # ...but four of them had reached the sheet just before (a reply lost with the process)
    header = fake.values(KEY, "responses")[0]
    fake.set_values(KEY, "responses", [header] + [[e.to_record()[h] for h in header] for e in sent[:4]])
    second = open_store(fake, path)
    assert second.flush(timeout=10), second.sync_status()
    second.close()
    assert_exactly_once(fake, sent)


# cells ----------------------------------------------------------------------------------------------------
def test_formula_text_stays_text_in_the_sheet_and_comes_back_exact(fake, tmp_path):
    risky = ["=SUM(A1)", "+33 1 23", "-1", "@x", "'déjà"]
    sent = [Event("TXT234", "p1", f"s{i}", "keep_throw", "keep", text=t) for i, t in enumerate(risky)]
    writer = open_store(fake, tmp_path / "w.db")
    writer.append_events(sent)
    assert writer.flush(timeout=10)
    grid = writer.api.http.fetch_sheet_metadata(KEY, params={"includeGridData": "true"})
    writer.close()
    responses = next(s for s in grid["sheets"] if s["properties"]["title"] == "responses")
    text_col = fake.values(KEY, "responses")[0].index("text")
    entered = [row["values"][text_col]["userEnteredValue"] for row in responses["data"][0]["rowData"][1:]]
    assert entered == [{"stringValue": "'" + t} for t in risky]  # text, never a formula
    reader = open_store(fake, tmp_path / "r.db")  # an empty outbox: everything comes from the sheet
    assert [e.text for e in reader.read_events("TXT234")] == risky
    reader.close()


# clear errors -------------------------------------------------------------------------------------------
def _credentials(tmp_path, **fields) -> str:
    info = {
        "type": "service_account",
        "client_email": EMAIL,
        "private_key": "-----BEGIN PRIVATE KEY-----\nnot-a-real-key\n-----END PRIVATE KEY-----\n",
        **fields,
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return str(path)


def test_wrong_key_says_the_spreadsheet_is_not_found(fake, tmp_path):
    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", key="1NoSuchSpreadsheet")
    assert info.value.key == "sheets.not_found"
    assert "1NoSuchSpreadsheet" in info.value.message("fr")
    assert "1NoSuchSpreadsheet" in info.value.message("en")


def test_a_url_that_is_not_a_spreadsheet_is_refused_before_any_call(fake, tmp_path):
    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", key="https://example.org/not a sheet")
    assert info.value.key == "sheets.bad_spreadsheet"
    assert fake.stats()["requests"] == 0


def test_sheet_not_shared_names_the_service_account_email(fake, tmp_path):
    fake.create_spreadsheet("privateSheet", "Privé", shared=False)
    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", key="privateSheet", credentials_file=_credentials(tmp_path))
    assert info.value.key == "sheets.not_shared"
    assert EMAIL in info.value.message("fr") and EMAIL in info.value.message("en")


def test_missing_worksheet_is_reported_and_created_on_request(fake, tmp_path):
    fake.create_spreadsheet("busySheet", "Budget 2026", sheets=["Budget"])
    fake.set_values("busySheet", "Budget", [["poste", "montant"], ["salle", "300"]])
    store = open_store(fake, tmp_path / "o.db", key="busySheet")  # starts: answers are kept meanwhile
    status = store.sync_status()
    assert status.error_key == "sheets.missing_worksheets"
    assert status.missing_worksheets == ("sessions", "responses")
    assert "sessions" in status.error_message("fr") and "responses" in status.error_message("en")
    sent = events(5)
    assert store.append_events(sent) == 5
    assert [s["properties"]["title"] for s in fake.metadata("busySheet")["sheets"]] == ["Budget"]
    assert store.create_missing_worksheets() == ["sessions", "responses"]
    assert store.flush(timeout=10), store.sync_status()
    store.close()
    assert store.sync_status().error_key is None
    assert_exactly_once(fake, sent, key="busySheet")
    assert fake.values("busySheet", "Budget") == [["poste", "montant"], ["salle", "300"]]


def test_blank_spreadsheet_gets_its_worksheets_and_headers(fake, tmp_path):
    store = open_store(fake, tmp_path / "o.db")
    store.close()
    titles = [s["properties"]["title"] for s in fake.metadata(KEY)["sheets"]]
    assert titles == ["Sheet1", "sessions", "responses"]
    assert fake.values(KEY, "responses")[0][:3] == ["session", "participant", "submission_id"]
    assert fake.values(KEY, "sessions")[0][:2] == ["code", "title"]


def test_bad_credentials_files_are_named_with_what_is_wrong(fake, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", credentials_file=broken)
    assert info.value.key == "sheets.bad_credentials" and str(broken) in info.value.message("en")

    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", credentials_file=_credentials(tmp_path, client_email=""))
    assert "client_email" in info.value.message("fr")

    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", credentials_file=tmp_path / "missing.json")
    assert info.value.key == "sheets.bad_credentials"

    # against Google itself, the key is parsed before any call: a corrupt key fails at start
    with pytest.raises(ConfigError) as info:
        SheetsStore(
            KEY,
            outbox_path=tmp_path / "o.db",
            api_url=SHEETS_API_ORIGIN,
            credentials_file=_credentials(tmp_path),
        )
    assert info.value.key == "sheets.bad_credentials"

    with pytest.raises(ConfigError) as info:
        SheetsStore(KEY, outbox_path=tmp_path / "o.db", api_url=SHEETS_API_ORIGIN)
    assert info.value.key == "sheets.no_credentials"


def test_no_network_at_start_keeps_answers_and_sends_them_when_back(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on, for now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = SheetsStore(
        KEY, outbox_path=tmp_path / "o.db", api_url=f"http://127.0.0.1:{port}", options=OPTIONS
    )
    try:
        status = store.sync_status()
        assert not status.connected and status.error_key == "sheets.no_network"
        assert "127.0.0.1" in status.error_message("fr") or status.error_params["problem"]
        sent = events(20)
        assert store.append_events(sent) == 20
        with FakeSheetsServer(port=port) as fake:  # the network comes back
            fake.create_spreadsheet(KEY, "Partenariat Live")
            assert store.flush(timeout=10), store.sync_status()
            assert store.sync_status().error_key is None
            assert_exactly_once(fake, sent)
    finally:
        store.close()


def test_two_stores_on_one_outbox_never_send_the_same_rows(fake, tmp_path):
    # e.g. Streamlit's "clear cache" rebuilds the app's runtime while the old store still runs
    path = tmp_path / "outbox.db"
    first, second = open_store(fake, path), open_store(fake, path)
    sent = events(200)
    for n, event in enumerate(sent[:150]):
        (first if n % 2 else second).append_events([event])
    assert first.flush(timeout=10) and second.flush(timeout=10)
    writers = [s.worker.counters["appends"] > 0 for s in (first, second)]
    assert writers.count(True) == 1  # one holds the outbox's writer lock, the other only reads
    first.close()  # whichever it was, the survivor takes over
    second.append_events(sent[150:])
    assert second.flush(timeout=10), second.sync_status()
    second.close()
    assert_exactly_once(fake, sent)


def test_credentials_refused_by_the_api_stop_the_start(fake, tmp_path):
    fake.require_token = True  # the API wants a token and the app sends none: Google's 401
    with pytest.raises(ConfigError) as info:
        open_store(fake, tmp_path / "o.db", credentials_file=_credentials(tmp_path))
    assert info.value.key == "sheets.credentials_rejected"
    assert EMAIL in info.value.message("en")
