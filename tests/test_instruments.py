"""Instrument files: what ships, and how the loader reports a broken file (file and field, exactly)."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from partenariat_core.errors import InstrumentError
from partenariat_core.instruments import BUILTIN_DIR, load_file, load_instruments
from partenariat_core.scoring import events_frame, score_conditions

# --------------------------------------------------------------------------------------------------
# what ships


def test_every_shipped_file_validates():
    files = sorted(BUILTIN_DIR.glob("*.toml"))
    assert files, "no instrument file shipped"
    loaded = [load_file(path) for path in files]
    assert sorted(i.source for i in loaded) == sorted(path.name for path in files)
    assert len(load_instruments()) == len(files)


def test_every_shipped_instrument_is_titled_in_french_and_english(instruments):
    for instrument in instruments.values():
        assert instrument.title["fr"].strip() and instrument.title["en"].strip(), instrument.id


def test_conditions_has_six_conditions_each_with_an_item(instruments):
    conditions = instruments["conditions"]
    assert [c.id for c in conditions.conditions] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    for condition in conditions.conditions:
        assert len(conditions.items_of(condition.id)) >= 1, condition.id
    assert conditions.conditions[4].label["fr"] == "L'égalisation des rapports de pouvoir"


def test_conditions_scale_is_a_b_c_scored_3_2_1(instruments):
    scale = instruments["conditions"].scale
    assert scale.values == ("A", "B", "C")
    assert scale.scores == {"A": 3.0, "B": 2.0, "C": 1.0}
    assert scale.dont_know["fr"] and scale.dont_know["en"]


def test_the_1_to_5_variant_has_the_same_items_and_five_levels(instruments):
    abc, five = instruments["conditions"], instruments["conditions_1to5"]
    assert [i.id for i in five.items] == [i.id for i in abc.items]
    assert [i.condition for i in five.items] == [i.condition for i in abc.items]
    assert [c.id for c in five.conditions] == [c.id for c in abc.conditions]
    assert len(five.scale.levels) == 5
    assert five.scale.scores == {"5": 5.0, "4": 4.0, "3": 3.0, "2": 2.0, "1": 1.0}


def test_keep_throw_default_preset_is_garder_jeter(instruments):
    board = instruments["keep_throw"]
    default = board.presets[0]
    assert default.id == "garder_jeter"
    assert [c.id for c in default.columns] == ["keep", "throw"]
    assert [c.label["fr"] for c in default.columns] == ["Qu'est-ce qu'on garde", "Qu'est-ce qu'on jette"]
    assert [c.label["en"] for c in default.columns] == ["What we keep", "What we throw away"]
    assert board.preset(None) is default
    assert board.preset("no_such_preset") is default


@pytest.mark.parametrize(
    ("preset", "columns"),
    [
        ("garder_jeter_ajouter", ["keep", "throw", "add"]),
        ("commencer_arreter_continuer", ["start", "stop", "continue"]),
        ("etoile_de_mer", ["keep_doing", "more_of", "less_of", "stop", "start"]),
        ("plus_delta", ["plus", "delta"]),
    ],
)
def test_keep_throw_ships_the_other_presets(instruments, preset, columns):
    found = instruments["keep_throw"].preset(preset)
    assert found.id == preset
    assert [c.id for c in found.columns] == columns


def test_continuum_has_himmelmans_four_levels_in_order(instruments):
    continuum = instruments["continuum"]
    assert [level.label["fr"] for level in continuum.levels] == [
        "Réseautage",
        "Coordination",
        "Coopération",
        "Collaboration",
    ]
    ranks = [level.rank for level in continuum.levels]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4
    assert [q.id for q in continuum.questions] == ["now", "desired"]


# --------------------------------------------------------------------------------------------------
# loader errors

CONDITIONS = """\
id = "mini"
kind = "conditions"
title = { fr = "Mini", en = "Mini" }

