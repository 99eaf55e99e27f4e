"""Partenariat Live's core: instruments, sessions, scoring, stores. No Streamlit here.

Pages and the command line import what they need from this module only.
"""

from typing import Any

from partenariat_core.agenda import FREE as FREE_MODE
from partenariat_core.agenda import GUIDED as GUIDED_MODE
from partenariat_core.agenda import JOIN as JOIN_STEP
from partenariat_core.agenda import (
    Agenda,
    Countdown,
    PhoneView,
    ScreenView,
    StepPin,
    VoteStep,
    current_index,
    current_step,
    parse_step,
    phone_view,
    pin_step,
    remaining_seconds,
    screen_key_matches,
    screen_url,
    screen_view,
    step_locked,
    vote_board,
    vote_step_id,
)
from partenariat_core.agenda import steps as agenda_steps
from partenariat_core.answers_more import ANSWER as CHOICE_ANSWER  # choice / open (issue 11.1)
from partenariat_core.answers_more import submit_choice, submit_open
from partenariat_core.breakdowns import SectorTable, sector_tables
from partenariat_core.charts import conditions_distribution, conditions_radar, continuum_bars
from partenariat_core.charts_compare import comparison_figures
from partenariat_core.codes import (
    is_valid_participant_id,
    new_participant_id,
    new_submission_id,
    normalize_code,
)
from partenariat_core.compare import Comparison, comparison_tables, load_comparison, session_label
from partenariat_core.config import Settings, load_settings
from partenariat_core.curation import (
    VOTES_MAX,
    VoteRules,
    accept_suggestion,
    approve_all,
    group_cards,
    hide_card,
    keep_shown,
    merge_cards,
    reject_suggestion,
    remove_from_group,
    rename_group,
    show_card,
    ungroup,
    votes_left,
)
from partenariat_core.demo import DEMO_CODE, ensure_demo
from partenariat_core.errors import (
    AccessDenied,
    ConfigError,
    InstrumentError,
    PartenariatError,
    RejectedInput,
    SessionError,
    StoreUnavailable,
)
from partenariat_core.export import (
    EXPORTERS,
    NEEDS_CHROME,
    ArchiveError,
    ExportFile,
    ExportUnavailable,
    ImportResult,
    SessionData,
    chrome_available,
    export_session,
    find_chrome,
    import_archive,
    load_session_data,
    written_summary,
)
from partenariat_core.export.compare_report import COMPARE_EXPORTERS, compare_html, compare_xlsx
from partenariat_core.export.tables import board_cards
from partenariat_core.export.tables_field import grid_table
from partenariat_core.i18n import LANGUAGE_NAMES, LANGUAGES, label, normalize_language, t, t_count
from partenariat_core.instruments import Instrument, Scale, load_instruments
from partenariat_core.instruments import editor as activity_editor  # the activity editor (issue 11.2)
from partenariat_core.instruments.editor import Draft as ActivityDraft
from partenariat_core.instruments.editor import Heading as ActivityHeading
from partenariat_core.instruments.editor import Row as ActivityRow
from partenariat_core.instruments.editor import Text as ActivityText
from partenariat_core.instruments.registry import EDITOR as ORIGIN_EDITOR
from partenariat_core.instruments.registry import FOLDER as ORIGIN_FOLDER
from partenariat_core.instruments.registry import SHIPPED as ORIGIN_SHIPPED
from partenariat_core.instruments.registry import InstrumentRegistry
from partenariat_core.instruments.session_copy import session_instruments
from partenariat_core.live import LiveSessions
from partenariat_core.model import PROFILE, Event, Session, utcnow
from partenariat_core.participation import (
    ParticipantState,
    card_submission_id,
    clean_card_text,
    edit_card,
    own_cards,
    participant_state,
    submit_card,
    submit_continuum,
    submit_scale,
    submit_sector,
    submit_vote,
    withdraw_card,
)
from partenariat_core.participation_field import (
    ACTOR_MAX,
    PERIOD_MAX,
    submit_grid_actor,
    submit_grid_cell,
    submit_timeline_event,
)
from partenariat_core.passcode import check_passcode, resolve_host_passcode
from partenariat_core.pseudonym import Pseudonyms
from partenariat_core.qr import join_url, qr_png, qr_svg
from partenariat_core.runtime import Runtime, replace_shared_runtime, shared_runtime, start_runtime
from partenariat_core.scoring import ConditionsScores, SessionSummary, participant_cards, summarize
from partenariat_core.scoring.board import Board, Card
from partenariat_core.scoring.curated import CardGroup, CuratedBoard, CuratedCard, Ranked
from partenariat_core.scoring.grid import GridResult, actor_key
from partenariat_core.scoring.similar import Suggestion, suggest_groups
from partenariat_core.scoring.timeline import TimelineResult
from partenariat_core.scoring.top_words import TOP_WORDS, WordCount, board_top_words, top_words
from partenariat_core.screen_layout import (
    SECONDS_PER_PAGE,
    BoardLayout,
    ShownCard,
    board_layout,
    count_ticks,
    page_at,
)
from partenariat_core.sessions import (
    add_vote_step,
    create_session,
    delete_session,
    duplicate_session,
    ensure_screen_key,
    find_session,
    go_to_step,
    move_step,
    remove_vote_step,
    rename_session,
    renew_screen_key,
    set_agenda_mode,
    set_board_hidden,
    set_cards_need_approval,
    set_open,
    set_step_locked,
    start_step_countdown,
    stop_step_countdown,
)
from partenariat_core.store import BACKENDS, Store, open_store
from partenariat_core.throttle import GuessThrottle

