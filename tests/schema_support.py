"""Databases as versions before migrations made them, for the upgrade tests.

`as_made_before_migrations` takes a SQLite tracker built by this version and removes what
revisions 0002 and 0003 and the Alembic stamp added, giving the schema main had on 4 December 2026
(the frozen baseline, data_access/migrations/versions/0001_baseline.py); a test then drops
the interim additions it wants missing (decision 8: tables and nullable columns)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Revision 0002: table -> (key column, unique index).
NAME_KEYS = {
    "directorates": ("name_key", "uq_directorates_name_key"),
    "committees": ("name_key", "uq_committees_name_key"),
    "officers": ("name_key", "uq_officers_name_key"),
    "sources": ("title_key", "uq_sources_title_key_issued"),
}
# Revision 0003 (issue 9): new tables, and one new column.
PEOPLE_TABLES = (
    "users",
    "audit_events",
    "recommendation_changes",
    "committee_request_settings",
    "update_requests",
)
PEOPLE_COLUMNS = (("officers", "email"),)
PEOPLE_INDEXES = ("ix_update_recorded_at",)


def as_made_before_migrations(path: Path, *, drop: tuple[str, ...] = ()) -> None:
    """Strip revisions 0003 and 0002 and the stamp; `drop` names interim additions to remove too:
    "table" (dropped) or "table.column" (column dropped)."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=OFF")
        db.execute("DROP TABLE alembic_version")
        for table in PEOPLE_TABLES:
            db.execute(f'DROP TABLE "{table}"')
        for index in PEOPLE_INDEXES:
            db.execute(f"DROP INDEX {index}")
        for table, column in PEOPLE_COLUMNS:
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        for table, (column, index) in NAME_KEYS.items():
            db.execute(f"DROP INDEX {index}")
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        for item in drop:
            if "." in item:
                table, column = item.split(".")
                db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            else:
                db.execute(f'DROP TABLE "{item}"')
    db.close()


def table_rows(path: Path, *, leave_out: dict[str, set[str]] | None = None) -> dict[str, list]:
    """Every row of every table (but alembic_version), sorted, without the columns named."""
    leave_out = leave_out or {}
    rows: dict[str, list] = {}
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name != "alembic_version"
        ]
        for table in tables:
            columns = [
                row[1]
                for row in db.execute(f'PRAGMA table_info("{table}")')
                if row[1] not in leave_out.get(table, set())
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[table] = sorted(db.execute(f'SELECT {listed} FROM "{table}"').fetchall(), key=repr)
    db.close()
    return rows
