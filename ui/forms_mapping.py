"""The host's screen for a Google Form's response sheet: read it, check the mapping, import.

Every column gets the automatic suggestion and its confidence; the host changes what is wrong
(a selectbox per column), saves the mapping (``<data_dir>/forms_mappings.json``) and imports.
Importing again adds only new responses: ids come from each response's timestamp and answers, not
from its row, so a sorted sheet or a deleted row changes nothing. Answers the participation rules
refuse (as on a phone) are listed by row and column.

Column headers, sheet and worksheet names and answers are written by whoever built the form or
filled it in: they are drawn as literal text (``ui/literal.py``), never as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from partenariat_core import (
    FormsMapping,
    FormsSheet,
    FormsSource,
    MappingFile,
    PartenariatError,
    Refusal,
    Session,
    import_responses,
    suggest_mapping,
    t,
    target_label,
    targets,
)
from ui.literal import literal, markdown_safe
from ui.runtime import Context


def _message(exc: PartenariatError, lang: str) -> str:
    """The error's sentence with its parameters (sheet, worksheet, header names…) escaped: the
    sentence is ours and may be Markdown, what it quotes is not."""
    return t(exc.key, lang, **{k: markdown_safe(str(v)) for k, v in exc.params.items()})


def _sheet_key(code: str) -> str:
    return f"forms_sheet:{code}"


def _read(ctx: Context, spreadsheet: str, worksheet: str) -> FormsSheet | None:
    try:
        return FormsSource.from_settings(ctx.rt.settings, spreadsheet, worksheet).read()
    except PartenariatError as exc:
        st.error(_message(exc, ctx.lang))
        return None


def _choose_session(ctx: Context) -> Session | None:
    sessions = ctx.rt.store.list_sessions()
    if not sessions:
        st.info(ctx.t("forms.no_session"))
        return None
    by_code = {s.code: s for s in sessions}
    codes = list(by_code)
    wanted = st.query_params.get("session")
    code = st.selectbox(
        ctx.t("forms.session"),
        codes,
        index=codes.index(wanted) if wanted in codes else 0,
        format_func=lambda c: f"{by_code[c].title} · {c}",
    )
    return by_code[code]


def _mapping_form(
    ctx: Context, session: Session, sheet: FormsSheet, mapping: FormsMapping
) -> tuple[FormsMapping, str]:
    """Draw one selectbox per column; returns the host's mapping and which button was pressed."""
    instruments = ctx.rt.instruments
    options = ["", *(t.id for t in targets(session, instruments))]

    def name(target_id: str) -> str:
        return target_label(target_id, instruments, ctx.lang) if target_id else ctx.t("forms.none")

    with st.form(f"forms_mapping_{session.code}"):
        headers = list(sheet.headers)
        stamp = st.selectbox(
            ctx.t("forms.timestamp"),
            ["", *headers],
            index=headers.index(mapping.timestamp_column) + 1 if mapping.timestamp_column in headers else 0,
            format_func=lambda h: h or ctx.t("forms.none"),
        )
        top = st.columns([3, 3, 1])
        top[0].markdown(f"**{ctx.t('forms.col_header')}**")
        top[1].markdown(f"**{ctx.t('forms.col_target')}**")
        top[2].markdown(f"**{ctx.t('forms.col_confidence')}**")
        chosen: dict[str, str] = {}
        for n, column in enumerate(mapping.columns):
            current = f"{column.instrument}:{column.item}" if column.mapped else ""
            row = st.columns([3, 3, 1])
            literal(column.header, slot=row[0])
            chosen[column.header] = row[1].selectbox(
                markdown_safe(column.header),
                options,
                index=options.index(current) if current in options else 0,
                format_func=name,
                key=f"forms_col_{session.code}_{n}",
                label_visibility="collapsed",
            )
            row[2].markdown(f"{round(column.confidence * 100)} %")
        left, right = st.columns(2)
        save = left.form_submit_button(ctx.t("forms.save"))
        do_import = right.form_submit_button(ctx.t("forms.import"), type="primary")
    fixed = mapping
    for column in mapping.columns:
        current = f"{column.instrument}:{column.item}" if column.mapped else ""
        if chosen[column.header] != current:
            fixed = fixed.with_choice(column.header, chosen[column.header])
    fixed = FormsMapping(fixed.session, fixed.spreadsheet, fixed.worksheet, stamp, fixed.columns)
    return fixed, "import" if do_import else "save" if save else ""


def draw_forms_mapping(ctx: Context) -> None:
    """The whole screen: session, sheet address, mapping table, save and import."""
    session = _choose_session(ctx)
    if session is None:
        return
    files = MappingFile.in_data_dir(ctx.rt.settings.data_dir)
    try:
        saved = files.load(session.code)
    except PartenariatError as exc:
        st.error(_message(exc, ctx.lang))
        saved = None
    with st.form(f"forms_source_{session.code}"):
        spreadsheet = st.text_input(ctx.t("forms.spreadsheet"), value=saved.spreadsheet if saved else "")
        worksheet = st.text_input(ctx.t("forms.worksheet"), value=saved.worksheet if saved else "")
        if st.form_submit_button(ctx.t("forms.read")) and spreadsheet.strip():
            st.session_state[_sheet_key(session.code)] = _read(ctx, spreadsheet, worksheet)
    sheet: FormsSheet | None = st.session_state.get(_sheet_key(session.code))
    if sheet is None:
        return
    mapping = suggest_mapping(
        sheet.headers,
        session,
        ctx.rt.instruments,
        spreadsheet=spreadsheet,
        worksheet=worksheet.strip(),
        saved=saved,
    )
    fixed, action = _mapping_form(ctx, session, sheet, mapping)
    if fixed.unmapped:
        st.caption(ctx.t("forms.unmapped", columns=", ".join(markdown_safe(h) for h in fixed.unmapped)))
    if not action:
        return
    files.save(fixed)
    st.success(ctx.t("forms.saved"))
    if action == "import":
        fresh = _read(ctx, fixed.spreadsheet, fixed.worksheet)  # Forms may have added rows since
        if fresh is None:
            return
        st.session_state[_sheet_key(session.code)] = fresh
        settings = ctx.rt.settings
        try:
            result = import_responses(
                ctx.rt.store,
                fresh,
                fixed,
                session,
                ctx.rt.instruments,
                max_length=settings.card_max_length,
                max_cards=settings.max_cards,
            )
        except PartenariatError as exc:
            st.error(_message(exc, ctx.lang))
            return
        ctx.rt.live.invalidate(session.code)
        st.success(ctx.t("forms.imported", added=result.added, rows=result.rows))
        if result.unreadable:
            header, answer = result.unreadable[0]
            st.warning(
                ctx.t(
                    "forms.unreadable",
                    count=len(result.unreadable),
                    header=markdown_safe(header),
                    answer=markdown_safe(answer),
                )
            )
        if result.refused:
            _refused_table(ctx, result.refused)


def _refused_table(ctx: Context, refused: Sequence[Refusal]) -> None:
    """Every answer not imported, by sheet row and column, with the reason in the host's language.

    A dataframe draws its cells as plain text, so headers and answers quoted here stay literal."""
    st.warning(ctx.t("forms.refused", count=len(refused)))
    table = pd.DataFrame(
        {
            ctx.t("forms.col_row"): [r.row for r in refused],
            ctx.t("forms.col_column"): [r.column for r in refused],
            ctx.t("forms.col_reason"): [r.reason(ctx.lang) for r in refused],
        }
    )
    st.dataframe(table, hide_index=True)
