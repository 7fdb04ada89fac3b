"""Asking owners for updates before a committee meets (issue 9, item 5): which of an owner's
items need one, for "My items" and for the scrutiny officer's request pack.

An item needs an update when it is due back at its committee's next meeting (any of the
DOMAIN.md reasons), overdue, or stale, as at the chosen date. The rules are the SQL twins in
`data_access.rules_sql` over the same state selectable every page uses, and the next meeting
is `state.next_meetings`, as on the Next committee page, so the lists agree with it.
The request deadline is the meeting less the committee's "days before the meeting" setting
(`committee_request_settings`, else `Thresholds.update_request_days`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection, RowMapping, Select, and_, or_, select

from data_access import rules_sql
from data_access.models import (
    Committee,
    CommitteeRequestSettings,
    Meeting,
    Officer,
    Source,
    UpdateRequest,
)
from data_access.state import facts_from_row, next_meetings, recommendation_state
from domain.exempt import EXEMPT_COLUMN
from domain.rules import DueBackReason, days_overdue, days_since_update
from domain.settings import DEFAULT_THRESHOLDS, Thresholds
from domain.vocabulary import Confidentiality, Status

__all__ = [
    "ITEM_COLUMNS",
    "RequestMeeting",
    "committee_request_items",
    "items_needing_updates",
    "my_items",
    "request_days",
    "request_meeting",
    "requests_sent",
]

ITEM_COLUMNS = (
    "id",
    "ref",
    "wording",
    "source",
    "committee_id",
    "committee",
    "owner_id",
    "owner",
    "owner_email",
    "status",
    "current_target_date",
    "last_update_on",
    "next_meeting",
    "updates_due_on",
    "due_back",
    "overdue",
    "stale",
    "why",
    EXEMPT_COLUMN,
)

_DUE_BACK_FLAGS = {
    DueBackReason.REPORT_BACK: rules_sql.due_for_report_back,
    DueBackReason.TARGET_BY_MEETING: rules_sql.due_for_target,
    DueBackReason.AWAITING_SIGN_OFF: rules_sql.due_for_sign_off,
    DueBackReason.RESPONSE_DUE: rules_sql.due_for_response,
}


@dataclass(frozen=True)
class RequestMeeting:
    """A committee's next meeting as at a date, and when owners' updates are due for it."""

    committee_id: int
    committee: str
    meeting_id: int | None
    meeting_date: date | None
    days_before: int
    updates_due_on: date | None


def request_days(
    connection: Connection, committee_id: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[int, bool]:
    """(days before the meeting that updates are due, whether the committee set it itself)."""
    days = connection.execute(
        select(CommitteeRequestSettings.days_before_meeting).where(
            CommitteeRequestSettings.committee_id == committee_id
        )
    ).scalar()
    if days is None:
        return thresholds.update_request_days, False
    return int(days), True


def request_meeting(
    connection: Connection,
    committee_id: int,
    as_at: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> RequestMeeting:
    """The committee's next meeting on or after `as_at` and its update deadline."""
    name = connection.execute(
        select(Committee.name).where(Committee.id == committee_id)
    ).scalar_one()
    meeting = connection.execute(
        select(Meeting.id, Meeting.meeting_date)
        .where(Meeting.committee_id == committee_id, Meeting.meeting_date >= as_at)
        .order_by(Meeting.meeting_date)
        .limit(1)
    ).first()
    days, _ = request_days(connection, committee_id, thresholds)
    return RequestMeeting(
        committee_id=committee_id,
        committee=name,
        meeting_id=meeting.id if meeting else None,
        meeting_date=meeting.meeting_date if meeting else None,
        days_before=days,
        updates_due_on=meeting.meeting_date - timedelta(days=days) if meeting else None,
    )


