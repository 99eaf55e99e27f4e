"""Google Forms columns for the choice and open kinds (issue 11.1's questions asked in a Form).

A Form asks multiple choice, checkboxes and short / paragraph questions all the time; their columns
must be matched to the session's choice and open activities, turned into the very events a phone's
``submit_choice`` / ``submit_open`` store, refused row by row when a cell names no option, and
imported or followed exactly once. Grid and timeline activities cannot be mapped: they are named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import textwrap

import pytest

from partenariat_core.answers_more import submit_choice, submit_open
from partenariat_core.fake_sheets import USER_HEADER, FakeSheetsServer, ManualClock
from partenariat_core.forms_source import (
    AUTO_THRESHOLD,
    FormsSheet,
    FormsSource,
    LinkFile,
    SourceFollower,
    StateFile,
    answer_options,
    choice_parts,
    import_responses,
    link_sheet,
    parse_answer,
    suggest_mapping,
    targets,
    to_events,
    unmappable_activities,
    unread_values,
)
from partenariat_core.forms_source.follower import SheetsAccess
from partenariat_core.forms_source.rehearsal import form_headers, response_row
from partenariat_core.i18n import t
from partenariat_core.instruments import Choice
from partenariat_core.instruments.loader import parse_text
from partenariat_core.model import Session
from partenariat_core.scoring import WITHDRAWN, events_frame
from partenariat_core.scoring.choice import open_answers, score_choice
from partenariat_core.sessions import create_session
from partenariat_core.sheets_transport import gspread_client
from partenariat_core.store.sheets.pacing import Budget
from partenariat_core.store.sqlite import SQLiteStore

LUNCH = textwrap.dedent(
    """\
    id = "lunch"
    kind = "choice"
    title = { fr = "Dîner", en = "Lunch" }
    prompt = { fr = "Que mange-t-on à midi ?", en = "What do we eat at noon?" }
    multiple = true
    options = [
      { id = "soup", label = { fr = "Soupe du jour", en = "Soup of the day" } },
      { id = "salad", label = { fr = "Salade, vinaigrette", en = "Salad, dressing" } },
      { id = "cake", label = { fr = "Gâteau", en = "Cake" } },
    ]
    """
)
PLACE = textwrap.dedent(
    """\
    id = "place"
    kind = "choice"
    title = { fr = "Lieu", en = "Place" }
    prompt = { fr = "Où se réunir la prochaine fois ?", en = "Where do we meet next time?" }
    options = [
      { id = "library", label = { fr = "À la bibliothèque", en = "At the library" } },
      { id = "school", label = { fr = "À l'école", en = "At the school" } },
    ]
    """
)
WORD = textwrap.dedent(
    """\
    id = "word"
    kind = "open"
    title = { fr = "Le mot de la fin", en = "Last word" }
    prompt = { fr = "Un mot pour conclure la journée ?", en = "One word to close the day?" }
    max_length = 30
    """
)
CODE = "KND234"
FORM = "1FormKinds"
TAB = "Réponses au formulaire 1"
HEADERS = [
    "Horodateur",
    "1. Que mange-t-on à midi ?",  # a checkboxes question, in the prompt's French
    "Where do we meet next time?",  # multiple choice, asked in English
    "Un mot pour conclure la journée",  # a paragraph question, no question mark
    "Qu'est-ce qu'on garde ?",
]
ROWS = [
    ["20/11/2026 09:00:01", "Soupe du jour, Gâteau", "At the library", "Merci\nà tous", "Le café"],
    ["20/11/2026 09:00:02", "GATEAU", "à l'ecole", "Bravo", ""],
    ["20/11/2026 09:00:03", "Salade, vinaigrette, Soup of the day", "", "", "Les tables"],
    ["20/11/2026 09:00:04", "Soupe du jour, Pizza", "À la piscine", "x" * 31, ""],
    ["20/11/2026 09:00:05", "", "À la bibliothèque, À l'école", "", ""],
]


@pytest.fixture
def kinds(instruments):
    """The shipped activities plus a host's choice and open ones, as the registry gives them."""
    made = {
        ins.id: ins for ins in (parse_text(text, f"{n}.toml") for n, text in enumerate((LUNCH, PLACE, WORD)))
    }
    return {**instruments, **made}


