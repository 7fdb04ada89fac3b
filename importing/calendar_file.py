"""Reading a committee's meeting dates from a calendar file: bytes in, dates and problems out.

Two kinds of file, because those are what councils have:

- an iCalendar file (.ics), as committee management systems (ModernGov and others) publish
  for subscribing to a committee's meetings; read with the maintained `icalendar` library.
  Each VEVENT's DTSTART gives the meeting day (a date, or a date-time in its own time zone;
  a UTC time is read as a UK day, since these are UK councils' meetings), its SUMMARY the
  title used to pick one committee's meetings out of a calendar that holds several.
  Cancelled events (STATUS:CANCELLED) are left out and counted.
- a CSV with a column of dates (a "Date" column, or the first column), one meeting a row,
  read the British way by the shared date reader (`importing.words.read_date`);
  council calendars often write "Tuesday, 12th March, 2024 7.00 pm", so a leading weekday
  and a trailing time are set aside first.

Nothing here touches the database: the plan (dates to add, already there, only in the
tracker) is `data_access.committees.plan_calendar`. Every refusal says what to do.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from importing.words import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    ValueProblem,
    blank,
    normalise_words,
    read_date,
)

__all__ = [
    "CALENDAR_SUFFIXES",
    "MAX_CALENDAR_BYTES",
    "MAX_MEETINGS",
    "CalendarEvent",
    "CalendarReading",
    "events_for_committee",
    "read_calendar",
]

CALENDAR_SUFFIXES = (".ics", ".csv")
# A committee's calendar for several years is a few kilobytes; a whole council's ModernGov
# calendar a few hundred. Anything much bigger is not a calendar of meetings.
MAX_CALENDAR_BYTES = 2_000_000
# More meeting dates than any committee has (weekly for 40 years is about 2,000).
MAX_MEETINGS = 2_000
UK_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting read from the file: its day, its title (may be empty), where it was."""

    day: date
    title: str
    where: str  # "event 3" or "row 5", for messages


