"""The exempt (Part 2) mark on a table's rows: one typed column, named here and nowhere else.

A row from an exempt source (`Confidentiality.EXEMPT`, a Part 2 report) is shown to officers
on screen, but must stay out of a file meant for a public paper unless the officer asks
(`exports.table_files.for_download`), and an exempt source's title stays out of chart files
(`charts.overview.without_exempt_titles`). So the queries that return tables put a mark on
each row, and the screens, the files and the charts read it. That mark used to be a column
name typed as a string in each of those places; it is now declared once:

- `EXEMPT_COLUMN` is the column's name, and the column always holds `bool` (never 0/1, None
  or text): `mark_exempt` sets it that way and `exempt_mask` reads it that way.
- A frame without the column has no mark: its rows cannot be told apart, so files treat it
  as it is (see `for_download`), and `exempt_mask` says no row is exempt.
- The column is never shown: `without_exempt_mark` drops it before a table is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pandas as pd

__all__ = [
    "EXEMPT_COLUMN",
    "exempt_mask",
    "has_exempt_mark",
    "mark_exempt",
    "typed_exempt_mark",
    "without_exempt_mark",
]

EXEMPT_COLUMN: Final = "is_exempt"


def mark_exempt(frame: pd.DataFrame, exempt: bool | Iterable[bool]) -> pd.DataFrame:
    """A copy of `frame` with the mark set: one flag for every row (a recommendation's own
    table, whose rows all share its source), or one flag per row."""
    flags = exempt if pd.api.types.is_scalar(exempt) else list(exempt)
    return typed_exempt_mark(frame.assign(**{EXEMPT_COLUMN: flags}))


def typed_exempt_mark(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (changed in place and returned) with its mark stored as `bool`, missing
    values read as not exempt; for a query that builds the column among its others, so even
    an empty result has the column's type."""
    frame[EXEMPT_COLUMN] = frame[EXEMPT_COLUMN].fillna(False).astype(bool)
    return frame


def has_exempt_mark(frame: pd.DataFrame) -> bool:
    """Whether the frame's rows carry the mark (a frame without it cannot tell them apart)."""
    return EXEMPT_COLUMN in frame.columns


def exempt_mask(frame: pd.DataFrame) -> pd.Series:
    """Which rows are exempt: a `bool` Series on the frame's index, all False without a mark."""
    if not has_exempt_mark(frame):
        return pd.Series(False, index=frame.index, dtype=bool)
    return frame[EXEMPT_COLUMN].fillna(False).astype(bool)


def without_exempt_mark(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as shown or written: the mark is never a column a reader sees."""
    return frame.drop(columns=[EXEMPT_COLUMN], errors="ignore")
