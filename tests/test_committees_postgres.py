"""Committees and calendars on PostgreSQL: the same questions and refusals as on SQLite
(FILTER aggregates, case-insensitive names, a refused change rolled back whole)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from data_access.committees import (
    CommitteeChangeRefused,
    add_committee,
    add_meeting,
    apply_calendar,
    committee_by_name,
    committee_overview,
    meetings_of,
    plan_calendar,
    remove_meeting,
    retire_committee,
)
from data_access.db import open_tracker
from data_access.models import Meeting
from data_access.seed import SEED_COMMITTEE, SEED_MEETING, SEED_MEETINGS, load_seed
from tests.postgres_support import PostgresCluster, unavailable_reason


@pytest.fixture(scope="module")
def seeded_postgres() -> Iterator[Engine]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    with PostgresCluster() as cluster:
        engine, _ = open_tracker(cluster.create_database("committees"))
        with engine.begin() as conn:
            load_seed(conn)
        yield engine
        engine.dispose()


def test_committees_and_calendars_on_postgres(seeded_postgres: Engine) -> None:
    engine = seeded_postgres
    with engine.connect() as conn:
        seed_id, _ = committee_by_name(conn, SEED_COMMITTEE.upper())
        row = committee_overview(conn, date(2019, 2, 13)).set_index("id").loc[seed_id]
        assert (row.meetings, row.next_meeting, row.previous_meeting) == (
            len(SEED_MEETINGS),
            date(2019, 3, 12),
            date(2019, 2, 12),
        )
        assert (row.recommendations, row.open_recommendations) == (6, 2)
        linked = meetings_of(conn, seed_id).set_index("meeting_date").loc[SEED_MEETING]
        assert (linked.updates_reported, linked.items_closed) == (6, 4)
        meeting_id = conn.execute(
            select(Meeting.id).where(Meeting.meeting_date == SEED_MEETING)
        ).scalar_one()

    def meeting_count() -> int:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Meeting)).scalar_one()

    before = meeting_count()
    with pytest.raises(CommitteeChangeRefused), engine.begin() as conn:
        add_meeting(conn, seed_id, date(2020, 6, 9))  # written, then...
        remove_meeting(conn, seed_id, meeting_id)  # ...refused: the whole change rolls back
    assert meeting_count() == before
    with pytest.raises(CommitteeChangeRefused), engine.begin() as conn:
        add_committee(conn, "children's services overview and scrutiny committee")

    with engine.begin() as conn:
        plan = plan_calendar(conn, seed_id, [date(2020, 3, 10), date(2020, 6, 9)])
        assert (plan.to_add, plan.already_there) == ((date(2020, 6, 9),), (date(2020, 3, 10),))
        assert apply_calendar(conn, plan) == 1
        retire_committee(conn, seed_id, date(2024, 4, 1))
    with engine.connect() as conn:
        assert committee_overview(conn, date(2019, 2, 13)).iloc[0].retired_on == date(2024, 4, 1)
    assert meeting_count() == before + 1
