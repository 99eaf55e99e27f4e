"""Command line for organisers: thin wrappers over the same core functions as the export pages.

    python -m partenariat_core sessions
    python -m partenariat_core instruments
    python -m partenariat_core export GARDEZ --format xlsx --out exports/
    python -m partenariat_core import exports/2019-11-28\\ GARDEZ\\ ….json
    python -m partenariat_core compare GARDEZ ABC234 --format html --out exports/
    python -m partenariat_core screen-url GARDEZ
    python -m partenariat_core link GARDEZ https://docs.google.com/spreadsheets/d/KEY/edit
    python -m partenariat_core unlink GARDEZ KEY

Settings (data folder, store, instruments folder) come from the environment and
``.streamlit/secrets.toml`` exactly as for the app. Exit status: 0 done, 1 refused (the message says
why, in the chosen language), 2 bad command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from partenariat_core.agenda import screen_url
from partenariat_core.codes import normalize_code
from partenariat_core.compare import load_comparison
from partenariat_core.config import Settings, load_settings
from partenariat_core.datadir import EDITOR_INSTRUMENTS
from partenariat_core.errors import PartenariatError
from partenariat_core.export import EXPORTERS, ExportFile, export_session, import_archive, load_session_data
from partenariat_core.export.compare_report import COMPARE_EXPORTERS
from partenariat_core.export.csv_export import csv_files
from partenariat_core.export.images import png_files
from partenariat_core.i18n import label, t, t_count
from partenariat_core.instruments import Instrument
from partenariat_core.instruments.registry import EDITOR, SHIPPED, InstrumentRegistry
from partenariat_core.runtime import start_runtime
from partenariat_core.sessions import ensure_screen_key, find_session, renew_screen_key
from partenariat_core.store import Store


def open_runtime(settings: Settings) -> tuple[Store, dict[str, Instrument]]:
    """Store and instruments exactly as the app starts them (``partenariat_core.runtime``: data folder
    checked, demo session included when enabled)."""
    runtime = start_runtime(settings)
    return runtime.store, runtime.instruments


def write(files: Sequence[ExportFile], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for file in files:
        path = out / file.name
        path.write_bytes(file.data)
        paths.append(path)
    return paths


def cmd_instruments(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    """Every activity the app can offer: id, kind, title and where its file is."""
    lang = args.lang or args.settings.language
    registry = InstrumentRegistry.load(
        extra=args.settings.instruments_dir, editor=args.settings.data_dir / EDITOR_INSTRUMENTS
    )
    for ident, entry in registry.entries().items():
        if entry.origin == SHIPPED:
            where = t("export.cli_shipped", lang)
        elif entry.origin == EDITOR:
            where = t("export.cli_editor", lang, path=entry.path)
        else:
            where = str(entry.path)
        print(f"{ident}\t{entry.instrument.kind}\t{label(entry.instrument.title, lang)}\t{where}")
    return 0


def cmd_sessions(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    for s in store.list_sessions():
        print(f"{s.code}\t{s.date.isoformat()}\t{s.title}")
    return 0


def cmd_export(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    data = load_session_data(
        store, instruments, normalize_code(args.session), args.settings.anonymity_threshold
    )
    lang = args.lang or data.session.language
    if args.format == "csv":
        files = csv_files(data, lang, args.delimiter)  # one file per table: no zip in a folder
    elif args.format == "png":
        files = png_files(data, lang)
    else:
        files = [export_session(data, args.format, lang)]
    for path in write(files, args.out):
        print(t("export.cli_wrote", lang, path=str(path)))
    return 0


def cmd_import(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    """Restore a JSON archive: the one command that writes answers, and the one path exempt from the
    participation rules (``participation.accept_events``) that phones and the Forms import obey.

    Why exempt: an archive holds answers that were accepted once already, under the rules of the
    server and session they were given in. Checking them again would refuse what must be restored:
    an archived session is usually closed, its cards may be longer than this server's
    ``card_max_length``, and its instruments may be missing here (reported, not fatal). The restore
    changes nothing and loses nothing: events are appended idempotently, under their own ids, so a
    second import adds nothing. (The demo session ``open_runtime`` may seed is the app's own sample
    data, not anyone's answers; no other command writes answers.)
    """
    lang = args.lang or args.settings.language
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(
            t("export.cli_unreadable", lang, path=str(args.file), problem=exc.strerror or str(exc)),
            file=sys.stderr,
        )
        return 1
    result = import_archive(store, raw, instruments)
    print(t_count("export.imported", result.added, lang, code=result.session.code, total=result.total))
    flush_to_sheet(store, lang, wait=3.0 * args.settings.sheets_timeout_seconds)
    if result.missing_instruments or result.changed_instruments:
        missing = ", ".join(result.missing_instruments) or "—"
        print(
            t(
                "export.import_instruments",
                lang,
                missing=missing,
                changed=", ".join(result.changed_instruments) or "—",
            )
        )
    return 0


def flush_to_sheet(store: Store, lang: str, wait: float) -> bool:
    """A command that wrote to the Sheets store waits until the sheet has it all, or says what waits
    in the outbox and how it will be sent (closing the store alone would leave it there unsaid)."""
    from partenariat_core.store.sheets import SheetsStore

    if not isinstance(store, SheetsStore):
        return True
    if store.flush(timeout=wait):
        print(t("sheets.cli_sent", lang))
        return True
    status = store.sync_status()
    problem = status.error_message(lang) or ""
    print(t_count("sheets.cli_waiting", status.pending, lang, outbox=str(store.outbox.path)), file=sys.stderr)
    if problem:
        print(problem, file=sys.stderr)
    return False


def cmd_compare(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    lang = args.lang or args.settings.language
    codes = [normalize_code(c) for c in args.sessions]
    comparison = load_comparison(store, instruments, codes, args.settings.anonymity_threshold)
    for path in write([COMPARE_EXPORTERS[args.format](comparison, lang)], args.out):
        print(t("export.cli_wrote", lang, path=str(path)))
    return 0


def cmd_screen_url(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    """The projector's link, made with the app's own ``public_url``; a key is made the first time (and
    ``--renew`` replaces it: the links given before stop working)."""
    code = find_session(store, args.session, must_be_open=False).code
    session = renew_screen_key(store, code) if args.renew else ensure_screen_key(store, code)
    print(screen_url(args.settings.public_url, session, args.step))
    return 0


# --- linked sources (issue 14) ---------------------------------------------------------------------
def cmd_link(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    """Link a session to a worksheet with the automatic mapping; the running server (``serve.py``)
    picks the link up within a second, no restart. Says what it could not map."""
    from partenariat_core.forms_source import link_sheet, target_label

    lang = args.lang or args.settings.language
    code = normalize_code(args.session)
    result = link_sheet(args.settings, store, instruments, code, args.sheet, args.worksheet or "")
    mapping = result.link.mapping
    key = "forms.cli_linked" if result.created else "forms.cli_relinked"
    print(t(key, lang, code=code, spreadsheet=mapping.spreadsheet, worksheet=mapping.worksheet))
    for column in mapping.columns:
        if column.mapped:
            target = target_label(f"{column.instrument}:{column.item}", instruments, lang)
            print(t("forms.cli_column", lang, header=column.header, target=target))
    if result.unmapped:
        print(t("forms.cli_unmapped", lang, columns=" | ".join(result.unmapped)))
    for value in result.unread:
        print(t_count("forms.cli_unread", value.count, lang, answer=value.raw, header=value.header))
    if result.unmapped or result.unread:
        print(t("forms.cli_fix_on_page", lang))
    return 0


def cmd_unlink(args: argparse.Namespace, store: Store, instruments: dict[str, Instrument]) -> int:
    from partenariat_core.forms_source import LinkFile
    from partenariat_core.store.sheets.client import spreadsheet_key

    lang = args.lang or args.settings.language
    code = normalize_code(args.session)
    key = spreadsheet_key(args.sheet)
    removed = LinkFile.in_data_dir(args.settings.data_dir).remove(code, key, args.worksheet or "")
    if not removed:
        print(t("forms.cli_not_linked", lang, code=code, spreadsheet=key), file=sys.stderr)
        return 1
    for link in removed:
        print(t("forms.cli_unlinked", lang, code=code, spreadsheet=key, worksheet=link.worksheet))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m partenariat_core", description="Partenariat Live: organiser tools."
    )
    p.add_argument(
        "--lang", choices=["fr", "en"], help="language of the files and messages (default: the session's)"
    )
    # --lang is accepted before or after the command ("--lang en export …" or "export … --lang en")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=["fr", "en"], default=argparse.SUPPRESS, help="language of the files and messages"
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "sessions", parents=[common], help="list the sessions in the store (code, date, title)"
    )
    s.set_defaults(run=cmd_sessions)

    a = sub.add_parser(
        "instruments", parents=[common], help="list the activities the app offers (id, kind, title, file)"
    )
    a.set_defaults(run=cmd_instruments)

    e = sub.add_parser("export", parents=[common], help="write one session in one format")
    e.add_argument("session", help="the session's join code, e.g. GARDEZ")
    e.add_argument("--format", required=True, choices=list(EXPORTERS), help="file format")
    e.add_argument("--out", type=Path, default=Path("."), help="folder to write into (created if missing)")
    e.add_argument(
        "--delimiter", choices=[",", ";"], default=",", help="CSV field separator (';' for Excel in French)"
    )
    e.set_defaults(run=cmd_export)

    i = sub.add_parser("import", parents=[common], help="import a JSON archive into the configured store")
    i.add_argument("file", type=Path, help="an archive written by 'export --format json'")
    i.set_defaults(run=cmd_import)

    c = sub.add_parser(
        "compare", parents=[common], help="compare two or more sessions (the first is the baseline)"
    )
    c.add_argument("sessions", nargs="+", help="join codes, baseline first")
    c.add_argument("--format", required=True, choices=list(COMPARE_EXPORTERS), help="file format")
    c.add_argument("--out", type=Path, default=Path("."), help="folder to write into (created if missing)")
    c.set_defaults(run=cmd_compare)

    u = sub.add_parser(
        "screen-url", parents=[common], help="print the projector link of a session (read-only, no passcode)"
    )
    u.add_argument("session", help="the session's join code")
    u.add_argument(
        "--step", help="pin the screen to this step: its number (0: the join step) or its id (conditions)"
    )
    u.add_argument("--renew", action="store_true", help="make a new key: the old links stop working")
    u.set_defaults(run=cmd_screen_url)
    # --- linked sources (issue 14) ---
    ln = sub.add_parser(
        "link", parents=[common], help="follow a worksheet (a Google Form's responses) live for a session"
    )
    ln.add_argument("session", help="the session's join code")
    ln.add_argument("sheet", help="the spreadsheet's URL or key (shared with the service account)")
    ln.add_argument("--worksheet", help="the worksheet's name (default: the first one, where Forms writes)")
    ln.set_defaults(run=cmd_link)
    un = sub.add_parser("unlink", parents=[common], help="stop following a worksheet (answers stay)")
    un.add_argument("session", help="the session's join code")
    un.add_argument("sheet", help="the spreadsheet's URL or key")
    un.add_argument("--worksheet", help="only this worksheet (default: every linked one of that sheet)")
    un.set_defaults(run=cmd_unlink)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = args.lang or "fr"
    try:
        args.settings = load_settings()
        store, instruments = open_runtime(args.settings)
        try:
            return args.run(args, store, instruments)
        finally:
            store.close()
    except PartenariatError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
