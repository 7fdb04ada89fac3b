"""The recommendations in a committee report's text, as a proposal for an officer to review.

Reports are written by people, so this reads the layouts they use rather than one format:

- numbered headings, as in the seed: "2.2 Recommendation 2." then the wording's paragraph,
  then the response paragraphs, until the next recommendation or the next main section;
- lists: "R1 – Review the allocation policy (Accepted)", with "Response:", "Status:",
  "Lead officer:" and "Target date:" lines or paragraphs under each;
- references such as "14/2018/P" or "SR (25/26) 01" starting a line the same way;
- tables (tab-separated rows, as Word tables and CSV exports come out of `importing.report_text`)
  with a header naming a ref or recommendation column, and response, status, owner and date
  columns; and the same tables as web pages and PDFs flatten them: cells separated by " / ",
  one cell per line, or run together after a header that names the columns;
- numbered paragraphs, as parliamentary committees print "Conclusions and recommendations"
  ("1. We recommend ... (Paragraph 14)", also "(i)", "(ii)"), and government responses that
  answer each under it ("The Government agrees ...");
- labelled fields per recommendation, as audit bodies summarise management's response
  ("Rec. No.: 1", "Corrective Action:", "Expected Completion Date:", "Open or Closed:");
- minutes that name references in running text when nothing else is structured
  ("recommendation 38", "24 AGS 06 was 75% completed", "recommendations 1, 2 and 9").

The rule is conservative: nothing is invented. A status is proposed only from words that say
it (a status column, or a sentence such as "This recommendation has now been implemented",
"officers are drafting", "four have been installed", "75% complete"), and `evidence` quotes
them; otherwise the status is `unclear` and the officer chooses. The words a cell or a label
holds (statuses, acceptance, dates) are read with the one vocabulary, `importing.words`; only
the sentence patterns are kept here. The
report's own recommendation to the committee ("1.1 That the Committee notes the progress…"),
section numbers and paragraph numbers are never taken for tracked recommendations.

DOMAIN.md's seed: items a report to the committee says are implemented, when the report asks
the committee to note that progress, were signed off (closed) at that meeting. So by default
implemented items of such a report are proposed as `closed`; `committee_met=False` (the
meeting has not happened yet) keeps them `implemented`, awaiting sign-off.

This module is the reading loop: it gives tables back their tabs, walks the lines meeting
headings, lists and tables, reads numbered paragraphs and, when nothing is structured, the
minutes' prose, then merges what was found into one proposal per reference. The layouts are
recognised in `importing.report_layouts` and `importing.report_tables`, with the references
they share in `importing.report_patterns`; what sentences say (status, acceptance, report
back) is read in `importing.report_sentences`; the results are `importing.report_types`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from domain.vocabulary import Status
from importing.report_layouts import (
    HEADING,
    LABEL,
    LIST_ITEM,
    headed_proposal,
    numbered_proposal,
    read_numbered_paragraphs,
    read_prose,
)
from importing.report_patterns import END_HEADINGS, MAIN_SECTION, OWN_RECOMMENDATION
from importing.report_tables import (
    cell_keys,
    table_columns,
    table_proposal,
    table_row,
    unflatten_tables,
)
from importing.report_types import UNCLEAR, ParsedReport, ProposedRecommendation, ReportItem
from importing.words import find_date

__all__ = ["parse_report"]

_NOTES_PROGRESS = re.compile(
    r"\b(?:notes?|accepts?|agrees?|endorses?|approves?)\b.{0,80}"
    r"\b(?:progress|implement\w*|update|complet\w*|clos\w*)",
    re.IGNORECASE,
)


# --- Reading the text -----------------------------------------------------------------------


def _normalise(text: str) -> list[str]:
    text = text.replace("\u00a0", " ").replace("**", "").replace("__", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


def parse_report(text: str, *, committee_met: bool = True) -> ParsedReport:
    """Read the report's recommendations and details; see the module docstring."""
    original = _normalise(text)
    lines = unflatten_tables(original)
    items, own_recommendation = _read_structured(lines)
    items += read_numbered_paragraphs(lines)
    proposals = _merge([_proposal(item) for item in items])
    if not proposals:
        proposals = _merge(read_prose(lines))
    signed_off = committee_met and bool(
        own_recommendation and _NOTES_PROGRESS.search(own_recommendation)
    )
    if signed_off:
        proposals = [
            replace(p, status=Status.CLOSED.value) if p.status == Status.IMPLEMENTED else p
            for p in proposals
        ]
    committee, report_date, title = _report_details(original)
    return ParsedReport(
        recommendations=tuple(proposals),
        committee_recommendation=own_recommendation,
        committee=committee,
        report_date=report_date,
        title=title,
        signed_off=signed_off and any(p.status == Status.CLOSED for p in proposals),
    )


