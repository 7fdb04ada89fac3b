"""The next committee: which items must come back to a committee's next meeting, and why.

The scrutiny officer's briefing question (DOMAIN.md, "Due back at the next committee"): for one
committee, as at a date, what is its next meeting, and which recommendations must be reported
to it, with every reason that applies and the latest word from the officers. The reasons are
the `rules_sql.due_for_*` expressions, evaluated in the database; only the listed rows (at most
`MAX_ITEMS`) come back to Python, with their latest progress update fetched in one query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Date, case, func, literal, select

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import Committee, Officer, ProgressUpdate, Recommendation, Source
from data_access.state import (
    facts_from_row,
    filtered_state,
    meeting_dates,
    needs_replay,
    next_meetings,
)
from domain.rules import DueBackReason, next_meeting, rag_rating
from domain.vocabulary import Confidentiality, Rag, SourceKind

__all__ = [
    "ITEM_COLUMNS",
    "MAX_ITEMS",
    "CommitteeChoice",
    "DueBack",
    "committee_choices",
    "default_committee",
    "state_for_committee",
    "due_back",
    "due_back_by_committee",
    "not_exempt",
]

# A briefing lists at most this many items; the page states the total.
MAX_ITEMS = 500

# The SQL column that carries each reason's flag, in the rules' order (DOMAIN.md 1–5).
_REASON_COLUMNS: dict[DueBackReason, str] = {
    DueBackReason.REPORT_BACK: "due_report_back",
    DueBackReason.TARGET_BY_MEETING: "due_target",
    DueBackReason.OVERDUE: "due_overdue",
    DueBackReason.AWAITING_SIGN_OFF: "due_sign_off",
    DueBackReason.RESPONSE_DUE: "due_response",
}

# What `DueBack.items` holds, one row per listed recommendation, grouped by source.
ITEM_COLUMNS = (
    "id",
    "source_id",
    "source_title",
    "source_kind",
    "source_issued",
    "source_exempt",
    "ref",
    "wording",
    "owner",
    "status",
    "rag",
    "rag_reason",
    "current_target_date",
    "reasons",
    "latest_update",
    "latest_update_on",
    "latest_update_by",
)


@dataclass(frozen=True)
class CommitteeChoice:
    """A committee the page can brief on, with its next meeting as at the chosen date."""

    id: int
    name: str
    next_meeting: date | None
    retired: bool = False


@dataclass(frozen=True)
class DueBack:
    """Everything the Next committee page shows for one committee as at one date."""

    committee_id: int
    committee_name: str
    as_at: date
    next_meeting: date | None
    previous_meeting: date | None
    total: int = 0
    # (reason label, number of items with that reason), in the rules' order.
    reason_counts: tuple[tuple[str, int], ...] = ()
    items: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=ITEM_COLUMNS), compare=False
    )

    @property
    def is_truncated(self) -> bool:
        return self.total > len(self.items)


def committee_choices(connection: Connection, as_at: date) -> tuple[CommitteeChoice, ...]:
    """Every committee by name, with its next meeting and whether it is retired, so the page
    can offer (current ones by default) and default."""
    upcoming = next_meetings(as_at)
    rows = connection.execute(
        select(
            Committee.id,
            Committee.name,
            upcoming.c.next_meeting,
            Committee.retired_on.is_not(None).label("retired"),
        )
        .outerjoin(upcoming, upcoming.c.committee_id == Committee.id)
        .order_by(Committee.name, Committee.id)
    ).all()
    return tuple(
        CommitteeChoice(row.id, row.name, row.next_meeting, bool(row.retired)) for row in rows
    )


def due_back_by_committee(connection: Connection, filters: Filters) -> pd.DataFrame:
    """How many items in view are due back at each committee's next meeting.

    Columns committee_id, committee, next_meeting, items: one row per committee with a
    meeting ahead, soonest first. The counts add up to the Overview's "Due back" tile.
    """
    as_at = filters.as_at
    state = filtered_state(connection, filters)
    upcoming = next_meetings(as_at)
    due = rules_sql.is_due_back(state, upcoming.c.next_meeting, as_at)
    counted = (
        select(state.c.committee_id, func.count().label("due_items"))
        .select_from(state.join(upcoming, upcoming.c.committee_id == state.c.committee_id))
        .where(due)
        .group_by(state.c.committee_id)
        .subquery("counted")
    )
    rows = connection.execute(
        select(
            Committee.id,
            Committee.name,
            upcoming.c.next_meeting,
            func.coalesce(counted.c.due_items, 0),
        )
        .join(upcoming, upcoming.c.committee_id == Committee.id)
        .outerjoin(counted, counted.c.committee_id == Committee.id)
        .order_by(upcoming.c.next_meeting, Committee.name)
    ).all()
    frame = pd.DataFrame(
        [tuple(row) for row in rows], columns=["committee_id", "committee", "next_meeting", "items"]
    )
    frame["next_meeting"] = pd.to_datetime(frame["next_meeting"])
    frame["items"] = frame["items"].astype(int)
    return frame


def default_committee(
    choices: Sequence[CommitteeChoice],
    sidebar_committee_ids: Iterable[int] = (),
    with_items: Iterable[int] | None = None,
) -> int | None:
    """The committee to brief on when none is chosen.

    The one picked in the shared Committee filter if exactly one is; otherwise the committee
    meeting soonest (ties by name) among those with items due back (`with_items`, when
    given and any has); otherwise, when no committee has a meeting ahead, the first by name.
    None only when there are no committees at all.
    """
    known = {choice.id for choice in choices}
    picked = [committee_id for committee_id in sidebar_committee_ids if committee_id in known]
    if len(picked) == 1:
        return picked[0]
    busy = set(with_items or ())
    if any(choice.id in busy for choice in choices):
        choices = [choice for choice in choices if choice.id in busy]
    meeting = [choice for choice in choices if choice.next_meeting is not None]
    if meeting:
        return min(meeting, key=lambda c: (c.next_meeting, c.name.lower(), c.id)).id
    return choices[0].id if choices else None


def state_for_committee(connection: Connection, committee_id: int, filters: Filters):
    """One committee's recommendations as at `filters.as_at`, narrowed by the other filters.

    The page's (or the briefing pack's) committee replaces the shared committee filter; every
    other filter applies. When the date needs a replay, the state is a materialised CTE, so
    the several rules that read it do not each repeat the replay. A building block (a
    selectable), not a named question: hence the committee before the filters.
    """
    state = filtered_state(connection, filters.with_changes(committee_ids=(committee_id,)))
    if needs_replay(connection, filters.as_at):
        state = _evaluated_once(connection, state)
    return state


def not_exempt(state):
    """Rows whose source is public: exempt (Part 2) items never reach a public paper."""
    return state.c.confidentiality != Confidentiality.EXEMPT.value


def due_back(
    connection: Connection,
    filters: Filters,
    committee_id: int,
    *,
    include_exempt: bool = True,
    limit: int | None = None,
) -> DueBack:
    """The items due back at `committee_id`'s next meeting as at `filters.as_at`.

    Every shared filter applies except the committee filter: the page's own committee choice
    decides which committee is briefed on. The page lists exempt items with their marker;
    a public briefing pack asks without them (`include_exempt=False`), and then the totals
    leave them out too. At most `limit` rows are listed (default `MAX_ITEMS`).
    """
    as_at = filters.as_at
    name = connection.execute(
        select(Committee.name).where(Committee.id == committee_id)
    ).scalar_one()
    dates = meeting_dates(connection, committee_id)
    next_on = next_meeting(dates, as_at)
    earlier = [day for day in dates if day < as_at]
    previous = max(earlier) if earlier else None
    if next_on is None:
        return DueBack(committee_id, name, as_at, None, previous)

    state = state_for_committee(connection, committee_id, filters)
    meeting = literal(next_on, Date())
    flags = _reason_flags(state, meeting, as_at)
    rows = connection.execute(
        select(*_listed_columns(state, as_at), *_reason_columns(flags))
        .join(Source, Source.id == state.c.source_id)
        .join(Recommendation, Recommendation.id == state.c.id)
        .outerjoin(Officer, Officer.id == state.c.owner_id)
        .where(
            rules_sql.is_due_back(state, meeting, as_at),
            *([] if include_exempt else [not_exempt(state)]),
        )
        .order_by(Source.date_issued, Source.title, Source.id, state.c.id)
        .limit(MAX_ITEMS if limit is None else limit)
    ).all()

    latest = _latest_updates(connection, [row.id for row in rows], as_at)
    items = pd.DataFrame(
        [_item(row, latest.get(row.id), as_at) for row in rows], columns=ITEM_COLUMNS
    )
    for column in ("source_issued", "current_target_date", "latest_update_on"):
        items[column] = pd.to_datetime(items[column])
    return DueBack(
        committee_id,
        name,
        as_at,
        next_on,
        previous,
        total=rows[0].total if rows else 0,
        reason_counts=tuple(
            (reason.label, int(getattr(rows[0], f"{column}_count")) if rows else 0)
            for reason, column in _REASON_COLUMNS.items()
        ),
        items=items,
    )


def _reason_flags(state, meeting, as_at: date) -> dict[DueBackReason, ColumnElement[bool]]:
    """Each reason's rule (rules_sql) for the meeting, in the rules' order (DOMAIN.md 1–5)."""
    return {
        DueBackReason.REPORT_BACK: rules_sql.due_for_report_back(state, meeting),
        DueBackReason.TARGET_BY_MEETING: rules_sql.due_for_target(state, meeting),
        DueBackReason.OVERDUE: rules_sql.due_for_overdue(state, meeting, as_at),
        DueBackReason.AWAITING_SIGN_OFF: rules_sql.due_for_sign_off(state, meeting),
        DueBackReason.RESPONSE_DUE: rules_sql.due_for_response(state, meeting),
    }


def _listed_columns(state, as_at: date) -> list[ColumnElement[Any]]:
    """What each listed row carries: its source, wording, owner, RAG, and the state the RAG
    reason is worked out from (`facts_from_row`)."""
    return [
        state.c.id,
        state.c.source_id,
        Source.title.label("source_title"),
        Source.kind.label("source_kind"),
        Source.date_issued.label("source_issued"),
        Source.confidentiality,
        state.c.ref,
        Recommendation.wording,
        Officer.name.label("owner"),
        state.c.owner_id,
        state.c.status,
        rules_sql.rag(state, as_at).label("rag"),
        state.c.made_on,
        state.c.acceptance,
        state.c.original_target_date,
        state.c.current_target_date,
        state.c.revision_count,
        state.c.last_update_on,
        state.c.report_back_pending,
        state.c.response_due_on,
    ]


def _reason_columns(
    flags: dict[DueBackReason, ColumnElement[bool]],
) -> list[ColumnElement[Any]]:
    """Each reason's flag on the row, then the totals over every item due back.

    The totals count every item due back, not just the rows returned: window aggregates run
    before LIMIT, so one pass over the (possibly replayed) state does for both."""
    return [
        *[flag.label(_REASON_COLUMNS[reason]) for reason, flag in flags.items()],
        func.count().over().label("total"),
        *[
            func.sum(case((flag, 1), else_=0)).over().label(f"{_REASON_COLUMNS[reason]}_count")
            for reason, flag in flags.items()
        ],
    ]


# The state columns the reasons, the RAG and the listed rows need.
_STATE_COLUMNS = (
    "id",
    "source_id",
    "owner_id",
    "ref",
    "status",
    "made_on",
    "acceptance",
    "original_target_date",
    "current_target_date",
    "revision_count",
    "last_update_on",
    "report_back_pending",
    "response_due_on",
    # For the briefing pack's counts: which items are exempt, when each was first done,
    # and whose directorate it is.
    "confidentiality",
    "first_completed_on",
    "directorate_id",
)


def _evaluated_once(connection: Connection, state):
    """The replayed state as a materialised CTE, so each replay subquery runs once per row.

    Left as a subquery, the database copies the replay's correlated subqueries into every rule
    that reads a column (status is read by most of them), and a past as-at date at 200,000
    recommendations takes about twice as long. Only needed when replaying: the current-state
    columns are plain columns.
    """
    narrow = select(*[state.c[name] for name in _STATE_COLUMNS]).cte("committee_state")
    return narrow.prefix_with("MATERIALIZED") if _can_materialize(connection) else narrow


def _can_materialize(connection: Connection) -> bool:
    """`AS MATERIALIZED` is understood by PostgreSQL 12+ and SQLite 3.35+."""
    dialect = connection.dialect
    if dialect.name == "postgresql":
        return (dialect.server_version_info or (0,)) >= (12,)
    if dialect.name == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 35, 0)
    return False


def _latest_updates(
    connection: Connection, recommendation_ids: list[int], as_at: date
) -> dict[int, tuple[date, str, str]]:
    """Each listed item's latest progress update on or before `as_at`: (date, author, text).

    One query for all of them; ROW_NUMBER runs on SQLite (3.25+) and PostgreSQL alike. Ties on
    the same day go to the update recorded last (the higher id).
    """
    if not recommendation_ids:
        return {}
    u = ProgressUpdate
    ranked = (
        select(
            u.recommendation_id,
            u.update_date,
            u.author,
            u.narrative,
            func.row_number()
            .over(partition_by=u.recommendation_id, order_by=(u.update_date.desc(), u.id.desc()))
            .label("newest_first"),
        )
        .where(u.recommendation_id.in_(recommendation_ids), u.update_date <= as_at)
        .subquery("ranked_updates")
    )
    rows = connection.execute(
        select(
            ranked.c.recommendation_id, ranked.c.update_date, ranked.c.author, ranked.c.narrative
        ).where(ranked.c.newest_first == 1)
    ).all()
    return {row.recommendation_id: (row.update_date, row.author, row.narrative) for row in rows}


def _item(row, latest: tuple[date, str, str] | None, as_at: date) -> dict[str, object]:
    """One listed row as the page shows it: labels, the RAG reason and the reasons in words."""
    facts = facts_from_row(row._mapping)
    update_on, author, narrative = latest or (None, None, None)
    return {
        "id": row.id,
        "source_id": row.source_id,
        "source_title": row.source_title,
        "source_kind": SourceKind(row.source_kind).label,
        "source_issued": row.source_issued,
        "source_exempt": row.confidentiality == Confidentiality.EXEMPT.value,
        "ref": row.ref,
        "wording": row.wording,
        "owner": row.owner,
        "status": facts.status.label,
        "rag": Rag(row.rag).label,
        "rag_reason": rag_rating(facts, as_at).reason,
        "current_target_date": row.current_target_date,
        "reasons": "; ".join(
            reason.label for reason, column in _REASON_COLUMNS.items() if getattr(row, column)
        ),
        "latest_update": narrative,
        "latest_update_on": update_on,
        "latest_update_by": author,
    }
