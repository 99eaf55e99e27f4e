"""Top words of a board's column: counts worked out by hand on a small board.

The board (column "keep" unless said), by participant:

    A  p1  "Santé des jeunes"                       → santé(S), jeunes
    B  p2  "la santé à l'école, la santé !"          → santé(s) once for this card, école
    C  p3  "L’École et la santé"                     → École, santé(s)
    D  p4  "SANTÉ pour tous"                         → SANTÉ; "pour", "tous" are stop words
    E  p5  "Aujourd'hui : des jeunes engagés en 2019" → aujourd'hui, jeunes, engagés; 2019 out
    F  p1  "santé"                                   → hidden by the host: out
    G  p2  "Santé communautaire"                     → grouped with H under "Santé": counts
    H  p3  "santé mentale"                           → grouped with G: counts
    I  p4  "Les jeunes d'abord" in "throw"           → another column: out of "keep"
    J  p5  "Jeunes" then edited by its author to "Partenaires" → Partenaires (current text)

    santé: A, B, C, D, G, H = 6 cards (F hidden); spellings: Santé (A, G) 2, santé (B twice, C,
    H) 4, SANTÉ (D) 1 → "santé". jeunes: A, E = 2 (I is in "throw"; J's "Jeunes" was edited away).
    école: B, C = 2 → spellings école 1, École 1: a tie, the first seen wins → "école".
    Then Aujourd'hui, communautaire, engagés, mentale, Partenaires: 1 each, alphabetically (as
    written: one card each). In "throw": abord (d'abord), jeunes: 1 each; "les" is a stop word.
"""

from __future__ import annotations

from partenariat_core.model import Session
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import (
    CARD_EDIT,
    GROUP,
    GROUP_MEMBER,
    HIDDEN,
    HOST,
    MODERATION,
    card_id,
    curated_board,
)
from partenariat_core.scoring.top_words import (
    WordCount,
    board_top_words,
    column_texts,
    stop_words,
    top_words,
    words_of,
)

CARDS = [
    ("A", "p1", "keep", "Santé des jeunes"),
    ("B", "p2", "keep", "la santé à l'école, la santé !"),
    ("C", "p3", "keep", "L’École et la santé"),
    ("D", "p4", "keep", "SANTÉ pour tous"),
    ("E", "p5", "keep", "Aujourd'hui : des jeunes engagés en 2019"),
    ("F", "p1", "keep", "santé"),
    ("G", "p2", "keep", "Santé communautaire"),
    ("H", "p3", "keep", "santé mentale"),
    ("I", "p4", "throw", "Les jeunes d'abord"),
    ("J", "p5", "keep", "Jeunes"),
]


def _cid(submission: str, column: str = "keep") -> str:
    return card_id("keep_throw", column, submission)


def _board(make_event):
    events = [
        make_event(person, "keep_throw", column, text=text, submission=sub)
        for sub, person, column, text in CARDS
    ]
    events += [
        make_event(HOST, MODERATION, _cid("F"), HIDDEN),
        make_event(HOST, GROUP, "g1", "keep_throw", text="Santé"),
        make_event(HOST, GROUP_MEMBER, _cid("G"), "g1"),
        make_event(HOST, GROUP_MEMBER, _cid("H"), "g1"),
        make_event("p5", CARD_EDIT, _cid("J"), "edit", text="Partenaires"),
    ]
    session = Session("TEST23", "Atelier", instruments=("keep_throw",))
    return curated_board(events_frame(events), "keep_throw", session, events)


def test_top_words_of_a_column_count_visible_cards_each_once(make_event):
    board = _board(make_event)
    assert board.cards[_cid("F")].state == HIDDEN and "g1" in board.groups  # the board is as described
    assert board_top_words(board, "keep", None) == [
        WordCount("santé", 6),
        WordCount("école", 2),
        WordCount("jeunes", 2),
        WordCount("Aujourd'hui", 1),
        WordCount("communautaire", 1),
        WordCount("engagés", 1),
        WordCount("mentale", 1),
        WordCount("Partenaires", 1),
    ]
    assert board_top_words(board, "keep", 2) == [WordCount("santé", 6), WordCount("école", 2)]
    assert board_top_words(board, "throw") == [WordCount("abord", 1), WordCount("jeunes", 1)]
    assert "santé" not in column_texts(board, "keep")  # F is hidden: its text is not even read
    assert "Partenaires" in column_texts(board, "keep") and "Jeunes" not in column_texts(board, "keep")


