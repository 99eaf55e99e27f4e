"""Google Forms response sheets: automatic column mapping, answer parsing, idempotent import.

The response sheet lives in the fake Sheets server, shaped as Forms writes it: a timestamp column,
one column per question, with the host's own (accented, numbered, truncated, bilingual) wording.
"""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core.errors import ConfigError
from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.forms_source import (
    AUTO_THRESHOLD,
    FormsSource,
    MappingFile,
    import_responses,
    parse_answer,
    parse_timestamp,
    similarity,
    suggest_mapping,
    to_events,
)
from partenariat_core.model import Session

FORM = "1FormResponses-atelier"
SHEET = "Réponses au formulaire 1"
HEADERS = [
    "Horodateur",
    "Adresse e-mail",
    "Votre secteur",
    "1. L'inclusion de la diversité des points de vue…",
    "2. La participation précoce des partenaires",
    "Q3 - Les acteurs négocient et peuvent réellement influencer les décisions.",
    "Conditions [The actors who are strategic and pivotal for the project are committed to it.]",
    "L'EGALISATION DES RAPPORTS DE POUVOIR",
    "La co-construction de l'action collective ?",
    "Où se situe le partenariat aujourd'hui ?",
    "Ou devrait-il se situer",
    "Qu'est-ce qu'on garde ?",
    "Commentaires libres",
]
EXPECTED = {
    "Votre secteur": "profile:sector",
    "1. L'inclusion de la diversité des points de vue…": "conditions_1to5:c1_viewpoints",
    "2. La participation précoce des partenaires": "conditions_1to5:c2_early",
    "Q3 - Les acteurs négocient et peuvent réellement influencer les décisions.": (
        "conditions_1to5:c3_influence"
    ),
    "Conditions [The actors who are strategic and pivotal for the project are committed to it.]": (
        "conditions_1to5:c4_strategic"
    ),
    "L'EGALISATION DES RAPPORTS DE POUVOIR": "conditions_1to5:c5_power",
    "La co-construction de l'action collective ?": "conditions_1to5:c6_coconstruction",
    "Où se situe le partenariat aujourd'hui ?": "continuum:now",
    "Ou devrait-il se situer": "continuum:desired",
    "Qu'est-ce qu'on garde ?": "keep_throw:keep",
}
ROWS = [
    [
        "25/11/2026 14:03:12",
        "a@example.org",
        "Communautaire",
        "4 - Plutôt d'accord",
        "Plutôt d'accord",
        "5",
        "2 — Plutôt en désaccord",
        "Je ne sais pas",
        "Tout à fait d'accord",
        "Coopération",
        "Collaboration",
        "Les tables de quartier",
        "merci",
    ],
    [
        "25/11/2026 14:05:40",
        "",
        "Municipal",
        "3",
        "bof",
        "4",
        "4",
        "1",
        "2",
        "Réseautage",
        "Coordination",
        "=Le budget partagé",
        "",
    ],
]


@pytest.fixture
def session():
    return Session(
        "FRM234",
        "Atelier avec formulaire",
        instruments=("keep_throw", "conditions_1to5", "continuum"),
        sectors=("community", "municipal", "public_health"),
    )


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.create_spreadsheet(FORM, "Atelier (réponses)", sheets=[SHEET])
        server.set_values(FORM, SHEET, [HEADERS, *ROWS])
        yield server


@pytest.fixture
def source(fake):
    return FormsSource(f"https://docs.google.com/spreadsheets/d/{FORM}/edit#gid=0", api_url=fake.base_url)


def test_french_accented_headers_map_automatically_with_confidence(source, session, instruments):
    sheet = source.read()
    assert sheet.worksheet == SHEET  # Forms' worksheet is found without being named
    mapping = suggest_mapping(sheet.headers, session, instruments, spreadsheet=FORM)
    got = {c.header: f"{c.instrument}:{c.item}" for c in mapping.columns if c.mapped}
    assert got == EXPECTED
    assert mapping.timestamp_column == "Horodateur"
    assert mapping.unmapped == ["Adresse e-mail", "Commentaires libres"]  # listed, not fatal
    confidence = {c.header: c.confidence for c in mapping.columns}
    assert confidence["Où se situe le partenariat aujourd'hui ?"] == 1.0  # the same words
    assert confidence["Ou devrait-il se situer"] == 1.0  # accents and punctuation do not count
    assert AUTO_THRESHOLD <= confidence["1. L'inclusion de la diversité des points de vue…"] < 1.0
    assert confidence["Commentaires libres"] < AUTO_THRESHOLD


