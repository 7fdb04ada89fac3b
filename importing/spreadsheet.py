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
from domain.text_rules import has_invisible, storable_problem, without_invisible
from domain.vocabulary import Priority, Status
from importing.file_limits import check_zip
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
    "unclosed_quote_problem",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILE_LABEL = "5 MB"
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
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML in data:
            raise UnreadableFile(
                f"{name} is protected by a password: open it in Excel, remove the password "
                "(File, Info, Protect Workbook) or save a copy without one, as .xlsx or .csv, "
                "then try again."
            )
        raise UnreadableFile(
            f"{name} is an old-style Excel file (.xls): open it in Excel and save it as .xlsx "
            "or .csv, then try again."
        )
    if data.startswith(_XLSX_MAGIC):
        return _read_workbook(data, name)
    utf16 = _utf16_encoding(data)
    if utf16 is None and (
        data.startswith(_NOT_SPREADSHEET_MAGIC)
        or _looks_binary(data[:8192])
        or suffix in {".docx", ".pdf", ".doc", ".txt", ".pptx"}
    ):
        raise UnreadableFile(
            f"{name} is not a spreadsheet: import an Excel workbook (.xlsx) or a CSV file."
        )
    text = data.decode(utf16, errors="replace").lstrip("\ufeff") if utf16 else _decode(data)
    if suffix == ".xls":
        kind = "a web page (HTML)" if text.lstrip()[:1] == "<" else "a CSV file (text)"
        raise UnreadableFile(
            f"{name} is {kind}, although its name ends in .xls: rename it to end in .csv, or "
            "open it in Excel and save it as .xlsx, then try again."
        )
    return [_read_csv(text, name)]


# An encrypted .xlsx is an OLE container holding a stream of this name (UTF-16 in the file).
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


