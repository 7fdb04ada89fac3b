"""The seed report as data, exactly as DOMAIN.md describes it (data_access/seed.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from data_access import rules_sql
from data_access.models import (
    Committee,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.seed import SEED_COMMITTEE, SEED_SOURCE_TITLE
from data_access.state import needs_replay, next_meetings, recommendation_state
from domain.vocabulary import ReportBack, SourceKind, Status

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT.parent / "shared" / "seed" / "social-care-review-update-2019-02-12.txt"
MEETING = date(2019, 2, 12)
REFS = ["1", "2", "3", "4", "5", "6"]
CLOSED = {"1", "4", "5", "6"}
IN_PROGRESS = {"2", "3"}

HEADING = re.compile(r"^\s*\d+\.\d+\s+\**\s*Recommendation\s+(\d+)\.?\s*\**\s*$")
NEXT_SECTION = re.compile(r"^\s*\d+\.\s+\S")


def normalised(text: str) -> str:
    return " ".join(text.split())


def report_sections() -> dict[str, list[str]]:
    """Paragraphs under each "Recommendation N." heading of the seed report, by N."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if current is not None and paragraph:
            current.append(normalised(" ".join(paragraph)))
        paragraph.clear()

    for line in SEED_REPORT.read_text(encoding="utf-8").splitlines():
        heading = HEADING.match(line)
        if heading or NEXT_SECTION.match(line):
            end_paragraph()
            current = sections.setdefault(heading.group(1), []) if heading else None
        elif not line.strip():
            end_paragraph()
        else:
            paragraph.append(line)
    end_paragraph()
    return sections


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", normalised(text)) if s]


def test_the_seed_report_is_where_ci_finds_it() -> None:
    assert SEED_REPORT.is_file(), f"shared/ is expected beside the repository: {SEED_REPORT}"
    assert sorted(report_sections()) == REFS


# The data --------------------------------------------------------------------------------


def recommendations(connection: Connection) -> dict[str, dict]:
    rows = connection.execute(select(Recommendation.__table__)).mappings()
    return {row["ref"]: dict(row) for row in rows}


def meeting_on(connection: Connection, day: date) -> int:
    return connection.execute(select(Meeting.id).where(Meeting.meeting_date == day)).scalar_one()


def test_one_source_the_independent_review(seed_db) -> None:
    _, engine = seed_db
    with engine.connect() as connection:
        sources = connection.execute(select(Source.__table__)).mappings().all()
        committee = connection.execute(select(Committee.id, Committee.name)).one()
    assert len(sources) == 1
    source = sources[0]
    assert source["title"] == SEED_SOURCE_TITLE
    assert "whistleblowing" in source["title"].lower() and "2018" in source["title"]
    assert source["kind"] == SourceKind.INDEPENDENT_REVIEW.value
    assert "Rory Patterson" in source["accountable_director"]
    assert "Sheila Murphy" in source["assistant_director"]
    assert source["confidentiality"] == "public"
    assert source["date_issued"] <= MEETING
    assert (
        committee.name == SEED_COMMITTEE == ("Children's Services Overview and Scrutiny Committee")
    )
    assert source["committee_id"] == committee.id


def test_six_recommendations_worded_as_in_the_report(seed_db) -> None:
    _, engine = seed_db
    with engine.connect() as connection:
        found = recommendations(connection)
    assert sorted(found) == REFS
    sections = report_sections()
    for ref in REFS:
        assert normalised(found[ref]["wording"]) == sections[ref][0], ref
    # The report's own "1.1 That the Committee notes the progress..." is not tracked.
    assert not any("notes the progress" in row["wording"] for row in found.values())


@pytest.mark.parametrize("ref", REFS)
def test_each_update_is_the_response_in_the_report(seed_db, ref: str) -> None:
    """Every sentence of the response's prose is in the update, and the update adds none."""
    _, engine = seed_db
    with engine.connect() as connection:
        narrative = connection.execute(
            select(ProgressUpdate.narrative)
            .join(Recommendation, Recommendation.id == ProgressUpdate.recommendation_id)
            .where(Recommendation.ref == ref)
        ).scalar_one()
    narrative = normalised(narrative)
    # The report's "- a)" and "- b)" bullets, without their dashes.
    prose = [re.sub(r"(^|\s)- (?=[a-z]\))", r"\1", p) for p in report_sections()[ref][1:]]
    response = " ".join(prose)
    added = [sentence for sentence in sentences(narrative) if sentence not in response]
    left_out = [sentence for sentence in sentences(response) if sentence not in narrative]
    assert (added, left_out) == ([], [])


