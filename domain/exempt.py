"""The exempt (Part 2) mark on a table's rows: one typed column, named here and nowhere else.

A row from an exempt source (`Confidentiality.EXEMPT`, a Part 2 report) is shown to officers
on screen, but must stay out of a file meant for a public paper unless the officer asks
(`exports.table_files.for_download`), and an exempt source's title stays out of chart files
(`charts.overview.without_exempt_titles`). So the queries that return tables put a mark on
each row, and the screens, the files and the charts read it. That mark used to be a column
name typed as a string in each of those places; it is now declared once, with its type:

- `EXEMPT_COLUMN` is the column's name. The column always holds `bool` (never 0/1, None or
  text), also in a result with no rows: the queries store it so, and
  `exports.exempt.mark_exempt` does for a table a view builds.
- A frame without the column has no mark: its rows cannot be told apart, so files take it as
  it is (`for_download`), and `exports.exempt.exempt_mask` says no row is exempt.
- The column is never shown: `exports.exempt.without_exempt_mark` drops it.

The pandas helpers live in `exports/exempt.py` because domain/ does not use pandas.
"""

from __future__ import annotations

from typing import Final

__all__ = ["EXEMPT_COLUMN"]

EXEMPT_COLUMN: Final = "is_exempt"
