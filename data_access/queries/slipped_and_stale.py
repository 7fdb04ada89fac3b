"""Slipped and stale recommendations: targets moved past the original, and open items gone
quiet, each listed worst first with its day counts.

Both lists are one statement each (`_worst_first`): the rows meeting the rule
(`data_access.rules_sql.is_slipped`, `is_stale`) are read once, counted and the worst listed;
the day counts of the rows shown come from `domain.rules` (`data_access.queries.followups`
has what the lists share).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    case,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import Directorate, Officer, Source
from data_access.queries.followups import (
    MAX_LIST_ROWS,
    NO_DIRECTORATE,
    NO_OWNER,
    Listing,
    exempt_mark,
    listing_frame,
)
from data_access.sql_dates import days_between
from data_access.state import facts_from_row, filtered_state
from domain import rules
from domain.exempt import EXEMPT_COLUMN
from domain.vocabulary import Status

__all__ = ["SlippedListing", "slipped_recommendations", "stale_recommendations"]


@dataclass(frozen=True)
class SlippedListing(Listing):
    """Slipped recommendations, with how many have had their target moved twice or more."""

    twice_or_more: int = 0


SLIPPED_COLUMNS = (
    "ref",
    "owner",
    "original_target_date",
    "current_target_date",
    "revision_count",
    "days_slipped",
    "status",
    "source",
    EXEMPT_COLUMN,
)
STALE_COLUMNS = (
    "ref",
    "owner",
    "directorate",
    "status",
    "last_activity_on",
    "ever_updated",
    "days_since_update",
    "source",
    EXEMPT_COLUMN,
)


def _owner_name(officer) -> ColumnElement[str]:
    return func.coalesce(officer.name, literal(NO_OWNER))


def _directorate_name() -> ColumnElement[str]:
    return func.coalesce(Directorate.name, literal(NO_DIRECTORATE))


# The state columns a list needs to pick its rows and to compute its day counts.
_STATE_COLUMNS = (
    "id",
    "ref",
    "source_id",
    "owner_id",
    "directorate_id",
    "status",
    "made_on",
    "original_target_date",
    "current_target_date",
    "revision_count",
    "last_update_on",
)


def _worst_first(
    connection: Connection,
    f,
    where: ColumnElement[bool],
    order_by: list[tuple[ColumnElement[Any], bool]],
    limit: int,
    extra_counts: Callable[[Any], list[ColumnElement[Any]]] = lambda items: [],
) -> tuple[list[Any], Any]:
    """The first `limit` rows of the state `f` meeting `where`, with their names, and counts
    over all the rows meeting it (`total`, and any labelled `extra_counts(items)`).

    `order_by` is a list of (expression over `f`, descending). One statement: the rows
    meeting `where` are read once into a CTE (which the database materialises, and which
    lets the state's subqueries be flattened), then both ordered for the list and counted.
    Names are joined for the listed rows only.
    """
    keys = [expression.label(f"sort_{n}") for n, (expression, _) in enumerate(order_by)]
    items = select(*(f.c[name] for name in _STATE_COLUMNS), *keys).where(where).cte("items")
    ordering = [
        items.c[key.name].desc() if descending else items.c[key.name]
        for key, (_, descending) in zip(keys, order_by, strict=True)
    ]
    picked = (
        select(items, func.row_number().over(order_by=ordering).label("position"))
        .order_by(*ordering)
        .limit(limit)
        .subquery("picked")
    )
    extra = extra_counts(items)
    listed = (
        select(
            literal_column("1").label("is_item"),
            *(picked.c[name] for name in _STATE_COLUMNS),
            picked.c.position,
            Source.title.label("source"),
            exempt_mark().label("exempt"),
            _owner_name(Officer).label("owner"),
            _directorate_name().label("directorate"),
            null().label("total"),
            *(null().label(count.name) for count in extra),
        )
        .select_from(picked)
        .join(Source, Source.id == picked.c.source_id)
        .outerjoin(Officer, Officer.id == picked.c.owner_id)
        .outerjoin(Directorate, Directorate.id == picked.c.directorate_id)
    )
    counted = select(
        literal_column("0"),
        *(null() for _ in range(len(_STATE_COLUMNS) + 5)),  # state, position, names, exempt
        func.count(),
        *extra,
    ).select_from(items)
    rows = connection.execute(union_all(listed, counted)).mappings().all()
    counts = next(row for row in rows if not int(row["is_item"]))
    return sorted((row for row in rows if int(row["is_item"])), key=lambda r: r["position"]), counts


def slipped_recommendations(
    connection: Connection, filters: Filters, limit: int = MAX_LIST_ROWS
) -> SlippedListing:
    """Slipped recommendations, the furthest slipped first (then the most revised).

    Columns: ref, source, owner, original_target_date, current_target_date,
    revision_count, days_slipped, status (its label), the exempt mark (domain.exempt: a
    Part 2 source's row, for downloads; not shown). Also counts those whose target has
    been revised twice or more.
    """
    as_at = filters.as_at
    f = filtered_state(connection, filters)
    slipped_by = func.coalesce(days_between(f.c.current_target_date, f.c.original_target_date), 0)
    rows, counts = _worst_first(
        connection,
        f,
        rules_sql.is_slipped(f, as_at),
        [(slipped_by, True), (f.c.revision_count, True), (f.c.id, False)],
        limit,
        lambda items: [
            func.coalesce(func.sum(case((items.c.revision_count >= 2, 1), else_=0)), 0).label(
                "twice"
            )
        ],
    )
    shown = [
        {
            "ref": row["ref"],
            "source": row["source"],
            "owner": row["owner"],
            "original_target_date": row["original_target_date"],
            "current_target_date": row["current_target_date"],
            "revision_count": int(row["revision_count"]),
            "days_slipped": rules.slip_days(facts_from_row(row)),
            "status": Status(row["status"]).label,
            EXEMPT_COLUMN: bool(row["exempt"]),
        }
        for row in rows
    ]
    dates = ("original_target_date", "current_target_date")
    return SlippedListing(
        listing_frame(shown, SLIPPED_COLUMNS, dates), int(counts["total"]), int(counts["twice"])
    )


def stale_recommendations(
    connection: Connection, filters: Filters, limit: int = MAX_LIST_ROWS
) -> Listing:
    """Open recommendations with no progress update for the stale threshold, oldest first.

    Columns: ref, source, owner, directorate, status (label), last_activity_on (the last
    update, or the day made when there is none), ever_updated, days_since_update, the
    exempt mark (domain.exempt).
    """
    as_at = filters.as_at
    f = filtered_state(connection, filters)
    rows, counts = _worst_first(
        connection,
        f,
        rules_sql.is_stale(f, as_at),
        [(rules_sql.last_activity_on(f), False), (f.c.id, False)],
        limit,
    )
    shown = []
    for row in rows:
        facts = facts_from_row(row)
        shown.append(
            {
                "ref": row["ref"],
                "source": row["source"],
                "owner": row["owner"],
                "directorate": row["directorate"],
                "status": Status(row["status"]).label,
                "last_activity_on": rules.last_activity_on(facts),
                "ever_updated": row["last_update_on"] is not None,
                "days_since_update": rules.days_since_update(facts, as_at),
                EXEMPT_COLUMN: bool(row["exempt"]),
            }
        )
    return Listing(listing_frame(shown, STALE_COLUMNS, ("last_activity_on",)), int(counts["total"]))
