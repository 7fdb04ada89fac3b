"""The imports as the import pages and the command line list them: one `BatchSummary` each.

This module's one job is reading the record `data_access.import_batches` writes: the latest
imports (`list_batches`), and for each source its latest import still undoable
(`latest_undoable_batches`, `latest_for_source`, which the undo in `data_access.import_undo`
starts from). It never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, func, literal, select

from data_access.import_batches import KIND_LABELS
from data_access.models import ImportBatch, ImportBatchItem
from domain.formatting import short_date

__all__ = [
    "BatchSummary",
    "latest_for_source",
    "latest_undoable_batches",
    "list_batches",
    "summaries",
]


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


def summaries(conn: Connection, where: Any, limit: int | None) -> list[BatchSummary]:
    """The batches matching `where` (a condition on `ImportBatch`), newest first, each with
    how many rows it linked; the one reading of the record every list here shares."""
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
    return summaries(conn, literal(True), limit)


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
    return summaries(conn, ImportBatch.id.in_(latest), None)


def latest_for_source(conn: Connection, source_id: int) -> BatchSummary | None:
    """The source's latest import that wrote anything and is not undone (what undo takes back)."""
    found = summaries(conn, _live_with_writes() & (ImportBatch.source_id == source_id), limit=1)
    return found[0] if found else None
