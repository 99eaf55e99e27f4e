"""A linked worksheet's sync state in plain words: what the host reads on the Forms page."""

from __future__ import annotations

import datetime as dt

from partenariat_core.forms_source import FormsMapping, LinkedSource, SourceStatus
from partenariat_core.forms_source.status_text import describe

LINK = LinkedSource(FormsMapping("ABC234", "1Key", "Réponses *1*"))
READ = dt.datetime(2026, 11, 20, 14, 3, 12, tzinfo=dt.UTC)


def test_a_healthy_link_says_when_it_was_read_how_much_and_when_next():
    text = describe(
        SourceStatus(LINK, rows=12, added=40, withdrawn=1, last_read=READ, next_read_in=3.2), "fr"
    )
    assert text.title == "Onglet « Réponses *1* » de la feuille 1Key"
    assert text.lines == (
        "Dernière lecture à 14:03:12 (UTC) : 12 réponses dans l'onglet.",
        "Prochaine lecture dans 4 s.",
        "Depuis le démarrage du serveur : réponses aux questions enregistrées : 40 ; "
        "envois du formulaire retirés (lignes supprimées ou modifiées) : 1.",
    )
    assert (text.problem, text.severity) == ("", "ok")


def test_a_sheet_not_shared_says_whom_to_share_it_with_and_names_are_escaped():
    status = SourceStatus(
        LINK,
        error_key="sheets.not_shared",
        error_params={"email": "app@projet.iam.gserviceaccount.com", "spreadsheet": "1Key"},
        error_kind="setup",
    )
    text = describe(status, "en", escape=lambda s: s.replace("*", "\\*"))
    assert text.title == "Worksheet “Réponses \\*1\\*” of sheet 1Key"
    assert text.lines[0] == "Not read yet: the first read comes within seconds."
    assert text.problem == (
        "Problem: The spreadsheet “1Key” is not shared with the app. In Google Sheets, “Share”: add "
        "app@projet.iam.gserviceaccount.com as an editor."
    )
    assert text.severity == "action"


def test_quota_is_a_wait_and_a_paused_link_says_nothing_is_read():
    quota = describe(SourceStatus(LINK, error_key="sheets.quota", error_kind="quota", next_read_in=30), "fr")
    assert quota.severity == "waiting" and quota.problem.startswith(
        "Problème : Quota de Google Sheets atteint"
    )
    paused = LinkedSource(LINK.mapping, paused=True)
    text = describe(SourceStatus(paused, next_read_in=None), "fr")
    assert text.severity == "paused"
    assert "En pause : la feuille n'est plus lue. Les réponses déjà reçues restent au tableau." in text.lines


def test_columns_that_feed_nothing_are_named_escaped():
    status = SourceStatus(LINK, unmapped=("Nouvelle *question*", "Courriel"))
    text = describe(status, "fr", escape=lambda s: s.replace("*", "\\*"))
    assert text.lines[-1] == "Colonnes non importées : Nouvelle \\*question\\*, Courriel"
