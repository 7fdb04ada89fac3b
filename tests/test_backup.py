"""Backup and restore (issue 10): a backup restored into a fresh database gives identical
tables, on SQLite and PostgreSQL and across them; a database that is not empty, and a file
that is damaged or foreign, are refused with nothing written; the restored database opens in
the app and takes new rows (PostgreSQL sequences reset)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from data_access.backup import BackupProblem, backup_database, restore_database
from data_access.db import DatabaseProblem, open_tracker
from data_access.migrate import backup_sqlite
from data_access.models import ProgressUpdate, Recommendation
from data_access.names import directorate_id
from data_access.schema_revisions import head_revision
from data_access.writes import add_update
from demo import build_demo_database
from domain.drafts import UpdateDraft
from tests.postgres_support import PostgresCluster, unavailable_reason

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 2)


def _normalised(value: Any) -> Any:
    """One form for what SQLite and PostgreSQL hand back differently."""
    if isinstance(value, datetime):
        return ("datetime", value.replace(tzinfo=None).isoformat(sep=" "))
    if isinstance(value, date):
        return ("date", value.isoformat())
    if isinstance(value, bool):
        return int(value)
    return value


def every_table(url: str) -> dict[str, list[tuple]]:
    """Every row of every table but Alembic's, by primary key, values normalised; read with
    SQLAlchemy's reflection, independently of the backup code."""
    engine = create_engine(url)
    metadata = sa.MetaData()
    rows: dict[str, list[tuple]] = {}
    try:
        with engine.connect() as connection:
            metadata.reflect(connection)
            for table in metadata.sorted_tables:
                if table.name == "alembic_version":
                    continue
                columns = sorted(table.columns, key=lambda column: column.name)
                order = list(table.primary_key.columns) or columns
                result = connection.execute(sa.select(*columns).order_by(*order))
                rows[table.name] = [tuple(_normalised(v) for v in row) for row in result]
    finally:
        engine.dispose()
    return rows


def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("demo") / "council.db"
    url = f"sqlite:///{path}"
    build_demo_database(url, recommendations=300, seed=11, today=TODAY)
    return url