def items_needing_updates(
    connection: Connection,
    as_at: date,
    *,
    committee_id: int | None = None,
    owner_id: int | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """The owned items due back at their committee's next meeting, overdue, or stale, as at
    `as_at`: of one committee and/or one owner. One row each (ITEM_COLUMNS), by owner then
    committee and ref; `why` lists every reason in words. Items without an owner are left
    out: there is nobody to ask (the quality flag "no owner" finds them)."""
    query = _needing_updates_query(connection, as_at, committee_id, owner_id, thresholds)
    days_set = _days_before_meeting_set(connection)
    records = []
    for row in connection.execute(query).mappings():
        days = days_set.get(row["committee_id"], thresholds.update_request_days)
        records.append(_item_record(row, as_at, days))
    frame = pd.DataFrame.from_records(records, columns=list(ITEM_COLUMNS))
    for column in ("current_target_date", "last_update_on", "next_meeting", "updates_due_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _needing_updates_query(
    connection: Connection,
    as_at: date,
    committee_id: int | None,
    owner_id: int | None,
    thresholds: Thresholds,
) -> Select:
    """The owned items due back, overdue or stale (of the committee and/or owner, when
    given), each with its source, committee, owner, next meeting and every reason's flag."""
    state = recommendation_state(connection, as_at)
    upcoming = next_meetings(as_at)
    meeting = upcoming.c.next_meeting
    due_flags = {reason: flag(state, meeting) for reason, flag in _DUE_BACK_FLAGS.items()}
    overdue = rules_sql.is_overdue(state, as_at)
    stale = rules_sql.is_stale(state, as_at, thresholds)
    due_back = rules_sql.is_due_back(state, meeting, as_at)
    conditions = [state.c.owner_id.isnot(None), or_(due_back, overdue, stale)]
    if committee_id is not None:
        conditions.append(state.c.committee_id == committee_id)
    if owner_id is not None:
        conditions.append(state.c.owner_id == owner_id)
    return (
        select(
            state,
            Source.title.label("source"),
            Committee.name.label("committee"),
            Officer.name.label("owner"),
            Officer.email.label("owner_email"),
            meeting.label("next_meeting"),
            and_(meeting.isnot(None), due_back).label("due_back_flag"),
            overdue.label("overdue_flag"),
            stale.label("stale_flag"),
            *[flag.label(f"due_{reason.value}") for reason, flag in due_flags.items()],
        )
        .join(Source, Source.id == state.c.source_id)
        .join(Committee, Committee.id == state.c.committee_id)
        .join(Officer, Officer.id == state.c.owner_id)
        .outerjoin(upcoming, upcoming.c.committee_id == state.c.committee_id)
        .where(*conditions)
        .order_by(Officer.name, state.c.owner_id, Committee.name, state.c.ref, state.c.id)
    )


def _days_before_meeting_set(connection: Connection) -> dict[int, int]:
    """The committees whose "days before the meeting" is set: committee id -> days."""
    return dict(
        connection.execute(
            select(
                CommitteeRequestSettings.committee_id, CommitteeRequestSettings.days_before_meeting
            ).where(CommitteeRequestSettings.days_before_meeting.isnot(None))
        ).all()
    )


def _item_record(row: RowMapping, as_at: date, days: int) -> dict[str, object]:
    """One item as ITEM_COLUMNS: its request deadline (`days` before the next meeting) and
    why it needs an update, in words."""
    due_on = row["next_meeting"] - timedelta(days=days) if row["next_meeting"] else None
    facts = facts_from_row(row)
    reasons = []
    if row["overdue_flag"]:
        reasons.append(f"Overdue by {days_overdue(facts, as_at):,} days")
    reasons += [reason.label for reason in _DUE_BACK_FLAGS if row[f"due_{reason.value}"]]
    if row["stale_flag"]:
        reasons.append(f"No update for {days_since_update(facts, as_at):,} days")
    return {
        "id": int(row["id"]),
        "ref": row["ref"],
        "wording": row["wording"],
        "source": row["source"],
        "committee_id": int(row["committee_id"]),
        "committee": row["committee"],
        "owner_id": int(row["owner_id"]),
        "owner": row["owner"],
        "owner_email": row["owner_email"],
        "status": Status(row["status"]).label,
        "current_target_date": row["current_target_date"],
        "last_update_on": row["last_update_on"],
        "next_meeting": row["next_meeting"],
        "updates_due_on": due_on,
        "due_back": bool(row["due_back_flag"]),
        "overdue": bool(row["overdue_flag"]),
        "stale": bool(row["stale_flag"]),
        "why": "; ".join(reasons),
        EXEMPT_COLUMN: row["confidentiality"] == Confidentiality.EXEMPT.value,
    }


def my_items(connection: Connection, as_at: date, owner_id: int) -> pd.DataFrame:
    """An officer's items that need an update, across every committee ("My items")."""
    return items_needing_updates(connection, as_at, owner_id=owner_id)


def committee_request_items(connection: Connection, as_at: date, committee_id: int) -> pd.DataFrame:
    """A committee's items that need an update before its next meeting, every owner's (the
    request pack)."""
    return items_needing_updates(connection, as_at, committee_id=committee_id)


def requests_sent(
    connection: Connection, committee_id: int, meeting_id: int | None = None
) -> pd.DataFrame:
    """Who was asked for updates for the committee (that meeting's, when given), newest
    first: owner, address, when, by whom, how many items."""
    r = UpdateRequest
    query = (
        select(
            Officer.name.label("owner"),
            r.sent_to,
            Meeting.meeting_date,
            r.sent_at,
            r.sent_by,
            r.item_count,
        )
        .join(Officer, Officer.id == r.owner_id)
        .outerjoin(Meeting, Meeting.id == r.meeting_id)
        .where(r.committee_id == committee_id)
        .order_by(r.sent_at.desc(), r.id.desc())
    )
    if meeting_id is not None:
        query = query.where(r.meeting_id == meeting_id)
    frame = pd.DataFrame(
        connection.execute(query).mappings().all(),
        columns=["owner", "sent_to", "meeting_date", "sent_at", "sent_by", "item_count"],
    )
    frame["meeting_date"] = pd.to_datetime(frame["meeting_date"])
    frame["sent_at"] = pd.to_datetime(frame["sent_at"])
    return frame
