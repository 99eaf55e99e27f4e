"""The field's instrument files: the six key activities (a conditions file with descriptions), the
transitional results (kind ``timeline``) and the controversy portrait (kind ``grid``); each mistake in
a timeline or grid file names the file and the field."""

from __future__ import annotations

import textwrap

import pytest

from partenariat_core.errors import InstrumentError
from partenariat_core.export.archive import instrument_data
from partenariat_core.instruments import load_file, parse_instrument

TIMELINE = """\
id = "tl"
kind = "timeline"
title = { fr = "Frise", en = "Timeline" }

[[domains]]
id = "d1"
label = { fr = "Domaine un", en = "Domain one" }
results = [
  { id = "r1", label = { fr = "Résultat un", en = "Result one" } },
  { id = "r2", label = { fr = "Résultat deux", en = "Result two" } },
]

[[domains]]
id = "d2"
label = { fr = "Domaine deux", en = "Domain two" }
results = [ { id = "r3", label = { fr = "Résultat trois", en = "Result three" } } ]
"""

GRID = """\
id = "gr"
kind = "grid"
title = { fr = "Grille", en = "Grid" }
row_label = { fr = "Acteur", en = "Actor" }
columns = [
  { id = "c1", label = { fr = "Colonne un", en = "Column one" } },
  { id = "c2", label = { fr = "Colonne deux", en = "Column two" } },
]
"""


def _write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(tmp_path, name, text):
    with pytest.raises(InstrumentError) as info:
        load_file(_write(tmp_path, name, text))
    return info.value


# --- what ships ------------------------------------------------------------------------------------


def test_six_key_activities_rate_each_activity_with_its_description(instruments):
    six = instruments["six_activities"]
    assert six.kind == "conditions"
    assert [c.label["fr"] for c in six.conditions] == [
        "Tisser des liens",
        "Favoriser une compréhension partagée",
        "Créer une vision commune",
        "Planifier en collaboration",
        "Travailler ensemble pour le changement",
        "Célébrer, évaluer et renouveler",
    ]
    assert all(c.definition["fr"] and c.definition["en"] for c in six.conditions)
    assert six.conditions[2].definition["fr"] == (
        "Se mettre d'accord sur les valeurs, les objectifs et les façons de travailler ensemble."
    )
    assert [len(six.items_of(c.id)) for c in six.conditions] == [1] * 6
    assert six.scale.values == ("4", "3", "2", "1")
    assert [lv.label["fr"] for lv in six.scale.levels] == ["Pleinement", "Beaucoup", "Un peu", "Pas du tout"]
    assert six.scale.dont_know["fr"] == "Je ne sais pas"


def test_transitional_results_have_the_three_domains_of_the_seed(instruments):
    tl = instruments["transitional_results"]
    assert tl.kind == "timeline"
    assert [d.label["fr"] for d in tl.domains] == [
        "Se constituer et se maintenir",
        "Se représenter et influencer",
        "Faire converger les acteurs et les ressources nécessaires à l'action",
    ]
    assert [len(d.results) for d in tl.domains] == [3, 5, 5]
    assert tl.domain_of("resources").id == "converge"
    assert tl.domain_of("nope") is None


def test_controversy_grid_has_the_seeds_five_columns(instruments):
    grid = instruments["controversy"]
    assert grid.kind == "grid"
    assert [c.id for c in grid.columns] == ["position", "interests", "values", "scientific", "experiential"]
    assert grid.row_label == {"fr": "Acteur", "en": "Actor"}


@pytest.mark.parametrize("ident", ["six_activities", "transitional_results", "controversy"])
def test_the_archive_shape_reads_back_to_the_same_instrument(instruments, ident):
    instrument = instruments[ident]
    again = parse_instrument(instrument_data(instrument), instrument.source)
    assert again == instrument


# --- valid minimal files -------------------------------------------------------------------------


