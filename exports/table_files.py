"""Table files: CSV for any tool, and a formatted XLSX ready to paste into a report.

Both leave exempt (Part 2) rows out unless asked (`for_download`), because a table pasted
into a public committee paper must never leak one; when they are asked for, every row says
which it is and the file says so where a reader cannot miss it.

A CSV cell that begins with "=", "+", "-", "@" (or a tab or carriage return) would be run
as a formula by a spreadsheet; such cells get a leading apostrophe (`domain.cell_text`, the
one guard, which the tracker import undoes). In the XLSX every text cell is written as text,
so nothing in it is ever a formula.

This is the project's one CSV writer (`table_csv`) and one XLSX cell writer (`_write_body`);
the tracker file (`exports.tracker_file`) uses them with its own layout (`plain_xlsx`), which
the tracker import reads back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from domain.cell_text import guard_cell
from domain.formatting import long_date
from domain.palette import (
    BLACK,
    DARK_GREY,
    RAG_COLOURS,
    RAG_TEXT_COLOURS,
    RED,
    WHITE,
    hex_digits,
)
from domain.vocabulary import RAG_LABELS, Confidentiality, Rag
from exports.exempt import exempt_mask, has_exempt_mark, without_exempt_mark

__all__ = [
    "CONFIDENTIALITY_COLUMN",
    "EXEMPT_BANNER",
    "RAG_FILLS",
    "for_download",
    "plain_xlsx",
    "table_csv",
    "table_xlsx",
]

CONFIDENTIALITY_COLUMN = "confidentiality"
CONFIDENTIALITY_LABEL = "Confidentiality"
EXEMPT_BANNER = (
    "CONTAINS EXEMPT (PART 2) ITEMS: not for publication. Remove the rows marked "
    '"Exempt (Part 2)" before this table goes into a public paper.'
)

# RAG word -> its fill and the colour of the word on it (the one palette, as Excel writes it).
RAG_FILLS: dict[str, tuple[str, str]] = {
    RAG_LABELS[rag]: (hex_digits(RAG_COLOURS[rag]), hex_digits(RAG_TEXT_COLOURS[rag]))
    for rag in Rag
}
EXCEL_DATE_FORMAT = "d mmm yyyy"  # 12 Feb 2019: the product's short date
MAX_WIDTH = 60
MIN_WIDTH = 8
SHEET_NAME_CHARACTERS = 31
_SHEET_UNSAFE = str.maketrans({c: " " for c in "[]:*?/\\"})


def for_download(frame: pd.DataFrame, *, include_exempt: bool = False) -> pd.DataFrame:
    """The rows a download may carry: no exempt rows unless `include_exempt`, and then a
    first "confidentiality" column saying which rows are exempt. The hidden mark
    (domain.exempt) goes.

    A frame without the mark is returned unchanged (its rows cannot be told apart).
    """
    if not has_exempt_mark(frame):
        return frame
    exempt = exempt_mask(frame)
    if not include_exempt:
        return without_exempt_mark(frame.loc[~exempt]).reset_index(drop=True)
    marked = without_exempt_mark(frame).reset_index(drop=True)
    words = [
        (Confidentiality.EXEMPT if is_exempt else Confidentiality.PUBLIC).label
        for is_exempt in exempt
    ]
    marked.insert(0, CONFIDENTIALITY_COLUMN, words)
    return marked


def has_exempt_rows(frame: pd.DataFrame) -> bool:
    """True when a prepared frame (from for_download) lists any exempt row."""
    return CONFIDENTIALITY_COLUMN in frame.columns and bool(
        (frame[CONFIDENTIALITY_COLUMN] == Confidentiality.EXEMPT.label).any()
    )


def _labels(frame: pd.DataFrame, column_labels: Mapping[str, Any] | None) -> list[str]:
    """Each column's heading: its label (a string, or a Streamlit column's "label"), else
    the column name in sentence case."""
    headings = []
    for column in frame.columns:
        given = (column_labels or {}).get(column)
        if isinstance(given, Mapping):
            given = given.get("label")
        if column == CONFIDENTIALITY_COLUMN and not given:
            given = CONFIDENTIALITY_LABEL
        headings.append(str(given) if given else str(column).replace("_", " ").capitalize())
    return headings


def _cell(value: Any) -> Any:
    """A frame value as plain Python: dates as date, missing as None, numpy as int/float."""
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _csv_text(value: Any, date_format: str) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.strftime(date_format)
    if isinstance(value, int | float):
        return str(value)
    return guard_cell(str(value))


def table_csv(
    frame: pd.DataFrame,
    *,
    column_labels: Mapping[str, Any] | None = None,
    date_format: str = "%Y-%m-%d",
    preamble: Sequence[str] = (),
) -> bytes:
    """The table as CSV: UTF-8 with a byte-order mark (so Excel reads "£" and accents),
    headings from `column_labels`, dates as YYYY-MM-DD (it sorts, and every spreadsheet reads
    it as a date) unless `date_format` says otherwise, formula starts guarded.

    Pass a frame from `for_download` so exempt rows are handled. Each `preamble` line (a
    marking such as "not for publication") is a row of its own above the headings.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([guard_cell(line)])
    writer.writerow([guard_cell(heading) for heading in _labels(frame, column_labels)])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_text(value, date_format) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(title: str, exempt: bool) -> str:
    name = title.translate(_SHEET_UNSAFE).strip(" '") or "Table"
    if exempt:
        name = "EXEMPT " + name
    return name[:SHEET_NAME_CHARACTERS].rstrip()


