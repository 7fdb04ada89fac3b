"""Thresholds of the DOMAIN.md rules, as data.

Each threshold's default and help text are written once, on its `Thresholds` field; `SETTINGS`
lists them as `Setting(name, default, help)` values (after datasette's settings), and
`tests/test_docs.py` checks every one is described in the README with the same default. Rules
take a `Thresholds` value so a council can change them without touching the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Setting:
    name: str
    default: int
    help: str


def _threshold(default: int, help_text: str) -> int:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Thresholds:
    """The settings in force."""

    stale_after_days: int = _threshold(
        90, "An open item with no progress update for this many days is stale (and Red)."
    )
    amber_target_window_days: int = _threshold(
        30, "An open item whose current target falls within this many days is Amber."
    )
    not_started_warning_days: int = _threshold(
        60, "An item not started when its target is this many days away or less is Amber."
    )
    response_due_months: int = _threshold(
        2, "A source's response is due this many months after the report is issued."
    )
    next_meeting_warning_days: int = _threshold(
        183,
        "Next committee warns when a committee's next meeting is more than this many days "
        "after the as-at date: its calendar is probably incomplete.",
    )
    update_request_days: int = _threshold(
        14,
        "Owners' updates are asked for this many days before a committee's meeting, unless "
        "the committee sets its own number on the Committees page.",
    )


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(threshold.name, threshold.default, threshold.metadata["help"])
    for threshold in fields(Thresholds)
)

DEFAULT_THRESHOLDS = Thresholds()

# Ageing buckets for overdue items: (label, first day, last day or None for no upper bound).
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1–30 days", 1, 30),
    ("31–90 days", 31, 90),
    ("91–180 days", 91, 180),
    ("Over 180 days", 181, None),
)
AGEING_BUCKET_LABELS = tuple(label for label, _, _ in AGEING_BUCKETS)
