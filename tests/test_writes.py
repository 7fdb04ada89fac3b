"""The one way history is written: updates, new recommendations, and refusing stale writes."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import Engine

from data_access import names, writes
from data_access.writes import (
    ConcurrentChange,
    InvalidUpdate,
    NewRecommendation,
    NewSource,
    UpdateDraft,
)
from domain.replay import replay
from domain.vocabulary import ReportBack, SourceKind, Status
from tests.oracle import day, update_facts_by_recommendation


def _raw(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.removeprefix("sqlite:///"))


def _snapshot(url: str) -> tuple[list, list]:
    with _raw(url) as db:
        return (
            db.execute("SELECT * FROM recommendations ORDER BY id").fetchall(),
            db.execute("SELECT * FROM progress_updates ORDER BY id").fetchall(),
        )


def _seed_rec(url: str, ref: str) -> tuple[int, date | None]:
    with _raw(url) as db:
        rec_id, target = db.execute(
            "SELECT id, current_target_date FROM recommendations WHERE ref = ?", (ref,)
        ).fetchone()
    return rec_id, day(target)


def _stored_state(url: str, rec_id: int) -> tuple:
    with _raw(url) as db:
        status, target, revisions, last, since = db.execute(
            "SELECT status, current_target_date, revision_count, last_update_on, "
            "report_back_since FROM recommendations WHERE id = ?",
            (rec_id,),
        ).fetchone()
    return Status(status), day(target), revisions, day(last), day(since)


def _replayed_state(url: str, rec_id: int, original: date | None = None) -> tuple:
    with _raw(url) as db:
        facts = update_facts_by_recommendation(db)[rec_id]
    state = replay(original, facts)
    return (
        state.status,
        state.current_target_date,
        state.revision_count,
        state.last_update_on,
        state.report_back_since,
    )


def test_an_update_is_recorded_and_the_current_state_follows_the_history(seed_db) -> None:
    url, engine = seed_db
    rec_id, _ = _seed_rec(url, "2")
    draft = UpdateDraft(
        update_date=date(2019, 3, 1),
        author="  Sheila Murphy ",
        narrative="Protocol agreed with partners.",
        new_status=Status.IMPLEMENTED,
        new_target_date=date(2019, 4, 30),
        target_change_reason="Partner sign-off took longer",
        report_back=ReportBack.NOT_REQUIRED,
    )
    with engine.begin() as conn:
        update_id = writes.add_update(conn, rec_id, draft)
    with _raw(url) as db:
        author, narrative, reason = db.execute(
            "SELECT author, narrative, target_change_reason FROM progress_updates WHERE id = ?",
            (update_id,),
        ).fetchone()
    assert (author, narrative, reason) == (
        "Sheila Murphy",
        "Protocol agreed with partners.",
        "Partner sign-off took longer",
    )
    stored = _stored_state(url, rec_id)
    assert stored == _replayed_state(url, rec_id)
    assert stored[0] is Status.IMPLEMENTED and stored[1] == date(2019, 4, 30) and stored[2] == 1


def test_a_target_change_without_a_reason_writes_nothing(seed_db) -> None:
    url, engine = seed_db
    rec_id, _ = _seed_rec(url, "3")
    before = _snapshot(url)
    draft = UpdateDraft(date(2019, 3, 1), "A Officer", "Later.", new_target_date=date(2019, 9, 1))
    with pytest.raises(InvalidUpdate) as refused, engine.begin() as conn:
        writes.add_update(conn, rec_id, draft)
    assert refused.value.problems == ("Give a reason for changing the target date.",)
    assert _snapshot(url) == before


@pytest.mark.parametrize(
    ("author", "narrative", "expected"),
    [
        ("", "Something", "Enter your name: every update records who made it."),
        ("A Officer", "   ", "Enter the update itself: what has happened since the last one."),
    ],
)
def test_an_update_needs_a_name_and_words(seed_db, author, narrative, expected) -> None:
    url, engine = seed_db
    rec_id, _ = _seed_rec(url, "3")
    before = _snapshot(url)
    with pytest.raises(InvalidUpdate) as refused, engine.begin() as conn:
        writes.add_update(conn, rec_id, UpdateDraft(date(2019, 3, 1), author, narrative))
    assert expected in refused.value.problems
    assert _snapshot(url) == before


def test_a_write_based_on_a_stale_read_is_refused_and_shows_the_newer_change(
    seed_db: tuple[str, Engine],
) -> None:
    url, engine = seed_db
    rec_id, _ = _seed_rec(url, "2")
    with engine.connect() as conn:
        seen_by_both = writes.latest_update_id(conn, rec_id)
    theirs = UpdateDraft(date(2019, 3, 2), "Rory Patterson", "Done.", new_status=Status.IMPLEMENTED)
    with engine.begin() as conn:
        writes.add_update(conn, rec_id, theirs, expected_latest_update_id=seen_by_both)
    after_theirs = _snapshot(url)
    mine = UpdateDraft(date(2019, 3, 3), "Sheila Murphy", "Still going.")
    with pytest.raises(ConcurrentChange) as refused, engine.begin() as conn:
        writes.add_update(conn, rec_id, mine, expected_latest_update_id=seen_by_both)
    assert [row["author"] for row in refused.value.newer_updates] == ["Rory Patterson"]
    assert refused.value.newer_updates[0]["new_status"] == Status.IMPLEMENTED.value
    assert _snapshot(url) == after_theirs


def test_reopening_a_closed_recommendation_forgets_the_meeting_that_closed_it(seed_db) -> None:
    url, engine = seed_db
    rec_id, _ = _seed_rec(url, "1")
    with _raw(url) as db:
        assert db.execute(
            "SELECT closed_at_meeting_id FROM recommendations WHERE id = ?", (rec_id,)
        ).fetchone()[0]
    draft = UpdateDraft(date(2019, 6, 1), "Audit", "Reopened.", new_status=Status.IN_PROGRESS)
    with engine.begin() as conn:
        writes.add_update(conn, rec_id, draft)
    with _raw(url) as db:
        status, closed_at = db.execute(
            "SELECT status, closed_at_meeting_id FROM recommendations WHERE id = ?", (rec_id,)
        ).fetchone()
    assert (status, closed_at) == (Status.IN_PROGRESS.value, None)


def test_a_new_recommendation_takes_its_state_from_its_first_updates(empty_db) -> None:
    url, engine = empty_db
    with engine.begin() as conn:
        committee = names.committee_id(conn, "Audit  Committee", create=True)
        source = writes.add_source(
            conn, NewSource("Payroll audit", SourceKind.INTERNAL_AUDIT, date(2026, 1, 10))
        )
        owner = names.officer_id(conn, "Jo Bloggs")
        rec_id = writes.add_recommendation(
            conn,
            NewRecommendation(
                source, committee, " P1 ", "Reconcile payroll monthly.", date(2026, 1, 10),
                owner_id=owner, original_target_date=date(2026, 3, 31),
            ),
            [
                UpdateDraft(date(2026, 2, 1), "Jo Bloggs", "Started.", Status.IN_PROGRESS),
                UpdateDraft(
                    date(2026, 4, 1), "Jo Bloggs", "Needs new system.",
                    new_target_date=date(2026, 6, 30), target_change_reason="System delay",
                ),
            ],
        )  # fmt: skip
    assert _stored_state(url, rec_id) == _replayed_state(url, rec_id, date(2026, 3, 31))
    with _raw(url) as db:
        ref, due = db.execute(
            "SELECT r.ref, s.response_due_on FROM recommendations r "
            "JOIN sources s ON s.id = r.source_id WHERE r.id = ?",
            (rec_id,),
        ).fetchone()
    assert (ref, day(due)) == ("P1", date(2026, 3, 10))


def test_a_second_recommendation_with_the_same_ref_is_refused(seed_db) -> None:
    url, engine = seed_db
    with _raw(url) as db:
        source, committee = db.execute(
            "SELECT source_id, committee_id FROM recommendations LIMIT 1"
        ).fetchone()
    before = _snapshot(url)
    with pytest.raises(InvalidUpdate) as refused, engine.begin() as conn:
        writes.add_recommendation(
            conn, NewRecommendation(source, committee, "4", "Again.", date(2019, 1, 1))
        )
    assert refused.value.problems == ("The source already has a recommendation 4.",)
    assert _snapshot(url) == before


def test_names_are_found_whatever_their_case_and_spacing(seed_db) -> None:
    url, engine = seed_db
    with _raw(url) as db:
        (sheila,) = db.execute("SELECT id FROM officers WHERE name = 'Sheila Murphy'").fetchone()
        (committees,) = db.execute("SELECT count(*) FROM committees").fetchone()
    with engine.begin() as conn:
        assert names.officer_id(conn, "  sheila   MURPHY ") == sheila
        assert names.committee_id(conn, "No such committee") is None
        assert names.directorate_id(conn, "   ") is None
    with _raw(url) as db:
        assert db.execute("SELECT count(*) FROM committees").fetchone() == (committees,)


def test_the_same_target_again_is_no_revision_and_needs_no_reason(empty_db) -> None:
    url, engine = empty_db
    with engine.begin() as conn:
        committee = names.committee_id(conn, "Audit Committee", create=True)
        source = writes.add_source(
            conn, NewSource("Payroll audit", SourceKind.INTERNAL_AUDIT, date(2026, 1, 10))
        )
        rec_id = writes.add_recommendation(
            conn,
            NewRecommendation(
                source, committee, "P1", "Reconcile.", date(2026, 1, 10),
                original_target_date=date(2026, 3, 31),
            ),
            [UpdateDraft(date(2026, 2, 1), "Jo", "Same date.", new_target_date=date(2026, 3, 31))],
        )  # fmt: skip
        writes.add_update(
            conn,
            rec_id,
            UpdateDraft(date(2026, 2, 2), "Jo", "Still.", new_target_date=date(2026, 3, 31)),
        )
    with _raw(url) as db:
        targets = db.execute("SELECT new_target_date FROM progress_updates").fetchall()
    assert targets == [(None,), (None,)]
    assert _stored_state(url, rec_id)[2] == 0  # no revision counted


def test_a_batch_records_every_update_in_order_or_none(seed_db) -> None:
    url, engine = seed_db
    two, _ = _seed_rec(url, "2")
    three, _ = _seed_rec(url, "3")
    with engine.connect() as conn:
        seen_three = writes.latest_update_id(conn, three)
    batch = [
        writes.PendingUpdate(
            two,
            UpdateDraft(
                date(2019, 4, 1), "Clerk", "New target.",
                new_target_date=date(2019, 9, 30), target_change_reason="Consultation",
            ),
        ),
        writes.PendingUpdate(
            two,
            UpdateDraft(
                date(2019, 5, 1), "Clerk", "Later again.",
                new_target_date=date(2019, 12, 31), target_change_reason="Elections",
            ),
        ),
        writes.PendingUpdate(
            three, UpdateDraft(date(2019, 4, 2), "Clerk", "Done.", Status.IMPLEMENTED), seen_three
        ),
    ]  # fmt: skip
    # Someone else updates 3 first: the whole batch is refused.
    with engine.begin() as conn:
        writes.add_update(conn, three, UpdateDraft(date(2019, 3, 20), "Other", "Theirs."))
    before = _snapshot(url)
    with pytest.raises(ConcurrentChange), engine.begin() as conn:
        writes.add_updates(conn, batch)
    assert _snapshot(url) == before
    # Seen afresh, it goes through: both revisions counted, each state the replay's.
    with engine.connect() as conn:
        fresh = writes.latest_update_id(conn, three)
    batch[2] = writes.PendingUpdate(three, batch[2].draft, fresh)
    with engine.begin() as conn:
        assert len(writes.add_updates(conn, batch)) == 3
    for rec_id in (two, three):
        assert _stored_state(url, rec_id) == _replayed_state(url, rec_id)
    assert _stored_state(url, two)[1:3] == (date(2019, 12, 31), 2)
    assert _stored_state(url, three)[0] is Status.IMPLEMENTED
