"""The activity editor (issue 11.2): a host creates and edits activities without touching a file.

The page only collects values into an ``editor.Draft``; ``partenariat_core.instruments.editor`` turns
them into a file checked by the same loader as every other file, and a mistake is shown here naming
the field. Shipped activities (and the server folder's) are read-only: "duplicate to edit".
"""

from collections.abc import Callable

import streamlit as st

from partenariat_core import ORIGIN_EDITOR as EDITOR
from partenariat_core import ORIGIN_FOLDER as FOLDER
from partenariat_core import ORIGIN_SHIPPED as SHIPPED
from partenariat_core import ActivityDraft as Draft
from partenariat_core import ActivityHeading as Heading
from partenariat_core import ActivityRow as Row
from partenariat_core import ActivityText as Text
from partenariat_core import InstrumentError, PartenariatError, label
from partenariat_core import activity_editor as editor
from ui.literal import literal, markdown_safe
from ui.nav import host_page

DRAFT = "ed_draft"  # the Draft being edited in this tab
GEN = "ed_gen"  # bumped when another draft is opened: its widgets start from the draft's values
MESSAGE = "ed_message"  # the success message to show after the rerun that follows a save
ORIGINS = {SHIPPED: "editor.origin_shipped", FOLDER: "editor.origin_folder", EDITOR: "editor.origin_editor"}

ctx = host_page("editor.nav")
registry = ctx.rt.registry
entries = registry.entries()


def open_draft(draft: Draft) -> None:
    st.session_state[DRAFT] = draft
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1


SHIPPED_ONLY_KINDS = ("continuum", "timeline", "grid")  # kinds the editor shows but does not write


def kind_name(kind: str) -> str:
    return ctx.t(f"editor.kind_{kind}") if kind in (*editor.EDITOR_KINDS, *SHIPPED_ONLY_KINDS) else kind


st.title(ctx.t("editor.title"))
st.caption(ctx.t("editor.intro"))
if registry.problem is not None:
    st.warning(markdown_safe(ctx.t("editor.folder_problem", problem=registry.problem.message(ctx.lang))))
if message := st.session_state.pop(MESSAGE, None):
    st.success(markdown_safe(message))

list_tab, edit_tab, upload_tab = st.tabs(
    [ctx.t("editor.tab_list"), ctx.t("editor.tab_edit"), ctx.t("editor.tab_upload")]
)

# --- what is offered -----------------------------------------------------------------------------
with list_tab:
    for ident, entry in entries.items():
        instrument = entry.instrument
        with st.container(border=True):
            st.markdown(f"**{markdown_safe(label(instrument.title, ctx.lang))}**")
            st.caption(
                markdown_safe(f"{ident} · {kind_name(instrument.kind)} · {ctx.t(ORIGINS[entry.origin])}")
            )
            left, middle, right = st.columns(3)
            if entry.origin == EDITOR and instrument.kind in editor.EDITOR_KINDS:
                if left.button(ctx.t("editor.edit"), key=f"edit_{ident}"):
                    open_draft(editor.draft_of(instrument))
            elif instrument.kind in editor.EDITOR_KINDS:
                middle.caption(ctx.t("editor.read_only"))
                if left.button(ctx.t("editor.duplicate"), key=f"dup_{ident}"):
                    open_draft(editor.duplicate(instrument, ctx.lang, ctx.t("editor.copy_word")))
            else:
                middle.caption(ctx.t("editor.not_editable"))
            right.download_button(
                ctx.t("editor.download"),
                data=entry.text.encode("utf-8"),
                file_name=f"{ident}.toml",
                mime="application/toml",
                key=f"dl_{ident}",
            )


# --- the form --------------------------------------------------------------------------------------
def text_pair(key: str, shown: Text, fr_label: str, en_label: str) -> Text:
    """Two fields side by side, French and English; either may stay empty."""
    left, right = st.columns(2)
    fr = left.text_input(fr_label, value=shown.fr, key=f"{key}_fr", max_chars=200)
    en = right.text_input(en_label, value=shown.en, key=f"{key}_en", max_chars=200)
    return Text(fr, en)


def rows_editor(
    key: str, rows: list[Row], count_label: str, name_of: Callable[[int], str], low: int, high: int
) -> list[Row]:
    """A number of rows, then each row's two labels; ids of existing rows are kept."""
    count = st.number_input(
        count_label,
        min_value=low,
        max_value=high,
        value=max(low, min(high, len(rows) or low)),
        key=f"{key}_n",
    )
    out = []
    for n in range(int(count)):
        old = rows[n] if n < len(rows) else Row()
        name = name_of(n + 1)
        typed = text_pair(
            f"{key}_{n}",
            old.text,
            f"{name} ({ctx.t('editor.lang_fr')})",
            f"{name} ({ctx.t('editor.lang_en')})",
        )
        out.append(Row(typed, old.id))
    return out


def named(key: str) -> Callable[[int], str]:
    return lambda n: ctx.t(key, n=n)


