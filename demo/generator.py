"""Building the demo database: the seed report plus a generated council, in one transaction.

`build_demo_database` creates a new database holding the seed report plus a generated council:
directorates, officers, committees with their meeting calendars, sources of every kind, and
recommendations with their actions and progress updates (the history), all dated relative to
`today` so the demo always looks current. The same arguments always give the same rows
(only `random.Random(seed)` is used).

The current-state columns of each recommendation come from `data_access.writes.
current_state_columns`, replaying the very update rows that are written, so the stored state
and the history cannot disagree. Rows are written with Core executemany in chunks of
`CHUNK_SIZE` recommendations, with explicit ids, so 200,000 recommendations fit in memory.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, text

from data_access.db import create_schema, make_engine, schema_state
from data_access.models import (
    Action,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.seed import load_seed
from demo.council import GENERATED_MODELS, Council, insert_rows

CHUNK_SIZE = 5_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    """Rows in the database after generation (the seed's included) and how long it took."""

    recommendations: int
    actions: int
    updates: int
    seconds: float


def _fix_sequences(connection: Connection) -> None:
    """PostgreSQL: explicit ids leave the id sequences behind; move them past the rows."""
    if connection.dialect.name != "postgresql":
        return
    for model in GENERATED_MODELS:
        table = model.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def _counts(connection: Connection, seconds: float) -> DemoSummary:
    def count(model) -> int:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()

    return DemoSummary(
        recommendations=count(Recommendation),
        actions=count(Action),
        updates=count(ProgressUpdate),
        seconds=round(seconds, 2),
    )


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def generate_council(
    connection: Connection,
    recommendations: int,
    seed: int,
    today: date,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write a generated council into an existing tracker schema, in the caller's transaction.

    Directorates and committees that already exist (the seed's) are reused by name, and
    meetings already booked are not duplicated. Writes `recommendations` recommendations in
    chunks of CHUNK_SIZE, calling `progress(done, total)` after each. Returns the row counts
    now in the database (including anything that was there before) and the seconds taken.
    """
    started = clock.perf_counter()
    council = Council(connection, random.Random(seed), today)
    council.write_reference_data()
    sources = council.plan_sources(recommendations)
    insert_rows(connection, Source, [council.source_row(source) for source in sources])

    hostile_at = min(1, recommendations - 1)
    rec_rows: list[dict[str, Any]] = []
    action_rows: list[dict[str, Any]] = []
    update_rows: list[dict[str, Any]] = []
    done = 0

    def flush() -> None:
        insert_rows(connection, Recommendation, rec_rows)
        insert_rows(connection, Action, action_rows)
        insert_rows(connection, ProgressUpdate, update_rows)
        rec_rows.clear()
        action_rows.clear()
        update_rows.clear()
        if progress is not None:
            progress(done, recommendations)

    for source in sources:
        plan = council.wording_plan(source)
        for number in range(1, source.size + 1):
            row, actions, updates = council.recommendation(
                source, number, plan[(number - 1) % len(plan)], done == hostile_at
            )
            rec_rows.append(row)
            action_rows.extend(actions)
            update_rows.extend(updates)
            done += 1
            if len(rec_rows) >= CHUNK_SIZE:
                flush()
    if rec_rows or done == 0:
        flush()
    _fix_sequences(connection)
    return _counts(connection, clock.perf_counter() - started)


def build_demo_database(
    url: str,
    recommendations: int = 400,
    seed: int = 2019,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Create the schema in a new, empty database; load the seed and a generated council.

    Raises ValueError if the database already has tables (it never changes an existing one).
    """
    started = clock.perf_counter()
    today = today or date.today()
    engine = make_engine(url)
    try:
        if schema_state(engine) != "empty":
            raise ValueError("The demo database must be built into a new, empty database.")
        create_schema(engine)
        with engine.begin() as connection:
            load_seed(connection)
            summary = generate_council(connection, recommendations, seed, today, progress)
    finally:
        engine.dispose()
    return DemoSummary(
        recommendations=summary.recommendations,
        actions=summary.actions,
        updates=summary.updates,
        seconds=round(clock.perf_counter() - started, 2),
    )


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
