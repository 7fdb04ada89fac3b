"""Keeping a recommendation's current-state columns in step with its progress updates.

Everything that writes recommendations (the seed, the demo generator, imports, the update
form) derives the current state with `current_state_columns`, from the same replay that
defines it (domain/replay.py), so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from domain.replay import UpdateFacts, replay
from domain.vocabulary import ReportBack, Status


def update_facts(update: Mapping[str, Any], order: int = 0) -> UpdateFacts:
    """An update row (dict with the columns of progress_updates) as replay facts."""
    return UpdateFacts(
        update_date=update["update_date"],
        new_status=Status(update["new_status"]) if update.get("new_status") else None,
        new_target_date=update.get("new_target_date"),
        report_back=ReportBack(update["report_back"]) if update.get("report_back") else None,
        reported_to_meeting=update.get("meeting_id") is not None,
        order=order,
    )


def current_state_columns(
    original_target_date: date | None, updates: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The current-state column values of a recommendation, given all its update rows."""
    state = replay(
        original_target_date,
        [update_facts(update, order) for order, update in enumerate(updates)],
    )
    return {
        "status": state.status.value,
        "current_target_date": state.current_target_date,
        "revision_count": state.revision_count,
        "last_update_on": state.last_update_on,
        "report_back_since": state.report_back_since,
        "first_completed_on": state.first_completed_on,
    }
