"""The briefing pack's words and shape: one report that the Word and HTML renderers draw.

The shape follows the seed report (a paper to the Children's Services Overview and Scrutiny
Committee, 12 February 2019) and the council template it uses: the meeting date and agenda
item, the committee, the title, report of, author and contact officer, whether the report
is public; an executive summary; then 1 Recommendation(s) to the committee, 2 Introduction
and background, 3 the items due back (a table per source: Ref, Recommendation, Owner,
Status, Target, RAG, Why due back, with the latest update beneath each item), 4 the overdue
summary and charts, 5 Reasons for the recommendation, 6 Consultation, 7 Impact on corporate
policies, 8 Implications, 9 Background papers, 10 Appendices, and Appendix A (the filters).

Every sentence is written here, once: `briefing_report` returns a `Report` (a title, a
footer and a list of blocks) and `exports.briefing_docx` / `exports.briefing_html` only lay
the blocks out, so the Word file and its PDF cannot say different things. The clerk's own
words (`domain.briefing.ReportDetails`) fill sections 5 to 9 and the masthead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from charts.briefing import charts_left_out
from charts.style import chart_plain_text, source_line
from domain.briefing import BriefingContents, BriefingItem, ReportDetails, SourceGroup
from domain.formatting import long_date, plural, short_date
from domain.settings import AGEING_BUCKET_LABELS
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
from exports.naming import file_name

__all__ = [
    "EXEMPT_HEADER",
    "EXEMPT_ITEM_MARK",
    "ITEM_HEADERS",
    "ITEM_WIDTHS",
    "CELL_PADDING_MM",
    "OVERDUE_HEADERS",
    "SECTION_HEADINGS",
    "briefing_file_name",
    "briefing_report",
    "chart_images",
    "chart_title_text",
]

EXEMPT_HEADER = "EXEMPT – NOT FOR PUBLICATION (Part 2)"
EXEMPT_ITEM_MARK = "Exempt"  # under an exempt item's ref
EXEMPT_SOURCE_MARK = " – EXEMPT (Part 2)"  # after an exempt source's heading
ITEM_HEADERS = ("Ref", "Recommendation", "Owner", "Status", "Target", "RAG", "Why due back")
# Column widths in cm on A4 portrait with 2 cm margins (17 cm in all), cells padded 1 mm a
# side. "Exempt" (under a ref), "Implemented" and "(complete)" fit whole in Ref, Status and
# RAG even in DejaVu Sans, the wider font LibreOffice and Chromium use where Arial is not
# installed.
ITEM_WIDTHS = (1.5, 4.1, 2.2, 2.4, 1.8, 2.4, 2.6)
CELL_PADDING_MM = 1.0
UPDATE_LABEL = "Latest update"
OVERDUE_HEADERS = ("Directorate", "Overdue", *AGEING_BUCKET_LABELS, "Longest (days)")
OVERDUE_WIDTHS = (4.4, 2.0, 1.9, 1.9, 2.0, 2.2, 2.6)
REASON_HEADERS = ("Why due back", "Items")
REASON_WIDTHS = (9.0, 2.5)
UNNUMBERED = "Executive summary"
APPENDIX_A = "Appendix A – How this report was prepared"
SECTION_HEADINGS = (
    UNNUMBERED,
    "1. Recommendation(s)",
    "2. Introduction and background",
    "3. Recommendations due back to this meeting",
    "4. Overdue recommendations and charts",
    "5. Reasons for the recommendation",
    "6. Consultation",
    "7. Impact on corporate policies, priorities, performance and community impact",
    "8. Implications",
    "9. Background papers",
    "10. Appendices",
    APPENDIX_A,
)


def chart_images(charts: Sequence[tuple[go.Figure, str]]) -> list[ChartImage]:
    """Each chart drawn once for both files. The pack is made even where no browser can draw
    charts: a sentence stands in for each picture."""
    from exports.chart_files import ChartExportUnavailable, chart_png

    images: list[ChartImage] = []
    for figure, words in charts:
        try:
            images.append((chart_png(figure, words, width_cm=16.0), words, None))
        except ChartExportUnavailable as problem:
            images.append((None, words, str(problem)))
    return images


def chart_title_text(figure: go.Figure) -> str:
    return chart_plain_text(figure.layout.title.text or "")


# Words -----------------------------------------------------------------------------------


def report_title(contents: BriefingContents) -> str:
    return f"Progress on recommendations due back to {contents.committee}"


def meeting_line(contents: BriefingContents) -> str:
    return long_date(contents.next_meeting) if contents.next_meeting else "No meeting scheduled"


def footer_text(contents: BriefingContents) -> str:
    return f"{contents.committee}, {meeting_line(contents)}"


def briefing_file_name(contents: BriefingContents, extension: str) -> str:
    """ "2026-12-08 Children's Services OSC briefing.docx": the meeting date first, so a
    folder of packs sorts by meeting; a pack with exempt items says so in its name."""
    committee = contents.committee.replace("Overview and Scrutiny Committee", "OSC")
    exempt = " EXEMPT" if contents.has_exempt_items else ""
    return file_name(
        contents.next_meeting or contents.as_at, f"{committee} briefing{exempt}", extension
    )


def _is_are(number: int) -> str:
    return "is" if number == 1 else "are"


def _has_have(number: int) -> str:
    return "has" if number == 1 else "have"


def _how_many(number: int) -> str:
    """A count inside a sentence: "none" rather than "0" ("none was reported")."""
    return f"{number:,}" if number else "none"


def _paragraphs(text: str) -> list[str]:
    """The clerk's text as paragraphs (split on blank lines; single line breaks kept as
    spaces, as a form's text area wraps them)."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _numbered(section: int, texts: Sequence[str], first: int = 1) -> list[Paragraph]:
    return [
        Paragraph(text, number=f"{section}.{index}")
        for index, text in enumerate(texts, start=first)
    ]


