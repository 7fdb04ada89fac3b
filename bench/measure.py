"""The measurements: demo databases by size, AppTest page times, server memory, browser times.

Everything here runs inside one process per size (see bench/one_size.py), so the memory and
caches of one size never colour the next.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import ROOT, clear_streamlit_caches, drawn_charts, page_app_test
from demo.bootstrap import checkpoint
from ui.navigation import PAGES, PageSpec

CACHE_DIR = ROOT / "bench" / ".cache"
APPTEST_TIMEOUT_S = 600
# The generator's output depends on these files: a change to any makes a new cache entry.
GENERATOR_FILES = (
    *sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "demo").rglob("*")
        if path.suffix in {".py", ".toml"}
    ),
    "data_access/models.py",
    "data_access/seed.py",
)


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
            sys.executable, "-m", "demo", "--out", temp_name,
            "--recommendations", str(recommendations), "--seed", str(seed),
        ])  # fmt: skip
        checkpoint(temp_name)
        os.replace(temp_name, path)
    finally:
        for name in (temp_name, temp_name + "-wal", temp_name + "-shm"):
            if os.path.exists(name):
                os.unlink(name)
    progress(f"built in {time.perf_counter() - started:.1f} s")
    return path, True


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
    tiles = len(app.metric)
    # The charts follow the tiles once the browser has painted them (views/first_glance.py),
    # which AppTest cannot do: it presses the button offered in their place instead.
    from views.first_glance import SHOW_CHARTS_BUTTON

    if any(button.key == SHOW_CHARTS_BUTTON for button in app.button):
        app.button(key=SHOW_CHARTS_BUTTON).click().run()
    return tiles, len(drawn_charts(app))


def _count_ready_charts_js() -> str:
    return """(expected) => {
        const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
        return charts.length === expected
            && charts.every((chart) => chart.querySelector('.main-svg') !== null);
    }"""


BASELINE_SCRIPT = "bench/baseline_page.py"
# The Overview's first glance against Streamlit's own one-line page (issue 11's targets).
TILES_TARGET_RATIO = 1.5
CHARTS_TARGET_RATIO = 2.5
_TILES_SHOWN_JS = "(n) => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= n"


def server_measurements(
    database_url: str,
    log_path: Path,
    browser_timing: bool,
    expected_tiles: int,
    expected_charts: int,
    repeats: int = 5,
) -> dict[str, Any]:
    """Peak RSS of a live server after every page was visited; optionally browser timings.

    Returns {"rss_mb": float | None, "note": str | None, "baseline_s": ..., "tiles_s": ...,
    "charts_s": ...}: with `browser_timing`, Streamlit's own one-line page is served beside
    the dashboard by the same harness and timed in the same loop (see `_browser_times`)."""
    from bench.live import (
        StreamlitServer,
        browser_unavailable_reason,
        launch_chromium,
        visit_every_page,
    )

    result: dict[str, Any] = {
        "rss_mb": None, "note": None, "baseline_s": None, "tiles_s": None, "charts_s": None
    }  # fmt: skip
    reason = browser_unavailable_reason()
    if reason:
        result["note"] = f"no server memory: {reason}"
        progress(result["note"])
        return result
    from playwright.sync_api import sync_playwright

    baseline_log = log_path.with_name("baseline-" + log_path.name)
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(StreamlitServer(database_url, log_path))
        baseline = (
            stack.enter_context(StreamlitServer(database_url, baseline_log, script=BASELINE_SCRIPT))
            if browser_timing
            else None
        )
        playwright = stack.enter_context(sync_playwright())
        browser = launch_chromium(playwright)
        try:
            progress("visiting every page in headless Chromium")
            visit_every_page(browser, server)
            result["rss_mb"] = server.peak_rss_mb()
            progress(f"server peak RSS {result['rss_mb']:.0f} MB")
            if baseline is not None:
                result.update(
                    _browser_times(
                        browser, server, baseline, expected_tiles, expected_charts, repeats
                    )
                )
        finally:
            browser.close()
    return result


def _time_page(
    browser: Any, url: str, expected_tiles: int, expected_charts: int
) -> tuple[float | None, float | None]:
    """Seconds from navigation to `expected_tiles` tiles shown, and to `expected_charts`
    charts drawn, in a fresh browser context (a new visitor)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tiles_s = charts_s = None
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        if expected_tiles:
            page.wait_for_function(_TILES_SHOWN_JS, arg=expected_tiles, timeout=120_000)
            tiles_s = time.perf_counter() - started
        if expected_charts:
            page.wait_for_function(_count_ready_charts_js(), arg=expected_charts, timeout=120_000)
            charts_s = time.perf_counter() - started
    finally:
        context.close()
    return tiles_s, charts_s


def _browser_times(
    browser: Any,
    server: Any,
    baseline: Any,
    expected_tiles: int,
    expected_charts: int,
    repeats: int,
) -> dict[str, float | None]:
    """Median seconds from navigation to the Overview's tiles and to all its charts drawn,
    and to the tile of Streamlit's own one-line page, measured side by side.

    Both servers are warm (every dashboard page was visited; the baseline once, unmeasured).
    Each repeat times the baseline and the Overview one after the other, alternating which
    goes first, so a busy moment on the machine falls on both alike."""
    default = next(spec for spec in PAGES if spec.default)
    overview_url = server.url(default)
    baseline_url = baseline.base_url + "/"
    _time_page(browser, baseline_url, 1, 0)  # warm-up
    baseline_times: list[float] = []
    tiles_times: list[float] = []
    chart_times: list[float] = []
    for attempt in range(repeats):
        order = ("baseline", "overview") if attempt % 2 == 0 else ("overview", "baseline")
        for which in order:
            if which == "baseline":
                floor, _ = _time_page(browser, baseline_url, 1, 0)
                assert floor is not None
                baseline_times.append(floor)
            else:
                tiles, charts = _time_page(browser, overview_url, expected_tiles, expected_charts)
                if tiles is not None:
                    tiles_times.append(tiles)
                if charts is not None:
                    chart_times.append(charts)
        progress(
            f"run {attempt + 1}: Streamlit's one-line page {baseline_times[-1]:.2f} s; overview "
            + ", ".join(
                f"{name} {values[-1]:.2f} s"
                for name, values in (("tiles", tiles_times), ("charts", chart_times))
                if values
            )
        )
    return {
        "baseline_s": statistics.median(baseline_times),
        "tiles_s": statistics.median(tiles_times) if tiles_times else None,
        "charts_s": statistics.median(chart_times) if chart_times else None,
    }
