"""Hostile and malformed files, made in code (nothing big is committed), for the reliability
report (`python -m bench --reliability`, `bench/reliability.py`) and its fast subset in the tests.

Each `Case` is one kind of file an attacker or a careless user could upload: a bomb (small on
disk, huge once opened), broken XML or values, text PostgreSQL refuses, invisible characters,
CSV quoting errors, files under the wrong name. `command` says which reader takes it (the
tracker, report or calendar import, as the command line and the pages run them), `expect`
whether it must be refused (exit 1, nothing written) or read (exit 0), and `says` words the
message must contain (case-insensitive), such as the file's name and the limit it hit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

TRACKER = "tracker"
REPORT = "report"
CALENDAR = "calendar"
REFUSED = "refused"
READ = "read"

HEADER = ("Ref", "Recommendation", "Responsible Officer", "Target Date", "Status")


@dataclass(frozen=True)
class Case:
    kind: str  # short name, unique
    command: str  # TRACKER, REPORT or CALENDAR
    filename: str
    make: Callable[[], bytes]
    expect: str = REFUSED
    says: tuple[str, ...] = ()  # words the output must contain (besides the file name)
    bomb: bool = False  # small file, huge when opened: memory and time are the point
    stdout_has: tuple[str, ...] = field(default=())  # for READ: words of what was imported


# --- Building workbooks by hand (full control of every byte) ----------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'  # noqa: E501
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'  # noqa: E501
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Tracker" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'  # noqa: E501
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'  # noqa: E501
    "</Relationships>"
)
# Style 1 is a date (number format 14, "dd/mm/yyyy" on a UK PC).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_EMPTY_SST = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" '
    'uniqueCount="0"></sst>'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline_row(number: int, cells: Iterable[object]) -> str:
    """A <row> of inline strings (text) and numbers."""
    parts = []
    for index, value in enumerate(cells):
        ref = f"{_column(index)}{number}"
        if value is None:
            continue
        if isinstance(value, (int, float)):
            parts.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(parts)}</row>'


def tracker_rows(count: int = 3, start: int = 2) -> str:
    return "".join(
        inline_row(
            start + n, (f"R{n + 1}", f"Improve the thing number {n + 1}", "Jo Bloggs", None, "Open")
        )
        for n in range(count)
    )


def workbook(
    sheet_body: str | Iterable[str] = "",
    *,
    shared_strings: str | Iterable[str] | None = None,
    after_data: str = "",
    prolog: str = "",
    extra: dict[str, str | Iterable[str]] | None = None,
    replace: dict[str, str] | None = None,
) -> bytes:
    """An .xlsx whose sheet is `sheet_body` (rows, or chunks of rows streamed into the zip)."""
    buffer = io.BytesIO()
    members: dict[str, str | Iterable[str]] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": shared_strings if shared_strings is not None else _EMPTY_SST,
    }
    start = (prolog or '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>') + (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    header = inline_row(1, HEADER)
    body = [sheet_body] if isinstance(sheet_body, str) else sheet_body
    members["xl/worksheets/sheet1.xml"] = _chain(
        [start, "<sheetData>", header], body, ["</sheetData>", after_data, "</worksheet>"]
    )
    members.update(extra or {})
    members.update(replace or {})
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            chunks = [content] if isinstance(content, str) else content
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


def _chain(*parts: Iterable[str]) -> Iterator[str]:
    for part in parts:
        yield from part


def _repeat(chunk: str, times: int, block: int = 1000) -> Iterator[str]:
    whole, rest = divmod(times, block)
    big = chunk * block
    for _ in range(whole):
        yield big
    yield chunk * rest


def _sst(*strings: str) -> str:
    items = "".join(f"<si><t>{_escape(s)}</t></si>" for s in strings)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{items}</sst>"
    )


def _sst_huge_string(characters: int) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    )
    yield from _repeat("a" * 1000, characters // 1000)
    yield "</t></si></sst>"


def _cell_row(number: int, cell: str) -> str:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>R1</t></is></c>'
        f'<c r="B{number}" t="inlineStr"><is><t>Improve it</t></is></c>{cell}</row>'
    )


def _openpyxl_tracker(rows: list[list[object]], title: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(lines: Iterable[str], encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


_CSV_HEADER = ",".join(HEADER)

_BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
_EXTERNAL = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
)


# --- Word documents ----------------------------------------------------------------------------


def _docx_bytes(document_xml: str | Iterable[str], *, broken_zip: bool = False) -> bytes:
    """A .docx made by python-docx with its document.xml replaced by `document_xml`."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename == "word/document.xml":
                chunks = [document_xml] if isinstance(document_xml, str) else document_xml
                with target.open("word/document.xml", "w", force_zip64=True) as member:
                    for chunk in chunks:
                        member.write(chunk.encode())
            else:
                target.writestr(item, source.read(item.filename))
    data = out.getvalue()
    return data[: len(data) // 2] if broken_zip else data


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document(body: str | Iterable[str], prolog: str = "") -> Iterator[str]:
    yield prolog or '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    yield f"<w:document {_W}><w:body>"
    yield from [body] if isinstance(body, str) else body
    yield "</w:body></w:document>"


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{_escape(text)}</w:t></w:r></w:p>"


_RECOMMENDATIONS = _para("Recommendation 1") + _para("The council should do the thing.")


def _table(span: str, rows: int = 1) -> str:
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{_para("x")}</w:tc>'
    grid = "<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
    return f"<w:tbl>{grid}" + f"<w:tr>{cell}</w:tr>" * rows + "</w:tbl>"


def _report_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDFs ------------------------------------------------------------------------------------


def _pdf(
    content_streams: list[bytes], *, compress: bool = True, password: str | None = None
) -> bytes:
    """A PDF with one page per content stream, written by pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter()
    for stream in content_streams:
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        content = DecodedStreamObject()
        content.set_data(stream)
        page[NameObject("/Contents")] = writer._add_object(content)
        if compress:
            page.compress_content_streams()
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_stream(lines: list[str]) -> bytes:
    parts = [b"BT /F1 10 Tf 50 750 Td 12 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(f"({safe}) '".encode("latin-1"))
    parts.append(b"ET")
    return b"\n".join(parts)


_REPORT_LINES = ["Recommendation 1", "The council should publish the register.", ""]


# --- iCalendar ---------------------------------------------------------------------------------


def _ics(events: Iterable[str]) -> bytes:
    body = "".join(events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n"
    ).encode()


def _event(day: str, summary: str = "Scrutiny Committee", uid: int = 1) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}@test\r\nDTSTART;VALUE=DATE:{day}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )


# --- The cases ---------------------------------------------------------------------------------


def _ole() -> bytes:
    """The start of an OLE compound file: an old .xls or .doc."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def _encrypted_ooxml() -> bytes:
    """What Excel saves for a workbook with a password: an OLE file holding the encrypted
    workbook beside a stream called EncryptionInfo (its name in UTF-16, as OLE stores it)."""
    return _ole() + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512


def cases() -> list[Case]:
    """Every kind of hostile or malformed file the report tries, family by family, in the
    order the report lists them."""
    return [
        *_workbook_bombs(),
        *_workbook_package_bombs(),
        *_broken_workbook_xml(),
        *_broken_workbook_values(),
        *_broken_workbook_references(),
        *_broken_workbook_parts(),
        *_misleading_workbook_contents(),
        *_csv_quoting_and_blank_rows(),
        *_csv_encodings(),
        *_csv_invisible_characters(),
        *_csv_sizes(),
        *_csv_other_mistakes(),
        *_word_reports(),
        *_broken_word_reports(),
        *_pdf_reports(),
        *_text_reports(),
        *_calendars(),
    ]


def _workbook_bombs() -> list[Case]:
    """Workbook bombs and too many rows: a huge cell, millions of rows, merges over the whole
    sheet."""
    return [
        Case(
            "xlsx-huge-cell",
            TRACKER,
            "huge-cell.xlsx",
            lambda: workbook(
                _cell_row(2, '<c r="C2" t="s"><v>0</v></c>'),
                shared_strings=_sst_huge_string(300_000_000),
            ),
            says=("limit",),
            bomb=True,
        ),
        Case(
            "xlsx-two-million-rows",
            TRACKER,
            "many-rows.xlsx",
            lambda: workbook(
                _repeat('<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>', 2_000_000),
                shared_strings=_sst("R", "x"),
            ),
            says=("rows",),
            bomb=True,
        ),
        Case(
            "xlsx-rows-over-limit",
            TRACKER,
            "rows.xlsx",
            lambda: workbook(
                _repeat('<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>', 30_000),
                shared_strings=_sst("R", "x"),
            ),
            says=("20,000 rows",),
        ),
        Case(
            "xlsx-whole-width-merges",
            TRACKER,
            "merges.xlsx",
            lambda: workbook(
                tracker_rows(3000),
                after_data="<mergeCells>"
                + "".join(f'<mergeCell ref="F{n}:XFD1048576"/>' for n in range(2, 3000))
                + "</mergeCells>",
            ),
            says=("merged",),
            bomb=True,
        ),
        Case(
            "xlsx-many-merges",
            TRACKER,
            "many-merges.xlsx",
            lambda: workbook(
                tracker_rows(3),
                after_data="<mergeCells>"
                + "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(5, 300_000))
                + "</mergeCells>",
            ),
            says=("merged",),
            bomb=True,
        ),
    ]


def _workbook_package_bombs() -> list[Case]:
    """Workbook bombs in the package: a huge member or sheet XML, rows as wide or as far
    down as Excel allows, thousands of sheets, entity expansion."""
    return [
        Case(
            "xlsx-zip-bomb-member",
            TRACKER,
            "zip-bomb.xlsx",
            lambda: workbook(
                tracker_rows(3), extra={"xl/media/blob.bin": _repeat("\0" * 1000, 1_000_000)}
            ),
            says=("limit",),
            bomb=True,
        ),
        Case(
            "xlsx-bomb-sheet-xml",
            TRACKER,
            "whitespace-bomb.xlsx",
            lambda: workbook(_chain([tracker_rows(3)], _repeat(" " * 1000, 400_000))),
            says=("limit",),
            bomb=True,
        ),
        Case(
            "xlsx-wide-rows",
            TRACKER,
            "wide.xlsx",
            lambda: workbook(
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>R{n}</t></is></c>'
                f'<c r="XFD{n}"><v>1</v></c></row>'
                for n in range(2, 200_000)
            ),
            says=("column",),
            bomb=True,
        ),
        Case(
            "xlsx-far-last-row",
            TRACKER,
            "far-row.xlsx",
            lambda: workbook(tracker_rows(2) + inline_row(1_048_576, ("R9", "Far away", "Jo"))),
            expect=READ,
            stdout_has=("3",),
        ),
        Case(
            "xlsx-many-sheets",
            TRACKER,
            "many-sheets.xlsx",
            lambda: _many_sheets(3000),
            says=("sheets",),
            bomb=True,
        ),
        Case(
            "xlsx-billion-laughs-sst",
            TRACKER,
            "laughs.xlsx",
            lambda: workbook(
                tracker_rows(1),
                shared_strings=_BILLION_LAUGHS
                + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                "<si><t>&lol9;</t></si></sst>",
            ),
            says=("entit",),
            bomb=True,
        ),
    ]


def _broken_workbook_xml() -> list[Case]:
    """Sheet XML that is cut short, holds a control character, or declares entities."""
    return [
        Case("xlsx-truncated-xml", TRACKER, "truncated.xlsx", _truncated_sheet, says=("XML",)),
        Case(
            "xlsx-control-character",
            TRACKER,
            "control.xlsx",
            lambda: workbook(tracker_rows(2) + inline_row(4, ("R3", "bell \x07 here"))),
            says=("XML",),
        ),
        Case(
            "xlsx-external-entity",
            TRACKER,
            "xxe.xlsx",
            lambda: workbook(
                tracker_rows(1)
                + '<row r="3"><c r="A3" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                prolog=_EXTERNAL,
            ),
            says=("entit",),
        ),
        Case(
            "xlsx-entity-expansion",
            TRACKER,
            "lol.xlsx",
            lambda: workbook(
                tracker_rows(1)
                + '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
                prolog=_BILLION_LAUGHS,
            ),
            says=("entit",),
        ),
    ]


def _broken_workbook_values() -> list[Case]:
    """Cell values that are not what their type says: text as a number, impossible dates,
    shared-string indexes out of range, a boolean that is neither."""
    return [
        Case(
            "xlsx-non-number",
            TRACKER,
            "nan.xlsx",
            lambda: workbook(tracker_rows(2) + _cell_row(4, '<c r="D4"><v>soon</v></c>')),
            says=("D4",),
        ),
        Case(
            "xlsx-month-13",
            TRACKER,
            "month13.xlsx",
            lambda: workbook(
                tracker_rows(2) + _cell_row(4, '<c r="D4" t="d"><v>2024-13-01</v></c>')
            ),
            says=("D4",),
        ),
        Case(
            "xlsx-date-overflow",
            TRACKER,
            "serial.xlsx",
            lambda: workbook(tracker_rows(2) + _cell_row(4, '<c r="D4" s="1"><v>1e300</v></c>')),
            says=("Row 4, D",),
        ),
        Case(
            "xlsx-negative-date",
            TRACKER,
            "negative-date.xlsx",
            lambda: workbook(tracker_rows(2) + _cell_row(4, '<c r="D4" s="1"><v>-5000000</v></c>')),
            says=("Row 4, D",),
        ),
        Case(
            "xlsx-bad-shared-index",
            TRACKER,
            "bad-index.xlsx",
            lambda: workbook(tracker_rows(2) + _cell_row(4, '<c r="C4" t="s"><v>999</v></c>')),
            says=("C4",),
        ),
        Case(
            "xlsx-shared-index-text",
            TRACKER,
            "bad-index2.xlsx",
            lambda: workbook(tracker_rows(2) + _cell_row(4, '<c r="C4" t="s"><v>x</v></c>')),
            says=("C4",),
        ),
        Case(
            "xlsx-bad-boolean",
            TRACKER,
            "bool.xlsx",
            lambda: workbook(tracker_rows(2) + _cell_row(4, '<c r="E4" t="b"><v>maybe</v></c>')),
            says=("E4",),
        ),
    ]


def _broken_workbook_references() -> list[Case]:
    """Cell, row and merge references that do not parse or lie beyond Excel's limits."""
    return [
        Case(
            "xlsx-bad-cell-ref",
            TRACKER,
            "bad-ref.xlsx",
            lambda: workbook(
                tracker_rows(2) + '<row r="4"><c r="4A" t="inlineStr"><is><t>x</t></is></c></row>'
            ),
            says=("row",),
        ),
        Case(
            "xlsx-bad-row-number",
            TRACKER,
            "row-number.xlsx",
            lambda: workbook(
                tracker_rows(2) + '<row r="four"><c t="inlineStr"><is><t>x</t></is></c></row>'
            ),
            says=("row",),
        ),
        Case(
            "xlsx-row-beyond-excel",
            TRACKER,
            "row-9m.xlsx",
            lambda: workbook(tracker_rows(2) + inline_row(9_000_000, ("R9", "x"))),
            says=("row",),
        ),
        Case(
            "xlsx-bogus-merge-ref",
            TRACKER,
            "merge-ref.xlsx",
            lambda: workbook(
                tracker_rows(3), after_data='<mergeCells><mergeCell ref="A0:ZZZZ9"/></mergeCells>'
            ),
            says=("merged",),
        ),
    ]


def _broken_workbook_parts() -> list[Case]:
    """Packages with a part missing, cut short or broken, or another Office file renamed."""
    return [
        Case(
            "xlsx-truncated-zip",
            TRACKER,
            "cut.xlsx",
            lambda: _openpyxl_tracker([["R1", "x"]])[:700],
            says=("workbook",),
        ),
        Case(
            "xlsx-no-workbook-part",
            TRACKER,
            "no-workbook.xlsx",
            lambda: workbook(tracker_rows(1), replace={"xl/workbook.xml": "<nonsense/>"}),
            says=("workbook",),
        ),
        Case(
            "xlsx-styles-broken",
            TRACKER,
            "styles.xlsx",
            lambda: workbook(tracker_rows(2), replace={"xl/styles.xml": "<styleSheet><cellXfs"}),
            says=("workbook",),
        ),
        Case(
            "xlsx-sst-truncated",
            TRACKER,
            "sst.xlsx",
            lambda: workbook(
                tracker_rows(2),
                shared_strings='<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>abc',
            ),
            says=("workbook",),
        ),
        Case(
            "xlsx-sst-external-entity",
            TRACKER,
            "sst-xxe.xlsx",
            lambda: workbook(
                tracker_rows(1),
                shared_strings=_EXTERNAL
                + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>',
            ),
            says=("entit",),
        ),
        Case(
            "xlsx-docx-renamed",
            TRACKER,
            "report.xlsx",
            lambda: _report_docx(["Hello"]),
            says=("workbook",),
        ),
    ]


def _misleading_workbook_contents() -> list[Case]:
    """Workbooks whose contents mislead or overflow: long cells, NUL, invisible refs, a
    password, rows far below blanks, formulas, a committee name too long."""
    return [
        Case(
            "xlsx-long-cell",
            TRACKER,
            "long-cell.xlsx",
            lambda: _openpyxl_tracker([["R1", "x" * 30_000, "Jo"]]),
            says=("20,000",),
        ),
        Case(
            "xlsx-nul-in-formula-text",
            TRACKER,
            "nul-ref.xlsx",
            lambda: workbook(
                tracker_rows(1)
                + '<row r="3"><c r="A3" t="inlineStr"><is><t>R&#0;</t></is></c></row>'
            ),
            says=("XML",),
        ),
        Case(
            "xlsx-invisible-refs",
            TRACKER,
            "invisible.xlsx",
            lambda: _openpyxl_tracker(
                [["R1", "First"], ["R1\u200b", "Second"], ["\u200f", "Third"]]
            ),
            says=("R1",),
        ),
        Case("xlsx-password-ole", TRACKER, "locked.xlsx", _encrypted_ooxml, says=("password",)),
        Case(
            "xlsx-rows-far-after-blanks",
            TRACKER,
            "gap.xlsx",
            lambda: workbook(
                tracker_rows(2) + inline_row(3000, ("R9", "Far below the blank rows", "Jo"))
            ),
            expect=READ,
            stdout_has=("3",),
        ),
        Case(
            "xlsx-formula-injection",
            TRACKER,
            "formula.xlsx",
            lambda: workbook(
                inline_row(2, ("R1", '=HYPERLINK("http://x","click")', "Jo"))
                + inline_row(3, ("R2", "'; DROP TABLE recommendation; --", "<script>"))
            ),
            expect=READ,
            stdout_has=("2",),
        ),
        Case(
            "xlsx-committee-too-long",
            TRACKER,
            "committee.xlsx",
            lambda: _long_committee_xlsx(),
            says=("200",),
        ),
    ]


def _csv_quoting_and_blank_rows() -> list[Case]:
    """CSV given to the tracker import: unclosed quotes, and rows far below blank ones."""
    return [
        Case(
            "csv-unclosed-quote",
            TRACKER,
            "quote.csv",
            lambda: _csv(
                [
                    _CSV_HEADER,
                    'R1,"Improve the thing,Jo,,Open',
                    "R2,Second,Al,,Open",
                    'R3,Third ",Al,,Open',
                    "R4,Fourth,Al,,Open",
                ]
            ),
            says=("quote",),
        ),
        Case(
            "csv-unclosed-quote-at-end",
            TRACKER,
            "quote-end.csv",
            lambda: _csv(
                [_CSV_HEADER, "R1,First,Jo,,Open", 'R2,"Second,Jo,,Open', "R3,Third,Al,,Open"]
            ),
            says=("quote",),
        ),
        Case(
            "csv-row-after-blanks",
            TRACKER,
            "far.csv",
            lambda: _csv(
                [_CSV_HEADER, "R1,First,Jo,,Open"] + [""] * 1500 + ["R2,Far below,Al,,Open"]
            ),
            expect=READ,
            stdout_has=("2",),
        ),
        Case(
            "csv-commas-after-blanks",
            TRACKER,
            "far-commas.csv",
            lambda: _csv(
                [_CSV_HEADER, "R1,First,Jo,,Open"] + [",,,,"] * 5000 + ["R2,Far below,Al,,Open"]
            ),
            expect=READ,
            stdout_has=("2",),
        ),
    ]


def _csv_encodings() -> list[Case]:
    """CSV in UTF-16 (Excel's "Unicode Text"), and a CSV saved under an .xls name."""
    return [
        Case(
            "csv-utf16-unicode-text",
            TRACKER,
            "unicode.txt.csv",
            lambda: "\r\n".join(["\t".join(HEADER), "R1\tFirst\tJo\t\tOpen"]).encode("utf-16"),
            expect=READ,
            stdout_has=("1",),
        ),
        Case(
            "csv-utf16-without-bom",
            TRACKER,
            "unicode-le.csv",
            lambda: ("\r\n".join([",".join(HEADER), "R1,First,Jo,,Open"])).encode("utf-16-le"),
            expect=READ,
            stdout_has=("1",),
        ),
        Case(
            "csv-named-xls",
            TRACKER,
            "tracker.xls",
            lambda: _csv([_CSV_HEADER, "R1,First,Jo,,Open"]),
            says=("CSV",),
        ),
    ]


def _csv_invisible_characters() -> list[Case]:
    """CSV with NUL bytes or invisible characters in refs and names."""
    return [
        Case(
            "csv-nul-in-cell",
            TRACKER,
            "nul.csv",
            lambda: _csv(
                [_CSV_HEADER]
                + [f"R{n},Wording {n},Jo,,Open" for n in range(1, 400)]
                + ["R400,Bad\x00wording,Jo,,Open"]
            ),
            says=("line 401",),
        ),
        Case(
            "csv-nul-early",
            TRACKER,
            "nul-early.csv",
            lambda: _csv([_CSV_HEADER, "R1,Bad\x00wording,Jo,,Open"]),
            says=("nul",),
        ),
        Case(
            "csv-zero-width-duplicate",
            TRACKER,
            "zwsp.csv",
            lambda: _csv(
                [_CSV_HEADER, "R1,First,Jo,,Open", "R1\u200b,Second,Jo,,Open"], "utf-8-sig"
            ),
            says=("R1",),
        ),
        Case(
            "csv-rlm-duplicate",
            TRACKER,
            "rlm.csv",
            lambda: _csv([_CSV_HEADER, "R1,First,Jo,,Open", "\u200fR1,Second,Jo,,Open"]),
            says=("R1",),
        ),
        Case(
            "csv-bom-in-ref",
            TRACKER,
            "bom-ref.csv",
            lambda: _csv([_CSV_HEADER, "R1,First,Jo,,Open", "\ufeffR1,Second,Jo,,Open"]),
            says=("R1",),
        ),
        Case(
            "csv-invisible-only-ref",
            TRACKER,
            "invisible-ref.csv",
            lambda: _csv([_CSV_HEADER, "R1,First,Jo,,Open", "\u200b\u200e,Second,Jo,,Open"]),
            says=("invisible",),
        ),
        Case(
            "csv-invisible-owner",
            TRACKER,
            "invisible-owner.csv",
            lambda: _csv(
                [_CSV_HEADER, "R1,First,Jo\u200b Bloggs,,Open", "R2,Second,Jo Bloggs,,Open"]
            ),
            expect=READ,
            stdout_has=("2",),
        ),
    ]


def _csv_sizes() -> list[Case]:
    """CSV with values, rows or files beyond the limits."""
    return [
        Case(
            "csv-long-owner",
            TRACKER,
            "owner.csv",
            lambda: _csv([_CSV_HEADER, f"R1,First,{'J' * 250},,Open"]),
            says=("200",),
        ),
        Case(
            "csv-long-ref",
            TRACKER,
            "ref.csv",
            lambda: _csv([_CSV_HEADER, f"{'R' * 60},First,Jo,,Open"]),
            says=("50",),
        ),
        Case(
            "csv-long-title-row",
            TRACKER,
            "title.csv",
            lambda: _csv(
                ["Recommendations tracker " + "x" * 600, _CSV_HEADER, "R1,First,Jo,,Open"]
            ),
            says=("500",),
        ),
        Case(
            "csv-huge-field",
            TRACKER,
            "field.csv",
            lambda: _csv([_CSV_HEADER, "R1," + "y" * 400_000 + ",Jo,,Open"]),
            says=("field.csv",),
        ),
        Case(
            "csv-million-rows",
            TRACKER,
            "million.csv",
            lambda: _csv([_CSV_HEADER] + ["R,x"] * 1_000_000),
            says=("rows",),
            bomb=True,
        ),
        Case(
            "csv-wide-row",
            TRACKER,
            "wide.csv",
            lambda: _csv([_CSV_HEADER, "R1,First" + ",z" * 500_000]),
            says=("column",),
            bomb=True,
        ),
    ]


def _csv_other_mistakes() -> list[Case]:
    """CSV with a month 13, junk or nothing in it, or no rows; too big; another file type
    renamed .csv; old Mac line ends; Windows-1252 text; and a real old .xls."""
    return [
        Case(
            "csv-month-13",
            TRACKER,
            "month.csv",
            lambda: _csv([_CSV_HEADER, "R1,First,Jo,13/13/2024,Open"]),
            says=("13/13/2024",),
        ),
        Case(
            "csv-binary-junk",
            TRACKER,
            "junk.csv",
            lambda: bytes(range(256)) * 20,
            says=("junk.csv",),
        ),
        Case("csv-empty", TRACKER, "empty.csv", lambda: b"", says=("empty",)),
        Case("csv-whitespace", TRACKER, "blank.csv", lambda: b" \r\n\t\r\n", says=("empty",)),
        Case(
            "csv-header-only",
            TRACKER,
            "header.csv",
            lambda: _csv([_CSV_HEADER]),
            says=("no recommendations",),
        ),
        Case(
            "csv-too-big",
            TRACKER,
            "big.csv",
            lambda: _csv([_CSV_HEADER] + ["R,x" * 2] * 1_000_000),
            says=("5 MB",),
        ),
        Case(
            "csv-pdf-renamed",
            TRACKER,
            "pdf.csv",
            lambda: b"%PDF-1.4\n" + b"x" * 100,
            says=("not a spreadsheet",),
        ),
        Case(
            "csv-png-renamed",
            TRACKER,
            "image.csv",
            lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            says=("not a spreadsheet",),
        ),
        Case(
            "csv-lone-cr",
            TRACKER,
            "mac.csv",
            lambda: "\r".join([_CSV_HEADER, "R1,First,Jo,,Open"]).encode(),
            expect=READ,
            stdout_has=("1",),
        ),
        Case(
            "csv-cp1252",
            TRACKER,
            "windows.csv",
            lambda: _csv(
                [_CSV_HEADER, "R1,Review the \u2018quick wins\u2019 – £5,Jo,,Open"], "cp1252"
            ),
            expect=READ,
            stdout_has=("1",),
        ),
        Case("xls-real-ole", TRACKER, "old.xls", _ole, says=("old",)),
    ]


def _word_reports() -> list[Case]:
    """Word reports: a bomb, table spans that are not numbers or are huge, too many cells,
    a file or its XML cut short."""
    return [
        Case(
            "docx-bomb",
            REPORT,
            "bomb.docx",
            lambda: _docx_bytes(
                _document(_chain([_RECOMMENDATIONS], _repeat(_para("x" * 50), 3_000_000)))
            ),
            says=("limit",),
            bomb=True,
        ),
        Case(
            "docx-span-not-number",
            REPORT,
            "span.docx",
            lambda: _docx_bytes(_document(_RECOMMENDATIONS + _table("two"))),
            says=("span",),
        ),
        Case(
            "docx-span-huge",
            REPORT,
            "wide-span.docx",
            lambda: _docx_bytes(_document(_RECOMMENDATIONS + _table("10000000", rows=200))),
            says=("span",),
            bomb=True,
        ),
        Case(
            "docx-many-cells",
            REPORT,
            "cells.docx",
            lambda: _docx_bytes(
                _document(
                    _chain(
                        [_RECOMMENDATIONS, "<w:tbl>"],
                        _repeat("<w:tr>" + "<w:tc><w:p/></w:tc>" * 60 + "</w:tr>", 30_000),
                        ["</w:tbl>"],
                    )
                )
            ),
            says=("limit",),
            bomb=True,
        ),
        Case(
            "docx-truncated",
            REPORT,
            "cut.docx",
            lambda: _docx_bytes(_document(_RECOMMENDATIONS), broken_zip=True),
            says=("cut.docx",),
        ),
        Case(
            "docx-truncated-xml",
            REPORT,
            "cut-xml.docx",
            lambda: _docx_bytes(f"<w:document {_W}><w:body>{_RECOMMENDATIONS}<w:p><w:r>"),
            says=("cut-xml.docx",),
        ),
    ]


def _broken_word_reports() -> list[Case]:
    """Word reports with entities, control characters, a part missing, mixed merges, a
    workbook renamed .docx, or an old .doc."""
    return [
        Case(
            "docx-entity-expansion",
            REPORT,
            "lol.docx",
            lambda: _docx_bytes(
                _document(
                    _RECOMMENDATIONS + "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>",
                    prolog=_BILLION_LAUGHS,
                )
            ),
            says=("entit",),
        ),
        Case(
            "docx-external-entity",
            REPORT,
            "xxe.docx",
            lambda: _docx_bytes(
                _document(
                    _RECOMMENDATIONS + "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=_EXTERNAL
                )
            ),
            says=("entit",),
        ),
        Case(
            "docx-control-character",
            REPORT,
            "control.docx",
            lambda: _docx_bytes(
                _document(_RECOMMENDATIONS + "<w:p><w:r><w:t>a\x01b</w:t></w:r></w:p>")
            ),
            says=("control.docx",),
        ),
        Case(
            "docx-no-document-part",
            REPORT,
            "empty-zip.docx",
            lambda: _zip({"hello.txt": "hi"}),
            says=("empty-zip.docx",),
        ),
        Case(
            "docx-vmerge-span-mix",
            REPORT,
            "vmerge.docx",
            lambda: _docx_bytes(
                _document(
                    _RECOMMENDATIONS + "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>"
                    '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/><w:gridSpan w:val="-3"/></w:tcPr><w:p/></w:tc></w:tr>'  # noqa: E501
                    "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"
                )
            ),
            says=("span",),
        ),
        Case(
            "docx-xlsx-renamed",
            REPORT,
            "tracker.docx",
            lambda: workbook(tracker_rows(1)),
            says=("tracker.docx",),
        ),
        Case("doc-old-word", REPORT, "old.doc", _ole, says=("old",)),
    ]


def _pdf_reports() -> list[Case]:
    """PDF reports: passwords, a stream bomb, large text, many pages, a file cut short,
    not a PDF at all, or no text in it."""
    return [
        Case(
            "pdf-password",
            REPORT,
            "locked.pdf",
            lambda: _pdf([_text_stream(_REPORT_LINES)], password="secret"),
            says=("password",),
        ),
        Case(
            "pdf-empty-password",
            REPORT,
            "open-lock.pdf",
            lambda: _pdf([_text_stream(_REPORT_LINES)], password=""),
            expect=READ,
            stdout_has=("1",),
        ),
        Case(
            "pdf-stream-bomb",
            REPORT,
            "stream-bomb.pdf",
            lambda: _pdf([_text_stream(_REPORT_LINES) + b"\n" + b" " * 400_000_000]),
            says=("limit",),
            bomb=True,
        ),
        Case(
            "pdf-large-text-stream",
            REPORT,
            "long-stream.pdf",
            lambda: _pdf([_text_stream(_REPORT_LINES) + b"\n" + b"BT ET\n" * 2_000_000]),
            says=("long-stream.pdf",),
        ),
        Case(
            "pdf-many-pages",
            REPORT,
            "pages.pdf",
            lambda: _pdf([b"BT ET"] * 5000),
            says=("pages",),
            bomb=True,
        ),
        Case(
            "pdf-truncated",
            REPORT,
            "cut.pdf",
            lambda: _pdf([_text_stream(_REPORT_LINES)])[:300],
            says=("cut.pdf",),
        ),
        Case("pdf-not-pdf", REPORT, "fake.pdf", lambda: b"hello there", says=("not a PDF",)),
        Case(
            "pdf-no-text",
            REPORT,
            "scan.pdf",
            lambda: _pdf([b"0 0 m 100 100 l S"]),
            says=("scanned",),
        ),
    ]


def _text_reports() -> list[Case]:
    """Plain-text and CSV reports: too many recommendations, NUL, UTF-16, too big, huge or
    many lines, an unclosed quote."""
    return [
        Case(
            "txt-1200-recommendations",
            REPORT,
            "long-report.txt",
            lambda: "\n\n".join(
                f"Recommendation {n}\n\nThe council should do thing {n}." for n in range(1, 1201)
            ).encode(),
            expect=READ,
            stdout_has=("1200",),
        ),
        Case(
            "txt-nul",
            REPORT,
            "nul.txt",
            lambda: b"Recommendation 1\n\nDo it.\x00\n",
            says=("nul.txt",),
        ),
        Case(
            "txt-utf16",
            REPORT,
            "utf16.txt",
            lambda: "Recommendation 1\n\nThe council should do it.\n".encode("utf-16"),
            expect=READ,
            stdout_has=("1",),
        ),
        Case("txt-too-big", REPORT, "huge.txt", lambda: b"a " * 13_500_000, says=("MB",)),
        Case(
            "txt-one-huge-line",
            REPORT,
            "line.txt",
            lambda: b"Recommendation 1 " + b"word " * 1_000_000,
            expect=READ,
            stdout_has=("recommendations",),
            bomb=True,
        ),
        Case(
            "txt-many-lines",
            REPORT,
            "lines.txt",
            lambda: b"Recommendation 1\n\nDo it.\n" + b"1.\n" * 3_000_000,
            says=("limit",),
            bomb=True,
        ),
        Case(
            "csv-report-unclosed-quote",
            REPORT,
            "report.csv",
            lambda: _csv(["Recommendation,Response", '"Do it,Done', "Do more,Done"]),
            says=("quote",),
        ),
    ]


def _calendars() -> list[Case]:
    """Calendars (iCalendar and CSV): impossible dates, a file cut short, too many events,
    binary junk, NUL, an unclosed quote."""
    return [
        Case(
            "ics-month-13",
            CALENDAR,
            "month.ics",
            lambda: _ics([_event("20241301")]),
            says=("month.ics",),
        ),
        Case(
            "ics-truncated",
            CALENDAR,
            "cut.ics",
            lambda: _ics([_event("20240101")])[:60],
            says=("cut.ics",),
        ),
        Case(
            "ics-many-events",
            CALENDAR,
            "many.ics",
            lambda: _ics(_event("20240101", uid=n) for n in range(30_000)),
            says=("cal",),
        ),
        Case(
            "ics-binary", CALENDAR, "junk.ics", lambda: bytes(range(256)) * 10, says=("junk.ics",)
        ),
        Case(
            "calendar-csv-month-13",
            CALENDAR,
            "dates.csv",
            lambda: b"Date\n12/13/2024\n",
            says=("12/13/2024",),
        ),
        Case(
            "calendar-csv-nul",
            CALENDAR,
            "nul-dates.csv",
            lambda: b"Date\n12/01/2024\x00\n",
            says=("nul-dates.csv",),
        ),
        Case(
            "calendar-csv-unclosed-quote",
            CALENDAR,
            "quote-dates.csv",
            lambda: b'Date\n"12/01/2024\n13/01/2024\n',
            says=("quote",),
        ),
    ]


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def _truncated_sheet() -> bytes:
    """A workbook whose sheet XML stops in the middle of row 5."""
    full = workbook(tracker_rows(3))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b'<row r="4">') + 30]
            target.writestr(item.filename, data)
    return out.getvalue()


def _many_sheets(count: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for n in range(count):
        sheet = book.create_sheet(f"S{n}")
        sheet.append(["x"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _long_committee_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Recommendation", "Committee"])
    sheet.append(["R1", "Do it", "Scrutiny " * 40])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_case(kind: str, path: str) -> int:
    """Write one kind's file (its size in bytes). The reliability runner calls this in a
    process of its own, so that making a big file never counts in the memory of the child
    that reads it (Linux passes a parent's peak memory on to the children it starts)."""
    from pathlib import Path

    case = next(case for case in cases() if case.kind == kind)
    data = case.make()
    Path(path).write_bytes(data)
    return len(data)


if __name__ == "__main__":
    import sys

    write_case(sys.argv[1], sys.argv[2])
