"""Names are unique: a normalised key for sources, officers, directorates and committees.

Each table gains a nullable key column (domain.names) and a unique index on it (sources: on
the key and the issue date), so two imports running at once cannot both create the same
source, officer, directorate or committee; the writers insert "or find" by it.

A database may already hold duplicates (two imports at once made them before this). They are
not merged here: merging would rewrite other rows' links and history without anyone seeing.
The first row of each name (lowest id) gets the key; each later duplicate keeps a NULL key
(NULLs never clash in a unique index, on SQLite or PostgreSQL), stays where it is with
everything that points at it, and is listed by `python -m data_access.migrate`
(`data_access.migrate.unkeyed_duplicates`). The lookups find the first, as they always did.

Revision ID: 0002_name_keys
Revises: 0001_baseline
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from domain.names import name_key, officer_key

revision = "0002_name_keys"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

KEY = sa.String(length=1000)
log = logging.getLogger("alembic.runtime.migration")

# table -> (key column, columns the key is made of, columns of the unique index)
KEYS = {
    "directorates": ("name_key", ("name",), ("name_key",)),
    "committees": ("name_key", ("name",), ("name_key",)),
    "officers": ("name_key", ("name", "job_title"), ("name_key",)),
    "sources": ("title_key", ("title",), ("title_key", "date_issued")),
}
INDEXES = {
    "directorates": "uq_directorates_name_key",
    "committees": "uq_committees_name_key",
    "officers": "uq_officers_name_key",
    "sources": "uq_sources_title_key_issued",
}


def _key(table: str, row: sa.Row) -> str | None:
    if table == "officers":
        return officer_key(row.name, row.job_title)
    return name_key(row.title if table == "sources" else row.name)


def _fill(bind: sa.Connection, table: str) -> None:
    key_column, sources, unique_on = KEYS[table]
    extra = [column for column in unique_on if column != key_column]
    listed = sa.table(table, sa.column("id"), sa.column(key_column),
                      *(sa.column(c) for c in (*sources, *extra)))  # fmt: skip
    rows = bind.execute(sa.select(listed).order_by(listed.c.id)).all()
    seen: set[tuple] = set()
    keyed = []
    for row in rows:
        key = _key(table, row)
        identity = (key, *(getattr(row, column) for column in extra))
        if key is None or identity in seen:
            if key is not None:
                log.warning("%s %s duplicates an earlier row: left without a key", table, row.id)
            continue
        seen.add(identity)
        keyed.append({"row_id": row.id, "key_value": key})
    if keyed:
        bind.execute(
            sa.update(listed)
            .where(listed.c.id == sa.bindparam("row_id"))
            .values({key_column: sa.bindparam("key_value")}),
            keyed,
        )


def upgrade() -> None:
    bind = op.get_bind()
    for table, (key_column, _, unique_on) in KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(key_column, KEY, nullable=True))
        _fill(bind, table)
        op.create_index(INDEXES[table], table, list(unique_on), unique=True)


def downgrade() -> None:
    for table, (key_column, _, _) in KEYS.items():
        op.drop_index(INDEXES[table], table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column(key_column)
