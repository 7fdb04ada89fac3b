"""Committees and their calendars in the data layer and on the command line: adding,
renaming, retiring, meetings added, moved and (when nothing links to them) removed, and a
calendar imported twice, with the whole database compared whenever something is refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from cli.import_calendar import main as import_calendar
from data_access.committees import (
    CommitteeChangeRefused,
    add_committee,
    add_meeting,
    apply_calendar,
    committee_by_name,
    committee_overview,
    current_committees,
    meetings_of,
    move_meeting,
    plan_calendar,
    reinstate_committee,
    remove_meeting,
    rename_committee,
    retire_committee,
)
from data_access.models import Meeting, ProgressUpdate, Recommendation
from data_access.queries.committee import committee_choices
from data_access.queries.options import filter_options
from data_access.seed import SEED_COMMITTEE, SEED_MEETING, SEED_MEETINGS

ROOT = Path(__file__).resolve().parent.parent
CALENDARS = Path(__file__).resolve().parent / "fixtures" / "calendars"


def whole_database(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, read with plain sqlite3."""
    with sqlite3.connect(engine.url.database) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in tables
        }


def seed_committee_id(engine: Engine) -> int:
    with engine.connect() as conn:
        found = committee_by_name(conn, SEED_COMMITTEE)
    assert found is not None
    return found[0]


def meeting_id_on(engine: Engine, committee_id: int, day: date) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(Meeting.id).where(
                Meeting.committee_id == committee_id, Meeting.meeting_date == day
            )
        ).scalar_one()


def refused(engine: Engine, change, expected: str) -> None:
    """The change is refused with a sentence containing `expected`, and nothing changed."""
    before = whole_database(engine)
    with pytest.raises(CommitteeChangeRefused) as raised, engine.begin() as conn:
        change(conn)
    assert expected in str(raised.value)
    assert "Nothing" in str(raised.value)
    assert whole_database(engine) == before


# --- Committees ------------------------------------------------------------------------------


def test_add_rename_and_names_are_unique_in_any_case(empty_db) -> None:
    _, engine = empty_db
    with engine.begin() as conn:
        audit = add_committee(conn, "  Audit   and Governance Committee ")
        add_committee(conn, "Cabinet")
    with engine.connect() as conn:
        assert committee_by_name(conn, "audit and governance committee") == (
            audit,
            "Audit and Governance Committee",
        )
    refused(engine, lambda c: add_committee(c, "CABINET"), 'already a committee called "Cabinet"')
    refused(engine, lambda c: add_committee(c, "   "), "Enter the committee's name")
    refused(engine, lambda c: add_committee(c, "x" * 201), "at most 200")
    refused(engine, lambda c: rename_committee(c, audit, "cabinet"), "already a committee")
    with engine.begin() as conn:
        assert rename_committee(conn, audit, "Audit Committee") == "Audit and Governance Committee"
    with engine.connect() as conn:
        assert committee_by_name(conn, "Audit Committee") == (audit, "Audit Committee")


def test_a_retired_committee_keeps_its_history_and_is_not_offered_for_new_items(seed_db) -> None:
    _, engine = seed_db
    committee_id = seed_committee_id(engine)
    before = whole_database(engine)
    with engine.begin() as conn:
        retire_committee(conn, committee_id, date(2024, 4, 1))
    after = whole_database(engine)
    # Only the committee row changed: its meetings, items and updates are all still there.
    assert {t: rows for t, rows in after.items() if t != "committees"} == {
        t: rows for t, rows in before.items() if t != "committees"
    }
    with engine.connect() as conn:
        assert committee_id not in current_committees(conn)
        options = filter_options(conn)
        assert committee_id in options.committees  # the filter still finds its history
        assert committee_id not in options.current_committees
        (choice,) = [c for c in committee_choices(conn, date(2019, 2, 13)) if c.id == committee_id]
        assert choice.retired
        overview = committee_overview(conn, date(2019, 2, 13))
    row = overview.set_index("id").loc[committee_id]
    assert row.retired_on == date(2024, 4, 1)
    assert row.meetings == len(SEED_MEETINGS)
    assert row.next_meeting == date(2019, 3, 12)
    assert row.recommendations == 6 and row.open_recommendations == 2
    refused(
        engine, lambda c: retire_committee(c, committee_id, date(2024, 5, 1)), "already retired"
    )
    with engine.begin() as conn:
        reinstate_committee(conn, committee_id)
    assert whole_database(engine) == before


# --- Meetings --------------------------------------------------------------------------------