[scale]
dont_know = { fr = "Je ne sais pas", en = "Don't know" }
levels = [
  { value = "A", score = 3, label = { fr = "A", en = "A" } },
  { value = "B", score = 2, label = { fr = "B", en = "B" } },
]

[[conditions]]
id = "C1"
label = { fr = "Un", en = "One" }

[[conditions]]
id = "C2"
label = { fr = "Deux", en = "Two" }

[[items]]
id = "i1"
condition = "C1"
text = { fr = "Premier", en = "First" }

[[items]]
id = "i2"
condition = "C2"
text = { fr = "Second", en = "Second" }
"""


def _write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error_of(path):
    with pytest.raises(InstrumentError) as info:
        load_file(path)
    return info.value


def test_the_minimal_file_used_below_is_valid(tmp_path):
    instrument = load_file(_write(tmp_path, "mini.toml", CONDITIONS))
    assert instrument.id == "mini"
    assert [i.id for i in instrument.items] == ["i1", "i2"]


def test_unknown_kind_names_the_answer_type(tmp_path):
    path = _write(tmp_path, "odd.toml", CONDITIONS.replace('kind = "conditions"', 'kind = "likert"'))
    error = _error_of(path)
    assert (error.file, error.field) == ("odd.toml", "kind")
    assert error.message("en") == (
        "Invalid activity file “odd.toml”, field “kind”: unknown answer type “likert” "
        "(expected one of: keep_throw, conditions, continuum, profile, timeline, grid)."
    )
    assert error.message("fr") == (
        "Fichier d'activité invalide « odd.toml », champ « kind » : type de réponse inconnu « likert » "
        "(attendus : keep_throw, conditions, continuum, profile, timeline, grid)."
    )


def test_missing_english_title_names_the_en_field(tmp_path):
    path = _write(
        tmp_path,
        "noen.toml",
        CONDITIONS.replace('title = { fr = "Mini", en = "Mini" }', 'title = { fr = "Mini" }'),
    )
    error = _error_of(path)
    assert (error.file, error.field) == ("noen.toml", "title.en")


def test_missing_english_item_text_names_the_item(tmp_path):
    path = _write(
        tmp_path,
        "noen.toml",
        CONDITIONS.replace('text = { fr = "Second", en = "Second" }', 'text = { fr = "Second", en = " " }'),
    )
    error = _error_of(path)
    assert (error.file, error.field) == ("noen.toml", "items[1].text.en")


def test_duplicate_item_id_names_the_second_one(tmp_path):
    path = _write(tmp_path, "dup.toml", CONDITIONS.replace('id = "i2"', 'id = "i1"'))
    error = _error_of(path)
    assert (error.file, error.field) == ("dup.toml", "items[1].id")


def test_item_under_an_unknown_condition(tmp_path):
    path = _write(tmp_path, "cond.toml", CONDITIONS.replace('condition = "C2"', 'condition = "C9"'))
    error = _error_of(path)
    assert (error.file, error.field) == ("cond.toml", "items[1].condition")
    assert error.message("fr").endswith(" : condition inconnue « C9 ».")


def test_condition_without_any_item(tmp_path):
    text = CONDITIONS.replace(
        '[[conditions]]\nid = "C2"',
        '[[conditions]]\nid = "C3"\nlabel = { fr = "Trois", en = "Three" }\n\n[[conditions]]\nid = "C2"',
    )
    path = _write(tmp_path, "empty.toml", text)
    error = _error_of(path)
    assert (error.file, error.field) == ("empty.toml", "items")
    assert error.message("en").endswith(": condition “C3” has no item.")


def test_bad_toml_syntax(tmp_path):
    path = _write(tmp_path, "syntax.toml", CONDITIONS.replace('id = "mini"', 'id = "mini'))
    error = _error_of(path)
    assert (error.file, error.field) == ("syntax.toml", "(syntax)")


def test_score_that_is_not_a_number(tmp_path):
    path = _write(tmp_path, "score.toml", CONDITIONS.replace("score = 2", 'score = "deux"'))
    error = _error_of(path)
    assert (error.file, error.field) == ("score.toml", "scale.levels[1].score")


def test_boolean_score_is_not_a_number(tmp_path):
    path = _write(tmp_path, "score.toml", CONDITIONS.replace("score = 3", "score = true"))
    error = _error_of(path)
    assert (error.file, error.field) == ("score.toml", "scale.levels[0].score")


def test_duplicate_instrument_id_across_folders(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _write(first, "a.toml", CONDITIONS)
    _write(second, "b.toml", CONDITIONS)
    with pytest.raises(InstrumentError) as info:
        load_instruments(first, second)
    assert (info.value.file, info.value.field) == ("b.toml", "id")
    assert info.value.message("en").endswith(": activity id “mini” is already used by a.toml.")


def test_an_extra_file_cannot_replace_a_shipped_instrument(tmp_path):
    _write(tmp_path, "mine.toml", CONDITIONS.replace('id = "mini"', 'id = "conditions"'))
    with pytest.raises(InstrumentError) as info:
        load_instruments(tmp_path)
    assert (info.value.file, info.value.field) == ("mine.toml", "id")


def test_one_bad_file_loads_nothing(tmp_path):
    _write(tmp_path, "good.toml", CONDITIONS)
    assert "mini" in load_instruments(tmp_path)  # the good file alone loads
    _write(
        tmp_path,
        "zz_bad.toml",
        CONDITIONS.replace('id = "mini"', 'id = "other"').replace('kind = "conditions"', 'kind = "?"'),
    )
    with pytest.raises(InstrumentError) as info:
        load_instruments(tmp_path)
    assert info.value.file == "zz_bad.toml"


def test_a_missing_extra_folder_is_an_error(tmp_path):
    with pytest.raises(InstrumentError) as info:
        load_instruments(tmp_path / "nowhere")
    assert info.value.field == "(folder)"


# --------------------------------------------------------------------------------------------------
# strict format: no unknown key, no wrong shape, the whole message in the reader's language

CONTINUUM = """\
id = "mon_continuum"
kind = "continuum"
title = { fr = "Continuum", en = "Continuum" }
levels = [
  { id = "l1", rank = 1, label = { fr = "Un", en = "One" } },
  { id = "l2", rank = 2, label = { fr = "Deux", en = "Two" } },
  { id = "l3", rank = 3, label = { fr = "Trois", en = "Three" } },
]
questions = [
  { id = "now", label = { fr = "Aujourd'hui", en = "Now" } },
  { id = "desired", label = { fr = "Souhaité", en = "Desired" } },
]
"""

KEEP_THROW = """\
id = "mon_tableau"
kind = "keep_throw"
title = { fr = "Tableau", en = "Board" }

