"""Editing a recommendation in the app: each change kept with who and when, refused whole when
it cannot be kept, and the *as at* views showing each field as it stood on the day.

The story is the seed report (DOMAIN.md): recommendation 2 is owned by Sheila Murphy. On
1 March 2019 its wording is corrected and it passes to Rory Patterson. As at 28 February 2019
the register and the detail still show the old wording and owner; as at 1 March, the new.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import Engine

from data_access import edits, writes
from data_access.edits import StaleEdit
from data_access.filters import Filters
from data_access.queries.changes import recommendation_changes
from data_access.queries.history import history
from data_access.queries.register import recommendation_detail, register_page
from data_access.writes import InvalidUpdate, UpdateDraft
from domain.people import LOCAL_USER

EDITED_ON = date(2019, 3, 1)
DAY_BEFORE = date(2019, 2, 28)
NEW_WORDING = "Consider the issues that may arise from the review, and report on them by June."
WHO = LOCAL_USER.identity


def _everything(url: str) -> dict[str, list]:
    """Every row of every table: a refused edit must leave all of it as it was."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def _rec2(engine: Engine) -> dict:
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT r.id, r.wording, r.owner_id, o.name FROM recommendations r "
            "JOIN officers o ON o.id = r.owner_id WHERE r.ref = '2'"
        ).one()
        rory = conn.exec_driver_sql(
            "SELECT id FROM officers WHERE name = 'Rory Patterson'"
        ).scalar_one()
    return {"id": row[0], "wording": row[1], "owner_id": row[2], "owner": row[3], "rory": rory}


def _edit_wording_and_owner(engine: Engine, rec: dict) -> list[int]:
    with engine.begin() as conn:
        return edits.edit_recommendation(
            conn,
            rec["id"],
            {"wording": NEW_WORDING, "owner_id": rec["rory"]},
            seen={"wording": rec["wording"], "owner_id": rec["owner_id"]},
            changed_by=WHO,
            effective_on=EDITED_ON,
        )


def test_an_edit_changes_the_row_and_records_who_when_and_from_what(seed_db):
    url, engine = seed_db
    rec = _rec2(engine)
    assert rec["owner"] == "Sheila Murphy"
    ids = _edit_wording_and_owner(engine, rec)
    assert len(ids) == 2
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        wording, owner = db.execute(
            "SELECT wording, owner_id FROM recommendations WHERE id = ?", (rec["id"],)
        ).fetchone()
        changes = db.execute(
            "SELECT field, old_value, new_value, changed_by, effective_on, action_id "
            "FROM recommendation_changes ORDER BY id"
        ).fetchall()
    assert (wording, owner) == (NEW_WORDING, rec["rory"])
    assert changes == [
        ("wording", rec["wording"], NEW_WORDING, WHO, "2019-03-01", None),
        ("owner_id", str(rec["owner_id"]), str(rec["rory"]), WHO, "2019-03-01", None),
    ]


def test_as_at_the_day_before_shows_the_old_wording_and_owner_and_after_the_new(seed_db):
    _, engine = seed_db
    rec = _rec2(engine)
    _edit_wording_and_owner(engine, rec)
    with engine.connect() as conn:
        before = recommendation_detail(conn, rec["id"], DAY_BEFORE)
        after = recommendation_detail(conn, rec["id"], EDITED_ON)
        today = recommendation_detail(conn, rec["id"], date.today())
        page_before = register_page(conn, Filters(as_at=DAY_BEFORE)).rows
        page_after = register_page(conn, Filters(as_at=EDITED_ON)).rows
    assert (before.wording, before.owner) == (rec["wording"], "Sheila Murphy")
    assert (after.wording, after.owner) == (NEW_WORDING, "Rory Patterson")
    assert (today.wording, today.owner) == (NEW_WORDING, "Rory Patterson")
    row_before = page_before.set_index("id").loc[rec["id"]]
    row_after = page_after.set_index("id").loc[rec["id"]]
    assert (row_before["wording"], row_before["owner"]) == (rec["wording"], "Sheila Murphy")
    assert (row_after["wording"], row_after["owner"]) == (NEW_WORDING, "Rory Patterson")
    # Recommendations nobody edited are the same on both days.
    others_before = page_before[page_before["id"] != rec["id"]].set_index("id")
    others_after = page_after[page_after["id"] != rec["id"]].set_index("id")
    cols = ["wording", "owner"]
    assert others_before[cols].sort_index().equals(others_after[cols].sort_index())


