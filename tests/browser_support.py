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
    "fresh_page",
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
