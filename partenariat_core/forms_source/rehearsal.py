"""Rehearse a live Form without Google: a fake response sheet, and responses sent to it by hand.

    python -m partenariat_core.fake_sheets --port 8765 --spreadsheet repetition
    export PARTENARIAT_SHEETS_API_URL=http://127.0.0.1:8765
    python -m partenariat_core.forms_source.rehearsal form ABC234 repetition   # the header row
    python -m partenariat_core link ABC234 repetition
    python -m partenariat_core.forms_source.rehearsal answer repetition        # one response

``form`` writes, in the fake sheet's first worksheet, the header row a Google Form built from the
session's activities would have (a timestamp, then each question in the activities' own French
wording); ``answer`` appends one response the way Forms does (a timestamp, then an answer to each
question, worded as the form's options). Only against a fake or local API: it refuses Google's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Mapping, Sequence

from gspread.utils import InsertDataOption, ValueInputOption

from partenariat_core.config import load_settings
from partenariat_core.errors import ConfigError, PartenariatError
from partenariat_core.forms_source.matching import Target as Question
from partenariat_core.forms_source.matching import targets
from partenariat_core.i18n import label, t, t_count
from partenariat_core.instruments import Instrument, load_instruments
from partenariat_core.model import PROFILE, Session
from partenariat_core.sheets_transport import gspread_client
from partenariat_core.store import open_store
from partenariat_core.store.sheets.client import Target, classify, is_google, spreadsheet_key

STAMP_HEADER = "Horodateur"


def form_headers(session: Session, instruments: Mapping[str, Instrument]) -> list[str]:
    """The header row of a Form whose questions repeat the activities' French wording."""
    headers = [STAMP_HEADER]
    for target in targets(session, instruments):
        if target.instrument == PROFILE:
            headers.append("Votre secteur")
        else:
            headers.append(target.labels[0])
    return headers


def _answer(
    target: Question, session: Session, instruments: Mapping[str, Instrument], rng: random.Random
) -> str:
    ins = instruments[target.instrument]
    if ins.kind == "keep_throw":
        return f"Idée {rng.randint(1, 999)}"
    if ins.kind == "conditions" and ins.scale is not None:
        return label(rng.choice(ins.scale.levels).label, "fr")
    if ins.kind == "continuum":
        return label(rng.choice(ins.levels).label, "fr")
    if ins.kind == "choice":  # a checkboxes question writes its ticked options joined by ", "
        ticked = [o for o in ins.options if rng.random() < 0.5] or [rng.choice(ins.options)]
        return ", ".join(label(o.label, "fr") for o in (ticked if ins.multiple else ticked[:1]))
    if ins.kind == "open":
        return f"Réponse {rng.randint(1, 999)}"
    sectors = [c for c in ins.sectors if c.id in session.sectors] or list(ins.sectors)
    return label(rng.choice(sectors).label, "fr")


def response_row(
    session: Session,
    instruments: Mapping[str, Instrument],
    when: dt.datetime,
    rng: random.Random | None = None,
) -> list[str]:
    """One response, as Forms writes it (``20/11/2026 09:03:01``, then one answer per question)."""
    rng = rng or random.Random()
    answers = [_answer(target, session, instruments, rng) for target in targets(session, instruments)]
    return [when.strftime("%d/%m/%Y %H:%M:%S"), *answers]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m partenariat_core.forms_source.rehearsal")
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("form", help="write the header row of a Form for this session in the fake sheet")
    f.add_argument("session")
    f.add_argument("sheet")
    a = sub.add_parser("answer", help="append one response to the fake sheet")
    a.add_argument("sheet")
    a.add_argument("--count", type=int, default=1, help="how many responses (default 1)")
    args = p.parse_args(argv)
    settings = load_settings()
    lang = settings.language
    try:
        if is_google(settings.sheets_api_url):
            raise ConfigError("forms.rehearsal_google")
        book = gspread_client(settings.sheets_api_url, timeout=10).open_by_key(spreadsheet_key(args.sheet))
        worksheet = book.get_worksheet(0)
        if args.command == "form":
            store = open_store(settings)
            try:
                session = store.get_session(args.session.strip().upper())
            finally:
                store.close()
            if session is None:
                raise ConfigError("error.session_unknown", code=args.session)
            instruments = load_instruments(*([settings.instruments_dir] if settings.instruments_dir else []))
            worksheet.update([form_headers(session, instruments)], "A1")
            print(t("forms.rehearsal_form", lang, worksheet=worksheet.title))
            return 0
        headers = worksheet.row_values(1)
        if not headers:
            raise ConfigError("forms.empty", worksheet=worksheet.title)
        store = open_store(settings)
        try:
            sessions = store.list_sessions()
        finally:
            store.close()
        instruments = load_instruments(*([settings.instruments_dir] if settings.instruments_dir else []))
        session = next((s for s in sessions if form_headers(s, instruments) == headers), None)
        if session is None:
            raise ConfigError("forms.rehearsal_no_session")
        rows = [
            response_row(session, instruments, dt.datetime.now() + dt.timedelta(milliseconds=n))
            for n in range(max(1, args.count))
        ]
        worksheet.append_rows(
            rows, value_input_option=ValueInputOption.raw, insert_data_option=InsertDataOption.insert_rows
        )
        print(t_count("forms.rehearsal_answered", len(rows), lang, worksheet=worksheet.title))
        return 0
    except PartenariatError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except Exception as exc:  # the fake not running, a spreadsheet it does not have: say so
        print(classify(exc, Target(args.sheet)).error.message(lang), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
