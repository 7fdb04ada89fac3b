"""Reading a council's tracker spreadsheet (.xlsx or .csv) into typed rows and problems.

Two steps, both pure (bytes in, values out; no database):

1. `read_sheet` turns the file into rows of cells as the spreadsheet shows them, numbered as
   the officer sees them in Excel. It refuses, in one sentence, anything that is not a
   spreadsheet, is empty, or is larger than `MAX_FILE_BYTES`. Cells merged down several rows
   (a directorate written once for a block of recommendations) are copied into every row they
   cover; a row that is one cell merged across the table is a section heading.
2. `read_tracker` finds the header row (title rows above it are passed over), maps the columns
   (`importing.tracker_columns`, or a mapping the user corrected), skips blank rows, section
   headings and the RAG key or notes under the table, and reads every cell
   (`importing.words`). Every cell that cannot be read becomes a `CellProblem` with
   the row, column, value and what is wrong, so the whole file is checked before anything is
   written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePath

from domain.cell_text import unguard_cell
from domain.vocabulary import Priority, Status
from importing.tracker_columns import Field, find_header
from importing.words import (
    AcceptanceReading,
    StatusReading,
    ValueProblem,
    blank,
    cell_text,
    normalise_words,
    read_acceptance,
    read_date,
    read_priority,
    read_status,
)

__all__ = [
    "MAX_FILE_BYTES",
    "CellProblem",
    "ParsedTracker",
    "Sheet",
    "SheetRow",
    "TrackerRow",
    "UnreadableFile",
    "read_sheet",
    "read_tracker",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILE_LABEL = "5 MB"
# A sheet formatted down to row 1,048,576 has that many empty rows: stop after this many.
MAX_BLANK_RUN = 1_000
MAX_COLUMNS = 100
MAX_TEXT_LENGTH = 20_000

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")


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


# --- Reading the file ------------------------------------------------------------------------


def read_sheet(data: bytes, filename: str, max_bytes: int = MAX_FILE_BYTES) -> list[Sheet]:
    """The file's sheets (one for CSV; every worksheet of a workbook, the active one first).

    Raises UnreadableFile when the file is too large, empty or not a spreadsheet."""
    name = PurePath(filename or "file").name
    if len(data) > max_bytes:
        raise UnreadableFile(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB, larger than the "
            f"{MAX_FILE_LABEL} limit: split it, or remove pictures and other sheets, and try "
            "again."
        )
    if not data.strip():
        raise UnreadableFile(f"{name} is empty: there is nothing to import.")
    suffix = PurePath(name).suffix.lower()
    if data.startswith(_OLE_MAGIC) or suffix == ".xls" and not data.startswith(_XLSX_MAGIC):
        raise UnreadableFile(
            f"{name} is an old-style Excel file (.xls) or a password-protected workbook: open "
            "it in Excel and save it as .xlsx (without a password) or .csv, then try again."
        )
    if data.startswith(_XLSX_MAGIC):
        return _read_workbook(data, name)
    if (
        data.startswith(_NOT_SPREADSHEET_MAGIC)
        or b"\x00" in data[:8192]
        or suffix in {".docx", ".pdf", ".doc", ".txt", ".pptx"}
    ):
        raise UnreadableFile(
            f"{name} is not a spreadsheet: import an Excel workbook (.xlsx) or a CSV file."
        )
    return [_read_csv(data, name)]


def _decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252, the
    encoding Excel on a UK Windows PC saves "CSV" in."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(data: bytes, name: str) -> Sheet:
    text = _decode(data)
    sample = text[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[SheetRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append(
                SheetRow(
                    number,
                    tuple(unguard_cell(cell) if cell.strip() else None for cell in cells),
                )
            )
    except csv.Error as error:
        raise UnreadableFile(
            f"{name} could not be read as a CSV file ({error}): save it again from Excel as "
            "CSV and try again."
        ) from error
    if not any(any(not blank(cell) for cell in row.cells) for row in rows):
        raise UnreadableFile(f"{name} is empty: there is nothing to import.")
    return Sheet(None, tuple(rows))


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _merged_ranges(data: bytes, worksheet_path: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet as (min_col, min_row, max_col, max_row), read from its
    XML: openpyxl's fast read-only mode does not report them."""
    from openpyxl.utils.cell import range_boundaries

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(worksheet_path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile):
        return []
    ranges = []
    for match in _MERGE.finditer(xml):
        min_col, min_row, max_col, max_row = range_boundaries(match[1].decode())
        ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _read_workbook(data: bytes, name: str) -> list[Sheet]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign zip
        raise UnreadableFile(
            f"{name} could not be opened as an Excel workbook: save it from Excel as .xlsx "
            "or .csv and try again."
        ) from error
    try:
        worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        active = workbook.active
        if active in worksheets:
            worksheets.remove(active)
            worksheets.insert(0, active)
        sheets = [_read_worksheet(data, worksheet) for worksheet in worksheets]
    finally:
        workbook.close()
    sheets = [sheet for sheet in sheets if sheet.rows]
    if not sheets:
        raise UnreadableFile(
            f"{name} has no data in any of its sheets: there is nothing to import."
        )
    return sheets


