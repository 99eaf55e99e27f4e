"""Suggested groups of near-identical cards: which pairs must and must not be suggested, on a small
hand-made board, and what a suggestion on the curated board leaves out."""

from __future__ import annotations

import pytest

from partenariat_core.curation import group_cards
from partenariat_core.demo import read_board
from partenariat_core.model import Session
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import HIDDEN, HOST, MODERATION, card_id, curated_board
from partenariat_core.scoring.similar import normalize_card, similar_groups, suggest_groups

MUST = [
    ("Le plaisir x2", "le plaisir"),  # a paper board's "said twice"
    ("Collaboration", "collaborations"),
    ("Vision commune", "VISION COMMUNE !"),
    ("Le contact avec les citoyen.ne.s", "le contact avec les citoyennes"),
    ("Réalisations", "Realisation"),  # accents and one letter
    ("Travail en silo", "Travail en slio"),  # two letters swapped: one typo
    ("Complémentarité", "complementarite."),
    ("L'amour du territoire", "Lamour du territoire"),
    ("Le plaisir", "Lep laisir"),  # a misplaced space
    ("La volonté forte que les choses s'améliorent", "LA VOLOTNE FROTE QUE LES CHOSES S'AMELIORENT"),
    ("Œuvre commune", "oeuvre commune"),
]
MUST_NOT = [
    ("Ouverture", "Fermeture"),
    ("Plus de financement", "Moins de financement"),
    ("Le manque de vision", "Vision commune"),  # shared words, opposite ideas
    ("Le manque de vision", "Le manque de vision commune"),
    ("Oui", "Lui"),  # very short: only identical texts count
    ("Collaboration", "Belles collaborations sur des projets communs"),
    ("Parler pour parler", "Parler pour agir"),
    ("Mobilisation", "Démobilisation"),  # a word grown a prefix is another word
    ("La mobilisation", "la démobilisation"),
    ("Le respect", "Le non-respect"),
    ("Le leadership partagé", "Le leadership imposé"),
]


@pytest.mark.parametrize(("a", "b"), MUST)
def test_near_identical_cards_are_suggested(a, b):
    assert similar_groups([a, b]) == [[0, 1]]


@pytest.mark.parametrize(("a", "b"), MUST_NOT)
def test_different_cards_are_not_suggested(a, b):
    assert similar_groups([a, b]) == []


def test_normalized_text_drops_case_accents_punctuation_spaces_and_multiplicity():
    assert normalize_card("  Le PLAISIR, x2 ! ") == "leplaisir"
    assert normalize_card("(3x) Été à l'école") == "etealecole"
    assert normalize_card("x2") == ""


def test_a_hand_made_board_gives_exactly_these_groups():
    texts = [
        "Le plaisir x2",  # 0
        "Vision commune",  # 1
        "le plaisir",  # 2
        "Le manque de vision",  # 3
        "LE PLAISIR !",  # 4
        "vision comune",  # 5
        "Ouverture",  # 6
        "Fermeture",  # 7
    ]
    assert similar_groups(texts) == [[0, 2, 4], [1, 5]]


def test_groups_do_not_chain_typos():
    # each step is one typo, but the ends are three apart: never all three in one group
    assert similar_groups(["abcdefgh", "abcdefgx", "abcdefyx", "abcdezyx"]) == [[0, 1], [2, 3]]


def test_the_real_demo_board_has_no_near_identical_cards():
    board = read_board()
    assert similar_groups(board["keep"]) == [] and similar_groups(board["throw"]) == []


def _board(make_event, extra=(), session=None):
    events = [
        make_event("p1", "keep_throw", "keep", text="Le plaisir", submission="A"),
        make_event("p2", "keep_throw", "keep", text="le plaisir !", submission="B"),
        make_event("p3", "keep_throw", "throw", text="Le plaisir", submission="C"),
        make_event("p4", "keep_throw", "keep", text="LE PLAISIR", submission="D"),
        make_event("p4", "keep_throw", "keep", text="Vision commune", submission="E"),
        *extra,
    ]
    session = session or Session("TEST23", "Atelier")
    return curated_board(events_frame(events), "keep_throw", session, events), events


def test_suggestions_stay_in_their_column_and_skip_hidden_cards(make_event):
    a, b, d = (card_id("keep_throw", "keep", s) for s in "ABD")
    board, _ = _board(make_event)
    (only,) = suggest_groups(board)
    assert only.column == "keep" and only.card_ids == (a, b, d) and only.title == "Le plaisir"
    board, _ = _board(make_event, [make_event(HOST, MODERATION, d, HIDDEN)])
    assert [s.card_ids for s in suggest_groups(board)] == [(a, b)]


def test_suggestions_are_never_applied_and_can_be_rejected_or_are_gone_once_grouped(make_event):
    board, events = _board(make_event)
    (suggestion,) = suggest_groups(board)
    assert board.groups == {}  # suggesting changed nothing
    assert suggest_groups(board, rejected=[suggestion.key]) == []
    session = Session("TEST23", "Atelier")
    events += group_cards(session, board, suggestion.card_ids, suggestion.title, "click")
    grouped = curated_board(events_frame(events), "keep_throw", session, events)
    assert len(grouped.groups) == 1 and suggest_groups(grouped) == []
