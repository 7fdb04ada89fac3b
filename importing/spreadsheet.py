"""Reading a council's tracker spreadsheet (.xlsx or .csv) into typed rows and problems: the
entry, `read_tracker`, and the finding of the table in the sheet.

Two steps, both pure (bytes in, values out; no database):

1. `read_sheet` recognises the file and turns it into rows of cells as the spreadsheet shows
   them, numbered as the officer sees them in Excel: a workbook through
   `importing.workbook_reader`, text through `importing.csv_reader`. It refuses, in one
   sentence, anything that is not a spreadsheet, is empty, or is larger than
   `MAX_FILE_BYTES` (the limits and the result types are in `importing.spreadsheet_types`).
   Cells merged down several rows (a directorate written once for a block of
   recommendations) are copied into every row they cover; a row that is one cell merged
   across the table is a section heading.
2. `read_tracker` finds the header row (title rows above it are passed over), maps the columns
   (`importing.tracker_columns`, or a mapping the user corrected), skips blank rows, section
   headings and the RAG key or notes under the table, and reads every cell
   (`importing.tracker_rows`, through `importing.words`). Every cell that cannot be read
   becomes a `CellProblem` with the row, column, value and what is wrong, so the whole file
   is checked before anything is written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePath

from domain.vocabulary import Status
from importing.csv_reader import decode_text, looks_binary, read_csv, utf16_encoding
from importing.spreadsheet_types import (
    MAX_FILE_BYTES,
    MAX_FILE_LABEL,
    CellProblem,
    ParsedTracker,
    Sheet,
    SheetRow,
    SkippedRow,
    UnreadableFile,
    non_blank,
    row_text,
)
from importing.tracker_columns import Field, HeaderMatch, find_header
from importing.tracker_rows import derive_refs, read_rows, report_look_alike_refs
from importing.words import blank, cell_text, normalise_words
from importing.workbook_reader import read_workbook

__all__ = ["read_sheet", "read_tracker"]

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")


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
        return read_workbook(data, name)
    utf16 = utf16_encoding(data)
    if utf16 is None and (
        data.startswith(_NOT_SPREADSHEET_MAGIC)
        or looks_binary(data[:8192])
        or suffix in {".docx", ".pdf", ".doc", ".txt", ".pptx"}
    ):
        raise UnreadableFile(
            f"{name} is not a spreadsheet: import an Excel workbook (.xlsx) or a CSV file."
        )
    text = data.decode(utf16, errors="replace").lstrip("\ufeff") if utf16 else decode_text(data)
    if suffix == ".xls":
        kind = "a web page (HTML)" if text.lstrip()[:1] == "<" else "a CSV file (text)"
        raise UnreadableFile(
            f"{name} is {kind}, although its name ends in .xls: rename it to end in .csv, or "
            "open it in Excel and save it as .xlsx, then try again."
        )
    return [read_csv(text, name)]


# An encrypted .xlsx is an OLE container holding a stream of this name (UTF-16 in the file).
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


# --- Finding the table ------------------------------------------------------------------------


_KEY_STARTS = frozenset(
    {"key", "rag key", "rag status key", "rag rating key", "rag rating", "rag ratings",
     "legend", "status key", "key to rag", "key to rag ratings", "rag status"}
)  # fmt: skip
_RAG_WORD = re.compile(r"^(red|amber|green|blue|grey|gray|black)\b", re.IGNORECASE)


def _is_key_start(cells: tuple[object, ...]) -> bool:
    values = non_blank(cells)
    if not values:
        return False
    first = cell_text(values[0]) or ""
    return normalise_words(first) in _KEY_STARTS or first.lower().startswith("key:")


def _is_key_or_note(cells: tuple[object, ...], mapping: Mapping[Field, int]) -> bool:
    """A line of a RAG key ("Red – overdue") or a short note under the table: one or two
    cells, starting with a RAG colour or missing the ref or the wording."""
    values = non_blank(cells)
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
                SkippedRow(r.number, row_text(r.cells), "RAG key or notes under the table")
                for r in rows[position:]
                if non_blank(r.cells)
            ]
            rows = rows[:position]
            break
    # Trailing lines after the last gap, each with one or two cells: a key or notes.
    end = len(rows)
    while end and not non_blank(rows[end - 1].cells):
        end -= 1
    start = end
    while (
        start
        and non_blank(rows[start - 1].cells)
        and _is_key_or_note(rows[start - 1].cells, mapping)
    ):
        start -= 1
    trailing = rows[start:end]
    gap_before = start == 0 or not non_blank(rows[start - 1].cells)
    looks_like_key = any(_RAG_WORD.match(cell_text(non_blank(r.cells)[0]) or "") for r in trailing)
    if trailing and start > 0 and (gap_before or looks_like_key):
        skipped += [
            SkippedRow(r.number, row_text(r.cells), "RAG key or notes under the table")
            for r in trailing
        ]
        rows = rows[:start]
    body = []
    for row in rows:
        if not non_blank(row.cells):
            continue
        if row.heading:
            skipped.append(SkippedRow(row.number, row_text(row.cells), "section heading"))
            continue
        body.append(row)
    return body, sorted(skipped, key=lambda s: s.row)


def _pick_sheet(sheets: list[Sheet], name: str) -> tuple[Sheet, HeaderMatch]:
    for sheet in sheets:
        match = find_header([row.cells for row in sheet.rows])
        if match is not None:
            return sheet, match
    raise UnreadableFile(
        f"No header row was found in {name}: the table needs a row of column names including "
        "Ref (or Rec No) and Recommendation. Download the template to see the columns."
    )


# --- Reading the tracker ---------------------------------------------------------------------


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
    sheet, match = _pick_sheet(read_sheet(data, name, max_bytes), name)
    chosen = dict(mapping) if mapping is not None else dict(match.mapping)
    body, skipped = _body(sheet, match.row_index, chosen)
    parsed = _table(data, name, sheet, match, chosen, mapping is not None, skipped)
    problems = _missing_columns(parsed)
    read = read_rows(parsed, body, _title_words(sheet, match), status_words, problems)
    report_look_alike_refs(parsed, read.rows, read.cleaned_refs, problems)
    rows, ref_note = derive_refs(parsed, read.rows, problems)
    if not rows and not problems:
        problems.append(
            CellProblem(
                parsed.header_row, "", "", "There are no recommendations under the header row."
            )
        )
    return replace(
        parsed,
        rows=tuple(rows),
        problems=tuple(problems),
        notes=tuple(read.notes),
        skipped=tuple(sorted(parsed.skipped + tuple(read.skipped), key=lambda s: s.row)),
        unmapped_statuses=dict(read.unmapped_statuses),
        unmapped_priorities=dict(read.unmapped_priorities),
        ref_note=ref_note,
    )


def _table(
    data: bytes,
    name: str,
    sheet: Sheet,
    match: HeaderMatch,
    chosen: dict[Field, int],
    corrected: bool,
    skipped: list[SkippedRow],
) -> ParsedTracker:
    """The file's table as found, before its rows are read: the columns (`chosen`, which the
    user `corrected` or the headers gave), the headers no column is read from, the title lines
    above the header, and the rows `skipped` under it. Its rows, problems and notes are added
    once read."""
    ignored = match.ignored
    if corrected:
        used = set(chosen.values())
        ignored = tuple(h for i, h in enumerate(match.headers) if h and i not in used)
    title_lines = tuple(
        row_text(row.cells) for row in sheet.rows[: match.row_index] if non_blank(row.cells)
    )
    return ParsedTracker(
        filename=name,
        sheet_name=sheet.name,
        header_row=sheet.rows[match.row_index].number,
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


def _missing_columns(parsed: ParsedTracker) -> list[CellProblem]:
    """A problem for each column the tracker cannot do without that no column holds."""
    problems: list[CellProblem] = []
    for required, how in (
        (Field.REF, "Ref, Rec No or Recommendation No"),
        (Field.WORDING, "Recommendation"),
    ):
        if required is Field.REF and Field.WORDING in parsed.mapping:
            continue  # no ref column: refs are the rows' order (see tracker_rows.derive_refs)
        if required not in parsed.mapping:
            problems.append(
                CellProblem(
                    parsed.header_row,
                    required.label,
                    "",
                    f"No column holds the {required.label.lower()}: the header row needs one "
                    f"called {how}, or choose the column in the mapping.",
                )
            )
    return problems


def _title_words(sheet: Sheet, match: HeaderMatch) -> set[str]:
    """The cells above the header row, as `normalise_words` gives them: a row whose wording
    repeats one is the title again, not a recommendation."""
    return {
        normalise_words(cell_text(cell) or "")
        for row in sheet.rows[: match.row_index]
        for cell in row.cells
        if not blank(cell)
    }