def test_a_minimal_timeline_and_grid_load(tmp_path):
    tl = load_file(_write(tmp_path, "tl.toml", TIMELINE))
    assert [r.id for r in tl.results()] == ["r1", "r2", "r3"]
    assert tl.domains[1].results[0].label["en"] == "Result three"
    grid = load_file(_write(tmp_path, "gr.toml", GRID))
    assert [c.label["en"] for c in grid.columns] == ["Column one", "Column two"]


# --- each mistake named --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "key"),
    [
        ('id = "d2"', 'id = "d1"', "domains[1].id", "error.instrument_duplicate_id"),
        ('{ id = "r3"', '{ id = "r1"', "domains[1].results[0].id", "error.instrument_duplicate_id"),
        (
            'label = { fr = "Domaine deux", en = "Domain two" }',
            'label = { fr = "Domaine deux" }',
            "domains[1].label.en",
            "error.instrument_missing_label",
        ),
        (
            'results = [ { id = "r3", label = { fr = "Résultat trois", en = "Result three" } } ]',
            "results = []",
            "domains[1].results",
            "error.instrument_not_list",
        ),
        (
            'en = "Result two" }',
            'en = "" }',
            "domains[0].results[1].label.en",
            "error.instrument_missing_label",
        ),
        ('id = "d1"', 'id = "d 1"', "domains[0].id", "error.instrument_bad_id"),
        (
            'label = { fr = "Domaine un", en = "Domain one" }',
            'label = { fr = "Domaine un", en = "Domain one" }\ncolour = "red"',
            "domains[0].colour",
            "error.instrument_unknown_field",
        ),
    ],
)
def test_timeline_mistakes_name_file_and_field(tmp_path, old, new, field, key):
    assert old in TIMELINE
    error = _error(tmp_path, "tl.toml", TIMELINE.replace(old, new, 1))
    assert (error.file, error.field, error.key) == ("tl.toml", field, key)


def test_a_timeline_without_domains_is_refused(tmp_path):
    text = TIMELINE.split("[[domains]]")[0]
    error = _error(tmp_path, "tl.toml", text)
    assert (error.file, error.field, error.key) == ("tl.toml", "domains", "error.instrument_not_list")


def test_a_timeline_refuses_the_keys_of_another_kind(tmp_path):
    error = _error(tmp_path, "tl.toml", "levels = []\n" + TIMELINE)
    assert (error.field, error.key) == ("levels", "error.instrument_unknown_field")
    assert "domains" in error.message("en")


@pytest.mark.parametrize(
    ("old", "new", "field", "key"),
    [
        ('row_label = { fr = "Acteur", en = "Actor" }\n', "", "row_label", "error.instrument_not_table"),
        ('{ id = "c2"', '{ id = "c1"', "columns[1].id", "error.instrument_duplicate_id"),
        ('{ id = "c2"', '{ id = "actor"', "columns[1].id", "error.instrument_reserved_column"),
        ('en = "Column two" }', "en = 2 }", "columns[1].label.en", "error.instrument_not_text"),
        ("columns = [", "colonnes = [", "colonnes", "error.instrument_unknown_field"),
    ],
)
def test_grid_mistakes_name_file_and_field(tmp_path, old, new, field, key):
    assert old in GRID
    error = _error(tmp_path, "gr.toml", GRID.replace(old, new, 1))
    assert (error.file, error.field, error.key) == ("gr.toml", field, key)


def test_the_reserved_column_message_reads_in_both_languages(tmp_path):
    error = _error(tmp_path, "gr.toml", GRID.replace('{ id = "c2"', '{ id = "actor"'))
    assert error.message("en") == (
        "Invalid activity file “gr.toml”, field “columns[1].id”: “actor” is reserved for the grid's rows; "
        "choose another column id."
    )
    assert error.message("fr").startswith("Fichier d'activité invalide « gr.toml », champ « columns[1].id »")
