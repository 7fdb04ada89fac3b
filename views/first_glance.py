"""The Overview's first glance: its tiles on screen before the browser loads the charts.

The browser fetches the charts' code (plotly.js, 1.2 MB; ui.chart_component) the moment the
first chart arrives, and running it holds up everything else on the page for a moment on a
quiet machine, far longer on a busy one. Sent in the same burst as the tiles, the charts
kept the tiles off the screen until it had finished (bench: tiles 1.8 times Streamlit's own
one-line page). So the first time a session draws the Overview, its run ends with the tiles
and a line where the charts go; a few lines of JavaScript in the page (a Streamlit v2
component, no outside code) tell the server once the browser has put the tiles on screen,
and only then is the charts' fragment run. After that the session draws charts at once:
the browser has plotly.js by then. If the signal never comes (scripts blocked), the line
offers a button that draws them.
"""

from __future__ import annotations

import streamlit as st

from ui.chart_component import PLOTLY_BUNDLE, PLOTLY_LOADER_JS

__all__ = ["CHARTS_SHOWN", "SHOW_CHARTS_BUTTON", "tiles_on_screen"]

# Session state: this session's browser has drawn charts (so has plotly.js loaded).
CHARTS_SHOWN = "_first_glance_charts_shown"
SHOW_CHARTS_BUTTON = "first_glance_show_charts"
DRAWING = "Drawing the charts…"

# Runs in the page once mounted, just behind the tiles. At once it asks the browser to fetch
# the charts' plotly.js (ui.chart_component, `data.chartCode`) with `<link rel="preload">`:
# that happens off the page's main thread while the tiles are drawn, and runs nothing. It
# waits until the tiles (`data.tiles` of them) are in the page, then two animation frames
# more, so they have been laid out and painted (a component can mount a moment before the
# elements sent ahead of it are drawn); then it asks for a rerun of its fragment and, at the
# same moment, runs the chart code: running it then overlaps the server's run of the
# fragment instead of waiting for the charts to arrive. The charts use the very same loader
# (one promise per page), so the code is fetched and run once. After 3 s it goes on
# regardless. (A preload sent with the page's first elements, before the tiles, cost the
# tiles 0.1 s: measured side by side.)
_TILES_PAINTED_JS = (
    PLOTLY_LOADER_JS
    + """
export default function (component) {
    const { setTriggerValue, data } = component;
    const wanted = (data && data.tiles) || 1;
    const started = performance.now();
    let cancelled = false;
    preloadPlotly(data.chartCode);
    const signal = () => {
        if (cancelled) return;
        setTriggerValue("painted", true);
        loadPlotly(data.chartCode).catch(() => {});
    };
    const waitForTiles = () => {
        if (cancelled) return;
        const drawn = document.querySelectorAll('[data-testid="stMetric"]').length;
        if (drawn >= wanted || performance.now() - started > 3000) {
            requestAnimationFrame(() => requestAnimationFrame(signal));
        } else {
            requestAnimationFrame(waitForTiles);
        }
    };
    requestAnimationFrame(waitForTiles);
    return () => { cancelled = true; };
}
"""
)
_tiles_painted = st.components.v2.component(
    "recommendation_tracker_tiles_painted", js=_TILES_PAINTED_JS
)


def _charts_may_follow() -> None:
    """Callback of the signal and the button: runs before the rerun it asks for."""
    st.session_state[CHARTS_SHOWN] = True


def tiles_on_screen(tiles: int = 1) -> bool:
    """True when the charts may be drawn in this run: the session's browser has the tiles
    (and, after the first time, plotly.js) already.

    Call it first thing in the fragment that draws the charts. The first time, it mounts
    the signal, says the charts are coming, and returns False; the signal reruns the
    fragment once the `tiles` drawn before it are painted, and then it returns True."""
    if st.session_state.get(CHARTS_SHOWN):
        return True
    _tiles_painted(
        key="first_glance_signal",
        data={"chartCode": PLOTLY_BUNDLE, "tiles": tiles},
        on_painted_change=_charts_may_follow,
    )
    st.caption(DRAWING)
    st.button(
        "Show the charts",
        key=SHOW_CHARTS_BUTTON,
        type="tertiary",
        on_click=_charts_may_follow,
        help="They appear by themselves in a moment, unless this browser runs no scripts.",
    )
    return False
