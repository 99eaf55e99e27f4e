"""Reading the field's two table-shaped kinds: ``timeline`` (transitional results) and ``grid``
(portrait of a controversy).

Kept apart from ``loader.py`` so other kinds can be added there without touching these; the checks use
the same reader, so a mistake names the file and the field exactly as for the other kinds.

A timeline file lists its domains of action, each with its transitional results::

    [[domains]]
    id = "constituer"
    label = { fr = "Se constituer et se maintenir", en = "..." }
    results = [ { id = "networks", label = { fr = "...", en = "..." } }, ... ]

A grid file names what a row is (``row_label``, "Acteur") and lists its ``columns`` as choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from partenariat_core.instruments.model import Choice, Domain

if TYPE_CHECKING:
    from partenariat_core.instruments.loader import _Reader

TIMELINE_FIELDS = ("domains",)
GRID_FIELDS = ("row_label", "columns")
DOMAIN_FIELDS = ("id", "label", "definition", "results")
# The item a grid event uses to add a row: no column may be called so.
GRID_ROW_ITEM = "actor"


def timeline_parts(r: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    """Domains in file order, each with at least one result; result ids unique across domains,
    because an event stores only its result's id."""
    domains = []
    for i, row in enumerate(r.array(data, "domains", "", DOMAIN_FIELDS)):
        here = f"domains[{i}]."
        domains.append(
            Domain(
                id=r.ident(row, "id", here),
                label=r.labels(row, "label", here),
                definition=r.labels(row, "definition", here, required=False),
                results=r.choices(row, "results", here),
            )
        )
    r.unique((d.id for d in domains), "domains")
    seen: dict[str, int] = {}
    for i, domain in enumerate(domains):
        for j, result in enumerate(domain.results):
            if result.id in seen:
                raise r.fail(
                    f"domains[{i}].results[{j}].id", "error.instrument_duplicate_id", value=result.id
                )
            seen[result.id] = i
    return {"domains": tuple(domains)}


def grid_parts(r: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    """The columns (choices) and the row label; a column may not take the row item's name."""
    columns: tuple[Choice, ...] = r.choices(data, "columns")
    for i, column in enumerate(columns):
        if column.id == GRID_ROW_ITEM:
            raise r.fail(f"columns[{i}].id", "error.instrument_reserved_column", value=GRID_ROW_ITEM)
    return {"columns": columns, "row_label": r.labels(data, "row_label", "")}
