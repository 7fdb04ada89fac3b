"""Which schema revision a tracker database is at, against the revisions this version knows.

The revisions are Alembic's, kept in the package (`data_access/migrations/versions`), so an
installed app carries every step from the baseline to its own schema. A database made before
migrations has no `alembic_version` table: it counts as older than the baseline, and
`data_access.migrate` brings it up (the baseline accepts any interim state, decision 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

__all__ = [
    "MIGRATIONS_FOLDER",
    "RevisionStatus",
    "alembic_config",
    "head_revision",
    "revision_status",
]

MIGRATIONS_FOLDER = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the tracker, in code (no alembic.ini to find or lose)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    config.set_main_option("file_template", "%%(rev)s")  # versions/0003_what_it_adds.py
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this version of the app works with."""
    head = _scripts().get_current_head()
    assert head is not None, "data_access/migrations/versions holds no revision"
    return head


def _known(revision: str) -> bool:
    return any(script.revision == revision for script in _scripts().walk_revisions())


@dataclass(frozen=True)
class RevisionStatus:
    """Where a database stands: `current` None means made before migrations."""

    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head

    @property
    def is_newer(self) -> bool:
        """Stamped with a revision this version does not have: a newer app upgraded it."""
        return self.current is not None and not _known(self.current)

    @property
    def is_older(self) -> bool:
        return not self.is_current and not self.is_newer


def revision_status(connection: Connection) -> RevisionStatus:
    current = MigrationContext.configure(connection).get_current_revision()
    return RevisionStatus(current=current, head=head_revision())
