"""Saving a reviewed committee report: all rows or none, with the history DOMAIN.md asks for."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from data_access.models import Meeting, ProgressUpdate, Recommendation, Source
from data_access.names import committee_id
from data_access.report_import import ProposalRefused, save_proposal
from data_access.writes import NewSource
from domain.vocabulary import Acceptance, ReportBack, SourceKind, Status
from importing.report_parse import parse_report

SEED = Path("/work/shared/seed/social-care-review-update-2019-02-12.txt")
if not SEED.exists():
    pytest.skip("the shared seed report is not available", allow_module_level=True)
SEED_TEXT = SEED.read_text(encoding="utf-8")
MEETING = date(2019, 2, 12)
COMMITTEE = "Children's Services Overview and Scrutiny Committee"
TABLES = ("sources", "recommendations", "progress_updates", "meetings", "committees", "officers")


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the tables an import can touch: equal snapshots mean nothing changed."""
    with engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
            for table in TABLES
        }


def _new_source(engine: Engine) -> NewSource:
    with engine.begin() as connection:
        committee = committee_id(connection, COMMITTEE, create=True)
    return NewSource(
        title="Independent investigation into whistleblowing allegations (2018)",
        kind=SourceKind.INDEPENDENT_REVIEW,
        date_issued=date(2018, 11, 30),
        committee_id=committee,
    )


def test_saving_the_seed_records_six_recommendations_with_their_updates(empty_db) -> None:
    _, engine = empty_db
    rows = parse_report(SEED_TEXT).recommendations
    source = _new_source(engine)

    with engine.begin() as connection:
        result = save_proposal(connection, source, rows, "Scrutiny officer", MEETING)

    assert result.created == ["1", "2", "3", "4", "5", "6"]
    with engine.connect() as connection:
        recs = connection.execute(
            select(Recommendation).order_by(Recommendation.id)
        ).mappings().all()  # fmt: skip
        updates = connection.execute(
            select(ProgressUpdate).order_by(ProgressUpdate.recommendation_id)
        ).mappings().all()  # fmt: skip
        meeting_id = connection.execute(
            select(Meeting.id).where(Meeting.meeting_date == MEETING)
        ).scalar_one()
    assert [r["ref"] for r in recs] == ["1", "2", "3", "4", "5", "6"]
    # DOMAIN.md: 1, 4, 5, 6 closed at the 12 February 2019 meeting; 2 and 3 in progress.
    assert [r["status"] for r in recs] == ["closed", "in_progress", "in_progress"] + ["closed"] * 3
    assert [r["closed_at_meeting_id"] for r in recs] == [meeting_id, None, None] + [meeting_id] * 3
    assert [r["report_back_since"] for r in recs] == [None, MEETING, MEETING, None, None, None]
    # One update each: the report's response, by the officer, reported to that meeting.
    assert len(updates) == 6
    assert {u["author"] for u in updates} == {"Scrutiny officer"}
    assert {u["update_date"] for u in updates} == {MEETING}
    assert {u["meeting_id"] for u in updates} == {meeting_id}
    assert [u["report_back"] for u in updates] == [
        None, ReportBack.NEXT_MEETING.value, ReportBack.TO_COMMITTEE.value, None, None, None,
    ]  # fmt: skip
    assert updates[1]["narrative"].endswith("will be reported to the next committee.")
    assert updates[0]["evidence"] in SEED_TEXT
    # Implemented and closed at the meeting: accepting it is implied, so 1, 4, 5 and 6 are
    # Accepted from that day; 2 and 3 give no word and await the response.
    assert [(r["acceptance"], r["accepted_on"]) for r in recs] == [
        (Acceptance.ACCEPTED.value, MEETING),
        (Acceptance.AWAITING_RESPONSE.value, None),
        (Acceptance.AWAITING_RESPONSE.value, None),
    ] + [(Acceptance.ACCEPTED.value, MEETING)] * 3


def test_saving_the_same_report_again_changes_nothing(empty_db) -> None:
    _, engine = empty_db
    rows = parse_report(SEED_TEXT).recommendations
    with engine.begin() as connection:
        first = save_proposal(connection, _new_source(engine), rows, "Officer", MEETING)
    before = snapshot(engine)

    with engine.begin() as connection:
        again = save_proposal(connection, first.source_id, rows, "Officer", MEETING)

    assert again.unchanged == ["1", "2", "3", "4", "5", "6"]
    assert again.created == [] and again.updated == []
    assert snapshot(engine) == before


