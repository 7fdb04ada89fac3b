"""The charts on screen (ui.chart_component): plotly.js's basic bundle, served by the app.

What a reader relies on: every chart is drawn, by the copy of plotly.js the app itself
serves (no other host, and not Streamlit's 4.6 MB one); a screen reader hears each chart's
words; a chart follows its box when the page narrows; and a browser that cannot get the
chart code says so in place of each chart, with the tiles and words still there.
(Clicking a bar through to its list is tested in test_journeys_browser.py.)
"""

from __future__ import annotations

import contextlib
import re
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs_version

from bench.harness import drawn_charts
from domain import rules
from domain.formatting import count
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import RAG_LABELS, RAG_ORDER
from tests.browser_support import StreamlitServer, fresh_page, wait_rendered
from tests.test_overview import _items
from ui.chart_component import PLOTLY_BUNDLE, PLOTLY_BUNDLE_PATH
from ui.navigation import PAGES
from views.first_glance import SHOW_CHARTS_BUTTON

OVERVIEW = next(spec for spec in PAGES if spec.default)
REGISTER = next(spec for spec in PAGES if spec.url_path == "register")
_LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] .rt-chart')]
    .map((box) => [box.getAttribute('role'), box.getAttribute('aria-label'),
                   Boolean(box.querySelector('.main-svg'))])"""
# Per chart: whether plotly was told never to send it to the cloud, and its mode bar's buttons.
_MODE_BAR = """() => [...document.querySelectorAll('[data-testid="stMain"] .rt-chart')]
    .map((box) => [box._context.showSendToCloud === false,
                   [...box.querySelectorAll('.modebar-btn')].map((b) => b.dataset.title)])"""
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


@pytest.mark.browser
def test_the_app_serves_the_bundle_as_javascript(server: StreamlitServer) -> None:
    with urllib.request.urlopen(f"{server.base_url}/app/static/{PLOTLY_BUNDLE}") as response:
        assert response.status == 200
        assert response.headers.get_content_type() in {"text/javascript", "application/javascript"}
        assert response.read() == PLOTLY_BUNDLE_PATH.read_bytes()


@pytest.mark.browser
def test_every_chart_is_drawn_and_read_out_by_its_words(
    browser: Any, server: StreamlitServer, demo_db_path: Path, page_app
) -> None:
    app = page_app(OVERVIEW.file, f"sqlite:///{demo_db_path}")
    app.button(key=SHOW_CHARTS_BUTTON).click().run()
    expected_words = [chart["alt"] for chart in drawn_charts(app)]
    # A chart whose bars lead to a list is a widget the keyboard reaches; the others figures.
    expected_roles = [
        "application" if chart["clickable"] else "figure" for chart in drawn_charts(app)
    ]
    assert len(expected_words) == 4 and expected_roles.count("figure") == 1

    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        page.wait_for_function(
            "(n) => document.querySelectorAll('.rt-chart .main-svg').length >= n", arg=4
        )
        labels = page.evaluate(_LABELS)
        assert [label for _, label, _ in labels] == expected_words
        assert [role for role, _, _ in labels] == expected_roles
        assert all(drawn for _, _, drawn in labels)
        # No chart offers to send itself to Plotly's cloud (plotly.js's default): the
        # figure on screen can carry exempt titles, and nothing may leave for another host.
        buttons = page.evaluate(_MODE_BAR)
        assert all(sent_nowhere for sent_nowhere, _ in buttons), buttons
        titles = {title.lower() for _, titles in buttons for title in titles}
        assert "reset axes" in titles and not any("share" in t or "cloud" in t for t in titles)

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


@pytest.mark.browser
def test_without_the_chart_code_each_chart_says_so(browser: Any, server: StreamlitServer) -> None:
    """One sentence in place of each chart, and nothing left for the Tab key to land on."""
    with fresh_page(browser) as (page, errors):
        page.route(f"**/app/static/{PLOTLY_BUNDLE}", lambda route: route.abort())
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        notes = page.locator('[data-testid="stMain"] .rt-chart-failed')
        page.wait_for_function(
            """() => [...document.querySelectorAll('.rt-chart-failed')]
                .filter((note) => !note.hidden).length === 4"""
        )
        for text in notes.all_inner_texts():
            assert text.startswith("This chart could not be drawn in this browser")
        assert page.locator('[data-testid="stMain"] .rt-chart:visible').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 6
        assert errors == []


def _chart_box(page: Any, title_starts: str) -> Any:
    return page.locator('[data-testid="stMain"] .rt-chart').filter(
        has=page.locator(".gtitle", has_text=title_starts)
    )


@pytest.mark.browser
def test_keys_pressed_on_a_charts_mode_bar_stay_with_its_buttons(
    browser: Any, server: StreamlitServer
) -> None:
    """Tab from a chart into its mode bar: the arrow keys and Enter there work the mode
    bar's buttons, and never choose or open a bar."""
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        box = _chart_box(page, "Overdue by how long")
        box.locator(".main-svg").first.wait_for()
        box.focus()
        page.keyboard.press("Tab")
        assert page.evaluate(
            "(box) => box !== document.activeElement && box.contains(document.activeElement)",
            box.element_handle(),
        )
        address = page.url
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_timeout(1_000)
        assert page.url == address
        assert box.locator("xpath=following-sibling::span[@aria-live]").text_content() == ""
        assert errors == []