def _read_worksheet(data: bytes, worksheet) -> Sheet:
    worksheet.reset_dimensions()
    grid: list[list[object]] = []
    blank_run = 0
    for cells in worksheet.iter_rows(min_row=1, values_only=True):
        values = list(cells[:MAX_COLUMNS])
        if all(blank(cell) for cell in values):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        else:
            blank_run = 0
        grid.append(values)
    while grid and all(blank(cell) for cell in grid[-1]):
        grid.pop()
    headings = set()
    for min_col, min_row, max_col, max_row in _merged_ranges(data, worksheet._worksheet_path):
        if min_row > len(grid):
            continue
        top_left = _cell(grid, min_row, min_col)
        if max_row > min_row:  # merged down: the value belongs to every row it covers
            for row in range(min_row, min(max_row, len(grid)) + 1):
                for column in range(min_col, max_col + 1):
                    _set_cell(grid, row, column, top_left)
        elif max_col - min_col >= 2:
            others = [
                cell
                for column, cell in enumerate(grid[min_row - 1], start=1)
                if not min_col <= column <= max_col
            ]
            if all(blank(cell) for cell in others):
                headings.add(min_row)
    rows = tuple(
        SheetRow(number, tuple(cells), heading=number in headings)
        for number, cells in enumerate(grid, start=1)
    )
    return Sheet(worksheet.title, rows)


def _cell(grid: list[list[object]], row: int, column: int) -> object:
    cells = grid[row - 1]
    return cells[column - 1] if column <= len(cells) else None


def _set_cell(grid: list[list[object]], row: int, column: int, value: object) -> None:
    if column > MAX_COLUMNS:
        return
    cells = grid[row - 1]
    while len(cells) < column:
        cells.append(None)
    cells[column - 1] = value


# --- Reading the tracker ---------------------------------------------------------------------


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


_KEY_STARTS = frozenset(
    {"key", "rag key", "rag status key", "rag rating key", "rag rating", "rag ratings",
     "legend", "status key", "key to rag", "key to rag ratings", "rag status"}
)  # fmt: skip
_RAG_WORD = re.compile(r"^(red|amber|green|blue|grey|gray|black)\b", re.IGNORECASE)


def _non_blank(cells: tuple[object, ...]) -> list[object]:
    return [cell for cell in cells if not blank(cell)]


def _row_text(cells: tuple[object, ...]) -> str:
    return " | ".join(cell_text(cell) or "" for cell in _non_blank(cells))


def _is_key_start(cells: tuple[object, ...]) -> bool:
    values = _non_blank(cells)
    if not values:
        return False
    first = cell_text(values[0]) or ""
    return normalise_words(first) in _KEY_STARTS or first.lower().startswith("key:")


def _is_key_or_note(cells: tuple[object, ...], mapping: Mapping[Field, int]) -> bool:
    """A line of a RAG key ("Red – overdue") or a short note under the table: one or two
    cells, starting with a RAG colour or missing the ref or the wording."""
    values = _non_blank(cells)
    if len(values) > 2:
        return False
    if _RAG_WORD.match(cell_text(values[0]) or ""):
        return True

    def at(field_: Field) -> object:
        index = mapping.get(field_)
        return cells[index] if index is not None and index < len(cells) else None

    return blank(at(Field.REF)) or blank(at(Field.WORDING))


