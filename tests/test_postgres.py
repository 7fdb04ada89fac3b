"""The dashboard on PostgreSQL: the same generated council answers every named question the
pages ask exactly as it does on SQLite, today and as at a year ago (the replay path).

A throwaway PostgreSQL cluster is started from the Debian binaries for this module. Without
them the tests are skipped, or fail when CI is set (CI must run them).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import pkgutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, func, select

import data_access.queries
from data_access.db import make_engine, schema_state
from data_access.filters import Filters
from data_access.models import Base, Committee
from tests.postgres_support import PostgresCluster, unavailable_reason
from ui.navigation import PAGES

pytestmark = pytest.mark.postgres

RECOMMENDATIONS = 200
SEED = 2019
TODAY = date.today()
A_YEAR_AGO = TODAY - timedelta(days=365)
MAX_CATEGORIES = 20

# Arguments a named question needs beyond (connection, filters): how to get every value.
EXTRA_ARGUMENTS: dict[str, Callable[[Connection], list[Any]]] = {
    "committee_id": lambda connection: list(
        connection.execute(select(Committee.id).order_by(Committee.id)).scalars()
    ),
}


def _named_questions() -> list[tuple[str, Callable[..., Any]]]:
    """Every public function of data_access.queries.* whose parameters start with
    (connection, filters)."""
    found = []
    for module_info in pkgutil.iter_modules(data_access.queries.__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"data_access.queries.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:2] == ["connection", "filters"]:
                found.append((f"{module_info.name}.{name}", function))
    return found


NAMED_QUESTIONS = _named_questions()


def key_counts(value: Any) -> Any:
    """What must agree between databases: every scalar, and for a table its shape, filled
    cells per column and each numeric column's total (row order may differ on ties)."""
    if isinstance(value, pd.DataFrame):
        summary: dict[str, Any] = {"rows": len(value), "columns": list(value.columns)}
        for column in value.columns:
            series = value[column]
            summary[f"{column} filled"] = int(series.notna().sum())
            if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                summary[f"{column} total"] = round(float(series.sum()), 6)
                continue
            if pd.api.types.is_datetime64_any_dtype(series):
                summary[f"{column} range"] = (str(series.min()), str(series.max()))
                continue
            # Categories (status, RAG, ageing bucket...): how many of each.
            counts = series.dropna().astype(str).value_counts()
            if len(counts) <= MAX_CATEGORIES:
                summary[f"{column} counts"] = dict(sorted(counts.items()))
        return summary
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: key_counts(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {key: key_counts(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [key_counts(item) for item in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def _require_postgres() -> None:
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    _require_postgres()
    with PostgresCluster() as running:
        yield running


@pytest.fixture(scope="module")
def postgres_demo(cluster: PostgresCluster) -> Iterator[Engine]:
    from demo import build_demo_database

    url = cluster.create_database("tracker")
    build_demo_database(url, recommendations=RECOMMENDATIONS, seed=SEED, today=TODAY)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    from demo import build_demo_database

    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite-twin') / 'demo.db'}"
    build_demo_database(url, recommendations=RECOMMENDATIONS, seed=SEED, today=TODAY)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_the_generator_writes_the_same_rows_to_both(
    postgres_demo: Engine, sqlite_demo: Engine
) -> None:
    def table_counts(engine: Engine) -> dict[str, int]:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar()
                for table in Base.metadata.sorted_tables
            }

    on_postgres = table_counts(postgres_demo)
    assert on_postgres["recommendations"] >= RECOMMENDATIONS
    assert on_postgres == table_counts(sqlite_demo)


def test_named_questions_were_found() -> None:
    """Guards the discovery below: if it finds nothing, the checks would prove nothing."""
    names = {name for name, _ in NAMED_QUESTIONS}
    assert len(names) >= 3, names


@pytest.mark.parametrize("as_at", [TODAY, A_YEAR_AGO], ids=["today", "a-year-ago"])
@pytest.mark.parametrize(("name", "question"), NAMED_QUESTIONS, ids=[n for n, _ in NAMED_QUESTIONS])
def test_named_question_agrees_with_sqlite(
    name: str,
    question: Callable[..., Any],
    as_at: date,
    postgres_demo: Engine,
    sqlite_demo: Engine,
) -> None:
    filters = Filters(as_at=as_at)
    extra = list(inspect.signature(question).parameters.values())[2:]
    required = [p.name for p in extra if p.default is inspect.Parameter.empty]
    unknown = [p for p in required if p not in EXTRA_ARGUMENTS]
    assert not unknown, f"{name} needs {unknown}: add a provider to EXTRA_ARGUMENTS"

    with postgres_demo.connect() as on_postgres, sqlite_demo.connect() as on_sqlite:
        argument_sets: list[dict[str, Any]] = [{}]
        for parameter in required:
            values = EXTRA_ARGUMENTS[parameter](on_sqlite)
            assert values == EXTRA_ARGUMENTS[parameter](on_postgres)
            argument_sets = [{**s, parameter: v} for s in argument_sets for v in values]
        for arguments in argument_sets:
            expected = key_counts(question(on_sqlite, filters, **arguments))
            actual = key_counts(question(on_postgres, filters, **arguments))
            assert actual == expected, f"{name}({arguments}) as at {as_at}"


def test_empty_postgres_database_gets_schema_and_shows_empty_state(
    cluster: PostgresCluster, page_app: Callable[..., Any]
) -> None:
    url = cluster.create_database("empty_tracker")
    overview = next(page for page in PAGES if page.default)
    app = page_app(overview.path, url)

    assert not app.exception, [e.message for e in app.exception]
    assert any("no recommendations yet" in info.value for info in app.info), [
        info.value for info in app.info
    ]
    engine = make_engine(url)
    try:
        assert schema_state(engine) == "tracker"
    finally:
        engine.dispose()


# Last in the file: these write to the module's twin databases.


def _state_rows(engine: Engine, ids: list[int]) -> list[tuple]:
    from sqlalchemy import select

    from data_access.models import Recommendation as R

    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(
                    R.id, R.status, R.current_target_date, R.revision_count, R.last_update_on,
                    R.report_back_since, R.closed_at_meeting_id,
                )
                .where(R.id.in_(ids))
                .order_by(R.id)
            )
        ]  # fmt: skip


def test_a_batch_of_updates_gives_the_same_state_on_both(
    postgres_demo: Engine, sqlite_demo: Engine
) -> None:
    from data_access.writes import PendingUpdate, UpdateDraft, add_updates
    from domain.vocabulary import ReportBack, Status

    ids = list(range(1, 61))
    pending = [
        PendingUpdate(
            rec_id,
            UpdateDraft(
                TODAY,
                "Batch test",
                f"Update {rec_id}",
                new_status=[Status.IN_PROGRESS, Status.IMPLEMENTED, None][rec_id % 3],
                new_target_date=TODAY.replace(year=TODAY.year + 1) if rec_id % 2 else None,
                target_change_reason="Reprioritised" if rec_id % 2 else None,
                report_back=ReportBack.NEXT_MEETING if rec_id % 5 == 0 else None,
            ),
        )
        for rec_id in ids
    ]
    before = _state_rows(sqlite_demo, ids)
    for engine in (postgres_demo, sqlite_demo):
        with engine.begin() as conn:
            assert len(add_updates(conn, pending)) == len(ids)
    after = _state_rows(sqlite_demo, ids)
    assert _state_rows(postgres_demo, ids) == after
    assert all(row[4] == TODAY for row in after)  # every one has today's update
    assert sum(old != new for old, new in zip(before, after, strict=True)) == len(ids)


def test_a_stale_update_is_refused_on_postgres_and_writes_nothing(postgres_demo: Engine) -> None:
    from data_access.writes import ConcurrentChange, UpdateDraft, add_update, latest_update_id

    with postgres_demo.connect() as conn:
        seen = latest_update_id(conn, 7)
    with postgres_demo.begin() as conn:
        add_update(conn, 7, UpdateDraft(TODAY, "First", "Theirs."), expected_latest_update_id=seen)
    before = _state_rows(postgres_demo, [7])
    with pytest.raises(ConcurrentChange), postgres_demo.begin() as conn:
        add_update(conn, 7, UpdateDraft(TODAY, "Second", "Mine."), expected_latest_update_id=seen)
    assert _state_rows(postgres_demo, [7]) == before
    with postgres_demo.connect() as conn:
        assert latest_update_id(conn, 7) > seen


def test_an_import_is_recorded_and_undone_exactly_on_postgres(cluster: PostgresCluster) -> None:
    """The batch's locks, id marks and links, and the undo, on PostgreSQL: every table as it
    was before the imports once they are undone (the import log apart)."""
    from sqlalchemy import text

    from data_access.db import open_tracker
    from data_access.import_history import list_batches
    from data_access.import_undo import undo_latest_batch
    from data_access.models import Base
    from data_access.seed import load_seed
    from tests.test_import_batches import (
        LOG_TABLES,
        NEW_SOURCE_FILE,
        SEED_OPTIONS,
        SEED_UPDATE,
        import_tracker,
    )

    engine, _ = open_tracker(cluster.create_database("batches"))

    def every_row() -> dict[str, list[str]]:
        with engine.connect() as conn:
            return {
                name: sorted(
                    repr(tuple(row)) for row in conn.execute(text(f"SELECT * FROM {name}"))
                )
                for name in Base.metadata.tables
                if name not in LOG_TABLES
            }

    try:
        with engine.begin() as conn:
            load_seed(conn)
        before = every_row()
        import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
        import_tracker(
            engine,
            NEW_SOURCE_FILE,
            "complaints.csv",
            dataclasses.replace(
                SEED_OPTIONS,
                source_title="Complaints review",
                committee="Corporate Scrutiny Committee",
                date_issued=SEED_OPTIONS.today.replace(month=3, day=1),
            ),
        )
        with engine.connect() as conn:
            batches = list_batches(conn)
        assert [(b.file_name, b.new, b.changed) for b in batches] == [
            ("complaints.csv", 2, 0),
            ("november.csv", 1, 2),
        ]
        for batch in batches:
            with engine.begin() as conn:
                assert batch.source_id is not None
                undo_latest_batch(conn, batch.source_id, "Sam Officer")
        assert every_row() == before
    finally:
        engine.dispose()
