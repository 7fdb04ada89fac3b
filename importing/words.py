"""The one vocabulary for everything that reads council text: statuses, acceptance, priority
and dates, shared by the tracker importer (`importing.spreadsheet`) and the report importer
(`importing.report_parse`), so a word that works in one works in the other.

Each cell reader takes a raw cell (text, number, datetime or None) and returns either the value
or a `ValueProblem` saying, in a sentence for an officer, what is wrong with it. None always means
"the cell is blank": the caller decides what a blank means (no change, or a default).
`status_of_word`, `acceptance_of_word` and `find_date` read the same words inside reports.

Decisions an officer would otherwise have to guess (each tested in tests/test_words.py):

- Dates are British: `12/02/2019` is 12 February. `12 Feb 2019`, `12th February 2019`,
  `2019-02-12`, `Mar 5, 2020` (US audit exports: the month is a word, so it cannot be misread)
  and Excel's own date cells and serial numbers (`43508`) are read too. A month alone
  (`February 2019`, `Feb-19`, `end of March 2024`) means the end of that month: a target "by
  February" is met on its last day. "TBC", "N/A" and a dash mean no date.
- Statuses are DOMAIN.md's six, and every published vocabulary below maps onto them. "Complete",
  "Done", "Implemented" are *implemented* (officers report it done; the committee has not yet
  signed it off): only words that say the overseeing body accepted it as done ("Closed",
  "Signed off", "Verified", GAO's "Closed - implemented") close an item.
- Words that describe how an open item is going, or that are not statuses at all, are read with
  a note that says why, so the preview tells the user (`StatusReading.note`): "Overdue",
  "Delayed", "Not yet due", "Risk accepted", "Overtaken by events", "Closure requested"...
- RAG colours (Red, Amber, Green, Blue) are not statuses: the tracker works RAG out itself
  (DOMAIN.md: computed, never typed in). A status cell holding a colour is not mapped; the
  problem says to give the status, or to map that column to RAG instead.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.vocabulary import (
    STATUS_LABELS,
    Acceptance,
    Priority,
    Status,
)

__all__ = [
    "ACCEPTANCE_WORDS",
    "AcceptanceReading",
    "PRIORITY_FLAG_WORDS",
    "PRIORITY_WORDS",
    "STATUS_NOTES",
    "ValueProblem",
    "StatusReading",
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "blank",
    "cell_text",
    "normalise_words",
    "read_acceptance",
    "read_date",
    "read_priority",
    "read_status",
    "STATUS_WORDS",
    "acceptance_of_word",
    "find_date",
    "status_of_word",
]

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
# Excel's day 0 in the 1900 date system (it counts 29 February 1900, which never was).
EXCEL_EPOCH = date(1899, 12, 30)
_EARLIEST_SERIAL = (date(EARLIEST_YEAR, 1, 1) - EXCEL_EPOCH).days
_LATEST_SERIAL = (date(LATEST_YEAR, 12, 31) - EXCEL_EPOCH).days

NO_DATE_WORDS = frozenset({"tbc", "tba", "tbd", "na", "n a", "none", "not applicable", "unknown"})


@dataclass(frozen=True)
class ValueProblem:
    """What is wrong with one cell's value, as a sentence for the user."""

    message: str


def blank(value: object) -> bool:
    """True for a cell with nothing in it (None, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str | None:
    """The cell as trimmed text (None when blank).

    (The apostrophe the CSV export puts before formula-like text is removed when the CSV is
    read, `domain.cell_text.unguard_cell`; any other apostrophe is the officer's.)
    Whole numbers stored as floats (`3.0`) read as `3`, so a Ref of 3 is "3", not "3.0".
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).strip()
    return text or None


