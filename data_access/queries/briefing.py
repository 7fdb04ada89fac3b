"""The briefing pack for a committee's next meeting: the named questions behind it.

`briefing_contents` answers what a scrutiny officer's paper to the committee needs: the next
meeting, the summary's counts, the items due back grouped by source with their reasons and
latest update, the committee's overdue summary, the RAG of the items due back, and the
filters used. It reuses the Next committee page's question (`committee.due_back`) for the
items, and counts everything else in SQL over the same committee state
(`committee.state_for_committee`), so the pack and the page cannot disagree. The answer is
typed (`domain.briefing`); the words and files are made in `exports/`.

`report_details` reads the fields the clerk filled in for the committee (written by
`data_access.committee_settings.save_report_details`).

Exempt (Part 2) items are left out unless the caller asks for them: the counts leave them out
too, and the contents say how many were left out, so the paper can say so without naming them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Date, case, false, func, literal, select, true

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import CommitteeReportSettings, Directorate, Officer, Source
from data_access.queries.committee import due_back, not_exempt, state_for_committee
from data_access.sql_dates import days_between
from domain.briefing import (
    NO_DIRECTORATE,
    REPORT_DETAIL_FIELDS,
    BriefingContents,
    BriefingItem,
    DirectorateOverdue,
    ExecutiveCounts,
    ReportDetails,
    SourceGroup,
)
from domain.formatting import long_date
from domain.rules import DueBackReason
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import RAG_ORDER, Priority, Rag, SourceKind, Status

__all__ = [
    "BRIEFING_MAX_ITEMS",
    "briefing_contents",
    "filters_in_words",
    "report_details",
]

# A paper lists at most this many items; beyond it the pack says how many were left off.
BRIEFING_MAX_ITEMS = 1000
# The listing gives RAG and status as their labels; the pack keeps them typed.
_RAG_OF_LABEL = {value.label: value for value in Rag}
_STATUS_OF_LABEL = {value.label: value for value in Status}


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
        awaiting_sign_off=dict(listing.reason_counts).get(DueBackReason.AWAITING_SIGN_OFF.label, 0),
    )
    return BriefingContents(
        committee_id=committee_id,
        committee=listing.committee_name,
        as_at=as_at,
        next_meeting=listing.next_meeting,
        previous_meeting=listing.previous_meeting,
        counts=counts,
        groups=_groups(listing.items, _source_details(connection, listing.items)),
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


def _source_details(connection: Connection, items: pd.DataFrame) -> dict[int, tuple]:
    """(accountable director, document link) of each listed source, for the paper."""
    ids = sorted({int(i) for i in items["source_id"]}) if not items.empty else []
    if not ids:
        return {}
    rows = connection.execute(
        select(Source.id, Source.accountable_director, Source.document_url).where(
            Source.id.in_(ids)
        )
    ).all()
    return {row.id: (row.accountable_director, row.document_url) for row in rows}


def _groups(items: pd.DataFrame, details: dict[int, tuple]) -> tuple[SourceGroup, ...]:
    """The listed items grouped by source, keeping the query's order (oldest source first)."""
    groups: list[SourceGroup] = []
    current: list[BriefingItem] = []
    first = None
    for item in items.itertuples(index=False):
        if first is not None and item.source_id != first.source_id:
            groups.append(_group(first, current, details))
            current = []
        if not current:
            first = item
        current.append(
            BriefingItem(
                ref=str(item.ref),
                wording=str(item.wording),
                owner=_optional(item.owner),
                status=_STATUS_OF_LABEL[str(item.status)],
                rag=_RAG_OF_LABEL[str(item.rag)],
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
        groups.append(_group(first, current, details))
    return tuple(groups)


def _group(first, items: list[BriefingItem], details: dict[int, tuple]) -> SourceGroup:
    director, url = details.get(int(first.source_id), (None, None))
    return SourceGroup(
        source_id=int(first.source_id),
        title=str(first.source_title),
        kind=str(first.source_kind),
        issued=_day(first.source_issued),
        exempt=bool(first.source_exempt),
        items=tuple(items),
        accountable_director=director or None,
        document_url=url or None,
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
    if filters.excluded_source_ids:
        left_out = _names(connection, Source.title, filters.excluded_source_ids)
        lines.append(("Sources left out", left_out))
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


def report_details(connection: Connection, committee_id: int) -> ReportDetails:
    """What the clerk saved for this committee's report; all blank (the defaults) if nothing."""
    names = [field.name for field in REPORT_DETAIL_FIELDS]
    table = CommitteeReportSettings.__table__
    row = connection.execute(
        select(*[table.c[name] for name in names]).where(table.c.committee_id == committee_id)
    ).first()
    if row is None:
        return ReportDetails()
    return ReportDetails(**{name: row._mapping[name] or "" for name in names})