@pytest.fixture(scope="module")
def demo_backup(demo_sqlite: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backup") / "council.zip"
    backup_database(demo_sqlite, path)
    return path


def _highest_update_id(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        highest = connection.execute(sa.select(sa.func.max(ProgressUpdate.id))).scalar_one()
    engine.dispose()
    return highest


def _add_progress_update(url: str) -> int:
    """Through the app's own path: open_tracker, then writes.add_update; the new id."""
    engine, _state = open_tracker(url)
    try:
        with engine.begin() as connection:
            recommendation = connection.execute(
                sa.select(Recommendation.id).order_by(Recommendation.id).limit(1)
            ).scalar_one()
            return add_update(
                connection,
                recommendation,
                UpdateDraft(update_date=TODAY, author="Backup test", narrative="After the restore"),
            )
    finally:
        engine.dispose()


def test_demo_database_is_big_enough(demo_sqlite: str) -> None:
    tables = every_table(demo_sqlite)
    assert len(tables["recommendations"]) >= 300
    assert len(tables["progress_updates"]) > 1000
    assert sum(1 for rows in tables.values() if rows) >= 8


def test_sqlite_backup_restores_every_row_into_a_fresh_sqlite(
    demo_sqlite: str, demo_backup: Path, tmp_path: Path
) -> None:
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    summary = restore_database(target, demo_backup)

    original = every_table(demo_sqlite)
    assert every_table(target) == original
    assert summary.rows == {name: len(rows) for name, rows in original.items()}
    assert revision_of(target) == revision_of(demo_sqlite) == head_revision()


def test_the_restored_database_opens_and_takes_a_new_update(
    demo_backup: Path, tmp_path: Path
) -> None:
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restore_database(target, demo_backup)
    highest = _highest_update_id(target)
    assert _add_progress_update(target) == highest + 1


def _backup_with_a_write_midway(url: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Back up `url` while another connection commits an update (and a directorate) after
    the first table has been read: the backup must not see it, in any table."""
    import data_access.backup as backup_module

    reading = backup_module._table_lines
    tables_read = []

    def read_then_write(connection: sa.Connection, table: sa.Table) -> Iterator[bytes]:
        yield from reading(connection, table)
        tables_read.append(table.name)
        if len(tables_read) == 1:
            _add_progress_update(url)
            engine = create_engine(url)
            with engine.begin() as writer:
                directorate_id(writer, "Directorate added during the backup")
            engine.dispose()

    monkeypatch.setattr(backup_module, "_table_lines", read_then_write)
    backup_database(url, out)
    assert len(tables_read) > 10


def test_sqlite_backup_is_one_moment_while_the_app_writes(
    demo_sqlite: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "live.db"
    backup_sqlite(Path(make_url(demo_sqlite).database), copy)
    live = f"sqlite:///{copy}"
    open_tracker(live)[0].dispose()  # as the app leaves it: write-ahead log on
    before = every_table(live)

    _backup_with_a_write_midway(live, tmp_path / "live.zip", monkeypatch)
    assert every_table(live) != before  # the writes did happen, during the backup
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    restore_database(restored, tmp_path / "live.zip")
    assert every_table(restored) == before


def test_backup_manifest_counts_and_revision(demo_sqlite: str, demo_backup: Path) -> None:
    with zipfile.ZipFile(demo_backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["revision"] == head_revision()
        counted = {t["name"]: t["rows"] for t in manifest["tables"]}
        for listed in manifest["tables"]:
            lines = archive.read(listed["member"]).decode().splitlines()
            assert len(lines) == listed["rows"]
    assert counted == {name: len(rows) for name, rows in every_table(demo_sqlite).items()}
    # Parents before children: a recommendation's source and committee come first.
    order = [t["name"] for t in manifest["tables"]]
    assert order.index("sources") < order.index("recommendations")
    assert order.index("recommendations") < order.index("progress_updates")


def test_restore_into_a_database_with_tables_is_refused_and_changes_nothing(
    demo_backup: Path, tmp_path: Path
) -> None:
    target = f"sqlite:///{tmp_path / 'busy.db'}"
    build_demo_database(target, recommendations=20, seed=5, today=TODAY)
    before = every_table(target)
    bytes_before = (tmp_path / "busy.db").read_bytes()

    with pytest.raises(BackupProblem, match="is not empty.*Nothing was changed"):
        restore_database(target, demo_backup)
    assert every_table(target) == before
    assert (tmp_path / "busy.db").read_bytes() == bytes_before


def test_restore_into_an_empty_tracker_schema_is_refused(demo_backup: Path, tmp_path: Path) -> None:
    """Tables without rows still count: the restore never merges into a schema it did not make."""
    target = f"sqlite:///{tmp_path / 'opened.db'}"
    engine, _ = open_tracker(target)
    engine.dispose()
    before = every_table(target)
    with pytest.raises(BackupProblem, match="not empty"):
        restore_database(target, demo_backup)
    assert every_table(target) == before


def _damaged_copies(good: Path, folder: Path) -> Iterator[tuple[str, Path]]:
    data = good.read_bytes()
    truncated = folder / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    yield "truncated", truncated

    flipped = folder / "flipped.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(flipped, "w") as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "tables/progress_updates.jsonl":
                content = content.replace(b"[1,", b"[9,", 1)  # one id changed
            out.writestr(item, content)
    yield "one changed value (checksum)", flipped

    dropped = folder / "dropped.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(dropped, "w") as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "tables/recommendations.jsonl":
                content = b"".join(content.splitlines(keepends=True)[:-1])
            out.writestr(item, content)
    yield "a row missing", dropped

    garbage = folder / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04 not really a zip" * 50)
    yield "garbage", garbage

    foreign = folder / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as out:
        out.writestr("manifest.json", json.dumps({"format": "something-else"}))
    yield "foreign zip", foreign

    bad_date = folder / "bad-date.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad_date, "w") as out:
        manifest = json.loads(source.read("manifest.json"))
        for listed in manifest["tables"]:
            content = source.read(listed["member"])
            if listed["name"] == "recommendations":
                lines = content.splitlines(keepends=True)
                last = json.loads(lines[-1])
                last[listed["columns"].index("made_on")] = "2026-13-45"
                content = b"".join(lines[:-1]) + json.dumps(last).encode() + b"\n"
                listed["sha256"] = hashlib.sha256(content).hexdigest()
            out.writestr(listed["member"], content)
        out.writestr("manifest.json", json.dumps(manifest))
    yield "month 13 with a matching checksum", bad_date

    newer = folder / "newer.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(newer, "w") as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["revision"] = "9999_from_the_future"
                content = json.dumps(manifest).encode()
            out.writestr(item, content)
    yield "newer revision", newer


def test_damaged_or_foreign_files_are_refused_with_nothing_written(
    demo_backup: Path, tmp_path: Path
) -> None:
    for label, damaged in _damaged_copies(demo_backup, tmp_path):
        target_file = tmp_path / f"target-{damaged.stem}.db"
        with pytest.raises(BackupProblem) as refusal:
            restore_database(f"sqlite:///{target_file}", damaged)
        assert str(damaged) in str(refusal.value), label
        assert "Nothing was written" in str(refusal.value), label
        assert not target_file.exists(), f"{label}: a database file was left behind"


def _rewritten(good: Path, out: Path, table: str, change: Callable[[list, list], None]) -> Path:
    """A copy of the backup with one table's rows and columns changed by `change`, its
    checksum recomputed (a hand-edited file, consistent with its manifest)."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as copy:
        manifest = json.loads(source.read("manifest.json"))
        for listed in manifest["tables"]:
            content = source.read(listed["member"])
            if listed["name"] == table:
                rows = [json.loads(line) for line in content.splitlines()]
                change(listed["columns"], rows)
                content = b"".join(json.dumps(row).encode() + b"\n" for row in rows)
                listed["sha256"] = hashlib.sha256(content).hexdigest()
            copy.writestr(listed["member"], content)
        if table not in {listed["name"] for listed in manifest["tables"]}:
            manifest["tables"].append(
                {"name": table, "member": f"tables/{table}.jsonl", "columns": ["id"],
                 "rows": 0, "sha256": hashlib.sha256(b"").hexdigest()}
            )  # fmt: skip
            copy.writestr(f"tables/{table}.jsonl", b"")
        copy.writestr("manifest.json", json.dumps(manifest))
    return out


def _add_colour(columns: list, rows: list) -> None:
    columns.append("colour")
    for row in rows:
        row.append("red")


def _point_at_no_recommendation(columns: list, rows: list) -> None:
    rows[-1][columns.index("recommendation_id")] = 999_999


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        ("extra_table", None, "holds table\\(s\\) that revision .* does not have: extra_table"),
        ("directorates", _add_colour, "table directorates has column\\(s\\) .* not have: colour"),
        (
            "progress_updates",
            _point_at_no_recommendation,
            "1 row\\(s\\) pointing at rows it does not hold \\(first in table progress_updates",
        ),
    ],
)
def test_a_backup_the_schema_cannot_hold_is_refused_with_nothing_written(
    demo_backup: Path, tmp_path: Path, table: str, change, expected: str
) -> None:
    """A table or column the backup's revision lacks, or a row pointing at a row the backup
    does not hold: refused, naming it, and no database file left behind."""
    edited = _rewritten(demo_backup, tmp_path / "edited.zip", table, change or (lambda *_: None))
    target = tmp_path / "target.db"
    with pytest.raises(BackupProblem, match=expected) as refusal:
        restore_database(f"sqlite:///{target}", edited)
    assert "Nothing was written" in str(refusal.value)
    assert not target.exists()


def test_damaged_file_into_an_existing_empty_file_leaves_it_empty(
    demo_backup: Path, tmp_path: Path
) -> None:
    flipped = dict(_damaged_copies(demo_backup, tmp_path))["one changed value (checksum)"]
    target = tmp_path / "empty.db"
    create_engine(f"sqlite:///{target}").connect().close()  # an empty SQLite file
    with pytest.raises(BackupProblem, match="checksum"):
        restore_database(f"sqlite:///{target}", flipped)
    assert every_table(f"sqlite:///{target}") == {}


def test_backup_of_an_empty_database_writes_no_file(tmp_path: Path) -> None:
    out = tmp_path / "nothing.zip"
    with pytest.raises(BackupProblem, match="nothing to back up"):
        backup_database(f"sqlite:///{tmp_path / 'empty.db'}", out)
    assert not out.exists()
    assert list(tmp_path.glob("*.partial")) == []


def test_command_lines_back_up_and_restore(demo_sqlite: str, tmp_path: Path) -> None:
    out = tmp_path / "by-command.zip"
    environment = {**os.environ, "DATABASE_URL": demo_sqlite}
    made = subprocess.run(
        [sys.executable, "-m", "data_access.backup", "--out", str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=environment, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout

    target = f"sqlite:///{tmp_path / 'by-command.db'}"
    environment["DATABASE_URL"] = target
    restored = subprocess.run(
        [sys.executable, "-m", "data_access.restore", "--from", str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=environment, timeout=120,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert every_table(target) == every_table(demo_sqlite)

    again = subprocess.run(
        [sys.executable, "-m", "data_access.restore", "--from", str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=environment, timeout=120,
    )  # fmt: skip
    assert again.returncode == 2
    assert "not empty" in again.stderr
    assert "Traceback" not in again.stderr


def test_older_backup_is_restored_at_its_revision_then_upgraded(
    demo_sqlite: str, demo_backup: Path, tmp_path: Path
) -> None:
    """A backup whose manifest names revision 0002 (made by an earlier version, without the
    tables and column 0003 adds) restores at 0002; the app refuses it until migrate runs."""
    older = tmp_path / "older.zip"
    people = {
        "users",
        "audit_events",
        "recommendation_changes",
        "committee_request_settings",
        "update_requests",
    }
    with zipfile.ZipFile(demo_backup) as source, zipfile.ZipFile(older, "w") as out:
        manifest = json.loads(source.read("manifest.json"))
        kept = []
        for listed in manifest["tables"]:
            if listed["name"] in people:
                continue
            content = source.read(listed["member"])
            if listed["name"] == "officers":
                at = listed["columns"].index("email")
                rows = [json.loads(line) for line in content.splitlines()]
                content = b"".join(
                    json.dumps(row[:at] + row[at + 1 :]).encode() + b"\n" for row in rows
                )
                listed["columns"].pop(at)
                listed["sha256"] = hashlib.sha256(content).hexdigest()
            out.writestr(listed["member"], content)
            kept.append(listed)
        manifest["tables"] = kept
        manifest["revision"] = "0002_name_keys"
        out.writestr("manifest.json", json.dumps(manifest))

    target = f"sqlite:///{tmp_path / 'older.db'}"
    restore_database(target, older)
    assert revision_of(target) == "0002_name_keys"
    with pytest.raises(DatabaseProblem, match="data_access.migrate"):
        open_tracker(target)

    from data_access.migrate import upgrade_database

    upgrade_database(target, backup_folder=tmp_path / "before-upgrade")
    restored = every_table(target)
    original = every_table(demo_sqlite)
    for name in original.keys() - people - {"officers"}:
        assert restored[name] == original[name], name
    assert len(restored["officers"]) == len(original["officers"])
    assert _add_progress_update(target) > 0


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    with PostgresCluster() as started:
        yield started


@pytest.mark.postgres
def test_sqlite_backup_restores_into_postgres_and_back(
    cluster: PostgresCluster, demo_sqlite: str, demo_backup: Path, tmp_path: Path
) -> None:
    postgres = cluster.create_database("restored_from_sqlite")
    restore_database(postgres, demo_backup)
    original = every_table(demo_sqlite)
    assert every_table(postgres) == original
    assert revision_of(postgres) == head_revision()

    # From PostgreSQL (REPEATABLE READ) back into a fresh SQLite file: still identical.
    second = tmp_path / "from-postgres.zip"
    backup_database(postgres, second)
    round_trip = f"sqlite:///{tmp_path / 'round-trip.db'}"
    restore_database(round_trip, second)
    assert every_table(round_trip) == original

    # Sequences were reset: the app writes a new update with the next id, no collision.
    highest = _highest_update_id(demo_sqlite)
    new_id = _add_progress_update(postgres)
    assert new_id == highest + 1
    engine = create_engine(postgres)
    with engine.connect() as connection:
        assert (
            connection.execute(
                sa.select(ProgressUpdate.narrative).where(ProgressUpdate.id == new_id)
            ).scalar_one()
            == "After the restore"
        )
    engine.dispose()


@pytest.mark.postgres
def test_postgres_backup_is_one_moment_while_the_app_writes(
    cluster: PostgresCluster, demo_backup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = cluster.create_database("live_source")
    restore_database(live, demo_backup)
    before = every_table(live)

    _backup_with_a_write_midway(live, tmp_path / "live.zip", monkeypatch)
    assert every_table(live) != before
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    restore_database(restored, tmp_path / "live.zip")
    assert every_table(restored) == before


@pytest.mark.postgres
def test_postgres_restore_refusals_change_nothing(
    cluster: PostgresCluster, demo_backup: Path, tmp_path: Path
) -> None:
    busy = cluster.create_database("busy_target")
    build_demo_database(busy, recommendations=20, seed=5, today=TODAY)
    before = every_table(busy)
    with pytest.raises(BackupProblem, match="not empty"):
        restore_database(busy, demo_backup)
    assert every_table(busy) == before

    empty = cluster.create_database("empty_target")
    damaged = dict(_damaged_copies(demo_backup, tmp_path))
    for label, path in damaged.items():
        with pytest.raises(BackupProblem):
            restore_database(empty, path)
        assert every_table(empty) == {}, label


@pytest.mark.postgres
def test_postgres_failure_mid_insert_rolls_back_the_schema_too(
    cluster: PostgresCluster, demo_backup: Path, tmp_path: Path
) -> None:
    """A row PostgreSQL refuses (a NUL character, which SQLite stores) fails the restore
    after the schema and earlier tables were made: the transaction takes all of it back."""
    with_nul = tmp_path / "nul.zip"
    with zipfile.ZipFile(demo_backup) as source, zipfile.ZipFile(with_nul, "w") as out:
        manifest = json.loads(source.read("manifest.json"))
        for listed in manifest["tables"]:
            content = source.read(listed["member"])
            if listed["name"] == "progress_updates":
                lines = content.splitlines(keepends=True)
                first = json.loads(lines[0])
                at = listed["columns"].index("narrative")
                first[at] += "\u0000"
                content = json.dumps(first).encode() + b"\n" + b"".join(lines[1:])

                listed["sha256"] = hashlib.sha256(content).hexdigest()
            out.writestr(listed["member"], content)
        out.writestr("manifest.json", json.dumps(manifest))
    target = cluster.create_database("nul_target")
    with pytest.raises(BackupProblem, match="nothing was written"):
        restore_database(target, with_nul)
    assert every_table(target) == {}
