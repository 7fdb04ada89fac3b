"""The shared part of reading a tracker spreadsheet: the upload limits, the refusal, and the
values every step passes on.

`importing.csv_reader` and `importing.workbook_reader` turn a file into a `Sheet` of
`SheetRow`s within these limits, or raise `UnreadableFile` (one sentence saying why and what
to do); `importing.spreadsheet.read_tracker` turns a sheet into a `ParsedTracker` of
`TrackerRow`s, `CellProblem`s and `SkippedRow`s, reading each row with
`importing.tracker_rows`. Kept apart so the readers and the row reader need not import the
entry that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.vocabulary import Priority, Status
from importing.tracker_columns import Field
from importing.words import AcceptanceReading, blank, cell_text

__all__ = [
    "MAX_CELL_CHARACTERS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_FILE_LABEL",
    "MAX_ROWS",
    "PRIORITY_WORD",
    "STATUS_WORD",
    "CellProblem",
    "ParsedTracker",
    "Sheet",
    "SheetRow",
    "SkippedRow",
    "TrackerRow",
    "UnreadableFile",
    "column_name",
    "non_blank",
    "row_text",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILE_LABEL = "5 MB"
MAX_COLUMNS = 100
# Beyond these a file is refused while it is read, before it can fill the server's memory
# (issue 10): the tracker import's largest measured file is 10,000 rows.
MAX_ROWS = 20_000  # rows with something in them, per sheet
# A cell longer than MAX_TEXT_LENGTH (importing.tracker_rows) is a problem; than this, a refusal.
MAX_CELL_CHARACTERS = 100_000


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as a tracker; the message is one sentence saying why
    and what to do."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet numbers it (Excel's row number, or the CSV line)
    cells: tuple[object, ...]
    heading: bool = False  # one cell merged across the table: a section heading


@dataclass(frozen=True)
class Sheet:
    name: str | None  # the worksheet's name (None for CSV)
    rows: tuple[SheetRow, ...]


# The kinds of word an officer can give a reading for (`importing.word_readings`).
STATUS_WORD = "status"
PRIORITY_WORD = "priority"


@dataclass(frozen=True)
class CellProblem:
    """One value the import cannot use (or read with a note): where it is and what is wrong.

    `word_kind` marks a status or priority word the tracker does not know: the officer can
    give it a reading instead of correcting the file."""

    row: int
    column: str
    value: str
    problem: str
    word_kind: str | None = None


@dataclass(frozen=True)
class TrackerRow:
    """One recommendation as the file gives it; None means the cell was blank."""

    row: int
    ref: str | None
    wording: str | None = None
    owner: str | None = None
    directorate: str | None = None
    priority: Priority | None = None
    acceptance: AcceptanceReading | None = None
    target_date: date | None = None
    revised_target_date: date | None = None
    status: Status | None = None
    update: str | None = None
    update_date: date | None = None
    evidence: str | None = None
    committee: str | None = None  # the committee that monitors it, when the file says
    status_word: str | None = None  # a status cell's text the tracker did not understand
    priority_word: str | None = None  # likewise for the priority cell


@dataclass(frozen=True)
class SkippedRow:
    row: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedTracker:
    """A tracker file read and checked cell by cell; nothing about the database yet."""

    filename: str
    sheet_name: str | None
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[Field, int]
    ignored_headers: tuple[str, ...]
    title_lines: tuple[str, ...]
    rows: tuple[TrackerRow, ...]
    problems: tuple[CellProblem, ...]  # stop the import until fixed
    notes: tuple[CellProblem, ...]  # values read with a caveat the user should see
    skipped: tuple[SkippedRow, ...]
    unmapped_statuses: dict[str, int] = field(default_factory=dict)  # word -> rows
    unmapped_priorities: dict[str, int] = field(default_factory=dict)  # word -> rows
    ref_note: str | None = None  # how refs were derived, when the file gives none per row
    file_sha256: str = ""  # of the bytes read: the import's record names the exact file

    def column_label(self, field_: Field) -> str:
        index = self.mapping.get(field_)
        if index is None:
            return field_.label
        return column_name(index, self.headers[index] if index < len(self.headers) else "")


def column_name(index: int, header: str) -> str:
    """How a column is named to the user: its letter and its header, "C (Lead Officer)"."""
    from openpyxl.utils.cell import get_column_letter

    letter = get_column_letter(index + 1)
    return f"{letter} ({header})" if header else letter


def non_blank(cells: tuple[object, ...]) -> list[object]:
    """The cells with something in them."""
    return [cell for cell in cells if not blank(cell)]


def row_text(cells: tuple[object, ...]) -> str:
    """A row in one line, "R1 | Improve the website", as the skipped rows and titles show it."""
    return " | ".join(cell_text(cell) or "" for cell in non_blank(cells))
