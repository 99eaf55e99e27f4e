"""The command line: ``python -m partenariat_core export | import | compare | sessions``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from export_support import CODE, known_events, stored

from partenariat_core.__main__ import main
from partenariat_core.demo import DEMO_CODE
from partenariat_core.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder holding the known session (the demo is added by the CLI, as the app does)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(folder))
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "none.toml"))
    for name in ("STORE", "SQLITE_PATH", "DEMO", "INSTRUMENTS_DIR", "LANGUAGE"):
        monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
    stored(SQLiteStore(folder / "partenariat.db"))
    return folder


def test_sessions_lists_codes(data_dir, capsys):
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert f"{CODE}\t2026-11-25\tTable de quartier — « avant »" in out
    assert f"{DEMO_CODE}\t2019-11-28\t" in out


def test_export_xlsx_writes_one_workbook(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", CODE, "--format", "xlsx", "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["2026-11-25 KNWN23 Table de quartier — « avant ».xlsx"]
    assert openpyxl.load_workbook(files[0]).sheetnames[0] == "Résumé"
    assert capsys.readouterr().out.startswith("Écrit : ")


def test_export_csv_writes_separate_files_with_the_delimiter(data_dir, tmp_path):
    out = tmp_path / "out"
    assert (
        main(
            ["--lang", "en", "export", CODE.lower(), "--format", "csv", "--delimiter", ";", "--out", str(out)]
        )
        == 0
    )
    names = sorted(f.name for f in out.iterdir())
    assert names == [
        "2026-11-25 KNWN23 response history Table de quartier — « avant ».csv",
        "2026-11-25 KNWN23 responses Table de quartier — « avant ».csv",
        "2026-11-25 KNWN23 session Table de quartier — « avant ».csv",
    ]
    text = (out / names[0]).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Session" and len(rows) == 1 + len(known_events())
    text = (out / names[1]).read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == len(known_events())  # p2 changed one


def test_json_export_then_import_into_another_data_folder(data_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["export", CODE, "--format", "json", "--out", str(out)]) == 0
    archive = next(out.iterdir())
    other = tmp_path / "other"
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(other))
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    capsys.readouterr()
    assert main(["--lang", "en", "import", str(archive)]) == 0
    total = len(known_events())
    assert (
        capsys.readouterr().out.strip()
        == f"Session {CODE} imported: {total} answers added of {total} in the archive."
    )
    imported = SQLiteStore(other / "partenariat.db")
    assert [e.submission_id for e in imported.read_events(CODE)] == [e.submission_id for e in known_events()]
    assert main(["--lang", "en", "import", str(archive)]) == 0
    assert f"0 answers added of {total}" in capsys.readouterr().out
    assert len(imported.read_events(CODE)) == total


def test_compare_two_sessions_to_html(data_dir, tmp_path):
    out = tmp_path / "out"
    assert main(["compare", CODE, DEMO_CODE, "--format", "html", "--out", str(out)]) == 0
    (report,) = out.iterdir()
    assert report.name.endswith(f"comparaison {CODE} {DEMO_CODE}.html")
    text = report.read_text(encoding="utf-8")
    assert "Comparer des sessions" in text and text.count("Plotly.newPlot") == 4  # and the boards


def test_refusals_exit_1_with_a_readable_message(data_dir, tmp_path, capsys):
    assert main(["export", "NOPE99", "--format", "xlsx", "--out", str(tmp_path)]) == 1
    assert "Aucune session ne porte le code « NOPE99 »" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    assert main(["--lang", "en", "import", str(bad)]) == 1
    assert "not a valid Partenariat Live archive" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.json")]) == 1
    assert "Impossible de lire" in capsys.readouterr().err
    assert main(["compare", CODE, "--format", "xlsx", "--out", str(tmp_path)]) == 1
    assert "au moins deux sessions" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["export", "import", "compare", "sessions"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert "usage: python -m partenariat_core" in capsys.readouterr().out


def test_bad_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["export", CODE, "--format", "docx"])
    assert caught.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err


def test_runs_as_a_module(data_dir, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "partenariat_core", "export", CODE, "--format", "json", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (archive,) = out.iterdir()
    assert json.loads(archive.read_text(encoding="utf-8"))["session"]["code"] == CODE


def test_lang_after_the_command_and_code_typed_loosely(data_dir, tmp_path):
    out = tmp_path / "out"
    assert main(["export", " knwn-23 ", "--format", "html", "--lang", "en", "--out", str(out)]) == 0
    (report,) = out.iterdir()
    assert report.name == "2026-11-25 KNWN23 report Table de quartier — « avant ».html"
    assert "Condition rated highest: C1" in report.read_text(encoding="utf-8")


def test_screen_url_prints_the_projector_link_with_the_apps_public_url(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("PARTENARIAT_PUBLIC_URL", "http://salle.local:8501/")
    assert main(["screen-url", CODE.lower()]) == 0
    key = SQLiteStore(data_dir / "partenariat.db").get_session(CODE).agenda.screen_key
    assert len(key) == 24
    assert capsys.readouterr().out == f"http://salle.local:8501/screen?session={CODE}&key={key}\n"
    assert main(["screen-url", CODE]) == 0  # asked again: the same link
    assert capsys.readouterr().out == f"http://salle.local:8501/screen?session={CODE}&key={key}\n"
    assert main(["screen-url", CODE, "--renew", "--step", "2"]) == 0
    renewed = SQLiteStore(data_dir / "partenariat.db").get_session(CODE).agenda.screen_key
    assert renewed != key
    out = capsys.readouterr().out  # pinned by the step's id: a vote step added before it moves nothing
    assert out == f"http://salle.local:8501/screen?session={CODE}&key={renewed}&step=conditions\n"
    assert main(["screen-url", CODE, "--step", "continuum"]) == 0
    assert capsys.readouterr().out.endswith("&step=continuum\n")
    assert main(["screen-url", CODE, "--step", "9"]) == 1  # no such step: said, no link
    captured = capsys.readouterr()
    assert captured.out == "" and "9" in captured.err and "continuum" in captured.err


def test_screen_url_of_an_unknown_session_says_so(data_dir, capsys):
    assert main(["screen-url", "ZZZZ22"]) == 1
    assert "ZZZZ22" in capsys.readouterr().err


def test_instruments_lists_every_activity_and_where_it_comes_from(data_dir, tmp_path, monkeypatch, capsys):
    extra = tmp_path / "mes-outils"
    extra.mkdir()
    shipped = Path(__file__).resolve().parents[1] / "partenariat_core" / "instruments" / "conditions.toml"
    text = shipped.read_text(encoding="utf-8").replace('id = "conditions"', 'id = "mon_outil"', 1)
    (extra / "mon_outil.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PARTENARIAT_INSTRUMENTS_DIR", str(extra))
    assert main(["instruments", "--lang", "en"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    by_id = {row[0]: row for row in rows}
    assert set(by_id) == {
        "conditions",
        "conditions_1to5",
        "continuum",
        "keep_throw",
        "profile",
        "six_activities",
        "transitional_results",
        "controversy",
        "mon_outil",
    }
    assert by_id["continuum"] == [
        "continuum",
        "continuum",
        "The continuum of collaboration",
        "shipped with the app",
    ]
    assert by_id["mon_outil"][1] == "conditions" and by_id["mon_outil"][3] == str(extra / "mon_outil.toml")
