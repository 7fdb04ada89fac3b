"""Back up the tracker database to one file, or restore such a file into an empty database.

    python -m data_access.backup --out FILE
    python -m data_access.restore --from FILE

Thin clients of `data_access.backup`, on the database in force (DATABASE_URL, or the
built-in one). Exit status: 0 done, 2 nothing could be done (the message says why, and
nothing was written: no backup file, or no change to the database).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from data_access.backup import backup_database, restore_database
from data_access.db import UPGRADE_COMMAND, DatabaseProblem, configured_url, mask_url
from data_access.schema_revisions import head_revision

__all__ = ["backup_main", "restore_main"]


def backup_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.backup",
        description=(
            "Back up the tracker database (DATABASE_URL, or the built-in database) to one "
            "file, read in one consistent transaction while the dashboard stays open."
        ),
    )
    parser.add_argument("--out", required=True, type=Path, help="the backup file to write")
    arguments = parser.parse_args(argv)
    url = configured_url()
    try:
        summary = backup_database(url, arguments.out)
    except DatabaseProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    print(
        f"Backed up {summary.total_rows} rows in {len(summary.rows)} tables from "
        f"{mask_url(url)} (schema revision {summary.revision}) to {arguments.out}."
    )
    return 0


def restore_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.restore",
        description=(
            "Restore a backup into the database DATABASE_URL names, which must be new and "
            "empty: nothing is ever overwritten."
        ),
    )
    parser.add_argument(
        "--from", dest="source", required=True, type=Path, help="the backup file to restore"
    )
    arguments = parser.parse_args(argv)
    url = configured_url()
    try:
        summary = restore_database(url, arguments.source)
    except DatabaseProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    print(
        f"Restored {summary.total_rows} rows in {len(summary.rows)} tables into "
        f"{mask_url(url)} (schema revision {summary.revision}); every count matches the backup."
    )
    if summary.revision != head_revision():
        print(
            f"The backup is from an earlier version: upgrade the restored database with "
            f"`{UPGRADE_COMMAND}` (same DATABASE_URL) before starting the app."
        )
    return 0
