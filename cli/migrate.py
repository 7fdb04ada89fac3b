"""Upgrade the tracker database to this version's schema, from the command line.

    python -m data_access.migrate [--backup-folder FOLDER]

A thin client of `data_access.migrate`: the database in force (DATABASE_URL, or the built-in
one); on SQLite an online backup copy is saved first (beside the file unless a folder is
given). Exit status: 0 upgraded or already current, 2 nothing could be done (the message says
why, and nothing was changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from data_access.db import DatabaseProblem, configured_url, mask_url
from data_access.migrate import upgrade_database


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.migrate",
        description=(
            "Upgrade the tracker database (DATABASE_URL, or the built-in database) to the "
            "schema this version needs. A SQLite database is copied first."
        ),
    )
    parser.add_argument(
        "--backup-folder", type=Path, help="where the SQLite backup goes (default: beside it)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    url = configured_url()
    try:
        result = upgrade_database(url, backup_folder=arguments.backup_folder)
    except DatabaseProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    shown = mask_url(url)
    if not result.changed:
        print(f"The database at {shown} is already at schema revision {result.after}.")
    else:
        print(
            f"Upgraded the database at {shown} from "
            f"{result.before or 'before migrations'} to schema revision {result.after}."
        )
    if result.backup is not None:
        print(f"Backup copy taken first: {result.backup}")
    if result.duplicates:
        print(
            f"{len(result.duplicates)} row(s) repeat an earlier name and were left as they are "
            "(merge or rename them; see docs/migrations.md):"
        )
        for line in result.duplicates:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
