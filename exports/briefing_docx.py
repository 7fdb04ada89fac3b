"""The briefing pack as a Word document shaped like a council committee report.

The shape follows the seed report (a paper to the Children's Services Overview and Scrutiny
Committee, 12 February 2019): the meeting date and committee, a title, "Report of", whether
the report is public, then numbered sections: 1 Executive summary, 2 Items due back (a table
per source), 3 Overdue summary, 4 Charts (each with its words as caption and alt text), and
an appendix of the filters used. A4, Arial, page numbers in the footer.

When the officer includes exempt (Part 2) items, every page's header says the paper is not
for publication and each exempt source and item is marked; otherwise exempt items were never
fetched (see `data_access.queries.briefing`).

The words shared with the HTML rendering (for the PDF) live here: `report_title`,
`summary_lines`, `exempt_notice` and the rest, so both files say the same thing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from charts.briefing import charts_left_out
from charts.style import chart_plain_text, source_line
from data_access.queries.briefing import BriefingContents, BriefingItem, SourceGroup
from domain.formatting import long_date, plural, short_date
from domain.settings import AGEING_BUCKET_LABELS
from exports.naming import file_name

__all__ = [
    "DEFAULT_REPORT_OF",
    "EXEMPT_HEADER",
    "ITEM_HEADERS",
    "OVERDUE_HEADERS",
    "briefing_docx",
    "briefing_file_name",
    "chart_images",
    "exempt_notice",
    "latest_update_text",
    "overdue_sentence",
    "report_title",
    "summary_lines",
]

DEFAULT_REPORT_OF = "Scrutiny Officer"
EXEMPT_HEADER = "EXEMPT – NOT FOR PUBLICATION (Part 2)"
# Printed on its own line under an exempt item's ref (the Ref column is narrow).
EXEMPT_ITEM_MARK = "Exempt"
ITEM_HEADERS = ("Ref", "Recommendation", "Owner", "Why due back", "Latest update")
OVERDUE_HEADERS = ("Directorate", "Overdue", *AGEING_BUCKET_LABELS, "Longest (days)")
CHART_WIDTH_CM = 16.0
FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
RED = RGBColor(0xD4, 0x35, 0x1C)
# Relative widths of the items table's columns (A4 less margins is about 16.6 cm).
ITEM_WIDTHS_CM = (1.9, 5.0, 2.3, 2.8, 4.6)
# Wide enough that each heading's longest word ("Overdue", "Longest") fits whole at
# TABLE_POINTS bold, even where Arial is replaced by the wider DejaVu Sans.
OVERDUE_WIDTHS_CM = (3.9, 2.1, 1.8, 1.8, 1.9, 1.9, 2.2)
TABLE_POINTS = 9.5  # tables' type, headings included
FOOTER_POINTS = 9  # the footer's committee, meeting and page number fit on one line


# Words shared with the HTML rendering ---------------------------------------------------


def report_title(contents: BriefingContents) -> str:
    return f"Progress on recommendations due back to {contents.committee}"


def is_marked_exempt(contents: BriefingContents) -> bool:
    """The paper carries exempt items, so every page must say it is not for publication."""
    return contents.has_exempt_items


def publication_line(contents: BriefingContents) -> str:
    if is_marked_exempt(contents):
        return (
            "This report contains exempt information (Part 2, Schedule 12A) and is not for "
            "publication"
        )
    return "This report is Public"


def exempt_notice(contents: BriefingContents) -> str | None:
    """What the paper says about exempt items, or None when there were none to speak of."""
    if contents.exempt_due_back == 0:
        return None
    if contents.include_exempt:
        return (
            f"{plural(contents.exempt_due_back, 'exempt (Part 2) item')} due back "
            f"{'is' if contents.exempt_due_back == 1 else 'are'} included and marked "
            "“Exempt”. This paper is not for publication."
        )
    return (
        f"{plural(contents.exempt_due_back, 'exempt (Part 2) item')} due back "
        f"{'is' if contents.exempt_due_back == 1 else 'are'} left out of this report; "
        "they are reported to the committee in private session."
    )


def briefing_file_name(contents: BriefingContents, extension: str) -> str:
    """ "2026-12-08 Children's Services OSC briefing.docx": the meeting date first, so a
    folder of packs sorts by meeting; a pack with exempt items says so in its name."""
    committee = contents.committee.replace("Overview and Scrutiny Committee", "OSC")
    exempt = " EXEMPT" if is_marked_exempt(contents) else ""
    return file_name(
        contents.next_meeting or contents.as_at, f"{committee} briefing{exempt}", extension
    )


def meeting_line(contents: BriefingContents) -> str:
    if contents.next_meeting is None:
        return "No meeting scheduled"
    return long_date(contents.next_meeting)


def summary_lines(contents: BriefingContents) -> tuple[str, list[tuple[int, str]]]:
    """The executive summary: an opening sentence, then (indent level, line) per count.

    The reasons sit under the items due back (an item can have several, so they need not add
    up); the other counts are across all the committee's items in view.
    """
    counts = contents.counts
    meeting = (
        f"the {long_date(contents.next_meeting)} meeting"
        if contents.next_meeting
        else "the next meeting (none is scheduled)"
    )
    opening = (
        f"This report updates Members on the recommendations due back to {meeting} of "
        f"{contents.committee}, as at {long_date(contents.as_at)}. Of the committee's "
        f"{plural(counts.recommendations, 'recommendation')} in view, {counts.open:,} "
        f"{'is' if counts.open == 1 else 'are'} open."
    )
    since = (
        f"since the last meeting on {long_date(contents.previous_meeting)}"
        if contents.previous_meeting
        else "so far (no earlier meeting is recorded)"
    )
    lines = [
        (0, f"Items due back: {counts.due_back:,}, because (an item can have several reasons):")
    ]
    lines += [(1, f"{label}: {number:,}") for label, number in counts.by_reason]
    lines += [
        (0, f"Implemented {since}: {counts.implemented_since_last_meeting:,}."),
        (0, f"Overdue in all: {counts.overdue:,}."),
        (0, f"Slipped (target revised, or original target passed): {counts.slipped:,}."),
    ]
    return opening, lines


def source_line_for(group: SourceGroup) -> str:
    exempt = " Exempt (Part 2)." if group.exempt else ""
    return (
        f"{group.kind}, issued {long_date(group.issued)}. "
        f"{plural(len(group.items), 'item')} due back.{exempt}"
    )


def owner_text(item: BriefingItem) -> str:
    return item.owner or "No owner"


def reasons_text(item: BriefingItem) -> str:
    target = short_date(item.current_target_date) or "none set"
    return "; ".join(item.reasons) + f". Target: {target}. RAG: {item.rag}."


def latest_update_heading(item: BriefingItem) -> str:
    if item.latest_update_on is None:
        return "No update recorded."
    by = f", {item.latest_update_by}" if item.latest_update_by else ""
    return f"{short_date(item.latest_update_on)}{by}"


def latest_update_text(item: BriefingItem) -> str:
    return item.latest_update or ""


def truncation_note(contents: BriefingContents) -> str | None:
    if not contents.is_truncated:
        return None
    return (
        f"The first {contents.items_listed:,} of {contents.counts.due_back:,} items due back "
        "are listed, oldest source first. Narrow the filters to list the others."
    )


def overdue_sentence(contents: BriefingContents) -> str:
    overdue = sum(row.overdue for row in contents.overdue_by_directorate)
    if overdue == 0:
        return (
            f"None of the committee's items in view was overdue as at {long_date(contents.as_at)}."
        )
    longest = max(row.longest_days for row in contents.overdue_by_directorate)
    return (
        f"{plural(overdue, 'item')} {'was' if overdue == 1 else 'were'} overdue as at "
        f"{long_date(contents.as_at)}, across "
        f"{plural(len(contents.overdue_by_directorate), 'directorate')}; the longest by "
        f"{plural(longest, 'day')}."
    )


def overdue_rows(contents: BriefingContents) -> list[tuple[str, ...]]:
    return [
        (
            row.directorate,
            f"{row.overdue:,}",
            *[f"{number:,}" for number in row.by_bucket],
            f"{row.longest_days:,}",
        )
        for row in contents.overdue_by_directorate
    ]


def appendix_lines(contents: BriefingContents, report_of: str) -> list[tuple[str, str]]:
    exempt = (
        "Included and marked (this paper is not for publication)"
        if contents.include_exempt
        else "Left out"
    )
    return [
        ("Committee", contents.committee),
        ("Meeting", meeting_line(contents)),
        *contents.filter_lines,
        ("Exempt (Part 2) items", exempt),
        ("Report of", report_of),
        ("Source", source_line(contents.as_at).removeprefix("Source: ")),
    ]


def chart_images(
    charts: Sequence[tuple[go.Figure, str]],
) -> list[tuple[bytes | None, str, str | None]]:
    """Each chart as (PNG at 16 cm and 300 dpi or None, its words, why there is no picture).

    The pack is made even where no browser can draw charts: a sentence stands in for each.
    """
    from exports.chart_files import ChartExportUnavailable, chart_png

    images: list[tuple[bytes | None, str, str | None]] = []
    for figure, words in charts:
        try:
            images.append((chart_png(figure, words, width_cm=CHART_WIDTH_CM), words, None))
        except ChartExportUnavailable as problem:
            images.append((None, words, str(problem)))
    return images


def chart_title_text(figure: go.Figure) -> str:
    return chart_plain_text(figure.layout.title.text or "")


# The Word document ------------------------------------------------------------------------


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
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    styles = document.styles
    _set_font(styles["Normal"], 11)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 12)):
        _set_font(styles[name], size, bold=True)
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


def _header_and_footer(document: Document, contents: BriefingContents) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if is_marked_exempt(contents):
        run = header.add_run(EXEMPT_HEADER)
        run.bold = True
        run.font.color.rgb = RED
        run.font.size = Pt(12)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{contents.committee}, {meeting_line(contents)} · Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(FOOTER_POINTS)


def _row_property(row, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _repeat_header_row(row) -> None:
    """The header row repeats at the top of each page a long table runs onto."""
    _row_property(row, "w:tblHeader")


def _table(document: Document, headers: Sequence[str], widths_cm: Sequence[float] | None = None):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        heading = cell.paragraphs[0].add_run(text)
        heading.bold, heading.font.size = True, Pt(TABLE_POINTS)
    _repeat_header_row(table.rows[0])
    if widths_cm:
        table.autofit = False
        for index, width in enumerate(widths_cm):
            table.columns[index].width = Cm(width)
        _set_widths(table.rows[0], widths_cm)
    return table


def _set_widths(row, widths_cm: Sequence[float] | None) -> None:
    if widths_cm:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _small(paragraph, text: str, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_POINTS)
    run.bold = bold


def _items_table(document: Document, group: SourceGroup) -> None:
    table = _table(document, ITEM_HEADERS, ITEM_WIDTHS_CM)
    for item in group.items:
        row = table.add_row()
        _row_property(row, "w:cantSplit")  # an item is read whole, on one page
        _set_widths(row, ITEM_WIDTHS_CM)
        cells = row.cells
        ref = cells[0].paragraphs[0]
        _small(ref, item.ref)
        if item.exempt:
            ref.add_run().add_break()
            mark = ref.add_run(EXEMPT_ITEM_MARK)
            mark.bold, mark.font.size, mark.font.color.rgb = True, Pt(TABLE_POINTS), RED
        texts = (item.wording, owner_text(item), reasons_text(item))
        for cell, text in zip(cells[1:4], texts, strict=True):
            _small(cell.paragraphs[0], text)
        update = cells[4].paragraphs[0]
        _small(update, latest_update_heading(item), bold=True)
        if item.latest_update:
            _small(cells[4].add_paragraph(), latest_update_text(item))


def _picture(document: Document, png: bytes, words: str, title: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True  # the caption stays under its chart
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
    # The text alternative a screen reader announces ("Alt Text" in Word).
    doc_properties = shape._inline.docPr
    doc_properties.set("descr", words)
    doc_properties.set("title", title)


def briefing_docx(
    contents: BriefingContents,
    charts: Sequence[tuple[go.Figure, str]],
    report_of: str = DEFAULT_REPORT_OF,
    generated_on: date | None = None,
    images: Sequence[tuple[bytes | None, str, str | None]] | None = None,
) -> bytes:
    """The briefing pack as .docx bytes; charts are (figure, text alternative) pairs.

    `images` are the charts already drawn by `chart_images` (the PDF reuses them).
    """
    report_of = report_of.strip() or DEFAULT_REPORT_OF
    document = _new_document()
    properties = document.core_properties
    properties.title = report_title(contents)
    properties.author = report_of
    properties.subject = contents.committee
    properties.keywords = "exempt; Part 2" if is_marked_exempt(contents) else "public"
    _header_and_footer(document, contents)

    document.add_paragraph().add_run(meeting_line(contents)).bold = True
    document.add_paragraph(contents.committee)
    document.add_paragraph(report_title(contents), style="Title")
    document.add_paragraph(f"Report of: {report_of}")
    marking = document.add_paragraph().add_run(publication_line(contents))
    marking.bold = True
    if is_marked_exempt(contents):
        marking.font.color.rgb = RED

    document.add_heading("1. Executive summary", level=1)
    opening, lines = summary_lines(contents)
    document.add_paragraph(opening)
    for level, line in lines:
        document.add_paragraph(line, style="List Bullet 2" if level else "List Bullet")
    notice = exempt_notice(contents)
    if notice:
        document.add_paragraph(notice)

    document.add_heading("2. Items due back", level=1)
    if not contents.groups:
        document.add_paragraph("No item is due back at the next meeting.")
    note = truncation_note(contents)
    if note:
        document.add_paragraph(note)
    for number, group in enumerate(contents.groups, start=1):
        heading = document.add_heading(f"2.{number} {group.title}", level=2)
        if group.exempt:
            mark = heading.add_run(" – EXEMPT (Part 2)")
            mark.font.color.rgb = RED
        # Heading, source line and table start on one page: never a heading stranded at
        # the foot of a page with its table overleaf.
        document.add_paragraph(source_line_for(group)).paragraph_format.keep_with_next = True
        _items_table(document, group)

    document.add_heading("3. Overdue summary", level=1)
    document.add_paragraph(overdue_sentence(contents))
    if contents.overdue_by_directorate:
        table = _table(document, OVERDUE_HEADERS, OVERDUE_WIDTHS_CM)
        for values in overdue_rows(contents):
            row = table.add_row()
            _set_widths(row, OVERDUE_WIDTHS_CM)
            cells = row.cells
            for cell, text in zip(cells, values, strict=True):
                _small(cell.paragraphs[0], text)

    document.add_heading("4. Charts", level=1)
    drawn = chart_images(charts) if images is None else images
    for number, (png, words, problem) in enumerate(drawn, start=1):
        title = chart_title_text(charts[number - 1][0])
        if png is None:
            document.add_paragraph(f"Figure {number}: {title}. {problem}")
        else:
            _picture(document, png, words, title)
        document.add_paragraph(f"Figure {number}: {words}", style="Caption")
    for line in charts_left_out(contents):  # a chart of nothing is left out, with a line
        document.add_paragraph(line)

    document.add_heading("Appendix: filters used", level=1)
    for label, value in appendix_lines(contents, report_of):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True  # the appendix reads as one block
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    made = generated_on or date.today()
    document.add_paragraph(f"Made by the Recommendation Tracker on {long_date(made)}.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
