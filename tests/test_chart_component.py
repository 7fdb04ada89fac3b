"""The charts on screen (ui.chart_component): plotly.js's basic bundle, served by the app.

What a reader relies on: every chart is drawn, by the copy of plotly.js the app itself
serves (no other host, and not Streamlit's 4.6 MB one); a screen reader hears each chart's
words; a chart follows its box when the page narrows; and a browser that cannot get the
chart code says so in place of each chart, with the tiles and words still there.
(Clicking a bar through to its list is tested in test_journeys_browser.py.)
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs_version

from bench.harness import drawn_charts
from tests.browser_support import StreamlitServer, fresh_page, wait_rendered
from ui.chart_component import PLOTLY_BUNDLE, PLOTLY_BUNDLE_PATH
from ui.navigation import PAGES
from views.first_glance import SHOW_CHARTS_BUTTON

OVERVIEW = next(spec for spec in PAGES if spec.default)
_LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] .rt-chart')]
    .map((box) => [box.getAttribute('role'), box.getAttribute('aria-label'),
                   Boolean(box.querySelector('.main-svg'))])"""
_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stMain"] .rt-chart')]
    .map((box) => [Math.round(box.getBoundingClientRect().width),
                   Number(box.querySelector('.main-svg').getAttribute('width'))])"""


def test_the_served_bundle_is_plotly_pys_own_plotly_js() -> None:
    """The figures plotly.py writes are drawn by the plotly.js release it writes them for,
    and the file's name carries that version (a browser never keeps a stale copy)."""
    version = get_plotlyjs_version()
    with open(PLOTLY_BUNDLE_PATH, encoding="utf-8") as bundle:
        head = bundle.read(200)
    assert f"plotly.js (basic - minified) v{version}" in head
    assert f"-{version}." in PLOTLY_BUNDLE
    assert (PLOTLY_BUNDLE_PATH.parent / f"plotly-basic-{version}.LICENSE").is_file()


@pytest.fixture(scope="module")
def server(
    browser: Any, demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("chart-component-server") / "streamlit.log"
    with StreamlitServer(f"sqlite:///{demo_db_path}", log) as live:
        yield live


def test_the_app_serves_the_bundle_as_javascript(server: StreamlitServer) -> None:
    with urllib.request.urlopen(f"{server.base_url}/app/static/{PLOTLY_BUNDLE}") as response:
        assert response.status == 200
        assert response.headers.get_content_type() in {"text/javascript", "application/javascript"}
        assert response.read() == PLOTLY_BUNDLE_PATH.read_bytes()


def test_every_chart_is_drawn_and_read_out_by_its_words(
    browser: Any, server: StreamlitServer, demo_db_path: Path, page_app
) -> None:
    app = page_app(OVERVIEW.file, f"sqlite:///{demo_db_path}")
    app.button(key=SHOW_CHARTS_BUTTON).click().run()
    expected_words = [chart["alt"] for chart in drawn_charts(app)]
    assert len(expected_words) == 4

    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        page.wait_for_function(
            "(n) => document.querySelectorAll('.rt-chart .main-svg').length >= n", arg=4
        )
        labels = page.evaluate(_LABELS)
        assert [label for _, label, _ in labels] == expected_words
        assert all(role == "img" and drawn for role, _, drawn in labels)

        # A narrower window: each chart is redrawn to its box's new width (the two side by
        # side are stacked, so they grow).
        wide = page.evaluate(_WIDTHS)
        page.set_viewport_size({"width": 600, "height": 1000})
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stMain"] .rt-chart')].every(
                (box) => box.getBoundingClientRect().width < 600 && Math.abs(
                    box.getBoundingClientRect().width
                    - Number(box.querySelector('.main-svg').getAttribute('width'))) <= 1)"""
        )
        narrow = page.evaluate(_WIDTHS)
        assert narrow != wide and all(abs(box - svg) <= 1 for box, svg in narrow), narrow
        assert errors == []


def test_without_the_chart_code_each_chart_says_so(browser: Any, server: StreamlitServer) -> None:
    with fresh_page(browser) as (page, errors):
        page.route(f"**/app/static/{PLOTLY_BUNDLE}", lambda route: route.abort())
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        notes = page.locator('[data-testid="stMain"] .rt-chart')
        page.wait_for_function(
            """() => { const boxes = [...document.querySelectorAll('.rt-chart')];
                return boxes.length === 4 && boxes.every((b) => b.textContent.length > 0); }"""
        )
        assert notes.count() == 4
        for text in notes.all_inner_texts():
            assert text.startswith("This chart could not be drawn in this browser")
        assert page.locator('[data-testid="stMetric"]').count() == 6
        assert errors == []
