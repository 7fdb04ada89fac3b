"""Concurrency and crash guarantees, measured: the race part of `python -m bench --reliability`.

Three measurements, each on a database URL the caller gives (SQLite file or PostgreSQL):

- `new_source_races`: two imports of a tracker into one *new* source at the same moment
  (both planned "a new source" before either wrote), with a new committee, directorate and
  owner. Counted per race: sources, committees, directorates and officers of those names (1
  each is right), recommendations (both files' rows), and how each import ended.
- `lost_update_races`: pairs of writers recording an update to one recommendation, both
  having read the same latest update. Exactly one must win and the other be refused
  (ConcurrentChange); a lost update is a success whose row is missing, or two successes.
  After all pairs the current-state columns must equal the replay of the history.
- `kill_mid_import`: `python -m data_access.import_tracker` killed with SIGKILL at 10
  moments spread over its write transaction (seen from outside: SQLite's write lock,
  PostgreSQL's transaction id); each time the database must hold all of it or none
  of it (the whole database compared before and after), and still pass its integrity check.

`race_report(sqlite_folder, postgres_url)` runs all three and returns the printout's lines;
`python -m bench.reliability_races` prints them (PostgreSQL when the Debian server is here).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text

from data_access.db import open_tracker
from data_access.import_tracker import ImportOptions, ImportRefused, apply_import, plan_import
from data_access.models import (
    Committee,
    Directorate,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.seed import load_seed
from data_access.writes import (
    ConcurrentChange,
    UpdateDraft,
    add_update,
    current_state_columns,
    latest_update_id,
)
from importing.spreadsheet import read_tracker

ROOT = Path(__file__).resolve().parent.parent
ISSUED = date(2025, 3, 1)


@dataclass
class RaceSummary:
    """One measurement: how many runs, how many went wrong, and what each wrong one did."""

    what: str
    database: str
    runs: int = 0
    wrong: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detail: str = ""  # how the right runs ended, e.g. "9 killed before writing, 1 complete"

    def line(self) -> str:
        verdict = "ok" if self.wrong == 0 else "FAILED"
        return (
            f"{self.what:<44} {self.database:<10} {self.runs:>4} runs  "
            f"{self.wrong:>3} wrong  {self.seconds:6.1f} s  {verdict}"
            + (f"  ({self.detail})" if self.detail else "")
        )


def _tracker_csv(refs: range, owner: str, directorate: str, committee: str) -> bytes:
    lines = ["Ref,Recommendation,Lead officer,Directorate,Committee,Status,Target date"]
    lines += [
        f"{ref},Review the damp and mould cases reported in ward {ref},{owner},{directorate},"
        f"{committee},In progress,31/12/2026"
        for ref in refs
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _engine(url: str) -> Engine:
    engine, _ = open_tracker(url)
    return engine


def _count(engine: Engine, column, value: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).where(func.lower(column) == value.lower())
        ).scalar_one()


def new_source_races(url: str, races: int = 20, database: str = "") -> RaceSummary:
    """Two imports into one new source, `races` times (a new title each time)."""
    summary = RaceSummary("two imports into one new source", database or _kind(url))
    started = time.perf_counter()
    both = one = 0
    engines = [_engine(url), _engine(url)]
    try:
        for race in range(1, races + 1):
            title = f"Damp and mould scrutiny review, race {race}"
            committee = f"Housing Scrutiny Panel {race}"
            owner, directorate = f"Alex Morgan {race}", f"Housing Repairs {race}"
            files = [
                _tracker_csv(range(1, 6), owner, directorate, committee),
                _tracker_csv(range(6, 11), owner, directorate, committee),
            ]
            options = ImportOptions(
                source_title=title, committee=committee, date_issued=ISSUED, today=ISSUED
            )
            barrier = threading.Barrier(2)
            outcomes: list[str] = ["", ""]

            def run(index: int, files=files, options=options, barrier=barrier, outcomes=outcomes):
                parsed = read_tracker(files[index], f"tracker-{index + 1}.csv")
                try:
                    with engines[index].begin() as conn:
                        plan = plan_import(conn, parsed, options)
                        assert plan.new_source is not None, "both must plan a new source"
                        barrier.wait(timeout=30)
                        apply_import(conn, plan)
                    outcomes[index] = "imported"
                except ImportRefused as refused:
                    outcomes[index] = f"refused: {refused}"
                except Exception as error:  # noqa: BLE001 - counted as wrong, with its words
                    outcomes[index] = f"error: {type(error).__name__}: {error}"

            _run_both(run)
            counts = {
                "sources": _count(engines[0], Source.title, title),
                "committees": _count(engines[0], Committee.name, committee),
                "officers": _count(engines[0], Officer.name, owner),
                "directorates": _count(engines[0], Directorate.name, directorate),
            }
            with engines[0].connect() as conn:
                recommendations = conn.execute(
                    select(func.count())
                    .select_from(Recommendation)
                    .join(Source, Source.id == Recommendation.source_id)
                    .where(Source.title == title)
                ).scalar_one()
            summary.runs += 1
            imported = outcomes.count("imported")
            right = (
                set(counts.values()) == {1}
                and recommendations == 5 * imported
                and imported >= 1
                and all(o == "imported" or o.startswith("refused") for o in outcomes)
            )
            if not right:
                summary.wrong += 1
                summary.notes.append(f"race {race}: {counts}, {recommendations} recs, {outcomes}")
            elif imported == 1:
                one += 1
                summary.notes.append(f"race {race}: one import refused cleanly: {outcomes}")
            else:
                both += 1
    finally:
        for engine in engines:
            engine.dispose()
    summary.seconds = time.perf_counter() - started
    summary.detail = f"one source each; both imports in: {both}, one refused cleanly: {one}"
    return summary


def lost_update_races(url: str, pairs: int = 100, database: str = "") -> RaceSummary:
    """`pairs` pairs of writers racing to update the seed's recommendation 2."""
    summary = RaceSummary("racing update pairs, lost updates", database or _kind(url))
    started = time.perf_counter()
    engines = [_engine(url), _engine(url)]
    try:
        rec_id = _first_recommendation(engines[0])
        for pair in range(1, pairs + 1):
            problem = _race_one_pair(engines, rec_id, pair)
            summary.runs += 1
            if problem is not None:
                summary.wrong += 1
                summary.notes.append(problem)
        if not _state_is_replay_of_history(engines[0], rec_id):
            summary.wrong += 1
            summary.notes.append("current state differs from the replay of the history")
        summary.detail = "each pair: one recorded, one refused; state = replay of history"
    finally:
        for engine in engines:
            engine.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


