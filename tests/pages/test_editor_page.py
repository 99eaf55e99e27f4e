"""The activity editor page under AppTest (issue 11.2): create a three-column board and a
four-question rating activity, edit one, a mistake named in the page, a broken upload saves nothing,
and the new activities are offered in a new session."""

from __future__ import annotations

from apptest_support import button, login, open_app, rendered, store_of

from partenariat_core.export import load_session_data
from partenariat_core.export.tables import board_cards
from partenariat_core.instruments import load_file
from partenariat_core.runtime import shared_runtime

PAGE = "pages/activities.py"


def _page(lang: str = "fr"):
    return login(open_app(PAGE, lang=lang))


def _type(at, key: str, value: str):
    at.text_input(key=key).input(value)
    return at


def _errors(at) -> list[str]:
    return [rendered(e.value) for e in at.error]


def _create_board(at):
    _type(at, "ed0_title_fr", "Bilan de l'année")
    at.number_input(key="ed0_col_n").set_value(3).run()
    for n, name in enumerate(("Forces", "Freins", "Idées")):
        _type(at, f"ed0_col_{n}_fr", name)
    _type(at, "ed0_col_2_en", "Ideas")
    button(at, "Enregistrer l'activité").click().run()
    return at


def test_a_host_creates_a_three_column_board(app_env):
    at = _create_board(_page())
    assert not at.exception and _errors(at) == []
    assert [rendered(s.value) for s in at.success] == [
        "Activité « bilan_de_l_annee » enregistrée : elle se choisit maintenant dans « Animer »."
    ]
    path = app_env / "instruments" / "bilan_de_l_annee.toml"
    board = load_file(path)
    assert [(c.id, c.label) for c in board.presets[0].columns] == [
        ("col1", {"fr": "Forces", "en": "Forces"}),
        ("col2", {"fr": "Freins", "en": "Freins"}),
        ("col3", {"fr": "Idées", "en": "Ideas"}),
    ]
    assert shared_runtime().instruments["bilan_de_l_annee"] == board  # offered at once, no restart
    # it is offered in a new session, phones answer it, the dashboard shows it, the export has it
    host = login(open_app("pages/host.py"))
    assert "Bilan de l'année" in host.multiselect(key="new_instruments").options
    host.text_input(key="new_title").input("Bilan 2026")
    host.multiselect(key="new_instruments").set_value(["bilan_de_l_annee"])
    button(host, "Créer la session").click().run()
    assert not host.exception and not host.error
    store = store_of(app_env)
    (session,) = [s for s in store.list_sessions() if s.title == "Bilan 2026"]
    assert session.instruments == ("bilan_de_l_annee",) and session.keep_throw_preset == "columns"
    phone = open_app(session=session.code)
    phone.radio(key="col_bilan_de_l_annee").set_value("col3")
    phone.text_area(key="text_bilan_de_l_annee").input("Un jardin partagé")
    button(phone, "Publier la carte").click().run()
    assert not phone.exception and not phone.error
    data = load_session_data(store, shared_runtime().instruments, session.code)
    assert [(name, cards) for _, name, cards in board_cards(data, "fr")] == [
        ("Forces", []),
        ("Freins", []),
        ("Idées", ["Un jardin partagé"]),
    ]
    dashboard = login(open_app("pages/dashboard.py", session=session.code))
    assert "Un jardin partagé" in " ".join(h.proto.body for h in dashboard.get("html"))


def test_a_host_creates_a_four_question_rating_activity_on_the_1_to_5_scale(app_env):
    at = _page("en")
    at.selectbox(key="ed0_kind").set_value("conditions").run()
    _type(at, "ed0_title_en", "Working climate")
    at.radio(key="ed0_scale").set_value("agree5").run()
    at.checkbox(key="ed0_dk").uncheck().run()
    at.number_input(key="ed0_hn").set_value(2).run()
    _type(at, "ed0_h0_fr", "Confiance")
    _type(at, "ed0_h1_en", "Means")
    for h in range(2):
        at.number_input(key=f"ed0_h{h}_i_n").set_value(2).run()
        for n in range(2):
            _type(at, f"ed0_h{h}_i_{n}_fr", f"Énoncé {h + 1}.{n + 1}")
    button(at, "Save the activity").click().run()
    assert not at.exception and _errors(at) == []
    rating = load_file(app_env / "instruments" / "working_climate.toml")
    assert [c.label["fr"] for c in rating.conditions] == ["Confiance", "Means"]
    assert [(i.id, i.condition, i.text["en"]) for i in rating.items] == [
        ("h1_q1", "H1", "Énoncé 1.1"),
        ("h1_q2", "H1", "Énoncé 1.2"),
        ("h2_q1", "H2", "Énoncé 2.1"),
        ("h2_q2", "H2", "Énoncé 2.2"),
    ]
    assert rating.scale.values == ("5", "4", "3", "2", "1") and rating.scale.offer_dont_know is False