def test_add_move_and_remove_a_meeting(seed_db) -> None:
    _, engine = seed_db
    committee_id = seed_committee_id(engine)
    with engine.begin() as conn:
        new_id = add_meeting(conn, committee_id, date(2020, 6, 9))
    refused(
        engine, lambda c: add_meeting(c, committee_id, date(2020, 6, 9)), "already has a meeting"
    )
    refused(engine, lambda c: add_meeting(c, committee_id, date(1850, 1, 1)), "not a believable")
    refused(engine, lambda c: add_meeting(c, committee_id, None), "Choose the meeting's date")
    refused(
        engine, lambda c: move_meeting(c, committee_id, new_id, date(2020, 3, 10)), "already has"
    )
    with engine.begin() as conn:
        assert move_meeting(conn, committee_id, new_id, date(2020, 6, 16)) == date(2020, 6, 9)
        assert remove_meeting(conn, committee_id, new_id) == date(2020, 6, 16)
    with engine.connect() as conn:
        days = list(meetings_of(conn, committee_id)["meeting_date"])
    assert days == list(SEED_MEETINGS)


def test_a_meeting_with_reported_updates_or_closures_cannot_be_removed_but_can_be_moved(
    seed_db,
) -> None:
    _, engine = seed_db
    committee_id = seed_committee_id(engine)
    meeting_id = meeting_id_on(engine, committee_id, SEED_MEETING)
    with engine.connect() as conn:
        linked = meetings_of(conn, committee_id).set_index("id").loc[meeting_id]
        updates = conn.execute(
            select(ProgressUpdate.id).where(ProgressUpdate.meeting_id == meeting_id)
        ).all()
        closed = conn.execute(
            select(Recommendation.id).where(Recommendation.closed_at_meeting_id == meeting_id)
        ).all()
    # The seed: six responses reported to 12 February 2019, where 1, 4, 5 and 6 were closed.
    assert (linked.updates_reported, linked.items_closed) == (len(updates), len(closed)) == (6, 4)
    refused(
        engine,
        lambda c: remove_meeting(c, committee_id, meeting_id),
        "6 progress update(s) were reported to it and 4 recommendation(s) were closed at it",
    )
    with engine.begin() as conn:
        move_meeting(conn, committee_id, meeting_id, date(2019, 2, 13))
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(ProgressUpdate.id).where(ProgressUpdate.meeting_id == meeting_id)
            ).all()
            == updates
        )
        assert (
            conn.execute(
                select(Recommendation.id).where(Recommendation.closed_at_meeting_id == meeting_id)
            ).all()
            == closed
        )


def test_a_meeting_of_another_committee_is_not_touched(seed_db) -> None:
    _, engine = seed_db
    seed_id = seed_committee_id(engine)
    with engine.begin() as conn:
        other = add_committee(conn, "Cabinet")
    meeting_id = meeting_id_on(engine, seed_id, date(2020, 3, 10))
    refused(engine, lambda c: remove_meeting(c, other, meeting_id), "no longer in the tracker")


# --- Calendar import -------------------------------------------------------------------------


def test_a_calendar_plan_adds_only_what_is_new_and_reports_what_the_file_lacks(seed_db) -> None:
    _, engine = seed_db
    committee_id = seed_committee_id(engine)
    in_file = [date(2020, 1, 14), date(2020, 3, 10), date(2020, 6, 9), date(2020, 9, 8)]
    with engine.begin() as conn:
        plan = plan_calendar(conn, committee_id, in_file)
        assert plan.to_add == (date(2020, 6, 9), date(2020, 9, 8))
        assert plan.already_there == (date(2020, 1, 14), date(2020, 3, 10))
        assert plan.only_in_tracker == tuple(SEED_MEETINGS[:-2])
        assert apply_calendar(conn, plan) == 2
        assert apply_calendar(conn, plan) == 0  # the same plan again adds nothing twice
    with engine.connect() as conn:
        again = plan_calendar(conn, committee_id, in_file)
    assert again.changes_nothing and len(again.only_in_tracker) == len(SEED_MEETINGS) - 2


# --- The command -----------------------------------------------------------------------------


