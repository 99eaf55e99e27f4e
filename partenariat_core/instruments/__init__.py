"""Instruments: the activities of a session, defined as data files in this folder."""

from partenariat_core.instruments.loader import (
    BUILTIN_DIR,
    KINDS,
    load_file,
    load_instruments,
    parse_instrument,
)
from partenariat_core.instruments.model import (
    Choice,
    Instrument,
    Item,
    Preset,
    Scale,
    ScaleLevel,
)

__all__ = [
    "BUILTIN_DIR",
    "KINDS",
    "Choice",
    "Instrument",
    "Item",
    "Preset",
    "Scale",
    "ScaleLevel",
    "load_file",
    "load_instruments",
    "parse_instrument",
]