def normalise_words(text: str) -> str:
    """Lower case, '&' as 'and', punctuation as spaces, single spaces: how words are matched."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


# --- Dates ---------------------------------------------------------------------------------

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_MONTH_YEAR = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([a-z]+)\.?,?[\s\-/.]+(\d{2}|\d{4})$"
)
_MONTH_YEAR = re.compile(r"^(?:end of\s+)?([a-z]+)\.?,?[\s\-/.]+(\d{2}|\d{4})$")
# "Mar 5, 2020" / "March 5th 2020", as US audit exports print them: the month is a word.
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _in_range(day: date, raw: object) -> date | ValueProblem:
    if EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return day
    return ValueProblem(
        f"{raw} is not a believable date (the year must be between {EARLIEST_YEAR} and "
        f"{LATEST_YEAR})."
    )


def _from_serial(serial: float, raw: object) -> date | ValueProblem:
    if _EARLIEST_SERIAL <= serial <= _LATEST_SERIAL:
        return EXCEL_EPOCH + timedelta(days=int(serial))
    return ValueProblem(
        f"{raw} is a number, not a date. Write dates like 12/02/2019 or 12 February 2019."
    )


def read_date(value: object) -> date | ValueProblem | None:
    """A date from a cell, read the British way; None when blank or "TBC"."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return _in_range(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return _in_range(value, value.isoformat())
    if isinstance(value, bool):
        return ValueProblem(f"{value} is not a date.")
    if isinstance(value, int | float):
        return _from_serial(float(value), cell_text(value))
    text = cell_text(value)
    if text is None:
        return None
    lowered = _TRAILING_TIME.sub("", text.lower().strip())
    if normalise_words(lowered) in NO_DATE_WORDS or lowered in {"-", "–", "—", "?"}:
        return None
    unreadable = ValueProblem(
        f"{text} is not a date the tracker can read. Write dates like 12/02/2019, "
        "12 Feb 2019 or February 2019."
    )
    try:
        if match := _NUMERIC.match(lowered):
            day, month, year = int(match[1]), int(match[2]), _year(match[3])
            if month > 12:
                swapped = (
                    f" If it is month-first, write it as {match[2]}/{match[1]}/{match[3]}."
                    if day <= 12 and month <= 31
                    else ""
                )
                return ValueProblem(
                    f"{text} is not a real date read day/month/year, the British way (there "
                    f"is no month {month}).{swapped}"
                )
            return _in_range(date(year, month, day), text)
        if match := _ISO.match(lowered):
            return _in_range(date(int(match[1]), int(match[2]), int(match[3])), text)
        if match := _DAY_MONTH_YEAR.match(lowered):
            month = _MONTHS.get(match[2])
            if month is None:
                return unreadable
            return _in_range(date(_year(match[3]), month, int(match[1])), text)
        if match := _MONTH_DAY_YEAR.match(lowered):
            month = _MONTHS.get(match[1])
            if month is None:
                return unreadable
            return _in_range(date(int(match[3]), month, int(match[2])), text)
        if match := _MONTH_YEAR.match(lowered):
            month = _MONTHS.get(match[1])
            if month is None:
                return unreadable
            return _in_range(_month_end(_year(match[2]), month), text)
        if _SERIAL.match(lowered):
            return _from_serial(float(lowered), text)
    except ValueError:
        return ValueProblem(f"{text} is not a real date (no such day in that month).")
    return unreadable


# Dates inside running text (a report's "Target date: end of March 2024" or "by 31/03/2024"):
# the same forms, found anywhere rather than as the whole cell, four-digit years only for the
# written-month forms so that "Recommendation 3 2019" is not a date.
_IN_TEXT = re.compile(
    r"\b(?P<iso>\d{4}-\d{1,2}-\d{1,2})\b"
    r"|\b(?P<numeric>\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2}))\b"
    r"|\b(?P<dmy>\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4})\b"
    r"|\b(?P<mdy>[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s+\d{4})\b"
    r"|\b(?P<my>[A-Za-z]{3,9}\.?,?\s+\d{4})\b",
)


def find_date(text: str | None) -> date | None:
    """The first date written in running text, read as `read_date` reads a cell (British,
    a month alone meaning its last day); None when the text holds no real date."""
    for match in _IN_TEXT.finditer(text or ""):
        found = read_date(match.group(0))
        if isinstance(found, date):
            return found
    return None


# --- Statuses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusReading:
    """A status read from a cell, with a note when the word was not itself a status."""

    status: Status
    note: str | None = None


def _words(mapping: Mapping[Status, tuple[str, ...]]) -> dict[str, Status]:
    return {normalise_words(word): status for status, words in mapping.items() for word in words}


