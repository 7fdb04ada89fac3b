"""Reading meeting dates from calendar files: real published .ics excerpts, CSVs as councils
keep them, and hostile files that must be refused with a clear sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from importing.calendar_file import (
    MAX_CALENDAR_BYTES,
    CalendarEvent,
    CalendarReading,
    events_for_committee,
    read_calendar,
)

CALENDARS = Path(__file__).resolve().parent / "fixtures" / "calendars"


def ics(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{header}{body}END:VCALENDAR\r\n".encode()


def test_a_real_council_meeting_calendar_gives_its_day_and_title() -> None:
    data = (CALENDARS / "akron-council-meeting.ics").read_bytes()
    reading = read_calendar(data, "akron-council-meeting.ics")
    assert reading.problems == ()
    assert reading.kind == "iCalendar"
    # DTSTART;TZID=America/Detroit:20260202T183000: the meeting's own day, 2 February 2026.
    assert reading.days == (date(2026, 2, 2),)
    assert reading.titles == ("Regular Council meeting",)


def test_a_real_europe_london_feed_reads_the_day_in_its_zone() -> None:
    data = (CALENDARS / "monlife-abergavenny-europe-london.ics").read_bytes()
    reading = read_calendar(data, "monlife.ics")
    assert reading.problems == ()
    assert reading.days == (date(2025, 8, 26),)
    assert reading.titles == ("Craft drop in session",)


def test_dates_date_times_and_utc_times_each_give_the_uk_meeting_day() -> None:
    data = ics(
        "SUMMARY:Audit Committee\r\nDTSTART;VALUE=DATE:20250312",
        "SUMMARY:Audit Committee\r\nDTSTART;TZID=Europe/London:20250611T190000",
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the UK day counts.
        "SUMMARY:Audit Committee\r\nDTSTART:20250630T233000Z",
        "SUMMARY:Audit Committee\r\nDTSTART:20251105T183000",  # floating local time
    )
    reading = read_calendar(data, "audit.ics")
    assert reading.problems == ()
    assert reading.days == (
        date(2025, 3, 12),
        date(2025, 6, 11),
        date(2025, 7, 1),
        date(2025, 11, 5),
    )


def test_cancelled_meetings_are_left_out_and_counted() -> None:
    data = ics(
        "SUMMARY:Cabinet\r\nDTSTART;VALUE=DATE:20250312",
        "SUMMARY:Cabinet\r\nSTATUS:CANCELLED\r\nDTSTART;VALUE=DATE:20250409",
    )
    reading = read_calendar(data, "cabinet.ics")
    assert reading.days == (date(2025, 3, 12),)
    assert any("1 cancelled" in note for note in reading.notes)


def test_a_calendar_of_several_committees_keeps_the_named_one() -> None:
    reading = read_calendar(
        ics(
            "SUMMARY:Audit and Governance Committee\r\nDTSTART;VALUE=DATE:20250312",
            "SUMMARY:Cabinet\r\nDTSTART;VALUE=DATE:20250313",
            "SUMMARY:Audit & Governance Committee - Special\r\nDTSTART;VALUE=DATE:20250401",
        ),
        "council.ics",
    )
    kept, note = events_for_committee(reading, "Audit and Governance Committee")
    assert [event.day for event in kept] == [date(2025, 3, 12), date(2025, 4, 1)]
    assert note is not None and note.startswith("1 event")
    kept, note = events_for_committee(reading, "Planning Committee")
    assert kept == ()
    assert note is not None and '"Cabinet"' in note and "Planning Committee" in note


def test_a_one_committee_calendar_is_taken_whole_whatever_its_titles_say() -> None:
    reading = CalendarReading(
        "a.ics", "iCalendar", (CalendarEvent(date(2026, 2, 2), "Regular Council meeting", "e1"),)
    )
    kept, note = events_for_committee(reading, "Akron City Council")
    assert kept == reading.events and note is None


def test_a_csv_of_dates_as_councils_write_them() -> None:
    data = (
        b"Committee,Date\r\n"
        b'Audit Committee,"Tuesday, 11th March, 2025 7.00 pm"\r\n'
        b"Audit Committee,10/06/2025\r\n"
        b",\r\n"
        b"Audit Committee,Wed 8 October 2025 10:30am\r\n"
    )
    reading = read_calendar(data, "dates.csv")
    assert reading.problems == ()
    assert reading.days == (date(2025, 3, 11), date(2025, 6, 10), date(2025, 10, 8))
    assert reading.titles == ("Audit Committee",)
    assert [event.where for event in reading.events] == ["row 2", "row 3", "row 5"]


def test_a_csv_without_a_header_reads_its_first_column() -> None:
    reading = read_calendar(b"12/03/2025\n11/06/2025\n", "dates.csv")
    assert reading.days == (date(2025, 3, 12), date(2025, 6, 11))


def test_csv_problems_name_the_row_column_and_value() -> None:
    data = b"Date\n31/02/2025\nMarch 2025\nsoon\n12/03/2025\n"
    reading = read_calendar(data, "dates.csv")
    assert len(reading.problems) == 3
    assert reading.problems[0].startswith('dates.csv, row 2, column "Date": 31/02/2025')
    assert 'row 3, column "Date": "March 2025" names a month, not a day' in reading.problems[1]
    assert "row 4" in reading.problems[2] and "soon" in reading.problems[2]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.ics", b"", "the file is empty"),
        ("blank.csv", b"  \r\n ", "the file is empty"),
        ("minutes.ics", b"%PDF-1.7\x00\x01\x02binary", "not a text file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        ("notes.txt", b"Meetings: 12 March", "only iCalendar (.ics) and CSV (.csv)"),
        ("garbage.ics", b"this is not a calendar at all", "not an iCalendar file"),
        ("latin1.ics", "BEGIN:VCALENDAR\nSUMMARY:Comit\u00e9\n".encode("latin-1"), "not UTF-8"),
        (
            "no-events.ics",
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            "holds no meetings",
        ),
        ("only-event.ics", b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", "BEGIN:VCALENDAR"),
    ],
)
def test_hostile_files_are_refused_with_a_sentence(name: str, data: bytes, expected: str) -> None:
    reading = read_calendar(data, name)
    assert reading.events == ()
    assert len(reading.problems) == 1
    assert reading.problems[0].startswith(f"{name}: ")
    assert expected in reading.problems[0]


def test_a_huge_file_is_refused_before_it_is_parsed() -> None:
    data = b"BEGIN:VCALENDAR\r\n" + b"X-FILLER:" + b"a" * MAX_CALENDAR_BYTES + b"\r\n"
    reading = read_calendar(data, "huge.ics")
    assert reading.events == () and "MB" in reading.problems[0]


def test_events_with_unreadable_or_unbelievable_dates_are_problems() -> None:
    reading = read_calendar(
        ics(
            "SUMMARY:Audit\r\nDTSTART:notadate",
            "SUMMARY:Audit\r\nDTSTART;VALUE=DATE:18500101",
            "SUMMARY:Audit\r\nDTSTART;VALUE=DATE:99990101",
            "SUMMARY:Audit\r\nDTEND;VALUE=DATE:20250101",
            "SUMMARY:Audit\r\nDTSTART;VALUE=DATE:20250312",
        ),
        "odd.ics",
    )
    assert reading.days == (date(2025, 3, 12),)
    assert len(reading.problems) == 4
    assert "event 1 (Audit): its start date cannot be read" in reading.problems[0]
    assert "1850-01-01 is not a believable meeting date" in reading.problems[1]
    assert "9999-01-01" in reading.problems[2]
    assert "no start date (DTSTART)" in reading.problems[3]


def test_a_repeating_event_is_read_once_and_says_so() -> None:
    reading = read_calendar(
        ics("SUMMARY:Panel\r\nDTSTART;VALUE=DATE:20250107\r\nRRULE:FREQ=MONTHLY;COUNT=6"),
        "panel.ics",
    )
    assert reading.days == (date(2025, 1, 7),)
    assert any("repeat (RRULE)" in note for note in reading.notes)
