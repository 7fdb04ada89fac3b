"""The briefing pack as a Word document: lays out `exports.briefing_report`'s blocks.

Every word comes from the report (the HTML rendering for the PDF draws the same blocks);
this module only decides how they look in Word: A4 portrait, Arial, numbered paragraphs in
a hanging indent, the items table with its header row repeated on each page, each item's
row kept whole and with the latest update printed full width beneath it, the RAG cell
coloured with its word, counts right-aligned, and a footer with the committee, meeting and
"Page N of M". When exempt items are included every page's header says the paper is not for
publication (one section, so one header on every page).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from domain import palette
from domain.briefing import BriefingContents, ReportDetails
from domain.palette import hex_digits
from exports.briefing_blocks import (
    Block,
    Bullets,
    ChartImage,
    Figure,
    Heading,
    ItemRow,
    ItemsTable,
    Masthead,
    Paragraph,
    Report,
    Table,
)
from exports.briefing_report import (
    CELL_PADDING_MM,
    EXEMPT_HEADER,
    EXEMPT_ITEM_MARK,
    ITEM_HEADERS,
    ITEM_WIDTHS,
    briefing_report,
)

__all__ = ["briefing_docx", "report_docx"]

FONT = "Arial"
BLACK = RGBColor.from_string(hex_digits(palette.BLACK))
RED = RGBColor.from_string(hex_digits(palette.RED))
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
NUMBER_INDENT_CM = 1.2  # "1.1" (and "10.1") hangs in this much
CHART_WIDTH_CM = 16.0
TABLE_POINTS = 9  # tables' type, headings included
SMALL_POINTS = 8  # a RAG cell's reason
FOOTER_POINTS = 8.5  # committee, meeting and page number on one line
HEADING_GREY = hex_digits(palette.LIGHT_GREY)
# An update up to this long (about a third of a page) is kept on one page; a longer one may
# run on, rather than leave most of a page empty.
UPDATE_KEPT_WHOLE_CHARS = 1500
UPDATE_SHADE = hex_digits(palette.PALE_GREY)


def _set_font(style, size: float, bold: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    # East Asian text falls back to the theme font unless told otherwise.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)


def _new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    styles = document.styles
    _set_font(styles["Normal"], 11)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        _set_font(styles[name], size, bold=True)
        styles[name].paragraph_format.keep_with_next = True
    # Word's default Title has a theme-blue rule under it: not the product's palette.
    for border in styles["Title"].element.xpath("./w:pPr/w:pBdr"):
        border.getparent().remove(border)
    styles["Heading 1"].paragraph_format.space_before = Pt(14)
    styles["Heading 2"].paragraph_format.space_before = Pt(10)
    _set_font(styles["Footer"], FOOTER_POINTS)  # the page-number fields take the style's size
    _set_font(styles["Caption"], 10, bold=False)
    styles["Caption"].font.italic = False
    return document


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _header_and_footer(document: Document, report: Report) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.exempt:
        run = header.add_run(EXEMPT_HEADER)
        run.bold = True
        run.font.color.rgb = RED
        run.font.size = Pt(12)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{report.footer} · Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(FOOTER_POINTS)


def _row_property(row, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_digits(fill))
    cell._tc.get_or_add_tcPr().append(shading)


def _text(paragraph, text: str, *, bold: bool = False, points: float = TABLE_POINTS):
    run = paragraph.add_run(text)
    run.font.size = Pt(points)
    run.bold = bold
    return run


def _cell_padding(table) -> None:
    """Cells padded CELL_PADDING_MM left and right (Word's default is 1.9 mm), so the
    narrow columns hold their longest word whole."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(CELL_PADDING_MM / 25.4 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema puts tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def _new_table(document: Document, headers: Sequence[str], widths: Sequence[float], numeric):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    _cell_padding(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate(widths):
        table.columns[index].width = Cm(width)
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, headers, strict=True)):
        cell.width = Cm(widths[index])
        _shade(cell, HEADING_GREY)
        paragraph = cell.paragraphs[0]
        _text(paragraph, text, bold=True)
        if index in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _row_property(table.rows[0], "w:tblHeader")  # repeated at the top of each page
    return table


def _add_row(table, widths: Sequence[float]):
    row = table.add_row()
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Cm(width)
    return row


def _masthead(document: Document, block: Masthead) -> None:
    first = document.add_paragraph()
    first.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    first.add_run(block.meeting).bold = True
    if block.item:
        first.add_run("\t")
        first.add_run(block.item).bold = True
    document.add_paragraph(block.committee).runs[0].bold = True
    document.add_paragraph(block.title, style="Title")
    for label, value in block.lines:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    marking = document.add_paragraph()
    marking.paragraph_format.space_before = Pt(6)
    run = marking.add_run(block.marking)
    run.bold = True
    if block.exempt:
        run.font.color.rgb = RED