# Where each family of words comes from (the published trackers and guidance they were read in):
#
# - DOMAIN.md and the seed report (a council's update to its scrutiny committee, 12 February
#   2019): "has now been implemented", "in progress", "closed".
# - UK council scrutiny and cabinet trackers with RAG columns: "Complete", "On track",
#   "Ongoing", "Not started", "Off track", "Behind schedule".
# - UK council internal audit follow-up reports to audit committees (e.g. Reading Borough
#   Council's "Implementation of Audit Recommendations Tracker",
#   https://democracy.reading.gov.uk/mgAi.aspx?ID=6218; Durham County Council's "Overdue Audit
#   Recommendations", https://democracy.durham.gov.uk/mgAi.aspx?ID=12298): "Implemented",
#   "Partially implemented", "Not implemented", "Outstanding", "Not yet due", "Superseded",
#   "Risk accepted", "Overdue", "Revised date agreed".
# - The UK National Audit Office and HM Treasury's Treasury Minutes progress reports on Public
#   Accounts Committee recommendations: "Implemented", "Work in progress", "Superseded",
#   "Not accepted", "Closed".
# - UN Board of Auditors annexes on the "status of implementation of recommendations" (and
#   other international audit boards, e.g. the European Court of Auditors' follow-up, which
#   grades "fully implemented", "implemented in most respects", "implemented in some respects",
#   "not implemented"): "Implemented", "Under implementation", "Not implemented",
#   "Overtaken by events", "Closed".
# - The US Government Accountability Office's recommendations database
#   (https://www.gao.gov/reports-testimonies/recommendations-database/): "Open",
#   "Open - partially addressed", "Closed - implemented", "Closed - not implemented", with a
#   separate "priority recommendation" flag.
# - Inspectorate action plans (Ofsted, CQC, HMICFRS areas for improvement): "Complete",
#   "Action complete", "In progress", "Not yet started".
# - Audit follow-up processes that separate the owner's claim from the auditor's check:
#   "Closure requested", "Awaiting verification", "Implemented - not verified", "Verified".
# - US city auditors' recommendation follow-up reports: the City of Lawrence, Kansas
#   ("Implemented", "In progress", "Not implemented", "Undetermined": tests/fixtures/trackers),
#   and the City of San Diego's follow-up categories ("Implemented", "In Progress",
#   "Will Not Implement", "Not Implemented – N/A": circumstances changed so the recommendation
#   no longer applies; https://www.sandiego.gov/auditor/reports/recommendation-follow-dashboard/current).
# - The US Chemical Safety and Hazard Investigation Board's recommendation statuses
#   (https://www.csb.gov/recommendations/statistics/): "Open - Awaiting Response or
#   Evaluation/Approval of Response", "Open - Acceptable Response or Alternate Response",
#   "Open - Unacceptable Response", "Closed - Acceptable Action", "Closed - Acceptable
#   Alternative Action", "Closed - Exceeds Recommended Action", "Closed - Reconsidered/
#   Superseded", "Closed - No Longer Applicable", "Closed - Unacceptable Action/No Response
#   Received". The Board votes each closure, so its "Closed - ..." words close an item.

STATUS_WORDS: dict[str, Status] = {
    **{normalise_words(label): status for status, label in STATUS_LABELS.items()},
    **{normalise_words(status.value): status for status in Status},
    **_words(
        {
            Status.NOT_STARTED: (
                "not started", "not yet started", "not commenced", "not yet commenced",
                "to start", "planned", "yet to start",
            ),
            Status.IN_PROGRESS: (
                "in progress", "ongoing", "on going", "on track", "started", "underway",
                "under way", "in hand", "progressing", "wip", "work in progress",
                "under implementation", "being implemented", "in progress on track",
                "action in progress", "agreed action in progress",
            ),
            Status.IMPLEMENTED: (
                "complete", "completed", "implemented", "done", "achieved", "finished",
                "fully implemented", "actioned", "delivered", "action complete",
                "action completed", "implemented awaiting sign off",
                "complete awaiting sign off", "completed awaiting sign off",
            ),
            Status.CLOSED: (
                "closed", "signed off", "closed complete", "complete closed",
                "completed closed", "closed implemented", "implemented closed",
                "implemented and closed",
                # US CSB: the Board voted it closed, the action meeting (or beating) the aim.
                "closed acceptable action", "closed acceptable alternative action",
                "closed exceeds recommended action",
            ),
            Status.SUPERSEDED: (
                "superseded", "replaced",
                "closed reconsidered superseded",  # US CSB
            ),
            Status.NOT_IMPLEMENTED: (
                "not implemented", "will not be implemented", "not to be implemented",
                "closed not implemented", "rejected", "cancelled", "canceled", "withdrawn",
                "will not implement",  # City of San Diego auditor
            ),
        }
    ),
}  # fmt: skip


