"""Reading the raw rows the tests' expectations are built from, independently of the app.

The tests work out what a page should show from the database's rows with plain sqlite3 and
the pure rules of domain/, never through the queries under test.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from domain import rules
from domain.replay import UpdateFacts, replay
from domain.vocabulary import Acceptance, ReportBack, Status


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


@dataclass(frozen=True)
class Item:
    """One recommendation as at a date: where it sits, and its facts then (replayed)."""

    id: int
    ref: str
    wording: str
    source_id: int
    source: str
    committee_id: int
    owner: str
    directorate_id: int | None
    directorate: str
    first_complete_on: date | None  # first update on or before the date to complete it
    next_meeting: date | None  # its committee's next meeting on or after the date
    facts: rules.RecommendationFacts


def database_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def items_as_at(
    url: str, as_at: date, *, no_owner: str = "", no_directorate: str = ""
) -> list[Item]:
    """Every recommendation made by `as_at`, its state then replayed from its updates by the
    pure rules (DOMAIN.md), read with plain sqlite3: what every page should agree with.
    A missing owner or directorate reads as `no_owner` / `no_directorate`."""
    with sqlite3.connect(database_path(url)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            """
            SELECT r.id, r.ref, r.wording, r.source_id, s.title AS source, r.committee_id,
                   r.owner_id, o.name AS owner, r.directorate_id, d.name AS directorate,
                   r.made_on, r.original_target_date, r.acceptance, r.accepted_on,
                   r.accepted_in_principle, s.response_due_on
            FROM recommendations r
            JOIN sources s ON s.id = r.source_id
            LEFT JOIN officers o ON o.id = r.owner_id
            LEFT JOIN directorates d ON d.id = r.directorate_id
            """
        ).fetchall()
        updates = update_facts_by_recommendation(db)
        meetings: dict[int, list[date]] = {}
        for committee_id, meeting_day in db.execute(
            "SELECT committee_id, meeting_date FROM meetings"
        ):
            meetings.setdefault(committee_id, []).append(day(meeting_day))
    items = []
    for row in rows:
        made_on = day(row["made_on"])
        if made_on > as_at:
            continue
        original = day(row["original_target_date"])
        history = updates.get(row["id"], [])
        state = replay(original, history, as_at)
        accepted_on = day(row["accepted_on"])
        acceptance = Acceptance(row["acceptance"])
        if accepted_on is not None and accepted_on > as_at:
            acceptance = Acceptance.AWAITING_RESPONSE
        facts = rules.RecommendationFacts(
            status=state.status,
            made_on=made_on,
            original_target_date=original,
            current_target_date=state.current_target_date,
            revision_count=state.revision_count,
            last_update_on=state.last_update_on,
            report_back_pending=state.report_back_since is not None,
            acceptance=acceptance,
            accepted_in_principle=bool(row["accepted_in_principle"]),
            response_due_on=day(row["response_due_on"]),
            has_owner=row["owner_id"] is not None,
        )
        completions = sorted(
            u.update_date
            for u in history
            if u.update_date <= as_at and u.new_status is not None and u.new_status.is_complete
        )
        items.append(
            Item(
                id=row["id"],
                ref=row["ref"],
                wording=row["wording"],
                source_id=row["source_id"],
                source=row["source"],
                committee_id=row["committee_id"],
                owner=row["owner"] or no_owner,
                directorate_id=row["directorate_id"],
                directorate=row["directorate"] or no_directorate,
                first_complete_on=completions[0] if completions else None,
                next_meeting=rules.next_meeting(meetings.get(row["committee_id"], []), as_at),
                facts=facts,
            )
        )
    return items
