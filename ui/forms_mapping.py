"""The host's screen for a Google Form's response sheet: read it, check the mapping, import or link.

Every column gets the automatic suggestion and its confidence; the host changes what is wrong
(a selectbox per column), saves the mapping (``<data_dir>/forms_mappings.json``) and imports.
Importing again adds only new responses: ids come from each response's timestamp and answers, not
from its row, so a sorted sheet or a deleted row changes nothing. Answers the participation rules
refuse (as on a phone) are listed by row and column.

Linked sheets (issue 14) are listed first, each with its sync state in plain words
(``forms_source.status_text``) and pause / resume / unlink; "Link this sheet" keeps the sheet read
by the server. Answers the mapping cannot read are listed for the host to map (suggested), and the
whole mapping can be downloaded and reused. A CSV or XLSX file can be imported once, with the same
mapping, instead of a Google sheet.

Every activity whose answer fits in one column is offered (choice and open questions included);
the session's grid and timeline activities are named, with the reason they cannot be mapped.

Column headers, sheet and worksheet names and answers are written by whoever built the form or
filled it in: they are drawn as literal text (``ui/literal.py``), never as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from partenariat_core import (
    FormsMapping,
    FormsSheet,
    FormsSource,
    Instrument,
    LinkFile,
    MappingFile,
    PartenariatError,
    Refusal,
    Session,
    SourceStatus,
    answer_options,
    apply_mapping_file,
    describe_source_status,
    import_responses,
    link_sheet,
    mapping_file,
    read_response_file,
    session_instruments,
    spreadsheet_key,
    suggest_mapping,
    t,
    t_count,
    target_label,
    targets,
    unmappable_activities,
    unread_values,
)
from ui.literal import literal, markdown_safe
from ui.runtime import Context


def _message(exc: PartenariatError, lang: str) -> str:
    """The error's sentence with its parameters (sheet, worksheet, header names…) escaped: the
    sentence is ours and may be Markdown, what it quotes is not."""
    return t(exc.key, lang, **{k: markdown_safe(str(v)) for k, v in exc.params.items()})


def _sheet_key(code: str) -> str:
    return f"forms_sheet:{code}"


def _file_key(code: str) -> str:
    """Where the uploaded file's name is kept while its table is the one on screen."""
    return f"forms_file:{code}"


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


def _activities(ctx: Context, session: Session) -> dict[str, Instrument]:
    """The session's activities as its phones see them: the copies it stored when it was made."""
    return session_instruments(session, ctx.rt.live.events(session.code), ctx.rt.instruments)


def _mapping_form(
    ctx: Context, session: Session, sheet: FormsSheet, mapping: FormsMapping
) -> tuple[FormsMapping, str]:
    """Draw one selectbox per column; returns the host's mapping and which button was pressed."""
    instruments = _activities(ctx, session)
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
        left, middle, right = st.columns(3)
        save = left.form_submit_button(ctx.t("forms.save"))
        do_import = middle.form_submit_button(ctx.t("forms.import"), type="primary")
        do_link = False
        if not st.session_state.get(_file_key(session.code)):  # a file is imported once, not followed
            do_link = right.form_submit_button(ctx.t("forms.live_link"))
    fixed = mapping
    for column in mapping.columns:
        current = f"{column.instrument}:{column.item}" if column.mapped else ""
        if chosen[column.header] != current:
            fixed = fixed.with_choice(column.header, chosen[column.header])
    fixed = replace(fixed, timestamp_column=stamp)
    return fixed, "import" if do_import else "link" if do_link else "save" if save else ""


def draw_forms_mapping(ctx: Context) -> None:
    """The whole screen: session, sheet address, mapping table, save and import."""
    session = _choose_session(ctx)
    if session is None:
        return
    # drawn last, at the top: a link made or changed further down in this run shows at once
    panel = st.container()
    try:
        _draw_forms(ctx, session)
    finally:
        with panel:
            _linked_panel(ctx, session)


