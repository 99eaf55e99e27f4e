"""Linked worksheets followed by the server: against the fake Sheets server, on a manual clock.

A Forms-like worksheet grows by one row per (simulated) second for a minute, watched by 20
projector screens, while a second session follows another worksheet; the host sorts, edits and
deletes rows mid-run. Every row must reach the store exactly once, reads must stay within the
per-minute budget, and the board must follow the sheet. The clock is the fake server's and the
follower's, so a minute of workshop takes a second of test.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from partenariat_core.config import load_settings
from partenariat_core.fake_sheets import USER_HEADER, FakeSheetsServer, ManualClock
from partenariat_core.forms_source import (
    LinkFile,
    SourceFollower,
    StateFile,
    link_sheet,
    suggest_mapping,
)
from partenariat_core.forms_source.follower import SheetsAccess
from partenariat_core.live import LiveSessions
from partenariat_core.model import Session
from partenariat_core.scoring import WITHDRAWN, summarize, withdrawn_participants
from partenariat_core.sheets_transport import gspread_client
from partenariat_core.store.sheets.pacing import Budget, shared_budget

FORM_A = "1FormLinkedA"
FORM_B = "1FormLinkedB"
TAB = "Réponses au formulaire 1"
HEADERS = [
    "Horodateur",
    "Votre secteur",
    "1. L’inclusion de la diversité des points de vue…",  # curly apostrophe, as Forms keeps it
    "Où se situe le partenariat aujourd’hui ?",
    "Qu’est-ce qu’on garde ?",
]
SECTORS = ["Communautaire", "Municipal", "Public / santé"]
LEVELS = ["Réseautage", "Coordination", "Coopération", "Collaboration"]
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def row(n: int) -> list[str]:
    """Response ``n``: sector, a scale answer, a level and a card: 4 events."""
    stamp = f"20/11/2026 09:{n // 60:02d}:{n % 60:02d}"
    return [stamp, SECTORS[n % 3], f"{1 + n % 5}", LEVELS[n % 4], f"Idée numéro {n}"]


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def fake(clock):
    with FakeSheetsServer() as server:
        server.clock = clock
        server.create_spreadsheet(FORM_A, "Atelier A (réponses)", sheets=[TAB])
        server.create_spreadsheet(FORM_B, "Atelier B (réponses)", sheets=[TAB])
        server.set_values(FORM_A, TAB, [HEADERS])
        server.set_values(FORM_B, TAB, [HEADERS])
        yield server


@pytest.fixture
def sessions(sqlite_store):
    made = []
    for code in ("KNK234", "KNK567"):
        session = Session(
            code,
            f"Atelier {code}",
            instruments=("keep_throw", "conditions_1to5", "continuum"),
            sectors=("community", "municipal", "public_health"),
        )
        sqlite_store.create_session(session)
        made.append(session)
    return made


def settings_for(fake, tmp_path):
    return load_settings(
        {"PARTENARIAT_DATA_DIR": str(tmp_path), "PARTENARIAT_SHEETS_API_URL": fake.base_url},
        secrets_file=tmp_path / "none.toml",
    )


def forms_writer(fake, key):
    """The worksheet as Google Forms and the host touch it: another user than the app's account."""
    client = gspread_client(fake.base_url, timeout=5)
    client.http_client.session.headers[USER_HEADER] = "forms@google.example"
    return client.open_by_key(key).worksheet(TAB)


def make_follower(fake, tmp_path, store, instruments, clock, *, share=54, interval=1.0, full_every=10.0):
    budget = Budget(54, clock)
    access = SheetsAccess(fake.base_url, None, "", 5.0)
    changed: list[str] = []
    follower = SourceFollower(
        store,
        instruments,
        LinkFile.in_data_dir(tmp_path),
        StateFile.in_data_dir(tmp_path),
        access.api_factory(budget),
        budget,
        interval=interval,
        full_every=full_every,
        share=share,
        clock=clock,
        wall=lambda: T0 + dt.timedelta(seconds=clock() - 10_000.0),
        on_change=changed.append,
    )
    return follower, budget, changed


