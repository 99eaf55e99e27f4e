"""Mapping answers (suggested, saved, carried to the next workshop) and importing downloaded files.

The files are made here as each tool writes them: the Google Forms CSV download, a French Excel's
``;`` CSV in Windows-1252 or with a byte-order mark, a Microsoft Forms XLSX export with Excel dates,
a SurveyMonkey CSV with its second header row. Expected events are counted by hand.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from partenariat_core.errors import ConfigError
from partenariat_core.forms_source import (
    FormsSheet,
    LinkedSource,
    LinkFile,
    MappingFile,
    apply_mapping_file,
    mapping_file,
    read_response_file,
    suggest_answer,
    suggest_mapping,
    to_events,
    unread_values,
)
from partenariat_core.forms_source.answer_mapping import answer_options
from partenariat_core.model import Session

HEADERS = (
    "Horodateur",
    "Votre secteur",
    "1. L'inclusion de la diversité des points de vue…",
    "Qu'est-ce qu'on garde ?",
)


@pytest.fixture
def session():
    return Session(
        "ANS234",
        "Atelier",
        instruments=("keep_throw", "conditions_1to5"),
        sectors=("community", "municipal", "public_health"),
    )


def sheet(rows):
    return FormsSheet("Réponses", HEADERS, tuple(tuple(r) for r in rows), "America/Toronto")


ROWS = [
    ("20/11/2026 09:00:01", "Santé publique", "Tout à fait", "Carte 1"),
    ("20/11/2026 09:00:02", "santé publique", "4", "Carte 2"),
    ("20/11/2026 09:00:03", "Ville de Québec", "Pas du tout", "Carte 3"),
    ("20/11/2026 09:00:04", "Je préfère ne pas répondre", "3", ""),
]


def test_each_unread_answer_is_listed_once_with_a_suggestion(session, instruments):
    mapping = suggest_mapping(HEADERS, session, instruments)
    unread = unread_values(sheet(ROWS), mapping, session, instruments)
    got = [(u.target, u.raw, u.count, u.suggestion) for u in unread]
    # "Santé publique" twice (case ignored), shown as first written; cards are never listed; a
    # suggestion only when an option is close ("Pas du tout" is near no label, "Ville de Québec"
    # names no sector); "Tout à fait" is read without help (the start of "5 — Tout à fait d'accord")
    assert got[0] == ("profile:sector", "Santé publique", 2, "public_health")
    assert sorted(got[1:]) == [
        ("conditions_1to5:c1_viewpoints", "Pas du tout", 1, ""),
        ("profile:sector", "Je préfère ne pas répondre", 1, ""),
        ("profile:sector", "Ville de Québec", 1, ""),
    ]
    assert suggest_answer(
        "Milieu communautaire", answer_options(instruments["profile"], "sector", session)
    ) == (
        "community",
        100.0,
    )
    # only the session's sectors are offered for the sector question
    assert [v for v, _ in answer_options(instruments["profile"], "sector", session)] == [
        "public_health",
        "municipal",
        "community",
    ]


def test_mapped_answers_are_read_and_an_empty_choice_leaves_the_answer_out(session, instruments):
    mapping = suggest_mapping(HEADERS, session, instruments)
    before = to_events(sheet(ROWS), mapping, session, instruments)
    assert len(before.unreadable) == 5  # 4 sectors ("Santé publique" twice) and "Pas du tout"
    mapping = (
        mapping.with_answer("profile:sector", "SANTÉ PUBLIQUE", "public_health")
        .with_answer("profile:sector", "Ville de Québec", "municipal")
        .with_answer("profile:sector", "Je préfère ne pas répondre", "")
        .with_answer("conditions_1to5:c1_viewpoints", "Tout à fait", "5")
        .with_answer("conditions_1to5:c1_viewpoints", "Pas du tout", "1")
    )
    after = to_events(sheet(ROWS), mapping, session, instruments)
    assert after.unreadable == () and after.refused == ()
    got = sorted((e.item, e.value or e.text) for e in after.events)
    assert got == sorted(
        [
            ("sector", "public_health"),
            ("sector", "public_health"),
            ("sector", "municipal"),
            ("c1_viewpoints", "5"),
            ("c1_viewpoints", "4"),
            ("c1_viewpoints", "1"),
            ("c1_viewpoints", "3"),
            ("keep", "Carte 1"),
            ("keep", "Carte 2"),
            ("keep", "Carte 3"),
        ]
    )
    assert unread_values(sheet(ROWS), mapping, session, instruments) == []
    # forgetting a choice brings the answer back to the list
    forgot = mapping.with_answer("profile:sector", "ville de quebec", None)
    assert [u.raw for u in unread_values(sheet(ROWS), forgot, session, instruments)] == ["Ville de Québec"]


def test_answers_are_saved_with_the_mapping_and_exported_for_the_next_copy(tmp_path, session, instruments):
    mapping = suggest_mapping(HEADERS, session, instruments, spreadsheet="KEY1")
    mapping = mapping.with_answer("profile:sector", "Santé publique", "public_health")
    mapping = mapping.with_choice("Qu'est-ce qu'on garde ?", "keep_throw:throw")
    MappingFile(tmp_path / "m.json").save(mapping)
    assert MappingFile(tmp_path / "m.json").load(session.code).answers == mapping.answers
    LinkFile(tmp_path / "l.json").save(LinkedSource(mapping))
    [link] = LinkFile(tmp_path / "l.json").load()
    assert link.mapping == mapping

    # next workshop: a copy of the form (same questions), a new session, nothing mapped by hand yet
    other = Session("NXT234", "Suite", instruments=session.instruments, sectors=session.sectors)
    fresh = suggest_mapping(HEADERS, other, instruments, spreadsheet="KEY2")
    assert fresh.answer_for("profile:sector", "santé publique") is None
    carried = apply_mapping_file(fresh, mapping_file(mapping))
    assert carried.answer_for("profile:sector", "santé publique") == "public_health"
    assert carried.column("Qu'est-ce qu'on garde ?").item == "throw"
    assert carried.session == "NXT234" and carried.spreadsheet == "KEY2"


@pytest.mark.parametrize("data", [b"not json", b'{"format": "something else"}', b"\xff\xfe"])
def test_a_file_that_is_not_a_mapping_is_refused_and_changes_nothing(session, instruments, data):
    mapping = suggest_mapping(HEADERS, session, instruments)
    with pytest.raises(ConfigError) as caught:
        apply_mapping_file(mapping, data)
    assert caught.value.key == "forms.bad_mapping_file"


# -- files ----------------------------------------------------------------------------------------

GOOGLE_CSV = (
    "Horodateur,Votre secteur,1. L'inclusion de la diversité des points de vue…,Qu'est-ce qu'on garde ?\n"
    '2026/11/20 9:03:01 UTC−5,Municipal,4 - Plutôt d\'accord,"Une idée, avec virgule"\n'
    "2026/11/20 9:04:00 UTC−5,Communautaire,Je ne sais pas,=SOMME(A1)\n"
)


def events_of(table, session, instruments):
    mapping = suggest_mapping(table.headers, session, instruments)
    return sorted((e.item, e.value or e.text) for e in to_events(table, mapping, session, instruments).events)


EXPECTED = [
    ("c1_viewpoints", "4"),
    ("c1_viewpoints", "dont_know"),
    ("keep", "=SOMME(A1)"),
    ("keep", "Une idée, avec virgule"),
    ("sector", "community"),
    ("sector", "municipal"),
]


def test_a_google_forms_csv_download(session, instruments):
    table = read_response_file("Atelier (réponses).csv", GOOGLE_CSV.encode("utf-8"))
    assert table.headers[0] == "Horodateur" and len(table.rows) == 2
    assert events_of(table, session, instruments) == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_a_french_excel_csv_with_semicolons_and_a_bom_or_windows_1252(session, instruments, encoding):
    text = GOOGLE_CSV.replace(",", ";").replace("Une idée; avec virgule", "Une idée, avec virgule")
    text = text.replace("…", "...").replace("UTC−5", "UTC-5")
    table = read_response_file("export.csv", text.encode(encoding))
    assert table.headers[0] == "Horodateur"  # no BOM glued to the first header
    assert events_of(table, session, instruments) == EXPECTED


def test_a_microsoft_forms_excel_export_with_excel_dates(session, instruments):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom", *HEADERS[1:]])
    ws.append(
        [
            1,
            dt.datetime(2026, 11, 20, 9, 2),
            dt.datetime(2026, 11, 20, 9, 3, 1),
            "anonymous",
            "",
            "Municipal",
            "4",
            "Une idée, avec virgule",
        ]
    )
    ws.append(
        [
            2,
            dt.datetime(2026, 11, 20, 9, 3),
            dt.datetime(2026, 11, 20, 9, 4),
            "anonymous",
            "",
            "Communautaire",
            "Je ne sais pas",
            "=SOMME(A1)",
        ]
    )
    ws["H3"].data_type = "s"  # a text cell, as Forms writes it (not a formula)
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_response_file("Atelier.xlsx", buffer.getvalue())
    mapping = suggest_mapping(table.headers, session, instruments)
    assert mapping.timestamp_column == "Heure de fin"
    found = to_events(table, mapping, session, instruments)
    assert sorted((e.item, e.value or e.text) for e in found.events) == EXPECTED
    assert sorted(e.created_at for e in found.events)[0] == dt.datetime(2026, 11, 20, 9, 3, 1, tzinfo=dt.UTC)


def test_a_surveymonkey_csv_drops_its_second_header_row(session, instruments):
    text = (
        "Respondent ID,Start Date,End Date,Votre secteur,Qu'est-ce qu'on garde ?\n"
        ",,,Response,Open-Ended Response\n"
        "1,11/20/2026 09:00:00 AM,11/20/2026 09:03:01 AM,Municipal,Une idée\n"
    )
    table = read_response_file("monkey.csv", text.encode("utf-8"))
    assert len(table.rows) == 1
    mapping = suggest_mapping(table.headers, session, instruments)
    assert mapping.timestamp_column == "End Date"
    found = to_events(table, mapping, session, instruments)
    assert sorted((e.item, e.value or e.text) for e in found.events) == [
        ("keep", "Une idée"),
        ("sector", "municipal"),
    ]


@pytest.mark.parametrize(
    ("name", "data"), [("a.pdf", b"%PDF"), ("a.xlsx", b"not a zip"), ("a.csv", b""), ("a.csv", b"\n\n")]
)
def test_an_unreadable_file_says_why(name, data):
    with pytest.raises(ConfigError) as caught:
        read_response_file(name, data)
    assert caught.value.key in ("forms.bad_file", "forms.empty")