def test_elision_is_taken_off_in_french_and_the_possessive_in_english():
    assert words_of("l'école d’accord qu'il jusqu'ici s'engager c'était") == [
        "école",
        "accord",
        "engager",
    ]  # il, ici, était: stop words once the elision is off
    assert words_of("The people's voice") == ["people", "voice"]
    assert words_of("aujourd'hui presqu’île") == ["aujourd'hui", "presqu’île"]  # not elisions


def test_numbers_one_letter_tokens_and_stop_words_are_out_and_hyphens_split():
    assert words_of("En 2019, le 1er comité a fait x covid-19") == ["comité", "covid"]
    assert words_of("peut-être vis-à-vis") == ["vis", "vis"]  # peut, être, à: stop words
    assert words_of("We don't want it, they're late") == ["late"]  # English stop words too
    assert words_of("") == []
    assert {"le", "la", "the", "and", "qu'", "don't"} <= stop_words()


def test_accents_are_kept_case_is_folded_and_the_most_used_spelling_is_shown():
    texts = ["Santé", "Santé", "Santé", "santé", "santé", "santé", "santé", "santé", "sante"]
    # case-folded: Santé ×3 and santé ×5 are one word of 8 texts, shown "santé"; "sante" is another
    assert top_words(texts) == [WordCount("santé", 8), WordCount("sante", 1)]
    # decomposed é (e + combining accent, as some keyboards send it) is the same word
    assert top_words(["e\u0301cole", "école"]) == [WordCount("école", 2)]
    # ’ and ' are one word, shown as most people typed it
    assert top_words(["aujourd’hui", "aujourd’hui", "aujourd'hui"]) == [WordCount("aujourd’hui", 3)]


def test_a_word_counts_once_per_text_and_ties_read_alphabetically_accents_aside():
    assert top_words(["Silo silo SILO", "travail", "écoute", "Zèle"]) == [
        WordCount("écoute", 1),
        WordCount("Silo", 1),
        WordCount("travail", 1),
        WordCount("Zèle", 1),
    ]


def test_markup_and_emoji_are_not_words():
    assert words_of("<script>alert(1)</script> 🎉 =SUM(A1:A9)") == ["script", "alert", "script", "SUM"]
    assert top_words(["🎉🎉", "!!!", "   "]) == []


def test_only_the_languages_asked_for_are_removed():
    assert top_words(["the partnership"], languages=("fr",)) == [
        WordCount("partnership", 1),
        WordCount("the", 1),
    ]
    assert top_words(["le partenariat"], languages=("en",)) == [
        WordCount("le", 1),
        WordCount("partenariat", 1),
    ]


def test_french_inclusive_endings_stay_in_the_word_and_a_missing_space_does_not_glue_words():
    assert words_of("des acteur.trice.s et collaborateur·trice·s engagé·e·s") == [
        "acteur.trice.s",
        "collaborateur·trice·s",
        "engagé·e·s",
    ]
    assert words_of("la fin.Les projets.") == ["fin", "projets"]  # "Les" is no ending: a stop word


def test_waiting_and_withdrawn_cards_are_out_too(make_event):
    """With approval on, a card counts once the host shows it; a card its author withdrew never."""
    events = [
        make_event("p1", "keep_throw", "keep", text="Confiance", submission="A"),
        make_event("p2", "keep_throw", "keep", text="confiance mutuelle", submission="B"),
        make_event("p3", "keep_throw", "keep", text="Confiance", submission="C"),
    ]
    session = Session("TEST23", "Atelier", instruments=("keep_throw",), cards_need_approval=True)

    def words(evs):
        return board_top_words(curated_board(events_frame(evs), "keep_throw", session, evs), "keep")

    assert words(events) == []  # all three wait in the host's queue
    events += [
        make_event(HOST, MODERATION, _cid("A"), "visible"),
        make_event(HOST, MODERATION, _cid("B"), "visible"),
        make_event(HOST, MODERATION, _cid("C"), "visible"),
        make_event("p1", CARD_EDIT, _cid("A"), "withdraw"),
    ]
    # A withdrawn: confiance in B and C (spellings confiance 1, Confiance 1: the first seen), mutuelle in B
    assert words(events) == [WordCount("confiance", 2), WordCount("mutuelle", 1)]
