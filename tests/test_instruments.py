"""Instrument files: what ships, and how the loader reports a broken file (file and field, exactly)."""

from __future__ import annotations

import math
import textwrap

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
    assert "answer type" in error.problem and "likert" in error.problem


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
    assert "C9" in error.problem


def test_condition_without_any_item(tmp_path):
    text = CONDITIONS.replace(
        '[[conditions]]\nid = "C2"',
        '[[conditions]]\nid = "C3"\nlabel = { fr = "Trois", en = "Three" }\n\n[[conditions]]\nid = "C2"',
    )
    path = _write(tmp_path, "empty.toml", text)
    error = _error_of(path)
    assert (error.file, error.field) == ("empty.toml", "items")
    assert "C3" in error.problem


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
    assert "a.toml" in info.value.problem


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