def _width(heading: str, values: Sequence[Any]) -> float:
    """Characters wide: the longest of the heading and the first few hundred values."""
    longest = len(heading)
    for value in values[:500]:
        if isinstance(value, date):
            longest = max(longest, 11)
        elif value is not None:
            longest = max(longest, len(f"{value:,}" if isinstance(value, int) else str(value)))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _cell_styles(
    workbook: Workbook, date_format: str = EXCEL_DATE_FORMAT
) -> tuple[dict[str, str], dict[str, str]]:
    """Named styles for the body cells, registered once: styling cell by cell with new
    style objects costs about a millisecond a cell, too slow for a 500-row table."""
    top = {"vertical": "top"}
    kinds = {
        "text": NamedStyle("Tracker text", alignment=Alignment(wrap_text=True, **top)),
        "date": NamedStyle("Tracker date", number_format=date_format, alignment=Alignment(**top)),
        "whole": NamedStyle("Tracker number", number_format="#,##0", alignment=Alignment(**top)),
        "other": NamedStyle("Tracker value", alignment=Alignment(**top)),
    }
    rags = {
        word: NamedStyle(
            f"Tracker RAG {word}",
            fill=PatternFill("solid", fgColor=fill),
            font=Font(bold=True, color=text),
            alignment=Alignment(**top),
        )
        for word, (fill, text) in RAG_FILLS.items()
    }
    for style in [*kinds.values(), *rags.values()]:
        workbook.add_named_style(style)
    return (
        {kind: style.name for kind, style in kinds.items()},
        {word: style.name for word, style in rags.items()},
    )


