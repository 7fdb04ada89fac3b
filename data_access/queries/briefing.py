"""The briefing pack for a committee's next meeting: everything the Word and PDF files say.

One named question, `briefing_contents`, answers what a scrutiny officer's paper to the
committee needs: the next meeting, the executive summary's counts, the items due back grouped
by source with their reasons and latest update, the committee's overdue summary, the RAG of
the items due back, and the filters used. It reuses the Next committee page's question
(`committee.due_back`) for the items, and counts everything else in SQL over the same
committee state (`committee.state_for_committee`), so the pack and the page cannot disagree.

Exempt (Part 2) items are left out unless the caller asks for them: the counts leave them out
too, and the contents say how many were left out, so the paper can say so without naming them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Date, case, false, func, literal, select, true

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import Directorate, Officer, Source
from data_access.queries.committee import due_back, not_exempt, state_for_committee
from data_access.sql_dates import days_between
from domain.formatting import long_date
from domain.rules import DueBackReason
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import RAG_ORDER, Priority, Rag, SourceKind, Status

__all__ = [
    "BRIEFING_MAX_ITEMS",
    "NO_DIRECTORATE",
    "BriefingContents",
    "BriefingItem",
    "DirectorateOverdue",
    "ExecutiveCounts",
    "SourceGroup",
    "briefing_contents",
    "filters_in_words",
]

# A paper lists at most this many items; beyond it the pack says how many were left off.
BRIEFING_MAX_ITEMS = 1000
NO_DIRECTORATE = "No directorate recorded"


@dataclass(frozen=True)
class BriefingItem:
    """One item due back, as the paper prints it."""

    ref: str
    wording: str
    owner: str | None
    status: str
    rag: str
    rag_reason: str
    current_target_date: date | None
    reasons: tuple[str, ...]
    latest_update_on: date | None
    latest_update_by: str | None
    latest_update: str | None
    exempt: bool


@dataclass(frozen=True)
class SourceGroup:
    """A source and its items due back, in the order the paper lists them."""

    source_id: int
    title: str
    kind: str
    issued: date
    exempt: bool
    items: tuple[BriefingItem, ...]


@dataclass(frozen=True)
class ExecutiveCounts:
    """The executive summary's numbers, for the committee's items in view."""

    recommendations: int
    open: int
    due_back: int
    by_reason: tuple[tuple[str, int], ...]
    implemented_since_last_meeting: int
    overdue: int
    slipped: int


@dataclass(frozen=True)
class DirectorateOverdue:
    """One row of the overdue summary: a directorate's overdue items by age."""

    directorate: str
    overdue: int
    by_bucket: tuple[int, ...]  # in AGEING_BUCKET_LABELS order
    longest_days: int


@dataclass(frozen=True)
class BriefingContents:
    """What the briefing pack says, frozen so it can be cached and rendered twice alike."""

    committee_id: int
    committee: str
    as_at: date
    next_meeting: date | None
    previous_meeting: date | None
    counts: ExecutiveCounts
    groups: tuple[SourceGroup, ...]
    # (RAG label, number of items due back), worst first.
    rag_counts: tuple[tuple[str, int], ...]
    # (ageing bucket label, number of overdue items), youngest first.
    overdue_by_bucket: tuple[tuple[str, int], ...]
    overdue_by_directorate: tuple[DirectorateOverdue, ...]
    filter_lines: tuple[tuple[str, str], ...]
    include_exempt: bool
    # Exempt items due back: left out of the pack (include_exempt False) or listed in it.
    exempt_due_back: int

    @property
    def items_listed(self) -> int:
        return sum(len(group.items) for group in self.groups)

    @property
    def is_truncated(self) -> bool:
        return self.counts.due_back > self.items_listed

    @property
    def exempt_left_out(self) -> int:
        return 0 if self.include_exempt else self.exempt_due_back

    @property
    def has_exempt_items(self) -> bool:
        """True when the pack lists any exempt item, so every page must carry the marker."""
        return self.include_exempt and self.exempt_due_back > 0


