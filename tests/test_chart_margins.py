"""Every chart is drawn once: its margins already hold its labels and its key.

plotly.js makes room for axis labels after drawing them ("automargin") and, when the
margins it was given were too small, draws the whole figure again. On the Overview that
second drawing was a third of the charts' time in the browser (issue 11), so
`charts.style.apply_style` sets the margins from the labels' widths (charts/text_width.py).
Here each figure is drawn by plotly.js in Chromium, with the labels a council has (one to
three items, 50,000, long names), at the width it has on the Overview at 1,400 px, and the
room plotly ended up using is read back: it must be the room the figure asked for (within
plotly's own 1 px tolerance), or plotly drew it twice. A label the estimate missed would still show
(automargin stays on), so a second test checks no tick label reaches outside its figure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts import overview as overview_charts
from charts.text_width import text_width
from tests.test_chart_ticks import AS_AT, CARDS, CHARTS, PART_ONE, PART_TWO, PAYROLL
from ui.chart_component import PLOTLY_BUNDLE_PATH

LONG_DIRECTORATE = "Adult Social Care, Health and Housing Partnerships Directorate (North)"
WIDE_LETTERS = "WWW MMM @@@ Quality Assurance Wing"


def _long_sources() -> go.Figure:
    names = [PART_ONE, PART_TWO, PAYROLL, CARDS, WIDE_LETTERS]
    frame = pd.DataFrame(
        {
            "source_id": list(range(1, len(names) + 1)),
            "source": names,
            "source_title": names,
            "sources": [1] * len(names),
            "status": ["in_progress"] * len(names),
            "recommendations": [12_000, 3, 45, 7, 1],
        }
    )
    return overview_charts.status_by_source_figure(frame, AS_AT)


def _long_directorates() -> go.Figure:
    names = [LONG_DIRECTORATE, LONG_DIRECTORATE.replace("North", "South"), WIDE_LETTERS]
    frame = pd.DataFrame(
        {
            "directorate": names,
            "directorate_id": [1, 2, 3],
            "rag": ["red", "amber", "green"],
            "recommendations": [48_000, 1_500, 500],
        }
    )
    return overview_charts.rag_by_directorate_figure(frame, AS_AT)


FIGURES: dict[str, Callable[[], go.Figure]] = {
    **{
        f"{name}, {items} items": (lambda make=make, items=items: make(items))
        for name, make in CHARTS.items()
        for items in (1, 3, 45, 50_000)
    },
    "status by source, long titles": _long_sources,
    "rag by directorate, long names": _long_directorates,
}


# Draws the figure in a div `width` wide; returns the room plotly.js used and how far the
# furthest tick label reaches past the figure's left and right edges (0 when inside).
_DRAW = """async ([figure, width]) => {
    const div = document.createElement('div');
    div.style.width = width + 'px';
    document.body.replaceChildren(div);
    await Plotly.newPlot(div, figure.data, figure.layout);
    const size = div._fullLayout._size;
    const box = div.getBoundingClientRect();
    let outLeft = 0, outRight = 0;
    for (const label of div.querySelectorAll('.xtick text, .ytick text')) {
        const r = label.getBoundingClientRect();
        outLeft = Math.max(outLeft, box.left - r.left);
        outRight = Math.max(outRight, r.right - box.right);
    }
    // The trace types plotly.js knows (a type its bundle lacks has no module, and no bars).
    const types = div._fullData.filter((trace) => trace._module).map((trace) => trace.type);
    return {l: size.l, r: size.r, t: size.t, b: size.b, outLeft, outRight, types};
}"""


@pytest.fixture(scope="module")
def plotly_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(PLOTLY_BUNDLE_PATH))  # the one the app serves
    yield page
    context.close()


def _drawn(page, figure: go.Figure, width: int) -> dict[str, Any]:
    return page.evaluate(_DRAW, [json.loads(figure.to_json()), width])


def _widths(name: str) -> tuple[int, ...]:
    """The widths the chart is drawn at: the Overview's page width at 1,400 px, and half of
    it for the two charts that sit side by side."""
    return (940, 462) if name.startswith(("ageing", "trend")) else (940,)


@pytest.mark.parametrize("name", list(FIGURES))
def test_a_chart_is_drawn_once_in_the_room_it_asked_for(plotly_page, name: str) -> None:
    figure = FIGURES[name]()
    asked = figure.layout.margin
    for width in _widths(name):
        used = _drawn(plotly_page, figure, width)
        # Drawn by the basic bundle the app serves: every trace of the figure is one it knows.
        assert used["types"] == [trace.type for trace in figure.data], name
        for side in ("l", "r", "t", "b"):
            assert used[side] <= asked[side] + 1, (
                f"{name} at {width} px: plotly.js needed {used[side]:.0f} px at {side!r}, "
                f"the figure asked for {asked[side]}: it was drawn twice"
            )


@pytest.mark.parametrize(
    "name", ["status by source, long titles", "rag by directorate, long names"]
)
def test_no_tick_label_reaches_outside_its_chart(plotly_page, name: str) -> None:
    used = _drawn(plotly_page, FIGURES[name](), 940)
    assert used["outLeft"] <= 0 and used["outRight"] <= 0, used


def test_the_room_for_a_label_is_never_less_than_arial_needs() -> None:
    """Against Arial's (Helvetica's) published advance widths, in thousandths of an em."""
    helvetica = {"W": 944, "M": 833, "@": 1015, "i": 222, "m": 833, " ": 278, "0": 556}
    for character, width in helvetica.items():
        assert text_width(character, 1000) >= width, character
    assert text_width("Wim 0", 13) >= sum(helvetica[c] for c in "Wim 0") * 13 / 1000
