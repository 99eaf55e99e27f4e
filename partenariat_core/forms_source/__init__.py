"""Google Forms response sheets as a read-only source of answers for a session.

``FormsSource(url).read()`` gives the worksheet; ``suggest_mapping`` matches its columns to the
session's instrument items (FR/EN, accents, case and punctuation ignored, with a confidence);
the host fixes what it could not match, ``MappingFile`` saves it; ``import_responses`` appends the
answers through any Store, idempotently, after the same participation rules as a phone's; what
they refuse comes back as :class:`Refusal` rows for the host.

Live: ``link_sheet`` keeps a session linked to a worksheet (``LinkFile``), and the server's
``SourceFollower`` reads every linked worksheet, paced within the Sheets quota, so new rows reach
the board without a click; ``unread_values`` lists answers to map (``FormsMapping.answers``), and
``read_response_file`` reads a CSV or XLSX download for a one-time import with the same mapping.

Every kind of activity whose answer fits in one column can be mapped: the sector, conditions,
continuum, keep / throw cards, choice (one option, or a checkboxes cell "A, B") and open questions;
``unmappable_activities`` names the others (grid, timeline) for the host.
"""

from partenariat_core.forms_source.answer_mapping import (
    UnreadValue,
    answer_options,
    apply_mapping_file,
    mapping_file,
    suggest_answer,
    unread_values,
)
from partenariat_core.forms_source.answers import Answer, choice_parts, parse_answer
from partenariat_core.forms_source.files import read_response_file
from partenariat_core.forms_source.follower import (
    LinkResult,
    SourceFollower,
    SourceStatus,
    follower_from_settings,
    link_sheet,
)
from partenariat_core.forms_source.linked import LinkedSource, LinkFile, StateFile
from partenariat_core.forms_source.mapping import ColumnMapping, FormsMapping, MappingFile, suggest_mapping
from partenariat_core.forms_source.matching import (
    AUTO_THRESHOLD,
    Target,
    target_label,
    targets,
    unmappable_activities,
)
from partenariat_core.forms_source.source import (
    FormsImport,
    FormsSheet,
    FormsSource,
    Refusal,
    import_responses,
    parse_timestamp,
    read_cell,
    submission_id,
    to_events,
)
from partenariat_core.forms_source.text import normalize, similarity

__all__ = [
    "AUTO_THRESHOLD",
    "Answer",
    "ColumnMapping",
    "FormsImport",
    "FormsMapping",
    "FormsSheet",
    "FormsSource",
    "LinkFile",
    "LinkResult",
    "LinkedSource",
    "MappingFile",
    "Refusal",
    "SourceFollower",
    "SourceStatus",
    "StateFile",
    "Target",
    "UnreadValue",
    "answer_options",
    "apply_mapping_file",
    "choice_parts",
    "follower_from_settings",
    "import_responses",
    "link_sheet",
    "mapping_file",
    "normalize",
    "parse_answer",
    "parse_timestamp",
    "read_cell",
    "read_response_file",
    "similarity",
    "submission_id",
    "suggest_answer",
    "suggest_mapping",
    "target_label",
    "targets",
    "to_events",
    "unmappable_activities",
    "unread_values",
]
