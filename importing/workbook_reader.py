"""Reading an Excel workbook (.xlsx) tracker into `Sheet`s, streamed so a hostile file is
refused before it can fill the server's memory.

Each worksheet's XML is read one <row> at a time through openpyxl's own cell reader, checking
the shared upload limits (`importing.spreadsheet_types`) and the workbook's own (sheets, rows
numbered past Excel's last, merged ranges and the cells they cover) as it goes; a damaged cell
is named by its reference. Cells merged down several rows are copied into every row they
cover; a row that is one cell merged across the table is marked a section heading. Pure:
bytes in, rows out; `importing.spreadsheet.read_sheet` recognises a workbook and calls this.
"""

from __future__ import annotations

import io
import re
import zipfile

from importing.file_limits import check_zip
from importing.spreadsheet_types import (
    MAX_CELL_CHARACTERS,
    MAX_COLUMNS,
    MAX_ROWS,
    Sheet,
    SheetRow,
    UnreadableFile,
)
from importing.words import blank

__all__ = ["read_workbook"]

# Beyond these a workbook is refused while it is read, as beyond the shared limits.
EXCEL_LAST_ROW = 1_048_576
MAX_SHEETS = 100
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = 1_000_000  # cells the merged ranges cover within the rows and columns read
_FIX = "save it again from Excel as .xlsx or .csv, and try again."


def read_workbook(data: bytes, name: str) -> list[Sheet]:
    """The workbook's worksheets that hold data, the active one first; raises UnreadableFile
    naming the sheet (and row or cell) when one is damaged or beyond a limit."""
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
