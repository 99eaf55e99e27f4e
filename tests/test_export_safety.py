"""Formula neutralisation and portable file names (partenariat_core.export.safety)."""

from __future__ import annotations

import unicodedata

import pytest

from partenariat_core.export.safety import neutralize_cell, safe_filename, safe_sheet_name


@pytest.mark.parametrize(
    "text", ["=SUM(A1)", "+33 1 23", "-1", "@channel", "\tx", "\rx", "=cmd|' /C calc'!A0"]
)
def test_formula_like_text_gets_a_leading_quote(text):
    assert neutralize_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Café", "1+1", "a=b", " =1", "", "<script>", 5, 2.5, None])
def test_other_values_pass_unchanged(value):
    assert neutralize_cell(value) == value


@pytest.mark.parametrize(
    ("stem", "ext", "expected"),
    [
        ('a<b>c:d"e/f\\g|h?i*j', "csv", "a_b_c_d_e_f_g_h_i_j.csv"),
        ("CON", "txt", "_CON.txt"),
        ("nul", "csv", "_nul.csv"),
        ("com1", "xlsx", "_com1.xlsx"),
        ("LPT9", "", "_LPT9"),
        ("CONSOLE", "txt", "CONSOLE.txt"),  # only the exact device names are reserved
        ("rapport. . ", "pdf", "rapport.pdf"),
        ("..hidden", "json", "hidden.json"),
        ("...", "json", "export.json"),
        ("", "zip", "export.zip"),
        ("tab\there\x00nul\x1fend", "csv", "tab here_nul end.csv"),
        ("Montréal — été", "html", "Montréal — été.html"),
        ("a    b", "csv", "a b.csv"),
    ],
)
def test_safe_filename_examples(stem, ext, expected):
    assert safe_filename(stem, ext) == expected


def test_decomposed_accents_are_composed():
    name = safe_filename(unicodedata.normalize("NFD", "Éducation"), "csv")
    assert name == "Éducation.csv"
    assert len(name) == len("Éducation.csv")


def test_long_names_are_capped_in_characters_and_bytes_and_keep_their_extension():
    assert safe_filename("é" * 500, "xlsx") == "é" * 97 + ".xlsx"  # 97 × 2 bytes + 5 = 199 ≤ 200
    emoji = safe_filename("👩‍👩‍👧" * 100, "png")
    assert emoji.endswith(".png")
    assert len(emoji.encode("utf-8")) <= 200
    assert len(safe_filename("x" * 500, "csv")) == 120


def test_extension_is_reduced_to_letters_and_digits():
    assert safe_filename("report", "../pdf") == "report.pdf"


def test_sheet_names_are_short_clean_and_unique():
    taken: set[str] = set()
    assert safe_sheet_name("Réponses [brutes]: a/b?*", taken) == "Réponses _brutes__ a_b__"
    assert safe_sheet_name("x" * 40, taken) == "x" * 31
    assert safe_sheet_name("'quoted'", set()) == "quoted"
    assert safe_sheet_name("", set()) == "Sheet"


def test_sheet_name_clash_gets_a_number_within_31_characters():
    taken: set[str] = set()
    first = safe_sheet_name("Réponses conditions", taken)
    second = safe_sheet_name("RÉPONSES CONDITIONS", taken)
    assert first == "Réponses conditions"
    assert second == "RÉPONSES CONDITIONS (2)"
    long_a = safe_sheet_name("a" * 40, taken)
    long_b = safe_sheet_name("a" * 40, taken)
    assert (long_a, long_b) == ("a" * 31, "a" * 27 + " (2)")