def test_a_host_edits_their_board_and_the_id_stays(app_env):
    at = _create_board(_page())
    at = _page()  # a later visit: open it from the list
    button(at, "Modifier").click().run()
    assert "Vous modifiez « bilan_de_l_annee »" in at.info[0].value
    gen = 1  # a new draft opened in this tab
    _type(at, f"ed{gen}_col_1_fr", "Obstacles")
    button(at, "Enregistrer l'activité").click().run()
    assert not at.exception and _errors(at) == []
    board = load_file(app_env / "instruments" / "bilan_de_l_annee.toml")
    assert [(c.id, c.label["fr"]) for c in board.presets[0].columns] == [
        ("col1", "Forces"),
        ("col2", "Obstacles"),
        ("col3", "Idées"),
    ]
    assert sorted(p.name for p in (app_env / "instruments").iterdir()) == ["bilan_de_l_annee.toml"]


def test_a_mistake_is_named_in_the_page_and_nothing_is_saved(app_env):
    at = _page()
    at.number_input(key="ed0_col_n").set_value(2).run()
    _type(at, "ed0_col_0_fr", "Forces")  # no title, one column left empty
    button(at, "Enregistrer l'activité").click().run()
    assert not at.exception
    assert _errors(at) == [
        "Fichier d'activité invalide « activite.toml », champ « title.fr » : "
        "libellé manquant ou vide dans cette langue."
    ]
    assert list((app_env / "instruments").iterdir()) == []


def test_a_broken_upload_is_named_with_its_field_and_nothing_is_saved(app_env):
    at = _page("en")
    broken = (
        b'id = "mine"\nkind = "choice"\ntitle = { fr = "Q", en = "Q" }\nprompt = { fr = "Q ?", en = "Q?" }\n'
    )
    broken += b'options = [ { id = "a", label = { fr = "A", en = "A" } } ]\n'
    at.file_uploader(key="ed_upload").set_value(("mine.toml", broken, "application/toml")).run()
    assert not at.exception
    assert _errors(at) == [
        "Invalid activity file “mine.toml”, field “options”: 2 to 12 options are expected (found: 1)."
    ]
    assert list((app_env / "instruments").iterdir()) == []
    assert all(b.label != "Save this file" for b in at.button)


def test_a_valid_upload_is_saved_on_request_and_a_shipped_id_is_refused(app_env):
    at = _page("en")
    good = (
        b'id = "mine"\nkind = "choice"\ntitle = { fr = "Q", en = "Q" }\nprompt = { fr = "Q ?", en = "Q?" }\n'
        b'options = [ { id = "a", label = { fr = "A", en = "A" } },\n'
        b'  { id = "b", label = { fr = "B", en = "B" } } ]\n'
    )
    at.file_uploader(key="ed_upload").set_value(("mine.toml", good, "application/toml")).run()
    assert _errors(at) == []
    button(at, "Save this file").click().run()
    assert load_file(app_env / "instruments" / "mine.toml").options[1].id == "b"
    shipped = good.replace(b'id = "mine"', b'id = "keep_throw"')
    at.file_uploader(key="ed_upload").set_value(("copy.toml", shipped, "application/toml")).run()
    assert _errors(at) == ["The activity “keep_throw” ships with the app: duplicate it to edit it."]


def test_shipped_activities_are_read_only_and_duplicated_to_edit(app_env):
    at = _page("en")
    assert "Read-only: duplicate it to edit it." in [c.value for c in at.caption]
    next(b for b in at.button if b.key == "dup_keep_throw").click().run()
    assert at.text_input(key="ed1_title_fr").value == "Qu'est-ce qu'on garde / Qu'est-ce qu'on jette (copy)"
    button(at, "Save the activity").click().run()
    assert not at.exception and _errors(at) == []
    assert sorted(p.name for p in (app_env / "instruments").iterdir()) == [
        "qu_est_ce_qu_on_garde_qu_est_ce_qu_on_je.toml"  # ids are at most 40 characters
    ]


def test_every_listed_activity_names_its_kind_in_words(app_env):
    # The timeline and grid kinds showed as their raw ids ("grid") among the named kinds.
    at = _page("fr")
    shown = " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption)]).replace("\\", "")
    assert "controversy · Grille à remplir (une ligne par acteur)" in shown
    assert "transitional_results · Frise d'événements (résultats transitoires)" in shown
    assert " · grid · " not in shown and " · timeline · " not in shown
