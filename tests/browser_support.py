"""Browser tests' support: when they may run, and what a rendered page looks like.

The server and Chromium machinery lives in `bench.live` (the bench uses it too).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bench.live import (
    StreamlitServer,
    browser_unavailable_reason,
    launch_chromium,
    page_path_in_url,
    wait_rendered,
)

__all__ = [
    "StreamlitServer",
    "body_text",
    "console_errors",
    "fresh_page",
    "unexpected_console_errors",
    "launch_chromium",
    "page_path_in_url",
    "require_browser",
    "wait_rendered",
]


def require_browser() -> None:
    """Skip when headless Chromium cannot run here; in CI (CI set) that is a failure."""
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests must run in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def fresh_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page in a new browser context (no shared state) and the list of its JS errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors
    finally:
        context.close()


def body_text(page: Any) -> str:
    """Everything a reader can see on the page, sidebar included."""
    return page.locator("body").inner_text()


def console_errors(page: Any) -> list[tuple[str, str]]:
    """Start recording the page's console errors as (message, address it concerns)."""
    recorded: list[tuple[str, str]] = []
    page.on(
        "console",
        lambda message: (
            recorded.append((message.text, message.location.get("url", "")))
            if message.type == "error"
            else None
        ),
    )
    return recorded


# Streamlit's own page (1.67) finds its server by asking the page's address first: opened at
# /register it asks /register/_stcore/health and /register/_stcore/host-config, which its
# server answers 404 by design, then the app's root, which answers. Chromium logs the two
# 404s as console errors (streamlit/streamlit#7074; docs/decisions.md says why they stay).
PAGE_PROBES = ("_stcore/health", "_stcore/host-config")
NOT_FOUND = "the server responded with a status of 404"


def unexpected_console_errors(
    recorded: list[tuple[str, str]], base_url: str, url_path: str | None
) -> list[tuple[str, str]]:
    """The console errors other than Streamlit's two probes of a page's own address
    (`url_path`; None for the default page, which has no path and so no probes)."""
    probes = {f"{base_url}/{url_path}/{probe}" for probe in PAGE_PROBES} if url_path else set()
    return [(text, url) for text, url in recorded if not (NOT_FOUND in text and url in probes)]
