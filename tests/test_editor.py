"""The activity editor's core (issue 11.2): form values → file → the same loader → the same activity,
mistakes named by field, saving, uploads, the refreshable registry, and the command line's origin."""

from __future__ import annotations

import os
import stat
from dataclasses import replace

import pytest

from partenariat_core.errors import InstrumentError, RejectedInput
from partenariat_core.instruments import BUILTIN_DIR, load_file, load_instruments
from partenariat_core.instruments.editor import (
    MAX_CHARS,
    Draft,
    Heading,
    Row,
    Text,
    build,
    draft_of,
    duplicate,
    instrument_toml,
    read_upload,
    save,
    slug,
)
from partenariat_core.instruments.loader import parse_text
from partenariat_core.instruments.registry import EDITOR, SHIPPED, InstrumentRegistry
from partenariat_core.instruments.session_copy import session_instruments
from partenariat_core.scoring.frame import DEFINITION
from partenariat_core.sessions import create_session


def _board(*columns: str, **kw) -> Draft:
    return Draft("keep_throw", Text("Notre bilan", "Our review"), rows=[Row(Text(c)) for c in columns], **kw)


def _rating(scale: str = "abc", **kw) -> Draft:
    return Draft(
        "conditions",
        Text("Climat de travail"),
        Text("Votre avis ?", "Your view?"),
        headings=[
            Heading(Text("Confiance", "Trust"), [Row(Text("On se parle")), Row(Text("On s'écoute"))]),
            Heading(Text("Moyens"), [Row(Text("Du temps")), Row(Text("Des sous", "Money"))]),
        ],
        scale=scale,
        **kw,
    )


DRAFTS = {
    "board": _board("Forces", "Freins", "Idées"),
    "rating_abc": _rating("abc"),
    "rating_agree5": _rating("agree5", dont_know=False),
    "rating_custom": _rating("custom", levels=[Text("Souvent", "Often"), Text("Parfois"), Text("Jamais")]),
    "choice": Draft(
        "choice",
        Text("Prochaine étape"),
        Text("Que fait-on ?", "What next?"),
        rows=[Row(Text("Un comité")), Row(Text("Une fête", "A party"))],
        multiple=True,
    ),
    "open": Draft("open", Text("Un mot"), Text("Un mot pour finir ?"), max_length=120),
    "sectors": Draft("profile", Text("Secteurs de l'Estrie"), rows=[Row(Text("Santé")), Row(Text("Ville"))]),
}


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_editor_to_file_to_loader_gives_the_same_activity_and_reopens_as_typed(name, tmp_path):
    instrument, text = build(DRAFTS[name], set())
    path = save(tmp_path, instrument, text)
    assert path == tmp_path / f"{instrument.id}.toml"
    assert load_file(path) == instrument  # the file says exactly what the editor built
    again, again_text = build(draft_of(instrument), set())  # opened in the editor and saved unchanged
    assert (again, again_text) == (instrument, text)


def test_what_the_editor_writes_for_a_board_by_hand():
    board, _ = build(_board("Forces", "", "Freins"), set())  # a blank row is dropped
    assert (board.id, board.kind) == ("notre_bilan", "keep_throw")
    assert board.title == {"fr": "Notre bilan", "en": "Our review"}
    (preset,) = board.presets
    assert [(c.id, c.label) for c in preset.columns] == [
        ("col1", {"fr": "Forces", "en": "Forces"}),  # typed in French only: used for English too
        ("col2", {"fr": "Freins", "en": "Freins"}),
    ]
    assert board.heading("columns", "en") == "Forces / Freins"


def test_what_the_editor_writes_for_a_rating_activity_by_hand():
    abc, _ = build(_rating("abc"), set())
    shipped = load_file(BUILTIN_DIR / "conditions.toml").scale
    assert abc.scale == shipped  # the published tool's A/B/C labels, "don't know" offered
    assert [c.id for c in abc.conditions] == ["H1", "H2"]
    assert [(i.id, i.condition) for i in abc.items] == [
        ("h1_q1", "H1"),
        ("h1_q2", "H1"),
        ("h2_q1", "H2"),
        ("h2_q2", "H2"),
    ]
    five, _ = build(_rating("agree5", dont_know=False), set())
    assert five.scale.values == ("5", "4", "3", "2", "1") and five.scale.offer_dont_know is False
    own, _ = build(_rating("custom", levels=[Text("Souvent"), Text("Parfois"), Text("Jamais")]), set())
    assert [(lv.value, lv.score, lv.label["fr"]) for lv in own.scale.levels] == [
        ("3", 3.0, "Souvent"),
        ("2", 2.0, "Parfois"),
        ("1", 1.0, "Jamais"),
    ]