def test_statuses_as_at_the_day_after_the_meeting(seed_db) -> None:
    _, engine = seed_db
    as_at = date(2019, 2, 13)
    with engine.connect() as connection:
        assert not needs_replay(connection, as_at)
        state = recommendation_state(connection, as_at)
        rows = {
            row.ref: row
            for row in connection.execute(
                select(state.c.ref, state.c.status, state.c.report_back_pending)
            )
        }
        found = recommendations(connection)
        meeting_id = meeting_on(connection, MEETING)
    assert sorted(rows) == REFS
    for ref in CLOSED:
        assert rows[ref].status == Status.CLOSED.value, ref
        assert not rows[ref].report_back_pending, ref
        assert found[ref]["closed_at_meeting_id"] == meeting_id, ref
    for ref in IN_PROGRESS:
        assert rows[ref].status == Status.IN_PROGRESS.value, ref
        assert rows[ref].report_back_pending, ref
        assert found[ref]["closed_at_meeting_id"] is None, ref
        assert found[ref]["report_back_since"] == MEETING, ref


def test_each_has_one_update_reported_to_the_meeting(seed_db) -> None:
    _, engine = seed_db
    with engine.connect() as connection:
        meeting_id = meeting_on(connection, MEETING)
        updates = connection.execute(
            select(
                Recommendation.ref,
                ProgressUpdate.update_date,
                ProgressUpdate.meeting_id,
                ProgressUpdate.new_status,
                ProgressUpdate.report_back,
                ProgressUpdate.author,
            ).join(Recommendation, Recommendation.id == ProgressUpdate.recommendation_id)
        ).all()
    assert sorted(update.ref for update in updates) == REFS
    for update in updates:
        assert update.update_date == MEETING
        assert update.meeting_id == meeting_id
        assert "Rory Patterson" in update.author
    by_ref = {update.ref: update for update in updates}
    assert by_ref["2"].report_back == ReportBack.NEXT_MEETING.value
    assert by_ref["3"].report_back == ReportBack.TO_COMMITTEE.value
    assert {by_ref[ref].report_back for ref in CLOSED} == {None}
    assert {by_ref[ref].new_status for ref in CLOSED} == {Status.CLOSED.value}


def test_owners_are_the_directors_of_the_report(seed_db) -> None:
    _, engine = seed_db
    with engine.connect() as connection:
        owners = dict(
            connection.execute(
                select(Recommendation.ref, Officer.name).join(
                    Officer, Officer.id == Recommendation.owner_id
                )
            ).all()
        )
    assert sorted(owners) == REFS
    assert set(owners.values()) <= {"Rory Patterson", "Sheila Murphy"}


def test_the_committee_meets_again_after_the_meeting(seed_db) -> None:
    _, engine = seed_db
    with engine.connect() as connection:
        days = connection.execute(select(Meeting.meeting_date).order_by(Meeting.meeting_date))
        days = list(days.scalars())
        meetings = next_meetings(date(2019, 2, 13))
        next_on = connection.execute(select(meetings.c.next_meeting)).scalar_one()
    assert MEETING in days
    assert days[0].year == 2018, "the calendar runs from 2018"
    assert next_on > MEETING
    assert next_on == min(day for day in days if day > MEETING)


def _due_back(connection: Connection, as_at: date) -> dict[str, bool]:
    state = recommendation_state(connection, as_at)
    meetings = next_meetings(as_at)
    query = select(
        state.c.ref,
        rules_sql.is_due_back(state, meetings.c.next_meeting, as_at).label("due"),
        rules_sql.due_for_report_back(state, meetings.c.next_meeting).label("report_back"),
    ).select_from(state.outerjoin(meetings, meetings.c.committee_id == state.c.committee_id))
    return {row.ref: (bool(row.due), bool(row.report_back)) for row in connection.execute(query)}


def test_exactly_2_and_3_are_due_back_at_the_next_meeting(seed_db) -> None:
    _, engine = seed_db
    with engine.connect() as connection:
        due = _due_back(connection, date(2019, 2, 13))
    assert {ref for ref, (is_due, _) in due.items() if is_due} == IN_PROGRESS
    assert {ref for ref, (_, report_back) in due.items() if report_back} == IN_PROGRESS


def test_the_day_before_the_meeting_all_six_were_not_started(seed_db) -> None:
    _, engine = seed_db
    as_at = date(2019, 2, 11)
    with engine.connect() as connection:
        assert needs_replay(connection, as_at)
        state = recommendation_state(connection, as_at)
        rows = connection.execute(
            select(state.c.ref, state.c.status, state.c.report_back_pending, state.c.last_update_on)
        ).all()
    assert sorted(row.ref for row in rows) == REFS
    assert {row.status for row in rows} == {Status.NOT_STARTED.value}
    assert not any(row.report_back_pending for row in rows)
    assert {row.last_update_on for row in rows} == {None}
