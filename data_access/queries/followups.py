"""Overdue follow-ups: what the Overdue page's three lists share, and whether the filters
match anything at all.

The lists themselves are `data_access.queries.overdue_items` (what is overdue, counted by
directorate, age and owner) and `data_access.queries.slipped_and_stale` (what has slipped or
gone quiet). Every question runs on the filtered state as at the filters' date
(`data_access.state.filtered_state`), so it honours every shared filter and replays the
updates for an earlier date. Overdue, slipped, stale and ageing buckets come from
`data_access.rules_sql`; per-row day counts are computed in Python, for the rows shown only,
with the pure rules of `domain.rules`. Lists are capped at `MAX_LIST_ROWS` with their total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, case, select

from data_access.filters import Filters
from data_access.models import Source
from data_access.state import filtered_state
from domain.exempt import EXEMPT_COLUMN
from domain.vocabulary import Confidentiality

__all__ = [
    "MAX_LIST_ROWS",
    "NO_DIRECTORATE",
    "NO_OWNER",
    "Listing",
    "exempt_mark",
    "has_recommendations_in_view",
    "listing_frame",
]

# Lists show at most this many rows (worst first) and say how many there are in all.
MAX_LIST_ROWS = 500
NO_OWNER = "No owner"
NO_DIRECTORATE = "No directorate"


@dataclass(frozen=True)
class Listing:
    """Rows to show (worst first, at most MAX_LIST_ROWS) and how many there are in all."""

    rows: pd.DataFrame
    total: int

    @property
    def is_capped(self) -> bool:
        return self.total > len(self.rows)


def has_recommendations_in_view(connection: Connection, filters: Filters) -> bool:
    """Whether the filters match any recommendation as at their date (cheap: stops at one).

    Tells "nothing matches the filters" apart from "nothing is overdue", which is good news.
    """
    f = filtered_state(connection, filters)
    return connection.execute(select(f.c.id).limit(1)).first() is not None


def exempt_mark() -> ColumnElement[int]:
    """1 for a row from an exempt (Part 2) source: downloads leave those out unless asked."""
    return case((Source.confidentiality == Confidentiality.EXEMPT.value, 1), else_=0)


def listing_frame(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], dates: tuple[str, ...]
) -> pd.DataFrame:
    """A list's rows as a frame with exactly these `columns` (also when there are none), the
    `dates` columns as datetimes and the exempt mark as bool."""
    frame = pd.DataFrame(list(rows), columns=list(columns))
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    if EXEMPT_COLUMN in columns:  # bool, also with no rows (domain/exempt.py)
        frame[EXEMPT_COLUMN] = frame[EXEMPT_COLUMN].astype(bool)
    return frame
