"""Top words in the exports (XLSX sheet, HTML and PDF reports), and the PDF's curated board.

On the known session (``export_support``) plus one card, worked out by hand (stop words: un, s'il →
il, vous, à, en; digits and one-letter tokens out):

    keep   "=SUM(A1:A9)"                   → SUM
           "Café « crème » à l'école"      → Café, crème, école
           "<script>alert(1)</script>"     → script, alert (script once per card)
           "Un café, s'il vous plaît" (p5) → café, plaît
    throw  "+33 1 23 45 67 89", "-1"       → nothing
           "@channel"                      → channel
           "Travail en silo"               → Travail, silo

    keep: Café 2 (Café ×1, café ×1: a tie, the first seen) rank 1; then alert, crème, école, plaît,
    script, SUM 1 each, rank 2, alphabetically (é read as e). throw: channel, silo, Travail, rank 1.

Curated (test_export_curation's events): keep-2 edited to "Le script" (alert gone, script stays),
throw-3 hidden (silo and Travail gone).
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil

import openpyxl
import pytest
from export_support import CODE, T0, stored
from test_export_curation import TITLE, curation_events

from partenariat_core.export import ExportUnavailable, export_html, export_pdf, export_xlsx, load_session_data
from partenariat_core.model import Event

KEEP, THROW = "Qu'est-ce qu'on garde", "Qu'est-ce qu'on jette"
HAVE_CHROMIUM = shutil.which("chromium") is not None or shutil.which("google-chrome") is not None


def _with_cafe(store):
    extra = Event(CODE, "p5", f"{CODE}-cafe", "keep_throw", "keep", "", "Un café, s'il vous plaît", T0)
    store.append_events([dataclasses.replace(extra, created_at=T0.replace(hour=15))])
    return store


@pytest.fixture
def data(sqlite_store, instruments):
    return load_session_data(_with_cafe(stored(sqlite_store)), instruments, CODE)


@pytest.fixture
def curated(sqlite_store, instruments):
    store = stored(sqlite_store)
    store.append_events(curation_events())
    return load_session_data(store, instruments, CODE)


def _rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def test_xlsx_top_words_sheet(data):
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "fr").data))
    header, *rows = _rows(book["Mots fréquents"])
    assert header == ("Colonne", "Rang", "Mot", "Cartes qui l'emploient")
    assert rows == [
        (KEEP, 1, "Café", 2),
        (KEEP, 2, "alert", 1),
        (KEEP, 2, "crème", 1),
        (KEEP, 2, "école", 1),
        (KEEP, 2, "plaît", 1),
        (KEEP, 2, "script", 1),
        (KEEP, 2, "SUM", 1),
        (THROW, 1, "channel", 1),
        (THROW, 1, "silo", 1),
        (THROW, 1, "Travail", 1),
    ]
    english = openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "en").data))
    assert _rows(english["Top words"])[0] == ("Column", "Rank", "Word", "Cards using it")


def test_xlsx_top_words_leave_hidden_and_edited_away_words_out(curated):
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(curated, "fr").data))
    words = [(row[0], row[2]) for row in _rows(book["Mots fréquents"])[1:]]
    assert words == [
        (KEEP, "Café"),
        (KEEP, "crème"),
        (KEEP, "école"),
        (KEEP, "script"),
        (KEEP, "SUM"),
        (THROW, "channel"),
    ]


def test_a_board_without_a_word_adds_no_sheet_and_no_section(sqlite_store, instruments):
    store = stored(sqlite_store, instruments=("conditions",))
    data = load_session_data(store, instruments, CODE)
    assert "Mots fréquents" not in openpyxl.load_workbook(io.BytesIO(export_xlsx(data, "fr").data)).sheetnames
    assert "Mots fréquents" not in export_html(data, "fr").data.decode("utf-8")


def test_html_report_lists_each_columns_top_words(data):
    text = export_html(data, "fr").data.decode("utf-8")
    section = text[text.index("<h3>Mots fréquents</h3>") :]
    keep = section[section.index(f"<h4>{KEEP.replace(chr(39), '&#x27;')}</h4>") :]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", keep[: keep.index("</table>")])
    assert cells == ["Rang", "Mot", "Cartes qui l&#x27;emploient", "1", "Café", "2"] + [
        cell for word in ("alert", "crème", "école", "plaît", "script", "SUM") for cell in ("2", word, "1")
    ]
    assert "chacun compte une fois par carte" in section  # the rule, in a note under the title


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_pdf_report_shows_the_ranked_board_the_groups_with_their_members_and_top_words(curated, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    if not HAVE_CHROMIUM:
        with pytest.raises(ExportUnavailable):
            export_pdf(curated, "fr")
        return
    text = _pdf_text(export_pdf(curated, "fr").data)
    assert "Classement par votes" in text and "Regroupements" in text
    assert f"{TITLE} (×2)" in text  # the group's title, as typed (markup as text)
    assert "=SUM(A1:A9)" in text and "Café « crème » à l'école" in text  # its members
    assert "Le script" in text  # ranked 2nd with one vote
    assert "Mots fréquents" in text and "channel" in text
    assert "Travail en silo" not in text  # hidden by the host