[[presets]]
id = "p"
label = { fr = "P", en = "P" }
columns = [{ id = "keep", label = { fr = "Garder", en = "Keep" } }]
"""


def test_the_minimal_continuum_and_board_used_below_are_valid(tmp_path):
    assert [q.id for q in load_file(_write(tmp_path, "c.toml", CONTINUUM)).questions] == ["now", "desired"]
    assert load_file(_write(tmp_path, "k.toml", KEEP_THROW)).presets[0].columns[0].id == "keep"


def test_the_short_name_is_the_files_short_label_else_its_id(tmp_path):
    plain = load_file(_write(tmp_path, "plain.toml", CONDITIONS))
    assert plain.short == {} and plain.short_name("fr") == "mini"
    text = CONDITIONS.replace(
        'title = { fr = "Mini", en = "Mini" }',
        'title = { fr = "Mini", en = "Mini" }\nshort = { fr = "Petit", en = "Small" }',
    )
    named = load_file(_write(tmp_path, "named.toml", text))
    assert (named.short_name("fr"), named.short_name("en")) == ("Petit", "Small")
    error = _error_of(_write(tmp_path, "half.toml", text.replace(', en = "Small"', "")))
    assert (error.field, error.key) == ("short.en", "error.instrument_missing_label")


def test_a_typo_in_an_item_key_is_refused_in_french_and_english(tmp_path):
    """``promt`` used to load, with the item's text silently missing."""
    text = CONDITIONS.replace('id = "i2"\ncondition = "C2"', 'id = "i2"\ncondition = "C2"\npromt = "?"')
    error = _error_of(_write(tmp_path, "mon_outil.toml", text))
    assert (error.file, error.field) == ("mon_outil.toml", "items[1].promt")
    assert error.key == "error.instrument_unknown_field"
    assert error.message("fr") == (
        "Fichier d'activité invalide « mon_outil.toml », champ « items[1].promt » : "
        "champ inconnu (attendus : id, condition, text)."
    )
    assert error.message("en") == (
        "Invalid activity file “mon_outil.toml”, field “items[1].promt”: "
        "unknown field (expected one of: id, condition, text)."
    )
    assert str(error) == error.message("en")  # what a log or a traceback shows