def _draw_forms(ctx: Context, session: Session) -> None:
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
            st.session_state[_file_key(session.code)] = ""
    _file_source(ctx, session)
    _not_mapped(ctx, session)
    sheet: FormsSheet | None = st.session_state.get(_sheet_key(session.code))
    if sheet is None:
        return
    mapping = suggest_mapping(
        sheet.headers,
        session,
        _activities(ctx, session),
        spreadsheet=spreadsheet,
        worksheet=worksheet.strip(),
        saved=saved,
    )
    fixed, action = _mapping_form(ctx, session, sheet, mapping)
    if fixed.unmapped:
        st.caption(ctx.t("forms.unmapped", columns=", ".join(markdown_safe(h) for h in fixed.unmapped)))
    _answers_form(ctx, session, sheet, fixed, files)
    _mapping_transfer(ctx, session, fixed)
    if not action:
        return
    files.save(fixed)
    _update_links(ctx, sheet, fixed)
    st.success(ctx.t("forms.saved"))
    if action == "link":
        try:
            link_sheet(
                ctx.rt.settings,
                ctx.rt.store,
                ctx.rt.instruments,
                session.code,
                fixed.spreadsheet,
                fixed.worksheet,
                mapping=fixed,
            )
        except PartenariatError as exc:
            st.error(_message(exc, ctx.lang))
            return
        if ctx.rt.follower is not None:
            ctx.rt.follower.reload(force=True)
            ctx.rt.follower.read_now()
        st.success(ctx.t("forms.live_linked"))
        return
    if action == "import":
        if st.session_state.get(_file_key(session.code)):
            fresh: FormsSheet | None = sheet  # an uploaded file: what was read is all there is
        else:
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
        st.success(
            t_count(
                "forms.imported", result.added, ctx.lang, rows=t_count("forms.rows", result.rows, ctx.lang)
            )
        )
        if result.unreadable:
            header, answer = result.unreadable[0]
            st.warning(
                t_count(
                    "forms.unreadable",
                    len(result.unreadable),
                    ctx.lang,
                    header=markdown_safe(header),
                    answer=markdown_safe(answer),
                )
            )
        if result.refused:
            _refused_table(ctx, result.refused)


def _not_mapped(ctx: Context, session: Session) -> None:
    """Name the session's activities that no form column can answer (grid, timeline), and why."""
    left_out = unmappable_activities(session, _activities(ctx, session))
    if left_out:
        names = ", ".join(markdown_safe(ins.heading(session.keep_throw_preset, ctx.lang)) for ins in left_out)
        st.info(t_count("forms.kinds_not_mapped", len(left_out), ctx.lang, activities=names))


def _refused_table(ctx: Context, refused: Sequence[Refusal]) -> None:
    """Every answer not imported, by sheet row and column, with the reason in the host's language.

    A dataframe draws its cells as plain text, so headers and answers quoted here stay literal."""
    st.warning(t_count("forms.refused", len(refused), ctx.lang))
    table = pd.DataFrame(
        {
            ctx.t("forms.col_row"): [r.row for r in refused],
            ctx.t("forms.col_column"): [r.column for r in refused],
            ctx.t("forms.col_reason"): [r.reason(ctx.lang) for r in refused],
        }
    )
    st.dataframe(table, hide_index=True)


# --- linked sheets (issue 14) ---------------------------------------------------------------------
def _linked_panel(ctx: Context, session: Session) -> None:
    """Each linked worksheet of the session: its sync state in plain words, pause / resume, unlink."""
    st.subheader(ctx.t("forms.live_title"))
    st.caption(ctx.t("forms.live_intro"))
    links = LinkFile.in_data_dir(ctx.rt.settings.data_dir)
    follower = ctx.rt.follower
    if follower is None:
        st.info(ctx.t("forms.live_not_running"))
    try:
        mine = links.of_session(session.code)
    except PartenariatError as exc:
        st.error(_message(exc, ctx.lang))
        return
    if not mine:
        st.caption(ctx.t("forms.live_none"))
        return
    statuses = {s.link.id: s for s in follower.statuses(session.code)} if follower is not None else {}
    for n, link in enumerate(mine):
        status = statuses.get(link.id) or SourceStatus(link)
        text = describe_source_status(replace(status, link=link), ctx.lang, escape=markdown_safe)
        box = st.container(border=True)
        box.markdown(f"**{text.title}**")
        for line in text.lines:
            box.markdown(line)
        if text.problem:
            (box.warning if text.severity == "waiting" else box.error)(text.problem)
        left, right = box.columns(2)
        if link.paused:
            if left.button(ctx.t("forms.live_resume"), key=f"forms_live_resume_{n}"):
                links.set_paused(link.session, link.spreadsheet, link.worksheet, False)
                _poke(ctx)
                st.rerun()
        elif left.button(ctx.t("forms.live_pause"), key=f"forms_live_pause_{n}"):
            links.set_paused(link.session, link.spreadsheet, link.worksheet, True)
            _poke(ctx)
            st.rerun()
        if right.button(ctx.t("forms.live_unlink"), key=f"forms_live_unlink_{n}"):
            links.remove(link.session, link.spreadsheet, link.worksheet)
            _poke(ctx)
            st.success(ctx.t("forms.live_unlinked"))
            st.rerun()


def _poke(ctx: Context) -> None:
    """Let the server's follower see a change of links now rather than within a second."""
    if ctx.rt.follower is not None:
        ctx.rt.follower.reload(force=True)
        ctx.rt.follower.wake()


