"""Replaying progress updates into a recommendation's state as at a date.

The database keeps the current state beside the updates (see data_access/models.py). This
pure function is the definition of how one follows from the other; the write path, the demo
generator and the SQL replay in data_access/state.py all agree with it (tests check).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.vocabulary import REPORT_BACK_COMMITMENTS, ReportBack, Status


@dataclass(frozen=True)
class UpdateFacts:
    update_date: date
    new_status: Status | None = None
    new_target_date: date | None = None
    report_back: ReportBack | None = None
    reported_to_meeting: bool = False
    order: int = 0  # tie-break for updates on the same day: later writes win


@dataclass(frozen=True)
class ReplayedState:
    status: Status
    current_target_date: date | None
    revision_count: int
    last_update_on: date | None
    report_back_since: date | None
    # The first day an update made it implemented or closed (the implementation trend).
    first_completed_on: date | None = None


def replay(
    original_target_date: date | None,
    updates: Iterable[UpdateFacts],
    as_at: date | None = None,
) -> ReplayedState:
    """The state after every update dated on or before `as_at` (all updates when None).

    Status and target are those of the latest update that set them. A report-back
    commitment stands from the latest update that set one, until a later update is
    reported to a meeting, an update says none is required, or the item is no longer
    open or awaiting sign-off.
    """
    applied = sorted(
        (u for u in updates if as_at is None or u.update_date <= as_at),
        key=lambda u: (u.update_date, u.order),
    )
    status = Status.NOT_STARTED
    target = original_target_date
    revisions = 0
    commitment_since: date | None = None
    first_completed_on: date | None = None
    for update in applied:
        if update.new_status is not None:
            status = update.new_status
            if status.is_complete and first_completed_on is None:
                first_completed_on = update.update_date
        if update.new_target_date is not None:
            target = update.new_target_date
            revisions += 1
        if update.report_back is not None:
            commitment_since = (
                update.update_date if update.report_back in REPORT_BACK_COMMITMENTS else None
            )
        elif (
            commitment_since is not None
            and update.reported_to_meeting
            and update.update_date > commitment_since
        ):
            commitment_since = None
    if not (status.is_open or status is Status.IMPLEMENTED):
        commitment_since = None
    return ReplayedState(
        status=status,
        current_target_date=target,
        revision_count=revisions,
        last_update_on=applied[-1].update_date if applied else None,
        report_back_since=commitment_since,
        first_completed_on=first_completed_on,
    )
