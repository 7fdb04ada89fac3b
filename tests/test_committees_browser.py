"""A committee created by an import gets its calendar from an .ics file, in real Chromium.

The journey of issue 8: a council imports its internal audit tracker from the command line,
naming a committee the tracker does not know yet (the import creates it, with no meetings).
Next committee then has nothing to brief on and says where to add the dates. The officer
opens Committees, uploads the committee's iCalendar file (which also holds another
committee's meeting, left out), checks the preview and adds the dates; Next committee then
lists the items due back at the first meeting, with their reasons.

Dates are relative to today, because the pages open as at today.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from cli.import_tracker import main as import_tracker
from domain.formatting import long_date
from tests.browser_support import StreamlitServer, body_text, fresh_page, wait_rendered
from ui.navigation import page_by_url

pytestmark = pytest.mark.browser

COMMITTEES = page_by_url("committees")
NEXT_COMMITTEE = page_by_url("next_committee")
COMMITTEE = "Audit and Governance Committee"
SOURCE = "Internal audit follow-up 2026"
TODAY = date.today()
FIRST_MEETING = TODAY + timedelta(days=30)
SECOND_MEETING = TODAY + timedelta(days=120)
CABINET_MEETING = TODAY + timedelta(days=14)

# ref -> (wording, status, target date, a reason it is due back at the first meeting or None),
# worked out by hand from DOMAIN.md's rules (every source response is accepted).
ROWS = {
    "IA1": ("Reconcile the payroll exceptions report monthly.", "In progress",
            TODAY + timedelta(days=10), "Target date on or before the meeting"),
    "IA2": ("Refresh the business continuity plans.", "Not started",
            TODAY - timedelta(days=20), "Overdue"),
    "IA3": ("Review the procurement card limits.", "In progress",
            TODAY + timedelta(days=400), None),
    "IA4": ("Record asset disposals in the register.", "Implemented",
            TODAY - timedelta(days=5), "Implemented, awaiting sign-off"),
}  # fmt: skip


def tracker_csv(path: Path) -> None:
    lines = ["Ref,Recommendation,Lead officer,Accepted,Target date,Status"]
    for ref, (wording, status, target, _) in ROWS.items():
        lines.append(f"{ref},{wording},Chris Auditor,Accepted,{target:%d/%m/%Y},{status}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def committee_ics(path: Path) -> None:
    def event(uid: str, title: str, day: date) -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}@democracy.example.gov.uk\r\nDTSTAMP:20260101T090000Z\r\n"
            f"SUMMARY:{title}\r\nDTSTART;TZID=Europe/London:{day:%Y%m%d}T180000\r\n"
            f"DTEND;TZID=Europe/London:{day:%Y%m%d}T200000\r\nEND:VEVENT\r\n"
        )

    path.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Committee calendar//EN\r\n"
            + event("1", COMMITTEE, FIRST_MEETING)
            + event("2", "Cabinet", CABINET_MEETING)
            + event("3", COMMITTEE, SECOND_MEETING)
            + "END:VCALENDAR\r\n"
        ).encode()
    )


def meetings(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT c.name, m.meeting_date FROM meetings m JOIN committees c "
            "ON c.id = m.committee_id ORDER BY m.meeting_date"
        ).fetchall()


def _settle(page: Any) -> None:
    page.wait_for_timeout(600)
    wait_rendered(page)


def _grid_cells(page: Any) -> list[str]:
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    return [cells.nth(i).text_content() or "" for i in range(cells.count())]


def test_an_imported_committee_gets_its_calendar_and_next_committee_lists_its_items(
    browser: Any, empty_db: tuple[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, engine = empty_db
    database = Path(engine.url.database)
    tracker = tmp_path / "internal-audit-tracker.csv"
    tracker_csv(tracker)
    monkeypatch.setenv("DATABASE_URL", url)
    issued = (TODAY - timedelta(days=200)).strftime("%d/%m/%Y")
    assert (
        import_tracker(
            [str(tracker), "--source", SOURCE, "--committee", COMMITTEE, "--issued", issued]
        )
        == 0
    )
    assert meetings(database) == []  # the import made the committee, with no calendar
    calendar = tmp_path / "audit-committee.ics"
    committee_ics(calendar)

    with (
        StreamlitServer(url, tmp_path / "streamlit.log") as server,
        fresh_page(browser) as (page, errors),
    ):
        page.goto(server.url(NEXT_COMMITTEE), wait_until="domcontentloaded")
        wait_rendered(page)
        text = body_text(page)
        assert f"No meeting of {COMMITTEE} is recorded on or after {long_date(TODAY)}" in text
        page.get_by_role("link", name="Add meeting dates on Committees").click()
        page.get_by_text("Committees and their meeting dates").first.wait_for(timeout=30_000)
        _settle(page)
        assert "No meeting dates are recorded for" in body_text(page)

        page.get_by_role("tab", name="Import a calendar").click()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(calendar)
        )
        page.get_by_text("Dates to add").wait_for(timeout=30_000)
        _settle(page)
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert metrics == ["2", "0", "0"]  # to add, already there, only in the tracker
        assert meetings(database) == []  # the preview wrote nothing
        page.get_by_role("button", name=f"Add 2 meeting dates to {COMMITTEE}").click()
        page.get_by_text("Added 2 meeting dates from audit-committee.ics").wait_for(timeout=30_000)
        _settle(page)
        assert meetings(database) == [
            (COMMITTEE, FIRST_MEETING.isoformat()),
            (COMMITTEE, SECOND_MEETING.isoformat()),
        ]  # the Cabinet's meeting in the same file was left out
        # The same file, still chosen, now has nothing to add; removing it clears the preview.
        assert "importing it changes nothing" in body_text(page)
        page.locator('[data-testid="stFileChipDeleteBtn"]').first.click()
        page.get_by_text("A CSV needs one date a row").wait_for(timeout=30_000)
        assert "Dates to add" not in body_text(page)

        page.goto(server.url(NEXT_COMMITTEE), wait_until="domcontentloaded")
        page.get_by_text(f"Next meeting: {long_date(FIRST_MEETING)}").wait_for(timeout=30_000)
        _settle(page)
        text = body_text(page)
        assert "probably incomplete" not in text
        cells = _grid_cells(page)
        for ref, (wording, _status, _target, reason) in ROWS.items():
            if reason is None:
                assert ref not in cells and wording not in cells
            else:
                # A row's cells run Ref, Recommendation, Owner, Status, Target, RAG,
                # Why due back, ...
                at = cells.index(ref)
                assert cells[at + 1] == wording, (ref, cells)
                assert reason in cells[at + 6], (ref, cells)
        assert not errors, errors
