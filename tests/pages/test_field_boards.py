"""The dashboard of the second demo session (RESEAU) draws the six activities, the timeline and the
grid; the export page offers its files; nothing raises."""

from __future__ import annotations

from apptest_support import login, open_app

from partenariat_core.demo import FIELD_DEMO_CODE


def test_the_dashboard_draws_the_timeline_and_the_grid(app_env):
    open_app()  # builds the runtime, which loads both demo sessions
    board = login(open_app("pages/dashboard.py", session=FIELD_DEMO_CODE))
    assert not board.exception
    titles = [s.value for s in board.subheader]
    assert titles == [
        "Les six activités clés pour un partenariat réussi",
        "Les résultats transitoires de l'action intersectorielle",
        "Portrait d'une controverse : caractériser les acteurs",
    ]
    html = " ".join(h.proto.body for h in board.get("html"))
    # the timeline in order, by hand from sample_data/field_demo.toml: 2017 first, the undated last
    assert html.index("Premières rencontres entre le CIUSSS") < html.index("Financement de trois ans")
    assert html.index("Financement de trois ans") < html.index("L&#x27;arrondissement reconnaît")
    (grid,) = board.dataframe
    frame = grid.value
    assert list(frame.columns)[:2] == ["Acteur", "Position sociale, identité"]
    assert frame["Acteur"].tolist() == [
        "Ministères du gouvernement",
        "Partenariats publics-philanthropiques (PPP)",
        "Acteurs du comité intersectoriel régional",
    ]
    assert frame.iloc[1]["Arguments : valeurs"] == "Autonomie. Imputabilité."


def test_the_english_dashboard_and_the_export_page_run(app_env):
    open_app()
    board = login(open_app("pages/dashboard.py", session=FIELD_DEMO_CODE, lang="en"))
    assert not board.exception
    assert "The transitional results of intersectoral action" in [s.value for s in board.subheader]
    export = login(open_app("pages/export.py", session=FIELD_DEMO_CODE))
    assert not export.exception
