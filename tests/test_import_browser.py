"""Import a tracker in real Chromium: an officer uploads a messy Excel tracker through the file
uploader, gives the new source's details, imports it, and finds the rows on Recommendations.

AppTest cannot drive `st.file_uploader`, so this is the one test of the whole upload path:
browser, upload, read, preview, import in one transaction, caches cleared, register redrawn.
The workbook is built here the way councils keep them: title rows (one merged across), odd
headers ("Rec. No.", "Lead Officer", "Revised Date"), a service merged down a block of rows,
UK dates, an Excel serial date, month-only dates, a blank row and a RAG key under the table.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.browser_support import (
    StreamlitServer,
    body_text,
    fresh_page,
    wait_rendered,
)
from ui.navigation import page_by_url

pytestmark = pytest.mark.browser

IMPORT_PAGE = page_by_url("import_tracker")
TITLE = "Adult social care review – action plan"
COMMITTEE = "Adults and Health Scrutiny Committee"
# ref → (wording, owner, service, current target, status) as the officer's file says them.
EXPECTED = {
    "R1": ("Review the hospital discharge protocol.", "Jane Smith", "Adult Social Care",
           date(2025, 2, 12), "implemented"),
    "R2": ("Publish a carers' strategy <script>alert(1)</script>", "Ahmed Khan",
           "Adult Social Care", date(2025, 6, 30), "in_progress"),
    "R3": ("Commission an audit of care packages.", "Lee O'Brien", "Adult Social Care",
           date(2025, 8, 31), "in_progress"),
    "R4": ("Train staff in **safeguarding**.", "Priya Patel", "Commissioning",
           date(2026, 2, 28), "not_started"),
}  # fmt: skip


def messy_tracker() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "Updated for the committee, March 2025"
    sheet.append([])
    sheet.append(
        ["Rec. No.", "Recommendation", "Lead Officer", "Service", "Revised Date", "Status", "RAG"]
    )
    sheet.append(["R1", EXPECTED["R1"][0], "Jane Smith", "Adult Social Care", "12/02/2025",
                  "Completed", "Blue"])  # fmt: skip
    sheet.append(["R2", EXPECTED["R2"][0], "Ahmed Khan", None, datetime(2025, 6, 30),
                  "On track", "Green"])  # fmt: skip
    sheet.append(["R3", EXPECTED["R3"][0], "Lee O'Brien", None, 45900, "Ongoing", "Amber"])
    sheet.merge_cells("D5:D7")  # the service written once for R1 to R3
    sheet.append([None] * 7)
    sheet.append(["R4", EXPECTED["R4"][0], "Priya Patel", "Commissioning", "February 2026",
                  "Not started", "Red"])  # fmt: skip
    sheet.append([])
    sheet.append(["RAG key"])
    for colour, meaning in (("Red", "Not on track"), ("Amber", "At risk"), ("Green", "On track")):
        sheet.append([colour, meaning])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _database(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {
            "recommendations": db.execute(
                """SELECT r.ref, r.wording, o.name, d.name, r.current_target_date, r.status
                   FROM recommendations r JOIN sources s ON s.id = r.source_id
                   LEFT JOIN officers o ON o.id = r.owner_id
                   LEFT JOIN directorates d ON d.id = r.directorate_id
                   WHERE s.title = ? ORDER BY r.ref""",
                (TITLE,),
            ).fetchall(),
            "all_recommendations": db.execute("SELECT * FROM recommendations").fetchall(),
            "progress_updates": db.execute("SELECT * FROM progress_updates").fetchall(),
            "sources": db.execute("SELECT * FROM sources").fetchall(),
        }


def _settle(page: Any) -> None:
    page.wait_for_timeout(600)
    wait_rendered(page)


def _grid_cells(page: Any) -> list[str]:
    """The register table's cells, from the grid's accessible copy of them."""
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    return [cells.nth(i).text_content() or "" for i in range(cells.count())]


def test_a_messy_workbook_uploaded_in_the_browser_reaches_the_register(
    browser: Any, seed_db: tuple[str, Any], tmp_path: Path
) -> None:
    url, engine = seed_db
    database = Path(engine.url.database)
    workbook = tmp_path / "adult-social-care-tracker.xlsx"
    workbook.write_bytes(messy_tracker())
    before = _database(database)
    assert before["recommendations"] == []

    with (
        StreamlitServer(url, tmp_path / "streamlit.log") as server,
        fresh_page(browser) as (
            page,
            errors,
        ),
    ):
        page.goto(server.url(IMPORT_PAGE), wait_until="domcontentloaded")
        wait_rendered(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(workbook)
        )
        page.get_by_text("What the import will do").wait_for(timeout=30_000)
        _settle(page)
        text = body_text(page)
        assert 'header found on row 4, sheet "Action plan"' in text
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert metrics == ["4", "0", "0"]  # new, changed, unchanged
        assert "rows passed over" in text  # the RAG key
        assert _database(database) == before  # the preview wrote nothing

        page.get_by_role("textbox", name="Your name").fill("Sam Officer")
        page.get_by_role("textbox", name="Your name").press("Enter")
        _settle(page)
        committee = page.locator('[data-testid="stSelectbox"]').filter(
            has=page.get_by_text("Committee that monitors it", exact=True)
        )
        committee.locator("input").fill(COMMITTEE)
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_role("spinbutton", name="day, Date issued").click()
        page.keyboard.type("14032025")
        page.keyboard.press("Escape")
        page.get_by_role("heading", name="What the import will do").click()
        _settle(page)

        button = page.get_by_role("button", name="Import 4 recommendations")
        assert button.is_enabled(), body_text(page)[-600:]
        button.click()
        page.get_by_text("Imported adult-social-care-tracker.xlsx").wait_for(timeout=30_000)
        _settle(page)
        assert "4 new recommendations, 0 changed and 0 unchanged" in body_text(page)

        page.get_by_role("button", name="See them in Recommendations").click()
        # The register shows this source only: the seed's six are filtered out.
        page.get_by_text("Showing 4 of 10 recommendations (filtered)").wait_for(timeout=30_000)
        _settle(page)
        cells = _grid_cells(page)
        for ref, (wording, *_rest) in EXPECTED.items():
            assert ref in cells and wording in cells, (ref, cells)
        assert not errors, errors

    after = _database(database)
    assert after["recommendations"] == [
        (ref, wording, owner, service, target.isoformat(), status)
        for ref, (wording, owner, service, target, status) in EXPECTED.items()
    ]
    assert len(after["sources"]) == len(before["sources"]) + 1
    assert len(after["progress_updates"]) > len(before["progress_updates"])
    authors = {row[4] for row in after["progress_updates"][len(before["progress_updates"]) :]}
    assert authors == {"Sam Officer"}
