"""The audit trail: every change, by person and time (issue 9, the Audit page).

Read where each change is already recorded, so nothing is written twice: progress updates
(`author`, `recorded_at`; an import's updates are marked as such), import batches and their
undo (`recorded_by`/`recorded_at`, `undone_by`/`undone_at`), the `audit_events` of committees,
calendars and users, and, when the table exists, `recommendation_changes` (the edits of
issue 9 item 4: field, old and new value, `changed_by`, `changed_at`). One UNION ALL in SQL,
filtered and counted in the database.

Exempt (Part 2) items are named only for people cleared for them: for anyone else the
subject and detail of such a change read "withheld", so the trail still shows who changed
something and when, and nothing about what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import (
    Connection,
    String,
    and_,
    case,
    cast,
    column,
    func,
    inspect,
    literal,
    select,
    table,
    true,
    union_all,
)

from data_access.models import (
    AuditEvent,
    ImportBatch,
    ImportBatchItem,
    ProgressUpdate,
    Recommendation,
    Source,
)
from domain.vocabulary import Confidentiality

__all__ = [
    "AUDIT_COLUMNS",
    "AuditFilters",
    "AuditPage",
    "KIND_EDIT",
    "KIND_IMPORT",
    "KIND_IMPORTED_UPDATE",
    "KIND_UNDO",
    "KIND_UPDATE",
    "RECOMMENDATION_CHANGES",
    "WITHHELD",
    "audit_choices",
    "audit_trail",
]

KIND_UPDATE = "progress update"
KIND_IMPORTED_UPDATE = "progress update (imported)"
KIND_IMPORT = "import"
KIND_UNDO = "import undone"
KIND_EDIT = "edit"
WITHHELD = "withheld (exempt, Part 2)"
RECOMMENDATION_CHANGES = "recommendation_changes"
AUDIT_COLUMNS = ["recorded_at", "person", "kind", "subject", "detail"]
DETAIL_CHARS = 300


@dataclass(frozen=True)
class AuditFilters:
    """What the Audit page narrows by; hashable, so it keys the query cache."""

    person: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    kinds: tuple[str, ...] = ()
    include_exempt: bool = False


@dataclass(frozen=True)
class AuditPage:
    rows: pd.DataFrame  # AUDIT_COLUMNS, newest first
    total: int


def _text(value):
    return cast(value, String)


def _withheld_unless(include_exempt: bool, value):
    """`value`, or "withheld" on a row of an exempt source for someone not cleared."""
    if include_exempt:
        return value
    return case(
        (Source.confidentiality == Confidentiality.EXEMPT.value, literal(WITHHELD)),
        else_=value,
    )


def _item_subject(include_exempt: bool):
    return _withheld_unless(
        include_exempt, Source.title + literal(" · recommendation ") + Recommendation.ref
    )


def _updates(include_exempt: bool):
    imported = select(ImportBatchItem.row_id).where(
        ImportBatchItem.table_name == ProgressUpdate.__tablename__
    )
    return (
        select(
            ProgressUpdate.recorded_at.label("recorded_at"),
            ProgressUpdate.author.label("person"),
            case(
                (ProgressUpdate.id.in_(imported), literal(KIND_IMPORTED_UPDATE)),
                else_=literal(KIND_UPDATE),
            ).label("kind"),
            _item_subject(include_exempt).label("subject"),
            _withheld_unless(
                include_exempt, func.substr(ProgressUpdate.narrative, 1, DETAIL_CHARS)
            ).label("detail"),
        )
        .join(Recommendation, Recommendation.id == ProgressUpdate.recommendation_id)
        .join(Source, Source.id == Recommendation.source_id)
    )


def _batch_subject(include_exempt: bool):
    subject = (
        func.coalesce(ImportBatch.file_name, literal(""))
        + literal(" → ")
        + func.coalesce(ImportBatch.source_title, literal(""))
    )
    return _withheld_unless(include_exempt, subject)


def _batch_counts():
    return (
        _text(ImportBatch.new_count)
        + literal(" new, ")
        + _text(ImportBatch.changed_count)
        + literal(" changed, ")
        + _text(ImportBatch.unchanged_count)
        + literal(" unchanged")
    )


def _imports(include_exempt: bool):
    return select(
        ImportBatch.recorded_at.label("recorded_at"),
        func.coalesce(ImportBatch.recorded_by, literal("(not recorded)")).label("person"),
        literal(KIND_IMPORT).label("kind"),
        _batch_subject(include_exempt).label("subject"),
        _batch_counts().label("detail"),
    ).outerjoin(Source, Source.id == ImportBatch.source_id)


def _undos(include_exempt: bool):
    return (
        select(
            ImportBatch.undone_at.label("recorded_at"),
            func.coalesce(ImportBatch.undone_by, literal("(not recorded)")).label("person"),
            literal(KIND_UNDO).label("kind"),
            _batch_subject(include_exempt).label("subject"),
            literal("the rows it wrote removed or put back").label("detail"),
        )
        .outerjoin(Source, Source.id == ImportBatch.source_id)
        .where(ImportBatch.undone_at.is_not(None))
    )


def _events():
    return select(
        AuditEvent.recorded_at.label("recorded_at"),
        AuditEvent.person.label("person"),
        AuditEvent.kind.label("kind"),
        AuditEvent.subject.label("subject"),
        AuditEvent.detail.label("detail"),
    )


def _edits(connection: Connection, include_exempt: bool):
    """The edits table of issue 9 item 4, read only when it exists on this database."""
    if not inspect(connection).has_table(RECOMMENDATION_CHANGES):
        return None
    changes = table(
        RECOMMENDATION_CHANGES,
        column("recommendation_id"),
        column("field"),
        column("old_value"),
        column("new_value"),
        column("changed_by"),
        column("changed_at"),
    )
    c = changes.c
    detail = (
        _text(c.field)
        + literal(": ")
        + func.coalesce(_text(c.old_value), literal("(none)"))
        + literal(" → ")
        + func.coalesce(_text(c.new_value), literal("(none)"))
    )
    return (
        select(
            c.changed_at.label("recorded_at"),
            c.changed_by.label("person"),
            literal(KIND_EDIT).label("kind"),
            _item_subject(include_exempt).label("subject"),
            _withheld_unless(include_exempt, func.substr(detail, 1, DETAIL_CHARS)).label("detail"),
        )
        .join(Recommendation, Recommendation.id == c.recommendation_id)
        .join(Source, Source.id == Recommendation.source_id)
    )


def _all(connection: Connection, include_exempt: bool):
    parts = [
        _updates(include_exempt),
        _imports(include_exempt),
        _undos(include_exempt),
        _events(),
    ]
    edits = _edits(connection, include_exempt)
    if edits is not None:
        parts.append(edits)
    return union_all(*parts).subquery("audit")


def audit_trail(
    connection: Connection, criteria: AuditFilters, limit: int | None = None
) -> AuditPage:
    """Every change the page's filters (`criteria`) let through, newest first (the first
    `limit` of them), and how many there are in all."""
    filters = criteria
    trail = _all(connection, filters.include_exempt)
    conditions = []
    if filters.person:
        conditions.append(trail.c.person == filters.person)
    if filters.date_from is not None:
        conditions.append(trail.c.recorded_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to is not None:
        next_day = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        conditions.append(trail.c.recorded_at < next_day)
    if filters.kinds:
        conditions.append(trail.c.kind.in_(filters.kinds))
    where = and_(*conditions) if conditions else true()
    total = connection.execute(select(func.count()).select_from(trail).where(where)).scalar_one()
    query = (
        select(*[trail.c[name] for name in AUDIT_COLUMNS])
        .where(where)
        .order_by(trail.c.recorded_at.desc(), trail.c.kind, trail.c.subject)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    return AuditPage(pd.DataFrame(rows, columns=AUDIT_COLUMNS), int(total))


def audit_choices(connection: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The people and the kinds of change the trail holds, for the page's filters."""
    trail = _all(connection, include_exempt=False)
    people = tuple(
        sorted(
            connection.execute(select(trail.c.person).distinct()).scalars(),
            key=lambda person: (person or "").casefold(),
        )
    )
    kinds = tuple(
        connection.execute(select(trail.c.kind).distinct().order_by(trail.c.kind)).scalars()
    )
    return people, kinds