def _how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def briefing_contents(
    connection: Connection, filters: Filters, committee_id: int, include_exempt: bool = False
) -> BriefingContents:
    """The briefing pack for `committee_id`'s next meeting as at `filters.as_at`.

    Every shared filter applies except the committee filter (as on the Next committee page).
    Exempt items, and their counts, are left out unless `include_exempt`.
    """
    as_at = filters.as_at
    listing = due_back(
        connection, filters, committee_id, include_exempt=include_exempt, limit=BRIEFING_MAX_ITEMS
    )
    state = state_for_committee(connection, committee_id, filters)
    in_scope = true() if include_exempt else not_exempt(state)
    meeting = literal(listing.next_meeting, Date()) if listing.next_meeting else None
    due = (
        rules_sql.is_due_back(state, meeting, as_at)
        if meeting is not None
        else false()  # no meeting ahead: nothing is due back
    )
    completed_on = state.c.first_completed_on
    since = (
        completed_on > listing.previous_meeting
        if listing.previous_meeting is not None
        else completed_on.isnot(None)
    )
    rag = rules_sql.rag(state, as_at)
    bucket = rules_sql.ageing_bucket(state, as_at)
    row = (
        connection.execute(
            select(
                _how_many(in_scope).label("recommendations"),
                _how_many(in_scope & rules_sql.is_open(state)).label("open"),
                _how_many(
                    in_scope & rules_sql.is_complete(state) & since & (completed_on <= as_at)
                ).label("implemented_since"),
                _how_many(in_scope & rules_sql.is_overdue(state, as_at)).label("overdue"),
                _how_many(in_scope & rules_sql.is_slipped(state, as_at)).label("slipped"),
                _how_many(due & ~not_exempt(state)).label("exempt_due_back"),
                *[
                    _how_many(in_scope & due & (rag == value.value)).label(f"rag_{value.value}")
                    for value in RAG_ORDER
                ],
                *[
                    _how_many(in_scope & (bucket == label)).label(f"bucket_{index}")
                    for index, label in enumerate(AGEING_BUCKET_LABELS)
                ],
            ).select_from(state)
        )
        .one()
        ._mapping
    )
    counts = ExecutiveCounts(
        recommendations=int(row["recommendations"]),
        open=int(row["open"]),
        due_back=listing.total,
        by_reason=listing.reason_counts or tuple((reason.label, 0) for reason in DueBackReason),
        implemented_since_last_meeting=int(row["implemented_since"]),
        overdue=int(row["overdue"]),
        slipped=int(row["slipped"]),
    )
    return BriefingContents(
        committee_id=committee_id,
        committee=listing.committee_name,
        as_at=as_at,
        next_meeting=listing.next_meeting,
        previous_meeting=listing.previous_meeting,
        counts=counts,
        groups=_groups(listing.items),
        rag_counts=tuple((value.label, int(row[f"rag_{value.value}"])) for value in RAG_ORDER),
        overdue_by_bucket=tuple(
            (label, int(row[f"bucket_{index}"])) for index, label in enumerate(AGEING_BUCKET_LABELS)
        ),
        overdue_by_directorate=_overdue_by_directorate(connection, state, as_at, include_exempt),
        filter_lines=filters_in_words(connection, filters),
        include_exempt=include_exempt,
        exempt_due_back=int(row["exempt_due_back"]),
    )


