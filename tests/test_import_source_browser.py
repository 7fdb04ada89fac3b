"""Issue 8, defect 1, in real Chromium: a replaced file never moves an import into another source.

The journey that wrote a whole tracker into an unrelated ombudsman complaint: the officer
uploads a tracker with an error, chooses "A new source" and types its details, looks at
another page, comes back and drops in the corrected file (under a new name). Before the fix
the typed title was replaced by the new file's name, and after the page visit the choice fell
back to "An existing source" with the first source (the complaint) picked, Import enabled.
Here the choice and every typed detail must still be there, the button must name the new
source, and Import must write into it, leaving the complaint exactly as it was.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from data_access.names import committee_id
from data_access.writes import (
    NewRecommendation,
    NewSource,
    UpdateDraft,
    add_recommendation,
    add_source,
)
from domain.vocabulary import SourceKind, Status
from tests.browser_support import StreamlitServer, body_text, fresh_page, wait_rendered
from ui.navigation import page_by_url

pytestmark = pytest.mark.browser

IMPORT_PAGE = page_by_url("import_tracker")
COMPLAINT = "Ombudsman complaint 24 001 234: delay in a care assessment"
NEW_TITLE = "Complaints handling review 2026"
NEW_COMMITTEE = "Corporate Scrutiny Committee"
HEADER = "Ref,Recommendation,Target date,Status"
WITH_AN_ERROR = "\r\n".join(
    [
        HEADER,
        "C1,Publish the complaints procedure on the website.,31/02/2026,In progress",
        "C2,Train contact centre staff in complaint handling.,30/06/2026,Not started",
    ]
).encode()
CORRECTED = WITH_AN_ERROR.replace(b"31/02/2026", b"28/02/2026")


def _add_the_complaint(engine: Any) -> None:
    """An unrelated source, the newest, so it is the first in any list of sources."""
    with engine.begin() as conn:
        committee = committee_id(conn, "Audit and Standards Committee", create=True)
        source = add_source(
            conn,
            NewSource(
                title=COMPLAINT,
                kind=SourceKind.OMBUDSMAN,
                date_issued=date(2026, 10, 1),
                committee_id=committee,
            ),
        )
        add_recommendation(
            conn,
            NewRecommendation(
                source_id=source,
                committee_id=committee,
                ref="1",
                wording="Apologise to the complainant and pay £300.",
                made_on=date(2026, 10, 1),
            ),
            [
                UpdateDraft(
                    update_date=date(2026, 10, 20),
                    author="Complaints team",
                    narrative="Apology sent; payment made.",
                    new_status=Status.IMPLEMENTED,
                )
            ],
        )


def _rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {
            "complaint": db.execute(
                "SELECT r.*, u.* FROM recommendations r JOIN sources s ON s.id = r.source_id "
                "LEFT JOIN progress_updates u ON u.recommendation_id = r.id WHERE s.title = ? "
                "ORDER BY r.id, u.id",
                (COMPLAINT,),
            ).fetchall(),
            "new_source": db.execute(
                "SELECT r.ref, s.kind, s.date_issued, c.name, u.author FROM recommendations r "
                "JOIN sources s ON s.id = r.source_id JOIN committees c ON c.id = s.committee_id "
                "LEFT JOIN progress_updates u ON u.recommendation_id = r.id WHERE s.title = ? "
                "ORDER BY r.ref",
                (NEW_TITLE,),
            ).fetchall(),
            "batches": db.execute(
                "SELECT file_name, source_title, source_created, recorded_by, new_count "
                "FROM import_batches"
            ).fetchall(),
        }


def _settle(page: Any) -> None:
    page.wait_for_timeout(600)
    wait_rendered(page)


def _upload(page: Any, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_text("What the import will do").wait_for(timeout=30_000)
    _settle(page)


def _chosen_mode(page: Any) -> str:
    group = page.locator('[data-testid="stRadio"]').filter(
        has=page.get_by_text("Where the recommendations go", exact=True)
    )
    return group.locator("label:has(input:checked)").inner_text().strip()


def test_a_replaced_file_keeps_the_new_source_and_writes_into_it(
    browser: Any, seed_db: tuple[str, Any], tmp_path: Path
) -> None:
    url, engine = seed_db
    _add_the_complaint(engine)
    database = Path(engine.url.database)
    first = tmp_path / "complaints-tracker.csv"
    first.write_bytes(WITH_AN_ERROR)
    corrected = tmp_path / "complaints-tracker-corrected.csv"
    corrected.write_bytes(CORRECTED)
    before = _rows(database)
    assert before["new_source"] == [] and before["batches"] == []

    with (
        StreamlitServer(url, tmp_path / "streamlit.log") as server,
        fresh_page(browser) as (page, errors),
    ):
        page.goto(server.url(IMPORT_PAGE), wait_until="domcontentloaded")
        wait_rendered(page)
        _upload(page, first)
        assert "nothing can be imported yet" in body_text(page)  # 31/02/2026

        page.get_by_test_id("stRadioGroup").first.get_by_text("A new source", exact=True).click()
        _settle(page)
        title = page.get_by_role("textbox", name="Title of the report, review or audit")
        title.fill(NEW_TITLE)
        title.press("Enter")
        _settle(page)
        committee = page.locator('[data-testid="stSelectbox"]').filter(
            has=page.get_by_text("Committee that monitors it", exact=True)
        )
        committee.locator("input").fill(NEW_COMMITTEE)
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_role("spinbutton", name="day, Date issued").click()
        page.keyboard.type("01032026")
        page.keyboard.press("Escape")
        page.get_by_role("heading", name="What the import will do").click()
        _settle(page)
        page.get_by_role("textbox", name="Your name").fill("Sam Officer")
        page.get_by_role("textbox", name="Your name").press("Enter")
        _settle(page)

        # A look at another page and back: Streamlit drops the state of widgets not drawn.
        page.get_by_role("link", name="Recommendations").first.click()
        page.get_by_text("Showing", exact=False).first.wait_for(timeout=30_000)
        _settle(page)
        page.get_by_role("link", name="Import a tracker").first.click()
        page.get_by_role("heading", name="Import a tracker").wait_for(timeout=30_000)
        _settle(page)

        _upload(page, corrected)
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert metrics == ["2", "0", "0"]  # new, changed, unchanged: the error is corrected
        assert _chosen_mode(page) == "A new source"
        assert title.input_value() == NEW_TITLE
        assert committee.locator("input").input_value() == NEW_COMMITTEE
        assert page.get_by_role("textbox", name="Your name").input_value() == "Sam Officer"
        button = page.get_by_role(
            "button", name=f"Import 2 recommendations into “{NEW_TITLE}” (a new source)"
        )
        assert button.is_enabled(), body_text(page)[-800:]
        assert _rows(database) == before  # nothing written yet

        button.click()
        page.get_by_text("Imported complaints-tracker-corrected.csv").wait_for(timeout=30_000)
        _settle(page)
        assert not errors, errors

    after = _rows(database)
    assert after["complaint"] == before["complaint"]  # the unrelated source, untouched
    assert after["new_source"] == [
        ("C1", "scrutiny_review", "2026-03-01", NEW_COMMITTEE, "Sam Officer"),
        ("C2", "scrutiny_review", "2026-03-01", NEW_COMMITTEE, None),  # not started: no update
    ]
    assert after["batches"] == [
        ("complaints-tracker-corrected.csv", NEW_TITLE, 1, "Sam Officer", 2)
    ]
