"""`python -m demo` (also `python -m data_access.demo`): build a new SQLite database holding
the seed report and a generated council, a thin client of `demo.build_demo_database`.

    python -m demo --out FILE --recommendations N [--seed S] [--today YYYY-MM-DD] [--force]

The file is built beside its final name and renamed into place, so an interrupted build never
leaves a half-written database under that name.
"""

from __future__ import annotations

import argparse
import os
import sys
import time as clock
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo import build_demo_database

__all__ = ["main"]


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Build a new SQLite database holding a generated council's tracker.",
    )
    parser.add_argument("--out", required=True, type=Path, help="the SQLite file to create")
    parser.add_argument(
        "--recommendations", type=int, default=400, help="how many to generate (default 400)"
    )
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the date the demo is current at, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    out: Path = args.out.resolve()
    if args.recommendations < 0:
        print("error: --recommendations must be 0 or more", file=sys.stderr)
        return 2
    if out.is_dir():
        print(f"error: {out} is a folder; give a file name for --out", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        print(
            f"error: {out} already exists; nothing was changed (use --force to replace it)",
            file=sys.stderr,
        )
        return 2
    if not out.parent.is_dir():
        print(f"error: the folder {out.parent} does not exist", file=sys.stderr)
        return 2
    building = out.with_name(f".{out.name}.building-{os.getpid()}")
    for leftover in _sqlite_files(building):
        leftover.unlink(missing_ok=True)
    started = clock.perf_counter()

    def report(done: int, total: int) -> None:
        elapsed = clock.perf_counter() - started
        print(f"  {done:,} / {total:,} recommendations ({elapsed:.1f} s)", file=sys.stderr)

    print(f"Building {out} ...", file=sys.stderr)
    try:
        summary = build_demo_database(
            f"sqlite:///{building}", args.recommendations, args.seed, args.today, report
        )
        for stale in _sqlite_files(out)[1:]:
            stale.unlink(missing_ok=True)  # the journal of a database being replaced
        os.replace(building, out)
    finally:
        for leftover in _sqlite_files(building):
            leftover.unlink(missing_ok=True)
    print(
        f"Built {out}: {summary.recommendations:,} recommendations, {summary.actions:,} "
        f"actions, {summary.updates:,} progress updates in {summary.seconds:.1f} s"
    )
    return 0


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
