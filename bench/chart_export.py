"""Timing chart and table files (`python -m bench.chart_export`, or `python -m bench --tasks`).

One chart (RAG by directorate on a generated council of 1,000 recommendations) to a print
PNG: cold (the first call starts Chromium) and warm (median of 5, the browser kept running),
and to SVG warm; and the register's first 500 rows to a formatted XLSX and to CSV.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.tasks import median_seconds, seconds

WARM_RUNS = 5
RECOMMENDATIONS = 1000


def measure() -> list[dict[str, Any]]:
    """Entries `{"task", "seconds", "target_s", "note"}` for chart and table files."""
    from charts.overview import rag_by_directorate_figure, rag_by_directorate_text
    from data_access.db import open_tracker
    from data_access.filters import Filters
    from data_access.queries.overview import rag_by_directorate
    from data_access.queries.register import register_page
    from demo import build_demo_database
    from exports.chart_files import chart_export_problem, chart_png, chart_svg
    from exports.table_files import for_download, table_csv, table_xlsx

    today = date.today()
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as folder:
        url = f"sqlite:///{Path(folder) / 'council.db'}"
        build_demo_database(url, recommendations=RECOMMENDATIONS, seed=2019, today=today)
        engine, _ = open_tracker(url)
        filters = Filters(as_at=today)
        with engine.connect() as connection:
            by_rag = rag_by_directorate(connection, filters)
            rows = register_page(connection, filters).rows
        engine.dispose()

    figure = rag_by_directorate_figure(by_rag, today)
    words = rag_by_directorate_text(by_rag, today)
    entries: list[dict[str, Any]] = []
    problem = chart_export_problem()
    if problem:
        entries.append({"task": "one chart to PNG (warm)", "seconds": None, "error": problem})
    else:
        entries += [
            {
                "task": "one chart to PNG (cold: starts Chromium)",
                "seconds": seconds(lambda: chart_png(figure, words)),
                "note": "16 cm at 300 dpi (1,890 px wide)",
            },
            {
                "task": "one chart to PNG (warm)",
                "seconds": median_seconds(lambda: chart_png(figure, words), WARM_RUNS),
                "target_s": 1,
                "note": f"median of {WARM_RUNS}",
            },
            {
                "task": "one chart to SVG (warm)",
                "seconds": median_seconds(lambda: chart_svg(figure, words), WARM_RUNS),
                "note": f"median of {WARM_RUNS}",
            },
        ]
    prepared = for_download(rows)
    entries += [
        {
            "task": f"table of {len(prepared):,} rows to XLSX",
            "seconds": median_seconds(lambda: table_xlsx(prepared, "Register", today), WARM_RUNS),
            "target_s": 2,
            "note": f"median of {WARM_RUNS}",
        },
        {
            "task": f"table of {len(prepared):,} rows to CSV",
            "seconds": median_seconds(lambda: table_csv(prepared), WARM_RUNS),
            "note": f"median of {WARM_RUNS}",
        },
    ]
    return entries


if __name__ == "__main__":
    results = measure()
    json.dump(results, sys.stdout, indent=2, default=str)
    print()
