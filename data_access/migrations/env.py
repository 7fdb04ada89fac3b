"""Alembic's environment for the tracker: always run on a connection the caller opened.

`data_access.migrate` passes the connection in `config.attributes["connection"]`, inside
its own transaction, so an upgrade is all or nothing (SQLite included: the migration
engine issues BEGIN itself). Batch mode is on so a revision that alters a column works on
SQLite, which rebuilds the table, and on PostgreSQL, which alters it in place.
"""

from __future__ import annotations

from alembic import context

from data_access.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
