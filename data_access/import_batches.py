"""Every import recorded as a batch, and the latest import of a source undone safely.

Why: an import writes hundreds of rows in one go, into a source the officer chose. If it went
into the wrong source, or the file was the wrong one, the officer must be able to take it back
exactly, and to see who imported what, when, from which file (name and SHA-256).

How it is recorded (`start_batch` before an import writes, `record_batch` after, both in the
import's own transaction, so the record and the rows stand or fall together):

- `start_batch` inserts the batch row first (in SQLite that takes the database's write lock;
  in PostgreSQL it also takes the row locks of the source and its recommendations), then notes
  the highest id of every table and the source's recommendations as they stand. Nothing else
  can write to that source until the import commits, so every row above those ids that belongs
  to the source was written by this import.
- `record_batch` links each row the import created (source, committee, meetings, officers,
  directorates, recommendations, progress updates) in `import_batch_items`, and each
  recommendation it changed with the columns it changed ({column: [before, after]}), and the
  highest ids once written (`written_up_to`), the boundary for "changed since".

Undo (`undo_latest_batch`) takes back the latest import of a source that wrote anything, in
the caller's transaction, only while nothing has changed since on what it touched: no later
progress update (by the form or another import) and no action added on its recommendations,
no column it changed changed again. Otherwise `UndoRefused` says exactly what changed (which
ref, what, when, by whom) and nothing is written. An undo removes the updates it wrote, the
recommendations it created (with their actions), and the source, committee, meetings, officers
and directorates it created once nothing else uses them; it restores the columns it changed
and recomputes each changed recommendation's current state from its remaining history
(`data_access.writes.current_state_columns`, the replay every writer uses). The batch row
stays, marked undone, as the record that the import happened and was taken back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Table,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

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

__all__ = [
    "REPORT",
    "TRACKER",
    "BatchMark",
    "BatchSummary",
    "UndoPreview",
    "UndoRefused",
    "UndoResult",
    "latest_undoable_batches",
    "list_batches",
    "preview_undo",
    "record_batch",
    "start_batch",
    "undo_latest_batch",
]

TRACKER = "tracker"
REPORT = "report"
KIND_LABELS = {TRACKER: "Tracker", REPORT: "Report"}

_LOG_TABLES = frozenset({"import_batches", "import_batch_items"})


def _watched() -> list[Table]:
    """The tables whose highest ids are noted before and after an import: every table with
    an integer id (so tables added later, such as a source's saved word readings, count)."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name not in _LOG_TABLES and "id" in table.c and table.c.id.primary_key
    ]


# Linked by name in record_batch; any other table is linked by its foreign keys to the
# source or its recommendations (rows above the mark that point at what the batch wrote).
_NAMED = frozenset(
    {"sources", "committees", "meetings", "officers", "directorates", "recommendations",
     "progress_updates"}
)  # fmt: skip
# Current-state columns: recomputed by replay on undo, never copied back.
_STATE_COLUMNS = frozenset(current_state_columns(None, []))
_CHUNK = 500


def _now() -> datetime:
    """UTC, without a zone (stored as such on every backend)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _max_ids(conn: Connection) -> dict[str, int]:
    """The highest id of each watched table (0 when empty), in one statement."""
    columns = [
        select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery().label(table.name)
        for table in _watched()
    ]
    row = conn.execute(select(*columns)).mappings().one()
    return {name: int(value) for name, value in row.items()}


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# --- Recording -------------------------------------------------------------------------------


@dataclass
class BatchMark:
    """What `start_batch` noted: the batch row, the ids before, the source's rows before."""

    batch_id: int
    source_id: int | None
    ids_before: dict[str, int]
    recommendations_before: dict[int, dict[str, Any]] = field(default_factory=dict)