def _wait_to_hear(page: Any, box: Any, words: str) -> None:
    """Wait until the chart's live region (read out by a screen reader) says `words`; on
    a timeout, say what it said instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    spoken = box.locator("xpath=following-sibling::span[@aria-live]")
    with contextlib.suppress(PlaywrightTimeout):  # reported as the difference below
        page.wait_for_function(
            "([box, words]) => box.parentElement.querySelector('[aria-live]').textContent"
            " === words",
            arg=[box.element_handle(), words],
            timeout=5_000,
        )
    assert spoken.text_content() == words


@pytest.mark.browser
def test_the_keyboard_chooses_an_ageing_bar_and_lists_exactly_its_items(
    browser: Any, server: StreamlitServer, demo_db_path: Path
) -> None:
    """Tab to "Overdue by how long", two presses of the right arrow: the second bar is
    chosen and read out; Enter lists exactly the recommendations overdue that long
    (counted here by the rules), as a click on it does."""
    today = date.today()
    items = _items(f"sqlite:///{demo_db_path}", today)
    second = AGEING_BUCKET_LABELS[1]
    expected = sum(
        rules.is_overdue(item.facts, today)
        and rules.ageing_bucket(rules.days_overdue(item.facts, today)) == second
        for item in items
    )
    assert expected > 0
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        box = _chart_box(page, "Overdue by how long")
        box.locator(".main-svg").first.wait_for()
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "application"
        box.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        _wait_to_hear(page, box, f"{second} overdue: {count(expected)}")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/{REGISTER.url_path}\?"))
        wait_rendered(page)
        page.wait_for_function(
            "(text) => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(text)",
            arg=f"Showing {count(expected)} of {count(len(items))}",
        )
        assert errors == []


@pytest.mark.browser
def test_the_keyboard_reads_the_stacked_bars_top_down_and_skips_the_empty_ones(
    browser: Any, server: StreamlitServer, demo_db_path: Path
) -> None:
    """On "RAG rating by directorate" the first bar chosen is the top directorate's first
    rating it has any of (in the key's order), with its count by the rules; Escape lets go."""
    today = date.today()
    items = _items(f"sqlite:///{demo_db_path}", today)
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        box = _chart_box(page, "RAG rating by directorate")
        box.locator(".main-svg").first.wait_for()
        top = page.evaluate("(box) => box.layout.yaxis.categoryarray.at(-1)", box.element_handle())
        at_top = Counter(
            rules.rag_rating(item.facts, today).rag for item in items if item.directorate == top
        )
        first = next(rag for rag in RAG_ORDER if at_top[rag])
        box.focus()
        page.keyboard.press("ArrowRight")
        _wait_to_hear(page, box, f"{top}, {RAG_LABELS[first]}: {count(at_top[first])}")
        page.keyboard.press("Escape")
        assert box.locator(".hoverlayer .hovertext").count() == 0
        assert errors == []


# The RAG chart's share of its width given to bars, its names drawn above the bars, its
# category names, and how many names are drawn as tick labels beside the bars.
_ROWS = """(box) => ({
    barShare: box._fullLayout._size.w / box.getBoundingClientRect().width,
    above: (box.layout.annotations || []).filter((a) => a.yref === 'y').map((a) => a.text),
    names: box.layout.yaxis.categoryarray,
    beside: box.querySelectorAll('.ytick text').length,
    inside: [...box.querySelectorAll('.annotation')].every((note) => {
        const outer = box.getBoundingClientRect(), inner = note.getBoundingClientRect();
        return inner.left >= outer.left && inner.right <= outer.right + 1;
    }),
})"""


@pytest.mark.browser
def test_on_a_phone_each_name_goes_above_its_bar(browser: Any, server: StreamlitServer) -> None:
    """At 390 px the directorates' names took most of the width (about a quarter was left
    for the bars); there they go above the bars, and beside them again on a wider screen."""
    with fresh_page(browser) as (page, errors):
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(server.url(OVERVIEW))
        wait_rendered(page)
        box = _chart_box(page, "RAG rating by directorate")
        box.locator(".main-svg").first.wait_for()
        phone = page.evaluate(_ROWS, box.element_handle())
        assert phone["barShare"] > 0.8, phone
        assert phone["above"] == phone["names"] and phone["beside"] == 0, phone
        assert phone["inside"], phone

        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function(
            "(box) => box.querySelectorAll('.ytick text').length > 0", arg=box.element_handle()
        )
        wide = page.evaluate(_ROWS, box.element_handle())
        assert wide["above"] == [] and wide["beside"] == len(wide["names"]), wide
        assert errors == []