def _body(
    sheet: Sheet, header_index: int, mapping: Mapping[Field, int]
) -> tuple[list[SheetRow], list[SkippedRow]]:
    """The rows under the header that may hold recommendations, and those passed over."""
    skipped: list[SkippedRow] = []
    rows = list(sheet.rows[header_index + 1 :])
    for position, row in enumerate(rows):
        if _is_key_start(row.cells):
            skipped += [
                SkippedRow(r.number, _row_text(r.cells), "RAG key or notes under the table")
                for r in rows[position:]
                if _non_blank(r.cells)
            ]
            rows = rows[:position]
            break
    # Trailing lines after the last gap, each with one or two cells: a key or notes.
    end = len(rows)
    while end and not _non_blank(rows[end - 1].cells):
        end -= 1
    start = end
    while (
        start
        and _non_blank(rows[start - 1].cells)
        and _is_key_or_note(rows[start - 1].cells, mapping)
    ):
        start -= 1
    trailing = rows[start:end]
    gap_before = start == 0 or not _non_blank(rows[start - 1].cells)
    looks_like_key = any(_RAG_WORD.match(cell_text(_non_blank(r.cells)[0]) or "") for r in trailing)
    if trailing and start > 0 and (gap_before or looks_like_key):
        skipped += [
            SkippedRow(r.number, _row_text(r.cells), "RAG key or notes under the table")
            for r in trailing
        ]
        rows = rows[:start]
    body = []
    for row in rows:
        if not _non_blank(row.cells):
            continue
        if row.heading:
            skipped.append(SkippedRow(row.number, _row_text(row.cells), "section heading"))
            continue
        body.append(row)
    return body, sorted(skipped, key=lambda s: s.row)


def _pick_sheet(sheets: list[Sheet], name: str):
    for sheet in sheets:
        match = find_header([row.cells for row in sheet.rows])
        if match is not None:
            return sheet, match
    raise UnreadableFile(
        f"No header row was found in {name}: the table needs a row of column names including "
        "Ref (or Rec No) and Recommendation. Download the template to see the columns."
    )