def draft_form(draft: Draft, gen: int) -> Draft:
    """Draw the fields of ``draft`` and return what they hold now."""
    k = f"ed{gen}"
    if draft.id:
        st.info(ctx.t("editor.editing", id=draft.id))
        kind = draft.kind
    else:
        kind = st.selectbox(
            ctx.t("editor.kind"),
            list(editor.EDITOR_KINDS),
            index=list(editor.EDITOR_KINDS).index(draft.kind),
            format_func=kind_name,
            key=f"{k}_kind",
        )
    st.caption(ctx.t("editor.one_language"))
    out = Draft(kind, id=draft.id)
    out.title = text_pair(f"{k}_title", draft.title, ctx.t("editor.title_fr"), ctx.t("editor.title_en"))
    if kind != "profile":
        out.prompt = text_pair(
            f"{k}_prompt", draft.prompt, ctx.t("editor.prompt_fr"), ctx.t("editor.prompt_en")
        )
    if kind == "keep_throw":
        out.rows = rows_editor(
            f"{k}_col", draft.rows, ctx.t("editor.columns"), named("editor.column"), *editor.COLUMNS
        )
    elif kind == "choice":
        out.rows = rows_editor(f"{k}_opt", draft.rows, ctx.t("editor.options"), named("editor.option"), 2, 12)
        out.multiple = st.checkbox(ctx.t("editor.multiple"), value=draft.multiple, key=f"{k}_multiple")
    elif kind == "open":
        out.max_length = int(
            st.number_input(
                ctx.t("editor.max_length"),
                min_value=10,
                max_value=280,
                value=draft.max_length,
                key=f"{k}_max",
            )
        )
    elif kind == "profile":
        out.rows = rows_editor(f"{k}_sec", draft.rows, ctx.t("editor.sectors"), named("editor.sector"), 1, 20)
    elif kind == "conditions":
        out.scale = st.radio(
            ctx.t("editor.scale"),
            list(editor.SCALES),
            index=list(editor.SCALES).index(draft.scale),
            format_func=lambda s: ctx.t(f"editor.scale_{s}"),
            key=f"{k}_scale",
        )
        if out.scale == "custom":
            levels = rows_editor(
                f"{k}_lvl",
                [Row(t) for t in draft.levels],
                ctx.t("editor.levels"),
                named("editor.level"),
                2,
                7,
            )
            out.levels = [row.text for row in levels]
        out.dont_know = st.checkbox(ctx.t("editor.dont_know"), value=draft.dont_know, key=f"{k}_dk")
        headings = draft.headings or [Heading()]
        count = st.number_input(
            ctx.t("editor.headings"), min_value=1, max_value=12, value=len(headings), key=f"{k}_hn"
        )
        for h in range(int(count)):
            old = headings[h] if h < len(headings) else Heading()
            with st.container(border=True):
                name = ctx.t("editor.heading", n=h + 1)
                title = text_pair(
                    f"{k}_h{h}",
                    old.title,
                    f"{name} ({ctx.t('editor.lang_fr')})",
                    f"{name} ({ctx.t('editor.lang_en')})",
                )
                items = rows_editor(
                    f"{k}_h{h}_i",
                    old.items or [Row()],
                    ctx.t("editor.items", n=h + 1),
                    lambda n, h=h: ctx.t("editor.item", heading=h + 1, n=n),
                    1,
                    20,
                )
                out.headings.append(Heading(title, items, old.id))
    return out


with edit_tab:
    if st.button(ctx.t("editor.new"), key="ed_new", icon=":material/add:"):
        open_draft(Draft("keep_throw"))
    current = st.session_state.get(DRAFT) or Draft("keep_throw")
    gen = st.session_state.get(GEN, 0)
    typed = draft_form(current, gen)
    if st.button(ctx.t("editor.save"), type="primary", key=f"ed{gen}_save"):
        taken = set(registry.entries())
        try:
            instrument, text = editor.build(typed, taken - ({typed.id} if typed.id else set()))
            owner = entries.get(instrument.id)
            if owner is not None and owner.origin != EDITOR:
                raise InstrumentError(
                    f"{instrument.id}.toml", "id", "error.instrument_shipped", value=instrument.id
                )
            editor.save(ctx.rt.editor_dir, instrument, text)
        except PartenariatError as exc:
            st.error(markdown_safe(exc.message(ctx.lang)))
        else:
            registry.refresh()
            st.session_state[MESSAGE] = ctx.t("editor.saved", id=instrument.id)
            open_draft(editor.draft_of(instrument))
            st.rerun()
    if current.id and current.id in entries:
        st.download_button(
            ctx.t("editor.download"),
            data=entries[current.id].text.encode("utf-8"),
            file_name=f"{current.id}.toml",
            mime="application/toml",
            key=f"ed{gen}_download",
        )

# --- upload ----------------------------------------------------------------------------------------
with upload_tab:
    upload = st.file_uploader(
        ctx.t("editor.upload"),
        type=["toml"],
        help=ctx.t("editor.upload_help"),
        key="ed_upload",
        max_upload_size=1,  # MB: the browser refuses more; the core caps the text at 50,000 characters
    )
    if upload is not None:
        try:
            if upload.size > editor.MAX_UPLOAD_BYTES:
                raise InstrumentError(
                    upload.name[:80],
                    "(file)",
                    "error.instrument_too_big",
                    size=upload.size,
                    limit=editor.MAX_CHARS,
                )
            instrument, text = editor.read_upload(upload.getvalue(), upload.name)
            owner = entries.get(instrument.id)
            if owner is not None and owner.origin != EDITOR:
                raise InstrumentError(upload.name[:80], "id", "error.instrument_shipped", value=instrument.id)
        except PartenariatError as exc:
            st.error(markdown_safe(exc.message(ctx.lang)))
        else:
            literal(
                ctx.t(
                    "editor.upload_ready",
                    title=label(instrument.title, ctx.lang),
                    kind=kind_name(instrument.kind),
                    id=instrument.id,
                )
            )
            if instrument.id in entries:
                st.caption(ctx.t("editor.upload_replaces"))
            if st.button(ctx.t("editor.upload_save"), type="primary", key="ed_upload_save"):
                editor.save(ctx.rt.editor_dir, instrument, text)
                registry.refresh()
                st.session_state[MESSAGE] = ctx.t("editor.saved", id=instrument.id)
                st.rerun()