def test_a_typo_at_the_top_of_the_file_lists_the_keys_of_its_kind(tmp_path):
    text = CONDITIONS.replace(
        'title = { fr = "Mini", en = "Mini" }',
        'title = { fr = "Mini", en = "Mini" }\npromt = { fr = "a", en = "b" }',
    )
    error = _error_of(_write(tmp_path, "top.toml", text))
    assert error.field == "promt"
    assert error.message("en").endswith(
        "(expected one of: id, kind, title, short, prompt, score_note, scale, conditions, items)."
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            'title = { fr = "Mini", en = "Mini" }',
            'title = { fr = "Mini", en = "Mini", es = "Mini" }',
            "title.es",
        ),
        ('id = "C1"\nlabel', 'id = "C1"\nlable = { fr = "x", en = "x" }\nlabel', "conditions[0].lable"),
        ('{ value = "B", score = 2,', '{ value = "B", points = 2, score = 2,', "scale.levels[1].points"),
        ("[scale]\n", '[scale]\ndontknow = { fr = "x", en = "x" }\n', "scale.dontknow"),
        ('kind = "conditions"', 'kind = "conditions"\nsectors = []', "sectors"),  # another kind's key
    ],
)
def test_unknown_keys_are_refused_everywhere_in_a_conditions_file(tmp_path, old, new, field):
    assert old in CONDITIONS
    error = _error_of(_write(tmp_path, "strict.toml", CONDITIONS.replace(old, new, 1)))
    assert (error.field, error.key) == (field, "error.instrument_unknown_field")


def test_unknown_keys_are_refused_in_presets_and_columns(tmp_path):
    error = _error_of(_write(tmp_path, "k.toml", KEEP_THROW.replace("columns =", "colums = 1\ncolumns =")))
    assert error.field == "presets[0].colums"
    assert error.message("en").endswith("(expected one of: id, label, columns).")
    text = KEEP_THROW.replace('{ id = "keep",', '{ id = "keep", color = "red",')
    error = _error_of(_write(tmp_path, "k.toml", text))
    assert error.field == "presets[0].columns[0].color"
    assert error.message("en").endswith("(expected one of: id, label, definition, rank, short).")


