"""Upgrading a council's tracker database to the schema this version of the app needs.

`upgrade_database(url)` takes an online backup first on SQLite (the sqlite3 backup API, so
the dashboard may stay open while it runs), then applies every revision from where the
database stands to head in one transaction: all of them or none. On PostgreSQL the DDL is
transactional; on SQLite the migration engine issues BEGIN itself (pysqlite would otherwise
commit each table rebuild on its own) and turns foreign keys off for batch-mode rebuilds,
checking them once at the end. A database made before migrations has no revision and is
upgraded from the baseline, which accepts whatever interim additions it has (decision 8).

The command line is `python -m data_access.migrate` (cli/migrate.py); how to add a revision
is in docs/migrations.md.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.exc import SQLAlchemyError

from data_access.db import (
    DatabaseProblem,
    _describe_connection_error,
    make_engine,
    mask_url,
    schema_state,
)
from data_access.models import Committee, Directorate, Officer, Source
from data_access.schema_revisions import alembic_config, revision_status

__all__ = ["UpgradeResult", "backup_sqlite", "unkeyed_duplicates", "upgrade_database"]


@dataclass(frozen=True)
class UpgradeResult:
    """What an upgrade did: from which revision (None: made before migrations) to which,
    where the backup is (SQLite), and rows left as duplicates (revision 0002)."""

    before: str | None
    after: str
    backup: Path | None
    duplicates: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a SQLite database with the sqlite3 online backup API: a consistent copy while
    other connections read or write (it restarts if one writes mid-copy)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    copy = sqlite3.connect(destination)
    try:
        with copy:
            origin.backup(copy)
    finally:
        copy.close()
        origin.close()
    return destination


def _migration_engine(url: str) -> Engine:
    """An engine whose transactions hold DDL too (SQLite: explicit BEGIN, foreign keys off)."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _manual_transactions(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def unkeyed_duplicates(connection: Connection) -> list[str]:
    """Rows an older database already held twice (revision 0002 left them without a key):
    "Officer 12: Jane Smith", for the officer to merge or rename by hand."""
    found = []
    for label, model, name in (
        ("Source", Source, Source.title),
        ("Officer", Officer, Officer.name),
        ("Directorate", Directorate, Directorate.name),
        ("Committee", Committee, Committee.name),
    ):
        key = model.title_key if model is Source else model.name_key
        rows = connection.execute(select(model.id, name).where(key.is_(None)).order_by(model.id))
        found += [f"{label} {row_id}: {text}" for row_id, text in rows]
    return found


def upgrade_database(
    url: str, *, backup_folder: Path | None = None, now: datetime | None = None
) -> UpgradeResult:
    """Bring the tracker database at `url` to this version's schema; what was done.

    Raises DatabaseProblem (nothing changed) for a database that is not a tracker, is newer
    than this version, or cannot be upgraded; the upgrade itself is one transaction."""
    engine = make_engine(url)
    try:
        state = schema_state(engine)
        if state != "tracker":
            raise DatabaseProblem(
                f"The database at {mask_url(url)} is "
                + ("empty" if state == "empty" else "not a Recommendation Tracker database")
                + ": there is nothing to upgrade. Nothing was changed."
            )
        with engine.connect() as connection:
            status = revision_status(connection)
        if status.is_newer:
            raise DatabaseProblem(
                f"The database at {mask_url(url)} is at schema revision {status.current}, newer "
                f"than this version ({status.head}). Nothing was changed: use the newer version."
            )
        if status.is_current:
            with engine.connect() as connection:
                duplicates = tuple(unkeyed_duplicates(connection))
            return UpgradeResult(status.current, status.head, None, duplicates)
        backup = None
        database_file = _sqlite_file(engine)
        if database_file is not None:
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
            folder = backup_folder or database_file.parent
            backup = backup_sqlite(
                database_file,
                folder / f"{database_file.stem}.before-{status.head}-{stamp}{database_file.suffix}",
            )
    finally:
        engine.dispose()

    migrating = _migration_engine(url)
    try:
        with migrating.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            if migrating.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise DatabaseProblem(
                        f"The upgrade would leave {len(broken)} broken link(s) between tables "
                        f"(first in {broken[0][0]}), so nothing was changed."
                    )
            after = revision_status(connection).current
            duplicates = tuple(unkeyed_duplicates(connection))
    except SQLAlchemyError as error:
        raise DatabaseProblem(
            "The upgrade failed and nothing was changed: "
            + _describe_connection_error(migrating, error)
        ) from error
    finally:
        migrating.dispose()
    assert after is not None
    return UpgradeResult(status.current, after, backup, duplicates)


if __name__ == "__main__":
    # The command line lives in cli/ (layers point one way); imported inside the block.
    from cli.migrate import main

    raise SystemExit(main())
