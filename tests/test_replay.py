"""Replaying progress updates into a state as at a date (domain/replay.py, data_access/writes)."""

from __future__ import annotations

from datetime import date

import pytest

from data_access.writes import current_state_columns, update_facts
from domain.replay import ReplayedState, UpdateFacts, replay
from domain.vocabulary import ReportBack, Status

ORIGINAL = date(2024, 6, 30)
D1, D2, D3, D4 = date(2024, 1, 10), date(2024, 3, 12), date(2024, 5, 14), date(2024, 7, 9)


def update(day: date, order: int = 0, **changes: object) -> UpdateFacts:
    return UpdateFacts(update_date=day, order=order, **changes)


def test_no_updates_means_not_started_with_the_original_target() -> None:
    assert replay(ORIGINAL, []) == ReplayedState(
        status=Status.NOT_STARTED,
        current_target_date=ORIGINAL,
        revision_count=0,
        last_update_on=None,
        report_back_since=None,
    )
    assert replay(None, []).current_target_date is None


def test_status_is_that_of_the_latest_update_that_set_one() -> None:
    updates = [
        update(D1, new_status=Status.IN_PROGRESS),
        update(D2),  # narrative only
        update(D3, new_target_date=date(2024, 9, 30)),
    ]
    state = replay(ORIGINAL, updates)
    assert state.status is Status.IN_PROGRESS
    assert state.last_update_on == D3


def test_updates_are_replayed_in_date_order_whatever_order_they_come_in() -> None:
    updates = [
        update(D3, new_status=Status.IMPLEMENTED),
        update(D1, new_status=Status.IN_PROGRESS, new_target_date=date(2024, 8, 1)),
        update(D2, new_target_date=date(2024, 9, 1)),
    ]
    state = replay(ORIGINAL, updates)
    assert state.status is Status.IMPLEMENTED
    assert state.current_target_date == date(2024, 9, 1)
    assert state.revision_count == 2
    assert state.last_update_on == D3


def test_target_is_that_of_the_latest_update_that_set_one_and_revisions_are_counted() -> None:
    updates = [
        update(D1, new_target_date=date(2024, 8, 31)),
        update(D2, new_status=Status.IN_PROGRESS),
        update(D3, new_target_date=date(2024, 12, 31)),
        update(D4),
    ]
    state = replay(ORIGINAL, updates)
    assert state.current_target_date == date(2024, 12, 31)
    assert state.revision_count == 2
    # Each dated revision counts, even one that sets the same date again or brings it forward.
    again = replay(
        ORIGINAL,
        [update(D1, new_target_date=ORIGINAL), update(D2, new_target_date=date(2024, 5, 1))],
    )
    assert again.revision_count == 2
    assert again.current_target_date == date(2024, 5, 1)


def test_a_target_can_be_set_when_there_was_no_original() -> None:
    state = replay(None, [update(D1, new_target_date=date(2024, 10, 1))])
    assert state.current_target_date == date(2024, 10, 1)
    assert state.revision_count == 1


@pytest.mark.parametrize(
    ("as_at", "status", "target", "revisions", "last"),
    [
        (date(2024, 1, 9), Status.NOT_STARTED, ORIGINAL, 0, None),
        (D1, Status.IN_PROGRESS, ORIGINAL, 0, D1),  # updates on the as-at date count
        (date(2024, 3, 11), Status.IN_PROGRESS, ORIGINAL, 0, D1),
        (D2, Status.IN_PROGRESS, date(2024, 9, 30), 1, D2),
        (D3, Status.IMPLEMENTED, date(2024, 9, 30), 1, D3),
        (D4, Status.CLOSED, date(2024, 9, 30), 1, D4),
        (None, Status.CLOSED, date(2024, 9, 30), 1, D4),
    ],
)
def test_updates_after_the_as_at_date_are_ignored(
    as_at: date | None, status: Status, target: date, revisions: int, last: date | None
) -> None:
    updates = [
        update(D1, new_status=Status.IN_PROGRESS),
        update(D2, new_target_date=date(2024, 9, 30)),
        update(D3, new_status=Status.IMPLEMENTED),
        update(D4, new_status=Status.CLOSED),
    ]
    state = replay(ORIGINAL, updates, as_at)
    assert (state.status, state.current_target_date, state.revision_count) == (
        status,
        target,
        revisions,
    )
    assert state.last_update_on == last


