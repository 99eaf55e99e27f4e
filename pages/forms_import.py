"""Host page: link a Google Form's response sheet to a session, check the mapping, import answers."""

import streamlit as st

from ui.forms_mapping import draw_forms_mapping
from ui.nav import host_page

ctx = host_page("nav.forms")
st.title(ctx.t("forms.title"))
st.caption(ctx.t("forms.intro"))
draw_forms_mapping(ctx)
