"""Timing the slow things an officer asks for: imports and exports (`python -m bench --tasks`).

Each task module (`bench/<task>.py`) has `measure() -> list[dict]`, entries of the form
`{"task": "...", "seconds": 1.23, "target_s": 10, "note": "..."}`, and builds whatever it needs
itself. Each runs in a process of its own, so one's warm caches do not flatter another's.

    python -m bench.tasks --out RESULT.json [--only MODULE]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import progress

# The issues' targets, for modules whose entries do not state their own.
TARGETS_S = {"bench.tracker_import": 10.0, "bench.report_extract": 2.0}
TASK_MODULES = (
    "bench.tracker_import",
    "bench.report_extract",
    "bench.chart_export",
    "bench.briefing",
)


def seconds(work: Callable[[], object]) -> float:
    """Wall-clock seconds of one call of `work`."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median_seconds(work: Callable[[], object], runs: int, *, warm_up: bool = False) -> float:
    """The median of `runs` timed calls of `work`, after one untimed call if `warm_up`."""
    if warm_up:
        work()
    return statistics.median(seconds(work) for _ in range(runs))


def run_all(modules: tuple[str, ...] = TASK_MODULES) -> list[dict[str, Any]]:
    """Every task module's entries; a module that fails gives an entry with its error."""
    entries: list[dict[str, Any]] = []
    for module in modules:
        progress(f"timing {module}")
        with tempfile.TemporaryDirectory(prefix="bench-task-") as folder:
            out = Path(folder) / "result.json"
            finished = subprocess.run(
                [sys.executable, "-m", "bench.tasks", "--out", str(out), "--only", module],
                stdout=sys.stderr,
                check=False,
            )
            if finished.returncode == 0 and out.exists():
                for entry in json.loads(out.read_text()):
                    if "target_s" not in entry and module in TARGETS_S:
                        entry["target_s"] = TARGETS_S[module]
                    entries.append(entry)
            else:
                entries.append({"task": module, "seconds": None, "error": "failed; see above"})
    return entries


def format_tasks(entries: list[dict[str, Any]]) -> str:
    """The task timings as a plain-text table."""
    width = max([56, *(len(entry["task"]) for entry in entries)])
    lines = [f"{'task':<{width}} {'seconds':>8} {'target_s':>8}", "-" * (width + 18)]
    for entry in entries:
        seconds = entry.get("seconds")
        target = entry.get("target_s")
        lines.append(
            f"{entry['task']:<{width}} {'—' if seconds is None else f'{seconds:.2f}':>8} "
            f"{'' if target is None else f'{target:g}':>8}"
        )
        for key in ("note", "error"):
            if entry.get(key):
                lines.append(f"    {key}: {entry[key]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tasks")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", choices=TASK_MODULES, required=True)
    args = parser.parse_args(argv)
    entries = importlib.import_module(args.only).measure()
    args.out.write_text(json.dumps(entries, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
