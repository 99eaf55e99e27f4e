"""PNG and PDF through kaleido and Chrome; a clear error, never an obscure one, when Chrome is missing.

Debian's chromium is installed here and in CI (``apt-get install chromium``). Where it is, the real
images are checked; where it is not, the clear error is — nothing is skipped.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile

import pytest
from export_support import CODE, stored
from PIL import Image

from partenariat_core.export import ExportUnavailable, export_pdf, export_png, find_chrome, load_session_data
from partenariat_core.export.images import png_files

HAVE_CHROMIUM = shutil.which("chromium") is not None or shutil.which("google-chrome") is not None
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def data(sqlite_store, instruments, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    return load_session_data(stored(sqlite_store), instruments, CODE)


def test_png_of_each_chart_or_the_clear_error(data):
    if not HAVE_CHROMIUM:
        with pytest.raises(ExportUnavailable) as caught:
            png_files(data, "fr")
        assert caught.value.key == "export.err_no_chrome"
        return
    files = png_files(data, "fr")
    assert [f.name for f in files] == [
        "2026-11-25 KNWN23 La roue des six conditions (score dérivé) Table de quartier — « avant ».png",
        "2026-11-25 KNWN23 Réponses par condition Table de quartier — « avant ».png",
        "2026-11-25 KNWN23 Aujourd'hui et souhaité Table de quartier — « avant ».png",
    ]
    for file in files:
        assert file.data.startswith(PNG_MAGIC) and len(file.data) > 10_000
        assert Image.open(io.BytesIO(file.data)).size == (2400, 1400)
    bundle = export_png(data, "en")
    assert bundle.mime == "application/zip"
    inside = zipfile.ZipFile(io.BytesIO(bundle.data))
    assert len(inside.namelist()) == 3
    assert all(inside.read(n).startswith(PNG_MAGIC) for n in inside.namelist())


def test_two_charts_of_one_title_are_told_apart_by_the_activitys_short_name(
    sqlite_store, instruments, monkeypatch
):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    store = stored(sqlite_store, instruments=("conditions", "conditions_1to5"), sectors=())
    data = load_session_data(store, instruments, CODE)
    if not HAVE_CHROMIUM:
        with pytest.raises(ExportUnavailable):
            png_files(data, "fr")
        return
    names = [f.name.removeprefix("2026-11-25 KNWN23 ") for f in png_files(data, "fr")]
    title = " Table de quartier — « avant ».png"
    assert names == [
        "Six conditions La roue des six conditions (score dérivé)" + title,
        "Six conditions Réponses par condition" + title,
        "Six conditions (1 à 5) La roue des six conditions (score dérivé)" + title,
        "Six conditions (1 à 5) Réponses par condition" + title,
    ]


def test_pdf_report_or_the_clear_error(data):
    if not HAVE_CHROMIUM:
        with pytest.raises(ExportUnavailable):
            export_pdf(data, "fr")
        return
    file = export_pdf(data, "fr")
    assert file.name == "2026-11-25 KNWN23 rapport Table de quartier — « avant ».pdf"
    assert file.data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", file.data))
    assert pages >= 2  # details, summary and board, then the charts and tables
    assert len(file.data) > 50_000  # the three charts are in it as images


def test_a_wrong_browser_path_is_named(data, monkeypatch, tmp_path):
    not_a_browser = tmp_path / "chrome.txt"
    not_a_browser.write_text("no")
    monkeypatch.setenv("BROWSER_PATH", str(not_a_browser))
    with pytest.raises(ExportUnavailable) as caught:
        export_png(data, "fr")
    assert caught.value.key == "export.err_browser_path"
    assert str(not_a_browser) in caught.value.message("fr")
    assert str(not_a_browser) in caught.value.message("en")


def test_no_browser_at_all_says_how_to_get_one(data, monkeypatch):
    from choreographer.browsers.chromium import Chromium

    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kw: None))
    with pytest.raises(ExportUnavailable) as caught:
        find_chrome()
    assert caught.value.key == "export.err_no_chrome"
    assert "apt-get install chromium" in caught.value.message("fr")
    assert "BROWSER_PATH" in caught.value.message("en")
    with pytest.raises(ExportUnavailable):
        export_pdf(data, "en")


def test_browser_path_wins_over_the_search(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", sys.executable)  # any executable file: it is taken as given
    assert find_chrome() == sys.executable
