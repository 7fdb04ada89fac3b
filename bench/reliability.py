"""`python -m bench --reliability` (or `python -m bench.reliability`): hostile and malformed
files against the imports, as an officer or an attacker would give them.

Each kind of file (`bench.hostile_files.cases`) is written to a folder and given to the
command line that reads it (tracker, report or calendar import; the pages call the same
functions), in a process of its own against a copy of a seeded SQLite database. For each:

- tracebacks: any "Traceback" in the output is a failure;
- the verdict: refused (exit 1, a message naming the file and what was wrong) or read (exit 0);
- partial writes: the whole database is dumped before and after; a refused file must leave it
  byte for byte as it was;
- peak memory (the child's own ru_maxrss, from os.wait4) at most 500 MB and wall time at most
  10 s.

    python -m bench.reliability [--only TEXT] [--json FILE]

Prints one line a kind and the totals; exit status 1 when any kind failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.hostile_files import CALENDAR, REFUSED, REPORT, TRACKER, Case, cases

ROOT = Path(__file__).resolve().parent.parent
PEAK_LIMIT_MB = 500.0
TIME_LIMIT_S = 10.0
KILL_AFTER_S = 60.0


@dataclass(frozen=True)
class Outcome:
    kind: str
    command: str
    file_bytes: int
    exit_code: int | None
    seconds: float  # processor time (user + system) of the child: load on the machine aside
    wall_seconds: float
    peak_mb: float
    traceback: bool
    database_unchanged: bool
    message: str
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def make_template_database(folder: Path) -> Path:
    """A database holding the seed report: what a council's tracker looks like on day one."""
    from data_access.db import open_tracker
    from data_access.seed import load_seed

    path = folder / "template.db"
    engine, _ = open_tracker(f"sqlite:///{path}")
    with engine.begin() as connection:
        load_seed(connection)
    engine.dispose()
    return path


def database_dump(path: Path) -> str:
    """Every table's schema and rows, as SQL text: equal dumps are equal databases."""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def command_for(case: Case, file: Path) -> list[str]:
    python = [sys.executable, "-X", "utf8", "-m"]
    if case.command == TRACKER:
        return [*python, "cli.import_tracker", str(file), "--committee",
                "Scrutiny Committee", "--issued", "01/04/2024"]  # fmt: skip
    if case.command == REPORT:
        return [*python, "data_access.report_import", str(file), "--json"]
    if case.command == CALENDAR:
        return [*python, "data_access.import_calendar", str(file), "--committee",
                "Children's Services Overview and Scrutiny Committee", "--all-events"]  # fmt: skip
    raise ValueError(case.command)


# The measured command runs as a grandchild, started by this small script: Linux hands a
# parent's peak memory on to a child it forks (the copied pages count until exec), so a child
# of a big process (the test runner) would report the parent's peak, not its own.
_MEASURE = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
               "wall": time.perf_counter() - started, "rss_kb": usage.ru_maxrss}, out)