@pytest.fixture
def session():
    return Session(CODE, "Atelier avec formulaire", instruments=("lunch", "place", "word", "keep_throw"))


def sheet_of(rows, headers=HEADERS) -> FormsSheet:
    return FormsSheet(TAB, tuple(headers), tuple(tuple(r) for r in rows))


def test_choice_and_open_columns_are_matched_to_their_questions(session, kinds):
    mapping = suggest_mapping(HEADERS, session, kinds)
    got = {c.header: f"{c.instrument}:{c.item}" for c in mapping.columns if c.mapped}
    assert got == {
        "1. Que mange-t-on à midi ?": "lunch:answer",
        "Where do we meet next time?": "place:answer",
        "Un mot pour conclure la journée": "word:answer",
        "Qu'est-ce qu'on garde ?": "keep_throw:keep",
    }
    confidence = {c.header: c.confidence for c in mapping.columns}
    assert confidence["Where do we meet next time?"] == 1.0
    assert confidence["1. Que mange-t-on à midi ?"] == 1.0  # numbering and punctuation do not count
    # a form that names the question by the activity's title is matched too
    by_title = suggest_mapping(["Horodateur", "Le mot de la fin"], session, kinds)
    assert [(c.instrument, c.item) for c in by_title.columns] == [("word", "answer")]
    # a column about something else is left for the host, as for the other kinds
    other = suggest_mapping(["Horodateur", "Adresse e-mail"], session, kinds)
    assert not other.columns[0].mapped and other.columns[0].confidence < AUTO_THRESHOLD


def test_a_choice_cell_is_read_against_the_option_labels_never_guessed(kinds):
    lunch, place = kinds["lunch"], kinds["place"]
    assert parse_answer(lunch, "answer", "Gâteau").value == "cake"
    assert parse_answer(lunch, "answer", "gateau").value == "cake"  # case and accents do not count
    assert parse_answer(lunch, "answer", "Cake").value == "cake"  # the English label
    assert parse_answer(lunch, "answer", "Gâteau, Soupe du jour").value == "soup cake"  # file's order
    assert parse_answer(lunch, "answer", "Soup of the day;Cake;").value == "soup cake"  # Microsoft Forms
    # an option whose label holds a comma is read whole, beside another one
    assert choice_parts(lunch, "Salade, vinaigrette, Gâteau") == [
        ("Salade, vinaigrette", "salad"),
        ("Gâteau", "cake"),
    ]
    assert parse_answer(place, "answer", "1. À l'école").value == "school"  # a numbered option
    # a near miss is not an option: reported, not read as the closest one
    assert parse_answer(lunch, "answer", "Gateaux") is None
    assert parse_answer(lunch, "answer", "Soupe du jour, Pizza") is None
    assert choice_parts(lunch, "Soupe du jour, Pizza, quatre fromages") == [
        ("Soupe du jour", "soup"),
        ("Pizza, quatre fromages", None),
    ]
    assert parse_answer(place, "answer", "Non: À l'école") is None  # a word is not a number


def test_an_open_cell_is_cleaned_as_a_card_is(kinds):
    assert parse_answer(kinds["word"], "answer", "  Merci\nà\ttous\u200b ").text == "Merci à tous"
    assert parse_answer(kinds["word"], "answer", "\u200b") is None


