"""The written summary: highest, lowest, widest disagreement, most common move; ties named together."""

from __future__ import annotations

import pandas as pd
from export_support import known_events, known_session

from partenariat_core.export.summary_text import (
    conditions_sentences,
    continuum_sentences,
    fmt_number,
    written_summary,
)
from partenariat_core.scoring import summarize


def test_known_session_in_french(instruments):
    summary = summarize(known_session(), known_events(), instruments)
    assert written_summary(summary, instruments, "fr") == [
        "5 participant·e·s ont répondu.",
        "7 cartes au tableau (Qu'est-ce qu'on garde : 3 ; Qu'est-ce qu'on jette : 4).",
        "Condition la mieux évaluée : C1 · Diversité des points de vue (score dérivé moyen 2,80 sur 3).",
        "Condition la moins bien évaluée : C2 · Participation précoce (score dérivé moyen 1,20 sur 3).",
        "Désaccord le plus marqué : C3 · Négociation et influence (écart type 1,00).",
        "Déplacement souhaité le plus fréquent sur le continuum : de Coordination à Coopération"
        " (2 personnes sur 5).",
    ]


def test_known_session_in_english(instruments):
    summary = summarize(known_session(), known_events(), instruments)
    out = written_summary(summary, instruments, "en")
    assert (
        out[2] == "Condition rated highest: C1 · Diversity of viewpoints (mean derived score 2.80 out of 3)."
    )
    assert (
        out[-1]
        == "Most common desired move on the continuum: from Coordinating to Cooperating (2 of 5 people)."
    )


def test_ties_are_named_together(instruments):
    conditions = instruments["conditions"]
    scores = pd.DataFrame(
        {
            "mean": [3.0, 3.0, 1.0, 2.0, 1.0, 2.0],
            "std": [0.5, 0.5, 0.0, 0.0, 0.0, 0.0],
            "n": [2, 2, 2, 2, 2, 2],
        },
        index=["C1", "C2", "C3", "C4", "C5", "C6"],
    )
    out = conditions_sentences(scores, conditions, "en")
    assert out[0] == (
        "Condition rated highest: C1 · Diversity of viewpoints and C2 · Early participation"
        " (mean derived score 3.00 out of 3)."
    )
    assert out[1].startswith(
        "Condition rated lowest: C3 · Negotiation and influence and C5 · Power relations"
    )
    assert out[2] == (
        "Widest disagreement: C1 · Diversity of viewpoints and C2 · Early participation"
        " (standard deviation 0.50)."
    )


def test_nothing_scored_gives_no_sentence_and_equal_means_one(instruments):
    conditions = instruments["conditions"]
    empty = pd.DataFrame({"mean": [float("nan")] * 6, "std": [float("nan")] * 6, "n": [0] * 6})
    assert conditions_sentences(empty.set_axis([c.id for c in conditions.conditions]), conditions, "fr") == []
    flat = pd.DataFrame(
        {"mean": [2.0] * 6, "std": [0.0] * 6, "n": [3] * 6}, index=[f"C{i}" for i in range(1, 7)]
    )
    assert conditions_sentences(flat, conditions, "fr") == [
        "Toutes les conditions ont le même score dérivé moyen (2,00 sur 3)."
    ]


def test_most_common_move_can_be_staying_and_ties_are_listed(instruments):
    continuum = instruments["continuum"]
    levels = [lv.id for lv in continuum.levels]
    moves = pd.DataFrame(0, index=levels, columns=levels)
    moves.loc["coordinating", "coordinating"] = 3
    moves.loc["networking", "cooperating"] = 3
    moves.loc["cooperating", "collaborating"] = 1
    assert continuum_sentences(moves, 7, continuum, "fr") == [
        "Déplacement souhaité le plus fréquent sur le continuum : de Réseautage à Coopération et rester à"
        " Coordination (3 personnes sur 7)."
    ]
    assert continuum_sentences(moves * 0, 0, continuum, "fr") == []


def test_numbers_use_the_language_decimal_mark():
    assert fmt_number(2.456, "fr") == "2,46"
    assert fmt_number(2.456, "en") == "2.46"
    assert fmt_number(3, "fr", 0) == "3"
