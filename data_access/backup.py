"""Backing up a tracker database to one portable file, and restoring it into an empty one.

The file is a zip: `manifest.json` (format, schema revision, and for each table its columns,
row count and SHA-256) and one `tables/<name>.jsonl` per table, one JSON array per row,
dates and times as ISO text. It does not depend on the database it came from, so a SQLite
backup restores into PostgreSQL and back (decision in docs/decisions.md).

`backup_database` reads every table in one transaction (REPEATABLE READ on PostgreSQL, a
read transaction on SQLite), so the file is one moment of the database even while the
dashboard writes; rows are streamed in chunks, never all held at once. It writes beside the
target and renames at the end: a failed backup leaves no half file.

`restore_database` checks the whole file first (manifest, checksums, row counts, the
revision known to this version), then creates the schema at the backup's revision and
inserts every table in foreign-key order in one transaction, resets PostgreSQL sequences,
and compares row counts with the manifest. Any problem is a `BackupProblem` and nothing is
written. A backup from an older revision is restored at that revision; the officer then
runs `python -m data_access.migrate` (which takes its own backup first on SQLite).

The command lines are `python -m data_access.backup` and `python -m data_access.restore`.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, Engine, event, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from data_access.db import (
    DatabaseProblem,
    _describe_connection_error,
    error_detail,
    make_engine,
    mask_url,
    schema_state,
)
from data_access.models import Base
from data_access.schema_revisions import alembic_config, head_revision, revision_status

__all__ = [
    "FORMAT",
    "BackupProblem",
    "BackupSummary",
    "backup_database",
    "read_manifest",
    "restore_database",
]

FORMAT = "recommendation-tracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 2000
SKIPPED_TABLES = {"alembic_version"}  # the revision travels in the manifest instead


class BackupProblem(DatabaseProblem):
    """A backup or restore that cannot be done, with a message fit to show an officer."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or a restore put back): revision and rows per table."""

    revision: str
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --- values ---------------------------------------------------------------------------------


def _portable(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO text, decimals as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise TypeError("binary columns are not part of the tracker schema")
    return value


def _from_portable(value: Any, column_type: sa.types.TypeEngine) -> Any:
    """A JSON value back as what the target column holds (by the column's type, not the
    source database's: SQLite and PostgreSQL differ in what they hand back)."""
    if value is None:
        return None
    if isinstance(column_type, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, sa.Date):
        return date.fromisoformat(value[:10])
    if isinstance(column_type, sa.Time):
        return time.fromisoformat(value)
    if isinstance(column_type, sa.Boolean):
        return bool(value)
    if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Integer | sa.Float):
        return Decimal(str(value))
    return value


# --- engines --------------------------------------------------------------------------------


def _engine(url: str, *, write: bool) -> Engine:
    """An engine whose transactions are real on SQLite too (pysqlite would otherwise run
    each SELECT and each CREATE TABLE on its own): BEGIN for a backup's read snapshot,
    BEGIN IMMEDIATE with foreign keys checked once at the end for a restore."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _manual_transactions(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None
            if write:
                dbapi_connection.execute("PRAGMA foreign_keys=OFF")

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _data_tables(connection: Connection) -> list[sa.Table]:
    """Every table but Alembic's, parents before children (foreign-key order)."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES]


# --- backup ---------------------------------------------------------------------------------


def _table_lines(connection: Connection, table: sa.Table) -> Iterator[bytes]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=CHUNK_ROWS).execute(
        select(*table.columns).order_by(*order)
    )
    for chunk in result.partitions():
        yield b"".join(
            json.dumps([_portable(value) for value in row], ensure_ascii=False).encode() + b"\n"
            for row in chunk
        )