def _masthead(contents: BriefingContents, details: ReportDetails) -> Masthead:
    item = details.printed("item_number")
    lines = [("Report of", details.printed("report_of"))]
    lines.append(("Report author", details.printed("author") or details.printed("report_of")))
    if details.printed("contact"):
        lines.append(("Contact officer", details.printed("contact")))
    if contents.has_exempt_items:
        marking = (
            "This report contains exempt information (Part 2, Schedule 12A) and is not for "
            "publication"
        )
    else:
        marking = "This report is Public"
    return Masthead(
        meeting=meeting_line(contents),
        item=f"ITEM: {item}" if item else "",
        committee=contents.committee,
        title=report_title(contents),
        lines=tuple(lines),
        marking=marking,
        exempt=contents.has_exempt_items,
    )


def exempt_notice(contents: BriefingContents) -> str | None:
    """What the paper says about exempt items, or None when there were none to speak of."""
    number = contents.exempt_due_back
    if number == 0:
        return None
    items = plural(number, "exempt (Part 2) recommendation")
    if contents.include_exempt:
        return (
            f"{items} due back {_is_are(number)} included and marked “Exempt”. This paper is "
            "not for publication."
        )
    return (
        f"{items} due back {_is_are(number)} left out of this report; they are reported to "
        "the Committee in private session."
    )


def truncation_note(contents: BriefingContents) -> str | None:
    if not contents.is_truncated:
        return None
    return (
        f"The first {contents.items_listed:,} of {contents.counts.due_back:,} recommendations "
        "due back are listed, oldest source first. Narrow the filters to list the others."
    )


def _summary(contents: BriefingContents) -> list[Block]:
    counts = contents.counts
    meeting = (
        f"the {long_date(contents.next_meeting)} meeting"
        if contents.next_meeting
        else "the next meeting (none is scheduled)"
    )
    as_at = long_date(contents.as_at)
    if counts.due_back == 0:
        overdue = (
            f"{plural(counts.overdue, 'recommendation')} of the Committee's "
            f"{_is_are(counts.overdue)} overdue"
            if counts.overdue
            else "none of the Committee's recommendations is overdue"
        )
        text = (
            f"No recommendation is due back to {meeting} of the {contents.committee}, as at "
            f"{as_at}; {overdue}."
        )
    else:
        text = (
            f"This report updates Members on the {plural(counts.due_back, 'recommendation')} "
            f"due back to {meeting} of the {contents.committee}, as at {as_at}: "
            f"{_how_many(counts.awaiting_sign_off)} reported as implemented and awaiting the "
            f"Committee's sign-off, and {_how_many(counts.overdue)} of the Committee's "
            "recommendations overdue."
        )
    blocks: list[Block] = [Heading(UNNUMBERED, 1), Paragraph(text)]
    blocks += [Paragraph(note) for note in (exempt_notice(contents),) if note]
    return blocks


