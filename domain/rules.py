"""The rules of DOMAIN.md as pure functions over one recommendation's facts as at a date.

These are the reference definitions. `data_access/rules_sql.py` states the same rules as SQL
expressions so that counts and groupings run in the database; a test checks that both agree
on every recommendation of a generated council.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.settings import AGEING_BUCKETS, DEFAULT_THRESHOLDS, Thresholds
from domain.vocabulary import (
    NOT_APPLICABLE_STATUSES,
    Acceptance,
    Rag,
    Status,
)


@dataclass(frozen=True)
class RecommendationFacts:
    """What the rules need to know about one recommendation, as at the date in question."""

    status: Status
    made_on: date
    original_target_date: date | None = None
    current_target_date: date | None = None
    revision_count: int = 0
    last_update_on: date | None = None
    report_back_pending: bool = False
    acceptance: Acceptance = Acceptance.ACCEPTED
    accepted_in_principle: bool = False
    response_due_on: date | None = None
    has_owner: bool = True


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def response_due_on(date_issued: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> date:
    """A source's response is normally due within two months of the report."""
    return add_months(date_issued, thresholds.response_due_months)


def is_open(facts: RecommendationFacts) -> bool:
    return facts.status.is_open


def is_overdue(facts: RecommendationFacts, as_at: date) -> bool:
    """Open and the current target date is before the as-at date."""
    return (
        is_open(facts)
        and facts.current_target_date is not None
        and facts.current_target_date < as_at
    )


def days_overdue(facts: RecommendationFacts, as_at: date) -> int:
    """Days past the current target; 0 when not overdue."""
    if not is_overdue(facts, as_at):
        return 0
    assert facts.current_target_date is not None
    return (as_at - facts.current_target_date).days


def ageing_bucket(days: int) -> str | None:
    """The ageing bucket label for a number of days overdue; None when not overdue."""
    for label, first_day, last_day in AGEING_BUCKETS:
        if days >= first_day and (last_day is None or days <= last_day):
            return label
    return None


def is_slipped(facts: RecommendationFacts, as_at: date) -> bool:
    """Target revised at least once, or open with its original target passed."""
    revised = facts.revision_count > 0 or (
        facts.original_target_date is not None
        and facts.current_target_date is not None
        and facts.current_target_date > facts.original_target_date
    )
    original_passed = (
        is_open(facts)
        and facts.original_target_date is not None
        and facts.original_target_date < as_at
    )
    return revised or original_passed


def slip_days(facts: RecommendationFacts) -> int:
    """Days between the original and the current target (0 when either is missing)."""
    if facts.original_target_date is None or facts.current_target_date is None:
        return 0
    return (facts.current_target_date - facts.original_target_date).days


def last_activity_on(facts: RecommendationFacts) -> date:
    """The last progress update, or the day the recommendation was made when there is none."""
    return facts.last_update_on or facts.made_on


def days_since_update(facts: RecommendationFacts, as_at: date) -> int:
    return (as_at - last_activity_on(facts)).days