def _heading(document: Document, block: Heading) -> None:
    heading = document.add_heading(block.text, level=block.level)
    # A break before the heading, not a paragraph holding a break: that paragraph would
    # make an empty page whenever the page before is full.
    heading.paragraph_format.page_break_before = block.new_page
    if block.exempt_mark:
        heading.add_run(block.exempt_mark).font.color.rgb = RED


def _paragraph(document: Document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    if block.number:
        layout.left_indent = Cm(NUMBER_INDENT_CM)
        layout.first_line_indent = Cm(-NUMBER_INDENT_CM)
        layout.tab_stops.add_tab_stop(Cm(NUMBER_INDENT_CM))
        paragraph.add_run(f"{block.number}\t")
    if block.label:
        paragraph.add_run(block.label).bold = True
    paragraph.add_run(block.text)
    layout.keep_with_next = block.keep_with_next


def _table(document: Document, block: Table) -> None:
    table = _new_table(document, block.headers, block.widths, block.numeric)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for values in block.rows:
        row = _add_row(table, block.widths)
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            _text(cell.paragraphs[0], text)
            if index in block.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _rag_cell(cell, item: ItemRow) -> None:
    _shade(cell, palette.RAG_COLOURS[item.rag])
    colour = RGBColor.from_string(hex_digits(palette.RAG_TEXT_COLOURS[item.rag]))
    word = _text(cell.paragraphs[0], item.rag_word, bold=True)
    word.font.color.rgb = colour
    reason = _text(cell.add_paragraph(), item.rag_reason, points=SMALL_POINTS)
    reason.font.color.rgb = colour


def _items_table(document: Document, block: ItemsTable) -> None:
    """One row per item (kept whole, and kept with the update row beneath it), the latest
    update merged across the full width so it reads as prose, not in a narrow column."""
    table = _new_table(document, ITEM_HEADERS, ITEM_WIDTHS, frozenset())
    for item in block.rows:
        row = _add_row(table, ITEM_WIDTHS)
        _row_property(row, "w:cantSplit")
        cells = row.cells
        ref = cells[0].paragraphs[0]
        _text(ref, item.ref)
        if item.exempt:
            ref.add_run().add_break()
            mark = _text(ref, EXEMPT_ITEM_MARK, bold=True, points=SMALL_POINTS)
            mark.font.color.rgb = RED
        for cell, text in zip(cells[1:5], item.cells[1:5], strict=True):
            _text(cell.paragraphs[0], text)
        _rag_cell(cells[5], item)
        _text(cells[6].paragraphs[0], item.why)
        for cell in cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True  # with its update row
        update = _add_row(table, ITEM_WIDTHS)
        if len(item.update_text) <= UPDATE_KEPT_WHOLE_CHARS:
            _row_property(update, "w:cantSplit")
        merged = update.cells[0].merge(update.cells[-1])
        _shade(merged, UPDATE_SHADE)
        paragraph = merged.paragraphs[0]
        _text(paragraph, item.update_heading, bold=True)
        if item.update_text:
            _text(paragraph, f" {item.update_text}")
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _add_figure(document: Document, block: Figure) -> None:
    """A chart (or the sentence standing in for it) with its caption and alt text."""
    if block.png is None:
        document.add_paragraph(f"Figure {block.number}: {block.title}. {block.problem}")
    else:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True  # the caption stays under its chart
        shape = paragraph.add_run().add_picture(io.BytesIO(block.png), width=Cm(CHART_WIDTH_CM))
        # The text alternative a screen reader announces ("Alt Text" in Word).
        shape._inline.docPr.set("descr", block.words)
        shape._inline.docPr.set("title", block.title)
    document.add_paragraph(f"Figure {block.number}: {block.words}", style="Caption")


def _bullets(document: Document, block: Bullets) -> None:
    for line in block.lines:
        document.add_paragraph(line, style="List Bullet")


_DRAW = {
    Masthead: _masthead,
    Heading: _heading,
    Paragraph: _paragraph,
    Bullets: _bullets,
    Table: _table,
    ItemsTable: _items_table,
    Figure: _add_figure,
}


def report_docx(report: Report) -> bytes:
    """The report laid out as .docx bytes."""
    document = _new_document()
    properties = document.core_properties
    properties.title = report.title
    properties.author = report.author
    properties.subject = report.committee
    properties.keywords = report.keywords
    _header_and_footer(document, report)
    block: Block
    for block in report.blocks:
        _DRAW[type(block)](document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def briefing_docx(
    contents: BriefingContents,
    charts: Sequence[tuple[go.Figure, str]],
    details: ReportDetails | None = None,
    generated_on: date | None = None,
    images: Sequence[ChartImage] | None = None,
) -> bytes:
    """The briefing pack as .docx bytes; charts are (figure, text alternative) pairs and
    `images` the same charts already drawn by `chart_images` (the PDF reuses them)."""
    report = briefing_report(contents, charts, details, images=images, generated_on=generated_on)
    return report_docx(report)