def run_cli(monkeypatch, capsys, url: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    code = import_calendar(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_imports_once_and_a_reimport_changes_nothing(
    seed_db, tmp_path, monkeypatch, capsys
) -> None:
    url, engine = seed_db
    calendar = tmp_path / "scrutiny.csv"
    calendar.write_text("Date\n10/03/2020\n09/06/2020\n08/09/2020\n", encoding="utf-8")
    code, out, err = run_cli(
        monkeypatch, capsys, url, str(calendar), "--committee", SEED_COMMITTEE.upper()
    )
    assert (code, err) == (0, "")
    assert "Added 2 meeting date(s): 9 Jun 2020, 8 Sep 2020" in out
    assert "Already in the tracker: 1" in out
    # The seed's other ten meetings are not in the file: reported, not deleted.
    assert "In the tracker but not in the file (kept, not deleted): 10" in out
    once = whole_database(engine)
    assert len(once["meetings"]) == len(SEED_MEETINGS) + 2
    code, out, _ = run_cli(monkeypatch, capsys, url, str(calendar), "--committee", SEED_COMMITTEE)
    assert code == 0 and "Nothing changed" in out
    assert whole_database(engine) == once


def scrutiny_ics(*days: bytes) -> bytes:
    events = b"".join(
        b"BEGIN:VEVENT\r\nSUMMARY:Scrutiny\r\nDTSTART;TZID=Europe/London:%sT183000\r\n"
        b"END:VEVENT\r\n" % day
        for day in days
    )
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + events + b"END:VCALENDAR\r\n"


def test_a_meeting_removed_from_the_file_is_reported_not_deleted(
    seed_db, tmp_path, monkeypatch, capsys
) -> None:
    url, engine = seed_db
    calendar = tmp_path / "scrutiny.ics"
    calendar.write_bytes(scrutiny_ics(b"20200609", b"20200908"))
    assert run_cli(monkeypatch, capsys, url, str(calendar), "--committee", SEED_COMMITTEE)[0] == 0
    calendar.write_bytes(scrutiny_ics(b"20200908"))  # the June meeting dropped from the file
    before = whole_database(engine)
    code, out, _ = run_cli(monkeypatch, capsys, url, str(calendar), "--committee", SEED_COMMITTEE)
    assert code == 0
    assert "Added 0 meeting date(s)" in out
    assert "9 Jun 2020" in out.split("not in the file")[1]  # reported...
    assert whole_database(engine) == before  # ...and kept


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (b"Date\n31/02/2020\n09/06/2020\n", (), 'row 2, column "Date": 31/02/2020'),
        (b"\x00\x01binary", (), "not a text file"),
        (b"Date\n09/06/2020\n", ("--committee", "Planning Committee"), "no committee called"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Cabinet\r\nDTSTART;VALUE=DATE:20200609"
            b"\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Planning\r\nDTSTART;VALUE=DATE:20200610"
            b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            (),
            "Use --match TEXT",
        ),
    ],
)
def test_the_command_refuses_and_writes_nothing(
    seed_db, tmp_path, monkeypatch, capsys, content, args, expected
) -> None:
    url, engine = seed_db
    suffix = ".ics" if content.startswith(b"BEGIN") else ".csv"
    calendar = tmp_path / f"calendar{suffix}"
    calendar.write_bytes(content)
    before = whole_database(engine)
    arguments = [str(calendar), *(args or ("--committee", SEED_COMMITTEE))]
    code, out, err = run_cli(monkeypatch, capsys, url, *arguments)
    assert code == 1
    assert expected in err and "Nothing was imported" in err
    assert whole_database(engine) == before


def test_match_dry_run_and_create(empty_db, tmp_path, monkeypatch, capsys) -> None:
    url, engine = empty_db
    calendar = tmp_path / "council.ics"
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Cabinet\r\nDTSTART;VALUE=DATE:20260609"
        b"\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Audit Panel\r\nDTSTART;VALUE=DATE:20260610"
        b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    before = whole_database(engine)
    code, out, _ = run_cli(
        monkeypatch, capsys, url, str(calendar), "--committee", "Audit Committee",
        "--match", "audit panel", "--create", "--dry-run",
    )  # fmt: skip
    assert code == 0 and "Would add the committee Audit Committee" in out
    assert "Would add 1 meeting date(s): 10 Jun 2026" in out
    assert whole_database(engine) == before
    code, out, _ = run_cli(
        monkeypatch, capsys, url, str(calendar), "--committee", "Audit Committee",
        "--match", "audit panel", "--create",
    )  # fmt: skip
    assert code == 0
    with engine.connect() as conn:
        committee_id, _ = committee_by_name(conn, "audit committee")
        assert list(meetings_of(conn, committee_id)["meeting_date"]) == [date(2026, 6, 10)]


def test_python_dash_m_runs_the_command(seed_db, tmp_path) -> None:
    url, _ = seed_db
    calendar = tmp_path / "dates.csv"
    calendar.write_text("Date\n09/06/2020\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "data_access.import_calendar", str(calendar), "--committee",
         SEED_COMMITTEE],
        cwd=ROOT, env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Added 1 meeting date(s): 9 Jun 2020" in done.stdout


def test_a_database_made_before_retired_on_gains_it_on_upgrade(tmp_path) -> None:
    """committees.retired_on is a nullable column added after schema version 1: a tracker
    database without it gets it from the upgrade, and keeps its committees as current."""
    from data_access.db import open_tracker
    from data_access.migrate import upgrade_database
    from data_access.seed import load_seed
    from tests.schema_support import as_made_before_migrations

    url = f"sqlite:///{tmp_path / 'older.db'}"
    engine, _ = open_tracker(url)
    with engine.begin() as conn:
        load_seed(conn)
    engine.dispose()
    as_made_before_migrations(tmp_path / "older.db", drop=("committees.retired_on",))
    upgrade_database(url)
    engine, _ = open_tracker(url)
    try:
        with engine.connect() as conn:
            overview = committee_overview(conn, date(2019, 2, 13))
            assert list(overview["name"]) == [SEED_COMMITTEE]
            assert overview["retired_on"].isna().all()
            assert list(current_committees(conn).values()) == [SEED_COMMITTEE]
    finally:
        engine.dispose()
