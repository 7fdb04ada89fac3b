"""Every recommendation's state as at a date, as one SQL selectable that pages build on.

When the as-at date is on or after the latest progress update (the usual case: today), the
current-state columns of `recommendations` are already right and are read directly. For an
earlier date the state is replayed from the updates in SQL, following domain/replay.py.
Either way the result has the same columns, so every named query works as at any date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import (
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    RecommendationChange,
    Source,
)
from data_access.sql_dates import text_as_date
from domain.rules import RecommendationFacts
from domain.settings import DEFAULT_THRESHOLDS, Thresholds
from domain.vocabulary import REPORT_BACK_COMMITMENTS, Acceptance, Confidentiality, Status

_COMMITMENTS = [r.value for r in REPORT_BACK_COMMITMENTS]
_COMPLETE = [Status.IMPLEMENTED.value, Status.CLOSED.value]
_PENDING_ALLOWED = [Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.IMPLEMENTED.value]


def latest_update_on(connection: Connection) -> date | None:
    return connection.execute(select(func.max(ProgressUpdate.update_date))).scalar()


def needs_replay(connection: Connection, as_at: date) -> bool:
    latest = latest_update_on(connection)
    return latest is not None and as_at < latest


def needs_edit_replay(connection: Connection, as_at: date) -> bool:
    """Whether any edit made in the app took effect after `as_at` (else no edit replay)."""
    found = connection.execute(
        select(RecommendationChange.id)
        .where(
            RecommendationChange.effective_on > as_at,
            RecommendationChange.field.in_(list(_EDITED_COLUMNS)),
        )
        .limit(1)
    ).first()
    return found is not None


def _acceptance_as_at(as_at: date, acceptance=None, accepted_on=None):
    r = Recommendation
    acceptance = r.acceptance if acceptance is None else acceptance
    accepted_on = r.accepted_on if accepted_on is None else accepted_on
    return case(
        (
            and_(acceptance != Acceptance.AWAITING_RESPONSE.value, accepted_on > as_at),
            literal(Acceptance.AWAITING_RESPONSE.value),
        ),
        else_=acceptance,
    )


# The recommendation columns edited in the app, and how their stored text reads back.
_EDITED_COLUMNS = {
    "wording": lambda text: text,
    "owner_id": lambda text: cast(text, Integer),
    "directorate_id": lambda text: cast(text, Integer),
    "priority": lambda text: text,
    "acceptance": lambda text: text,
    "accepted_on": text_as_date,
    "accepted_in_principle": lambda text: cast(cast(text, Integer), Boolean),
}


def _edited_columns(as_at: date) -> dict[str, object]:
    """Each edited column as it stood on `as_at`: the value before its first change that took
    effect after that day, or the row's value when none did (decision: edits as change
    records). Only recommendations with such a change are looked at: the CASE evaluates the
    correlated subqueries for those rows alone, as the replay of updates does."""
    r = Recommendation
    c = aliased(RecommendationChange)
    edited_since = (
        select(RecommendationChange.recommendation_id)
        .where(
            RecommendationChange.effective_on > as_at,
            RecommendationChange.field.in_(list(_EDITED_COLUMNS)),
        )
        .scalar_subquery()
    )
    columns: dict[str, object] = {}
    for name, read_back in _EDITED_COLUMNS.items():
        later = (c.recommendation_id == r.id, c.field == name, c.effective_on > as_at)
        before_first = (
            select(c.old_value)
            .where(*later)
            .order_by(c.effective_on, c.id)
            .limit(1)
            .correlate(r)
            .scalar_subquery()
        )
        current = getattr(r, name)
        columns[name] = case(
            (
                and_(r.id.in_(edited_since), exists().where(*later).correlate(r)),
                read_back(before_first),
            ),
            else_=current,
        )
    return columns


def _replayed_columns(as_at: date) -> dict[str, object]:
    """Correlated subqueries that replay the updates up to `as_at` (see domain/replay.py)."""
    r = Recommendation
    u = aliased(ProgressUpdate)

    def latest(column, *conditions):
        return (
            select(column)
            .where(u.recommendation_id == r.id, u.update_date <= as_at, *conditions)
            .order_by(u.update_date.desc(), u.id.desc())
            .limit(1)
            .correlate(r)
            .scalar_subquery()
        )

    status = func.coalesce(latest(u.new_status, u.new_status.isnot(None)), Status.NOT_STARTED.value)
    target = func.coalesce(
        latest(u.new_target_date, u.new_target_date.isnot(None)), r.original_target_date
    )
    revisions = (
        select(func.count())
        .where(u.recommendation_id == r.id, u.update_date <= as_at, u.new_target_date.isnot(None))
        .scalar_subquery()
    )
    last_update = (
        select(func.max(u.update_date))
        .where(u.recommendation_id == r.id, u.update_date <= as_at)
        .scalar_subquery()
    )
    # The latest update that said anything about reporting back decides the commitment;
    # a later update reported to a meeting (saying nothing new about it) discharges it.
    latest_word = latest(u.report_back, u.report_back.isnot(None))
    latest_word_on = latest(u.update_date, u.report_back.isnot(None))
    later = aliased(ProgressUpdate)
    discharged = (
        exists()
        .where(
            later.recommendation_id == r.id,
            later.update_date <= as_at,
            later.update_date > latest_word_on,
            later.meeting_id.isnot(None),
            later.report_back.is_(None),
        )
        .correlate(r)
    )
    pending = and_(latest_word.in_(_COMMITMENTS), ~discharged)
    first_completed = (
        select(func.min(u.update_date))
        .where(u.recommendation_id == r.id, u.update_date <= as_at, u.new_status.in_(_COMPLETE))
        .scalar_subquery()
    )
    return {
        "status": status,
        "current_target_date": target,
        "revision_count": revisions,
        "last_update_on": last_update,
        "report_back_pending_raw": pending,
        "first_completed_on": first_completed,
    }


def recommendation_state(connection: Connection, as_at: date):
    """A subquery: one row per recommendation made on or before `as_at`, with its state then.

    Wording, owner, directorate, priority and acceptance are those in force on `as_at`: an
    edit made in the app that took effect later is undone here (`_edited_columns`).

    Columns: id, source_id, committee_id, directorate_id, owner_id, priority, ref, wording,
    made_on, acceptance, accepted_on, accepted_in_principle, original_target_date, status,
    current_target_date, revision_count, last_update_on, first_completed_on,
    report_back_pending, response_due_on, source_kind, confidentiality.
    """
    r = Recommendation
    current = {
        "status": r.status,
        "current_target_date": r.current_target_date,
        "revision_count": r.revision_count,
        "last_update_on": r.last_update_on,
        "report_back_pending_raw": r.report_back_since.isnot(None),
        "first_completed_on": r.first_completed_on,
    }
    if needs_replay(connection, as_at):
        # An item with no update after the date stood then as it stands now: only items
        # changed since are replayed (CASE evaluates the replay for those rows alone).
        unchanged_since = or_(r.last_update_on.is_(None), r.last_update_on <= as_at)
        columns = {
            name: case((unchanged_since, current[name]), else_=replayed)
            for name, replayed in _replayed_columns(as_at).items()
        }
    else:
        columns = current
    if needs_edit_replay(connection, as_at):
        edited = _edited_columns(as_at)
    else:
        edited = {name: getattr(r, name) for name in _EDITED_COLUMNS}
    status = columns["status"]
    target = columns["current_target_date"]
    revisions = columns["revision_count"]
    last_update = columns["last_update_on"]
    pending_raw = columns["report_back_pending_raw"]
    first_completed = columns["first_completed_on"]
    inner = (
        select(
            r.id,
            r.source_id,
            r.committee_id,
            edited["directorate_id"].label("directorate_id"),
            edited["owner_id"].label("owner_id"),
            edited["priority"].label("priority"),
            r.ref,
            edited["wording"].label("wording"),
            r.made_on,
            _acceptance_as_at(as_at, edited["acceptance"], edited["accepted_on"]).label(
                "acceptance"
            ),
            edited["accepted_on"].label("accepted_on"),
            edited["accepted_in_principle"].label("accepted_in_principle"),
            r.original_target_date,
            status.label("status"),
            target.label("current_target_date"),
            revisions.label("revision_count"),
            last_update.label("last_update_on"),
            first_completed.label("first_completed_on"),
            case((pending_raw, literal(True)), else_=false()).label("report_back_pending_raw"),
            Source.response_due_on,
            Source.kind.label("source_kind"),
            Source.confidentiality,
        )
        .join(Source, Source.id == r.source_id)
        .where(r.made_on <= as_at)
    ).subquery("state_raw")
    return select(
        *[c for c in inner.c if c.name != "report_back_pending_raw"],
        and_(inner.c.report_back_pending_raw, inner.c.status.in_(_PENDING_ALLOWED)).label(
            "report_back_pending"
        ),
    ).subquery("state")


def next_meetings(as_at: date):
    """A subquery: each committee's next meeting date on or after `as_at`."""
    return (
        select(Meeting.committee_id, func.min(Meeting.meeting_date).label("next_meeting"))
        .where(Meeting.meeting_date >= as_at)
        .group_by(Meeting.committee_id)
        .subquery("next_meetings")
    )


