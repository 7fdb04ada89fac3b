"""Schema migrations (issue 10): a database made before them is upgraded keeping every row,
compared table by table; the app refuses a newer or older schema without touching it and
says what to do; new databases start at head; the migrations give exactly the models'
schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.exc import OperationalError

import data_access.migrate as migrate
from data_access.db import DatabaseProblem, open_tracker
from data_access.migrate import unkeyed_duplicates, upgrade_database
from data_access.models import Base, Committee, Directorate, Officer, Source
from data_access.schema_revisions import alembic_config, head_revision
from data_access.seed import load_seed
from domain.names import name_key, officer_key
from tests.postgres_support import PostgresCluster, unavailable_reason
from tests.schema_support import (
    NAME_KEYS,
    PEOPLE_COLUMNS,
    PEOPLE_INDEXES,
    PEOPLE_TABLES,
    as_made_before_migrations,
    table_rows,
)

ROOT = Path(__file__).resolve().parent.parent
KEY_COLUMNS = {table: {column} for table, (column, _) in NAME_KEYS.items()}
# Interim additions (decision 8) a database made before them lacks.
INTERIM = (
    "committees.retired_on",
    "committee_report_settings",
    "source_word_readings",
    "import_batch_items",
    "import_batches",
)


def _schema_differences(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _keys_follow_names(engine: Engine) -> None:
    with engine.connect() as conn:
        for row in conn.execute(select(Source.title, Source.title_key)):
            assert row.title_key == name_key(row.title)
        for row in conn.execute(select(Officer.name, Officer.job_title, Officer.name_key)):
            assert row.name_key == officer_key(row.name, row.job_title)
        for model in (Directorate, Committee):
            for name, key in conn.execute(select(model.name, model.name_key)):
                assert key == name_key(name)


@pytest.fixture
def old_demo(demo_db_path: Path, tmp_path: Path) -> Path:
    """A copy of the demo council (400 recommendations), as made before migrations."""
    path = tmp_path / "council.db"
    shutil.copy(demo_db_path, path)
    return path


def test_the_migrations_build_exactly_the_schema_of_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert _schema_differences(engine) == []
    engine.dispose()


def test_a_new_database_starts_at_head(empty_db) -> None:
    _, engine = empty_db
    with engine.connect() as conn:
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert stamped == [head_revision()]
    assert _schema_differences(engine) == []


@pytest.mark.parametrize("missing", [(), INTERIM], ids=["as-made-today", "before-interim"])
def test_a_database_made_before_migrations_is_upgraded_keeping_every_row(
    old_demo: Path, missing: tuple[str, ...]
) -> None:
    as_made_before_migrations(old_demo, drop=missing)
    before = table_rows(old_demo)
    assert sum(len(rows) for rows in before.values()) > 1000
    url = f"sqlite:///{old_demo}"

    result = upgrade_database(url)

    assert (result.before, result.after) == (None, head_revision())
    added_columns = {tuple(item.split(".")) for item in missing if "." in item}
    leave_out = {table: set(columns) for table, columns in KEY_COLUMNS.items()}
    for table, column in (*added_columns, *PEOPLE_COLUMNS):
        leave_out[table].add(column)
    after = table_rows(old_demo, leave_out=leave_out)
    assert {table: after[table] for table in before} == before
    for dropped in missing:
        if "." not in dropped:
            assert after[dropped] == [], "a table the old database lacked is created empty"
    with sqlite3.connect(old_demo) as db:
        for table, column in added_columns:  # a column the old database lacked is all NULL
            assert db.execute(f"SELECT count({column}) FROM {table}").fetchone() == (0,)
    db.close()
    engine, _ = open_tracker(url)  # now opens
    try:
        assert _schema_differences(engine) == []
        _keys_follow_names(engine)
    finally:
        engine.dispose()
    # The backup is the database as it was, table by table.
    assert result.backup is not None and result.backup.parent == old_demo.parent
    assert table_rows(result.backup) == before
    # Upgrading again does nothing.
    again = upgrade_database(url)
    assert not again.changed and again.backup is None


def test_the_app_refuses_an_older_database_says_how_to_upgrade_and_changes_nothing(
    old_demo: Path,
) -> None:
    as_made_before_migrations(old_demo)
    before = old_demo.read_bytes()
    with pytest.raises(DatabaseProblem) as refused:
        open_tracker(f"sqlite:///{old_demo}")
    message = str(refused.value)
    assert "earlier version" in message and "python -m data_access.migrate" in message
    assert "Nothing was changed" in message and "backup" in message
    assert old_demo.read_bytes() == before


def test_the_app_refuses_a_database_newer_than_itself(old_demo: Path) -> None:
    with sqlite3.connect(old_demo) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_a_later_version'")
    db.close()
    before = old_demo.read_bytes()
    with pytest.raises(DatabaseProblem) as refused:
        open_tracker(f"sqlite:///{old_demo}")
    message = str(refused.value)
    assert "newer version" in message and "0099_from_a_later_version" in message
    assert head_revision() in message and "Nothing was changed" in message
    with pytest.raises(DatabaseProblem, match="newer than this version"):
        upgrade_database(f"sqlite:///{old_demo}")
    assert old_demo.read_bytes() == before


def _add_duplicates(path: Path) -> None:
    """What two imports at once left behind before names were unique."""
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO officers (name, job_title) VALUES ('Pat  Doyle', NULL)")
        db.execute("INSERT INTO officers (name, job_title) VALUES ('pat doyle', NULL)")
        db.execute("INSERT INTO directorates (name) VALUES ('Community Safety Unit')")
        db.execute("INSERT INTO directorates (name) VALUES ('COMMUNITY  safety unit')")
        for title in ("Damp and mould review", "Damp and  mould review"):
            db.execute(
                "INSERT INTO sources (title, kind, date_issued, response_due_on, "
                "confidentiality) VALUES (?, 'scrutiny_review', '2025-03-01', '2025-05-01', "
                "'public')",
                (title,),
            )
    db.close()


def test_duplicates_an_older_database_holds_are_kept_and_listed(old_demo: Path) -> None:
    as_made_before_migrations(old_demo)
    _add_duplicates(old_demo)
    before = table_rows(old_demo)
    result = upgrade_database(f"sqlite:///{old_demo}")
    leave_out = {table: set(columns) for table, columns in KEY_COLUMNS.items()}
    for table, column in PEOPLE_COLUMNS:
        leave_out[table].add(column)
    after = table_rows(old_demo, leave_out=leave_out)
    assert {table: after[table] for table in before} == before
    assert sorted(line.split(":")[0].split()[0] for line in result.duplicates) == [
        "Directorate",
        "Officer",
        "Source",
    ]
    assert any(line.endswith(": pat doyle") for line in result.duplicates)
    engine, _ = open_tracker(f"sqlite:///{old_demo}")
    with engine.connect() as conn:
        assert unkeyed_duplicates(conn) == list(result.duplicates)
        first = conn.execute(
            select(Officer.id, Officer.name_key).where(Officer.name == "Pat  Doyle")
        ).one()
        assert first.name_key == "pat doyle|"
    engine.dispose()


def test_an_upgrade_that_fails_changes_nothing(old_demo: Path, monkeypatch) -> None:
    """One transaction on SQLite too: a failure after every revision ran leaves the old
    schema and rows exactly as they were."""
    as_made_before_migrations(old_demo)
    before = table_rows(old_demo)

    def fail(_connection):
        raise OperationalError("check", {}, Exception("disk I/O error"))

    monkeypatch.setattr(migrate, "unkeyed_duplicates", fail)
    with pytest.raises(DatabaseProblem, match="nothing was changed"):
        upgrade_database(f"sqlite:///{old_demo}")
    assert table_rows(old_demo) == before
    with sqlite3.connect(old_demo) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        columns = {row[1] for row in db.execute("PRAGMA table_info(sources)")}
    db.close()
    assert "alembic_version" not in tables and "title_key" not in columns


def test_the_upgrade_command_backs_up_first_and_says_what_it_did(
    old_demo: Path, tmp_path: Path
) -> None:
    as_made_before_migrations(old_demo)
    _add_duplicates(old_demo)
    before = table_rows(old_demo)
    backups = tmp_path / "backups"
    done = subprocess.run(
        [sys.executable, "-m", "data_access.migrate", "--backup-folder", str(backups)],
        cwd=ROOT, env={"DATABASE_URL": f"sqlite:///{old_demo}", "PATH": os.environ["PATH"]},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"to schema revision {head_revision()}" in done.stdout
    (backup,) = backups.iterdir()
    assert str(backup) in done.stdout
    assert table_rows(backup) == before
    assert "3 row(s) repeat an earlier name" in done.stdout
    again = subprocess.run(
        [sys.executable, "-m", "data_access.migrate"],
        cwd=ROOT, env={"DATABASE_URL": f"sqlite:///{old_demo}", "PATH": os.environ["PATH"]},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert again.returncode == 0 and "already at schema revision" in again.stdout


def test_the_upgrade_command_refuses_what_is_not_a_tracker(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "data_access.migrate"],
        cwd=ROOT,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'nothing.db'}", "PATH": os.environ["PATH"]},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "nothing to upgrade" in done.stderr and "Traceback" not in done.stderr


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    with PostgresCluster() as started:
        yield started


def _pg_rows(engine: Engine) -> dict[str, list]:
    rows = {}
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table == "alembic_version":
                continue
            # Left out: what revisions 0002 and 0003 add to tables that had rows already.
            leave_out = KEY_COLUMNS.get(table, set()) | {
                column for named, column in PEOPLE_COLUMNS if named == table
            }
            columns = [c["name"] for c in inspect(conn).get_columns(table)]
            listed = ", ".join(f'"{c}"' for c in columns if c not in leave_out)
            rows[table] = sorted(
                conn.execute(text(f'SELECT {listed} FROM "{table}"')).all(), key=repr
            )
    return rows


@pytest.mark.postgres
def test_postgres_migrations_build_the_models_schema(cluster: PostgresCluster) -> None:
    engine = create_engine(cluster.create_database("fresh_migrations"))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert _schema_differences(engine) == []
    engine.dispose()


@pytest.mark.postgres
def test_postgres_database_made_before_migrations_is_upgraded_keeping_every_row(
    cluster: PostgresCluster,
) -> None:
    from demo import build_demo_database

    url = cluster.create_database("before_migrations")
    build_demo_database(url, recommendations=200, seed=7, today=date.today())
    engine = create_engine(url)
    with engine.begin() as conn:  # as made before migrations, and before retired_on
        conn.execute(text("DROP TABLE alembic_version"))
        for table, (column, index) in NAME_KEYS.items():
            conn.execute(text(f"DROP INDEX {index}"))
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(text("ALTER TABLE committees DROP COLUMN retired_on"))
        conn.execute(text("DROP TABLE committee_report_settings"))
        for table in PEOPLE_TABLES:
            conn.execute(text(f'DROP TABLE "{table}"'))
        for index in PEOPLE_INDEXES:
            conn.execute(text(f"DROP INDEX {index}"))
        for table, column in PEOPLE_COLUMNS:
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    before = _pg_rows(engine)
    assert sum(len(rows) for rows in before.values()) > 500
    with pytest.raises(DatabaseProblem, match="python -m data_access.migrate"):
        open_tracker(url)

    result = upgrade_database(url)

    assert result.backup is None and result.after == head_revision()
    after = _pg_rows(engine)
    assert after.pop("committee_report_settings") == []
    for table in PEOPLE_TABLES:
        assert after.pop(table) == [], "a table the old database lacked is created empty"
    assert {table: [row[:-1] if table == "committees" else row for row in rows]
            for table, rows in after.items()} == before  # fmt: skip
    assert _schema_differences(engine) == []
    _keys_follow_names(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_later'"))
    with pytest.raises(DatabaseProblem, match="newer version"):
        open_tracker(url)
    engine.dispose()


@pytest.mark.postgres
def test_postgres_new_database_starts_at_head(cluster: PostgresCluster) -> None:
    engine, _ = open_tracker(cluster.create_database("new_at_head"))
    with engine.begin() as conn:
        load_seed(conn)
    assert _schema_differences(engine) == []
    _keys_follow_names(engine)
    engine.dispose()


@pytest.mark.parametrize("revision", [None, "0099_from_a_later_version"], ids=["older", "newer"])
def test_the_dashboard_shows_the_refusal_as_a_message(
    old_demo: Path, page_app, revision: str | None
) -> None:
    """What an officer sees: the message, no traceback, no page drawn on the wrong schema."""
    if revision is None:
        as_made_before_migrations(old_demo)
    else:
        with sqlite3.connect(old_demo) as db:
            db.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        db.close()
    before = old_demo.read_bytes()
    app = page_app("pages/overview.py", f"sqlite:///{old_demo}")
    assert not app.exception
    shown = " ".join(element.value for element in app.error).replace("\\", "")  # unescape
    expected = "python -m data_access.migrate" if revision is None else "newer version"
    assert expected in shown and "Nothing was changed" in shown
    assert not app.metric, "no tiles drawn from a database at another schema"
    assert old_demo.read_bytes() == before