def test_an_edited_activity_keeps_the_ids_its_answers_are_stored_under():
    board, _ = build(_board("Forces", "Freins", "Idées"), set())
    draft = draft_of(board)
    draft.rows[1].text = Text("Obstacles")
    draft.rows.insert(0, Row(Text("Nouveau")))
    edited, _ = build(draft, {"notre_bilan"})
    assert edited.id == "notre_bilan"  # editing keeps the id, even though it is "taken" (by itself)
    assert [(c.id, c.label["fr"]) for c in edited.presets[0].columns] == [
        ("col4", "Nouveau"),
        ("col1", "Forces"),
        ("col2", "Obstacles"),
        ("col3", "Idées"),
    ]


def test_a_new_activity_gets_a_free_slug_id_never_a_path():
    assert slug("Qu'est-ce qu'on garde ? Été 2026") == "qu_est_ce_qu_on_garde_ete_2026"
    assert slug("../../etc/passwd") == "etc_passwd"
    assert slug("«»") == "activite"
    first, _ = build(_board("A"), {"notre_bilan"})
    assert first.id == "notre_bilan_2"
    board, _ = build(Draft("keep_throw", Text("../../x"), rows=[Row(Text("A"))]), set())
    assert board.id == "x"


def test_every_shipped_activity_written_out_reads_back_the_same():
    for instrument in load_instruments().values():
        assert parse_text(instrument_toml(instrument), instrument.source) == instrument, instrument.id


def test_duplicating_a_shipped_board_gives_a_new_editable_draft():
    shipped = load_instruments()["keep_throw"]
    copy = duplicate(shipped, "fr", "copie")
    assert copy.id == "" and copy.title.fr.endswith("(copie)")
    assert [r.text.fr for r in copy.rows] == ["Qu'est-ce qu'on garde", "Qu'est-ce qu'on jette"]
    made, _ = build(copy, set(load_instruments()))
    assert made.id not in load_instruments()


# mistakes: named with the field, in both languages ------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "field", "key"),
    [
        (_board(*"ABCDEFG"), "presets[0].columns", "error.instrument_column_count"),
        (_board(), "presets[0].columns", "error.instrument_column_count"),
        (Draft("keep_throw", Text(), rows=[Row(Text("A"))]), "title.fr", "error.instrument_missing_label"),
        (
            Draft("choice", Text("Q"), Text("Q ?"), rows=[Row(Text("Seule"))]),
            "options",
            "error.instrument_option_count",
        ),
        (
            Draft("choice", Text("Q"), rows=[Row(Text("A")), Row(Text("B"))]),
            "prompt",
            "error.instrument_missing_question",
        ),
        (
            Draft("open", Text("Q"), Text("Q ?"), max_length=1000),
            "max_length",
            "error.instrument_out_of_range",
        ),
        (
            Draft("conditions", Text("Q"), headings=[Heading(Text("Vide"), [])]),
            "items",
            "error.instrument_not_list",
        ),
        (_rating("custom", levels=[Text("Seul")]), "scale.levels", "error.instrument_option_count"),
    ],
)
def test_each_editor_mistake_names_the_field(draft, field, key):
    with pytest.raises(InstrumentError) as info:
        build(draft, set())
    assert (info.value.field, info.value.key) == (field, key)


def test_too_many_columns_is_said_in_french_with_the_field():
    with pytest.raises(InstrumentError) as info:
        build(_board(*"ABCDEFG"), set())
    assert info.value.message("fr") == (
        "Fichier d'activité invalide « notre_bilan.toml », champ « presets[0].columns » : "
        "de 1 à 6 colonnes sont attendues (trouvé : 7)."
    )


def test_an_uploaded_file_is_checked_like_a_folders_file():
    board, text = build(_board("A", "B"), set())
    assert read_upload(text.encode(), "../../mon fichier.toml") == (
        replace(board, source="mon fichier.toml"),
        text,
    )
    broken = text.replace('kind = "keep_throw"', 'kind = "tableau"').encode()
    with pytest.raises(InstrumentError) as info:
        read_upload(broken, "../../mon fichier.toml")
    assert (info.value.file, info.value.field) == ("mon fichier.toml", "kind")
    with pytest.raises(InstrumentError) as info:
        read_upload(b"id = \n", "x.toml")
    assert info.value.key == "error.instrument_syntax_at"
    with pytest.raises(InstrumentError) as info:
        read_upload(b"\xff\xfe id", "x.toml")
    assert info.value.key == "error.instrument_unreadable"
    with pytest.raises(InstrumentError) as info:
        read_upload(text.encode() + b"#" * MAX_CHARS, "x.toml")
    assert info.value.key == "error.instrument_too_big"
    assert info.value.message("en").endswith(f"{MAX_CHARS} at most.")


def test_a_saved_file_is_owner_only_and_replaced_whole(tmp_path):
    board, text = build(_board("A"), set())
    path = save(tmp_path, board, text)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    edited, edited_text = build(_board("A", "B", id=board.id), set())
    save(tmp_path, edited, edited_text)
    assert path.read_text(encoding="utf-8") == edited_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notre_bilan.toml"]  # no part file left


# the registry: a save is seen at once here, and by a second process reading the same folder -------


