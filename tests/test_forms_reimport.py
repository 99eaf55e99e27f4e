"""Importing a Google Form again after its rows moved, and the participation rules on that import.

A host sorts the response sheet, deletes a spam row, fixes nothing, and imports again: nobody may be
counted twice. And whatever comes in through a form obeys the same rules as a phone (card length,
card count, open session), with every refused answer listed to the host by row and column.
"""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core.errors import ConfigError, SessionError
from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.forms_source import (
    FormsSource,
    import_responses,
    parse_timestamp,
    suggest_mapping,
    to_events,
)
from partenariat_core.model import Session

FORM = "1FormResponses-reimport"
SHEET = "Réponses au formulaire 1"
HEADERS = [
    "Horodateur",
    "Votre secteur",
    "1. L'inclusion de la diversité des points de vue…",
    "Où se situe le partenariat aujourd'hui ?",
    "Qu'est-ce qu'on garde ?",
]
SECTORS = ["Communautaire", "Municipal", "Public / santé"]
LEVELS = ["Réseautage", "Coordination", "Coopération", "Collaboration"]


def forty_rows() -> list[list[str]]:
    """40 responses, each answering the four questions (4 events a row, 160 in all).

    Two people often send in the same second (rows 2k and 2k+1 share a timestamp with different
    answers), and the last two rows are exact repeats: same second, same answers, two responses."""
    rows = []
    for n in range(38):
        stamp = f"20/11/2026 09:{n // 2:02d}:{17 + n % 3:02d}" if n % 2 else f"20/11/2026 09:{n // 2:02d}:17"
        rows.append([stamp, SECTORS[n % 3], str(1 + n % 5), LEVELS[n % 4], f"Carte numéro {n}"])
    twin = ["20/11/2026 10:00:00", "Municipal", "3", "Coopération", "La même idée"]
    return [*rows, list(twin), list(twin)]


@pytest.fixture
def session():
    return Session(
        "RMP234",
        "Atelier réimporté",
        instruments=("keep_throw", "conditions_1to5", "continuum"),
        sectors=("community", "municipal", "public_health"),
    )


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(FORM, "Atelier (réponses)", sheets=[SHEET])
        yield server


def _write(fake, rows, headers=HEADERS):
    """The sheet as Forms leaves it after an edit: a deleted row's cells are gone, not left below."""
    blank = [[""] * len(headers)] * max(0, 45 - len(rows))
    fake.set_values(FORM, SHEET, [headers, *rows, *blank])


def _import(fake, rows, store, session, instruments, **limits):
    _write(fake, rows)
    sheet = FormsSource(FORM, api_url=fake.base_url).read()
    mapping = suggest_mapping(sheet.headers, session, instruments, spreadsheet=FORM)
    return import_responses(store, sheet, mapping, session, instruments, **limits)


def _counts(store, code):
    events = store.read_events(code)
    return len({e.participant for e in events}), len(events)


def test_sorting_the_sheet_and_deleting_a_row_then_importing_again_duplicates_nobody(
    fake, sqlite_store, session, instruments
):
    sqlite_store.create_session(session)
    rows = forty_rows()
    first = _import(fake, rows, sqlite_store, session, instruments)
    assert first.refused == () and first.rows == 40  # the blank rows below are not responses
    assert _counts(sqlite_store, session.code) == (40, 160)

    moved = sorted(rows, key=lambda r: (r[3], r[4]), reverse=True)  # the host sorts by a column
    del moved[7]  # and deletes a "spam" row
    again = _import(fake, moved, sqlite_store, session, instruments)
    assert again.added == 0 and again.refused == ()
    assert _counts(sqlite_store, session.code) == (40, 160)

    # the exact repeats are two responses whatever their order, even when they end up apart
    apart = [rows[-1], *rows[:-1]]
    assert _import(fake, apart, sqlite_store, session, instruments).added == 0
    assert _counts(sqlite_store, session.code) == (40, 160)