def read_tracker(
    data: bytes,
    filename: str,
    mapping: Mapping[Field, int] | None = None,
    status_words: Mapping[str, Status] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ParsedTracker:
    """Read and check a tracker file; raises UnreadableFile when it is not a tracker at all.

    `mapping` (field -> column index, 0 = column A) replaces the columns recognised from the
    headers, for a user who corrected them; `status_words` maps status words the tracker does
    not know (as `normalise_words` gives them) to statuses the user chose."""
    name = PurePath(filename or "file").name
    sheets = read_sheet(data, name, max_bytes)
    sheet, match = _pick_sheet(sheets, name)
    chosen = dict(mapping) if mapping is not None else dict(match.mapping)
    ignored = match.ignored
    if mapping is not None:
        used = set(chosen.values())
        ignored = tuple(h for i, h in enumerate(match.headers) if h and i not in used)
    header_row = sheet.rows[match.row_index].number
    title_lines = tuple(
        _row_text(row.cells) for row in sheet.rows[: match.row_index] if _non_blank(row.cells)
    )
    body, skipped = _body(sheet, match.row_index, chosen)
    problems: list[CellProblem] = []
    notes: list[CellProblem] = []
    for required, how in (
        (Field.REF, "Ref, Rec No or Recommendation No"),
        (Field.WORDING, "Recommendation"),
    ):
        if required is Field.REF and Field.WORDING in chosen:
            continue  # no ref column: refs are the rows' order (see _derive_refs)
        if required not in chosen:
            problems.append(
                CellProblem(
                    header_row,
                    required.label,
                    "",
                    f"No column holds the {required.label.lower()}: the header row needs one "
                    f"called {how}, or choose the column in the mapping.",
                )
            )
    # The file's columns, for reading each row; its rows, problems and notes are added below.
    parsed = ParsedTracker(
        filename=name,
        sheet_name=sheet.name,
        header_row=header_row,
        headers=match.headers,
        mapping=chosen,
        ignored_headers=ignored,
        title_lines=title_lines,
        rows=(),
        problems=(),
        notes=(),
        skipped=tuple(skipped),
        file_sha256=hashlib.sha256(data).hexdigest(),
    )
    rows: list[TrackerRow] = []
    unmapped: Counter[str] = Counter()
    unmapped_priorities: Counter[str] = Counter()
    titles = {
        normalise_words(cell_text(cell) or "")
        for row in sheet.rows[: match.row_index]
        for cell in row.cells
        if not blank(cell)
    }
    for sheet_row in body:
        reader = _RowReader(
            parsed, sheet_row, status_words, problems, notes, unmapped, unmapped_priorities
        )
        if blank(reader.raw(Field.REF)) and blank(reader.raw(Field.WORDING)):
            skipped.append(
                SkippedRow(sheet_row.number, _row_text(sheet_row.cells), "no ref or wording")
            )
            continue
        wording = cell_text(reader.raw(Field.WORDING))
        if wording and normalise_words(wording) in titles:
            skipped.append(
                SkippedRow(
                    sheet_row.number,
                    _row_text(sheet_row.cells),
                    "its wording repeats the title above the table, so it is not a recommendation",
                )
            )
            continue
        rows.append(reader.read())
    rows, ref_note = _derive_refs(parsed, rows, problems)
    if not rows and not problems:
        problems.append(
            CellProblem(header_row, "", "", "There are no recommendations under the header row.")
        )
    return replace(
        parsed,
        rows=tuple(rows),
        problems=tuple(problems),
        notes=tuple(notes),
        skipped=tuple(sorted(skipped, key=lambda s: s.row)),
        unmapped_statuses=dict(unmapped),
        unmapped_priorities=dict(unmapped_priorities),
        ref_note=ref_note,
    )


MAX_REF_LENGTH = 50
# GAO's recommendations end "(Recommendation 3)": the number the report gave it.
_STATED_NUMBER = re.compile(r"\(\s*recommendation\s+(\d+)\s*\)\s*\.?\s*$", re.IGNORECASE)
# Headers that name the report a row comes from rather than the recommendation itself.
_REPORT_WORDS = frozenset({"report", "publication", "audit", "review", "inspection", "source"})


def _ref_key(ref: str) -> str:
    return " ".join(ref.split()).casefold()


def _names_report(parsed: ParsedTracker) -> bool:
    index = parsed.mapping.get(Field.REF)
    header = parsed.headers[index] if index is not None and index < len(parsed.headers) else ""
    return bool(set(normalise_words(header).split()) & _REPORT_WORDS)


def _derive_refs(
    parsed: ParsedTracker, rows: list[TrackerRow], problems: list[CellProblem]
) -> tuple[list[TrackerRow], str | None]:
    """Each row's ref as the tracker will match it, and how refs were made when the file does
    not give one per recommendation.

    - No ref column: the row's order among the recommendations (1, 2, 3…).
    - A ref column that names the report, not the recommendation (several rows share a value,
      and its header says report, publication or audit, or rows average two or more a value):
      the report's ref and the recommendation's order within it ("GAO-21-123 #2"), or the
      number each row states, "(Recommendation 4)", when every row of the report states a
      different one.
    - Otherwise each row's own ref, and a ref used twice is a problem to correct.

    The same file always gives the same refs, so importing it again changes nothing."""
    column = parsed.column_label(Field.REF)
    if Field.REF not in parsed.mapping:
        numbered = [replace(row, ref=str(order)) for order, row in enumerate(rows, start=1)]
        note = (
            "The file has no ref column, so each recommendation's ref is its order in the file "
            "(1, 2, 3…). Keep the rows in this order when you import a newer copy, or add a "
            "Ref column."
        )
        return numbered, note if numbered else None
    groups: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        if row.ref is None:
            problems.append(
                CellProblem(
                    row.row,
                    column,
                    "",
                    "The ref is blank: every recommendation needs its reference, so a later "
                    "import can find it again.",
                )
            )
            continue
        groups.setdefault(_ref_key(row.ref), []).append(position)
    shared = any(len(positions) > 1 for positions in groups.values())
    with_ref = sum(len(positions) for positions in groups.values())
    if shared and (len(groups) * 2 <= with_ref or _names_report(parsed)):
        return _report_refs(parsed, rows, groups, problems)
    for positions in groups.values():
        first = rows[positions[0]]
        for position in positions[1:]:
            row = rows[position]
            problems.append(
                CellProblem(
                    row.row,
                    column,
                    row.ref or "",
                    f"Ref {row.ref} is used twice (first in row {first.row}): each "
                    "recommendation needs its own reference.",
                )
            )
    return rows, None


def _report_refs(
    parsed: ParsedTracker,
    rows: list[TrackerRow],
    groups: dict[str, list[int]],
    problems: list[CellProblem],
) -> tuple[list[TrackerRow], str]:
    column = parsed.column_label(Field.REF)
    derived = list(rows)
    example = ""
    for positions in groups.values():
        stated = [_STATED_NUMBER.search(rows[p].wording or "") for p in positions]
        numbers = [int(found[1]) if found else None for found in stated]
        use_stated = None not in numbers and len(set(numbers)) == len(numbers)
        for order, position in enumerate(positions, start=1):
            row = rows[position]
            assert row.ref is not None
            ref = f"{' '.join(row.ref.split())} #{numbers[order - 1] if use_stated else order}"
            if len(ref) > MAX_REF_LENGTH:
                problems.append(
                    CellProblem(
                        row.row,
                        column,
                        row.ref,
                        f"The ref made from it, {ref}, is longer than {MAX_REF_LENGTH} "
                        "characters: give each recommendation its own short ref.",
                    )
                )
            derived[position] = replace(row, ref=ref)
            example = example or ref
    note = (
        f"Column {column} names the report, not each recommendation (several rows share it), "
        "so each recommendation's ref is the report's ref and its order within the report, or "
        f'the number the row states, e.g. "{example}". Keep the rows in this order when you '
        "import a newer copy."
    )
    return derived, note


# What trackers put in a comment or evidence cell that says nothing yet.
_PLACEHOLDERS = frozenset({"", "tbc", "tba", "tbd", "na", "n a", "none", "nil", "to be confirmed"})


class _RowReader:
    """Reads one sheet row's cells through the mapping, collecting problems and notes."""

    def __init__(
        self,
        parsed: ParsedTracker,
        row: SheetRow,
        status_words: Mapping[str, Status] | None,
        problems: list[CellProblem],
        notes: list[CellProblem],
        unmapped: Counter[str],
        unmapped_priorities: Counter[str],
    ) -> None:
        self.parsed = parsed
        self.row = row
        self.status_words = status_words
        self.problems = problems
        self.notes = notes
        self.unmapped = unmapped
        self.unmapped_priorities = unmapped_priorities

    def raw(self, field_: Field) -> object:
        index = self.parsed.mapping.get(field_)
        if index is None or index >= len(self.row.cells):
            return None
        return self.row.cells[index]

    def problem(
        self, field_: Field, value: object, message: str, word_kind: str | None = None
    ) -> None:
        self.problems.append(
            CellProblem(
                self.row.number,
                self.parsed.column_label(field_),
                cell_text(value) or "",
                message,
                word_kind,
            )
        )

    def text(self, field_: Field) -> str | None:
        value = self.raw(field_)
        text = cell_text(value)
        placeholder = text is not None and normalise_words(text) in _PLACEHOLDERS
        if field_ in {Field.UPDATE, Field.EVIDENCE} and placeholder:
            return None  # "TBC" in a comment column is no update (Tasmania's PAC tracker)
        if text is not None and len(text) > MAX_TEXT_LENGTH:
            self.problem(field_, text[:60] + "…", f"Longer than {MAX_TEXT_LENGTH:,} characters.")
            return None
        if text is not None and field_ in {
            Field.REF,
            Field.OWNER,
            Field.DIRECTORATE,
            Field.COMMITTEE,
        }:
            text = " ".join(text.split())
            if len(text) > 50 and field_ is Field.REF:
                self.problem(field_, text, "A ref can be at most 50 characters.")
                return None
            if len(text) > 200:
                self.problem(field_, text, "A name can be at most 200 characters.")
                return None
        return text

    def value(self, field_: Field, reader):
        raw = self.raw(field_)
        result = reader(raw)
        if isinstance(result, ValueProblem):
            self.problem(field_, raw, result.message)
            return None
        return result

    def read(self) -> TrackerRow:
        status_raw = self.raw(Field.STATUS)
        status = read_status(status_raw, self.status_words)
        status_word = None
        if isinstance(status, ValueProblem):
            self.problem(Field.STATUS, status_raw, status.message, STATUS_WORD)
            status_word = cell_text(status_raw) or ""
            self.unmapped[status_word] += 1
            status = None
        elif isinstance(status, StatusReading) and status.note:
            self.notes.append(
                CellProblem(
                    self.row.number,
                    self.parsed.column_label(Field.STATUS),
                    cell_text(status_raw) or "",
                    status.note,
                )
            )
        priority_raw = self.raw(Field.PRIORITY)
        priority = read_priority(priority_raw)
        priority_word = None
        if isinstance(priority, ValueProblem):
            self.problem(Field.PRIORITY, priority_raw, priority.message, PRIORITY_WORD)
            priority_word = cell_text(priority_raw) or ""
            self.unmapped_priorities[priority_word] += 1
            priority = None
        return TrackerRow(
            row=self.row.number,
            ref=self.text(Field.REF),
            wording=self.text(Field.WORDING),
            owner=self.text(Field.OWNER),
            directorate=self.text(Field.DIRECTORATE),
            priority=priority,
            acceptance=self.value(Field.ACCEPTED, read_acceptance),
            target_date=self.value(Field.TARGET_DATE, read_date),
            revised_target_date=self.value(Field.REVISED_TARGET_DATE, read_date),
            status=status.status if isinstance(status, StatusReading) else None,
            update=self.text(Field.UPDATE),
            update_date=self.value(Field.UPDATE_DATE, read_date),
            evidence=self.text(Field.EVIDENCE),
            committee=self.text(Field.COMMITTEE),
            status_word=status_word,
            priority_word=priority_word,
        )