def backup_database(url: str, destination: Path, *, now: datetime | None = None) -> BackupSummary:
    """Write the tracker database at `url` to `destination` (a zip); what it holds.

    Raises BackupProblem for a database that is not a tracker or cannot be read; the
    destination is then left as it was."""
    engine = _engine(url, write=False)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        _refuse_unless_backable(engine, url, destination)
        connection_options = (
            {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
        )
        made_at = now or datetime.now(UTC)
        with (
            engine.connect().execution_options(**connection_options) as connection,
            connection.begin(),
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            revision = _revision_to_back_up(connection, url)
            tables_listed = [
                _write_table(archive, connection, table, made_at)
                for table in _data_tables(connection)
            ]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "revision": revision,
                "made_at": made_at.isoformat(timespec="seconds"),
                "made_from": engine.dialect.name,
                "tables": tables_listed,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, destination)
    except SQLAlchemyError as error:
        raise BackupProblem(
            "The backup failed and no file was written: "
            + _describe_connection_error(engine, error)
        ) from error
    except OSError as error:
        raise BackupProblem(
            f"Could not write the backup to {destination}: {error.strerror or error}. "
            "No file was written."
        ) from error
    finally:
        partial.unlink(missing_ok=True)
        engine.dispose()
    return BackupSummary(revision, {listed["name"]: listed["rows"] for listed in tables_listed})


def _refuse_unless_backable(engine: Engine, url: str, destination: Path) -> None:
    """A BackupProblem, before anything is written, for a database that is empty or not a
    tracker, or a destination folder that does not exist."""
    state = schema_state(engine)
    if state != "tracker":
        raise BackupProblem(
            f"The database at {mask_url(url)} is "
            + ("empty" if state == "empty" else "not a Recommendation Tracker database")
            + ": there is nothing to back up. No file was written."
        )
    if not destination.parent.is_dir():
        raise BackupProblem(
            f"The folder for the backup does not exist: {destination.parent}. "
            "Create it first. No file was written."
        )


def _revision_to_back_up(connection: Connection, url: str) -> str:
    """The schema revision the backup records; a database from before migrations must be
    upgraded first (a restore creates the schema at the recorded revision)."""
    revision = revision_status(connection).current
    if revision is None:
        raise BackupProblem(
            f"The database at {mask_url(url)} was made before schema migrations: "
            "upgrade it first with `python -m data_access.migrate`, then back it up. "
            "No file was written."
        )
    return revision


def _write_table(
    archive: zipfile.ZipFile, connection: Connection, table: sa.Table, made_at: datetime
) -> dict[str, Any]:
    """Stream one table into its member of the zip; its entry in the manifest (columns, row
    count and the SHA-256 of the lines written)."""
    member = f"tables/{table.name}.jsonl"
    digest = hashlib.sha256()
    count = 0
    entry = zipfile.ZipInfo(member, date_time=made_at.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(entry, "w", force_zip64=True) as out:
        for block in _table_lines(connection, table):
            digest.update(block)
            count += block.count(b"\n")
            out.write(block)
    return {
        "name": table.name,
        "member": member,
        "columns": [column.name for column in table.columns],
        "rows": count,
        "sha256": digest.hexdigest(),
    }


# --- reading a backup -----------------------------------------------------------------------


def _damaged(path: Path, detail: str) -> BackupProblem:
    return BackupProblem(
        f"{path} is not a usable Recommendation Tracker backup: {detail}. Nothing was written "
        "to the database. Use another copy of the backup."
    )


def _good_table(listed: Any) -> bool:
    return (
        isinstance(listed, dict)
        and isinstance(listed.get("name"), str)
        and isinstance(listed.get("member"), str)
        and isinstance(listed.get("columns"), list)
        and all(isinstance(column, str) for column in listed["columns"])
        and isinstance(listed.get("rows"), int)
        and isinstance(listed.get("sha256"), str)
    )


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """The manifest, checked for shape: a BackupProblem for anything else."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _damaged(path, "it has no manifest.json") from None
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        raise _damaged(path, f"its manifest cannot be read ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "it is not a tracker backup (its manifest names no tracker format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _damaged(
            path,
            f"it is in backup format {manifest.get('format_version')!r}; this version reads "
            f"format {FORMAT_VERSION}",
        )
    tables = manifest.get("tables")
    revision = manifest.get("revision")
    if (
        not isinstance(revision, str)
        or not isinstance(tables, list)
        or not all(_good_table(t) for t in tables)
    ):
        raise _damaged(path, "its manifest is incomplete")
    return manifest


def _member_rows(
    archive: zipfile.ZipFile, path: Path, listed: dict[str, Any]
) -> Iterator[list[list[Any]]]:
    """The rows of one table in chunks, checked line by line against the manifest: width,
    count and checksum. A BackupProblem for the first thing that does not match."""
    name = listed["name"]
    width = len(listed["columns"])
    digest = hashlib.sha256()
    count = 0
    chunk: list[list[Any]] = []
    try:
        with archive.open(listed["member"]) as lines:
            for line in lines:
                digest.update(line)
                count += 1
                row = json.loads(line)
                if not isinstance(row, list) or len(row) != width:
                    raise _damaged(
                        path, f"row {count} of table {name} does not have {width} values"
                    )
                chunk.append(row)
                if len(chunk) >= CHUNK_ROWS:
                    yield chunk
                    chunk = []
    except KeyError:
        raise _damaged(path, f"it lacks the rows of table {name}") from None
    except (ValueError, zipfile.BadZipFile, EOFError, OSError) as error:
        raise _damaged(path, f"the rows of table {name} are damaged ({error})") from None
    if chunk:
        yield chunk
    if count != listed["rows"] or digest.hexdigest() != listed["sha256"]:
        raise _damaged(
            path,
            f"table {name} holds {count} rows where the manifest says {listed['rows']}"
            if count != listed["rows"]
            else f"the rows of table {name} do not match their checksum",
        )


def _open_backup(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupProblem(f"There is no file at {path}. Nothing was written.") from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _damaged(path, f"it is not a complete zip file ({error})") from None


def _check_whole_file(archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> None:
    """Read every table once before touching the database: a damaged file changes nothing."""
    for listed in manifest["tables"]:
        for _chunk in _member_rows(archive, path, listed):
            pass


# --- restore --------------------------------------------------------------------------------


def _known_revisions() -> set[str]:
    from data_access.schema_revisions import _scripts

    return {script.revision for script in _scripts().walk_revisions()}


def _refuse_unless_empty(connection: Connection, url: str) -> None:
    tables = inspect(connection).get_table_names()
    if tables:
        shown = ", ".join(sorted(tables)[:5]) + (" ..." if len(tables) > 5 else "")
        raise BackupProblem(
            f"The database at {mask_url(url)} is not empty (it has {len(tables)} table(s): "
            f"{shown}). A backup is only restored into a new, empty database, so nothing "
            "is overwritten: create one (a new SQLite file name, or createdb on PostgreSQL), "
            "point DATABASE_URL at it and run the restore again. Nothing was changed."
        )


def _create_schema_at(connection: Connection, revision: str) -> None:
    if revision == head_revision():
        Base.metadata.create_all(connection)
        command.stamp(alembic_config(connection), "head")
    else:
        command.upgrade(alembic_config(connection), revision)


def _reset_sequences(connection: Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: point each id sequence past the highest restored id, so the next row
    added gets a fresh id rather than colliding with a restored one."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": f'"{table.name}"', "column": column.name},
            ).scalar()
            if sequence is None:
                continue
            highest = connection.execute(sa.func.max(column).select()).scalar()
            connection.execute(
                sa.text("SELECT setval(:sequence, :next, false)"),
                {"sequence": sequence, "next": (highest or 0) + 1},
            )


def restore_database(url: str, source: Path) -> BackupSummary:
    """Restore the backup at `source` into the empty database at `url`; what it put back.

    Raises BackupProblem, with nothing written, for a damaged or foreign file, a backup from
    a newer version, a database that is not empty, or any failure while inserting."""
    with _open_backup(source) as archive:
        manifest = read_manifest(archive, source)
        revision = manifest["revision"]
        if revision not in _known_revisions():
            raise BackupProblem(
                f"{source} was made by a newer version of the Recommendation Tracker (schema "
                f"revision {revision}); this version knows revisions up to {head_revision()}. "
                "Restore it with that newer version. Nothing was written."
            )
        _check_whole_file(archive, source, manifest)

        engine = _engine(url, write=True)
        sqlite_file = (
            Path(engine.url.database)
            if engine.dialect.name == "sqlite"
            and engine.url.database
            and engine.url.database != ":memory:"
            else None
        )
        file_was_there = sqlite_file is not None and sqlite_file.exists()
        try:
            with engine.begin() as connection:
                _refuse_unless_empty(connection, url)
                _create_schema_at(connection, revision)
                target = {table.name: table for table in _data_tables(connection)}
                restored = _insert_tables(connection, archive, source, manifest, target)
                _settle_restored_ids(connection, list(target.values()))
        except SQLAlchemyError as error:
            _forget_new_file(engine, sqlite_file, file_was_there)
            raise BackupProblem(
                f"The restore into {mask_url(url)} failed and nothing was written: "
                f"{error_detail(error)}"
            ) from error
        except BaseException:
            _forget_new_file(engine, sqlite_file, file_was_there)
            raise
        finally:
            engine.dispose()
    return BackupSummary(revision, restored)


def _insert_tables(
    connection: Connection,
    archive: zipfile.ZipFile,
    source: Path,
    manifest: dict[str, Any],
    target: dict[str, sa.Table],
) -> dict[str, int]:
    """Every table of the backup inserted into the schema just created, in foreign-key
    order; rows per table (0 for a table the backup predates). A BackupProblem for a table
    the backup's revision does not have."""
    revision = manifest["revision"]
    listed_by_name = {listed["name"]: listed for listed in manifest["tables"]}
    missing = sorted(set(listed_by_name) - set(target))
    if missing:
        raise _damaged(
            source,
            f"it holds table(s) that revision {revision} does not have: " + ", ".join(missing),
        )
    restored: dict[str, int] = {}
    for table in target.values():
        listed = listed_by_name.get(table.name)
        restored[table.name] = (
            0
            if listed is None
            else _insert_table(connection, archive, source, table, listed, revision)
        )
    return restored


def _insert_table(
    connection: Connection,
    archive: zipfile.ZipFile,
    source: Path,
    table: sa.Table,
    listed: dict[str, Any],
    revision: str,
) -> int:
    """One table's rows inserted in chunks, then counted against the manifest; the count."""
    unknown = [c for c in listed["columns"] if c not in table.columns]
    if unknown:
        raise _damaged(
            source,
            f"table {table.name} has column(s) revision {revision} does not "
            "have: " + ", ".join(unknown),
        )
    columns = [table.columns[c] for c in listed["columns"]]
    done = 0
    for chunk in _member_rows(archive, source, listed):
        connection.execute(table.insert(), _typed_rows(source, table.name, columns, chunk, done))
        done += len(chunk)
    counted = connection.execute(select(sa.func.count()).select_from(table)).scalar_one()
    if counted != listed["rows"]:
        raise BackupProblem(
            f"Table {table.name} has {counted} rows after the restore where "
            f"the backup lists {listed['rows']}. Nothing was written."
        )
    return counted


def _settle_restored_ids(connection: Connection, tables: list[sa.Table]) -> None:
    """After the inserts: on PostgreSQL, sequences past the restored ids; on SQLite, the
    foreign keys checked once (they were off while inserting), a BackupProblem if any row
    points at a row the backup does not hold."""
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, tables)
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise BackupProblem(
            f"The backup has {len(broken)} row(s) pointing at rows it does not "
            f"hold (first in table {broken[0][0]}). Nothing was written."
        )


def _typed_rows(
    source: Path, table: str, columns: list[sa.Column], chunk: list[list[Any]], done: int
) -> list[dict[str, Any]]:
    """A chunk of rows as the target's column types want them; a value that is not what its
    column holds (a file edited by hand) is a BackupProblem naming table, row and column."""
    typed = []
    for number, row in enumerate(chunk, start=done + 1):
        values = {}
        for column, value in zip(columns, row, strict=True):
            try:
                values[column.name] = _from_portable(value, column.type)
            except (ValueError, TypeError):
                raise _damaged(
                    source, f"row {number} of table {table} has {value!r} in column {column.name}"
                ) from None
        typed.append(values)
    return typed


def _forget_new_file(engine: Engine, sqlite_file: Path | None, file_was_there: bool) -> None:
    """A failed restore into a SQLite file that did not exist before leaves no empty file."""
    engine.dispose()
    if sqlite_file is not None and not file_was_there:
        for leftover in (sqlite_file, Path(f"{sqlite_file}-journal")):
            leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    # The command line lives in cli/ (layers point one way); imported inside the block.
    from cli.backup import backup_main

    raise SystemExit(backup_main())
