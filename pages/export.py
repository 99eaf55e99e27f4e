"""Organiser exports: one session as XLSX, HTML, PDF, PNG, CSV or a JSON archive; archive import."""

import streamlit as st

from partenariat_core import (
    DEMO_CODE,
    EXPORTERS,
    NEEDS_CHROME,
    ExportUnavailable,
    PartenariatError,
    export_session,
    find_chrome,
    import_archive,
    load_session_data,
    t_count,
    written_summary,
)
from ui.downloads import prepare_and_offer
from ui.literal import markdown_safe
from ui.nav import host_page
from ui.pickers import pick_session
from ui.sectors import draw_sector_breakdown

ctx = host_page("nav.export")
st.title(ctx.t("export.title"))

sessions = ctx.rt.store.list_sessions()
if sessions:
    code = pick_session(ctx, sessions, "export.pick", default=DEMO_CODE).code
    threshold = ctx.rt.settings.anonymity_threshold
    data = load_session_data(ctx.rt.store, ctx.rt.instruments, code, threshold)
    st.caption(ctx.t("export.counts", participants=data.summary.participants, events=data.summary.events))
    with st.expander(ctx.t("report.summary_title"), expanded=True):
        for sentence in written_summary(data.summary, ctx.rt.instruments, ctx.lang):
            st.markdown(f"- {sentence}".replace("<", "&lt;"))

    try:
        find_chrome()
        chrome_problem = None
    except ExportUnavailable as exc:
        chrome_problem = exc.message(ctx.lang)
    formats = [f for f in EXPORTERS if not (chrome_problem and f in NEEDS_CHROME)]
    fmt = st.radio(
        ctx.t("export.format"),
        formats,
        format_func=lambda f: ctx.t(f"export.format_{f}"),
        captions=[ctx.t(f"export.help_{f}") for f in formats],
        key="export_format",
    )
    if chrome_problem:
        st.info(chrome_problem)
    delimiter = ","
    if fmt == "csv":
        delimiter = st.radio(
            ctx.t("export.delimiter"),
            [",", ";"],
            format_func=lambda d: ctx.t(
                "export.delimiter_comma" if d == "," else "export.delimiter_semicolon"
            ),
            horizontal=True,
            key="export_delimiter",
        )

    def make():
        fresh = load_session_data(ctx.rt.store, ctx.rt.instruments, code, threshold)
        return export_session(fresh, fmt, ctx.lang, delimiter=delimiter)

    prepare_and_offer(ctx, f"{code}:{fmt}:{ctx.lang}:{delimiter}", ctx.t(f"export.format_{fmt}"), make)
    st.divider()
    draw_sector_breakdown(ctx, data.summary, data.events)
else:
    st.info(ctx.t("dashboard.no_session"))

st.divider()
st.subheader(ctx.t("export.import_title"))
st.caption(ctx.t("export.import_help"))
uploaded = st.file_uploader(ctx.t("export.import_file"), type=["json"], key="import_file")
if uploaded is not None and st.button(ctx.t("export.import_button"), key="import_button"):
    try:
        result = import_archive(ctx.rt.store, uploaded.getvalue(), ctx.rt.instruments)
        ctx.rt.live.invalidate(result.session.code)
        st.success(
            t_count("export.imported", result.added, ctx.lang, code=result.session.code, total=result.total)
        )
        if result.missing_instruments or result.changed_instruments:
            st.warning(
                ctx.t(
                    "export.import_instruments",
                    missing=", ".join(result.missing_instruments) or "—",
                    changed=", ".join(result.changed_instruments) or "—",
                )
            )
    except PartenariatError as exc:
        st.error(markdown_safe(exc.message(ctx.lang)))  # an archive's title is text, not Markdown
