"""Reading and writing the exempt (Part 2) mark on a table (see domain/exempt.py).

The queries store the mark as a `bool` column; these are the only ways the screens, the
views and the files set, read and drop it."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from domain.exempt import EXEMPT_COLUMN

__all__ = ["exempt_mask", "has_exempt_mark", "mark_exempt", "without_exempt_mark"]


def mark_exempt(frame: pd.DataFrame, exempt: bool | Iterable[bool]) -> pd.DataFrame:
    """A copy of `frame` with the mark set, as `bool`: one flag for every row (a
    recommendation's own table, whose rows all share its source), or one flag per row
    (missing read as not exempt)."""
    flags = exempt if pd.api.types.is_scalar(exempt) else list(exempt)
    marked = frame.assign(**{EXEMPT_COLUMN: flags})
    marked[EXEMPT_COLUMN] = marked[EXEMPT_COLUMN].fillna(False).astype(bool)
    return marked


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
