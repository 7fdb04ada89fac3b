"""Small journeys that went wrong for a new user, replayed in real headless Chromium.

Typing an *as at* date and pressing Enter must apply it; typing one and then clicking
another page must both apply the date and open the page. The Overview's "Due back" tile
must open a page showing the same number, and the "All other sources" bar exactly its items.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from data_access.queries.overview import TOP_SOURCES
from domain.formatting import count, long_date
from domain.vocabulary import Status
from tests.browser_support import StreamlitServer, fresh_page, wait_rendered
from tests.test_overview import _expected_tiles, _items
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

OVERVIEW = next(spec for spec in PAGES if spec.default)
REGISTER = next(spec for spec in PAGES if spec.url_path == "register")
NEXT_COMMITTEE = next(spec for spec in PAGES if spec.url_path == "next_committee")
TYPED = date(2025, 6, 1)


@pytest.fixture(scope="module")
def server(
    browser: Any, demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("journeys-server") / "streamlit.log"
    with StreamlitServer(f"sqlite:///{demo_db_path}", log) as live:
        yield live


def _type_as_at(page: Any, day: date) -> None:
    """Type a date into the sidebar's As at field, day first, as an officer would."""
    field = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').first
    field.get_by_role("spinbutton", name=re.compile("^day")).click()
    page.keyboard.type(day.strftime("%d%m%Y"))


def _wait_for_text(page: Any, text: str, timeout_ms: int = 15_000) -> None:
    page.wait_for_function(
        "(text) => document.querySelector('[data-testid=\"stMain\"]')?.innerText.includes(text)",
        arg=text,
        timeout=timeout_ms,
    )


def _main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_typed_as_at_date_applies_on_enter(browser: Any, server: StreamlitServer) -> None:
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        assert f"As at {long_date(date.today())}" in _main_text(page)

        _type_as_at(page, TYPED)
        page.keyboard.press("Enter")

        _wait_for_text(page, f"As at {long_date(TYPED)}")
        assert f"as_at={TYPED.isoformat()}" in page.url
        assert errors == []


def test_a_typed_date_then_a_page_link_applies_the_date_and_opens_the_page(
    browser: Any, server: StreamlitServer
) -> None:
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)

        _type_as_at(page, TYPED)
        page.locator(f'[data-testid="stSidebarNav"] a[href$="/{REGISTER.url_path}"]').click()

        page.wait_for_url(re.compile(rf"/{REGISTER.url_path}\?.*as_at={TYPED.isoformat()}"))
        wait_rendered(page)
        _wait_for_text(page, f"as at {long_date(TYPED)}")
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == REGISTER.title
        assert errors == []


def test_the_due_back_tile_opens_a_page_showing_the_same_number(
    browser: Any, server: StreamlitServer, demo_db_path: Path
) -> None:
    today = date.today()
    due_back = _expected_tiles(_items(f"sqlite:///{demo_db_path}", today), today)["due_back"]
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        tile = page.locator('[data-testid="stMetric"]').filter(has_text="Due back")
        assert tile.locator('[data-testid="stMetricValue"]').inner_text() == count(due_back)

        page.get_by_role("button", name="See by committee").click()
        page.wait_for_url(re.compile(rf"/{NEXT_COMMITTEE.url_path}\b"))
        wait_rendered(page)

        summary = page.locator('[data-testid="stMain"] [data-testid="stExpander"]').first
        assert f"All committees: {count(due_back)} items due back" in summary.inner_text()
        assert summary.locator("details").get_attribute("open") is not None
        # The table under it adds up to the same number, committee by committee.
        cells = summary.locator('[data-testid="stTable"] tbody tr td:last-child')
        assert sum(int(text.replace(",", "")) for text in cells.all_inner_texts()) == due_back
        assert errors == []


# The point of the "All other sources" bar with `status`, found through the figure's own
# data (plotly keeps it on the chart element), and where it is drawn on the page.
OTHER_SOURCES_BAR_JS = """(label) => {
  const plot = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
    .find((chart) => (chart.querySelector('.gtitle')?.textContent ?? '').includes('by source'));
  const traceIndex = plot.data.findIndex((trace) => trace.name === label);
  const pointIndex = plot.data[traceIndex].customdata.findIndex((point) => point[0] === -1);
  const bar = plot.querySelectorAll('.barlayer .trace')[traceIndex]
    .querySelectorAll('.point')[pointIndex].getBoundingClientRect();
  return {count: plot.data[traceIndex].customdata[pointIndex][2],
          x: bar.left + bar.width / 2, y: bar.top + bar.height / 2};
}"""


def test_the_all_other_sources_bar_lists_exactly_its_recommendations(
    browser: Any, server: StreamlitServer, demo_db_path: Path
) -> None:
    """Its count, worked out here from the rules (every source but the twelve with most
    recommendations, ties by id), is the bar's and the list's; the sidebar names the
    sources left out. It used to open every source's items, then only to say it could not."""
    today = date.today()
    items = _items(f"sqlite:///{demo_db_path}", today)
    per_source = Counter(item.source_id for item in items)
    named = sorted(per_source, key=lambda source: (-per_source[source], source))[:TOP_SOURCES]
    others = sum(
        item.source_id not in named and item.facts.status is Status.IN_PROGRESS for item in items
    )
    assert others > 0
    with sqlite3.connect(demo_db_path) as db:
        titles = dict(db.execute("SELECT id, title FROM sources").fetchall())

    with fresh_page(browser) as (page, errors):
        page.set_viewport_size({"width": 1280, "height": 2400})
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .barlayer .point')
        page.wait_for_timeout(500)
        bar = page.evaluate(OTHER_SOURCES_BAR_JS, Status.IN_PROGRESS.label)
        assert bar["count"] == count(others)

        page.mouse.click(bar["x"], bar["y"])
        page.wait_for_url(re.compile(rf"/{REGISTER.url_path}\?"))
        wait_rendered(page)
        _wait_for_text(page, f"Showing {count(others)} of {count(len(items))}")
        assert "(filtered)" in _main_text(page)
        left_out = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has=page.locator('[data-testid="stWidgetLabel"]', has_text="Sources left out")
        )
        chips = left_out.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
        chip_text = " | ".join(chips.all_inner_texts())
        assert chips.count() == len(named)
        assert all(titles[source_id][:20] in chip_text for source_id in named), chip_text
        assert "not_source=" in page.url and "status=In+progress" in page.url
        assert errors == []