def live_participants(store, code):
    events = store.read_events(code)
    gone = withdrawn_participants(events)
    return Counter(e.participant for e in events if e.participant not in gone and e.instrument != WITHDRAWN)


def test_a_growing_sheet_reaches_the_store_once_per_row_and_the_board_follows_sorts_edits_deletions(
    fake, tmp_path, sqlite_store, sessions, instruments, clock
):
    settings = settings_for(fake, tmp_path)
    a, b = sessions
    link_sheet(settings, sqlite_store, instruments, a.code, FORM_A)
    link_sheet(settings, sqlite_store, instruments, b.code, FORM_B)
    follower, budget, changed = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    live = LiveSessions(sqlite_store, instruments, ttl=1.0, clock=clock)
    sheet_a, sheet_b = forms_writer(fake, FORM_A), forms_writer(fake, FORM_B)
    # Forms' own writes are not API calls: let the writer through, and measure the app's reads below
    fake.quota.per_user = 500
    fake.reset_stats()

    rows_a: list[list[str]] = []
    rows_b: list[list[str]] = []
    for second in range(60):
        rows_a.append(row(second))
        sheet_a.append_rows([row(second)], value_input_option="RAW", insert_data_option="INSERT_ROWS")
        if second % 5 == 0:
            rows_b.append(row(100 + second))
            sheet_b.append_rows(
                [row(100 + second)], value_input_option="RAW", insert_data_option="INSERT_ROWS"
            )
        if second == 20:  # the host sorts by sector (rows 2..22 hold the 21 responses so far)
            sheet_a.sort((2, "asc"), range=f"A2:E{len(rows_a) + 1}")
        if second == 30:  # the host fixes a typo in the card of the response now in row 5
            edited = sheet_a.row_values(5)
            sheet_a.update_cell(5, 5, edited[4] + " (corrigée)")
        if second == 40:  # and deletes the response now in row 3 (a test answer)
            deleted = sheet_a.row_values(3)
            sheet_a.delete_rows(3)
        follower.step()
        boards = {id(live.summary(a.code)) for _ in range(20)}  # 20 projector screens on session A
        assert len(boards) == 1  # one board per refresh, shared by every screen
        clock.advance(1.0)
    clock.advance(15.0)  # past the next reconciliation: deletions higher up are seen by now
    follower.step()
    clock.advance(1.0)
    assert live.summary(a.code).participants == 59  # what the projectors show now

    # every response in the sheet now is on the board once, with its 4 answers; nothing else is
    final = [r for r in fake.values(FORM_A, TAB)[1:] if any(r)]
    assert len(final) == 59  # 60 responses, one deleted
    alive = live_participants(sqlite_store, a.code)
    assert len(alive) == 59 and set(alive.values()) == {4}
    summary = summarize(a, sqlite_store.read_events(a.code), instruments)
    cards = sorted(c.text for c in summary.boards["keep_throw"].columns["keep"])
    assert cards == sorted(r[4] for r in final)
    assert deleted[4] not in cards
    assert edited[4] not in cards and edited[4] + " (corrigée)" in cards
    assert summary.participants == 59
    # taken back: the edited response (its old content) and the deleted one; the sort took nothing
    events_a = sqlite_store.read_events(a.code)
    assert sum(1 for e in events_a if e.instrument == WITHDRAWN) == 2
    # the second session followed its own worksheet: 12 responses, 48 events, none withdrawn
    assert live_participants(sqlite_store, b.code).total() == 48
    assert len(live_participants(sqlite_store, b.code)) == 12
    assert changed.count(b.code) == 12 and a.code in changed

    stats = fake.stats()
    app_reads = stats["peak_per_user"]["anonymous"]["read"]
    assert app_reads <= 54 and stats["rejected_429"] == 0
    # one read per worksheet per second (the interval), plus a metadata read each at the start and
    # whole-sheet re-reads after the sort, the edit and the deletion: far under the 60 a minute
    assert budget.used("read") <= 54