def _recommendations(contents: BriefingContents) -> list[Block]:
    counts = contents.counts
    if counts.due_back == 0:
        first = "That the Committee notes that no recommendation is due back to this meeting"
    else:
        first = (
            "That the Committee notes the progress made in implementing the "
            f"{plural(counts.due_back, 'recommendation')} due back to this meeting, set out "
            "in section 3"
        )
    texts = [first + "."]
    if counts.awaiting_sign_off:
        implemented = plural(counts.awaiting_sign_off, "recommendation")
        texts.append(
            f"That the Committee agrees that the {implemented} "
            "reported as implemented (status “Implemented” in section 3) be closed, or says "
            "what further evidence it needs."
        )
    if counts.overdue:
        texts.append(
            f"That the Committee considers the {plural(counts.overdue, 'overdue recommendation')} "
            "summarised in section 4 and agrees what it asks of the responsible officers."
        )
    return [Heading(SECTION_HEADINGS[1], 1), *_numbered(1, texts)]


def _introduction(contents: BriefingContents) -> list[Block]:
    counts = contents.counts
    since = (
        f"Since the last meeting on {long_date(contents.previous_meeting)}"
        if contents.previous_meeting
        else "So far (no earlier meeting is recorded)"
    )
    implemented = counts.implemented_since_last_meeting
    # "None is overdue", not "0 are overdue"; "1 has slipped", not "1 have slipped".
    overdue = _how_many(counts.overdue)
    due_back = (
        f"{plural(counts.due_back, 'recommendation')} {_is_are(counts.due_back)} due back to "
        "this meeting; one can be due back for more than one reason:"
        if counts.due_back
        else "No recommendation is due back to this meeting."
    )
    texts = [
        f"The Committee monitors {plural(counts.recommendations, 'recommendation')} in view, of "
        f"which {_how_many(counts.open)} {_is_are(counts.open or 1)} open. {since}, "
        f"{_how_many(implemented)} {'were' if implemented > 1 else 'was'} reported as "
        f"implemented. {overdue[0].upper() + overdue[1:]} {_is_are(counts.overdue or 1)} "
        f"overdue and {_how_many(counts.slipped)} {_has_have(counts.slipped or 1)} slipped "
        "(target revised, or original target passed).",
        "A recommendation comes back to the Committee when its officer committed to report "
        "back, its target date falls on or before the meeting, it is overdue, it is reported as "
        "implemented and awaits the Committee's sign-off, or the response to its report is due "
        f"or late. {due_back}",
    ]
    blocks: list[Block] = [Heading(SECTION_HEADINGS[2], 1), *_numbered(2, texts)]
    if counts.due_back:  # a table of noughts says nothing the sentence has not
        blocks[-1] = Paragraph(blocks[-1].text, number=blocks[-1].number, keep_with_next=True)
        rows = tuple((label, f"{number:,}") for label, number in counts.by_reason)
        blocks.append(Table(REASON_HEADERS, rows, REASON_WIDTHS, frozenset({1})))
    notes = [note for note in (truncation_note(contents),) if note]
    blocks += _numbered(2, notes, first=3)
    return blocks


def _why(item: BriefingItem) -> str:
    return "; ".join(item.reasons) + "." if item.reasons else ""


def item_row(item: BriefingItem) -> ItemRow:
    if item.latest_update_on is None:
        heading, text = "No progress update recorded.", ""
    else:
        by = f", {item.latest_update_by}" if item.latest_update_by else ""
        heading, text = (
            f"{UPDATE_LABEL}, {short_date(item.latest_update_on)}{by}:",
            (item.latest_update or ""),
        )
    return ItemRow(
        ref=item.ref,
        exempt=item.exempt,
        wording=item.wording,
        owner=item.owner or "No owner",
        status=item.status.label,
        target=short_date(item.current_target_date) or "None set",
        rag=item.rag,
        rag_word=item.rag.label,
        rag_reason=item.rag_reason,
        why=_why(item),
        update_heading=heading,
        update_text=text,
    )