def _utf16_encoding(data: bytes) -> str | None:
    """ "utf-16" for text Excel saves as "Unicode Text" (UTF-16 with a byte-order mark), or the
    byte order of UTF-16 without one (every other byte zero); None for anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > len(odd) * 0.9 and even.count(0) < len(even) * 0.1:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.9 and odd.count(0) < len(odd) * 0.1:
            return "utf-16-be"
    return None


def _looks_binary(sample: bytes) -> bool:
    """Many control bytes (a program's file, a picture), not text with a stray NUL in it."""
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return control > max(4, len(sample) // 100)


def _decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252, the
    encoding Excel on a UK Windows PC saves "CSV" in."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(text: str, name: str) -> Sheet:
    """The CSV's rows, numbered by the line each starts on (as a text editor shows it), with
    the same limits as a workbook; an unclosed quote mark that swallowed the lines after it
    is refused, naming the lines."""
    from openpyxl.utils.cell import get_column_letter

    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UnreadableFile(
            f"{name} holds a NUL character (an invisible control character, character 0) on "
            f"line {line}, which the database cannot store: delete it (retype that line, or "
            "save the file again from Excel) and try again."
        )
    sample = text[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[SheetRow] = []
    spans: list[tuple[int, int, list[str]]] = []  # (first line, last line, cells) of each row
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    read_up_to = 0
    with_data = 0
    try:
        for cells in reader:
            first_line, read_up_to = read_up_to + 1, reader.line_num
            values = [unguard_cell(cell) if cell.strip() else None for cell in cells]
            while values and values[-1] is None:
                values.pop()
            if not values:
                if rows and rows[-1].cells:  # keep one blank row: it marks a gap
                    rows.append(SheetRow(first_line, ()))
                continue
            where = f"{name}, line {first_line}"
            if len(values) > MAX_COLUMNS:
                column = get_column_letter(min(len(values), 18_278))  # XFD is Excel's last
                raise UnreadableFile(
                    f"{where} has data in column {column}, beyond the "
                    f"first {MAX_COLUMNS} columns the tracker reads (the limit): move it into "
                    "the table or delete it, and try again."
                )
            longest = max(len(cell) for cell in cells)
            if longest > MAX_CELL_CHARACTERS:
                raise UnreadableFile(
                    f"{where} has a cell of {longest:,} characters, more than the "
                    f"{MAX_CELL_CHARACTERS:,} limit for one cell: shorten it and try again."
                )
            with_data += 1
            if with_data > MAX_ROWS:
                raise UnreadableFile(
                    f"{name} has more than {MAX_ROWS:,} rows, the limit for one import: split "
                    "the tracker into smaller files and try again."
                )
            rows.append(SheetRow(first_line, tuple(values)))
            if read_up_to > first_line:
                spans.append((first_line, read_up_to, cells))
    except csv.Error as error:
        raise UnreadableFile(
            f"{name} could not be read as a CSV file ({error}, near line {read_up_to + 1}): "
            "save it again from Excel as CSV and try again."
        ) from error
    swallowed = unclosed_quote_problem(text, name, dialect, spans)
    if swallowed:
        raise UnreadableFile(swallowed)
    if not rows:
        raise UnreadableFile(f"{name} is empty: there is nothing to import.")
    return Sheet(None, tuple(rows))


def unclosed_quote_problem(
    text: str,
    name: str,
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel,
    spans: list[tuple[int, int, list[str]]] | None = None,
) -> str | None:
    """Why a CSV cannot be trusted when a quote mark opened in a cell is never closed where
    the cell ends, so the lines after it were read into that cell and lost as rows; None when
    every quote closes where it should. `spans` ((first line, last line, cells) of each record
    spanning several lines) saves reading the file again when the caller has them.

    Two signs, either enough: the file ends inside a quoted cell (the quote was never closed),
    or a line inside a multi-line cell has as many fields as the file's rows and a short first
    field, so it reads as a row of its own. A cell's own line breaks (Excel writes them quoted)
    are prose and do not look like that."""
    widths: Counter[int] = Counter()
    if spans is None:
        spans = []
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        read_up_to = 0
        try:
            for cells in reader:
                first_line, read_up_to = read_up_to + 1, reader.line_num
                if read_up_to > first_line:
                    spans.append((first_line, read_up_to, cells))
        except csv.Error:
            return None  # the caller reports the CSV as unreadable in its own words
    if not spans:
        return None
    unclosed_at_end = False
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), dialect, strict=True):
            if any(cell.strip() for cell in cells):
                widths[len(cells)] += 1
    except csv.Error as error:
        unclosed_at_end = "unexpected end of data" in str(error)
    if not widths:
        for cells in csv.reader(io.StringIO(text[:200_000], newline=""), dialect):
            if any(cell.strip() for cell in cells):
                widths[len(cells)] += 1
    usual = widths.most_common(1)[0][0] if widths else 0
    for first_line, last_line, cells in spans:
        for cell in cells:
            if "\n" not in cell:
                continue
            inner = cell.replace("\r\n", "\n").split("\n")[1:]
            for offset, line in enumerate(inner, start=1):
                fields = next(csv.reader([line], dialect), [])
                first = fields[0].strip() if fields else ""
                looks_like_row = (  # as many fields as a row, starting with a ref-like value
                    usual >= 3
                    and len(fields) == usual
                    and 0 < len(first) <= 20
                    and any(ch.isdigit() for ch in first)
                )
                ends_file = unclosed_at_end and last_line == spans[-1][1]
                if looks_like_row or ends_file:
                    return (
                        f'{name}: a quote mark (") opens a cell on line {first_line} and is '
                        f"not closed where the cell ends, so lines {first_line + 1} to "
                        f"{last_line} were read into that one cell instead of as rows (line "
                        f"{first_line + offset} reads {line[:60]!r}). Close the quote (or "
                        "delete the stray one), save, and try again."
                    )
    return None


# Beyond these a workbook is refused while it is read, before it can fill the server's memory
# (issue 10): the tracker import's largest measured file is 10,000 rows.
MAX_ROWS = 20_000  # rows with something in them, per sheet
EXCEL_LAST_ROW = 1_048_576
MAX_CELL_CHARACTERS = 100_000  # longer than MAX_TEXT_LENGTH is a cell problem; this, a refusal
MAX_SHEETS = 100
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = 1_000_000  # cells the merged ranges cover within the rows and columns read
_FIX = "save it again from Excel as .xlsx or .csv, and try again."


def _read_workbook(data: bytes, name: str) -> list[Sheet]:
    import warnings

    import openpyxl

    check_zip(data, name, UnreadableFile, "workbook", _FIX)
    with warnings.catch_warnings():
        # openpyxl warns (on stderr) about styles and dates it passes over: not for the user.
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged or foreign zip
            raise UnreadableFile(
                f"{name} could not be opened as an Excel workbook"
                f"{_entity_reason(error) or _damage(error)}: {_FIX}"
            ) from error
        try:
            worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
            if len(worksheets) > MAX_SHEETS:
                raise UnreadableFile(
                    f"{name} has {len(worksheets):,} sheets, more than the {MAX_SHEETS} the "
                    "tracker reads: copy the tracker's sheet into a workbook of its own and "
                    "try again."
                )
            active = workbook.active
            if active in worksheets:
                worksheets.remove(active)
                worksheets.insert(0, active)
            sheets = [_read_worksheet(workbook, worksheet, name) for worksheet in worksheets]
        finally:
            workbook.close()
    sheets = [sheet for sheet in sheets if sheet.rows]
    if not sheets:
        raise UnreadableFile(
            f"{name} has no data in any of its sheets: there is nothing to import."
        )
    return sheets


def _entity_reason(error: BaseException) -> str:
    """ " (it declares XML entities…)" when the parser refused entities, else ""."""
    if type(error).__module__.startswith("defusedxml"):
        return (
            " (it declares XML entities, which Excel never writes and which can be used to "
            "attack a server, so it is refused)"
        )
    return ""


class _SheetRefused(Exception):
    """Raised inside the streaming loop; becomes an UnreadableFile naming the sheet."""


def _read_worksheet(workbook, worksheet, name: str) -> Sheet:
    """The sheet's rows, streamed one <row> at a time through openpyxl's own cell reader, so
    every limit is checked as the XML is read and a bad cell is named by its reference."""
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    merge_tag = f"{{{SHEET_MAIN_NS}}}mergeCell"
    where = f'sheet "{worksheet.title}" of {name}'
    rows: dict[int, list[object]] = {}
    merges: list[str] = []
    last_row = 0
    parser = WorkSheetParser(
        None,
        worksheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    try:
        with workbook._archive.open(worksheet._worksheet_path) as source:
            for _event, element in iterparse(source):
                if element.tag == ROW_TAG:
                    number, cells = _parse_row(parser, element, where, CELL_TAG)
                    element.clear()
                    parser.row_dimensions.clear()  # row heights: not needed, and they add up
                    if number > EXCEL_LAST_ROW or number <= last_row:
                        raise _SheetRefused(
                            f"{where} is damaged: it numbers a row {number:,} after row "
                            f"{last_row:,}"
                        )
                    last_row = number
                    values = _row_values(cells, number, where)
                    if values:
                        rows[number] = values
                        if len(rows) > MAX_ROWS:
                            raise _SheetRefused(
                                f"{where} has more than {MAX_ROWS:,} rows, the limit for one "
                                "import: split the tracker into smaller files"
                            )
                elif element.tag == merge_tag:
                    merges.append(element.get("ref") or "")
                    element.clear()
                    if len(merges) > MAX_MERGED_RANGES:
                        raise _SheetRefused(
                            f"{where} has more than {MAX_MERGED_RANGES:,} merged ranges, the "
                            "limit: unmerge the cells (Home, Merge & Center) and try again"
                        )
    except _SheetRefused as refused:
        raise UnreadableFile(f"{refused}. Nothing was read from it.") from None
    except UnreadableFile:
        raise
    except Exception as error:  # the XML parser, a zip checksum, a value openpyxl cannot read
        after = f" after row {last_row:,}" if last_row else ""
        raise UnreadableFile(
            f"{where} is damaged{after}{_entity_reason(error) or _damage(error)}: {_FIX}"
        ) from error
    headings = _apply_merges(rows, merges, where)
    sheet_rows = []
    previous = 0
    for number in sorted(rows):
        if number > previous + 1 and sheet_rows:
            sheet_rows.append(SheetRow(previous + 1, ()))  # a gap: blank rows in between
        sheet_rows.append(SheetRow(number, tuple(rows[number]), heading=number in headings))
        previous = number
    return Sheet(worksheet.title, tuple(sheet_rows))


def _damage(error: BaseException) -> str:
    from xml.etree.ElementTree import ParseError

    if isinstance(error, ParseError):
        return " (its XML is broken: cut short, or holding a character XML does not allow)"
    if isinstance(error, zipfile.BadZipFile):
        return " (the file is cut short or corrupted)"
    return ""


def _parse_row(parser, element, where: str, cell_tag: str) -> tuple[int, list[dict]]:
    """openpyxl's reading of one <row>; a cell it cannot read is named with its value."""
    try:
        number, cells = parser.parse_row(element)
    except Exception:
        number = parser.row_counter
        for cell in element.iter(cell_tag):
            reference = cell.get("r")
            if reference is not None and not _CELL_REFERENCE.match(reference):
                raise _SheetRefused(
                    f"{where} is damaged: in row {number}, a cell is given the reference "
                    f"{reference[:20]!r}, which is not a cell"
                ) from None
            try:
                parser.parse_cell(cell)
            except Exception as error:
                raw = cell.findtext(next(iter(cell)).tag) if len(cell) else ""
                kind = {"n": "number", "d": "date", "s": "shared text", "b": "true/false"}.get(
                    cell.get("t", "n"), "value"
                )
                raise _SheetRefused(
                    f"{where} is damaged: cell {cell.get('r') or f'in row {number}'} is "
                    f"marked as a {kind} but holds {str(raw)[:40]!r}, which is not one "
                    f"({type(error).__name__}). Type the value again in Excel, save, and try "
                    "again"
                ) from None
        raise _SheetRefused(
            f"{where} is damaged: row {element.get('r') or number} cannot be read"
        ) from None
    return number, cells


_CELL_REFERENCE = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")


def _row_values(cells: list[dict], number: int, where: str) -> list[object]:
    """The row's values in column order, up to the last one not blank; [] for a blank row."""
    from openpyxl.utils.cell import get_column_letter

    values: list[object] = []
    for cell in cells:
        value = cell["value"]
        if blank(value):
            continue
        column = cell["column"]
        if column > MAX_COLUMNS:
            raise _SheetRefused(
                f"{where} has data in cell {get_column_letter(column)}{number}, beyond the "
                f"first {MAX_COLUMNS} columns the tracker reads (the limit): move it into the "
                "table or delete it"
            )
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            raise _SheetRefused(
                f"{where}: cell {get_column_letter(column)}{number} holds {len(value):,} "
                f"characters, more than the {MAX_CELL_CHARACTERS:,} limit for one cell"
            )
        while len(values) < column:
            values.append(None)
        values[column - 1] = value
    return values


def _apply_merges(rows: dict[int, list[object]], merges: list[str], where: str) -> set[int]:
    """Copy each value merged down into every row it covers; return the rows that are one
    cell merged across the table (section headings). Only rows with data and the columns
    read are touched, and the cells covered are counted against MAX_MERGED_CELLS."""
    import bisect

    from openpyxl.utils.cell import range_boundaries

    numbers = sorted(rows)
    headings: set[int] = set()
    covered = 0
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            raise UnreadableFile(
                f"{where} is damaged: it has a merged range {ref[:40]!r} that is not a range "
                f"of cells. {_FIX[0].upper()}{_FIX[1:]}"
            ) from None
        if min_row < 1 or min_col < 1 or max_row < min_row or max_col < min_col:
            raise UnreadableFile(
                f"{where} is damaged: it has a merged range {ref[:40]!r} that is not a range "
                f"of cells. {_FIX[0].upper()}{_FIX[1:]}"
            )
        if min_row not in rows:
            continue
        top_left = _cell(rows[min_row], min_col)
        if max_row > min_row:  # merged down: the value belongs to every row it covers
            start = bisect.bisect_left(numbers, min_row)
            end = bisect.bisect_right(numbers, max_row)
            columns = range(min_col, min(max_col, MAX_COLUMNS) + 1)
            covered += (end - start) * len(columns)
            if covered > MAX_MERGED_CELLS:
                raise UnreadableFile(
                    f"{where} has merged ranges covering more than {MAX_MERGED_CELLS:,} "
                    "cells, the limit: unmerge the cells (Home, Merge & Center) and try again."
                )
            for number in numbers[start:end]:
                for column in columns:
                    _set_cell(rows[number], column, top_left)
        elif max_col - min_col >= 2:
            others = [
                cell
                for column, cell in enumerate(rows[min_row], start=1)
                if not min_col <= column <= max_col
            ]
            if all(blank(cell) for cell in others):
                headings.add(min_row)
    return headings


def _cell(cells: list[object], column: int) -> object:
    return cells[column - 1] if column <= len(cells) else None


def _set_cell(cells: list[object], column: int, value: object) -> None:
    if column > MAX_COLUMNS:
        return
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
    cleaned_refs: set[int] = set()  # rows whose ref had invisible characters removed
    for sheet_row in body:
        reader = _RowReader(
            parsed, sheet_row, status_words, problems, notes, unmapped, unmapped_priorities
        )
        reader.cleaned_refs = cleaned_refs
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
    _report_look_alike_refs(parsed, rows, cleaned_refs, problems)
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


def _report_look_alike_refs(
    parsed: ParsedTracker,
    rows: list[TrackerRow],
    cleaned_refs: set[int],
    problems: list[CellProblem],
) -> None:
    """A ref that equals another only once its invisible characters are removed ("R1" and
    "R1" with a zero-width space) is a problem, whatever the file's refs are otherwise: the
    two looked different to whoever typed them, so which is meant cannot be guessed."""
    if not cleaned_refs:
        return
    first_row: dict[str, int] = {}
    for row in rows:
        if row.ref is not None:
            first_row.setdefault(_ref_key(row.ref), row.row)
    counts = Counter(_ref_key(row.ref) for row in rows if row.ref is not None)
    for row in rows:
        if row.row in cleaned_refs and row.ref is not None and counts[_ref_key(row.ref)] > 1:
            first = first_row[_ref_key(row.ref)]
            other = f"the ref in row {first}" if first != row.row else "a later row's ref"
            problems.append(
                CellProblem(
                    row.row,
                    parsed.column_label(Field.REF),
                    row.ref,
                    f"Ref {row.ref} is the same as {other} once the invisible characters in "
                    "it (such as a zero-width space) are removed: give each recommendation "
                    "its own reference.",
                )
            )


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
            if any(p.row == row.row and p.column == column for p in problems):
                continue  # already said what is wrong with this ref
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


def _shown(text: str) -> str:
    """The text with its invisible characters made visible, as <U+200B>, for messages."""
    return "".join(f"<U+{ord(ch):04X}>" if has_invisible(ch) else ch for ch in text)[:80]


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
        self.cleaned_refs: set[int] = set()

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
        if text is not None and (nul := storable_problem(text, what="The cell")):
            self.problem(field_, text[:60], nul)
            return None
        if text is not None and field_ in {
            Field.REF,
            Field.OWNER,
            Field.DIRECTORATE,
            Field.COMMITTEE,
        }:
            visible = " ".join(without_invisible(text).split())
            if visible != " ".join(text.split()):
                if not visible:
                    self.problem(
                        field_,
                        _shown(text),
                        "The cell holds only invisible characters (such as a zero-width "
                        "space or a right-to-left mark): type the "
                        f"{'ref' if field_ is Field.REF else 'name'} again.",
                    )
                    return None
                if field_ is Field.REF:
                    self.cleaned_refs.add(self.row.number)
                self.notes.append(
                    CellProblem(
                        self.row.number,
                        self.parsed.column_label(field_),
                        _shown(text),
                        f"Invisible characters (such as a zero-width space or a right-to-left "
                        f'mark) were removed, so it reads "{visible}".',
                    )
                )
            text = visible
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
