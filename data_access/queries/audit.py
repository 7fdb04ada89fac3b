"""The audit trail: every change, by person and time (issue 9, the Audit page).

Read where each change is already recorded, so nothing is written twice: progress updates
(`author`, `recorded_at`; an import's updates are marked as such), import batches and their
undo (`recorded_by`/`recorded_at`, `undone_by`/`undone_at`), the `audit_events` of committees,
calendars and users, and `recommendation_changes` (the edits of
issue 9 item 4: field, old and new value, `changed_by`, `changed_at`). One UNION ALL in SQL,
filtered and counted in the database.

Exempt (Part 2) items are named only for people cleared for them: for anyone else the
subject and detail of such a change read "withheld", so the trail still shows who changed
something and when, and nothing about what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    String,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)

from data_access.models import (
    AuditEvent,
    ImportBatch,
    ImportBatchItem,
    ProgressUpdate,
    Recommendation,
    RecommendationChange,
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


@dataclass(frozen=True)
class _Part:
    """One place changes are recorded: its rows (labelled as AUDIT_COLUMNS), and the raw
    columns the page filters by, so each filter and each count runs on that table alone
    (with its own index) before the parts are put together."""

    rows: Any  # a Select of AUDIT_COLUMNS
    table: Any  # the table counted
    recorded_at: Any
    person: Any
    kind: Any
    only: tuple = ()  # conditions always true of the part (e.g. undone imports)


def _imported_updates():
    return select(ImportBatchItem.row_id).where(
        ImportBatchItem.table_name == ProgressUpdate.__tablename__
    )


def _updates(include_exempt: bool) -> _Part:
    kind = case(
        (ProgressUpdate.id.in_(_imported_updates()), literal(KIND_IMPORTED_UPDATE)),
        else_=literal(KIND_UPDATE),
    )
    rows = (
        select(
            ProgressUpdate.recorded_at.label("recorded_at"),
            ProgressUpdate.author.label("person"),
            kind.label("kind"),
            _item_subject(include_exempt).label("subject"),
            _withheld_unless(
                include_exempt, func.substr(ProgressUpdate.narrative, 1, DETAIL_CHARS)
            ).label("detail"),
        )
        .join(Recommendation, Recommendation.id == ProgressUpdate.recommendation_id)
        .join(Source, Source.id == Recommendation.source_id)
    )
    return _Part(rows, ProgressUpdate, ProgressUpdate.recorded_at, ProgressUpdate.author, kind)


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


def _imports(include_exempt: bool) -> _Part:
    person = func.coalesce(ImportBatch.recorded_by, literal("(not recorded)"))
    rows = select(
        ImportBatch.recorded_at.label("recorded_at"),
        person.label("person"),
        literal(KIND_IMPORT).label("kind"),
        _batch_subject(include_exempt).label("subject"),
        _batch_counts().label("detail"),
    ).outerjoin(Source, Source.id == ImportBatch.source_id)
    return _Part(rows, ImportBatch, ImportBatch.recorded_at, person, literal(KIND_IMPORT))


def _undos(include_exempt: bool) -> _Part:
    person = func.coalesce(ImportBatch.undone_by, literal("(not recorded)"))
    rows = select(
        ImportBatch.undone_at.label("recorded_at"),
        person.label("person"),
        literal(KIND_UNDO).label("kind"),
        _batch_subject(include_exempt).label("subject"),
        literal("the rows it wrote removed or put back").label("detail"),
    ).outerjoin(Source, Source.id == ImportBatch.source_id)
    return _Part(
        rows,
        ImportBatch,
        ImportBatch.undone_at,
        person,
        literal(KIND_UNDO),
        only=(ImportBatch.undone_at.is_not(None),),
    )


def _events() -> _Part:
    rows = select(
        AuditEvent.recorded_at.label("recorded_at"),
        AuditEvent.person.label("person"),
        AuditEvent.kind.label("kind"),
        AuditEvent.subject.label("subject"),
        AuditEvent.detail.label("detail"),
    )
    return _Part(rows, AuditEvent, AuditEvent.recorded_at, AuditEvent.person, AuditEvent.kind)


def _edits(include_exempt: bool) -> _Part:
    """The edits of issue 9 item 4 (`recommendation_changes`, revision 0003)."""
    c = RecommendationChange
    detail = (
        _text(c.field)
        + literal(": ")
        + func.coalesce(_text(c.old_value), literal("(none)"))
        + literal(" → ")
        + func.coalesce(_text(c.new_value), literal("(none)"))
    )
    rows = (
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
    return _Part(rows, c, c.changed_at, c.changed_by, literal(KIND_EDIT))


def _parts(include_exempt: bool) -> list[_Part]:
    return [
        _updates(include_exempt),
        _imports(include_exempt),
        _undos(include_exempt),
        _events(),
        _edits(include_exempt),
    ]


def _conditions(part: _Part, filters: AuditFilters) -> list:
    conditions = list(part.only)
    if filters.person:
        conditions.append(part.person == filters.person)
    if filters.date_from is not None:
        conditions.append(part.recorded_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to is not None:
        next_day = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        conditions.append(part.recorded_at < next_day)
    if filters.kinds:
        conditions.append(part.kind.in_(filters.kinds))
    return conditions


def audit_trail(
    connection: Connection, criteria: AuditFilters, limit: int | None = None
) -> AuditPage:
    """Every change the page's filters (`criteria`) let through, newest first (the first
    `limit` of them), and how many there are in all.

    Each part is filtered, counted and cut to its own newest `limit` on its own table (the
    recorded-at indexes answer that at once), and only those rows are joined to their names
    and put in one order: the page stays fast however long the trail grows."""
    total = 0
    pieces = []
    for part in _parts(criteria.include_exempt):
        conditions = _conditions(part, criteria)
        total += connection.execute(
            select(func.count()).select_from(part.table).where(*conditions)
        ).scalar_one()
        rows = part.rows.where(*conditions)
        if limit is not None:
            rows = rows.order_by(part.recorded_at.desc()).limit(limit)
        pieces.append(rows.subquery())
    trail = union_all(*(select(*piece.c) for piece in pieces)).subquery("audit")
    query = select(*[trail.c[name] for name in AUDIT_COLUMNS]).order_by(
        trail.c.recorded_at.desc(), trail.c.kind, trail.c.subject
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    return AuditPage(pd.DataFrame(rows, columns=AUDIT_COLUMNS), int(total))


def audit_choices(connection: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The people and the kinds of change the trail holds, for the page's filters: each
    part's distinct people and kinds, read from its own table."""
    people: set[str] = set()
    kinds: set[str] = set()
    for part in _parts(include_exempt=False):
        people.update(
            connection.execute(
                select(part.person).select_from(part.table).where(*part.only).distinct()
            ).scalars()
        )
        kinds.update(
            connection.execute(
                select(part.kind).select_from(part.table).where(*part.only).distinct()
            ).scalars()
        )
    ordered_people = tuple(sorted((p for p in people if p), key=str.casefold))
    return ordered_people, tuple(sorted(k for k in kinds if k))
