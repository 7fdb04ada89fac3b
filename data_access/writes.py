"""Recording recommendations' history: progress updates, and new sources and
recommendations, with each recommendation's current-state columns kept in step.

Everything that writes recommendations (the seed, the demo generator, imports, the update
form) derives the current state with `current_state_columns`, from the same replay that
defines it (domain/replay.py), so the two can never disagree. The store's other writes sit
beside this module, each in the caller's transaction too (docs/decisions.md, 7): corrections
made in the app (`data_access.edits`), names found or made (`data_access.names`) and a
committee's own records (`data_access.committee_settings`). The draft types of
`domain/drafts.py` are re-exported here, so `from data_access.writes import UpdateDraft`
keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from data_access.models import (
    ProgressUpdate,
    Recommendation,
    Source,
    SourceWordReading,
)
from data_access.names import insert_or_find
from domain.drafts import (
    NewRecommendation,
    NewSource,
    UpdateDraft,
    draft_problems,
)
from domain.drafts import blank_to_none as _blank_to_none
from domain.names import name_key
from domain.replay import UpdateFacts, replay
from domain.rules import response_due_on
from domain.vocabulary import (
    Acceptance,
    ReportBack,
    Status,
)

if TYPE_CHECKING:
    from importing.word_readings import WordReadings


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


# --- Writing history -------------------------------------------------------------------------
#
# Every writer (the update form, the tracker and report imports) records change through the
# functions below. They take an open connection inside the caller's transaction
# (`with engine.begin() as conn:`), so an import of many rows writes all of them or none.


class InvalidUpdate(ValueError):
    """The draft cannot be recorded; `problems` says why, in sentences for the user."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


class ConcurrentChange(Exception):
    """Someone recorded an update after the writer last looked; nothing was written.

    `newer_updates` holds their progress_updates rows (dicts), oldest first."""

    def __init__(self, recommendation_id: int, newer_updates: list[dict[str, Any]]) -> None:
        self.recommendation_id = recommendation_id
        self.newer_updates = newer_updates
        super().__init__(
            f"Recommendation {recommendation_id} was updated {len(newer_updates)} time(s) "
            "after it was read."
        )


def check_author(changed_by: str) -> None:
    """Refuse a write that would record nobody as its author (no one is signed in)."""
    if not changed_by.strip():
        raise InvalidUpdate(["Every change records who made it; nobody is signed in."])


def latest_update_id(conn: Connection, recommendation_id: int) -> int:
    """The id of the newest update recorded against the recommendation; 0 when none."""
    found = conn.execute(
        select(func.max(ProgressUpdate.id)).where(
            ProgressUpdate.recommendation_id == recommendation_id
        )
    ).scalar()
    return int(found or 0)


# Statements with many ids take them in chunks (SQLite allows 32,766 parameters; keep it small).
_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


@dataclass(frozen=True)
class PendingUpdate:
    """An update to record with `add_updates`: against which recommendation, and what the
    writer saw there (`expected_latest_update_id`, None for no check)."""

    recommendation_id: int
    draft: UpdateDraft
    expected_latest_update_id: int | None = None


