"""A committee report as plain text, from the bytes an officer pastes or uploads.

Reports arrive as text pasted from the agenda, Word documents (.docx), PDFs, or a CSV export
of a tracker or an audit body's recommendations database. This module turns
each into one plain string the parser reads (`importing.report_parse`), or raises
`ReportUnreadable` with one sentence saying what is wrong and how to fix it. Word tables come
out as one line per row, cells separated by tabs, a cell's own line breaks kept as
`CELL_LINE_BREAK`, so a table layout survives the trip; a CSV export comes out the same way.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import PurePath

from importing.csv_reader import unclosed_quote_problem
from importing.file_limits import check_zip

__all__ = [
    "CELL_LINE_BREAK",
    "MAX_REPORT_BYTES",
    "READABLE_SUFFIXES",
    "ReportUnreadable",
    "rebuild_paragraphs",
    "report_text",
]

# A 50-page report is well under 5 MB as .docx or text; PDFs with pictures are larger.
MAX_REPORT_BYTES = 25 * 1024 * 1024
# A 300-page report is about 15,000 lines; the reader's time grows with the lines.
MAX_REPORT_LINES = 100_000
READABLE_SUFFIXES = (".txt", ".docx", ".pdf", ".csv")
# Stands for a line break inside one table cell (Unicode LINE SEPARATOR).
CELL_LINE_BREAK = "\u2028"
_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_PDF_MAGIC = b"%PDF"
_ZIP_MAGIC = b"PK\x03\x04"


class ReportUnreadable(ValueError):
    """The file cannot be read as a report; the message is one sentence for the user."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def report_text(data: bytes, filename: str = "pasted text") -> str:
    """The report's text. Raises ReportUnreadable for anything that is not a readable report."""
    name = PurePath(filename).name or "the file"
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_REPORT_BYTES:
        raise ReportUnreadable(
            f"{name} is {_megabytes(len(data))}, larger than the {_megabytes(MAX_REPORT_BYTES)} "
            "a report may be. Remove pictures or appendices, or paste the recommendations' text."
        )
    if not data.strip():
        raise ReportUnreadable(f"{name} is empty. Choose the report itself, or paste its text.")
    if suffix == ".doc":
        raise ReportUnreadable(
            f"{name} is in the old Word format (.doc). Open it in Word and save it as .docx, "
            "or paste its text."
        )
    if suffix == ".docx":
        text = _docx_text(data, name)
    elif suffix == ".pdf":
        text = _pdf_text(data, name)
    elif suffix == ".csv":
        text = _csv_text(data, name)
    elif suffix in _TEXT_SUFFIXES:
        text = _plain_text(data, name)
    else:
        raise ReportUnreadable(
            f"{name} is not a file the tracker can read: choose a .txt, .docx, .pdf or .csv "
            "report, or paste its text."
        )
    if not text.strip():
        raise ReportUnreadable(f"{name} has no text in it. Choose the report itself.")
    lines = text.count("\n") + 1
    if lines > MAX_REPORT_LINES:
        raise ReportUnreadable(
            f"{name} has {lines:,} lines of text, more than the {MAX_REPORT_LINES:,} lines the "
            "limit for a report allows: paste the text of its recommendations instead."
        )
    return text