def test_reads_stretch_with_the_number_of_linked_worksheets(fake, tmp_path, sqlite_store, instruments, clock):
    settings = settings_for(fake, tmp_path)
    keys = [f"1FormMany{n}" for n in range(10)]
    for n, key in enumerate(keys):
        fake.create_spreadsheet(key, f"Form {n}", sheets=[TAB])
        fake.set_values(key, TAB, [HEADERS, row(n)])
        session = Session(f"MANY{'23456789AB'[n]}Z", "x", instruments=("keep_throw",))
        sqlite_store.create_session(session)
        link_sheet(settings, sqlite_store, instruments, session.code, key)
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock, share=24)
    assert follower.period() == 1.0  # no link is loaded before the first turn
    fake.reset_stats()
    calls = 0
    for _ in range(120):  # two minutes, a turn every half second
        calls += follower.step()
        clock.advance(0.5)
    # 10 worksheets sharing 24 reads a minute: one read each every 25 s, never more than 24 a minute
    # (the first turn's metadata and whole reads included), and every worksheet was read
    assert follower.period() == 25.0
    assert calls == fake.stats()["reads"]
    assert fake.stats()["peak_per_user"]["anonymous"]["read"] <= 24
    assert fake.stats()["rejected_429"] == 0
    for n in range(10):
        assert len(sqlite_store.read_events(f"MANY{'23456789AB'[n]}Z")) == 1


def test_a_quota_answer_backs_off_and_nothing_is_lost(
    fake, tmp_path, sqlite_store, sessions, instruments, clock
):
    settings = settings_for(fake, tmp_path)
    a, _ = sessions
    fake.set_values(FORM_A, TAB, [HEADERS, row(1), row(2)])
    link_sheet(settings, sqlite_store, instruments, a.code, FORM_A)
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    fake.quota.per_user = 0  # every read refused with a 429, as after another app used the quota
    follower.step()
    [status] = follower.statuses()
    assert status.error_key == "sheets.quota" and status.error_kind == "quota"
    assert status.next_read_in is not None and status.next_read_in >= 1.0
    assert sqlite_store.read_events(a.code) == []
    fake.quota.per_user = 60
    clock.advance(120.0)
    follower.step()
    [status] = follower.statuses()
    assert status.error_key == "" and status.rows == 2
    assert len(live_participants(sqlite_store, a.code)) == 2


def test_a_renamed_worksheet_and_an_unshared_sheet_are_said_in_plain_words(
    fake, tmp_path, sqlite_store, sessions, instruments, clock
):
    settings = settings_for(fake, tmp_path)
    a, _ = sessions
    fake.set_values(FORM_A, TAB, [HEADERS, row(1)])
    link_sheet(settings, sqlite_store, instruments, a.code, FORM_A)
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    follower.step()
    forms_writer(fake, FORM_A).update_title("Réponses (ancien)")
    clock.advance(2.0)
    follower.step()  # the tail read fails on the old name: look at the worksheets again
    clock.advance(60.0)
    follower.step()
    [status] = follower.statuses()
    assert status.error_key == "forms.worksheet_gone"
    assert status.error_params == {"worksheet": TAB, "found": "Réponses (ancien)"}
    assert status.rows == 1 and status.last_read is not None  # what was read stays


def test_pause_resume_and_unlink_take_effect_at_the_next_turn(
    fake, tmp_path, sqlite_store, sessions, instruments, clock
):
    settings = settings_for(fake, tmp_path)
    a, _ = sessions
    fake.set_values(FORM_A, TAB, [HEADERS, row(1)])
    link_sheet(settings, sqlite_store, instruments, a.code, FORM_A)
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    links = LinkFile.in_data_dir(tmp_path)
    assert links.set_paused(a.code, FORM_A, TAB, True)
    follower.step()
    assert follower.statuses()[0].next_read_in is None and sqlite_store.read_events(a.code) == []
    links.set_paused(a.code, FORM_A, TAB, False)
    follower.step()
    assert len(live_participants(sqlite_store, a.code)) == 1
    assert [link.worksheet for link in links.remove(a.code, FORM_A)] == [TAB]
    fake.set_values(FORM_A, TAB, [HEADERS, row(1), row(2)])
    clock.advance(5.0)
    assert follower.step() == 0 and follower.statuses() == []
    assert len(live_participants(sqlite_store, a.code)) == 1  # unlinking keeps what came in


