"""What each committee keeps of its own: its briefing pack's details, how many days before a
meeting its owners are asked for updates, and a record of each request sent in its name.

Each write takes the caller's connection inside the caller's transaction, and refuses
(InvalidReportDetails, InvalidUpdate) having changed nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from data_access.models import (
    Committee,
    CommitteeReportSettings,
    CommitteeRequestSettings,
    UpdateRequest,
)
from data_access.writes import InvalidUpdate, check_author
from domain.briefing import REPORT_DETAIL_FIELDS, ReportDetails
from domain.drafts import blank_to_none as _blank_to_none

# --- The briefing pack's details ---------------------------------------------------------------


class InvalidReportDetails(ValueError):
    """The briefing pack's details were refused; `problems` say what to change."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = tuple(problems)


def save_report_details(conn: Connection, committee: int, details: ReportDetails) -> None:
    """Remember the clerk's briefing-pack fields for `committee` (one row, replaced whole).

    Blank fields are stored as NULL, which the pack prints as its standard wording. Refuses,
    changing nothing, a committee that does not exist or a field too long for its column.
    """
    clean = details.cleaned()
    problems = clean.problems()
    if conn.execute(select(Committee.id).where(Committee.id == committee)).scalar() is None:
        problems.insert(0, f"There is no committee number {committee}; nothing was saved.")
    if problems:
        raise InvalidReportDetails(problems)
    values = {
        field.name: _blank_to_none(getattr(clean, field.name)) for field in REPORT_DETAIL_FIELDS
    }
    changed = conn.execute(
        update(CommitteeReportSettings)
        .where(CommitteeReportSettings.committee_id == committee)
        .values(**values)
    ).rowcount
    if not changed:
        conn.execute(insert(CommitteeReportSettings).values(committee_id=committee, **values))


# --- Asking owners for updates (issue 9, item 5) ---------------------------------------------

MAX_REQUEST_DAYS = 120


def save_request_days(conn: Connection, committee: int, days: int | None) -> None:
    """Keep how many days before each meeting the committee wants owners' updates (None:
    the default setting). Refuses, changing nothing, a committee that does not exist or a
    number outside 0 to MAX_REQUEST_DAYS."""
    if conn.execute(select(Committee.id).where(Committee.id == committee)).scalar() is None:
        raise InvalidUpdate([f"There is no committee number {committee}; nothing was saved."])
    if days is not None and not 0 <= int(days) <= MAX_REQUEST_DAYS:
        raise InvalidUpdate(
            [f"Give a number of days from 0 to {MAX_REQUEST_DAYS} (you gave {days})."]
        )
    conn.execute(
        delete(CommitteeRequestSettings).where(CommitteeRequestSettings.committee_id == committee)
    )
    conn.execute(
        insert(CommitteeRequestSettings).values(
            committee_id=committee, days_before_meeting=None if days is None else int(days)
        )
    )


def record_update_request(
    conn: Connection,
    *,
    owner_id: int,
    committee_id: int,
    meeting_id: int | None,
    sent_to: str,
    sent_at: datetime,
    sent_by: str,
    item_count: int,
) -> int:
    """Note that the owner was asked (the mail server accepted the message); its id."""
    check_author(sent_by)
    return conn.execute(
        insert(UpdateRequest)
        .values(
            owner_id=owner_id,
            committee_id=committee_id,
            meeting_id=meeting_id,
            sent_to=sent_to,
            sent_at=sent_at,
            sent_by=sent_by,
            item_count=item_count,
        )
        .returning(UpdateRequest.id)
    ).scalar_one()
