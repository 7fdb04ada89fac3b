"""Undoing the latest import of a source, only while nothing has changed since.

This module's one job is the undo (`preview_undo`, `undo_latest_batch`) and its "changed
since" checks, read from the record `data_access.import_batches` writes. Undo takes back the
latest import of a source that wrote anything, in the caller's transaction, only while nothing
has changed since on what it touched: no later progress update (by the form or another import)
and no action added on its recommendations, no column it changed changed again. Otherwise
`UndoRefused` says exactly what changed (which ref, what, when, by whom) and nothing is
written. An undo removes the updates it wrote, the recommendations it created (with their
actions), and the source, committee, meetings, officers and directorates it created once
nothing else uses them; it restores the columns it changed and recomputes each changed
recommendation's current state from its remaining history
(`data_access.writes.current_state_columns`, the replay every writer uses). The batch row
stays, marked undone, as the record that the import happened and was taken back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table, delete, literal, select, update

from data_access.import_batches import (
    LINKED_BY_NAME,
    STATE_COLUMNS,
    in_chunks,
    json_value,
    utc_now,
    watched_tables,
)
from data_access.import_history import BatchSummary, latest_for_source, summaries
from data_access.models import (
    Action,
    Base,
    Committee,
    Directorate,
    ImportBatch,
    ImportBatchItem,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.writes import current_state_columns
from domain.formatting import long_date, plural, short_date

__all__ = ["UndoPreview", "UndoRefused", "UndoResult", "preview_undo", "undo_latest_batch"]


class UndoRefused(Exception):
    """The undo cannot be done; `problems` says exactly why. Nothing was written."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Nothing was undone. " + " ".join(self.problems))


