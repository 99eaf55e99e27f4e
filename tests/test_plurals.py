"""Counts read right in both languages: no "(s)" in the catalog, one/other forms where a number shows."""

from __future__ import annotations

from partenariat_core.i18n import catalog, t, t_count


def test_no_catalog_text_hedges_a_plural_with_parentheses():
    hedged = [
        (key, lang) for key, entry in catalog().items() for lang, text in entry.items() if "(s)" in text
    ]
    assert hedged == []


def test_participants_and_people_counts_agree_with_their_number():
    assert t_count("dashboard.participants", 1, "fr") == "1 participant·e"
    assert t_count("dashboard.participants", 2, "fr") == "2 participant·e·s"
    assert t_count("dashboard.participants", 1, "en") == "1 participant"
    assert t_count("dashboard.participants", 0, "en") == "0 participants"
    assert t_count("report.participants", 1, "fr") == "1 participant·e a répondu."
    assert t_count("report.participants", 3, "en") == "3 participants answered."
    assert t_count("report.common_move", 1, "fr", moves="x", n=3).endswith("(1 personne sur 3).")
    assert t_count("report.common_move", 2, "fr", moves="x", n=3).endswith("(2 personnes sur 3).")
    assert t_count("sectors.hidden_note", 1, "en", threshold=3).startswith("1 person from sectors")
    assert t_count("sectors.hidden_note", 4, "fr", threshold=3).startswith("4 personnes de secteurs")


def test_levels_answers_and_rows():
    assert t_count("board.shift_step", 1, "fr", step=1, people=4) == "+1 niveau : 4"
    assert t_count("board.shift_step", 2, "fr", step=-2, people=4) == "-2 niveaux : 4"
    assert t_count("board.shift_step", 2, "en", step=2, people=1) == "+2 levels: 1"
    assert (
        t_count("forms.rehearsal_answered", 3, "fr", worksheet="R") == "3 réponses ajoutées à l'onglet « R »."
    )
    assert (
        t_count("forms.rehearsal_answered", 1, "en", worksheet="R")
        == "1 response added to the worksheet “R”."
    )
    rows = t_count("forms.rows", 1, "fr")
    assert t_count("forms.imported", 2, "fr", rows=rows) == "2 nouvelles réponses importées depuis 1 ligne."
    assert (
        t_count("export.imported", 1, "en", code="C", total=5)
        == "Session C imported: 1 answer added of 5 in the archive."
    )
    assert t_count("report.cards", 1, "fr", columns="a") == "1 carte au tableau (a)."


def test_a_sentence_with_several_counts_is_worded_so_any_number_fits():
    text = t("board.moves", "fr", n=1, up=1, same=0, down=0)
    assert text == (
        "Personnes ayant répondu aux deux questions : 1 ; pour avancer sur le continuum : 1, "
        "rester au même niveau : 0, reculer : 0."
    )
