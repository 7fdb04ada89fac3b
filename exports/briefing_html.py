"""The briefing pack as one self-contained HTML page, for Chromium to print as the PDF.

Where LibreOffice is not installed (CI has Chromium only), the PDF is printed from this page.
It says what the Word file says, in the same order and the same words
(`exports.briefing_docx` holds them), laid out for A4: page numbers in the page margin and,
when exempt items are included, "EXEMPT – NOT FOR PUBLICATION (Part 2)" at the top of every
page. Every piece of text from the database or the user goes through `html.escape`; the page
loads nothing from outside (charts are inline PNGs).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from html import escape

from charts.briefing import charts_left_out
from data_access.queries.briefing import BriefingContents, SourceGroup
from domain.formatting import long_date
from exports.briefing_docx import (
    DEFAULT_REPORT_OF,
    EXEMPT_HEADER,
    EXEMPT_ITEM_MARK,
    ITEM_HEADERS,
    OVERDUE_HEADERS,
    appendix_lines,
    exempt_notice,
    is_marked_exempt,
    latest_update_heading,
    latest_update_text,
    meeting_line,
    overdue_rows,
    overdue_sentence,
    owner_text,
    publication_line,
    reasons_text,
    report_title,
    source_line_for,
    summary_lines,
    truncation_note,
)

__all__ = ["briefing_html"]

_STYLE = """
@page {
  size: A4;
  margin: 22mm 22mm 20mm 22mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages);
                   font: 9pt Arial, Helvetica, sans-serif; color: #505a5f; }
  %(top)s
}
body { font: 11pt/1.35 Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 0; }
h1.title { font-size: 20pt; margin: 6pt 0 10pt; }
h2 { font-size: 15pt; margin: 18pt 0 6pt; break-after: avoid; }
h3 { font-size: 13pt; margin: 14pt 0 4pt; break-after: avoid; }
p.source { break-after: avoid; }
.appendix { break-inside: avoid; }
p { margin: 0 0 6pt; }
ul { margin: 0 0 8pt; }
table { border-collapse: collapse; width: 100%%; font-size: 9.5pt; margin-bottom: 8pt; }
th, td { border: 1px solid #0b0c0c; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { background: #f3f2f1; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.exempt { color: #d4351c; font-weight: bold; }
.marking { font-weight: bold; }
figure { margin: 10pt 0; break-inside: avoid; }
figure img { width: 160mm; display: block; margin: 0 auto; }
figcaption { font-size: 10pt; margin-top: 4pt; }
td.number, th.number { text-align: right; }
"""
_EXEMPT_TOP = (
    '@top-center { content: "%s"; font: bold 12pt Arial, Helvetica, sans-serif; color: #d4351c; }'
)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: str = "") -> str:
    head = "".join(f"<th>{escape(text)}</th>" for text in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>{widths}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _group(number: int, group: SourceGroup) -> str:
    mark = ' <span class="exempt">– EXEMPT (Part 2)</span>' if group.exempt else ""
    rows = []
    for item in group.items:
        update = f"<strong>{escape(latest_update_heading(item))}</strong>"
        if item.latest_update:
            update += f"<br>{escape(latest_update_text(item))}"
        ref = escape(item.ref)
        if item.exempt:
            ref += f'<br><span class="exempt">{EXEMPT_ITEM_MARK}</span>'
        rows.append(
            (
                ref,
                escape(item.wording),
                escape(owner_text(item)),
                escape(reasons_text(item)),
                update,
            )
        )
    widths = (
        '<colgroup><col style="width:9%"><col style="width:31%"><col style="width:14%">'
        '<col style="width:17%"><col style="width:29%"></colgroup>'
    )
    return (
        f"<h3>2.{number} {escape(group.title)}{mark}</h3>"
        f'<p class="source">{escape(source_line_for(group))}</p>'
        + _table(ITEM_HEADERS, rows, widths)
    )


def briefing_html(
    contents: BriefingContents,
    images: Sequence[tuple[bytes | None, str, str | None]],
    chart_titles: Sequence[str],
    report_of: str = DEFAULT_REPORT_OF,
    generated_on: date | None = None,
) -> str:
    """The pack as HTML; `images` as from `exports.briefing_docx.chart_images`."""
    report_of = report_of.strip() or DEFAULT_REPORT_OF
    exempt = is_marked_exempt(contents)
    style = _STYLE % {"top": _EXEMPT_TOP % EXEMPT_HEADER if exempt else ""}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{escape(report_title(contents))}</title>",
        f"<style>{style}</style></head><body>",
        f"<p><strong>{escape(meeting_line(contents))}</strong></p>",
        f"<p>{escape(contents.committee)}</p>",
        f'<h1 class="title">{escape(report_title(contents))}</h1>',
        f"<p>Report of: {escape(report_of)}</p>",
        f'<p class="marking{" exempt" if exempt else ""}">{escape(publication_line(contents))}</p>',
        "<h2>1. Executive summary</h2>",
    ]
    opening, lines = summary_lines(contents)
    parts.append(f"<p>{escape(opening)}</p><ul>")
    for index, (level, line) in enumerate(lines):
        opens_list = index + 1 < len(lines) and lines[index + 1][0] > level
        closes_list = level and (index + 1 == len(lines) or lines[index + 1][0] < level)
        parts.append(f"<li>{escape(line)}" + ("<ul>" if opens_list else "</li>"))
        if closes_list:
            parts.append("</ul></li>")
    parts.append("</ul>")
    notice = exempt_notice(contents)
    if notice:
        parts.append(f"<p>{escape(notice)}</p>")

    parts.append("<h2>2. Items due back</h2>")
    if not contents.groups:
        parts.append("<p>No item is due back at the next meeting.</p>")
    note = truncation_note(contents)
    if note:
        parts.append(f"<p>{escape(note)}</p>")
    parts += [_group(number, group) for number, group in enumerate(contents.groups, start=1)]

    parts.append("<h2>3. Overdue summary</h2>")
    parts.append(f"<p>{escape(overdue_sentence(contents))}</p>")
    if contents.overdue_by_directorate:
        rows = [[escape(value) for value in row] for row in overdue_rows(contents)]
        parts.append(_table(OVERDUE_HEADERS, rows))

    parts.append("<h2>4. Charts</h2>")
    for number, ((png, words, problem), title) in enumerate(
        zip(images, chart_titles, strict=True), start=1
    ):
        if png is None:
            parts.append(f"<p>Figure {number}: {escape(title)}. {escape(problem or '')}</p>")
            parts.append(f"<p>Figure {number}: {escape(words)}</p>")
            continue
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(words)}">'
            f"<figcaption>Figure {number}: {escape(words)}</figcaption></figure>"
        )

    # A chart of nothing is left out of the pack, with a line saying so.
    parts += [f"<p>{escape(line)}</p>" for line in charts_left_out(contents)]
    parts.append('<section class="appendix"><h2>Appendix: filters used</h2>')
    parts += [
        f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>"
        for label, value in appendix_lines(contents, report_of)
    ]
    made = generated_on or date.today()
    parts.append(f"<p>Made by the Recommendation Tracker on {escape(long_date(made))}.</p>")
    parts.append("</section></body></html>")
    return "\n".join(parts)
