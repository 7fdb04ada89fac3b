"""`python -m bench` measures what it says: every page, through the real entry script, and the
Overview's tiles and charts; failures are reported, not hidden. (Timings themselves are the
bench's to report, not the suite's to assert.)"""

from __future__ import annotations

import math
from pathlib import Path

import bench.measure
import ui.navigation
from bench.__main__ import format_table
from bench.measure import overview_expectations, time_pages
from ui.navigation import PAGES, PageSpec


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


def test_the_bench_times_every_page_of_the_router(seed_db) -> None:
    """Every page the router lists is measured, through dashboard.py, cold and warm."""
    url, _ = seed_db
    timings = time_pages(url, warm_runs=1)
    assert [entry["page"] for entry in timings] == [spec.title for spec in PAGES]
    for entry in timings:
        assert "error" not in entry, entry
        assert _positive(entry["cold_s"]) and _positive(entry["warm_s"]), entry


def test_a_page_that_fails_is_reported_not_timed(seed_db, monkeypatch, tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("raise RuntimeError('this page is broken')\n")
    spec = PageSpec(str(broken), "Broken page", ":material/error:", "broken")
    # AppTest runs dashboard.py in this process: the router lists the broken page too.
    monkeypatch.setattr(bench.measure, "PAGES", (spec,))
    monkeypatch.setattr(ui.navigation, "PAGES", (*PAGES, spec))
    url, _ = seed_db
    (entry,) = time_pages(url, warm_runs=1)
    assert entry["cold_s"] is None and "this page is broken" in entry["error"]


def test_the_browser_waits_for_the_tiles_and_charts_the_overview_draws(seed_db) -> None:
    """The browser timing waits for what AppTest finds on the Overview: a tile or a chart
    missing from the page would leave the browser waiting for the wrong thing."""
    url, _ = seed_db
    tiles, charts = overview_expectations(url)
    assert tiles == 6 and charts >= 3


def test_table_lists_browser_timings_and_notes() -> None:
    entries = [
        {"page": "Overview", "recommendations": 1000, "cold_s": 0.5, "warm_s": 0.1,
         "rss_mb": None, "note": "no server memory: Chromium is not installed"},
        {"page": "overview (browser)", "recommendations": 1000, "baseline_s": 0.8,
         "tiles_s": 1.2, "charts_s": 1.8},
    ]  # fmt: skip
    table = format_table(entries)
    assert "1,000" in table and "0.500" in table and "1.80" in table
    # Beside Streamlit's own one-line page, with the ratios the issue's targets are set in.
    assert "0.80" in table and "1.50x" in table and "2.25x" in table
    assert "note: no server memory: Chromium is not installed" in table


def test_task_timings_come_from_their_own_process_with_the_issue_targets() -> None:
    from bench.tasks import format_tasks, run_all

    entries = run_all(("bench.report_extract",))
    assert entries and all(_positive(entry["seconds"]) for entry in entries), entries
    timings = [entry for entry in entries if "found" not in entry]
    assert timings and all(entry["target_s"] == 2.0 for entry in timings)
    table = format_tasks(entries)
    assert all(entry["task"] in table for entry in entries)
    # Issue 8: accuracy on the real-report corpus, against its goals, in the same table.
    (accuracy,) = [entry for entry in entries if "found" in entry]
    assert not accuracy.get("error"), accuracy
    assert accuracy["found"] >= 0.9 * accuracy["expected"] and accuracy["invented"] == 0
    assert accuracy["note"] in table


def test_a_failing_task_is_reported_not_hidden(monkeypatch) -> None:
    import bench.tasks

    monkeypatch.setattr(bench.tasks.sys, "executable", "false")
    entries = bench.tasks.run_all(("bench.report_extract",))
    assert entries == [
        {"task": "bench.report_extract", "seconds": None, "error": "failed; see above"}
    ]
    assert "error: failed" in bench.tasks.format_tasks(entries)
