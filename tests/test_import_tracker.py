"""Importing council trackers: messy spreadsheets read right, bad files refused whole, re-imports
safe. Expected values are worked out by hand from the fixtures built here, never from the code.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import Engine, insert

from cli.import_tracker import main
from data_access.import_tracker import (
    ImportOptions,
    ImportRefused,
    Outcome,
    apply_import,
    plan_import,
)
from data_access.models import ProgressUpdate
from data_access.seed import SEED_SOURCE_TITLE
from data_access.writes import NewRecommendation, add_recommendation
from domain.vocabulary import Acceptance, Priority, Status
from importing.spreadsheet import read_tracker
from importing.spreadsheet_types import UnreadableFile
from importing.tracker_columns import Field, header_field
from importing.words import (
    ValueProblem,
    read_acceptance,
    read_date,
    read_priority,
    read_status,
)

TODAY = date(2026, 11, 26)
COMMITTEE = "Adults and Health Overview and Scrutiny Committee"
ISSUED = date(2024, 1, 15)
NEW_SOURCE = ImportOptions(
    source_title="Adult social care scrutiny review 2024",
    committee=COMMITTEE,
    date_issued=ISSUED,
    today=TODAY,
)


# --- Fixtures: files a council might really send ---------------------------------------------


def messy_workbook() -> bytes:
    """Title rows, a merged title, odd headers, a directorate merged down two rows, a section
    heading merged across, mixed date formats, a blank row, and a RAG key at the bottom."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tracker 2024"
    sheet["A1"] = "Adult Social Care Scrutiny Review – Recommendations Tracker"
    sheet.merge_cells("A1:J1")
    sheet["A2"] = "Position as at October 2024"
    rows = [
        [],
        ["Rec. No.", "RECOMMENDATION", "Responsible Officer", "Service", "Due Date",
         "Revised Date", "Status", "RAG Status", "Progress / Comments", "Priority"],
        ["R1", "Review the carers' assessment backlog.", "Asha Patel", "Adult Social Care",
         datetime(2024, 6, 30), None, "Complete", "Blue",
         "Backlog cleared in June.", "High"],
        ["R2", "Publish the market position statement.", "Tom Briggs", None,
         "12/02/2024", "February 2025", "Overdue", "Red", "Delayed by the consultation.", "M"],
        ["Section B – Commissioning"],
        ["R3", "Re-tender the home care framework.", None, "Commissioning", 45473,
         None, "Ongoing", "Green", None, "low"],
        [],
        ["R4", "Train staff in strengths-based practice.", "Asha Patel", "Adult Social Care",
         "31 Mar 2025", None, "Not started", "Amber", None, None],
        [],
        ["RAG key"],
        ["Red", "Overdue or at risk"],
        ["Green", "On track"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("D5:D6")  # "Adult Social Care" for R1 and R2
    sheet.merge_cells("A7:J7")  # the section heading
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def database_rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the tables an import may write, read with plain sqlite3."""
    path = engine.url.database
    with sqlite3.connect(path) as db:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in (
                "sources",
                "committees",
                "directorates",
                "officers",
                "recommendations",
                "progress_updates",
            )
        }


def run(engine: Engine, data: bytes, name: str, options: ImportOptions = NEW_SOURCE):
    parsed = read_tracker(data, name)
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, options)
        result = apply_import(conn, plan) if plan.can_apply else None
    return plan, result


# --- Reading values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12/02/2019", date(2019, 2, 12)),
        ("12/2/19", date(2019, 2, 12)),
        ("12-02-2019", date(2019, 2, 12)),
        ("12 Feb 2019", date(2019, 2, 12)),
        ("12th February 2019", date(2019, 2, 12)),
        ("February 2019", date(2019, 2, 28)),
        ("Feb-20", date(2020, 2, 29)),
        ("2019-02-12", date(2019, 2, 12)),
        (43508, date(2019, 2, 12)),
        ("43508", date(2019, 2, 12)),
        (datetime(2019, 2, 12, 0, 0), date(2019, 2, 12)),
        ("TBC", None),
        ("  ", None),
        ("N/A", None),
    ],
)
def test_uk_dates_are_read(cell, expected):
    assert read_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("02/13/2019", "no month 13"),
        ("31/02/2019", "no such day"),
        ("next spring", "not a date"),
        ("12/02/1850", "between 1990 and 2100"),
        (12, "is a number, not a date"),
    ],
)
def test_unreadable_dates_say_why(cell, words):
    found = read_date(cell)
    assert isinstance(found, ValueProblem)
    assert words in found.message


@pytest.mark.parametrize(
    ("word", "status", "noted"),
    [
        ("Complete", Status.IMPLEMENTED, False),
        ("Completed", Status.IMPLEMENTED, False),
        ("Implemented", Status.IMPLEMENTED, False),
        ("Ongoing", Status.IN_PROGRESS, False),
        ("In progress", Status.IN_PROGRESS, False),
        ("ON TRACK", Status.IN_PROGRESS, False),
        ("Not started", Status.NOT_STARTED, False),
        ("Superseded", Status.SUPERSEDED, False),
        ("Closed", Status.CLOSED, False),
        ("Paused", Status.IN_PROGRESS, True),
        ("Overdue", Status.IN_PROGRESS, True),
    ],
)
def test_status_words_map_to_domain_statuses(word, status, noted):
    reading = read_status(word)
    assert reading.status is status
    assert (reading.note is not None) == noted


def test_overdue_is_read_as_in_progress_with_the_reason():
    reading = read_status("Overdue")
    assert "works out what is overdue from the target date" in reading.note


@pytest.mark.parametrize(("word", "words"), [("Red", "RAG rating"), ("Banana", "not a status")])
def test_rag_colours_and_unknown_words_are_not_statuses(word, words):
    found = read_status(word)
    assert isinstance(found, ValueProblem) and words in found.message


def test_priority_and_acceptance_words():
    assert read_priority("H") is Priority.HIGH
    assert read_priority("3") is Priority.LOW
    assert isinstance(read_priority("urgent-ish"), ValueProblem)
    assert read_acceptance("Yes").acceptance is Acceptance.ACCEPTED
    principle = read_acceptance("Agreed in principle")
    assert principle.acceptance is Acceptance.ACCEPTED and principle.in_principle
    assert read_acceptance("Partially").acceptance is Acceptance.PARTIALLY_ACCEPTED


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ref", Field.REF),
        ("Rec No", Field.REF),
        ("Recommendation No.", Field.REF),
        ("Recommendation", Field.WORDING),
        ("Lead Officer", Field.OWNER),
        ("RESPONSIBLE OFFICER", Field.OWNER),
        ("Owner", Field.OWNER),
        ("Directorate", Field.DIRECTORATE),
        ("Service", Field.DIRECTORATE),
        ("Target Date", Field.TARGET_DATE),
        ("Due date", Field.TARGET_DATE),
        ("Agreed Date", Field.TARGET_DATE),
        ("Revised Date", Field.REVISED_TARGET_DATE),
        ("Status", Field.STATUS),
        ("R.A.G.", Field.RAG),
        ("Update", Field.UPDATE),
        ("Progress", Field.UPDATE),
        ("Comments:", Field.UPDATE),
        ("Date of update", Field.UPDATE_DATE),
        ("Priority", Field.PRIORITY),
        ("Accepted?", Field.ACCEPTED),
        ("Meeting venue", None),
    ],
)
def test_headers_councils_use(header, field):
    assert header_field(header) is field


# --- Reading a whole file --------------------------------------------------------------------


def test_messy_workbook_is_read_row_by_row():
    parsed = read_tracker(messy_workbook(), "tracker.xlsx")
    assert parsed.header_row == 4
    assert parsed.title_lines[0].startswith("Adult Social Care Scrutiny Review")
    assert parsed.mapping[Field.REF] == 0 and parsed.mapping[Field.UPDATE] == 8
    assert [row.ref for row in parsed.rows] == ["R1", "R2", "R3", "R4"]
    r1, r2, r3, r4 = parsed.rows
    assert (r1.row, r2.row, r3.row, r4.row) == (5, 6, 8, 10)
    assert r1.target_date == date(2024, 6, 30) and r1.status is Status.IMPLEMENTED
    # Merged down: R2 is in Adult Social Care too.
    assert r2.directorate == "Adult Social Care"
    assert r2.target_date == date(2024, 2, 12)
    assert r2.revised_target_date == date(2025, 2, 28)  # "February 2025": the month's end
    assert r2.status is Status.IN_PROGRESS and r2.priority is Priority.MEDIUM
    assert r3.target_date == date(2024, 6, 30)  # Excel serial 45473 (43508 = 12 Feb 2019)
    assert r3.owner is None and r3.priority is Priority.LOW
    assert r4.target_date == date(2025, 3, 31) and r4.status is Status.NOT_STARTED
    assert not parsed.problems
    assert [(note.row, note.value) for note in parsed.notes] == [(6, "Overdue")]
    skipped = {s.row: s.reason for s in parsed.skipped}
    assert skipped[7] == "section heading"
    assert {12, 13, 14} <= set(skipped)


def test_cp1252_semicolon_csv_is_read():
    data = csv_bytes(
        [
            "Ref;Recommendation;Lead officer;Target date",
            "1;Cut the £ spent on agency staff in Café services;Zoë Ó Briain;01/04/2025",
        ],
        encoding="cp1252",
    )
    (row,) = read_tracker(data, "tracker.csv").rows
    assert row.wording == "Cut the £ spent on agency staff in Café services"
    assert row.owner == "Zoë Ó Briain"
    assert row.target_date == date(2025, 4, 1)


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "tracker.xlsx", "is empty"),
        (b"   \r\n ", "tracker.csv", "is empty"),
        (b"%PDF-1.7\n%binary\x00\x01", "tracker.pdf", "is not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "tracker.xls", "old-style Excel"),
        (b"PK\x03\x04 not really a zip at all", "tracker.xlsx", "could not be opened"),
        (b"x" * (5 * 1024 * 1024 + 1), "tracker.csv", "larger than the 5 MB limit"),
        (b"Minutes of the meeting\r\nApologies were received\r\n", "notes.csv", "No header row"),
    ],
)
def test_files_that_are_not_trackers_get_one_sentence(
    data, name, words, empty_db, tmp_path, monkeypatch, capsys
):
    with pytest.raises(UnreadableFile) as refused:
        read_tracker(data, name)
    assert words in str(refused.value)
    assert str(refused.value).count(". ") <= 1  # one sentence (a colon joins its advice)
    # The command says the same and writes nothing.
    url, engine = empty_db
    monkeypatch.setenv("DATABASE_URL", url)
    before = database_rows(engine)
    path = tmp_path / name
    path.write_bytes(data)
    assert main([str(path), "--committee", COMMITTEE, "--issued", "15/01/2024"]) == 1
    assert words in capsys.readouterr().err
    assert database_rows(engine) == before


# --- Importing -------------------------------------------------------------------------------


def test_import_into_a_new_source_then_again_changes_nothing(empty_db):
    _, engine = empty_db
    plan, result = run(engine, messy_workbook(), "tracker.xlsx")
    assert result is not None and result.created == 4
    with sqlite3.connect(engine.url.database) as db:
        recs = {
            ref: rest
            for ref, *rest in db.execute(
                "SELECT ref, status, original_target_date, current_target_date, "
                "revision_count, priority, acceptance FROM recommendations"
            )
        }
        assert recs["R1"] == ["implemented", "2024-06-30", "2024-06-30", 0, "high", "accepted"]
        assert recs["R2"] == ["in_progress", "2024-02-12", "2025-02-28", 1, "medium", "accepted"]
        assert recs["R4"][0] == "not_started"
        reason, author, update_date = db.execute(
            "SELECT target_change_reason, author, update_date FROM progress_updates "
            "WHERE new_target_date IS NOT NULL"
        ).fetchone()
        assert reason == "imported from tracker.xlsx"
        assert author == "Imported from tracker.xlsx"
        assert update_date == TODAY.isoformat()
        source = db.execute("SELECT title, kind, date_issued FROM sources").fetchone()
        assert source == ("Adult social care scrutiny review 2024", "scrutiny_review", "2024-01-15")
        owners = {name for (name,) in db.execute("SELECT name FROM officers")}
        assert owners == {"Asha Patel", "Tom Briggs"}
    before = database_rows(engine)
    plan, result = run(engine, messy_workbook(), "tracker.xlsx")
    assert plan.counts[Outcome.UNCHANGED] == 4 and result.updates_written == 0
    assert database_rows(engine) == before


def test_a_newer_file_becomes_progress_updates(seed_db):
    _, engine = seed_db
    options = ImportOptions(source_title=SEED_SOURCE_TITLE, author="Sam Officer", today=TODAY)
    data = csv_bytes(
        [
            "Ref,Lead officer,Revised target date,Status,Update,Update date",
            "2,,30/09/2026,Implemented,Section 20 training delivered to all teams.,01/11/2026",
            "3,Jo Okafor,,,,",
            "4,,,Complete,,",
            "1,rory  PATTERSON,,,,",
        ]
    )
    parsed = read_tracker(data, "november.csv")
    assert Field.WORDING not in parsed.mapping
    # Existing rows need no wording: the mapping problem is about new rows only.
    parsed = read_tracker(data, "november.csv", mapping={**parsed.mapping, Field.WORDING: 99})
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, options)
        assert plan.can_apply, plan.problems
        assert plan.counts == {Outcome.NEW: 0, Outcome.CHANGED: 2, Outcome.UNCHANGED: 2}
        apply_import(conn, plan)
    with sqlite3.connect(engine.url.database) as db:
        status, target, revisions = db.execute(
            "SELECT status, current_target_date, revision_count FROM recommendations "
            "WHERE ref = '2'"
        ).fetchone()
        assert (status, target, revisions) == ("implemented", "2026-09-30", 1)
        narrative, author, when, reason = db.execute(
            "SELECT narrative, author, update_date, target_change_reason FROM progress_updates "
            "JOIN recommendations r ON r.id = recommendation_id WHERE r.ref = '2' "
            "ORDER BY progress_updates.id DESC"
        ).fetchone()
        assert narrative == "Section 20 training delivered to all teams."
        assert (author, when, reason) == ("Sam Officer", "2026-11-01", "imported from november.csv")
        owner, narrative = db.execute(
            "SELECT o.name, u.narrative FROM recommendations r JOIN officers o ON o.id = "
            "r.owner_id JOIN progress_updates u ON u.recommendation_id = r.id WHERE r.ref = '3' "
            "ORDER BY u.id DESC"
        ).fetchone()
        assert owner == "Jo Okafor"
        assert "lead officer changed from Sheila Murphy to Jo Okafor" in narrative
        # "Complete" does not reopen an item the committee closed.
        assert db.execute("SELECT status FROM recommendations WHERE ref = '4'").fetchone() == (
            "closed",
        )


def test_a_bad_file_is_reported_cell_by_cell_and_nothing_is_written(
    seed_db, tmp_path, monkeypatch, capsys
):
    url, engine = seed_db
    monkeypatch.setenv("DATABASE_URL", url)
    data = csv_bytes(
        [
            "Ref,Recommendation,Target date,Status,Priority",
            "7,Publish the safeguarding audit.,31/02/2025,In progress,High",
            "8,Audit case files.,01/03/2025,Red,Medium",
            ",Orphan recommendation.,01/03/2025,Ongoing,Low",
            "9,,01/03/2025,Ongoing,Low",
            "7,Publish it again.,01/03/2025,Ongoing,Top",
        ]
    )
    before = database_rows(engine)
    parsed = read_tracker(data, "bad.csv")
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, ImportOptions(source_title=SEED_SOURCE_TITLE))
        assert not plan.can_apply
        with pytest.raises(ImportRefused, match="nothing was imported"):
            apply_import(conn, plan)
    found = {(p.row, p.column, p.value): p.problem for p in plan.problems}
    assert "no such day" in found[(2, "C (Target date)", "31/02/2025")]
    assert "RAG rating" in found[(3, "D (Status)", "Red")]
    assert "ref is blank" in found[(4, "A (Ref)", "")]
    assert "wording is blank" in found[(5, "B (Recommendation)", "")]
    assert "used twice (first in row 2)" in found[(6, "A (Ref)", "7")]
    assert "not a priority" in found[(6, "E (Priority)", "Top")]
    assert len(found) == 6
    assert plan.parsed.unmapped_statuses == {"Red": 1}
    assert database_rows(engine) == before
    # The command reports the same problems and writes nothing.
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    assert main([str(path), "--source", SEED_SOURCE_TITLE]) == 1
    printed = capsys.readouterr()
    assert "31/02/2025" in printed.out + printed.err
    assert database_rows(engine) == before


def test_command_dry_run_and_new_source_details(empty_db, tmp_path, capsys, monkeypatch):
    url, engine = empty_db
    monkeypatch.setenv("DATABASE_URL", url)
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(messy_workbook())
    before = database_rows(engine)
    assert main([str(path)]) == 2  # a new source needs its committee and issue date
    assert "give the committee" in capsys.readouterr().err
    args = [str(path), "--committee", COMMITTEE, "--issued", "15/01/2024"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "4 recommendations: 4 new, 0 changed, 0 unchanged." in out
    assert "Dry run: nothing was written." in out
    assert database_rows(engine) == before
    assert main(args) == 0
    assert "Imported." in capsys.readouterr().out
    assert len(database_rows(engine)["recommendations"]) == 4
    imported = database_rows(engine)
    # The same file again: the source now exists, and nothing changes.
    with engine.connect() as conn:
        (title,) = conn.exec_driver_sql("SELECT title FROM sources").one()
    assert main([str(path), "--source", title]) == 0
    assert "Nothing changed: the tracker already holds this." in capsys.readouterr().out
    assert database_rows(engine) == imported


def test_an_update_recorded_while_planning_refuses_the_import(seed_db):
    _, engine = seed_db
    data = csv_bytes(["Ref,Status", "2,Implemented"])
    parsed = read_tracker(
        data, "late.csv", mapping={Field.REF: 0, Field.STATUS: 1, Field.WORDING: 9}
    )
    with engine.connect() as conn:
        plan = plan_import(conn, parsed, ImportOptions(source_title=SEED_SOURCE_TITLE))
    assert plan.counts[Outcome.CHANGED] == 1
    with engine.begin() as conn:  # someone else records an update meanwhile
        conn.execute(
            insert(ProgressUpdate).values(
                recommendation_id=plan.rows[0].recommendation_id,
                update_date=TODAY,
                author="Another officer",
                narrative="Training dates fixed.",
            )
        )
    before = database_rows(engine)
    refused = pytest.raises(ImportRefused, match="while the import was being prepared")
    with refused, engine.begin() as conn:
        apply_import(conn, plan)
    assert database_rows(engine) == before


def test_a_ref_added_while_planning_refuses_the_import(seed_db):
    _, engine = seed_db
    data = csv_bytes(["Ref,Recommendation", "R99,Review the lettings policy."])
    with engine.connect() as conn:
        plan = plan_import(
            conn, read_tracker(data, "late.csv"), ImportOptions(source_title=SEED_SOURCE_TITLE)
        )
    assert plan.can_apply and plan.counts[Outcome.NEW] == 1
    with engine.begin() as conn:  # someone else records R99 in the source meanwhile
        assert plan.source_id is not None and plan.committee_id is not None
        add_recommendation(
            conn,
            NewRecommendation(
                plan.source_id, plan.committee_id, "R99", "Review lettings.", made_on=TODAY
            ),
        )
    before = database_rows(engine)
    refused = pytest.raises(ImportRefused, match="while the import was being prepared")
    with refused, engine.begin() as conn:
        apply_import(conn, plan)
    assert database_rows(engine) == before


def test_status_words_the_user_chose(empty_db):
    _, engine = empty_db
    data = csv_bytes(["Ref,Recommendation,Status", "1,Do it.,Amber", "2,And this.,Green"])
    parsed = read_tracker(data, "rag.csv")
    assert parsed.unmapped_statuses == {"Amber": 1, "Green": 1}
    chosen = {"amber": Status.IN_PROGRESS, "green": Status.IN_PROGRESS}
    parsed = read_tracker(data, "rag.csv", status_words=chosen)
    assert not parsed.problems
    assert {row.status for row in parsed.rows} == {Status.IN_PROGRESS}


def test_update_date_in_the_future_is_a_problem(empty_db):
    _, engine = empty_db
    data = csv_bytes(["Ref,Recommendation,Update,Update date", "1,Do it.,Started.,01/01/2027"])
    before = database_rows(engine)
    plan, result = run(engine, data, "future.csv")
    assert result is None
    (problem,) = plan.problems
    assert (problem.row, problem.column, problem.value) == (2, "D (Update date)", "1 Jan 2027")
    assert "in the future" in problem.problem
    assert database_rows(engine) == before


def test_the_data_access_entry_point_still_runs_the_command(empty_db, tmp_path):
    """`python -m data_access.import_tracker` (in the README) runs the command in cli/."""
    import os
    import subprocess
    import sys

    url, engine = empty_db
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(messy_workbook())
    before = database_rows(engine)
    args = [str(path), "--committee", COMMITTEE, "--issued", "15/01/2024", "--dry-run"]
    done = subprocess.run(
        [sys.executable, "-m", "data_access.import_tracker", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "4 recommendations: 4 new, 0 changed, 0 unchanged." in done.stdout
    assert database_rows(engine) == before
