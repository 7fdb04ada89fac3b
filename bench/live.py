"""A real `streamlit run` server and headless Chromium pointed at it (browser tests, bench).

Chromium is the one `exports.chromium.chromium_path` finds (Debian's `/usr/bin/chromium`),
driven by Playwright: Playwright's own browser downloads are not available here (see shared
SETUP-NOTES).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.harness import ROOT
from exports.chromium import browser_setting_problem, chromium_path
from ui.navigation import PAGES, PageSpec

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The main area holds one of these once a page has drawn something a reader can see.
CONTENT_SELECTOR = ", ".join(
    f'[data-testid="stMain"] [data-testid="{test_id}"]'
    for test_id in ("stHeading", "stMetric", "stAlert", "stException")
)
# Streamlit marks the app root with the script's run state.
SCRIPT_FINISHED_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Placeholders Streamlit shows while an element's code is still loading.
LOADING_SELECTOR = '[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'


def browser_unavailable_reason() -> str | None:
    """Why headless Chromium cannot be driven here, or None when it can."""
    if chromium_path() is None:
        problem = browser_setting_problem()
        return (
            f"{problem}" if problem else "Chromium is not installed"
        ) + " (apt-get install -y --no-install-recommends chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    return None


def launch_chromium(playwright: Any) -> Any:
    """A headless Debian Chromium through Playwright's sync API."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_path_in_url(page: PageSpec) -> str:
    """The path a page answers on: `/` for the default page, `/<url_path>` for the others."""
    return "/" if page.default else f"/{page.url_path}"


class StreamlitServer:
    """`python -m streamlit run SCRIPT` (dashboard.py unless told) on a free local port, on
    `database_url`, from the project's folder (so with its .streamlit/config.toml)."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        port: int | None = None,
        script: str = "dashboard.py",
        extra_args: tuple[str, ...] = (),
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = port or free_port()
        self.script = script
        # More `streamlit run` options (e.g. --secrets.files for sign-in tests) and variables.
        self.extra_args = tuple(extra_args)
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, page: PageSpec, query: str = "") -> str:
        return self.base_url + page_path_in_url(page) + (f"?{query}" if query else "")

    def start(self, timeout: float = 30) -> StreamlitServer:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        command = [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]  # fmt: skip
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.process.returncode}:\n{self.log()}"
                )
            try:
                with urllib.request.urlopen(self.base_url + "/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer ok within {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory so far (VmHWM), in MB."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("VmHWM not found in /proc status")

    def stop(self) -> None:
        """Stop the server and wait for it (it takes over a second to exit)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def wait_rendered(page: Any, timeout_s: float = 60) -> None:
    """Wait until the page shows content, its script has finished and every element has
    drawn (no skeleton left: Streamlit loads each kind of element's code on first use), and
    that state holds a moment later (nothing started again)."""
    for _ in range(2):
        page.wait_for_function(
            """([content, finished, loading]) =>
                document.querySelector(content) !== null
                && document.querySelector(finished) !== null
                && document.querySelector(loading) === null
            """,
            arg=[CONTENT_SELECTOR, SCRIPT_FINISHED_SELECTOR, LOADING_SELECTOR],
            timeout=timeout_s * 1000,
        )
        page.wait_for_timeout(250)


def visit_every_page(browser: Any, server: StreamlitServer, timeout_s: float = 120) -> None:
    """Open each page in a fresh context and wait until it has rendered."""
    for spec in PAGES:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            page.goto(server.url(spec), wait_until="domcontentloaded")
            wait_rendered(page, timeout_s)
        finally:
            context.close()