@dataclass(frozen=True)
class _NotedWord:
    status: Status
    why: str


# Words whose reading is a judgement, not a synonym: each maps onto DOMAIN.md's statuses with
# the reason the preview shows (the officer can still map the word otherwise for their source).
_NOTED_WORDS: dict[str, _NotedWord] = {
    normalise_words(word): _NotedWord(status, why)
    for words, status, why in (
        # How an open item is going, which the tracker works out itself.
        (("overdue", "late", "past due", "revised date agreed", "revised deadline"),
         Status.IN_PROGRESS, "the tracker works out what is overdue from the target date"),
        (("delayed", "behind schedule", "slipped", "slipping", "deferred", "postponed",
          # UK councils' scrutiny and audit trackers: a deadline moved, as Bolsover's scrutiny
          # monitoring reports ("extended but likely to complete",
          # https://committees.bolsover.gov.uk/ieIssueDetails.aspx?IId=9379&Opt=3) and North
          # Devon's audit recommendation tracker ("time extensions requested",
          # https://democracy.northdevon.gov.uk/ieIssueDetails.aspx?IId=2351&Opt=3) say it.
          "extended", "extension requested", "extension granted", "time extension requested",
          "time extension granted"),
         Status.IN_PROGRESS, "the tracker shows slippage from the target dates"),
        (("paused", "on hold"),
         Status.IN_PROGRESS, "a recommendation on hold is still open"),
        (("at risk", "off track", "not on track"),
         Status.IN_PROGRESS, "the tracker works out the RAG rating itself"),
        # Open, with no word on whether work has begun.
        (("open", "outstanding", "not complete", "incomplete", "pending"),
         Status.IN_PROGRESS, "an open recommendation not yet done"),
        # Partly done is not done: DOMAIN.md closes only what is implemented.
        (("partially implemented", "partly implemented", "partially complete",
          "partially completed", "partially addressed", "open partially addressed",
          "implemented in part", "implemented in some respects",
          "implemented in most respects", "substantially implemented",
          "partially achieved"),
         Status.IN_PROGRESS, "a recommendation partly done is still open"),
        # Audit follow-up: agreed, but its date has not come, so the follow-up has not checked.
        (("not yet due", "not due", "not due yet", "future action", "not yet required"),
         Status.NOT_STARTED, "its date has not come, so no progress is claimed yet; "
         "the tracker shows it as open"),
        # The owner says it is done; the body that made it has not yet checked or closed it.
        (("closure requested", "requested closure", "proposed for closure",
          "recommended for closure", "awaiting verification", "pending verification",
          "implemented not verified", "implemented awaiting verification",
          "implemented pending verification", "awaiting closure",
          "implementation claimed", "management states implemented"),
         Status.IMPLEMENTED, "the owner reports it done and it awaits sign-off"),
        # The body that made the recommendation checked it and accepted it as done.
        (("verified", "verified by audit", "implemented verified", "verified implemented",
          "implemented and verified", "verified and closed"),
         Status.CLOSED, "the body that made it has checked and accepted it as done"),
        # Overtaken or no longer relevant: not done, but no longer asked for.
        (("overtaken by events", "no longer relevant", "no longer applicable",
          "no longer required", "obsolete", "redundant", "closed superseded",
          "closed no longer relevant", "closed overtaken by events",
          "closed no longer applicable",  # US CSB
          "not implemented n a", "not implemented na"),  # City of San Diego auditor
         Status.SUPERSEDED, "events overtook it, so it is no longer asked for"),
        # Management chose to live with the risk instead of doing what was recommended.
        (("risk accepted", "management accepts the risk", "accepted risk",
          "closed risk accepted", "not accepted", "not agreed", "closed not accepted",
          "closed unacceptable action no response received", "closed unacceptable action",
          "closed no response received"),  # US CSB
         Status.NOT_IMPLEMENTED, "it was closed without being done"),
        # US CSB: open while the Board weighs the recipient's response (or waits for one).
        (("open awaiting response or evaluation approval of response",
          "open acceptable response or alternate response", "open unacceptable response"),
         Status.IN_PROGRESS, "the recommendation is open while the response is weighed"),
    )
    for word in words
}  # fmt: skip