def test_the_budget_is_one_per_account_and_shared(clock):
    first = shared_budget("app@project.iam.example", "https://sheets.googleapis.com", 54, clock)
    again = shared_budget("app@project.iam.example", "https://sheets.googleapis.com", 60, clock)
    other = shared_budget("other@project.iam.example", "https://sheets.googleapis.com", 54, clock)
    assert first is again and first is not other and first.per_minute == 54
    first.record("read")
    assert again.used("read") == 1 and other.used("read") == 0


def test_a_french_form_maps_without_manual_work(fake, tmp_path, sqlite_store, sessions, instruments, clock):
    """Accents, curly apostrophes, "4 - Plutôt d'accord", "Je ne sais pas", empty answers, emoji and
    formula-like text: every header that repeats the activity's wording is mapped, every answer read."""
    a, _ = sessions
    headers = [
        "Horodateur",
        "Votre secteur",
        "1. L’inclusion de la diversité des points de vue…",
        "2. La participation précoce des partenaires",
        "Où se situe le partenariat aujourd’hui ?",
        "Où devrait-il se situer ?",
        "Qu’est-ce qu’on garde ?",
        "Qu’est-ce qu’on jette ?",
        "Un commentaire ?",
    ]
    rows = [
        [
            "20/11/2026 09:00:01",
            "Public / santé",
            "4 - Plutôt d’accord",
            "Je ne sais pas",
            "Coopération",
            "Collaboration",
            "Les tables 🎉",
            "=SOMME(A1:A3)",
            "merci 😀",
        ],
        [
            "20/11/2026 09:00:02",
            "Communautaire",
            "",
            "5 - Tout à fait d'accord",
            "Réseautage",
            "",
            "+33 la ligne",
            "",
            "",
        ],
    ]
    fake.set_values(FORM_A, TAB, [headers, *rows])
    settings = settings_for(fake, tmp_path)
    result = link_sheet(settings, sqlite_store, instruments, a.code, FORM_A)
    assert result.unmapped == ("Un commentaire ?",) and result.unread == ()
    mapped = {c.header: f"{c.instrument}:{c.item}" for c in result.link.mapping.columns if c.mapped}
    assert mapped == {
        "Votre secteur": "profile:sector",
        "1. L’inclusion de la diversité des points de vue…": "conditions_1to5:c1_viewpoints",
        "2. La participation précoce des partenaires": "conditions_1to5:c2_early",
        "Où se situe le partenariat aujourd’hui ?": "continuum:now",
        "Où devrait-il se situer ?": "continuum:desired",
        "Qu’est-ce qu’on garde ?": "keep_throw:keep",
        "Qu’est-ce qu’on jette ?": "keep_throw:throw",
    }
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    follower.step()
    [status] = follower.statuses()
    assert status.refused == () and status.error_key == ""
    got = sorted((e.instrument, e.item, e.value or e.text) for e in sqlite_store.read_events(a.code))
    assert got == sorted(
        [
            ("profile", "sector", "public_health"),
            ("conditions_1to5", "c1_viewpoints", "4"),
            ("conditions_1to5", "c2_early", "dont_know"),
            ("continuum", "now", "cooperating"),
            ("continuum", "desired", "collaborating"),
            ("keep_throw", "keep", "Les tables 🎉"),
            ("keep_throw", "throw", "=SOMME(A1:A3)"),  # kept as typed: neutralised only on export
            ("profile", "sector", "community"),
            ("conditions_1to5", "c2_early", "5"),
            ("continuum", "now", "networking"),
            ("keep_throw", "keep", "+33 la ligne"),
        ]
    )


