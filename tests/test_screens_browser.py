"""Every screen, in real headless Chromium: from a phone to a wide monitor, and on paper.

The Overview's tiles must show their whole number at every width an officer uses (390 px
phone, 820 px tablet in portrait, 1280 px laptop, 1920 px monitor), and that number must be
the count the rules give, computed here from the database independently of the app. The
sidebar folds away on a tablet, and the Overview prints on one sheet of A4.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.formatting import count
from tests.browser_support import StreamlitServer, body_text, wait_rendered
from tests.test_overview import _expected_tiles, _items
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

WIDTHS = (390, 820, 1280, 1920)
OVERVIEW = next(spec for spec in PAGES if spec.default)

# For each tile: the element that holds its label, its number, and the link under it.
TILES_JS = """() => {
  const cut = (element) => element.scrollWidth > element.clientWidth + 1;
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth + 1;
  };
  const main = document.querySelector('[data-testid="stMain"]');
  return [...main.querySelectorAll('[data-testid="stMetric"]')].map((metric) => {
    const text = '[data-testid="stMarkdownContainer"]';
    const label = metric.querySelector(`[data-testid="stMetricLabel"] ${text}`);
    const value = metric.querySelector(`[data-testid="stMetricValue"] ${text}`);
    const tile = metric.parentElement.closest('[data-testid="stVerticalBlock"]');
    // Streamlit keeps a hidden copy of a button with help: take the one drawn.
    const link = [...tile.querySelectorAll('[data-testid="stButton"] button')]
      .find((button) => button.getBoundingClientRect().width > 0);
    const linkText = link.querySelector('[data-testid="stMarkdownContainer"]') || link;
    return {
      label: label.innerText, value: value.innerText,
      labelCut: cut(label), valueCut: cut(value), linkCut: cut(linkText),
      link: link.innerText, onScreen: visible(metric) && visible(link),
    };
  });
}"""


@pytest.fixture(scope="module")
def server(
    browser: Any, demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("screens-server") / "streamlit.log"
    with StreamlitServer(f"sqlite:///{demo_db_path}", log) as live:
        yield live


@pytest.fixture(scope="module")
def expected_tiles(demo_db_path: Path) -> dict[str, str]:
    """The six tiles' numbers as the rules give them today, read without the app."""
    today = date.today()
    counts = _expected_tiles(_items(f"sqlite:///{demo_db_path}", today), today)
    return {
        "Recommendations": count(counts["recommendations"]),
        "Implemented": f"{round(100 * counts['implemented'] / counts['recommendations'])}%",
        "Open": count(counts["open"]),
        "Overdue": count(counts["overdue"]),
        "Slipped": count(counts["slipped"]),
        "Due back": count(counts["due_back"]),
    }


def _open(browser: Any, server: StreamlitServer, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server.url(OVERVIEW), wait_until="domcontentloaded")
    wait_rendered(page)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
def test_every_tile_shows_its_whole_number_and_label(
    width: int, browser: Any, server: StreamlitServer, expected_tiles: dict[str, str]
) -> None:
    context, page = _open(browser, server, width)
    try:
        page.wait_for_timeout(300)  # the grid settles after the sidebar folds
        tiles = page.evaluate(TILES_JS)
    finally:
        context.close()

    assert {tile["label"]: tile["value"] for tile in tiles} == expected_tiles
    for tile in tiles:
        assert not tile["valueCut"], f"{tile['label']} number cut short at {width} px"
        assert not tile["labelCut"], f"{tile['label']} label cut short at {width} px"
        assert not tile["linkCut"], f"link {tile['link']!r} cut short at {width} px"
        assert tile["onScreen"], f"{tile['label']} runs off the screen at {width} px"


