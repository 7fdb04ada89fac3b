"""The briefing pack as one self-contained HTML page, for Chromium to print as the PDF.

Where LibreOffice is not installed (CI has Chromium only), the PDF is printed from this page.
It draws the same blocks as the Word file (`exports.briefing_report`), in the same order and
words, laid out for A4: the committee, meeting and "Page N of M" in the page's foot and,
when exempt items are included, "EXEMPT – NOT FOR PUBLICATION (Part 2)" at the top of every
page. Every piece of text from the database or the user goes through `html.escape` (and
through `_css_string` where it sits in the style sheet); the page loads nothing from outside
(charts are inline PNGs).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from html import escape

import plotly.graph_objects as go

from domain import palette
from domain.briefing import BriefingContents, ReportDetails
from exports.briefing_blocks import (
    Bullets,
    ChartImage,
    Figure,
    Heading,
    ItemsTable,
    Masthead,
    Paragraph,
    Report,
    Table,
)
from exports.briefing_report import (
    EXEMPT_HEADER,
    EXEMPT_ITEM_MARK,
    ITEM_HEADERS,
    ITEM_WIDTHS,
    briefing_report,
)

__all__ = ["briefing_html", "report_html"]

_STYLE = """
@page {
  size: A4;
  margin: 20mm 20mm 20mm 20mm;
  @bottom-center { content: "%(footer)s · Page " counter(page) " of " counter(pages);
                   font: 8.5pt Arial, Helvetica, sans-serif; color: %(black)s; }
  %(top)s
}
body { font: 11pt/1.3 Arial, Helvetica, sans-serif; color: %(black)s; margin: 0; }
.masthead p { margin: 0 0 2pt; }
.masthead .first { display: flex; justify-content: space-between; font-weight: bold; }
.masthead .committee { font-weight: bold; margin-bottom: 6pt; }
h1.title { font-size: 18pt; margin: 6pt 0 10pt; }
h2 { font-size: 14pt; margin: 14pt 0 6pt; break-after: avoid; }
h3 { font-size: 12pt; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 0 0 6pt; }
p.numbered { padding-left: 12mm; text-indent: -12mm; }
p.numbered .number { display: inline-block; width: 12mm; text-indent: 0; }
p.keep { break-after: avoid; }
.marking { font-weight: bold; margin-top: 6pt; }
ul { margin: 0 0 8pt; }
table { border-collapse: collapse; font-size: 9pt; margin-bottom: 10pt; table-layout: fixed; }
table.items { width: 100%%; }
th, td { border: 1px solid %(black)s; padding: 2pt 1mm; vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
th { background: %(light_grey)s; }
thead { display: table-header-group; }
tbody.item { break-inside: avoid; }
tr { break-inside: avoid; }
td.update { background: %(pale_grey)s; }
td.rag { font-weight: bold; }
td.rag .reason { display: block; font-weight: normal; font-size: 8pt; }
.exempt { color: %(red)s; font-weight: bold; }
td .exempt { font-size: 8pt; }
figure { margin: 10pt 0; break-inside: avoid; }
figure img { width: 160mm; display: block; margin: 0 auto; }
figcaption { font-size: 10pt; margin-top: 4pt; }
td.number, th.number { text-align: right; }
.new-page { break-before: page; }
"""
_EXEMPT_TOP = (
    '@top-center { content: "%s"; font: bold 12pt Arial, Helvetica, sans-serif; color: '
    + palette.RED
    + "; }"
)


def _css_string(text: str) -> str:
    """`text` inside a CSS string: quotes, backslashes and line ends escaped, and "<" so the
    style element cannot be closed early."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")


def _colgroup(widths: Sequence[float]) -> str:
    total = sum(widths)
    return (
        "<colgroup>"
        + "".join(f'<col style="width:{100 * width / total:.1f}%">' for width in widths)
        + "</colgroup>"
    )


def _masthead(block: Masthead) -> str:
    lines = "".join(
        f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>" for label, value in block.lines
    )
    item = f"<span>{escape(block.item)}</span>" if block.item else ""
    marking = "marking exempt" if block.exempt else "marking"
    return (
        '<div class="masthead">'
        f'<p class="first"><span>{escape(block.meeting)}</span>{item}</p>'
        f'<p class="committee">{escape(block.committee)}</p>'
        f'<h1 class="title">{escape(block.title)}</h1>{lines}'
        f'<p class="{marking}">{escape(block.marking)}</p></div>'
    )