def test_the_owner_filter_as_at_follows_the_owner_then(seed_db):
    _, engine = seed_db
    rec = _rec2(engine)
    _edit_wording_and_owner(engine, rec)
    with engine.connect() as conn:
        sheila_before = register_page(
            conn, Filters(as_at=DAY_BEFORE, owner_ids=(rec["owner_id"],))
        ).rows
        sheila_after = register_page(
            conn, Filters(as_at=EDITED_ON, owner_ids=(rec["owner_id"],))
        ).rows
    assert rec["id"] in set(sheila_before["id"])
    assert rec["id"] not in set(sheila_after["id"])


def test_the_history_lists_each_change_with_who_and_from_what_to_what(seed_db):
    _, engine = seed_db
    rec = _rec2(engine)
    _edit_wording_and_owner(engine, rec)
    with engine.connect() as conn:
        changes = recommendation_changes(conn, rec["id"])
        before = recommendation_changes(conn, rec["id"], DAY_BEFORE)
    assert before.empty
    assert list(changes["what_changed"]) == [
        f"Wording: {rec['wording']} → {NEW_WORDING}",
        "Owner: Sheila Murphy → Rory Patterson",
    ]
    assert set(changes["changed_by"]) == {WHO}
    assert set(changes["effective_on"].dt.date) == {EDITED_ON}


def test_a_stale_edit_is_refused_and_nothing_is_written(seed_db):
    url, engine = seed_db
    rec = _rec2(engine)
    _edit_wording_and_owner(engine, rec)
    before = _everything(url)
    with pytest.raises(StaleEdit) as refused, engine.begin() as conn:
        # Another officer read the old wording before the edit above, and now saves theirs.
        edits.edit_recommendation(
            conn,
            rec["id"],
            {"wording": "Their version", "priority": "low"},
            seen={"wording": rec["wording"], "priority": "high"},
            changed_by="someone@council.gov.uk",
            effective_on=date(2019, 3, 2),
        )
    assert refused.value.field == "wording"
    assert refused.value.now == NEW_WORDING
    assert _everything(url) == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"wording": "   "}, "The wording cannot be empty."),
        ({"priority": "urgent"}, "is not a priority"),
        ({"owner_id": 999}, "There is no officer number 999."),
        ({"directorate_id": 999}, "There is no directorate number 999."),
        ({"acceptance": "noted", "accepted_on": None}, "Give the date of the response"),
        ({"accepted_on": date(2018, 1, 1)}, "cannot be before the recommendation was made"),
        ({"colour": "red"}, "colour cannot be edited here."),
    ],
)
def test_an_edit_that_cannot_be_kept_is_refused_whole(seed_db, values, message):
    url, engine = seed_db
    rec = _rec2(engine)
    before = _everything(url)
    with pytest.raises(InvalidUpdate) as refused, engine.begin() as conn:
        edits.edit_recommendation(
            conn,
            rec["id"],
            {"wording": "A fine new wording", **values},
            seen={},
            changed_by=WHO,
            effective_on=EDITED_ON,
        )
    assert message in str(refused.value)
    assert _everything(url) == before


def test_a_change_cannot_take_effect_before_the_last_change_of_that_field(seed_db):
    url, engine = seed_db
    rec = _rec2(engine)
    _edit_wording_and_owner(engine, rec)
    before = _everything(url)
    refused = pytest.raises(InvalidUpdate, match="cannot take effect before 1 March 2019")
    with refused, engine.begin() as conn:
        edits.edit_recommendation(
            conn,
            rec["id"],
            {"wording": "Earlier wording"},
            seen={},
            changed_by=WHO,
            effective_on=date(2019, 2, 20),
        )
    assert _everything(url) == before