def is_stale(
    facts: RecommendationFacts, as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Open and no progress update for `stale_after_days` (90) days."""
    return is_open(facts) and days_since_update(facts, as_at) >= thresholds.stale_after_days


@dataclass(frozen=True)
class RagRating:
    rag: Rag
    reason: str


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _target_in(target: date, as_at: date) -> str:
    days_left = (target - as_at).days
    return "Target is today" if days_left == 0 else f"Target in {_plural(days_left, 'day')}"


def rag_rating(
    facts: RecommendationFacts, as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> RagRating:
    """RAG with the reason that produced it (computed, never typed in).

    Complete → Blue; superseded or not implemented → grey; overdue, slipped twice or more,
    or stale → Red; target within 30 days, slipped once, or not started within 60 days of
    target → Amber; otherwise Green. The first reason that applies is the one given.
    """
    if facts.status.is_complete:
        return RagRating(Rag.BLUE, f"Complete: {facts.status.label.lower()}")
    if facts.status in NOT_APPLICABLE_STATUSES:
        return RagRating(Rag.GREY, f"Not applicable: {facts.status.label.lower()}")
    if is_overdue(facts, as_at):
        return RagRating(Rag.RED, f"Overdue by {_plural(days_overdue(facts, as_at), 'day')}")
    if facts.revision_count >= 2:
        return RagRating(Rag.RED, f"Target revised {facts.revision_count} times")
    if is_stale(facts, as_at, thresholds):
        return RagRating(
            Rag.RED, f"No update for {_plural(days_since_update(facts, as_at), 'day')}"
        )
    target = facts.current_target_date
    if target is not None and (target - as_at).days <= thresholds.amber_target_window_days:
        return RagRating(Rag.AMBER, _target_in(target, as_at))
    if is_slipped(facts, as_at):
        return RagRating(Rag.AMBER, "Target revised once")
    if (
        facts.status is Status.NOT_STARTED
        and target is not None
        and (target - as_at).days <= thresholds.not_started_warning_days
    ):
        return RagRating(Rag.AMBER, f"Not started, {_target_in(target, as_at).lower()}")
    if target is None:
        return RagRating(Rag.GREEN, "On track (no target date set)")
    return RagRating(Rag.GREEN, "On track")


class DueBackReason(StrEnum):
    """Why an item must come back to the next committee (DOMAIN.md rules 1–5, in order)."""

    REPORT_BACK = "report_back"
    TARGET_BY_MEETING = "target_by_meeting"
    OVERDUE = "overdue"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    RESPONSE_DUE = "response_due"

    @property
    def label(self) -> str:
        return DUE_BACK_LABELS[self]


DUE_BACK_LABELS = {
    DueBackReason.REPORT_BACK: "Committed to report back",
    DueBackReason.TARGET_BY_MEETING: "Target date on or before the meeting",
    DueBackReason.OVERDUE: "Overdue",
    DueBackReason.AWAITING_SIGN_OFF: "Implemented, awaiting sign-off",
    DueBackReason.RESPONSE_DUE: "Response to the report due or late",
}


def next_meeting(meeting_dates: Iterable[date], as_at: date) -> date | None:
    """A committee's first meeting on or after the as-at date, if it has one scheduled."""
    upcoming = [day for day in meeting_dates if day >= as_at]
    return min(upcoming) if upcoming else None


def due_back_reasons(
    facts: RecommendationFacts, next_meeting_on: date | None, as_at: date
) -> list[DueBackReason]:
    """Every reason the item must come back at the next meeting; empty when none applies."""
    if next_meeting_on is None:
        return []
    reasons: list[DueBackReason] = []
    if facts.report_back_pending:
        reasons.append(DueBackReason.REPORT_BACK)
    if (
        is_open(facts)
        and facts.current_target_date is not None
        and facts.current_target_date <= next_meeting_on
    ):
        reasons.append(DueBackReason.TARGET_BY_MEETING)
    if is_overdue(facts, as_at):
        reasons.append(DueBackReason.OVERDUE)
    if facts.status is Status.IMPLEMENTED:
        reasons.append(DueBackReason.AWAITING_SIGN_OFF)
    # Rule 5 asks for the council's response; an item already closed, implemented,
    # superseded or not implemented has been answered by what was done, whatever its
    # acceptance field still says (a report can close an item it never recorded accepting).
    if (
        is_open(facts)
        and facts.acceptance is Acceptance.AWAITING_RESPONSE
        and facts.response_due_on is not None
        and facts.response_due_on <= next_meeting_on
    ):
        reasons.append(DueBackReason.RESPONSE_DUE)
    return reasons


class QualityFlag(StrEnum):
    NO_OWNER = "no_owner"
    NO_TARGET = "no_target"
    IN_PRINCIPLE = "in_principle"
    NO_UPDATE_FOR_LAST_MEETING = "no_update_for_last_meeting"

    @property
    def label(self) -> str:
        return {
            QualityFlag.NO_OWNER: "No owner",
            QualityFlag.NO_TARGET: "No target date",
            QualityFlag.IN_PRINCIPLE: "Accepted in principle",
            QualityFlag.NO_UPDATE_FOR_LAST_MEETING: "No update for the last meeting",
        }[self]


def quality_flags(
    facts: RecommendationFacts, meeting_dates: Sequence[date], as_at: date
) -> list[QualityFlag]:
    """Data-quality flags. "No update for the last meeting": the item was open and had no
    update after the meeting before the committee's most recent one (on or before as-at)."""
    flags: list[QualityFlag] = []
    if not facts.has_owner:
        flags.append(QualityFlag.NO_OWNER)
    if is_open(facts) and facts.current_target_date is None:
        flags.append(QualityFlag.NO_TARGET)
    if facts.accepted_in_principle:
        flags.append(QualityFlag.IN_PRINCIPLE)
    past = sorted(day for day in meeting_dates if day <= as_at)
    if is_open(facts) and len(past) >= 2:
        meeting_before_last = past[-2]
        if facts.made_on <= meeting_before_last and last_activity_on(facts) <= meeting_before_last:
            flags.append(QualityFlag.NO_UPDATE_FOR_LAST_MEETING)
    return flags


def stale_cutoff(as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> date:
    """Items whose last activity is on or before this date are stale (if open)."""
    return as_at - timedelta(days=thresholds.stale_after_days)
