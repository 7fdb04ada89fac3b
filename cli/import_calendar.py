"""Import a committee's meeting dates from an iCalendar (.ics) or CSV file.

    python -m data_access.import_calendar FILE --committee NAME
        [--match TEXT | --all-events] [--create] [--dry-run]

Only adds: a date already in the tracker is left alone (so importing the same file again
changes nothing), and a meeting in the tracker but not in the file is reported, never
deleted. A file with any problem writes nothing. Exit status: 0 imported (or dry run
clean), 1 the file or the committee refused (nothing written), 2 usage or database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cli import open_configured_tracker, read_input
from data_access.committees import (
    CalendarPlan,
    CommitteeChangeRefused,
    add_committee,
    apply_calendar,
    committee_by_name,
    plan_calendar,
)
from domain.formatting import short_date
from importing.calendar_file import (
    CalendarEvent,
    CalendarReading,
    events_for_committee,
    read_calendar,
)
from importing.words import normalise_words

# Dates listed in full up to this many; beyond, the first ones and a count.
LISTED_DATES = 12


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.import_calendar",
        description=(
            "Add a committee's meeting dates from its calendar: an iCalendar file (.ics, as "
            "committee management systems such as ModernGov publish) or a CSV with a column "
            "of dates. Dates already in the tracker are left alone; meetings in the tracker "
            "but not in the file are reported, never deleted. A file with problems writes "
            "nothing. The database is DATABASE_URL, or the built-in one. Exit status: 0 "
            "imported (or dry run clean), 1 refused (nothing written), 2 usage."
        ),
    )
    parser.add_argument("file", type=Path, help="the calendar, .ics or .csv")
    parser.add_argument(
        "--committee", required=True, help="the committee the meetings belong to (any case)"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--match",
        help="when the calendar holds several committees: import the events whose title "
        "contains this text (default: the committee's name)",
    )
    which.add_argument(
        "--all-events", action="store_true", help="import every event in the calendar"
    )
    parser.add_argument(
        "--create",
        action="store_true",
        help="add the committee if the tracker has none by that name",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    return parser


def chosen_events(
    reading: CalendarReading, committee: str, match: str | None, all_events: bool
) -> tuple[tuple[CalendarEvent, ...], str | None, bool]:
    """(events to import, a note or refusal, whether it is a refusal)."""
    if all_events:
        return reading.events, None, False
    if match:
        wanted = normalise_words(match)
        kept = tuple(e for e in reading.events if wanted and wanted in normalise_words(e.title))
        if not kept:
            return (), f'No event title in the calendar contains "{match}".', True
        left_out = len(reading.events) - len(kept)
        return kept, (f"{left_out} other event(s) left out." if left_out else None), False
    kept, note = events_for_committee(reading, committee)
    if not kept:
        return (), f"{note} Use --match TEXT to pick them, or --all-events.", True
    return kept, note, False


def _dates(days: Sequence[date]) -> str:
    shown = ", ".join(short_date(day) for day in days[:LISTED_DATES])
    more = f" and {len(days) - LISTED_DATES} more" if len(days) > LISTED_DATES else ""
    return f"{shown}{more}"


def describe(plan: CalendarPlan, *, applied: bool) -> list[str]:
    """The plan (or what was done) in lines for the terminal."""
    verb = "Added" if applied else "Would add"
    lines = [f"Calendar for {plan.committee_name}:"]
    lines.append(
        f"  {verb} {len(plan.to_add)} meeting date(s)"
        + (f": {_dates(plan.to_add)}" if plan.to_add else "")
    )
    lines.append(f"  Already in the tracker: {len(plan.already_there)}")
    if plan.only_in_tracker:
        lines.append(
            f"  In the tracker but not in the file (kept, not deleted): "
            f"{len(plan.only_in_tracker)}: {_dates(plan.only_in_tracker)}"
        )
    if applied and not plan.to_add:
        lines.append("  Nothing changed: every date in the file was already there.")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data = read_input(args.file)
    if data is None:
        return 2
    reading = read_calendar(data, args.file.name)
    if reading.problems:
        for problem in reading.problems:
            print(problem, file=sys.stderr)
        print("Nothing was imported.", file=sys.stderr)
        return 1
    events, note, refused = chosen_events(reading, args.committee, args.match, args.all_events)
    if refused:
        print(f"{args.file.name}: {note} Nothing was imported.", file=sys.stderr)
        return 1
    for line in (*reading.notes, *([note] if note else [])):
        print(line)
    engine = open_configured_tracker()
    if engine is None:
        return 2
    try:
        with engine.begin() as conn:
            found = committee_by_name(conn, args.committee)
            if found is None and not args.create:
                print(
                    f'There is no committee called "{args.committee}" in the tracker. Check '
                    "the name (the Committees page lists them), or add it with --create. "
                    "Nothing was imported.",
                    file=sys.stderr,
                )
                return 1
            days = [event.day for event in events]
            if args.dry_run:
                if found is None:  # nothing to compare with: every date would be new
                    name = " ".join(args.committee.split())
                    print(f"Would add the committee {name}.")
                    plan = CalendarPlan(0, name, tuple(sorted(set(days))), (), ())
                else:
                    plan = plan_calendar(conn, found[0], days)
                print("\n".join(describe(plan, applied=False)))
                return 0
            committee_id = found[0] if found else add_committee(conn, args.committee)
            plan = plan_calendar(conn, committee_id, days)
            apply_calendar(conn, plan)
    except CommitteeChangeRefused as refused_change:
        print(f"{refused_change}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(describe(plan, applied=True)))
    return 0
