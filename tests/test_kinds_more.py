"""The choice and open kinds (issue 11.1): their files, what a phone may send, and their scores."""

from __future__ import annotations

import textwrap

import pytest

from partenariat_core.answers_more import submit_choice, submit_open
from partenariat_core.errors import InstrumentError, RejectedInput
from partenariat_core.instruments import load_instruments
from partenariat_core.instruments.loader import parse_text
from partenariat_core.model import Session
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.choice import open_answers, score_choice
from partenariat_core.scoring.summary import summarize

CHOICE = textwrap.dedent(
    """\
    id = "lunch"
    kind = "choice"
    title = { fr = "Dîner", en = "Lunch" }
    prompt = { fr = "Que mange-t-on ?", en = "What do we eat?" }
    multiple = true
    options = [
      { id = "soup", label = { fr = "Soupe", en = "Soup" } },
      { id = "salad", label = { fr = "Salade", en = "Salad" } },
      { id = "cake", label = { fr = "Gâteau", en = "Cake" } },
    ]
    """
)

OPEN = textwrap.dedent(
    """\
    id = "word"
    kind = "open"
    title = { fr = "Un mot", en = "One word" }
    prompt = { fr = "Un mot pour la journée ?", en = "One word for the day?" }
    max_length = 40
    """
)


TWO_ROWS = (
    '  { id = "salad", label = { fr = "Salade", en = "Salad" } },\n'
    '  { id = "cake", label = { fr = "Gâteau", en = "Cake" } },\n'
)


def _error(text: str) -> InstrumentError:
    with pytest.raises(InstrumentError) as info:
        parse_text(text, "mine.toml")
    return info.value


def test_a_choice_file_loads_with_its_options():
    lunch = parse_text(CHOICE, "lunch.toml")
    assert (lunch.kind, lunch.multiple) == ("choice", True)
    assert [o.id for o in lunch.options] == ["soup", "salad", "cake"]
    assert lunch.prompt["en"] == "What do we eat?"
    single = parse_text(CHOICE.replace("multiple = true\n", ""), "lunch.toml")
    assert single.multiple is False


def test_an_open_file_loads_with_its_length():
    word = parse_text(OPEN, "word.toml")
    assert (word.kind, word.max_length) == ("open", 40)
    assert parse_text(OPEN.replace("max_length = 40\n", ""), "w.toml").max_length == 280


@pytest.mark.parametrize(
    ("old", "new", "field", "key"),
    [
        ('prompt = { fr = "Que mange-t-on ?", en = "What do we eat?" }\n', "", "prompt", "missing_question"),
        ("multiple = true", 'multiple = "yes"', "multiple", "not_true_false"),
        (TWO_ROWS, "", "options", "option_count"),
        ('id = "cake"', 'id = "soup"', "options[2].id", "duplicate_id"),
        ('en = "Salad"', 'en = ""', "options[1].label.en", "missing_label"),
        ("multiple = true", "multiple = true\nmax_length = 3", "max_length", "unknown_field"),
    ],
)
def test_each_choice_mistake_names_the_file_and_the_field(old, new, field, key):
    assert old in CHOICE
    error = _error(CHOICE.replace(old, new))
    assert (error.file, error.field, error.key) == ("mine.toml", field, f"error.instrument_{key}")


def test_thirteen_options_are_too_many_in_both_languages():
    rows = "".join(f'  {{ id = "o{i}", label = {{ fr = "F{i}", en = "E{i}" }} }},\n' for i in range(13))
    text = CHOICE[: CHOICE.index("options = [")] + "options = [\n" + rows + "]\n"
    error = _error(text)
    assert error.message("en") == (
        "Invalid activity file “mine.toml”, field “options”: 2 to 12 options are expected (found: 13)."
    )
    assert error.message("fr") == (
        "Fichier d'activité invalide « mine.toml », champ « options » : de 2 à 12 options sont attendues "
        "(trouvé : 13)."
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "key"),
    [
        ("max_length = 40", "max_length = 400", "max_length", "out_of_range"),
        ("max_length = 40", "max_length = 4", "max_length", "out_of_range"),
        ("max_length = 40", 'max_length = "40"', "max_length", "not_whole_number"),
        (
            'prompt = { fr = "Un mot pour la journée ?", en = "One word for the day?" }\n',
            "",
            "prompt",
            "missing_question",
        ),
        ("max_length = 40", "options = []", "options", "unknown_field"),
    ],
)
def test_each_open_mistake_names_the_file_and_the_field(old, new, field, key):
    assert old in OPEN
    error = _error(OPEN.replace(old, new))
    assert (error.file, error.field, error.key) == ("mine.toml", field, f"error.instrument_{key}")


def test_new_kinds_load_from_a_folder_with_the_shipped_ones(tmp_path):
    (tmp_path / "lunch.toml").write_text(CHOICE, encoding="utf-8")
    (tmp_path / "word.toml").write_text(OPEN, encoding="utf-8")
    loaded = load_instruments(tmp_path)
    assert loaded["lunch"].kind == "choice" and loaded["word"].kind == "open"
    assert "keep_throw" in loaded


