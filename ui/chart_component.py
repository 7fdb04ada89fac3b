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
plotly.js puts its hover and key styles in the document's head), says what it shows with
`role="img"` and the chart's words as its label, and, for a chart whose bars lead to a list,
sends the bar clicked as a one-off `selection` event shaped as Streamlit's own
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

# Shared by this component and the first glance's signal (views/first_glance.py), which
# fetches the bundle early: one promise per page, kept on `window`, so the bundle is run
# once however many charts (and components) ask for it. The address is worked out from
# Streamlit's own main script, which sits at <app>/static/js/, so that a server under a path
# prefix (server.baseUrlPath) works too.
PLOTLY_LOADER_JS = """
function plotlyAddress(file) {
    const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
    return new URL("../../app/static/" + file, main ? main.src : document.baseURI).href;
}
function preloadPlotly(file) {
    const href = plotlyAddress(file);
    if (document.querySelector(`link[rel="preload"][href="${href}"]`)) return;
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = href;
    document.head.appendChild(link);
}
function loadPlotly(file) {
    if (!window.__recommendationTrackerPlotly) {
        window.__recommendationTrackerPlotly = new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = plotlyAddress(file);
            script.onload = () =>
                window.Plotly ? resolve(window.Plotly) : reject(new Error(file));
            script.onerror = () => {
                window.__recommendationTrackerPlotly = null;  // a later chart tries again
                reject(new Error(file));
            };
            document.head.appendChild(script);
        });
    }
    return window.__recommendationTrackerPlotly;
}
"""

_CHART_JS = (
    PLOTLY_LOADER_JS
    + """
const CONFIG = {
    displaylogo: false,
    responsive: false,  // it follows the window only; ResizeObserver below follows the box
    modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"],
};
const NOT_DRAWN =
    "This chart could not be drawn in this browser; the words under it say what it shows.";

function pointsOf(event) {
    return event.points.map((point) => ({
        x: point.x,
        y: point.y,
        customdata: point.customdata ?? null,
        point_index: point.pointIndex ?? point.pointNumber,
        curve_number: point.curveNumber,
    }));
}

export default function (component) {
    const { data, parentElement, setTriggerValue } = component;
    let box = parentElement.querySelector(".rt-chart");
    if (!box) {
        box = document.createElement("div");
        box.className = "rt-chart";
        box.style.width = "100%";
        parentElement.appendChild(box);
    }
    const figure = JSON.parse(data.figure);
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", data.alt);
    box.style.minHeight = (figure.layout.height || 450) + "px";  // no jump when drawn
    box.sendSelection = data.clickable
        ? (event) => setTriggerValue("selection", { points: pointsOf(event) })
        : null;
    let gone = false;
    loadPlotly(data.code)
        .then((Plotly) => {
            if (gone) return;
            return Plotly.react(box, figure.data, figure.layout, CONFIG).then(() => {
                if (box.listening) return;
                box.listening = true;
                box.on("plotly_click", (event) => box.sendSelection && box.sendSelection(event));
                // The page's width changes without the window's (the sidebar opens or
                // closes): the chart follows its own box, once a frame at most.
                let pending = false;
                box.resizeObserver = new ResizeObserver(() => {
                    if (pending) return;
                    pending = true;
                    requestAnimationFrame(() => {
                        pending = false;
                        if (box.isConnected) Plotly.Plots.resize(box);
                    });
                });
                box.resizeObserver.observe(box);
            });
        })
        .catch(() => {
            box.textContent = NOT_DRAWN;
            box.style.minHeight = "";
        });
    return () => {
        gone = true;
        if (box.resizeObserver) box.resizeObserver.disconnect();
        box.resizeObserver = null;
        box.listening = false;
        if (window.Plotly) window.Plotly.purge(box);
    };
}
"""
)

_chart = st.components.v2.component(CHART_COMPONENT, js=_CHART_JS, isolate_styles=False)


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
