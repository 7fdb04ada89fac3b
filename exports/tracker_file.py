"""A source's recommendations as a tracker spreadsheet, and the blank template: the files the
tracker import reads back.

The table comes from `data_access.queries.tracker.tracker_frame`. The CSV is the project's one
CSV writer (`exports.table_files.table_csv`) with dates as 12/02/2019, the way officers type
them; the XLSX is `exports.table_files.plain_xlsx`: the source's title in the first row (so
the import knows where the file came from), then the header and the rows, dates as dates and
text as text. Formula-like text is guarded in the CSV (`domain.cell_text`, which the import
undoes) and is never a formula in the XLSX.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from exports.table_files import plain_xlsx, table_csv
from importing.tracker_columns import CANONICAL_HEADERS, Field

__all__ = [
    "EXPORT_HEADERS",
    "TEMPLATE_NOTES",
    "template_frame",
    "template_xlsx",
    "to_csv",
    "to_xlsx",
]

EXPORT_HEADERS: tuple[str, ...] = tuple(CANONICAL_HEADERS.values())
# Column widths (characters) for the columns that hold more than a word or two.
COLUMN_WIDTHS = {
    "Ref": 10,
    "Recommendation": 60,
    "Update": 60,
    "Evidence": 30,
    "Lead officer": 22,
    "Directorate": 24,
}


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


def to_csv(frame: pd.DataFrame, marking: str | None = None) -> bytes:
    """The table as CSV for Excel: UTF-8 with a byte-order mark, the headers as they are,
    dates as 12/02/2019, and cells that a spreadsheet would run as formulas guarded with a
    leading apostrophe. `marking` (an exempt source's "not for publication" line) is a first
    line above the header, which the import passes over as it does a title row."""
    headers = {column: str(column) for column in frame.columns}
    preamble = (marking,) if marking else ()
    return table_csv(frame, column_labels=headers, date_format="%d/%m/%Y", preamble=preamble)


def to_xlsx(
    frame: pd.DataFrame,
    title: str | None = None,
    notes: tuple[tuple[str, str], ...] = (),
    marking: str | None = None,
) -> bytes:
    """The table as an Excel workbook: an optional title row above the header (the source's
    title, so the import knows where the file came from), dates as dates, text as text; with
    `notes`, a second sheet explaining each column. `marking` goes in a first row above the
    title, in bold red: an exempt source's file says so on its face."""
    return plain_xlsx(
        frame,
        sheet_name="Tracker",
        title=title,
        widths=COLUMN_WIDTHS,
        notes=notes,
        marking=marking,
    )


def template_xlsx() -> bytes:
    """The downloadable template: every column, an example row, and a sheet of notes."""
    return to_xlsx(template_frame(), notes=TEMPLATE_NOTES)
