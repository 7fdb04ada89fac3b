"""The DOMAIN.md rules (domain/rules.py), worked by hand, as at fixed dates."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from domain.rules import (
    DueBackReason,
    QualityFlag,
    RagRating,
    RecommendationFacts,
    add_months,
    ageing_bucket,
    days_overdue,
    days_since_update,
    due_back_reasons,
    is_overdue,
    is_slipped,
    is_stale,
    last_activity_on,
    next_meeting,
    quality_flags,
    rag_rating,
    response_due_on,
    slip_days,
    stale_cutoff,
)
from domain.settings import (
    AGEING_BUCKET_LABELS,
    DEFAULT_THRESHOLDS,
    SETTINGS,
    Thresholds,
)
from domain.vocabulary import Acceptance, Rag, Status

AS_AT = date(2024, 6, 15)
OPEN = [Status.NOT_STARTED, Status.IN_PROGRESS]
NOT_OPEN = [Status.IMPLEMENTED, Status.CLOSED, Status.SUPERSEDED, Status.NOT_IMPLEMENTED]


def days(n: int) -> date:
    """AS_AT moved by n days (negative: before)."""
    return AS_AT + timedelta(days=n)


def facts(**changes: object) -> RecommendationFacts:
    """An open, accepted, owned item on track: target 100 days away, updated 10 days ago."""
    base = RecommendationFacts(
        status=Status.IN_PROGRESS,
        made_on=date(2024, 1, 2),
        original_target_date=days(100),
        current_target_date=days(100),
        revision_count=0,
        last_update_on=days(-10),
    )
    return dataclasses.replace(base, **changes)


def test_the_baseline_item_is_green_and_on_track() -> None:
    baseline = facts()
    assert not is_overdue(baseline, AS_AT)
    assert not is_slipped(baseline, AS_AT)
    assert not is_stale(baseline, AS_AT)
    assert rag_rating(baseline, AS_AT) == RagRating(Rag.GREEN, "On track")


# Overdue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", OPEN)
@pytest.mark.parametrize(
    ("target", "overdue"),
    [(days(-365), True), (days(-1), True), (days(0), False), (days(1), False), (None, False)],
    ids=["year-before", "day-before", "on-as-at", "day-after", "no-target"],
)
def test_open_items_are_overdue_only_when_the_target_is_before_the_as_at_date(
    status: Status, target: date | None, overdue: bool
) -> None:
    item = facts(status=status, original_target_date=target, current_target_date=target)
    assert is_overdue(item, AS_AT) is overdue
    assert days_overdue(item, AS_AT) == ((AS_AT - target).days if overdue else 0)


@pytest.mark.parametrize("status", NOT_OPEN)
def test_items_that_are_not_open_are_never_overdue(status: Status) -> None:
    item = facts(status=status, original_target_date=days(-400), current_target_date=days(-400))
    assert not is_overdue(item, AS_AT)
    assert days_overdue(item, AS_AT) == 0


def test_the_current_target_decides_overdue_not_the_original() -> None:
    revised = facts(original_target_date=days(-50), current_target_date=days(20), revision_count=1)
    assert not is_overdue(revised, AS_AT)
    brought_forward = facts(
        original_target_date=days(50), current_target_date=days(-2), revision_count=1
    )
    assert is_overdue(brought_forward, AS_AT)
    assert days_overdue(brought_forward, AS_AT) == 2


@pytest.mark.parametrize(
    ("overdue_days", "bucket"),
    [
        (1, "1–30 days"),
        (2, "1–30 days"),
        (30, "1–30 days"),
        (31, "31–90 days"),
        (90, "31–90 days"),
        (91, "91–180 days"),
        (180, "91–180 days"),
        (181, "Over 180 days"),
        (1000, "Over 180 days"),
    ],
)
def test_days_overdue_and_ageing_bucket_at_every_boundary(overdue_days: int, bucket: str) -> None:
    item = facts(current_target_date=days(-overdue_days))
    assert days_overdue(item, AS_AT) == overdue_days
    assert ageing_bucket(days_overdue(item, AS_AT)) == bucket


@pytest.mark.parametrize("not_overdue_days", [0, -1])
def test_no_ageing_bucket_when_not_overdue(not_overdue_days: int) -> None:
    assert ageing_bucket(not_overdue_days) is None
    item = facts(current_target_date=days(0))
    assert ageing_bucket(days_overdue(item, AS_AT)) is None


def test_ageing_bucket_labels_are_in_order_and_cover_every_day() -> None:
    assert AGEING_BUCKET_LABELS == ("1–30 days", "31–90 days", "91–180 days", "Over 180 days")
    seen = [ageing_bucket(day) for day in range(1, 400)]
    assert None not in seen
    # Buckets never go backwards as days grow.
    order = [AGEING_BUCKET_LABELS.index(label) for label in seen]
    assert order == sorted(order)


# Slipped ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "slipped"),
    [
        # Revised once, current later than original.
        (
            {
                "original_target_date": days(10),
                "current_target_date": days(40),
                "revision_count": 1,
            },
            True,
        ),
        # Current later than original even without a counted revision.
        (
            {
                "original_target_date": days(10),
                "current_target_date": days(40),
                "revision_count": 0,
            },
            True,
        ),
        # Revised several times.
        (
            {
                "original_target_date": days(10),
                "current_target_date": days(90),
                "revision_count": 3,
            },
            True,
        ),
        # Open, original passed, no revision: slipped (and overdue).
        ({"original_target_date": days(-1), "current_target_date": days(-1)}, True),
        # Open, original passed but no current target recorded: slipped whatever current says.
        ({"original_target_date": days(-1), "current_target_date": None}, True),
        # Open, original passed, current moved beyond the as-at date (not overdue): slipped.
        (
            {
                "original_target_date": days(-30),
                "current_target_date": days(30),
                "revision_count": 1,
            },
            True,
        ),
        # Original on the as-at date has not passed yet.
        ({"original_target_date": days(0), "current_target_date": days(0)}, False),
        # Original in the future, unrevised.
        ({"original_target_date": days(1), "current_target_date": days(1)}, False),
        # No target at all.
        ({"original_target_date": None, "current_target_date": None}, False),
    ],
)
def test_slipped_for_open_items(changes: dict, slipped: bool) -> None:
    assert is_slipped(facts(**changes), AS_AT) is slipped


@pytest.mark.parametrize("status", NOT_OPEN)
def test_items_that_are_not_open_with_original_passed_are_slipped_only_if_revised(
    status: Status,
) -> None:
    unrevised = facts(status=status, original_target_date=days(-60), current_target_date=days(-60))
    assert not is_slipped(unrevised, AS_AT)
    revised = facts(
        status=status,
        original_target_date=days(-60),
        current_target_date=days(-20),
        revision_count=1,
    )
    assert is_slipped(revised, AS_AT)


@pytest.mark.parametrize(
    ("original", "current", "expected"),
    [
        (days(0), days(0), 0),
        (days(0), days(45), 45),
        (date(2024, 1, 31), date(2024, 3, 1), 30),  # 2024 is a leap year
        (date(2023, 1, 31), date(2023, 3, 1), 29),
        (days(30), days(0), -30),  # brought forward
        (None, days(10), 0),
        (days(10), None, 0),
        (None, None, 0),
    ],
)
def test_slip_days_between_original_and_current_target(
    original: date | None, current: date | None, expected: int
) -> None:
    assert slip_days(facts(original_target_date=original, current_target_date=current)) == expected


# Stale -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_ago", "stale"), [(0, False), (89, False), (90, True), (91, True)])
@pytest.mark.parametrize("status", OPEN)
def test_open_items_are_stale_after_90_days_without_an_update(
    days_ago: int, stale: bool, status: Status
) -> None:
    item = facts(status=status, last_update_on=days(-days_ago))
    assert days_since_update(item, AS_AT) == days_ago
    assert is_stale(item, AS_AT) is stale
    assert (last_activity_on(item) <= stale_cutoff(AS_AT)) is stale


@pytest.mark.parametrize(("days_ago", "stale"), [(89, False), (90, True), (91, True)])
def test_without_updates_staleness_counts_from_the_day_it_was_made(
    days_ago: int, stale: bool
) -> None:
    item = facts(made_on=days(-days_ago), last_update_on=None)
    assert last_activity_on(item) == days(-days_ago)
    assert is_stale(item, AS_AT) is stale


@pytest.mark.parametrize("status", NOT_OPEN)
def test_items_that_are_not_open_are_never_stale(status: Status) -> None:
    assert not is_stale(facts(status=status, last_update_on=days(-1000)), AS_AT)
    assert not is_stale(facts(status=status, made_on=days(-1000), last_update_on=None), AS_AT)


def test_stale_cutoff_is_90_days_before() -> None:
    assert stale_cutoff(AS_AT) == date(2024, 3, 17)
    assert stale_cutoff(AS_AT, Thresholds(stale_after_days=30)) == date(2024, 5, 16)


# RAG -------------------------------------------------------------------------------------

OVERDUE_STALE_REVISED = {
    "original_target_date": days(-100),
    "current_target_date": days(-5),
    "revision_count": 3,
    "last_update_on": days(-200),
}

RAG_CASES = [
    # Complete → Blue, whatever else is true.
    (
        "implemented",
        {"status": Status.IMPLEMENTED},
        Rag.BLUE,
        "Complete: implemented (awaiting sign-off)",
    ),
    ("closed", {"status": Status.CLOSED}, Rag.BLUE, "Complete: closed"),
    (
        "implemented-but-late",
        {"status": Status.IMPLEMENTED, **OVERDUE_STALE_REVISED},
        Rag.BLUE,
        "Complete: implemented (awaiting sign-off)",
    ),
    (
        "closed-but-late",
        {"status": Status.CLOSED, **OVERDUE_STALE_REVISED},
        Rag.BLUE,
        "Complete: closed",
    ),
    # Superseded / not implemented → grey (not applicable).
    (
        "superseded",
        {"status": Status.SUPERSEDED, **OVERDUE_STALE_REVISED},
        Rag.GREY,
        "Not applicable: superseded",
    ),
    (
        "not-implemented",
        {"status": Status.NOT_IMPLEMENTED, **OVERDUE_STALE_REVISED},
        Rag.GREY,
        "Not applicable: not implemented",
    ),
    # Red: overdue first, then revised twice or more, then stale.
    ("overdue-1", {"current_target_date": days(-1)}, Rag.RED, "Overdue by 1 day"),
    ("overdue-45", {"current_target_date": days(-45)}, Rag.RED, "Overdue by 45 days"),
    ("overdue-1500", {"current_target_date": days(-1500)}, Rag.RED, "Overdue by 1,500 days"),
    ("overdue-beats-revised-and-stale", OVERDUE_STALE_REVISED, Rag.RED, "Overdue by 5 days"),
    (
        "overdue-not-started",
        {"status": Status.NOT_STARTED, "current_target_date": days(-3)},
        Rag.RED,
        "Overdue by 3 days",
    ),
    (
        "revised-twice",
        {"revision_count": 2, "original_target_date": days(10)},
        Rag.RED,
        "Target revised 2 times",
    ),
    (
        "revised-three-times",
        {"revision_count": 3, "original_target_date": days(10)},
        Rag.RED,
        "Target revised 3 times",
    ),
    (
        "revised-twice-beats-stale",
        {"revision_count": 2, "original_target_date": days(10), "last_update_on": days(-120)},
        Rag.RED,
        "Target revised 2 times",
    ),
    (
        "revised-twice-beats-target-soon",
        {"revision_count": 2, "original_target_date": days(-10), "current_target_date": days(5)},
        Rag.RED,
        "Target revised 2 times",
    ),
    ("stale-90", {"last_update_on": days(-90)}, Rag.RED, "No update for 90 days"),
    (
        "stale-no-updates",
        {"last_update_on": None, "made_on": days(-95)},
        Rag.RED,
        "No update for 95 days",
    ),
    (
        "stale-beats-target-soon",
        {"last_update_on": days(-91), "current_target_date": days(3)},
        Rag.RED,
        "No update for 91 days",
    ),
    (
        "stale-beats-slipped-once",
        {"last_update_on": days(-100), "revision_count": 1, "original_target_date": days(50)},
        Rag.RED,
        "No update for 100 days",
    ),
    ("not-stale-89", {"last_update_on": days(-89)}, Rag.GREEN, "On track"),
    # Amber: target within 30 days, then slipped once, then not started within 60 days.
    ("target-today", {"current_target_date": days(0)}, Rag.AMBER, "Target is today"),
    ("target-in-1", {"current_target_date": days(1)}, Rag.AMBER, "Target in 1 day"),
    ("target-in-30", {"current_target_date": days(30)}, Rag.AMBER, "Target in 30 days"),
    ("target-in-31", {"current_target_date": days(31)}, Rag.GREEN, "On track"),
    (
        "target-soon-beats-slipped-once",
        {"revision_count": 1, "original_target_date": days(-10), "current_target_date": days(20)},
        Rag.AMBER,
        "Target in 20 days",
    ),
    (
        "target-soon-beats-not-started",
        {"status": Status.NOT_STARTED, "current_target_date": days(12)},
        Rag.AMBER,
        "Target in 12 days",
    ),
    (
        "slipped-once",
        {"revision_count": 1, "original_target_date": days(10)},
        Rag.AMBER,
        "Target revised once",
    ),
    (
        "slipped-once-original-passed",
        {"revision_count": 1, "original_target_date": days(-10), "current_target_date": days(60)},
        Rag.AMBER,
        "Target revised once",
    ),
    (
        "slipped-once-beats-not-started",
        {
            "status": Status.NOT_STARTED,
            "revision_count": 1,
            "original_target_date": days(10),
            "current_target_date": days(50),
        },
        Rag.AMBER,
        "Target revised once",
    ),
    (
        "not-started-60",
        {
            "status": Status.NOT_STARTED,
            "original_target_date": days(60),
            "current_target_date": days(60),
        },
        Rag.AMBER,
        "Not started, target in 60 days",
    ),
    (
        "not-started-31",
        {
            "status": Status.NOT_STARTED,
            "original_target_date": days(31),
            "current_target_date": days(31),
        },
        Rag.AMBER,
        "Not started, target in 31 days",
    ),
    (
        "not-started-61",
        {
            "status": Status.NOT_STARTED,
            "original_target_date": days(61),
            "current_target_date": days(61),
        },
        Rag.GREEN,
        "On track",
    ),
    (
        "in-progress-60",
        {"original_target_date": days(60), "current_target_date": days(60)},
        Rag.GREEN,
        "On track",
    ),
    # Green.
    ("green", {}, Rag.GREEN, "On track"),
    (
        "green-no-target",
        {"original_target_date": None, "current_target_date": None},
        Rag.GREEN,
        "On track (no target date set)",
    ),
    (
        "green-not-started-no-target",
        {"status": Status.NOT_STARTED, "original_target_date": None, "current_target_date": None},
        Rag.GREEN,
        "On track (no target date set)",
    ),
]


@pytest.mark.parametrize(
    ("changes", "rag", "reason"),
    [case[1:] for case in RAG_CASES],
    ids=[case[0] for case in RAG_CASES],
)
def test_rag_and_the_reason_that_produced_it(changes: dict, rag: Rag, reason: str) -> None:
    assert rag_rating(facts(**changes), AS_AT) == RagRating(rag, reason)


def test_rag_is_red_whenever_overdue_or_stale_and_open() -> None:
    for target_offset in range(-200, 0, 7):
        for days_ago in (0, 89, 90, 200):
            item = facts(current_target_date=days(target_offset), last_update_on=days(-days_ago))
            assert rag_rating(item, AS_AT).rag is Rag.RED


# Due back at the next committee ----------------------------------------------------------


MEETINGS = [date(2024, 5, 10), date(2024, 1, 10), date(2024, 7, 10), date(2024, 3, 10)]


@pytest.mark.parametrize(
    ("as_at", "expected"),
    [
        (date(2023, 12, 1), date(2024, 1, 10)),
        (date(2024, 3, 10), date(2024, 3, 10)),  # on the day of a meeting
        (date(2024, 3, 11), date(2024, 5, 10)),  # the day after
        (date(2024, 7, 10), date(2024, 7, 10)),
        (date(2024, 7, 11), None),  # no meeting scheduled
    ],
)
def test_next_meeting_is_the_first_on_or_after_the_as_at_date(
    as_at: date, expected: date | None
) -> None:
    assert next_meeting(MEETINGS, as_at) == expected
    assert next_meeting(iter(MEETINGS), as_at) == expected


def test_no_next_meeting_without_a_calendar() -> None:
    assert next_meeting([], AS_AT) is None


NEXT = days(20)

DUE_BACK_CASES = [
    ("nothing", {}, []),
    ("report-back", {"report_back_pending": True}, [DueBackReason.REPORT_BACK]),
    (
        "report-back-implemented",
        {"status": Status.IMPLEMENTED, "report_back_pending": True},
        [DueBackReason.REPORT_BACK, DueBackReason.AWAITING_SIGN_OFF],
    ),
    ("target-on-meeting", {"current_target_date": NEXT}, [DueBackReason.TARGET_BY_MEETING]),
    ("target-before-meeting", {"current_target_date": days(5)}, [DueBackReason.TARGET_BY_MEETING]),
    ("target-on-as-at", {"current_target_date": days(0)}, [DueBackReason.TARGET_BY_MEETING]),
    ("target-after-meeting", {"current_target_date": NEXT + timedelta(days=1)}, []),
    ("no-target", {"original_target_date": None, "current_target_date": None}, []),
    (
        "not-started-target",
        {"status": Status.NOT_STARTED, "current_target_date": NEXT},
        [DueBackReason.TARGET_BY_MEETING],
    ),
    # Overdue implies the target is before the meeting too.
    (
        "overdue",
        {"current_target_date": days(-1)},
        [DueBackReason.TARGET_BY_MEETING, DueBackReason.OVERDUE],
    ),
    ("closed-past-target", {"status": Status.CLOSED, "current_target_date": days(-1)}, []),
    ("superseded-past-target", {"status": Status.SUPERSEDED, "current_target_date": days(-1)}, []),
    ("awaiting-sign-off", {"status": Status.IMPLEMENTED}, [DueBackReason.AWAITING_SIGN_OFF]),
    (
        "awaiting-sign-off-past-target",
        {"status": Status.IMPLEMENTED, "current_target_date": days(-40)},
        [DueBackReason.AWAITING_SIGN_OFF],
    ),
    (
        "response-due-on-meeting",
        {"acceptance": Acceptance.AWAITING_RESPONSE, "response_due_on": NEXT},
        [DueBackReason.RESPONSE_DUE],
    ),
    (
        "response-late",
        {"acceptance": Acceptance.AWAITING_RESPONSE, "response_due_on": days(-60)},
        [DueBackReason.RESPONSE_DUE],
    ),
    (
        "response-due-after-meeting",
        {"acceptance": Acceptance.AWAITING_RESPONSE, "response_due_on": NEXT + timedelta(days=1)},
        [],
    ),
    ("response-given", {"acceptance": Acceptance.ACCEPTED, "response_due_on": days(-60)}, []),
    (
        "response-not-accepted",
        {"acceptance": Acceptance.NOT_ACCEPTED, "response_due_on": days(-60)},
        [],
    ),
    (
        "response-no-due-date",
        {"acceptance": Acceptance.AWAITING_RESPONSE, "response_due_on": None},
        [],
    ),
    (
        "open-together",
        {
            "report_back_pending": True,
            "current_target_date": days(-3),
            "acceptance": Acceptance.AWAITING_RESPONSE,
            "response_due_on": days(-1),
        },
        [
            DueBackReason.REPORT_BACK,
            DueBackReason.TARGET_BY_MEETING,
            DueBackReason.OVERDUE,
            DueBackReason.RESPONSE_DUE,
        ],
    ),
    (
        "implemented-together",
        {
            "status": Status.IMPLEMENTED,
            "report_back_pending": True,
            "current_target_date": days(-3),
            "acceptance": Acceptance.AWAITING_RESPONSE,
            "response_due_on": NEXT,
        },
        [DueBackReason.REPORT_BACK, DueBackReason.AWAITING_SIGN_OFF],
    ),
    # Rule 5 is for items still waiting on the council: one the report closes or reports done
    # (or that was superseded or dropped) is not due back for its response, whatever its
    # acceptance field says (issue 8: a closed item was listed as due back).
    *[
        (
            f"response-late-but-{status.value}",
            {
                "status": status,
                "acceptance": Acceptance.AWAITING_RESPONSE,
                "response_due_on": days(-60),
            },
            [DueBackReason.AWAITING_SIGN_OFF] if status is Status.IMPLEMENTED else [],
        )
        for status in (
            Status.CLOSED,
            Status.IMPLEMENTED,
            Status.SUPERSEDED,
            Status.NOT_IMPLEMENTED,
        )
    ],
    (
        "response-late-not-started",
        {
            "status": Status.NOT_STARTED,
            "acceptance": Acceptance.AWAITING_RESPONSE,
            "response_due_on": days(-60),
        },
        [DueBackReason.RESPONSE_DUE],
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [case[1:] for case in DUE_BACK_CASES],
    ids=[case[0] for case in DUE_BACK_CASES],
)
def test_due_back_reasons(changes: dict, expected: list[DueBackReason]) -> None:
    assert due_back_reasons(facts(**changes), NEXT, AS_AT) == expected


@pytest.mark.parametrize(
    "changes", [case[1] for case in DUE_BACK_CASES], ids=[case[0] for case in DUE_BACK_CASES]
)
def test_nothing_is_due_back_without_a_next_meeting(changes: dict) -> None:
    assert due_back_reasons(facts(**changes), None, AS_AT) == []


def test_due_back_reasons_have_labels() -> None:
    assert {reason.label for reason in DueBackReason} == {
        "Committed to report back",
        "Target date on or before the meeting",
        "Overdue",
        "Implemented, awaiting sign-off",
        "Response to the report due or late",
    }


# Quality flags ---------------------------------------------------------------------------

# As at 15 June 2024 the committee last met on 10 May; the meeting before that was 10 March.
CALENDAR = [date(2024, 1, 10), date(2024, 3, 10), date(2024, 5, 10), date(2024, 7, 10)]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"has_owner": False}, [QualityFlag.NO_OWNER]),
        ({"status": Status.CLOSED, "has_owner": False}, [QualityFlag.NO_OWNER]),
        ({"current_target_date": None}, [QualityFlag.NO_TARGET]),
        ({"status": Status.NOT_STARTED, "current_target_date": None}, [QualityFlag.NO_TARGET]),
        ({"status": Status.CLOSED, "current_target_date": None}, []),
        ({"accepted_in_principle": True}, [QualityFlag.IN_PRINCIPLE]),
        # Last activity on the meeting before last: nothing new for the last meeting.
        ({"last_update_on": date(2024, 3, 10)}, [QualityFlag.NO_UPDATE_FOR_LAST_MEETING]),
        ({"last_update_on": date(2024, 3, 11)}, []),
        (
            {"last_update_on": None, "made_on": date(2024, 1, 2)},
            [QualityFlag.NO_UPDATE_FOR_LAST_MEETING],
        ),
        # Made after the meeting before last: no update was expected yet.
        ({"last_update_on": None, "made_on": date(2024, 3, 11)}, []),
        ({"status": Status.IMPLEMENTED, "last_update_on": date(2024, 1, 1)}, []),
        ({"status": Status.CLOSED, "last_update_on": date(2024, 1, 1)}, []),
        (
            {
                "has_owner": False,
                "current_target_date": None,
                "accepted_in_principle": True,
                "last_update_on": date(2024, 2, 1),
            },
            [
                QualityFlag.NO_OWNER,
                QualityFlag.NO_TARGET,
                QualityFlag.IN_PRINCIPLE,
                QualityFlag.NO_UPDATE_FOR_LAST_MEETING,
            ],
        ),
    ],
)
def test_quality_flags(changes: dict, expected: list[QualityFlag]) -> None:
    assert quality_flags(facts(**changes), CALENDAR, AS_AT) == expected


@pytest.mark.parametrize(
    ("as_at", "flagged"),
    [
        (date(2024, 1, 9), False),  # no meeting yet
        (date(2024, 3, 15), False),  # last met 10 Mar, before that 10 Jan: updated 1 Feb
        (date(2024, 5, 9), False),  # the 10 May meeting has not happened yet
        (date(2024, 5, 10), True),  # on the day of the meeting: 1 Feb is before 10 Mar
        (date(2024, 6, 15), True),
    ],
)
def test_no_update_for_the_last_meeting_depends_on_the_as_at_date(
    as_at: date, flagged: bool
) -> None:
    item = facts(made_on=date(2023, 12, 1), last_update_on=date(2024, 2, 1))
    flags = quality_flags(item, CALENDAR, as_at)
    assert (QualityFlag.NO_UPDATE_FOR_LAST_MEETING in flags) is flagged


def test_quality_flags_have_labels() -> None:
    assert [flag.label for flag in QualityFlag] == [
        "No owner",
        "No target date",
        "Accepted in principle",
        "No update for the last meeting",
    ]


# Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # divisible by 400: leap
        (date(1900, 1, 31), 1, date(1900, 2, 28)),  # divisible by 100: not leap
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 5, 31), 1, date(2024, 6, 30)),
        (date(2023, 12, 15), 1, date(2024, 1, 15)),  # December into the next year
        (date(2023, 12, 31), 2, date(2024, 2, 29)),
        (date(2023, 11, 30), 2, date(2024, 1, 30)),
        (date(2023, 12, 1), 12, date(2024, 12, 1)),
        (date(2023, 12, 1), 13, date(2025, 1, 1)),
        (date(2024, 1, 15), 24, date(2026, 1, 15)),
        (date(2024, 6, 15), 0, date(2024, 6, 15)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        (date(2018, 11, 30), date(2019, 1, 30)),  # the seed report
        (date(2023, 12, 31), date(2024, 2, 29)),
        (date(2022, 12, 31), date(2023, 2, 28)),
        (date(2024, 11, 1), date(2025, 1, 1)),
        (date(2024, 6, 15), date(2024, 8, 15)),
    ],
)
def test_response_is_due_two_months_after_the_report(issued: date, expected: date) -> None:
    assert response_due_on(issued) == expected


def test_response_due_months_is_a_setting() -> None:
    assert response_due_on(date(2024, 1, 31), Thresholds(response_due_months=3)) == date(
        2024, 4, 30
    )


# Settings --------------------------------------------------------------------------------


def test_default_thresholds_are_the_ones_domain_md_states() -> None:
    # DOMAIN.md: stale after 90 days; Amber when the target is within 30 days or an item is
    # not started within 60 days of it; a response is due two months after the report.
    assert (
        DEFAULT_THRESHOLDS.stale_after_days,
        DEFAULT_THRESHOLDS.amber_target_window_days,
        DEFAULT_THRESHOLDS.not_started_warning_days,
        DEFAULT_THRESHOLDS.response_due_months,
    ) == (90, 30, 60, 2)
    assert Thresholds() == DEFAULT_THRESHOLDS
    assert {s.name: s.default for s in SETTINGS} == dataclasses.asdict(DEFAULT_THRESHOLDS)
    assert all(setting.help.strip() for setting in SETTINGS)


def test_a_shorter_stale_threshold_makes_an_item_stale_and_red() -> None:
    item = facts(last_update_on=days(-45))
    assert not is_stale(item, AS_AT)
    assert rag_rating(item, AS_AT) == RagRating(Rag.GREEN, "On track")
    strict = Thresholds(stale_after_days=30)
    assert is_stale(item, AS_AT, strict)
    assert rag_rating(item, AS_AT, strict) == RagRating(Rag.RED, "No update for 45 days")
    assert not is_stale(facts(last_update_on=days(-29)), AS_AT, strict)
    assert is_stale(facts(last_update_on=days(-30)), AS_AT, strict)


def test_a_wider_amber_window_makes_an_item_amber() -> None:
    item = facts(current_target_date=days(40), original_target_date=days(40))
    assert rag_rating(item, AS_AT).rag is Rag.GREEN
    wide = Thresholds(amber_target_window_days=45)
    assert rag_rating(item, AS_AT, wide) == RagRating(Rag.AMBER, "Target in 40 days")


def test_a_longer_not_started_warning_makes_an_item_amber() -> None:
    item = facts(
        status=Status.NOT_STARTED, current_target_date=days(80), original_target_date=days(80)
    )
    assert rag_rating(item, AS_AT).rag is Rag.GREEN
    early = Thresholds(not_started_warning_days=90)
    assert rag_rating(item, AS_AT, early) == RagRating(Rag.AMBER, "Not started, target in 80 days")