def start_batch(
    conn: Connection,
    kind: str,
    *,
    source_id: int | None,
    file_name: str | None,
    file_sha256: str | None,
    recorded_by: str | None,
    recorded_at: datetime | None = None,
) -> BatchMark:
    """Open the record of an import about to write into `source_id` (None: a new source).

    Call it before the import's first write, in the same transaction."""
    batch_id = conn.execute(
        insert(ImportBatch)
        .values(
            kind=kind,
            source_id=source_id,
            file_name=(file_name or "").strip() or None,
            file_sha256=file_sha256 or None,
            recorded_by=" ".join((recorded_by or "").split()) or None,
            recorded_at=recorded_at or _now(),
        )
        .returning(ImportBatch.id)
    ).scalar_one()
    before: dict[int, dict[str, Any]] = {}
    if source_id is not None:
        # Row locks (PostgreSQL) so no other writer touches the source until commit.
        conn.execute(update(Source).where(Source.id == source_id).values(id=Source.id))
        conn.execute(
            update(Recommendation)
            .where(Recommendation.source_id == source_id)
            .values(id=Recommendation.id)
        )
        before = {
            row["id"]: dict(row)
            for row in conn.execute(
                select(Recommendation.__table__).where(Recommendation.source_id == source_id)
            ).mappings()
        }
    return BatchMark(batch_id, source_id, _max_ids(conn), before)


def record_batch(
    conn: Connection,
    mark: BatchMark,
    *,
    source_id: int,
    new: int,
    changed: int,
    unchanged: int,
    skipped: int = 0,
) -> int | None:
    """Complete the record once the import has written: counts, and every row it wrote.

    Returns the batch's id, or None when the import wrote nothing (its record is dropped)."""
    batch = mark.batch_id
    source_title = conn.execute(select(Source.title).where(Source.id == source_id)).scalar_one()
    created_source = source_id > mark.ids_before["sources"]
    _link_new_recommendations_and_updates(conn, mark, source_id)
    items = _changed_recommendations(conn, mark)
    items += _rows_created_around(conn, mark, source_id, created_source)
    items += _rows_pointing_at(conn, mark, source_id)
    if items:
        conn.execute(insert(ImportBatchItem), items)
    wrote = conn.execute(
        select(ImportBatchItem.id).where(ImportBatchItem.batch_id == batch).limit(1)
    ).first()
    if wrote is None:
        # Nothing written (the same file again): no record either, so importing the same
        # file again still changes nothing at all.
        conn.execute(delete(ImportBatch).where(ImportBatch.id == batch))
        return None
    conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch)
        .values(
            source_id=source_id,
            source_title=source_title,
            source_created=created_source,
            new_count=new,
            changed_count=changed,
            unchanged_count=unchanged,
            skipped_count=skipped,
            written_up_to=json.dumps(_max_ids(conn), sort_keys=True),
        )
    )
    return batch