def _read_structured(lines: list[str]) -> tuple[list[ReportItem], str]:
    """Headings, lists, labelled fields and tables; and the report's own recommendation."""
    items: list[ReportItem] = []
    own_recommendation = ""
    current: ReportItem | None = None
    table: dict[str, int] | None = None
    table_header: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            if current is not None:
                current.lines.append("")
            continue
        if "\t" in line:
            cells = [cell.strip() for cell in line.split("\t")]
            columns = table_columns(cells)
            if columns is not None:
                table, table_header, current = columns, cell_keys(cells), None
                continue
            if table is not None:
                if cell_keys(cells) == table_header:
                    continue  # the header repeated on a new page
                row = table_row(cells, table, items[-1] if items else None)
                if row is not None:
                    items.append(row)
                continue
        table = None
        own = OWN_RECOMMENDATION.match(line)
        if own:
            own_recommendation = own_recommendation or own[1]
            current = None
            continue
        heading = HEADING.match(line)
        listed = None if heading else LIST_ITEM.match(line)
        if heading or listed:
            match = heading or listed
            ref = " ".join(match[1].split())
            rest = (match[2] or "") if heading else match[2]
            if heading and heading[3]:
                rest = heading[3]
            current = ReportItem(ref=ref, head=rest.strip())
            items.append(current)
            continue
        if current is None:
            continue
        ends_item = bool(MAIN_SECTION.match(line) or END_HEADINGS.match(line))
        if ends_item and not LABEL.match(line) and (not current.lines or current.lines[-1] == ""):
            current = None
            continue
        current.lines.append(line)
    return items, own_recommendation


def _proposal(item: ReportItem) -> ProposedRecommendation | None:
    if item.cells is not None:
        return table_proposal(item)
    if item.numbered:
        return numbered_proposal(item)
    return headed_proposal(item)


def _merge(proposals: list[ProposedRecommendation | None]) -> list[ProposedRecommendation]:
    """One proposal per ref, in the order first met; a later mention (a summary listed before
    the detail) fills what the first left blank."""
    by_ref: dict[str, ProposedRecommendation] = {}
    for proposal in proposals:
        if proposal is None:
            continue
        key = proposal.ref.casefold()
        if key not in by_ref:
            by_ref[key] = proposal
            continue
        first = by_ref[key]
        filled = {
            name: getattr(proposal, name)
            for name in ("response", "owner", "due", "acceptance", "directorate")
            if not getattr(first, name) and getattr(proposal, name)
        }
        if first.status == UNCLEAR and proposal.status != UNCLEAR:
            filled |= {"status": proposal.status, "evidence": proposal.evidence}
        if not first.report_back and proposal.report_back:
            filled |= {"report_back": True, "report_back_evidence": proposal.report_back_evidence}
        by_ref[key] = replace(first, **filled)
    return list(by_ref.values())


# --- The report's own details ---------------------------------------------------------------


def _report_details(lines: list[str]) -> tuple[str, date | None, str]:
    """The committee, the date and the title printed at the top of the report, if any."""
    top = [" ".join(line.split()) for line in lines if line.strip()][:20]
    committee, report_date, title = "", None, ""
    for index, line in enumerate(top):
        if report_date is None and len(line) < 80:
            report_date = find_date(line)
        names_committee = re.search(r"\b(?:Committee|Cabinet|Panel)\b", line)
        if not committee and names_committee and len(line) <= 120 and not line.startswith("That"):
            committee = line
            following = top[index + 1] if index + 1 < len(top) else ""
            if following and ":" not in following and len(following) <= 150:
                title = following
    return committee, report_date, title