def test_on_the_same_day_the_later_write_wins() -> None:
    updates = [
        update(D2, order=2, new_status=Status.IMPLEMENTED, new_target_date=date(2024, 7, 1)),
        update(D2, order=1, new_status=Status.IN_PROGRESS, new_target_date=date(2024, 8, 1)),
        update(D1, order=3, new_status=Status.NOT_STARTED),
    ]
    for as_at in (D2, None):
        state = replay(ORIGINAL, updates, as_at)
        assert state.status is Status.IMPLEMENTED
        assert state.current_target_date == date(2024, 7, 1)
        assert state.revision_count == 2
    assert replay(ORIGINAL, updates, date(2024, 3, 11)).status is Status.NOT_STARTED


# Report-back commitments -----------------------------------------------------------------


@pytest.mark.parametrize("commitment", [ReportBack.NEXT_MEETING, ReportBack.TO_COMMITTEE])
def test_a_commitment_is_set_by_an_update(commitment: ReportBack) -> None:
    state = replay(ORIGINAL, [update(D1, new_status=Status.IN_PROGRESS, report_back=commitment)])
    assert state.report_back_since == D1


@pytest.mark.parametrize("commitment", [ReportBack.NEXT_MEETING, ReportBack.TO_COMMITTEE])
def test_a_commitment_made_at_a_meeting_is_still_pending_that_day(commitment: ReportBack) -> None:
    made_at_meeting = update(D2, report_back=commitment, reported_to_meeting=True)
    assert replay(ORIGINAL, [made_at_meeting]).report_back_since == D2
    # Another item of the same meeting, written afterwards, does not discharge it.
    same_day = update(D2, order=1, reported_to_meeting=True)
    assert replay(ORIGINAL, [made_at_meeting, same_day]).report_back_since == D2


def test_a_commitment_is_discharged_by_a_later_update_reported_to_a_meeting() -> None:
    updates = [
        update(D1, report_back=ReportBack.NEXT_MEETING, reported_to_meeting=True),
        update(D2, reported_to_meeting=True),
    ]
    assert replay(ORIGINAL, updates).report_back_since is None
    # ...but not before that meeting.
    assert replay(ORIGINAL, updates, date(2024, 3, 11)).report_back_since == D1


def test_a_later_update_not_reported_to_a_meeting_leaves_the_commitment_pending() -> None:
    updates = [
        update(D1, report_back=ReportBack.TO_COMMITTEE),
        update(D2, new_status=Status.IN_PROGRESS),
        update(D3, new_target_date=date(2024, 12, 1)),
    ]
    assert replay(ORIGINAL, updates).report_back_since == D1


def test_a_later_update_reported_to_a_meeting_that_renews_the_commitment_keeps_it() -> None:
    updates = [
        update(D1, report_back=ReportBack.NEXT_MEETING, reported_to_meeting=True),
        update(D2, report_back=ReportBack.NEXT_MEETING, reported_to_meeting=True),
    ]
    assert replay(ORIGINAL, updates).report_back_since == D2


@pytest.mark.parametrize("reported_to_meeting", [False, True])
def test_a_commitment_is_discharged_when_no_report_back_is_required(
    reported_to_meeting: bool,
) -> None:
    later = [
        update(D1, report_back=ReportBack.NEXT_MEETING),
        update(D2, report_back=ReportBack.NOT_REQUIRED, reported_to_meeting=reported_to_meeting),
    ]
    assert replay(ORIGINAL, later).report_back_since is None
    same_day = [
        update(D1, order=0, report_back=ReportBack.TO_COMMITTEE),
        update(D1, order=1, report_back=ReportBack.NOT_REQUIRED),
    ]
    assert replay(ORIGINAL, same_day).report_back_since is None


def test_the_latest_commitment_counts() -> None:
    updates = [
        update(D1, report_back=ReportBack.NEXT_MEETING),
        update(D2, reported_to_meeting=True),  # discharges
        update(D3, report_back=ReportBack.TO_COMMITTEE),  # a new one
    ]
    assert replay(ORIGINAL, updates).report_back_since == D3
    assert replay(ORIGINAL, updates, D2).report_back_since is None
    assert replay(ORIGINAL, updates, date(2024, 3, 11)).report_back_since == D1
    not_required_then_again = [
        update(D1, order=0, report_back=ReportBack.NOT_REQUIRED),
        update(D1, order=1, report_back=ReportBack.NEXT_MEETING),
    ]
    assert replay(ORIGINAL, not_required_then_again).report_back_since == D1