def _links(batch: int, table: str, row_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Batch items linking rows the import created (nothing to restore on undo)."""
    return [
        {"batch_id": batch, "table_name": table, "row_id": row_id, "previous": None}
        for row_id in row_ids
    ]


def _new_updates(mark: BatchMark, source_id: int) -> Any:
    """The condition picking the progress updates the import wrote."""
    in_source = select(Recommendation.id).where(Recommendation.source_id == source_id)
    return (ProgressUpdate.id > mark.ids_before["progress_updates"]) & (
        ProgressUpdate.recommendation_id.in_(in_source)
    )


def _link_new_recommendations_and_updates(
    conn: Connection, mark: BatchMark, source_id: int
) -> None:
    """Recommendations and updates: many, so linked straight from a SELECT."""
    batch = mark.batch_id
    conn.execute(
        insert(ImportBatchItem).from_select(
            ["batch_id", "table_name", "row_id"],
            select(literal(batch), literal("recommendations"), Recommendation.id).where(
                Recommendation.source_id == source_id,
                Recommendation.id > mark.ids_before["recommendations"],
            ),
        )
    )
    conn.execute(
        insert(ImportBatchItem).from_select(
            ["batch_id", "table_name", "row_id"],
            select(literal(batch), literal("progress_updates"), ProgressUpdate.id).where(
                _new_updates(mark, source_id)
            ),
        )
    )


def _changed_recommendations(conn: Connection, mark: BatchMark) -> list[dict[str, Any]]:
    """Recommendations the import changed, with the columns changed (before and after)."""
    items: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(mark.recommendations_before)):
        for row in conn.execute(
            select(Recommendation.__table__).where(Recommendation.id.in_(chunk))
        ).mappings():
            was = mark.recommendations_before[row["id"]]
            changes = {
                column: [_json_value(was[column]), _json_value(value)]
                for column, value in row.items()
                if was[column] != value
            }
            if changes:
                items.append(
                    {
                        "batch_id": mark.batch_id,
                        "table_name": "recommendations",
                        "row_id": row["id"],
                        "previous": json.dumps(changes, sort_keys=True),
                    }
                )
    return items


def _rows_created_around(
    conn: Connection, mark: BatchMark, source_id: int, created_source: bool
) -> list[dict[str, Any]]:
    """What the import created around its rows: only rows above the marks that they use."""
    ids, batch = mark.ids_before, mark.batch_id
    items = _links(batch, "sources", [source_id]) if created_source else []
    batch_recs = Recommendation.source_id == source_id
    committee_ids = (
        select(Source.committee_id)
        .where(Source.id == source_id)
        .union(select(Recommendation.committee_id).where(batch_recs))
    )
    items += _links(
        batch,
        "committees",
        conn.execute(
            select(Committee.id).where(
                Committee.id > ids["committees"], Committee.id.in_(committee_ids)
            )
        ).scalars(),
    )
    meeting_ids = (
        select(ProgressUpdate.meeting_id)
        .where(_new_updates(mark, source_id))
        .union(select(Recommendation.closed_at_meeting_id).where(batch_recs))
    )
    items += _links(
        batch,
        "meetings",
        conn.execute(
            select(Meeting.id).where(Meeting.id > ids["meetings"], Meeting.id.in_(meeting_ids))
        ).scalars(),
    )
    officers = list(
        conn.execute(
            select(Officer.id).where(
                Officer.id > ids["officers"],
                Officer.id.in_(select(Recommendation.owner_id).where(batch_recs)),
            )
        ).scalars()
    )
    items += _links(batch, "officers", officers)
    directorate_ids = select(Recommendation.directorate_id).where(batch_recs)
    if officers:
        directorate_ids = directorate_ids.union(
            select(Officer.directorate_id).where(Officer.id.in_(officers))
        )
    items += _links(
        batch,
        "directorates",
        conn.execute(
            select(Directorate.id).where(
                Directorate.id > ids["directorates"], Directorate.id.in_(directorate_ids)
            )
        ).scalars(),
    )
    return items


def _rows_pointing_at(conn: Connection, mark: BatchMark, source_id: int) -> list[dict[str, Any]]:
    """New rows of every other watched table that point at the source or its
    recommendations (actions, word readings...): tables added later are covered too."""
    in_source = select(Recommendation.id).where(Recommendation.source_id == source_id)
    items: list[dict[str, Any]] = []
    for table in _watched():
        if table.name in _NAMED:
            continue
        for foreign_key in table.foreign_keys:
            target = foreign_key.column.table.name
            if target == "sources":
                points_at = foreign_key.parent == source_id
            elif target == "recommendations":
                points_at = foreign_key.parent.in_(in_source)
            else:
                continue
            items += _links(
                mark.batch_id,
                table.name,
                conn.execute(
                    select(table.c.id).where(
                        table.c.id > mark.ids_before.get(table.name, 0), points_at
                    )
                ).scalars(),
            )
    return items


# --- Listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSummary:
    """One import as the import pages list it."""

    id: int
    kind: str
    source_id: int | None
    source_title: str
    source_created: bool
    file_name: str
    file_sha256: str
    recorded_by: str
    recorded_at: datetime  # UTC
    new: int
    changed: int
    unchanged: int
    skipped: int
    undone_at: datetime | None
    undone_by: str
    rows_written: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def describe(self) -> str:
        """ "tracker.xlsx into "Title" on 4 Dec 2026 by Sam Officer" (for choosers)."""
        by = f" by {self.recorded_by}" if self.recorded_by else ""
        return (
            f'{self.file_name or "(no file name)"} into "{self.source_title}" on '
            f"{short_date(self.recorded_at.date())}{by}"
        )


def _summaries(conn: Connection, where: Any, limit: int | None) -> list[BatchSummary]:
    b = ImportBatch
    written = (
        select(func.count())
        .where(ImportBatchItem.batch_id == b.id)
        .correlate(b)
        .scalar_subquery()
        .label("rows_written")
    )
    query = select(b.__table__, written).where(where).order_by(b.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [
        BatchSummary(
            id=row["id"],
            kind=row["kind"],
            source_id=row["source_id"],
            source_title=row["source_title"] or "",
            source_created=bool(row["source_created"]),
            file_name=row["file_name"] or "",
            file_sha256=row["file_sha256"] or "",
            recorded_by=row["recorded_by"] or "",
            recorded_at=row["recorded_at"],
            new=row["new_count"] or 0,
            changed=row["changed_count"] or 0,
            unchanged=row["unchanged_count"] or 0,
            skipped=row["skipped_count"] or 0,
            undone_at=row["undone_at"],
            undone_by=row["undone_by"] or "",
            rows_written=int(row["rows_written"]),
        )
        for row in conn.execute(query).mappings()
    ]


def list_batches(conn: Connection, limit: int = 20) -> list[BatchSummary]:
    """The latest imports first, undone ones included (marked)."""
    return _summaries(conn, literal(True), limit)


def _live_with_writes() -> Any:
    return ImportBatch.undone_at.is_(None) & exists().where(
        ImportBatchItem.batch_id == ImportBatch.id
    )


def latest_undoable_batches(conn: Connection) -> list[BatchSummary]:
    """For each source, its latest import that wrote anything and is not undone; newest first.

    (Every recorded batch wrote something: one that wrote nothing is not kept.)"""
    latest = (
        select(func.max(ImportBatch.id))
        .where(_live_with_writes(), ImportBatch.source_id.is_not(None))
        .group_by(ImportBatch.source_id)
    )
    return _summaries(conn, ImportBatch.id.in_(latest), None)


def _latest_for_source(conn: Connection, source_id: int) -> BatchSummary | None:
    found = _summaries(conn, _live_with_writes() & (ImportBatch.source_id == source_id), limit=1)
    return found[0] if found else None


# --- Undoing ---------------------------------------------------------------------------------


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
    for chunk in _chunks(list(ids)):
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
    """What changed, after the batch, on what it touched (one sentence each)."""
    recs = items.get("recommendations", [])
    created = [row_id for row_id, previous in recs if previous is None]
    changed = {row_id: previous for row_id, previous in recs if previous is not None}
    touched = sorted({*created, *changed})
    refs = _refs(conn, touched)
    problems: list[str] = []
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
        s.id: s for s in _summaries(conn, ImportBatch.id.in_(set(by_batch.values())), None)
    }
    for chunk in _chunks(touched):
        for update_row in conn.execute(
            select(ProgressUpdate.__table__)
            .where(
                ProgressUpdate.recommendation_id.in_(chunk),
                ProgressUpdate.id > written_up_to.get("progress_updates", 0),
            )
            .order_by(ProgressUpdate.id)
        ).mappings():
            later = later_batches.get(by_batch.get(update_row["id"], -1))
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
        for action in conn.execute(
            select(Action.recommendation_id, Action.description)
            .where(
                Action.recommendation_id.in_(chunk),
                Action.id > written_up_to.get("actions", 0),
            )
            .order_by(Action.id)
        ):
            problems.append(
                f"Recommendation {refs.get(action.recommendation_id, '?')}: an action was "
                f"added after this import ({_quote(action.description)})."
            )
    # Columns it changed that have changed again (other than by replaying the history).
    for chunk in _chunks(sorted(changed)):
        for row in conn.execute(
            select(Recommendation.__table__).where(Recommendation.id.in_(chunk))
        ).mappings():
            columns = json.loads(changed[row["id"]] or "{}")
            for column, (_before, after) in sorted(columns.items()):
                if column in _STATE_COLUMNS:
                    continue
                if _json_value(row[column]) != after:
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
    batch = _latest_for_source(conn, source_id)
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
    # The write lock first (a no-op update), so nothing changes between the check and the undo.
    conn.execute(update(Source).where(Source.id == source_id).values(id=Source.id))
    batch = _latest_for_source(conn, source_id)
    if batch is None:
        title = conn.execute(select(Source.title).where(Source.id == source_id)).scalar()
        name = f'"{title}"' if title else f"source {source_id}"
        raise UndoRefused([f"There is no import into {name} to undo."])
    conn.execute(
        update(Recommendation)
        .where(Recommendation.source_id == source_id)
        .values(id=Recommendation.id)
    )
    preview, items = _preview(conn, batch)
    if preview.problems:
        raise UndoRefused(
            [
                f'The import of {batch.file_name or "a file"} into "{batch.source_title}" on '
                f"{short_date(batch.recorded_at.date())} cannot be undone, because "
                f"{plural(len(preview.problems), 'thing')} changed since:",
                *preview.problems,
                "Undo only takes back an import while nothing has changed since; correct the "
                "recommendations with the update form instead.",
            ]
        )
    created = [row_id for row_id, previous in items.get("recommendations", []) if not previous]
    changed = {
        row_id: json.loads(previous)
        for row_id, previous in items.get("recommendations", [])
        if previous
    }
    # Rows of other tables it wrote (an action, a source's saved word readings) go first.
    for table in reversed(_watched()):
        if table.name not in _NAMED and table.name in items:
            linked = sorted({row_id for row_id, _ in items[table.name]})
            for chunk in _chunks(linked):
                conn.execute(delete(table).where(table.c.id.in_(chunk)))
    update_ids = [row_id for row_id, _ in items.get("progress_updates", [])]
    for chunk in _chunks(update_ids):
        conn.execute(delete(ProgressUpdate).where(ProgressUpdate.id.in_(chunk)))
    for chunk in _chunks(created):
        conn.execute(delete(ProgressUpdate).where(ProgressUpdate.recommendation_id.in_(chunk)))
        conn.execute(delete(Action).where(Action.recommendation_id.in_(chunk)))
        conn.execute(delete(Recommendation).where(Recommendation.id.in_(chunk)))
    _restore_changed(conn, changed)
    # Then what it created around them, once nothing uses it.
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
    conn.execute(delete(ImportBatchItem).where(ImportBatchItem.batch_id == batch.id))
    conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id)
        .values(
            undone_at=undone_at or _now(),
            undone_by=" ".join(undone_by.split()),
            **({"source_id": None} if source_removed else {}),
        )
    )
    return UndoResult(
        batch=batch,
        updates_removed=preview.updates_removed,
        recommendations_removed=preview.recommendations_removed,
        recommendations_restored=preview.recommendations_restored,
        source_removed=source_removed,
    )


def _restore_changed(conn: Connection, changed: dict[int, dict[str, list[Any]]]) -> None:
    """The columns the import changed back to what they were; the current state from the
    remaining history, replayed as every writer derives it."""
    ids = sorted(changed)
    history: dict[int, list[dict[str, Any]]] = {rec_id: [] for rec_id in ids}
    originals: dict[int, date | None] = {}
    for chunk in _chunks(ids):
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
            if column not in _STATE_COLUMNS
        }
        original = values.get("original_target_date", originals[rec_id])
        values.update(current_state_columns(original, history[rec_id]))
        conn.execute(update(Recommendation).where(Recommendation.id == rec_id).values(**values))