def meeting_dates(connection: Connection, committee_id: int) -> list[date]:
    """Every meeting date of a committee, in date order."""
    return list(
        connection.execute(
            select(Meeting.meeting_date)
            .where(Meeting.committee_id == committee_id)
            .order_by(Meeting.meeting_date)
        ).scalars()
    )


def apply_filters(
    query: Select, state, filters: Filters, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Select:
    """Narrow a query over `state` by the shared filters (all of them, in SQL)."""
    s = state.c
    conditions = []
    if filters.committee_ids:
        conditions.append(s.committee_id.in_(filters.committee_ids))
    if filters.source_ids:
        conditions.append(s.source_id.in_(filters.source_ids))
    if filters.excluded_source_ids:
        conditions.append(s.source_id.not_in(filters.excluded_source_ids))
    if filters.source_kinds:
        conditions.append(s.source_kind.in_(filters.source_kinds))
    if filters.directorate_ids:
        conditions.append(s.directorate_id.in_(filters.directorate_ids))
    if filters.owner_ids:
        conditions.append(s.owner_id.in_(filters.owner_ids))
    if filters.statuses:
        conditions.append(s.status.in_(filters.statuses))
    if filters.priorities:
        conditions.append(s.priority.in_(filters.priorities))
    if filters.rags:
        conditions.append(rules_sql.rag(state, filters.as_at, thresholds).in_(filters.rags))
    if filters.target_from is not None:
        conditions.append(s.current_target_date >= filters.target_from)
    if filters.target_to is not None:
        conditions.append(s.current_target_date <= filters.target_to)
    if filters.withhold_exempt:
        conditions.append(s.confidentiality != Confidentiality.EXEMPT.value)
    if filters.search.strip():
        needle = filters.search.strip().lower()
        owner_match = select(Officer.id).where(
            func.lower(Officer.name).contains(needle, autoescape=True)
        )
        conditions.append(
            or_(
                func.lower(s.ref).contains(needle, autoescape=True),
                func.lower(s.wording).contains(needle, autoescape=True),
                s.owner_id.in_(owner_match),
            )
        )
    return query.where(*conditions) if conditions else query


def filtered_state(connection: Connection, filters: Filters):
    """The state as at the filters' date, narrowed by every filter, as a subquery."""
    state = recommendation_state(connection, filters.as_at)
    return apply_filters(select(state), state, filters).subquery("filtered")


def facts_from_row(row: Mapping[str, Any]) -> RecommendationFacts:
    """The rules' facts from a row of the state selectable, for per-row reasons and day counts.

    Columns a query did not select take the rules' neutral defaults."""
    return RecommendationFacts(
        status=Status(row["status"]),
        made_on=row["made_on"],
        original_target_date=row["original_target_date"],
        current_target_date=row["current_target_date"],
        revision_count=int(row["revision_count"] or 0),
        last_update_on=row["last_update_on"],
        report_back_pending=bool(row.get("report_back_pending")),
        acceptance=Acceptance(row.get("acceptance") or Acceptance.ACCEPTED),
        accepted_in_principle=bool(row.get("accepted_in_principle")),
        response_due_on=row.get("response_due_on"),
        has_owner=row.get("owner_id", 0) is not None,
    )