@pytest.mark.parametrize("status", [Status.CLOSED, Status.SUPERSEDED, Status.NOT_IMPLEMENTED])
def test_a_commitment_is_dropped_when_the_item_is_closed(status: Status) -> None:
    updates = [
        update(D1, new_status=Status.IN_PROGRESS, report_back=ReportBack.NEXT_MEETING),
        update(D2, new_status=status),
    ]
    assert replay(ORIGINAL, updates).report_back_since is None
    assert replay(ORIGINAL, updates, D1).report_back_since == D1


def test_a_commitment_is_kept_while_implemented_and_awaiting_sign_off() -> None:
    updates = [
        update(D1, new_status=Status.IN_PROGRESS, report_back=ReportBack.NEXT_MEETING),
        update(D2, new_status=Status.IMPLEMENTED),
    ]
    state = replay(ORIGINAL, updates)
    assert state.status is Status.IMPLEMENTED
    assert state.report_back_since == D1


# The write path --------------------------------------------------------------------------


def row(day: date, **columns: object) -> dict[str, object]:
    """A progress_updates row as a writer holds it."""
    return {
        "update_date": day,
        "author": "An officer",
        "narrative": "Progress.",
        "new_status": None,
        "new_target_date": None,
        "report_back": None,
        "meeting_id": None,
        **columns,
    }


def test_current_state_columns_without_updates() -> None:
    assert current_state_columns(ORIGINAL, []) == {
        "status": "not_started",
        "current_target_date": ORIGINAL,
        "revision_count": 0,
        "last_update_on": None,
        "report_back_since": None,
        "first_completed_on": None,
    }


def test_current_state_columns_follow_the_replay_of_every_update() -> None:
    rows = [
        row(D1, new_status="in_progress", report_back="next_meeting", meeting_id=7),
        row(D2, new_target_date=date(2024, 9, 30), target_change_reason="Staff shortage"),
        row(D3, meeting_id=8),  # reported to the next meeting: discharges the commitment
        row(D4, new_status="implemented", report_back="to_committee"),
    ]
    assert current_state_columns(ORIGINAL, rows) == {
        "status": "implemented",
        "current_target_date": date(2024, 9, 30),
        "revision_count": 1,
        "last_update_on": D4,
        "report_back_since": D4,
        "first_completed_on": D4,
    }
    expected = replay(ORIGINAL, [update_facts(r, order) for order, r in enumerate(rows)])
    assert current_state_columns(ORIGINAL, rows)["report_back_since"] == (
        expected.report_back_since
    )


def test_first_completed_on_is_the_first_day_implemented_or_closed() -> None:
    rows = [
        row(D1, new_status="in_progress"),
        row(D2, new_status="implemented"),
        row(D3, new_status="in_progress"),  # reopened
        row(D4, new_status="closed", meeting_id=9),
    ]
    assert current_state_columns(ORIGINAL, rows)["first_completed_on"] == D2
    facts = [update_facts(r, order) for order, r in enumerate(rows)]
    assert replay(ORIGINAL, facts, as_at=D1).first_completed_on is None
    assert replay(ORIGINAL, facts, as_at=D3).first_completed_on == D2


def test_current_state_columns_on_the_same_day_keep_the_order_written() -> None:
    rows = [
        row(D1, new_status="in_progress", report_back="next_meeting"),
        row(D1, new_status="closed", report_back=None, meeting_id=3),
    ]
    columns = current_state_columns(None, rows)
    assert columns["status"] == "closed"
    assert columns["report_back_since"] is None  # closed: nothing to come back
    reversed_columns = current_state_columns(None, list(reversed(rows)))
    assert reversed_columns["status"] == "in_progress"
    assert reversed_columns["report_back_since"] == D1


def test_update_facts_reads_a_row() -> None:
    facts = update_facts(
        row(D2, new_status="closed", report_back="not_required", meeting_id=4), order=5
    )
    assert facts == UpdateFacts(
        update_date=D2,
        new_status=Status.CLOSED,
        new_target_date=None,
        report_back=ReportBack.NOT_REQUIRED,
        reported_to_meeting=True,
        order=5,
    )
    bare = update_facts({"update_date": D1})
    assert bare == UpdateFacts(update_date=D1)
