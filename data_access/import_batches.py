"""Every import recorded as a batch: what it wrote, so that it can be listed and undone.

This module's one job is the record. Why: an import writes hundreds of rows in one go, into a
source the officer chose. If it went into the wrong source, or the file was the wrong one, the
officer must be able to take it back exactly (`data_access.import_undo`), and to see who
imported what, when, from which file, name and SHA-256 (`data_access.import_history`).

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

The table facts the undo reads the record by (`watched_tables`, `LINKED_BY_NAME`,
`STATE_COLUMNS`) are stated here, once, beside the code that writes the record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, literal, select, update

from data_access.models import (
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

__all__ = [
    "KIND_LABELS",
    "LINKED_BY_NAME",
    "REPORT",
    "STATE_COLUMNS",
    "TRACKER",
    "BatchMark",
    "in_chunks",
    "json_value",
    "record_batch",
    "start_batch",
    "utc_now",
    "watched_tables",
]

TRACKER = "tracker"
REPORT = "report"
KIND_LABELS = {TRACKER: "Tracker", REPORT: "Report"}

_LOG_TABLES = frozenset({"import_batches", "import_batch_items"})


def watched_tables() -> list[Table]:
    """The tables whose highest ids are noted before and after an import: every table with
    an integer id (so tables added later, such as a source's saved word readings, count)."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name not in _LOG_TABLES and "id" in table.c and table.c.id.primary_key
    ]


# Linked by name in record_batch; any other table is linked by its foreign keys to the
# source or its recommendations (rows above the mark that point at what the batch wrote).
LINKED_BY_NAME = frozenset(
    {"sources", "committees", "meetings", "officers", "directorates", "recommendations",
     "progress_updates"}
)  # fmt: skip
# Current-state columns: recomputed by replay on undo, never copied back.
STATE_COLUMNS = frozenset(current_state_columns(None, []))
_CHUNK = 500


def utc_now() -> datetime:
    """UTC, without a zone (stored as such on every backend)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _max_ids(conn: Connection) -> dict[str, int]:
    """The highest id of each watched table (0 when empty), in one statement."""
    columns = [
        select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery().label(table.name)
        for table in watched_tables()
    ]
    row = conn.execute(select(*columns)).mappings().one()
    return {name: int(value) for name, value in row.items()}


def in_chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    """Ids a few hundred at a time (every backend's limit on bound parameters)."""
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def json_value(value: Any) -> Any:
    """A column value as the record stores it in JSON (dates as ISO text)."""
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
            recorded_at=recorded_at or utc_now(),
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
    for chunk in in_chunks(sorted(mark.recommendations_before)):
        for row in conn.execute(
            select(Recommendation.__table__).where(Recommendation.id.in_(chunk))
        ).mappings():
            was = mark.recommendations_before[row["id"]]
            changes = {
                column: [json_value(was[column]), json_value(value)]
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
    for table in watched_tables():
        if table.name in LINKED_BY_NAME:
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
