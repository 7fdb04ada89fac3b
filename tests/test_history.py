"""The history of a recommendation: every update, from imports and the dashboard alike.

The fixture is an audit recommendation imported from a tracker and then updated by officers,
with one update recorded late (dated before an earlier-recorded one). The from → to values
expected below are worked out by hand from that story, not from the code under test.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from data_access.db import open_tracker
from data_access.models import Committee, Meeting
from data_access.queries.history import history
from data_access.writes import (
    NewRecommendation,
    NewSource,
    UpdateDraft,
    add_recommendation,
    add_source,
    add_update,
)
from domain.formatting import long_date
from domain.vocabulary import ReportBack, SourceKind, Status
from tests.oracle import day
from ui.text import plain

PAGE = "pages/register.py"
ORIGINAL_TARGET = date(2025, 3, 31)
IMPORTED = "Imported from audit-tracker-2025.xlsx"
MEETING = date(2025, 7, 15)


@pytest.fixture
def story_db(tmp_path: Path) -> tuple[str, Engine, int]:
    """One recommendation with five updates: (url, engine, recommendation id)."""
    url = f"sqlite:///{tmp_path / 'story.db'}"
    engine, _ = open_tracker(url)
    with engine.begin() as conn:
        committee = conn.execute(
            insert(Committee).values(name="Audit and Governance Committee").returning(Committee.id)
        ).scalar_one()
        meeting = conn.execute(
            insert(Meeting)
            .values(committee_id=committee, meeting_date=MEETING)
            .returning(Meeting.id)
        ).scalar_one()
        source = add_source(
            conn,
            NewSource(
                title="Internal audit: payroll controls",
                kind=SourceKind.INTERNAL_AUDIT,
                date_issued=date(2025, 1, 10),
                committee_id=committee,
            ),
        )
        rec = add_recommendation(
            conn,
            NewRecommendation(
                source_id=source,
                committee_id=committee,
                ref="PR-03",
                wording="Reconcile payroll to the ledger every month.",
                made_on=date(2025, 1, 10),
                original_target_date=ORIGINAL_TARGET,
            ),
            [
                UpdateDraft(date(2025, 2, 1), IMPORTED, "Work has begun.", Status.IN_PROGRESS),
                UpdateDraft(
                    date(2025, 3, 1),
                    IMPORTED,
                    "Ledger upgrade delayed.",
                    new_target_date=date(2025, 6, 30),
                    target_change_reason="imported from audit-tracker-2025.xlsx",
                ),
            ],
        )
    with engine.begin() as conn:
        add_update(
            conn,
            rec,
            UpdateDraft(
                date(2025, 7, 1),
                "Priya Shah",
                "Monthly reconciliations in place since May.",
                Status.IMPLEMENTED,
                report_back=ReportBack.NEXT_MEETING,
                evidence="Reconciliation sign-off sheets, May and June",
            ),
        )
    with engine.begin() as conn:
        add_update(  # dated 1 May, recorded after the 1 July update: written up late
            conn,
            rec,
            UpdateDraft(
                date(2025, 5, 1),
                "Priya Shah",
                "Still in progress <script>x</script>.",
                Status.IN_PROGRESS,
                new_target_date=date(2025, 8, 31),
                target_change_reason="Staff *shortage* in payroll",
            ),
        )
    with engine.begin() as conn:
        add_update(
            conn,
            rec,
            UpdateDraft(
                MEETING,
                "Committee clerk",
                "Noted by the committee.",
                Status.CLOSED,
                meeting_id=meeting,
            ),
        )
    yield url, engine, rec
    engine.dispose()


# Worked by hand: (date, author, status from, status to, target from, target to).
EXPECTED = [
    (date(2025, 2, 1), IMPORTED, "Not started", "In progress", ORIGINAL_TARGET, ORIGINAL_TARGET),
    (date(2025, 3, 1), IMPORTED, "In progress", "In progress", ORIGINAL_TARGET, date(2025, 6, 30)),
    (
        date(2025, 5, 1),
        "Priya Shah",
        "In progress",
        "In progress",
        date(2025, 6, 30),
        date(2025, 8, 31),
    ),
    (
        date(2025, 7, 1),
        "Priya Shah",
        "In progress",
        Status.IMPLEMENTED.label,
        date(2025, 8, 31),
        date(2025, 8, 31),
    ),
    (
        MEETING,
        "Committee clerk",
        Status.IMPLEMENTED.label,
        "Closed",
        date(2025, 8, 31),
        date(2025, 8, 31),
    ),
]


def _as_date(value) -> date | None:
    return None if pd.isna(value) else value.date()


def test_history_is_in_date_order_with_what_each_update_changed(story_db) -> None:
    _, engine, rec = story_db
    with engine.connect() as conn:
        frame = history(conn, rec)
    shown = [
        (
            _as_date(r.update_date),
            r.author,
            r.status_from,
            r.status_to,
            _as_date(r.target_from),
            _as_date(r.target_to),
        )
        for r in frame.itertuples()
    ]
    assert shown == EXPECTED
    assert list(frame["status_changed"]) == [True, False, True, True, True]
    assert list(frame["target_changed"]) == [False, True, True, False, False]
    assert frame["what_changed"][1] == "Target: 31 Mar 2025 → 30 Jun 2025"
    assert frame["what_changed"][2] == (
        "Status unchanged: In progress; Target: 30 Jun 2025 → 31 Aug 2025"
    )
    assert frame["what_changed"][3] == (
        f"Status: In progress → {Status.IMPLEMENTED.label}; Report to the next committee"
    )
    assert frame["target_change_reason"][2] == "Staff *shortage* in payroll"
    assert frame["evidence"][3] == "Reconciliation sign-off sheets, May and June"
    assert _as_date(frame["meeting_date"][4]) == MEETING
    assert frame["recorded_at"].notna().all()
    # The 1 May update was recorded after the 1 July one, but sits at its date.
    ids = list(frame["id"])
    assert ids[2] > ids[3]


def test_history_as_at_an_earlier_date_stops_there(story_db) -> None:
    _, engine, rec = story_db
    with engine.connect() as conn:
        frame = history(conn, rec, as_at=date(2025, 5, 31))
    assert [_as_date(d) for d in frame["update_date"]] == [e[0] for e in EXPECTED[:3]]


def test_history_of_an_unknown_recommendation_is_empty(story_db) -> None:
    _, engine, _ = story_db
    with engine.connect() as conn:
        frame = history(conn, 999_999)
    assert frame.empty


def test_the_last_entry_agrees_with_the_stored_state_on_every_demo_recommendation(
    demo_db,
) -> None:
    """What the history says each item became is what the register shows for it today."""
    url, engine = demo_db
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        stored = {
            rec_id: (status, day(target))
            for rec_id, status, target in db.execute(
                "SELECT id, status, current_target_date FROM recommendations "
                "WHERE last_update_on IS NOT NULL"
            )
        }
    checked = 0
    with engine.connect() as conn:
        for rec_id, (status, target) in stored.items():
            last = history(conn, rec_id).iloc[-1]
            assert last["status_to"] == Status(status).label, rec_id
            assert _as_date(last["target_to"]) == target, rec_id
            checked += 1
    assert checked > 300


def test_the_history_tab_shows_every_update_newest_first(story_db, page_app) -> None:
    url, _, rec = story_db
    app = page_app(PAGE, url, {"rec": str(rec)})
    assert not app.exception
    assert app.tabs[1].label == "History (5)"
    texts = [e.value for e in (*app.markdown, *app.caption)]
    headings = [t for t in texts if re.match(r"\*\*\d+ \w+ \d{4}\*\*", t)]
    assert headings == [
        f"**{long_date(when)}** · {plain(author)}" for when, author, *_ in reversed(EXPECTED)
    ]
    assert any(
        plain("Status unchanged: In progress; Target: 30 Jun 2025 → 31 Aug 2025") in t
        for t in texts
    )
    assert any(f"Reported to the meeting of {long_date(MEETING)}" in t for t in texts)
    assert f"**Reason for the new target:** {plain('Staff *shortage* in payroll')}" in texts
    assert plain("Still in progress <script>x</script>.") in texts
    assert not [t for t in texts if re.search(r"(?<!\\)<\s*script", t)]


def test_older_updates_are_listed_below_and_the_whole_history_is_a_file(
    story_db, page_app, monkeypatch
) -> None:
    import views.history_view

    monkeypatch.setattr(views.history_view, "MAX_ENTRIES", 2)
    url, _, rec = story_db
    app = page_app(PAGE, url, {"rec": str(rec)})
    assert not app.exception
    assert "3 older updates" in [expander.label for expander in app.expander]
    older = app.dataframe[-1].value
    # Newest first: the three oldest updates, from the 1 May one back.
    assert list(older["author"]) == [author for _, author, *_ in reversed(EXPECTED[:3])]
    buttons = {button.key: button for button in app.download_button}
    assert buttons["download_history_csv"].proto.deferred_file_id, "built only on the click"
