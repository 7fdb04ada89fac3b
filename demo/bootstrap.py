"""Getting a usable database at start-up.

On the embedded default, a first start builds the demo database (the seed report plus a
generated council) into a temporary file and renames it into place, so an interrupted build
never leaves a half-written tracker behind. A `DATABASE_URL` is never given demo data: an
empty database gets the schema and stays empty.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from data_access.db import (
    DEFAULT_DATABASE_PATH,
    DatabaseProblem,
    is_embedded_default,
    open_tracker,
)

DEMO_RECOMMENDATIONS = 400


def build_demo_file(path: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """Build the demo database at `path` atomically (temp file, then rename)."""
    from demo.generator import build_demo_database

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".building-", suffix=".db", dir=path.parent)
    os.close(handle)
    os.unlink(temp_name)
    try:
        build_demo_database(
            f"sqlite:///{temp_name}", recommendations=DEMO_RECOMMENDATIONS, progress=progress
        )
        checkpoint(temp_name)
        os.replace(temp_name, path)
    except BaseException:
        for name in (temp_name, temp_name + "-wal", temp_name + "-shm"):
            if os.path.exists(name):
                os.unlink(name)
        raise


def checkpoint(database_path: str) -> None:
    """Fold the write-ahead log into the file so the file alone holds everything."""
    connection = sqlite3.connect(database_path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def needs_demo(url: str) -> bool:
    return is_embedded_default(url) and not DEFAULT_DATABASE_PATH.exists()


def prepare_database(url: str, progress: Callable[[int, int], None] | None = None) -> Engine:
    """An engine on a ready tracker database; builds the demo on a first embedded start.

    Raises DatabaseProblem with a message fit for the screen."""
    if needs_demo(url):
        try:
            build_demo_file(DEFAULT_DATABASE_PATH, progress)
        except OSError as error:
            raise DatabaseProblem(
                f"Could not create the demo database at {DEFAULT_DATABASE_PATH}: {error}."
            ) from error
    engine, _ = open_tracker(url)
    return engine
