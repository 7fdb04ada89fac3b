"""One size of the bench, in a process of its own (started by `python -m bench`).

    python -m bench.one_size --database FILE --recommendations N --out RESULT.json [--browser]

Writes a list of result entries (the same shape as `python -m bench --json`) to RESULT.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bench.measure import overview_expectations, progress, server_measurements, time_pages


def measure(
    database: Path, recommendations: int, browser_timing: bool, warm_runs: int = 5
) -> list[dict[str, Any]]:
    url = f"sqlite:///{database}"
    load_average = round(os.getloadavg()[0], 1)  # how busy the machine was as it began
    entries = [
        {"page": timing["page"], "recommendations": recommendations, **timing}
        for timing in time_pages(url, warm_runs=warm_runs)
    ]
    tiles, charts = overview_expectations(url) if browser_timing else (0, 0)
    with tempfile.TemporaryDirectory(prefix="bench-server-") as folder:
        server = server_measurements(
            url, Path(folder) / "streamlit.log", browser_timing, tiles, charts
        )
    for entry in entries:
        entry["rss_mb"] = server["rss_mb"]
        if server["note"]:
            entry["note"] = server["note"]
    if browser_timing:
        entries.append(
            {
                "page": "overview (browser)",
                "recommendations": recommendations,
                "baseline_s": server["baseline_s"],
                "tiles_s": server["tiles_s"],
                "charts_s": server["charts_s"],
                "tiles": tiles,
                "charts": charts,
                "load_average": load_average,
                **({"note": server["note"]} if server["note"] else {}),
            }
        )
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.one_size")
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--recommendations", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--warm-runs", type=int, default=5)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    progress(f"measuring {args.recommendations:,} recommendations (load average {load:.1f})")
    entries = measure(args.database, args.recommendations, args.browser, args.warm_runs)
    args.out.write_text(json.dumps(entries, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