def _write_body(
    sheet: Any,
    frame: pd.DataFrame,
    first_row: int,
    workbook: Workbook,
    *,
    rag_columns: Sequence[str] = (),
    date_format: str = EXCEL_DATE_FORMAT,
) -> list[list[Any]]:
    """Write the frame's rows from `first_row` down: text always as text (never a formula,
    whatever it begins with), dates as dates in `date_format`, whole numbers with thousands
    separators, Yes/No for true/false, and RAG words in `rag_columns` in their colour.
    Returns the values written, column by column (for the widths)."""
    styles, rag_styles = _cell_styles(workbook, date_format)
    columns = [[_cell(value) for value in frame[name]] for name in frame.columns]
    rag_positions = {position for position, name in enumerate(frame.columns) if name in rag_columns}
    for offset in range(len(frame)):
        row_number = first_row + offset
        for position, values in enumerate(columns):
            value = values[offset]
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            cell = sheet.cell(row_number, position + 1, value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text begins with
                if position in rag_positions and value in RAG_FILLS:
                    cell.style = rag_styles[value]
                else:
                    cell.style = styles["text"]
            elif isinstance(value, date):
                cell.style = styles["date"]
            elif isinstance(value, int):
                cell.style = styles["whole"]
            else:
                cell.style = styles["other"]
    return columns


def table_xlsx(
    frame: pd.DataFrame,
    title: str,
    as_at: date,
    *,
    column_labels: Mapping[str, Any] | None = None,
    rag_columns: Sequence[str] = ("rag",),
    note: str = "",
) -> bytes:
    """The table as a formatted workbook: a title, "as at" and source line, the header row
    frozen with a filter, widths from the content, real dates in UK form, RAG cells in their
    colour with their word, and the source line again at the foot.

    Pass a frame from `for_download`: if it lists exempt rows the title, sheet name and a red
    banner row say so. `note` (e.g. "The first 500 of 612 are listed.") goes under the title.
    """
    exempt = has_exempt_rows(frame)
    shown_title = title + (" (includes exempt Part 2 items)" if exempt else "")
    source = f"Source: Recommendation Tracker, as at {long_date(as_at)}"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(title, exempt)
    workbook.properties.title = shown_title
    workbook.properties.creator = "Recommendation Tracker"

    sheet.append([shown_title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([source])
    sheet["A2"].font = Font(color=hex_digits(DARK_GREY))
    preamble = [note] if note else []
    for line in preamble:
        sheet.append([line])
    if exempt:
        sheet.append([EXEMPT_BANNER])
        banner_row = sheet.max_row
        red = PatternFill("solid", fgColor=hex_digits(RED))
        for column in range(1, max(1, len(frame.columns)) + 1):
            sheet.cell(banner_row, column).fill = red
        sheet.cell(banner_row, 1).font = Font(bold=True, color=hex_digits(WHITE))
    sheet.append([])

    headings = _labels(frame, column_labels)
    header_row = sheet.max_row + 1
    bold = Font(bold=True)
    rule = Border(bottom=Side(style="medium", color=hex_digits(BLACK)))
    for position, heading in enumerate(headings, start=1):
        cell = sheet.cell(header_row, position, heading)
        cell.data_type = "s"
        cell.font = bold
        cell.border = rule
        cell.alignment = Alignment(vertical="bottom", wrap_text=True)

    columns = _write_body(sheet, frame, header_row + 1, workbook, rag_columns=rag_columns)

    for position, (heading, values) in enumerate(zip(headings, columns, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _width(heading, values)
    last_row = header_row + len(frame)
    if headings:
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headings))}{last_row}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.append([])
    sheet.append([source])
    sheet.cell(sheet.max_row, 1).font = Font(color=hex_digits(DARK_GREY))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.left.text = source
    if exempt:
        sheet.oddHeader.center.text = "EXEMPT (PART 2): NOT FOR PUBLICATION"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_xlsx(
    frame: pd.DataFrame,
    *,
    sheet_name: str,
    title: str | None = None,
    widths: Mapping[str, float] | None = None,
    default_width: float = 14,
    date_format: str = "dd/mm/yyyy",
    notes: Sequence[tuple[str, str]] = (),
    notes_sheet: str = "How to fill it in",
    marking: str | None = None,
) -> bytes:
    """The table as a plain workbook a person edits and an import reads back: an optional
    title row, the header row, then the rows (written by the same cell writer as
    `table_xlsx`); with `notes`, a second sheet of (column, what it holds) lines. A `marking`
    ("not for publication") is a first row above the title, in bold red."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for position, column in enumerate(frame.columns, start=1):
        width = (widths or {}).get(str(column), default_width)
        sheet.column_dimensions[get_column_letter(position)].width = width
    header_row = 1
    if marking:
        cell = sheet.cell(header_row, 1, marking)
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14, color=hex_digits(RED))
        header_row += 1
    if title:
        cell = sheet.cell(header_row, 1, title)
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14)
        header_row += 1
    bold = Font(bold=True)
    for position, column in enumerate(frame.columns, start=1):
        cell = sheet.cell(header_row, position, str(column))
        cell.data_type = "s"
        cell.font = bold
    _write_body(sheet, frame, header_row + 1, workbook, date_format=date_format)
    if notes:
        help_sheet = workbook.create_sheet(notes_sheet)
        help_sheet.column_dimensions["A"].width = 22
        help_sheet.column_dimensions["B"].width = 100
        help_sheet.append(["Column", "What it holds"])
        for column, text in notes:
            help_sheet.append([column, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