def test_cells_become_the_events_a_phone_stores(session, kinds, sqlite_store, tmp_path):
    mapping = suggest_mapping(HEADERS, session, kinds)
    found = to_events(sheet_of(ROWS[:2]), mapping, session, kinds)
    forms = sorted(
        (e.instrument, e.item, e.value, e.text) for e in found.events if e.instrument != "keep_throw"
    )
    # the same answers sent from a phone
    phone = SQLiteStore(tmp_path / "phone.db")
    try:
        phone.create_session(session)
        submit_choice(phone, session, "phone-token-01", kinds["lunch"], ["cake", "soup"], "s1")
        submit_choice(phone, session, "phone-token-01", kinds["place"], ["library"], "s2")
        submit_open(phone, session, "phone-token-01", kinds["word"], "Merci\nà tous", "s3")
        submit_choice(phone, session, "phone-token-02", kinds["lunch"], ["cake"], "s4")
        submit_choice(phone, session, "phone-token-02", kinds["place"], ["school"], "s5")
        submit_open(phone, session, "phone-token-02", kinds["word"], "Bravo", "s6")
        phoned = sorted((e.instrument, e.item, e.value, e.text) for e in phone.read_events(CODE))
    finally:
        phone.close()
    assert forms == phoned
    assert ("lunch", "answer", "soup cake", "") in forms and ("word", "answer", "", "Merci à tous") in forms
    # one response is one participant, whose events share the response's content-based id
    first = [e for e in found.events if e.participant == found.responses[0]]
    assert {e.submission_id for e in first if e.instrument != "keep_throw"} == {found.responses[0]}


def test_bad_cells_are_refused_by_row_in_both_languages_and_the_rest_is_kept(session, kinds):
    mapping = suggest_mapping(HEADERS, session, kinds)
    found = to_events(sheet_of(ROWS), mapping, session, kinds)
    refused = [(r.row, r.column, r.key) for r in found.refused]
    assert refused == [
        (5, "1. Que mange-t-on à midi ?", "forms.unknown_option"),
        (5, "Where do we meet next time?", "forms.unknown_option"),
        (5, "Un mot pour conclure la journée", "error.open_too_long"),
        (6, "Where do we meet next time?", "error.choice_one_only"),  # two options, one allowed
    ]
    pizza = found.refused[0]
    assert pizza.params == {"answer": "Pizza"}  # the part that names nothing, not the whole cell
    assert pizza.reason("fr") == (
        "« Pizza » n'est aucun des choix de cette question : associez cette réponse à un choix sous "
        "« Réponses à associer », ou corrigez le formulaire."
    )
    assert pizza.reason("en") == (
        "“Pizza” is none of this question's options: map it to an option under “Answers to map”, "
        "or fix the form."
    )
    assert found.refused[2].reason("en") == "Answer too long: 31 characters, 30 at most."
    # half a checkboxes answer is not stored: row 5 keeps nothing from the lunch question
    row5 = [e for e in found.events if e.participant == found.responses[3]]
    assert row5 == []
    # the other rows' answers are all there: 2 + 1 lunch answers... and row 4's salad and soup
    lunch = sorted(e.value for e in found.events if e.instrument == "lunch")
    assert lunch == ["cake", "soup cake", "soup salad"]


def test_the_host_maps_an_unknown_option_once_and_it_is_read_everywhere(session, kinds):
    mapping = suggest_mapping(HEADERS, session, kinds)
    sheet = sheet_of(ROWS)
    unread = {(u.target, u.raw): u.count for u in unread_values(sheet, mapping, session, kinds)}
    # only the parts that name nothing are listed; open and card columns never are
    assert unread == {("lunch:answer", "Pizza"): 1, ("place:answer", "À la piscine"): 1}
    assert answer_options(kinds["lunch"], "answer", session) == [
        ("soup", ("Soupe du jour", "Soup of the day")),
        ("salad", ("Salade, vinaigrette", "Salad, dressing")),
        ("cake", ("Gâteau", "Cake")),
    ]
    fixed = mapping.with_answer("lunch:answer", "pizza", "").with_answer(
        "place:answer", "À la piscine", "school"
    )
    assert unread_values(sheet, fixed, session, kinds) == []
    found = to_events(sheet, fixed, session, kinds)
    assert [r.key for r in found.refused] == ["error.open_too_long", "error.choice_one_only"]
    row5 = {e.instrument: e.value for e in found.events if e.participant == found.responses[3]}
    assert row5 == {"lunch": "soup", "place": "school"}  # Pizza left out, la piscine read as school