def _plain_text(data: bytes, name: str) -> str:
    """Decode text whatever program saved it: UTF-8 (with or without BOM), UTF-16, Windows."""
    if data.startswith((_PDF_MAGIC, _ZIP_MAGIC)):
        kind = "a PDF" if data.startswith(_PDF_MAGIC) else "a Word or zip file"
        raise ReportUnreadable(
            f"{name} looks like {kind}, not text. Give it its proper ending (.pdf or .docx)."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Text saved by Windows programs; cp1252 leaves five bytes undefined.
            text = data.decode("cp1252", errors="replace")
    control = sum(1 for ch in text[:20000] if ch < " " and ch not in "\t\n\r\f")
    if "\x00" in text or control > max(10, len(text[:20000]) // 100):
        raise ReportUnreadable(
            f"{name} is not text (it holds binary data). Choose the report as .txt, .docx or "
            ".pdf, or paste its text."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return rebuild_paragraphs(text.split("\n")) if looks_hard_wrapped(text) else text


def _csv_text(data: bytes, name: str) -> str:
    """A CSV export as table rows: one tab-separated line per record, a cell's own line
    breaks kept as CELL_LINE_BREAK, as Word tables come out."""
    import csv

    text = _plain_text(data, name)
    try:
        rows = list(csv.reader(io.StringIO(text), skipinitialspace=True))
    except csv.Error as error:
        raise ReportUnreadable(
            f"{name} is not a CSV file the tracker can read ({error}). Save it again as CSV "
            "(comma separated), or paste its text."
        ) from error
    swallowed = unclosed_quote_problem(text, name)
    if swallowed:
        raise ReportUnreadable(swallowed)
    lines = []
    for row in rows:
        cells = [cell.strip().replace("\t", " ").replace("\n", CELL_LINE_BREAK) for cell in row]
        lines.append("\t".join(cells) if any(cells) else "")
    return "\n".join(lines)


def _docx_text(data: bytes, name: str) -> str:
    """Paragraphs and tables in document order; each table row one tab-separated line."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not data.startswith(_ZIP_MAGIC):
        raise ReportUnreadable(
            f"{name} is not a Word document, although its name ends in .docx. Open it in Word "
            "and save it again as .docx, or paste its text."
        )
    _check_word_limits(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReportUnreadable(
            f"{name} could not be opened as a Word document ({type(error).__name__}). Open it "
            "in Word and save it again as .docx, or paste its text."
        ) from error
    except Exception as error:  # python-docx raises a variety of lxml/zip errors
        raise ReportUnreadable(
            f"{name} could not be opened as a Word document. Open it in Word and save it "
            "again as .docx, or paste its text."
        ) from error
    lines: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.append("")
                lines.extend(_table_lines(block))
                lines.append("")
    except Exception as error:  # python-docx reading a damaged table or paragraph
        raise ReportUnreadable(
            f"{name} is a damaged Word document ({type(error).__name__} while reading its "
            f"text): {_WORD_FIX}"
        ) from error
    return "\n".join(lines)


_WORD_FIX = "open it in Word and save it again as .docx, or paste its text."
# Word tables have at most 63 columns; a long report's tables a few thousand cells.
MAX_WORD_COLUMN_SPAN = 63
MAX_WORD_TABLE_CELLS = 100_000
_GRID_SPAN = re.compile(rb"<w:gridSpan\b[^>]*?w:val=\"([^\"]*)\"")
_TABLE_CELL = re.compile(rb"<w:tc[\s>]")


def _check_word_limits(data: bytes, name: str) -> None:
    """Refuse, before python-docx builds the document, a Word file that would inflate past
    the limits (`importing.file_limits`), declares XML entities, has a table cell spanning
    a number of columns that is not a number or more than Word allows (python-docx would
    fail, or make a list as long as the number), or more table cells than a report has."""
    check_zip(data, name, ReportUnreadable, "Word document", _WORD_FIX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [
                archive.read(part)
                for part in archive.namelist()
                if part.startswith("word/") and part.endswith(".xml")
            ]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # python-docx says it cannot be opened, in its own words below
    cells = 0
    for xml in parts:
        for match in _GRID_SPAN.finditer(xml):
            span = match[1].decode("utf-8", "replace")
            if not span.isdigit() or not 1 <= int(span) <= MAX_WORD_COLUMN_SPAN:
                raise ReportUnreadable(
                    f"{name} is a damaged Word document: a table cell spans {span[:20]!r} "
                    f"columns, which is not a number from 1 to {MAX_WORD_COLUMN_SPAN} (a "
                    f"column span Word can make): {_WORD_FIX}"
                )
        cells += len(_TABLE_CELL.findall(xml))
        if cells > MAX_WORD_TABLE_CELLS:
            raise ReportUnreadable(
                f"{name} has more than {MAX_WORD_TABLE_CELLS:,} table cells, the limit for a "
                "report: paste the text of its recommendations instead."
            )


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue  # a merged cell is returned once per grid column it spans
            previous = cell._tc
            text = "\n".join(paragraph.text for paragraph in cell.paragraphs).strip()
            cells.append(text.replace("\t", " ").replace("\n", CELL_LINE_BREAK))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    if _PDF_MAGIC not in data.lstrip()[:1024]:
        raise ReportUnreadable(
            f"{name} is not a PDF, although its name ends in .pdf. Choose the report itself, "
            "or paste its text."
        )
    from pypdf import apply_configuration
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    password = (
        f"{name} is protected by a password. Save a copy without the password (or ask for "
        "one), or paste its text."
    )
    limits = _PypdfLimitWarnings()
    try:
        with limits, apply_configuration(**_PDF_LIMITS):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception as error:  # an unknown method, or a missing library
                    raise ReportUnreadable(password) from error
                if not opened:
                    raise ReportUnreadable(password)
            if len(reader.pages) > MAX_PDF_PAGES:
                raise ReportUnreadable(
                    f"{name} has {len(reader.pages):,} pages, more than the {MAX_PDF_PAGES:,} "
                    "pages the limit for a report allows: paste the text of its "
                    "recommendations, or save the pages that hold them as a PDF of their own."
                )
            pages = [page.extract_text() or "" for page in reader.pages]
    except ReportUnreadable:
        raise
    except FileNotDecryptedError as error:
        raise ReportUnreadable(password) from error
    except LimitReachedError as error:
        raise ReportUnreadable(_pdf_too_large(name)) from error
    except Exception as error:  # pypdf raises many kinds of error on broken files
        raise ReportUnreadable(
            f"{name} is a damaged PDF that cannot be read. Save it again from the program that "
            "made it, or paste its text."
        ) from error
    if not any(page.strip() for page in pages):
        if limits.reached:
            raise ReportUnreadable(_pdf_too_large(name))
        raise ReportUnreadable(
            f"{name} has no text to read: it looks like a scanned image. Ask for the original "
            "document, or paste the text of its recommendations."
        )
    lines = [line for page in pages for line in page.strip("\n").split("\n")]
    return rebuild_paragraphs([line for line in lines if not _PAGE_NUMBER.match(line.strip())])


# A committee report with appendices is rarely over 300 pages.
MAX_PDF_PAGES = 1_000
# pypdf's own limits (75 MB a stream, 2 million operators a page) let one page take over
# 400 MB and several seconds; a page of a report is a few hundred kilobytes at most.
PDF_STREAM_LIMIT_BYTES = 20_000_000
_PDF_LIMITS = {
    "maximum_declared_stream_length": PDF_STREAM_LIMIT_BYTES,
    "zlib_maximum_output_length": PDF_STREAM_LIMIT_BYTES,
    "lzw_maximum_output_length": PDF_STREAM_LIMIT_BYTES,
    "run_length_maximum_output_length": PDF_STREAM_LIMIT_BYTES,
    "array_based_stream_maximum_output_length": PDF_STREAM_LIMIT_BYTES,
    "stream_parsing_work_maximum_count": 300_000,
}


def _pdf_too_large(name: str) -> str:
    return (
        f"{name} has a page whose contents are larger than the limit the tracker reads "
        "(pypdf's safety limits, which keep the server safe), so its text cannot be read: "
        "save it again from the program that made it, or paste its text."
    )


class _PypdfLimitWarnings(logging.Handler):
    """Notices pypdf's "limit reached" warnings: it logs them and goes on with an empty page,
    which would otherwise look like a scanned image."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.reached = False

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lower()
        if "limit" in message or "maximum" in message:
            self.reached = True

    def __enter__(self) -> _PypdfLimitWarnings:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"[.!?:][\"'\u2019\u201d)]?$")


def rebuild_paragraphs(lines: list[str]) -> str:
    """Blank lines between paragraphs of text wrapped at a fixed width (PDFs lose them).

    A line that stops short of the usual full line although the next line's first word would
    have fitted on it was ended on purpose: it ends a paragraph (or is a heading). The parser
    needs that to tell a recommendation's wording from its response."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return ""
    full_width = lengths[int(len(lengths) * 0.95)]
    out: list[str] = []
    for index, line in enumerate(lines):
        text = line.strip()
        out.append(text)
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if not text or not following:
            continue
        room_needed = len(text) + 1 + len(following.split()[0])
        sentence_ends = bool(_PARAGRAPH_END.search(text))
        if room_needed <= full_width * (0.97 if sentence_ends else 0.85):
            out.append("")
    return "\n".join(out)


def looks_hard_wrapped(text: str) -> bool:
    """Pasted from a PDF: many lines of similar width and hardly a blank line between them."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    return len(filled) >= 30 and (len(lines) - len(filled)) < len(filled) * 0.05