def test_import_reads_answers_and_reimport_adds_nothing(fake, source, session, instruments, sqlite_store):
    sqlite_store.create_session(session)
    sheet = source.read()
    mapping = suggest_mapping(sheet.headers, session, instruments, spreadsheet=FORM)
    first = import_responses(sqlite_store, sheet, mapping, session, instruments)
    assert first.rows == 2
    assert first.unreadable == (("2. La participation précoce des partenaires", "bof"),)
    assert first.added == len(first.events) == 19
    stored = sqlite_store.read_events("FRM234")
    by_person = {}
    for e in stored:
        by_person.setdefault(e.participant, {})[e.item] = e.value or e.text
    alice, bob = by_person.values()
    assert alice["c1_viewpoints"] == "4" and alice["c2_early"] == "4" and alice["c3_influence"] == "5"
    assert (
        alice["c4_strategic"] == "2"
        and alice["c5_power"] == "dont_know"
        and alice["c6_coconstruction"] == "5"
    )
    assert alice["now"] == "cooperating" and alice["desired"] == "collaborating"
    assert alice["sector"] == "community" and alice["keep"] == "Les tables de quartier"
    assert bob["now"] == "networking" and bob["keep"] == "=Le budget partagé"
    assert "c2_early" not in bob  # "bof" is reported, not guessed
    assert all(e.created_at.tzinfo is not None for e in stored)

    again = import_responses(sqlite_store, source.read(), mapping, session, instruments)
    assert again.added == 0
    assert len(sqlite_store.read_events("FRM234")) == 19

    # Forms appends a third response: only its answers are new
    fake.set_values(FORM, SHEET, [HEADERS, *ROWS, ["26/11/2026 09:00:00", "", "Municipal", "A"]])
    third = import_responses(sqlite_store, source.read(), mapping, session, instruments)
    assert third.added == 1  # the sector; "A" is not on a 1-5 scale
    assert third.unreadable[-1] == ("1. L'inclusion de la diversité des points de vue…", "A")


def test_submission_ids_are_stable_from_timestamp_and_answers(source, session, instruments):
    sheet = source.read()
    mapping = suggest_mapping(sheet.headers, session, instruments)
    once = to_events(sheet, mapping, session, instruments).events
    twice = to_events(source.read(), mapping, session, instruments).events
    assert sorted(e.key for e in once) == sorted(e.key for e in twice)
    assert len({e.participant for e in once}) == 2 and all(e.participant.startswith("form-") for e in once)
    # a card's id is made from its content, the phone's way; other answers carry the response's id
    assert all(e.submission_id.startswith("card-") for e in once if e.instrument == "keep_throw")
    assert all(e.submission_id == e.participant for e in once if e.instrument != "keep_throw")


@pytest.mark.parametrize(
    ("instrument", "raw", "value"),
    [
        ("conditions_1to5", "4 - Plutôt d'accord", "4"),
        ("conditions_1to5", "Plutôt d'accord", "4"),
        ("conditions_1to5", "plutot en desaccord", "2"),
        ("conditions_1to5", "5", "5"),
        ("conditions_1to5", "Somewhat agree", "4"),
        ("conditions_1to5", "Don't know", "dont_know"),
        ("conditions", "A", "A"),
        ("conditions", "B — moyen", "B"),
        ("conditions", "faible", "C"),
        ("continuum", "3 - Coopération", "cooperating"),
        ("continuum", "Networking", "networking"),
        ("continuum", "2", "coordinating"),
        ("profile", "Public / santé", "public_health"),
    ],
)
def test_scale_answers_map_to_scale_values(instruments, instrument, raw, value):
    answer = parse_answer(instruments[instrument], "c1_viewpoints", raw)
    assert answer is not None and answer.value == value


@pytest.mark.parametrize(
    ("instrument", "raw"), [("conditions_1to5", "bof"), ("conditions", "D"), ("continuum", "9")]
)
def test_unreadable_answers_are_not_guessed(instruments, instrument, raw):
    assert parse_answer(instruments[instrument], "now", raw) is None


def test_a_header_matching_two_instruments_equally_is_left_to_the_host(session, instruments):
    both = session.with_changes(instruments=("conditions", "conditions_1to5"))
    mapping = suggest_mapping(["La participation précoce des partenaires"], both, instruments)
    assert mapping.unmapped == ["La participation précoce des partenaires"]


def test_host_choices_are_saved_and_survive_a_new_suggestion(tmp_path, source, session, instruments):
    sheet = source.read()
    suggested = suggest_mapping(sheet.headers, session, instruments, spreadsheet=FORM, worksheet=SHEET)
    fixed = suggested.with_choice("Commentaires libres", "keep_throw:keep").with_choice(
        "Votre secteur",
        "",  # the host decides not to import sectors
    )
    store = MappingFile.in_data_dir(tmp_path)
    store.save(fixed)
    loaded = store.load("FRM234")
    assert loaded == fixed
    assert "Votre secteur" in loaded.unmapped and "Commentaires libres" not in loaded.unmapped
    again = suggest_mapping(sheet.headers, session, instruments, spreadsheet=FORM, saved=loaded)
    assert again.column("Commentaires libres").instrument == "keep_throw"
    assert not again.column("Votre secteur").mapped
    assert again.column("Où se situe le partenariat aujourd'hui ?").item == "now"


def test_timestamps_follow_the_spreadsheet_locale_and_zone():
    fr = parse_timestamp("03/11/2026 14:03:12", "America/Toronto", "fr_CA")
    us = parse_timestamp("03/11/2026 14:03:12", "America/Toronto", "en_US")
    assert (fr.day, fr.month) == (3, 11) and (us.day, us.month) == (11, 3)
    assert fr.utcoffset() == dt.timedelta(hours=-5)
    assert parse_timestamp("pas une date") is None


def test_similarity_ignores_case_accents_and_punctuation():
    assert (
        similarity("OÙ SE SITUE le partenariat, aujourd'hui?", "Où se situe le partenariat aujourd’hui ?")
        == 1.0
    )
    assert similarity("Adresse e-mail", "Où se situe le partenariat aujourd'hui ?") < 0.5


def test_a_missing_forms_worksheet_is_named(fake):
    source = FormsSource(FORM, "Form Responses 2", api_url=fake.base_url)
    with pytest.raises(ConfigError) as info:
        source.read()
    assert info.value.key == "forms.no_worksheet"
    assert SHEET in info.value.message("en") and "Form Responses 2" in info.value.message("fr")
