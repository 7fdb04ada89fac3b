"""Date arithmetic in SQL, spelled for the two databases the project supports and tests:
SQLite (the embedded default) and PostgreSQL.

Rules compare dates with bound parameters and need none of this; it exists for ordering
by a difference of two columns (e.g. days slipped), which has no portable spelling.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["days_between", "text_as_date"]


class days_between(FunctionElement):  # noqa: N801 - SQL function names read lower case
    """Whole days from the second date to the first, in SQL (for ordering only).

    Dates have no portable subtraction in SQL, so SQLite gets its own spelling.
    """

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    # PostgreSQL: date - date is an integer number of days.
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


class text_as_date(FunctionElement):  # noqa: N801 - SQL function names read lower case
    """An ISO date kept as text (a change record's value) read back as a date.

    PostgreSQL casts; SQLite keeps dates as ISO text already (a CAST there would make a
    number of it), so the text is used as it is and read as a date."""

    type = Date()
    name = "text_as_date"
    inherit_cache = True


@compiles(text_as_date)
def _text_as_date_default(element: text_as_date, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS DATE)"


@compiles(text_as_date, "sqlite")
def _text_as_date_sqlite(element: text_as_date, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(value, **kw)