def test_reimporting_twice_even_after_a_sort_stores_the_same_events_once(session, kinds, sqlite_store):
    sqlite_store.create_session(session)
    mapping = suggest_mapping(HEADERS, session, kinds)
    first = import_responses(sqlite_store, sheet_of(ROWS), mapping, session, kinds)
    assert first.added == len(first.events) == 9
    stored = sorted(e.key for e in sqlite_store.read_events(CODE))
    again = import_responses(sqlite_store, sheet_of(ROWS), mapping, session, kinds)
    shuffled = list(ROWS)
    random.Random(4).shuffle(shuffled)  # the host sorted the sheet
    sorted_again = import_responses(sqlite_store, sheet_of(shuffled), mapping, session, kinds)
    assert again.added == sorted_again.added == 0
    assert sorted(e.key for e in sqlite_store.read_events(CODE)) == stored
    # and the boards count each person once
    frame = events_frame(sqlite_store.read_events(CODE))
    assert score_choice(frame, kinds["lunch"]).counts.to_dict() == {"soup": 2, "salad": 1, "cake": 2}
    assert sorted(c.text for c in open_answers(frame, kinds["word"])) == ["Bravo", "Merci à tous"]


def test_an_import_reads_the_options_the_session_was_made_with(kinds, sqlite_store):
    made = create_session(sqlite_store, kinds, "Atelier", instrument_ids=("lunch",))
    # the host edits the activity afterwards: "Gâteau" becomes "Tarte" in the editor
    pie = Choice("pie", {"fr": "Tarte", "en": "Pie"})
    edited = {
        **kinds,
        "lunch": dataclasses.replace(kinds["lunch"], options=(*kinds["lunch"].options[:2], pie)),
    }
    sheet = sheet_of([["20/11/2026 09:00:01", "Gâteau, Soupe du jour"]], ["Horodateur", "Que mange-t-on ?"])
    mapping = suggest_mapping(sheet.headers, made, kinds)
    result = import_responses(sqlite_store, sheet, mapping, made, edited)
    # read as the session's phones read it (its stored copy), not refused as an unknown option
    assert result.refused == ()
    assert [(e.instrument, e.value) for e in result.events] == [("lunch", "soup cake")]


def test_grid_and_timeline_activities_are_named_as_not_mappable(kinds):
    session = Session(CODE, "x", instruments=("controversy", "lunch", "transitional_results", "word"))
    assert [ins.id for ins in unmappable_activities(session, kinds)] == [
        "controversy",
        "transitional_results",
    ]
    assert {tg.instrument for tg in targets(session, kinds)} == {"lunch", "word"}
    assert unmappable_activities(Session(CODE, "x", instruments=("lunch", "continuum")), kinds) == []
    names = "Portrait, Résultats"
    assert t("forms.kinds_not_mapped.other", "fr", count=2, activities=names).startswith(
        "Ces 2 activités de la session ne peuvent pas recevoir les réponses d'un formulaire : Portrait"
    )


def test_a_rehearsal_form_asks_and_answers_the_choice_and_open_questions(session, kinds):
    headers = form_headers(session, kinds)
    assert headers[1:4] == [
        "Que mange-t-on à midi ?",
        "Où se réunir la prochaine fois ?",
        "Un mot pour conclure la journée ?",
    ]
    rng = random.Random(7)
    rows = [response_row(session, kinds, dt.datetime(2026, 11, 20, 9, 0, n), rng) for n in range(20)]
    mapping = suggest_mapping(headers, session, kinds)
    found = to_events(sheet_of(rows, headers), mapping, session, kinds)
    assert found.refused == () and len(found.events) == 20 * (len(headers) - 1)  # every answer read
    assert any(" " in e.value for e in found.events if e.instrument == "lunch")  # checkboxes: several


# --- followed live through the fake Sheets server ----------------------------------------------
@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def fake(clock):
    with FakeSheetsServer() as server:
        server.clock = clock
        server.create_spreadsheet(FORM, "Atelier (réponses)", sheets=[TAB])
        server.set_values(FORM, TAB, [HEADERS])
        yield server


