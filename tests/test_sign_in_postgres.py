"""Users, the write path's permission check and the audit trail on PostgreSQL (issue 9).

The same questions as on SQLite (tests/test_sign_in.py), on the server councils run: the
trail's UNION of text and times, the users table's constraints, the withheld filter.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from data_access.db import open_tracker
from data_access.filters import Filters
from data_access.models import AuditEvent, ProgressUpdate, Recommendation, Source
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.audit import AuditFilters, audit_choices, audit_trail
from data_access.queries.overview import headline
from data_access.users import UserDraft, record_event, save_user, sign_in
from domain.access import Action
from domain.people import Role
from tests.postgres_support import PostgresCluster, unavailable_reason

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    from demo import build_demo_database

    with PostgresCluster() as cluster:
        url = cluster.create_database("signin")
        build_demo_database(url, recommendations=120, seed=9, today=date.today())
        opened, _ = open_tracker(url)
        yield opened
        opened.dispose()


def test_users_rules_and_audit_on_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        admin = sign_in(
            connection, "Admin@Council.example", "Ada", admin_emails=["admin@council.example"]
        )
        save_user(connection, admin, UserDraft("viewer@council.example", "Vic", Role.VIEWER))
        record_event(connection, admin.identity, "committees and calendars", "Added a meeting")
        viewer = sign_in(connection, "viewer@council.example", "Vic")
        rec_id = connection.execute(select(func.min(Recommendation.id))).scalar_one()
    assert admin.role is Role.ADMIN and viewer.role is Role.VIEWER
    with pytest.raises(NotAllowed), engine.begin() as connection:
        ensure_allowed(connection, viewer, Action.RECORD_UPDATE, rec_id)
    with engine.connect() as connection:
        ensure_allowed(connection, admin, Action.RECORD_UPDATE, rec_id)
        updates = connection.execute(select(func.count(ProgressUpdate.id))).scalar_one()
        events = connection.execute(select(func.count(AuditEvent.id))).scalar_one()
        everything = audit_trail(connection, AuditFilters(include_exempt=True), 5)
        admins = audit_trail(
            connection,
            AuditFilters(person="admin@council.example", date_from=date.today()),
        )
        people, kinds = audit_choices(connection)
        exempt = connection.execute(
            select(func.count(Recommendation.id))
            .join(Source, Source.id == Recommendation.source_id)
            .where(Source.confidentiality == "exempt", Recommendation.made_on <= date.today())
        ).scalar_one()
        withheld = headline(connection, Filters(withhold_exempt=True))
        shown = headline(connection, Filters())
    assert everything.total >= updates + events and len(everything.rows) == 5
    assert admins.total == events == 3  # added at sign-in, added the viewer, the meeting
    assert "admin@council.example" in people and "committees and calendars" in kinds
    assert withheld.recommendations == shown.recommendations - exempt
