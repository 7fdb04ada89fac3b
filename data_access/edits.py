"""Corrections made in the app, each leaving a record of what changed (issue 9, item 4).

A correction to a recommendation, its source or one of its actions is made in place and
leaves one `recommendation_changes` row per field changed: who (the signed-in person's
identity, from the caller), when it was recorded, the day it takes effect, and the value
before and after in its stored form. The *as at* replay (data_access/state.py) and the
history read those rows. Each function takes the caller's connection: all or nothing. An
action's progress update is here too: it is written beside the action, not as a change of
the recommendation's state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from data_access.models import (
    Action,
    Directorate,
    Officer,
    ProgressUpdate,
    Recommendation,
    RecommendationChange,
    Source,
)
from data_access.writes import (
    InvalidUpdate,
    check_author,
    current_state_columns,
    lock_recommendations,
    updates_by_recommendation,
)
from domain.drafts import UpdateDraft, draft_problems
from domain.drafts import blank_to_none as _blank_to_none
from domain.formatting import long_date
from domain.vocabulary import Acceptance, ActionStatus, Priority

# Recommendation columns an officer may correct in the app.
RECOMMENDATION_FIELDS = (
    "wording",
    "owner_id",
    "directorate_id",
    "priority",
    "acceptance",
    "accepted_on",
    "accepted_in_principle",
)
# Source columns, recorded as "source.<column>" against the recommendation edited from.
SOURCE_FIELDS = ("title", "author", "accountable_director", "document_url")
# Action columns, recorded as "action.<column>" with the action's id.
ACTION_FIELDS = ("description", "owner_id", "due_date", "status", "completed_on", "evidence")
ACTION_ADDED = "action.added"
MAX_WORDING = 10_000
MAX_SOURCE_TITLE = 500


class StaleEdit(Exception):
    """Someone changed a field after the editor read it; nothing was written.

    `field` is the field, `seen` what the editor saw, `now` what it holds now (stored form)."""

    def __init__(self, field: str, seen: str | None, now: str | None) -> None:
        self.field = field
        self.seen = seen
        self.now = now
        super().__init__(f"{field} was changed by someone else after it was read.")


def stored_text(value: Any) -> str | None:
    """A column value as the change record keeps it: ISO dates, enum values, "1"/"0"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):  # an enumeration
        return str(value.value)
    text = str(value)
    return text


def _edit_values(
    current: Mapping[str, Any],
    new_values: Mapping[str, Any],
    seen: Mapping[str, Any],
    allowed: Sequence[str],
    prefix: str = "",
) -> dict[str, tuple[Any, Any]]:
    """{field: (old, new)} for the fields that change; StaleEdit if one seen has moved."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in new_values.items():
        if name not in allowed:
            raise InvalidUpdate([f"{prefix}{name} cannot be edited here."])
        if name in seen and stored_text(seen[name]) != stored_text(current[name]):
            raise StaleEdit(prefix + name, stored_text(seen[name]), stored_text(current[name]))
        if isinstance(value, str):
            value = value.strip()
        if stored_text(value) != stored_text(current[name]):
            changes[name] = (current[name], value)
    return changes


def _refuse_backdated(
    conn: Connection, recommendation_id: int, fields: Sequence[str], effective_on: date
) -> None:
    """A change may not take effect before an earlier change of the same field: the replay
    reads each field's changes in order of effect, so they must follow one another."""
    if not fields:
        return
    latest = conn.execute(
        select(RecommendationChange.field, func.max(RecommendationChange.effective_on))
        .where(
            RecommendationChange.recommendation_id == recommendation_id,
            RecommendationChange.field.in_(list(fields)),
        )
        .group_by(RecommendationChange.field)
    ).all()
    for field_name, last in latest:
        if last is not None and effective_on < last:
            raise InvalidUpdate(
                [
                    f"This change cannot take effect before {long_date(last)}, when "
                    f"{field_label(field_name).lower()} last changed. Choose that date or later."
                ]
            )


