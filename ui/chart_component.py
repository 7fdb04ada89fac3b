"""The product's chart on screen: a plotly figure drawn by plotly.js's basic bundle.

Why not `st.plotly_chart`: Streamlit's browser code for it carries the whole of plotly.js
(4.6 MB, every trace type, maps and 3-D included), and running that module held the
Overview's charts back by about 0.65 s on a quiet machine, longer than drawing all four
(issue 11; decision 29). Our charts are bars and lines only, which plotly.js's own basic
bundle (bar, scatter, pie; 1.2 MB, the same plotly.js version as plotly.py's) draws alike.
It is served from `static/vendor/` by Streamlit's static file serving
(`.streamlit/config.toml`, `server.enableStaticServing`): nothing comes from another host.

The figure goes to the browser as plotly.py writes it (`plotly.io.to_json`, as Streamlit
does); the component draws it with `Plotly.react` into the page itself (no shadow root:
plotly.js puts its hover and key styles in the document's head), labels it with the chart's
words (a `figure`; a widget the Tab key reaches when its bars lead to a list, chosen by
the arrow keys and Enter as well as by a click), and sends the bar chosen as a one-off
`selection` event shaped as Streamlit's own
(`{"points": [{"x", "y", "customdata", "point_index", "curve_number"}]}`), so the callbacks
read `st.session_state[key]["selection"]` as they did with `st.plotly_chart`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

__all__ = [
    "CHART_COMPONENT",
    "PLOTLY_BUNDLE",
    "PLOTLY_LOADER_JS",
    "SELECTION",
    "draw_chart",
]

# Served at <app>/app/static/<PLOTLY_BUNDLE>; the version is in the name so that a browser
# never keeps an old copy after an upgrade (tests/test_chart_component.py checks that it is
# plotly.py's own plotly.js version).
PLOTLY_BUNDLE = "vendor/plotly-basic-4.1.1.min.js"
PLOTLY_BUNDLE_PATH = Path(__file__).resolve().parent.parent / "static" / PLOTLY_BUNDLE
CHART_COMPONENT = "recommendation_tracker_chart"
SELECTION = "selection"  # the event a click on a bar sends (st.session_state[key][SELECTION])

# The browser code, kept as files so it reads as JavaScript: ui/js/plotly_loader.js (shared
# with the first glance's signal, views/first_glance.py), ui/js/chart.js, ui/js/chart.css.
_JS = Path(__file__).resolve().parent / "js"
PLOTLY_LOADER_JS = (_JS / "plotly_loader.js").read_text(encoding="utf-8")

_CHART_JS = PLOTLY_LOADER_JS + (_JS / "chart.js").read_text(encoding="utf-8")
_CHART_CSS = (_JS / "chart.css").read_text(encoding="utf-8")

_chart = st.components.v2.component(
    CHART_COMPONENT, js=_CHART_JS, css=_CHART_CSS, isolate_styles=False
)


def draw_chart(
    figure: go.Figure,
    words: str,
    *,
    key: str | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Draw `figure` full width, labelled with `words` for screen readers.

    With `on_select`, a click on a bar calls it before the rerun, with the bar in
    `st.session_state[key][SELECTION]["points"]` (so give a `key`)."""
    data = {
        "figure": pio.to_json(figure, validate=False),
        "alt": words,
        "code": PLOTLY_BUNDLE,
        "clickable": on_select is not None,
    }
    callbacks = {f"on_{SELECTION}_change": on_select} if on_select is not None else {}
    _chart(key=key, data=data, **callbacks)