@pytest.mark.parametrize(
    ("old", "new", "field", "key"),
    [
        ('title = { fr = "Mini", en = "Mini" }', 'title = "Mini"', "title", "error.instrument_not_table"),
        (
            'dont_know = { fr = "Je ne sais pas", en = "Don\'t know" }',
            "dont_know = 3",
            "scale.dont_know",
            "error.instrument_not_table",
        ),
        (
            'id = "C1"\n',
            'id = "C1"\nrank = true\n',
            "conditions[0].rank",
            "error.instrument_not_whole_number",
        ),
        ('{ value = "A",', "{ value = true,", "scale.levels[0].value", "error.instrument_missing_value"),
        ("score = 3", "score = nan", "scale.levels[0].score", "error.instrument_not_number"),
        ("score = 3", "score = inf", "scale.levels[0].score", "error.instrument_not_number"),
        ('id = "i1"', "id = 1", "items[0].id", "error.instrument_not_text"),
        ('kind = "conditions"', "kind = 3", "kind", "error.instrument_not_text"),
        ('text = { fr = "Premier"', "text = { fr = 1", "items[0].text.fr", "error.instrument_not_text"),
    ],
)
def test_wrong_shapes_are_refused(tmp_path, old, new, field, key):
    assert old in CONDITIONS
    error = _error_of(_write(tmp_path, "shape.toml", CONDITIONS.replace(old, new, 1)))
    assert (error.field, error.key) == (field, key)


def test_a_list_where_a_table_is_expected(tmp_path):
    text = 'id = "x"\nkind = "profile"\ntitle = { fr = "T", en = "T" }\nsectors = ["a", "b"]\n'
    error = _error_of(_write(tmp_path, "p.toml", text))
    assert (error.field, error.key) == ("sectors[0]", "error.instrument_not_table")
    error = _error_of(_write(tmp_path, "p.toml", text.replace('["a", "b"]', '"a"')))
    assert (error.field, error.key) == ("sectors", "error.instrument_not_list")


def test_a_continuum_with_three_questions_is_refused(tmp_path):
    """Scoring pairs "now" with "desired": a third question used to load and be paired wrongly."""
    text = CONTINUUM.replace(
        '  { id = "desired",',
        '  { id = "soon", label = { fr = "Bientôt", en = "Soon" } },\n  { id = "desired",',
    )
    error = _error_of(_write(tmp_path, "trois.toml", text))
    assert (error.file, error.field) == ("trois.toml", "questions")
    assert error.message("fr") == (
        "Fichier d'activité invalide « trois.toml », champ « questions » : un continuum pose "
        "exactement deux questions, dans cet ordre : now, desired (trouvé : now, soon, desired)."
    )


def test_a_continuum_must_ask_now_then_desired(tmp_path):
    swapped = CONTINUUM.replace('id = "now"', 'id = "TMP"').replace('id = "desired"', 'id = "now"')
    error = _error_of(_write(tmp_path, "swap.toml", swapped.replace('id = "TMP"', 'id = "desired"')))
    assert error.field == "questions"
    assert error.message("en").endswith("in this order: now, desired (found: desired, now).")
    one = CONTINUUM.replace('  { id = "desired", label = { fr = "Souhaité", en = "Desired" } },\n', "")
    assert _error_of(_write(tmp_path, "one.toml", one)).message("en").endswith("(found: now).")


def test_continuum_ranks_must_climb(tmp_path):
    error = _error_of(_write(tmp_path, "rank.toml", CONTINUUM.replace("rank = 3", "rank = 2")))
    assert error.field == "levels[2].rank"
    assert error.message("en").endswith(": each level adds to the previous one, so its rank must be above 2.")


def test_syntax_errors_give_the_place_in_the_readers_language(tmp_path):
    error = _error_of(_write(tmp_path, "syntax.toml", CONDITIONS.replace('id = "mini"', 'id = "mini')))
    assert error.message("fr") == (
        "Le fichier d'activité « syntax.toml » n'est pas du TOML valide : erreur à la ligne 1, colonne 11."
    )
    error = _error_of(_write(tmp_path, "end.toml", 'id = "x'))
    assert error.message("en") == "The activity file “end.toml” is not valid TOML (its end is incomplete)."


def test_a_missing_folder_is_said_in_french(tmp_path):
    with pytest.raises(InstrumentError) as info:
        load_instruments(tmp_path / "nulle_part")
    assert info.value.message("fr") == f"Dossier d'activités introuvable : « {tmp_path / 'nulle_part'} »."


