"""A source's recommendations as a tracker table: the inverse of the tracker import.

The table has the canonical headers (`importing.tracker_columns.CANONICAL_HEADERS`), the same
as the template, and each recommendation as the import reads it back: the original target as
"Target date", the current one as "Revised target date" when it moved, the latest update's
text and date, and the latest evidence. So exporting a source and importing the file again
changes nothing (tests check). RAG is included for the reader, worked out as at the export
date; the import never stores it. `exports.tracker_file` writes the table as CSV or XLSX.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Select, select

from data_access.models import (
    Committee,
    Directorate,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.state import facts_from_row
from domain.rules import rag_rating
from domain.vocabulary import Acceptance, Confidentiality, Priority, acceptance_label
from exports.naming import safe_file_name
from importing.tracker_columns import CANONICAL_HEADERS

__all__ = [
    "EXEMPT_MARKING",
    "ExemptSourceRefused",
    "export_choices",
    "export_filename",
    "export_marking",
    "export_title",
    "source_recommendations",
    "tracker_frame",
]

EXEMPT_MARKING = "NOT FOR PUBLICATION: exempt (Part 2) information"


class ExemptSourceRefused(PermissionError):
    """An exempt (Part 2) source's tracker was asked for without `include_exempt`."""


def _is_exempt(conn: Connection, source_id: int) -> bool:
    confidentiality = conn.execute(
        select(Source.confidentiality).where(Source.id == source_id)
    ).scalar()
    return confidentiality == Confidentiality.EXEMPT.value


def export_choices(conn: Connection, include_exempt: bool = False) -> dict[int, str]:
    """The sources offered for "Download a source as a tracker", newest first, by label.

    Exempt (Part 2) sources only with `include_exempt` (a person cleared for them who asked),
    and then labelled as exempt, so the default choice is never one (issue 10)."""
    query = select(Source.id, Source.title, Source.date_issued, Source.confidentiality).order_by(
        Source.date_issued.desc(), Source.id.desc()
    )
    if not include_exempt:
        query = query.where(Source.confidentiality != Confidentiality.EXEMPT.value)
    rows = conn.execute(query).all()
    titles: dict[str, int] = {}
    for row in rows:
        titles[row.title] = titles.get(row.title, 0) + 1
    choices: dict[int, str] = {}
    for row in rows:
        label = row.title
        if titles[row.title] > 1:
            label += f" ({row.date_issued:%d %b %Y})"
        if row.confidentiality == Confidentiality.EXEMPT.value:
            label += " [exempt, Part 2]"
        choices[row.id] = label
    return choices


def export_title(conn: Connection, source_id: int) -> str:
    """The source's title as it is recorded, for the title row inside a file."""
    return conn.execute(select(Source.title).where(Source.id == source_id)).scalar() or ""


def export_marking(conn: Connection, source_id: int) -> str | None:
    """The line a file of the source's tracker starts with: EXEMPT_MARKING for an exempt
    source (above the title row, which the import passes over), None for a public one."""
    return EXEMPT_MARKING if _is_exempt(conn, source_id) else None


def _natural(ref: str) -> tuple:
    """Refs in the order people number them: 2 before 10, R2 before R10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.findall(r"\d+|\D+", ref)
    )


def source_recommendations(source_id: int) -> Select:
    """A source's recommendations as a tracker holds them: what each says and where it stands,
    with its owner's, directorate's and committee's names. The export writes these rows and the
    tracker import compares a file with them (`data_access.import_tracker`), so the two read
    the same columns."""
    r = Recommendation
    return (
        select(
            r.id,
            r.ref,
            r.wording,
            r.priority,
            r.acceptance,
            r.accepted_in_principle,
            r.original_target_date,
            r.current_target_date,
            r.status,
            r.revision_count,
            r.last_update_on,
            r.report_back_since.is_not(None).label("report_back_pending"),
            r.made_on,
            r.owner_id,
            Officer.name.label("owner"),
            Directorate.name.label("directorate"),
            Committee.name.label("committee"),
        )
        .outerjoin(Officer, Officer.id == r.owner_id)
        .outerjoin(Directorate, Directorate.id == r.directorate_id)
        .outerjoin(Committee, Committee.id == r.committee_id)
        .where(r.source_id == source_id)
    )


def tracker_frame(
    conn: Connection,
    source_id: int,
    as_at: date | None = None,
    include_exempt: bool = False,
) -> pd.DataFrame:
    """The source's recommendations as a tracker table, one row each in ref order.

    Dates are `datetime.date` (None when absent); RAG is worked out as at `as_at` (today).
    An exempt (Part 2) source's full wording, updates and owners are given only with
    `include_exempt`; otherwise ExemptSourceRefused, so no caller leaks one by forgetting."""
    if not include_exempt and _is_exempt(conn, source_id):
        raise ExemptSourceRefused(
            f"Source {source_id} is exempt (Part 2): its tracker is only for people cleared "
            "for exempt items who ask for it."
        )
    as_at = as_at or date.today()
    r = Recommendation
    rows = conn.execute(source_recommendations(source_id)).mappings()
    recommendations = sorted((dict(row) for row in rows), key=lambda row: _natural(row["ref"]))
    u = ProgressUpdate
    latest: dict[int, tuple[date, str]] = {}
    evidence: dict[int, str] = {}
    updates = conn.execute(
        select(u.recommendation_id, u.update_date, u.narrative, u.evidence)
        .join(r, r.id == u.recommendation_id)
        .where(r.source_id == source_id)
        .order_by(u.update_date, u.id)
    )
    for recommendation_id, update_date, narrative, update_evidence in updates:
        latest[recommendation_id] = (update_date, narrative)
        if update_evidence:
            evidence[recommendation_id] = update_evidence
    records = []
    for row in recommendations:
        facts = facts_from_row(row)
        update_date, narrative = latest.get(row["id"], (None, None))
        revised = (
            row["current_target_date"]
            if row["current_target_date"] != row["original_target_date"]
            else None
        )
        records.append(
            (
                row["ref"],
                row["wording"],
                row["owner"],
                row["directorate"],
                Priority(row["priority"]).label,
                acceptance_label(Acceptance(row["acceptance"]), bool(row["accepted_in_principle"])),
                row["original_target_date"],
                revised,
                facts.status.label,
                rag_rating(facts, as_at).rag.label,
                narrative,
                update_date,
                evidence.get(row["id"]),
                row["committee"],
            )
        )
    return pd.DataFrame.from_records(records, columns=list(CANONICAL_HEADERS.values())).astype(
        object
    )


def export_filename(conn: Connection, source_id: int, extension: str) -> str:
    """A file name for the source's tracker: its title, made safe for any file system.

    Never an exempt (Part 2) source's title, which can itself be confidential: such a file is
    "Exempt (Part 2) source N - not for publication"."""
    if _is_exempt(conn, source_id):
        return safe_file_name(
            f"Exempt (Part 2) source {source_id} - not for publication",
            extension,
            fallback="tracker",
        )
    title = conn.execute(select(Source.title).where(Source.id == source_id)).scalar()
    return safe_file_name(title or "", extension, fallback="tracker")
