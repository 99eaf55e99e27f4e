"""Text a person or a spreadsheet wrote, shown exactly as written.

Streamlit reads Markdown (bold, links, ``:red[colours]``, ``$KaTeX$``, ``:emoji:`` shortcodes) in
``st.markdown``, ``st.write``, captions and every widget label. A participant's card, a typed join code
or a Forms column header is data, not formatting, so it never goes through those as it is: ``literal``
draws it as escaped HTML, and ``markdown_safe`` escapes it for the places that only take Markdown
(widget labels, options).
"""

from __future__ import annotations

import html
import re
from typing import Any

import streamlit as st

# Every character CommonMark may treat as punctuation, plus Streamlit's own ``:directive[...]`` and
# ``$math$`` markers: escaping all of them is always correct, escaping fewer is a guess.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


def markdown_safe(text: str) -> str:
    """``text`` escaped so that any Markdown reader shows it literally (for widget labels, options)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def literal(text: str, *, css_class: str = "pl-literal", slot: Any = None) -> None:
    """Draw ``text`` as plain text in a ``div`` of ``css_class`` (in ``slot``, a column or container)."""
    (slot or st).html(f'<div class="{css_class}">{html.escape(str(text))}</div>')
