"""Finding directorates, officers and committees by name, and making them when missing.

Imports and the demo name people, directorates and committees in words; these turn a name (any
case or spacing) into the row's id, creating the row when asked. The get-or-create holds when
two writers create the same name at once (the unique name-key indexes, docs/decisions.md
"Names are unique"). Like every write, each takes the caller's connection and transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Insert, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from data_access.models import Committee, Directorate, Officer


def insert_or_find(conn: Connection, table: Any, values: dict[str, Any], find: Any) -> int:
    """Insert the row, or when its name is already taken (the unique name-key indexes,
    docs/decisions.md "Names are unique") the id `find()` gives: get-or-create that holds
    when two writers create the same name at once.

    `INSERT ... ON CONFLICT DO NOTHING` on SQLite and PostgreSQL: the loser of a race waits
    for the winner's commit (PostgreSQL's index lock, SQLite's write lock), inserts nothing,
    and then sees the winner's row; its transaction is never aborted. Any other database
    gets a savepoint and a retry after IntegrityError."""
    dialects = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
    make = dialects.get(conn.dialect.name)
    if make is None:
        try:
            with conn.begin_nested():
                return conn.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        except IntegrityError:
            found = find()
            if found is None:
                raise
            return found
    statement: Insert = make(table).values(values).on_conflict_do_nothing()
    made = conn.execute(statement.returning(table.c.id)).scalar()
    if made is not None:
        return made
    found = find()
    if found is None:  # a clash on something else than the name: say so, as before
        conn.execute(insert(table).values(values))
        raise AssertionError("unreachable: the insert above raises IntegrityError")
    return found


def _same_name(column: Any, name: str) -> Any:
    """The column holds the name, in any case or spacing (SQL)."""
    return func.lower(func.trim(column)) == " ".join(name.split()).lower()


def _id_by_name(
    conn: Connection,
    model: Any,
    name: str,
    *,
    create: bool,
    other_columns: Mapping[str, Any] | None = None,
) -> int | None:
    """The id of the `model` row of that name (any case or spacing; the first recorded when
    several share it), made with `other_columns` when missing if `create`."""
    clean = " ".join(name.split())
    if not clean:
        return None

    def existing() -> int | None:
        return conn.execute(
            select(model.id).where(_same_name(model.name, clean)).order_by(model.id).limit(1)
        ).scalar()

    found = existing()
    if found is not None or not create:
        return found
    values = {"name": clean, **(other_columns or {})}
    return insert_or_find(conn, model.__table__, values, existing)


def directorate_id(conn: Connection, name: str, *, create: bool = True) -> int | None:
    """The directorate of that name (any case or spacing), made when missing if `create`."""
    return _id_by_name(conn, Directorate, name, create=create)


def officer_id(
    conn: Connection, name: str, *, directorate_id: int | None = None, create: bool = True
) -> int | None:
    """The officer of that name (any case or spacing), made when missing if `create`.

    Two officers may share a name with different job titles; the first recorded is used."""
    other_columns = {"job_title": None, "directorate_id": directorate_id}
    return _id_by_name(conn, Officer, name, create=create, other_columns=other_columns)


def committee_id(conn: Connection, name: str, *, create: bool = False) -> int | None:
    """The committee of that name (any case or spacing), made when missing if `create`."""
    return _id_by_name(conn, Committee, name, create=create)
