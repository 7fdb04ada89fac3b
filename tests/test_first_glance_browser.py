"""The Overview's first glance in real headless Chromium, and nothing fetched from outside.

The tiles must be on screen before the browser even asks for the charts' code (plotly.js,
whose running held the tiles back; Streamlit's own 4.6 MB copy is never fetched); the charts
then follow by themselves. And no page may fetch anything from another host: an offline
council intranet cannot reach one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser_support import StreamlitServer, fresh_page, wait_rendered
from ui.chart_component import PLOTLY_BUNDLE
from ui.navigation import PAGES
from views.first_glance import DRAWING

pytestmark = pytest.mark.browser

OVERVIEW = next(spec for spec in PAGES if spec.default)

# Runs before the page's own code: notes when the sixth tile is in the page.
_WATCH_TILES = """
window.__tilesAt = null;
new MutationObserver(() => {
    if (window.__tilesAt === null
        && document.querySelectorAll('[data-testid="stMetric"]').length >= 6) {
        window.__tilesAt = performance.now();
    }
}).observe(document, { childList: true, subtree: true });
"""
_CHARTS_DRAWN = """(expected) => {
    const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
    return charts.length >= expected && charts.every((c) => c.querySelector('.main-svg'));
}"""
_REQUESTED = """(name) => performance.getEntriesByType('resource')
    .filter((entry) => entry.name.includes(name))
    .map((entry) => entry.startTime)"""


@pytest.fixture(scope="module")
def server(
    browser: Any, demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("first-glance-server") / "streamlit.log"
    with StreamlitServer(f"sqlite:///{demo_db_path}", log) as live:
        yield live


def test_the_tiles_are_on_screen_before_the_charts_code_is_asked_for(
    browser: Any, server: StreamlitServer
) -> None:
    for _visit in range(2):  # a new visitor each time: nothing cached in the browser
        with fresh_page(browser) as (page, errors):
            page.add_init_script(_WATCH_TILES)
            page.goto(server.url(OVERVIEW), wait_until="commit")
            page.wait_for_function(_CHARTS_DRAWN, arg=3, timeout=60_000)

            tiles_at = page.evaluate("window.__tilesAt")
            (plotly_asked_at,) = page.evaluate(_REQUESTED, PurePosixPath(PLOTLY_BUNDLE).name)
            assert tiles_at is not None and tiles_at < plotly_asked_at, (tiles_at, plotly_asked_at)
            # Streamlit's own chart module (all of plotly.js, 4.6 MB) is never fetched.
            assert page.evaluate(_REQUESTED, "PlotlyChart") == []
            assert page.get_by_text(DRAWING).count() == 0
            assert errors == []


def test_no_page_fetches_anything_from_another_host(browser: Any, server: StreamlitServer) -> None:
    for spec in PAGES:
        with fresh_page(browser) as (page, errors):
            hosts: set[str] = set()
            page.on("request", lambda request, hosts=hosts: hosts.add(urlsplit(request.url).netloc))
            page.goto(server.url(spec), wait_until="domcontentloaded")
            wait_rendered(page)
            page.wait_for_timeout(500)  # the favicon and icons come after the first paint
            assert hosts - {urlsplit(server.base_url).netloc, ""} == set(), spec.url_path
            assert errors == []
