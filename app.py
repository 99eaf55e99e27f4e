"""Partenariat Live: the router. Run with ``streamlit run app.py``.

The participant page is the default (``/``), so a QR code's ``/?session=CODE`` opens straight onto it.
Every page also starts itself (``ui.runtime.bootstrap``), because a deep link on a fresh server can
run a page without this file.
"""

import streamlit as st

from ui.nav import PAGES
from ui.runtime import bootstrap

ctx = bootstrap("app.name")
pages = [
    st.Page(p.path, title=ctx.t(p.title_key), icon=p.icon, url_path=p.url, default=(i == 0))
    for i, p in enumerate(PAGES)
]
st.navigation(pages, position="hidden").run()
