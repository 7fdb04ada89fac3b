"""Editing and asking for updates on PostgreSQL: the edit replay's casts (owner ids, dates,
yes/no) and the request query, as on SQLite (tests/test_edits.py)."""

from __future__ import annotations

from datetime import date

import pytest

from data_access import edits
from data_access.db import open_tracker
from data_access.queries.changes import recommendation_changes
from data_access.queries.register import recommendation_detail
from data_access.queries.requests import items_needing_updates
from data_access.seed import load_seed
from tests.test_postgres import cluster  # noqa: F401 - the module's PostgreSQL server

pytestmark = pytest.mark.postgres

EDITED_ON = date(2019, 3, 1)
DAY_BEFORE = date(2019, 2, 28)


def test_edits_replay_as_at_on_postgres(cluster) -> None:  # noqa: F811
    engine, _ = open_tracker(cluster.create_database("edits"))
    try:
        with engine.begin() as conn:
            load_seed(conn)
        with engine.connect() as conn:
            rec, wording, owner = conn.exec_driver_sql(
                "SELECT id, wording, owner_id FROM recommendations WHERE ref = '2'"
            ).one()
            rory = conn.exec_driver_sql(
                "SELECT id FROM officers WHERE name = 'Rory Patterson'"
            ).scalar_one()
        with engine.begin() as conn:
            edits.edit_recommendation(
                conn,
                rec,
                {
                    "wording": "New wording",
                    "owner_id": rory,
                    "accepted_on": date(2019, 1, 15),
                    "accepted_in_principle": True,
                },
                seen={"wording": wording, "owner_id": owner},
                changed_by="someone@council.example",
                effective_on=EDITED_ON,
            )
        with engine.connect() as conn:
            before = recommendation_detail(conn, rec, DAY_BEFORE)
            after = recommendation_detail(conn, rec, EDITED_ON)
            changes = recommendation_changes(conn, rec)
            hers_before = items_needing_updates(conn, DAY_BEFORE, owner_id=owner)
            hers_after = items_needing_updates(conn, EDITED_ON, owner_id=owner)
            his_after = items_needing_updates(conn, EDITED_ON, owner_id=rory)
        assert (before.wording, before.owner, before.accepted_on) == (
            wording,
            "Sheila Murphy",
            date(2018, 11, 30),
        )
        assert not before.accepted_in_principle
        assert (after.wording, after.owner, after.accepted_on) == (
            "New wording",
            "Rory Patterson",
            date(2019, 1, 15),
        )
        assert after.accepted_in_principle
        assert "Owner: Sheila Murphy → Rory Patterson" in list(changes["what_changed"])
        # Due back at the 12 March 2019 meeting (committed to report back): asked of its owner
        # as the owner stood on the day.
        assert rec in set(hers_before["id"])
        assert rec not in set(hers_after["id"])
        assert rec in set(his_after["id"])
    finally:
        engine.dispose()