def _record_changes(
    conn: Connection,
    recommendation_id: int,
    changes: Mapping[str, tuple[Any, Any]],
    *,
    changed_by: str,
    effective_on: date,
    action_id: int | None = None,
    prefix: str = "",
) -> list[int]:
    """One `recommendation_changes` row per change, old and new in their stored form; ids."""
    if not changes:
        return []
    rows = [
        {
            "recommendation_id": recommendation_id,
            "action_id": action_id,
            "field": prefix + name,
            "old_value": stored_text(old),
            "new_value": stored_text(new),
            "changed_by": changed_by,
            "effective_on": effective_on,
        }
        for name, (old, new) in changes.items()
    ]
    return list(
        conn.execute(
            insert(RecommendationChange).returning(
                RecommendationChange.id, sort_by_parameter_order=True
            ),
            rows,
        ).scalars()
    )


def _new_values(changes: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
    """{field: new value} of the changes."""
    return {name: new for name, (_, new) in changes.items()}


def _apply_edit(
    conn: Connection,
    table: Any,
    row: Mapping[str, Any],
    new_values: Mapping[str, Any],
    *,
    seen: Mapping[str, Any],
    fields: Sequence[str],
    problems_of: Callable[[Mapping[str, tuple[Any, Any]]], list[str]],
    recommendation_id: int,
    changed_by: str,
    effective_on: date,
    replayed: bool = False,
    action_id: int | None = None,
    prefix: str = "",
) -> list[int]:
    """The one way a row is corrected: the fields that change (StaleEdit if one the editor saw
    has moved since), refused with `problems_of(changes)` if it finds any, else the row
    (`table`, `row["id"]`) updated and each change recorded against the recommendation; the
    change ids. `replayed` fields (the recommendation's own, which the *as at* replay reads)
    may not take effect before an earlier change of the same field. Writes nothing on any
    refusal."""
    changes = _edit_values(row, new_values, seen, fields, prefix)
    problems = problems_of(changes)
    if problems:
        raise InvalidUpdate(problems)
    if replayed:
        _refuse_backdated(conn, recommendation_id, list(changes), effective_on)
    if not changes:
        return []
    conn.execute(update(table).where(table.id == row["id"]).values(_new_values(changes)))
    return _record_changes(
        conn,
        recommendation_id,
        changes,
        changed_by=changed_by,
        effective_on=effective_on,
        action_id=action_id,
        prefix=prefix,
    )


def _exists(conn: Connection, table: Any, row_id: Any) -> bool:
    return conn.execute(select(table.id).where(table.id == row_id)).scalar() is not None


def _unknown(conn: Connection, table: Any, row_id: Any) -> bool:
    """An id given (not None) that names no row."""
    return row_id is not None and not _exists(conn, table, row_id)


def recommendation_edit_problems(
    conn: Connection, row: Mapping[str, Any], changes: Mapping[str, tuple[Any, Any]]
) -> list[str]:
    """What stops the changes being made to the recommendation `row`, in sentences."""
    problems = []
    merged = {**row, **_new_values(changes)}
    if "wording" in changes:
        if not (merged["wording"] or "").strip():
            problems.append("The wording cannot be empty.")
        elif len(merged["wording"]) > MAX_WORDING:
            problems.append(f"The wording is too long (at most {MAX_WORDING:,} characters).")
    if "priority" in changes and merged["priority"] not in {p.value for p in Priority}:
        problems.append(f"{merged['priority']!r} is not a priority (high, medium or low).")
    if "acceptance" in changes and merged["acceptance"] not in {a.value for a in Acceptance}:
        problems.append(f"{merged['acceptance']!r} is not an acceptance.")
    if "owner_id" in changes and _unknown(conn, Officer, merged["owner_id"]):
        problems.append(f"There is no officer number {merged['owner_id']}.")
    if "directorate_id" in changes and _unknown(conn, Directorate, merged["directorate_id"]):
        problems.append(f"There is no directorate number {merged['directorate_id']}.")
    if {"acceptance", "accepted_on"} & set(changes):
        answered = merged["acceptance"] != Acceptance.AWAITING_RESPONSE.value
        if answered and merged["accepted_on"] is None:
            problems.append("Give the date of the response (when it was accepted, or not).")
        if merged["accepted_on"] is not None and merged["accepted_on"] < row["made_on"]:
            problems.append(
                f"The response date cannot be before the recommendation was made "
                f"({long_date(row['made_on'])})."
            )
    return problems


def edit_recommendation(
    conn: Connection,
    recommendation_id: int,
    new_values: Mapping[str, Any],
    *,
    seen: Mapping[str, Any],
    changed_by: str,
    effective_on: date,
) -> list[int]:
    """Correct fields of a recommendation (RECOMMENDATION_FIELDS) and record each change; the
    change ids (empty when nothing differs).

    `seen` holds the values the editor was shown: if any field being edited holds something
    else now, StaleEdit is raised. Awaiting a response clears the response date. Raises
    InvalidUpdate for values that cannot be kept. Writes nothing on any refusal."""
    check_author(changed_by)
    row = lock_recommendations(conn, [recommendation_id])[recommendation_id]
    values = dict(new_values)
    if values.get("acceptance") == Acceptance.AWAITING_RESPONSE.value:
        values["accepted_on"] = None
    for name in ("owner_id", "directorate_id"):
        if name in values and values[name] is not None:
            values[name] = int(values[name])

    def problems(changes: Mapping[str, tuple[Any, Any]]) -> list[str]:
        found = recommendation_edit_problems(conn, row, changes)
        if effective_on < row["made_on"]:
            found.append(
                "A change cannot take effect before the recommendation was made "
                f"({long_date(row['made_on'])})."
            )
        return found

    return _apply_edit(
        conn,
        Recommendation,
        row,
        values,
        seen=seen,
        fields=RECOMMENDATION_FIELDS,
        problems_of=problems,
        recommendation_id=recommendation_id,
        changed_by=changed_by,
        effective_on=effective_on,
        replayed=True,
    )


def _source_problems(changes: Mapping[str, tuple[Any, Any]]) -> list[str]:
    """What stops the changes being made to a source (its title only can be refused)."""
    if "title" not in changes:
        return []
    title = changes["title"][1]
    if not title:
        return ["The source needs a title."]
    if len(title) > MAX_SOURCE_TITLE:
        return [f"The title is too long (at most {MAX_SOURCE_TITLE})."]
    return []


def edit_source(
    conn: Connection,
    recommendation_id: int,
    new_values: Mapping[str, Any],
    *,
    seen: Mapping[str, Any],
    changed_by: str,
    effective_on: date,
) -> list[int]:
    """Correct the details of the recommendation's source (SOURCE_FIELDS); each change is
    recorded as "source.<column>" against this recommendation (the one edited from). As
    `edit_recommendation` otherwise: StaleEdit, InvalidUpdate, nothing written on either."""
    check_author(changed_by)
    rec = lock_recommendations(conn, [recommendation_id])[recommendation_id]
    source = conn.execute(select(Source.__table__).where(Source.id == rec["source_id"])).mappings()
    row = dict(source.one())
    values = {name: _blank_to_none(value) for name, value in new_values.items()}
    return _apply_edit(
        conn,
        Source,
        row,
        values,
        seen=seen,
        fields=SOURCE_FIELDS,
        problems_of=_source_problems,
        recommendation_id=recommendation_id,
        changed_by=changed_by,
        effective_on=effective_on,
        prefix="source.",
    )


def add_action(
    conn: Connection,
    recommendation_id: int,
    description: str,
    *,
    owner_id: int | None,
    due_date: date | None,
    changed_by: str,
    effective_on: date,
) -> int:
    """Add an action under the recommendation, recorded as an "action.added" change; its id."""
    check_author(changed_by)
    lock_recommendations(conn, [recommendation_id])
    text = description.strip()
    problems = []
    if not text:
        problems.append("Describe the action: what will be done.")
    elif len(text) > MAX_WORDING:
        problems.append(f"The description is too long (at most {MAX_WORDING:,} characters).")
    if owner_id is not None and not _exists(conn, Officer, owner_id):
        problems.append(f"There is no officer number {owner_id}.")
    if problems:
        raise InvalidUpdate(problems)
    action_id = conn.execute(
        insert(Action)
        .values(
            recommendation_id=recommendation_id,
            description=text,
            owner_id=owner_id,
            due_date=due_date,
            status=ActionStatus.NOT_STARTED.value,
        )
        .returning(Action.id)
    ).scalar_one()
    _record_changes(
        conn,
        recommendation_id,
        {"added": (None, text)},
        changed_by=changed_by,
        effective_on=effective_on,
        action_id=action_id,
        prefix="action.",
    )
    return action_id


def _action_problems(
    conn: Connection, row: Mapping[str, Any], changes: Mapping[str, tuple[Any, Any]]
) -> list[str]:
    """What stops the changes being made to the action `row`, in sentences."""
    merged = {**row, **_new_values(changes)}
    problems = []
    if "description" in changes and not merged["description"]:
        problems.append("The action's description cannot be empty.")
    if "status" in changes and merged["status"] not in {s.value for s in ActionStatus}:
        problems.append(f"{merged['status']!r} is not an action status.")
    if merged["status"] == ActionStatus.COMPLETED.value and changes:
        if merged["completed_on"] is None:
            problems.append("Give the date the action was completed.")
        if not merged["evidence"]:
            problems.append("Give the evidence of implementation (a document, link or note).")
    if "owner_id" in changes and _unknown(conn, Officer, merged["owner_id"]):
        problems.append(f"There is no officer number {merged['owner_id']}.")
    return problems


def edit_action(
    conn: Connection,
    action_id: int,
    new_values: Mapping[str, Any],
    *,
    seen: Mapping[str, Any],
    changed_by: str,
    effective_on: date,
) -> list[int]:
    """Assign, re-date, reword or complete an action (ACTION_FIELDS), each change recorded as
    "action.<column>". Completing needs the completion date and evidence of implementation
    (DOMAIN.md); reopening clears them. StaleEdit and InvalidUpdate as for recommendations."""
    check_author(changed_by)
    found = conn.execute(select(Action.__table__).where(Action.id == action_id)).mappings().first()
    if found is None:
        raise InvalidUpdate([f"There is no action number {action_id}."])
    lock_recommendations(conn, [found["recommendation_id"]])
    row = dict(
        conn.execute(select(Action.__table__).where(Action.id == action_id)).mappings().one()
    )
    values = dict(new_values)
    if "evidence" in values:
        values["evidence"] = _blank_to_none(values["evidence"])
    if values.get("status") and values["status"] != ActionStatus.COMPLETED.value:
        values["completed_on"] = None
    return _apply_edit(
        conn,
        Action,
        row,
        values,
        seen=seen,
        fields=ACTION_FIELDS,
        problems_of=lambda changes: _action_problems(conn, row, changes),
        recommendation_id=row["recommendation_id"],
        changed_by=changed_by,
        effective_on=effective_on,
        action_id=action_id,
        prefix="action.",
    )


def add_action_update(conn: Connection, action_id: int, draft: UpdateDraft) -> int:
    """A progress update against one action: recorded against its recommendation with the
    action's id (its narrative appears in the history under the action). It moves neither
    the recommendation's status nor its target: those belong to the recommendation's own
    updates, so a draft that sets them is refused."""
    found = conn.execute(select(Action.recommendation_id).where(Action.id == action_id)).scalar()
    if found is None:
        raise InvalidUpdate([f"There is no action number {action_id}."])
    if draft.new_status or draft.new_target_date or draft.report_back or draft.meeting_id:
        raise InvalidUpdate(
            [
                "An update on an action records progress only; change the recommendation's "
                "status or target in its own update."
            ]
        )
    problems = draft_problems(draft, None)
    if problems:
        raise InvalidUpdate(problems)
    lock_recommendations(conn, [found])
    row = {"recommendation_id": found, **draft.as_row(), "action_id": action_id}
    update_id = conn.execute(insert(ProgressUpdate).values(row).returning(ProgressUpdate.id))
    new_id = update_id.scalar_one()
    history = updates_by_recommendation(conn, [found])[found]
    original = conn.execute(
        select(Recommendation.original_target_date).where(Recommendation.id == found)
    ).scalar()
    conn.execute(
        update(Recommendation)
        .where(Recommendation.id == found)
        .values(current_state_columns(original, history))
    )
    return new_id


_FIELD_LABELS = {
    "wording": "Wording",
    "owner_id": "Owner",
    "directorate_id": "Directorate",
    "priority": "Priority",
    "acceptance": "Acceptance",
    "accepted_on": "Response date",
    "accepted_in_principle": "Accepted in principle",
    "source.title": "Source title",
    "source.author": "Source author",
    "source.accountable_director": "Accountable director",
    "source.document_url": "Source document link",
    "action.added": "Action added",
    "action.description": "Action description",
    "action.owner_id": "Action owner",
    "action.due_date": "Action due date",
    "action.status": "Action status",
    "action.completed_on": "Action completed on",
    "action.evidence": "Action evidence",
}


def field_label(field_name: str) -> str:
    """A change record's field in words ("owner_id" -> "Owner")."""
    return _FIELD_LABELS.get(field_name, field_name.replace("_", " ").capitalize())
