"""`python -m bench.tracker_import`: how long a 10,000-row tracker takes to import.

Builds a demo council of 100 recommendations in a temporary folder, writes a realistic
10,000-row .xlsx tracker (title row, mixed date formats, status words, a RAG key) and times,
from the bytes to the end of the transaction:

- the dry run (read and check the file, plan every row against the database);
- the real import into a new source (the same, then writing every row in one transaction);
- importing the same file again (every row unchanged: nothing written).

Target (issue 3): under 10 s for the dry run and the real import.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROWS = 10_000
TARGET_SECONDS = 10.0
STATUSES = ("Not started", "In progress", "Ongoing", "On track", "Complete", "Implemented")
DIRECTORATES = ("Adults", "Children's Services", "Housing", "Resources", "Place")


def build_tracker(
    path: Path, rows: int = ROWS, seed: int = 2019, note: str = "Progress note"
) -> None:
    """A council-style .xlsx tracker of `rows` recommendations."""
    from openpyxl import Workbook

    chance = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tracker")
    sheet.append(["Corporate recommendations tracker"])
    sheet.append([])
    sheet.append(
        [
            "Rec No",
            "Recommendation",
            "Responsible Officer",
            "Service",
            "Priority",
            "Due Date",
            "Status",
            "RAG",
            "Progress / Comments",
        ]
    )
    start = date(2024, 4, 1)
    for number in range(1, rows + 1):
        target = start + timedelta(days=chance.randint(0, 900))
        written = chance.choice((target, target.strftime("%d/%m/%Y"), target.strftime("%d %b %Y")))
        sheet.append(
            [
                f"R{number}",
                f"Recommendation {number}: review the arrangements for service {number % 97} "
                "and report the findings to the committee.",
                f"Officer {number % 150}",
                chance.choice(DIRECTORATES),
                chance.choice(("High", "Medium", "Low")),
                written,
                chance.choice(STATUSES),
                chance.choice(("Red", "Amber", "Green")),
                f"{note} for recommendation {number}.",
            ]
        )
    sheet.append([])
    sheet.append(["Key"])
    sheet.append(["Red", "Overdue"])
    sheet.append(["Green", "On track"])
    workbook.save(path)


def measure(rows: int = ROWS) -> list[dict[str, Any]]:
    """Seconds for the dry run, the real import and a repeat import of a `rows`-row tracker."""
    from data_access.db import open_tracker
    from data_access.import_tracker import ImportOptions, apply_import, plan_import
    from demo import build_demo_database
    from importing.spreadsheet import read_tracker

    label = f"{rows:,}-row tracker"
    with tempfile.TemporaryDirectory(prefix="tracker-import-") as folder:
        database = Path(folder) / "bench.db"
        tracker = Path(folder) / "tracker.xlsx"
        url = f"sqlite:///{database}"
        build_demo_database(url, recommendations=100, seed=2019, today=date.today())
        build_tracker(tracker, rows)
        data = tracker.read_bytes()
        options = ImportOptions(
            source_title="Corporate recommendations tracker",
            committee="Corporate Overview and Scrutiny Committee",
            date_issued=date(2024, 1, 15),
        )
        engine, _ = open_tracker(url)
        try:
            started = time.perf_counter()
            parsed = read_tracker(data, tracker.name)
            with engine.connect() as conn:
                plan = plan_import(conn, parsed, options)
            dry_run = time.perf_counter() - started
            assert plan.can_apply, plan.problems[:3]

            started = time.perf_counter()
            parsed = read_tracker(data, tracker.name)
            with engine.begin() as conn:
                result = apply_import(conn, plan_import(conn, parsed, options))
            real = time.perf_counter() - started
            assert result.created == rows, result

            started = time.perf_counter()
            parsed = read_tracker(data, tracker.name)
            with engine.begin() as conn:
                again = apply_import(conn, plan_import(conn, parsed, options))
            repeat = time.perf_counter() - started
            assert again.unchanged == rows and again.updates_written == 0, again

            # A newer file: another seed changes targets, statuses and every progress note.
            newer = Path(folder) / "tracker-newer.xlsx"
            build_tracker(newer, rows, seed=2020, note="Newer progress note")
            started = time.perf_counter()
            parsed = read_tracker(newer.read_bytes(), newer.name)
            with engine.begin() as conn:
                changed = apply_import(conn, plan_import(conn, parsed, options))
            newer_seconds = time.perf_counter() - started
            assert changed.changed == rows, changed
        finally:
            engine.dispose()
    return [
        {"task": f"import {label} (dry run)", "seconds": round(dry_run, 2)},
        {"task": f"import {label} (real)", "seconds": round(real, 2)},
        {"task": f"import {label} again (all unchanged)", "seconds": round(repeat, 2)},
        {"task": f"import a newer {label} (every row changed)", "seconds": round(newer_seconds, 2)},
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tracker_import", description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows (default {ROWS:,})")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    results = measure(args.rows)
    for entry in results:
        flag = (
            "" if entry["seconds"] < TARGET_SECONDS else f"  (over the {TARGET_SECONDS:g} s target)"
        )
        print(f"{entry['task']:<50} {entry['seconds']:>7.2f} s{flag}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
