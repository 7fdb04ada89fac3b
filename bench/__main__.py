"""`python -m bench`: page times and server memory on generated councils of several sizes.

    python -m bench [--sizes 1000,10000,50000] [--json FILE] [--browser [--readme]] [--keep]
                    [--tasks]
    python -m bench --reliability [--json FILE]

For each size: a demo council from the generator (reused from bench/.cache/ when present);
every page's AppTest script time, cold (Streamlit caches cleared, fresh engine) and warm
(median of 5 after a warm-up); the peak RSS of a real `streamlit run` server after headless
Chromium visited every page. `--browser` adds the Overview's time to its tiles and to all its
charts in the browser, beside Streamlit's own one-line page served by the same harness, and
the ratios (medians of 5, warm servers, alternating); `--readme` then rewrites the README's
table of them (between its marker lines). Each size runs in a process of its own.
`--tasks` adds the imports and exports (bench/tasks.py); `--sizes 0` skips the pages.
`--reliability` runs only the reliability report: hostile and malformed files given to the
imports, with tracebacks, partial writes, peak memory and time (bench/reliability.py), then
racing updates, racing imports into one new source and kill -9 mid-import on SQLite and
PostgreSQL (bench/reliability_races.py).
Progress goes to stderr; the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.measure import (
    CACHE_DIR,
    CHARTS_TARGET_RATIO,
    TILES_TARGET_RATIO,
    ensure_database,
    progress,
    run_forwarding_output,
)
from bench.readme import rewrite_readme
from bench.tasks import format_tasks, run_all

DEFAULT_SIZES = (1000, 10_000, 50_000)
DEFAULT_SEED = 2019


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of whole numbers: {text!r}") from error
    if sizes == [0]:
        return []
    if not sizes or any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive whole numbers")
    return sizes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=list(DEFAULT_SIZES),
        help="recommendations per generated council, comma-separated (default 1000,10000,50000)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--browser", action="store_true",
        help="also time the Overview in headless Chromium (tiles, then every chart drawn)",
    )  # fmt: skip
    parser.add_argument(
        "--readme", action="store_true",
        help="with --browser: rewrite the README's first-glance table from this run",
    )  # fmt: skip
    parser.add_argument(
        "--keep", action="store_true",
        help="keep the databases this run builds in bench/.cache/ (later runs reuse them); "
        "without it they are deleted at the end. Databases already cached are always reused.",
    )  # fmt: skip
    parser.add_argument(
        "--tasks", action="store_true",
        help="also time importing a tracker and a report, a chart to PNG and a briefing pack",
    )  # fmt: skip
    parser.add_argument(
        "--reliability", action="store_true",
        help="only the reliability report: hostile and malformed files given to the imports "
        "(bench/reliability.py); exit status 1 when any kind fails",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument("--warm-runs", type=int, default=5, help="warm runs per page (median)")
    parser.add_argument(
        "--cache-dir", type=Path, default=CACHE_DIR, help="where generated databases are cached"
    )
    args = parser.parse_args(argv)
    if args.readme and not args.browser:
        parser.error("--readme rewrites the browser timings: use it with --browser")
    return args


def run_size(
    database: Path, recommendations: int, browser: bool, warm_runs: int
) -> list[dict[str, Any]]:
    """Measure one size in a fresh Python process; its result entries."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        out = Path(folder) / "result.json"
        command = [
            sys.executable, "-m", "bench.one_size", "--database", str(database),
            "--recommendations", str(recommendations), "--out", str(out),
            "--warm-runs", str(warm_runs),
        ] + (["--browser"] if browser else [])  # fmt: skip
        run_forwarding_output(command)
        return json.loads(out.read_text())


def _number(value: Any, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(value: Any, floor: Any) -> str:
    return "—" if value is None or not floor else f"{value / floor:.2f}x"


def format_table(entries: list[dict[str, Any]]) -> str:
    """The results as a plain-text table (page entries, then any browser timings)."""
    page_rows = [e for e in entries if "cold_s" in e]
    lines = [
        f"{'page':<24} {'recommendations':>15} {'cold_s':>8} {'warm_s':>8} {'rss_mb':>8}",
        "-" * 67,
    ]
    for e in page_rows:
        lines.append(
            f"{e['page']:<24} {e['recommendations']:>15,} {_number(e['cold_s'], 3):>8} "
            f"{_number(e['warm_s'], 3):>8} {_number(e['rss_mb'], 0):>8}"
        )
    browser_rows = [e for e in entries if "tiles_s" in e]
    if browser_rows:
        lines += [
            "",
            f"{'page':<24} {'recommendations':>15} {'floor_s':>8} {'tiles_s':>8} "
            f"{'tiles_x':>8} {'charts_s':>9} {'charts_x':>9}",
            "-" * 87,
        ]
        for e in browser_rows:
            floor = e.get("baseline_s")
            lines.append(
                f"{e['page']:<24} {e['recommendations']:>15,} {_number(floor, 2):>8} "
                f"{_number(e['tiles_s'], 2):>8} {_ratio(e['tiles_s'], floor):>8} "
                f"{_number(e['charts_s'], 2):>9} {_ratio(e['charts_s'], floor):>9}"
            )
        lines.append(
            "floor_s: Streamlit's own one-line page (bench/baseline_page.py) to its tile, "
            "measured side by side with the Overview; tiles_x, charts_x: the Overview's time "
            f"over that floor (targets {TILES_TARGET_RATIO:g}x and {CHARTS_TARGET_RATIO:g}x)."
        )
    notes = sorted({e["note"] for e in entries if e.get("note")})
    lines += [""] + [f"note: {note}" for note in notes]
    lines += [
        f"error: {e['page']} at {e['recommendations']:,}: {e['error']}"
        for e in entries
        if e.get("error")
    ]
    lines.append(
        "cold_s/warm_s: AppTest script time (cold: caches cleared; warm: median). "
        "rss_mb: server peak RSS after visiting every page."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.reliability:
        from bench import reliability, reliability_races

        files = reliability.main(["--json", str(args.json)] if args.json else [])
        races = reliability_races.main()  # PostgreSQL too where it can be started
        return max(files, races)
    entries: list[dict[str, Any]] = []
    built: list[Path] = []
    failed: list[int] = []
    try:
        for size in args.sizes:
            try:
                database, built_now = ensure_database(size, args.seed, args.cache_dir)
                if built_now:
                    built.append(database)
                entries += run_size(database, size, args.browser, args.warm_runs)
            except subprocess.CalledProcessError as error:
                progress(f"size {size:,} failed ({error}); going on with the next")
                failed.append(size)
    finally:
        if not args.keep:
            for database in built:
                for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                    path.unlink(missing_ok=True)
                progress(f"removed {database.name} (use --keep to keep it)")
    if args.tasks:
        entries += run_all()
    page_entries = [entry for entry in entries if "task" not in entry]
    if page_entries or not args.tasks:
        print(format_table(page_entries))
    if args.tasks:
        print(format_tasks([entry for entry in entries if "task" in entry]))
    if args.readme:
        if rewrite_readme(page_entries, date.today()):
            progress("rewrote the first-glance table in README.md")
        else:
            progress("README.md left as it was: this run has no browser timing")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(entries, indent=2) + "\n")
        progress(f"wrote {args.json}")
    errors = [entry for entry in entries if entry.get("error")]
    if failed or errors:
        progress(
            f"FAILED: sizes {', '.join(f'{s:,}' for s in failed) or 'none'}; "
            f"{len(errors)} measurement(s) with errors (pages or tasks)"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
