"""The recommendations register and the detail of one recommendation, as at a date.

The register is a page of the filtered recommendations, worst first (RAG order, then the
earliest current target, i.e. the most days overdue), with the total in view so the page can
offer paging; the database may hold 200,000 recommendations, so one page at most is read.
The RAG word comes from SQL (`rules_sql.rag`); its reason is computed in Python with
`domain.rules.rag_rating` for the rows shown only. Both follow the same rule, and a test
checks they agree on every row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, RowMapping, Select, case, func, select
from sqlalchemy.orm import aliased

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import (
    Action,
    Committee,
    Directorate,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.state import (
    facts_from_row,
    filtered_state,
    meeting_dates,
    needs_replay,
    next_meetings,
    recommendation_state,
)
from domain.exempt import EXEMPT_COLUMN
from domain.rules import QualityFlag, quality_flags, rag_rating, slip_days
from domain.vocabulary import (
    RAG_ORDER,
    REPORT_BACK_COMMITMENTS,
    Acceptance,
    ActionStatus,
    Confidentiality,
    Priority,
    Rag,
    ReportBack,
    SourceKind,
    Status,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "RecommendationDetail",
    "RegisterPage",
    "recommendation_detail",
    "recommendations_in_view",
    "register_page",
]

PAGE_SIZE = 500
MAX_PAGE_SIZE = 500

REGISTER_COLUMNS = (
    "id",
    "ref",
    "source",
    "wording",
    "owner",
    "directorate",
    "status",
    "rag",
    "rag_reason",
    "original_target_date",
    "current_target_date",
    "last_update_on",
    EXEMPT_COLUMN,  # not shown: downloads leave exempt (Part 2) rows out unless asked
)
DATE_COLUMNS = ("original_target_date", "current_target_date", "last_update_on")


@dataclass(frozen=True)
class RegisterPage:
    """One page of the register and where it sits in the whole filtered view."""

    rows: pd.DataFrame
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def first_row(self) -> int:
        """1-based number of the first row shown (0 when nothing is shown)."""
        return 0 if self.total == 0 else (self.page - 1) * self.page_size + 1

    @property
    def last_row(self) -> int:
        return 0 if self.total == 0 else self.first_row + len(self.rows) - 1


def _rag_rank(rag_expression):
    """Worst first, as RAG_ORDER lists them."""
    return case({rag.value: rank for rank, rag in enumerate(RAG_ORDER)}, value=rag_expression)


def _as_dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Date columns as datetime64 so st.column_config.DateColumn can format them."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def register_page(
    connection: Connection, filters: Filters, page: int = 1, page_size: int = PAGE_SIZE
) -> RegisterPage:
    """Page `page` (1-based) of the filtered recommendations, worst first, with the total.

    A page past the end gives the last page, so a view narrowed while on a later page still
    shows rows; the page actually returned is in the result. Two steps keep it fast on a
    large database: the ordering (which needs the state of every row in view) reads only ids
    and RAG; the columns shown are then read for the page's rows alone."""
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    state = filtered_state(connection, filters)
    rag = rules_sql.rag(state, filters.as_at)
    ordering = (
        _rag_rank(rag),
        state.c.current_target_date.is_(None),
        state.c.current_target_date,
        state.c.id,
    )
    # Counting apart is cheaper when the count needs no rule or text per row (indexes answer
    # it). Otherwise the total comes as a window over the one pass that orders the rows: on
    # SQLite that also makes it replay each row's state once rather than once per use in RAG.
    count_apart = not (
        filters.rags or filters.search.strip() or needs_replay(connection, filters.as_at)
    )
    if count_apart:
        ordered = select(state.c.id, rag.label("rag"))
    else:
        ordered = select(state.c.id, rag.label("rag"), func.count().over().label("total"))
    ordered = ordered.order_by(*ordering)

    def fetch(page_number: int) -> list[Any]:
        offset = (page_number - 1) * page_size
        return connection.execute(ordered.limit(page_size).offset(offset)).all()

    def count_all() -> int:
        return connection.execute(select(func.count()).select_from(state)).scalar_one()

    ranked = fetch(page)
    total = int(ranked[0].total) if ranked and not count_apart else count_all()
    last_page = max(1, -(-total // page_size))
    if not ranked and total and page > last_page:
        page = last_page
        ranked = fetch(page)
    rows = _page_rows(connection, [row.id for row in ranked], filters.as_at)
    shown = [{**rows[row.id], "rag": row.rag} for row in ranked]
    return RegisterPage(_register_frame(shown, filters.as_at), total, page, page_size)


def recommendations_in_view(connection: Connection, filters: Filters) -> int:
    """How many recommendations the filters let through as at their date: with
    `Filters(as_at=...)`, every recommendation made by then (the register's "of 406")."""
    state = filtered_state(connection, filters)
    return int(connection.execute(select(func.count()).select_from(state)).scalar_one())


def _page_rows(connection: Connection, ids: list[int], as_at: date) -> dict[int, Mapping[str, Any]]:
    """The columns shown (and the rules' facts) for the given recommendations, by id."""
    if not ids:
        return {}
    state = recommendation_state(connection, as_at)
    query = (
        select(
            state,
            Source.title.label("source"),
            Source.confidentiality.label("source_confidentiality"),
            Officer.name.label("owner"),
            Directorate.name.label("directorate"),
        )
        .join(Source, Source.id == state.c.source_id)
        .outerjoin(Officer, Officer.id == state.c.owner_id)
        .outerjoin(Directorate, Directorate.id == state.c.directorate_id)
        .where(state.c.id.in_(ids))
    )
    return {row["id"]: row for row in connection.execute(query).mappings()}


def _register_frame(rows: list[Mapping[str, Any]], as_at: date) -> pd.DataFrame:
    records = []
    for row in rows:
        rating = rag_rating(facts_from_row(row), as_at)
        records.append(
            {
                "id": int(row["id"]),
                "ref": row["ref"],
                "source": row["source"],
                "wording": row["wording"],
                "owner": row["owner"],
                "directorate": row["directorate"],
                "status": Status(row["status"]).label,
                "rag": Rag(row["rag"]).label,
                "rag_reason": rating.reason,
                "original_target_date": row["original_target_date"],
                "current_target_date": row["current_target_date"],
                "last_update_on": row["last_update_on"],
                EXEMPT_COLUMN: row["source_confidentiality"] == Confidentiality.EXEMPT.value,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(REGISTER_COLUMNS))
    frame["id"] = frame["id"].astype("int64")
    frame[EXEMPT_COLUMN] = frame[EXEMPT_COLUMN].astype(bool)
    return _as_dates(frame, DATE_COLUMNS)


@dataclass(frozen=True)
class RecommendationDetail:
    """Everything known about one recommendation as at a date, for the detail view.

    `target_history` has one row per target revision (update_date, from_date, to_date,
    reason); `actions` one per action. The progress updates themselves are
    `data_access.queries.history.history`.
    """

    id: int
    as_at: date
    ref: str
    wording: str
    source_title: str
    source_kind: str
    source_issued: date
    source_author: str | None
    source_url: str | None
    confidentiality: Confidentiality
    committee: str
    next_meeting: date | None
    acceptance: Acceptance
    accepted_on: date | None
    accepted_in_principle: bool
    owner: str | None
    owner_job_title: str | None
    directorate: str | None
    priority: str
    made_on: date
    status: Status
    rag: Rag
    rag_reason: str
    original_target_date: date | None
    current_target_date: date | None
    revision_count: int
    slip_days: int
    last_update_on: date | None
    report_back_pending: bool
    report_back: ReportBack | None
    response_due_on: date | None
    closed_at_meeting: date | None
    quality_flags: tuple[QualityFlag, ...]
    target_history: pd.DataFrame
    actions: pd.DataFrame
    # Whose it is, for the permission rules (domain.access.ItemScope).
    owner_id: int | None = None
    directorate_id: int | None = None

    @property
    def is_exempt(self) -> bool:
        return self.confidentiality is Confidentiality.EXEMPT


def recommendation_detail(
    connection: Connection, recommendation_id: int, as_at: date
) -> RecommendationDetail | None:
    """One recommendation as it stood on `as_at`; None when it did not exist then (or at all).

    Status, target and RAG come from the same state selectable as every page, so the detail
    agrees with the register; updates after `as_at` are left out of every list."""
    row = connection.execute(_detail_query(connection, recommendation_id, as_at)).mappings().first()
    if row is None:
        return None
    return _detail(connection, row, as_at)


def _detail_query(connection: Connection, recommendation_id: int, as_at: date) -> Select:
    """The recommendation's state row as at `as_at` (the register's state and RAG), with its
    source, committee and next meeting, owner, directorate and the meeting that closed it."""
    state = recommendation_state(connection, as_at)
    rag = rules_sql.rag(state, as_at)
    upcoming = next_meetings(as_at)
    closing_meeting = aliased(Meeting)
    return (
        select(
            state,
            rag.label("rag"),
            Source.title.label("source_title"),
            Source.date_issued.label("source_issued"),
            Source.author.label("source_author"),
            Source.document_url.label("source_url"),
            Committee.name.label("committee"),
            upcoming.c.next_meeting,
            Officer.name.label("owner"),
            Officer.job_title.label("owner_job_title"),
            Directorate.name.label("directorate"),
            closing_meeting.meeting_date.label("closed_at_meeting"),
        )
        .join(Recommendation, Recommendation.id == state.c.id)
        .join(Source, Source.id == state.c.source_id)
        .join(Committee, Committee.id == state.c.committee_id)
        .outerjoin(upcoming, upcoming.c.committee_id == state.c.committee_id)
        .outerjoin(Officer, Officer.id == state.c.owner_id)
        .outerjoin(Directorate, Directorate.id == state.c.directorate_id)
        .outerjoin(
            closing_meeting,
            (closing_meeting.id == Recommendation.closed_at_meeting_id)
            & (closing_meeting.meeting_date <= as_at),
        )
        .where(state.c.id == recommendation_id)
    )


def _detail(connection: Connection, row: RowMapping, as_at: date) -> RecommendationDetail:
    """The detail from its state row, with the updates, actions and quality flags it needs."""
    recommendation_id = int(row["id"])
    facts = facts_from_row(row)
    rating = rag_rating(facts, as_at)
    updates = _updates(connection, recommendation_id, as_at)
    status = Status(row["status"])
    acceptance = Acceptance(row["acceptance"])
    return RecommendationDetail(
        id=int(row["id"]),
        as_at=as_at,
        ref=row["ref"],
        wording=row["wording"],
        source_title=row["source_title"],
        source_kind=SourceKind(row["source_kind"]).label,
        source_issued=row["source_issued"],
        source_author=row["source_author"],
        source_url=row["source_url"],
        confidentiality=Confidentiality(row["confidentiality"]),
        committee=row["committee"],
        next_meeting=row["next_meeting"],
        acceptance=acceptance,
        accepted_on=(
            row["accepted_on"] if acceptance is not Acceptance.AWAITING_RESPONSE else None
        ),
        accepted_in_principle=bool(row["accepted_in_principle"]),
        owner=row["owner"],
        owner_job_title=row["owner_job_title"],
        directorate=row["directorate"],
        priority=Priority(row["priority"]).label,
        made_on=row["made_on"],
        status=status,
        rag=Rag(row["rag"]),
        rag_reason=rating.reason,
        original_target_date=row["original_target_date"],
        current_target_date=row["current_target_date"],
        revision_count=int(row["revision_count"] or 0),
        slip_days=slip_days(facts),
        last_update_on=row["last_update_on"],
        report_back_pending=bool(row["report_back_pending"]),
        report_back=_standing_commitment(updates) if row["report_back_pending"] else None,
        response_due_on=row["response_due_on"],
        closed_at_meeting=row["closed_at_meeting"] if status is Status.CLOSED else None,
        quality_flags=tuple(
            quality_flags(facts, meeting_dates(connection, row["committee_id"]), as_at)
        ),
        target_history=_target_history(updates, row["original_target_date"]),
        actions=_actions(connection, recommendation_id, as_at),
        owner_id=row["owner_id"],
        directorate_id=row["directorate_id"],
    )


def _updates(connection: Connection, recommendation_id: int, as_at: date) -> list[dict]:
    """What the target history and the standing commitment need of the recommendation's
    updates on or before `as_at`, oldest first (replay order)."""
    u = ProgressUpdate
    rows = connection.execute(
        select(u.update_date, u.new_target_date, u.target_change_reason, u.report_back)
        .where(u.recommendation_id == recommendation_id, u.update_date <= as_at)
        .order_by(u.update_date, u.id)
    ).mappings()
    return [dict(row) for row in rows]


def _standing_commitment(updates: list[dict]) -> ReportBack | None:
    """The commitment made by the latest update that set one (the one still standing)."""
    for update in reversed(updates):
        if update["report_back"] in {r.value for r in REPORT_BACK_COMMITMENTS}:
            return ReportBack(update["report_back"])
    return None


def _target_history(updates: list[dict], original_target: date | None) -> pd.DataFrame:
    """Every revision of the target, in date order, each from the target it replaced."""
    records = []
    previous = original_target
    for update in updates:
        if update["new_target_date"] is None:
            continue
        records.append(
            {
                "update_date": update["update_date"],
                "from_date": previous,
                "to_date": update["new_target_date"],
                "reason": update["target_change_reason"],
            }
        )
        previous = update["new_target_date"]
    frame = pd.DataFrame.from_records(
        records, columns=["update_date", "from_date", "to_date", "reason"]
    )
    return _as_dates(frame, ("update_date", "from_date", "to_date"))


def _actions(connection: Connection, recommendation_id: int, as_at: date) -> pd.DataFrame:
    """The recommendation's actions as at `as_at`.

    Actions keep only their current status; one completed after the as-at date is shown as
    it stood then (not completed, no completion date or evidence yet)."""
    rows = connection.execute(
        select(
            Action.id,
            Action.description,
            Officer.name.label("owner"),
            Action.due_date,
            Action.status,
            Action.completed_on,
            Action.evidence,
        )
        .outerjoin(Officer, Officer.id == Action.owner_id)
        .where(Action.recommendation_id == recommendation_id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    ).mappings()
    records = []
    for row in rows:
        status = ActionStatus(row["status"])
        completed_on, evidence = row["completed_on"], row["evidence"]
        if status is ActionStatus.COMPLETED and completed_on is not None and completed_on > as_at:
            status, completed_on, evidence = ActionStatus.IN_PROGRESS, None, None
        records.append(
            {
                "description": row["description"],
                "owner": row["owner"],
                "due_date": row["due_date"],
                "status": status.label,
                "completed_on": completed_on,
                "evidence": evidence,
            }
        )
    frame = pd.DataFrame.from_records(
        records, columns=["description", "owner", "due_date", "status", "completed_on", "evidence"]
    )
    return _as_dates(frame, ("due_date", "completed_on"))
