"""Committees and their meeting calendars: the named questions and the writes.

The Committees page and `python -m data_access.import_calendar` both come here. Every write
takes the caller's connection, inside the caller's transaction (`with engine.begin() as
conn:`), and either does all it was asked or raises `CommitteeChangeRefused` with a sentence
for the officer, having written nothing (the caller's transaction rolls back).

History is never lost: a committee is retired, not deleted (`committees.retired_on`, see
docs/decisions.md); a meeting that an update was reported to, or where an item was closed,
cannot be removed, only moved, which keeps its id and so every link to it. A calendar import
only adds dates: a meeting in the tracker but not in the file is reported, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy import delete as sql_delete

from data_access.models import Committee, Meeting, ProgressUpdate, Recommendation, Source
from domain.formatting import long_date
from domain.names import name_key
from domain.vocabulary import Status
from importing.words import EARLIEST_YEAR, LATEST_YEAR

__all__ = [
    "MAX_NAME_LENGTH",
    "CalendarPlan",
    "CommitteeChangeRefused",
    "add_committee",
    "add_meeting",
    "apply_calendar",
    "committee_by_name",
    "committee_overview",
    "committee_name",
    "current_committees",
    "meetings_of",
    "move_meeting",
    "plan_calendar",
    "reinstate_committee",
    "remove_meeting",
    "rename_committee",
    "retire_committee",
]

MAX_NAME_LENGTH = 200  # committees.name is String(200)
OPEN_STATUSES = (Status.NOT_STARTED.value, Status.IN_PROGRESS.value)


class CommitteeChangeRefused(ValueError):
    """A change to a committee or its calendar that cannot be made; nothing was written."""


# --- Questions -------------------------------------------------------------------------------


def committee_overview(
    connection: Connection, as_at: date, withhold_exempt: bool = False
) -> pd.DataFrame:
    """Every committee, current first, with its calendar and workload as at `as_at`.

    Columns: id, name, retired_on, meetings, previous_meeting, next_meeting,
    recommendations (all it monitors), open_recommendations. Counts run in SQL; with
    `withhold_exempt` (someone not cleared for them) they leave exempt items out.
    """
    m = Meeting
    meeting_counts = (
        select(
            m.committee_id,
            func.count().label("meetings"),
            func.max(m.meeting_date).filter(m.meeting_date < as_at).label("previous_meeting"),
            func.min(m.meeting_date).filter(m.meeting_date >= as_at).label("next_meeting"),
        )
        .group_by(m.committee_id)
        .subquery("meeting_counts")
    )
    r = Recommendation
    rec_counts = (
        select(
            r.committee_id,
            func.count().label("recommendations"),
            func.count().filter(r.status.in_(OPEN_STATUSES)).label("open"),
        )
        .where(
            *(
                [r.source_id.in_(select(Source.id).where(Source.confidentiality != "exempt"))]
                if withhold_exempt
                else []
            )
        )
        .group_by(r.committee_id)
        .subquery("rec_counts")
    )
    rows = connection.execute(
        select(
            Committee.id,
            Committee.name,
            Committee.retired_on,
            func.coalesce(meeting_counts.c.meetings, 0),
            meeting_counts.c.previous_meeting,
            meeting_counts.c.next_meeting,
            func.coalesce(rec_counts.c.recommendations, 0),
            func.coalesce(rec_counts.c.open, 0),
        )
        .outerjoin(meeting_counts, meeting_counts.c.committee_id == Committee.id)
        .outerjoin(rec_counts, rec_counts.c.committee_id == Committee.id)
        .order_by(Committee.retired_on.is_not(None), func.lower(Committee.name), Committee.id)
    ).all()
    return pd.DataFrame(
        [tuple(row) for row in rows],
        columns=[
            "id",
            "name",
            "retired_on",
            "meetings",
            "previous_meeting",
            "next_meeting",
            "recommendations",
            "open_recommendations",
        ],
    )


def meetings_of(connection: Connection, committee_id: int) -> pd.DataFrame:
    """A committee's meetings in date order, with what links to each.

    Columns: id, meeting_date, updates_reported (progress updates reported to it),
    items_closed (recommendations closed at it). A meeting with either cannot be removed.
    """
    reported = (
        select(ProgressUpdate.meeting_id, func.count().label("updates"))
        .where(ProgressUpdate.meeting_id.is_not(None))
        .group_by(ProgressUpdate.meeting_id)
        .subquery("reported")
    )
    closed = (
        select(
            Recommendation.closed_at_meeting_id.label("meeting_id"),
            func.count().label("closed_items"),
        )
        .where(Recommendation.closed_at_meeting_id.is_not(None))
        .group_by(Recommendation.closed_at_meeting_id)
        .subquery("closed")
    )
    rows = connection.execute(
        select(
            Meeting.id,
            Meeting.meeting_date,
            func.coalesce(reported.c.updates, 0),
            func.coalesce(closed.c.closed_items, 0),
        )
        .outerjoin(reported, reported.c.meeting_id == Meeting.id)
        .outerjoin(closed, closed.c.meeting_id == Meeting.id)
        .where(Meeting.committee_id == committee_id)
        .order_by(Meeting.meeting_date)
    ).all()
    return pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["id", "meeting_date", "updates_reported", "items_closed"],
    )


def current_committees(connection: Connection) -> dict[int, str]:
    """The committees not retired, by name: the ones offered for new items."""
    return dict(
        connection.execute(
            select(Committee.id, Committee.name)
            .where(Committee.retired_on.is_(None))
            .order_by(Committee.name)
        ).all()
    )


def committee_name(connection: Connection, committee_id: int) -> str:
    found = connection.execute(
        select(Committee.name).where(Committee.id == committee_id)
    ).scalar_one_or_none()
    if found is None:
        raise CommitteeChangeRefused(
            "That committee is no longer in the tracker (someone may have just changed it). "
            "Nothing was changed."
        )
    return found


def committee_by_name(connection: Connection, name: str) -> tuple[int, str] | None:
    """(id, name as stored) of the committee with this name, in any case or spacing."""
    clean = " ".join(name.split())
    row = connection.execute(
        select(Committee.id, Committee.name).where(func.lower(Committee.name) == clean.lower())
    ).first()
    return (row.id, row.name) if row else None


# --- Committees ------------------------------------------------------------------------------


def _clean_name(name: str, *, conn: Connection, except_id: int | None = None) -> str:
    clean = " ".join((name or "").split())
    if not clean:
        raise CommitteeChangeRefused("Enter the committee's name. Nothing was changed.")
    if len(clean) > MAX_NAME_LENGTH:
        raise CommitteeChangeRefused(
            f"The name is {len(clean)} characters long; at most {MAX_NAME_LENGTH} fit. "
            "Nothing was changed."
        )
    same = committee_by_name(conn, clean)
    if same is not None and same[0] != except_id:
        raise CommitteeChangeRefused(
            f'There is already a committee called "{same[1]}". Nothing was changed.'
        )
    return clean


def add_committee(conn: Connection, name: str) -> int:
    """A new committee (names are unique in any case or spacing); returns its id."""
    clean = _clean_name(name, conn=conn)
    return conn.execute(insert(Committee).values(name=clean).returning(Committee.id)).scalar_one()


def rename_committee(conn: Connection, committee_id: int, new_name: str) -> str:
    """Give a committee a new name; returns the old one. Its meetings and items stay."""
    old = committee_name(conn, committee_id)
    clean = _clean_name(new_name, conn=conn, except_id=committee_id)
    if clean == old:
        raise CommitteeChangeRefused(f'The committee is already called "{old}". Nothing changed.')
    conn.execute(
        update(Committee)
        .where(Committee.id == committee_id)
        .values(name=clean, name_key=name_key(clean))
    )
    return old


def retire_committee(conn: Connection, committee_id: int, on: date) -> None:
    """Mark a committee as no longer meeting from `on`; everything it holds is kept."""
    name = committee_name(conn, committee_id)
    retired = conn.execute(
        select(Committee.retired_on).where(Committee.id == committee_id)
    ).scalar_one()
    if retired is not None:
        raise CommitteeChangeRefused(
            f"{name} was already retired on {long_date(retired)}. Nothing was changed."
        )
    conn.execute(update(Committee).where(Committee.id == committee_id).values(retired_on=on))


def reinstate_committee(conn: Connection, committee_id: int) -> None:
    """Bring a retired committee back into use."""
    name = committee_name(conn, committee_id)
    retired = conn.execute(
        select(Committee.retired_on).where(Committee.id == committee_id)
    ).scalar_one()
    if retired is None:
        raise CommitteeChangeRefused(f"{name} is not retired. Nothing was changed.")
    conn.execute(update(Committee).where(Committee.id == committee_id).values(retired_on=None))


# --- Meetings --------------------------------------------------------------------------------


def _check_meeting_date(day: object) -> date:
    if not isinstance(day, date):
        raise CommitteeChangeRefused("Choose the meeting's date. Nothing was changed.")
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise CommitteeChangeRefused(
            f"{long_date(day)} is not a believable meeting date (the year must be between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}). Nothing was changed."
        )
    return day


def _meeting_on(conn: Connection, committee_id: int, day: date) -> int | None:
    return conn.execute(
        select(Meeting.id).where(Meeting.committee_id == committee_id, Meeting.meeting_date == day)
    ).scalar_one_or_none()


def add_meeting(conn: Connection, committee_id: int, day: date) -> int:
    """A meeting of the committee on `day`; refused when it already meets that day."""
    name = committee_name(conn, committee_id)
    day = _check_meeting_date(day)
    if _meeting_on(conn, committee_id, day) is not None:
        raise CommitteeChangeRefused(
            f"{name} already has a meeting on {long_date(day)}. Nothing was changed."
        )
    return conn.execute(
        insert(Meeting).values(committee_id=committee_id, meeting_date=day).returning(Meeting.id)
    ).scalar_one()


def _meeting(conn: Connection, committee_id: int, meeting_id: int) -> date:
    found = conn.execute(
        select(Meeting.meeting_date).where(
            Meeting.id == meeting_id, Meeting.committee_id == committee_id
        )
    ).scalar_one_or_none()
    if found is None:
        raise CommitteeChangeRefused(
            "That meeting is no longer in the tracker (someone may have just changed it). "
            "Nothing was changed."
        )
    return found


def move_meeting(conn: Connection, committee_id: int, meeting_id: int, new_day: date) -> date:
    """Move a meeting to another day, keeping every update and closure linked to it.

    Returns the old date. Refused when the committee already meets on the new day."""
    name = committee_name(conn, committee_id)
    old = _meeting(conn, committee_id, meeting_id)
    new_day = _check_meeting_date(new_day)
    if new_day == old:
        raise CommitteeChangeRefused(
            f"The meeting is already on {long_date(old)}. Nothing was changed."
        )
    if _meeting_on(conn, committee_id, new_day) is not None:
        raise CommitteeChangeRefused(
            f"{name} already has a meeting on {long_date(new_day)}. Nothing was changed."
        )
    conn.execute(update(Meeting).where(Meeting.id == meeting_id).values(meeting_date=new_day))
    return old


def remove_meeting(conn: Connection, committee_id: int, meeting_id: int) -> date:
    """Remove a meeting entered by mistake; returns its date.

    Refused when an update was reported to it or an item was closed at it: the history
    would lose where those happened. Such a meeting can be moved instead."""
    day = _meeting(conn, committee_id, meeting_id)
    updates = conn.execute(
        select(func.count()).where(ProgressUpdate.meeting_id == meeting_id)
    ).scalar_one()
    closed = conn.execute(
        select(func.count()).where(Recommendation.closed_at_meeting_id == meeting_id)
    ).scalar_one()
    if updates or closed:
        reasons = []
        if updates:
            reasons.append(f"{updates} progress update(s) were reported to it")
        if closed:
            reasons.append(f"{closed} recommendation(s) were closed at it")
        raise CommitteeChangeRefused(
            f"The meeting of {long_date(day)} cannot be removed: {' and '.join(reasons)}, and "
            "the history would lose where that happened. If the date is wrong, move the "
            "meeting instead. Nothing was changed."
        )
    conn.execute(sql_delete(Meeting).where(Meeting.id == meeting_id))
    return day


# --- Importing a calendar --------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarPlan:
    """What importing a calendar's dates into a committee would do (the dry run).

    `to_add`: in the file, not in the tracker; `already_there`: in both (left alone);
    `only_in_tracker`: in the tracker, not in the file (reported, never deleted)."""

    committee_id: int
    committee_name: str
    to_add: tuple[date, ...]
    already_there: tuple[date, ...]
    only_in_tracker: tuple[date, ...]

    @property
    def changes_nothing(self) -> bool:
        return not self.to_add


def plan_calendar(conn: Connection, committee_id: int, days: Iterable[date]) -> CalendarPlan:
    """Compare the file's meeting days with the committee's calendar in the tracker."""
    name = committee_name(conn, committee_id)
    in_file = {_check_meeting_date(day) for day in days}
    in_tracker = set(
        conn.execute(
            select(Meeting.meeting_date).where(Meeting.committee_id == committee_id)
        ).scalars()
    )
    return CalendarPlan(
        committee_id,
        name,
        to_add=tuple(sorted(in_file - in_tracker)),
        already_there=tuple(sorted(in_file & in_tracker)),
        only_in_tracker=tuple(sorted(in_tracker - in_file)),
    )


def apply_calendar(conn: Connection, plan: CalendarPlan) -> int:
    """Add the plan's new meeting dates, in the caller's transaction; returns how many.

    The plan is checked again against the tracker first: a date someone added meanwhile is
    left alone rather than refused, so applying the same plan twice adds nothing twice."""
    fresh = plan_calendar(conn, plan.committee_id, (*plan.to_add, *plan.already_there))
    to_add = [day for day in plan.to_add if day in set(fresh.to_add)]
    if to_add:
        conn.execute(
            insert(Meeting),
            [{"committee_id": plan.committee_id, "meeting_date": day} for day in to_add],
        )
    return len(to_add)
