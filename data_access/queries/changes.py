"""What was edited in the app, by whom and when: the change records of `recommendation_changes`.

Edits (wording, owner, directorate, priority, acceptance, source details, actions) are kept
one row per field in their stored form (ids, ISO dates, enum values); this module reads
them back in words for the history and the audit (owner ids become names, values become
labels), so the screens never see an id. Progress updates are `queries.history`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, or_, select

from data_access.edits import ACTION_FIELDS, RECOMMENDATION_FIELDS, SOURCE_FIELDS, field_label
from data_access.models import (
    Action,
    Directorate,
    Officer,
    Recommendation,
    RecommendationChange,
    Source,
)
from domain.formatting import short_date
from domain.vocabulary import Acceptance, ActionStatus, Priority

__all__ = [
    "CHANGE_COLUMNS",
    "EditableAction",
    "EditableRecommendation",
    "describe_value",
    "editable_recommendation",
    "recommendation_changes",
]

CHANGE_COLUMNS = (
    "id",
    "effective_on",
    "changed_at",
    "changed_by",
    "field",
    "what",
    "old",
    "new",
    "action",
    "what_changed",
)

_DATE_FIELDS = {"accepted_on", "action.due_date", "action.completed_on"}
_OFFICER_FIELDS = {"owner_id", "action.owner_id"}
_LABELS: dict[str, Any] = {
    "priority": Priority,
    "acceptance": Acceptance,
    "action.status": ActionStatus,
}


def describe_value(
    field: str, stored: str | None, officers: Mapping[int, str], directorates: Mapping[int, str]
) -> str:
    """A change record's stored value in words: names for ids, labels, dates, Yes/No."""
    if stored is None or stored == "":
        if field in _OFFICER_FIELDS:
            return "no owner"
        return "none"
    if field in _OFFICER_FIELDS:
        return officers.get(int(stored), f"officer {stored}")
    if field == "directorate_id":
        return directorates.get(int(stored), f"directorate {stored}")
    if field in _DATE_FIELDS:
        return short_date(date.fromisoformat(stored))
    if field == "accepted_in_principle":
        return "Yes" if stored == "1" else "No"
    if field in _LABELS:
        try:
            return _LABELS[field](stored).label
        except ValueError:
            return stored
    return stored


def _names(connection: Connection, table: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = connection.execute(select(table.id, table.name).where(table.id.in_(sorted(ids))))
    return {int(row_id): name for row_id, name in rows}


def recommendation_changes(
    connection: Connection, recommendation_id: int, as_at: date | None = None
) -> pd.DataFrame:
    """Every edit of the recommendation, its actions and its source, oldest first (by the day
    it took effect, then the order recorded); those effective on or before `as_at` if given.

    A source's details are shared by its recommendations, so an edit made from any of them is
    listed with each. `what_changed` is one plain line ("Owner: A. Smith → B. Jones")."""
    c = RecommendationChange
    same_source = select(Recommendation.id).where(
        Recommendation.source_id
        == select(Recommendation.source_id)
        .where(Recommendation.id == recommendation_id)
        .scalar_subquery()
    )
    query = (
        select(
            c.id,
            c.effective_on,
            c.changed_at,
            c.changed_by,
            c.field,
            c.old_value,
            c.new_value,
            Action.description.label("action"),
        )
        .outerjoin(Action, Action.id == c.action_id)
        .where(
            or_(
                c.recommendation_id == recommendation_id,
                c.field.startswith("source.") & c.recommendation_id.in_(same_source),
            )
        )
        .order_by(c.effective_on, c.id)
    )
    if as_at is not None:
        query = query.where(c.effective_on <= as_at)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    officer_ids = {
        int(v)
        for row in rows
        if row["field"] in _OFFICER_FIELDS
        for v in (row["old_value"], row["new_value"])
        if v
    }
    directorate_ids = {
        int(v)
        for row in rows
        if row["field"] == "directorate_id"
        for v in (row["old_value"], row["new_value"])
        if v
    }
    officers = _names(connection, Officer, officer_ids)
    directorates = _names(connection, Directorate, directorate_ids)
    records = []
    for row in rows:
        field = row["field"]
        old = describe_value(field, row["old_value"], officers, directorates)
        new = describe_value(field, row["new_value"], officers, directorates)
        what = field_label(field)
        line = f"{what}: {new}" if field == "action.added" else f"{what}: {old} → {new}"
        records.append(
            {
                "id": row["id"],
                "effective_on": row["effective_on"],
                "changed_at": row["changed_at"],
                "changed_by": row["changed_by"],
                "field": field,
                "what": what,
                "old": None if field == "action.added" else old,
                "new": new,
                "action": row["action"],
                "what_changed": line,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(CHANGE_COLUMNS))
    frame["effective_on"] = pd.to_datetime(frame["effective_on"])
    frame["changed_at"] = pd.to_datetime(frame["changed_at"])
    frame["id"] = frame["id"].astype("int64")
    return frame


@dataclass(frozen=True)
class EditableAction:
    id: int
    description: str
    owner_id: int | None
    due_date: date | None
    status: str
    completed_on: date | None
    evidence: str | None


@dataclass(frozen=True)
class EditableRecommendation:
    """A recommendation's editable fields as stored now (ids and values, not labels): what
    the edit form shows and what it passes back as `seen`, so a change made by someone else
    since is noticed (`edits.StaleEdit`)."""

    id: int
    made_on: date
    recommendation: dict[str, Any]
    source: dict[str, Any]
    actions: tuple[EditableAction, ...]


def editable_recommendation(
    connection: Connection, recommendation_id: int
) -> EditableRecommendation | None:
    """The stored values the edit form starts from; None when there is no such item."""
    r = Recommendation
    row = (
        connection.execute(
            select(
                r.id, r.made_on, r.source_id, *[getattr(r, f) for f in RECOMMENDATION_FIELDS]
            ).where(r.id == recommendation_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    source = (
        connection.execute(
            select(*[getattr(Source, f) for f in SOURCE_FIELDS]).where(
                Source.id == row["source_id"]
            )
        )
        .mappings()
        .one()
    )
    actions = connection.execute(
        select(Action.id, *[getattr(Action, f) for f in ACTION_FIELDS])
        .where(Action.recommendation_id == recommendation_id)
        .order_by(Action.id)
    ).mappings()
    return EditableRecommendation(
        id=int(row["id"]),
        made_on=row["made_on"],
        recommendation={f: row[f] for f in RECOMMENDATION_FIELDS},
        source=dict(source),
        actions=tuple(EditableAction(**dict(action)) for action in actions),
    )
