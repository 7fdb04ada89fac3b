"""Command lines: argparse and print, thin clients of the library (kept out of data_access/).

The two steps every command that touches a file or the database starts with are here, so
each says the same thing and exits the same way (2: nothing could be read or opened)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["open_configured_tracker", "read_input"]


def read_input(path: Path) -> bytes | None:
    """The file's bytes, or None after saying on stderr why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        print(f"Cannot read {path}: {error.strerror or error}.", file=sys.stderr)
        return None


def open_configured_tracker() -> Engine | None:
    """The tracker database in force (DATABASE_URL or the built-in one), or None after
    saying on stderr why it cannot be used. The caller disposes of the engine."""
    from data_access.db import DatabaseProblem, configured_url, open_tracker

    try:
        engine, _ = open_tracker(configured_url())
    except DatabaseProblem as problem:
        print(str(problem), file=sys.stderr)
        return None
    return engine