def source_line_for(group: SourceGroup) -> str:
    issued = f", issued {long_date(group.issued)}" if group.issued else ""
    director = (
        f" Accountable director: {group.accountable_director}."
        if group.accountable_director
        else ""
    )
    exempt = " Exempt (Part 2)." if group.exempt else ""
    return (
        f"{group.kind}{issued}.{director} "
        f"{plural(len(group.items), 'recommendation')} due back.{exempt}"
    )


def _items(contents: BriefingContents) -> list[Block]:
    blocks: list[Block] = [Heading(SECTION_HEADINGS[3], 1)]
    if not contents.groups:
        blocks.append(Paragraph("No recommendation is due back to this meeting.", number="3.1"))
        return blocks
    blocks.append(
        Paragraph(
            "Each table lists one source's recommendations due back, with the responsible "
            "officer, status, current target date, RAG rating and why each is due back; the "
            "latest progress update is printed beneath each. RAG is worked out from the dates "
            "and status, never typed in: Red – overdue, target revised twice or more, or no "
            "recent update; Amber – target near or revised once; Green – on track; Blue – "
            "implemented or closed.",
            number="3.1",
        )
    )
    for number, group in enumerate(contents.groups, start=2):
        mark = EXEMPT_SOURCE_MARK if group.exempt else ""
        blocks.append(Heading(f"3.{number} {group.title}", 2, exempt_mark=mark))
        blocks.append(Paragraph(source_line_for(group), keep_with_next=True))
        blocks.append(ItemsTable(tuple(item_row(item) for item in group.items)))
    return blocks


def overdue_sentence(contents: BriefingContents) -> str:
    overdue = sum(row.overdue for row in contents.overdue_by_directorate)
    as_at = long_date(contents.as_at)
    if overdue == 0:
        return f"None of the Committee's recommendations in view was overdue as at {as_at}."
    longest = max(row.longest_days for row in contents.overdue_by_directorate)
    return (
        f"{plural(overdue, 'recommendation')} {'was' if overdue == 1 else 'were'} overdue as "
        f"at {as_at}, across {plural(len(contents.overdue_by_directorate), 'directorate')}; "
        f"the longest by {plural(longest, 'day')}. By directorate and time overdue:"
    )


def _figures(charts: Sequence[tuple[go.Figure, str]], images: Sequence[ChartImage]) -> list[Figure]:
    """The charts as numbered figures, each with its words as caption and alt text.

    The one place charts enter the report: both renderers draw what this returns."""
    return [
        Figure(number, chart_title_text(figure), words, png, problem)
        for number, ((figure, _), (png, words, problem)) in enumerate(
            zip(charts, images, strict=True), start=1
        )
    ]


def _overdue(
    contents: BriefingContents,
    charts: Sequence[tuple[go.Figure, str]],
    images: Sequence[ChartImage],
) -> list[Block]:
    blocks: list[Block] = [
        Heading(SECTION_HEADINGS[4], 1),
        Paragraph(overdue_sentence(contents), number="4.1", keep_with_next=True),
    ]
    if contents.overdue_by_directorate:
        rows = tuple(
            (
                row.directorate,
                f"{row.overdue:,}",
                *[f"{number:,}" for number in row.by_bucket],
                f"{row.longest_days:,}",
            )
            for row in contents.overdue_by_directorate
        )
        numeric = frozenset(range(1, len(OVERDUE_HEADERS)))
        blocks.append(Table(OVERDUE_HEADERS, rows, OVERDUE_WIDTHS, numeric))
    figures = _figures(charts, images)
    if figures:
        blocks.append(
            Paragraph(
                # Says only what the figures drawn show: a chart of nothing is left out.
                ("The figures below chart" if len(figures) > 1 else "The figure below charts")
                + " the recommendations due back"
                + (
                    ", and how long the overdue ones have been overdue."
                    if any(count for _, count in contents.overdue_by_bucket)
                    else "."
                ),
                number="4.2",
            )
        )
    # A chart of nothing is left out of the pack, with a line saying so (issue 11).
    left_out = [Paragraph(line) for line in charts_left_out(contents)]
    return blocks + figures + left_out


def _clerk_section(section: int, heading: str, text: str) -> list[Block]:
    return [Heading(heading, 1), *_numbered(section, _paragraphs(text))]


