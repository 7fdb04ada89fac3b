"""The history of one recommendation: every progress update, with what each one changed.

Progress updates are the audit trail (docs/decisions.md, 1): imports, the seed and the
dashboard's update form all write them, so one list answers "what happened, when, who said
so and why". What an update changed (status from → to, target from → to) is not stored; it
is worked out here by replaying the updates in order with `domain.replay`, the definition
the current-state columns follow, so the history and the state cannot disagree.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, select

from data_access.models import Action, Meeting, ProgressUpdate, Recommendation
from data_access.writes import update_facts
from domain.formatting import short_date
from domain.replay import ReplayedState, replay
from domain.vocabulary import ReportBack, Status

__all__ = ["HISTORY_COLUMNS", "history", "reportable_meetings"]

# Meetings offered to report an update to: the latest few are the ones that matter.
REPORTABLE_MEETINGS = 12

HISTORY_COLUMNS = (
    "id",
    "update_date",
    "recorded_at",
    "author",
    "narrative",
    "status_from",
    "status_to",
    "status_changed",
    "target_from",
    "target_to",
    "target_changed",
    "target_change_reason",
    "report_back",
    "evidence",
    "meeting_date",
    "action",
    "what_changed",
)
_DATE_COLUMNS = ("update_date", "target_from", "target_to", "meeting_date")


def history(
    connection: Connection, recommendation_id: int, as_at: date | None = None
) -> pd.DataFrame:
    """Every progress update of a recommendation, oldest first, with what each changed.

    One row per update (those dated on or before `as_at` when given, so a view as at an
    earlier date shows the history as it stood then). `status_from`/`status_to` are the
    status labels before and after the update, `target_from`/`target_to` the current target
    before and after; `status_changed`/`target_changed` say whether the update set them
    (an update may restate the status it already had). `what_changed` is one plain line.
    Replay order is the update date, then the order of writing (id), as everywhere else.
    """
    original_target = connection.execute(
        select(Recommendation.original_target_date).where(Recommendation.id == recommendation_id)
    ).scalar_one_or_none()
    u = ProgressUpdate
    query = (
        select(
            u.id,
            u.update_date,
            u.recorded_at,
            u.author,
            u.narrative,
            u.new_status,
            u.new_target_date,
            u.target_change_reason,
            u.report_back,
            u.evidence,
            u.meeting_id,
            Meeting.meeting_date,
            Action.description.label("action"),
        )
        .outerjoin(Meeting, Meeting.id == u.meeting_id)
        .outerjoin(Action, Action.id == u.action_id)
        .where(u.recommendation_id == recommendation_id)
        .order_by(u.update_date, u.id)
    )
    if as_at is not None:
        query = query.where(u.update_date <= as_at)
    updates = [dict(row) for row in connection.execute(query).mappings()]
    facts = [update_facts(update, order) for order, update in enumerate(updates)]
    # The state before update i is the replay of the first i updates.
    states = [replay(original_target, facts[:i]) for i in range(len(facts) + 1)]
    records = [
        _record(update, before, after)
        for update, before, after in zip(updates, states, states[1:], strict=False)
    ]
    frame = pd.DataFrame.from_records(records, columns=list(HISTORY_COLUMNS))
    for column in _DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column])
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"])
    frame["id"] = frame["id"].astype("int64")
    return frame


def _record(update: dict, before: ReplayedState, after: ReplayedState) -> dict:
    status_changed = update["new_status"] is not None
    target_changed = update["new_target_date"] is not None
    report_back = ReportBack(update["report_back"]).label if update["report_back"] else None
    return {
        "id": update["id"],
        "update_date": update["update_date"],
        "recorded_at": update["recorded_at"],
        "author": update["author"],
        "narrative": update["narrative"],
        "status_from": before.status.label,
        "status_to": after.status.label,
        "status_changed": status_changed,
        "target_from": before.current_target_date,
        "target_to": after.current_target_date,
        "target_changed": target_changed,
        "target_change_reason": update["target_change_reason"],
        "report_back": report_back,
        "evidence": update["evidence"],
        "meeting_date": update["meeting_date"],
        "action": update["action"],
        "what_changed": _what_changed(update, before, after, report_back),
    }


def _what_changed(
    update: dict, before: ReplayedState, after: ReplayedState, report_back: str | None
) -> str:
    """'Status: In progress → Implemented (awaiting sign-off); Target: 1 Mar 2019 → …'."""
    changes = []
    if update["new_status"] is not None:
        if before.status is Status(update["new_status"]):
            changes.append(f"Status unchanged: {after.status.label}")
        else:
            changes.append(f"Status: {before.status.label} → {after.status.label}")
    if update["new_target_date"] is not None:
        was = short_date(before.current_target_date) if before.current_target_date else "none"
        changes.append(f"Target: {was} → {short_date(after.current_target_date)}")
    if report_back:
        changes.append(report_back)
    return "; ".join(changes)


def reportable_meetings(
    connection: Connection, recommendation_id: int, up_to: date
) -> tuple[tuple[int, date], ...]:
    """(meeting id, date) of the monitoring committee's latest meetings on or before `up_to`,
    newest first: the meetings a progress update can say it was reported to (which meets a
    report-back commitment, and names the meeting that closed a recommendation)."""
    rows = connection.execute(
        select(Meeting.id, Meeting.meeting_date)
        .join(Recommendation, Recommendation.committee_id == Meeting.committee_id)
        .where(Recommendation.id == recommendation_id, Meeting.meeting_date <= up_to)
        .order_by(Meeting.meeting_date.desc())
        .limit(REPORTABLE_MEETINGS)
    ).all()
    return tuple((int(row.id), row.meeting_date) for row in rows)
