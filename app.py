"""Partenariat Live: the router. Run with ``streamlit run app.py``.

The participant page is the default (``/``), so a QR code's ``/?session=CODE`` opens straight onto it.
Every page starts itself (``ui.runtime.bootstrap``: page config, runtime, language), because a deep
link on a fresh server can run a page without this file; so this file only routes.
"""

import streamlit as st

from partenariat_core import t
from ui.nav import PAGES
from ui.runtime import current_language

lang = current_language()
pages = [
    st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url, default=(i == 0))
    for i, p in enumerate(PAGES)
]
st.navigation(pages, position="hidden").run()