# --------------------------------------------------------------------------------------------------
# what a phone may send, and the counts


@pytest.fixture
def lunch():
    return parse_text(CHOICE, "lunch.toml")


@pytest.fixture
def word():
    return parse_text(OPEN, "word.toml")


def _session(*ids: str) -> Session:
    return Session("ABCDEF", "Essai", instruments=ids)


def test_multiple_choice_counts_each_option_once_per_person_latest_wins(lunch, make_event):
    events = [
        make_event("anne", "lunch", "answer", "soup salad"),
        make_event("bob", "lunch", "answer", "soup"),
        make_event("anne", "lunch", "answer", "salad cake"),  # replaces anne's first answer
        make_event("carl", "lunch", "answer", "cake"),
    ]
    result = score_choice(events_frame(events), lunch)
    # by hand: anne salad+cake, bob soup, carl cake -> soup 1, salad 1, cake 2, of 3 people
    assert result.counts.to_dict() == {"soup": 1, "salad": 1, "cake": 2}
    assert result.respondents == 3
    assert [round(p, 1) for p in result.percent] == [33.3, 33.3, 66.7]


def test_no_answer_gives_zero_counts_and_zero_percent(lunch):
    result = score_choice(events_frame([]), lunch)
    assert result.counts.to_dict() == {"soup": 0, "salad": 0, "cake": 0}
    assert result.respondents == 0 and list(result.percent) == [0.0, 0.0, 0.0]


def test_open_answers_keep_each_persons_latest(word, make_event):
    events = [
        make_event("anne", "word", "answer", text="Confiance"),
        make_event("bob", "word", "answer", text="Temps"),
        make_event("anne", "word", "answer", text="Écoute"),
    ]
    cards = open_answers(events_frame(events), word)
    assert [(c.participant, c.text) for c in cards] == [("bob", "Temps"), ("anne", "Écoute")]


def test_summary_has_the_choice_counts_and_the_open_answers(lunch, word, make_event):
    events = [
        make_event("anne", "lunch", "answer", "soup"),
        make_event("anne", "word", "answer", text="Oui"),
    ]
    summary = summarize(_session("lunch", "word"), events, {"lunch": lunch, "word": word})
    assert summary.choices["lunch"].counts.to_dict() == {"soup": 1, "salad": 0, "cake": 0}
    assert [c.text for c in summary.answers["word"]] == ["Oui"]


PID = "participant-01"


def test_submit_choice_stores_options_in_file_order_and_a_resend_once(sqlite_store, lunch):
    session = _session("lunch")
    sqlite_store.create_session(session)
    assert submit_choice(sqlite_store, session, PID, lunch, ["cake", "soup"], "s1") == 1
    assert submit_choice(sqlite_store, session, PID, lunch, ["cake", "soup"], "s1") == 0
    (event,) = sqlite_store.read_events(session.code)
    assert (event.item, event.value) == ("answer", "soup cake")


@pytest.mark.parametrize(
    ("picked", "key"),
    [([], "error.nothing_answered"), (["pie"], "error.bad_value"), (["soup", "soup"], "error.bad_value")],
)
def test_submit_choice_refuses_bad_picks_and_stores_nothing(sqlite_store, lunch, picked, key):
    session = _session("lunch")
    sqlite_store.create_session(session)
    with pytest.raises(RejectedInput) as info:
        submit_choice(sqlite_store, session, PID, lunch, picked, "s1")
    assert info.value.key == key
    assert sqlite_store.read_events(session.code) == []


def test_a_single_choice_takes_one_option_only(sqlite_store):
    single = parse_text(CHOICE.replace("multiple = true\n", ""), "lunch.toml")
    session = _session("lunch")
    sqlite_store.create_session(session)
    with pytest.raises(RejectedInput) as info:
        submit_choice(sqlite_store, session, PID, single, ["soup", "cake"], "s1")
    assert info.value.message("en") == "Only one answer is possible to this question."
    assert submit_choice(sqlite_store, session, PID, single, ["cake"], "s2") == 1


def test_submit_open_cleans_and_limits_the_text(sqlite_store, word):
    session = _session("word")
    sqlite_store.create_session(session)
    assert submit_open(sqlite_store, session, PID, word, "  Belle\n journée ", "s1") == 1
    assert [e.text for e in sqlite_store.read_events(session.code)] == ["Belle journée"]
    with pytest.raises(RejectedInput) as info:
        submit_open(sqlite_store, session, PID, word, "x" * 41, "s2")
    assert info.value.message("en") == "Answer too long: 41 characters, 40 at most."
    with pytest.raises(RejectedInput) as info:
        submit_open(sqlite_store, session, PID, word, " \n ", "s3")
    assert info.value.key == "error.open_empty"
    assert len(sqlite_store.read_events(session.code)) == 1


def test_an_open_answer_to_an_activity_not_in_the_session_is_refused(sqlite_store, word):
    session = _session("lunch")
    sqlite_store.create_session(session)
    with pytest.raises(RejectedInput):
        submit_open(sqlite_store, session, PID, word, "Oui", "s1")
    assert sqlite_store.read_events(session.code) == []
