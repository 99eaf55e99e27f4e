"""Every export of the field's instruments, on a small session worked out by hand: the JSON archive
round trip, the CSV files, the XLSX sheet and the HTML section; and the projector bodies (a timeline
capped with "+N", a grid whole or one actor at a time)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest

from partenariat_core.agenda import screen_view
from partenariat_core.export import export_csv, export_html, export_json, export_xlsx, load_session_data
from partenariat_core.export.archive import import_archive
from partenariat_core.i18n import t
from partenariat_core.model import Event, Session
from partenariat_core.scoring import summarize
from partenariat_core.store import SQLiteStore
from ui.projector import Screen, step_html
from ui.projector_timeline import TIMELINE_SHOWN, grid_fits

CODE = "FLD234"
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
TL, GR = "transitional_results", "controversy"


def _events() -> list[Event]:
    rows = [
        ("p1", TL, "press", "2020", "Communiqué =SUM(A1)"),
        ("p2", TL, "networks", "2018", "Réseau <b>créé</b>"),
        ("p1", TL, "resources", "plus tard", "=Subvention obtenue"),
        ("p1", GR, "actor", "Ville", ""),
        ("p2", GR, "interests", "Ville", "Plus de logements"),
        ("p3", GR, "interests", "ville", "Des logements abordables"),  # the latest: shown
        ("p3", GR, "values", "Ville", "Équité"),
    ]
    return [
        Event(CODE, who, f"s{n}", ins, item, value, text, T0 + dt.timedelta(seconds=n))
        for n, (who, ins, item, value, text) in enumerate(rows)
    ]


@pytest.fixture
def data(sqlite_store, instruments):
    sqlite_store.create_session(
        Session(CODE, "Terrain", dt.date(2026, 11, 30), instruments=(TL, GR), created_at=T0)
    )
    sqlite_store.append_events(_events())
    return load_session_data(sqlite_store, instruments, CODE)


def test_the_archive_round_trip_keeps_every_event_and_both_definitions(data, instruments, tmp_path):
    raw = export_json(data).data
    doc = json.loads(raw)
    assert [i["id"] for i in doc["instruments"]] == [TL, GR]
    target = SQLiteStore(tmp_path / "other.db")
    result = import_archive(target, raw, instruments)
    assert (result.added, result.total, result.changed_instruments) == (7, 7, [])
    again = load_session_data(target, instruments, CODE)
    assert again.summary.timeline[TL] == data.summary.timeline[TL]
    assert again.summary.grid[GR] == data.summary.grid[GR]
    assert import_archive(target, raw, instruments).added == 0  # twice: nothing doubled


def _csv(zipped: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


def test_csv_files_hold_the_timeline_in_order_its_counts_and_the_grid(data):
    files = _csv(export_csv(data, "en").data)
    events = next(rows for name, rows in files.items() if "Transitional results Events" in name)
    assert events[0] == [
        "Date or period",
        "Start (as read)",
        "Domain of action",
        "Transitional result",
        "Event",
        "Participant",
    ]
    # 2018 before 2020; "plus tard" cannot be read: last
    assert [r[0] for r in events[1:]] == ["2018", "2020", "plus tard"]
    assert events[2][4] == "Communiqué =SUM(A1)"
    assert events[3][4] == "'=Subvention obtenue"  # a formula is neutralised
    counts = next(rows for name, rows in files.items() if "Per result" in name)
    assert len(counts) == 1 + 13
    by_result = {r[1]: r[2] for r in counts[1:]}
    assert (
        by_result["Creating networks"],
        by_result["Press releases or press kits"],
        by_result["Securing resources"],
    ) == ("1", "1", "1")
    assert by_result["Aligning interests"] == "0"
    grid = next(rows for name, rows in files.items() if "Controversy portrait Portrait" in name)
    assert grid[0][:3] == ["Actor", "Social position, identity", "Interests, stakes"]
    assert grid[1][:4] == ["Ville", "", "Des logements abordables", "Équité"]
    cells = next(rows for name, rows in files.items() if "Cells" in name)
    assert cells[1] == ["Ville", "Interests, stakes", "Des logements abordables", "p3", "2"]
    responses = next(
        rows for name, rows in files.items() if "responses" in name.lower() and "history" not in name.lower()
    )
    current = [r for r in responses[1:] if r[3] == GR]
    # the grid's current rows: the actor's naming, the latest interests text, the values text
    assert [r[8] for r in current] == ["", "Des logements abordables", "Équité"]


def test_the_xlsx_has_one_sheet_per_timeline_and_per_grid(data):
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "fr").data))
    assert "Résultats transitoires" in book.sheetnames and "Portrait de controverse" in book.sheetnames
    ws = book["Résultats transitoires"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "Par résultat"
    assert values[1][:3] == ("Domaine d'action", "Résultat transitoire", "Événements")
    texts = [row[4] for row in values if row and len(row) > 4 and row[4]]
    assert texts[-3:] == ["Réseau <b>créé</b>", "Communiqué =SUM(A1)", "=Subvention obtenue"]
    grid = book["Portrait de controverse"]
    rows = list(grid.iter_rows(values_only=True))
    assert rows[2][:4] == ("Ville", "", "Des logements abordables", "Équité")


def test_the_html_report_has_both_sections_escaped(data):
    page = export_html(data, "fr").data.decode("utf-8")
    assert (
        "Les résultats transitoires de l'action intersectorielle" in page or "résultats transitoires" in page
    )
    assert "Réseau &lt;b&gt;créé&lt;/b&gt;" in page and "Réseau <b>créé</b>" not in page
    assert "Des logements abordables" in page
    assert (
        page.index("Réseau &lt;b&gt;créé")
        < page.index("Communiqué =SUM(A1)")
        < page.index("=Subvention obtenue")
    )


# --- projector --------------------------------------------------------------------------------------


def _screen(session, events, instruments, step_index, now=0.0):
    summary = summarize(session, events, instruments)
    view = screen_view(session, T0, step_index)
    return Screen(
        summary,
        view,
        instruments,
        "http://127.0.0.1:8501/?session=" + CODE,
        "fr",
        lambda key, **p: t(key, "fr", **p),
        now,
    )


def test_the_projected_timeline_caps_the_events_and_says_how_many_more(instruments):
    session = Session(CODE, "Terrain", instruments=(TL,))
    events = [
        Event(
            CODE,
            f"p{n % 3}",
            f"e{n}",
            TL,
            "press" if n % 2 else "networks",
            str(2000 + n),
            f"Événement {n}",
            T0 + dt.timedelta(seconds=n),
            seq=n + 1,
        )
        for n in range(20)
    ]
    html = _screen(session, events, instruments, 1).__class__ and step_html(
        _screen(session, events, instruments, 1)
    )
    assert html.count("class='pl-s-tl-ev'") == TIMELINE_SHOWN == 16
    assert "+4 autres événements" in html
    # the 16 most recent (events 4..19), in time order
    assert "Événement 3<" not in html and "Événement 4<" in html
    assert html.index("Événement 4<") < html.index("Événement 19<")
    # counts: networks = even n (0, 2, ..., 18) = 10; press = odd = 10
    assert "Création de réseaux</span><b>10</b>" in html
    assert "Communiqués ou dossiers de presse</span><b>10</b>" in html
    assert "Se constituer et se maintenir (10)" in html


def _grid_events(texts):
    out = []
    for n, (actor, text) in enumerate(texts):
        out.append(
            Event(CODE, "p1", f"g{n}", GR, "position", actor, text, T0 + dt.timedelta(seconds=n), seq=n + 1)
        )
    return out


def test_a_small_grid_is_shown_whole_a_large_one_actor_by_actor(instruments):
    session = Session(CODE, "Terrain", instruments=(GR,))
    small = _grid_events([("Ville", "Élus <i>locaux</i>"), ("CIUSSS", "Santé publique")])
    html = step_html(_screen(session, small, instruments, 1))
    assert "<table class='pl-s-grid'>" in html and "Élus &lt;i&gt;locaux&lt;/i&gt;" in html
    assert "Acteur 1 sur" not in html
    large = _grid_events([(f"Acteur {n}", "x" * 250) for n in range(6)])
    summary = summarize(session, large, instruments)
    assert not grid_fits(summary.grid[GR])
    # one actor at a time, on the clock: 10 s per page (screen_layout.SECONDS_PER_PAGE)
    first = step_html(_screen(session, large, instruments, 1, now=0.0))
    assert "Acteur 1 sur 6" in first and "<h2>Acteur 0</h2>" in first
    later = step_html(_screen(session, large, instruments, 1, now=25.0))
    from partenariat_core.screen_layout import SECONDS_PER_PAGE

    shown = int(25.0 // SECONDS_PER_PAGE) % 6
    assert f"Acteur {shown + 1} sur 6" in later and f"<h2>Acteur {shown}</h2>" in later


def test_the_six_activities_projected_use_four_colours_none_the_dont_know_grey(instruments):
    session = Session(CODE, "Terrain", instruments=("six_activities",))
    rows = [("p1", "a1_links", "1"), ("p2", "a1_links", "4"), ("p3", "a1_links", "dont_know")]
    events = [
        Event(CODE, who, f"x{n}", "six_activities", item, value, "", T0 + dt.timedelta(seconds=n), seq=n + 1)
        for n, (who, item, value) in enumerate(rows)
    ]
    html = step_html(_screen(session, events, instruments, 1))
    legend = html[html.index("pl-s-legend") : html.index("pl-s-hrow")]
    assert "Pas du tout" in legend and "#8c8c8c" not in legend  # "not at all" is red, not grey
    assert "background:#d1452a'>1<" in html and "background:#1b7f3b'>1<" in html
    assert "background:#9aa0a6'>1<" in html  # don't know: its own grey
