"""Reading a CSV tracker: its text into a `Sheet` of rows, within the shared upload limits.

Excel's "CSV" and "Unicode Text" encodings are recognised (`utf16_encoding`, `decode_text`),
the delimiter is sniffed, each row is numbered by the line it starts on, and a quote mark left
open, which would swallow the lines after it into one cell, is refused naming the lines
(`unclosed_quote_problem`, which the report importer uses for its CSV too). Pure: text in,
rows out; `importing.spreadsheet.read_sheet` decides a file is text and calls this.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from domain.cell_text import unguard_cell
from importing.spreadsheet_types import (
    MAX_CELL_CHARACTERS,
    MAX_COLUMNS,
    MAX_ROWS,
    Sheet,
    SheetRow,
    UnreadableFile,
)

__all__ = ["decode_text", "looks_binary", "read_csv", "unclosed_quote_problem", "utf16_encoding"]


def utf16_encoding(data: bytes) -> str | None:
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


def looks_binary(sample: bytes) -> bool:
    """Many control bytes (a program's file, a picture), not text with a stray NUL in it."""
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return control > max(4, len(sample) // 100)


def decode_text(data: bytes) -> str:
    """CSV text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252, the
    encoding Excel on a UK Windows PC saves "CSV" in."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv(text: str, name: str) -> Sheet:
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
