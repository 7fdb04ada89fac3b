"""The measurements: demo databases by size, AppTest page times, server memory, browser times.

Everything here runs inside one process per size (see bench/one_size.py), so the memory and
caches of one size never colour the next.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import ROOT, clear_streamlit_caches, page_app_test
from ui.navigation import PAGES, PageSpec

CACHE_DIR = ROOT / "bench" / ".cache"
APPTEST_TIMEOUT_S = 600
# The generator's output depends on these files: a change to any makes a new cache entry.
GENERATOR_FILES = ("data_access/demo.py", "data_access/models.py", "data_access/seed.py")


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_forwarding_output(command: list[str]) -> None:
    """Run `command` in the project root, copying everything it prints to our stderr as it
    comes (stdout stays free for the results table). Raises CalledProcessError on failure."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert process.stdout is not None
    with process:
        for line in process.stdout:
            sys.stderr.write(line)
            sys.stderr.flush()
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:10]


def database_path(recommendations: int, seed: int, cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"demo-{recommendations}-seed{seed}-{generator_fingerprint()}.db"


def ensure_database(
    recommendations: int, seed: int, cache_dir: Path = CACHE_DIR
) -> tuple[Path, bool]:
    """The generated council of this size, built by the demo CLI unless cached.

    Returns (path, built_now). The build goes to a temporary file renamed into place, so an
    interrupted build never leaves a half-written database to be reused."""
    path = database_path(recommendations, seed, cache_dir)
    if path.exists():
        progress(f"reusing {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return path, False
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob(f"demo-{recommendations}-seed{seed}-*.db*"):
        progress(f"removing {stale.name}: built by an older generator")
        stale.unlink()
    handle, temp_name = tempfile.mkstemp(prefix=".building-", suffix=".db", dir=cache_dir)
    os.close(handle)
    os.unlink(temp_name)
    progress(f"building a demo council of {recommendations:,} recommendations (seed {seed})")
    started = time.perf_counter()
    try:
        run_forwarding_output([
            sys.executable, "-m", "data_access.demo", "--out", temp_name,
            "--recommendations", str(recommendations), "--seed", str(seed),
        ])  # fmt: skip
        _checkpoint(temp_name)
        os.replace(temp_name, path)
    finally:
        for name in (temp_name, temp_name + "-wal", temp_name + "-shm"):
            if os.path.exists(name):
                os.unlink(name)
    progress(f"built in {time.perf_counter() - started:.1f} s")
    return path, True


def _checkpoint(database_path: str) -> None:
    """Fold SQLite's write-ahead log into the file, so the file alone can be renamed."""
    connection = sqlite3.connect(database_path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


class PageFailed(RuntimeError):
    """A page raised an exception while being measured."""


def _run_page(spec: PageSpec) -> tuple[float, Any]:
    """Run the page once through AppTest; (seconds, the AppTest). Raises PageFailed."""
    app = page_app_test(spec.path, timeout=APPTEST_TIMEOUT_S)
    started = time.perf_counter()
    try:
        app.run()
    except Exception as error:  # AppTest raises on a script timeout
        raise PageFailed(f"{spec.path}: {type(error).__name__}: {error}") from error
    elapsed = time.perf_counter() - started
    if app.exception:
        raise PageFailed(f"{spec.path} raised an exception: {app.exception[0].message}")
    return elapsed, app


def time_pages(database_url: str, warm_runs: int = 5) -> list[dict[str, Any]]:
    """AppTest script time of every page, cold and warm, on `database_url`.

    Cold: Streamlit's caches cleared (fresh engine, no cached results) right before the run;
    the modules the pages import are loaded by an unmeasured pass first, so cold measures the
    database and the page, not Python's imports. Warm: median of `warm_runs` runs after one
    warm-up run, each in a new AppTest session (a new visitor on a warm server).
    A page that fails gets null times and an "error" saying why."""
    os.environ["DATABASE_URL"] = database_url
    progress("loading modules (one unmeasured pass over the pages)")
    for spec in PAGES:
        clear_streamlit_caches()
        with contextlib.suppress(PageFailed):  # reported below, when measured
            _run_page(spec)
    results: list[dict[str, Any]] = []
    for spec in PAGES:
        clear_streamlit_caches()
        gc.collect()
        try:
            cold, _ = _run_page(spec)
            _run_page(spec)  # warm-up
            warm = statistics.median(_run_page(spec)[0] for _ in range(warm_runs))
        except PageFailed as error:
            progress(f"{spec.title}: FAILED: {error}")
            results.append(
                {"page": spec.title, "cold_s": None, "warm_s": None, "error": str(error)}
            )
            continue
        progress(f"{spec.title}: cold {cold:.3f} s, warm {warm:.3f} s")
        results.append({"page": spec.title, "cold_s": cold, "warm_s": warm})
    clear_streamlit_caches()
    return results


def overview_expectations(database_url: str) -> tuple[int, int]:
    """(metric tiles, charts) the default page draws on this database, counted by AppTest.

    (0, 0) when the page fails: there is then nothing to wait for in the browser."""
    os.environ["DATABASE_URL"] = database_url
    default = next(spec for spec in PAGES if spec.default)
    try:
        _, app = _run_page(default)
    except PageFailed as error:
        progress(f"no browser timing: {error}")
        return 0, 0
    return len(app.metric), len(app.get("plotly_chart"))


def _count_ready_charts_js() -> str:
    return """(expected) => {
        const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
        return charts.length === expected
            && charts.every((chart) => chart.querySelector('.main-svg') !== null);
    }"""


def server_measurements(
    database_url: str,
    log_path: Path,
    browser_timing: bool,
    expected_tiles: int,
    expected_charts: int,
    repeats: int = 3,
) -> dict[str, Any]:
    """Peak RSS of a live server after every page was visited; optionally browser timings.

    Returns {"rss_mb": float | None, "note": str | None, "tiles_s": ..., "charts_s": ...}."""
    from bench.live import (
        StreamlitServer,
        browser_unavailable_reason,
        launch_chromium,
        visit_every_page,
    )

    result: dict[str, Any] = {"rss_mb": None, "note": None, "tiles_s": None, "charts_s": None}
    reason = browser_unavailable_reason()
    if reason:
        result["note"] = f"no server memory: {reason}"
        progress(result["note"])
        return result
    from playwright.sync_api import sync_playwright

    with StreamlitServer(database_url, log_path) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            progress("visiting every page in headless Chromium")
            visit_every_page(browser, server)
            result["rss_mb"] = server.peak_rss_mb()
            progress(f"server peak RSS {result['rss_mb']:.0f} MB")
            if browser_timing:
                result.update(
                    _browser_times(browser, server, expected_tiles, expected_charts, repeats)
                )
        finally:
            browser.close()
    return result


def _browser_times(
    browser: Any, server: Any, expected_tiles: int, expected_charts: int, repeats: int
) -> dict[str, float | None]:
    """Median seconds from navigation to the Overview's tiles, and to all its charts drawn.

    The server is warm (every page was visited). Each timing opens a fresh browser context,
    as a new visitor would."""
    default = next(spec for spec in PAGES if spec.default)
    tiles_times: list[float] = []
    chart_times: list[float] = []
    for attempt in range(repeats):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            started = time.perf_counter()
            page.goto(server.url(default), wait_until="commit")
            if expected_tiles:
                page.wait_for_function(
                    "(n) => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= n",
                    arg=expected_tiles,
                    timeout=120_000,
                )
                tiles_times.append(time.perf_counter() - started)
            if expected_charts:
                page.wait_for_function(
                    _count_ready_charts_js(), arg=expected_charts, timeout=120_000
                )
                chart_times.append(time.perf_counter() - started)
            progress(
                f"overview in the browser, run {attempt + 1}: "
                + ", ".join(
                    f"{name} {values[-1]:.2f} s"
                    for name, values in (("tiles", tiles_times), ("charts", chart_times))
                    if values
                )
            )
        finally:
            context.close()
    return {
        "tiles_s": statistics.median(tiles_times) if tiles_times else None,
        "charts_s": statistics.median(chart_times) if chart_times else None,
    }
