"""Opening the store: which database, how to connect, and whether it is a tracker.

`DATABASE_URL` (any SQLAlchemy URL) overrides the embedded default, a SQLite file under
`data/`. Every problem opening a database becomes a `DatabaseProblem` whose message says
what happened and how to fix it, with any password in the URL masked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from data_access.models import SCHEMA_VERSION, Base, TrackerMeta

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "tracker.db"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATABASE_PATH}"


class DatabaseProblem(Exception):
    """A database that cannot be used, with a message fit to show a council officer."""


def configured_url(environ: dict[str, str] | None = None) -> str:
    """The database URL in force: `DATABASE_URL` if set, else the embedded SQLite file."""
    environ = os.environ if environ is None else environ
    return environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL


def is_embedded_default(url: str) -> bool:
    return url == DEFAULT_DATABASE_URL


_SCHEME_PREFIX = re.compile(r"^[A-Za-z][\w+.-]*:/+")
# Secrets a URL can carry in its query string (libpq and driver options).
_SECRET_QUERY = re.compile(r"(?i)([?&](?:password|sslpassword|sslkey|passfile|pwd)=)[^&#]*")


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, safe to show on screen or in logs.

    Done on the text itself rather than by parsing, so that malformed URLs (a missing
    slash, an unescaped @ in the password) are masked too; so is a password given as a
    query parameter (`?password=...`)."""
    url = _SECRET_QUERY.sub(r"\1***", url)
    if "@" not in url:
        return url
    prefix = _SCHEME_PREFIX.match(url)
    start = prefix.end() if prefix else 0
    last_at = url.rindex("@")
    credentials = url[start:last_at]
    if ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{url[:start]}{user}:***{url[last_at:]}"


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's lower() folds ASCII only; search must find "Ó Briain" from "ó briain".
    dbapi_connection.create_function(
        "lower", 1, lambda text: None if text is None else text.lower(), deterministic=True
    )