@dataclass(frozen=True)
class UndoPreview:
    """What undoing a batch would do, and what (if anything) stops it."""

    batch: BatchSummary
    updates_removed: int
    recommendations_removed: int
    recommendations_restored: int
    source_removed: bool
    problems: tuple[str, ...]

    @property
    def can_undo(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class UndoResult:
    batch: BatchSummary
    updates_removed: int
    recommendations_removed: int
    recommendations_restored: int
    source_removed: bool


def _items(conn: Connection, batch_id: int) -> dict[str, list[tuple[int, str | None]]]:
    found: dict[str, list[tuple[int, str | None]]] = {}
    for table, row_id, previous in conn.execute(
        select(ImportBatchItem.table_name, ImportBatchItem.row_id, ImportBatchItem.previous)
        .where(ImportBatchItem.batch_id == batch_id)
        .order_by(ImportBatchItem.id)
    ):
        found.setdefault(table, []).append((row_id, previous))
    return found


def _refs(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    refs: dict[int, str] = {}
    for chunk in in_chunks(list(ids)):
        refs.update(
            conn.execute(
                select(Recommendation.id, Recommendation.ref).where(Recommendation.id.in_(chunk))
            ).all()
        )
    return refs


def _quote(text: str | None, limit: int = 60) -> str:
    words = " ".join((text or "").split())
    return f"“{words[:limit]}…”" if len(words) > limit else f"“{words}”"


def _changed_since(
    conn: Connection,
    batch: BatchSummary,
    items: dict[str, list[tuple[int, str | None]]],
    written_up_to: dict[str, int],
) -> list[str]:
    """What changed, after the batch, on what it touched (one sentence each): later progress
    updates and actions on its recommendations, then columns it changed changed again."""
    recs = items.get("recommendations", [])
    created = [row_id for row_id, previous in recs if previous is None]
    changed = {row_id: previous for row_id, previous in recs if previous is not None}
    touched = sorted({*created, *changed})
    refs = _refs(conn, touched)
    later_import = _later_import_of_each_update(conn, batch, written_up_to)
    problems: list[str] = []
    for chunk in in_chunks(touched):
        problems += _later_updates(conn, chunk, refs, later_import, written_up_to)
        problems += _later_actions(conn, chunk, refs, written_up_to)
    problems += _columns_changed_again(conn, changed)
    return problems


def _later_import_of_each_update(
    conn: Connection, batch: BatchSummary, written_up_to: dict[str, int]
) -> dict[int, BatchSummary]:
    """For each progress update written after the batch by another import, that import (an
    update missing here was written on the update form or by another writer)."""
    by_batch = {
        row_id: batch_id
        for batch_id, row_id in conn.execute(
            select(ImportBatchItem.batch_id, ImportBatchItem.row_id).where(
                ImportBatchItem.table_name == "progress_updates",
                ImportBatchItem.row_id > written_up_to.get("progress_updates", 0),
                ImportBatchItem.batch_id != batch.id,
            )
        )
    }
    later_batches = {
        s.id: s for s in summaries(conn, ImportBatch.id.in_(set(by_batch.values())), None)
    }
    return {
        update_id: later_batches[batch_id]
        for update_id, batch_id in by_batch.items()
        if batch_id in later_batches
    }


def _later_updates(
    conn: Connection,
    chunk: Sequence[int],
    refs: dict[int, str],
    later_import: dict[int, BatchSummary],
    written_up_to: dict[str, int],
) -> list[str]:
    """The progress updates recorded on these recommendations after the batch: when, by
    whom, how (form or which import) and what they said."""
    problems = []
    for update_row in conn.execute(
        select(ProgressUpdate.__table__)
        .where(
            ProgressUpdate.recommendation_id.in_(chunk),
            ProgressUpdate.id > written_up_to.get("progress_updates", 0),
        )
        .order_by(ProgressUpdate.id)
    ).mappings():
        later = later_import.get(update_row["id"])
        how = (
            f"by the import of {later.file_name or 'a file'} on "
            f"{short_date(later.recorded_at.date())}"
            if later
            else "on the update form or by another writer"
        )
        what = []
        if update_row["new_status"]:
            what.append(f"status {update_row['new_status'].replace('_', ' ')}")
        if update_row["new_target_date"]:
            what.append(f"target {short_date(update_row['new_target_date'])}")
        what.append(_quote(update_row["narrative"]))
        problems.append(
            f"Recommendation {refs.get(update_row['recommendation_id'], '?')}: a progress "
            f"update dated {long_date(update_row['update_date'])} by "
            f"{update_row['author']} was recorded after this import, {how} "
            f"({', '.join(what)})."
        )
    return problems


def _later_actions(
    conn: Connection, chunk: Sequence[int], refs: dict[int, str], written_up_to: dict[str, int]
) -> list[str]:
    """The actions added to these recommendations after the batch."""
    return [
        f"Recommendation {refs.get(action.recommendation_id, '?')}: an action was "
        f"added after this import ({_quote(action.description)})."
        for action in conn.execute(
            select(Action.recommendation_id, Action.description)
            .where(
                Action.recommendation_id.in_(chunk),
                Action.id > written_up_to.get("actions", 0),
            )
            .order_by(Action.id)
        )
    ]


def _columns_changed_again(conn: Connection, changed: dict[int, str]) -> list[str]:
    """Columns the batch changed that have changed again (other than by replaying the
    history: the current-state columns are recomputed on undo, so they are not compared)."""
    problems = []
    for chunk in in_chunks(sorted(changed)):
        for row in conn.execute(
            select(Recommendation.__table__).where(Recommendation.id.in_(chunk))
        ).mappings():
            columns = json.loads(changed[row["id"]] or "{}")
            for column, (_before, after) in sorted(columns.items()):
                if column in STATE_COLUMNS:
                    continue
                if json_value(row[column]) != after:
                    problems.append(
                        f"Recommendation {row['ref']}: its {column.replace('_', ' ')} was "
                        "changed after this import."
                    )
    return problems


def _preview(conn: Connection, batch: BatchSummary) -> tuple[UndoPreview, dict[str, Any]]:
    items = _items(conn, batch.id)
    written_up_to = json.loads(
        conn.execute(select(ImportBatch.written_up_to).where(ImportBatch.id == batch.id)).scalar()
        or "{}"
    )
    problems = _changed_since(conn, batch, items, written_up_to)
    recs = items.get("recommendations", [])
    preview = UndoPreview(
        batch=batch,
        updates_removed=len(items.get("progress_updates", [])),
        recommendations_removed=sum(1 for _, previous in recs if previous is None),
        recommendations_restored=sum(1 for _, previous in recs if previous is not None),
        source_removed=bool(items.get("sources")),
        problems=tuple(problems),
    )
    return preview, items


def preview_undo(conn: Connection, source_id: int) -> UndoPreview | None:
    """What undoing the source's latest import would do; None when it has none to undo."""
    batch = latest_for_source(conn, source_id)
    if batch is None:
        return None
    return _preview(conn, batch)[0]


def _referenced(conn: Connection, table: Table, row_id: int) -> bool:
    """Whether any row of another table (other than the import log) points at this row."""
    for other in Base.metadata.sorted_tables:
        if other.name in {ImportBatch.__tablename__, ImportBatchItem.__tablename__}:
            continue
        for foreign_key in other.foreign_keys:
            if foreign_key.column.table is table:
                column = foreign_key.parent
                if conn.execute(select(literal(1)).where(column == row_id).limit(1)).first():
                    return True
    return False


def _restore_values(column: str, value: Any) -> Any:
    kind = Recommendation.__table__.c[column].type
    if value is None:
        return None
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


def undo_latest_batch(
    conn: Connection, source_id: int, undone_by: str, *, undone_at: datetime | None = None
) -> UndoResult:
    """Take back the source's latest import, in the caller's transaction.

    Raises UndoRefused (having written nothing) when the source has no import to undo or
    anything has changed since on what the import touched."""
    if not " ".join(undone_by.split()):
        raise UndoRefused(["Enter your name: the record of the import says who undid it."])
    batch = _lock_latest_batch(conn, source_id)
    preview, items = _preview(conn, batch)
    if preview.problems:
        raise UndoRefused(_refusal(batch, preview.problems))
    changed = {
        row_id: json.loads(previous)
        for row_id, previous in items.get("recommendations", [])
        if previous
    }
    _delete_rows_written(conn, items)
    _restore_changed(conn, changed)
    source_removed = _remove_what_it_created_around(conn, items)
    _mark_undone(conn, batch, undone_by, undone_at, source_removed=source_removed)
    return UndoResult(
        batch=batch,
        updates_removed=preview.updates_removed,
        recommendations_removed=preview.recommendations_removed,
        recommendations_restored=preview.recommendations_restored,
        source_removed=source_removed,
    )


def _lock_latest_batch(conn: Connection, source_id: int) -> BatchSummary:
    """The source's latest import, with the source and its recommendations locked first (no-op
    updates), so nothing changes between the check and the undo; UndoRefused if it has none."""
    conn.execute(update(Source).where(Source.id == source_id).values(id=Source.id))
    batch = latest_for_source(conn, source_id)
    if batch is None:
        title = conn.execute(select(Source.title).where(Source.id == source_id)).scalar()
        name = f'"{title}"' if title else f"source {source_id}"
        raise UndoRefused([f"There is no import into {name} to undo."])
    conn.execute(
        update(Recommendation)
        .where(Recommendation.source_id == source_id)
        .values(id=Recommendation.id)
    )
    return batch


def _refusal(batch: BatchSummary, problems: Sequence[str]) -> list[str]:
    """Why the import cannot be undone: each thing changed since, and what to do instead."""
    return [
        f'The import of {batch.file_name or "a file"} into "{batch.source_title}" on '
        f"{short_date(batch.recorded_at.date())} cannot be undone, because "
        f"{plural(len(problems), 'thing')} changed since:",
        *problems,
        "Undo only takes back an import while nothing has changed since; correct the "
        "recommendations with the update form instead.",
    ]


def _delete_rows_written(conn: Connection, items: dict[str, list[tuple[int, str | None]]]) -> None:
    """Delete what the import wrote: rows of other tables first (an action, a source's saved
    word readings), then its progress updates, then the recommendations it created (with
    every update and action on them)."""
    created = [row_id for row_id, previous in items.get("recommendations", []) if not previous]
    for table in reversed(watched_tables()):
        if table.name not in LINKED_BY_NAME and table.name in items:
            linked = sorted({row_id for row_id, _ in items[table.name]})
            for chunk in in_chunks(linked):
                conn.execute(delete(table).where(table.c.id.in_(chunk)))
    update_ids = [row_id for row_id, _ in items.get("progress_updates", [])]
    for chunk in in_chunks(update_ids):
        conn.execute(delete(ProgressUpdate).where(ProgressUpdate.id.in_(chunk)))
    for chunk in in_chunks(created):
        conn.execute(delete(ProgressUpdate).where(ProgressUpdate.recommendation_id.in_(chunk)))
        conn.execute(delete(Action).where(Action.recommendation_id.in_(chunk)))
        conn.execute(delete(Recommendation).where(Recommendation.id.in_(chunk)))


def _remove_what_it_created_around(
    conn: Connection, items: dict[str, list[tuple[int, str | None]]]
) -> bool:
    """Remove the source, meetings, officers, directorates and committee the import created,
    each once nothing uses it any more; whether the source went."""
    source_removed = False
    for source in (row_id for row_id, _ in items.get("sources", [])):
        if conn.execute(
            select(Recommendation.id).where(Recommendation.source_id == source)
        ).first():
            continue
        conn.execute(
            update(ImportBatch).where(ImportBatch.source_id == source).values(source_id=None)
        )
        if not _referenced(conn, Source.__table__, source):
            conn.execute(delete(Source).where(Source.id == source))
            source_removed = True
    for model in (Meeting, Officer, Directorate, Committee):
        for row_id, _ in items.get(model.__tablename__, []):
            if not _referenced(conn, model.__table__, row_id):
                conn.execute(delete(model).where(model.id == row_id))
    return source_removed


def _mark_undone(
    conn: Connection,
    batch: BatchSummary,
    undone_by: str,
    undone_at: datetime | None,
    *,
    source_removed: bool,
) -> None:
    """Keep the batch row as the record that the import happened and was taken back; drop
    its links (the rows they named are gone or restored)."""
    conn.execute(delete(ImportBatchItem).where(ImportBatchItem.batch_id == batch.id))
    conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id)
        .values(
            undone_at=undone_at or utc_now(),
            undone_by=" ".join(undone_by.split()),
            **({"source_id": None} if source_removed else {}),
        )
    )