__all__ = [
    "ACTOR_MAX",
    "BACKENDS",
    "CHOICE_ANSWER",
    "COMPARE_EXPORTERS",
    "DEMO_CODE",
    "EXPORTERS",
    "FREE_MODE",
    "GUIDED_MODE",
    "JOIN_STEP",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "NEEDS_CHROME",
    "ORIGIN_EDITOR",
    "ORIGIN_FOLDER",
    "ORIGIN_SHIPPED",
    "PERIOD_MAX",
    "PROFILE",
    "SECONDS_PER_PAGE",
    "TOP_WORDS",
    "VOTES_MAX",
    "AccessDenied",
    "ActivityDraft",
    "ActivityHeading",
    "ActivityRow",
    "ActivityText",
    "Agenda",
    "ArchiveError",
    "Board",
    "BoardLayout",
    "Card",
    "CardGroup",
    "Comparison",
    "ConditionsScores",
    "ConfigError",
    "Countdown",
    "CuratedBoard",
    "CuratedCard",
    "Event",
    "ExportFile",
    "ExportUnavailable",
    "FormsMapping",
    "FormsSheet",
    "FormsSource",
    "GridResult",
    "GuessThrottle",
    "ImportResult",
    "Instrument",
    "InstrumentError",
    "InstrumentRegistry",
    "LinkFile",
    "LiveSessions",
    "MappingFile",
    "PartenariatError",
    "ParticipantState",
    "PhoneView",
    "Pseudonyms",
    "Ranked",
    "Refusal",
    "RejectedInput",
    "Runtime",
    "Scale",
    "ScreenView",
    "SectorTable",
    "Session",
    "SessionData",
    "SessionError",
    "SessionSummary",
    "Settings",
    "ShownCard",
    "SourceStatus",
    "StepPin",
    "Store",
    "StoreUnavailable",
    "Suggestion",
    "TimelineResult",
    "VoteRules",
    "VoteStep",
    "WordCount",
    "accept_suggestion",
    "activity_editor",
    "actor_key",
    "add_vote_step",
    "agenda_steps",
    "answer_options",
    "apply_mapping_file",
    "approve_all",
    "board_cards",
    "board_layout",
    "board_top_words",
    "card_submission_id",
    "check_passcode",
    "chrome_available",
    "clean_card_text",
    "compare_html",
    "compare_xlsx",
    "comparison_figures",
    "comparison_tables",
    "conditions_distribution",
    "conditions_radar",
    "continuum_bars",
    "count_ticks",
    "create_session",
    "current_index",
    "current_step",
    "delete_session",
    "describe_source_status",
    "duplicate_session",
    "edit_card",
    "ensure_demo",
    "ensure_screen_key",
    "export_session",
    "find_chrome",
    "find_session",
    "go_to_step",
    "grid_table",
    "group_cards",
    "hide_card",
    "import_archive",
    "import_responses",
    "is_valid_participant_id",
    "join_url",
    "keep_shown",
    "label",
    "link_sheet",
    "load_comparison",
    "load_instruments",
    "load_session_data",
    "load_settings",
    "mapping_file",
    "merge_cards",
    "move_step",
    "new_participant_id",
    "new_submission_id",
    "normalize_code",
    "normalize_language",
    "open_store",
    "own_cards",
    "page_at",
    "parse_step",
    "participant_cards",
    "participant_state",
    "phone_view",
    "pin_step",
    "qr_png",
    "qr_svg",
    "read_response_file",
    "reject_suggestion",
    "remaining_seconds",
    "remove_from_group",
    "remove_vote_step",
    "rename_group",
    "rename_session",
    "renew_screen_key",
    "replace_shared_runtime",
    "resolve_host_passcode",
    "screen_key_matches",
    "screen_url",
    "screen_view",
    "sector_tables",
    "session_instruments",
    "session_label",
    "set_agenda_mode",
    "set_board_hidden",
    "set_cards_need_approval",
    "set_open",
    "set_step_locked",
    "shared_runtime",
    "show_card",
    "spreadsheet_key",
    "start_runtime",
    "start_step_countdown",
    "step_locked",
    "stop_step_countdown",
    "submit_card",
    "submit_choice",
    "submit_continuum",
    "submit_grid_actor",
    "submit_grid_cell",
    "submit_open",
    "submit_scale",
    "submit_sector",
    "submit_timeline_event",
    "submit_vote",
    "suggest_groups",
    "suggest_mapping",
    "summarize",
    "t",
    "t_count",
    "target_label",
    "targets",
    "top_words",
    "ungroup",
    "unmappable_activities",
    "unread_values",
    "utcnow",
    "vote_board",
    "vote_step_id",
    "votes_left",
    "withdraw_card",
    "written_summary",
]


# The Google Forms import needs gspread, which only Sheets users should pay for at start-up: its
# names are imported on first use (PEP 562), like the Sheets store in ``open_store``.
_LAZY = {
    **{name: "partenariat_core.forms_source" for name in (
        "FormsMapping",
        "FormsSheet",
        "FormsSource",
        "LinkFile",
        "MappingFile",
        "Refusal",
        "SourceStatus",
        "answer_options",
        "apply_mapping_file",
        "import_responses",
        "link_sheet",
        "mapping_file",
        "read_response_file",
        "suggest_mapping",
        "target_label",
        "targets",
        "unmappable_activities",
        "unread_values",
    )},
    "describe_source_status": "partenariat_core.forms_source.status_text:describe",
    "spreadsheet_key": "partenariat_core.store.sheets.client",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'partenariat_core' has no attribute {name!r}")
    import importlib

    module, _, attribute = module.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value