def test_a_saved_activity_is_offered_at_once_and_by_a_second_replica(tmp_path):
    here = InstrumentRegistry([(tmp_path, EDITOR)])
    replica = InstrumentRegistry([(tmp_path, EDITOR)], check_every=0.0)
    assert "notre_bilan" not in here and "notre_bilan" not in replica
    board, text = build(_board("A"), set())
    save(tmp_path, board, text)
    here.refresh()
    assert here["notre_bilan"] == load_file(tmp_path / "notre_bilan.toml")
    assert here.entry("notre_bilan").origin == EDITOR and here.text("notre_bilan") == text
    assert here.entry("keep_throw").origin == SHIPPED
    assert replica["notre_bilan"].presets[0].columns[0].label["fr"] == "A"  # re-read: the mtime changed
    edited, edited_text = build(_board("Z", id=board.id), set())
    save(tmp_path, edited, edited_text)
    assert replica["notre_bilan"].presets[0].columns[0].label["fr"] == "Z"


def test_a_broken_file_dropped_in_later_keeps_the_last_good_set(tmp_path):
    registry = InstrumentRegistry([(tmp_path, EDITOR)], check_every=0.0)
    before = registry.current()
    (tmp_path / "casse.toml").write_text('id = "casse"\nkind = "tableau"\n', encoding="utf-8")
    assert registry.current() == before
    assert registry.problem is not None and registry.problem.field == "kind"
    (tmp_path / "casse.toml").unlink()
    registry.refresh()
    assert registry.problem is None and registry.current() == before


def test_a_broken_file_at_start_stops_the_app_naming_it(tmp_path):
    (tmp_path / "casse.toml").write_text('id = "casse"\nkind = "tableau"\n', encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        InstrumentRegistry([(tmp_path, EDITOR)])
    assert (info.value.file, info.value.field) == ("casse.toml", "kind")


def test_an_editor_file_cannot_take_a_shipped_id(tmp_path):
    board, text = build(_board("A", id="keep_throw"), set())
    save(tmp_path, board, text)
    with pytest.raises(InstrumentError) as info:
        InstrumentRegistry([(tmp_path, EDITOR)])
    assert info.value.key == "error.instrument_duplicate_instrument"


def test_the_instruments_command_says_made_in_the_editor(tmp_path, monkeypatch, capsys):
    from partenariat_core.__main__ import main

    data = tmp_path / "data"
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(data))
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "none.toml"))
    for name in ("STORE", "SQLITE_PATH", "INSTRUMENTS_DIR", "LANGUAGE"):
        monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
    monkeypatch.setenv("PARTENARIAT_DEMO", "0")
    assert main(["instruments"]) == 0  # the first run makes the editor's folder, owner-only
    folder = data / "instruments"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    capsys.readouterr()
    board, text = build(_board("A"), set())
    save(folder, board, text)
    assert main(["instruments", "--lang", "en"]) == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()}
    assert rows["notre_bilan"] == [
        "notre_bilan",
        "keep_throw",
        "Our review",
        f"made in the activity editor: {folder / 'notre_bilan.toml'}",
    ]
    assert rows["keep_throw"][3] == "shipped with the app"


# a session's own sector list, and its copy -----------------------------------------------------------


def test_a_session_offers_the_hosts_own_sector_list_and_keeps_a_copy(sqlite_store):
    sectors, _ = build(DRAFTS["sectors"], set())
    registry = {**load_instruments(), sectors.id: sectors}
    session = create_session(
        sqlite_store,
        registry,
        "Estrie",
        instrument_ids=("continuum",),
        sectors=("s2",),
        sector_list=sectors.id,
    )
    (copy,) = [e for e in sqlite_store.read_events(session.code) if e.instrument == DEFINITION]
    assert (copy.item, copy.value, copy.participant) == ("profile", sectors.id, "host")
    used = session_instruments(session, sqlite_store.read_events(session.code), load_instruments())
    assert used["profile"].id == "profile"  # the session's sector question, with the host's list
    assert [s.label["fr"] for s in used["profile"].sectors] == ["Santé", "Ville"]
    with pytest.raises(RejectedInput) as info:
        create_session(sqlite_store, registry, "Estrie", sectors=("municipal",), sector_list=sectors.id)
    assert info.value.message("en") == "Unknown sector in this list: “municipal”."


def test_a_session_of_shipped_activities_stores_no_copy(sqlite_store):
    session = create_session(sqlite_store, load_instruments(), "Comme avant", sectors=("municipal",))
    assert sqlite_store.read_events(session.code) == []


def test_creating_the_same_session_twice_stores_its_copies_once(sqlite_store):
    board, _ = build(_board("A"), set())
    registry = {**load_instruments(), board.id: board}
    args = dict(instrument_ids=(board.id,), keep_throw_preset="columns", request="form-1")
    first = create_session(sqlite_store, registry, "Deux clics", **args)
    second = create_session(sqlite_store, registry, "Deux clics", **args)
    assert first.code == second.code
    assert len(sqlite_store.read_events(first.code)) == 1