@dataclass(frozen=True)
class CalendarReading:
    """What a calendar file holds: its meetings, what stops it being used, and notes.

    `problems` are refusals (nothing may be written while there are any); `notes` say what
    was passed over on purpose (cancelled events, blank rows) so the officer can check."""

    file_name: str
    kind: str  # "iCalendar" or "CSV"
    events: tuple[CalendarEvent, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def days(self) -> tuple[date, ...]:
        """The distinct meeting days, in order."""
        return tuple(sorted({event.day for event in self.events}))

    @property
    def titles(self) -> tuple[str, ...]:
        """The distinct event titles, in order of first appearance."""
        return tuple(dict.fromkeys(event.title for event in self.events))


def read_calendar(data: bytes, file_name: str) -> CalendarReading:
    """The meetings in a calendar file (.ics or .csv), or the problems that stop it."""
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    looks_ical = data.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR")
    kind = "iCalendar" if suffix == "ics" or (suffix != "csv" and looks_ical) else "CSV"

    def refuse(message: str) -> CalendarReading:
        return CalendarReading(file_name, kind, problems=(f"{file_name}: {message}",))

    if not data.strip():
        return refuse("the file is empty. Choose the calendar file itself (.ics or .csv).")
    if len(data) > MAX_CALENDAR_BYTES:
        return refuse(
            f"the file is {len(data) / 1_000_000:.1f} MB; a calendar of meetings is at most "
            f"{MAX_CALENDAR_BYTES // 1_000_000} MB. Export only this committee's meetings."
        )
    if b"\x00" in data:
        return refuse(
            "this is not a text file (it holds binary data). Export the calendar as "
            "iCalendar (.ics) or save the dates as CSV."
        )
    if suffix not in ("ics", "csv") and not looks_ical:
        return refuse(
            "only iCalendar (.ics) and CSV (.csv) calendars can be read. Export the "
            "committee's calendar as .ics, or save the dates as CSV."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if kind == "iCalendar":
            return refuse(
                "the file is not UTF-8 text, as iCalendar files must be. Export it again."
            )
        text = data.decode("cp1252", errors="replace")  # Excel's CSV on Windows
    if kind == "iCalendar":
        return _read_ical(text, file_name)
    return _read_csv(text, file_name)


def events_for_committee(
    reading: CalendarReading, committee_name: str
) -> tuple[tuple[CalendarEvent, ...], str | None]:
    """The events of one committee, from a calendar that may hold several.

    A calendar whose events all share one title (or have none) is one committee's: all of
    it. Otherwise the events whose title contains the committee's name (in any case and
    punctuation) are kept; if none does, nothing is kept and the second value says why and
    what to do (choose the titles to import). The second value also notes what was left out.
    """
    titles = [title for title in reading.titles if title]
    if len(titles) <= 1:
        return reading.events, None
    wanted = normalise_words(committee_name)
    kept = tuple(
        event for event in reading.events if wanted and wanted in normalise_words(event.title)
    )
    if not kept:
        shown = "; ".join(f'"{title}"' for title in titles[:5])
        more = f" and {len(titles) - 5} more" if len(titles) > 5 else ""
        return (), (
            f"The calendar holds events with {len(titles)} different titles ({shown}{more}) and "
            f'none names "{committee_name}". Choose the titles of this committee\'s meetings.'
        )
    left_out = len(reading.events) - len(kept)
    note = (
        f"{left_out} event(s) whose title does not name {committee_name} were left out."
        if left_out
        else None
    )
    return kept, note


# --- iCalendar -------------------------------------------------------------------------------


def _read_ical(text: str, file_name: str) -> CalendarReading:
    import icalendar  # imported here: only calendar imports need it

    kind = "iCalendar"
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as error:  # the library raises ValueError, KeyError, IndexError...
        first_line = str(error).strip().splitlines()[0][:160] if str(error).strip() else ""
        detail = f" ({first_line})" if first_line else ""
        return CalendarReading(
            file_name,
            kind,
            problems=(
                f"{file_name}: this is not an iCalendar file the tracker can read{detail}. "
                "Download the committee's calendar again (.ics), or save the dates as CSV.",
            ),
        )
    if getattr(calendar, "name", "").upper() != "VCALENDAR":
        return CalendarReading(
            file_name,
            kind,
            problems=(f"{file_name}: the file does not start with BEGIN:VCALENDAR.",),
        )
    events: list[CalendarEvent] = []
    problems: list[str] = []
    cancelled = 0
    repeating = 0
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        title = " ".join(str(component.get("SUMMARY", "") or "").split())
        where = f"event {number}{f' ({title})' if title else ''}"
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            cancelled += 1
            continue
        start = component.get("DTSTART")
        if start is None:
            problems.append(f"{file_name}, {where}: it has no start date (DTSTART).")
            continue
        try:
            day = _meeting_day(start.dt)
        except (AttributeError, TypeError, ValueError):
            problems.append(f"{file_name}, {where}: its start date cannot be read.")
            continue
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            problems.append(
                f"{file_name}, {where}: {day.isoformat()} is not a believable meeting date "
                f"(the year must be between {EARLIEST_YEAR} and {LATEST_YEAR})."
            )
            continue
        if component.get("RRULE") is not None:
            repeating += 1
        events.append(CalendarEvent(day, title, where))
        if len(events) > MAX_MEETINGS:
            return CalendarReading(
                file_name,
                kind,
                problems=(
                    f"{file_name}: more than {MAX_MEETINGS:,} events; a committee has fewer "
                    "meetings. Export only this committee's calendar.",
                ),
            )
    notes = []
    if cancelled:
        notes.append(f"{cancelled} cancelled event(s) were left out.")
    if repeating:
        notes.append(
            f"{repeating} event(s) repeat (RRULE): only the first date of each was read. "
            "Add the later meetings one at a time, or export the calendar with each meeting."
        )
    if not events and not problems:
        problems.append(
            f"{file_name}: the calendar holds no meetings (no events with a start date). "
            "Check that it is the committee's calendar of meetings."
        )
    return CalendarReading(file_name, kind, tuple(events), tuple(problems), tuple(notes))


def _meeting_day(start: date | datetime) -> date:
    """The day of a DTSTART: a date as it is; a date-time on the day its own zone gives it
    (a meeting at 7 pm in Europe/London is that day), a UTC time as a UK day."""
    if isinstance(start, datetime):
        if start.tzinfo is not None and start.tzname() in ("UTC", "Z"):
            return start.astimezone(UK_TIME).date()
        return start.date()
    if isinstance(start, date):
        return start
    raise TypeError(f"not a date: {start!r}")


# --- CSV -------------------------------------------------------------------------------------

_WEEKDAY = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?\s+",
    re.IGNORECASE,
)
# "7.00 pm", "10:30am", "18:30" at the end of a date cell.
_TIME = re.compile(r"[,\s]+\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)
_MONTH_ONLY = re.compile(r"^[a-z]+\.?,?[\s\-/.]+\d{2,4}$", re.IGNORECASE)
_DATE_HEADER = re.compile(r"\bdate\b|\bmeeting\b|\bday\b|\bwhen\b", re.IGNORECASE)
_TITLE_HEADER = re.compile(r"\b(committee|title|meeting|name|body|summary)\b", re.IGNORECASE)


def _date_text(cell: str) -> str:
    """A date cell with a leading weekday and a trailing time set aside."""
    text = _WEEKDAY.sub("", cell.strip())
    if re.search(r"\d{4}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}", text):
        year_end = max(
            (m.end() for m in re.finditer(r"\d{4}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}", text)),
            default=len(text),
        )
        tail = text[year_end:]
        if _TIME.fullmatch(tail) or re.fullmatch(r"[,\s]*", tail):
            text = text[:year_end]
    return text.strip().rstrip(",")


def _read_csv(text: str, file_name: str) -> CalendarReading:
    kind = "CSV"
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        return CalendarReading(
            file_name, kind, problems=(f"{file_name}: this CSV cannot be read ({error}).",)
        )
    # (row number in the file, cells), blank rows left out but counted in the numbering.
    numbered = [
        (number, row)
        for number, row in enumerate(rows, start=1)
        if any(not blank(cell) for cell in row)
    ]
    if not numbered:
        return CalendarReading(file_name, kind, problems=(f"{file_name}: the file is empty.",))
    header = [cell.strip() for cell in numbered[0][1]]
    has_header = not isinstance(read_date(_date_text(header[0])) if header else None, date)
    if has_header:
        date_column = next((i for i, name in enumerate(header) if _DATE_HEADER.search(name)), 0)
        title_column = next(
            (i for i, name in enumerate(header) if i != date_column and _TITLE_HEADER.search(name)),
            None,
        )
        body = numbered[1:]
        column_name = header[date_column] or f"column {date_column + 1}"
    else:
        date_column, title_column, body = 0, None, numbered
        column_name = "column 1"
    events: list[CalendarEvent] = []
    problems: list[str] = []
    blanks = 0
    for number, row in body:
        cell = row[date_column] if date_column < len(row) else ""
        if blank(cell):
            blanks += 1
            continue
        where = f"row {number}"
        cleaned = _date_text(cell)
        value = read_date(cleaned)
        if isinstance(value, ValueProblem):
            problems.append(f'{file_name}, {where}, column "{column_name}": {value.message}')
            continue
        if value is None:
            problems.append(
                f'{file_name}, {where}, column "{column_name}": "{cell.strip()}" is not a '
                "meeting date. Write it like 12/03/2024 or 12 March 2024."
            )
            continue
        if _MONTH_ONLY.match(cleaned):
            problems.append(
                f'{file_name}, {where}, column "{column_name}": "{cell.strip()}" names a month, '
                "not a day. Give the meeting's day, like 12 March 2024."
            )
            continue
        title = ""
        if title_column is not None and title_column < len(row):
            title = " ".join(row[title_column].split())
        events.append(CalendarEvent(value, title, where))
        if len(events) > MAX_MEETINGS:
            return CalendarReading(
                file_name,
                kind,
                problems=(f"{file_name}: more than {MAX_MEETINGS:,} dates; is it a calendar?",),
            )
    notes = (f"{blanks} row(s) with no date were passed over.",) if blanks else ()
    if not events and not problems:
        problems.append(f"{file_name}: no meeting dates were found in column {column_name}.")
    return CalendarReading(file_name, kind, tuple(events), tuple(problems), notes)
