"""Timing the briefing pack: 50 items due back and 3 charts, warm (`python -m bench.briefing`).

Builds a generated council in a temporary folder, picks the committee with the most items
due back (at least 50 at this size), lists 50 of them, and times what the officer waits for
after pressing the button: the pack's query, the three figures, their PNGs at print
resolution, and the Word file; then the PDF by whichever program this computer has. Warm:
the chart browser is already running (the first pack of a server's life also pays its ~2 s
start), the median of 3 runs after one warm-up. Target: under 5 s.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.measure import progress
from bench.tasks import median_seconds

RECOMMENDATIONS = 1500
SEED = 2019
ITEMS = 50
RUNS = 3
TARGET_SECONDS = 5.0


def measure() -> list[dict[str, Any]]:
    """The Word pack and the PDF pack, warm, for 50 items and 3 charts."""
    import data_access.queries.briefing as briefing_queries
    from charts.briefing import briefing_charts
    from data_access.db import open_tracker
    from data_access.filters import Filters
    from data_access.queries.committee import due_back_by_committee
    from demo import build_demo_database
    from exports.briefing_docx import briefing_docx
    from exports.briefing_pdf import (
        CHROMIUM,
        LIBREOFFICE,
        briefing_pdf,
        soffice_path,
    )
    from exports.briefing_report import chart_images
    from exports.chromium import chromium_path

    with tempfile.TemporaryDirectory(prefix="bench-briefing-") as folder:
        url = f"sqlite:///{Path(folder) / 'council.db'}"
        progress(f"building a council of {RECOMMENDATIONS:,} recommendations")
        build_demo_database(url, recommendations=RECOMMENDATIONS, seed=SEED, today=date.today())
        engine, _ = open_tracker(url)
        filters = Filters()
        with engine.connect() as connection:
            table = due_back_by_committee(connection, filters)
        busiest = table.sort_values("items", ascending=False).iloc[0]
        committee_id, due = int(busiest["committee_id"]), int(busiest["items"])
        # List exactly 50 (the committee has at least that many due back).
        briefing_queries.BRIEFING_MAX_ITEMS = ITEMS

        def contents():
            with engine.connect() as connection:
                return briefing_queries.briefing_contents(connection, filters, committee_id, False)

        def word() -> bytes:
            pack = contents()
            return briefing_docx(pack, briefing_charts(pack))

        listed = contents().items_listed
        progress(f"timing the Word pack ({listed} items of {due} due back, 3 charts)")
        word_seconds = median_seconds(word, RUNS, warm_up=True)
        entries: list[dict[str, Any]] = [
            {
                "task": f"briefing pack, {ITEMS} items, 3 charts (warm)",
                "seconds": round(word_seconds, 3),
                "target_s": TARGET_SECONDS,
                "note": f"Word file; {listed} items listed of {due} due back at "
                f"{busiest['committee']}; query, figures, 3 PNGs at 300 dpi and the .docx",
            }
        ]
        engines = [
            name
            for name, found in ((LIBREOFFICE, soffice_path()), (CHROMIUM, chromium_path()))
            if found
        ]
        if not engines:
            entries.append(
                {"task": "briefing pack as PDF", "seconds": None, "note": "no PDF program here"}
            )
        pack = contents()
        charts = briefing_charts(pack)
        images = chart_images(charts)
        for engine_name in engines:

            def pdf(engine_name: str = engine_name) -> bytes:
                return briefing_pdf(pack, charts, images=images, engine=engine_name)

            progress(f"timing the PDF by {engine_name}")
            entries.append(
                {
                    "task": f"briefing pack as PDF by {engine_name}, {ITEMS} items (warm)",
                    "seconds": round(median_seconds(pdf, RUNS, warm_up=True), 3),
                    "note": "charts already drawn (add the Word pack's chart time for a PDF "
                    "built from scratch)",
                }
            )
        engine.dispose()
    return entries


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