def test_every_loader_message_exists_in_both_languages():
    """Each problem key the loader raises is a catalog sentence, with no English left in the French."""
    import re

    from partenariat_core.i18n import catalog
    from partenariat_core.instruments import loader

    source = Path(loader.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'"(error\.instrument_[a-z_]+)"', source))
    assert len(keys) == 23
    for key in keys:
        fr = re.sub(r"\{[a-z]+\}", "", catalog()[key]["fr"])  # placeholders are not words
        assert not any(word in fr for word in ("expected", "missing", "unknown", "field ")), key


# --------------------------------------------------------------------------------------------------
# a host's own, longer questionnaire

LAYOUT = {"C1": 2, "C2": 1, "C3": 1, "C4": 4, "C5": 4, "C6": 6}


def _long_questionnaire() -> str:
    parts = [
        'id = "questionnaire_long"',
        'kind = "conditions"',
        'title = { fr = "Questionnaire long (essai)", en = "Long questionnaire (test)" }',
        "",
        "[scale]",
        'dont_know = { fr = "Je ne sais pas", en = "Don\'t know" }',
        "levels = [",
        '  { value = "A", score = 3, label = { fr = "A fort", en = "A strong" } },',
        '  { value = "B", score = 2, label = { fr = "B moyen", en = "B moderate" } },',
        '  { value = "C", score = 1, label = { fr = "C faible", en = "C weak" } },',
        "]",
    ]
    for condition in LAYOUT:
        parts += [
            "",
            "[[conditions]]",
            f'id = "{condition}"',
            f'label = {{ fr = "Cond {condition}", en = "Cond {condition}" }}',
        ]
    for condition, count in LAYOUT.items():
        for k in range(1, count + 1):
            item = f"{condition.lower()}_q{k}"
            parts += [
                "",
                "[[items]]",
                f'id = "{item}"',
                f'condition = "{condition}"',
                f'text = {{ fr = "Énoncé fictif {item}", en = "Placeholder statement {item}" }}',
            ]
    return "\n".join(parts) + "\n"


def test_an_18_item_questionnaire_loads_with_its_layout(tmp_path):
    _write(tmp_path, "questionnaire_long.toml", _long_questionnaire())
    instruments = load_instruments(tmp_path)
    long = instruments["questionnaire_long"]
    assert len(long.items) == 18
    assert {c: len(long.items_of(c)) for c in LAYOUT} == LAYOUT
    assert "conditions" in instruments  # the shipped ones are still there


def test_an_18_item_questionnaire_scores(tmp_path, make_event):
    _write(tmp_path, "questionnaire_long.toml", _long_questionnaire())
    long = load_instruments(tmp_path)["questionnaire_long"]
    events = [
        make_event("p1", "questionnaire_long", "c6_q1", "A"),
        make_event("p1", "questionnaire_long", "c6_q6", "C"),
        make_event("p2", "questionnaire_long", "c6_q3", "B"),
        make_event("p2", "questionnaire_long", "c1_q2", "C"),
        make_event("p3", "questionnaire_long", "c6_q3", "dont_know"),
    ]
    scores = score_conditions(events_frame(events), long)
    c6 = scores.conditions.loc["C6"]
    assert c6["n"] == 3 and c6["dont_know"] == 1
    assert c6["mean"] == pytest.approx((3 + 1 + 2) / 3)
    assert scores.conditions.loc["C1", "mean"] == pytest.approx(1.0)
    assert math.isnan(scores.conditions.loc["C4", "mean"])
    # weakest first (a tie keeps questionnaire order), then the unscored items in questionnaire order
    scored = ["c1_q2", "c6_q6", "c6_q3", "c6_q1"]
    unscored = [i.id for i in long.items if i.id not in scored]
    assert list(scores.items.index) == scored + unscored