def _first_recommendation(engine: Engine) -> int:
    """The recommendation the writers race on (the seed is loaded into an empty database)."""
    with engine.begin() as conn:
        if not conn.execute(select(func.count()).select_from(Recommendation)).scalar():
            load_seed(conn)
        return conn.execute(
            select(Recommendation.id).order_by(Recommendation.id).limit(1)
        ).scalar_one()


def _race_one_pair(engines: list[Engine], rec_id: int, pair: int) -> str | None:
    """Two writers who saw the same latest update save at once: one must be recorded and one
    refused, and exactly one update kept. What went wrong, or None."""
    with engines[0].connect() as conn:
        seen = latest_update_id(conn, rec_id)
        count_before = conn.execute(
            select(func.count()).where(ProgressUpdate.recommendation_id == rec_id)
        ).scalar_one()
    barrier = threading.Barrier(2)
    won: list[int | None] = [None, None]
    outcome: list[str] = ["", ""]

    def write(index: int) -> None:
        draft = UpdateDraft(
            update_date=date(2025, 1, 1),
            author=f"Writer {index + 1}",
            narrative=f"Pair {pair}: progress noted by writer {index + 1}.",
        )
        try:
            barrier.wait(timeout=30)
            with engines[index].begin() as conn:
                won[index] = add_update(conn, rec_id, draft, expected_latest_update_id=seen)
            outcome[index] = "recorded"
        except ConcurrentChange:
            outcome[index] = "refused"
        except Exception as error:  # noqa: BLE001
            outcome[index] = f"error: {type(error).__name__}: {error}"

    _run_both(write)
    with engines[0].connect() as conn:
        stored = set(
            conn.execute(
                select(ProgressUpdate.id).where(ProgressUpdate.recommendation_id == rec_id)
            ).scalars()
        )
    winners = [update_id for update_id in won if update_id is not None]
    if (
        sorted(outcome) != ["recorded", "refused"]
        or not set(winners) <= stored
        or len(stored) != count_before + 1
    ):
        return f"pair {pair}: {outcome}, {len(stored) - count_before} kept"
    return None


def _state_is_replay_of_history(engine: Engine, rec_id: int) -> bool:
    """The stored current-state columns equal a fresh replay of the stored updates."""
    with engine.connect() as conn:
        original = conn.execute(
            select(Recommendation.original_target_date).where(Recommendation.id == rec_id)
        ).scalar_one()
        history = [
            dict(row)
            for row in conn.execute(
                select(ProgressUpdate.__table__)
                .where(ProgressUpdate.recommendation_id == rec_id)
                .order_by(ProgressUpdate.update_date, ProgressUpdate.id)
            ).mappings()
        ]
        replayed = current_state_columns(original, history)
        stored_state = conn.execute(
            select(*(getattr(Recommendation, c) for c in replayed)).where(
                Recommendation.id == rec_id
            )
        ).one()
    return tuple(replayed.values()) == tuple(stored_state)


