"""Thresholds of the DOMAIN.md rules, as data.

Each setting has a name, a default and a help text; `tests/test_settings_documented.py`
checks every one is described in the README. Rules take a `Thresholds` value so a council
can change them without touching the rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: int
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "stale_after_days",
        90,
        "An open item with no progress update for this many days is stale (and Red).",
    ),
    Setting(
        "amber_target_window_days",
        30,
        "An open item whose current target falls within this many days is Amber.",
    ),
    Setting(
        "not_started_warning_days",
        60,
        "An item not started when its target is this many days away or less is Amber.",
    ),
    Setting(
        "response_due_months",
        2,
        "A source's response is due this many months after the report is issued.",
    ),
    Setting(
        "next_meeting_warning_days",
        183,
        "Next committee warns when a committee's next meeting is more than this many days "
        "after the as-at date: its calendar is probably incomplete.",
    ),
    Setting(
        "update_request_days",
        14,
        "Owners' updates are asked for this many days before a committee's meeting, unless "
        "the committee sets its own number on the Committees page.",
    ),
)


@dataclass(frozen=True)
class Thresholds:
    """The settings in force; defaults come from SETTINGS (a test checks they match)."""

    stale_after_days: int = 90
    amber_target_window_days: int = 30
    not_started_warning_days: int = 60
    response_due_months: int = 2
    next_meeting_warning_days: int = 183
    update_request_days: int = 14


DEFAULT_THRESHOLDS = Thresholds()

# Ageing buckets for overdue items: (label, first day, last day or None for no upper bound).
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1–30 days", 1, 30),
    ("31–90 days", 31, 90),
    ("91–180 days", 91, 180),
    ("Over 180 days", 181, None),
)
AGEING_BUCKET_LABELS = tuple(label for label, _, _ in AGEING_BUCKETS)
