"""Reading the values councils type into tracker cells: dates, statuses, priorities, answers.

Each reader takes a raw cell (text, number, datetime or None) and returns either the value or a
`ValueProblem` saying, in a sentence for an officer, what is wrong with it. None always means
"the cell is blank": the caller decides what a blank means (no change, or a default).

Decisions an officer would otherwise have to guess (each tested):

- Dates are British: `12/02/2019` is 12 February. `12 Feb 2019`, `12th February 2019`,
  `2019-02-12` and Excel's own date cells and serial numbers (`43508`) are read too. A month
  alone (`February 2019`, `Feb-19`) means the end of that month: a target "by February" is met
  on its last day. "TBC", "N/A" and a dash mean no date.
- Statuses are DOMAIN.md's six. "Complete", "Completed", "Done" and "Implemented" are
  *implemented* (officers report it done; the committee has not yet signed it off): only
  "Closed" or "Signed off" closes an item. "Ongoing", "On track", "Started" are *in progress*.
- "Overdue", "Paused", "Delayed", "Behind schedule" and "At risk" are not statuses: whether an
  item is overdue follows from its target date, and a paused item is still open. They are read
  as *in progress* and each such reading comes back with a note, so the preview tells the user.
- RAG colours (Red, Amber, Green, Blue) are not statuses either: the tracker works RAG out
  itself (DOMAIN.md: computed, never typed in). A status cell holding a colour is not mapped;
  the problem says to give the status, or to map that column to RAG instead.
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
    "AcceptanceReading",
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
    read, `importing.spreadsheet.unguard_csv_cell`; any other apostrophe is the officer's.)
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
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?[\s\-/.]+(\d{2}|\d{4})$")
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


# --- Statuses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusReading:
    """A status read from a cell, with a note when the word was not itself a status."""

    status: Status
    note: str | None = None


def _words(mapping: Mapping[Status, tuple[str, ...]]) -> dict[str, Status]:
    return {normalise_words(word): status for status, words in mapping.items() for word in words}


STATUS_WORDS: dict[str, Status] = {
    **{normalise_words(label): status for status, label in STATUS_LABELS.items()},
    **{normalise_words(status.value): status for status in Status},
    **_words(
        {
            Status.NOT_STARTED: ("not started", "not yet started", "not commenced", "to start"),
            Status.IN_PROGRESS: (
                "in progress",
                "ongoing",
                "on going",
                "on track",
                "started",
                "underway",
                "under way",
                "in hand",
                "partially implemented",
                "partly implemented",
                "progressing",
                "wip",
                "work in progress",
            ),
            Status.IMPLEMENTED: (
                "complete",
                "completed",
                "implemented",
                "done",
                "achieved",
                "finished",
                "fully implemented",
                "actioned",
                "implemented awaiting sign off",
            ),
            Status.CLOSED: ("closed", "signed off", "closed complete", "complete closed"),
            Status.SUPERSEDED: (
                "superseded",
                "replaced",
                "no longer relevant",
                "no longer applicable",
            ),
            Status.NOT_IMPLEMENTED: (
                "not implemented",
                "will not be implemented",
                "not to be implemented",
                "closed not implemented",
                "rejected",
                "cancelled",
                "canceled",
                "withdrawn",
            ),
        }
    ),  # fmt: skip
}
# Words that describe how an open item is going rather than a status: read as in progress.
OPEN_ITEM_WORDS: dict[str, str] = {
    "overdue": "the tracker works out what is overdue from the target date",
    "paused": "a paused recommendation is still open",
    "on hold": "a recommendation on hold is still open",
    "delayed": "the tracker shows slippage from the target dates",
    "behind schedule": "the tracker shows slippage from the target dates",
    "at risk": "the tracker works out the RAG rating itself",
    "off track": "the tracker works out the RAG rating itself",
}
RAG_WORDS = frozenset({"red", "amber", "green", "blue", "grey", "gray", "r", "a", "g", "b"})


def read_status(
    value: object, extra_words: Mapping[str, Status] | None = None
) -> StatusReading | ValueProblem | None:
    """The DOMAIN.md status a cell's word means (see the module docstring); None when blank.

    `extra_words` holds the user's own readings of words the tracker does not know (the import
    page lets them choose), keyed by the word as `normalise_words` gives it."""
    text = cell_text(value)
    if text is None:
        return None
    words = normalise_words(text)
    if extra_words and words in extra_words:
        return StatusReading(extra_words[words])
    if words in STATUS_WORDS:
        return StatusReading(STATUS_WORDS[words])
    if words in OPEN_ITEM_WORDS:
        return StatusReading(
            Status.IN_PROGRESS,
            f'"{text}" is not a status ({OPEN_ITEM_WORDS[words]}): read as In progress.',
        )
    choices = ", ".join(label for label in STATUS_LABELS.values())
    if words in RAG_WORDS:
        return ValueProblem(
            f"{text} is a RAG rating, not a status: the tracker works RAG out for itself. "
            f"Give the status ({choices}), or map this column to RAG."
        )
    return ValueProblem(f"{text} is not a status the tracker knows. Use one of: {choices}.")


# --- Priority and acceptance ------------------------------------------------------------------

PRIORITY_WORDS: dict[str, Priority] = {
    **{normalise_words(p.value): p for p in Priority},
    "h": Priority.HIGH, "m": Priority.MEDIUM, "l": Priority.LOW,
    "1": Priority.HIGH, "2": Priority.MEDIUM, "3": Priority.LOW,
    "p1": Priority.HIGH, "p2": Priority.MEDIUM, "p3": Priority.LOW,
    "priority 1": Priority.HIGH, "priority 2": Priority.MEDIUM, "priority 3": Priority.LOW,
    "high priority": Priority.HIGH, "medium priority": Priority.MEDIUM,
    "low priority": Priority.LOW, "urgent": Priority.HIGH, "med": Priority.MEDIUM,
}  # fmt: skip


def read_priority(value: object) -> Priority | ValueProblem | None:
    """High, medium or low (also H/M/L and 1/2/3, 1 the highest); None when blank."""
    text = cell_text(value)
    if text is None:
        return None
    found = PRIORITY_WORDS.get(normalise_words(text))
    if found is None:
        return ValueProblem(f"{text} is not a priority. Use High, Medium or Low.")
    return found


@dataclass(frozen=True)
class AcceptanceReading:
    """The council's response to a recommendation, with the "in principle" flag DOMAIN.md keeps
    visible."""

    acceptance: Acceptance
    in_principle: bool = False


ACCEPTANCE_WORDS: dict[str, AcceptanceReading] = {
    **{normalise_words(a.label): AcceptanceReading(a) for a in Acceptance},
    **{
        word: AcceptanceReading(Acceptance.ACCEPTED)
        for word in ("yes", "y", "accepted", "accept", "agreed", "agree", "true", "approved")
    },
    **{
        word: AcceptanceReading(Acceptance.NOT_ACCEPTED)
        for word in ("no", "n", "not accepted", "rejected", "declined", "false", "not agreed")
    },
    **{
        word: AcceptanceReading(Acceptance.PARTIALLY_ACCEPTED)
        for word in ("partially", "partial", "partly", "in part", "partially agreed",
                     "partly accepted", "partially accepted")
    },
    **{
        word: AcceptanceReading(Acceptance.ACCEPTED, in_principle=True)
        for word in ("in principle", "accepted in principle", "agreed in principle",
                     "yes in principle")
    },
    **{
        word: AcceptanceReading(Acceptance.AWAITING_RESPONSE)
        for word in ("awaiting", "awaiting response", "pending", "tbc", "not yet responded")
    },
    "noted": AcceptanceReading(Acceptance.NOTED),
}  # fmt: skip


def read_acceptance(value: object) -> AcceptanceReading | ValueProblem | None:
    """Accepted, partially accepted, not accepted, noted, awaiting response, or accepted in
    principle (Yes/No too); None when blank."""
    text = cell_text(value)
    if text is None:
        return None
    found = ACCEPTANCE_WORDS.get(normalise_words(text))
    if found is None:
        return ValueProblem(
            f"{text} is not an answer the tracker knows. Use Accepted, Accepted in principle, "
            "Partially accepted, Not accepted, Noted or Awaiting response (Yes or No will do)."
        )
    return found