def _restore_changed(conn: Connection, changed: dict[int, dict[str, list[Any]]]) -> None:
    """The columns the import changed back to what they were; the current state from the
    remaining history, replayed as every writer derives it."""
    ids = sorted(changed)
    history: dict[int, list[dict[str, Any]]] = {rec_id: [] for rec_id in ids}
    originals: dict[int, date | None] = {}
    for chunk in in_chunks(ids):
        for row in conn.execute(
            select(ProgressUpdate.__table__)
            .where(ProgressUpdate.recommendation_id.in_(chunk))
            .order_by(
                ProgressUpdate.recommendation_id, ProgressUpdate.update_date, ProgressUpdate.id
            )
        ).mappings():
            history[row["recommendation_id"]].append(dict(row))
        originals.update(
            conn.execute(
                select(Recommendation.id, Recommendation.original_target_date).where(
                    Recommendation.id.in_(chunk)
                )
            ).all()
        )
    for rec_id in ids:
        values = {
            column: _restore_values(column, before)
            for column, (before, _after) in changed[rec_id].items()
            if column not in STATE_COLUMNS
        }
        original = values.get("original_target_date", originals[rec_id])
        values.update(current_state_columns(original, history[rec_id]))
        conn.execute(update(Recommendation).where(Recommendation.id == rec_id).values(**values))