def _run_both(racer: Callable[[int], None]) -> None:
    """Run the two racers (0 and 1) in threads at once, and wait for both (2 minutes each)."""
    threads = [threading.Thread(target=racer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def _whole_database(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        return {
            table: sorted(
                (tuple(row) for row in conn.execute(text(f'SELECT * FROM "{table}"'))), key=repr
            )
            for table in tables
        }


def _writer_active(engine: Engine) -> bool:
    """Whether another connection holds an open write transaction on the database.

    SQLite: a probe `BEGIN IMMEDIATE` with no wait fails while a writer holds the lock (and
    is rolled back at once otherwise). PostgreSQL: a backend with a transaction id."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
                    "AND datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        )


def _start_and_wait_for_writing(
    command: list[str], environment: dict[str, str], engine: Engine
) -> tuple[subprocess.Popen, float | None]:
    """Start the command; return it once it holds a write transaction (and when that was
    seen, from the start), or once it has ended (None: never seen writing)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while process.poll() is None:
        if _writer_active(engine):
            return process, time.perf_counter() - started
        time.sleep(0.002)
    return process, None


def kill_mid_import(
    url: str, points: int = 10, rows: int = 500, database: str = "", folder: Path | None = None
) -> RaceSummary:
    """SIGKILL the tracker import command at `points` moments of its write transaction.

    Time would not do on a busy machine (start-up alone varies tenfold), so the moments are
    counted from when the command is seen holding its write transaction: a first run
    measures how long it holds it (until the lock is let go at commit), and the kills are
    spread over that window, the first at once."""
    summary = RaceSummary("kill -9 mid-import, partial writes", database or _kind(url))
    started = time.perf_counter()
    folder = folder or Path(tempfile.mkdtemp(prefix="kill-import-"))
    environment = {**os.environ, "DATABASE_URL": url}

    def command(number: int) -> list[str]:
        path = folder / f"tracker-{number}.csv"
        path.write_bytes(
            _tracker_csv(range(1, rows + 1), f"Sam Kaur {number}", "Place", "Kill Test Panel")
        )
        return [sys.executable, "-m", "data_access.import_tracker", str(path),
                "--source", f"Kill test review {number}", "--committee", "Kill Test Panel",
                "--issued", "01/03/2025"]  # fmt: skip

    engine = _engine(url)
    window = 0.0
    try:
        process, seen = _start_and_wait_for_writing(command(0), environment, engine)
        writing_from = time.perf_counter()
        while seen is not None and process.poll() is None and _writer_active(engine):
            time.sleep(0.002)  # until it commits: the lock is let go
        if seen is not None:
            window = time.perf_counter() - writing_from
        process.wait()
        for point in range(1, points + 1):
            before = _whole_database(engine)
            delay = window * (point - 1) / points
            process, seen = _start_and_wait_for_writing(command(point), environment, engine)
            if seen is not None:
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
            process.wait()
            after = _whole_database(engine)
            with engine.connect() as conn:
                written = conn.execute(
                    select(func.count())
                    .select_from(Recommendation)
                    .join(Source, Source.id == Recommendation.source_id)
                    .where(Source.title == f"Kill test review {point}")
                ).scalar_one()
                healthy = (
                    conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                    if engine.dialect.name == "sqlite"
                    else True
                )
            summary.runs += 1
            state = "none" if after == before else ("all" if written == rows else "PARTIAL")
            if state == "PARTIAL" or not healthy:
                summary.wrong += 1
            when = f"{delay:.3f} s into writing" if seen is not None else "never seen writing"
            summary.notes.append(f"killed {when}: {state} written")
    finally:
        engine.dispose()
    summary.seconds = time.perf_counter() - started
    endings = [note.rsplit(": ", 1)[1] for note in summary.notes]
    summary.detail = (
        f"write transaction {window:.2f} s; killed before commit: "
        f"{endings.count('none written')}, after: {endings.count('all written')}"
    )
    return summary


def _kind(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def race_report(
    sqlite_folder: Path, postgres_url: Callable[[str], str] | None = None
) -> list[RaceSummary]:
    """Every measurement on a fresh SQLite file each, and on PostgreSQL when given a
    function making a fresh database by name."""
    urls = {"SQLite": lambda name: f"sqlite:///{sqlite_folder / f'{name}.db'}"}
    if postgres_url is not None:
        urls["PostgreSQL"] = postgres_url
    results = []
    for database, make in urls.items():
        results.append(lost_update_races(make("lost_updates"), 100, database))
        results.append(kill_mid_import(make("kill_import"), 10, database=database))
        results.append(new_source_races(make("new_source"), 20, database))
    return results


def format_report(results: list[RaceSummary]) -> list[str]:
    lines = ["Concurrency and crashes"]
    lines += [result.line() for result in results]
    for result in results:
        if result.wrong:
            lines += [f"  {result.what} ({result.database}): {note}" for note in result.notes]
    return lines


def main() -> int:
    from tests.postgres_support import PostgresCluster, unavailable_reason

    with tempfile.TemporaryDirectory() as folder:
        reason = unavailable_reason()
        if reason is not None:
            print(f"PostgreSQL skipped: {reason}", file=sys.stderr)
            results = race_report(Path(folder))
        else:
            with PostgresCluster() as cluster:
                results = race_report(Path(folder), cluster.create_database)
    print("\n".join(format_report(results)))
    return 0 if all(result.wrong == 0 for result in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "RaceSummary",
    "format_report",
    "kill_mid_import",
    "lost_update_races",
    "new_source_races",
    "race_report",
]