# The same judgements as sentences, for the preview and the report reader's evidence.
STATUS_NOTES: dict[str, str] = {word: noted.why for word, noted in _NOTED_WORDS.items()}
RAG_WORDS = frozenset({"red", "amber", "green", "blue", "grey", "gray", "r", "a", "g", "b"})


def status_of_word(text: str | None) -> StatusReading | None:
    """The status a whole cell's (or a report's status line's) word means, with a note when
    the word needed a judgement; None when the words are not a status the tracker knows."""
    if not text:
        return None
    words = normalise_words(text)
    if words in STATUS_WORDS:
        return StatusReading(STATUS_WORDS[words])
    if words in _NOTED_WORDS:
        noted = _NOTED_WORDS[words]
        return StatusReading(
            noted.status, f'"{text.strip()}": read as {noted.status.label} ({noted.why}).'
        )
    return None


def read_status(
    value: object, extra_words: Mapping[str, Status] | None = None
) -> StatusReading | ValueProblem | None:
    """The DOMAIN.md status a cell's word means (see the module docstring); None when blank.

    `extra_words` holds the user's own readings of words the tracker does not know (or reads
    otherwise), keyed by the word as `normalise_words` gives it: they win."""
    text = cell_text(value)
    if text is None:
        return None
    words = normalise_words(text)
    if extra_words and words in extra_words:
        return StatusReading(extra_words[words])
    found = status_of_word(text)
    if found is not None:
        return found
    choices = ", ".join(label for label in STATUS_LABELS.values())
    if words in RAG_WORDS:
        return ValueProblem(
            f"{text} is a RAG rating, not a status: the tracker works RAG out for itself. "
            f"Give the status ({choices}), or map this column to RAG."
        )
    return ValueProblem(f"{text} is not a status the tracker knows. Use one of: {choices}.")


# --- Priority and acceptance ------------------------------------------------------------------

# Priority words: council trackers' High/Medium/Low (H/M/L, 1/2/3 with 1 the highest), and the
# internal audit gradings that councils' audit committees publish (CIPFA-style "Priority 1",
# "Fundamental / Significant / Merits attention", "Essential / Important / Desirable", and
# red/amber/green-rated recommendation categories, where Red is "a serious issue for the
# attention of senior management").
PRIORITY_WORDS: dict[str, Priority] = {
    **{normalise_words(p.value): p for p in Priority},
    **{
        normalise_words(word): priority
        for priority, words in (
            (Priority.HIGH, ("h", "1", "p1", "priority 1", "high priority", "urgent",
                             "critical", "fundamental", "essential", "major", "very high",
                             "high risk", "red", "category 1", "grade 1")),
            (Priority.MEDIUM, ("m", "med", "2", "p2", "priority 2", "medium priority",
                               "significant", "important", "moderate", "medium risk",
                               "amber", "category 2", "grade 2")),
            (Priority.LOW, ("l", "3", "p3", "priority 3", "low priority", "merits attention",
                            "desirable", "minor", "housekeeping", "low risk", "green",
                            "advisory", "category 3", "grade 3")),
        )
        for word in words
    },
}  # fmt: skip

# A yes/no "priority recommendation" column (the GAO database's flag): a priority, not an
# error. Yes marks the item high; No says nothing more than the default, medium.
PRIORITY_FLAG_WORDS: dict[str, Priority] = {
    # "Priority Rec.": the label GAO's recommendations pages put on a priority recommendation
    # (https://www.gao.gov/recommendations/?priority=1).
    **{word: Priority.HIGH for word in ("yes", "y", "true", "x", "priority", "priority rec",
                                        "priority recommendation")},
    **{word: Priority.MEDIUM for word in ("no", "n", "false", "not priority")},
}  # fmt: skip


