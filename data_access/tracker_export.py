"""A source's recommendations as a tracker spreadsheet: the inverse of the import.

The export uses the canonical headers (`importing.tracker_columns.CANONICAL_HEADERS`), the same
as the template, and writes each recommendation as the import reads it back: the original
target as "Target date", the current one as "Revised target date" when it moved, the latest
update's text and date, and the latest evidence. So exporting a source and importing the file
again changes nothing (tests check). RAG is included for the reader, worked out as at the
export date; the import never stores it.

CSV cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe so a
spreadsheet program shows them as text instead of running them as formulas, and so do cells
starting with an apostrophe; the import removes that one apostrophe again. In .xlsx every text
cell is written as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pandas as pd
from sqlalchemy import Connection, select

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
from importing.spreadsheet import CSV_GUARDED_STARTS
from importing.tracker_columns import CANONICAL_HEADERS, Field

__all__ = [
    "EXEMPT_MARKING",
    "EXPORT_HEADERS",
    "ExemptSourceRefused",
    "export_choices",
    "export_filename",
    "export_marking",
    "export_title",
    "template_frame",
    "template_xlsx",
    "to_csv",
    "to_xlsx",
    "tracker_frame",
]

EXPORT_HEADERS: tuple[str, ...] = tuple(CANONICAL_HEADERS.values())
DATE_HEADERS = frozenset(
    CANONICAL_HEADERS[f] for f in (Field.TARGET_DATE, Field.REVISED_TARGET_DATE, Field.UPDATE_DATE)
)


def _natural(ref: str) -> tuple:
    """Refs in the order people number them: 2 before 10, R2 before R10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.findall(r"\d+|\D+", ref)
    )


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
    choices: dict[int, str] = {}
    titles: dict[str, int] = {}
    rows = conn.execute(query).all()
    for row in rows:
        titles[row.title] = titles.get(row.title, 0) + 1
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
    rows = conn.execute(
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
    ).mappings()
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
    return pd.DataFrame.from_records(records, columns=list(EXPORT_HEADERS)).astype(object)


def template_frame() -> pd.DataFrame:
    """Every column the import reads, with one example row to copy."""
    example = {
        Field.REF: "1",
        Field.WORDING: "Publish the council's whistleblowing policy on the intranet and train "
        "every manager in it.",
        Field.OWNER: "Jane Smith",
        Field.DIRECTORATE: "Corporate Services",
        Field.PRIORITY: "High",
        Field.ACCEPTED: "Accepted",
        Field.TARGET_DATE: date(2027, 3, 31),
        Field.REVISED_TARGET_DATE: None,
        Field.STATUS: "In progress",
        Field.RAG: None,
        Field.UPDATE: "The policy is drafted and out for consultation with the unions.",
        Field.UPDATE_DATE: date(2026, 11, 1),
        Field.EVIDENCE: None,
        Field.COMMITTEE: None,
    }
    return pd.DataFrame(
        [[example[field] for field in CANONICAL_HEADERS]], columns=list(EXPORT_HEADERS)
    ).astype(object)


TEMPLATE_NOTES: tuple[tuple[str, str], ...] = (
    ("Ref", "Required. The recommendation's number as printed (1, R3, SR (25/26) 01). A later "
     "import finds the recommendation again by its ref."),
    ("Recommendation", "Required for a new recommendation: its wording."),
    ("Lead officer", "The officer responsible (Owner, Responsible Officer also read)."),
    ("Directorate", "The directorate or service."),
    ("Priority", "High, Medium or Low (H/M/L or 1/2/3 also read). Blank: Medium."),
    ("Accepted", "Accepted, Accepted in principle, Partially accepted, Not accepted, Noted or "
     "Awaiting response (Yes/No also read)."),
    ("Target date", "The original target date, e.g. 31/03/2027, 31 Mar 2027, or March 2027 "
     "(the month's end). It is never changed once recorded."),
    ("Revised target date", "The current target, when it has moved. A new date here is "
     "recorded as a revision of the target."),
    ("Status", "Not started, In progress, Implemented, Closed, Superseded or Not implemented "
     "(Complete, Ongoing, On track also read)."),
    ("RAG", "Worked out by the tracker from the dates and status: anything typed here is not "
     "imported."),
    ("Update", "The latest progress update. New text is recorded as a progress update."),
    ("Update date", "The date of that update. Blank: the day of the import."),
    ("Evidence", "Evidence of implementation: text or a link."),
    ("Committee", "The committee that monitors the recommendation (Monitoring committee, "
     "Reporting to also read), made if new. Blank: the source's committee."),
)  # fmt: skip


def _csv_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    return "'" + text if text.startswith(CSV_GUARDED_STARTS) else text


def to_csv(frame: pd.DataFrame, marking: str | None = None) -> bytes:
    """The table as CSV for Excel: UTF-8 with a byte-order mark, dates as 12/02/2019, and
    cells that a spreadsheet would run as formulas neutralised with a leading apostrophe.
    `marking` (export_marking) is a first line above the header, which the import passes
    over as it does a title row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    if marking:
        writer.writerow([marking])
    writer.writerow([str(column) for column in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(
    frame: pd.DataFrame,
    title: str | None = None,
    notes: tuple[tuple[str, str], ...] = (),
    marking: str | None = None,
) -> bytes:
    """The table as an Excel workbook: an optional title row above the header (the source's
    title, so the import knows where the file came from), dates as dates, text as text; with
    `notes`, a second sheet explaining each column. `marking` (export_marking) goes in a
    first row above the title, in bold red: an exempt source's file says so on its face."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tracker")
    widths = {
        "Ref": 10,
        "Recommendation": 60,
        "Update": 60,
        "Evidence": 30,
        "Lead officer": 22,
        "Directorate": 24,
    }
    for index, column in enumerate(frame.columns):
        from openpyxl.utils.cell import get_column_letter

        sheet.column_dimensions[get_column_letter(index + 1)].width = widths.get(str(column), 14)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    if marking:
        cell = WriteOnlyCell(sheet, value=marking)
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14, color="D4351C")
        sheet.append([cell])
    if title:
        cell = WriteOnlyCell(sheet, value=title)
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14)
        sheet.append([cell])
    header = []
    for column in frame.columns:
        cell = WriteOnlyCell(sheet, value=str(column))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            if value is None or (isinstance(value, float) and pd.isna(value)):
                cells.append(None)
                continue
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "dd/mm/yyyy"
            else:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"  # text, never a formula
                cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    if notes:
        help_sheet = workbook.create_sheet("How to fill it in")
        help_sheet.column_dimensions["A"].width = 22
        help_sheet.column_dimensions["B"].width = 100
        help_sheet.append([WriteOnlyCell(help_sheet, value="Column"), "What it holds"])
        for column, text in notes:
            help_sheet.append([column, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The downloadable template: every column, an example row, and a sheet of notes."""
    return to_xlsx(template_frame(), notes=TEMPLATE_NOTES)


def export_filename(conn: Connection, source_id: int, extension: str) -> str:
    """A file name for the source's tracker: its title, made safe for any file system.

    Never an exempt (Part 2) source's title, which can itself be confidential: such a file is
    "Exempt (Part 2) source N - not for publication"."""
    if _is_exempt(conn, source_id):
        return f"Exempt (Part 2) source {source_id} - not for publication.{extension.lstrip('.')}"
    title = conn.execute(select(Source.title).where(Source.id == source_id)).scalar() or "tracker"
    safe = re.sub(r"[^\w\s().,'&-]+", " ", title)
    safe = " ".join(safe.split())[:120].strip(" .") or "tracker"
    return f"{safe}.{extension.lstrip('.')}"