def test_the_mapping_is_the_one_off_imports_so_linking_after_an_import_adds_nothing(
    fake, tmp_path, sqlite_store, sessions, instruments, clock
):
    from partenariat_core.forms_source import FormsSource, import_responses

    a, _ = sessions
    fake.set_values(FORM_A, TAB, [HEADERS, row(1), row(2), row(3)])
    sheet = FormsSource(FORM_A, api_url=fake.base_url).read()
    mapping = suggest_mapping(sheet.headers, a, instruments, spreadsheet=FORM_A)
    assert import_responses(sqlite_store, sheet, mapping, a, instruments).added == 12
    link_sheet(settings_for(fake, tmp_path), sqlite_store, instruments, a.code, FORM_A)
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    follower.step()
    assert len(sqlite_store.read_events(a.code)) == 12
    assert follower.statuses()[0].added == 0


def test_the_server_runtime_follows_links_in_a_thread_and_stops_it_on_close(
    fake, tmp_path, monkeypatch, instruments
):
    """Rows appended reach LiveSessions with no page open: the follower runs with the runtime."""
    from partenariat_core.runtime import start_runtime

    fake.clock = __import__("time").monotonic
    settings = settings_for(fake, tmp_path)
    runtime = start_runtime(settings, follow=True)
    try:
        assert runtime.follower is not None and runtime.follower._thread is not None
        session = Session("THR234", "x", instruments=("keep_throw", "conditions_1to5", "continuum"))
        runtime.store.create_session(session)
        fake.set_values(FORM_A, TAB, [HEADERS, row(1)])
        link_sheet(settings, runtime.store, instruments, session.code, FORM_A)
        runtime.follower.read_now()
        seen = ()
        for _ in range(200):  # bounded: at most 10 s
            seen = runtime.live.events(session.code)
            if len(seen) >= 3:
                break
            __import__("time").sleep(0.05)
        assert sorted(e.item for e in seen) == ["c1_viewpoints", "keep", "now"]  # no sector offered
    finally:
        runtime.close()
    assert runtime.follower._thread is None


def test_the_command_line_runtime_does_not_follow(fake, tmp_path):
    from partenariat_core.runtime import start_runtime

    runtime = start_runtime(settings_for(fake, tmp_path))
    try:
        assert runtime.follower is None
    finally:
        runtime.close()


def test_a_question_added_to_the_form_mid_workshop_is_named_and_withdraws_nobody(
    fake, tmp_path, sqlite_store, sessions, instruments, clock
):
    a, _ = sessions
    fake.set_values(FORM_A, TAB, [HEADERS, row(1), row(2)])
    link_sheet(settings_for(fake, tmp_path), sqlite_store, instruments, a.code, FORM_A)
    follower, _, _ = make_follower(fake, tmp_path, sqlite_store, instruments, clock)
    follower.step()
    # Forms adds a column for the new question; only the new response answers it
    fake.set_values(FORM_A, TAB, [[*HEADERS, "Une nouvelle question ?"], row(1), row(2), [*row(3), "oui"]])
    clock.advance(11.0)  # past the reconciliation
    follower.step()
    [status] = follower.statuses()
    assert status.unmapped == ("Une nouvelle question ?",)
    assert status.withdrawn == 0 and status.rows == 3
    assert len(live_participants(sqlite_store, a.code)) == 3


def test_with_a_sheets_store_the_follower_counts_its_reads_in_the_stores_budget(fake, tmp_path):
    """One service account, one quota: the server's follower and the Sheets store share one budget,
    and the follower leaves the store the reads it plans (one every 2 s: 30 of the 54 a minute)."""
    from partenariat_core.runtime import start_runtime

    fake.clock = __import__("time").monotonic
    fake.create_spreadsheet("1StoreBook", "Ateliers", sheets=["sessions", "responses"])
    settings = load_settings(
        {
            "PARTENARIAT_DATA_DIR": str(tmp_path),
            "PARTENARIAT_SHEETS_API_URL": fake.base_url,
            "PARTENARIAT_STORE": "sheets",
            "PARTENARIAT_SHEETS_SPREADSHEET": "1StoreBook",
            "PARTENARIAT_DEMO": "false",
        },
        secrets_file=tmp_path / "none.toml",
    )
    runtime = start_runtime(settings, follow=True)
    try:
        assert runtime.follower is not None
        assert runtime.follower.budget is runtime.store.budget
        assert runtime.follower.share == 54 - 30
    finally:
        runtime.close()