def test_a_later_report_on_the_same_source_adds_progress_updates(seed_db) -> None:
    _, engine = seed_db
    later = """Children's Services Overview and Scrutiny Committee
12 March 2019

2.1 Recommendation 2.

Consider any issues that may arise from the ongoing Court Proceedings.

All social workers have now completed the training. This recommendation has now been
implemented.
"""
    rows = parse_report(later.replace("been\nimplemented", "been implemented")).recommendations
    with engine.connect() as connection:
        source_id = connection.execute(select(Source.id)).scalar_one()
        rec_2 = connection.execute(
            select(Recommendation.id).where(Recommendation.ref == "2")
        ).scalar_one()
    assert [(r.ref, r.status) for r in rows] == [("2", "implemented")]

    with engine.begin() as connection:
        result = save_proposal(connection, source_id, rows, "Sheila Murphy", date(2019, 3, 12))

    assert result.updated == ["2"] and result.created == []
    with engine.connect() as connection:
        status, last = connection.execute(
            select(Recommendation.status, Recommendation.last_update_on).where(
                Recommendation.id == rec_2
            )
        ).one()
        count = connection.execute(
            select(func.count()).where(ProgressUpdate.recommendation_id == rec_2)
        ).scalar_one()
    assert (status, last, count) == ("implemented", date(2019, 3, 12), 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda rows: [replace(rows[0], status="unclear")] + rows[1:],
            "Choose a status for row 1 (1): the report does not say.",
        ),
        (
            lambda rows: rows[:2] + [replace(rows[2], ref="2")] + rows[3:],
            "References must differ; these repeat one: row 2 (2), row 3 (2).",
        ),
        (
            lambda rows: rows[:4] + [replace(rows[4], ref="  ")] + rows[5:],
            "Give a reference to row 5.",
        ),
        (
            lambda rows: [replace(rows[0], due="next spring")] + rows[1:],
            "These target dates are not dates the tracker can read: row 1 (1) (“next spring”).",
        ),
        (
            lambda rows: [replace(rows[0], text="")] + rows[1:],
            "Give the recommendation's wording in row 1 (1).",
        ),
        (lambda rows: [], "There are no recommendations to save."),
    ],  # fmt: skip
)
def test_rows_not_ready_are_refused_by_name_and_nothing_is_written(
    empty_db, change, message
) -> None:
    _, engine = empty_db
    rows = change(list(parse_report(SEED_TEXT).recommendations))
    source = _new_source(engine)
    before = snapshot(engine)

    with pytest.raises(ProposalRefused) as refused, engine.begin() as connection:
        save_proposal(connection, source, rows, "Officer", MEETING)

    assert any(problem.startswith(message) for problem in refused.value.problems)
    assert snapshot(engine) == before


def test_no_author_or_committee_is_refused_and_nothing_is_written(empty_db) -> None:
    _, engine = empty_db
    rows = parse_report(SEED_TEXT).recommendations
    source = replace(_new_source(engine), committee_id=None)
    before = snapshot(engine)

    with pytest.raises(ProposalRefused) as refused, engine.begin() as connection:
        save_proposal(connection, source, rows, "  ", MEETING)

    assert refused.value.problems == (
        "Enter your name: every progress update records who made it.",
        "Choose the committee that monitors these recommendations.",
    )
    assert snapshot(engine) == before


def test_a_failure_part_way_writes_nothing(empty_db, monkeypatch) -> None:
    """The save is one transaction: a database error on the fifth row undoes the first four."""
    _, engine = empty_db
    rows = parse_report(SEED_TEXT).recommendations
    source = _new_source(engine)
    before = snapshot(engine)
    import data_access.report_import as module

    real = module.add_recommendation
    calls = []

    def failing(connection, new, updates=()):
        calls.append(new.ref)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        return real(connection, new, updates)

    monkeypatch.setattr(module, "add_recommendation", failing)
    with pytest.raises(RuntimeError), engine.begin() as connection:
        save_proposal(connection, source, rows, "Officer", MEETING)

    assert snapshot(engine) == before


def test_owner_date_and_acceptance_from_the_report_are_kept(empty_db) -> None:
    _, engine = empty_db
    report = """Housing Scrutiny Panel

R1 – Review the allocation policy (Accepted in principle)
Response: The review is in progress.
Lead officer: Jane Smith
Target date: 31/01/2026
"""
    rows = parse_report(report).recommendations
    with engine.begin() as connection:
        panel = committee_id(connection, "Housing Scrutiny Panel", create=True)
        save_proposal(
            connection,
            NewSource("Temporary accommodation review", SourceKind.SCRUTINY_REVIEW,
                      date(2025, 1, 10), committee_id=panel),
            rows, "Officer", date(2025, 3, 3),
        )  # fmt: skip
    with engine.connect() as connection:
        rec = connection.execute(select(Recommendation)).mappings().one()
        owner = connection.execute(
            text("SELECT name FROM officers WHERE id = :id"), {"id": rec["owner_id"]}
        ).scalar_one()
    assert (rec["acceptance"], rec["accepted_in_principle"]) == ("accepted", True)
    assert rec["original_target_date"] == date(2026, 1, 31)
    assert rec["status"] == Status.IN_PROGRESS.value
    assert owner == "Jane Smith"
