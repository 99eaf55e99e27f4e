"""Host page: link a Google Form's response sheet to a session, check the mapping, import answers."""

import streamlit as st

from ui.auth import require_host
from ui.forms_mapping import draw_forms_mapping
from ui.nav import host_menu
from ui.runtime import bootstrap

ctx = bootstrap("nav.forms", layout="wide")
require_host(ctx)
host_menu(ctx)
st.title(ctx.t("forms.title"))
st.caption(ctx.t("forms.intro"))
draw_forms_mapping(ctx)