def _heading(block: Heading) -> str:
    tag = "h2" if block.level == 1 else "h3"
    page = ' class="new-page"' if block.new_page else ""
    mark = f'<span class="exempt">{escape(block.exempt_mark)}</span>' if block.exempt_mark else ""
    return f"<{tag}{page}>{escape(block.text)}{mark}</{tag}>"


def _paragraph(block: Paragraph) -> str:
    classes = [
        name for name, on in (("numbered", block.number), ("keep", block.keep_with_next)) if on
    ]
    attribute = f' class="{" ".join(classes)}"' if classes else ""
    number = f'<span class="number">{escape(block.number)}</span>' if block.number else ""
    label = f"<strong>{escape(block.label)}</strong>" if block.label else ""
    return f"<p{attribute}>{number}{label}{escape(block.text)}</p>"


def _bullets(block: Bullets) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in block.lines) + "</ul>"


def _table(block: Table) -> str:
    def cell(tag: str, index: int, text: str) -> str:
        number = ' class="number"' if index in block.numeric else ""
        return f"<{tag}{number}>{escape(text)}</{tag}>"

    head = "".join(cell("th", i, text) for i, text in enumerate(block.headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, text) for i, text in enumerate(row)) + "</tr>"
        for row in block.rows
    )
    width = f"{sum(block.widths) * 10:.0f}mm"
    return (
        f'<table style="width:{width}">{_colgroup(block.widths)}'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _items_table(block: ItemsTable) -> str:
    head = "".join(f"<th>{escape(text)}</th>" for text in ITEM_HEADERS)
    bodies = []
    for item in block.rows:
        ref = escape(item.ref)
        if item.exempt:
            ref += f'<br><span class="exempt">{EXEMPT_ITEM_MARK}</span>'
        colour = palette.RAG_COLOURS[item.rag]
        text = palette.RAG_TEXT_COLOURS[item.rag]
        rag = (
            f'<td class="rag" style="background:{colour};color:{text}">{escape(item.rag_word)}'
            f'<span class="reason">{escape(item.rag_reason)}</span></td>'
        )
        cells = "".join(f"<td>{escape(value)}</td>" for value in item.cells[1:5])
        update = f"<strong>{escape(item.update_heading)}</strong>"
        if item.update_text:
            update += f" {escape(item.update_text)}"
        bodies.append(
            f'<tbody class="item"><tr><td>{ref}</td>{cells}{rag}<td>{escape(item.why)}</td></tr>'
            f'<tr><td class="update" colspan="{len(ITEM_HEADERS)}">{update}</td></tr></tbody>'
        )
    return (
        f'<table class="items">{_colgroup(ITEM_WIDTHS)}<thead><tr>{head}</tr></thead>'
        + "".join(bodies)
        + "</table>"
    )


def _figure(block: Figure) -> str:
    """A chart (or the sentence standing in for it) with its caption and alt text."""
    if block.png is None:
        return (
            f"<p>Figure {block.number}: {escape(block.title)}. {escape(block.problem or '')}</p>"
            f"<p>Figure {block.number}: {escape(block.words)}</p>"
        )
    data = base64.b64encode(block.png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.words)}">'
        f"<figcaption>Figure {block.number}: {escape(block.words)}</figcaption></figure>"
    )


_DRAW = {
    Masthead: _masthead,
    Heading: _heading,
    Paragraph: _paragraph,
    Bullets: _bullets,
    Table: _table,
    ItemsTable: _items_table,
    Figure: _figure,
}


def report_html(report: Report) -> str:
    """The report laid out as one HTML page."""
    top = _EXEMPT_TOP % EXEMPT_HEADER if report.exempt else ""
    style = _STYLE % {
        "footer": _css_string(report.footer),
        "top": top,
        "black": palette.BLACK,
        "light_grey": palette.LIGHT_GREY,
        "pale_grey": palette.PALE_GREY,
        "red": palette.RED,
    }
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{style}</style></head><body>",
    ]
    parts += [_DRAW[type(block)](block) for block in report.blocks]
    parts.append("</body></html>")
    return "\n".join(parts)


def briefing_html(
    contents: BriefingContents,
    charts: Sequence[tuple[go.Figure, str]],
    details: ReportDetails | None = None,
    *,
    images: Sequence[ChartImage] | None = None,
    generated_on: date | None = None,
) -> str:
    """The pack as HTML; `images` as from `exports.briefing_report.chart_images`."""
    report = briefing_report(contents, charts, details, images=images, generated_on=generated_on)
    return report_html(report)