def test_a_linked_sheet_brings_choice_and_open_answers_exactly_once(
    fake, clock, tmp_path, session, kinds, sqlite_store
):
    from partenariat_core.config import load_settings

    sqlite_store.create_session(session)
    settings = load_settings(
        {"PARTENARIAT_DATA_DIR": str(tmp_path), "PARTENARIAT_SHEETS_API_URL": fake.base_url},
        secrets_file=tmp_path / "none.toml",
    )
    linked = link_sheet(settings, sqlite_store, kinds, CODE, FORM).link
    assert {c.header for c in linked.mapping.columns if c.mapped} == set(HEADERS[1:])
    budget = Budget(54, clock)
    follower = SourceFollower(
        sqlite_store,
        kinds,
        LinkFile.in_data_dir(tmp_path),
        StateFile.in_data_dir(tmp_path),
        SheetsAccess(fake.base_url, None, "", 5.0).api_factory(budget),
        budget,
        interval=1.0,
        full_every=5.0,
        clock=clock,
    )
    client = gspread_client(fake.base_url, timeout=5)
    client.http_client.session.headers[USER_HEADER] = "forms@google.example"
    forms = client.open_by_key(FORM).worksheet(TAB)
    fake.quota.per_user = 500
    for row in ROWS:  # one response a second, as Forms appends them
        forms.append_rows([row], value_input_option="RAW", insert_data_option="INSERT_ROWS")
        follower.step()
        clock.advance(1.0)
    forms.sort((2, "asc"), range=f"A2:E{len(ROWS) + 1}")  # the host sorts by the lunch column
    for _ in range(12):  # past two reconciliations (whole re-reads)
        follower.step()
        clock.advance(1.0)
    stored = sqlite_store.read_events(CODE)
    assert not any(e.instrument == WITHDRAWN for e in stored)  # a sort takes no response back
    events = [e for e in stored if not e.instrument.startswith("_")]
    assert len(events) == len({e.key for e in events}) == 9  # the import's 9, each once
    assert sorted(e.value or e.text for e in events if e.instrument in ("lunch", "place", "word")) == sorted(
        e.value or e.text
        for e in to_events(sheet_of(ROWS), linked.mapping, session, kinds).events
        if e.instrument != "keep_throw"
    )
    [status] = follower.statuses(CODE)
    assert [r.key for r in status.refused] == [
        "forms.unknown_option",
        "forms.unknown_option",
        "error.open_too_long",
        "error.choice_one_only",
    ]


def test_a_linked_sheet_reads_the_options_the_session_was_made_with(
    fake, clock, tmp_path, kinds, sqlite_store
):
    from partenariat_core.config import load_settings

    made = create_session(sqlite_store, kinds, "Atelier", instrument_ids=("lunch",))
    pie = Choice("pie", {"fr": "Tarte", "en": "Pie"})
    edited = {
        **kinds,
        "lunch": dataclasses.replace(
            kinds["lunch"], options=(pie, Choice("tart", {"fr": "Tartelette", "en": "Tart"}))
        ),
    }
    fake.set_values(FORM, TAB, [["Horodateur", "Que mange-t-on à midi ?"], ["20/11/2026 09:00:01", "Gâteau"]])
    settings = load_settings(
        {"PARTENARIAT_DATA_DIR": str(tmp_path), "PARTENARIAT_SHEETS_API_URL": fake.base_url},
        secrets_file=tmp_path / "none.toml",
    )
    result = link_sheet(settings, sqlite_store, edited, made.code, FORM)
    assert result.unread == ()  # "Gâteau" is an option of the session's own copy
    budget = Budget(54, clock)
    follower = SourceFollower(
        sqlite_store,
        edited,
        LinkFile.in_data_dir(tmp_path),
        StateFile.in_data_dir(tmp_path),
        SheetsAccess(fake.base_url, None, "", 5.0).api_factory(budget),
        budget,
        clock=clock,
    )
    follower.step()
    [status] = follower.statuses(made.code)
    assert status.refused == () and status.error_key == ""
    assert [e.value for e in sqlite_store.read_events(made.code) if e.instrument == "lunch"] == ["cake"]


def test_forms_source_reads_the_kinds_sheet_through_the_fake_server(fake, session, kinds, sqlite_store):
    fake.set_values(FORM, TAB, [HEADERS, *ROWS])
    sheet = FormsSource(FORM, api_url=fake.base_url).read()
    sqlite_store.create_session(session)
    result = import_responses(
        sqlite_store, sheet, suggest_mapping(sheet.headers, session, kinds), session, kinds
    )
    assert result.added == 9 and len(result.refused) == 4
