"""The HTML report: self-contained, escaped, with the data, the summary and the sector rule."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from export_support import CODE, KEEP, THROW, stored

from partenariat_core.export import export_html, load_session_data


class Collector(HTMLParser):
    """Scripts (attributes and body), every src/href, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.urls: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._in_script: dict | None = None
        self._script_body: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append((tag, attrs[name]))
        if tag == "script":
            self._in_script, self._script_body = attrs, []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._script_body)))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_body.append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory, instruments):
    from partenariat_core.store import SQLiteStore

    store = SQLiteStore(tmp_path_factory.mktemp("html") / "db.sqlite")
    file = export_html(load_session_data(stored(store), instruments, CODE), "fr")
    parser = Collector()
    parser.feed(file.data.decode("utf-8"))
    parser.close()
    return file, parser


def test_file_name_and_type(report):
    file, _ = report
    assert file.name == "2026-11-25 KNWN23 rapport Table de quartier — « avant ».html"
    assert file.mime == "text/html"


def test_only_plotly_scripts_inline_and_the_library_once(report):
    _, parsed = report
    assert all("src" not in attrs for attrs, _ in parsed.scripts)
    bundles = [body for _, body in parsed.scripts if len(body) > 1_000_000]
    assert len(bundles) == 1 and "plotly" in bundles[0][:2000].lower()
    calls = [body for _, body in parsed.scripts if len(body) <= 1_000_000]
    assert len(calls) == 3  # radar, distribution, continuum
    assert all("Plotly.newPlot" in body and "alert(1)" not in body for body in calls)


def test_no_external_url_anywhere_in_src_or_href(report):
    file, parsed = report
    assert parsed.urls == []  # no src/href at all: nothing to fetch
    assert "link" not in parsed.tags and "iframe" not in parsed.tags
    assert "@import" not in file.data.decode("utf-8")


def test_cards_show_as_text_including_the_script_card(report):
    file, parsed = report
    text = " ".join(parsed.text)
    for card in KEEP + THROW:
        assert card in text
    raw = file.data.decode("utf-8")
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


def test_written_summary_and_numbers(report):
    _, parsed = report
    text = " ".join(parsed.text)
    assert (
        "Condition la mieux évaluée : C1 · Diversité des points de vue (score dérivé moyen 2,80 sur 3)."
        in text
    )
    assert (
        "Condition la moins bien évaluée : C2 · Participation précoce (score dérivé moyen 1,20 sur 3)."
        in text
    )
    assert "Désaccord le plus marqué : C3 · Négociation et influence (écart type 1,00)." in text
    assert "de Coordination à Coopération (2 personnes sur 5)" in text
    assert "7 cartes au tableau (Qu'est-ce qu'on garde : 3 ; Qu'est-ce qu'on jette : 4)." in text


def test_sector_breakdown_shows_no_group_that_subtraction_would_reveal(report):
    _, parsed = report
    text = " ".join(parsed.text)
    assert "Par secteur" in text
    assert "Un secteur de moins de 3 personnes n'est jamais montré" in text
    assert "Municipal" not in text and "Communautaire" not in text  # see export_support
    assert text.count("Aucun secteur n'atteint le seuil d'anonymat pour l'instant.") == 3
    assert text.count("5 personnes ne sont pas montrées par secteur") == 3


def test_sector_breakdown_at_threshold_2_is_in_the_report(sqlite_store, instruments):
    data = load_session_data(stored(sqlite_store), instruments, CODE, threshold=2)
    raw = export_html(data, "en").data.decode("utf-8")
    assert "<th>Community (n = 3)</th>" in raw and "<th>Municipal (n = 2)</th>" in raw
    assert "<td class='num'>2.5</td>" in raw  # municipal C1: B and A


def test_english_report(sqlite_store, instruments):
    data = load_session_data(stored(sqlite_store), instruments, CODE)
    raw = export_html(data, "en").data.decode("utf-8")
    assert "Condition rated highest: C1 · Diversity of viewpoints (mean derived score 2.80 out of 3)." in raw
    assert "<html lang='en'>" in raw