def lock_recommendations(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Take the write lock on the recommendations' rows and read them.

    A no-op UPDATE first: SQLite then holds the database's write lock and PostgreSQL the rows'
    locks until commit, so the check for newer updates and the write that follows cannot be
    interleaved with another writer's (READ COMMITTED reads after the lock see their commit)."""
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        conn.execute(
            update(Recommendation).where(Recommendation.id.in_(chunk)).values(id=Recommendation.id)
        )
        rows = conn.execute(
            select(Recommendation.__table__).where(Recommendation.id.in_(chunk))
        ).mappings()
        found.update((row["id"], dict(row)) for row in rows)
    missing = [rec_id for rec_id in ids if rec_id not in found]
    if missing:
        raise InvalidUpdate([f"There is no recommendation {missing[0]}."])
    return found


def _refuse_if_changed_since(conn: Connection, expected: Mapping[int, int]) -> None:
    """ConcurrentChange for the first recommendation with an update newer than expected."""
    ids = list(expected)
    for chunk in _chunks(ids):
        latest = conn.execute(
            select(ProgressUpdate.recommendation_id, func.max(ProgressUpdate.id))
            .where(ProgressUpdate.recommendation_id.in_(chunk))
            .group_by(ProgressUpdate.recommendation_id)
        ).all()
        for recommendation_id, latest_id in latest:
            if latest_id > expected[recommendation_id]:
                newer = conn.execute(
                    select(ProgressUpdate.__table__)
                    .where(
                        ProgressUpdate.recommendation_id == recommendation_id,
                        ProgressUpdate.id > expected[recommendation_id],
                    )
                    .order_by(ProgressUpdate.id)
                ).mappings()
                raise ConcurrentChange(recommendation_id, [dict(row) for row in newer])


def updates_by_recommendation(
    conn: Connection, ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Every update of the recommendations, each list in replay order (date, then id)."""
    updates: dict[int, list[dict[str, Any]]] = {rec_id: [] for rec_id in ids}
    for chunk in _chunks(ids):
        rows = conn.execute(
            select(ProgressUpdate.__table__)
            .where(ProgressUpdate.recommendation_id.in_(chunk))
            .order_by(
                ProgressUpdate.recommendation_id, ProgressUpdate.update_date, ProgressUpdate.id
            )
        ).mappings()
        for row in rows:
            updates[row["recommendation_id"]].append(dict(row))
    return updates


def _checked_row(draft: UpdateDraft, target: date | None) -> tuple[dict[str, Any], list[str]]:
    """The draft as a progress_updates row against a recommendation with that target, and
    what stops it being recorded (`draft_problems`). The same target again is no revision,
    so it is not recorded as one (and needs no reason)."""
    row = draft.as_row()
    if row["new_target_date"] == target:
        row["new_target_date"] = None
    if row["new_target_date"] is None:
        row["target_change_reason"] = None
    return row, draft_problems(draft, target)


def add_update(
    conn: Connection,
    recommendation_id: int,
    draft: UpdateDraft,
    *,
    expected_latest_update_id: int | None = None,
) -> int:
    """Record the update and bring the recommendation's current state up to date; its id.

    With `expected_latest_update_id` (what the writer saw when it read the recommendation) the
    write is refused with ConcurrentChange if anyone recorded an update since. Raises
    InvalidUpdate for a draft that `draft_problems` rejects. Writes nothing on either."""
    pending = PendingUpdate(recommendation_id, draft, expected_latest_update_id)
    return add_updates(conn, [pending])[0]


def add_updates(conn: Connection, pending: Sequence[PendingUpdate]) -> list[int]:
    """Record many updates (an import's) with the checks and results of `add_update` for
    each, in a few statements per 500 recommendations rather than a few per update; their ids.

    Several updates to one recommendation apply in the order given, each checked against the
    target the one before it left. The first expectation given for a recommendation is the
    one checked. Any refusal (ConcurrentChange, InvalidUpdate) writes nothing."""
    if not pending:
        return []
    ids = list(dict.fromkeys(item.recommendation_id for item in pending))
    recommendations = lock_recommendations(conn, ids)
    expected: dict[int, int] = {}
    for item in pending:
        if item.expected_latest_update_id is not None:
            expected.setdefault(item.recommendation_id, item.expected_latest_update_id)
    _refuse_if_changed_since(conn, expected)

    targets = {rec_id: row["current_target_date"] for rec_id, row in recommendations.items()}
    rows = []
    for item in pending:
        row, problems = _checked_row(item.draft, targets[item.recommendation_id])
        if problems:
            raise InvalidUpdate(problems)
        targets[item.recommendation_id] = row["new_target_date"] or targets[item.recommendation_id]
        rows.append({"recommendation_id": item.recommendation_id, "action_id": None, **row})
    update_ids = list(
        conn.execute(
            insert(ProgressUpdate).returning(ProgressUpdate.id, sort_by_parameter_order=True),
            rows,
        ).scalars()
    )

    last_draft = {item.recommendation_id: item.draft for item in pending}
    history = updates_by_recommendation(conn, ids)
    new_states = []
    for rec_id in ids:
        recommendation = recommendations[rec_id]
        values = current_state_columns(recommendation["original_target_date"], history[rec_id])
        latest = last_draft[rec_id]
        if values["status"] != Status.CLOSED.value:
            values["closed_at_meeting_id"] = None  # reopened, or never closed
        elif latest.new_status is Status.CLOSED and latest.meeting_id:
            values["closed_at_meeting_id"] = latest.meeting_id  # closed at the meeting
        else:
            values["closed_at_meeting_id"] = recommendation["closed_at_meeting_id"]
        new_states.append({"recommendation_key": rec_id, **values})
    conn.execute(
        update(Recommendation).where(Recommendation.id == bindparam("recommendation_key")),
        new_states,
    )
    return update_ids


# --- New sources and recommendations ---------------------------------------------------------


class SourceExists(InvalidUpdate):
    """A new source named like one already recorded, but marked otherwise (public/exempt)."""


def add_source(conn: Connection, new: NewSource) -> int:
    """Record the source; its response is due on the DOMAIN.md default after issue.

    A source is one per title (any case or spacing) and issue date: when that one exists
    already (another import made it a moment ago), its id is returned and nothing is
    written, unless its marking differs, which is refused (SourceExists) so items meant to
    be exempt never land in a public source, nor the other way round."""
    title = " ".join(new.title.split())

    def existing() -> int | None:
        found = conn.execute(
            select(Source.id, Source.confidentiality)
            .where(Source.title_key == name_key(title), Source.date_issued == new.date_issued)
            .order_by(Source.id)
            .limit(1)
        ).first()
        if found is None:
            return None
        if found.confidentiality != new.confidentiality.value:
            raise SourceExists(
                [
                    f'A source called "{title}" issued on {new.date_issued:%d %B %Y} is already '
                    f"recorded, marked {found.confidentiality}: import into it, or give the new "
                    "one another title."
                ]
            )
        return found.id

    found = existing()
    if found is not None:
        return found
    values = {
        "title": new.title.strip(),
        "kind": new.kind.value,
        "date_issued": new.date_issued,
        "response_due_on": response_due_on(new.date_issued),
        "author": _blank_to_none(new.author),
        "accountable_director": _blank_to_none(new.accountable_director),
        "document_url": _blank_to_none(new.document_url),
        "confidentiality": new.confidentiality.value,
        "committee_id": new.committee_id,
    }
    return insert_or_find(conn, Source.__table__, values, existing)


def add_recommendation(
    conn: Connection, new: NewRecommendation, updates: Sequence[UpdateDraft] = ()
) -> int:
    """Record a recommendation with its first updates, current state derived from them.

    Raises InvalidUpdate (nothing written by this call) if the ref is blank or already used in
    the source, or an update is not acceptable."""
    return add_recommendations(conn, [(new, updates)])[0]


def add_recommendations(
    conn: Connection, items: Sequence[tuple[NewRecommendation, Sequence[UpdateDraft]]]
) -> list[int]:
    """Record many recommendations (an import's) with their first updates, as
    `add_recommendation` does for each, in a few statements rather than a few per
    recommendation; their ids, in order.

    Each one's updates apply in date order, each checked against the target the one before
    left. Raises InvalidUpdate with every problem (nothing written by this call) for a blank
    ref or wording, a ref already used in its source or twice in the batch, or an update that
    is not acceptable."""
    taken = _refs_in_sources(conn, {new.source_id for new, _ in items})
    problems: list[str] = []
    values: list[dict[str, Any]] = []
    update_rows: list[list[dict[str, Any]]] = []
    for new, drafts in items:
        ref = new.ref.strip()
        if not ref:
            problems.append("Every recommendation needs a reference.")
        if not new.wording.strip():
            problems.append(f"Recommendation {ref or '(no reference)'} has no wording.")
        if ref and (new.source_id, ref) in taken:
            problems.append(f"The source already has a recommendation {ref}.")
        taken.add((new.source_id, ref))
        rows = []
        target = new.original_target_date
        for draft in sorted(drafts, key=lambda draft: draft.update_date):
            row, found = _checked_row(draft, target)
            problems += found
            target = row["new_target_date"] or target
            rows.append(row)
        closing = [d.meeting_id for d in drafts if d.new_status is Status.CLOSED and d.meeting_id]
        values.append(
            {
                "source_id": new.source_id,
                "committee_id": new.committee_id,
                "ref": ref,
                "wording": new.wording.strip(),
                "made_on": new.made_on,
                "acceptance": new.acceptance.value,
                "accepted_on": new.accepted_on,
                "accepted_in_principle": new.accepted_in_principle,
                "owner_id": new.owner_id,
                "directorate_id": new.directorate_id,
                "priority": new.priority.value,
                "original_target_date": new.original_target_date,
                "closed_at_meeting_id": closing[-1] if closing else None,
                **current_state_columns(new.original_target_date, rows),
            }
        )
        update_rows.append(rows)
    if problems:
        raise InvalidUpdate(problems)
    if not values:
        return []
    ids = list(
        conn.execute(
            insert(Recommendation).returning(Recommendation.id, sort_by_parameter_order=True),
            values,
        ).scalars()
    )
    updates = [
        {"recommendation_id": rec_id, "action_id": None, **row}
        for rec_id, rows in zip(ids, update_rows, strict=True)
        for row in rows
    ]
    if updates:
        conn.execute(insert(ProgressUpdate), updates)
    return ids


def _refs_in_sources(conn: Connection, source_ids: set[int]) -> set[tuple[int, str]]:
    """(source id, ref) of every recommendation already recorded in those sources."""
    taken: set[tuple[int, str]] = set()
    for chunk in _chunks(sorted(source_ids)):
        rows = conn.execute(
            select(Recommendation.source_id, Recommendation.ref).where(
                Recommendation.source_id.in_(chunk)
            )
        )
        taken.update((source_id, ref) for source_id, ref in rows)
    return taken


def accept_if_awaiting(conn: Connection, recommendation_id: int, on: date) -> bool:
    """Record a recommendation still awaiting a response as Accepted on `on`: a report that it
    was implemented or closed answers for the acceptance (implementing it is accepting it).
    An answer already given is left as it is. True when it changed."""
    changed = conn.execute(
        update(Recommendation)
        .where(
            Recommendation.id == recommendation_id,
            Recommendation.acceptance == Acceptance.AWAITING_RESPONSE.value,
        )
        .values(acceptance=Acceptance.ACCEPTED.value, accepted_on=on)
    )
    return changed.rowcount > 0


def save_word_readings(conn: Connection, source_id: int, readings: WordReadings) -> None:
    """Keep an import's readings of unknown words with the source (`SourceWordReading`), a
    newer reading of a word replacing the older; the next import of the tracker asks nothing."""
    rows = [
        {"source_id": source_id, "kind": kind, "word": word, "reading": str(reading)}
        for kind, readings_of_kind in (
            ("status", readings.statuses),
            ("priority", readings.priorities),
        )
        for word, reading in readings_of_kind.items()
    ]
    if not rows:
        return
    for row in rows:
        conn.execute(
            delete(SourceWordReading).where(
                SourceWordReading.source_id == source_id,
                SourceWordReading.kind == row["kind"],
                SourceWordReading.word == row["word"],
            )
        )
    conn.execute(insert(SourceWordReading), rows)