def _use_write_ahead_log(engine: Engine) -> None:
    """WAL lets the dashboard read while a write is under way. It is set only once the
    database is known to be a tracker (it changes the file), and persists in the file."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL and foreign keys. Raises DatabaseProblem."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as error:
        raise DatabaseProblem(
            f"DATABASE_URL is not a valid database URL ({mask_url(url)}). "
            "Use a SQLAlchemy URL such as sqlite:///path/to/tracker.db or "
            "postgresql+psycopg://user:password@host/dbname."
        ) from error
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:" and not database.startswith("file:"):
                folder = Path(database).parent
                if not folder.exists():
                    raise DatabaseProblem(
                        f"The folder for the database does not exist: {folder}. "
                        "Create it, or point DATABASE_URL at an existing folder."
                    )
            engine = create_engine(url, connect_args={"timeout": 15})
            event.listen(engine, "connect", _enable_sqlite_pragmas)
            return engine
        connect_args = {"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {}
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except NoSuchModuleError as error:
        raise DatabaseProblem(
            f"This kind of database is not supported here ({mask_url(url)}): "
            "its driver is not installed."
        ) from error
    except ImportError as error:
        raise DatabaseProblem(
            f"The database driver for {mask_url(url)} is not installed ({error.name})."
        ) from error


def schema_state(engine: Engine) -> str:
    """'empty' (no tables), 'tracker' (our schema), or 'foreign' (some other database).

    Raises DatabaseProblem when the database cannot be reached or read at all."""
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if not tables:
                return "empty"
            if TrackerMeta.__tablename__ not in tables:
                return "foreign"
            version = connection.execute(
                select(TrackerMeta.value).where(TrackerMeta.key == "schema_version")
            ).scalar_one_or_none()
            return "tracker" if version == SCHEMA_VERSION else "foreign"
    except SQLAlchemyError as error:
        raise DatabaseProblem(_describe_connection_error(engine, error)) from error


def error_detail(error: BaseException, limit: int = 200) -> str:
    """The first line of what the database driver said (not SQLAlchemy's wrapping, with its
    SQL and parameters), cut to `limit` characters: the part of an error worth showing."""
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0][:limit]


def _describe_connection_error(engine: Engine, error: SQLAlchemyError) -> str:
    shown = mask_url(engine.url.render_as_string(hide_password=False))
    detail = error_detail(error, limit=300)
    if "file is not a database" in detail or "file is encrypted" in detail:
        return f"The file at {shown} is not a database. Nothing was changed. " + _how_to_fix(
            engine.url.render_as_string(hide_password=False)
        )
    return (
        f"Could not open the database at {shown}: {detail}. Check that the server is running "
        "and that DATABASE_URL is right; nothing has been changed."
    )


def _how_to_fix(url: str) -> str:
    if is_embedded_default(url):
        return (
            f"This is the built-in database, {DEFAULT_DATABASE_PATH}: move that file aside and "
            "restart the app to rebuild the demo, or set DATABASE_URL to your own database."
        )
    return (
        "Point DATABASE_URL at a Recommendation Tracker database or an empty one, or remove "
        "the setting to use the built-in one."
    )


def create_schema(engine: Engine) -> None:
    """Create every table at the newest revision and mark the database as a tracker store,
    in one transaction: a new database starts at head, with nothing to migrate."""
    from alembic import command

    from data_access.schema_revisions import alembic_config

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        connection.execute(
            TrackerMeta.__table__.insert(), [{"key": "schema_version", "value": SCHEMA_VERSION}]
        )
        command.stamp(alembic_config(connection), "head")


UPGRADE_COMMAND = "python -m data_access.migrate"


def _refuse_other_revision(engine: Engine, url: str) -> None:
    """DatabaseProblem unless the database is at the revision this version works with.

    Never changes the database: an upgrade is the officer's decision, taken with a backup
    (`python -m data_access.migrate`), not a side effect of opening the app."""
    from data_access.schema_revisions import revision_status

    with engine.connect() as connection:
        status = revision_status(connection)
    if status.is_current:
        return
    shown = mask_url(url)
    if status.is_newer:
        raise DatabaseProblem(
            f"The database at {shown} was upgraded by a newer version of the Recommendation "
            f"Tracker (schema revision {status.current}); this version knows revisions up to "
            f"{status.head}. Nothing was changed. Run the newer version, or restore the backup "
            "taken before that upgrade."
        )
    made = (
        "before schema migrations"
        if status.current is None
        else f"at schema revision {status.current}"
    )
    raise DatabaseProblem(
        f"The database at {shown} was made by an earlier version of the Recommendation "
        f"Tracker ({made}); this version needs revision {status.head}. Nothing was changed. "
        f"Upgrade it with `{UPGRADE_COMMAND}` (same DATABASE_URL), which saves a backup copy "
        "of a SQLite database first (take one of a PostgreSQL database with pg_dump), then "
        "start the app again."
    )


def open_tracker(url: str) -> tuple[Engine, str]:
    """Open the database at `url`, ready to use, and say what it holds.

    Returns (engine, state) where state is 'tracker'. An empty database gets the schema
    (and stays empty: demo data is only for the embedded default, see `ensure_demo`).
    A database holding something else raises DatabaseProblem rather than being touched, and
    so does a tracker at another schema revision (the message says how to upgrade an older
    one; see docs/migrations.md).
    """
    engine = make_engine(url)
    state = schema_state(engine)
    if state == "foreign":
        engine.dispose()
        raise DatabaseProblem(
            f"The database at {mask_url(url)} is not a Recommendation Tracker database "
            "(it has other tables and no tracker marker). Nothing was changed. " + _how_to_fix(url)
        )
    try:
        if state == "empty":
            create_schema(engine)
        else:
            _refuse_other_revision(engine, url)
        _use_write_ahead_log(engine)
    except SQLAlchemyError as error:
        raise DatabaseProblem(_describe_connection_error(engine, error)) from error
    except DatabaseProblem:
        engine.dispose()
        raise
    return engine, "tracker"