def test_two_identical_rows_are_two_responses(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    twin = ["20/11/2026 10:00:00", "Municipal", "3", "Coopération", "La même idée"]
    result = _import(fake, [twin, list(twin)], sqlite_store, session, instruments)
    assert result.added == 8
    assert _counts(sqlite_store, session.code) == (2, 8)
    # one of them deleted: the other is already there, nothing is added
    assert _import(fake, [twin], sqlite_store, session, instruments).added == 0


def test_an_answer_added_to_a_column_mapped_later_joins_the_same_person(
    fake, sqlite_store, session, instruments
):
    """Ids do not depend on the mapping: mapping one more column later adds answers, not people."""
    sqlite_store.create_session(session)
    rows = forty_rows()[:3]
    _write(fake, [*rows])
    sheet = FormsSource(FORM, api_url=fake.base_url).read()
    full = suggest_mapping(sheet.headers, session, instruments, spreadsheet=FORM)
    partial = full.with_choice("Qu'est-ce qu'on garde ?", "")
    assert import_responses(sqlite_store, sheet, partial, session, instruments).added == 9
    assert import_responses(sqlite_store, sheet, full, session, instruments).added == 3
    assert _counts(sqlite_store, session.code) == (3, 12)


def test_row_timestamps_become_the_answers_times(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    _write(fake, [["2026/11/20 9:03:01 PM UTC−5", "Municipal", "", "", ""]])
    source = FormsSource(FORM, api_url=fake.base_url)
    sheet = source.read()
    mapping = suggest_mapping(sheet.headers, session, instruments)
    [event] = to_events(sheet, mapping, session, instruments).events
    assert event.created_at == dt.datetime(2026, 11, 21, 2, 3, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026/11/20 9:03:01 UTC−5", (2026, 11, 20, 14, 3, 1)),  # U+2212, as Forms writes it
        ("2026/11/20 9:03:01 UTC-5", (2026, 11, 20, 14, 3, 1)),
        ("2026/11/20 9:03:01 PM UTC-5", (2026, 11, 21, 2, 3, 1)),
        ("2026/11/20 12:03:01 AM UTC−5", (2026, 11, 20, 5, 3, 1)),
        ("2026/11/20 12:03:01 PM UTC+1", (2026, 11, 20, 11, 3, 1)),
        ("2026/11/20 9:03:01 AM GMT+5:30", (2026, 11, 20, 3, 33, 1)),
        ("2026/11/20 9:03:01 UTC", (2026, 11, 20, 9, 3, 1)),
        ("20/11/2026 09:03:01", (2026, 11, 20, 14, 3, 1)),  # a French-locale sheet, day first
        ("20/11/2026 9:03", (2026, 11, 20, 14, 3, 0)),
        ("11/20/2026 9:03:01 PM", (2026, 11, 21, 2, 3, 1)),  # unambiguous month first
        ("2026-11-20 09:03:01", (2026, 11, 20, 14, 3, 1)),
        ("2026-11-20T09:03:01", (2026, 11, 20, 14, 3, 1)),
        ("2026-11-20T14:03:01Z", (2026, 11, 20, 14, 3, 1)),
        ("2026-11-20T09:03:01-05:00", (2026, 11, 20, 14, 3, 1)),
        ("  2026/11/20\u00a09:03:01\u202fp.m. UTC−5 ", (2026, 11, 21, 2, 3, 1)),
    ],
)
def test_forms_timestamps_are_read_in_every_written_form(text, utc):
    parsed = parse_timestamp(text, "America/Toronto", "fr_CA")
    assert parsed is not None
    assert parsed.astimezone(dt.UTC) == dt.datetime(*utc, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text", ["pas une date", "2026/13/20 9:03:01", "2026/11/20 13:03:01 PM", "32/11/2026 09:03:01", "9:03"]
)
def test_an_impossible_timestamp_is_not_read(text):
    assert parse_timestamp(text, "America/Toronto", "fr_CA") is None


def test_an_unreadable_timestamp_is_reported_not_replaced(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    rows = [
        ["hier soir", "Municipal", "3", "Coopération", "Une idée"],
        ["20/11/2026 09:03:01", "Communautaire", "4", "Réseautage", "Une autre"],
    ]
    result = _import(fake, rows, sqlite_store, session, instruments)
    assert result.added == 4  # the second row only
    [refusal] = result.refused
    assert (refusal.row, refusal.column) == (2, "Horodateur")
    assert refusal.reason("fr") == "Horodatage illisible : « hier soir »."
    assert refusal.reason("en") == "Unreadable timestamp: “hier soir”."
    assert _counts(sqlite_store, session.code) == (1, 4)


def test_without_a_timestamp_column_nothing_is_imported(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    _write(fake, [forty_rows()[0]])
    sheet = FormsSource(FORM, api_url=fake.base_url).read()
    mapping = suggest_mapping(sheet.headers, session, instruments)
    no_stamp = type(mapping)(mapping.session, mapping.spreadsheet, mapping.worksheet, "", mapping.columns)
    with pytest.raises(ConfigError) as info:
        import_responses(sqlite_store, sheet, no_stamp, session, instruments)
    assert info.value.key == "forms.no_timestamp_column"
    assert sqlite_store.read_events(session.code) == []


# --------------------------------------------------------------------------------------------------
# the participation rules


def test_a_too_long_answer_is_refused_and_listed_like_on_a_phone(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    rows = [
        ["20/11/2026 09:03:01", "Municipal", "3", "Coopération", "x" * 10_000],
        ["20/11/2026 09:04:01", "Communautaire", "4", "Réseautage", "é" * 280],  # at the limit
    ]
    result = _import(fake, rows, sqlite_store, session, instruments)
    assert result.added == 7
    [refusal] = result.refused
    assert (refusal.row, refusal.column) == (2, "Qu'est-ce qu'on garde ?")
    assert refusal.reason("fr") == (
        "Carte trop longue : 10000 caractères pour 280 au plus. Raccourcissez-la ou faites-en deux."
    )
    assert refusal.reason("en").startswith("Card too long: 10000 characters for at most 280.")
    texts = sorted(len(e.text) for e in sqlite_store.read_events(session.code) if e.text)
    assert texts == [280]
    # importing again refuses it again, and adds nothing
    again = _import(fake, rows, sqlite_store, session, instruments)
    assert again.added == 0 and [(r.row, r.column) for r in again.refused] == [(2, "Qu'est-ce qu'on garde ?")]


def test_the_card_length_limit_is_the_one_configured(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    rows = [["20/11/2026 09:03:01", "", "", "", "Vingt-cinq caractères ici"]]
    result = _import(fake, rows, sqlite_store, session, instruments, max_length=20)
    assert result.added == 0 and result.refused[0].params == {"length": 25, "limit": 20}


def test_the_card_count_limit_counts_cards_already_stored(fake, sqlite_store, session, instruments):
    """Three columns mapped to cards, a limit of two per person: the third card of a row is refused."""
    sqlite_store.create_session(session)
    headers = ["Horodateur", "Qu'est-ce qu'on garde ?", "Autre chose à garder", "Encore une"]
    _write(fake, [["20/11/2026 09:03:01", "Un", "Deux", "Trois"]], headers)
    sheet = FormsSource(FORM, api_url=fake.base_url).read()
    mapping = suggest_mapping(sheet.headers, session, instruments)
    mapping = mapping.with_choice("Autre chose à garder", "keep_throw:keep").with_choice(
        "Encore une", "keep_throw:throw"
    )
    result = import_responses(sqlite_store, sheet, mapping, session, instruments, max_cards=2)
    assert result.added == 2
    assert [(r.row, r.column, r.key) for r in result.refused] == [(2, "Encore une", "error.too_many_cards")]
    assert result.refused[0].reason("en") == "You have reached the limit of 2 cards for this session."
    # a second import: the two stored cards are not counted again, the third is still refused
    again = import_responses(sqlite_store, sheet, mapping, session, instruments, max_cards=2)
    assert again.added == 0 and [r.column for r in again.refused] == ["Encore une"]
    assert len(sqlite_store.read_events(session.code)) == 2


def test_a_sector_the_session_does_not_offer_is_refused(fake, sqlite_store, instruments):
    only_two = Session(
        "SEC234", "Deux secteurs", instruments=("continuum",), sectors=("community", "municipal")
    )
    sqlite_store.create_session(only_two)
    rows = [["20/11/2026 09:03:01", "Public / santé", "", "Coopération", ""]]
    result = _import(fake, rows, sqlite_store, only_two, instruments)
    assert result.added == 1  # the continuum answer
    assert [(r.row, r.column, r.key) for r in result.refused] == [(2, "Votre secteur", "error.bad_value")]


def test_a_closed_session_refuses_the_whole_import(fake, sqlite_store, session, instruments):
    from dataclasses import replace

    sqlite_store.create_session(replace(session, is_open=False))
    closed = sqlite_store.get_session(session.code)
    with pytest.raises(SessionError) as info:
        _import(fake, forty_rows()[:2], sqlite_store, closed, instruments)
    assert info.value.key == "forms.session_closed"
    assert "RMP234" in info.value.message("fr") and "RMP234" in info.value.message("en")
    assert sqlite_store.read_events(session.code) == []


def test_the_session_is_read_again_from_the_store_before_importing(fake, sqlite_store, session, instruments):
    """A host page's copy may be stale: the session closed in another tab refuses the import."""
    from dataclasses import replace

    sqlite_store.create_session(session)
    stale_copy = sqlite_store.get_session(session.code)
    sqlite_store.save_session(replace(stale_copy, is_open=False))
    with pytest.raises(SessionError):
        _import(fake, forty_rows()[:2], sqlite_store, stale_copy, instruments)
    assert sqlite_store.read_events(session.code) == []


def test_unreadable_answers_are_listed_with_their_row(fake, sqlite_store, session, instruments):
    sqlite_store.create_session(session)
    rows = [["20/11/2026 09:03:01", "Municipal", "bof", "Coopération", ""]]
    result = _import(fake, rows, sqlite_store, session, instruments)
    assert result.unreadable == (("1. L'inclusion de la diversité des points de vue…", "bof"),)
    [refusal] = result.refused
    assert (refusal.row, refusal.column) == (2, "1. L'inclusion de la diversité des points de vue…")
    assert refusal.reason("fr") == "Réponse non reconnue : « bof »."
    assert refusal.reason("en") == "Answer not recognised: “bof”."