def _overdue_by_directorate(
    connection: Connection, state, as_at: date, include_exempt: bool
) -> tuple[DirectorateOverdue, ...]:
    """The committee's overdue items (`state`, from `state_for_committee`) per directorate,
    by age; most overdue first."""
    bucket = rules_sql.ageing_bucket(state, as_at)
    name = func.coalesce(Directorate.name, NO_DIRECTORATE)
    query = (
        select(
            name.label("directorate"),
            func.count().label("overdue"),
            *[_how_many(bucket == label) for label in AGEING_BUCKET_LABELS],
            func.max(days_between(literal(as_at, Date()), state.c.current_target_date)),
        )
        .select_from(state.outerjoin(Directorate, Directorate.id == state.c.directorate_id))
        .where(rules_sql.is_overdue(state, as_at))
        .group_by(name)
    )
    if not include_exempt:
        query = query.where(not_exempt(state))
    rows = connection.execute(query).all()
    found = [
        DirectorateOverdue(
            directorate=row[0],
            overdue=int(row[1]),
            by_bucket=tuple(int(number) for number in row[2:-1]),
            longest_days=int(row[-1] or 0),
        )
        for row in rows
    ]
    return tuple(sorted(found, key=lambda d: (-d.overdue, d.directorate.lower())))


def _optional(value: object) -> object | None:
    return None if value is None or pd.isna(value) else value


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _groups(items: pd.DataFrame) -> tuple[SourceGroup, ...]:
    """The listed items grouped by source, keeping the query's order (oldest source first)."""
    groups: list[SourceGroup] = []
    current: list[BriefingItem] = []
    first = None
    for item in items.itertuples(index=False):
        if first is not None and item.source_id != first.source_id:
            groups.append(_group(first, current))
            current = []
        if not current:
            first = item
        current.append(
            BriefingItem(
                ref=str(item.ref),
                wording=str(item.wording),
                owner=_optional(item.owner),
                status=str(item.status),
                rag=str(item.rag),
                rag_reason=str(item.rag_reason),
                current_target_date=_day(item.current_target_date),
                reasons=tuple(str(item.reasons).split("; ")) if item.reasons else (),
                latest_update_on=_day(item.latest_update_on),
                latest_update_by=_optional(item.latest_update_by),
                latest_update=_optional(item.latest_update),
                exempt=bool(item.source_exempt),
            )
        )
    if first is not None:
        groups.append(_group(first, current))
    return tuple(groups)


def _group(first, items: list[BriefingItem]) -> SourceGroup:
    return SourceGroup(
        source_id=int(first.source_id),
        title=str(first.source_title),
        kind=str(first.source_kind),
        issued=_day(first.source_issued),
        exempt=bool(first.source_exempt),
        items=tuple(items),
    )


def _names(connection: Connection, column, ids: tuple[int, ...]) -> str:
    table = column.class_
    found = dict(connection.execute(select(table.id, column).where(table.id.in_(ids))).all())
    return ", ".join(str(found.get(i, f"#{i}")) for i in ids)


def filters_in_words(connection: Connection, filters: Filters) -> tuple[tuple[str, str], ...]:
    """The filters used, as (name, value) lines for the appendix; the committee filter is
    replaced by the pack's own committee, so it is not listed."""
    lines: list[tuple[str, str]] = [("As at", long_date(filters.as_at))]
    if filters.source_ids:
        lines.append(("Source", _names(connection, Source.title, filters.source_ids)))
    if filters.source_kinds:
        kinds = ", ".join(SourceKind(kind).label for kind in filters.source_kinds)
        lines.append(("Source kind", kinds))
    if filters.directorate_ids:
        names = _names(connection, Directorate.name, filters.directorate_ids)
        lines.append(("Directorate", names))
    if filters.owner_ids:
        lines.append(("Owner", _names(connection, Officer.name, filters.owner_ids)))
    if filters.statuses:
        lines.append(("Status", ", ".join(Status(s).label for s in filters.statuses)))
    if filters.rags:
        lines.append(("RAG", ", ".join(Rag(r).label for r in filters.rags)))
    if filters.priorities:
        lines.append(("Priority", ", ".join(Priority(p).label for p in filters.priorities)))
    if filters.target_from is not None:
        lines.append(("Target date from", long_date(filters.target_from)))
    if filters.target_to is not None:
        lines.append(("Target date to", long_date(filters.target_to)))
    if filters.search.strip():
        lines.append(("Search", filters.search.strip()))
    return tuple(lines)