def test_a_change_needs_a_person(seed_db):
    _, engine = seed_db
    rec = _rec2(engine)
    with pytest.raises(InvalidUpdate, match="records who made it"), engine.begin() as conn:
        edits.edit_recommendation(
            conn, rec["id"], {"priority": "low"}, seen={}, changed_by=" ", effective_on=EDITED_ON
        )


def test_acceptance_and_priority_as_at(seed_db):
    """Recommendation 2 was accepted on 30 November 2018. Corrected on 1 March 2019 to
    partially accepted on 15 January 2019, and its priority lowered: as at 28 February it was
    accepted and high; as at 1 March, partially accepted and low."""
    _, engine = seed_db
    rec = _rec2(engine)
    with engine.begin() as conn:
        edits.edit_recommendation(
            conn,
            rec["id"],
            {
                "acceptance": "partially_accepted",
                "accepted_on": date(2019, 1, 15),
                "priority": "low",
            },
            seen={"acceptance": "accepted", "priority": "high"},
            changed_by=WHO,
            effective_on=EDITED_ON,
        )
    with engine.connect() as conn:
        before = recommendation_detail(conn, rec["id"], DAY_BEFORE)
        after = recommendation_detail(conn, rec["id"], EDITED_ON)
        changes = recommendation_changes(conn, rec["id"])
    assert (before.acceptance.value, before.accepted_on, before.priority) == (
        "accepted",
        date(2018, 11, 30),
        "High",
    )
    assert (after.acceptance.value, after.accepted_on, after.priority) == (
        "partially_accepted",
        date(2019, 1, 15),
        "Low",
    )
    assert "Response date: 30 Nov 2018 → 15 Jan 2019" in list(changes["what_changed"])


def test_source_details_are_corrected_with_a_record(seed_db):
    url, engine = seed_db
    rec = _rec2(engine)
    with engine.begin() as conn:
        edits.edit_source(
            conn,
            rec["id"],
            {"document_url": "https://example.org/report.pdf", "author": "  "},
            seen={},
            changed_by=WHO,
            effective_on=EDITED_ON,
        )
        other = conn.exec_driver_sql("SELECT id FROM recommendations WHERE ref = '3'").scalar()
        listed_with_other = recommendation_changes(conn, other)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        url_now = db.execute("SELECT document_url FROM sources").fetchone()[0]
    assert url_now == "https://example.org/report.pdf"
    assert "Source document link: none → https://example.org/report.pdf" in list(
        listed_with_other["what_changed"]
    )


def _edit_source(engine: Engine, values: dict, seen: dict) -> list[int]:
    with engine.begin() as conn:
        rec_id = conn.exec_driver_sql("SELECT id FROM recommendations WHERE ref = '2'").scalar()
        return edits.edit_source(
            conn, rec_id, values, seen=seen, changed_by=WHO, effective_on=EDITED_ON
        )


@pytest.mark.parametrize(
    ("title", "message"),
    [("   ", "The source needs a title."), ("T" * 501, "The title is too long (at most 500).")],
)
def test_a_source_title_that_cannot_be_kept_is_refused_whole(seed_db, title, message):
    """The title is refused with the author's change beside it: neither is written."""
    url, engine = seed_db
    before = _everything(url)
    with pytest.raises(InvalidUpdate) as refused:
        _edit_source(engine, {"title": title, "author": "Internal Audit"}, seen={})
    assert refused.value.problems == (message,)
    assert _everything(url) == before


def test_a_source_detail_changed_since_it_was_read_is_refused(seed_db):
    url, engine = seed_db
    before = _everything(url)
    with pytest.raises(StaleEdit) as refused:
        _edit_source(engine, {"author": "Internal Audit"}, seen={"author": "Someone else"})
    assert refused.value.field == "source.author"
    assert _everything(url) == before


