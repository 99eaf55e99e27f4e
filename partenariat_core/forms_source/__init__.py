"""Google Forms response sheets as a read-only source of answers for a session.

``FormsSource(url).read()`` gives the worksheet; ``suggest_mapping`` matches its columns to the
session's instrument items (FR/EN, accents, case and punctuation ignored, with a confidence);
the host fixes what it could not match, ``MappingFile`` saves it; ``import_responses`` appends the
answers through any Store, idempotently, after the same participation rules as a phone's; what
they refuse comes back as :class:`Refusal` rows for the host.
"""

from partenariat_core.forms_source.answers import Answer, parse_answer
from partenariat_core.forms_source.mapping import ColumnMapping, FormsMapping, MappingFile, suggest_mapping
from partenariat_core.forms_source.matching import AUTO_THRESHOLD, Target, target_label, targets
from partenariat_core.forms_source.source import (
    FormsImport,
    FormsSheet,
    FormsSource,
    Refusal,
    import_responses,
    parse_timestamp,
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
    "MappingFile",
    "Refusal",
    "Target",
    "import_responses",
    "normalize",
    "parse_answer",
    "parse_timestamp",
    "similarity",
    "submission_id",
    "suggest_mapping",
    "target_label",
    "targets",
    "to_events",
]
