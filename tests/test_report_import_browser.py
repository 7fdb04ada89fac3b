"""Import a committee report in real Chromium (issue 8, items 4 and 7): a report saying
recommendation 1 was implemented and closed at the meeting is saved closed and accepted (not
"awaiting response"), and Next committee then lists only what must come back (recommendation
2, committed to report back), not the closed one.

The report is pasted (the upload path is the tracker import's browser test); everything else
is the officer's journey: read, review, say where it belongs, save, open Next committee.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import StreamlitServer, body_text, fresh_page, wait_rendered
from ui.navigation import page_by_url

pytestmark = pytest.mark.browser

IMPORT_PAGE = page_by_url("import_report")
NEXT_PAGE = page_by_url("next_committee")
COMMITTEE = "Children's Services Overview and Scrutiny Committee"  # the seed's, with its calendar
TITLE = "Review of foster carer support (2018)"
CLOSED_WORDING = "Recruit two more foster carer support workers."
OPEN_WORDING = "Review the foster carer handbook with carers."
REPORT = f"""{COMMITTEE}
12 February 2019
Update on the recommendations of the review of foster carer support

1.1 That the Overview and Scrutiny Committee notes the progress made in implementing the recommendations.

2.1 Recommendation 1.

{CLOSED_WORDING}

Both posts were filled in January. This recommendation has now been implemented and the Committee closed it at this meeting.

2.2 Recommendation 2.

{OPEN_WORDING}

Officers are drafting the new handbook with a group of carers. Progress will be reported to the next committee.
"""  # noqa: E501


def _settle(page: Any) -> None:
    page.wait_for_timeout(600)
    wait_rendered(page)


def _saved(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            """SELECT r.ref, r.wording, r.status, r.acceptance, r.report_back_since
               FROM recommendations r JOIN sources s ON s.id = r.source_id
               WHERE s.title = ? ORDER BY r.ref""",
            (TITLE,),
        ).fetchall()


def _committee_id(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT id FROM committees WHERE name = ?", (COMMITTEE,)).fetchone()[0]


def _grid_cells(page: Any) -> list[str]:
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    return [cells.nth(i).text_content() or "" for i in range(cells.count())]


def test_a_report_closing_an_item_is_saved_accepted_and_not_listed_as_due_back(
    browser: Any, seed_db: tuple[str, Any], tmp_path: Path
) -> None:
    url, engine = seed_db
    database = Path(engine.url.database)
    with (
        StreamlitServer(url, tmp_path / "streamlit.log") as server,
        fresh_page(browser) as (page, errors),
    ):
        page.goto(server.url(IMPORT_PAGE), wait_until="domcontentloaded")
        wait_rendered(page)
        page.get_by_role("tab", name="Paste its text").click()
        page.get_by_role("textbox", name="Report text").fill(REPORT)
        page.get_by_role("button", name="Read the report").click()
        page.get_by_text("Check the 2 recommendations found").wait_for(timeout=30_000)
        _settle(page)
        assert "proposed as closed" in body_text(page)  # the report asks to note them
        assert _saved(database) == []  # reading writes nothing

        page.get_by_role("textbox", name="Title of the report, review or audit").fill(TITLE)
        committee = page.locator('[data-testid="stSelectbox"]').filter(
            has=page.get_by_text("Committee that monitors it", exact=True)
        )
        committee.locator("input").fill(COMMITTEE)
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_role("textbox", name="Your name").fill("Sam Officer")
        page.get_by_role("textbox", name="Your name").press("Enter")
        _settle(page)
        page.get_by_role("button", name=f"Save 2 recommendations into “{TITLE}”").click()
        page.get_by_text("Saved: added 2 recommendations").wait_for(timeout=30_000)
        _settle(page)

        saved = _saved(database)
        assert [row[:4] for row in saved] == [
            ("1", CLOSED_WORDING, "closed", "accepted"),
            ("2", OPEN_WORDING, "in_progress", "awaiting_response"),
        ]
        assert saved[1][4] == "2019-02-12"  # must come back: the report said so

        # The day after the meeting, what must come back to the next one (12 March 2019).
        query = f"as_at=2019-02-13&meeting_committee={_committee_id(database)}"
        page.goto(server.url(NEXT_PAGE, query), wait_until="domcontentloaded")
        page.get_by_text("Next meeting: 12 March 2019").wait_for(timeout=30_000)
        _settle(page)
        text = body_text(page)
        assert TITLE in text, text[-1500:]
        cells = _grid_cells(page)
        assert OPEN_WORDING in cells, cells
        assert CLOSED_WORDING not in cells, "a closed item is never due back"
        assert not errors, errors