"""


def run_child(
    arguments: list[str], environment: dict[str, str]
) -> tuple[int | None, str, float, float, float]:
    """(exit code or None if killed, output, processor seconds, wall seconds, peak RSS in MB)
    of one command, measured in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="measure-") as folder:
        result = Path(folder) / "usage.json"
        with tempfile.TemporaryFile() as output:
            started = time.perf_counter()
            launcher = subprocess.Popen(
                [sys.executable, "-c", _MEASURE, str(result), *arguments], cwd=ROOT,
                env=environment, stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            try:
                launcher.wait(timeout=KILL_AFTER_S)
            except subprocess.TimeoutExpired:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
            output.seek(0)
            text = output.read().decode("utf-8", "replace")
        if not result.exists():
            return None, text, 0.0, time.perf_counter() - started, 0.0
        usage = json.loads(result.read_text())
    return usage["code"], text, usage["cpu"], usage["wall"], usage["rss_kb"] / 1024


def run_case(case: Case, folder: Path, template: Path) -> Outcome:
    file = folder / case.filename
    subprocess.run(
        [sys.executable, "-m", "bench.hostile_files", case.kind, str(file)],
        cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    size = file.stat().st_size
    database = folder / f"{case.kind}.db"
    shutil.copy(template, database)
    before = database_dump(database)
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(ROOT)}
    exit_code, text, seconds, wall, peak_mb = run_child(command_for(case, file), environment)
    after = database_dump(database)
    unchanged = before == after
    failures = []
    traceback = "Traceback" in text
    if traceback:
        failures.append("traceback")
    lowered = text.lower()
    if case.expect == REFUSED:
        if exit_code not in (1, 2):  # 1: the file's problems; 2: what to give on the command
            failures.append(f"exit {exit_code}, expected 1 or 2 (refused)")
        if not unchanged:
            failures.append("database changed although the file was refused")
        if case.filename.lower() not in lowered:
            failures.append("message does not name the file")
    elif exit_code != 0:
        failures.append(f"exit {exit_code}, expected 0 (read)")
    for word in (*case.says, *case.stdout_has):
        if word.lower() not in lowered:
            failures.append(f"output lacks {word!r}")
    if peak_mb > PEAK_LIMIT_MB:
        failures.append(f"peak {peak_mb:.0f} MB")
    if seconds > TIME_LIMIT_S:
        failures.append(f"{seconds:.1f} s of processor time")
    lines = [line for line in text.splitlines() if line.strip()]
    message = lines[0] if case.expect == REFUSED and lines else (lines[-1] if lines else "")
    file.unlink()
    database.unlink()
    return Outcome(
        case.kind, case.command, size, exit_code, seconds, wall, peak_mb, traceback, unchanged,
        message, tuple(failures),
    )  # fmt: skip


def run_all(only: str | None = None, progress=None) -> list[Outcome]:
    chosen = [case for case in cases() if not only or only in case.kind]
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="reliability-") as name:
        folder = Path(name)
        template = make_template_database(folder)
        for case in chosen:
            outcome = run_case(case, folder, template)
            if progress:
                progress(format_line(outcome))
            outcomes.append(outcome)
    return outcomes


def format_line(outcome: Outcome) -> str:
    verdict = "ok  " if outcome.ok else "FAIL"
    detail = "; ".join(outcome.failures) if outcome.failures else outcome.message
    return (
        f"{verdict} {outcome.kind:32} {outcome.command:8} exit {outcome.exit_code!s:4} "
        f"{outcome.seconds:5.1f} s cpu {outcome.wall_seconds:5.1f} s wall "
        f"{outcome.peak_mb:5.0f} MB  {detail[:150]}"
    )


def format_report(outcomes: list[Outcome]) -> str:
    bombs = {case.kind for case in cases() if case.bomb}
    bomb_outcomes = [o for o in outcomes if o.kind in bombs]
    refused = [o for o in outcomes if o.exit_code in (1, 2)]
    lines = [format_line(o) for o in outcomes]
    lines += [
        "",
        f"Kinds of hostile or malformed file tried: {len(outcomes)}",
        f"Tracebacks: {sum(o.traceback for o in outcomes)}",
        f"Partial writes (a refused file that changed the database): "
        f"{sum(not o.database_unchanged for o in refused)}",
        f"Bombs: {len(bomb_outcomes)}; worst peak memory "
        f"{max((o.peak_mb for o in bomb_outcomes), default=0):.0f} MB (limit {PEAK_LIMIT_MB:.0f}), "
        f"worst processor time {max((o.seconds for o in bomb_outcomes), default=0):.1f} s "
        f"(limit {TIME_LIMIT_S:.0f})",
        f"Worst over all kinds: {max((o.peak_mb for o in outcomes), default=0):.0f} MB, "
        f"{max((o.seconds for o in outcomes), default=0):.1f} s",
        f"Failed: {sum(not o.ok for o in outcomes)}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__)
    parser.add_argument("--only", help="run the kinds whose name contains this text")
    parser.add_argument("--json", type=Path, help="also write the outcomes to this JSON file")
    args = parser.parse_args(argv)
    outcomes = run_all(args.only, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(format_report(outcomes))
    if args.json:
        args.json.write_text(json.dumps([o.__dict__ for o in outcomes], indent=2) + "\n")
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
