"""Reading the raw rows the tests' expectations are built from, independently of the app.

The tests work out what a page should show from the database's rows with plain sqlite3 and
the pure rules of domain/, never through the queries under test.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from domain.replay import UpdateFacts
from domain.vocabulary import ReportBack, Status


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(str(text)[:10])


def update_facts_by_recommendation(db: sqlite3.Connection) -> dict[int, list[UpdateFacts]]:
    """Every progress update as replay facts, per recommendation id (ordered by id)."""
    updates: dict[int, list[UpdateFacts]] = {}
    for (
        update_id,
        recommendation_id,
        update_date,
        new_status,
        new_target,
        report_back,
        meeting,
    ) in db.execute(
        "SELECT id, recommendation_id, update_date, new_status, new_target_date, "
        "report_back, meeting_id FROM progress_updates ORDER BY id"
    ):
        updates.setdefault(recommendation_id, []).append(
            UpdateFacts(
                update_date=day(update_date),
                new_status=Status(new_status) if new_status else None,
                new_target_date=day(new_target),
                report_back=ReportBack(report_back) if report_back else None,
                reported_to_meeting=meeting is not None,
                order=update_id,
            )
        )
    return updates
