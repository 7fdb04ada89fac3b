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

import re
from pathlib import Path

import streamlit as st

__all__ = ["CHARTS_SHOWN", "SHOW_CHARTS_BUTTON", "tiles_on_screen"]

# Session state: this session's browser has drawn charts (so has plotly.js loaded).
CHARTS_SHOWN = "_first_glance_charts_shown"
SHOW_CHARTS_BUTTON = "first_glance_show_charts"
DRAWING = "Drawing the charts…"

# Runs in the page once mounted, just behind the tiles. At once it asks the browser to fetch
# and compile Streamlit's own chart code (`data.chartCode`, the file name of its plotly.js
# module, beside its main script, and `data.chartImports`, the modules it imports) with
# `<link rel="modulepreload">`: that happens off the page's main thread while the tiles are
# drawn, and runs nothing. It waits until the tiles
# (`data.tiles` of them) are in the page, then two animation frames more, so they have been
# laid out and painted (a component can mount a moment before the elements sent ahead of it
# are drawn); then it asks for a rerun of its fragment and, at the same moment, runs the
# chart code (`import`): running it then overlaps the server's run of the fragment instead
# of waiting for the charts to arrive. The module is the very one Streamlit imports for its
# first chart (same address, so the browser fetches and runs it once). After 3 s it goes on
# regardless. (A preload sent with the page's first elements, before the tiles, cost the
# tiles 0.1 s: measured side by side.)
_TILES_PAINTED_JS = """
export default function (component) {
    const { setTriggerValue, data } = component;
    const wanted = (data && data.tiles) || 1;
    const started = performance.now();
    const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
    const chartCode =
        data && data.chartCode && main ? new URL(data.chartCode, main.src).href : null;
    let cancelled = false;
    const preloaded = new Set(
        [...document.querySelectorAll('link[rel="modulepreload"]')].map((link) => link.href)
    );
    for (const file of chartCode ? [data.chartCode, ...(data.chartImports || [])] : []) {
        const href = new URL(file, main.src).href;
        if (preloaded.has(href)) continue;
        const link = document.createElement("link");
        link.rel = "modulepreload";
        link.href = href;
        document.head.appendChild(link);
    }
    const signal = () => {
        if (cancelled) return;
        setTriggerValue("painted", true);
        if (chartCode) import(chartCode).catch(() => {});
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
_tiles_painted = st.components.v2.component(
    "recommendation_tracker_tiles_painted", js=_TILES_PAINTED_JS
)


_STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
# A module's static imports of its neighbours, as Streamlit's bundler writes them.
_IMPORT_FROM = re.compile(r'from"\./([\w.-]+\.js)"')


def _chart_code_file() -> str | None:
    """The file name of Streamlit's browser module for plotly charts (it carries a content
    hash, so it is looked up), or None when this Streamlit has no such single file."""
    found = sorted(_STATIC_JS.glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


def _imports_of(file: str | None) -> list[str]:
    """The modules `file` imports (read from its first lines): preloaded with it, so running
    it need not wait for a second round of fetches. Empty when it cannot be read."""
    if file is None:
        return []
    try:
        with open(_STATIC_JS / file, encoding="utf-8") as code:
            head = code.read(4096)
    except OSError:
        return []
    return sorted(set(_IMPORT_FROM.findall(head)) - {file})


_CHART_CODE = _chart_code_file()
_CHART_IMPORTS = _imports_of(_CHART_CODE)


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
        data={"chartCode": _CHART_CODE, "chartImports": _CHART_IMPORTS, "tiles": tiles},
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