def _update_links(ctx: Context, sheet: FormsSheet, mapping: FormsMapping) -> None:
    """A saved mapping also applies to the link of the same worksheet, if there is one."""
    if not mapping.spreadsheet or st.session_state.get(_file_key(mapping.session)):
        return
    links = LinkFile.in_data_dir(ctx.rt.settings.data_dir)
    try:
        key = spreadsheet_key(mapping.spreadsheet)
        link = links.get(mapping.session, key, sheet.worksheet)
    except PartenariatError:
        return
    if link is not None:
        links.save(replace(link, mapping=replace(mapping, spreadsheet=key, worksheet=sheet.worksheet)))
        _poke(ctx)


def _file_source(ctx: Context, session: Session) -> None:
    """A downloaded response file instead of a Google sheet, imported once with the same mapping."""
    upload = st.file_uploader(
        ctx.t("forms.file_upload"), type=["csv", "xlsx", "txt"], key=f"forms_upload_{session.code}"
    )
    if upload is None:
        return
    marker = f"{upload.name}:{upload.size}"
    if st.session_state.get(f"forms_upload_seen:{session.code}") == marker:
        return
    st.session_state[f"forms_upload_seen:{session.code}"] = marker
    try:
        sheet = read_response_file(upload.name, upload.getvalue())
    except PartenariatError as exc:
        st.error(_message(exc, ctx.lang))
        return
    st.session_state[_sheet_key(session.code)] = sheet
    st.session_state[_file_key(session.code)] = upload.name
    st.success(t_count("forms.file_read", len(sheet.rows), ctx.lang, name=markdown_safe(upload.name)))


def _answers_form(
    ctx: Context, session: Session, sheet: FormsSheet, mapping: FormsMapping, files: MappingFile
) -> None:
    """Each distinct answer the mapping cannot read, with a suggestion the host may change."""
    instruments = _activities(ctx, session)
    unread = unread_values(sheet, mapping, session, instruments)
    st.subheader(ctx.t("forms.answers_title"))
    if not unread:
        st.caption(ctx.t("forms.answers_none"))
        return
    st.caption(ctx.t("forms.answers_intro"))
    undecided, leave_out = "\x00", ""
    with st.form(f"forms_answers_{session.code}"):
        chosen: list[tuple[str, str, str]] = []
        for n, value in enumerate(unread):
            instrument_id, _, item = value.target.partition(":")
            options = [undecided, leave_out]
            names = {undecided: ctx.t("forms.answers_undecided"), leave_out: ctx.t("forms.answers_leave_out")}
            for option, labels in answer_options(instruments[instrument_id], item, session):
                options.append(option)
                names[option] = markdown_safe(_label(labels, ctx.lang))
            row = st.columns([3, 2, 3])
            literal(value.raw, slot=row[0])
            row[1].caption(
                t_count("forms.answers_count", value.count, ctx.lang, header=markdown_safe(value.header))
            )
            picked = row[2].selectbox(
                markdown_safe(value.raw),
                options,
                index=options.index(value.suggestion) if value.suggestion in options else 0,
                format_func=lambda o, names=names: names.get(o, o),
                key=f"forms_ans_{session.code}_{n}",
                label_visibility="collapsed",
            )
            chosen.append((value.target, value.raw, picked))
        if not st.form_submit_button(ctx.t("forms.answers_save")):
            return
    updated = mapping
    for target, raw, picked in chosen:
        if picked != undecided:
            updated = updated.with_answer(target, raw, picked)
    files.save(updated)
    _update_links(ctx, sheet, updated)
    st.success(ctx.t("forms.answers_saved"))
    st.rerun()


def _label(labels: Sequence[str], lang: str) -> str:
    """An option's name in the host's language (labels are French first, then English)."""
    return labels[1] if lang == "en" and len(labels) > 1 else labels[0]


def _mapping_transfer(ctx: Context, session: Session, mapping: FormsMapping) -> None:
    """Download the column and answer mapping; reuse one saved from an earlier workshop's form."""
    left, right = st.columns(2)
    left.download_button(
        ctx.t("forms.mapping_download"),
        mapping_file(mapping),
        file_name=f"correspondance-{session.code}.json",
        mime="application/json",
        key=f"forms_mapping_download_{session.code}",
    )
    upload = right.file_uploader(
        ctx.t("forms.mapping_upload"), type=["json"], key=f"forms_mapping_up_{session.code}"
    )
    if upload is None:
        return
    marker = f"{upload.name}:{upload.size}"
    if st.session_state.get(f"forms_mapping_seen:{session.code}") == marker:
        return
    st.session_state[f"forms_mapping_seen:{session.code}"] = marker
    try:
        applied = apply_mapping_file(mapping, upload.getvalue())
    except PartenariatError as exc:
        st.error(_message(exc, ctx.lang))
        return
    MappingFile.in_data_dir(ctx.rt.settings.data_dir).save(applied)
    st.success(ctx.t("forms.mapping_applied"))
    st.rerun()