def read_priority(
    value: object, extra_words: Mapping[str, Priority] | None = None
) -> Priority | ValueProblem | None:
    """High, medium or low (also H/M/L, 1/2/3 with 1 the highest, and the audit gradings
    above); a yes/no flag reads as high/medium. None when blank. `extra_words` holds the
    user's own readings, keyed by the word as `normalise_words` gives it: they win."""
    text = cell_text(value)
    if text is None:
        return None
    words = normalise_words(text)
    if extra_words and words in extra_words:
        return extra_words[words]
    found = PRIORITY_WORDS.get(words) or PRIORITY_FLAG_WORDS.get(words)
    if found is None:
        return ValueProblem(f"{text} is not a priority. Use High, Medium or Low.")
    return found


@dataclass(frozen=True)
class AcceptanceReading:
    """The council's response to a recommendation, with the "in principle" flag DOMAIN.md keeps
    visible."""

    acceptance: Acceptance
    in_principle: bool = False


# Acceptance words: council responses to scrutiny ("Accepted", "Agreed", "Partially accepted",
# "Noted"), government responses to select committees ("The Government accepts / partially
# accepts / does not accept / notes this recommendation"), and audit bodies' management
# responses ("Agreed", "Concur", GAO's "concurred", "did not concur", UN's "The Administration
# agreed with the recommendation").
ACCEPTANCE_WORDS: dict[str, AcceptanceReading] = {
    **{normalise_words(a.label): AcceptanceReading(a) for a in Acceptance},
    **{
        normalise_words(word): reading
        for reading, words in (
            (AcceptanceReading(Acceptance.ACCEPTED),
             ("yes", "y", "accepted", "accept", "accepts", "agreed", "agree", "agrees",
              "true", "approved", "supported", "support", "concur", "concurred", "concurs",
              "fully accepted", "accepted in full", "agreed in full", "fully agreed")),
            (AcceptanceReading(Acceptance.NOT_ACCEPTED),
             ("no", "n", "not accepted", "rejected", "declined", "false", "not agreed",
              "disagree", "disagreed", "disagrees", "does not accept", "do not accept",
              "did not concur", "non concur", "nonconcur", "not supported")),
            (AcceptanceReading(Acceptance.PARTIALLY_ACCEPTED),
             ("partially", "partial", "partly", "in part", "partially agreed",
              "partly accepted", "partially accepted", "partly agreed",
              "accepted in part", "agreed in part", "partially accepts",
              "partially concurred", "partially concur", "partially supported")),
            (AcceptanceReading(Acceptance.ACCEPTED, in_principle=True),
             ("in principle", "accepted in principle", "agreed in principle",
              "yes in principle", "accepts in principle", "supported in principle")),
            (AcceptanceReading(Acceptance.AWAITING_RESPONSE),
             ("awaiting", "awaiting response", "pending", "tbc", "not yet responded",
              "response awaited", "under consideration", "to be confirmed")),
            (AcceptanceReading(Acceptance.NOTED), ("noted", "notes", "note")),
            # The verbs a response uses in a sentence ("The Government rejects this
            # recommendation", "The Council agrees in principle"), which
            # importing.report_sentences.acceptance_in_words reads from government and council
            # responses to committee reports.
            (AcceptanceReading(Acceptance.NOT_ACCEPTED),
             ("rejects", "reject", "does not agree", "do not agree")),
            (AcceptanceReading(Acceptance.PARTIALLY_ACCEPTED),
             ("partially agrees", "partially agree", "partially accept")),
            (AcceptanceReading(Acceptance.ACCEPTED, in_principle=True),
             ("agrees in principle", "agree in principle", "accept in principle")),
        )
        for word in words
    },
}  # fmt: skip


def acceptance_of_word(text: str | None) -> AcceptanceReading | None:
    """The acceptance a whole cell's (or a report's "Response: Accepted") words mean; None
    when they are not an answer the tracker knows."""
    if not text:
        return None
    return ACCEPTANCE_WORDS.get(normalise_words(text))


def read_acceptance(value: object) -> AcceptanceReading | ValueProblem | None:
    """Accepted, partially accepted, not accepted, noted, awaiting response, or accepted in
    principle (Yes/No too); None when blank."""
    text = cell_text(value)
    if text is None:
        return None
    found = acceptance_of_word(text)
    if found is None:
        return ValueProblem(
            f"{text} is not an answer the tracker knows. Use Accepted, Accepted in principle, "
            "Partially accepted, Not accepted, Noted or Awaiting response (Yes or No will do)."
        )
    return found