@pytest.mark.parametrize(("width", "folded"), [(390, True), (820, True), (1280, False)])
def test_the_sidebar_folds_away_on_a_tablet_or_phone(
    width: int, folded: bool, browser: Any, server: StreamlitServer
) -> None:
    context, page = _open(browser, server, width)
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.wait_for_function(
            "(want) => document.querySelector('[data-testid=\"stSidebar\"]')"
            "?.getAttribute('data-collapsed') === want",
            arg=str(folded).lower(),
            timeout=5000,
        )
        assert sidebar.get_attribute("data-collapsed") == str(folded).lower()
        if folded:
            # The officer can still open it, and it stays open on the next page.
            page.locator('[data-testid="stExpandSidebarButton"]').click()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stSidebar\"]')"
                "?.getAttribute('data-collapsed') === 'false'"
            )
            page.locator('[data-testid="stSidebarNav"] a[href$="/register"]').click()
            page.wait_for_url("**/register**")
            wait_rendered(page)
            page.wait_for_timeout(500)
            assert sidebar.get_attribute("data-collapsed") == "false"
    finally:
        context.close()


def test_the_overview_prints_on_one_sheet_of_a4_without_the_sidebar(
    browser: Any, server: StreamlitServer, expected_tiles: dict[str, str]
) -> None:
    from pypdf import PdfReader

    context, page = _open(browser, server, 1280)
    try:
        page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot')
        screen_text = body_text(page)
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        context.close()

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(side) for side in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    text = reader.pages[0].extract_text()
    assert "Overview" in text
    for label, number in expected_tiles.items():
        assert label in text and number in text
    # Every chart is on the sheet, and nothing of the sidebar or of the buttons is.
    flowing = " ".join(text.split())  # chart titles wrap onto a second line
    for title in ("RAG rating by directorate", "Overdue by how long", "by source and status"):
        assert title in flowing
    assert "Import a tracker" in screen_text and "Import a tracker" not in text
    assert "Download chart" in screen_text and "Download chart" not in text

    # Readable on paper: no text under 5 pt (it was 3.5 pt, the tile labels 4.4 pt); the
    # charts are redrawn at their printed width, the two wide ones side by side.
    runs = _text_runs(reader.pages[0])
    assert min(size for size, _, _ in runs) >= 5.0, sorted(runs)[:5]
    tops = {
        title: next(top for _, top, text in runs if text.startswith(title))
        for title in ("RAG rating by directorate", "Recommendations by source and status")
    }
    assert abs(tops["RAG rating by directorate"] - tops["Recommendations by source and status"]) < 2


def _text_runs(page: Any) -> list[tuple[float, float, str]]:
    """(size in points, height on the sheet in points, text) of every piece of text the
    page prints: a text run's font size scaled by its text and page transforms."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list, tm: list, font: Any, size: float) -> None:
        if not text.strip():
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        top = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((size * abs(a * d - b * c) ** 0.5, top, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("width", [820, 1280, 1920])
def test_the_next_committee_tables_fit_without_scrolling_sideways(
    width: int, browser: Any, server: StreamlitServer
) -> None:
    next_committee = next(spec for spec in PAGES if spec.url_path == "next_committee")
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url(next_committee), wait_until="domcontentloaded")
        wait_rendered(page)
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stDataFrame"] .dvn-scroller')
        page.wait_for_timeout(500)
        overflow = page.evaluate(
            """() => [...document.querySelectorAll(
                '[data-testid="stMain"] [data-testid="stDataFrame"] .dvn-scroller')]
              .map((grid) => grid.scrollWidth - grid.clientWidth)"""
        )
    finally:
        context.close()
    assert overflow and max(overflow) <= 0, overflow


# The widest word of each page title, measured in the title's own font, against the title's
# width: a title wider than the screen breaks a word in two ("Recommendation / s").
TITLE_JS = """() => {
  const title = document.querySelector('[data-testid="stMain"] h1');
  const style = getComputedStyle(title);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const words = title.innerText.split(/\\s+/);
  return [Math.max(...words.map((word) => context.measureText(word).width)), title.clientWidth];
}"""


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_no_page_title_breaks_a_word_on_a_phone(
    spec: Any, browser: Any, server: StreamlitServer
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url(spec), wait_until="domcontentloaded")
        wait_rendered(page)
        widest_word, title_width = page.evaluate(TITLE_JS)
    finally:
        context.close()
    assert widest_word <= title_width, (spec.title, widest_word, title_width)


# Every piece of text a chart draws (title lines, key, axis labels, source line), against
# the chart's own drawing area, and the title against the key under it: plotly never wraps
# a title or a label, and whatever runs past the edge of the drawing is simply not shown.
CHART_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
  .map((plot) => {
    const frame = plot.querySelector('.main-svg').getBoundingClientRect();
    const cut = [...plot.querySelectorAll('.main-svg text')]
      .filter((text) => text.textContent.trim())
      .filter((text) => {
        const box = text.getBoundingClientRect();
        return box.width > 0 && (box.left < frame.left - 1 || box.right > frame.right + 1);
      })
      .map((text) => text.textContent);
    const title = plot.querySelector('.gtitle');
    const key = plot.querySelector('.legend');
    // A title of several lines must end above the key, not run into it.
    const onKey = Boolean(title && key && key.getBoundingClientRect().height > 0
      && title.getBoundingClientRect().bottom > key.getBoundingClientRect().top + 1);
    return {title: title ? title.textContent : '', width: frame.width, cut, onKey};
  })"""
