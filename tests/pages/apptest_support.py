"""Helpers for Streamlit AppTest page tests: a fresh data folder and runtime per test.

The app's runtime (store, instruments, passcode) is shared by the whole process
(``partenariat_core.runtime``), so each test replaces it after pointing ``PARTENARIAT_DATA_DIR`` at its
own folder (``conftest.app_env``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from streamlit.testing.v1 import AppTest

from partenariat_core.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
PASSCODE = "TEST-PASS-2019"


def store_of(data_dir: Path) -> SQLiteStore:
    """The same SQLite file the app under test writes to."""
    return SQLiteStore(data_dir / "partenariat.db")


def open_app(page: str = "pages/participate.py", **params: str) -> AppTest:
    """Run the router with query parameters, then switch to ``page`` as a click in the menu would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/participate.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def login(at: AppTest, passcode: str = PASSCODE) -> AppTest:
    at.text_input(key="passcode_input").input(passcode)
    next(b for b in at.button if b.label in ("Entrer", "Enter")).click().run()
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


# Person-written text a test types everywhere: Markdown, Streamlit directives, KaTeX and HTML at once.
HOSTILE = "**Gras** [lien](http://x) :red[rouge] $x^2$ <b>b</b> <script>alert(1)</script>"

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ACTIVE = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>$:&]")


def rendered(markdown: str) -> str:
    """The text a Markdown reader shows for ``markdown`` that is meant to be literal.

    CommonMark (2.4) shows a backslash-escaped ASCII punctuation character as that character, and
    nothing else as literally as that; so this fails if any character Markdown, Streamlit's
    ``:directives[]``, KaTeX's ``$`` or HTML could act on was left unescaped, and otherwise unescapes."""
    left = _ACTIVE.findall(_ESCAPED.sub("", markdown))
    assert left == [], f"unescaped Markdown characters {left} in {markdown!r}"
    return _ESCAPED.sub(r"\1", markdown)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_text(body: str) -> tuple[list[str], str]:
    """(the tags in an ``st.html`` body, the text a browser shows for it)."""
    parser = _Text()
    parser.feed(body)
    parser.close()
    return parser.tags, "".join(parser.text)


def literal_texts(at: AppTest, css_class: str = "pl-literal") -> list[str]:
    """The texts drawn by ``ui.literal.literal`` on the page (checked to be one plain ``div``)."""
    out = []
    for element in at.get("html"):
        body = element.proto.body
        if f'class="{css_class}' in body:
            tags, text = html_text(body)
            assert tags == ["div"], body  # nothing the person wrote became a tag
            out.append(text)
    return out