def _implications(details: ReportDetails) -> list[Block]:
    blocks: list[Block] = [Heading(SECTION_HEADINGS[8], 1)]
    for name, heading in (
        ("financial", "8.1 Financial"),
        ("legal", "8.2 Legal"),
        ("equality", "8.3 Diversity and equality"),
        (
            "other",
            "8.4 Other implications (where significant): staff, health, sustainability, "
            "crime and disorder",
        ),
    ):
        blocks.append(Heading(heading, 2))
        verified = details.printed(f"{name}_verified_by") if name != "other" else ""
        if verified:
            blocks.append(Paragraph(verified, label="Implications verified by: "))
        blocks += [Paragraph(text) for text in _paragraphs(details.printed(name))]
    return blocks


def _background(contents: BriefingContents, details: ReportDetails) -> list[Block]:
    papers = []
    for group in contents.groups:
        issued = f", issued {long_date(group.issued)}" if group.issued else ""
        exempt = " – exempt (Part 2), not published" if group.exempt else ""
        link = f": {group.document_url}" if group.document_url else ""
        papers.append(f"{group.title} ({group.kind}{issued}){exempt}{link}")
    # The standard wording points to the reports "listed below": with none listed, say none.
    standard = details.printed("background_papers") if papers else "None."
    blocks: list[Block] = [
        Heading(SECTION_HEADINGS[9], 1),
        *_numbered(9, _paragraphs(str(details.background_papers or "").strip() or standard)),
    ]
    if papers:
        blocks.append(
            Paragraph(
                "The reports the recommendations in section 3 come from:",
                number=f"9.{len(blocks)}",
                keep_with_next=True,
            )
        )
        blocks.append(Bullets(tuple(papers)))
    return blocks


def _appendices(
    contents: BriefingContents, details: ReportDetails, generated_on: date
) -> list[Block]:
    exempt = (
        "Included and marked (this paper is not for publication)"
        if contents.include_exempt
        else "Left out"
    )
    author = details.printed("author") or details.printed("report_of")
    blocks: list[Block] = [
        Heading(SECTION_HEADINGS[10], 1),
        # Kept together, so the author and contact never stand alone on a page.
        Paragraph(f"{APPENDIX_A}: the date and filters used.", number="10.1", keep_with_next=True),
        Paragraph(author, label="Report author: ", keep_with_next=bool(details.printed("contact"))),
    ]
    if details.printed("contact"):
        blocks.append(Paragraph(details.printed("contact"), label="Contact officer: "))
    lines = [
        ("Committee", contents.committee),
        ("Meeting", meeting_line(contents)),
        *contents.filter_lines,
        ("Exempt (Part 2) items", exempt),
        ("Source", source_line(contents.as_at).removeprefix("Source: ")),
        ("Made", f"by the Recommendation Tracker on {long_date(generated_on)}"),
    ]
    blocks.append(Heading(APPENDIX_A, 1, new_page=True))
    blocks += [
        Paragraph(value, label=f"{label}: ", keep_with_next=index < len(lines) - 1)
        for index, (label, value) in enumerate(lines)
    ]
    return blocks


def briefing_report(
    contents: BriefingContents,
    charts: Sequence[tuple[go.Figure, str]],
    details: ReportDetails | None = None,
    *,
    images: Sequence[ChartImage] | None = None,
    generated_on: date | None = None,
) -> Report:
    """The whole report, in order. `charts` are (figure, words) pairs; `images` the same
    charts drawn by `chart_images` (drawn here when not given)."""
    details = (details or ReportDetails()).cleaned()
    drawn = chart_images(charts) if images is None else images
    blocks: list[Block] = [_masthead(contents, details)]
    blocks += _summary(contents)
    blocks += _recommendations(contents)
    blocks += _introduction(contents)
    blocks += _items(contents)
    blocks += _overdue(contents, charts, drawn)
    blocks += _clerk_section(5, SECTION_HEADINGS[5], details.printed("reasons"))
    blocks += _clerk_section(6, SECTION_HEADINGS[6], details.printed("consultation"))
    blocks += _clerk_section(7, SECTION_HEADINGS[7], details.printed("corporate_policies"))
    blocks += _implications(details)
    blocks += _background(contents, details)
    blocks += _appendices(contents, details, generated_on or date.today())
    return Report(
        title=report_title(contents),
        committee=contents.committee,
        footer=footer_text(contents),
        exempt=contents.has_exempt_items,
        author=details.printed("author") or details.printed("report_of"),
        keywords="exempt; Part 2" if contents.has_exempt_items else "public",
        blocks=tuple(blocks),
    )