CHART_PAGES = ("overview", "overdue")


@pytest.mark.parametrize("width", [390, 820])
@pytest.mark.parametrize("url_path", CHART_PAGES)
def test_no_chart_text_is_cut_off_on_a_phone_or_tablet(
    url_path: str, width: int, browser: Any, server: StreamlitServer
) -> None:
    """Titles, keys, axis labels and the source line all lie within the chart's drawing."""
    spec = next(spec for spec in PAGES if spec.url_path == url_path)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url(spec), wait_until="domcontentloaded")
        wait_rendered(page)
        page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .gtitle')
        page.wait_for_timeout(800)  # plotly lays out again once the sidebar has folded
        charts = page.evaluate(CHART_TEXT_JS)
    finally:
        context.close()
    assert charts, f"no chart drawn on {url_path}"
    for chart in charts:
        assert chart["title"], chart
        assert chart["cut"] == [], f"{chart['title']!r} at {width} px cuts {chart['cut']}"
        assert not chart["onKey"], f"{chart['title']!r} at {width} px runs into its key"


# The item tables of Next committee wrap their text inside fixed columns: glide draws each
# cell on a canvas and breaks a word that does not fit its column ("Implemente / d", "Blue
# (comp / lete)" at 1280 px). Every word of every status and RAG label must fit its column,
# measured in the grid's own font (Streamlit's body font at 14 px) inside glide's 8 px padding.
WORD_WIDTHS_JS = """async (words) => {
  await document.fonts.ready;
  const grid = document.querySelector('[data-testid="stMain"] [data-testid="stDataFrame"]');
  const context = document.createElement("canvas").getContext("2d");
  context.font = `14px ${getComputedStyle(grid).fontFamily}`;
  return words.map((word) => context.measureText(word).width);
}"""
CELL_PADDING = 16


def test_no_status_or_rag_word_is_broken_in_the_next_committee_tables(
    browser: Any, server: StreamlitServer
) -> None:
    from domain.vocabulary import Rag, Status
    from views.committee_view import ITEM_TABLE_COLUMNS

    next_committee = next(spec for spec in PAGES if spec.url_path == "next_committee")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url(next_committee), wait_until="domcontentloaded")
        wait_rendered(page)
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stDataFrame"]')
        for column, labels in (("status", Status), ("rag", Rag)):
            words = sorted({word for value in labels for word in value.label.split()})
            widths = page.evaluate(WORD_WIDTHS_JS, words)
            room = ITEM_TABLE_COLUMNS[column]["width"] - CELL_PADDING
            broken = [word for word, width in zip(words, widths, strict=True) if width > room]
            assert not broken, f"{column} column ({room} px of text) breaks {broken}"
    finally:
        context.close()
