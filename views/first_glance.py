"""The Overview's first glance: its tiles on screen before the browser loads the charts.

Streamlit fetches its browser code for charts (plotly.js, 4.6 MB) the moment the first chart
arrives, and running it holds up everything else on the page for half a second on a quiet
machine, several seconds on a busy one. Sent in the same burst as the tiles, the charts
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

__all__ = ["CHARTS_SHOWN", "SHOW_CHARTS_BUTTON", "tiles_on_screen"]

# Session state: this session's browser has drawn charts (so has plotly.js loaded).
CHARTS_SHOWN = "_first_glance_charts_shown"
SHOW_CHARTS_BUTTON = "first_glance_show_charts"
DRAWING = "Drawing the charts…"

# Runs in the page once mounted: two animation frames later the elements sent before it
# (the tiles) have been laid out and painted; then it asks for a rerun of its fragment.
_TILES_PAINTED_JS = """
export default function (component) {
    const { setTriggerValue } = component;
    let cancelled = false;
    requestAnimationFrame(() => requestAnimationFrame(() => {
        if (!cancelled) setTriggerValue("painted", true);
    }));
    return () => { cancelled = true; };
}
"""
_tiles_painted = st.components.v2.component(
    "recommendation_tracker_tiles_painted", js=_TILES_PAINTED_JS
)


def _charts_may_follow() -> None:
    """Callback of the signal and the button: runs before the rerun it asks for."""
    st.session_state[CHARTS_SHOWN] = True


def tiles_on_screen() -> bool:
    """True when the charts may be drawn in this run: the session's browser has the tiles
    (and, after the first time, plotly.js) already.

    Call it first thing in the fragment that draws the charts. The first time, it mounts
    the signal, says the charts are coming, and returns False; the signal reruns the
    fragment once the tiles are painted, and then it returns True."""
    if st.session_state.get(CHARTS_SHOWN):
        return True
    _tiles_painted(key="first_glance_signal", on_painted_change=_charts_may_follow)
    st.caption(DRAWING)
    st.button(
        "Show the charts",
        key=SHOW_CHARTS_BUTTON,
        type="tertiary",
        on_click=_charts_may_follow,
        help="They appear by themselves in a moment, unless this browser runs no scripts.",
    )
    return False