def test_actions_added_assigned_dated_completed_and_updated(seed_db):
    url, engine = seed_db
    rec = _rec2(engine)
    with engine.begin() as conn:
        action = edits.add_action(
            conn,
            rec["id"],
            "Write the escalation protocol",
            owner_id=None,
            due_date=None,
            changed_by=WHO,
            effective_on=EDITED_ON,
        )
        edits.edit_action(
            conn,
            action,
            {"owner_id": rec["owner_id"], "due_date": date(2019, 6, 30)},
            seen={"owner_id": None, "due_date": None},
            changed_by=WHO,
            effective_on=EDITED_ON,
        )
        edits.add_action_update(
            conn,
            action,
            UpdateDraft(date(2019, 4, 1), WHO, "Draft protocol circulated to team managers."),
        )
    # Completing without evidence is refused whole.
    before = _everything(url)
    with pytest.raises(InvalidUpdate, match="evidence of implementation"), engine.begin() as conn:
        edits.edit_action(
            conn,
            action,
            {"status": "completed", "completed_on": date(2019, 6, 20)},
            seen={"status": "not_started"},
            changed_by=WHO,
            effective_on=date(2019, 6, 20),
        )
    assert _everything(url) == before
    with engine.begin() as conn:
        edits.edit_action(
            conn,
            action,
            {"status": "completed", "completed_on": date(2019, 6, 20), "evidence": "Protocol v1"},
            seen={"status": "not_started"},
            changed_by=WHO,
            effective_on=date(2019, 6, 20),
        )
    with engine.connect() as conn:
        changes = recommendation_changes(conn, rec["id"])
        updates = history(conn, rec["id"])
        detail = recommendation_detail(conn, rec["id"], date(2019, 7, 1))
    assert list(changes["what_changed"]) == [
        "Action added: Write the escalation protocol",
        "Action owner: no owner → Sheila Murphy",
        "Action due date: none → 30 Jun 2019",
        "Action status: Not started → Completed",
        "Action completed on: none → 20 Jun 2019",
        "Action evidence: none → Protocol v1",
    ]
    assert set(changes["action"]) == {"Write the escalation protocol"}
    on_action = updates[updates["action"] == "Write the escalation protocol"]
    assert list(on_action["narrative"]) == ["Draft protocol circulated to team managers."]
    row = detail.actions.iloc[0]
    assert (row["owner"], row["status"], row["evidence"]) == (
        "Sheila Murphy",
        "Completed",
        "Protocol v1",
    )
    # The action's progress update counts as the recommendation's latest update.
    assert detail.last_update_on == date(2019, 4, 1)


def test_an_action_update_cannot_move_the_recommendation(seed_db):
    _, engine = seed_db
    rec = _rec2(engine)
    with engine.begin() as conn:
        action = edits.add_action(
            conn,
            rec["id"],
            "A step",
            owner_id=None,
            due_date=None,
            changed_by=WHO,
            effective_on=EDITED_ON,
        )
    with pytest.raises(InvalidUpdate, match="records progress only"), engine.begin() as conn:
        edits.add_action_update(
            conn,
            action,
            UpdateDraft(date(2019, 4, 1), WHO, "Done", new_status=writes.Status.IMPLEMENTED),
        )


def test_only_a_date_before_an_edit_pays_for_replaying_edits(seed_db):
    """As at today (no edit takes effect later) the state reads the row's columns alone;
    as at the day before an edit, the change records are read."""
    from sqlalchemy import select

    from data_access.state import recommendation_state

    _, engine = seed_db
    rec = _rec2(engine)
    _edit_wording_and_owner(engine, rec)
    with engine.connect() as conn:
        today_sql = str(select(recommendation_state(conn, date.today())).compile())
        before_sql = str(select(recommendation_state(conn, DAY_BEFORE)).compile())
    assert "recommendation_changes" not in today_sql
    assert "recommendation_changes" in before_sql
